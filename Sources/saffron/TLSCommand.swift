import ArgumentParser
import Foundation
import SaffronApp

/// `saffron tls init`: Saffron's own CA and a server certificate, for HTTPS and for libvirt's SPICE TLS.
struct TLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls", abstract: "Create the certificates for HTTPS and SPICE TLS.", subcommands: [Init.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a CA and a server certificate it signs (ca-cert.pem, server-cert.pem and their keys).",
            discussion: """
                The folder's layout is the one libvirt expects of spice_tls_x509_cert_dir in qemu.conf, so the same \
                files serve the broker (tls.certificate, tls.key) and QEMU's SPICE servers. Name every address and \
                DNS name clients use to reach the broker and the hypervisors.
                """)
        @Option(help: "Folder for the PEM files.") var dir = "/etc/saffron/tls"
        @Option(name: .customLong("name"), help: "A DNS name the certificate is for (repeatable).") var names: [String] = []
        @Option(name: .customLong("ip"), help: "An IP address the certificate is for (repeatable).") var addresses: [String] = []
        @Option(help: "Days the server certificate is valid.") var days = 825
        @Flag(help: "Replace certificates already in the folder.") var force = false
        @Flag(help: "Print JSON.") var json = false

        /// What `--json` prints.
        struct Report: Encodable {
            var directory: String
            var files: [String]
            var hostSubject: String
        }

        func validate() throws {
            guard !names.isEmpty || !addresses.isEmpty else {
                throw ValidationError("Give at least one --name or --ip the certificate is for.")
            }
        }

        func run() async throws {
            let files = TLSFiles(directory: URL(fileURLWithPath: dir))
            var request = CertificateAuthority.Request(names: names, addresses: addresses)
            request.days = days
            try CertificateAuthority.initialize(files, for: request, replace: force)
            let subject = try CertificateAuthority.hostSubject(ofCertificateAt: files.serverCertificate)
            if json {
                try Output.json(Report(directory: dir, files: files.all.map(\.path), hostSubject: subject))
                return
            }
            print("""
                Wrote \(files.all.map(\.lastPathComponent).joined(separator: ", ")) to \(dir) (keys readable by root only).
                Server certificate for \((names + addresses).joined(separator: ", ")), valid \(days) days; host subject: \(subject)
                HTTPS for the broker: set tls.certificate = \(files.serverCertificate.path) and tls.key = \(files.serverKey.path).
                SPICE TLS: in /etc/libvirt/qemu.conf set spice_tls = 1 and spice_tls_x509_cert_dir = "\(dir)", then restart libvirtd.
                Clients trust \(files.caCertificate.path).
                """)
        }
    }
}
