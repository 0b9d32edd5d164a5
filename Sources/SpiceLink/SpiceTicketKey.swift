import Foundation
import _CryptoExtras

/// The RSA key pair a SPICE server hands each linking client to encrypt its ticket with: 1024 bits and OAEP with SHA-1,
/// as the protocol fixes them (`SPICE_TICKET_KEY_PAIR_LENGTH`), however weak they are today. The link itself is
/// protected, where it must be, by TLS around it.
public struct SpiceTicketKey: Sendable {
    /// A ticket is at most 60 bytes (`SPICE_MAX_PASSWORD_LENGTH`).
    public static let maximumTicketBytes = 60
    /// What the client sends: one RSA-1024 block.
    public static let encryptedTicketBytes = 128

    private let key: PrivateKey
    /// The public key as the link reply carries it: SubjectPublicKeyInfo DER, 162 bytes.
    public let publicKeyDER: [UInt8]

    /// A new random key pair.
    public init() throws {
        // SPICE's keys are 1024 bits: the `unsafe` initializer is the one that makes keys under 2048 bits.
        let key = try _RSA.Encryption.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        self.key = PrivateKey(key)
        publicKeyDER = Array(key.publicKey.derRepresentation)
        guard publicKeyDER.count == SpiceLinkReply.publicKeyBytes else { throw SpiceLinkError.error }
    }

    /// The ticket the client encrypted: the bytes before its terminating NUL. One that does not decrypt with this key,
    /// or is longer than a SPICE ticket, is refused as a wrong password is.
    public func ticket(decrypting encrypted: [UInt8]) throws(SpiceLinkError) -> [UInt8] {
        guard encrypted.count == Self.encryptedTicketBytes,
            let plain = try? key.key.decrypt(encrypted, padding: .PKCS1_OAEP)
        else { throw .permissionDenied }
        let ticket = Array(plain.prefix { $0 != 0 })
        guard ticket.count <= Self.maximumTicketBytes, ticket.count < plain.count else { throw .permissionDenied }
        return ticket
    }

    /// What a client sends for `ticket` to a server that gave it `publicKeyDER`: the ticket and a NUL, encrypted.
    public static func encrypt(_ ticket: [UInt8], for publicKeyDER: [UInt8]) throws -> [UInt8] {
        let key = try _RSA.Encryption.PublicKey(unsafeDERRepresentation: publicKeyDER)
        return Array(try key.encrypt(ticket + [0], padding: .PKCS1_OAEP))
    }
}

/// The private key, shareable between threads. `_RSA.Encryption.PrivateKey` is not marked `Sendable`, but it is immutable
/// once made and BoringSSL's RSA operations on one key are safe from several threads at once (it locks its blinding
/// state), so handing it across is safe.
private final class PrivateKey: @unchecked Sendable {
    let key: _RSA.Encryption.PrivateKey

    init(_ key: _RSA.Encryption.PrivateKey) {
        self.key = key
    }
}
