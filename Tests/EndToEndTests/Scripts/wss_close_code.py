# Connects to a wss URL trusting only the given CA, from a page of the given origin (the HTTPS portal's), and prints
# the close code the gateway sends (run by the TLS suite). Arguments: URL, CA certificate file, origin.
import ssl, sys, websocket
ws = websocket.create_connection(sys.argv[1], subprotocols=["binary"], timeout=10, origin=sys.argv[3],
                                 sslopt={"cert_reqs": ssl.CERT_REQUIRED, "ca_certs": sys.argv[2]})
opcode, frame = ws.recv_data_frame(True)
print(int.from_bytes(frame.data[:2], "big") if opcode == websocket.ABNF.OPCODE_CLOSE else "opcode %d" % opcode)
