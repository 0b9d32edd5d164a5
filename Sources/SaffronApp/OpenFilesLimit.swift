import Gateway
import Glibc

/// The process's limit of open files, raised for serving: each proxy tunnel holds six descriptors (two sockets, two
/// pipes) and each browser console two, so the usual soft limit of 1,024 would cap a broker at about 150 tunnels.
enum OpenFilesLimit {
    /// Raises the soft limit to the hard limit; returns the limit now in force (nil if it could not be read).
    @discardableResult
    static func raiseToHardLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return UInt64(limit.rlim_cur)
    }

    /// The HTTP API's share of `limit` descriptors when `http.maxConnections` leaves it to us: an eighth, one
    /// descriptor a connection (at least 16, at most a million). The WebSocket gateway takes a quarter
    /// (`GatewayConfiguration.maxConnections`), which leaves the CONNECT proxy's tunnels and the broker's own files
    /// (store, libvirt, served files) the rest, so a flood of one listener cannot starve the others.
    static func apiConnections(of limit: UInt64?) -> Int {
        DescriptorShare.connections(parts: 8, descriptorsEach: 1, of: limit)
    }
}
