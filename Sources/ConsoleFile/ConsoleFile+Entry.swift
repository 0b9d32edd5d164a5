extension ConsoleFile {
    /// One extra `key=value` line of the `[virt-viewer]` group.
    ///
    /// The key is checked when the entry is made, so a rendered file never holds a malformed key or
    /// a second copy of a standard key such as `password`.
    public struct Entry: Sendable, Equatable {
        /// The key, made of ASCII letters, digits and `-`.
        public let key: String
        /// The value; escaped when rendered.
        public var value: String

        /// Keys that ``ConsoleFile`` always writes itself and that an extra entry may not repeat.
        public static let reservedKeys: Set<String> = [
            "type", "host", "port", "password", "title", "delete-this-file", "tls-port", "ca", "host-subject", "secure-channels",
            "secure-attention", "release-cursor", "toggle-fullscreen",
        ]

        /// Creates an entry, or returns `nil` when the key is empty, not `[A-Za-z0-9-]+`, or reserved.
        public init?(key: String, value: String) {
            guard !key.isEmpty, !Self.reservedKeys.contains(key),
                  key.unicodeScalars.allSatisfy(Self.isKeyScalar)
            else { return nil }
            self.key = key
            self.value = value
        }

        private static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-": true
            default: false
            }
        }
    }
}
