import Synchronization

/// The channel capabilities the gateway offers clients, learnt from the desktops it linked: per channel type, those
/// every desktop linked so far announced. The gateway answers a client's link before it knows the desktop, so a
/// client of a channel type no desktop has linked yet is offered none (it then uses the protocol's basic messages,
/// as with an old server); desktops of mixed SPICE server versions narrow the offer to what they share.
final class SpiceDesktopCapabilities: Sendable {
    private let known = Mutex<[UInt8: [UInt32]]>([:])

    /// The capabilities to offer a client linking a channel of `channelType`.
    func offer(for channelType: UInt8) -> [UInt32] {
        known.withLock { $0[channelType] ?? [] }
    }

    /// A desktop announced `capabilities` for a channel of `channelType`.
    func learn(_ capabilities: [UInt32], for channelType: UInt8) {
        known.withLock { known in
            guard let earlier = known[channelType] else {
                known[channelType] = capabilities
                return
            }
            known[channelType] = zip(earlier, capabilities).map { $0 & $1 }
        }
    }
}
