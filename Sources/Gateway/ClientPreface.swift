import NIOCore

/// The line one of the broker's own relays (the CONNECT proxy, the WebSocket gateway) sends the SPICE gateway before
/// anything of its client's: HAProxy's PROXY protocol, version 1 (`PROXY TCP4 CLIENT SERVER 0 PORT\r\n`), so the
/// gateway checks a credential against the address of the client itself rather than the relay's.
enum ClientPreface {
    /// The longest line the protocol allows.
    static let maximumLength = 107

    /// The line naming `client` (an IP address as text) on its way to `port`.
    static func line(client: String, port: Int) -> [UInt8] {
        let family = client.contains(":") ? "TCP6" : "TCP4"
        let server = client.contains(":") ? "::1" : "127.0.0.1"
        return Array("PROXY \(family) \(client) \(server) 0 \(port)\r\n".utf8)
    }

    /// What reading the start of a connection found.
    enum Reading: Equatable {
        /// More bytes are needed.
        case incomplete
        /// The client's address, and how many bytes the line took.
        case client(String, length: Int)
        /// Not a well-formed line.
        case malformed
    }

    /// Reads the line at the start of `bytes`.
    static func read(_ bytes: some Collection<UInt8>) -> Reading {
        let prefix = Array(bytes.prefix(maximumLength))
        guard let end = prefix.firstIndex(of: UInt8(ascii: "\n")) else {
            return prefix.count < maximumLength && Array("PROXY ".utf8).starts(with: prefix.prefix(6)) ? .incomplete : .malformed
        }
        guard end > 0, prefix[end - 1] == UInt8(ascii: "\r") else { return .malformed }
        let words = String(decoding: prefix[..<(end - 1)], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 6, words[0] == "PROXY", words[1] == "TCP4" || words[1] == "TCP6",
            Int(words[4]).map({ (0...65535).contains($0) }) == true, Int(words[5]).map({ (0...65535).contains($0) }) == true,
            let address = try? SocketAddress(ipAddress: String(words[2]), port: 0),
            (address.protocol == .inet) == (words[1] == "TCP4")
        else { return .malformed }
        return .client(String(words[2]), length: end + 1)
    }
}
