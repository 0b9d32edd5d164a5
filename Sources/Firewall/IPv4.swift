/// Strict parsing of dotted-quad IPv4 literals.
enum IPv4 {
    /// Parses `a.b.c.d` (four decimal octets 0-255, no leading zeros, nothing else) and returns it
    /// unchanged, or throws naming `field`.
    static func canonical(_ text: String, field: String) throws(FirewallError) -> String {
        guard let octets = parse(text) else {
            throw FirewallError("invalid \(field) \(String(reflecting: text)): expected an IPv4 address like 192.0.2.10")
        }
        return octets.map(String.init).joined(separator: ".")
    }

    /// The four octets of a strict dotted-quad literal, or `nil`.
    static func parse(_ text: String) -> [UInt8]? {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count),
                  part.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  part.count == 1 || part.first != UInt8(ascii: "0"),
                  let value = UInt8(String(decoding: part, as: UTF8.self))
            else { return nil }
            octets.append(value)
        }
        return octets
    }
}
