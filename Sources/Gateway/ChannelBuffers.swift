import NIOCore

/// The buffer sizing every relayed channel shares, WebSocket gateway and CONNECT proxy alike.
enum ChannelBuffers {
    /// Write buffer water marks bounding what a channel holds: reading from its partner pauses above `limit` and
    /// resumes below half of it.
    static func waterMark(limit: Int) -> ChannelOptions.Types.WriteBufferWaterMark {
        .init(low: max(1, limit / 2), high: max(2, limit))
    }

    /// Receive buffers that start small and grow up to `maximum` while reads come back full, so an idle connection
    /// keeps a small buffer and a busy stream moves in few, large reads.
    static func growingReads(upTo maximum: Int) -> AdaptiveRecvByteBufferAllocator {
        AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: maximum)
    }
}
