#!/usr/bin/env bash
# Record netspec's own captures and their Wireshark truth.
#
#   sudo bash tests/data/capture.sh [OUTDIR]      (default: tests/data/own)
#
# Two network namespaces, `nsd-a` and `nsd-b`, are joined by a veth pair.
# Only documentation addresses are used (RFC 5737 192.0.2.0/24 and
# 198.51.100.0/24, RFC 3849 2001:db8::/32); IPv6 link-local addresses are
# switched off (addr_gen_mode 1) so that nothing else appears on the wire.
# Checksum and segmentation offloads are turned off with ethtool so that the
# captured checksums are the real ones the kernel computed.
#
# Each scenario is recorded by tcpdump on the `a` side into its own capture,
# then dissected by tshark with the preferences of
# tests/data/truth/README.md and flattened by tests/data/truth/normalize.py
# into X.truth.jsonl next to the capture.
#
# Needs root, iproute2, ethtool, tcpdump, tshark, dnsmasq, dig (dnsutils),
# ping (iputils-ping), python3. Every step is bounded by `timeout`.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/own}"
NORMALIZE="$HERE/truth/normalize.py"
A=nsd-a
B=nsd-b
A4=192.0.2.1
B4=192.0.2.2
A4V=198.51.100.1    # addresses used only in the hand-built VLAN frames
C4=198.51.100.2
A6=2001:db8::1
B6=2001:db8::2
MAC_A=02:00:5e:00:53:01
MAC_B=02:00:5e:00:53:02
mkdir -p "$OUT"
WORK="$(mktemp -d)"

cleanup() {
    set +e
    [ -f "$WORK/dnsmasq.pid" ] && kill "$(cat "$WORK/dnsmasq.pid")" 2>/dev/null
    ip netns del "$A" 2>/dev/null
    ip netns del "$B" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
cleanup_ns() { ip netns del "$A" 2>/dev/null || true; ip netns del "$B" 2>/dev/null || true; }
cleanup_ns

ina() { ip netns exec "$A" "$@"; }
inb() { ip netns exec "$B" "$@"; }

# --- the two hosts --------------------------------------------------------
ip netns add "$A"
ip netns add "$B"
ip link add va netns "$A" type veth peer name vb netns "$B"
setup_side() {
    local ns="$1" dev="$2" mac="$3" a4="$4" a6="$5"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.addr_gen_mode=1"
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.accept_ra=0"
    ip netns exec "$ns" ip link set "$dev" address "$mac"
    ip netns exec "$ns" ip addr add "$a4/24" dev "$dev"
    ip netns exec "$ns" ip -6 addr add "$a6/64" dev "$dev" nodad
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip link set "$dev" up
}
setup_side "$A" va "$MAC_A" "$A4" "$A6"
setup_side "$B" vb "$MAC_B" "$B4" "$B6"
for ns in "$A" "$B"; do
    for dev in $(ip netns exec "$ns" ls /sys/class/net); do
        ip netns exec "$ns" ethtool -K "$dev" rx off tx off tso off gso off gro off >/dev/null 2>&1 || true
    done
done

# --- DNS server on `b` -----------------------------------------------------
cat >"$WORK/hosts" <<EOF
$B4 www.example.test
$B6 www.example.test
EOF
inb dnsmasq --no-resolv --no-hosts --addn-hosts="$WORK/hosts" --pid-file="$WORK/dnsmasq.pid" \
    --listen-address="$B4" --listen-address="$B6" --bind-interfaces --port=53 \
    --domain=example.test --local=/example.test/ \
    --cname=alias.example.test,www.example.test \
    --mx-host=example.test,mail.example.test,10 \
    --srv-host=_sip._udp.example.test,sip.example.test,5060,1,2 \
    --txt-record=example.test,"v=netspec truth","second string" \
    --host-record=mail.example.test,$B4 \
    --ptr-record=2.2.0.192.in-addr.arpa,www.example.test \
    --user=root --log-facility="$WORK/dnsmasq.log"

# --- recording -------------------------------------------------------------
# record NAME IFACE [tcpdump options...] -- commands run while recording.
start_rec() {
    local name="$1" iface="$2"; shift 2
    echo "recording $name" >&2
    # Not through the `ina` function: `$!` must be the process that becomes
    # `timeout`, which passes SIGTERM on to tcpdump.
    ip netns exec "$A" timeout 60 tcpdump -i "$iface" --immediate-mode -U -s 0 -w "$WORK/$name.raw" "$@" >/dev/null 2>"$WORK/$name.tcpdump.log" &
    REC_PID=$!
    # wait until tcpdump is listening
    for _ in $(seq 50); do
        grep -q "listening" "$WORK/$name.tcpdump.log" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.2
}
stop_rec() {
    sleep 0.5
    # --immediate-mode (start_rec) hands every packet over at once: with
    # the default ring-buffer timeout the last second would be lost here.
    # SIGTERM: background jobs of a non-interactive shell ignore SIGINT
    kill -TERM "$REC_PID"
    wait "$REC_PID" || true
}
flush_neigh() { ina ip neigh flush all; inb ip neigh flush all; }

# 1. TCP over IPv4: handshake (MSS, SACK-perm, timestamps, wscale), data both
#    ways, orderly FIN close.  Then TCP over IPv6 the same way.
flush_neigh
start_rec tcp va
inb timeout 10 sh -c "printf 'hello from b\n' | nc -l -N -s $B4 -p 8080 >$WORK/tcp.rx" &
SRV=$!
sleep 0.6
ina timeout 5 sh -c "printf 'hello,world\n' | nc -N $B4 8080" >/dev/null || true
wait "$SRV" || true
inb timeout 10 sh -c "printf 'hello from b over v6\n' | nc -6 -l -N -s $B6 -p 8081 >/dev/null" &
SRV=$!
sleep 0.6
ina timeout 5 sh -c "head -c 3000 /dev/zero | tr '\\0' 'x' | nc -6 -N $B6 8081" >/dev/null || true
wait "$SRV" || true
stop_rec

# 2. TCP resets: SYN to a closed port (RST+ACK answer, v4 and v6) and an
#    established connection aborted with SO_LINGER 0 (RST from the client).
start_rec tcp_rst va
ina timeout 3 nc -z "$B4" 9 || true
ina timeout 3 nc -6 -z "$B6" 9 || true
inb timeout 10 nc -l -s "$B4" -p 8082 >/dev/null &
SRV=$!
sleep 0.6
ina timeout 5 python3 - "$B4" <<'EOF'
import socket, struct, sys, time
s = socket.create_connection((sys.argv[1], 8082))
s.sendall(b"abort me")
time.sleep(0.2)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
EOF
wait "$SRV" || true
stop_rec

# 3. UDP over IPv4 and IPv6, and to closed ports (ICMP/ICMPv6 port
#    unreachable quoting the UDP header).
start_rec udp va
inb timeout 3 nc -u -l -s "$B4" -p 5000 >/dev/null &
inb timeout 3 nc -6 -u -l -s "$B6" -p 5001 >/dev/null &
sleep 0.6
ina timeout 5 python3 - "$B4" "$B6" <<'EOF'
import socket, sys, time
b4, b6 = sys.argv[1], sys.argv[2]
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(3):
    s4.sendto(b"udp v4 datagram %d" % i, (b4, 5000)); time.sleep(0.05)
    s6.sendto(b"udp v6 datagram %d" % i, (b6, 5001)); time.sleep(0.05)
s4.sendto(b"", (b4, 5000))                    # empty payload
s4.sendto(b"nobody listens", (b4, 5999))      # ICMP port unreachable
s6.sendto(b"nobody listens", (b6, 5999))      # ICMPv6 port unreachable
s4.sendto(b"x" * 2000, (b4, 5000))            # fragmented UDP over IPv4
s6.sendto(b"y" * 2000, (b6, 5001))            # fragmented UDP over IPv6
time.sleep(0.3)
EOF
sleep 0.5
stop_rec

# 4. ping over IPv4: echo request/reply, a fragmented large echo, a record
#    route option, and ARP resolution before it (neighbour cache flushed).
flush_neigh
start_rec ping4 va
ina timeout 5 ping -n -c 2 -i 0.2 "$B4" >/dev/null
ina timeout 5 ping -n -c 1 -s 3000 "$B4" >/dev/null
ina timeout 5 ping -n -c 1 -R "$B4" >/dev/null || true
ina timeout 5 ping -n -c 1 -Q 0xb8 -t 7 "$B4" >/dev/null
stop_rec

# 5. ping over IPv6: echo, fragments (large -s), neighbour discovery
#    (NS/NA with link-layer address options) after a cache flush.
flush_neigh
start_rec ping6 va
ina timeout 5 ping -6 -n -c 2 -i 0.2 "$B6" >/dev/null
ina timeout 5 ping -6 -n -c 1 -s 3000 "$B6" >/dev/null
ina timeout 5 ping -6 -n -c 1 -F 0x12345 "$B6" >/dev/null 2>&1 || true
stop_rec

# 6. ARP and NDP alone: requests, replies, a gratuitous ARP, an unanswered
#    ARP request, neighbour solicitation for an absent host.
flush_neigh
start_rec arp_ndp va
ina timeout 5 ping -n -c 1 "$B4" >/dev/null
ina timeout 5 ping -6 -n -c 1 "$B6" >/dev/null
ina timeout 5 arping -c 1 -U -I va "$A4" >/dev/null 2>&1 || true
ina timeout 4 ping -n -c 1 -W 1 192.0.2.99 >/dev/null 2>&1 || true
ina timeout 4 ping -6 -n -c 1 -W 1 2001:db8::99 >/dev/null 2>&1 || true
sleep 1
stop_rec

# 7. DNS via dnsmasq over UDP and TCP, IPv4 and IPv6: A, AAAA, CNAME, MX,
#    SRV, TXT, PTR, NXDOMAIN, EDNS.
start_rec dns va
for q in "www.example.test A" "www.example.test AAAA" "alias.example.test A" "example.test MX" \
         "_sip._udp.example.test SRV" "example.test TXT" "nonexistent.example.test A"; do
    # shellcheck disable=SC2086
    ina timeout 5 dig +tries=1 +time=2 @"$B4" $q >/dev/null || echo "dig $q failed" >&2
done
ina timeout 5 dig +tries=1 +time=2 -x "$B4" @"$B4" >/dev/null || echo "dig failed: ina timeout 5 dig +tries=1 +time=2 -x "$B4" @"$B4"" >&2
ina timeout 5 dig +tries=1 +time=2 +noedns @"$B6" www.example.test AAAA >/dev/null || echo "dig failed: ina timeout 5 dig +tries=1 +time=2 +noedns @"$B6" www.example.test AAAA" >&2
ina timeout 5 dig +tries=1 +time=2 +tcp @"$B4" www.example.test A >/dev/null || echo "dig failed: ina timeout 5 dig +tries=1 +time=2 +tcp @"$B4" www.example.test A" >&2
ina timeout 5 dig +tries=1 +time=2 +tcp @"$B6" example.test TXT >/dev/null || echo "dig failed: ina timeout 5 dig +tries=1 +time=2 +tcp @"$B6" example.test TXT" >&2
stop_rec

# 8. 802.1Q tags.  This kernel has no 8021q module, so the tagged frames
#    are built in user space and sent from an AF_PACKET socket on `a`
#    (checksums computed here): a tagged ARP request, ICMP echo and UDP
#    datagram on VLAN 100, and an 802.1ad + 802.1Q stacked echo request.
#    `b` has no VLAN interface and ignores them.
start_rec vlan va
ina timeout 5 python3 - "$MAC_A" "$MAC_B" "$A4V" "$C4" <<'EOF'
import socket, struct, sys
mac = lambda s: bytes(int(x, 16) for x in s.split(":"))
src, dst = mac(sys.argv[1]), mac(sys.argv[2])
a4, c4 = socket.inet_aton(sys.argv[3]), socket.inet_aton(sys.argv[4])
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ipv4(proto, payload, ident):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0, a4, c4)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
def icmp_echo(seq):
    m = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq) + b"tagged echo"
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]
def udp(payload):
    u = struct.pack("!HHHH", 40000, 7, 8 + len(payload), 0) + payload
    ph = a4 + c4 + struct.pack("!BBH", 0, 17, len(u))
    return u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
def tag(tpid, pcp, vid, dei=0):
    return struct.pack("!HH", tpid, (pcp << 13) | (dei << 12) | vid)
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src, a4, b"\0" * 6, c4)
frames = [
    b"\xff" * 6 + src + tag(0x8100, 5, 100) + struct.pack("!H", 0x0806) + arp,
    dst + src + tag(0x8100, 5, 100) + struct.pack("!H", 0x0800) + ipv4(1, icmp_echo(1), 1),
    dst + src + tag(0x8100, 0, 100, 1) + struct.pack("!H", 0x0800) + ipv4(17, udp(b"tagged datagram"), 2),
    dst + src + tag(0x88a8, 3, 200) + tag(0x8100, 1, 100) + struct.pack("!H", 0x0800) + ipv4(1, icmp_echo(2), 3),
]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("va", 0))
for f in frames:
    s.send(f)
EOF
sleep 0.6
stop_rec

# 9. Linux cooked capture v2 (SLL2, link type 276) on the `any` device with
#    nanosecond timestamps: ping and a short TCP exchange.
start_rec sll2_any any --time-stamp-precision=nano
ina timeout 5 ping -n -c 1 "$B4" >/dev/null
inb timeout 5 nc -l -N -s "$B4" -p 8083 >/dev/null &
SRV=$!
sleep 0.6
ina timeout 5 sh -c "printf 'cooked\n' | nc -N $B4 8083" || true
wait "$SRV" || true
stop_rec

# --- files and truth --------------------------------------------------------
PREFS=(-n -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE
       -o ip.defragment:FALSE -o ipv6.defragment:FALSE
       -o tcp.desegment_tcp_streams:FALSE -o tcp.relative_sequence_numbers:FALSE
       -o tcp.analyze_sequence_numbers:TRUE)
for raw in "$WORK"/*.raw; do
    name="$(basename "$raw" .raw)"
    case "$name" in
        # one capture as pcapng, to exercise that reader on our own data
        ping6) file="$OUT/$name.pcapng"; editcap -F pcapng "$raw" "$file" ;;
        *)     file="$OUT/$name.pcap";   cp "$raw" "$file" ;;
    esac
    tshark -r "$file" "${PREFS[@]}" -T json | gzip -n >"$WORK/$name.tshark.json.gz"
    python3 "$NORMALIZE" "$WORK/$name.tshark.json.gz" >"$file.truth.jsonl"
    echo "$(basename "$file"): $(wc -l <"$file.truth.jsonl") frames"
done
