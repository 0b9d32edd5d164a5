import ConsoleFile
import Testing

@Suite("ConsoleFile rendering")
struct RenderingTests {
    @Test func rendersExactText() {
        let file = ConsoleFile(host: "192.0.2.10", port: 5901, password: "s3cret", title: "Lab pool")
        #expect(file.rendered() == """
            [virt-viewer]
            type=spice
            host=192.0.2.10
            port=5901
            password=s3cret
            title=Lab pool
            delete-this-file=1
            secure-attention=ctrl+alt+end
            release-cursor=shift+f12
            toggle-fullscreen=shift+f11

            """)
    }

    @Test func rendersOptionsAndExtraKeys() throws {
        var file = ConsoleFile(host: "h", port: 1, password: "p", title: "t")
        file.deleteThisFile = false
        file.secureAttention = "ctrl+alt+del"
        file.extraKeys = [try #require(.init(key: "proxy", value: "http://gw:3128"))]
        let lines = file.rendered().split(separator: "\n")
        #expect(lines.contains("delete-this-file=0"))
        #expect(lines.contains("secure-attention=ctrl+alt+del"))
        #expect(lines.last == "proxy=http://gw:3128")
    }

    @Test func mediaType() {
        #expect(ConsoleFile.mediaType == "application/x-virt-viewer")
    }

    @Test(arguments: ["", "password", "host", "a=b", "x y", "[g]", "k\nv", "ключ"])
    func rejectsBadExtraKeys(_ key: String) {
        #expect(ConsoleFile.Entry(key: key, value: "v") == nil)
    }

    @Test func equatable() {
        let a = ConsoleFile(host: "h", port: 1, password: "p", title: "t")
        var b = a
        #expect(a == b)
        b.extraKeys = [ConsoleFile.Entry(key: "fullscreen", value: "1")!]
        #expect(a != b)
    }
}
