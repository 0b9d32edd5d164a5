import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program that could not be run, failed, or did not end in time.
struct CommandError: Error, CustomStringConvertible {
    let description: String
}

/// What a finished program printed and how it exited.
struct CommandResult: Sendable {
    let arguments: [String]
    let status: Int32
    let stdout: Data
    let stderr: Data

    var output: String { String(decoding: stdout, as: UTF8.self) }
    var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
    var summary: String {
        "`\(arguments.joined(separator: " "))` exited \(status): \(errorOutput.suffix(2000))"
    }
}

/// Scratch space for program output, request bodies and configs: one folder per test process.
enum Scratch {
    static let root: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("saffron-e2e-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A fresh, not yet existing path whose name ends in `name`.
    static func file(_ name: String) -> URL {
        root.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(name)")
    }

    /// A fresh, empty directory.
    static func directory(_ name: String) throws -> URL {
        let url = file(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A program running beside the test (broker, Xvfb, remote-viewer, a request in flight); output goes to files,
/// so a chatty program never blocks on a full pipe.
final class BackgroundProcess {
    let arguments: [String]
    let stdoutURL: URL
    let stderrURL: URL
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `arguments[0]` (looked up in PATH) with the rest as its arguments, never through a shell.
    /// `stdout`/`stderr` may name the same file; existing files are appended to.
    init(_ arguments: [String], input: Data? = nil, stdout: URL? = nil, stderr: URL? = nil) throws {
        precondition(!arguments.isEmpty, "no program to run")
        self.arguments = arguments
        stdoutURL = stdout ?? Scratch.file("stdout")
        stderrURL = stderr ?? Scratch.file("stderr")
        process.executableURL = URL(fileURLWithPath: try Command.resolve(arguments[0]))
        process.arguments = Array(arguments.dropFirst())

        let out = try Self.appending(to: stdoutURL)
        let err = stderrURL == stdoutURL ? out : try Self.appending(to: stderrURL)
        var inputHandle: FileHandle?
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inputURL = Scratch.file("stdin")
            try input.write(to: inputURL)
            inputHandle = try FileHandle(forReadingFrom: inputURL)
            process.standardInput = inputHandle
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        defer {
            try? out.close()
            if err !== out { try? err.close() }
            try? inputHandle?.close()
        }
        try Self.launchWithSignalsUnblocked(process)
    }

    /// Starts `process` from a fresh thread whose signal mask is empty. posix_spawn hands the calling thread's
    /// mask to the child, and the test runner's worker threads block almost every signal: a child started from
    /// one of them would never see SIGTERM, so the broker could not be stopped gracefully.
    private static func launchWithSignalsUnblocked(_ process: Process) throws {
        let launch = Launch(process)
        Thread { launch.run() }.start()
        launch.done.wait()
        if let error = launch.error { throw error }
    }

    private static func appending(to url: URL) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        return handle
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var output: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var errorOutput: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits up to `timeout` seconds for the program to end: its exit status, or nil while it still runs.
    func wait(timeout: TimeInterval) -> Int32? {
        guard exited.wait(timeout: .now() + timeout) == .success else { return nil }
        exited.signal()  // keep it signalled for later callers
        return process.terminationStatus
    }

    /// Asks the program to end (SIGTERM) and kills it (SIGKILL) after `grace` seconds; its exit status.
    @discardableResult
    func stop(grace: TimeInterval = 10) -> Int32 {
        if let status = wait(timeout: 0) { return status }
        let started = Date()
        defer {
            if Command.trace {
                let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                print("E2E trace: \(seconds) s to stop \(arguments.joined(separator: " "))")
            }
        }
        kill(pid, SIGTERM)
        if let status = wait(timeout: grace) { return status }
        kill(pid, SIGKILL)
        return wait(timeout: 10) ?? -1
    }

    /// Removes the output files (not those named by the caller as logs: call only for scratch output).
    func removeOutputFiles() {
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
    }
}

/// Runs programs from argument arrays and waits for them, with a time limit.
enum Command {
    /// `SAFFRON_E2E_TRACE=1` prints every command with its duration.
    static let trace = ProcessInfo.processInfo.environment["SAFFRON_E2E_TRACE"] == "1"

    /// The path of `name`, searched in PATH and then in the usual system folders (`ip`, `iptables` live in sbin).
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        throw CommandError(description: "\(name) not found (deploy/prepare-host.sh installs the tools)")
    }

    /// Runs a program to its end and returns what it printed, whatever its exit status.
    @discardableResult
    static func run(_ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60) throws -> CommandResult {
        let started = Date()
        let process = try BackgroundProcess(arguments, input: input)
        defer {
            process.removeOutputFiles()
            if trace {
                let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                print("E2E trace: \(seconds) s \(arguments.joined(separator: " "))")
            }
        }
        guard let status = process.wait(timeout: timeout) else {
            process.stop(grace: 2)
            throw CommandError(description: "`\(arguments.joined(separator: " "))` did not end within \(timeout) s")
        }
        let stdout = (try? Data(contentsOf: process.stdoutURL)) ?? Data()
        let stderr = (try? Data(contentsOf: process.stderrURL)) ?? Data()
        return CommandResult(arguments: arguments, status: status, stdout: stdout, stderr: stderr)
    }

    /// Runs a program and throws unless it exits 0.
    @discardableResult
    static func check(_ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60) throws -> CommandResult {
        let result = try run(arguments, input: input, timeout: timeout)
        guard result.status == 0 else { throw CommandError(description: result.summary) }
        return result
    }
}

/// Carries a `Process` to the thread that launches it, and the launch error back.
/// `@unchecked Sendable`: only the launching thread touches `process` and `error` until it signals `done`,
/// and the caller reads `error` only after waiting on `done`.
private final class Launch: @unchecked Sendable {
    let process: Process
    let done = DispatchSemaphore(value: 0)
    var error: (any Error)?

    init(_ process: Process) {
        self.process = process
    }

    func run() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        do {
            try process.run()
        } catch {
            self.error = error
        }
        done.signal()
    }
}
