import Foundation
import Glibc

/// A process and its descendants as `/proc` shows them: the CPU time and memory a relay uses, whether it is one
/// process (Saffron's gateway) or forks one per connection (websockify).
struct ProcessTree {
    let root: pid_t

    /// The root and every live descendant.
    func members() -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let fields = Self.statFields(of: pid), fields.count > 1 else { continue }
            parents[pid] = pid_t(fields[1])
        }
        var members: [pid_t] = [self.root]
        var index = 0
        while index < members.count {
            let parent = members[index]
            members += parents.filter { $0.value == parent }.map(\.key)
            index += 1
        }
        return members
    }

    /// CPU seconds used so far by the live members, and by children the root has already reaped.
    func cpuSeconds() -> Double {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        var ticks = 0
        for pid in self.members() {
            guard let fields = Self.statFields(of: pid), fields.count > 14 else { continue }
            // After the command name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
            ticks += (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
            if pid == self.root { ticks += (Int(fields[13]) ?? 0) + (Int(fields[14]) ?? 0) }
        }
        return Double(ticks) / ticksPerSecond
    }

    /// The proportional set size of all members in bytes (shared pages divided among the processes sharing them).
    func proportionalSetSize() -> Int {
        self.members().reduce(0) { total, pid in
            guard let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else {
                return total
            }
            let line = rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }
            let kibibytes = line?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return total + kibibytes * 1024
        }
    }

    /// Sends `signal` to every member, children first.
    func signalAll(_ signal: Int32) {
        for pid in self.members().reversed() { kill(pid, signal) }
    }

    /// The fields of `/proc/PID/stat` after the parenthesised command name (which may hold spaces).
    private static func statFields(of pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }
}
