import NIOCore

/// One side of a relay as the other side sees it: where the bytes it reads go, and what it tells about its own
/// channel. Both sides live on one event loop and call each other directly.
///
/// The WebSocket relay is one (the browser's side of a console); the `TCPRelayHandler` is the other (the desktop's
/// side).
protocol RelayPeer: AnyObject {
    /// Whether this side's channel can take more bytes now; the partner reads only while it can.
    var isWritable: Bool { get }
    /// Bytes the partner read, to be sent on this side.
    func relay(_ buffer: ByteBuffer)
    /// The partner finished a burst of reads: flush.
    func relayFlush()
    /// The partner's peer stopped sending (half-close).
    func partnerInputClosed()
    /// The partner's channel closed.
    func partnerClosed()
    /// The partner ended in order: send what it relayed, then close.
    func partnerFinished()
    /// The partner's channel failed; it closes next.
    func partnerFailed(_ error: any Error)
    /// The partner's channel drained below its low water mark: resume reading if a read was held back.
    func partnerBecameWritable()
}
