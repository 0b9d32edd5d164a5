import Foundation

/// How a SPICE server answered a link handshake.
enum SpiceLinkOutcome: Equatable, CustomStringConvertible {
    /// The link result after the ticket: 0 is SPICE_LINK_ERR_OK, 7 SPICE_LINK_ERR_PERMISSION_DENIED.
    case linked(result: UInt32)
    /// The server refused the link before the ticket (error field of SpiceLinkReply).
    case linkError(UInt32)
    /// No SPICE server answered (refused, reset, closed).
    case connectionFailed(String)

    static let accepted = SpiceLinkOutcome.linked(result: 0)
    static let permissionDenied = SpiceLinkOutcome.linked(result: 7)

    var description: String {
        switch self {
        case .linked(let result): "link result \(result)"
        case .linkError(let error): "link error \(error)"
        case .connectionFailed(let why): "connection failed: \(why)"
        }
    }
}

/// Speaks the SPICE link handshake for the main channel and sends a ticket, the way a SPICE client logs in,
/// so the tests ask the real SPICE server (not the broker) whether a ticket opens the console.
/// The bytes are done by a small Python helper (socket + `cryptography` for RSA-OAEP/SHA-1), run with
/// `ip netns exec` so the connection starts inside the client or gateway namespace.
enum SpiceLinkProbe {
    /// Links to `host:port` from inside `namespace` with `ticket`.
    static func link(host: String, port: Int, ticket: String, from namespace: String) throws -> SpiceLinkOutcome {
        let script = Scratch.file("spice-link-probe.py")
        try helper.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = try Command.check(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", script.path, host, String(port)],
            input: Data((ticket + "\n").utf8), timeout: 30)
        let words = result.output.split(whereSeparator: \.isWhitespace)
        switch (words.first, words.dropFirst().first.flatMap { UInt32($0) }) {
        case ("result", let code?): return .linked(result: code)
        case ("link-error", let code?): return .linkError(code)
        case ("connect-error", _): return .connectionFailed(words.dropFirst().joined(separator: " "))
        default: throw CommandError(description: "SPICE probe printed '\(result.output)': \(result.errorOutput)")
        }
    }

    /// spice-protocol's SpiceLinkHeader (magic REDQ, version 2.2, size), SpiceLinkMess (connection 0, channel
    /// type 1 = main, id 0, no caps, caps at offset 18), SpiceLinkReply (error, 162-byte DER public key, caps),
    /// then the NUL-terminated ticket under RSA-OAEP(SHA-1) and the 4-byte little-endian link result.
    private static let helper = #"""
        import socket, struct, sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        def recv_exact(sock, n):
            data = b""
            while len(data) < n:
                chunk = sock.recv(n - len(data))
                if not chunk:
                    raise OSError("closed after %d of %d bytes" % (len(data), n))
                data += chunk
            return data

        host, port = sys.argv[1], int(sys.argv[2])
        ticket = sys.stdin.buffer.readline().rstrip(b"\n")
        try:
            sock = socket.create_connection((host, port), timeout=10)
            mess = struct.pack("<IBBIII", 0, 1, 0, 0, 0, 18)
            sock.sendall(b"REDQ" + struct.pack("<III", 2, 2, len(mess)) + mess)
            magic, major, minor, size = struct.unpack("<4sIII", recv_exact(sock, 16))
            if magic != b"REDQ":
                raise OSError("not a SPICE server: magic %r" % magic)
            reply = recv_exact(sock, size)
            (error,) = struct.unpack_from("<I", reply, 0)
            if error:
                print("link-error", error)
                sys.exit(0)
            key = serialization.load_der_public_key(reply[4:166])
            oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
            sock.sendall(key.encrypt(ticket + b"\0", oaep))
            print("result", struct.unpack("<I", recv_exact(sock, 4))[0])
        except OSError as failure:
            print("connect-error", failure)
        """#
}
