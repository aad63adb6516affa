import Foundation

extension Manifest {
    /// The application Spin makes of a lone Wasm file (`spin up --from app.wasm`, Spin's
    /// `spin_loader::from_wasm_file`): named after the file, one HTTP trigger on `/...` with the
    /// module as its inline component, relative paths against `directory` (the current one).
    /// A `.wat` file is refused: this host reads binary modules only.
    public static func bareWasm(
        path: String, directory: String = FileManager.default.currentDirectoryPath
    ) throws(ManifestError) -> AppManifest {
        if path.hasSuffix(".wat") {
            throw ManifestError(
                .invalidValue, "WebAssembly text (.wat) is not supported by this host; convert it with wat2wasm",
                file: path)
        }
        let absolute =
            path.hasPrefix("/")
            ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = stem.isEmpty ? "wasm-file" : stem
        let text = """
            spin_manifest_version = 2
            [application]
            name = \(tomlString(name))
            [[trigger.http]]
            route = "/..."
            component = { source = \(tomlString(absolute)) }
            """
        var app = try parse(text, path: (directory as NSString).appendingPathComponent(defaultFileName))
        app.manifestPath = path
        return app
    }

    /// A TOML basic string.
    private static func tomlString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20 || c.value == 0x7F: out += String(format: "\\u%04X", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
