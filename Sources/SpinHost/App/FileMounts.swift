import WasmWASI

/// Turns a component's `files` into the directories its instances preopen.
enum FileMounts {
    static func preopens(for component: Component, appDirectory: String) throws -> [WASIConfiguration.Preopen] {
        guard !component.files.isEmpty else { return [] }
        var preopens: [WASIConfiguration.Preopen] = []
        for mount in component.files {
            switch mount {
            case .placement(let source, let destination):
                let host = source.hasPrefix("/") ? source : appDirectory + "/" + source
                preopens.append(.init(hostPath: host, guestPath: destination, readOnly: true))
            case .pattern(let pattern):
                throw AppLoadError(
                    "component `\(component.id)`: file pattern \"\(pattern)\": glob mounts are not supported yet; use a placement { source = \"dir\", destination = \"/\" }"
                )
            }
        }
        return preopens
    }
}
