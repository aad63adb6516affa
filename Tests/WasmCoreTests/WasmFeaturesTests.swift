import Testing
@testable import WasmCore

/// `WasmFeatures`: the names, wasmtime's `-W NAME=y|n` spelling, and the error a module gets
/// for using a switched-off feature.
@Suite struct WasmFeaturesTests {
    @Test func everySupportedFeatureIsOnByDefaultAndGCIsOff() {
        let f = WasmFeatures()
        for feature in WasmFeatures.Feature.allCases {
            #expect(f[feature] == feature.isSupported, "\(feature)")
        }
        #expect(!f.gc)
        for feature in WasmFeatures.Feature.allCases { #expect(!WasmFeatures.wasm2[feature], "\(feature)") }
    }

    @Test func settingsParseWasmtimeSpelling() throws {
        var f = WasmFeatures()
        try f.set("memory64=n")
        try f.set("multi-memory=no")
        try f.set("tail-call=0")
        #expect(!f.memory64 && !f.multiMemory && !f.tailCalls && f.exceptions)
        try f.set("memory64")  // bare name: on
        try f.set("relaxedSIMD=false")
        #expect(f.memory64 && !f.relaxedSIMD)
        #expect(throws: WasmFeatures.SettingError.self) { try f.set("gc=y") }
        #expect(throws: WasmFeatures.SettingError.self) { try f.set("shared-everything=y") }
        #expect(throws: WasmFeatures.SettingError.self) { try f.set("memory64=maybe") }
        try f.set("gc=n")  // switching an unsupported feature off is harmless
        #expect(WasmFeatures.Feature(name: "extended-const") == .extendedConst)
    }

    /// Two memories: valid with multi-memory, rejected (naming the feature) without it.
    @Test func switchedOffMultiMemoryNamesTheFeature() throws {
        let limits: [UInt8] = [0x00, 0x01]
        let bytes = Wasm.module(Wasm.section(5, Wasm.vec([limits, limits])))
        var off = WasmFeatures()
        off.multiMemory = false
        #expect {
            try Module(bytes: bytes, features: off)
        } throws: { error in
            let e = error as? ValidationError
            return e?.message.contains("multi-memory support is not enabled") == true && e?.offset == 10
        }
    }
}
