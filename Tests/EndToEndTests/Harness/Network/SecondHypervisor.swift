import Foundation
import Glibc

/// A second hypervisor host beside the root namespace's: libvirtd and virtlogd in a network namespace of their own
/// with private `/run/libvirt`, `/var/lib/libvirt`, `/etc/libvirt` (a copy without the host's domains) and
/// `/var/log/libvirt`, listening on TCP without authentication on the test link only. The gateway reaches it as
/// `qemu+tcp://198.18.3.1/system`; its VMs' SPICE servers listen on that address.
///
///     gateway 198.18.3.2 ── 198.18.3.1 second hypervisor
final class SecondHypervisor {
    static let namespace = "saf-e2e-hv2"
    static let address = "198.18.3.1"
    static let gatewayAddress = "198.18.3.2"
    static let connectURI = "qemu+tcp://\(address)/system"
    /// Its private folders, mounted over the system's inside its mount namespace.
    static let root = URL(fileURLWithPath: "/tmp/saf-e2e-hv2")
    private static let link = "saf-e2e-h2"
    private static let gatewayLink = "saf-e2e-h2g"
    private static let mounts = [("run", "/run/libvirt"), ("lib", "/var/lib/libvirt"), ("etc", "/etc/libvirt"), ("log", "/var/log/libvirt")]

    /// `virsh ARGUMENTS` against this host, from the gateway namespace as the broker reaches it.
    static func virsh(_ arguments: [String]) -> [String] {
        Topology.inGateway(["virsh", "-q", "-c", connectURI] + arguments)
    }

    /// The holder of the mount namespace, virtlogd and libvirtd, in the foreground so the test owns them.
    private var processes: [BackgroundProcess] = []
    private var libvirtd: BackgroundProcess?

    /// Builds the namespace, its link to the gateway (which `Topology.up()` made) and the folders, then starts
    /// virtlogd and libvirtd there and waits until libvirtd answers over TCP.
    static func up() throws -> SecondHypervisor {
        removeLeftovers()
        let host = SecondHypervisor()
        do {
            try host.start()
        } catch {
            host.down()
            throw error
        }
        return host
    }

    private func start() throws {
        let (root, address, namespace, mounts) = (Self.root, Self.address, Self.namespace, Self.mounts)
        let fileManager = FileManager.default
        for (name, _) in mounts {
            try fileManager.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        _ = try Command.check(["cp", "-a", "/etc/libvirt/.", root.appendingPathComponent("etc").path])
        let qemuConfig = root.appendingPathComponent("etc/qemu")
        for file in (try? fileManager.contentsOfDirectory(atPath: qemuConfig.path)) ?? [] where file.hasSuffix(".xml") {
            try fileManager.removeItem(at: qemuConfig.appendingPathComponent(file))
        }
        try? fileManager.removeItem(at: qemuConfig.appendingPathComponent("networks/autostart"))
        let config = root.appendingPathComponent("etc/saffron-test-libvirtd.conf")
        try "listen_tcp = 1\nlisten_tls = 0\nauth_tcp = \"none\"\nlisten_addr = \"\(address)\"\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["ip", "netns", "add", namespace],
            ["ip", "-n", namespace, "link", "set", "lo", "up"],
            ["ip", "-n", Topology.gateway, "link", "add", Self.gatewayLink, "type", "veth", "peer", "name", Self.link, "netns", namespace],
            ["ip", "-n", Topology.gateway, "addr", "add", "\(Self.gatewayAddress)/24", "dev", Self.gatewayLink],
            ["ip", "-n", Topology.gateway, "link", "set", Self.gatewayLink, "up"],
            ["ip", "-n", namespace, "addr", "add", "\(address)/24", "dev", Self.link],
            ["ip", "-n", namespace, "link", "set", Self.link, "up"],
        ]
        for step in steps { try Command.check(step) }
        // A process that only holds the private mount namespace; the daemons are started inside it.
        let holder = try BackgroundProcess(
            ["ip", "netns", "exec", namespace, "unshare", "-m", "--propagation", "private", "sleep", "infinity"])
        processes.append(holder)
        try waitUntil("the mount namespace of the second hypervisor", timeout: 10, interval: 0.05) { Self.isSleeping(holder.pid) }
        let inside = ["nsenter", "-t", String(holder.pid), "-m", "-n", "--"]
        try String(holder.pid).write(to: root.appendingPathComponent("run-holder.pid"), atomically: true, encoding: .utf8)
        for (name, target) in mounts {
            try Command.check(inside + ["mount", "--bind", root.appendingPathComponent(name).path, target])
        }
        processes.append(try foreground("virtlogd", inside + ["virtlogd", "-p", "/run/libvirt/virtlogd.pid"]))
        let libvirtd = try foreground(
            "libvirtd", inside + ["libvirtd", "-l", "-f", "/etc/libvirt/saffron-test-libvirtd.conf", "-p", "/run/libvirt/libvirtd.pid"])
        self.libvirtd = libvirtd
        processes.append(libvirtd)
        try waitUntil("the second hypervisor's libvirtd to answer", timeout: 30, interval: 0.2) {
            if let status = libvirtd.wait(timeout: 0) {
                throw CommandError(description: "the second hypervisor's libvirtd exited with \(status): \(libvirtd.output)")
            }
            return try Command.run(Self.virsh(["uri"])).status == 0
        }
    }

    /// Starts a daemon in the foreground, its output in the artifacts.
    private func foreground(_ name: String, _ arguments: [String]) throws -> BackgroundProcess {
        let log = E2E.artifact("second-hypervisor-\(name).log")
        try? FileManager.default.removeItem(at: log)
        return try BackgroundProcess(arguments, stdout: log, stderr: log)
    }

    /// Stops its libvirtd as a crash would: the VMs keep running, nothing answers at `connectURI`.
    func stopLibvirtd() {
        _ = libvirtd?.stop(grace: 0)
    }

    /// Stops its VMs and daemons and removes the namespace, its link and folders; best effort.
    func down() {
        Self.removeLeftovers()
        for process in processes.reversed() { _ = process.stop(grace: 2) }
    }

    /// Kills what a run left behind (by the pid files in its folders) and removes the namespace, its link and the
    /// folders; best effort.
    static func removeLeftovers() {
        for qemu in (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("run/qemu").path)) ?? []
        where qemu.hasSuffix(".pid") {
            kill(pidFile: "qemu/\(qemu)")
        }
        kill(pidFile: "libvirtd.pid")
        kill(pidFile: "virtlogd.pid")
        kill(pidFile: "../run-holder.pid")
        _ = try? Command.run(["ip", "netns", "delete", namespace])
        _ = try? Command.run(["ip", "-n", Topology.gateway, "link", "delete", gatewayLink])
        try? FileManager.default.removeItem(at: root)
    }

    private static func kill(pidFile: String) {
        let path = root.appendingPathComponent("run").appendingPathComponent(pidFile).path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return }
        _ = Glibc.kill(pid, SIGKILL)
    }

    /// Whether `pid` runs `sleep` by now: `ip netns exec` and `unshare` exec what they run without forking, so the
    /// holder becomes the sleeper once both namespaces exist.
    private static func isSleeping(_ pid: Int32) -> Bool {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("sleep") == true
    }
}
