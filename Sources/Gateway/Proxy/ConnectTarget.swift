import NIOCore

/// The endpoint named by a CONNECT request: an IP address literal and a port.
///
/// Host names are refused rather than resolved, so the proxy never looks anything up on a client's behalf; SPICE
/// endpoints in `.vv` files are addresses.
public struct ConnectTarget: Sendable, Hashable, CustomStringConvertible {
    /// The address as the client wrote it: dotted IPv4, or IPv6 without brackets.
    public var host: String
    /// The TCP port, 1...65535.
    public var port: Int

    /// Creates a target from an address and a port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses a CONNECT request target (`192.0.2.7:5900` or `[2001:db8::7]:5900`); nil for anything else.
    public init?(authority: String) {
        let host: Substring
        let portText: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]"), authority[authority.index(after: close)...].hasPrefix(":")
            else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            portText = authority[authority.index(close, offsetBy: 2)...]
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            guard let colon = authority.lastIndex(of: ":") else { return nil }
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
            guard Self.isDottedIPv4(host) else { return nil }
        }
        guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        self.init(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func isDottedIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
                && !(part.count > 1 && part.hasPrefix("0"))
        }
    }
}

extension ConnectTarget {
    /// The endpoint as a socket address; nil when the host is not an address literal. An address literal needs no
    /// resolver, so the proxy never looks a name up.
    var socketAddress: SocketAddress? {
        try? SocketAddress(ipAddress: self.host, port: self.port)
    }
}
