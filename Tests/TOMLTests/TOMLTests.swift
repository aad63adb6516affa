import Testing

@testable import TOML

@Suite struct TOMLTests {
    @Test func positionsOfKeysAndValues() throws {
        let doc = """
            # comment
            name = "app"
            [component.trigger]
              route = "/hello"
            arr = [
              1,
                 2,
            ]
            """
        let t = try TOML.parse(doc)
        #expect(t.keyPosition("name") == TOMLPosition(line: 2, column: 1))
        #expect(t.valuePosition("name") == TOMLPosition(line: 2, column: 8))
        let comp = try #require(t["component"]?.tableValue)
        let trig = try #require(comp["trigger"]?.tableValue)
        #expect(trig.position.line == 3)
        #expect(trig.keyPosition("route") == TOMLPosition(line: 4, column: 3))
        let arr = try #require(trig["arr"]?.arrayValue)
        #expect(arr.positions.map(\.line) == [6, 7])
        #expect(arr.positions[1].column == 6)
    }

    @Test func errorMessagesNameLineAndColumn() {
        #expect(throws: TOMLError.self) { try TOML.parse("a = 1\nb 2") }
        do {
            _ = try TOML.parse("a = 1\n\nkey 2")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 5)
            #expect(error.description == "line 3, column 5: expected '=' after key `key`, found '2'")
        }
        do {
            _ = try TOML.parse("[a]\nx = 1\n[a]\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.message.contains("already defined at line 1"))
        }
        do {
            _ = try TOML.parse("s = \"é\\q\"")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1)
            #expect(error.column == 7)  // the backslash, counting é as one column
            #expect(error.message.contains("invalid escape"))
        }
    }

    @Test func valueKinds() throws {
        let t = try TOML.parse(
            """
            i = 0xDEAD_beef
            o = 0o17
            b = 0b101
            f = -6.5e-3
            n = nan
            inf = -inf
            odt = 1979-05-27 07:32:00.5-07:00
            ldt = 1979-05-27T07:32:00
            ld = 1979-05-27
            lt = 07:32:00.123456789
            s = '''
            raw \\n'''
            m = \"\"\"
            one \\
               two\"\"\"
            inline = { a.b = 1, c = [1, "x", { d = true }] }
            """)
        #expect(t["i"] == .integer(0xDEADBEEF))
        #expect(t["o"] == .integer(15))
        #expect(t["b"] == .integer(5))
        #expect(t["f"] == .float(-6.5e-3))
        #expect(t["n"]?.floatValue?.isNaN == true)
        #expect(t["inf"] == .float(-.infinity))
        guard case .offsetDateTime(let odt) = t["odt"] else { Issue.record("odt"); return }
        #expect(odt.description == "1979-05-27T07:32:00.500-07:00")
        #expect(t["ldt"].map { "\($0)" }?.contains("localDateTime") == true)
        #expect(t["ld"] == .localDate(TOMLDate(year: 1979, month: 5, day: 27)))
        guard case .localTime(let lt) = t["lt"] else { Issue.record("lt"); return }
        #expect(lt.nanosecond == 123_456_789)
        #expect(lt.description == "07:32:00.123456789")
        #expect(t["s"] == .string("raw \\n"))
        #expect(t["m"] == .string("one two"))
        let inline = try #require(t["inline"]?.tableValue)
        #expect(inline["a"]?.tableValue?["b"] == .integer(1))
        #expect(inline["c"]?.arrayValue?.count == 3)
    }

    @Test(arguments: [
        "a = 9223372036854775808",
        "a = 0x1_0000_0000_0000_0000",
        "a = {b = 1}\na.c = 2",
        "a = {b = 1}\n[a.c]",
        "[a.b]\n[a]\nb.c = 1",
        "a = [1]\n[[a]]",
        "a = 2021-02-29",
        "a = 24:00:00",
        "a = \"\\uD800\"",
        "a = 1__0",
        "a = 01",
        "a = { b = 1, }",
        "a = { b = 1,\n c = 2 }",
        "a = 1\r",
        "a = \"\u{7F}\"",
        "\"\"\"key\"\"\" = 1",
    ])
    func rejects(_ doc: String) {
        #expect(throws: TOMLError.self) { try TOML.parse(doc) }
    }

    @Test func invalidUTF8IsRejectedWithPosition() {
        do {
            _ = try TOML.parse(bytes: Array("a = 1\nb = \"".utf8) + [0xC3, 0x28, 0x22])
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message == "invalid UTF-8")
        }
    }

    @Test func deepNestingIsBoundedNotACrash() throws {
        let ok = "a = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        _ = try TOML.parse(ok)
        let tooDeep = "a = " + String(repeating: "[", count: 100_000)
        #expect(throws: TOMLError.self) { try TOML.parse(tooDeep) }
        let inline = "a = " + String(repeating: "{b=", count: 100_000)
        #expect(throws: TOMLError.self) { try TOML.parse(inline) }
    }

    @Test func bomIsSkipped() throws {
        let t = try TOML.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a = 1".utf8))
        #expect(t["a"] == .integer(1))
        #expect(t.keyPosition("a") == TOMLPosition(line: 1, column: 1))
    }

    /// Negative control for the conformance runner: mismatches are detected.
    @Test func taggedJSONComparisonDetectsMismatches() {
        #expect(TaggedJSON.compare(.integer(1), ["type": "integer", "value": "2"], path: "") != nil)
        #expect(TaggedJSON.compare(.float(1), ["type": "integer", "value": "1"], path: "") != nil)
        #expect(TaggedJSON.compare(.float(1e6), ["type": "float", "value": "1e+06"], path: "") == nil)
        let odt = TOMLValue.offsetDateTime(
            TOMLDateTime(
                date: TOMLDate(year: 1979, month: 5, day: 27),
                time: TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 0))
        #expect(TaggedJSON.compare(odt, ["type": "datetime", "value": "1979-05-27T07:32:00Z"], path: "") == nil)
        #expect(TaggedJSON.compare(odt, ["type": "datetime", "value": "1979-05-27T07:32:01Z"], path: "") != nil)
        var t = TOMLTable()
        t.set("a", .integer(1))
        #expect(TaggedJSON.compare(.table(t), [String: Any](), path: "") != nil)
    }
}
