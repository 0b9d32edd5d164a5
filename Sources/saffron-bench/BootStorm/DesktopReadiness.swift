import Foundation
import Libvirt
import Thumbnail

/// When a desktop of the image from `deploy/desktop-image` is usable: its user's session has started, which the guest's
/// screen shows as the session's background colour (set first thing by its `.xinitrc`, before the terminal and the
/// window manager, which follow within a second or two) right of where the terminal opens.
enum DesktopReadiness {
    /// The session's background, `xsetroot -solid '#3a6ea5'`.
    static let background: [UInt8] = [0x3a, 0x6e, 0xa5]

    /// Polls the VM's screen (libvirt screenshots) every half second until the session shows; throws after `timeout`.
    static func waitUntilUsable(_ vm: String, on connection: LibvirtConnection, timeout: Duration = .seconds(600)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            try Task.checkCancellation()
            if let shot = try? await connection.screenshot(ofDomain: vm), let image = try? RGBImage(bytes: shot.bytes, mimeType: shot.mimeType),
                showsSession(image) {
                return
            }
            guard ContinuousClock.now < deadline else { throw BenchFailure("\(vm) showed no desktop session within \(timeout)") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Whether the screen is a graphical mode (not the 720x400 text console) with the session's background at its
    /// right edge, halfway down.
    static func showsSession(_ image: RGBImage) -> Bool {
        guard image.width >= 640, image.height >= 480 else { return false }
        let pixel = image[image.width - 24, image.height / 2]
        return zip(pixel, background).allSatisfy { abs(Int($0) - Int($1)) <= 8 }
    }
}
