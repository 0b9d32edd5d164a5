import Firewall
import Foundation
import Testing

/// Real TCP traffic through the DNAT rule, on loopback inside a throwaway namespace.
@Suite("Forwarded traffic", .enabled(if: TestNamespace.isUsable && EchoServer.python != nil))
struct ForwardingTrafficTests {
    /// The backends by name, each made for the namespace.
    static func forwarder(_ backend: String, in ns: TestNamespace) -> any PortForwarder {
        backend == "nftables" ? NftablesForwarder(networkNamespace: ns.name) : IptablesForwarder(networkNamespace: ns.name)
    }

    @Test(arguments: ["iptables", "nftables"])
    func bytesArriveThroughTheRuleAndStopAfterRemove(backend: String) async throws {
        try await TestNamespace.with { ns in
            let targetPort = 6900, publicPort = 46900
            let server = try EchoServer(namespace: ns, port: targetPort)
            defer { server.stop() }
            try await EchoServer.waitUntilListening(in: ns, port: targetPort)

            // Locally made connections take the output hook; client and public address are 127.0.0.1.
            let rule = ForwardRule(
                sessionID: "traffic-1", clientAddress: "127.0.0.1", publicAddress: "127.0.0.1",
                publicPort: publicPort, targetAddress: "127.0.0.1", targetPort: targetPort
            )
            let forwarder = Self.forwarder(backend, in: ns)
            #expect(try await EchoServer.send("before", to: publicPort, in: ns) == "refused")

            try await forwarder.install(rule)
            #expect(try await EchoServer.send("hello saffron", to: publicPort, in: ns) == "hello saffron")

            #expect(try await Self.trackedFlows(to: publicPort, in: ns) > 0)

            // A connection established through the rule, cut when the rule goes.
            let connected = "/tmp/saffron-held-\(backend)-\(publicPort)-connected", proceed = "/tmp/saffron-held-\(backend)-\(publicPort)-go"
            for path in [connected, proceed] { unlink(path) }
            defer { for path in [connected, proceed] { unlink(path) } }
            let held = Task { try await ns.run([EchoServer.python!, "-c", EchoServer.heldClientScript, String(publicPort), connected, proceed]) }
            let deadline = ContinuousClock.now + .seconds(10)
            while !FileManager.default.fileExists(atPath: connected), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await forwarder.remove(rule)
            FileManager.default.createFile(atPath: proceed, contents: nil)
            let heldOutput = try await held.value.stdout
            #expect(heldOutput == "one reset" || heldOutput == "one closed", "the established connection must be cut: \(heldOutput)")
            #expect(try await EchoServer.send("after", to: publicPort, in: ns) == "refused")
            #expect(try await EchoServer.send("direct", to: targetPort, in: ns) == "direct")
        }
    }

    /// How many connection-tracking entries the namespace holds for TCP flows to `port` on 127.0.0.1.
    static func trackedFlows(to port: Int, in ns: TestNamespace) async throws -> Int {
        let result = try await ns.run([
            "conntrack", "-L", "-p", "tcp", "--orig-dst", "127.0.0.1", "--orig-port-dst", String(port),
        ])
        return result.stdout.split(separator: "\n").filter { $0.contains("dport=\(port)") }.count
    }
}
