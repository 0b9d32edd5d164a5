import Foundation

/// The PEM files of Saffron's TLS, named as libvirt's SPICE TLS expects them in `spice_tls_x509_cert_dir`, so one
/// folder serves the broker (HTTPS, wss) and QEMU's SPICE servers alike.
public struct TLSFiles: Sendable, Equatable {
    /// The folder holding the files.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The CA certificate clients trust (a `.vv` carries it as `ca`).
    public var caCertificate: URL { directory.appendingPathComponent("ca-cert.pem") }
    /// The CA's private key: keep it here only while issuing, or move it offline.
    public var caKey: URL { directory.appendingPathComponent("ca-key.pem") }
    /// The server certificate, signed by the CA.
    public var serverCertificate: URL { directory.appendingPathComponent("server-cert.pem") }
    /// The server certificate's private key.
    public var serverKey: URL { directory.appendingPathComponent("server-key.pem") }

    /// Every file, in the order they are written.
    public var all: [URL] { [caCertificate, caKey, serverCertificate, serverKey] }
}
