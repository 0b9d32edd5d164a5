import Foundation

/// The HTTP request that opens a relay which speaks HTTP first, and the status that means it now relays.
struct RelayHandshake: Sendable {
    /// What the request is called in messages ("upgrade", "CONNECT").
    let name: String
    let request: [UInt8]
    let acceptedStatus: Int

    /// Whether a complete response head carries the accepted status.
    func accepts(_ head: ArraySlice<UInt8>) -> Bool {
        head.starts(with: Array("HTTP/1.1 \(self.acceptedStatus) ".utf8))
    }

    /// Where the response head ends (the index after its blank line), if `bytes` holds all of it.
    static func endOfResponseHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }
}

/// One blocking client connection to the bench target through a relay: opened by the relay's handshake if it has
/// one, with the target's mode byte already sent.
