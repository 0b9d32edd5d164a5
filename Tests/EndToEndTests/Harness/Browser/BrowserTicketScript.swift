import Foundation

/// Headless Chromium encrypting SPICE tickets with the `ticket.js` module the broker serves to spice-html5, as the
/// console does for every channel it links, and Python decrypting them with the private key, as the SPICE server does.
/// The script is `browser_ticket.py`.
final class BrowserTicketScript: BrowserRun {
    /// Starts the script against the broker's pages at `BrokerUnderTest.portalOrigin`.
    init(ticket: String) throws {
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-ticket", script: "browser_ticket.py",
            arguments: [BrokerUnderTest.portalOrigin, profile.path, ticket, E2E.artifact("browser-ticket.png").path])
    }
}

/// What `BrowserTicketScript` printed: its tickets as the served module and as the distro's module encrypted them.
struct TicketsEncrypted: Decodable, CustomStringConvertible {
    struct Summary: Decodable, CustomStringConvertible {
        let tries: Int
        /// Every length the encrypted tickets had, in bytes; SPICE reads exactly 128.
        let lengths: [Int]
        /// Full-length results that begin with a zero byte.
        let zeroLed: Int
        /// Results shorter than the key.
        let short: Int
        /// Full-length results the private key decrypts back to the ticket.
        let decrypted: Int

        var description: String {
            "\(tries) tickets, lengths \(lengths), \(zeroLed) beginning with zero, \(short) short, \(decrypted) decrypted"
        }
    }

    let served: Summary
    let distro: Summary

    var description: String { "served module: \(served); distro's module: \(distro)" }
}
