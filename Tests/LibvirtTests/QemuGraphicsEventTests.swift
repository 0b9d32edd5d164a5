import Foundation
import Glibc
import Libvirt
import Testing

/// Graphics events from a real SPICE server under `qemu:///system`: a client's channel connecting and leaving is
/// reported with the client's address; skipped when no libvirtd answers.
@Suite("Graphics events on qemu:///system", .serialized)
struct QemuGraphicsEventTests {
    @Test(.enabled("qemu:///system answers") { await QemuSystemTests.reachable() }, .timeLimit(.minutes(1)))
    func aSpiceChannelConnectingAndLeavingIsReported() async throws {
        let connection = try await LibvirtConnection.open("qemu:///system")
        defer { connection.close() }
        let name = Fixtures.uniqueName("saffron-libvirttest")
        try await Fixtures.withDomain(name, xml: QemuSystemTests.domainXML(named: name), on: connection) {
            let events = try await connection.domainEvents()
            try await connection.lockSpicePassword(ofDomain: name)
            try await connection.start(named: name)
            let port = try #require(try await connection.spiceGraphics(ofDomain: name)?.port)

            let localPort = try SpiceMainChannelLink.linkAndLeave(port: port)

            let graphics = try await Self.graphicsEvents(of: name, in: events, until: .disconnect)
            let client = "127.0.0.1:\(localPort)"
            #expect(graphics == [.init(phase: .connect, client: client), .init(phase: .disconnect, client: client)])
        }
    }

    struct Seen: Equatable {
        let phase: GraphicsPhase
        let client: String
    }

    private static func graphicsEvents(
        of domain: String, in events: AsyncStream<DomainEvent>, until last: GraphicsPhase
    ) async throws -> [Seen] {
        let seen = Collected<Seen>()
        return try await awaitEvents(events, "graphics \(last) event for \(domain)", timeout: .seconds(15)) { event in
            guard case .graphics(domain, let phase, let client) = event else { return nil }
            return seen.append(Seen(phase: phase, client: client), done: phase == last)
        }
    }
}

/// A SPICE client's first steps on the main channel, just far enough for the server to count a connection: the
/// link message, the server's reply, a (wrong) encrypted ticket, the server's verdict; then it leaves.
enum SpiceMainChannelLink {
    /// Links to 127.0.0.1:`port` and disconnects; returns the client's local port (the event's client address).
    static func linkAndLeave(port: Int) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0, "cannot connect to the SPICE port \(port)")

        // SpiceLinkHeader ("REDQ", version 2.2, size) + SpiceLinkMess (main channel, connection id 0, one common
        // capability word at offset 18).
        var body: [UInt8] = []
        body += le32(0) + [1, 0] + le32(1) + le32(0) + le32(18) + le32(0b1011)
        let message = Array("REDQ".utf8) + le32(2) + le32(2) + le32(UInt32(body.count)) + body
        try #require(write(fd, message, message.count) == message.count)
        var reply = [UInt8](repeating: 0, count: 4096)
        try #require(read(fd, &reply, reply.count) >= 16, "the SPICE server sent no link reply")
        #expect(Array(reply[0..<4]) == Array("REDQ".utf8))
        let ticket = [UInt8](repeating: 0x5a, count: 128)
        try #require(write(fd, ticket, ticket.count) == ticket.count)
        var verdict = [UInt8](repeating: 0, count: 4)
        _ = read(fd, &verdict, 4)

        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: local.sin_port))
    }

    private static func le32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8((value >> ($0 * 8)) & 0xff) }
    }
}
