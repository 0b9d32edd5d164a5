# The SPICE link handshake that `SpiceLinkProbe` runs: spice-protocol's SpiceLinkHeader (magic REDQ, version 2.2,
# size), SpiceLinkMess (connection 0, channel type 1 = main, id 0, no caps, caps at offset 18), SpiceLinkReply (error,
# 162-byte DER public key, caps), then the NUL-terminated ticket (read from stdin) under RSA-OAEP(SHA-1) and the 4-byte
# little-endian link result. Over TCP (`tcp HOST PORT`), over TLS trusting one CA (`tls HOST PORT CAFILE`), or over a WebSocket (websocket-client) whose binary frames
# carry the same bytes (`ws URL ORIGIN [hold|idle]`). Prints `result N`, `link-error N`, `closed CODE REASON` or
# `connect-error WHY`. `--source ADDRESS` connects a TCP or TLS probe from that local address.
import socket, struct, sys, time
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

source = None
if "--source" in sys.argv:
    at = sys.argv.index("--source")
    source = (sys.argv[at + 1], 0)
    del sys.argv[at:at + 2]

class TCP:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, int(port)), timeout=10, source_address=source)
    def send(self, data):
        self.sock.sendall(data)
    def recv(self):
        return self.sock.recv(65536)

class TLS(TCP):
    def __init__(self, host, port, cafile):
        import ssl
        context = ssl.create_default_context(cafile=cafile)
        plain = socket.create_connection((host, int(port)), timeout=10, source_address=source)
        self.sock = context.wrap_socket(plain, server_hostname=host)

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
    if sys.argv[1] == "tcp":
        link = TCP(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "tls":
        link = TLS(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        link = WS(sys.argv[2], sys.argv[3])
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
