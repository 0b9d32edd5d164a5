import Foundation
import Testing

extension EndToEnd {
    /// The whole path a user takes: log in, get a desktop, open it in remote-viewer, give it back.
    @Suite struct Handout {
        @Test("a user gets a desktop, sees it in remote-viewer, and gives it back")
        func fullHandout() throws {
            try BrokerFixture.run("handout") { broker in
                let token = try API.login(TestUsers.alice)
                let office = try API.pool(BrokerFixture.pool, token: token)
                #expect(office.freeVMs == 3)
                #expect(office.vms == TestVMs.names.count)
                #expect(office.connect == TestVMs.connectURI)

                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                #expect(created.status == 201, "\(created)")
                let session = try #require(maybeSession, "no session in \(created)")
                #expect(session.host == Topology.gatewayPublicAddress)
                #expect(BrokerUnderTest.portRange.contains(session.port))
                #expect(session.user == TestUsers.alice)
                #expect(session.pool == BrokerFixture.pool)
                #expect(session.clientAddress == Topology.clientAddress)
                #expect(TestVMs.names.contains(session.vm))
                #expect(created.json()?["createdAt"] != nil)

                let (again, sameSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                #expect(again.status == 200, "asking twice must return the existing session: \(again)")
                #expect(sameSession == session)

                let spicePort = try TestVMs.spicePort(session.vm)
                let nat = try Topology.natTable()
                let rule = try #require(try Topology.dnatRule(session: session.id),
                                        "no DNAT rule for session \(session.id) in:\n\(nat)")
                #expect(rule.value(after: "-s") == "\(Topology.clientAddress)/32")
                #expect(rule.value(after: "-d") == "\(Topology.gatewayPublicAddress)/32")
                #expect(rule.value(after: "--dport") == String(session.port))
                #expect(rule.value(after: "--to-destination") == "\(Topology.hypervisorAddress):\(spicePort)")

                let console = try API.console(session.id, token: token)
                #expect(console.status == 200, "\(console)")
                #expect(console.headers["content-type"]?.hasPrefix("application/x-virt-viewer") == true)
                let disposition = console.headers["content-disposition"] ?? ""
                #expect(disposition.hasPrefix("attachment") && disposition.contains(".vv"), "\(disposition)")
                let vv = VirtViewerFile.parse(console.text)
                #expect(vv["type"] == "spice")
                #expect(vv["host"] == session.host)
                #expect(vv["port"] == String(session.port))
                #expect(vv["delete-this-file"] == "1")
                #expect(vv["title"]?.isEmpty == false)
                let password = try #require(vv["password"], "no password in console.vv:\n\(console.text)")
                #expect(!password.isEmpty && password.utf8.count <= 60)

                let display = try VirtualDisplay(log: E2E.artifact("handout-xvfb.log"))
                defer { display.stop() }
                let file = Scratch.file("desktop.vv")
                try console.body.write(to: file)
                let shot = E2E.artifact("handout-desktop.png")
                let seen = try display.open(file, screenshot: shot)
                print("E2E screenshot of the handed-out desktop: \(shot.path): \(seen)")
                #expect(seen.showsGuest, "remote-viewer did not show the guest's console: \(seen)")

                // Negative control: the same file with a wrong password must not show the guest.
                let wrongFile = Scratch.file("wrong-password.vv")
                try VirtViewerFile.replacingPassword(in: console.text, with: "wrong-\(password)")
                    .write(to: wrongFile, atomically: true, encoding: .utf8)
                let wrongShot = E2E.artifact("handout-wrong-password.png")
                let refused = try display.open(wrongFile, screenshot: wrongShot)
                print("E2E screenshot with a wrong password: \(wrongShot.path): \(refused)")
                #expect(refused.wasRefused, "\(refused)")

                let released = try API.release(session.id, token: token)
                #expect(released.status == 204, "\(released)")
                try waitUntil("the DNAT rule of session \(session.id) to go", timeout: 10) {
                    try Topology.dnatRule(session: session.id) == nil
                }
                try waitUntil("the pool to have 3 free VMs again", timeout: 60, interval: 0.5) {
                    try API.pool(BrokerFixture.pool, token: token).freeVMs == 3
                }
                let (next, nextSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                #expect(next.status == 201, "\(next)")
                #expect(nextSession?.port == session.port, "the freed public port should be handed out again")
                #expect(nextSession?.id != session.id)
            }
        }
    }
}
