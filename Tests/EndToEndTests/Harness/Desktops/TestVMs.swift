import Foundation

/// The three disk-less test domains. They boot nothing and show the SeaBIOS screen (grey text on black) over
/// SPICE on the hypervisor's test address; the broker starts them, the tests only define and remove them.
enum TestVMs {
    static let names = (1...3).map { "saf-e2e-desk\($0)" }
    static let connectURI = "qemu:///system"

    /// The ticket a locked domain carries, already expired (`passwdValidTo` 1970) so nothing can log in with it.
    static let lockedTicket = "saf-e2e-locked"

    /// `virsh` with `arguments` on the system connection.
    static func virsh(_ arguments: [String]) -> [String] { ["virsh", "-q", "-c", connectURI] + arguments }

    /// The domain XML: KVM when /dev/kvm exists, software emulation otherwise; its SPICE server listens on `listen`.
    static func domainXML(name: String, locked: Bool, listen: String = Topology.hypervisorAddress) -> String {
        let type = FileManager.default.fileExists(atPath: "/dev/kvm") ? "kvm" : "qemu"
        let lock = locked ? " passwd='\(lockedTicket)' passwdValidTo='1970-01-01T00:00:00'" : ""
        return """
            <domain type='\(type)'>
              <name>\(name)</name>
              <memory unit='MiB'>96</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
              <devices>
                <graphics type='spice' autoport='yes' listen='\(listen)'\(lock)/>
                <video><model type='qxl'/></video>
              </devices>
            </domain>
            """
    }

    /// Removes left-overs, then defines the three domains shut off. `locked` is for the hand-made checks;
    /// the broker locks the domains itself in `pool add-vm`.
    static func recreate(locked: Bool = false) throws {
        cleanup()
        for name in names {
            let file = Scratch.file("\(name).xml")
            try domainXML(name: name, locked: locked).write(to: file, atomically: true, encoding: .utf8)
            try Command.check(virsh(["define", file.path]))
        }
    }

    /// Destroys and undefines the test domains; best effort, absent ones are fine.
    static func cleanup() {
        for name in names {
            _ = try? Command.run(virsh(["destroy", name]))
            _ = try? Command.run(virsh(["undefine", name]))
        }
    }

    static func start(_ name: String) throws {
        try Command.check(virsh(["start", name]))
    }

    /// The plain SPICE port QEMU listens on for a running domain (autoport), from `virsh domdisplay`
    /// (`spice://ADDRESS:PORT`, followed by `?tls-port=N` where libvirt's SPICE TLS is on).
    static func spicePort(_ name: String) throws -> Int {
        let uri = try Command.check(virsh(["domdisplay", name])).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let endpoint = uri.split(separator: "?", maxSplits: 1).first ?? ""
        guard uri.hasPrefix("spice://"), let port = endpoint.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw CommandError(description: "no SPICE port for \(name) in '\(uri)'")
        }
        return port
    }

    /// Sets a ticket on the running domain's SPICE server, valid until `validUntil`, keeping connected clients:
    /// the live update libvirt allows on graphics (passwd, passwdValidTo in UTC, connected).
    static func setLiveTicket(_ name: String, ticket: String, validUntil: Date) throws {
        let port = try spicePort(name)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let address = Topology.hypervisorAddress
        let xml = """
            <graphics type='spice' port='\(port)' autoport='yes' listen='\(address)' passwd='\(ticket)' \
            passwdValidTo='\(formatter.string(from: validUntil))' connected='keep'>
              <listen type='address' address='\(address)'/>
            </graphics>
            """
        let file = Scratch.file("\(name)-graphics.xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        try Command.check(virsh(["update-device", name, file.path, "--live"]))
    }
}
