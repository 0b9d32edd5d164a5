import Foundation
import Testing

extension EndToEnd {
    /// Pools whose desktops the broker makes itself: qcow2 overlays of a base image in a real libvirt storage pool,
    /// defined from a template and booted by real QEMU.
    @Suite struct TemplatePools {
        /// A broker with the volatile and the persistent template pool, serving.
        static func run(_ label: String, _ body: (BrokerUnderTest) throws -> Void) throws {
            try TemplateImages.serving(
                label, users: [TestUsers.alice] + TestUsers.crowd.prefix(2),
                pools: [(TemplateImages.volatilePool, "volatile"), (TemplateImages.persistentPool, "persistent")],
                maxVMs: 2, baseImage: TemplateImages.baseImage, template: TemplateImages.templateFile, body)
        }

        @Test("a volatile desktop is created on demand, and the next user gets it back clean from the base image")
        func volatileDesktopIsReset() throws {
            try Self.run("template-volatile") { broker in
                let pool = TemplateImages.volatilePool
                let alice = try API.login(TestUsers.alice)
                let (first, maybeSession) = try API.requestDesktop(pool, token: alice)
                #expect(first.status == 201, "\(first)")
                let session = try #require(maybeSession)
                #expect(session.vm == "\(pool)-001")
                #expect(TemplateImages.isRunning(session.vm))
                #expect(try TestVMs.spicePort(session.vm) > 0)
                #expect(try TemplateImages.overlayMatchesBase(session.vm), "a new desktop starts as the base image")

                // The user's work lands on the desktop's disk: written while the broker is down and the VM off for a
                // moment (QEMU locks a running image), then the VM runs again, so the broker finds the session as it
                // left it.
                broker.stop()
                try Command.check(TestVMs.virsh(["destroy", session.vm]))
                try TemplateImages.writeMarker(session.vm)
                #expect(try !TemplateImages.overlayMatchesBase(session.vm))
                try Command.check(TestVMs.virsh(["start", session.vm]))
                try broker.start()

                #expect(try API.release(session.id, token: alice).status == 204)
                #expect(!TemplateImages.isDefined(session.vm), "the used desktop is thrown away")
                #expect(!FileManager.default.fileExists(atPath: TemplateImages.overlay(session.vm)))
                let vms = try broker.poolVMs(pool)
                #expect(vms.first?["created"] as? Bool == false, "\(vms)")

                let bob = try API.login(TestUsers.crowd[0])
                let (second, nextSession) = try API.requestDesktop(pool, token: bob)
                #expect(second.status == 201, "\(second)")
                let next = try #require(nextSession)
                #expect(next.vm == session.vm)
                #expect(TemplateImages.isRunning(next.vm))
                #expect(try TemplateImages.overlayMatchesBase(next.vm), "the marker is gone: bob starts clean")
            }
        }

        @Test("a spare is booted before anyone asks, handed out, and replaced; a spare no longer wanted is powered off")
        func sparesAreKeptBooted() throws {
            try Self.run("template-spares") { broker in
                let pool = TemplateImages.volatilePool
                try broker.cli(["pool", "set", pool, "--spares", "1"])
                try waitUntil("the broker to boot a spare", timeout: 60, interval: 0.3) {
                    TemplateImages.isRunning("\(pool)-001")
                }
                let alice = try API.login(TestUsers.alice)
                let asked = Date()
                let (response, maybeSession) = try API.requestDesktop(pool, token: alice)
                print("E2E spares: handout of a running spare took \(Int(Date().timeIntervalSince(asked) * 1000)) ms")
                #expect(response.status == 201, "\(response)")
                #expect(try #require(maybeSession).vm == "\(pool)-001", "the spare is handed out")
                try waitUntil("the broker to boot the next spare", timeout: 60, interval: 0.3) {
                    TemplateImages.isRunning("\(pool)-002")
                }
                let vms = try broker.poolVMs(pool)
                #expect(vms.map { ($0["session"] as? [String: Any])?["user"] as? String } == [TestUsers.alice, nil], "\(vms)")

                // No spares wanted any more: the unused one is powered off after its linger time; alice's stays up.
                try broker.cli(["pool", "set", pool, "--spares", "0", "--spare-linger", "1"])
                try waitUntil("the broker to power off the surplus spare", timeout: 30, interval: 0.3) {
                    !TemplateImages.isRunning("\(pool)-002")
                }
                #expect(TemplateImages.isRunning("\(pool)-001"), "alice's desktop was powered off")
            }
        }

        @Test("a persistent desktop comes back to its user with their data, across logout and broker restart, until unassigned")
        func persistentDesktopStays() throws {
            try Self.run("template-persistent") { broker in
                let pool = TemplateImages.persistentPool
                var alice = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(pool, token: alice)
                let session = try #require(maybeSession)
                #expect(try API.release(session.id, token: alice).status == 204)
                #expect(TemplateImages.isDefined(session.vm), "ending the session keeps the desktop")

                try Command.check(TestVMs.virsh(["destroy", session.vm]))
                try TemplateImages.writeMarker(session.vm)
                #expect(try API.request("POST", "/api/v1/logout", token: alice).status == 204)
                broker.stop()
                try broker.start()

                let bob = try API.login(TestUsers.crowd[0])
                let (_, bobsSession) = try API.requestDesktop(pool, token: bob)
                #expect(try #require(bobsSession).vm == "\(pool)-002", "alice's desktop is not given to bob")

                alice = try API.login(TestUsers.alice)
                let (again, maybeAgain) = try API.requestDesktop(pool, token: alice)
                #expect(again.status == 201, "\(again)")
                let back = try #require(maybeAgain)
                #expect(back.vm == session.vm)
                #expect(TemplateImages.isRunning(back.vm), "her stopped desktop is started again")
                #expect(try !TemplateImages.overlayMatchesBase(back.vm), "her data is still there")

                #expect(throws: CommandError.self) { try broker.cli(["pool", "unassign", pool, back.vm]) }
                #expect(try API.release(back.id, token: alice).status == 204)
                try broker.cli(["pool", "unassign", pool, back.vm])
                #expect(!TemplateImages.isDefined(back.vm), "an unassigned desktop is reset for its next user")

                let carol = try API.login(TestUsers.crowd[1])
                let (_, carolsSession) = try API.requestDesktop(pool, token: carol)
                let carols = try #require(carolsSession)
                #expect(carols.vm == session.vm)
                #expect(try TemplateImages.overlayMatchesBase(carols.vm))
            }
        }
    }
}
