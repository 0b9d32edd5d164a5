extension ConsoleFile {
    /// Which SPICE client a `.vv` is written for.
    public enum ClientProfile: String, Sendable, CaseIterable {
        /// remote-viewer (virt-viewer): every key.
        case remoteViewer = "remote-viewer"
        /// aSpice on Android: only the keys it applies.
        case aSpice = "aspice"

        /// The keys this client gets; nil for all of them.
        var keys: Set<String>? {
            switch self {
            case .remoteViewer:
                nil
            case .aSpice:
                [
                    "host", "port", "tls-port", "password", "ca", "host-subject", "proxy", "secure-channels",
                    "enable-usbredir", "enable-smartcard", "color-depth", "disable-effects", "delete-this-file",
                ]
            }
        }

        /// The profile for a browser's `User-Agent`: aSpice on Android, remote-viewer elsewhere.
        public static func forUserAgent(_ userAgent: String?) -> ClientProfile {
            (userAgent ?? "").lowercased().contains("android") ? .aSpice : .remoteViewer
        }
    }

    /// The file as `profile`'s client should get it: the same escaping, only the keys that client applies.
    public func rendered(for profile: ClientProfile) -> String {
        guard let keys = profile.keys else { return rendered() }
        return Self.render(entries.filter { keys.contains($0.key) })
    }
}
