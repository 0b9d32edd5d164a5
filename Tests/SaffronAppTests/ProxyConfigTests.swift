import SaffronApp
import Testing

/// The `proxy` section: off unless it listens somewhere, its public URL derived from the gateway's address, and
/// clear errors for what cannot work.
@Suite struct ProxyConfigTests {
    @Test func theProxyIsOffUntilItListens() throws {
        #expect(try ConfigFile.load(#""http": {}"#).validated().proxy == nil)
    }

    @Test func itsPublicURLDefaultsToTheGatewaysAddressAndItsPort() throws {
        let proxy = try #require(try ConfigFile.load(#""proxy": {"listen": "0.0.0.0:3128"}"#).validated().proxy)
        #expect(proxy.host == "0.0.0.0" && proxy.port == 3128)
        #expect(proxy.publicURL == "http://192.0.2.1:3128")
        #expect(proxy.connectionsPerClient == 64 && proxy.idleTimeout == .seconds(3600))
        #expect(proxy.grantLifetime == .seconds(60))

        let named = try ConfigFile.load(
            #""proxy": {"listen": "0.0.0.0:3128", "publicURL": "http://vdi.example:8443", "connectionsPerClient": 16}"#)
        #expect(try named.validated().proxy?.publicURL == "http://vdi.example:8443")
        #expect(try named.validated().proxy?.connectionsPerClient == 16)
        let fromEnvironment = try ConfigFile.load(#""http": {}"#, environment: ["SAFFRON_PROXY_LISTEN": "127.0.0.1:3129"])
        #expect(try fromEnvironment.validated().proxy?.publicURL == "http://192.0.2.1:3129")
    }

    @Test func whatCannotWorkIsRefusedNamingTheKey() throws {
        for (proxy, words) in [
            (#""listen": "3128""#, "proxy.listen must be HOST:PORT"),
            (#""listen": ":3128", "publicURL": "https://vdi.example:3128""#, "proxy.publicURL must be http://"),
            (#""listen": ":3128", "publicURL": "http://vdi.example:3128/""#, "without a trailing slash"),
            (#""listen": ":3128", "connectionsPerClient": 0"#, "proxy.connectionsPerClient must be"),
            (#""listen": ":3128", "idleTimeoutSeconds": 0"#, "proxy.idleTimeoutSeconds must be positive"),
            (#""listen": ":3128", "grantLifetimeSeconds": -1"#, "proxy.grantLifetimeSeconds must be 0"),
            (#""lisen": ":3128""#, "unknown key \"proxy.lisen\""),
        ] {
            let error = #expect(throws: ConfigError.self, "\(proxy)") { try ConfigFile.load(#""proxy": {"# + proxy + "}") }
            #expect(error?.message.contains(words) == true, "\(proxy): \(error?.message ?? "")")
        }
    }
}
