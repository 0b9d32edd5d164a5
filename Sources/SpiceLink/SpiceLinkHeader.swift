/// `SpiceLinkHeader`, the 16 bytes before each side's link message: magic `REDQ`, protocol version 2.2, and the size of
/// what follows.
public struct SpiceLinkHeader: Sendable, Equatable {
    public static let size = 16
    /// Link messages larger than this are refused: spice-gtk's are under 100 bytes.
    public static let maximumBodySize = 4096
    static let magic: [UInt8] = Array("REDQ".utf8)
    static let majorVersion: UInt32 = 2
    static let minorVersion: UInt32 = 2

    /// The size of the message that follows.
    public var bodySize: Int

    public init(bodySize: Int) {
        self.bodySize = bodySize
    }

    /// Reads a header; what is not a SPICE 2.x link header of a plausible size is refused with the error the server
    /// would send.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SpiceLinkError) {
        guard bytes.count == Self.size else { throw .invalidData }
        guard Array(bytes.prefix(4)) == Self.magic else { throw .invalidMagic }
        guard LinkWire.uint32(bytes, at: 4) == Self.majorVersion else { throw .versionMismatch }
        let size = LinkWire.uint32(bytes, at: 12)
        guard size <= Self.maximumBodySize else { throw .invalidData }
        bodySize = Int(size)
    }

    public var bytes: [UInt8] {
        var bytes = Self.magic
        LinkWire.append(Self.majorVersion, to: &bytes)
        LinkWire.append(Self.minorVersion, to: &bytes)
        LinkWire.append(UInt32(bodySize), to: &bytes)
        return bytes
    }
}
