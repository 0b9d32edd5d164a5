import Foundation

/// The libvirt storage pool and base image of the template-pool tests, and the broker pools made from them:
/// `saflab` (volatile) and `safmine` (persistent), two VMs each at most.
enum TemplateImages {
    static let storagePool = "saf-e2e-images"
    static let directory = "/var/tmp/saf-e2e-images"
    static let baseImage = "\(directory)/saf-e2e-base.qcow2"
    static let volatilePool = "saflab"
    static let persistentPool = "safmine"

    /// Starts a transient storage pool in a fresh directory with an empty 32 MiB qcow2 base image in it.
    static func create() throws {
        cleanup()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Command.check(TestVMs.virsh(["pool-create-as", storagePool, "dir", "--target", directory]))
        try Command.check(TestVMs.virsh([
            "vol-create-as", storagePool, "saf-e2e-base.qcow2", "32M", "--format", "qcow2",
        ]))
    }

    /// Removes the pools' domains, the storage pool and its directory; best effort.
    static func cleanup() {
        let names = (try? Command.run(TestVMs.virsh(["list", "--all", "--name"])).output) ?? ""
        let pools = [volatilePool, persistentPool, DesktopImage.volatilePool, DesktopImage.persistentPool]
        for name in names.split(separator: "\n").map(String.init)
        where pools.contains(where: { name.hasPrefix("\($0)-") }) {
            _ = try? Command.run(TestVMs.virsh(["destroy", name]))
            _ = try? Command.run(TestVMs.virsh(["undefine", name]))
        }
        _ = try? Command.run(TestVMs.virsh(["pool-destroy", storagePool]))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The template: the test domains' XML (SPICE on the hypervisor address, no disk of its own).
    static func templateFile() throws -> URL {
        let file = Scratch.file("template.xml")
        try TestVMs.domainXML(name: "saf-e2e-template", locked: false).write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The overlay of a VM the broker created.
    static func overlay(_ vm: String) -> String { "\(directory)/\(vm).qcow2" }

    /// Whether the overlay reads the same as the base image (`qemu-img compare`, sharing the image with a running VM).
    static func overlayMatchesBase(_ vm: String) throws -> Bool {
        let result = try Command.run(["qemu-img", "compare", "-U", baseImage, overlay(vm)])
        guard result.status == 0 || result.status == 1 else {
            throw CommandError(description: "qemu-img compare failed: \(result.summary)")
        }
        return result.status == 0
    }

    /// Writes a marker into the first 4 KiB of a stopped VM's overlay (`qemu-io`), the way a user's files would land.
    static func writeMarker(_ vm: String) throws {
        try Command.check(["qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 4k", overlay(vm)])
    }

    /// Whether libvirt has a domain named `vm`.
    static func isDefined(_ vm: String) -> Bool {
        (try? Command.run(TestVMs.virsh(["dominfo", vm])).status) == 0
    }

    static func isRunning(_ vm: String) -> Bool {
        ((try? Command.run(TestVMs.virsh(["domstate", vm])).output) ?? "").contains("running")
    }
}
