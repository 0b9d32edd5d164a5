import Foundation
import _CryptoExtras

/// The SPICE link handshake of a main channel, as bytes (spice-protocol's `spice/protocol.h`): what the client
/// sends, what it reads back, and the encrypted ticket that authenticates it. No I/O here.
enum SpiceLink {
    /// `SpiceLinkHeader`: magic, major and minor version, size of what follows.
    static let headerSize = 16
    /// `SPICE_TICKET_PUBKEY_BYTES`: a 1024-bit RSA key as SubjectPublicKeyInfo DER.
    static let publicKeyBytes = 162
    /// `SpiceLinkReply` before its capabilities: error, public key, three counts/offsets.
    static let replyFixedSize = 4 + publicKeyBytes + 12
    static let mainChannel: UInt8 = 1
    /// `SPICE_COMMON_CAP_PROTOCOL_AUTH_SELECTION`, `…_AUTH_SPICE` and `…_MINI_HEADER`, as spice-gtk offers them.
    static let commonCapabilities: UInt32 = 1 << 0 | 1 << 1 | 1 << 3
    /// `SPICE_COMMON_CAP_AUTH_SPICE`, sent as the chosen auth mechanism: a ticket, not SASL.
    static let authSpice: UInt32 = 1

    /// The server's answer to the link message.
    struct Reply: Equatable {
        var error: UInt32
        var publicKey: [UInt8]
        var commonCapabilities: [UInt32]

        /// Whether to name the auth mechanism before the ticket: when the server offers auth selection too, as
        /// spice-gtk decides it.
        var selectsAuth: Bool { (commonCapabilities.first ?? 0) & 1 != 0 }
    }

    /// `SpiceLinkHeader` + `SpiceLinkMess` for a new session's main channel (connection id 0) with one word of
    /// common capabilities right after the message.
    static func linkMessage() -> [UInt8] {
        let body = le32(0) + [mainChannel, 0] + le32(1) + le32(0) + le32(18) + le32(commonCapabilities)
        return header(size: body.count) + body
    }

    /// The size of the reply body announced by the server's `SpiceLinkHeader`.
    static func replySize(header bytes: [UInt8]) throws -> Int {
        guard bytes.count == headerSize, Array(bytes[0..<4]) == Array("REDQ".utf8) else {
            throw BenchFailure("the SPICE server's reply does not start with REDQ")
        }
        guard readLE32(bytes, at: 4) == 2 else { throw BenchFailure("SPICE protocol \(readLE32(bytes, at: 4)), not 2") }
        let size = Int(readLE32(bytes, at: 12))
        guard size >= 4, size <= 4096 else { throw BenchFailure("implausible SPICE link reply size \(size)") }
        return size
    }

    /// Reads `SpiceLinkReply`: the error, the public key right after it, and the common capabilities at
    /// `caps_offset` (counted from the start of the reply body).
    static func parseReply(_ body: [UInt8]) throws -> Reply {
        let error = readLE32(body, at: 0)
        guard error == 0 else { return Reply(error: error, publicKey: [], commonCapabilities: []) }
        guard body.count >= replyFixedSize else { throw BenchFailure("SPICE link reply of \(body.count) bytes is too short") }
        let commonCount = Int(readLE32(body, at: 4 + publicKeyBytes))
        let channelCount = Int(readLE32(body, at: 8 + publicKeyBytes))
        let offset = Int(readLE32(body, at: 12 + publicKeyBytes))
        guard commonCount <= 64, channelCount <= 64, offset + 4 * (commonCount + channelCount) <= body.count else {
            throw BenchFailure("SPICE link reply capabilities lie outside the reply")
        }
        return Reply(
            error: 0, publicKey: Array(body[4..<(4 + publicKeyBytes)]),
            commonCapabilities: (0..<commonCount).map { readLE32(body, at: offset + 4 * $0) })
    }

    /// What the client sends after the reply: the auth mechanism when the server selects one, then the ticket with
    /// its terminating NUL, RSA-OAEP (SHA-1) encrypted with the server's key.
    static func authentication(ticket: String, reply: Reply) throws -> [UInt8] {
        // spice-server's key is 1024 bits: the `unsafe` initializer is the one that accepts keys under 2048 bits.
        let key = try _RSA.Encryption.PublicKey(unsafeDERRepresentation: reply.publicKey)
        let encrypted = try key.encrypt(Array(ticket.utf8) + [0], padding: .PKCS1_OAEP)
        return (reply.selectsAuth ? le32(authSpice) : []) + Array(encrypted)
    }

    /// spice-protocol's name of a link error code.
    static func errorName(_ code: UInt32) -> String {
        let names = [
            "ok", "error", "invalid magic", "invalid data", "version mismatch", "need secured", "need unsecured",
            "permission denied", "bad connection id", "channel not available",
        ]
        return code < names.count ? names[Int(code)] : "error \(code)"
    }

    static func header(size: Int) -> [UInt8] {
        Array("REDQ".utf8) + le32(2) + le32(2) + le32(UInt32(size))
    }

    static func le32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8((value >> ($0 * 8)) & 0xff) }
    }

    static func readLE32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << ($1 * 8) }
    }
}
