import NIOSSL

/// The broker's server-side TLS, read once from the configured PEM files for the HTTP API and the WebSocket gateway.
public struct ServerTLS: Sendable {
    /// The configuration Hummingbird's TLS server takes.
    public let configuration: TLSConfiguration
    /// The same, ready for NIO's `NIOSSLServerHandler` (the WebSocket gateway).
    public let context: NIOSSLContext

    /// Reads the certificate chain and key; a file that cannot be read or parsed is a `ConfigError` naming its
    /// configuration key (`keys`).
    public init(certificate: String, key: String, keys: (certificate: String, key: String) = ("tls.certificate", "tls.key")) throws {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw ConfigError(message: "\(keys.certificate) \(certificate) is not a readable PEM certificate: \(error)")
        }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ConfigError(message: "\(keys.key) \(key) is not a readable PEM private key: \(error)")
        }
        configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigError(message: "\(keys.certificate) and \(keys.key) do not make a working TLS server: \(error)")
        }
    }
}
