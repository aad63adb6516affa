/// Renders template files as Spin does (`crates/templates/src/renderer.rs`):
/// a file that is not UTF-8, or that Liquid cannot parse, is copied
/// unchanged; an unknown filter fails the run; everything else is rendered
/// with the parameter values (see `LiquidTemplate` for the Liquid subset and
/// `LiquidFilters` for the filters).
package enum TemplateRenderer {
    /// A file of a template, classified.
    package enum Content {
        case template(LiquidTemplate)
        case binary([UInt8])
    }

    /// Classifies `bytes` as Spin's `TemplateContent::infer_from_bytes` does.
    package static func content(_ bytes: [UInt8], file: String) throws(TemplateError) -> Content {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .binary(bytes) }
        do {
            return .template(try LiquidTemplate(parsing: text))
        } catch {
            switch error {
            case .syntax: return .binary(bytes)
            case .unknownFilter(let name):
                throw TemplateError("\(file): internal error in template: unknown filter '\(name)'")
            case .unsupported(let what):
                throw TemplateError("\(file): \(what) is not supported by this spin")
            }
        }
    }

    /// The rendered bytes of a file.
    package static func render(_ bytes: [UInt8], values: [String: String], file: String) throws(TemplateError)
        -> [UInt8]
    {
        switch try content(bytes, file: file) {
        case .binary(let b): return b
        case .template(let t): return Array(try t.render(values: values, file: file).utf8)
        }
    }

    /// Renders `text`; text Liquid cannot parse comes back unchanged.
    package static func render(_ text: String, values: [String: String], file: String = "template")
        throws(TemplateError) -> String
    {
        String(decoding: try render(Array(text.utf8), values: values, file: file), as: UTF8.self)
    }
}
