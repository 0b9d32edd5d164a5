import Foundation
import SaffronApp
import Testing

/// The `spiceGateway` section: off unless it listens somewhere, TLS always, its public endpoint and CA derived from
/// the other sections, and clear errors for what cannot work.
@Suite struct SpiceGatewayConfigTests {
    /// A CA file the section may name.
    static let ca: String = {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-gateway-ca-\(UUID().uuidString).pem")
        try! "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }()

    @Test func theGatewayIsOffUntilItListens() throws {
        #expect(try ConfigFile.load(#""http": {}"#).validated().spiceGateway == nil)
    }

    @Test func itsEndpointCertificateAndCADefaultToTheOtherSections() throws {
        let config = try ConfigFile.load(
            #""tls": {"certificate": "/etc/saffron/tls/server-cert.pem", "key": "/etc/saffron/tls/server-key.pem"}, "websocket": {"publicURL": "wss://192.0.2.1:8081"}, "spice": {"tlsCA": "\#(Self.ca)"}, "spiceGateway": {"listen": "0.0.0.0:5999"}"#)
        let gateway = try #require(try config.validated().spiceGateway)
        #expect(gateway.host == "0.0.0.0" && gateway.port == 5999)
        #expect(gateway.publicHost == "192.0.2.1" && gateway.publicPort == 5999)
        #expect(gateway.certificate == "/etc/saffron/tls/server-cert.pem" && gateway.key == "/etc/saffron/tls/server-key.pem")
        #expect(gateway.tls.caPEM.hasPrefix("-----BEGIN CERTIFICATE-----") && gateway.tls.hostSubject == nil)
        #expect(gateway.credentialLifetime == 8 * 3600 && gateway.secondViewer == "replace" && gateway.connectionsPerClient == 64)

        let named = try ConfigFile.load(
            #""spiceGateway": {"listen": "0.0.0.0:5999", "publicHost": "vdi.example", "publicPort": 443, "certificate": "/c.pem", "key": "/k.pem", "ca": "\#(Self.ca)", "hostSubject": "O=Saffron,CN=vdi.example", "secondViewer": "refuse", "credentialLifetimeSeconds": 3600}"#)
        let values = try #require(try named.validated().spiceGateway)
        #expect(values.publicHost == "vdi.example" && values.publicPort == 443 && values.certificate == "/c.pem")
        #expect(values.tls.hostSubject == "O=Saffron,CN=vdi.example" && values.secondViewer == "refuse" && values.credentialLifetime == 3600)
    }

    @Test func throughTheProxyTheFilesNameItAndTheGatewayByAddress() throws {
        let files = #""certificate": "/c.pem", "key": "/k.pem", "ca": "\#(Self.ca)""#
        let config = try ConfigFile.load(
            #""proxy": {"listen": "0.0.0.0:3128"}, "spiceGateway": {"listen": ":5999", "viaProxy": true, "# + files + "}")
        #expect(try config.validated().spiceGateway?.proxyURL == "http://192.0.2.1:3128")
        let named = #expect(throws: ConfigError.self) {
            try ConfigFile.load(
                #""proxy": {"listen": "0.0.0.0:3128"}, "spiceGateway": {"listen": ":5999", "viaProxy": true, "publicHost": "vdi.example", "# + files + "}")
        }
        #expect(named?.message.contains("must be an IP address") == true)
    }

    @Test func whatCannotWorkIsRefusedNamingTheKey() throws {
        let files = #""certificate": "/c.pem", "key": "/k.pem", "ca": "\#(Self.ca)""#
        for (section, words) in [
            (#""listen": "5999", "# + files, "spiceGateway.listen must be HOST:PORT"),
            (#""listen": ":5999""#, "serves TLS only"),
            (#""listen": ":5999", "certificate": "/c.pem", "key": "/k.pem""#, "spiceGateway.ca (or spice.tlsCA) must name"),
            (#""listen": ":5999", "certificate": "/c.pem", "key": "/k.pem", "ca": "/nonexistent.pem""#, "/nonexistent.pem"),
            (#""listen": ":5999", "secondViewer": "share", "# + files, "spiceGateway.secondViewer must be"),
            (#""listen": ":5999", "credentialLifetimeSeconds": 5, "# + files, "spiceGateway.credentialLifetimeSeconds must be"),
            (#""listen": ":5999", "publicPort": 70000, "# + files, "spiceGateway.publicPort must be"),
            (#""listen": ":5999", "connectionsPerClient": 0, "# + files, "spiceGateway.connectionsPerClient must be"),
            (#""listen": ":5999", "hostSubject": "a\nb", "# + files, "spiceGateway.hostSubject must be one line"),
            (#""listen": ":5999", "viaProxy": true, "# + files, "set proxy.listen too"),
        ] {
            let error = #expect(throws: ConfigError.self, "\(section)") { try ConfigFile.load(#""spiceGateway": {"# + section + "}") }
            #expect(error?.message.contains(words) == true, "\(section): \(error?.message ?? "")")
        }
    }
}
