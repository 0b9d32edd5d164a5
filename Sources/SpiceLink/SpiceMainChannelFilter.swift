/// The server's messages on a main channel, on their way to the client: it reads the session id that `MAIN_INIT`
/// gives (the id the client's other channels must link with), and turns the migration messages, which would send the
/// client to another host's address behind the gateway, into `MIGRATE_CANCEL`. The client then stays with the gateway;
/// if the desktop does move, its connection ends and the client links again through the gateway, to the new host.
///
/// Messages keep their count and order, so the server's and the client's message acknowledgements stay in step.
public struct SpiceMainChannelFilter: Sendable {
    /// `SPICE_MSG_MAIN_*` (spice-protocol's `enums.h`).
    enum MessageType {
        static let migrateBegin: UInt16 = 101
        static let migrateCancel: UInt16 = 102
        static let initialize: UInt16 = 103
        static let migrateSwitchHost: UInt16 = 111
        static let migrateBeginSeamless: UInt16 = 116
        static let migrations: Set<UInt16> = [migrateBegin, migrateSwitchHost, migrateBeginSeamless]
    }

    /// Larger than any main-channel message (agent data comes in chunks of at most 2 KiB).
    public static let maximumMessageSize = 1 << 20

    /// Whether messages have the short header (type, size) rather than the full one (serial, type, size, sub-list).
    public let miniHeader: Bool
    /// The session id from `MAIN_INIT`, once it passed.
    public private(set) var sessionID: UInt32?
    private var buffer = LinkBuffer()

    /// - Parameter miniHeader: whether the link agreed on the short header (`SPICE_COMMON_CAP_MINI_HEADER` on both
    ///   sides).
    public init(miniHeader: Bool) {
        self.miniHeader = miniHeader
    }

    private var headerSize: Int { miniHeader ? 6 : 18 }
    /// Where the type and the size sit in the header.
    private var typeOffset: Int { miniHeader ? 0 : 8 }

    /// Takes bytes from the server; answers the whole messages among them as the client may have them.
    public mutating func filter(_ bytes: some Sequence<UInt8>) throws(SpiceLinkError) -> [UInt8] {
        buffer.bytes.append(contentsOf: bytes)
        var out: [UInt8] = []
        while buffer.bytes.count >= headerSize {
            let header = buffer.bytes[0..<headerSize]
            let size = Int(LinkWire.uint32(header, at: typeOffset + 2))
            guard size <= Self.maximumMessageSize else { throw .invalidData }
            guard buffer.bytes.count >= headerSize + size, let header = buffer.take(headerSize), let body = buffer.take(size)
            else { break }
            let type = UInt16(header[typeOffset]) | UInt16(header[typeOffset + 1]) << 8
            if type == MessageType.initialize, body.count >= 4, sessionID == nil {
                sessionID = LinkWire.uint32(body[...], at: 0)
            }
            if MessageType.migrations.contains(type) {
                out += cancellation(replacing: header)
            } else {
                out += header + body
            }
        }
        return out
    }

    /// `MIGRATE_CANCEL` with no body, under the header of the message it replaces (its serial kept).
    private func cancellation(replacing header: [UInt8]) -> [UInt8] {
        var header = header
        header[typeOffset] = UInt8(MessageType.migrateCancel & 0xff)
        header[typeOffset + 1] = UInt8(MessageType.migrateCancel >> 8)
        for index in (typeOffset + 2)..<headerSize { header[index] = 0 }  // size, and the full header's sub-list
        return header
    }
}
