/// Reads the head of a proxy client's request, as the splice relays hand it over (through its blank line), and
/// finds the endpoint a `CONNECT` names.
///
/// Only `CONNECT ADDRESS:PORT HTTP/1.x` is understood, so the proxy is never an open HTTP proxy: another method is
/// refused with 405, anything unreadable or a target that is not an address literal with a port with 400. Header
/// fields are checked for form only; none changes what the tunnel reaches.
enum ConnectRequestHead {
    /// Why a head was refused: the status the client gets, and a reason for the log.
    struct Refusal: Error, Equatable {
        var refusal: TunnelRefusal
        var why: String

        /// A request target that is not an address literal with a port (400).
        static func notAnEndpoint(_ authority: String) -> Refusal {
            Refusal(refusal: .badRequest, why: "target \(authority.debugDescription) is not ADDRESS:PORT")
        }
    }

    /// The endpoint the request asks for, or why it is refused.
    static func target(of head: UnsafeRawBufferPointer) -> Result<ConnectTarget, Refusal> {
        let lines = Self.lines(of: head)
        guard let requestLine = lines.first, lines.dropFirst().allSatisfy(Self.isHeaderField) else {
            return .failure(Refusal(refusal: .badRequest, why: "unreadable request"))
        }
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy(Self.isVisibleText), parts[0].allSatisfy(Self.isTokenCharacter),
            parts[2].elementsEqual("HTTP/1.1".utf8) || parts[2].elementsEqual("HTTP/1.0".utf8)
        else {
            return .failure(Refusal(refusal: .badRequest, why: "unreadable request"))
        }
        guard parts[0].elementsEqual("CONNECT".utf8) else {
            return .failure(Refusal(refusal: .methodNotAllowed, why: "method \(String(decoding: parts[0], as: UTF8.self))"))
        }
        let authority = String(decoding: parts[1], as: UTF8.self)
        guard let target = ConnectTarget(authority: authority) else { return .failure(.notAnEndpoint(authority)) }
        return .success(target)
    }

    /// The head's lines without their CRLF, up to the blank line; a bare CR or LF inside a line stays in it (and
    /// makes the line unreadable).
    private static func lines(of head: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer.SubSequence] {
        var lines: [UnsafeRawBufferPointer.SubSequence] = []
        var start = head.startIndex
        var index = head.startIndex
        while index + 1 < head.endIndex {
            if head[index] == UInt8(ascii: "\r"), head[index + 1] == UInt8(ascii: "\n") {
                if index == start { break }  // the blank line ends the head
                lines.append(head[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        return lines
    }

    /// `name: value` with a token name, no leading whitespace (obsolete line folding) and no control characters.
    private static func isHeaderField(_ line: UnsafeRawBufferPointer.SubSequence) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return false }
        return line[..<colon].allSatisfy(Self.isTokenCharacter)
            && line[(colon + 1)...].allSatisfy { $0 == UInt8(ascii: "\t") || ($0 >= 0x20 && $0 != 0x7F) }
    }

    private static func isVisibleText(_ part: UnsafeRawBufferPointer.SubSequence) -> Bool {
        !part.isEmpty && part.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// RFC 9110's `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
