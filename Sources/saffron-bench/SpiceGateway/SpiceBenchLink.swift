import Glibc
import SpiceLink

/// The SPICE link as the benchmark's client and desktop speak it through the SPICE gateway: the client presents
/// `credential`, the gateway links the desktop with `desktopTicket`, and the desktop names `session` in `MAIN_INIT`.
enum SpiceBenchLink {
    static let credential = "bench-console-credential"
    static let desktopTicket = "bench-desktop-ticket"
    static let session: UInt32 = 0x5AFF_1234
    static let mainChannel: UInt8 = 1
    static let displayChannel: UInt8 = 2
    /// The desktop's key, made once: the benchmark measures the gateway's link, not the desktop's.
    static let desktopKey = try! SpiceTicketKey()

    /// On a client connection to the gateway from this host: names the client (as the broker's relays do), links a
    /// channel of `type` with the credential, and checks the gateway said OK. Returns the bytes that came after.
    static func link(_ fd: Int32, port: Int, type: UInt8, connectionID: UInt32) throws -> [UInt8] {
        let message = SpiceLinkMessage(
            connectionID: connectionID, channelType: type, channelID: 0,
            commonCapabilities: SpiceCommonCapability.words([.authSelection, .miniHeader]), channelCapabilities: [])
        guard LoopbackSocket.writeAll(fd, Array("PROXY TCP4 127.0.0.1 127.0.0.1 0 \(port)\r\n".utf8) + message.bytes) else {
            throw BenchFailure("the SPICE gateway closed before the link")
        }
        let header = try SpiceLinkHeader(parsing: try Self.read(fd, exactly: SpiceLinkHeader.size)[...])
        let reply = try SpiceLinkReply(parsing: try Self.read(fd, exactly: header.bodySize)[...])
        if let error = reply.error { throw BenchFailure("the SPICE gateway refused the link: \(error)") }
        let ticket = try SpiceTicketKey.encrypt(Array(credential.utf8), for: reply.publicKey)
        guard LoopbackSocket.writeAll(fd, SpiceLinkMessage.ticketMechanism + ticket) else {
            throw BenchFailure("the SPICE gateway closed during the link")
        }
        if let error = SpiceLinkReply.error(inResult: try Self.read(fd, exactly: 4)) {
            throw BenchFailure("the SPICE gateway refused the credential: \(error)")
        }
        return []
    }

    /// The desktop's side of a link on a connection from the gateway, whose first byte (`R` of `REDQ`) was read:
    /// answers with the desktop key, checks the ticket, says OK. A main channel is then sent `MAIN_INIT` naming
    /// `session` and idles; another channel goes on to the target's mode byte. False when the link failed.
    static func serveDesktopLink(_ fd: Int32, firstByte: UInt8) -> (linked: Bool, isMain: Bool) {
        var acceptor = SpiceLinkAcceptor(key: desktopKey)
        var actions = acceptor.receive([firstByte])
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            for action in actions {
                switch action {
                case .send(let bytes):
                    guard LoopbackSocket.writeAll(fd, bytes) else { return (false, false) }
                case .refuse(let bytes, _):
                    _ = LoopbackSocket.writeAll(fd, bytes)
                    return (false, false)
                case .authenticate(let message, let ticket):
                    guard ticket == Array(desktopTicket.utf8) else {
                        _ = LoopbackSocket.writeAll(fd, SpiceLinkReply.result(.permissionDenied))
                        return (false, false)
                    }
                    guard LoopbackSocket.writeAll(fd, SpiceLinkReply.result(nil)) else { return (false, false) }
                    guard message.channelType == mainChannel else { return (true, false) }
                    // MAIN_INIT (type 103) under the short header: the session id, then the rest of SpiceMsgMainInit.
                    var body: [UInt8] = withUnsafeBytes(of: session.littleEndian, Array.init)
                    body += [UInt8](repeating: 0, count: 28)
                    let header = withUnsafeBytes(of: UInt16(103).littleEndian, Array.init)
                        + withUnsafeBytes(of: UInt32(body.count).littleEndian, Array.init)
                    return (LoopbackSocket.writeAll(fd, header + body), true)
                }
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            guard count > 0 else { return (false, false) }
            actions = acceptor.receive(buffer[0..<count])
        }
    }

    static func read(_ fd: Int32, exactly count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, count - offset) }
            guard got > 0 else { throw BenchFailure("the SPICE gateway closed or went quiet during the link") }
            offset += got
        }
        return bytes
    }
}
