import Foundation
import Testing

extension EndToEnd {
    /// The broker with `saffron tls init`'s certificates: HTTPS for the API and wss for the WebSocket gateway, trusted
    /// through the CA alone, and no plain HTTP beside them.
    @Suite struct TLS {
        @Test("the API answers over HTTPS trusted by the CA, the gateway over wss, and plain HTTP gets nothing")
        func httpsAndWss() throws {
            try BrokerFixture.run("tls", tls: true) { broker in
                let tls = try #require(broker.tls)
                let body = try API.json(["username": TestUsers.alice, "password": TestUsers.password(TestUsers.alice)])
                let login = try Command.check(Topology.inClient(tls.curl([
                    "-H", "Content-Type: application/json", "--data-binary", String(decoding: body, as: UTF8.self),
                    "\(tls.apiBase)/api/v1/login",
                ])))
                let token = try #require(
                    (try JSONSerialization.jsonObject(with: login.stdout) as? [String: Any])?["token"] as? String)
                let pools = try Command.check(Topology.inClient(tls.curl([
                    "-H", "Authorization: Bearer \(token)", "\(tls.apiBase)/api/v1/pools",
                ]))).output
                #expect(pools.contains(BrokerFixture.pool))

                let plain = try Command.run(Topology.inClient(["curl", "-sS", "--max-time", "5", "\(API.base)/api/v1/pools"]))
                #expect(plain.status != 0, "plain HTTP answered: \(plain.output)")
                let untrusted = try Command.run(Topology.inClient(["curl", "-sS", "--max-time", "5", "\(tls.apiBase)/api/v1/pools"]))
                #expect(untrusted.status == 60, "curl without the CA must refuse the certificate: \(untrusted.summary)")

                let gateway = "wss://\(Topology.gatewayPublicAddress):\(BrokerUnderTest.webSocketPort)/ws/unknown-token-0123456789"
                let closeCode = try TestScripts.path("wss_close_code.py")
                let refused = try Command.check(
                    Topology.inClient(["/usr/bin/python3", closeCode, gateway, tls.caCertificate, tls.apiBase]))
                #expect(refused.output.trimmingCharacters(in: .whitespacesAndNewlines) == "4401")
            }
        }
    }
}
