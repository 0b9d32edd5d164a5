import Foundation
import Glibc
import SpiceLink
import SpiceTestSupport
import Testing

/// The acceptor and the connector between a client and a real spice-server (`saffron-spice-pattern`, libspice-server):
/// the client links with a credential of the gateway's, the server is linked with its own ticket.
@Suite(.serialized) struct SpiceServerLinkTests {
    static let desktopTicket = "pattern-ticket-7"

    @Test func aClientLinksARealServerThroughTheAcceptorAndTheConnector() throws {
        try PatternServer.run(ticket: Self.desktopTicket) { port in
            let server = try BlockingSocket(connectingTo: port)
            // The client's side, as spice-gtk links a main channel, answered by the gateway's acceptor.
            let gatewayKey = try SpiceTicketKey()
            var acceptor = SpiceLinkAcceptor(key: gatewayKey)
            guard case .send(let replyBytes)? = acceptor.receive(SpiceLinkAcceptorTests.spiceGTKMain.bytes).first else {
                Issue.record("no reply")
                return
            }
            let gatewayReply = try SpiceLinkReply(parsing: replyBytes.dropFirst(SpiceLinkHeader.size))
            let credential = Array("console-credential".utf8)
            let authenticated = acceptor.receive(
                SpiceLinkMessage.ticketMechanism + (try SpiceTicketKey.encrypt(credential, for: gatewayReply.publicKey)))
            guard case .authenticate(let message, let ticket)? = authenticated.first else {
                Issue.record("not authenticated: \(authenticated)")
                return
            }
            #expect(ticket == credential)

            // The gateway's side toward the desktop, over a real socket.
            var connector = SpiceLinkConnector(linking: message)
            try server.send(connector.linkBytes)
            #expect(try Self.run(&connector, on: server) == .needTicket)
            try server.send(try connector.present(ticket: Array(Self.desktopTicket.utf8)))
            guard case .linked(let reply, let following) = try Self.run(&connector, on: server) else {
                Issue.record("the server did not take its ticket")
                return
            }
            #expect(reply.offers(.miniHeader), "spice-server frames with the short header the client offered")

            // The main channel's first messages carry the session id the client's other channels link with.
            var filter = SpiceMainChannelFilter(miniHeader: true)
            var relayed = try filter.filter(following)
            while filter.sessionID == nil {
                let bytes = try server.receive()
                try #require(!bytes.isEmpty, "the server closed before MAIN_INIT")
                relayed += try filter.filter(bytes)
            }
            #expect(filter.sessionID != 0 && !relayed.isEmpty)
        }
    }

    @Test func aWrongDesktopTicketIsTheServersPermissionDenied() throws {
        try PatternServer.run(ticket: Self.desktopTicket) { port in
            let server = try BlockingSocket(connectingTo: port)
            var connector = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
            try server.send(connector.linkBytes)
            #expect(try Self.run(&connector, on: server) == .needTicket)
            try server.send(try connector.present(ticket: Array("not-it".utf8)))
            #expect(try Self.run(&connector, on: server) == .failed(.permissionDenied))
        }
    }

    /// Feeds what the server sends to the connector until it says what to do.
    static func run(_ connector: inout SpiceLinkConnector, on socket: BlockingSocket) throws -> SpiceLinkConnector.Action {
        while true {
            let bytes = try socket.receive()
            guard !bytes.isEmpty else { throw SpiceLinkError.error }
            if let action = connector.receive(bytes).first { return action }
        }
    }
}

/// A blocking loopback TCP connection with a receive timeout, for talking to a server step by step.
final class BlockingSocket {
    let fd: Int32

    init(connectingTo port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw SpiceLinkError.error
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw SpiceLinkError.error }
            offset += sent
        }
    }

    /// What came next; empty when the server closed.
    func receive() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        guard got >= 0 else { throw SpiceLinkError.error }
        return Array(buffer.prefix(got))
    }
}
