import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#endif

/// Creates Saffron's own CA and a server certificate it signs (`saffron tls init`), with swift-certificates.
///
/// Keys are ECDSA P-256, accepted by browsers, curl, spice-gtk and the SPICE server in QEMU alike.
public enum CertificateAuthority {
    /// What a server certificate is issued for.
    public struct Request: Sendable {
        /// DNS names clients use to reach the broker and the hypervisors' SPICE servers.
        public var names: [String]
        /// IP addresses clients use to reach them.
        public var addresses: [String]
        /// Days the server certificate is valid.
        public var days: Int = 825

        public init(names: [String], addresses: [String]) {
            self.names = names
            self.addresses = addresses
        }
    }

    /// The subject of the certificate in a PEM file as SPICE clients compare it (`host-subject` in a `.vv`):
    /// `TYPE=value` pairs in the certificate's own order, e.g. `O=Saffron,CN=vdi.example`.
    public static func hostSubject(ofCertificateAt url: URL) throws -> String {
        let certificate = try Certificate(pemEncoded: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        return certificate.subject.map { "\($0)" }.joined(separator: ",")
    }

    /// Writes a new CA and a server certificate for `request` into `files`. Existing files are an error unless
    /// `replace` is set.
    public static func initialize(_ files: TLSFiles, for request: Request, replace: Bool = false, now: Date = Date()) throws {
        guard !request.names.isEmpty || !request.addresses.isEmpty else {
            throw ConfigError(message: "Give at least one --name or --ip the server certificate is for.")
        }
        guard (1...3650).contains(request.days) else { throw ConfigError(message: "--days must be 1 to 3650.") }
        let existing = files.all.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard existing.isEmpty || replace else {
            throw ConfigError(
                message: "\(existing.map(\.lastPathComponent).joined(separator: ", ")) already in \(files.directory.path); give --force to replace them.")
        }
        let caKey = P256.Signing.PrivateKey()
        let ca = try authorityCertificate(key: caKey, now: now)
        let serverKey = P256.Signing.PrivateKey()
        let server = try serverCertificate(for: request, key: serverKey, issuer: ca, issuerKey: caKey, now: now)

        try FileManager.default.createDirectory(at: files.directory, withIntermediateDirectories: true)
        try write(try ca.serializeAsPEM().pemString, to: files.caCertificate, private: false)
        try write(caKey.pemRepresentation, to: files.caKey, private: true)
        try write(try server.serializeAsPEM().pemString, to: files.serverCertificate, private: false)
        try write(serverKey.pemRepresentation, to: files.serverKey, private: true)
    }

    static func authorityCertificate(key: P256.Signing.PrivateKey, now: Date) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName("Saffron")
            CommonName("Saffron CA")
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key))
    }

    static func serverCertificate(
        for request: Request, key: P256.Signing.PrivateKey, issuer: Certificate, issuerKey: P256.Signing.PrivateKey,
        now: Date
    ) throws -> Certificate {
        let subject = try DistinguishedName {
            OrganizationName("Saffron")
            CommonName(request.names.first ?? request.addresses[0])
        }
        var alternativeNames = request.names.map { GeneralName.dnsName($0) }
        for address in request.addresses {
            guard let bytes = ipAddressBytes(address) else {
                throw ConfigError(message: "\(address.debugDescription) is not an IPv4 or IPv6 address.")
            }
            alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(TimeInterval(request.days) * 86400),
            issuer: issuer.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
                SubjectKeyIdentifier(hash: .init(key.publicKey))
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: .init(issuerKey.publicKey)).keyIdentifier)
            },
            issuerPrivateKey: .init(issuerKey))
    }

    /// The network-order bytes of an IPv4 or IPv6 address literal.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    private static func write(_ pem: String, to url: URL, private isPrivate: Bool) throws {
        let path = url.path
        _ = FileManager.default.createFile(
            atPath: path, contents: nil, attributes: [.posixPermissions: isPrivate ? 0o600 : 0o644])
        try FileManager.default.setAttributes([.posixPermissions: isPrivate ? 0o600 : 0o644], ofItemAtPath: path)
        try Data((pem.hasSuffix("\n") ? pem : pem + "\n").utf8).write(to: url)
    }
}
