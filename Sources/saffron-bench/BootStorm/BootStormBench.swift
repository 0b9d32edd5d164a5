import ArgumentParser
import Foundation
import Libvirt

/// `saffron-bench boot-storm`: many users asking for desktops at once, from a template pool without spares and
/// with them, on real QEMU.
struct BootStormBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot-storm",
        abstract: """
            Boot-storm benchmark: N users ask for desktops of a volatile template pool at once and attach to them \
            over SPICE, once cold (every handout creates and boots its VM) and once with K spares booted \
            beforehand; prints handout p50/p99/max, time until all are handed out and attached, and the ratios.
            """)

    @Option(help: "Users asking at once; the pool may create as many VMs (each 96 MiB of guest memory).")
    var users = 20
    @Option(help: "Spares booted before the second storm (default: as many as users).")
    var spares: Int?
    @Option(help: "Spares booted at once while filling them (the pool policy's boot limit).")
    var bootLimit = 4
    @Option(help: "libvirt URI the pool's VMs run on.")
    var connect = "qemu:///system"
    @Option(help: """
        A desktop image folder from deploy/desktop-image/build.sh: the desktops boot it (each takes about 640 MiB), \
        and each user also waits until their desktop's session shows (time to a usable desktop).
        """)
    var desktopImage: String?

    var spareCount: Int { spares ?? users }

    func validate() throws {
        guard (1...999).contains(users) else { throw ValidationError("--users must be 1 to 999 (a pool's largest size).") }
        guard (0...users).contains(spareCount) else { throw ValidationError("--spares must be 0 to --users.") }
        guard (1...64).contains(bootLimit) else { throw ValidationError("--boot-limit must be 1 to 64.") }
        if let desktopImage {
            for file in ["desktop.qcow2", "template.xml"] where !FileManager.default.fileExists(atPath: "\(desktopImage)/\(file)") {
                throw ValidationError("--desktop-image \(desktopImage) has no \(file): give the folder deploy/desktop-image/build.sh prints.")
            }
        }
        let perVM = desktopImage == nil ? Self.memoryPerVM : Self.memoryPerDesktop
        if let available = Self.availableMemory(), users * perVM > available {
            throw ValidationError(
                "\(users) VMs need about \(users * perVM >> 20) MiB; only \(available >> 20) MiB are available.")
        }
    }

    func run() async throws {
        guard getuid() == 0 else { throw ValidationError("Run as root: the benchmark makes a libvirt storage pool in /var/tmp.") }
        signal(SIGPIPE, SIG_IGN)  // a SPICE server that hangs up makes a write fail instead of killing the benchmark
        let environment = try await StormEnvironment.open(connect: connect, desktopImage: desktopImage)
        let report = BootStormReport.self
        await environment.tearDown()
        do {
            report.progress("creating storage pool \(StormEnvironment.storagePool) in \(StormEnvironment.directory)"
                + (desktopImage.map { " with the desktop image of \($0)" } ?? ""))
            try await environment.create()
            let scenarios = try await Interruption.cancellingOnSignal { [self] in try await self.scenarios(environment) }
            report.print(scenarios, bootLimit: bootLimit)
        } catch {
            report.progress("stopping: \(error); removing the storm's VMs and storage pool")
            await environment.tearDown()
            environment.connection.close()
            throw error
        }
        report.progress("removing the storm's VMs and storage pool")
        await environment.tearDown()
        environment.connection.close()
    }

    /// Cold, then with spares, each with a broker of its own and a clean slate.
    private func scenarios(_ environment: StormEnvironment) async throws -> [StormScenario] {
        var scenarios: [StormScenario] = []
        for (name, spares) in [("cold", 0), ("spares", spareCount)] {
            let report = BootStormReport.self
            report.progress("\(name): creating a broker with \(users) users and pool \(StormEnvironment.brokerPool) (\(spares) spares)")
            let stage = try await StormBroker.make(environment: environment, users: users)
            var fillTime: Duration?
            if spares > 0 {
                report.progress("\(name): booting \(spares) spares, \(bootLimit) at once")
                do {
                    fillTime = try await stage.fillSpares(spares, bootLimit: bootLimit, progress: report.progress)
                    if desktopImage != nil {
                        // A spare desktop is ready for its user once its session shows, not when QEMU runs.
                        let started = ContinuousClock.now
                        try await environment.waitUntilDesktopsUsable()
                        fillTime = fillTime.map { $0 + (ContinuousClock.now - started) }
                        report.progress("\(name): every spare shows its session")
                    }
                } catch {
                    stage.removeStore()
                    throw error
                }
            }
            report.progress("\(name): \(users) users ask for desktops at once")
            let result = await StormRun(stage: stage, desktops: desktopImage == nil ? nil : environment.connection).run()
            report.progress("\(name): done, \(result.failures.count) failures; ending sessions and removing the VMs")
            await stage.finish()
            await environment.removeDesktops()
            scenarios.append(StormScenario(name: name, spares: spares, result: result, fillTime: fillTime))
        }
        return scenarios
    }

    /// Guest memory plus QEMU's own, with room to spare, per VM.
    static let memoryPerVM = 256 << 20
    /// The same for a desktop of the desktop image: 384 MiB of guest memory, QEMU's video memory and (under software
    /// emulation) its translation cache.
    static let memoryPerDesktop = 640 << 20

    /// `MemAvailable` of /proc/meminfo in bytes, or nil where it cannot be read.
    static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kib << 10
    }
}
