// embed-templates: writes the Swift source that compiles the built-in templates into `spin`.
//
//     embed-templates <Templates dir> <SDK dir> <output .swift>
//
// Run by the EmbedTemplates build-tool plugin (Plugins/EmbedTemplates) on every build of
// SpinTooling; the output lives in the plugin's work directory, never in the source tree.
//
// One `EmbeddedTemplateFile` per file under Templates/<id>/ (sorted by id, then path), text as a
// raw string literal, base64 for anything that is not plain UTF-8 text. A template's
// `metadata/sdk.txt` is not embedded: it names files under SDK/ (one a line, `#` comments) that
// the template gets as `content/sdk/<file name>`, so the C SDK is committed once, in SDK/.
//
// Plain libc on purpose: the tool runs before every build and should start and build quickly.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file that lists a template's SDK files (relative to the template directory).
let sdkManifest = "metadata/sdk.txt"

func fail(_ message: String) -> Never {
    let line = Array("embed-templates: error: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// Names in `dir` (without `.` and `..`), sorted by their UTF-8 bytes.
func entries(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { fail("cannot read directory \(dir)") }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
}

/// Paths of the regular files under `dir`, relative to it, `/`-separated (no `.git`).
func files(under dir: String, prefix: String = "") -> [String] {
    var out: [String] = []
    for name in entries(dir) where name != ".git" {
        let path = dir + "/" + name
        let rel = prefix.isEmpty ? name : prefix + "/" + name
        if isDirectory(path) { out += files(under: path, prefix: rel) } else { out.append(rel) }
    }
    return out
}

func read(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot read \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n > 0 { bytes += buffer[0..<n] }
        if n < buffer.count { break }
    }
    if ferror(f) != 0 { fail("cannot read \(path)") }
    return bytes
}

func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let n = min(3, bytes.count - i)
        var v = UInt32(bytes[i]) << 16
        if n > 1 { v |= UInt32(bytes[i + 1]) << 8 }
        if n > 2 { v |= UInt32(bytes[i + 2]) }
        for k in 0..<4 {
            out.append(k <= n ? alphabet[Int((v >> (18 - 6 * UInt32(k))) & 63)] : UInt8(ascii: "="))
        }
        i += 3
    }
    return String(decoding: out, as: UTF8.self)
}

/// The Swift expression arguments for `bytes`: `text: #"""…"""#` when it is UTF-8 text ending in a
/// newline with no control characters other than tab and newline, else `base64: "…"`.
func literal(_ bytes: [UInt8]) -> String {
    let plain =
        bytes.last == 0x0A
        && !bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A || $0 == 0x7F }
    let text = String(decoding: bytes, as: UTF8.self)  // invalid UTF-8 becomes U+FFFD, so the bytes differ
    guard plain, Array(text.utf8) == bytes else {
        return "base64: \"\(base64(bytes))\""
    }
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    return "text: \(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
}

/// The SDK files named in a template's sdk.txt: (path under content/, path on disk).
func sdkFiles(manifest: String, sdk: String) -> [(String, String)] {
    var out: [(String, String)] = []
    let text = String(decoding: read(manifest), as: UTF8.self)
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
        let entry = String(line.prefix(while: { $0 != "#" })).split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined()
        if entry.isEmpty { continue }
        let source = sdk + "/" + entry
        guard !entry.hasPrefix("/"), !entry.split(separator: "/").contains(".."), !isDirectory(source),
            access(source, R_OK) == 0
        else { fail("\(manifest): no file SDK/\(entry)") }
        out.append(("content/sdk/" + String(entry.split(separator: "/").last!), source))
    }
    return out
}

let args = CommandLine.arguments
guard args.count == 4 else {
    fail("usage: embed-templates <Templates dir> <SDK dir> <output .swift>")
}
let (templates, sdk, output) = (args[1], args[2], args[3])

var swift = """
    // DO NOT EDIT. Generated at build time by the EmbedTemplates plugin (Sources/embed-templates)
    // from Templates/ and the SDK files each template's metadata/sdk.txt names.

    enum EmbeddedTemplates {
        static let files: [EmbeddedTemplateFile] = [

    """
for id in entries(templates) where isDirectory(templates + "/" + id) {
    let base = templates + "/" + id
    var sources: [(String, String)] = []
    for path in files(under: base) {
        if path == sdkManifest {
            sources += sdkFiles(manifest: base + "/" + path, sdk: sdk)
        } else {
            sources.append((path, base + "/" + path))
        }
    }
    var seen = Set<String>()
    for (path, _) in sources where !seen.insert(path).inserted {
        fail("\(id): \(path) is both in the template and in \(sdkManifest)")
    }
    for (path, source) in sources.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
        swift += "        EmbeddedTemplateFile(id: \"\(id)\", path: \"\(path)\", \(literal(read(source)))),\n"
    }
}
swift += "    ]\n}\n"

// Write only when the text changed, so an unchanged template set does not recompile SpinTooling.
let bytes = Array(swift.utf8)
if let f = fopen(output, "rb") {
    fclose(f)
    if read(output) == bytes { exit(0) }
}
let tmp = output + ".tmp"
guard let f = fopen(tmp, "wb") else { fail("cannot write \(tmp)") }
if fwrite(bytes, 1, bytes.count, f) != bytes.count || fclose(f) != 0 { fail("cannot write \(tmp)") }
if rename(tmp, output) != 0 { fail("cannot write \(output)") }
