import Foundation
import WasmWASI

/// How `spin up` mounts components' `files` (its `--temp`, `--direct-mounts` and
/// `--allow-transient-write` options).
public struct FilesMountStrategy: Sendable, Equatable {
    /// Where copies go (`--temp DIR`: `DIR/assets`); nil: a per-process temporary folder,
    /// removed at exit.
    public var copyRoot: String?
    /// `--direct-mounts`: mount directory placements themselves instead of copies (Spin allows
    /// it only when every `files` entry is a `{ source, destination }` directory and there is no
    /// `exclude_files`); the guest then sees changes made on the host without a restart.
    public var direct = false
    /// `--allow-transient-write`: mounts are writable. Copies: the writes stay in the copy;
    /// direct mounts: they reach the host files (as in Spin).
    public var allowTransientWrite = false
    public init() {}
}

/// Turns a component's `files` into the directories its instances preopen.
enum FileMounts {
    static var copyRoot: String { ComponentFiles.defaultCopyRoot }

    static func preopens(
        for component: Component, appDirectory: String, strategy: FilesMountStrategy = FilesMountStrategy()
    ) throws -> [WASIConfiguration.Preopen] {
        guard !component.files.isEmpty else { return [] }
        let onlyPlacements = component.files.allSatisfy { if case .placement = $0 { true } else { false } }
        if strategy.direct && (!onlyPlacements || !component.excludeFiles.isEmpty) {
            throw AppLoadError(
                "component `\(component.id)`: --direct-mounts needs every `files` entry to be a `{ source, destination }` directory and no `exclude_files`; this component has file patterns or exclusions"
            )
        }
        // Globs / exclusions (or writable copies): copy the selected files into a
        // per-component folder preopened at `/` (Spin 1.x semantics).
        if !onlyPlacements || !component.excludeFiles.isEmpty || (strategy.allowTransientWrite && !strategy.direct) {
            do {
                return try ComponentFiles.preopens(
                    for: component, appDirectory: appDirectory, tempRoot: strategy.copyRoot ?? copyRoot,
                    writable: strategy.allowTransientWrite)
            } catch {
                throw AppLoadError("component `\(component.id)`: \(error)")
            }
        }
        var preopens: [WASIConfiguration.Preopen] = []
        for mount in component.files {
            if case .placement(let source, let destination) = mount {
                let host = source.hasPrefix("/") ? source : appDirectory + "/" + source
                preopens.append(.init(hostPath: host, guestPath: destination, readOnly: !strategy.allowTransientWrite))
            }
        }
        return preopens
    }
}
