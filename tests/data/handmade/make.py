#!/usr/bin/env python3
"""Build hand-made odd and malformed frames, one or more per error path of
netspec's parsers, and their Wireshark truth.

    python3 tests/data/handmade/make.py      (needs tshark)

Writes handmade.pcap (Ethernet, microseconds), handmade.manifest.json (one
{frame, desc, kind} per frame; kind is "valid" or "malformed") and
handmade.pcap.truth.jsonl (tshark with the preferences of
tests/data/truth/README.md, flattened by normalize.py --manifest).
Only documentation addresses are used (RFC 5737, RFC 3849).
"""
import gzip
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
A = bytes.fromhex("02005e005301")
B = bytes.fromhex("02005e005302")
IP_A, IP_B = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
IP6_A = bytes.fromhex("20010db8000000000000000000000001")
IP6_B = bytes.fromhex("20010db8000000000000000000000002")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, ethertype=0x0800, dst=B, src=A):
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(payload, proto, opts=b"", total=None, ihl=None, ver=4, frag=0x4000, good=True, ident=1):
    hl = 20 + len(opts)
    ihl = hl // 4 if ihl is None else ihl
    total = hl + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", ver << 4 | ihl, 0, total, ident, frag, 64, proto, 0, IP_A, IP_B) + opts
    c = csum(h) if good else (csum(h) ^ 0x1234)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def ipv6(payload, nxt, plen=None, ver=6):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB", ver << 28, plen, nxt, 64) + IP6_A + IP6_B + payload


def l4_v4(proto, seg):
    return IP_A + IP_B + struct.pack("!BBH", 0, proto, len(seg))


def l4_v6(nxt, seg):
    return IP6_A + IP6_B + struct.pack("!IxxxB", len(seg), nxt)


def with_csum(seg, at, pseudo, good=True):
    seg = seg[:at] + b"\0\0" + seg[at + 2:]
    c = csum(pseudo + seg)
    if not good:
        c ^= 0x0F0F
    return seg[:at] + struct.pack("!H", c) + seg[at + 2:]


def tcp(payload=b"", off=None, opts=b"", flags=0x18, v6=False, good=True):
    off = (20 + len(opts)) // 4 if off is None else off
    seg = struct.pack("!HHIIBBHHH", 40000, 8080, 1000, 2000, off << 4, flags, 65535, 0, 0) + opts + payload
    pseudo = l4_v6(6, seg) if v6 else l4_v4(6, seg)
    return with_csum(seg, 16, pseudo, good)


def udp(payload, length=None, v6=False, good=True, zero=False, sport=40000, dport=47000):
    length = 8 + len(payload) if length is None else length
    seg = struct.pack("!HHHH", sport, dport, length, 0) + payload
    if zero:
        return seg
    pseudo = l4_v6(17, seg) if v6 else l4_v4(17, seg)
    return with_csum(seg, 6, pseudo, good)


def icmp(ty, code, rest, data, good=True):
    m = struct.pack("!BBH", ty, code, 0) + rest + data
    c = csum(m) if good else csum(m) ^ 0x00FF
    return m[:2] + struct.pack("!H", c) + m[4:]


def icmp6(ty, code, body, good=True):
    m = struct.pack("!BBH", ty, code, 0) + body
    return with_csum(m, 2, l4_v6(58, m), good)


def dns_q(name_wire, qtype=1, flags=0x0100, counts=(1, 0, 0, 0), extra=b""):
    return struct.pack("!HHHHHH", 0x1234, flags, *counts) + name_wire + struct.pack("!HH", qtype, 1) + extra


WWW = b"\x03www\x07example\x04test\x00"
arp_req = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, A, IP_A, b"\0" * 6, IP_B)

FRAMES = [
    # --- link ---
    ("Ethernet header cut at 8 bytes", "malformed", (B + A)[:8]),
    ("802.3 length 200 past the end of the frame", "malformed", B + A + struct.pack("!H", 200) + b"\xaa\xaa\x03" + b"\0" * 40),
    ("802.3 length 1408 past the end of the frame", "malformed", B + A + struct.pack("!H", 0x0580) + b"\0" * 46),
    ("undefined Type/Length 0x05f0 (between 1500 and 1536)", "malformed", B + A + struct.pack("!H", 0x05F0) + b"\0" * 46),
    ("802.1Q tag cut inside the TCI", "malformed", B + A + b"\x81\x00\x00"),
    ("five stacked VLAN tags (more than netspec's 4)", "malformed",
     B + A + b"\x88\xa8\x00\x01" + b"\x81\x00\x00\x02" * 4 + b"\x08\x06" + arp_req),
    ("802.3 frame with LLC cut after DSAP/SSAP", "malformed", B + A + struct.pack("!H", 2) + b"\x42\x42" + b"\0" * 44),
    ("ARP truncated after the opcode", "malformed", eth(arp_req[:8], 0x0806)),
    ("ARP with hlen 6 plen 4 but only 20 bytes", "malformed", eth(arp_req[:20], 0x0806)),
    ("valid ARP request, padded to 60 bytes with zeros", "valid", eth(arp_req + b"\0" * 18, 0x0806)),
    # --- IPv4 ---
    ("EtherType IPv4 but version 6", "malformed", eth(ipv4(udp(b"x"), 17, ver=6))),
    ("IPv4 IHL 4 (below 5)", "malformed", eth(ipv4(udp(b"x"), 17, ihl=4))),
    ("IPv4 IHL 15 past the captured bytes", "malformed", eth(ipv4(b"", 17, ihl=15, total=60))),
    ("IPv4 total length 16, below the header", "malformed", eth(ipv4(udp(b"abc"), 17, total=16))),
    ("IPv4 total length 1000 past the frame", "malformed", eth(ipv4(udp(b"abc"), 17, total=1000))),
    ("IPv4 option with length 0", "malformed", eth(ipv4(udp(b"x"), 17, opts=b"\x07\x00\x00\x00"))),
    ("IPv4 record-route option longer than the option area", "malformed", eth(ipv4(udp(b"x"), 17, opts=b"\x07\x0b\x04\x00"))),
    ("IPv4 timestamp option with length 3", "malformed", eth(ipv4(udp(b"x"), 17, opts=b"\x44\x03\x05\x00"))),
    ("valid IPv4 timestamp option with room for one timestamp", "valid", eth(ipv4(udp(b"ts"), 17, opts=b"\x44\x08\x05\x00\x00\x00\x00\x00"))),
    ("IPv4 header checksum wrong", "malformed", eth(ipv4(udp(b"bad ip csum"), 17, good=False))),
    ("valid IPv4 with router alert and NOP/EOL options", "valid", eth(ipv4(udp(b"opts"), 17, opts=b"\x94\x04\x00\x00\x01\x01\x01\x00"))),
    # --- ICMP ---
    ("ICMP message of 5 bytes", "malformed", eth(ipv4(b"\x08\x00\xf7\xff\x00", 1))),
    ("ICMP echo with a wrong checksum", "malformed", eth(ipv4(icmp(8, 0, b"\x12\x34\x00\x01", b"ping", good=False), 1))),
    ("ICMP port unreachable quoting a 12-byte IPv4 header", "malformed",
     eth(ipv4(icmp(3, 3, b"\0" * 4, ipv4(b"", 17)[:12]), 1))),
    ("ICMP fragmentation needed with next-hop MTU 1280, quoting UDP", "valid",
     eth(ipv4(icmp(3, 4, b"\x00\x00\x05\x00", ipv4(udp(b"q"), 17)[:28]), 1))),
    # --- TCP ---
    ("TCP segment of 12 bytes", "malformed", eth(ipv4(tcp()[:12], 6))),
    ("TCP data offset 4", "malformed", eth(ipv4(tcp(off=4), 6))),
    ("TCP data offset 15 past the segment", "malformed", eth(ipv4(tcp(off=15), 6))),
    ("TCP option length running past the option area", "malformed", eth(ipv4(tcp(opts=b"\x02\x08\x05\xb4"), 6))),
    ("TCP MSS option with length 3", "malformed", eth(ipv4(tcp(opts=b"\x02\x03\x05\x01"), 6))),
    ("TCP unknown option kind 80 with length 1", "malformed", eth(ipv4(tcp(opts=b"\x50\x01\x00\x00"), 6))),
    ("TCP checksum wrong", "malformed", eth(ipv4(tcp(b"payload", good=False), 6))),
    ("valid TCP SYN with MSS, SACK-permitted, timestamps, window scale", "valid",
     eth(ipv4(tcp(flags=0x02, opts=b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"), 6))),
    ("valid TCP ACK with a SACK block", "valid",
     eth(ipv4(tcp(flags=0x10, opts=b"\x01\x01\x05\x0a\x00\x00\x03\xe8\x00\x00\x07\xd0"), 6))),
    # --- UDP ---
    ("UDP header of 6 bytes", "malformed", eth(ipv4(udp(b"")[:6], 17))),
    ("UDP length 4 (below 8)", "malformed", eth(ipv4(udp(b"abcd", length=4), 17))),
    ("UDP length 100 past the datagram", "malformed", eth(ipv4(udp(b"abcd", length=100), 17))),
    ("UDP checksum wrong", "malformed", eth(ipv4(udp(b"bad udp", good=False), 17))),
    ("UDP over IPv4 with no checksum (0)", "valid", eth(ipv4(udp(b"no checksum", zero=True), 17))),
    ("UDP over IPv6 with checksum 0 (forbidden)", "malformed", eth(ipv6(udp(b"zero", v6=True, zero=True), 17), 0x86DD)),
    # --- IPv6 ---
    ("EtherType IPv6 but version 4", "malformed", eth(ipv6(udp(b"x", v6=True), 17, ver=4), 0x86DD)),
    ("IPv6 header cut at 30 bytes", "malformed", eth(ipv6(b"", 17)[:30], 0x86DD)),
    ("IPv6 payload length 500 past the frame", "malformed", eth(ipv6(udp(b"x", v6=True), 17, plen=500), 0x86DD)),
    ("IPv6 hop-by-hop header cut after 1 byte", "malformed", eth(ipv6(b"\x11", 0), 0x86DD)),
    ("IPv6 destination options with Hdr Ext Len past the payload", "malformed", eth(ipv6(b"\x11\x05" + b"\x01\x04\0\0\0\0", 60), 0x86DD)),
    ("IPv6 hop-by-hop option data past the header", "malformed", eth(ipv6(b"\x3b\x00\x05\x09\0\0\0\0", 0), 0x86DD)),
    ("IPv6 jumbo payload option claiming 100000 bytes", "malformed",
     eth(ipv6(b"\x11\x00\xc2\x04" + struct.pack("!I", 100000) + udp(b"jumbo", v6=True), 0, plen=0), 0x86DD)),
    ("seventeen IPv6 destination options headers (netspec allows 16)", "malformed",
     eth(ipv6(b"\x3c\x00\x01\x04\0\0\0\0" * 16 + b"\x3b\x00\x01\x04\0\0\0\0", 60), 0x86DD)),
    ("IPv6 authentication header with payload length 0", "malformed",
     eth(ipv6(b"\x11\x00\0\0" + b"\0" * 8, 51), 0x86DD)),
    ("odd: IPv6 segment routing header with Last Entry past its segments "
     "(RFC 8754 4.3.1.1 makes that an SR processing error, not a parse error)", "valid",
     eth(ipv6(b"\x11\x02\x04\x00\x05\x00\x00\x00" + IP6_B + udp(b"srh", v6=True), 43), 0x86DD)),
    ("IPv6 fragment header, first fragment of UDP", "valid",
     eth(ipv6(b"\x11\x00\x00\x01\x00\x00\x00\x2a" + udp(b"frag" * 8, v6=True, length=1000), 44), 0x86DD)),
    ("IPv6 routing header type 0 with one address, then UDP", "valid",
     eth(ipv6(b"\x11\x02\x00\x01\0\0\0\0" + IP6_B + udp(b"rh0", v6=True), 43), 0x86DD)),
    # --- ICMPv6 ---
    ("ICMPv6 message of 3 bytes", "malformed", eth(ipv6(b"\x80\x00\x00", 58), 0x86DD)),
    ("ICMPv6 echo with a wrong checksum", "malformed", eth(ipv6(icmp6(128, 0, b"\x00\x01\x00\x01hi", good=False), 58), 0x86DD)),
    ("Neighbor Solicitation cut inside the target", "malformed", eth(ipv6(icmp6(135, 0, b"\0" * 4 + IP6_B[:8]), 58), 0x86DD)),
    ("Neighbor Solicitation with an option of length 0", "malformed",
     eth(ipv6(icmp6(135, 0, b"\0" * 4 + IP6_B + b"\x01\x00" + A), 58), 0x86DD)),
    ("Neighbor Advertisement (S, O) with target link-layer address", "valid",
     eth(ipv6(icmp6(136, 0, b"\x60\0\0\0" + IP6_B + b"\x02\x01" + B), 58), 0x86DD)),
    ("Router Advertisement with a prefix information option", "valid",
     eth(ipv6(icmp6(134, 0, b"\x40\x00\x07\x08\0\0\0\0\0\0\0\0" + b"\x03\x04\x40\xc0" + b"\0\x01\x51\x80" * 2 + b"\0" * 4
                    + IP6_A[:8] + b"\0" * 8), 58), 0x86DD)),
    ("MLD query of 25 bytes (neither MLDv1 nor MLDv2)", "malformed",
     eth(ipv6(b"\x00\x05\x02\x00\x00\x00" + icmp6(130, 0, b"\x03\xe8\x00\x00" + b"\0" * 17), 0, plen=None), 0x86DD)),
    ("MLDv2 report claiming 2 records with none present", "malformed",
     eth(ipv6(icmp6(143, 0, b"\0\0\0\x02"), 58), 0x86DD)),
    ("ICMPv6 packet too big quoting a 20-byte IPv6 header", "malformed",
     eth(ipv6(icmp6(2, 0, b"\0\0\x05\x00" + ipv6(b"", 17)[:20]), 58), 0x86DD)),
    # --- DNS ---
    ("DNS message of 7 bytes", "malformed", eth(ipv4(udp(b"\x12\x34\x01\x00\x00\x01\x00", dport=53), 17))),
    ("DNS query whose label runs past the message", "malformed", eth(ipv4(udp(dns_q(b"\x3fabc")[:20], dport=53), 17))),
    ("DNS query with a self-pointing compression pointer", "malformed", eth(ipv4(udp(dns_q(b"\xc0\x0c"), dport=53), 17))),
    ("DNS answer whose RDLENGTH runs past the message", "malformed",
     eth(ipv4(udp(dns_q(WWW, flags=0x8180, counts=(1, 1, 0, 0), extra=b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x40\xc0\x00"), sport=53, dport=40000), 17))),
    ("DNS A record with RDLENGTH 3", "malformed",
     eth(ipv4(udp(dns_q(WWW, flags=0x8180, counts=(1, 1, 0, 0), extra=b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x03\xc0\x00\x02"), sport=53, dport=40000), 17))),
    ("valid DNS response: A and AAAA with EDNS", "valid",
     eth(ipv4(udp(dns_q(WWW, flags=0x8180, counts=(1, 2, 0, 1),
                        extra=b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + IP_B
                        + b"\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10" + IP6_B
                        + b"\x00\x00\x29\x04\xd0\x00\x00\x80\x00\x00\x00"), sport=53, dport=40000), 17))),
]


def main():
    pcap = os.path.join(HERE, "handmade.pcap")
    with open(pcap, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, (_, _, frame) in enumerate(FRAMES):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame)
    manifest = [{"frame": i + 1, "desc": d, "kind": k} for i, (d, k, _) in enumerate(FRAMES)]
    man = os.path.join(HERE, "handmade.manifest.json")
    with open(man, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    prefs = ["-n", "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
             "-o", "udp.check_checksum:TRUE", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
             "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "tcp.relative_sequence_numbers:FALSE",
             "-o", "tcp.analyze_sequence_numbers:TRUE"]
    js = subprocess.run(["tshark", "-r", pcap] + prefs + ["-T", "json"], check=True,
                        capture_output=True).stdout
    tmp = os.path.join(HERE, "handmade.tshark.json.gz")
    with gzip.GzipFile(tmp, "wb", mtime=0) as f:
        f.write(js)
    with open(pcap + ".truth.jsonl", "w") as out:
        subprocess.run([sys.executable, os.path.join(HERE, "..", "truth", "normalize.py"), tmp,
                        "--manifest", man], check=True, stdout=out)
    os.remove(tmp)
    print("%d frames" % len(FRAMES))


if __name__ == "__main__":
    main()
