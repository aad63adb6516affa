//! Built with Zig's own WebAssembly backend (`-fno-llvm -fno-lld`, Debug), whose code looks
//! nothing like LLVM's: comparisons against immediates kept as written (`x <= 5` stays
//! `i64.le_s`), float subtraction of constants, safety checks everywhere. Exercises std's
//! ArrayList, AutoHashMap (Wyhash), sorting, formatting, and integer/float arithmetic.
const std = @import("std");
const wasi = std.os.wasi;

var out_buf: [8192]u8 = undefined;
var out_len: usize = 0;

fn flush() void {
    var written: usize = 0;
    var start: usize = 0;
    while (start < out_len) {
        const iov = [_]wasi.ciovec_t{.{ .base = out_buf[start..].ptr, .len = out_len - start }};
        if (wasi.fd_write(1, &iov, 1, &written) != .SUCCESS) break;
        start += written;
    }
    out_len = 0;
}

fn emit(comptime fmt: []const u8, args: anytype) void {
    if (out_len + 1024 > out_buf.len) flush();
    const s = std.fmt.bufPrint(out_buf[out_len..], fmt, args) catch unreachable;
    out_len += s.len;
}

const Point = struct { x: i32, y: i32, name: []const u8 };

fn lessPoint(_: void, a: Point, b: Point) bool {
    if (a.x != b.x) return a.x < b.x;
    return a.y > b.y;
}

fn collatz(n0: u64) u32 {
    var n = n0;
    var steps: u32 = 0;
    while (n != 1) : (steps += 1) {
        n = if (n % 2 == 0) n / 2 else 3 * n + 1;
    }
    return steps;
}

fn fnv1a(data: []const u8) u32 {
    var h: u32 = 0x811c9dc5;
    for (data) |b| {
        h ^= b;
        h *%= 0x01000193;
    }
    return h;
}

pub fn main() !void {
    var arena_buf: [1 << 20]u8 = undefined;
    var fba = std.heap.FixedBufferAllocator.init(&arena_buf);
    const gpa = fba.allocator();

    // Comparisons as values against immediates, every signedness and width.
    var counts: [8]i64 = @splat(0);
    var i: i64 = -40;
    while (i < 40) : (i += 1) {
        const u: u64 = @bitCast(i);
        const w: i32 = @intCast(i);
        counts[0] += @as(i64, @intFromBool(i <= 5));
        counts[1] += @as(i64, @intFromBool(u <= 7));
        counts[2] += @as(i64, @intFromBool(i >= -3));
        counts[3] += @as(i64, @intFromBool(u >= 30));
        counts[4] += @as(i64, @intFromBool(w <= 9));
        counts[5] += @as(i64, @intFromBool(@as(u32, @bitCast(w)) >= 12));
        counts[6] += @as(i64, @intFromBool(i < -7)) + @as(i64, @intFromBool(i > 17));
        counts[7] += @as(i64, @intFromBool(u != 3)) + @as(i64, @intFromBool(w == -2));
    }
    emit("compare counts {any}\n", .{counts});

    // Float arithmetic with constants.
    var x: f64 = 10.0;
    var y: f32 = 4.0;
    var acc: f64 = 0;
    var k: u32 = 0;
    while (k < 200) : (k += 1) {
        x = x - 0.375;
        y = y - 0.0625;
        acc += x * 0.5 - @as(f64, y) / 3.0 + 1.25;
        if (x < -20.0) x = x + 40.0;
        if (y <= -3.0) y = y + 8.5;
    }
    emit("floats x={d:.6} y={d:.6} acc={d:.6} sqrt={d:.9}\n", .{ x, y, acc, @sqrt(@abs(acc)) });

    // Integer arithmetic of every width with wrapping operators.
    var h64: u64 = 0xcbf29ce484222325;
    var h32: u32 = 7;
    var s16: i16 = 0;
    var u8v: u8 = 0;
    var j: u32 = 0;
    while (j < 1000) : (j += 1) {
        h64 = (h64 ^ j) *% 0x100000001b3;
        h64 = std.math.rotl(u64, h64, 17) +% (h64 >> 29);
        h32 = (h32 << 5) +% h32 +% j;
        h32 ^= h32 >> 11;
        s16 = s16 +% @as(i16, @truncate(@as(i32, @intCast(j)) * 7 - 3000));
        u8v = u8v *% 3 +% @as(u8, @truncate(j));
    }
    emit("ints h64={x} h32={x} s16={d} u8={d} clz={d} ctz={d} pop={d}\n", .{ h64, h32, s16, u8v, @clz(h64), @ctz(h32), @popCount(h64) });
    const big: u128 = @as(u128, h64) * @as(u128, h32) + 0xffff_ffff_ffff;
    emit("u128 {d} / 1e9 = {d} rem {d}\n", .{ big, big / 1_000_000_000, big % 1_000_000_000 });

    // ArrayList and sorting.
    var list: std.ArrayList(Point) = .empty;
    var seed: u32 = 12345;
    var p: usize = 0;
    const names = [_][]const u8{ "alpha", "beta", "gamma", "delta", "eps" };
    while (p < 300) : (p += 1) {
        seed = seed *% 1103515245 +% 12345;
        try list.append(gpa, .{ .x = @as(i32, @intCast((seed >> 16) % 50)) - 25, .y = @as(i32, @intCast((seed >> 8) % 1000)), .name = names[p % names.len] });
    }
    std.mem.sort(Point, list.items, {}, lessPoint);
    emit("sorted first=({d},{d},{s}) last=({d},{d},{s}) len={d}\n", .{ list.items[0].x, list.items[0].y, list.items[0].name, list.items[299].x, list.items[299].y, list.items[299].name, list.items.len });
    var ints: std.ArrayList(u32) = .empty;
    for (list.items) |pt| try ints.append(gpa, @as(u32, @intCast(pt.y)) * 31 + @as(u32, @intCast(pt.x + 25)));
    std.mem.sort(u32, ints.items, {}, std.sort.desc(u32));
    emit("desc {d} {d} {d} ... {d}\n", .{ ints.items[0], ints.items[1], ints.items[2], ints.items[ints.items.len - 1] });

    // AutoHashMap: counts, lookups, removal (iteration order sorted before printing).
    var map = std.AutoHashMap(u32, u32).init(gpa);
    for (ints.items) |v| {
        const gop = try map.getOrPut(v % 97);
        if (!gop.found_existing) gop.value_ptr.* = 0;
        gop.value_ptr.* += 1;
    }
    _ = map.remove(3);
    var keys: std.ArrayList(u32) = .empty;
    var it = map.iterator();
    while (it.next()) |e| try keys.append(gpa, e.key_ptr.* * 1000 + e.value_ptr.*);
    std.mem.sort(u32, keys.items, {}, std.sort.asc(u32));
    emit("map count={d} get(5)={?d} get(3)={?d} first={d} last={d}\n", .{ map.count(), map.get(5), map.get(3), keys.items[0], keys.items[keys.items.len - 1] });

    // Strings.
    const text = "the quick brown fox jumps over the lazy dog; THE END";
    var words = std.mem.tokenizeAny(u8, text, " ;");
    var wc: usize = 0;
    var longest: []const u8 = "";
    while (words.next()) |w| : (wc += 1) {
        if (w.len > longest.len) longest = w;
    }
    var upper: [64]u8 = undefined;
    const up = std.ascii.upperString(&upper, text[0..19]);
    emit("words={d} longest={s} upper={s} fnv={x} index={?d} eql={}\n", .{ wc, longest, up, fnv1a(text), std.mem.indexOf(u8, text, "lazy"), std.mem.eql(u8, text[4..9], "quick") });
    const parsed = try std.fmt.parseInt(i64, "-9223372036854775807", 10);
    const parsedf = try std.fmt.parseFloat(f64, "6.02214076e23");
    emit("parse {d} {e} {d}\n", .{ parsed, parsedf, try std.fmt.parseInt(u16, "ffff", 16) });

    // Collatz over a range.
    var best: u32 = 0;
    var best_n: u64 = 0;
    var n: u64 = 1;
    while (n < 3000) : (n += 1) {
        const s = collatz(n);
        if (s > best) {
            best = s;
            best_n = n;
        }
    }
    emit("collatz best n={d} steps={d}\n", .{ best_n, best });
    flush();
}
