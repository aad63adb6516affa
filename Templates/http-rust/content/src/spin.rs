//! The Spin 1.x HTTP guest ABI (wit-bindgen 0.2 canonical ABI), by hand.
//!
//! `export_http!(f)` exports `handle-http-request` for `fn f(Request) -> Response`;
//! this module always exports `canonical_abi_realloc` / `canonical_abi_free`.
use std::alloc::{self, Layout};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
}

pub struct Request {
    pub method: Method,
    /// Path and query, e.g. "/hello?name=John".
    pub uri: String,
    /// Lower-case names; Spin adds spin-path-info, spin-full-url, ...
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// The value of the first header named `name` (ASCII case-insensitive).
    #[allow(dead_code)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Option<Vec<(String, String)>>,
    pub body: Option<Vec<u8>>,
}

#[no_mangle]
pub unsafe extern "C" fn canonical_abi_realloc(old: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    let p = if old_len == 0 {
        if new_len == 0 {
            return align as *mut u8;
        }
        alloc::alloc(Layout::from_size_align_unchecked(new_len, align))
    } else {
        alloc::realloc(old, Layout::from_size_align_unchecked(old_len, align), new_len)
    };
    if p.is_null() {
        alloc::handle_alloc_error(Layout::from_size_align_unchecked(new_len, align));
    }
    p
}

#[no_mangle]
pub unsafe extern "C" fn canonical_abi_free(ptr: *mut u8, len: usize, align: usize) {
    if len != 0 {
        alloc::dealloc(ptr, Layout::from_size_align_unchecked(len, align));
    }
}

/// Takes ownership of a host-allocated list (allocated with `canonical_abi_realloc`).
unsafe fn take_bytes(ptr: i32, len: i32) -> Vec<u8> {
    if len == 0 {
        return Vec::new();
    }
    Vec::from_raw_parts(ptr as usize as *mut u8, len as usize, len as usize)
}

unsafe fn take_string(ptr: i32, len: i32) -> String {
    String::from_utf8_lossy(&take_bytes(ptr, len)).into_owned()
}

/// Leaks `bytes` as an exact-size allocation the host frees with `canonical_abi_free(ptr, len, 1)`.
fn give_bytes(bytes: Vec<u8>) -> (i32, i32) {
    let b = bytes.into_boxed_slice();
    let len = b.len();
    let ptr = Box::into_raw(b) as *mut u8;
    (ptr as usize as i32, len as i32)
}

#[repr(C, align(4))]
pub struct RetArea([u8; 28]);
static mut RET_AREA: RetArea = RetArea([0; 28]);

#[doc(hidden)]
pub unsafe fn call(
    handler: fn(Request) -> Response,
    method: i32, uri_ptr: i32, uri_len: i32, headers_ptr: i32, headers_len: i32,
    _params_ptr: i32, _params_len: i32, body_tag: i32, body_ptr: i32, body_len: i32,
) -> i32 {
    let method = match method {
        0 => Method::Get,
        1 => Method::Post,
        2 => Method::Put,
        3 => Method::Delete,
        4 => Method::Patch,
        5 => Method::Head,
        _ => Method::Options,
    };
    let mut headers = Vec::with_capacity(headers_len as usize);
    for i in 0..headers_len as usize {
        let e = (headers_ptr as usize + 16 * i) as *const i32;
        headers.push((take_string(*e, *e.add(1)), take_string(*e.add(2), *e.add(3))));
    }
    canonical_abi_free(headers_ptr as usize as *mut u8, 16 * headers_len as usize, 4);
    let req = Request {
        method,
        uri: take_string(uri_ptr, uri_len),
        headers,
        body: if body_tag != 0 { Some(take_bytes(body_ptr, body_len)) } else { None },
    };
    let res = handler(req);

    let ret = core::ptr::addr_of_mut!(RET_AREA) as *mut u8;
    core::ptr::write_bytes(ret, 0, 28);
    *(ret as *mut u16) = res.status;
    if let Some(hs) = res.headers {
        let n = hs.len();
        let arr = canonical_abi_realloc(core::ptr::null_mut(), 0, 4, 16 * n) as *mut i32;
        for (i, (k, v)) in hs.into_iter().enumerate() {
            let (kp, kl) = give_bytes(k.into_bytes());
            let (vp, vl) = give_bytes(v.into_bytes());
            let e = arr.add(4 * i);
            *e = kp;
            *e.add(1) = kl;
            *e.add(2) = vp;
            *e.add(3) = vl;
        }
        *ret.add(4) = 1;
        *(ret.add(8) as *mut i32) = arr as usize as i32;
        *(ret.add(12) as *mut i32) = n as i32;
    }
    if let Some(b) = res.body {
        let (p, l) = give_bytes(b);
        *ret.add(16) = 1;
        *(ret.add(20) as *mut i32) = p;
        *(ret.add(24) as *mut i32) = l;
    }
    ret as usize as i32
}

/// Exports `handle-http-request` for `fn(Request) -> Response`.
#[macro_export]
macro_rules! export_http {
    ($handler:path) => {
        #[export_name = "handle-http-request"]
        pub unsafe extern "C" fn __spin_handle_http_request(
            a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32, a8: i32, a9: i32,
        ) -> i32 {
            $crate::spin::call($handler, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9)
        }
    };
}
pub use export_http;
