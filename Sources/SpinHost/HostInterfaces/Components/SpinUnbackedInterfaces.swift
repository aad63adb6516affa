import WasmComponents
import WasmWASIP2

/// The Spin 2.x interfaces this host has no back-end for — `fermyon:spin/llm@2.0.0`,
/// `fermyon:spin/mqtt@2.0.0`, `fermyon:spin/mysql@2.0.0` — defined with their exact WIT shapes so
/// SDK components link, every call answering with the interface's own error value (never a
/// trap), and a line in the app log naming the component and the call.
///
/// - llm: a model missing from the component's `ai_models` is `invalid-input` with Spin's
///   access-denied text; any other is `runtime-error` saying there is no LLM back-end.
/// - mqtt: `open` is `connection-failed`; `publish` (unreachable without a connection) `other`.
/// - mysql: `open` is `connection-failed` (`rdbms-types` error); `query`/`execute` `other`.
///   Addresses are never echoed: they may hold credentials.
///
/// WIT: spin-sdk 3.4.1 `spin_sdk/wit/{llm,mqtt,mysql,rdbms-types}.wit`. The `spin:mqtt@3.0.0`
/// and `spin:mysql@3.0.0` interfaces (spin-sdk 5.x) are `async func`s: not provided here.
public enum SpinUnbackedInterfaces {
    public static let llm = "fermyon:spin/llm@2.0.0"
    public static let mqtt = "fermyon:spin/mqtt@2.0.0"
    public static let mysql = "fermyon:spin/mysql@2.0.0"

    static let noLLM = "this host has no LLM back-end: inferencing and embeddings are not supported"
    static let noMQTT = "this host has no MQTT back-end: MQTT connections are not supported"
    static let noMySQL = "this host has no MySQL back-end: MySQL connections are not supported"

    /// Writes `message` to the app log for a call of `function`, when the host has app services.
    static func log(_ c: WASIP2Context, _ function: String, _ message: String) {
        guard let guest = ComponentVariables.guest(c) else { return }
        guest.services.log.write("[\(guest.component.id)] \(function): \(message)")
    }

    /// Adds the three interfaces to `d`.
    public static func define(_ d: inout WASIP2Definitions) {
        defineLLM(&d)
        defineMQTT(&d)
        defineMySQL(&d)
    }

    /// The `llm::error` for `model`: `invalid-input` (2) when the component may not use it,
    /// else `runtime-error` (1).
    static func llmError(_ c: WASIP2Context, model: String, function: String) -> ComponentValue {
        let message: String
        let caseIndex: Int
        if let guest = ComponentVariables.guest(c), !guest.component.aiModels.contains(model) {
            message =
                "The component does not have access to use '\(model)'. To give the component access, add '\(model)' to the 'ai_models' key for the component in your spin.toml manifest"
            caseIndex = 2
        } else {
            message = noLLM
            caseIndex = 1
        }
        log(c, "\(llm)#\(function)", message)
        return .err(.variant(case: caseIndex, payload: .string(message)))
    }

    static func defineLLM(_ d: inout WASIP2Definitions) {
        d.function(llm, "infer") { c, a in llmError(c, model: try a.string(0), function: "infer") }
        d.function(llm, "generate-embeddings") { c, a in
            llmError(c, model: try a.string(0), function: "generate-embeddings")
        }
    }

    static func defineMQTT(_ d: inout WASIP2Definitions) {
        d.resource(mqtt, "connection")
        // error: invalid-address 0, too-many-connections 1, connection-failed(string) 2, other(string) 3.
        d.function(mqtt, "[static]connection.open") { c, _ in
            log(c, "\(mqtt)#[static]connection.open", noMQTT)
            return .err(.variant(case: 2, payload: .string(noMQTT)))
        }
        d.function(mqtt, "[method]connection.publish") { c, _ in
            log(c, "\(mqtt)#[method]connection.publish", noMQTT)
            return .err(.variant(case: 3, payload: .string(noMQTT)))
        }
    }

    static func defineMySQL(_ d: inout WASIP2Definitions) {
        d.resource(mysql, "connection")
        // rdbms-types error: connection-failed 0, bad-parameter 1, query-failed 2,
        // value-conversion-failed 3, other 4 (each with a string).
        d.function(mysql, "[static]connection.open") { c, _ in
            log(c, "\(mysql)#[static]connection.open", noMySQL)
            return .err(.variant(case: 0, payload: .string(noMySQL)))
        }
        for name in ["[method]connection.query", "[method]connection.execute"] {
            d.function(mysql, name) { c, _ in
                log(c, "\(mysql)#\(name)", noMySQL)
                return .err(.variant(case: 4, payload: .string(noMySQL)))
            }
        }
    }
}
