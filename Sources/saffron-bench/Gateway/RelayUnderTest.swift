import Foundation
import Glibc

/// One of the relays a benchmark compares, running and ready: raw TCP (no relay at all), or a relay in processes of
/// its own (Saffron's gateway or CONNECT proxy, websockify, squid).
final class RelayUnderTest {
    var name: String
    let path: RelayPath
    private let process: Process?
    /// Our end of the relay's standard input: Saffron's relays exit when it closes.
    private let lifeline: Pipe?
    /// Runs once the relay stopped, e.g. to remove the files it needed.
    var afterStop: (() -> Void)?

    private init(name: String, path: RelayPath, process: Process?, lifeline: Pipe? = nil) {
        self.name = name
        self.path = path
        self.process = process
        self.lifeline = lifeline
    }

    /// The baseline: the load client connects to the target itself.
    static func rawTCP(target: BenchTarget) -> RelayUnderTest {
        RelayUnderTest(name: "raw TCP", path: .direct(targetPort: target.port), process: nil)
    }

    /// Saffron's `WebSocketGateway`, run by this program's hidden `gateway-relay` command: relaying with the splice
    /// engine, or on NIO's event loops when `eventLoop`.
    static func saffronGateway(eventLoop: Bool) -> (BenchTarget, CoreSplit?) async throws -> RelayUnderTest {
        { target, cores in
            try await Self.saffron("gateway-relay", target: target, cores: cores, extraArguments: eventLoop ? ["--event-loop"] : []) {
                .webSocket(port: $0)
            }
        }
    }

    /// One of this program's hidden relay commands, listening on a free port and relaying to `target`; `path` says
    /// how the load client goes through it on that port.
    static func saffron(
        _ command: String, target: BenchTarget, cores: CoreSplit?, extraArguments: [String] = [],
        path: (Int) -> RelayPath
    ) async throws -> RelayUnderTest {
        let port = try LoopbackSocket.freePort()
        let program = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return try await Self.start(
            name: "saffron", program: program, path: path(port), cores: cores,
            arguments: [command, "--port", "\(port)", "--target-port", "\(target.port)"] + extraArguments)
    }

    /// websockify (Debian package `websockify`) relaying to the same target.
    static func websockify(target: BenchTarget, cores: CoreSplit?) async throws -> RelayUnderTest {
        guard let program = Self.findProgram("websockify") else {
            throw BenchFailure("websockify is not installed: apt-get install websockify")
        }
        let port = try LoopbackSocket.freePort()
        return try await Self.start(
            name: "websockify", program: program, path: .webSocket(port: port), cores: cores,
            arguments: ["127.0.0.1:\(port)", "127.0.0.1:\(target.port)"])
    }

    /// The relay's processes (nil for raw TCP).
    var tree: ProcessTree? {
        self.process.map { ProcessTree(root: $0.processIdentifier) }
    }

    /// CPU seconds the relay has used so far (0 for raw TCP).
    func cpuSeconds() -> Double {
        self.tree?.cpuSeconds() ?? 0
    }

    /// Stops the relay and every process it forked, then runs `afterStop`.
    func stop() {
        guard let process = self.process, let tree = self.tree else { return }
        tree.signalAll(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(3)
        while process.isRunning, ContinuousClock.now < deadline {
            usleep(20_000)
        }
        // Whatever ignored SIGTERM (websockify's per-connection children may) goes now.
        tree.signalAll(SIGKILL)
        self.afterStop?()
    }

    /// Starts `program` and returns once it accepts connections on `path`'s port, pinned to the relay cores if given.
    static func start(
        name: String, program: URL, path: RelayPath, cores: CoreSplit?, arguments: [String]
    ) async throws -> RelayUnderTest {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let lifeline = Pipe()
        process.standardInput = lifeline
        try process.run()
        let relay = RelayUnderTest(name: name, path: path, process: process, lifeline: lifeline)
        let deadline = ContinuousClock.now + .seconds(15)
        while !LoopbackSocket.isOpen(port: path.port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                relay.stop()
                throw BenchFailure("\(name) did not start listening on 127.0.0.1:\(path.port)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        do {
            try cores?.pinRelay(pid: process.processIdentifier)
        } catch {
            relay.stop()
            throw error
        }
        return relay
    }

    /// The first executable called `name` on the `PATH`.
    static func findProgram(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
