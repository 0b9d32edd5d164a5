# A TCP listener that counts the connections it accepts (run by `Sentinel`). Argument: the address
# to listen on. Prints the port the kernel picked, then `accepted` for each connection.
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); print("accepted", flush=True); c.close()
