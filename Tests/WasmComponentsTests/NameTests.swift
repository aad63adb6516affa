import Testing

@testable import WasmComponents

@Suite("Extern names and semver")
struct NameTests {
    @Test func kebabCase() {
        for ok in ["a", "a1", "a-1", "a-b-c", "A", "A-B", "a11-B11-123-ABC-abc", "get-JSON"] {
            #expect(ComponentName.isKebabCase(ok), "\(ok)")
        }
        for bad in ["", "1", "1-a", "a-", "a--b", "aBc", "a_b", "-a"] {
            #expect(!ComponentName.isKebabCase(bad), "\(bad)")
        }
    }

    @Test func parsesNameForms() throws {
        #expect(try ComponentName.parse("[constructor]fields") == .constructor(resource: "fields"))
        #expect(try ComponentName.parse("[method]fields.append") == .method(resource: "fields", name: "append"))
        #expect(try ComponentName.parse("[static]body.finish") == .static(resource: "body", name: "finish"))
        guard case .interface(let i) = try ComponentName.parse("wasi:http/types@0.2.0") else {
            Issue.record("not an interface")
            return
        }
        #expect(i.namespace == "wasi" && i.package == "http" && i.interface == "types")
        #expect(i.version == Semver(0, 2, 0))
        #expect(i.description == "wasi:http/types@0.2.0")
    }

    @Test func invalidNamesSayWhy() {
        func why(_ s: String) -> String? {
            do {
                _ = try ComponentName.parse(s)
                return nil
            } catch { return error.message }
        }
        #expect(why("[method]a") == "failed to find `.` character")
        #expect(why("wasi:HtTp/types") == "`HtTp` is not in kebab case")
        #expect(why("ns:A/b")?.hasPrefix("character `A` is not lowercase") == true)
        #expect(why("foo:bar:baz/qux") == "expected `/` after package name")
        #expect(why("foo:bar/baz/qux") == "trailing characters found: `/qux`")
        #expect(why("a:b/c@1.") == "invalid interface version: unexpected end of input while parsing minor version number")
    }

    @Test func semverParsing() throws {
        #expect(try Semver(parsing: "1.2.3-rc.1+build.5") == Semver(1, 2, 3, preRelease: ["rc", "1"], build: ["build", "5"]))
        func why(_ s: String) -> String? {
            do {
                _ = try Semver(parsing: s)
                return nil
            } catch { return error.message }
        }
        #expect(why("") == "empty string, expected a semver version")
        #expect(why("a.2") == "unexpected character 'a' while parsing major version number")
        #expect(why("2.0x0") == "unexpected character 'x' after minor version number")
        #expect(why("2.0.0+") == "empty identifier segment in build metadata")
        #expect(why("01.0.0") == "invalid leading zero in major version number")
        #expect(why("1.0.0-01") == "invalid leading zero in pre-release identifier")
        #expect(why("1.2.3.4") == "unexpected character '.' after patch version number")
    }

    /// A host's `wasi:http/types@0.2.0` serves a guest asking for `@0.2.9` (and the other way
    /// round): the same major, and for 0.x the same minor, as wasmtime matches imports.
    @Test func semverCompatibleInterfaceMatching() throws {
        func name(_ s: String) -> ComponentInterfaceName { ComponentInterfaceName(s)! }
        #expect(name("wasi:http/types@0.2.0").satisfies(name("wasi:http/types@0.2.9")))
        #expect(name("wasi:http/types@0.2.9").satisfies(name("wasi:http/types@0.2.0")))
        #expect(!name("wasi:http/types@0.3.0").satisfies(name("wasi:http/types@0.2.9")))
        #expect(!name("wasi:http/types@0.2.0").satisfies(name("wasi:http/handler@0.2.0")))
        #expect(!name("wasi:io/types@0.2.0").satisfies(name("wasi:http/types@0.2.0")))
        #expect(name("a:b/c@1.0.0").satisfies(name("a:b/c@1.9.3")))
        #expect(!name("a:b/c@2.0.0").satisfies(name("a:b/c@1.9.3")))
        #expect(!name("a:b/c@0.0.1").satisfies(name("a:b/c@0.0.2")))
        #expect(!name("a:b/c@0.2.0-rc.1").satisfies(name("a:b/c@0.2.0")))
        #expect(!name("a:b/c").satisfies(name("a:b/c@0.2.0")))
        #expect(name("a:b/c").satisfies(name("a:b/c")))
        let provided = ["wasi:http/types@0.2.0", "wasi:http/types@0.2.3", "wasi:http/types@0.3.0"].map(name)
        #expect(ComponentInterfaceName.bestMatch(for: name("wasi:http/types@0.2.9"), among: provided) == name("wasi:http/types@0.2.3"))
        #expect(ComponentInterfaceName.bestMatch(for: name("wasi:http/types@0.2.0"), among: provided) == name("wasi:http/types@0.2.0"))
        #expect(ComponentInterfaceName.bestMatch(for: name("wasi:http/types@0.4.0"), among: provided) == nil)
        #expect(Semver(0, 2, 9).compatibilityKey == "0.2")
        #expect(Semver(1, 4, 0).compatibilityKey == "1")
    }

    @Test func strongUniquenessKeys() {
        #expect(ComponentName.uniquenessKey("FOO") == ComponentName.uniquenessKey("foo"))
        #expect(ComponentName.uniquenessKey("[method]a.a") == "a")
        #expect(ComponentName.uniquenessKey("[static]a.b") == ComponentName.uniquenessKey("[method]a.b"))
        #expect(ComponentName.uniquenessKey("[constructor]a") != "a")
        #expect(ComponentName.uniquenessKey("a-1") != ComponentName.uniquenessKey("a1"))
    }
}
