import Foundation
import Glibc
import NIOCore
import Synchronization
import Testing

@testable import Gateway

/// The splice(2) relays through real loopback sockets: what a tunnel's two ends see, and the events the proxy hears.
@Suite("Splice relays", .serialized)
struct SpliceRelaysTests {
    /// A client connected through a relay to a target, with the relay's events recorded.
    final class Tunnel: Sendable {
        let relays: SpliceRelays
        let client: BlockingSocket
        let target: BlockingSocket
        let events: EventLog

        init(_ options: SpliceRelays.Options = .init(), opened: String = "OK\n") throws {
            self.relays = try SpliceRelays(options)
            let (targetListener, targetPort) = try BlockingSocket.listening()
            let (clientListener, clientPort) = try BlockingSocket.listening()
            self.client = try BlockingSocket.connected(to: clientPort)
            let events = EventLog()
            self.events = events
            try self.relays.open(
                1, client: try clientListener.acceptDescriptor(),
                target: try SocketAddress(ipAddress: "127.0.0.1", port: targetPort), openedReply: Array(opened.utf8),
                failedReply: Array("FAILED\n".utf8), earlyBytes: Array("early".utf8), events: events.record)
            self.target = try targetListener.accept()
            #expect(try self.client.receive(exactly: opened.utf8.count) == Array(opened.utf8))
            #expect(try self.target.receive(exactly: 5) == Array("early".utf8))
        }

        deinit { self.relays.stop() }
    }

    /// The events of one relay, awaited with a deadline.
    final class EventLog: Sendable {
        private let events = Mutex<[SpliceRelays.Event]>([])

        var record: @Sendable (SpliceRelays.Event) -> Void { { event in self.events.withLock { $0.append(event) } } }

        /// The relay's last event, waiting up to 5 s for it.
        func final() async throws -> SpliceRelays.Event? {
            for _ in 0..<500 {
                if let last = self.events.withLock({ $0.last }), last.isFinal { return last }
                try await Task.sleep(for: .milliseconds(10))
            }
            return nil
        }
    }

    @Test func bytesCrossBothWaysIntactAndInOrder() async throws {
        let tunnel = try Tunnel(.init(bufferLimit: 64 * 1024))
        let upstream = (0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 13) }
        let sender = Thread { try? tunnel.client.send(upstream) }  // blocking: not on the tests' cooperative threads
        sender.start()
        let received = try tunnel.target.receive(exactly: upstream.count)
        #expect(received == upstream)
        try tunnel.target.send(Array("and back".utf8))
        #expect(try tunnel.client.receive(exactly: 8) == Array("and back".utf8))
    }

    @Test func aFinPassesOnWhileTheOtherWayKeepsFlowing() async throws {
        let tunnel = try Tunnel()
        try tunnel.client.send(Array("request".utf8))
        tunnel.client.finishSending()
        #expect(try tunnel.target.receiveUntilEnd() == Array("request".utf8))
        try tunnel.target.send(Array("answer after the client's FIN".utf8))
        tunnel.target.finishSending()
        #expect(try tunnel.client.receiveUntilEnd() == Array("answer after the client's FIN".utf8))
        let last = try await tunnel.events.final()
        #expect(last == .closed(errno: 0, bytesUp: 5 + 7, bytesDown: 29), "byte counts include the early bytes")
    }

    @Test func closingARelayClosesBothEnds() async throws {
        let tunnel = try Tunnel()
        tunnel.relays.close(1)
        #expect(try tunnel.client.receiveUntilEnd() == [])
        #expect(try tunnel.target.receiveUntilEnd() == [])
        let last = try await tunnel.events.final()
        #expect(last == .closed(errno: ECANCELED, bytesUp: 5, bytesDown: 0))
    }

    @Test func anIdleRelayIsClosed() async throws {
        let tunnel = try Tunnel(.init(idleTimeout: .milliseconds(300)))
        try tunnel.client.send(Array("ping".utf8))
        #expect(try tunnel.target.receive(exactly: 4) == Array("ping".utf8))
        #expect(try tunnel.client.receiveUntilEnd() == [])
        guard case .closed(let code, _, _, _) = try await tunnel.events.final() else {
            Issue.record("no closed event")
            return
        }
        #expect(code == ETIMEDOUT)
    }

    @Test func aWebSocketRelayReportsTheCodeOfTheCloseItSent() async throws {
        let relays = try SpliceRelays(.init(closeGrace: .milliseconds(200)))
        defer { relays.stop() }
        let (targetListener, targetPort) = try BlockingSocket.listening()
        let (clientListener, clientPort) = try BlockingSocket.listening()
        let browser = try BlockingSocket.connected(to: clientPort)
        let events = EventLog()
        try relays.open(
            7, client: try clientListener.acceptDescriptor(), target: try SocketAddress(ipAddress: "127.0.0.1", port: targetPort),
            webSocket: true, openedReply: [], failedReply: [], earlyBytes: [], events: events.record)
        let desktop = try targetListener.accept()
        relays.close(7, with: .sessionEnded())
        let close = try browser.receive(exactly: 4)  // FIN + Close, length, then the code
        #expect(close[0] == 0x88 && (UInt16(close[2]) << 8 | UInt16(close[3])) == 4410)
        #expect(try desktop.receiveUntilEnd() == [])
        guard case .closed(_, _, _, let closeCode) = try await events.final() else {
            Issue.record("no closed event")
            return
        }
        #expect(closeCode == 4410)
    }

    @Test func aTargetThatRefusesGetsTheFailureReply() async throws {
        let relays = try SpliceRelays(.init())
        defer { relays.stop() }
        let closedPort = try BlockingSocket.listening().port  // the listener is gone once the tuple is dropped
        let (clientListener, clientPort) = try BlockingSocket.listening()
        let client = try BlockingSocket.connected(to: clientPort)
        let events = EventLog()
        try relays.open(
            7, client: try clientListener.acceptDescriptor(),
            target: try SocketAddress(ipAddress: "127.0.0.1", port: closedPort), openedReply: Array("OK\n".utf8),
            failedReply: Array("FAILED\n".utf8), earlyBytes: [], events: events.record)
        #expect(try client.receiveUntilEnd() == Array("FAILED\n".utf8))
        #expect(try await events.final() == .failed(errno: ECONNREFUSED))
    }

    @Test func aTargetThatDoesNotReadStopsTheClient() async throws {
        let tunnel = try Tunnel(.init(bufferLimit: 64 * 1024))
        let accepted = tunnel.client.sendUntilFull()
        // Socket buffers on both sides plus one pipe hold a few MiB at most; without backpressure the relay would
        // keep reading and the client would never be stopped.
        #expect(accepted < 32 << 20, "the relay kept reading although the target did not")
        let drained = try tunnel.target.receive(exactly: accepted)
        #expect(drained.count == accepted && drained.allSatisfy { $0 == 7 })
        // Once the target drained the pipe the relay reads the client again: its wait for room was lifted.
        try tunnel.client.send(Array("after the stall".utf8))
        #expect(try tunnel.target.receive(exactly: 15) == Array("after the stall".utf8))
    }
}
