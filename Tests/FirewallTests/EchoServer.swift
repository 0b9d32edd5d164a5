import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP echo server on 127.0.0.1 inside a test namespace (python3), stopped by ``stop()``.
///
/// `@unchecked Sendable` is safe: `process` is set once in `init` and is then only read.
final class EchoServer: @unchecked Sendable {
    static let python = ["/usr/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? Shell.which("python3")

    /// Echoes each connection's bytes back until EOF; exits by itself after two minutes at most.
    static let serverScript = """
        import socket, sys, threading, signal
        signal.pthread_sigmask(signal.SIG_SETMASK, [])  # Process passes on the test thread's blocked signals
        signal.alarm(120)
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
        def echo(c):
            with c:
                while (d := c.recv(4096)): c.sendall(d)
        while True:
            c, _ = s.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
        """

    /// Connects to 127.0.0.1:argv[1], sends argv[2], prints the echo; exits 3 when refused.
    static let clientScript = """
        import socket, sys
        try:
            c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
        except ConnectionRefusedError:
            print("refused", end=""); sys.exit(3)
        c.sendall(sys.argv[2].encode()); c.shutdown(socket.SHUT_WR)
        data = b""
        while (d := c.recv(4096)): data += d
        print(data.decode(), end="")
        """

    /// Connects to 127.0.0.1:argv[1], has "one" echoed, creates file argv[2], waits for file argv[3], then sends
    /// "two": prints "one two" when it is echoed too, else "one reset" or "one closed" (the connection was cut).
    static let heldClientScript = """
        import socket, sys, os, time
        c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
        c.sendall(b"one"); first = c.recv(16).decode()
        open(sys.argv[2], "w").close()
        deadline = time.time() + 30
        while not os.path.exists(sys.argv[3]) and time.time() < deadline: time.sleep(0.01)
        try:
            c.sendall(b"two"); second = c.recv(16).decode() or "closed"
        except (ConnectionResetError, BrokenPipeError):
            second = "reset"
        except socket.timeout:
            second = "timeout"
        print(first, second, end="")
        """

    private let process: Process
    private let exited = DispatchSemaphore(value: 0)

    /// Starts the server on `port` in `namespace`; call ``waitUntilListening(in:port:)`` next.
    init(namespace: TestNamespace, port: Int) throws {
        guard let python = Self.python, let ip = Shell.which("ip") else { throw ShellError(message: "python3 or ip missing") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = ["netns", "exec", namespace.name, python, "-c", Self.serverScript, String(port)]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    /// Polls `ss` until something listens on `port`, or throws after `timeout`.
    static func waitUntilListening(in namespace: TestNamespace, port: Int, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let result = try await namespace.run(["ss", "-Hltn", "sport = :\(port)"])
            if !result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ShellError(message: "nothing listening on port \(port) after \(timeout)")
    }

    /// Sends `message` to 127.0.0.1:`port` from inside the namespace; returns the echo or "refused".
    static func send(_ message: String, to port: Int, in namespace: TestNamespace) async throws -> String {
        guard let python else { throw ShellError(message: "python3 missing") }
        return try await namespace.run([python, "-c", clientScript, String(port), message]).stdout
    }

    /// Kills the server (SIGKILL: it may have inherited a blocked SIGTERM) and waits for it to exit.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        exited.wait()
    }
}
