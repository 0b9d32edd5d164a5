import Foundation
import Libvirt

/// The libvirt side of the boot storm: a transient storage pool in a directory of its own holding the base image
/// (an empty one, or the desktop image's), the template every desktop is made from, and the sweep that removes all of
/// it again.
struct StormEnvironment: Sendable {
    static let storagePool = "saf-bench-images"
    static let directory = "/var/tmp/saf-bench-images"
    static let baseVolume = "saf-bench-base.qcow2"
    static let desktopVolume = "saf-bench-desktop.qcow2"
    /// The broker pool; its desktops are the domains `storm-001`, `storm-002`, …
    static let brokerPool = "storm"

    /// The benchmark's own connection, apart from the broker's, for setting up and sweeping.
    let connection: LibvirtConnection
    /// The folder `deploy/desktop-image/build.sh` printed, when the desktops boot that image.
    let desktopImage: String?
    var connect: String { connection.uri }
    var baseImage: String { "\(Self.directory)/\(desktopImage == nil ? Self.baseVolume : Self.desktopVolume)" }

    static func open(connect: String, desktopImage: String? = nil) async throws -> StormEnvironment {
        StormEnvironment(connection: try await LibvirtConnection.open(connect), desktopImage: desktopImage)
    }

    /// Starts the storage pool in a fresh directory with the base image in it: a copy of the desktop image's, or an
    /// empty 32 MiB qcow2 one.
    func create() async throws {
        try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
        if let desktopImage {
            try FileManager.default.copyItem(atPath: "\(desktopImage)/desktop.qcow2", toPath: baseImage)
        }
        try Virsh(connect: connect).run(["pool-create-as", Self.storagePool, "dir", "--target", Self.directory])
        if desktopImage == nil {
            _ = try await connection.createBlankVolume(named: Self.baseVolume, inStoragePool: Self.storagePool, capacity: 32 << 20)
        }
    }

    /// Destroys and undefines the storm's domains and deletes their overlays, keeping the base image; returns how
    /// many domains went. Only domains whose disk lies in the storm's directory are touched, so a stranger's
    /// `storm-…` domain is safe.
    @discardableResult
    func removeDesktops() async -> Int {
        var removed = 0
        for info in (try? await connection.domains()) ?? [] where info.name.hasPrefix("\(Self.brokerPool)-") {
            guard let xml = try? await connection.xml(ofDomain: info.name, inactive: true),
                let disk = try? DomainXML.firstDiskPath(in: xml), disk.hasPrefix(Self.directory + "/")
            else { continue }
            if info.state != .shutoff { try? await connection.destroy(named: info.name) }
            try? await connection.undefine(named: info.name)
            removed += 1
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.directory)) ?? []
        for file in files where file.hasPrefix("\(Self.brokerPool)-") && file.hasSuffix(".qcow2") {
            if (try? await connection.deleteVolume(named: file, inStoragePool: Self.storagePool)) != true {
                try? FileManager.default.removeItem(atPath: "\(Self.directory)/\(file)")
            }
        }
        return removed
    }

    /// Waits until every running desktop of the storm shows its session (`DesktopReadiness`).
    func waitUntilDesktopsUsable() async throws {
        for info in try await connection.domains() where info.name.hasPrefix("\(Self.brokerPool)-") && info.state == .running {
            try await DesktopReadiness.waitUntilUsable(info.name, on: connection)
        }
    }

    /// Removes the desktops, the storage pool and its directory; best effort, also for what an earlier,
    /// interrupted run left behind.
    func tearDown() async {
        await removeDesktops()
        try? Virsh(connect: connect).run(["pool-destroy", Self.storagePool])
        try? FileManager.default.removeItem(atPath: Self.directory)
    }

    /// The desktop image's own template (SPICE on 127.0.0.1 where the benchmark's client attaches), or else the
    /// empty one below.
    func templateXML() throws -> String {
        guard let desktopImage else { return Self.emptyTemplateXML() }
        return try String(contentsOfFile: "\(desktopImage)/template.xml", encoding: .utf8)
    }

    /// The template: no disk of its own (the broker adds the overlay), SPICE with qxl on 127.0.0.1 where the
    /// benchmark's client attaches, 96 MiB; KVM when /dev/kvm exists. The guest finds nothing to boot and idles
    /// in SeaBIOS, so a boot is QEMU starting, not an operating system.
    static func emptyTemplateXML() -> String {
        let type = FileManager.default.fileExists(atPath: "/dev/kvm") ? "kvm" : "qemu"
        return """
            <domain type='\(type)'>
              <name>storm-template</name>
              <memory unit='MiB'>96</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
              <devices>
                <graphics type='spice' autoport='yes' listen='127.0.0.1'/>
                <video><model type='qxl'/></video>
              </devices>
            </domain>
            """
    }
}
