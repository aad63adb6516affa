import WasmComponents

/// A `network` resource: the only socket object a guest can get here.
public final class HostNetwork {}

/// `wasi:sockets` 0.2: defined in full so that components importing it link, but guests get
/// no sockets: creating one is `access-denied`, every socket operation `not-supported`.
/// (Outbound network access goes through `wasi:http/outgoing-handler` and the allow-list.)
///
/// WIT: `spin_sdk/wit/deps/sockets/*.wit` (wasi:sockets@0.2.0).
public enum WASISockets {
    public static let network = "wasi:sockets/network@0.2.0"
    public static let instanceNetwork = "wasi:sockets/instance-network@0.2.0"
    public static let ipNameLookup = "wasi:sockets/ip-name-lookup@0.2.0"
    public static let tcp = "wasi:sockets/tcp@0.2.0"
    public static let tcpCreateSocket = "wasi:sockets/tcp-create-socket@0.2.0"
    public static let udp = "wasi:sockets/udp@0.2.0"
    public static let udpCreateSocket = "wasi:sockets/udp-create-socket@0.2.0"

    /// `error-code` cases of `wasi:sockets/network`.
    public static let accessDenied = ComponentValue.enumeration(1)
    public static let notSupported = ComponentValue.enumeration(2)

    /// The `tcp-socket` methods that return `result<_, error-code>` (all answer `not-supported`).
    static let tcpResultMethods = [
        "start-bind", "finish-bind", "start-connect", "finish-connect", "start-listen", "finish-listen", "accept",
        "local-address", "remote-address", "set-listen-backlog-size", "keep-alive-enabled", "set-keep-alive-enabled",
        "keep-alive-idle-time", "set-keep-alive-idle-time", "keep-alive-interval", "set-keep-alive-interval",
        "keep-alive-count", "set-keep-alive-count", "hop-limit", "set-hop-limit", "receive-buffer-size",
        "set-receive-buffer-size", "send-buffer-size", "set-send-buffer-size", "shutdown",
    ]
    static let udpResultMethods = [
        "start-bind", "finish-bind", "stream", "local-address", "remote-address", "unicast-hop-limit",
        "set-unicast-hop-limit", "receive-buffer-size", "set-receive-buffer-size", "send-buffer-size",
        "set-send-buffer-size",
    ]

    static func define(_ d: inout WASIP2Definitions) {
        d.resource(network, "network")
        d.function(instanceNetwork, "instance-network") { c, _ in c.own(HostNetwork()) }

        d.resource(ipNameLookup, "resolve-address-stream")
        d.function(ipNameLookup, "resolve-addresses") { _, _ in .err(accessDenied) }
        d.function(ipNameLookup, "[method]resolve-address-stream.resolve-next-address") { _, _ in .err(notSupported) }
        d.function(ipNameLookup, "[method]resolve-address-stream.subscribe") { c, _ in c.own(HostPollable(.ready)) }

        d.resource(tcp, "tcp-socket")
        for m in tcpResultMethods {
            d.function(tcp, "[method]tcp-socket.\(m)") { _, _ in .err(notSupported) }
        }
        d.function(tcp, "[method]tcp-socket.is-listening") { _, _ in .bool(false) }
        d.function(tcp, "[method]tcp-socket.address-family") { _, _ in .enumeration(0) }
        d.function(tcp, "[method]tcp-socket.subscribe") { c, _ in c.own(HostPollable(.ready)) }
        d.function(tcpCreateSocket, "create-tcp-socket") { _, _ in .err(accessDenied) }

        d.resource(udp, "udp-socket")
        d.resource(udp, "incoming-datagram-stream")
        d.resource(udp, "outgoing-datagram-stream")
        for m in udpResultMethods {
            d.function(udp, "[method]udp-socket.\(m)") { _, _ in .err(notSupported) }
        }
        d.function(udp, "[method]udp-socket.address-family") { _, _ in .enumeration(0) }
        d.function(udp, "[method]udp-socket.subscribe") { c, _ in c.own(HostPollable(.ready)) }
        d.function(udp, "[method]incoming-datagram-stream.receive") { _, _ in .err(notSupported) }
        d.function(udp, "[method]incoming-datagram-stream.subscribe") { c, _ in c.own(HostPollable(.ready)) }
        d.function(udp, "[method]outgoing-datagram-stream.check-send") { _, _ in .err(notSupported) }
        d.function(udp, "[method]outgoing-datagram-stream.send") { _, _ in .err(notSupported) }
        d.function(udp, "[method]outgoing-datagram-stream.subscribe") { c, _ in c.own(HostPollable(.ready)) }
        d.function(udpCreateSocket, "create-udp-socket") { _, _ in .err(accessDenied) }
    }
}
