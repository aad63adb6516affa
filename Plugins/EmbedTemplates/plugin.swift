import Foundation
import PackagePlugin

/// Generates `EmbeddedTemplates.swift` (the built-in templates, compiled into `spin`) from
/// Templates/ and SDK/ at build time, with the `embed-templates` tool. Every file under Templates/
/// and SDK/ is an input, so editing, adding or removing one regenerates the source.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let templates = root.appendingPathComponent("Templates")
        let sdk = root.appendingPathComponent("SDK")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedTemplates.swift")
        return [
            .buildCommand(
                displayName: "Embedding the templates (Templates, SDK) into \(target.name)",
                executable: try context.tool(named: "embed-templates").url,
                arguments: [templates.path, sdk.path, output.path],
                inputFiles: files(under: templates) + files(under: sdk),
                outputFiles: [output])
        ]
    }

    /// The files under `dir`, and the directories (`dir` too): SwiftPM reuses its build plan, and
    /// with it this list, until a manifest or target source changes, but adding or removing a
    /// file changes its directory's modification time, which reruns the tool.
    func files(under dir: URL) -> [URL] {
        var out: [URL] = [dir]
        guard
            let e = FileManager.default.enumerator(
                at: dir, includingPropertiesForKeys: [.isDirectoryKey], options: [])
        else { return out }
        for case let url as URL in e {
            if url.lastPathComponent == ".git" {
                e.skipDescendants()
                continue
            }
            out.append(url)
        }
        return out.sorted { $0.path < $1.path }
    }
}
