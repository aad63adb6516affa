import Foundation
import Testing
import WasmCore

@testable import WasmComponents

/// The positional core wiring (CoreWiring.swift) against the name path it replaces: hand-written
/// near-misses (`Fixtures/components/wiring/*.wat`, results recorded from `wasmtime run` by its
/// build.sh) run in all three modes — `.names` (the reference, ignoring the plan), `.positions`
/// (what runs) and `.checked` (each positional lookup also done by name, a difference throws) —
/// and must return wasmtime's value in each. Real components: SpinHost's CoreWiringRealComponentTests.
@Suite struct CoreWiringTests {
    static let directory = FixtureTests.fixtures + "/wiring"
    static let modes: [WiringMode] = [.names, .positions, .checked]

    /// `name run` lines from build.sh's wasmtime runs.
    static func expected() throws -> [String: UInt32] {
        let text = try String(contentsOfFile: directory + "/expected.txt", encoding: .utf8)
        var result: [String: UInt32] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let v = UInt32(parts[1]) { result[String(parts[0])] = v }
        }
        return result
    }

    static func linked(_ name: String) throws -> LinkedComponent {
        let component = try Component(bytes: try FixtureTests.load(directory + "/\(name).wasm"))
        return try ComponentLinker().link(component)
    }

    static func run(_ linked: LinkedComponent, _ mode: WiringMode, _ function: String = "run") throws -> ComponentValue? {
        let instance = try linked.instantiate(in: Store(), wiring: mode)
        let run = try #require(instance.function(interface: nil, name: function))
        return try run.call([])
    }

    @Test(arguments: ["order", "bag", "nested"])
    func everyModeReturnsWasmtimesValue(_ name: String) throws {
        let want = try #require(try Self.expected()[name], "expected.txt has no line for \(name)")
        let linked = try Self.linked(name)
        for mode in Self.modes {
            #expect(try Self.run(linked, mode) == .u32(want), "\(name) with wiring \(mode)")
        }
        if name == "nested" {
            let inner = try #require(try Self.expected()["nested-inner"], "expected.txt has no line for nested-inner")
            for mode in Self.modes {
                #expect(try Self.run(linked, mode, "inner-run") == .u32(inner), "inner-run with wiring \(mode)")
            }
        }
    }

    /// What linking resolved by position: everything in `order` and `bag`; in `nested`, all but
    /// the instantiation of the module taken from a component instance's export (unknown when
    /// linking) and the one that imports from it — which must still run, by name, with every
    /// later index lined up.
    @Test func coverageSaysWhatWasResolvedAndWhatFellBack() throws {
        let order = try Self.linked("order").wiringCoverage
        #expect(order.instantiations == (2, 2) && order.aliases == (1, 1), "\(order)")
        let bag = try Self.linked("bag").wiringCoverage
        #expect(bag.instantiations == (2, 2) && bag.aliases == (3, 3), "\(bag)")
        let nested = try Self.linked("nested").wiringCoverage
        // Outer: $a, $b (the exported copy of $B), $c (module from `alias export`: by name),
        // $sum (an argument is $c, whose exports linking cannot know: by name); inner: $a, $b.
        // Aliases: outer $sum "sum"; inner $b "run".
        #expect(nested.instantiations == (4, 6) && nested.aliases == (2, 2), "\(nested)")
    }

    /// A plan that does not match the instances it meets (here: every position claims another
    /// module) is not trusted: `.positions` falls back to names and still returns wasmtime's
    /// value; `.checked` reports the mismatch.
    @Test func aPlanForOtherModulesFallsBackToNames() throws {
        let linked = try Self.linked("order")
        let stranger = ObjectIdentifier(Store())
        var plans = linked.plans
        for (key, var plan) in plans {
            plan.wiring.instantiations = plan.wiring.instantiations.map { sources in
                sources?.map { CoreExportPosition(instance: $0.instance, position: $0.position, module: stranger) }
            }
            plan.wiring.aliasPositions = plan.wiring.aliasPositions.map { p in
                p.map { CoreExportPosition(instance: $0.instance, position: $0.position, module: stranger) }
            }
            plans[key] = plan
        }
        let wrong = LinkedComponent(component: linked.component, arguments: linked.arguments, plans: plans)
        let want = try #require(try Self.expected()["order"])
        #expect(try Self.run(wrong, .positions) == .u32(want))
        #expect(throws: WiringMismatch.self) { _ = try Self.run(wrong, .checked) }
    }

    /// An argument instance without an import's name: refused when the component is decoded (as
    /// wasm-tools refuses it); and were it let through, the name path would report it. Either way
    /// no mode may wire something else in its place.
    @Test func aMissingExportIsRefusedNamingIt() throws {
        let bytes = try FixtureTests.load(Self.directory + "/missing.wasm")
        do {
            let linked = try ComponentLinker().link(try Component(bytes: bytes))
            for mode in Self.modes {
                #expect {
                    _ = try linked.instantiate(in: Store(), wiring: mode)
                } throws: { "\($0)".contains("h") && "\($0)".contains("unknown import") }
            }
        } catch {
            #expect("\(error)".contains("`h`") || "\(error)".contains("\"h\"") || "\(error)".contains(" h"), "\(error)")
        }
    }

    /// A real component (the committed C handler) wires fully by position, and the checked mode
    /// finds every position equal to its name.
    @Test func theCHandlerWiresByPositionAndChecksOut() throws {
        let host = StubHTTPHost()
        let linked = try host.linker().link(try RuntimeFixtureTests.component())
        let c = linked.wiringCoverage
        #expect(c.instantiations.planned == c.instantiations.all && c.instantiations.all > 0, "\(c)")
        #expect(c.aliases.planned == c.aliases.all && c.aliases.all > 0, "\(c)")
        _ = try linked.instantiate(in: Store(), wiring: .checked)
    }
}
