import Foundation
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2
import Testing

/// `wasi:cli`, `wasi:clocks`, `wasi:random`, `wasi:sockets`, and that the definitions cover
/// what real components import.
struct InterfaceTests {
    @Test func environmentArgumentsAndExit() throws {
        let f = try P2Fixture(environment: ["B": "2", "A": "1"], args: ["prog", "x"])
        #expect(
            try f.call("wasi:cli/environment", "get-environment")
                == .list([.tuple([.string("A"), .string("1")]), .tuple([.string("B"), .string("2")])]))
        #expect(try f.call("wasi:cli/environment", "get-arguments") == .list([.string("prog"), .string("x")]))
        #expect(try f.call("wasi:cli/environment", "initial-cwd") == .option(nil))
        #expect(throws: WASIExit(code: 0)) { try f.call("wasi:cli/exit", "exit", [.ok(nil)]) }
        #expect(throws: WASIExit(code: 1)) { try f.call("wasi:cli/exit", "exit", [.err(nil)]) }
        #expect(try f.call("wasi:cli/terminal-stdout", "get-terminal-stdout") == .option(nil))
    }

    @Test func clocksAndRandom() throws {
        let f = try P2Fixture()
        guard case .u64(let a)? = try f.call("wasi:clocks/monotonic-clock", "now"),
            case .u64(let b)? = try f.call("wasi:clocks/monotonic-clock", "now")
        else { Issue.record("monotonic now"); return }
        #expect(b >= a)
        guard case .record(let wall)? = try f.call("wasi:clocks/wall-clock", "now"), case .u64(let seconds) = wall[0] else {
            Issue.record("wall now")
            return
        }
        #expect(abs(Double(seconds) - Date().timeIntervalSince1970) < 5)
        guard case .bytes(let r1)? = try f.call("wasi:random/random", "get-random-bytes", [.u64(32)]),
            case .bytes(let r2)? = try f.call("wasi:random/insecure", "get-insecure-random-bytes", [.u64(32)])
        else { Issue.record("random bytes"); return }
        #expect(r1.count == 32 && r2.count == 32 && r1 != r2)
        guard case .tuple(let seed)? = try f.call("wasi:random/insecure-seed", "insecure-seed") else {
            Issue.record("seed")
            return
        }
        #expect(seed.count == 2)
        #expect(throws: Trap.self) { try f.call("wasi:random/random", "get-random-bytes", [.u64(1 << 40)]) }
    }

    @Test func socketsAnswerErrorCodesNeverTrap() throws {
        let f = try P2Fixture()
        let network = try #require(P2Fixture.rep(try f.call("wasi:sockets/instance-network", "instance-network")))
        #expect(try f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", [.enumeration(0)]) == .err(.enumeration(1)))
        #expect(try f.call("wasi:sockets/udp-create-socket", "create-udp-socket", [.enumeration(1)]) == .err(.enumeration(1)))
        #expect(
            try f.call("wasi:sockets/ip-name-lookup", "resolve-addresses", [.borrow(network), .string("example.com")])
                == .err(.enumeration(1)))
        // Every function of every wasi:sockets interface is defined and answers.
        let sockets = WASIP2.definitions.functions.filter { $0.interface.hasPrefix("wasi:sockets/") }
        // instance-network 1, ip-name-lookup 3, tcp 28, tcp-create-socket 1, udp 18, udp-create-socket 1 (0.2.0 WIT).
        #expect(sockets.count == 52)
        for function in sockets where function.name.hasPrefix("[method]") {
            #expect(throws: Never.self) { _ = try function(f.context, [.borrow(network), .u64(0), .u64(0)]) }
        }
    }

    /// The WIT the committed components were built against names every function they import;
    /// every one of them is defined here, under the 0.2.0 interface.
    @Test(arguments: ["c-zig-nostdio", "c-zig-stdio"])
    func definitionsCoverTheFixtureImports(_ name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(root)/Fixtures/components/\(name).wasm")))
        let component = try Component(bytes: bytes)
        var checked = 0
        for (importName, entity) in component.imports {
            guard case .instance(let t) = entity, !importName.hasPrefix("wasi:http/"),
                let type = component.types.instance(t)
            else { continue }
            let interface = String(importName.split(separator: "@")[0]) + "@0.2.0"
            for (member, e) in type.exports {
                if case .function = e {
                    #expect(WASIP2.definitions.function(interface, member) != nil, "\(interface) \(member)")
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
    }
}
