import Foundation
import Testing

extension EndToEnd {
    /// The SPICE gateway: console files of a `gateway` pool carry a console credential the gateway checks itself, and
    /// the desktop is linked with a ticket made at that moment, so one file works all session long.
    @Suite struct SpiceGateway {
        static let port = 5999
        /// The desktop tickets console files would carry elsewhere live this long; the test waits past it.
        static let ticketValidity = 5

        /// The config section running the gateway on the gateway's public address with certificates for it; with
        /// `viaProxy` its console files send clients through the CONNECT proxy.
        static func config(_ tls: TLSFolder, viaProxy: Bool = false) -> String {
            #""spiceGateway": {"listen": "\#(Topology.gatewayPublicAddress):\#(port)", "certificate": "\#(tls.serverCertificate)", "key": "\#(tls.serverKey)", "ca": "\#(tls.caCertificate)", "hostSubject": "O=Saffron,CN=\#(Topology.gatewayPublicAddress)", "viaProxy": \#(viaProxy)},"#
        }

        @Test("one console file opens the desktop after its old ticket life, again after the viewer closed, and never after the session ended")
        func consoleFileLastsTheSession() throws {
            let tls = try TLSFolder.make("spice-gateway")
            try BrokerFixture.run("spice-gateway", ticketValidity: Self.ticketValidity, extraConfig: Self.config(tls)) { broker in
                try broker.cli(["pool", "set", BrokerFixture.pool, "--console-via", "gateway"])
                let token = try API.login(TestUsers.alice)
                let session = try #require(try API.requestDesktop(BrokerFixture.pool, token: token).1)
                let console = try API.console(session.id, token: token)
                #expect(console.status == 200)
                let issued = Date()
                let keys = VirtViewerFile.parse(console.text)
                #expect(keys["host"] == Topology.gatewayPublicAddress && keys["tls-port"] == String(Self.port))
                #expect(keys["port"] == nil, "a plain port would let a client be talked down to plain text")
                #expect(keys["ca"]?.hasPrefix("-----BEGIN CERTIFICATE-----") == true && keys["secure-channels"] == "all")
                let credential = try #require(keys["password"])
                let file = Scratch.file("spice-gateway.vv")
                try console.body.write(to: file)

                // Past the life a desktop ticket in this file would have had.
                try waitUntil("the old ticket validity to pass", timeout: Double(Self.ticketValidity) + 5, interval: 0.5) {
                    Date().timeIntervalSince(issued) > Double(Self.ticketValidity) + 1
                }
                let display = try VirtualDisplay(log: E2E.artifact("spice-gateway-xvfb.log"))
                defer { display.stop() }
                for attempt in ["first", "reopened"] {
                    let outcome = try display.open(file, screenshot: E2E.artifact("spice-gateway-\(attempt).png"))
                    #expect(outcome.showsGuest, "\(attempt): \(outcome)")
                }

                // A viewer left open, its channels through the gateway; the desktop's own ticket is the gateway's.
                let viewer = try RemoteViewer(file: file, display: display, log: E2E.artifact("spice-gateway-live.remote-viewer.log"))
                defer { viewer.stop() }
                let shot = E2E.artifact("spice-gateway-live.png")
                try waitUntil("remote-viewer to show the guest through the SPICE gateway", timeout: 40, interval: 0.5) {
                    guard try display.windowNames().contains(where: { $0 != "Remote Viewer" }) else { return false }
                    try display.screenshot(to: shot)
                    return try ScreenMeasure.of(shot).showsGuestConsole
                }
                #expect(try SessionCut.viewerConnections(port: Self.port) >= 2, "the viewer's channels go through the gateway")
                #expect(try SessionCut.viewerConnections(port: session.port) == 0, "nothing went through a DNAT port")
                let metrics = try API.request("GET", "/metrics").text
                let live = metrics.split(separator: "\n").first { $0.hasPrefix(#"saffron_gateway_live_connections{gateway="spice"}"#) }
                #expect(live.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }.map { $0 >= 2 } == true,
                        "the viewer's channels in the metrics: \(live ?? "none")")
                let desktopTicket = try TestVMs.liveTicket(session.vm)
                #expect(desktopTicket != nil && desktopTicket != credential)

                let ended = Date()
                #expect(try API.release(session.id, token: token).status == 204)
                try waitUntil("the live viewer to be cut", timeout: 10, interval: 0.1) {
                    try SessionCut.viewerConnections(port: Self.port) == 0
                }
                print("E2E (SPICE gateway): remote-viewer cut \(String(format: "%.2f", Date().timeIntervalSince(ended))) s after DELETE")
                let after = try SpiceLinkProbe.link(
                    tlsHost: Topology.gatewayPublicAddress, port: Self.port, ca: tls.caCertificate, ticket: credential,
                    from: Topology.client)
                #expect(after == .permissionDenied, "the file's credential after its session ended: \(after)")
                viewer.stop()
                let reopened = try display.open(file, screenshot: E2E.artifact("spice-gateway-after-end.png"), timeout: 20)
                #expect(reopened.wasRefused, "the file reopened after its session ended: \(reopened)")

                let log = (try? String(contentsOf: broker.log, encoding: .utf8)) ?? ""
                #expect(log.contains("SPICE channel linked through the gateway"))
                #expect(!log.contains(credential), "the console credential is in the broker's log")
                if let desktopTicket { #expect(!log.contains(desktopTicket), "the desktop's ticket is in the broker's log") }
                if let desktopTicket { #expect(!console.text.contains(desktopTicket)) }
            }
        }

        @Test("through the CONNECT proxy, remote-viewer reaches the gateway and the desktop with the same kind of file")
        func throughTheProxy() throws {
            let tls = try TLSFolder.make("spice-gateway-proxy")
            try BrokerFixture.run("spice-gateway-proxy", extraConfig: Self.config(tls, viaProxy: true)) { broker in
                try broker.cli(["pool", "set", BrokerFixture.pool, "--console-via", "gateway"])
                let token = try API.login(TestUsers.alice)
                let session = try #require(try API.requestDesktop(BrokerFixture.pool, token: token).1)
                let keys = VirtViewerFile.parse(try API.console(session.id, token: token).text)
                #expect(keys["proxy"] == EndToEnd.ConnectProxy.proxyURL && keys["tls-port"] == String(Self.port))
                let viewer = try SessionViewer(session: session.id, token: token, label: "spice-gateway-proxy")
                defer { viewer.stop() }
                let shot = E2E.artifact("spice-gateway-proxy.png")
                try waitUntil("remote-viewer to show the guest through the proxy and the SPICE gateway", timeout: 40, interval: 0.5) {
                    guard try viewer.display.windowNames().contains(where: { $0 != "Remote Viewer" }) else { return false }
                    try viewer.display.screenshot(to: shot)
                    return try ScreenMeasure.of(shot).showsGuestConsole
                }
                #expect(try SessionCut.viewerConnections(port: BrokerUnderTest.proxyPort) >= 2, "the viewer's channels go through the proxy")
                #expect(try SessionCut.viewerConnections(port: Self.port) == 0, "and not straight to the gateway")
                #expect(try EndToEnd.ConnectProxy.connectStatus(to: "\(Topology.hypervisorAddress):5900") == 403)
                #expect(try API.release(session.id, token: token).status == 204)
                try waitUntil("the viewer's tunnels to close", timeout: 10, interval: 0.1) {
                    try SessionCut.viewerConnections(port: BrokerUnderTest.proxyPort) == 0
                }
                #expect(try EndToEnd.ConnectProxy.connectStatus(to: "\(Topology.gatewayPublicAddress):\(Self.port)") == 403,
                        "the gateway's endpoint once the client has no session")
            }
        }

        @Test("spice-html5 in Chromium reaches the desktop through the SPICE gateway with the credential, and again after a page reload")
        func browserConsoleSurvivesAReload() throws {
            let tls = try TLSFolder.make("spice-gateway-browser")
            try BrokerFixture.run("spice-gateway-browser", extraConfig: Self.config(tls)) { broker in
                let screenshot = E2E.artifact("spice-gateway-browser.png")
                let browser = try BrowserScript(.reload, screenshot: screenshot)
                defer { browser.stop() }
                let session = try browser.value(of: "session", timeout: 120)
                try browser.value(of: "ready-for-end", timeout: 180)
                struct Kept: Decodable { let password: String; let reusable: Bool }
                let kept = try browser.decode([Kept].self, key: "kept")
                let reloaded = try browser.decode([Kept].self, key: "reloaded")
                #expect(kept.count == 1 && kept.first?.reusable == true, "the tab keeps the reusable grant")
                #expect(reloaded.map(\.password) == kept.map(\.password), "the reload reconnected with the same credential")
                let canvas = try browser.decode(CanvasMeasure.self, key: "pixels")
                #expect(canvas.showsGuestConsole, "after the reload: \(canvas)")
                let token = try API.login(TestUsers.alice)
                struct Listed: Decodable { struct Entry: Decodable { let id: String; let vm: String }; let sessions: [Entry] }
                let listed = try JSONDecoder().decode(Listed.self, from: try API.request("GET", "/api/v1/sessions", token: token).body)
                let vm = try #require(listed.sessions.first { $0.id == session }?.vm)
                let desktopTicket = try TestVMs.liveTicket(vm)
                #expect(desktopTicket != nil && desktopTicket != kept.first?.password, "the page holds no desktop ticket")
                let log = (try? String(contentsOf: broker.log, encoding: .utf8)) ?? ""
                #expect(log.components(separatedBy: "web console granted").count - 1 == 1, "the reload asked for no new grant")
                #expect(log.contains("SPICE channel linked through the gateway"))
                if let credential = kept.first?.password { #expect(!log.contains(credential)) }
                if let desktopTicket { #expect(!log.contains(desktopTicket)) }

                #expect(try API.release(session, token: token).status == 204)
                let ended = try browser.value(of: "ended", timeout: 40)
                #expect(ended.localizedCaseInsensitiveContains("ended"))
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
            }
        }

        @Test("forged credentials and other sessions' credentials are refused, and one from another address when pinned")
        func credentialsAreChecked() throws {
            let tls = try TLSFolder.make("spice-gateway-refusals")
            try BrokerFixture.run("spice-gateway-refusals", extraConfig: Self.config(tls)) { broker in
                try broker.cli(["pool", "set", BrokerFixture.pool, "--console-via", "gateway"])
                let otherClient = try Topology.addClientAddress(index: 3)
                let alice = try API.login(TestUsers.alice)
                let session = try #require(try API.requestDesktop(BrokerFixture.pool, token: alice).1)
                let credential = try #require(VirtViewerFile.parse(try API.console(session.id, token: alice).text)["password"])
                let probe = { (ticket: String) in
                    try SpiceLinkProbe.link(
                        tlsHost: Topology.gatewayPublicAddress, port: Self.port, ca: tls.caCertificate, ticket: ticket,
                        from: Topology.client)
                }
                #expect(try probe(credential) == .accepted)
                #expect(try probe("forged-\(credential)") == .permissionDenied)
                #expect(try probe(String(credential.reversed())) == .permissionDenied)
                let plain = try SpiceLinkProbe.link(
                    host: Topology.gatewayPublicAddress, port: Self.port, ticket: credential, from: Topology.client)
                #expect(plain.isRefusedAsPlainText, "the gateway answered plain SPICE: \(plain)")
                let fromElsewhere = try Command.check([
                    "ip", "netns", "exec", Topology.client, "/usr/bin/python3", try TestScripts.path("spice_link_probe.py"),
                    "tls", Topology.gatewayPublicAddress, String(Self.port), tls.caCertificate, "--source", otherClient,
                ], input: Data((credential + "\n").utf8), timeout: 30)
                #expect(try SpiceLinkProbe.parse(fromElsewhere) == .permissionDenied, "alice's credential from another address")
                #expect(((try? String(contentsOf: broker.log, encoding: .utf8)) ?? "").contains("SPICE link refused"))
            }
        }
    }
}

extension TestVMs {
    /// The SPICE password the running domain carries now (`virsh dumpxml --security-info`), if any.
    static func liveTicket(_ name: String) throws -> String? {
        let xml = try Command.check(virsh(["dumpxml", "--security-info", name])).output
        guard let range = xml.range(of: #"passwd='[^']*'"#, options: .regularExpression) else { return nil }
        return String(xml[range].dropFirst("passwd='".count).dropLast())
    }
}
