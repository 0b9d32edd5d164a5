import Foundation
import Glibc

extension RelayUnderTest {
    /// Squid (Debian package `squid`) as a CONNECT proxy to the same target, with a minimal configuration in a
    /// directory of its own, in the foreground (`squid -N`); the directory goes when the relay stops.
    static func squid(target: BenchTarget, cores: CoreSplit?, fileDescriptors: Int) async throws -> RelayUnderTest {
        guard let program = Self.findProgram("squid") ?? Self.installedSquid else {
            throw BenchFailure("squid is not installed: apt-get install squid")
        }
        let port = try LoopbackSocket.freePort()
        let directory = try SquidConfiguration.makeDirectory()
        let configuration = SquidConfiguration(
            port: port, targetPort: target.port, directory: directory, fileDescriptors: fileDescriptors)
        let removeDirectory: () -> Void = { try? FileManager.default.removeItem(at: directory) }
        let relay: RelayUnderTest
        do {
            try configuration.text.write(to: configuration.file, atomically: true, encoding: .utf8)
            relay = try await Self.start(
                name: SquidConfiguration.relayName, program: program,
                path: .connectProxy(port: port, targetPort: target.port), cores: cores,
                arguments: ["-N", "-f", configuration.file.path])
        } catch {
            let log = (try? String(contentsOf: configuration.log, encoding: .utf8)) ?? ""
            removeDirectory()
            let lastLines = log.split(separator: "\n").suffix(10).joined(separator: "\n")
            throw BenchFailure("\(error); squid's log ends:\n\(lastLines)")
        }
        relay.afterStop = removeDirectory
        return relay
    }

    private static var installedSquid: URL? {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/squid") ? URL(fileURLWithPath: "/usr/sbin/squid") : nil
    }

    /// `squid -v`'s first line, e.g. "Squid Cache: Version 5.7".
    static func squidVersion() -> String {
        guard let program = Self.findProgram("squid") ?? Self.installedSquid else { return "squid not installed" }
        let process = Process()
        process.executableURL = program
        process.arguments = ["-v"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "squid version unknown" }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").first.map(String.init) ?? "squid version unknown"
    }
}

/// A squid.conf for the benchmark: CONNECT from 127.0.0.1 to the target's port only, nothing cached, no helpers,
/// logs and pid file in the run's own directory, and descriptors enough for every concurrent tunnel.
struct SquidConfiguration {
    static let relayName = "squid"

    let port: Int
    let targetPort: Int
    let directory: URL
    /// squid's `max_filedescriptors`: two per tunnel (client and target), and some for squid itself.
    let fileDescriptors: Int

    var file: URL { self.directory.appendingPathComponent("squid.conf") }
    var log: URL { self.directory.appendingPathComponent("cache.log") }

    var text: String {
        let directory = self.directory.path
        return """
            http_port 127.0.0.1:\(self.port)
            visible_hostname saffron-bench
            acl bench_client src 127.0.0.1/32
            acl bench_target dst 127.0.0.1/32
            acl bench_port port \(self.targetPort)
            acl CONNECT method CONNECT
            http_access allow CONNECT bench_client bench_target bench_port
            http_access deny all
            cache deny all
            cache_mem 0 MB
            max_filedescriptors \(self.fileDescriptors)
            access_log stdio:\(directory)/access.log
            cache_log \(directory)/cache.log
            pid_filename \(directory)/squid.pid
            coredump_dir \(directory)
            netdb_filename none
            pinger_enable off
            dns_nameservers 127.0.0.1
            shutdown_lifetime 0 seconds

            """
    }

    /// A fresh directory for the configuration, logs and pid file. Squid started by root drops to its user
    /// (`proxy` on Debian), which must be able to write there.
    static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("saffron-bench-squid-\(getpid())-\(UInt32.random(in: .min ... .max))")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        if getuid() == 0, let user = getpwnam("proxy") {
            chown(directory.path, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        return directory
    }
}
