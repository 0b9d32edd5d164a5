#if canImport(Glibc)
import Glibc
#endif

/// What counts as one client where failures or connections are counted: an IPv4 address, or an IPv6 client's /64
/// (a host is commonly given a whole /64 and picks addresses from it at will).
public enum ClientNetwork {
    /// `a.b.c.d` for IPv4 (also an IPv4-mapped IPv6 address), `PREFIX::/64` for IPv6; nil for anything that is no IP
    /// address literal.
    public static func key(for address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return address }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let octets = withUnsafeBytes(of: v6) { Array($0) }
        if octets[0..<10].allSatisfy({ $0 == 0 }), octets[10] == 0xff, octets[11] == 0xff {
            return octets[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
