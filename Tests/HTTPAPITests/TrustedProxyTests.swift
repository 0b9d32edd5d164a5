import BrokerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HTTPAPI

@Suite struct AddressRangeTests {
    @Test func addressesAndRangesOfBothFamilies() throws {
        let lan = try #require(AddressRange("10.1.0.0/16"))
        #expect(lan.contains("10.1.200.7") && !lan.contains("10.2.0.1") && !lan.contains("fd00::1"))
        #expect(lan.contains("::ffff:10.1.0.9"), "IPv4-mapped IPv6 counts as IPv4")
        let one = try #require(AddressRange("192.0.2.7"))
        #expect(one.contains("192.0.2.7") && !one.contains("192.0.2.8"))
        let v6 = try #require(AddressRange("fd00::/8"))
        #expect(v6.contains("fd12:3456::1") && !v6.contains("fe80::1"))
        #expect(try #require(AddressRange("0.0.0.0/0")).contains("203.0.113.5"))
        #expect(try #require(AddressRange("10.0.0.0/9")).contains("10.127.255.255"))
        #expect(!(try #require(AddressRange("10.0.0.0/9"))).contains("10.128.0.0"))
        for bad in ["", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/+8", "host.example", "10.0.0", "fd00::/129", "10.0.0.1/8/8"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct TrustedProxyTests {
    private func clientAddress(
        trusting trusted: [String], forwardedFor: String?
    ) async throws -> String? {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        let router = APIRouter.build(
            broker: fixture.broker, accounts: fixture.accounts, trustedProxies: trusted.compactMap(AddressRange.init))
        return try await Application(router: router).test(.live) { client in
            let token = try await client.login("alice")
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            if let forwardedFor { headers[.xForwardedFor] = forwardedFor }
            return try await client.execute(uri: "/api/v1/pools/office/desktop", method: .post, headers: headers) { response in
                #expect(response.status == .created)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                return json?["clientAddress"] as? String
            }
        }
    }

    @Test func aTrustedProxyNamesTheClient() async throws {
        #expect(try await clientAddress(trusting: ["127.0.0.1"], forwardedFor: "203.0.113.9") == "203.0.113.9")
        // The client wrote its own header first; the proxy appended what it saw: the rightmost untrusted hop counts.
        #expect(try await clientAddress(trusting: ["127.0.0.0/8"], forwardedFor: "198.51.100.1, 203.0.113.9") == "203.0.113.9")
        #expect(try await clientAddress(trusting: ["127.0.0.1", "10.0.0.0/8"], forwardedFor: "203.0.113.9, 10.0.0.4") == "203.0.113.9")
    }

    @Test func anyoneElsesHeaderIsIgnored() async throws {
        #expect(try await clientAddress(trusting: [], forwardedFor: "203.0.113.9") == "127.0.0.1")
        #expect(try await clientAddress(trusting: ["10.0.0.0/8"], forwardedFor: "203.0.113.9") == "127.0.0.1")
        #expect(try await clientAddress(trusting: ["127.0.0.1"], forwardedFor: "evil, 203.0.113.9") == "127.0.0.1",
            "a header with anything but addresses is not believed")
        #expect(try await clientAddress(trusting: ["127.0.0.1"], forwardedFor: nil) == "127.0.0.1")
    }
}
