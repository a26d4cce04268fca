#!/usr/bin/env python3
"""The Linux side of tests/linux_tcp.rs: ordinary kernel TCP sockets.

Run inside the "Linux" network namespace. Every result is one JSON object
per line on stdout.

  peer.py serve PORT MODE   listen on PORT; for each accepted connection
                            report {"event":"accepted", ...TCP_INFO} and
                            then, by MODE:
                              echo    echo every byte until EOF, then close
                              hold    keep the socket open, never read
                              send:N  send N bytes, then keep it open
                              urgent:N  send N bytes as urgent data
                                      (MSG_OOB), then keep it open
                              close   close at once (the kernel sends FIN)
                            each finished echo reports {"event":"done",
                            "bytes":N,"sha256":...}.
  peer.py connect-hold HOST PORT
                            connect, report {"event":"connected"} (or
                            {"event":"refused"}), keep the socket until
                            stdin reaches EOF.
  peer.py connect HOST PORT N
                            connect, report TCP_INFO, send N pattern bytes,
                            shut down the write side, read the echo to EOF,
                            report {"event":"done",...}, close.

Everything is bounded: sockets have a 20 s timeout and the server exits
when its stdin reaches EOF (the test closes it, or dies).
"""
import hashlib
import json
import os
import socket
import struct
import sys
import threading

TIMEOUT = 20.0


def say(**kw):
    sys.stdout.write(json.dumps(kw, sort_keys=True) + "\n")
    sys.stdout.flush()


def pattern(n):
    """The bytes both sides send: byte i is (i * 7 + i // 251) mod 256."""
    return bytes(((i * 7) + (i // 251)) & 0xFF for i in range(n))


def tcp_info(s):
    """The negotiated options from struct tcp_info (linux/tcp.h)."""
    b = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    opts, wscale = b[5], b[6]
    # tcpi_snd_mss is the 4th u32 after the 8 leading bytes (rto, ato,
    # snd_mss, rcv_mss).
    snd_mss = struct.unpack_from("I", b, 16)[0]
    return dict(
        timestamps=bool(opts & 1),
        sack=bool(opts & 2),
        wscale=bool(opts & 4),
        snd_wscale=wscale & 0xF,
        rcv_wscale=wscale >> 4,
        snd_mss=snd_mss,
    )


def echo(c, peer):
    h = hashlib.sha256()
    total = 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        h.update(d)
        total += len(d)
        c.sendall(d)
    intact = h.hexdigest() == hashlib.sha256(pattern(total)).hexdigest()
    say(event="done", peer=peer, bytes=total, sha256=h.hexdigest(), pattern_ok=intact)
    c.close()


def serve(port, mode):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(16)
    held = []

    def acceptor():
        while True:
            c, addr = ls.accept()
            c.settimeout(TIMEOUT)
            say(event="accepted", peer=addr[1], **tcp_info(c))
            held.append(c)
            if mode == "echo":
                threading.Thread(target=echo, args=(c, addr[1]), daemon=True).start()
            elif mode.startswith("send:"):
                c.sendall(pattern(int(mode[5:])))
            elif mode.startswith("urgent:"):
                # The kernel puts SND.UP after the last byte of this send.
                c.send(pattern(int(mode[7:])), socket.MSG_OOB)
            elif mode == "close":
                c.close()

    threading.Thread(target=acceptor, daemon=True).start()
    say(event="listening", port=port)
    # Live until the test closes our stdin.
    while os.read(0, 1024):
        pass


def connect(host, port, n):
    try:
        c = socket.create_connection((host, port), timeout=TIMEOUT)
    except ConnectionRefusedError:
        say(event="refused")
        return
    say(event="connected", local=c.getsockname()[1], **tcp_info(c))
    data = pattern(n)
    h = hashlib.sha256()
    got = 0

    def reader():
        nonlocal got
        while True:
            d = c.recv(1 << 16)
            if not d:
                return
            h.update(d)
            got += len(d)

    t = threading.Thread(target=reader)
    t.start()
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    t.join(TIMEOUT)
    echo_ok = h.hexdigest() == hashlib.sha256(data).hexdigest()
    say(event="done", bytes=got, sha256=h.hexdigest(), echo_ok=echo_ok)
    c.close()


def connect_hold(host, port):
    try:
        c = socket.create_connection((host, port), timeout=TIMEOUT)
    except ConnectionRefusedError:
        say(event="refused")
        return
    except OSError as e:
        say(event="error", errno=e.errno)
        return
    say(event="connected", local=c.getsockname()[1])
    while os.read(0, 1024):
        pass
    c.close()


def main():
    if sys.argv[1] == "connect-hold":
        connect_hold(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "connect":
        connect(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit("usage: peer.py serve PORT MODE | connect HOST PORT N | connect-hold HOST PORT")


if __name__ == "__main__":
    main()
