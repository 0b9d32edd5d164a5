import Foundation
import SaffronApp
import Testing
import X509

/// `saffron tls init`'s certificates: a CA clients can trust, a server certificate for exactly the names asked for,
/// private keys for root only, and nothing overwritten by accident.
@Suite struct CertificateAuthorityTests {
    static func folder() -> TLSFiles {
        TLSFiles(directory: FileManager.default.temporaryDirectory.appendingPathComponent("saffron-tls-\(UUID().uuidString)"))
    }

    static func certificate(_ url: URL) throws -> Certificate {
        try Certificate(pemEncoded: String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    /// Whether a client trusting only the CA accepts the server certificate for `hostname` or `ip`.
    static func verifies(_ files: TLSFiles, hostname: String?, ip: String?) async throws -> Bool {
        let ca = try certificate(files.caCertificate)
        var verifier = Verifier(rootCertificates: CertificateStore([ca])) {
            RFC5280Policy(fixedValidationTime: Date())
            ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
        }
        let result = await verifier.validate(leaf: try certificate(files.serverCertificate), intermediates: CertificateStore())
        if case .validCertificate = result { return true }
        return false
    }

    @Test func theServerCertificateIsTrustedForItsNamesAndAddressesOnly() async throws {
        let files = Self.folder()
        try CertificateAuthority.initialize(files, for: .init(names: ["vdi.example"], addresses: ["192.0.2.1", "2001:db8::1"]))
        #expect(try await Self.verifies(files, hostname: "vdi.example", ip: nil))
        #expect(try await Self.verifies(files, hostname: nil, ip: "192.0.2.1"))
        #expect(try await Self.verifies(files, hostname: nil, ip: "2001:db8::1"))
        #expect(try await !Self.verifies(files, hostname: "other.example", ip: nil))
        #expect(try await !Self.verifies(files, hostname: nil, ip: "192.0.2.2"))
        #expect(try CertificateAuthority.hostSubject(ofCertificateAt: files.serverCertificate) == "O=Saffron,CN=vdi.example")
    }

    @Test func keysAreForRootOnlyAndTheServerLoadsThem() throws {
        let files = Self.folder()
        try CertificateAuthority.initialize(files, for: .init(names: [], addresses: ["127.0.0.1"]))
        for (file, mode) in [(files.caKey, 0o600), (files.serverKey, 0o600), (files.caCertificate, 0o644), (files.serverCertificate, 0o644)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(file.lastPathComponent)")
        }
        _ = try ServerTLS(certificate: files.serverCertificate.path, key: files.serverKey.path)
        let wrongKey = #expect(throws: ConfigError.self) {
            try ServerTLS(certificate: files.serverCertificate.path, key: files.caCertificate.path)
        }
        #expect(wrongKey?.message.contains("tls.key") == true)
    }

    @Test func existingFilesStayUnlessReplacing() throws {
        let files = Self.folder()
        try CertificateAuthority.initialize(files, for: .init(names: ["vdi.example"], addresses: []))
        let before = try Data(contentsOf: files.caCertificate)
        let refusal = #expect(throws: ConfigError.self) {
            try CertificateAuthority.initialize(files, for: .init(names: ["vdi.example"], addresses: []))
        }
        #expect(refusal?.message.contains("--force") == true)
        #expect(try Data(contentsOf: files.caCertificate) == before)
        try CertificateAuthority.initialize(files, for: .init(names: ["vdi.example"], addresses: []), replace: true)
        #expect(try Data(contentsOf: files.caCertificate) != before)
    }

    @Test func badRequestsAreRefused() throws {
        let files = Self.folder()
        #expect(throws: ConfigError.self) { try CertificateAuthority.initialize(files, for: .init(names: [], addresses: [])) }
        #expect(throws: ConfigError.self) {
            try CertificateAuthority.initialize(files, for: .init(names: [], addresses: ["vdi.example"]))
        }
        #expect(!FileManager.default.fileExists(atPath: files.caCertificate.path))
    }

    @Test func theConfigAsksForBothFilesAndAWssGateway() throws {
        let both = #expect(throws: ConfigError.self) { try ConfigFile.load(#""tls": {"certificate": "/x.pem"}"#) }
        #expect(both?.message.contains("both tls.certificate and tls.key") == true)
        let ws = #expect(throws: ConfigError.self) {
            try ConfigFile.load(#""tls": {"certificate": "/x.pem", "key": "/k.pem"}"#)
        }
        #expect(ws?.message.contains("wss://") == true)
        let config = try ConfigFile.load(
            #""tls": {"certificate": "tls/server-cert.pem", "key": "tls/server-key.pem"}, "websocket": {"publicURL": "wss://vdi.example:8081"}"#)
        #expect(config.tls.certificate.hasSuffix("/tls/server-cert.pem") && config.tls.certificate.hasPrefix("/"))
    }

    @Test func spiceTLSTakesTheCAFromItsFileAndRefusesWhatIsNotOne() throws {
        let files = Self.folder()
        try CertificateAuthority.initialize(files, for: .init(names: ["hv1.example"], addresses: []))
        let config = try ConfigFile.load(#""spice": {"tlsCA": "\#(files.caCertificate.path)", "hostSubject": "O=Saffron,CN=hv1.example"}"#)
        let spice = try #require(try config.validated().spiceTLS)
        #expect(spice.caPEM == String(decoding: try Data(contentsOf: files.caCertificate), as: UTF8.self))
        #expect(spice.hostSubject == "O=Saffron,CN=hv1.example")
        #expect(try ConfigFile.load(#""spice": {}"#).validated().spiceTLS == nil)
        let notCA = #expect(throws: ConfigError.self) {
            try ConfigFile.load(#""spice": {"tlsCA": "\#(files.caKey.path)"}"#).validated()
        }
        #expect(notCA?.message.contains("spice.tlsCA") == true)
    }
}
