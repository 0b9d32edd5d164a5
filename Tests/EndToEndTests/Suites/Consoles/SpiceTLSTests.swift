import Foundation
import Testing

extension EndToEnd {
    /// SPICE over TLS from remote-viewer in the client namespace to the VM's SPICE server, trusted through the CA
    /// and the host subject the `.vv` carries.
    @Suite struct SpiceTLS {
        @Test("remote-viewer shows its desktop over SPICE TLS", arguments: ["direct", "proxy"])
        func viewerOverTLS(route: String) throws {
            try BrokerFixture.run("spice-tls-\(route)", spiceTLS: true) { _ in
                let token = try API.login(TestUsers.alice)
                let session = try #require(try API.requestDesktop(BrokerFixture.pool, token: token).1)
                let keys = VirtViewerFile.parse(try API.console(session.id, token: token, via: route).text)
                #expect(keys["port"] == nil, "a plain port in a TLS console file")
                #expect(keys["secure-channels"] == "all")
                #expect(keys["host-subject"] == SpiceTLSBed.hostSubject)
                #expect(keys["ca"]?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
                let tlsPort = try #require(keys["tls-port"].flatMap { Int($0) })
                if route == "direct" {
                    #expect(tlsPort == session.port)
                    let plain = try SpiceLinkProbe.link(
                        host: Topology.gatewayPublicAddress, port: session.port, ticket: "x", from: Topology.client)
                    #expect(plain.isRefusedAsPlainText, "the public port answered plain SPICE: \(plain)")
                }

                let viewer = try SessionViewer(session: session.id, token: token, label: "spice-tls-\(route)", via: route)
                defer { viewer.stop() }
                let shot = E2E.artifact("spice-tls-\(route).png")
                try waitUntil("remote-viewer to show the guest over TLS", timeout: 40, interval: 0.5) {
                    guard try viewer.display.windowNames().contains(where: { $0 != "Remote Viewer" }) else { return false }
                    try viewer.display.screenshot(to: shot)
                    return try ScreenMeasure.of(shot).showsGuestConsole
                }
            }
        }
    }
}

extension SpiceLinkOutcome {
    /// A TLS port's answer to a plain-text SPICE link: no link reply at all.
    var isRefusedAsPlainText: Bool {
        if case .connectionFailed = self { return true }
        return false
    }
}
