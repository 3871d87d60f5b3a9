#!/usr/bin/env python3
"""console-recv.py SOCKET OUT [INPUT]: the other end of --console-socket.

Listens on the unix socket SOCKET, takes one connection, receives the
terminal's master over SCM_RIGHTS as runc sends it, writes INPUT (if given)
to the master, and copies everything the master gives to OUT until the
container's side is closed.  "ready" is printed once the socket listens;
"got-fd" is appended to OUT.fd once the master came, with the name it was
sent under."""
import array
import os
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    data = sys.argv[3].encode() if len(sys.argv) > 3 else b""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    print("ready", flush=True)
    conn, _ = srv.accept()
    fds = array.array("i")
    name, anc, _, _ = conn.recvmsg(4096, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
    if len(fds) != 1:
        sys.exit(f"console-recv: expected one descriptor, got {len(fds)}")
    master = fds[0]
    with open(out + ".fd", "w") as f:
        f.write(f"got-fd {name.decode(errors='replace')}\n")
    if data:
        os.write(master, data)
    with open(out, "wb") as f:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the last slave is closed
                break
            if not chunk:
                break
            f.write(chunk)
            f.flush()


if __name__ == "__main__":
    main()
