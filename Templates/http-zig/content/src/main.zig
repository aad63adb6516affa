//! {{project-name}}: a Spin HTTP component in Zig.
//!
//! Every request gets 200, `foo: bar`, `content-type: text/plain` and the
//! body "Hello, Fermyon". src/spin.zig describes the request and response.
const spin = @import("spin.zig");

comptime {
    spin.exportHttp(@This());
}

const headers = [_]spin.Header{
    spin.Header.init("foo", "bar"),
    spin.Header.init("content-type", "text/plain"),
};

pub fn handle(req: spin.Request) spin.Response {
    _ = req;
    return .{ .status = 200, .headers = &headers, .body = "Hello, Fermyon" };
}
