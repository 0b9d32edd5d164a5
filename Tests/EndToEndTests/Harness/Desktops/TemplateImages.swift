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

extension TemplateImages {
    /// A broker serving template pools of the test storage pool, on fresh namespaces: `pools` (name and `--desktops`
    /// mode) of `maxVMs` each from `template()` and `baseImage`, and `users`. `prepare` runs once the storage pool
    /// exists (with its empty base image), to put another base image beside it. Everything is removed afterwards.
    static func serving(
        _ label: String, users: [String], pools: [(name: String, mode: String)], maxVMs: Int, baseImage: String,
        prepare: () throws -> Void = {}, template: () throws -> URL, extraConfig: String = "",
        _ body: (BrokerUnderTest) throws -> Void
    ) throws {
        guard getuid() == 0 else { throw CommandError(description: "the end-to-end tests need root") }
        cleanup()
        try Topology.up()
        defer {
            cleanup()
            Topology.down()
        }
        try create()
        try prepare()
        let broker = try BrokerUnderTest(label: label, extraConfig: extraConfig)
        defer { broker.stop() }
        try broker.cli(["init"])
        for user in users {
            try broker.cli(["user", "add", user], input: TestUsers.password(user) + "\n")
        }
        let templatePath = try template().path
        for pool in pools {
            try broker.cli([
                "pool", "create", pool.name, "--connect", TestVMs.connectURI, "--template", templatePath,
                "--base-image", baseImage, "--storage-pool", storagePool, "--max-vms", "\(maxVMs)", "--desktops", pool.mode,
            ])
        }
        try broker.start()
        try body(broker)
    }
}
