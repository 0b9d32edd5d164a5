/// Little-endian fields as the SPICE link protocol lays them out (spice-protocol's `spice/protocol.h`).
enum LinkWire {
    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// The 32-bit field at `offset`; the caller has checked that four bytes are there.
    static func uint32(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt32 {
        let start = bytes.startIndex + offset
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[start + $1]) << UInt32($1 * 8) }
    }
}

/// Bytes received and not read yet, taken a whole field at a time.
struct LinkBuffer: Sendable {
    var bytes: [UInt8] = []

    /// The first `count` bytes, once that many came.
    mutating func take(_ count: Int) -> [UInt8]? {
        guard bytes.count >= count else { return nil }
        defer { bytes.removeFirst(count) }
        return Array(bytes.prefix(count))
    }
}
