import Foundation
import Testing

extension EndToEnd.BrowserAdmin {
    /// What the admin page showed of the held desktop's screen: a thumbnail, a newer one from a later refresh, and
    /// the Screen cell of every VM of the pool.
    struct ThumbnailSeen: Decodable {
        struct Image: Decodable {
            let src: String
            let alt: String
            let width: Int
            let height: Int
            let shownWidth: Int
            /// Distinct colours among its pixels (counted up to 64): more than one means something is drawn.
            let colours: Int
        }
        let first: Image
        let second: Image
        let screens: [String: String]
    }

    /// The page showed a drawn thumbnail of `desktop`'s VM and replaced it; the other VMs say "not running"; the API
    /// answers the admin a PNG that ImageMagick reads, and refuses alice, unknown VMs and stopped ones.
    func expectThumbnail(_ seen: ThumbnailSeen, of desktop: DesktopSession) throws {
        print("E2E admin page's thumbnail of \(desktop.vm): \(seen)")
        #expect(seen.first.alt.contains(desktop.vm), "alt text: \(seen.first.alt)")
        #expect(seen.first.width == 320 && seen.first.height > 100 && seen.first.shownWidth > 0, "\(seen.first)")
        #expect(seen.first.colours > 1, "the SeaBIOS text should show: \(seen.first)")
        #expect(seen.second.src != seen.first.src && seen.second.width == 320, "refreshed: \(seen.second)")
        #expect(seen.screens[desktop.vm] == "", "alice's VM shows an image, no text: \(seen.screens)")
        let others = TestVMs.names.filter { $0 != desktop.vm }
        #expect(others.allSatisfy { seen.screens[$0] == "not running" }, "\(seen.screens)")

        let path = "/api/v1/admin/pools/\(desktop.pool)/vms/\(desktop.vm)/screenshot"
        let admin = try API.login(Self.admin)
        let answer = try API.request("GET", path, token: admin)
        #expect(answer.status == 200, "\(answer)")
        #expect(answer.headers["content-type"] == "image/png" && answer.headers["cache-control"] == "no-store", "\(answer.headers)")
        #expect(answer.body.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(answer.body.prefix(16) as NSData)")
        let file = Scratch.file("thumbnail.png")
        try answer.body.write(to: file)
        let read = try Command.check(["identify", "-format", "%m %w %k", file.path]).output
        print("E2E ImageMagick reads the API's thumbnail as: \(read)")
        let parts = read.split(separator: " ")
        #expect(parts.first == "PNG" && parts.dropFirst().first == "320" && (parts.last.flatMap { Int($0) } ?? 0) > 1, "\(read)")

        let alice = try API.request("GET", path, token: try API.login(TestUsers.alice))
        #expect(alice.status == 403 && alice.errorCode == "forbidden", "\(alice)")
        let stopped = try API.request("GET", "/api/v1/admin/pools/\(desktop.pool)/vms/\(others[0])/screenshot", token: admin)
        #expect(stopped.status == 409 && stopped.errorCode == "vm_not_running", "\(stopped)")
        let unknown = try API.request("GET", "/api/v1/admin/pools/\(desktop.pool)/vms/saf-e2e-nope/screenshot", token: admin)
        #expect(unknown.status == 404 && unknown.errorCode == "vm_not_found", "\(unknown)")
    }
}
