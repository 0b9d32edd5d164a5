import Foundation

/// The test bed's SPICE TLS: `Tests/run-all.sh` makes certificates for the hypervisor's address with
/// `saffron tls init` and has `deploy/prepare-host.sh` turn on libvirt's `spice_tls` with them.
enum SpiceTLSBed {
    /// The subject of the hypervisor's SPICE certificate.
    static let hostSubject = "O=Saffron,CN=\(Topology.hypervisorAddress)"

    static func folder() throws -> TLSFolder {
        guard let path = ProcessInfo.processInfo.environment["SAFFRON_E2E_SPICE_TLS"] else {
            throw CommandError(
                description: "SAFFRON_E2E_SPICE_TLS is not set: run the end-to-end tests through Tests/run-all.sh, which sets up SPICE TLS")
        }
        return TLSFolder(directory: URL(fileURLWithPath: path))
    }
}
