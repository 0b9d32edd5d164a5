import Foundation

/// Whether a user's viewer is really attached to a desktop, as the hypervisor's graphics events tell (no guest
/// agent involved).
public struct DesktopPresence: Sendable, Equatable {
    /// SPICE channels of clients that authenticated and have not disconnected (one viewer opens several).
    public var channels: Int
    /// When the desktop last became attached or detached; nil when no event was seen since the broker started.
    public var changedAt: Date?

    /// Whether any viewer is attached.
    public var isAttached: Bool { self.channels > 0 }

    /// Nothing known: no viewer attached.
    public static let detached = DesktopPresence(channels: 0, changedAt: nil)

    public init(channels: Int, changedAt: Date?) {
        self.channels = channels
        self.changedAt = changedAt
    }
}
