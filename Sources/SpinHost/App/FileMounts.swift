import Foundation
import WasmWASI

/// Turns a component's `files` into the directories its instances preopen.
enum FileMounts {
    static var copyRoot: String { ComponentFiles.defaultCopyRoot }

    static func preopens(for component: Component, appDirectory: String) throws -> [WASIConfiguration.Preopen] {
        guard !component.files.isEmpty else { return [] }
        let onlyPlacements = component.files.allSatisfy { if case .placement = $0 { true } else { false } }
        if !onlyPlacements || !component.excludeFiles.isEmpty {
            // Globs / exclusions: copy the selected files into a per-component
            // folder preopened read-only at `/` (Spin 1.x semantics).
            do {
                return try ComponentFiles.preopens(for: component, appDirectory: appDirectory, tempRoot: copyRoot)
            } catch {
                throw AppLoadError("component `\(component.id)`: \(error)")
            }
        }
        var preopens: [WASIConfiguration.Preopen] = []
        for mount in component.files {
            if case .placement(let source, let destination) = mount {
                let host = source.hasPrefix("/") ? source : appDirectory + "/" + source
                preopens.append(.init(hostPath: host, guestPath: destination, readOnly: true))
            }
        }
        return preopens
    }
}
