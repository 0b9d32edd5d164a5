import Glibc

extension ClientConnectionShares {
    /// Who a connection is counted against: the bytes of its IPv4 address, or the first eight of its IPv6 one (an
    /// IPv4-mapped IPv6 address counts as its IPv4 address).
    struct Client: Hashable, Sendable {
        let prefix: [UInt8]

        /// The client of an IP address literal; nil for anything else.
        init?(address text: String) {
            var v4 = in_addr()
            if inet_pton(AF_INET, text, &v4) == 1 {
                self.prefix = withUnsafeBytes(of: &v4) { Array($0) }
                return
            }
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            self.prefix = mapped ? Array(bytes[12...]) : Array(bytes[..<8])
        }
    }
}
