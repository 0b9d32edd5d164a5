import Foundation
import Testing

extension EndToEnd {
    /// More users than desktops, all at once.
    @Suite struct Concurrency {
        @Test("ten users at once on three VMs: three desktops, seven no_free_vm")
        func tenUsersThreeVMs() throws {
            try BrokerFixture.run("concurrency") { broker in
                let tokens = try TestUsers.crowd.map { try API.login($0) }
                let inFlight = try tokens.map {
                    try API.start("POST", "/api/v1/pools/\(BrokerFixture.pool)/desktop", token: $0, timeout: 60)
                }
                let responses = try inFlight.map { try $0.finish(timeout: 70) }
                let statuses = responses.map(\.status)
                #expect(statuses.filter { $0 == 201 }.count == 3, "statuses: \(statuses)")
                #expect(statuses.filter { $0 == 503 }.count == 7, "statuses: \(statuses)")
                for response in responses where response.status == 503 {
                    #expect(response.errorCode == "no_free_vm", "\(response)")
                }

                let granted = zip(responses, tokens).compactMap { response, token in
                    response.status == 201
                        ? (try? response.decode(DesktopSession.self)).map { (session: $0, token: token) } : nil
                }
                #expect(Set(granted.map(\.session.vm)).count == 3, "\(granted.map(\.session))")
                #expect(Set(granted.map(\.session.port)).count == 3, "\(granted.map(\.session))")
                for (session, _) in granted {
                    #expect(try Topology.dnatRule(session: session.id) != nil, "no DNAT rule for \(session.id)")
                }

                for (session, token) in granted {
                    let released = try API.release(session.id, token: token)
                    #expect(released.status == 204, "\(released)")
                }
                try waitUntil("the pool to have 3 free VMs again", timeout: 60, interval: 0.5) {
                    try API.pool(BrokerFixture.pool, token: tokens[0]).freeVMs == 3
                }
            }
        }
    }
}
