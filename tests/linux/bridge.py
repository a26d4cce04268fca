#!/usr/bin/env python3
"""AF_PACKET bridge between a veth end and the Rust test (tests/linux_tcp.rs).

Run inside the "netspec" network namespace (which has no IP address, so its
kernel never answers TCP itself) as `bridge.py IFNAME`. Whole Ethernet
frames travel both ways as a 4-byte big-endian length then the frame:

  stdin  -> frames the test wants on the wire (sent with socket.send)
  stdout <- frames the wire delivered (the kernel's own outgoing frames on
            this interface, PACKET_OUTGOING, are skipped)

A zero-length record on stdout says the socket is bound. The script ends
when stdin reaches EOF; the loop is bounded by that and by select's
timeout, so a vanished test never leaves it spinning.
"""
import os
import select
import socket
import struct
import sys

ETH_P_ALL = 3
PACKET_OUTGOING = getattr(socket, "PACKET_OUTGOING", 4)


def main():
    ifname = sys.argv[1]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    out = sys.stdout.buffer
    out.write(struct.pack(">I", 0))
    out.flush()
    pending = b""
    idle = 0
    while True:
        ready, _, _ = select.select([0, s], [], [], 1.0)
        if not ready:
            idle += 1
            # The test drives the bridge continuously; two minutes of
            # silence means it is gone.
            if idle > 120:
                return
            continue
        idle = 0
        if s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] != PACKET_OUTGOING:
                out.write(struct.pack(">I", len(frame)) + frame)
                out.flush()
        if 0 in ready:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                return
            pending += chunk
            while len(pending) >= 4:
                (n,) = struct.unpack(">I", pending[:4])
                if len(pending) < 4 + n:
                    break
                frame, pending = pending[4 : 4 + n], pending[4 + n :]
                s.send(frame)


if __name__ == "__main__":
    main()
