import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmWASIP2

@testable import SpinHost

/// The outbound Redis and PostgreSQL component interfaces without servers: they are exactly the
/// Spin SDK's (every function the WIT declares, and no other), components importing them link,
/// and every call without app services or to a place not allowed answers with the interface's
/// error value (never a trap).
struct OutboundDbInterfaceTests {
    static let redis = SpinRedisInterface.interface
    static let interfaces = [
        SpinRedisInterface.interface, SpinPostgresInterfaces.v2.interface, SpinPostgresInterfaces.v3.interface,
        SpinPostgresInterfaces.v4.interface,
    ]

    @Test func theHostDefinesExactlyTheFunctionsTheWITDeclares() throws {
        let imported = try OutboundDb.importedFunctions()
        #expect(imported[SpinPostgresInterfaces.rdbmsTypes] == [])
        for i in Self.interfaces {
            let wit = try #require(imported[i], "the fixture imports \(i)")
            let host = Set(SpinComponentInterfaces.definitions.functions.filter { $0.interface == i }.map(\.name))
            #expect(host == wit, "\(i)")
            #expect(wit.count == (i == Self.redis ? 10 : 3))
            #expect(SpinComponentInterfaces.definitions.resources.contains { $0.interface == i && $0.name == "connection" })
        }
        #expect(SpinComponentInterfaces.definitions.typeInterfaces.contains(SpinPostgresInterfaces.rdbmsTypes))
    }

    @Test func aComponentImportingTheInterfacesLinks() throws {
        var linker = ComponentLinker()
        SpinComponentInterfaces.allDefinitions.define(in: &linker)
        _ = try linker.link(try OutboundDb.component.get())
        // Without the types-only interface, `rdbms-types` is what is missing.
        var without = ComponentLinker()
        var d = WASIP2Definitions()
        for f in SpinComponentInterfaces.definitions.functions { d.function(f.interface, f.name, f.body) }
        for r in SpinComponentInterfaces.definitions.resources { d.resource(r.interface, r.name) }
        d.define(in: &without)
        #expect { _ = try without.link(try OutboundDb.component.get()) } throws: { error in
            "\(error)".contains(SpinPostgresInterfaces.rdbmsTypes)
        }
    }

    /// py3-hello (the Python SDK's hello component) imports 45 interfaces; with every
    /// interface that is not ours stubbed, it links: none of ours is missing or misshapen.
    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: ComponentHTTPLiveTests.py3Hello),
            "built on demand (CPython inside, not committed; Scripts/build-components builds \(ComponentHTTPLiveTests.py3Hello))"
        ))
    func py3HelloFindsEveryOutboundDbInterface() throws {
        let component = try WasmComponents.Component(
            bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: ComponentHTTPLiveTests.py3Hello))))
        let ours = Set(Self.interfaces + [SpinPostgresInterfaces.rdbmsTypes])
        #expect(ours.isSubset(of: Set(component.imports.keys)))
        var linker = ComponentLinker()
        for (name, entity) in component.imports where !ours.contains(name) {
            guard case .instance(let t) = entity, let instance = component.types.instance(t) else { continue }
            for (member, e) in instance.exports {
                switch e {
                case .function: linker.defineFunction(interface: name, name: member) { _, _ in nil }
                case .type(let r, _) where component.types.resource(r) != nil:
                    linker.defineResource(interface: name, name: member)
                default: break
                }
            }
            linker.defineInterface(name)
        }
        SpinComponentInterfaces.definitions.define(in: &linker)
        do {
            _ = try linker.link(component)
        } catch let e as ComponentLinkError {
            Issue.record("py3-hello: \(e)")
        }
    }

    @Test func withoutAppServicesOpenAnswersOther() throws {
        let context = try OutboundDb.context(allowing: nil)
        let r = try OutboundDb.call(context, Self.redis, "[static]connection.open", [.string("redis://127.0.0.1:6379")])
        guard case .err(.variant(case: 3, payload: .string(let m)?)?) = r else {
            Issue.record("redis: \(r)")
            return
        }
        #expect(m.contains("without app services"))
        for v in [SpinPostgresInterfaces.v2, SpinPostgresInterfaces.v3, SpinPostgresInterfaces.v4] {
            let p = try OutboundDb.call(
                context, v.interface, "[static]connection.open", [.string("postgres://u@127.0.0.1:5432/db")])
            guard case .err(.variant(case: 4, payload: .string(let m)?)?) = p else {
                Issue.record("\(v.interface): \(p)")
                continue
            }
            #expect(m.contains("without app services"))
        }
        // No ComponentHostState at all (a plain WASI 0.2 context): the same.
        let bare = WASIP2Context(wasi: context.wasi)
        #expect(
            try OutboundDb.call(bare, Self.redis, "[static]connection.open", [.string("redis://127.0.0.1:6379")]) == r)
    }

    @Test func addressesNotAllowedOrNotURLsAreSpinsErrors() throws {
        let context = try OutboundDb.context(allowing: ["redis://127.0.0.1:6379", "postgres://127.0.0.1:5432"])
        // Redis: another port, another scheme, not a URL, TLS: invalid-address, no connection tried.
        for address in ["redis://127.0.0.1:6380", "http://127.0.0.1:6379", "127.0.0.1:6379", "not an address"] {
            #expect(
                try OutboundDb.call(context, Self.redis, "[static]connection.open", [.string(address)])
                    == .err(.variant(case: 0, payload: nil)), "\(address)")
        }
        // Allowed, but nothing listens there (port 1): other(message).
        let refused = try OutboundDb.context(allowing: ["redis://127.0.0.1:1", "postgres://127.0.0.1:1"])
        let r = try OutboundDb.call(refused, Self.redis, "[static]connection.open", [.string("redis://127.0.0.1:1")])
        guard case .err(.variant(case: 3, payload: .string)?) = r else {
            Issue.record("refused: \(r)")
            return
        }
        // PostgreSQL: connection-failed("address ... is not permitted"), the password redacted.
        for v in [SpinPostgresInterfaces.v2, SpinPostgresInterfaces.v3, SpinPostgresInterfaces.v4] {
            for address in [
                "postgres://u:secret@127.0.0.1:5433/db", "host=10.0.0.1 user=u password=secret", "mysql://u@127.0.0.1/db",
                "not an address",
            ] {
                let p = try OutboundDb.call(context, v.interface, "[static]connection.open", [.string(address)])
                guard case .err(.variant(case: 0, payload: .string(let m)?)?) = p else {
                    Issue.record("\(v.interface) \(address): \(p)")
                    continue
                }
                #expect(m.contains("is not permitted") && !m.contains("secret"), "\(m)")
            }
            let p = try OutboundDb.call(
                refused, v.interface, "[static]connection.open", [.string("postgres://u@127.0.0.1:1/db")])
            // Allowed, nothing listening: connection-failed with the client's reason.
            guard case .err(.variant(case: 0, payload: .string(let m)?)?) = p else {
                Issue.record("\(v.interface) refused: \(p)")
                continue
            }
            #expect(!m.contains("is not permitted"), "\(m)")
        }
    }

    @Test func theThousandTwentyFifthConnectionIsTooMany() throws {
        let context = try OutboundDb.context(allowing: ["redis://127.0.0.1:1", "postgres://127.0.0.1:1"])
        let host = try #require(ComponentHostState.of(context))
        let redisSlots = host.state(SpinRedisInterface.Slots.self) { .init() }.slots
        let pgSlots = host.state(SpinPostgresInterfaces.Slots.self) { .init() }.slots
        for _ in 0..<ComponentConnectionSlots.capacity {
            #expect(redisSlots.take())
            #expect(pgSlots.take())
        }
        #expect(
            try OutboundDb.call(context, Self.redis, "[static]connection.open", [.string("redis://127.0.0.1:1")])
                == .err(.variant(case: 1, payload: nil)))
        #expect(
            try OutboundDb.call(
                context, SpinPostgresInterfaces.v4.interface, "[static]connection.open",
                [.string("postgres://u@127.0.0.1:1/db")])
                == .err(.variant(case: 0, payload: .string("too many connections"))))
        // A slot given back is taken again (the failed connect below returns it).
        redisSlots.release()
        _ = try OutboundDb.call(context, Self.redis, "[static]connection.open", [.string("redis://127.0.0.1:1")])
        #expect(redisSlots.live == ComponentConnectionSlots.capacity - 1)
    }

    @Test func everyPostgresTypeNameAndErrorHasTheVersionsShape() throws {
        // Type-checked against the fixture's WIT inside `mismatch`: the error of each version.
        for v in [SpinPostgresInterfaces.v2, SpinPostgresInterfaces.v3, SpinPostgresInterfaces.v4] {
            let type = try OutboundDb.functionType(v.interface, "[method]connection.query")
            for e: DatabaseError in [
                .connectionFailed("c"), .badParameter("b"), .queryFailed("q"), .valueConversionFailed("v"), .otherError("o"),
            ] {
                let value = ComponentValue.err(SpinPostgresInterfaces.errorValue(e, v))
                #expect(OutboundDb.mismatch(value, type.result!) == nil, "\(v.interface) \(e)")
            }
        }
        let v4 = SpinPostgresInterfaces.v4
        let fields: [Character: String] = ["S": "ERROR", "V": "ERROR", "C": "23505", "M": "m", "D": "d", "H": "h", "t": "tab"]
        let dbError = SpinPostgresInterfaces.errorValue(.queryFailed("q"), v4, serverError: fields)
        #expect(OutboundDb.mismatch(.err(dbError), try OutboundDb.functionType(v4.interface, "[method]connection.execute").result!) == nil)
        #expect(
            dbError
                == .variant(
                    case: 2,
                    payload: .variant(
                        case: 1,
                        payload: .record([
                            .string("q"), .string("ERROR"), .string("23505"), .string("m"), .option(.string("d")),
                            .list([.tuple([.string("hint"), .string("h")]), .tuple([.string("table"), .string("tab")])]),
                        ]))))
        #expect(SpinPostgresInterfaces.typeName(oid: 2950) == "uuid")
        #expect(SpinPostgresInterfaces.typeName(oid: 99999) == "oid 99999")
    }
}
