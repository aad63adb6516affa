//! {{project-name}}: a Spin HTTP component in Rust, without crates.
//!
//! Every request gets 200, `foo: bar`, `content-type: text/plain` and the
//! body "Hello, Fermyon". `spin.rs` carries the Spin 1.x HTTP ABI.
mod spin;

use spin::{Request, Response};

fn handle(req: Request) -> Response {
    let _ = (req.method, &req.uri, &req.headers, &req.body);
    Response {
        status: 200,
        headers: Some(vec![
            ("foo".to_string(), "bar".to_string()),
            ("content-type".to_string(), "text/plain".to_string()),
        ]),
        body: Some(b"Hello, Fermyon".to_vec()),
    }
}

spin::export_http!(handle);
