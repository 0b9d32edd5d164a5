import Foundation
import Testing

extension EndToEnd {
    /// The harness checked against hand-made parts only, no broker: a domain locked and then given a ticket with
    /// virsh, a DNAT rule written by hand in the gateway. If this fails, the broker's tests cannot pass either,
    /// and the fault is in the host (libvirt, KVM, Xvfb, remote-viewer), not in Saffron.
    @Suite struct HarnessSelfCheck {
        @Test("hand-made forwarding shows the guest; SPICE refuses wrong tickets")
        func handMadeForwarding() throws {
            TestVMs.cleanup()
            try Topology.up()
            defer {
                TestVMs.cleanup()
                Topology.down()
            }
            try TestVMs.recreate(locked: true)
            let vm = TestVMs.names[0]
            try TestVMs.start(vm)
            let spicePort = try TestVMs.spicePort(vm)
            let hypervisor = Topology.hypervisorAddress
            #expect(try SpiceLinkProbe.link(host: hypervisor, port: spicePort, ticket: TestVMs.lockedTicket,
                                            from: Topology.gateway) == .permissionDenied,
                    "a domain started locked must refuse even its expired placeholder ticket")

            let ticket = "e2e-\(UUID().uuidString.prefix(13))"
            try TestVMs.setLiveTicket(vm, ticket: ticket, validUntil: Date().addingTimeInterval(600))
            let publicPort = BrokerUnderTest.portRange.lowerBound
            try Topology.forwardByHand(publicPort: publicPort, to: spicePort)
            let gateway = Topology.gatewayPublicAddress
            #expect(try SpiceLinkProbe.link(host: gateway, port: publicPort, ticket: ticket,
                                            from: Topology.client) == .accepted)
            #expect(try SpiceLinkProbe.link(host: gateway, port: publicPort, ticket: "wrong-\(ticket)",
                                            from: Topology.client) == .permissionDenied)

            let display = try VirtualDisplay(log: E2E.artifact("self-check-xvfb.log"))
            defer { display.stop() }
            let good = Scratch.file("good.vv")
            try VirtViewerFile.render(host: gateway, port: publicPort, password: ticket, title: vm)
                .write(to: good, atomically: true, encoding: .utf8)
            let guestShot = E2E.artifact("self-check-guest.png")
            let seen = try display.open(good, screenshot: guestShot)
            print("E2E screenshot (hand-made forwarding, right ticket): \(guestShot.path): \(seen)")
            #expect(seen.showsGuest, "\(seen)")

            let bad = Scratch.file("bad.vv")
            try VirtViewerFile.render(host: gateway, port: publicPort, password: "wrong-\(ticket)", title: vm)
                .write(to: bad, atomically: true, encoding: .utf8)
            let refusedShot = E2E.artifact("self-check-wrong-password.png")
            let refused = try display.open(bad, screenshot: refusedShot)
            print("E2E screenshot (hand-made forwarding, wrong ticket): \(refusedShot.path): \(refused)")
            #expect(refused.wasRefused, "\(refused)")
        }
    }
}
