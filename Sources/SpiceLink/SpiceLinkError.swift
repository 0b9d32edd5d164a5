/// `SpiceLinkErr`: what a link reply or a link result says went wrong (0 is success).
public enum SpiceLinkError: UInt32, Error, Sendable, CustomStringConvertible {
    case error = 1
    case invalidMagic = 2
    case invalidData = 3
    case versionMismatch = 4
    case needSecured = 5
    case needUnsecured = 6
    case permissionDenied = 7
    case badConnectionID = 8
    case channelNotAvailable = 9

    /// spice-protocol's words for it.
    public var description: String {
        switch self {
        case .error: "error"
        case .invalidMagic: "invalid magic"
        case .invalidData: "invalid data"
        case .versionMismatch: "version mismatch"
        case .needSecured: "need secured"
        case .needUnsecured: "need unsecured"
        case .permissionDenied: "permission denied"
        case .badConnectionID: "bad connection id"
        case .channelNotAvailable: "channel not available"
        }
    }
}
