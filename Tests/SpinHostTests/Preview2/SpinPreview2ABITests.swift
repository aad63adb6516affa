import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmCore
import WasmWASI

@testable import SpinHost

/// The wit-bindgen 0.8 shape: core types the canonical ABI gives Spin's `wit/preview2`
/// functions, how modules are told apart, and what loading refuses (docs/spin-1x.md#preview2-modules).
@Suite struct SpinPreview2ABITests {
    static func i32s(_ n: Int) -> [ValueType] { Array(repeating: .i32, count: n) }

    /// The flattening rules by hand (CanonicalABI.md "Flattening"): the request record is 10
    /// values (enum 1, string 2, two lists 2+2, option<list<u8>> 3), a response spills to a
    /// pointer, and an import's spilled result adds a return pointer.
    @Test func coreTypesFollowTheFlatteningRules() {
        #expect(SpinPreview2Types.handleRequest.exportType == FunctionType(parameters: Self.i32s(10), results: [.i32]))
        #expect(SpinPreview2Types.handleMessage.exportType == FunctionType(parameters: Self.i32s(2), results: [.i32]))
        #expect(SpinPreview2Types.sendRequest.importType == FunctionType(parameters: Self.i32s(11), results: []))
        #expect(SpinPreview2Types.getConfig.importType == FunctionType(parameters: Self.i32s(3), results: []))
        #expect(SpinPreview2Types.keyValueClose.importType == FunctionType(parameters: [.i32], results: []))
        #expect(SpinPreview2Types.keyValueSet.importType == FunctionType(parameters: Self.i32s(6), results: []))
        #expect(SpinPreview2Types.redisExecute.importType == FunctionType(parameters: Self.i32s(7), results: []))
        // option<inferencing-params>: the discriminant, then the record's u32/f32 fields as they are.
        #expect(
            SpinPreview2Types.llmInfer.importType
                == FunctionType(
                    parameters: Self.i32s(5) + [.i32, .f32, .i32, .f32, .i32, .f32] + [.i32], results: []))
        // A result that fits one value stays flat; more than 16 parameters go through memory.
        #expect(
            CanonicalFunctionType(parameters: [.string], result: .u32).importType
                == FunctionType(parameters: Self.i32s(2), results: [.i32]))
        let wide = CanonicalFunctionType(parameters: Array(repeating: .u64, count: 17), result: nil)
        #expect(wide.importType == FunctionType(parameters: [.i32], results: []))
        // A variant joins its cases' flat types: f32 with i32 is i32, with i64 is i64.
        #expect(
            CanonicalFunctionType(parameters: [.variant([.f32, .u32]), .variant([.f32, .s64])], result: nil).importType
                == FunctionType(parameters: [.i32, .i32, .i32, .i64], results: []))
    }

    /// Sizes and the payload offsets the fixture's C code spells out by hand.
    @Test func layoutsMatchTheFixturesOffsets() {
        #expect(SpinPreview2Types.response.size == 28)
        #expect(SpinPreview2Types.response.alignment == 4)
        #expect(CanonicalType.result(ok: SpinPreview2Types.response, error: SpinPreview2Types.httpError).size == 32)
        #expect(CanonicalType.result(ok: .u64, error: SpinPreview2Types.databaseError).size == 24)
        #expect(SpinPreview2Types.dbValue.size == 16)
        #expect(SpinPreview2Types.redisParameter.size == 16)
        #expect(CanonicalType.result(ok: nil, error: SpinPreview2Types.redisError).size == 2)
        #expect(CanonicalType.record([.string, SpinPreview2Types.dbDataType]).size == 12)
    }

    @Test func detectionTellsTheTwoABIsApart() throws {
        #expect(SpinModuleABI.of(try Preview2.module("spin15.wasm")) == .preview2)
        #expect(SpinModuleABI.of(try Preview2.module("spin15-redis-only.wasm")) == .preview2)
        #expect(SpinModuleABI.of(try Preview2.module("no-realloc.wasm")) == .preview2)
        #expect(SpinModuleABI.of(try Preview2.module("bad-type.wasm")) == .preview2)
        // Old-ABI guests (wit-bindgen 0.2) and WAGI commands keep their executors.
        for old in ["Fixtures/http/echo.wasm", "Fixtures/hostif/all_imports.wasm", "Fixtures/http/wagi-env.wasm"] {
            let module = try Module(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: packageRoot + "/" + old))))
            #expect(SpinModuleABI.of(module) == .witBindgen02, "\(old)")
        }
    }

    @Test func aModuleMissingItsTriggersExportIsRefusedNamingIt() throws {
        let http = try Preview2.app(Preview2.httpApp(), wasm: "spin15-redis-only.wasm")
        let error = try #require(throws: AppLoadError.self) { try LoadedApp.load(path: http) }
        #expect(error.message.contains("component `guest`"), "\(error)")
        #expect(error.message.contains("does not export `fermyon:spin/inbound-http#handle-request`"), "\(error)")
        // The same module under a Redis trigger has what that trigger calls.
        let redis = try Preview2.app(Preview2.redisApp(address: "redis://127.0.0.1:1"), wasm: "spin15-redis-only.wasm")
        let app = try LoadedApp.load(path: redis)
        #expect(app.components["guest"]?.moduleABI == .preview2)
    }

    @Test func missingReallocAndMistypedExportsAreRefused() throws {
        let noRealloc = try #require(throws: AppLoadError.self) {
            try LoadedApp.load(path: try Preview2.app(Preview2.httpApp(), wasm: "no-realloc.wasm"))
        }
        #expect(noRealloc.message.contains("does not export `cabi_realloc`"), "\(noRealloc)")
        let badType = try #require(throws: AppLoadError.self) {
            try LoadedApp.load(path: try Preview2.app(Preview2.httpApp(), wasm: "bad-type.wasm"))
        }
        #expect(badType.message.contains("export `fermyon:spin/inbound-http#handle-request` has type"), "\(badType)")
        #expect(badType.message.contains("expected"), "\(badType)")
        // An inbound-http-only module is refused under a Redis trigger, naming that export.
        let onlyHTTP = try #require(throws: AppLoadError.self) {
            try LoadedApp.load(
                path: try Preview2.app(Preview2.redisApp(address: "redis://127.0.0.1:1"), wasm: "bad-type.wasm"))
        }
        #expect(onlyHTTP.message.contains("does not export `fermyon:spin/inbound-redis#handle-message`"), "\(onlyHTTP)")
    }

    /// Every `fermyon:spin/*` import of the fixture (it imports all 27 functions of the eight
    /// interfaces) links against the host's definitions with the same core type; without them
    /// linking fails naming a `fermyon:spin` import.
    @Test func everyImportLinksWithItsCoreType() throws {
        let module = try Preview2.module("spin15.wasm")
        #expect(module.imports.filter { $0.module.hasPrefix("fermyon:spin/") }.count == 27)
        let app = try Manifest.load(path: try Preview2.app(Preview2.httpApp()))
        let services = try HostIf.services(app)
        var imports = WASI.sharedImports()
        SpinInterfaces.define(into: &imports, context: GuestContext(component: app.components[0], services: services))
        _ = try module.link(imports)
        let error = try #require(throws: (any Error).self) { _ = try module.link(WASI.sharedImports()) }
        #expect("\(error)".contains("fermyon:spin/"), "\(error)")
    }
}
