import ConsoleFile
import Testing

@Suite struct ProfileTests {
    static let file = ConsoleFile(host: "198.51.100.1", port: 20000, password: "t1cket", title: "desk1 (office)")

    @Test func remoteViewerGetsEveryKey() {
        #expect(Self.file.rendered(for: .remoteViewer) == Self.file.rendered())
    }

    @Test func aSpiceGetsOnlyTheKeysItApplies() {
        #expect(Self.file.rendered(for: .aSpice) == """
            [virt-viewer]
            host=198.51.100.1
            port=20000
            password=t1cket
            delete-this-file=1

            """)
    }

    @Test func theProfileFollowsTheUserAgent() {
        let phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
        #expect(ConsoleFile.ClientProfile.forUserAgent(phone) == .aSpice)
        #expect(ConsoleFile.ClientProfile.forUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0") == .remoteViewer)
        #expect(ConsoleFile.ClientProfile.forUserAgent(nil) == .remoteViewer)
    }
}
