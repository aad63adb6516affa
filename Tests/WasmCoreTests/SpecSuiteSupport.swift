import Foundation
import Testing
import WasmCore

/// Access to the converted official spec suite in `../shared/wasm-spec-tests/core`.
enum SpecSuite {
    /// `<package>/../shared/wasm-spec-tests/core`.
    static let coreDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // WasmCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/wasm-spec-tests/core")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: coreDirectory.appendingPathComponent("binary.json").path)
    }

    static let skipMessage: Comment = "../shared/wasm-spec-tests/core is absent: spec-suite test skipped"

    struct Command {
        var file: String
        var line: Int
        var type: String
        var filename: String?
        var text: String?
        var moduleType: String?
        var key: String { "\(file):\(line)" }
    }

    /// Every command of every non-SIMD core script (or of the SIMD ones only).
    static func commands(simd: Bool = false) throws -> [Command] {
        let names = try FileManager.default.contentsOfDirectory(atPath: coreDirectory.path)
            .filter { $0.hasSuffix(".json") && $0.hasPrefix("simd_") == simd }
            .sorted()
        var result: [Command] = []
        for name in names {
            let data = try Data(contentsOf: coreDirectory.appendingPathComponent(name))
            guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let commands = root["commands"] as? [[String: Any]]
            else { continue }
            for c in commands {
                result.append(
                    Command(
                        file: String(name.dropLast(5)),
                        line: c["line"] as? Int ?? 0,
                        type: c["type"] as? String ?? "",
                        filename: c["filename"] as? String,
                        text: c["text"] as? String,
                        moduleType: c["module_type"] as? String))
            }
        }
        return result
    }

    static func bytes(_ filename: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: coreDirectory.appendingPathComponent(filename)))
    }

    enum Outcome: Equatable {
        case accepted
        case malformed(String)
        case invalid(String)

        var message: String? {
            switch self {
            case .accepted: nil
            case .malformed(let m), .invalid(let m): m
            }
        }
    }

    /// Runs `ModuleDecoder.decode` then `ModuleValidator.validate`.
    static func check(_ bytes: [UInt8]) -> Outcome {
        let info: ModuleInfo
        do {
            // core/ is the Wasm 2.0 suite: its malformed and invalid modules assume 2.0's features.
            info = try ModuleDecoder.decode(bytes, features: .wasm2)
        } catch {
            return .malformed(error.message)
        }
        do {
            _ = try ModuleValidator.validate(info)
        } catch {
            return .invalid(error.message)
        }
        return .accepted
    }

    /// The reference interpreter's rule: the expected text is a prefix of the message.
    static func matches(_ message: String, _ expected: String) -> Bool {
        message.hasPrefix(expected)
    }
}
