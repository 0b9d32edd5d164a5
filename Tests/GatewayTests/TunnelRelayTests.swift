import NIOCore
import NIOEmbedded
import Testing

@testable import Gateway

/// The two ends of a proxy tunnel, glued by a matched pair of `TCPRelayHandler`s on embedded channels.
@Suite("Tunnel relay")
struct TunnelRelayTests {
    /// A client and a target channel on one embedded loop, glued, each counting the reads it asks of its socket.
    struct Tunnel {
        let client: EmbeddedChannel
        let target: EmbeddedChannel
        let clientReads = ReadCounter()
        let targetReads = ReadCounter()

        init() throws {
            let loop = EmbeddedEventLoop()
            client = EmbeddedChannel(loop: loop)
            target = EmbeddedChannel(loop: loop)
            let (clientSide, targetSide) = TCPRelayHandler.matchedPair()
            try client.pipeline.syncOperations.addHandlers([clientReads, clientSide])
            try target.pipeline.syncOperations.addHandlers([targetReads, targetSide])
            let somewhere = try SocketAddress(ipAddress: "127.0.0.1", port: 9)
            try client.connect(to: somewhere).wait()
            try target.connect(to: somewhere).wait()
        }
    }

    @Test func bytesCrossBothWays() throws {
        let tunnel = try Tunnel()
        try tunnel.client.writeInbound(ByteBuffer(string: "from the client"))
        #expect(try tunnel.target.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "from the client"))
        try tunnel.target.writeInbound(ByteBuffer(string: "from the desktop"))
        #expect(try tunnel.client.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "from the desktop"))
    }

    @Test(arguments: [true, false])
    func neitherEndReadsWhileTheOtherCannotTakeMore(clientSideBlocked: Bool) throws {
        let tunnel = try Tunnel()
        let (reader, readerReads, blocked) =
            clientSideBlocked
            ? (tunnel.target, tunnel.targetReads, tunnel.client) : (tunnel.client, tunnel.clientReads, tunnel.target)
        let before = readerReads.reads
        blocked.isWritable = false
        reader.read()
        #expect(readerReads.reads == before, "read although the other end's buffer is full")
        blocked.isWritable = true
        blocked.pipeline.fireChannelWritabilityChanged()
        #expect(readerReads.reads == before + 1, "the held read was not resumed")
    }

    @Test func eitherEndClosingClosesTheOther() throws {
        let tunnel = try Tunnel()
        #expect(tunnel.client.isActive)
        try tunnel.target.close().wait()
        #expect(!tunnel.client.isActive)
    }

    @Test func anIdleEventClosesTheTunnel() throws {
        let tunnel = try Tunnel()
        #expect(tunnel.target.isActive)
        tunnel.client.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!tunnel.client.isActive)
        #expect(!tunnel.target.isActive)
    }
}
