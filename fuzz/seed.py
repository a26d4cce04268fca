#!/usr/bin/env python3
"""Build the seed corpora for the fuzz targets from packet captures.

Each fuzz target parses one layer, so each needs seeds that *start at that
layer*: the ipv4 target wants IPv4 headers, not Ethernet frames. This script
reads every pcap/pcapng it is given (by default the project's own
``tests/data/corpus/captures`` and, if present beside the repository,
``../shared/corpus/captures``, or ``$NETSPEC_SHARED/corpus/captures``), walks each record down the stack and writes
the bytes found at each layer into ``fuzz/corpus/<target>/``:

    ethernet  the whole frame (Ethernet link types only)
    packet    the whole frame as well (the whole-packet view's entry point)
    arp       the bytes after the EtherType (or after LLC/SNAP)
    ipv4      the bytes from the IPv4 header on; also the IPv4 packets quoted
              inside ICMPv4 errors
    ipv6      the same for IPv6, including ICMPv6-quoted packets
    icmpv4    ICMPv4 messages
    icmpv6    ICMPv6 messages (NDP and MLD included)
    tcp       TCP segments (header + payload)
    udp       UDP datagrams (header + payload)
    dns       DNS messages carried over UDP or TCP port 53 (the TCP two-byte
              length prefix removed), plus the hex files in tests/data/dns
    roundtrip the selector byte the roundtrip target expects, then the layer
    packetdrill the FreeBSD TCP test suite's scripts (tests/data or ../shared)

The walk is deliberately lenient and independent of netspec's parsers: a
seed whose lower layer netspec rejects still reaches the upper targets,
because the hostile captures (tcpdump's CVE reproducers) are the most
valuable seeds. Files are named by the SHA-1 of their content, as libFuzzer
names its own corpus entries, so re-running the script adds nothing twice.

Usage: fuzz/seed.py [CAPTURE_DIR_OR_FILE ...]
"""

import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "corpus")
# The shared capture corpus sits beside the repository in CI; a git worktree
# elsewhere can point at it with NETSPEC_SHARED.
SHARED = os.environ.get("NETSPEC_SHARED", os.path.join(ROOT, "..", "shared"))

# The roundtrip target's first byte picks the type (selector % 10); this
# table must match fuzz/fuzz_targets/roundtrip.rs.
ROUNDTRIP_SELECTOR = {
    "ethernet": 0,
    "arp": 1,
    "ipv4": 2,
    "ipv6": 3,
    "icmpv4": 4,
    "icmpv6": 5,
    "tcp": 6,
    "udp": 7,
    "dns": 8,
}
NDP_SELECTOR = 9

# LINKTYPE_ values (https://www.tcpdump.org/linktypes.html) we can walk.
LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_SLL, LINK_IPV4, LINK_IPV6, LINK_SLL2 = (
    0, 1, 101, 113, 228, 229, 276)


def read_pcap(data):
    """Yield (link_type, frame) from a classic pcap file."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        return
    link = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
    at = 24
    while at + 16 <= len(data):
        caplen = struct.unpack(end + "I", data[at + 8:at + 12])[0]
        at += 16
        yield link, data[at:at + caplen]
        at += caplen


def read_pcapng(data):
    """Yield (link_type, frame) from a pcapng file (EPB and SPB blocks)."""
    end = "<"
    links = []
    at = 0
    while at + 12 <= len(data):
        btype = struct.unpack(end + "I", data[at:at + 4])[0]
        if btype == 0x0A0D0D0A:  # Section Header Block: byte order and reset.
            end = "<" if data[at + 8:at + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack(end + "I", data[at + 4:at + 8])[0]
        if blen < 12 or at + blen > len(data):
            return
        body = data[at + 8:at + blen - 4]
        if btype == 1:  # Interface Description Block
            links.append(struct.unpack(end + "H", body[0:2])[0])
        elif btype == 6 and len(body) >= 20:  # Enhanced Packet Block
            iface, _, _, caplen = struct.unpack(end + "IIII", body[0:16])
            if iface < len(links):
                yield links[iface], body[20:20 + caplen]
        elif btype == 3 and links and len(body) >= 4:  # Simple Packet Block
            yield links[0], body[4:]
        at += blen


def read_capture(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        return list(read_pcapng(data))
    return list(read_pcap(data))


class Seeds:
    def __init__(self):
        self.count = {}

    def add(self, target, data):
        if not data:
            return
        self._write(target, data)
        if target in ROUNDTRIP_SELECTOR:
            self.add_roundtrip(ROUNDTRIP_SELECTOR[target], data)

    def add_roundtrip(self, selector, data):
        self._write("roundtrip", bytes([selector]) + data)

    def _write(self, target, data):
        d = os.path.join(OUT, target)
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, hashlib.sha1(data).hexdigest())
        if not os.path.exists(p):
            with open(p, "wb") as f:
                f.write(data)
            self.count[target] = self.count.get(target, 0) + 1


def walk_ethertype(seeds, ethertype, payload):
    if ethertype == 0x0800:
        walk_ipv4(seeds, payload)
    elif ethertype == 0x86DD:
        walk_ipv6(seeds, payload)
    elif ethertype == 0x0806:
        seeds.add("arp", payload)


def walk_ethernet(seeds, frame):
    seeds.add("ethernet", frame)
    seeds.add("packet", frame)
    at = 12
    # 802.1Q, 802.1ad and the legacy 0x9100 QinQ tag: four bytes each.
    while at + 2 <= len(frame):
        (et,) = struct.unpack(">H", frame[at:at + 2])
        if et in (0x8100, 0x88A8, 0x9100):
            at += 4
            continue
        break
    if at + 2 > len(frame):
        return
    (et,) = struct.unpack(">H", frame[at:at + 2])
    payload = frame[at + 2:]
    if et <= 1500:
        # IEEE 802.3 length: LLC/SNAP (AA AA 03, OUI, EtherType) carries an
        # EtherType after eight bytes.
        if payload[:3] == b"\xaa\xaa\x03" and len(payload) >= 8:
            (inner,) = struct.unpack(">H", payload[6:8])
            walk_ethertype(seeds, inner, payload[8:])
        return
    walk_ethertype(seeds, et, payload)


def walk_ip(seeds, packet):
    if packet[:1] and packet[0] >> 4 == 4:
        walk_ipv4(seeds, packet)
    elif packet[:1] and packet[0] >> 4 == 6:
        walk_ipv6(seeds, packet)


def walk_ipv4(seeds, packet, quoted=False):
    seeds.add("ipv4", packet)
    if len(packet) < 20:
        return
    ihl = (packet[0] & 0x0F) * 4
    (total,) = struct.unpack(">H", packet[2:4])
    (frag,) = struct.unpack(">H", packet[6:8])
    if ihl < 20 or quoted or frag & 0x1FFF:
        return  # no transport header here (or only its first bytes)
    end = total if ihl <= total <= len(packet) else len(packet)
    walk_transport(seeds, packet[9], packet[ihl:end], v6=False)


# IPv6 extension headers we skip over: Hop-by-Hop, Routing, Destination
# Options, Mobility (length in 8-octet units after the first 8) and AH (in
# 4-octet units after the first 8).
IPV6_EXT = {0, 43, 60, 135, 139, 140}


def walk_ipv6(seeds, packet, quoted=False):
    seeds.add("ipv6", packet)
    if len(packet) < 40 or quoted:
        return
    (plen,) = struct.unpack(">H", packet[4:6])
    nxt = packet[6]
    end = 40 + plen if 0 < plen and 40 + plen <= len(packet) else len(packet)
    at = 40
    for _ in range(16):  # bounded, like the crate's own chain walk
        if nxt in IPV6_EXT and at + 2 <= end:
            nxt, at = packet[at], at + 8 + packet[at + 1] * 8
        elif nxt == 51 and at + 2 <= end:
            nxt, at = packet[at], at + 8 + packet[at + 1] * 4
        elif nxt == 44 and at + 8 <= end:
            if struct.unpack(">H", packet[at + 2:at + 4])[0] & 0xFFF8:
                return  # a non-first fragment carries no transport header
            nxt, at = packet[at], at + 8
        else:
            break
    if at <= end:
        walk_transport(seeds, nxt, packet[at:end], v6=True)


def walk_transport(seeds, proto, data, v6):
    if proto == 6:
        seeds.add("tcp", data)
        if len(data) >= 20:
            off = (data[12] >> 4) * 4
            ports = struct.unpack(">HH", data[0:4])
            if 53 in ports and off >= 20 and len(data) >= off + 2:
                # DNS over TCP: a two-byte length prefix per message.
                seeds.add("dns", data[off + 2:])
    elif proto == 17:
        seeds.add("udp", data)
        if len(data) >= 8:
            ports = struct.unpack(">HH", data[0:4])
            if 53 in ports or 5353 in ports:
                seeds.add("dns", data[8:])
    elif proto == 1 and not v6:
        seeds.add("icmpv4", data)
        # Error messages (unreachable, redirect, time exceeded, parameter
        # problem) quote the invoking IPv4 header after eight bytes.
        if data[:1] and data[0] in (3, 4, 5, 11, 12) and len(data) > 8:
            walk_ipv4(seeds, data[8:], quoted=True)
    elif proto == 58 and v6:
        seeds.add("icmpv6", data)
        if data[:1] and 133 <= data[0] <= 137:  # NDP, for the roundtrip target
            seeds.add_roundtrip(NDP_SELECTOR, data)
        if data[:1] and data[0] in (1, 2, 3, 4) and len(data) > 8:
            walk_ipv6(seeds, data[8:], quoted=True)
    elif proto == 4:
        walk_ipv4(seeds, data)
    elif proto == 41:
        walk_ipv6(seeds, data)


def walk(seeds, link, frame):
    if link == LINK_ETHERNET:
        walk_ethernet(seeds, frame)
    elif link in (LINK_RAW, LINK_IPV4, LINK_IPV6, 12, 14):
        walk_ip(seeds, frame)
    elif link == LINK_SLL and len(frame) >= 16:
        walk_ethertype(seeds, struct.unpack(">H", frame[14:16])[0], frame[16:])
    elif link == LINK_SLL2 and len(frame) >= 20:
        walk_ethertype(seeds, struct.unpack(">H", frame[0:2])[0], frame[20:])
    elif link == LINK_NULL and len(frame) >= 4:
        walk_ip(seeds, frame[4:])


def hex_file(path):
    with open(path) as f:
        return bytes.fromhex("".join(f.read().split()))


def main(argv):
    sources = argv or [
        os.path.join(ROOT, "tests", "data", "corpus", "captures"),
        os.path.join(SHARED, "corpus", "captures"),
    ]
    seeds = Seeds()
    files = 0
    for src in sources:
        if not os.path.exists(src):
            continue
        paths = [src] if os.path.isfile(src) else sorted(
            os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs
            if f.endswith((".pcap", ".pcapng")))
        for p in paths:
            files += 1
            for link, frame in read_capture(p):
                walk(seeds, link, frame)
    # Hand-built fixed inputs: DNS messages and whole Ethernet frames.
    for d in (os.path.join(ROOT, "tests", "data", "dns"),
              os.path.join(SHARED, "bench-inputs")):
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.startswith("dns_") and f.endswith(".hex"):
                seeds.add("dns", hex_file(os.path.join(d, f)))
            elif f.startswith(("tcp_", "ipv6_")) and f.endswith(".hex"):
                walk_ethernet(seeds, hex_file(os.path.join(d, f)))
    # packetdrill scripts for the packetdrill target: the project's copy of
    # the FreeBSD TCP test suite, else the shared one.
    for d in (os.path.join(ROOT, "tests", "data", "freebsd-tcp-testsuite"),
              os.path.join(SHARED, "conformance", "freebsd-tcp-testsuite")):
        if os.path.isdir(d):
            for dirpath, _, fs in sorted(os.walk(d)):
                for f in sorted(fs):
                    if f.endswith(".pkt"):
                        with open(os.path.join(dirpath, f), "rb") as fh:
                            seeds.add("packetdrill", fh.read())
            break
    print(f"seed.py: {files} capture files; new seeds per target: "
          + ", ".join(f"{t} {n}" for t, n in sorted(seeds.count.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
