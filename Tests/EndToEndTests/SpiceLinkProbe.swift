import Foundation

/// How a SPICE server answered a link handshake.
enum SpiceLinkOutcome: Equatable, CustomStringConvertible {
    /// The link result after the ticket: 0 is SPICE_LINK_ERR_OK, 7 SPICE_LINK_ERR_PERMISSION_DENIED.
    case linked(result: UInt32)
    /// The server refused the link before the ticket (error field of SpiceLinkReply).
    case linkError(UInt32)
    /// No SPICE server answered (refused, reset, closed).
    case connectionFailed(String)
    /// The WebSocket gateway closed the connection with this close code.
    case closed(code: UInt32, reason: String)

    static let accepted = SpiceLinkOutcome.linked(result: 0)
    static let permissionDenied = SpiceLinkOutcome.linked(result: 7)

    var description: String {
        switch self {
        case .linked(let result): "link result \(result)"
        case .linkError(let error): "link error \(error)"
        case .connectionFailed(let why): "connection failed: \(why)"
        case .closed(let code, let reason): "closed \(code) \(reason)"
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
        try parse(try Command.check(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", try helperScript().path, "tcp", host, String(port)],
            input: Data((ticket + "\n").utf8), timeout: 30))
    }

    /// Links through the WebSocket gateway at `url` (subprotocol `binary`, as spice-html5 asks), sending `origin`.
    static func link(webSocket url: String, origin: String?, ticket: String, from namespace: String) throws -> SpiceLinkOutcome {
        try parse(try Command.check(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", try helperScript().path, "ws", url, origin ?? ""],
            input: Data((ticket + "\n").utf8), timeout: 30))
    }

    /// Starts a WebSocket link that stays open after the handshake; its output file gets `result N` once linked and
    /// `closed CODE REASON` when the gateway closes it. With `linking` false no SPICE byte is sent: the output gets
    /// `open` once the gateway accepted the WebSocket, and the SPICE server has no client to drop.
    static func holdWebSocket(
        _ url: String, origin: String?, ticket: String, from namespace: String, output: URL, linking: Bool = true
    ) throws -> BackgroundProcess {
        try? FileManager.default.removeItem(at: output)
        return try BackgroundProcess(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", "-u", try helperScript().path, "ws", url, origin ?? "",
             linking ? "hold" : "idle"],
            input: Data((ticket + "\n").utf8), stdout: output, stderr: output)
    }

    /// What a probe printed, as an outcome.
    static func parse(_ result: CommandResult) throws -> SpiceLinkOutcome {
        try parse(result.output, errors: result.errorOutput)
    }

    static func parse(_ output: String, errors: String = "") throws -> SpiceLinkOutcome {
        let words = output.split(whereSeparator: \.isWhitespace)
        switch (words.first, words.dropFirst().first.flatMap { UInt32($0) }) {
        case ("result", let code?): return .linked(result: code)
        case ("link-error", let code?): return .linkError(code)
        case ("closed", let code?): return .closed(code: code, reason: words.dropFirst(2).joined(separator: " "))
        case ("connect-error", _): return .connectionFailed(words.dropFirst().joined(separator: " "))
        default: throw CommandError(description: "SPICE probe printed '\(output)': \(errors)")
        }
    }

    private static func helperScript() throws -> URL {
        let script = Scratch.file("spice-link-probe.py")
        try helper.write(to: script, atomically: true, encoding: .utf8)
        return script
    }

    /// spice-protocol's SpiceLinkHeader (magic REDQ, version 2.2, size), SpiceLinkMess (connection 0, channel
    /// type 1 = main, id 0, no caps, caps at offset 18), SpiceLinkReply (error, 162-byte DER public key, caps),
    /// then the NUL-terminated ticket under RSA-OAEP(SHA-1) and the 4-byte little-endian link result. Over TCP, or
    /// over a WebSocket (websocket-client) whose binary frames carry the same bytes.
    private static let helper = #"""
        import socket, struct, sys, time
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        class TCP:
            def __init__(self, host, port):
                self.sock = socket.create_connection((host, int(port)), timeout=10)
            def send(self, data):
                self.sock.sendall(data)
            def recv(self):
                return self.sock.recv(65536)

        class WS:
            def __init__(self, url, origin):
                import websocket
                options = {"subprotocols": ["binary"], "timeout": 10}
                if origin:
                    options["origin"] = origin
                self.ws = websocket.create_connection(url, **options)
            def send(self, data):
                self.ws.send_binary(data)
            def recv(self):
                import websocket
                try:
                    opcode, frame = self.ws.recv_data_frame(True)
                except websocket.WebSocketConnectionClosedException:
                    return b""
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    code = struct.unpack(">H", frame.data[:2])[0] if len(frame.data) >= 2 else 1005
                    raise Closed(code, frame.data[2:].decode("utf-8", "replace"))
                return frame.data

        class Closed(Exception):
            def __init__(self, code, reason):
                self.code, self.reason = code, reason

        buffered = b""
        def recv_exact(link, n):
            global buffered
            while len(buffered) < n:
                chunk = link.recv()
                if not chunk:
                    raise OSError("closed after %d of %d bytes" % (len(buffered), n))
                buffered += chunk
            data, buffered = buffered[:n], buffered[n:]
            return data

        ticket = sys.stdin.buffer.readline().rstrip(b"\n")
        hold = sys.argv[-1] == "hold"
        idle = sys.argv[-1] == "idle"
        try:
            link = TCP(sys.argv[2], sys.argv[3]) if sys.argv[1] == "tcp" else WS(sys.argv[2], sys.argv[3])
            if idle:
                link.ws.settimeout(None)
                print("open", flush=True)
                while link.recv():
                    pass
                print("closed 0 connection ended")
                sys.exit(0)
            mess = struct.pack("<IBBIII", 0, 1, 0, 0, 0, 18)
            link.send(b"REDQ" + struct.pack("<III", 2, 2, len(mess)) + mess)
            magic, major, minor, size = struct.unpack("<4sIII", recv_exact(link, 16))
            if magic != b"REDQ":
                raise OSError("not a SPICE server: magic %r" % magic)
            reply = recv_exact(link, size)
            (error,) = struct.unpack_from("<I", reply, 0)
            if error:
                print("link-error", error)
                sys.exit(0)
            key = serialization.load_der_public_key(reply[4:166])
            oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
            link.send(key.encrypt(ticket + b"\0", oaep))
            print("result", struct.unpack("<I", recv_exact(link, 4))[0], flush=True)
            if hold:
                started = time.monotonic()
                while link.recv():
                    pass
                print("closed 0 connection ended after %.2f s" % (time.monotonic() - started))
        except Closed as closed:
            print("closed", closed.code, closed.reason)
        except Exception as failure:
            print("connect-error", failure)
        """#
}
