import Foundation
import Testing

extension EndToEnd {
    /// A broker moved from its SQLite file onto PostgreSQL with `saffron db migrate-to`, then serving from there.
    @Suite struct PostgresBroker {
        /// The test run's PostgreSQL cluster (README's test command starts it), and the folder of its socket.
        static func cluster() throws -> (url: String, socketFolder: String) {
            guard let url = ProcessInfo.processInfo.environment["SAFFRON_TEST_POSTGRES_URL"],
                let folder = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "host" })?.value
            else { throw CommandError(description: "SAFFRON_TEST_POSTGRES_URL names no cluster: run README's test command") }
            return (url, folder)
        }

        /// A new, empty database on the test run's cluster; its URL.
        static func newDatabase() throws -> String {
            let (_, folder) = try cluster()
            let database = "saffron_e2e_\(UUID().uuidString.prefix(8).lowercased())"
            try Command.check(["runuser", "-u", "postgres", "--", "psql", "-h", folder, "-q", "-c", "CREATE DATABASE \(database)"])
            return "postgres://postgres@/\(database)?host=\(folder)&sslmode=disable"
        }

        @Test("a broker's users, sessions and rules survive its move to PostgreSQL, and it serves from there")
        func moveToPostgres() throws {
            let url = try Self.newDatabase()

            try BrokerFixture.run("postgres") { broker in
                let token = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession, "no session in \(created)")
                broker.stop()

                let moved = try broker.cli(["db", "migrate-to", url, "--json"])
                let summary = try #require(try JSONSerialization.jsonObject(with: moved.stdout) as? [String: Any], "\(moved.output)")
                let copied = try #require(summary["copied"] as? [String: Int], "\(moved.output)")
                #expect(copied["users"] == 1 + TestUsers.crowd.count && copied["sessions"] == 1 && copied["VMs"] == 3)
                let again = try? broker.cli(["db", "migrate-to", url])
                #expect(again == nil, "a second copy into the same database is refused")

                try broker.useDatabase(url: url)
                try broker.start()
                #expect(try Topology.dnatRule(session: session.id) != nil, "the rule comes back from PostgreSQL's sessions")
                var node: [String: Any] = [:]
                try waitUntil("the broker to report itself as a node forwarding one session", timeout: 30, interval: 0.5) {
                    let listed = try JSONSerialization.jsonObject(with: broker.cli(["node", "list", "--json"]).stdout) as? [String: Any]
                    node = (listed?["nodes"] as? [[String: Any]])?.first ?? [:]
                    return node["isUp"] as? Bool == true && node["forwardedSessions"] as? Int == 1
                }
                #expect(node["publicAddress"] as? String == Topology.gatewayPublicAddress)
                #expect(node["keptPools"] as? [String] == [BrokerFixture.pool], "it keeps the pool's upkeep: \(node)")
                let (same, sameSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                #expect(same.status == 200 && sameSession == session, "her login and her desktop moved with her: \(same)")

                let other = try API.login(TestUsers.crowd[0])
                let (next, nextSession) = try API.requestDesktop(BrokerFixture.pool, token: other)
                #expect(next.status == 201, "\(next)")
                #expect(nextSession.map { $0.vm != session.vm && $0.port != session.port } == true)
                #expect(try API.release(session.id, token: token).status == 204)
                #expect(try Topology.dnatRule(session: session.id) == nil)
                let audit = try broker.cli(["audit", "--json", "--limit", "20"]).output
                #expect(audit.contains("\"handout\"") && audit.contains("\"session_end\""), "\(audit)")
            }
        }
    
        @Test("a session ended through one broker closes its browser console on another broker's gateway within a second")
        func endThroughAnotherBroker() throws {
            try BrokerFixture.run("postgres-a", databaseURL: try Self.newDatabase()) { a in
                let b = try a.anotherNode("postgres-b", publicAddress: "198.18.1.3")
                try b.start()
                defer { b.stop() }
                try waitUntil("broker b to follow the session changes", timeout: 30, interval: 0.1) {
                    b.logTail(20_000).contains("following the session changes of other brokers")
                }
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                // A's grant, redeemed at B's gateway; the console holds the WebSocket without linking SPICE, so only
                // B's gateway can close it (the SPICE server has no client to drop when A revokes the ticket).
                let grant = try WebConsoleGrant.request(session.id, token: token)
                let throughB = grant.url.replacingOccurrences(
                    of: ":\(BrokerUnderTest.webSocketPort)/", with: ":\(b.webSocketPort)/")
                #expect(throughB != grant.url)
                let output = E2E.artifact("web-console-other-gateway.log")
                let probe = try SpiceLinkProbe.holdWebSocket(
                    throughB, origin: BrokerUnderTest.portalOrigin, ticket: grant.password, from: Topology.client,
                    output: output, linking: false)
                defer { probe.stop(grace: 2) }
                let held = { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
                try waitUntil("gateway b to accept the console", timeout: 20, interval: 0.1) { held().contains("open") }

                let ended = Date()
                #expect(try API.release(session.id, token: token).status == 204, "ended through broker a")
                // "Within a second", with room for a loaded CI machine.
                try waitUntil("gateway b to close the console", timeout: 2, interval: 0.05) { held().contains("closed") }
                print("E2E: gateway b closed the console \(String(format: "%.2f", Date().timeIntervalSince(ended))) s after DELETE at a")
                #expect(held().contains("closed 4410"), "closed by b for the session's end: \(held())\n\(b.logTail())")
            }
        }
    }
}

extension EndToEnd.PostgresBroker {
    @Test("three brokers on one database: 300 requests of 30 users at once get three VMs, none twice; a killed broker's pool is kept by another")
    func threeBrokers() throws {
        try BrokerFixture.run("postgres-three-a", databaseURL: try Self.newDatabase()) { a in
            let b = try a.anotherNode("postgres-three-b", publicAddress: "198.18.1.3", portOffset: 100)
            let c = try a.anotherNode("postgres-three-c", publicAddress: "198.18.1.4", portOffset: 200)
            try b.start()
            defer { b.stop() }
            try c.start()
            defer { c.stop() }
            let bases = [API.base, b.apiBase, c.apiBase]
            let racers = (0..<20).map { String(format: "race%02d", $0) }
            for user in racers { try a.cli(["user", "add", user], input: TestUsers.password(user) + "\n") }
            let users = TestUsers.crowd + racers
            let tokens = try users.map { try API.login($0) }
            // Ten requests of each user, spread over the three brokers, all at once, from five client addresses (each
            // user from one of them), so that no client passes a broker's connections-per-client cap.
            let sources = try [Topology.clientAddress] + (20..<24).map { try Topology.addClientAddress(index: $0) }
            let asked = (0..<300).map { (user: $0 % users.count, base: bases[($0 / users.count) % 3]) }
            let inFlight = try asked.map {
                try API.start(
                    "POST", "/api/v1/pools/\(BrokerFixture.pool)/desktop", token: tokens[$0.user], timeout: 90, base: $0.base,
                    source: sources[$0.user % sources.count])
            }
            let responses = try inFlight.map { try $0.finish(timeout: 100) }
            let statuses = Dictionary(grouping: responses.map(\.status), by: { $0 }).mapValues(\.count)
            #expect(statuses == [201: 3, 200: 27, 503: 270], "three new desktops, their users' other requests the same ones, every other a 503: \(statuses)")
            #expect(responses.filter { $0.status == 503 }.allSatisfy { $0.errorCode == "no_free_vm" })
            let sessions = zip(asked, responses).compactMap { ask, response in
                (try? response.decode(DesktopSession.self)).map { (user: ask.user, session: $0) }
            }
            let granted = Dictionary(grouping: sessions, by: \.user).mapValues { Set($0.map(\.session.id)) }
            #expect(granted.count == 3 && granted.values.allSatisfy { $0.count == 1 }, "one session per winning user: \(granted)")
            let distinct = Dictionary(sessions.map { ($0.session.id, $0.session) }, uniquingKeysWith: { first, _ in first }).values
            #expect(Set(distinct.map(\.vm)).count == 3, "no VM twice: \(distinct)")
            #expect(Set(distinct.map { "\($0.host):\($0.port)" }).count == 3, "no address and port twice: \(distinct)")
            for session in distinct where session.host == Topology.gatewayPublicAddress {
                #expect(try Topology.dnatRule(session: session.id) != nil, "broker a forwards its own session \(session.id)")
            }

            // The broker keeping the pool is killed: another takes the pool over within the lease's 8 s.
            let nodes = { () throws -> [[String: Any]] in
                let listed = try JSONSerialization.jsonObject(with: b.cli(["node", "list", "--json"]).stdout) as? [String: Any]
                return listed?["nodes"] as? [[String: Any]] ?? []
            }
            let keeper = try #require(
                try nodes().first { ($0["keptPools"] as? [String])?.contains(BrokerFixture.pool) == true }?["name"] as? String,
                "some node keeps the pool")
            let brokers = ["postgres-three-b": b, "postgres-three-c": c]
            let survivor = keeper == "postgres-three-b" ? c : b
            (brokers[keeper] ?? a).kill()
            let killedAt = Date()
            try waitUntil("another broker to keep the pool", timeout: 20, interval: 0.5) {
                try nodes().contains {
                    ($0["keptPools"] as? [String])?.contains(BrokerFixture.pool) == true && $0["isUp"] as? Bool == true
                        && $0["name"] as? String != keeper
                }
            }
            print("E2E: the pool's upkeep moved \(String(format: "%.1f", Date().timeIntervalSince(killedAt))) s after the SIGKILL")
            let other = try API.start("GET", "/api/v1/pools", token: tokens[0], base: survivor.apiBase).finish(timeout: 25)
            #expect(other.status == 200, "the others serve on: \(other)")
        }
    }
}
