import Foundation
import Testing

extension EndToEnd {
    /// The broker keeps one libvirt connection per URI; a libvirtd restart must not leave it broken.
    @Suite struct LibvirtRestart {
        @Test("after libvirtd restarts, the broker reconnects and hands out desktops again")
        func reconnectsAfterLibvirtdRestart() throws {
            try BrokerFixture.run("libvirtd-restart") { broker in
                let alice = try API.login(TestUsers.alice)
                let (first, _) = try API.requestDesktop(BrokerFixture.pool, token: alice)
                #expect(first.status == 201, "\(first)")

                try Self.restartLibvirtd()

                let bob = try API.login(TestUsers.crowd[0])
                let (second, session) = try API.requestDesktop(BrokerFixture.pool, token: bob)
                #expect(second.status == 201, "a handout after the restart must work: \(second)\n\(broker.logTail())")
                if let session {
                    #expect(try API.console(session.id, token: bob).status == 200)
                }
            }
        }

        @Test("while libvirtd is down, a handout is answered 503 at once instead of hanging; then handouts work again")
        func answers503WhileLibvirtdIsDown() throws {
            try BrokerFixture.run("libvirtd-down") { broker in
                let alice = try API.login(TestUsers.alice)
                try Self.stopLibvirtd()
                var restarted = false
                defer { if !restarted { try? Self.startLibvirtd() } }
                let asked = Date()
                let (down, _) = try API.requestDesktop(BrokerFixture.pool, token: alice)
                let took = Date().timeIntervalSince(asked)
                print("E2E handout with libvirtd down: \(down.status) after \(String(format: "%.2f", took)) s: \(down.text)")
                #expect(down.status == 503 && down.errorCode == "hypervisor_unavailable", "\(down)\n\(broker.logTail())")
                #expect(took < 10, "the answer took \(took) s")
                #expect(try broker.sessionIDs().isEmpty, "the failed handout holds nothing")

                try Self.startLibvirtd()
                restarted = true
                let (up, _) = try API.requestDesktop(BrokerFixture.pool, token: alice)
                #expect(up.status == 201, "a handout once libvirtd is back: \(up)\n\(broker.logTail())")
            }
        }

        /// Stops libvirtd with SIGTERM, starts it again daemonized, and waits until it answers.
        static func restartLibvirtd() throws {
            try stopLibvirtd()
            try startLibvirtd()
        }

        /// Stops libvirtd with SIGTERM and waits until it has exited.
        static func stopLibvirtd() throws {
            // pgrep also lists zombies of earlier restarts (see below): take the one that runs.
            let pids = try Command.check(["pgrep", "-x", "libvirtd"]).output.split(separator: "\n").map(String.init)
            let old = try #require(pids.first { !isZombie($0) }, "libvirtd is not running")
            try Command.check(["kill", "-TERM", old])
            // Gone, or a zombie: a libvirtd this suite started daemonized belongs to PID 1, which in a container may
            // never reap it, and `kill -0` still finds a zombie.
            try waitUntil("libvirtd \(old) to exit", timeout: 30, interval: 0.2) { isZombie(old) }
        }

        /// Whether process `pid` is gone or a zombie.
        static func isZombie(_ pid: String) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }

        /// Starts libvirtd daemonized and waits until it answers.
        static func startLibvirtd() throws {
            // The daemon keeps the descriptors it was started with: give it a log file, not our pipes.
            let starter = try BackgroundProcess(["libvirtd", "-d"], stdout: E2E.artifact("libvirtd-restart.log"),
                                                stderr: E2E.artifact("libvirtd-restart.log"))
            _ = starter.wait(timeout: 30)
            try waitUntil("libvirtd to answer again", timeout: 30, interval: 0.3) {
                (try? Command.run(TestVMs.virsh(["list"])))?.status == 0
            }
        }
    }
}
