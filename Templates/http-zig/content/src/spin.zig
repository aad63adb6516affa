//! spin.zig: the Spin 1.x HTTP guest ABI (wit-bindgen 0.2 canonical ABI) for Zig.
//!
//! Your root file declares
//!
//!     pub fn handle(req: spin.Request) spin.Response
//!
//! and calls `spin.exportHttp(@This())` at top level (`comptime { ... }`).
//! Memory comes from a bump allocator: Spin makes a fresh instance for every
//! request, so nothing needs freeing.
const std = @import("std");

pub const Method = enum(u8) { get = 0, post = 1, put = 2, delete = 3, patch = 4, head = 5, options = 6, _ };

/// Same layout as the ABI's tuple<string, string>: 16 bytes on wasm32.
pub const Header = extern struct {
    name_ptr: [*]const u8,
    name_len: usize,
    value_ptr: [*]const u8,
    value_len: usize,

    pub fn init(name: []const u8, value: []const u8) Header {
        return .{ .name_ptr = name.ptr, .name_len = name.len, .value_ptr = value.ptr, .value_len = value.len };
    }
    pub fn nameSlice(h: Header) []const u8 {
        return h.name_ptr[0..h.name_len];
    }
    pub fn valueSlice(h: Header) []const u8 {
        return h.value_ptr[0..h.value_len];
    }
};

pub const Request = struct {
    method: Method,
    /// Path and query, e.g. "/hello?name=John".
    uri: []const u8,
    /// Lower-case names; Spin adds spin-path-info, spin-full-url, ...
    headers: []const Header,
    body: ?[]const u8,

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(req: Request, name: []const u8) ?[]const u8 {
        for (req.headers) |h| {
            if (std.ascii.eqlIgnoreCase(h.nameSlice(), name)) return h.valueSlice();
        }
        return null;
    }
};

pub const Response = struct {
    status: u16,
    headers: ?[]const Header = null,
    body: ?[]const u8 = null,
};

// ---- allocator ----------------------------------------------------------

var heap_top: usize = 0;

fn bumpAlloc(len: usize, alignment: usize) [*]u8 {
    if (heap_top == 0) heap_top = @wasmMemorySize(0) * 65536;
    const ptr = (heap_top + alignment - 1) & ~(alignment - 1);
    const end = ptr + len;
    const have = @wasmMemorySize(0) * 65536;
    if (end > have) {
        const pages = (end - have + 65535) / 65536;
        if (@wasmMemoryGrow(0, pages) < 0) @trap();
    }
    heap_top = end;
    return @ptrFromInt(ptr);
}

/// Copies `bytes` into memory that lives until the request ends.
pub fn dupe(bytes: []const u8) []const u8 {
    if (bytes.len == 0) return bytes;
    const p = bumpAlloc(bytes.len, 1);
    @memcpy(p[0..bytes.len], bytes);
    return p[0..bytes.len];
}

fn realloc(old: ?[*]u8, old_len: usize, alignment: usize, new_len: usize) callconv(.c) ?[*]u8 {
    if (new_len == 0) return @ptrFromInt(alignment);
    const p = bumpAlloc(new_len, alignment);
    if (old) |o| {
        const n = @min(old_len, new_len);
        @memcpy(p[0..n], o[0..n]);
    }
    return p;
}

fn free(ptr: ?[*]u8, len: usize, alignment: usize) callconv(.c) void {
    _ = ptr;
    _ = len;
    _ = alignment;
}

// ---- the export ---------------------------------------------------------

var ret_area: [7]u32 align(4) = undefined;

/// Exports `handle-http-request`, `canonical_abi_realloc` and
/// `canonical_abi_free` for `Handler.handle`.
pub fn exportHttp(comptime Handler: type) void {
    const S = struct {
        fn handleHttpRequest(method: i32, uri_ptr: [*]const u8, uri_len: usize, headers_ptr: [*]const Header, headers_len: usize, params_ptr: usize, params_len: usize, body_tag: i32, body_ptr: [*]const u8, body_len: usize) callconv(.c) *[7]u32 {
            _ = params_ptr;
            _ = params_len;
            const req = Request{
                .method = @enumFromInt(@as(u8, @intCast(method))),
                .uri = uri_ptr[0..uri_len],
                .headers = headers_ptr[0..headers_len],
                .body = if (body_tag != 0) body_ptr[0..body_len] else null,
            };
            const res: Response = Handler.handle(req);
            // response { status: u16 @0, headers: option<list> @4/@8/@12, body: option<list> @16/@20/@24 }
            ret_area = .{ 0, 0, 0, 0, 0, 0, 0 };
            ret_area[0] = res.status;
            if (res.headers) |hs| {
                ret_area[1] = 1;
                ret_area[2] = @intFromPtr(hs.ptr);
                ret_area[3] = hs.len;
            }
            if (res.body) |b| {
                ret_area[4] = 1;
                ret_area[5] = @intFromPtr(b.ptr);
                ret_area[6] = b.len;
            }
            return &ret_area;
        }
    };
    @export(&S.handleHttpRequest, .{ .name = "handle-http-request" });
    @export(&realloc, .{ .name = "canonical_abi_realloc" });
    @export(&free, .{ .name = "canonical_abi_free" });
}
