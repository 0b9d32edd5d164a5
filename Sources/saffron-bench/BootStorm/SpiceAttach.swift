import Glibc
import SpiceLink

/// A SPICE client that gets as far as an authenticated main channel: it links, sends the ticket and reads the
/// server's verdict. The link result OK is the moment a user's viewer would be attached.
enum SpiceAttach {
    /// Attaches to `address`:`port` with `ticket` on a thread of its own (the sockets block); throws unless the
    /// server answers OK.
    static func attach(address: String, port: Int, ticket: String) async throws {
        try await BenchThread.run { Result { try attachBlocking(address: address, port: port, ticket: ticket) } }.get()
    }

    private static func attachBlocking(address: String, port: Int, ticket: String) throws {
        let fd = try connect(address: address, port: port)
        defer { close(fd) }
        let message = SpiceLinkMessage(
            connectionID: 0, channelType: 1, channelID: 0,
            commonCapabilities: SpiceCommonCapability.words([.authSelection, .authSpice, .miniHeader]), channelCapabilities: [])
        guard LoopbackSocket.writeAll(fd, message.bytes) else { throw failure("sending the link message", address, port) }
        do {
            let header = try SpiceLinkHeader(parsing: try readExactly(fd, SpiceLinkHeader.size)[...])
            let reply = try SpiceLinkReply(parsing: try readExactly(fd, header.bodySize)[...])
            if let error = reply.error { throw BenchFailure("SPICE \(address):\(port) refused the link: \(error)") }
            let ticket = try SpiceTicketKey.encrypt(Array(ticket.utf8), for: reply.publicKey)
            let mechanism = reply.offers(.authSelection) ? SpiceLinkMessage.ticketMechanism : []
            guard LoopbackSocket.writeAll(fd, mechanism + ticket) else { throw failure("sending the ticket", address, port) }
            if let error = SpiceLinkReply.error(inResult: try readExactly(fd, 4)) {
                throw BenchFailure("SPICE \(address):\(port) refused the ticket: \(error)")
            }
        } catch let error as SpiceLinkError {
            throw BenchFailure("SPICE \(address):\(port) answered a link that is not SPICE's: \(error)")
        }
    }

    /// A blocking TCP connection to an IPv4 address, with reads and writes that give up after 15 s.
    private static func connect(address: String, port: Int) throws -> Int32 {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            throw BenchFailure("the SPICE address \(address) is not IPv4")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket: \(LoopbackSocket.errnoText())") }
        LoopbackSocket.setNoDelay(fd)
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let text = LoopbackSocket.errnoText()
            close(fd)
            throw BenchFailure("cannot connect to SPICE \(address):\(port): \(text)")
        }
        return fd
    }

    private static func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, count - offset) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw BenchFailure("the SPICE server closed or stalled after \(offset) of \(count) bytes (\(got < 0 ? LoopbackSocket.errnoText() : "end of stream"))")
            }
            offset += got
        }
        return bytes
    }

    private static func failure(_ step: String, _ address: String, _ port: Int) -> BenchFailure {
        BenchFailure("SPICE \(address):\(port) went away while \(step): \(LoopbackSocket.errnoText())")
    }
}
