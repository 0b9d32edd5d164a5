import SpiceLink
import Testing

/// The main channel's messages from server to client: the session id read, migrations cancelled, the rest untouched.
@Suite struct SpiceMainChannelFilterTests {
    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }

    static func mini(_ type: UInt16, _ body: [UInt8]) -> [UInt8] { le16(type) + le32(UInt32(body.count)) + body }

    static func full(serial: UInt8, _ type: UInt16, _ body: [UInt8]) -> [UInt8] {
        [serial, 0, 0, 0, 0, 0, 0, 0] + le16(type) + le32(UInt32(body.count)) + le32(0) + body
    }

    /// `MAIN_INIT` for session 0x01020304, the rest of its fields zero.
    static let initialize = le32(0x0102_0304) + Array(repeating: 0, count: 28)
    /// `MIGRATE_BEGIN` naming a host behind the gateway.
    static let migrate = Array("198.18.2.1:5901".utf8)

    @Test func theSessionIDIsReadAndMigrationsBecomeCancellations() throws {
        var filter = SpiceMainChannelFilter(miniHeader: true)
        let stream = Self.mini(103, Self.initialize) + Self.mini(101, Self.migrate) + Self.mini(109, [7, 7]) + Self.mini(111, Self.migrate)
        var out: [UInt8] = []
        for byte in stream { out += try filter.filter([byte]) }
        #expect(filter.sessionID == 0x0102_0304)
        #expect(out == Self.mini(103, Self.initialize) + Self.mini(102, []) + Self.mini(109, [7, 7]) + Self.mini(102, []))
        #expect(!out.contains(UInt8(ascii: ":")), "no address of the host behind the gateway")
    }

    @Test func fullHeadersKeepTheirSerials() throws {
        var filter = SpiceMainChannelFilter(miniHeader: false)
        let out = try filter.filter(Self.full(serial: 1, 103, Self.initialize) + Self.full(serial: 2, 116, Self.migrate))
        #expect(filter.sessionID == 0x0102_0304)
        #expect(out == Self.full(serial: 1, 103, Self.initialize) + Self.full(serial: 2, 102, []))
    }

    @Test func aPartMessageWaitsAndAnOversizedOneIsRefused() throws {
        var filter = SpiceMainChannelFilter(miniHeader: true)
        let message = Self.mini(109, [1, 2, 3])
        #expect(try filter.filter(message.dropLast()).isEmpty)
        #expect(try filter.filter(message.suffix(1)) == message)
        var oversized = SpiceMainChannelFilter(miniHeader: true)
        #expect(throws: SpiceLinkError.invalidData) { try oversized.filter(Self.le16(109) + Self.le32(1 << 21)) }
    }
}
