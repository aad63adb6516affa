import Foundation
import TestSupport
import WasmCore

@testable import SpinHost

/// Helpers for the Spin 1.4–1.5 (wit-bindgen 0.8) module tests.
enum Preview2 {
    static func fixture(_ name: String) -> String { packageRoot + "/Fixtures/spin15/\(name)" }

    static func module(_ name: String) throws -> Module {
        try Module(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture(name)))))
    }

    /// A folder holding `wasm` as `guest.wasm` and `toml` as `spin.toml`; returns the manifest path.
    static func app(_ toml: String, wasm: String = "spin15.wasm") throws -> String {
        let dir = NSTemporaryDirectory() + "spin15-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture(wasm), toPath: dir + "/guest.wasm")
        try toml.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        return dir + "/spin.toml"
    }

    /// A v2 manifest with one HTTP component `guest` on `/...` (extra component keys in `component`).
    static func httpApp(component: String = "", application: String = "") -> String {
        """
        spin_manifest_version = 2
        [application]
        name = "spin15"
        \(application)
        [[trigger.http]]
        route = "/..."
        component = "guest"
        [component.guest]
        source = "guest.wasm"
        \(component)
        """
    }

    /// A v2 manifest with one Redis component `guest` on channel `messages` of `address`.
    static func redisApp(address: String, component: String = "") -> String {
        """
        spin_manifest_version = 2
        [application]
        name = "spin15"
        [application.trigger.redis]
        address = "\(address)"
        [[trigger.redis]]
        channel = "messages"
        component = "guest"
        [component.guest]
        source = "guest.wasm"
        \(component)
        """
    }
}
