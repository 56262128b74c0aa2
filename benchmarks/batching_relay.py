"""An SSH ``ProxyCommand`` that delivers the client's bytes in batches, as a busy or
Wi-Fi link does: everything the client sends within a window arrives at once.

    ssh -o ProxyCommand='python3 benchmarks/batching_relay.py %h %p 0.15' ...

The server's bytes pass at once. Used by ``ssh_keys.py``; run by a person.
"""

from __future__ import annotations

import os
import select
import socket
import sys
import time


def relay(host: str, port: int, window: float) -> None:
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    pending = bytearray()
    due: float | None = None  # when the pending batch goes out
    open_in = True
    while True:
        timeout = None if due is None else max(0.0, due - time.monotonic())
        readers = [sock, stdin] if open_in else [sock]
        ready, _, _ = select.select(readers, [], [], timeout)
        if sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            os.write(stdout, data)
        if stdin in ready:
            data = os.read(stdin, 65536)
            if not data:
                open_in = False
            else:
                pending += data
                if due is None:
                    due = time.monotonic() + window
        if due is not None and time.monotonic() >= due:
            sock.sendall(bytes(pending))
            pending.clear()
            due = None
            if not open_in:
                sock.shutdown(socket.SHUT_WR)


if __name__ == "__main__":
    relay(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 0.15)
