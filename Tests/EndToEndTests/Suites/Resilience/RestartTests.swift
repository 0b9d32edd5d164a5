import Foundation
import Testing

extension EndToEnd {
    /// The store, not the firewall, is the truth: a restarted broker puts back the forwarding of live sessions.
    @Suite struct Restart {
        @Test("a restarted broker rebuilds a live session's DNAT rule from its store")
        func restartRebuildsForwarding() throws {
            try BrokerFixture.run("restart") { broker in
                let token = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession, "no session in \(created)")
                #expect(try Topology.dnatRule(session: session.id) != nil)

                let status = broker.stop()
                #expect(status == 0, "saffron serve should exit 0 on SIGTERM:\n\(broker.logTail())")
                // The chain may be gone already if the broker removes it on shutdown; then -F fails, which is fine.
                _ = try Command.run(Topology.inGateway(["iptables", "-t", "nat", "-F", "SAFFRON-DNAT"]))
                #expect(try Topology.dnatRule(session: session.id) == nil)

                try broker.start()
                let rule = try waitFor("the DNAT rule of session \(session.id) to come back", timeout: 30) {
                    try Topology.dnatRule(session: session.id)
                }
                let spicePort = try TestVMs.spicePort(session.vm)
                #expect(rule.value(after: "--dport") == String(session.port))
                #expect(rule.value(after: "--to-destination") == "\(Topology.hypervisorAddress):\(spicePort)")
                #expect(try broker.sessionIDs().contains(session.id))

                let again = try API.login(TestUsers.alice)
                let (existing, sameSession) = try API.requestDesktop(BrokerFixture.pool, token: again)
                #expect(existing.status == 200, "\(existing)")
                #expect(sameSession == session)
                let ticket = try API.consoleTicket(session.id, token: again)
                #expect(try SpiceLinkProbe.link(host: session.host, port: session.port, ticket: ticket,
                                                from: Topology.client) == .accepted,
                        "the rebuilt rule must reach the desktop")
            }
        }
    }
}
