import Foundation

/// Certificates made by `saffron tls init` for the gateway's public address, and a curl that trusts only their CA.
struct TLSFolder {
    let directory: URL

    var caCertificate: String { directory.appendingPathComponent("ca-cert.pem").path }
    var serverCertificate: String { directory.appendingPathComponent("server-cert.pem").path }
    var serverKey: String { directory.appendingPathComponent("server-key.pem").path }
    /// The API's HTTPS base URL.
    var apiBase: String { "https://\(Topology.gatewayPublicAddress):\(BrokerUnderTest.httpPort)" }

    /// Runs `saffron tls init` for the gateway's public address into a scratch folder.
    static func make(_ label: String) throws -> TLSFolder {
        let directory = try Scratch.directory("tls-\(label)")
        try Command.check([
            E2E.binary, "tls", "init", "--dir", directory.path, "--ip", Topology.gatewayPublicAddress, "--force",
        ])
        return TLSFolder(directory: directory)
    }

    /// curl arguments trusting only this CA, quiet but for errors, bounded in time.
    func curl(_ arguments: [String]) -> [String] {
        ["curl", "-sS", "--max-time", "10", "--cacert", caCertificate] + arguments
    }
}
