import Glibc

/// How many connections a listener may hold: its share of the process's open-files limit, so that a flood of one
/// listener leaves the others (and the broker's own files) their descriptors. The HTTP API takes an eighth, the
/// WebSocket gateway and the CONNECT proxy a quarter each.
public enum DescriptorShare {
    /// The open-files hard limit (`saffron serve` raises the soft limit to it); nil if it cannot be read.
    public static var hardLimit: UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return UInt64(limit.rlim_max)
    }

    /// `1/parts` of `limit` descriptors at `descriptorsEach` a connection, between 16 and a million; 1,024 when the
    /// limit is unknown.
    public static func connections(parts: UInt64, descriptorsEach: UInt64, of limit: UInt64?) -> Int {
        guard let limit else { return 1024 }
        return Int(min(max(limit / parts / descriptorsEach, 16), 1_000_000))
    }
}
