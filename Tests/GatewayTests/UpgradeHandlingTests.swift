import NIOHTTP1
import Testing

@testable import Gateway

@Suite("Upgrade request checks")
struct UpgradeHandlingTests {
    @Test(arguments: [
        ("/ws/abcdefghijklmnop", true),
        ("/ws/ABC_def-0123456789", true),
        ("/ws/" + String(repeating: "a", count: 128), true),
        ("/ws/" + String(repeating: "a", count: 129), false),
        ("/ws/short", false),
        ("/ws/abcdefghijklmnop/extra", false),
        ("/ws/abcdefghijklmnop?host=10.0.0.1", false),
        ("/websockify", false),
        ("/ws/abcdefgh.jklmnop", false),
    ])
    func tokenPaths(uri: String, accepted: Bool) {
        #expect((UpgradeHandling.token(fromURI: uri) != nil) == accepted)
    }

    @Test func binarySubprotocolIsSelectedWhenOffered() {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/abcdefghijklmnop")
        head.headers.add(name: "Sec-WebSocket-Protocol", value: "base64, binary")
        #expect(UpgradeHandling.responseHeaders(for: head)?["Sec-WebSocket-Protocol"] == ["binary"])
    }

    @Test func base64IsNeverSelected() {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/abcdefghijklmnop")
        head.headers.add(name: "Sec-WebSocket-Protocol", value: "base64")
        #expect(UpgradeHandling.responseHeaders(for: head)?["Sec-WebSocket-Protocol"] == [])
        head.headers.remove(name: "Sec-WebSocket-Protocol")
        #expect(UpgradeHandling.responseHeaders(for: head)?["Sec-WebSocket-Protocol"] == [])
    }

    @Test func wrongPathsAreNotUpgraded() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/ws/abcdefghijklmnop")
        #expect(UpgradeHandling.responseHeaders(for: head) == nil)
        #expect(HTTPRefusalHandler.status(for: head) == .notFound)
    }

    @Test func plainRequestsToAWebSocketPathGet426() {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/abcdefghijklmnop")
        #expect(HTTPRefusalHandler.status(for: head) == .upgradeRequired)
        head.headers.add(name: "Upgrade", value: "websocket")
        #expect(HTTPRefusalHandler.status(for: head) == .badRequest)
    }
}
