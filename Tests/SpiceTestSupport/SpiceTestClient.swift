import Glibc
import SpiceLink
import Synchronization

/// A SPICE client's channel connection over a blocking loopback socket (with a receive timeout), linking as spice-gtk
/// does: ticket authentication selected, the short message header offered.
public final class SpiceTestClient: Sendable {
    /// What went wrong on the socket.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port` from `source`; with `naming`, it sends first the line by which one of the broker's
    /// own relays names the client behind it (`PROXY TCP4 CLIENT ...`).
    public init(port: Int, from source: String = "127.0.0.1", naming client: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0 && withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        guard connected else {
            close(fd)
            throw Failure(description: "connecting to port \(port) failed: errno \(errno)")
        }
        if let client { try send(Array("PROXY TCP4 \(client) 127.0.0.1 0 \(port)\r\n".utf8)) }
    }

    deinit { close(fd) }

    /// The channel capabilities the server's link reply offered, once `link` read it.
    public private(set) var offeredChannelCapabilities: [UInt32] {
        get { offered.withLock { $0 } }
        set { offered.withLock { $0 = newValue } }
    }
    private let offered = Mutex<[UInt32]>([])

    /// Links a channel of `channelType` (1: main, 2: display, ...) with `ticket`; nil when the server said OK,
    /// else the error it said (at the link reply or as the link result).
    public func link(channelType: UInt8, connectionID: UInt32 = 0, ticket: String) throws -> SpiceLinkError? {
        let message = SpiceLinkMessage(
            connectionID: connectionID, channelType: channelType, channelID: 0,
            commonCapabilities: SpiceCommonCapability.words([.authSelection, .authSASL, .miniHeader]), channelCapabilities: [])
        try send(message.bytes)
        let header = try SpiceLinkHeader(parsing: try receive(exactly: SpiceLinkHeader.size)[...])
        let reply = try SpiceLinkReply(parsing: try receive(exactly: header.bodySize)[...])
        if let error = reply.error { return error }
        offeredChannelCapabilities = reply.channelCapabilities
        try send(SpiceLinkMessage.ticketMechanism + (try SpiceTicketKey.encrypt(Array(ticket.utf8), for: reply.publicKey)))
        return SpiceLinkReply.error(inResult: try receive(exactly: 4))
    }

    /// Reads a linked main channel's messages (short headers) until `MAIN_INIT`; the SPICE session id it names.
    public func readSessionID() throws -> UInt32 {
        while true {
            let header = try receive(exactly: 6)
            let type = UInt16(header[0]) | UInt16(header[1]) << 8
            let size = Int(header[2]) | Int(header[3]) << 8 | Int(header[4]) << 16 | Int(header[5]) << 24
            let body = try receive(exactly: size)
            if type == 103 { return UInt32(body[0]) | UInt32(body[1]) << 8 | UInt32(body[2]) << 16 | UInt32(body[3]) << 24 }
        }
    }

    /// Whether the other side closed the connection within the receive timeout (what it sent first is skipped).
    public func closedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if got == 0 { return true }
            if got < 0 { return errno == ECONNRESET }
        }
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Exactly `count` bytes; throws when the peer closed or nothing came within the timeout.
    public func receive(exactly count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            guard got > 0 else { throw Failure(description: got == 0 ? "closed by the peer" : "receive failed: errno \(errno)") }
            offset += got
        }
        return bytes
    }
}
