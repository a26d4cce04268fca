//! The plumbing of `tests/linux_tcp.rs`: two network namespaces joined by a
//! veth pair, the python helpers run inside them, and netspec's wire types
//! building and parsing every frame that crosses the bridge.
//!
//! ```text
//!  ns "Linux" (198.51.100.1/24)            ns "netspec" (no address)
//!  ┌──────────────────────────┐            ┌──────────────────────────┐
//!  │ peer.py: kernel sockets  │            │ bridge.py: AF_PACKET     │
//!  │        veth L ───────────┼── veth ────┼─── veth N                │
//!  └──────────────────────────┘            └───────────┬──────────────┘
//!                                     stdin/stdout, length-prefixed frames
//!                                                      │
//!                                 this test: Ethernet/ARP/IPv4/TCP by netspec,
//!                                 tcp::Connection at 198.51.100.2
//! ```
//!
//! Every child process and both namespaces belong to a [`Topology`], whose
//! `Drop` kills the children (by their own ids) and deletes the namespaces,
//! so a failing assertion still tears everything down.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::Ipv4Addr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant as StdInstant};

use netspec::link::EtherType;
use netspec::link::{ArpHeader, ArpOperation, ArpPacket, EthernetFrame, EthernetHeader, MacAddress};
use netspec::net::{IpProtocol, Ipv4Header, Ipv4Packet};
use netspec::tcp::Instant;
use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};

/// The Linux namespace's address (RFC 5737 TEST-NET-2).
pub const LINUX_IP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);
/// netspec's address: no interface carries it; only this test answers for it.
pub const NETSPEC_IP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 2);
/// The Linux veth end's MAC (locally administered).
pub const LINUX_MAC: MacAddress = MacAddress([0x02, 0, 0, 0, 0, 0x01]);
/// The MAC netspec uses (also given to the netspec veth end).
pub const NETSPEC_MAC: MacAddress = MacAddress([0x02, 0, 0, 0, 0, 0x02]);

/// Whether we run as root (namespaces need CAP_NET_ADMIN).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn script(name: &str) -> String {
    format!("{}/tests/linux/{}", env!("CARGO_MANIFEST_DIR"), name)
}

/// Run a command to completion; panic with its output if it fails.
pub fn run(args: &[&str]) -> String {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {args:?}: {e}"));
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The two namespaces and their veth pair; torn down on drop.
pub struct Topology {
    /// The namespace whose kernel TCP is under test.
    pub ns_linux: String,
    /// The namespace with the bridge and no address.
    pub ns_netspec: String,
    /// The veth end in `ns_linux`.
    pub veth_linux: String,
    veth_netspec: String,
    children: Vec<Child>,
    created: Vec<String>,
}

impl Topology {
    /// Create both namespaces, the veth pair, the Linux address, and turn
    /// the veth offloads off (so every frame is a real, checksummed,
    /// MTU-sized Ethernet frame).
    pub fn new() -> Topology {
        static N: AtomicU32 = AtomicU32::new(0);
        let tag = format!("{}x{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let mut t = Topology {
            ns_linux: format!("nsL{tag}"),
            ns_netspec: format!("nsN{tag}"),
            veth_linux: format!("vL{tag}"),
            veth_netspec: format!("vN{tag}"),
            children: Vec::new(),
            created: Vec::new(),
        };
        assert!(t.veth_linux.len() <= 15, "interface name too long");
        let (l, n) = (t.ns_linux.clone(), t.ns_netspec.clone());
        let (vl, vn) = (t.veth_linux.clone(), t.veth_netspec.clone());
        for ns in [&l, &n] {
            run(&["ip", "netns", "add", ns]);
            t.created.push(ns.clone());
        }
        run(&[
            "ip", "link", "add", &vl, "netns", &l, "type", "veth", "peer", "name", &vn, "netns", &n,
        ]);
        run(&["ip", "-n", &l, "link", "set", &vl, "address", "02:00:00:00:00:01"]);
        run(&["ip", "-n", &n, "link", "set", &vn, "address", "02:00:00:00:00:02"]);
        run(&["ip", "-n", &l, "addr", "add", "198.51.100.1/24", "dev", &vl]);
        for (ns, dev) in [(&l, &vl), (&n, &vn)] {
            run(&["ip", "-n", ns, "link", "set", "lo", "up"]);
            run(&["ip", "-n", ns, "link", "set", dev, "up"]);
            // Without this, veth hands the peer 64 KB GSO super-frames
            // with unfinished (CHECKSUM_PARTIAL) TCP checksums.
            run(&[
                "ip", "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off",
            ]);
        }
        t
    }

    /// Start `python3 tests/linux/<script> args...` in namespace `ns` with
    /// piped stdin/stdout; the topology owns (and will kill) the child.
    fn spawn(&mut self, ns: &str, script_name: &str, args: &[&str]) -> (ChildStdin, impl Read + Send + 'static) {
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns, "python3", "-u", &script(script_name)])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {script_name}: {e}"));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        self.children.push(child);
        (stdin, stdout)
    }

    /// Start a `peer.py` command in the Linux namespace.
    pub fn peer(&mut self, args: &[&str]) -> Peer {
        let ns = self.ns_linux.clone();
        let (stdin, stdout) = self.spawn(&ns, "peer.py", args);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                    return;
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Peer { _stdin: stdin, rx }
    }

    /// Start the AF_PACKET bridge in the netspec namespace and wait until
    /// it is bound.
    pub fn wire(&mut self) -> Wire {
        let (ns, dev) = (self.ns_netspec.clone(), self.veth_netspec.clone());
        let (stdin, mut stdout) = self.spawn(&ns, "bridge.py", &[&dev]);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut len = [0u8; 4];
            while stdout.read_exact(&mut len).is_ok() {
                // A frame longer than any veth MTU cannot come from the
                // bridge; stop rather than allocate an untrusted size.
                let n = u32::from_be_bytes(len) as usize;
                if n > 65536 {
                    return;
                }
                let mut frame = vec![0u8; n];
                if stdout.read_exact(&mut frame).is_err() || tx.send(frame).is_err() {
                    return;
                }
            }
        });
        let ready = rx.recv_timeout(Duration::from_secs(10)).expect("bridge did not start");
        assert!(ready.is_empty(), "bridge's first record must be the ready mark");
        Wire {
            stdin,
            rx,
            linux_mac: None,
            start: StdInstant::now(),
            frames_in: 0,
            frames_out: 0,
            faults: Faults::none(),
            held: None,
            first_syn: None,
            tcp_in: 0,
            tcp_out: 0,
        }
    }

    /// `ss` in the Linux namespace: the TCP sockets in TIME-WAIT, as
    /// "local peer" address pairs.
    pub fn linux_time_wait(&self) -> Vec<String> {
        run(&[
            "ip",
            "netns",
            "exec",
            &self.ns_linux,
            "ss",
            "-Htan",
            "state",
            "time-wait",
        ])
        .lines()
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
        .collect()
    }
}

impl Drop for Topology {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        // The veth pair goes with the namespaces.
        for ns in &self.created {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}

/// A running `peer.py`: its JSON lines.
pub struct Peer {
    // Held open: the server lives until its stdin closes.
    _stdin: ChildStdin,
    rx: Receiver<serde_json::Value>,
}

impl Peer {
    /// The next JSON line, or a panic after `secs` seconds.
    pub fn next(&self, secs: u64) -> serde_json::Value {
        self.rx
            .recv_timeout(Duration::from_secs(secs))
            .unwrap_or_else(|e| panic!("no report from peer.py within {secs} s: {e}"))
    }

    /// The next line whose "event" is `event` (others skipped).
    pub fn expect(&self, event: &str, secs: u64) -> serde_json::Value {
        let deadline = StdInstant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(StdInstant::now()).as_secs().max(1);
            let v = self.next(left);
            if v["event"] == event {
                return v;
            }
            assert!(StdInstant::now() < deadline, "no {event} event from peer.py");
        }
    }

    /// A line, if one is already there.
    pub fn try_next(&self) -> Option<serde_json::Value> {
        self.rx.try_recv().ok()
    }
}

/// A deterministic fault schedule for TCP frames (ARP is never touched):
/// frame number `i` (counted per direction, from 0) is dropped if
/// `i % drop.0 == drop.1`, duplicated if `i % dup.0 == dup.1` and held
/// back behind the next frame if `i % reorder.0 == reorder.1`. The first
/// `spare` frames (the handshake) pass untouched.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    pub drop: (u64, u64),
    pub dup: (u64, u64),
    pub reorder: (u64, u64),
    pub spare: u64,
}

impl Schedule {
    fn verdict(&self, i: u64) -> Fault {
        if i < self.spare || self.drop.0 == 0 {
            Fault::Pass
        } else if i % self.drop.0 == self.drop.1 {
            Fault::Drop
        } else if i % self.dup.0 == self.dup.1 {
            Fault::Duplicate
        } else if i % self.reorder.0 == self.reorder.1 {
            Fault::Hold
        } else {
            Fault::Pass
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fault {
    Pass,
    Drop,
    Duplicate,
    Hold,
}

/// Fault schedules for both directions and what they did.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// Frames netspec sends towards Linux.
    pub to_linux: Schedule,
    /// Frames Linux sends towards netspec.
    pub to_netspec: Schedule,
    /// Counts: dropped, duplicated, reordered.
    pub dropped: u64,
    pub duplicated: u64,
    pub reordered: u64,
}

impl Faults {
    /// No faults.
    pub fn none() -> Faults {
        let s = Schedule {
            drop: (0, 0),
            dup: (0, 0),
            reorder: (0, 0),
            spare: 0,
        };
        Faults {
            to_linux: s,
            to_netspec: s,
            dropped: 0,
            duplicated: 0,
            reordered: 0,
        }
    }
}

/// One side of the veth as seen by netspec: frames in and out through
/// the bridge, ARP answered, TCP segments handed over as bytes.
pub struct Wire {
    stdin: ChildStdin,
    rx: Receiver<Vec<u8>>,
    linux_mac: Option<MacAddress>,
    start: StdInstant,
    /// Ethernet frames received / sent (all kinds).
    pub frames_in: u64,
    pub frames_out: u64,
    /// TCP segments received / sent (before faults).
    pub tcp_in: u64,
    pub tcp_out: u64,
    /// The fault schedule in force.
    pub faults: Faults,
    /// The first SYN (or SYN,ACK) Linux sent: its options are what Linux
    /// offers.
    pub first_syn: Option<TcpHeader>,
    held: Option<(Vec<u8>, StdInstant)>,
}

impl Wire {
    /// The real clock mapped onto netspec's `Instant` (µs since the wire
    /// started).
    pub fn now(&self) -> Instant {
        Instant::from_micros(self.start.elapsed().as_micros() as u64)
    }

    fn put_frame(&mut self, frame: &[u8]) {
        let mut rec = Vec::with_capacity(4 + frame.len());
        rec.extend_from_slice(&(frame.len() as u32).to_be_bytes());
        rec.extend_from_slice(frame);
        self.stdin.write_all(&rec).expect("bridge stdin");
        self.stdin.flush().expect("bridge stdin");
        self.frames_out += 1;
    }

    fn ethernet(&self, dst: MacAddress, ethertype: EtherType, payload: &[u8]) -> Vec<u8> {
        let h = EthernetHeader::new(dst, NETSPEC_MAC, ethertype);
        let mut frame = vec![0u8; h.header_len() + payload.len()];
        let n = h.emit(&mut frame).expect("ethernet header");
        frame[n..].copy_from_slice(payload);
        frame
    }

    fn send_arp(&mut self, op: ArpOperation, target_mac: MacAddress, dst: MacAddress) {
        let a = ArpHeader::ethernet_ipv4(op, NETSPEC_MAC, NETSPEC_IP, target_mac, LINUX_IP);
        let mut buf = [0u8; 28];
        let n = a.emit(&mut buf).expect("arp");
        let frame = self.ethernet(dst, EtherType::ARP, &buf[..n]);
        self.put_frame(&frame);
    }

    /// Learn the Linux MAC by ARP (RFC 826), bounded to 5 s.
    pub fn resolve(&mut self) -> MacAddress {
        let deadline = StdInstant::now() + Duration::from_secs(5);
        while self.linux_mac.is_none() {
            assert!(StdInstant::now() < deadline, "no ARP reply from Linux");
            self.send_arp(ArpOperation::REQUEST, MacAddress::ZERO, MacAddress::BROADCAST);
            let until = StdInstant::now() + Duration::from_millis(200);
            while self.linux_mac.is_none() && StdInstant::now() < until {
                let _ = self.recv_segment(Duration::from_millis(20));
            }
        }
        let mac = self.linux_mac.expect("resolved");
        assert_eq!(mac, LINUX_MAC, "the MAC ARP learned is the one the veth was given");
        mac
    }

    /// Send a TCP segment to Linux in IPv4 in Ethernet, through the fault
    /// schedule.
    pub fn send_tcp(&mut self, h: &TcpHeader, payload: &[u8]) {
        let mut seg = vec![0u8; h.header_len() + payload.len()];
        let n = h.emit_segment_v4(payload, NETSPEC_IP, LINUX_IP, &mut seg).expect("tcp");
        let mut ip = Ipv4Header::new(NETSPEC_IP, LINUX_IP, IpProtocol::TCP, n);
        ip.fill_checksum();
        let mut pkt = vec![0u8; ip.header_len() + n];
        let hl = ip.emit(&mut pkt).expect("ipv4");
        pkt[hl..].copy_from_slice(&seg[..n]);
        let dst = self.linux_mac.unwrap_or(LINUX_MAC);
        let frame = self.ethernet(dst, EtherType::IPV4, &pkt);
        let i = self.tcp_out;
        self.tcp_out += 1;
        match self.faults.to_linux.verdict(i) {
            Fault::Pass => self.put_frame(&frame),
            Fault::Drop => self.faults.dropped += 1,
            Fault::Duplicate => {
                self.faults.duplicated += 1;
                self.put_frame(&frame);
                self.put_frame(&frame);
            }
            Fault::Hold => {
                self.faults.reordered += 1;
                self.release_held(true);
                self.held = Some((frame, StdInstant::now()));
                return;
            }
        }
        self.release_held(true);
    }

    /// Send a held (reordered) frame: after the frame that overtook it, or
    /// after 20 ms if no frame came.
    fn release_held(&mut self, now: bool) {
        if let Some((_, at)) = &self.held
            && (now || at.elapsed() > Duration::from_millis(20))
        {
            let (f, _) = self.held.take().expect("held");
            self.put_frame(&f);
        }
    }

    /// Process frames for up to `wait`: answer ARP, and return the first
    /// TCP segment addressed to netspec (as bytes, checksum verified).
    pub fn recv_segment(&mut self, wait: Duration) -> Option<Vec<u8>> {
        let deadline = StdInstant::now() + wait;
        loop {
            self.release_held(false);
            let left = deadline.saturating_duration_since(StdInstant::now());
            let frame = match self.rx.recv_timeout(left) {
                Ok(f) => f,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("bridge exited"),
            };
            self.frames_in += 1;
            let Ok(eth) = EthernetFrame::parse(&frame) else {
                continue;
            };
            if eth.ethertype() == EtherType::ARP {
                self.on_arp(eth.payload());
                continue;
            }
            if eth.ethertype() != EtherType::IPV4 || eth.dst() != NETSPEC_MAC {
                continue;
            }
            let Ok(ip) = Ipv4Packet::parse(eth.payload()) else {
                continue;
            };
            if ip.dst() != NETSPEC_IP || ip.protocol() != IpProtocol::TCP {
                continue;
            }
            let seg = TcpSegment::parse(ip.payload()).expect("Linux sent a TCP segment netspec cannot parse");
            assert!(
                seg.verify_checksum_v4(ip.src(), ip.dst()),
                "bad TCP checksum from Linux (offloads on?)"
            );
            if seg.flags().contains(TcpFlags::SYN) && self.first_syn.is_none() {
                self.first_syn = Some(seg.to_header());
            }
            let i = self.tcp_in;
            self.tcp_in += 1;
            match self.faults.to_netspec.verdict(i) {
                Fault::Drop => {
                    self.faults.dropped += 1;
                    continue;
                }
                // recv_batch applies the duplicate and reorder verdicts.
                Fault::Duplicate | Fault::Hold | Fault::Pass => return Some(ip.payload().to_vec()),
            }
        }
    }

    /// Like [`recv_segment`], but applies the inbound duplicate/reorder
    /// schedule: returns the segments to deliver now, in order.
    pub fn recv_batch(&mut self, wait: Duration, pending: &mut Vec<Vec<u8>>) -> Vec<Vec<u8>> {
        let Some(seg) = self.recv_segment(wait) else {
            return std::mem::take(pending);
        };
        let i = self.tcp_in - 1;
        match self.faults.to_netspec.verdict(i) {
            Fault::Duplicate => {
                self.faults.duplicated += 1;
                let mut out = std::mem::take(pending);
                out.push(seg.clone());
                out.push(seg);
                out
            }
            Fault::Hold => {
                self.faults.reordered += 1;
                pending.push(seg);
                Vec::new()
            }
            _ => {
                let mut out = vec![seg];
                out.append(pending);
                out
            }
        }
    }

    fn on_arp(&mut self, payload: &[u8]) {
        let Ok(arp) = ArpPacket::parse(payload) else { return };
        if arp.sender_ipv4() == Some(LINUX_IP) {
            self.linux_mac = arp.sender_mac();
        }
        if arp.op() == ArpOperation::REQUEST && arp.target_ipv4() == Some(NETSPEC_IP) {
            let to = arp.sender_mac().unwrap_or(MacAddress::BROADCAST);
            self.send_arp(ArpOperation::REPLY, to, to);
        }
    }
}
