import Foundation
import Testing

extension EndToEnd {
    /// The CONNECT proxy on the gateway: remote-viewer in the client namespace reaches its desktop through it, and it
    /// opens nothing else.
    @Suite struct ConnectProxy {
        static let proxyURL = "http://\(Topology.gatewayPublicAddress):\(BrokerUnderTest.proxyPort)"

        @Test("remote-viewer through the CONNECT proxy shows the desktop of a proxy pool; ending the session cuts it")
        func viewerThroughProxy() throws {
            try BrokerFixture.run("connect-proxy") { broker in
                try broker.cli(["pool", "set", BrokerFixture.pool, "--console-via", "proxy"])
                let token = try API.login(TestUsers.alice)
                let session = try #require(try API.requestDesktop(BrokerFixture.pool, token: token).1)
                #expect(try Topology.dnatRule(session: session.id) == nil, "a proxy pool's session forwards no port")
                let console = try API.console(session.id, token: token)
                #expect(console.status == 200)
                let keys = VirtViewerFile.parse(console.text)
                #expect(keys["proxy"] == Self.proxyURL)
                #expect(keys["host"] == Topology.hypervisorAddress, "the .vv names the desktop's own SPICE endpoint")
                #expect(try API.console(session.id, token: token, via: "direct").status == 409)

                let viewer = try SessionViewer(session: session.id, token: token, label: "connect-proxy")
                defer { viewer.stop() }
                let shot = E2E.artifact("connect-proxy-viewer.png")
                try waitUntil("remote-viewer to show the guest through the proxy", timeout: 40, interval: 0.5) {
                    guard try viewer.display.windowNames().contains(where: { $0 != "Remote Viewer" }) else { return false }
                    try viewer.display.screenshot(to: shot)
                    return try ScreenMeasure.of(shot).showsGuestConsole
                }
                #expect(try SessionCut.viewerConnections(port: BrokerUnderTest.proxyPort) > 0)
                #expect(try SessionCut.viewerConnections(port: session.port) == 0, "nothing went through the DNAT port")

                let ended = Date()
                #expect(try API.release(session.id, token: token).status == 204)
                try waitUntil("remote-viewer's tunnels to close", timeout: 10, interval: 0.2) {
                    try SessionCut.viewerConnections(port: BrokerUnderTest.proxyPort) == 0
                }
                print("E2E (proxy): remote-viewer cut \(String(format: "%.1f", Date().timeIntervalSince(ended))) s after DELETE")
            }
        }

        @Test("the proxy refuses every endpoint but the client's own live session's, and reaches none of them")
        func forgedTargetsRefused() throws {
            try BrokerFixture.run("connect-proxy-forged") { broker in
                let otherClient = try Topology.addClientAddress(index: 3)
                let sentinel = try Sentinel(address: Topology.hypervisorAddress)
                defer { sentinel.stop() }

                let alice = try API.login(TestUsers.alice)
                let aliceSession = try #require(try API.requestDesktop(BrokerFixture.pool, token: alice).1)
                let aliceEndpoint = try Self.endpoint(of: aliceSession.id, token: alice)
                let other = TestUsers.crowd[0]
                let otherSession = try #require(
                    try Self.requestDesktop(for: try API.login(other), from: otherClient).1)
                let otherEndpoint = try Self.endpoint(of: otherSession.id, token: try API.login(other))
                #expect(otherSession.clientAddress == otherClient)

                #expect(try Self.connectStatus(to: aliceEndpoint) == 200)
                #expect(try Self.connectStatus(to: otherEndpoint, from: otherClient) == 200)
                let gateway = Topology.gatewayPublicAddress
                let forged: [(target: String, from: String, why: String)] = [
                    (otherEndpoint, Topology.clientAddress, "another client's session"),
                    (aliceEndpoint, otherClient, "alice's session from another address"),
                    ("\(gateway):\(BrokerUnderTest.httpPort)", Topology.clientAddress, "the broker's API"),
                    ("\(gateway):\(BrokerUnderTest.proxyPort)", Topology.clientAddress, "the proxy itself"),
                    ("\(gateway):\(BrokerUnderTest.webSocketPort)", Topology.clientAddress, "the WebSocket gateway"),
                    ("127.0.0.1:\(BrokerUnderTest.httpPort)", Topology.clientAddress, "loopback"),
                    ("\(sentinel.address):\(sentinel.port)", Topology.clientAddress, "a hypervisor port outside the pool"),
                    ("\(gateway):\(aliceSession.port)", Topology.clientAddress, "alice's public DNAT port"),
                ]
                for attempt in forged {
                    #expect(try Self.connectStatus(to: attempt.target, from: attempt.from) == 403, "\(attempt.why)")
                }
                #expect(try Self.connectStatus(to: "localhost:\(BrokerUnderTest.httpPort)") == 400)

                // Alice asks for her desktop from the other address: her session moves there, and what the proxy
                // granted her old address (it remembers grants) is forgotten at once.
                let moved = try #require(try Self.requestDesktop(for: alice, from: otherClient).1)
                #expect(moved.id == aliceSession.id && moved.clientAddress == otherClient)
                #expect(try Self.connectStatus(to: aliceEndpoint) == 403, "alice's old address after she moved")
                #expect(try Self.connectStatus(to: aliceEndpoint, from: otherClient) == 200, "alice's new address")

                #expect(try API.release(aliceSession.id, token: alice).status == 204)
                #expect(try Self.connectStatus(to: aliceEndpoint, from: otherClient) == 403, "an ended session's endpoint")
                #expect(sentinel.acceptedCount() == 0, "a refused tunnel reached the hypervisor")
                #expect(((try? String(contentsOf: broker.log, encoding: .utf8)) ?? "").contains("tunnel refused"))
            }
        }

        /// The desktop's SPICE endpoint (`ADDRESS:PORT`) from a console file asked for through the proxy.
        static func endpoint(of session: String, token: String) throws -> String {
            let keys = VirtViewerFile.parse(try API.console(session, token: token, via: "proxy").text)
            guard let host = keys["host"], let port = keys["port"] else {
                throw CommandError(description: "the proxy console file of \(session) has no host or port")
            }
            return "\(host):\(port)"
        }

        /// The status the proxy answers curl's CONNECT to `target` from `address` in the client namespace.
        static func connectStatus(to target: String, from address: String = Topology.clientAddress) throws -> Int {
            let result = try Command.run(Topology.inClient([
                "curl", "-sS", "-o", "/dev/null", "--max-time", "5", "--interface", address, "-w", "%{http_connect}",
                "--proxytunnel", "--proxy", proxyURL, "http://\(target)/",
            ]))
            return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        /// `POST /api/v1/pools/{pool}/desktop` sent from another address of the client namespace.
        static func requestDesktop(for token: String, from address: String) throws -> (Int, DesktopSession?) {
            let body = Scratch.file("proxy-desktop-body")
            let result = try Command.run(Topology.inClient([
                "curl", "-sS", "--max-time", "60", "--interface", address, "-o", body.path, "-w", "%{http_code}",
                "-X", "POST", "-H", "Authorization: Bearer \(token)",
                "\(API.base)/api/v1/pools/\(BrokerFixture.pool)/desktop",
            ]), timeout: 90)
            let data = (try? Data(contentsOf: body)) ?? Data()
            return (Int(result.output) ?? -1, try? JSONDecoder().decode(DesktopSession.self, from: data))
        }
    }
}
