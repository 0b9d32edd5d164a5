import Foundation
import SaffronApp
import Testing

/// The sample configuration shipped in `deploy/` loads and means what its page says.
@Suite struct SampleConfigTests {
    static let sample = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/saffron.sample.json").path

    @Test func theSampleLoadsAndTrustsItsReverseProxy() throws {
        let config = try SaffronConfig.load(path: Self.sample, environment: [:])
        let values = try config.validated()
        #expect(values.trustedProxies.map(\.description) == ["127.0.0.1"])
        #expect(values.proxy?.port == 3128)
        #expect(config.firewall.backend == "nftables")
        #expect(config.websocket.publicURL.hasPrefix("wss://"))
        #expect(try config.publicBaseURL().configured == "https://vdi.example.org")
        #expect(try config.connectURIPolicy().allowed == ["qemu:///system"])
    }

    @Test func aTrustedProxyThatIsNoAddressIsRefusedNamingTheKey() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigFile.load(#""http": {"trustedProxies": ["proxy.example.org"]}"#)
        }
        #expect(error?.message.contains("http.trustedProxies") == true, "\(String(describing: error))")
    }
}
