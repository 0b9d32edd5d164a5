import NIOCore
import NIOPosix

/// A client of the CONNECT proxy on 127.0.0.1: sends a request, reads the response head, then speaks raw bytes.
final class TestProxyClient {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    /// Bytes read past what has been returned.
    private var buffered: [UInt8] = []

    static func connect(port: Int) async throws -> TestProxyClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return TestProxyClient(channel: channel)
    }

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
        self.inbound = channel.inbound.makeAsyncIterator()
    }

    deinit {
        self.channel.outbound.finish()  // NIO insists on it
        self.channel.channel.close(promise: nil)
    }

    /// Sends `CONNECT target` and returns the response's status line (the rest of the head is read and dropped).
    func connect(to target: String) async throws -> String {
        try await self.send("CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n\r\n")
        return try await self.readHead()
    }

    func send(_ text: String) async throws {
        try await self.channel.outbound.write(ByteBuffer(string: text))
    }

    /// Shuts the client's sending side (half-close).
    func finish() {
        self.channel.outbound.finish()
    }

    /// The response head's first line, once the whole head has arrived; "" if the proxy hung up first.
    func readHead() async throws -> String {
        while true {
            if let end = self.headEnd() {
                let head = String(decoding: self.buffered[..<end], as: UTF8.self)
                self.buffered.removeFirst(end + 4)
                return String(head.split(separator: "\r\n", omittingEmptySubsequences: false)[0])
            }
            guard try await self.fill() else { return "" }
        }
    }

    /// Exactly `count` bytes, or fewer if the other side hung up first.
    func read(count: Int) async throws -> String {
        while self.buffered.count < count, try await self.fill() {}
        let taken = self.buffered.prefix(count)
        self.buffered.removeFirst(taken.count)
        return String(decoding: taken, as: UTF8.self)
    }

    /// Everything until the other side closes.
    func readToEnd() async throws -> String {
        while try await self.fill() {}
        defer { self.buffered = [] }
        return String(decoding: self.buffered, as: UTF8.self)
    }

    func close() async {
        self.channel.outbound.finish()
        try? await self.channel.channel.close()
    }

    private func fill() async throws -> Bool {
        guard let next = try await self.inbound.next() else { return false }
        self.buffered += next.readableBytesView
        return true
    }

    private func headEnd() -> Int? {
        guard self.buffered.count >= 4 else { return nil }
        for index in 0...(self.buffered.count - 4)
        where self.buffered[index] == 13 && self.buffered[index + 1] == 10 && self.buffered[index + 2] == 13
            && self.buffered[index + 3] == 10 {
            return index
        }
        return nil
    }
}
