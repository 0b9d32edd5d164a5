extension ForwardRule {
    /// The longest session ID accepted; it ends up in an iptables comment (limit 255 bytes).
    public static let maxSessionIDLength = 128

    /// Returns the rule with canonical addresses, or throws ``FirewallError`` naming the bad field.
    ///
    /// Every backend renders only validated rules, so nothing a user controls can reach the
    /// firewall program's input or arguments.
    public func validated() throws(FirewallError) -> ForwardRule {
        guard !sessionID.isEmpty, sessionID.utf8.count <= Self.maxSessionIDLength,
              sessionID.utf8.allSatisfy(Self.isSessionIDByte)
        else { throw FirewallError("invalid session id \(String(reflecting: sessionID)): use 1-\(Self.maxSessionIDLength) of A-Z a-z 0-9 -") }
        var rule = self
        rule.clientAddress = try IPv4.canonical(clientAddress, field: "client address")
        rule.publicAddress = try IPv4.canonical(publicAddress, field: "public address")
        rule.targetAddress = try IPv4.canonical(targetAddress, field: "target address")
        try Self.checkPort(publicPort, field: "public port")
        try Self.checkPort(targetPort, field: "target port")
        return rule
    }

    private static func checkPort(_ port: Int, field: String) throws(FirewallError) {
        guard (1...65535).contains(port) else { throw FirewallError("invalid \(field) \(port): use 1-65535") }
    }

    private static func isSessionIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
