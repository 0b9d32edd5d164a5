import Foundation
import Synchronization
import Testing

extension EndToEnd {
    /// The broker killed with SIGKILL in the middle of handouts and releases, then restarted.
    @Suite struct CrashSafety {
        /// Users asking for desktops and giving them back as fast as they can, each on a thread of its own, until
        /// stopped or the broker dies under them.
        final class Traffic: Sendable {
            let finished = Mutex(0)
            private let running = Atomic(true)
            private let active = Atomic(0)

            init(users: [String]) {
                for user in users {
                    active.add(1, ordering: .relaxed)
                    Thread.detachNewThread { [self] in
                        self.loop(user)
                        self.active.subtract(1, ordering: .relaxed)
                    }
                }
            }

            private func loop(_ user: String) {
                guard let token = try? API.login(user) else { return }
                while running.load(ordering: .relaxed) {
                    guard let (answer, session) = try? API.requestDesktop(BrokerFixture.pool, token: token) else { return }
                    finished.withLock { $0 += 1 }
                    if let session, answer.status < 300 {
                        guard (try? API.request("DELETE", "/api/v1/sessions/\(session.id)", token: token)) != nil else { return }
                        finished.withLock { $0 += 1 }
                    }
                }
            }

            /// Stops the users and waits until each has returned.
            func stop() throws {
                running.store(false, ordering: .relaxed)
                try waitUntil("the users' threads to end", timeout: 60, interval: 0.1) {
                    active.load(ordering: .relaxed) == 0
                }
            }
        }

        @Test("SIGKILL during handouts and releases: after each restart no port or VM twice, no orphan or missing rule, every live session works")
        func killedMidTraffic() throws {
            try BrokerFixture.run("crash") { broker in
                // The kill points come from a printed seed; SAFFRON_E2E_CRASH_SEED replays a run's (thread timing aside).
                let seed = ProcessInfo.processInfo.environment["SAFFRON_E2E_CRASH_SEED"].flatMap(UInt64.init)
                    ?? UInt64.random(in: 1...UInt64.max)
                print("E2E crash: seed \(seed) (SAFFRON_E2E_CRASH_SEED=\(seed) replays these kill points)")
                var random = SplitMix64(seed: seed)
                for round in 1...4 {
                    let traffic = Traffic(users: Array(TestUsers.crowd.prefix(4)))
                    let requests = Int.random(in: 1...12, using: &random)
                    try waitUntil("\(requests) requests done before the kill", timeout: 60, interval: 0.02) {
                        traffic.finished.withLock { $0 } >= requests
                    }
                    broker.kill()
                    try traffic.stop()
                    try broker.start()
                    try Self.checkInvariants(broker, round: round)
                }
            }
        }

        /// What a restarted broker must show: sessions whose ports and VMs are each used once, the nat table holding
        /// exactly their rules, and every one of them opening its desktop with a fresh ticket.
        static func checkInvariants(_ broker: BrokerUnderTest, round: Int) throws {
            let output = try broker.cli(["session", "list", "--json"]).stdout
            let sessions = (try JSONSerialization.jsonObject(with: output) as? [String: Any])?["sessions"] as? [[String: Any]] ?? []
            let ports = sessions.compactMap { $0["port"] as? Int }
            let vms = sessions.compactMap { $0["vm"] as? String }
            print("E2E crash round \(round): \(sessions.count) live session(s) after the restart, ports \(ports), VMs \(vms)")
            #expect(Set(ports).count == sessions.count && ports.count == sessions.count, "a port leased twice: \(sessions)")
            #expect(Set(vms).count == sessions.count, "a VM given to two sessions: \(sessions)")
            #expect(sessions.allSatisfy { $0["state"] as? String == "ready" }, "a session left starting: \(sessions)")

            let rules = try Topology.natTable().split(separator: "\n").map { NATRule(line: String($0)) }
                .filter { $0.chain == "SAFFRON-DNAT" }
            let tagged = Set(rules.compactMap { $0.value(after: "--comment") })
            let expected = Set(sessions.compactMap { $0["id"] as? String }.map { "saffron:\($0)" })
            #expect(tagged == expected, "rules \(tagged.sorted()) for sessions \(expected.sorted())")
            #expect(rules.count == sessions.count, "orphan or doubled rules: \(rules)")

            for session in sessions {
                guard let id = session["id"] as? String, let user = session["user"] as? String,
                    let port = session["publicPort"] as? Int
                else { continue }
                let ticket = try API.consoleTicket(id, token: try API.login(user))
                let outcome = try SpiceLinkProbe.link(
                    host: Topology.gatewayPublicAddress, port: port, ticket: ticket, from: Topology.client)
                #expect(outcome == .linked(result: 0), "session \(id) of \(user) on port \(port) does not work: \(outcome)")
            }
        }
    }
}
