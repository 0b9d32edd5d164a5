import Foundation
import Testing

extension EndToEnd {
    /// Browsers reach desktops through the WebSocket gateway; here a SPICE link handshake over the gateway stands
    /// in for spice-html5, from the client namespace, against the VM's real SPICE server.
    @Suite struct WebConsole {
        static let origin = BrokerUnderTest.portalOrigin

        @Test("a web-console token links one console to the desktop; forged, spent and foreign-origin attempts reach nothing")
        func tokensAndOrigins() throws {
            try BrokerFixture.run("web-console") { _ in
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)

                let grant = try WebConsoleGrant.request(session.id, token: token)
                #expect(grant.url.hasPrefix("ws://\(Topology.gatewayPublicAddress):\(BrokerUnderTest.webSocketPort)/ws/"))
                #expect(try SpiceLinkProbe.link(webSocket: grant.url, origin: Self.origin, ticket: grant.password,
                                                from: Topology.client) == .accepted)
                // spice-html5 opens every SPICE channel with the same URL: the token serves one console for a few
                // seconds after its first use, then it is spent.
                #expect(try SpiceLinkProbe.link(webSocket: grant.url, origin: Self.origin, ticket: grant.password,
                                                from: Topology.client) == .accepted, "a second channel of the console")
                let spent = try waitFor("the used token to be spent", timeout: 20, interval: 0.5) { () -> SpiceLinkOutcome? in
                    let outcome = try SpiceLinkProbe.link(webSocket: grant.url, origin: Self.origin, ticket: grant.password,
                                                          from: Topology.client)
                    return outcome == .accepted ? nil : outcome
                }
                #expect(spent.closeCode == 4401, "a spent token must be refused: \(spent)")

                let forged = grant.url.replacingOccurrences(of: "/ws/", with: "/ws/forged")
                let forgedOutcome = try SpiceLinkProbe.link(webSocket: forged, origin: Self.origin, ticket: grant.password,
                                                            from: Topology.client)
                #expect(forgedOutcome.closeCode == 4401, "\(forgedOutcome)")

                let wrongTicket = try WebConsoleGrant.request(session.id, token: token)
                #expect(try SpiceLinkProbe.link(webSocket: wrongTicket.url, origin: Self.origin, ticket: "wrong-\(wrongTicket.password)",
                                                from: Topology.client) == .permissionDenied)

                let foreign = try WebConsoleGrant.request(session.id, token: token)
                let foreignOutcome = try SpiceLinkProbe.link(webSocket: foreign.url, origin: "http://evil.example",
                                                             ticket: foreign.password, from: Topology.client)
                #expect(foreignOutcome.closeCode == 4403, "another site's page must be refused: \(foreignOutcome)")
            }
        }

        @Test("ending a session closes its browser connections within a second")
        func endClosesWebSockets() throws {
            try BrokerFixture.run("web-console-end") { _ in
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                let grant = try WebConsoleGrant.request(session.id, token: token)
                let output = E2E.artifact("web-console-hold.log")
                let probe = try SpiceLinkProbe.holdWebSocket(grant.url, origin: Self.origin, ticket: grant.password,
                                                             from: Topology.client, output: output)
                defer { probe.stop(grace: 2) }
                try waitUntil("the held WebSocket to link", timeout: 20, interval: 0.1) {
                    ((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("result 0")
                }
                let ended = Date()
                #expect(try API.release(session.id, token: token).status == 204)
                // "Within a second", with room for a loaded CI machine.
                try waitUntil("the gateway to close the WebSocket", timeout: 2, interval: 0.05) {
                    ((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("closed")
                }
                let elapsed = Date().timeIntervalSince(ended)
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                print("E2E: WebSocket closed \(String(format: "%.2f", elapsed)) s after DELETE: \(text)")
                #expect(!text.contains("connect-error"), "\(text)")
            }
        }
    }
}

extension SpiceLinkOutcome {
    /// The WebSocket close code, when the gateway closed the connection.
    var closeCode: UInt32? {
        if case .closed(let code, _) = self { return code }
        return nil
    }
}
