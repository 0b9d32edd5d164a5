import Foundation

/// Keeps the load client and the relay under test off each other's cores: on a small machine they otherwise compete
/// for the same CPUs, and the scheduler's share per thread, not the relay's cost, decides the throughput.
struct CoreSplit: CustomStringConvertible {
    /// The cores of the benchmark's own threads (load client and target).
    let client: ClosedRange<Int>
    /// The cores of each relay's processes.
    let relay: ClosedRange<Int>

    /// The first half of the cores for the client side, the rest for the relay; nil on a single core.
    static func halves() -> CoreSplit? {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores >= 2 else { return nil }
        return CoreSplit(client: 0...(cores / 2 - 1), relay: (cores / 2)...(cores - 1))
    }

    var description: String { "load client and target on cores \(Self.list(self.client)), relays on \(Self.list(self.relay))" }

    /// Pins every thread of this process to the client cores (threads started later inherit it).
    func pinSelf() throws {
        try Self.pin(pid: getpid(), to: self.client)
    }

    /// Pins every thread of a relay process to the relay cores (processes it forks later inherit it).
    func pinRelay(pid: pid_t) throws {
        try Self.pin(pid: pid, to: self.relay)
    }

    private static func pin(pid: pid_t, to cores: ClosedRange<Int>) throws {
        let taskset = Process()
        taskset.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        taskset.arguments = ["--all-tasks", "--cpu-list", "--pid", Self.list(cores), "\(pid)"]
        taskset.standardOutput = FileHandle.nullDevice
        try taskset.run()
        taskset.waitUntilExit()
        guard taskset.terminationStatus == 0 else {
            throw BenchFailure("taskset could not pin process \(pid) to cores \(Self.list(cores))")
        }
    }

    private static func list(_ cores: ClosedRange<Int>) -> String {
        cores.count == 1 ? "\(cores.lowerBound)" : "\(cores.lowerBound)-\(cores.upperBound)"
    }
}
