#if canImport(Glibc)
import Glibc
#endif

/// What counts as one client when failures are counted: an IPv4 address, or an IPv6 client's /64 (a host is
/// commonly given a whole /64 and picks addresses from it at will).
enum ClientNetwork {
    /// `address` for IPv4 (also an IPv4-mapped IPv6 address) and anything unparsable; `PREFIX::/64` for IPv6.
    static func key(for address: String) -> String {
        guard address.contains(":") else { return address }
        var bytes = in6_addr()
        guard inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        let octets = withUnsafeBytes(of: bytes) { Array($0) }
        if octets[0..<10].allSatisfy({ $0 == 0 }), octets[10] == 0xff, octets[11] == 0xff {
            return octets[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
