import Foundation
import Testing

extension EndToEnd {
    /// A pool over two real libvirt hosts: the root namespace's libvirtd and a second one in a namespace of its own,
    /// reached over TCP.
    @Suite struct MultiHostPool {
        /// The second host's VM: its name sorts before the first host's, so a handout offers it first.
        static let farVM = "saf-e2e-desk0"
        static let nearVM = TestVMs.names[2]
        static let allowedURIs = #""libvirt": {"allowedURIs": ["qemu:///system", "qemu+tcp://198.18.3.1/system"]},"#

        @Test("a pool over two libvirt hosts hands out desktops from both, and from the other when one host is down")
        func spreadOverTwoHosts() throws {
            try BrokerFixture.run("multi-host", extraConfig: Self.allowedURIs) { broker in
                let secondHost = try SecondHypervisor.up()
                defer { secondHost.down() }
                let file = Scratch.file("\(Self.farVM).xml")
                try TestVMs.domainXML(name: Self.farVM, locked: false, listen: SecondHypervisor.address)
                    .write(to: file, atomically: true, encoding: .utf8)
                try Command.check(SecondHypervisor.virsh(["define", file.path]))

                try broker.cli(["pool", "remove-vm", BrokerFixture.pool, Self.nearVM])
                try broker.cli(["pool", "create", "spread", "--connect", TestVMs.connectURI, "--connect", SecondHypervisor.connectURI])
                try broker.cli(["pool", "add-vm", "spread", Self.nearVM, Self.farVM])
                let hosts = Dictionary(
                    try broker.poolVMs("spread").map { ($0["name"] as? String ?? "", $0["host"] as? String ?? "") },
                    uniquingKeysWith: { first, _ in first })
                #expect(hosts == [Self.farVM: SecondHypervisor.connectURI, Self.nearVM: TestVMs.connectURI], "found where each lives")

                // One desktop from each host, each shown through the gateway's DNAT.
                let alice = try API.login(TestUsers.alice)
                let bob = try API.login(TestUsers.crowd[0])
                let far = try #require(try API.requestDesktop("spread", token: alice).1)
                let near = try #require(try API.requestDesktop("spread", token: bob).1)
                #expect(far.vm == Self.farVM && near.vm == Self.nearVM)
                #expect(try SpiceLinkProbe.link(
                    host: near.host, port: near.port, ticket: try API.consoleTicket(near.id, token: bob), from: Topology.client)
                    == .accepted)
                let console = try API.console(far.id, token: alice)
                #expect(console.status == 200, "\(console)")
                let display = try VirtualDisplay(log: E2E.artifact("multi-host-xvfb.log"))
                defer { display.stop() }
                let vv = Scratch.file("far.vv")
                try console.body.write(to: vv)
                let shot = E2E.artifact("multi-host-far-desktop.png")
                let seen = try display.open(vv, screenshot: shot)
                print("E2E screenshot of the second host's desktop: \(shot.path): \(seen)")
                #expect(seen.showsGuest, "remote-viewer did not show the second host's guest: \(seen)")

                // The second host's libvirtd stops while alice's desktop runs there: the first host's is handed out.
                #expect(try API.release(near.id, token: bob).status == 204)
                secondHost.stopLibvirtd()
                let carol = try API.login(TestUsers.crowd[1])
                let (answer, next) = try API.requestDesktop("spread", token: carol)
                #expect(answer.status == 201 && next?.vm == Self.nearVM, "\(answer)")
                let vms = try broker.cli(["pool", "vms", "spread", "--json"]).output
                #expect(!vms.contains("broken"), "a host that is down breaks none of its VMs: \(vms)")
                let hostList = try JSONSerialization.jsonObject(with: broker.cli(["host", "list", "--json"]).stdout)
                let listedHosts = (hostList as? [String: Any])?["hosts"] as? [[String: Any]] ?? []
                let second = listedHosts.first { $0["connect"] as? String == SecondHypervisor.connectURI }
                #expect(second?["reachable"] as? Bool == false, "the second host shows as down: \(hostList)")

                // Declared gone for good, the host takes its VM out of the pool, and alice's session and rule with it.
                #expect(try Topology.dnatRule(session: far.id) != nil)
                try broker.cli(["pool", "remove-host", "spread", SecondHypervisor.connectURI, "--gone"])
                let left = try broker.cli(["pool", "vms", "spread", "--json"]).output
                #expect(left.contains(Self.nearVM) && !left.contains(Self.farVM), "\(left)")
                #expect(try API.request("GET", "/api/v1/sessions/\(far.id)", token: alice).status == 404)
                #expect(try Topology.dnatRule(session: far.id) == nil, "its rule went with it")
            }
        }
    }
}
