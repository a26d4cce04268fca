//! The state-machine differential: the same scripted segments into the
//! Linux kernel (through the bridge, the test playing the peer) and into an
//! in-process `tcp::Connection` with `Config::linux()`, the replies
//! normalized and compared.
//!
//! Normal form of a reply: the control bits among SYN/FIN/RST/ACK (PSH is
//! a sender's choice, not state), SEQ relative to the replier's ISS, ACK
//! relative to the peer's ISS, the payload length, and the options present
//! in wire order (NOP/EOL left out, SACK blocks relative to the peer's
//! ISS). Window sizes and timing are not compared. A step's replies are
//! those that come within its listening window.

use std::time::Duration;

use netspec::tcp::{Config, Connection, Instant};
use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};
use netspec::transport::tcp_option::TcpOption;

use super::harness::{Topology, Wire};

/// The peer's ISS in every scenario.
const PEER_ISS: u32 = 1_000_000;
/// The ISS given to the netspec listener.
const NETSPEC_ISS: u32 = 77_000_000;
/// Linux ports: a server that never reads, one that sends 100 bytes on
/// accept, one that closes on accept, and one nobody listens on.
const PORT_HOLD: u16 = 5101;
const PORT_SEND: u16 = 5102;
const PORT_CLOSE: u16 = 5103;
/// A server that sends 100 bytes as urgent data (`MSG_OOB`) on accept.
const PORT_URGENT: u16 = 5104;
const PORT_CLOSED: u16 = 5199;

/// One segment the peer sends, numbers relative to the two ISSs.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    flags: TcpFlags,
    /// SEQ relative to the peer's ISS.
    seq: i64,
    /// ACK relative to the target's ISS (ignored without the ACK bit).
    ack: i64,
    len: usize,
    window: u16,
    /// The MSS option of a SYN.
    mss: u16,
    /// How long to collect replies.
    listen_ms: u64,
    /// A set-up step (the handshake before the segment under test): run,
    /// but its replies are not compared (they are compared in the
    /// scenarios about the handshake itself).
    setup: bool,
    /// Close the listening window 50 ms after the first reply (waiting for
    /// the kernel's SYN, whose client process takes a while to start).
    early: bool,
}

const fn step(flags: TcpFlags, seq: i64, ack: i64, len: usize) -> Step {
    Step {
        flags,
        seq,
        ack,
        len,
        window: 1000,
        mss: 1460,
        listen_ms: 250,
        setup: false,
        early: false,
    }
}

const SYN: TcpFlags = TcpFlags::SYN;
const ACK: TcpFlags = TcpFlags::ACK;
const RST: TcpFlags = TcpFlags::RST;
const FIN_ACK: TcpFlags = TcpFlags::FIN.union(TcpFlags::ACK);
const PSH_ACK: TcpFlags = TcpFlags::PSH.union(TcpFlags::ACK);
const SYN_STEP: Step = step(SYN, 0, 0, 0);
const ACK_STEP: Step = step(ACK, 1, 1, 0);
const SYN_ACK: TcpFlags = TcpFlags::SYN.union(TcpFlags::ACK);
const RST_ACK: TcpFlags = TcpFlags::RST.union(TcpFlags::ACK);
/// Inject nothing, only wait for the target's own SYN (up to 5 s).
const LISTEN_ONLY: Step = Step {
    listen_ms: 5000,
    early: true,
    ..step(TcpFlags::empty(), 0, 0, 0)
};

/// What the target's application does once the connection is accepted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum App {
    /// Never reads, never writes.
    Hold,
    /// Writes 100 bytes.
    Send100,
    /// Writes 100 bytes as urgent data (SEND with the urgent flag,
    /// RFC 9293 §3.10.2; `MSG_OOB` on Linux).
    SendUrgent100,
    /// Closes at once (CLOSE, RFC 9293 §3.10.4: a FIN goes out).
    Close,
    /// Nobody listens (the port is closed).
    Closed,
    /// The target connects to the peer (active OPEN, RFC 9293 §3.10.1).
    Connect,
}

/// A scripted scenario and what the comparison must find.
pub struct Scenario {
    pub name: &'static str,
    pub app: App,
    pub steps: Vec<Step>,
    pub expect: Expect,
}

/// The documented outcome (docs/linux-tcp.md).
pub enum Expect {
    /// Linux and netspec reply identically.
    Agree,
    /// They differ, exactly so, for the reason cited.
    Differ {
        linux: &'static [&'static [&'static str]],
        netspec: &'static [&'static [&'static str]],
        rfc: &'static str,
    },
}

/// The replies to each step, normalized.
pub type Trace = Vec<Vec<String>>;

/// Normal form of one reply (see the module docs).
fn normalize(seg: &TcpSegment<'_>, own_iss: u32, peer_iss: u32) -> String {
    let mut s = String::new();
    for (f, c) in [
        (TcpFlags::SYN, 'S'),
        (TcpFlags::FIN, 'F'),
        (TcpFlags::RST, 'R'),
        (TcpFlags::ACK, 'A'),
    ] {
        if seg.flags().contains(f) {
            s.push(c);
        }
    }
    let rel = |v: u32, base: u32| v.wrapping_sub(base) as i32;
    s += &format!(" seq={}", rel(seg.seq(), own_iss));
    if seg.flags().contains(TcpFlags::ACK) {
        s += &format!(" ack={}", rel(seg.ack(), peer_iss));
    }
    s += &format!(" len={}", seg.payload().len());
    if seg.flags().contains(TcpFlags::URG) {
        s += &format!(" urg={}", seg.urgent_ptr());
    }
    let mut opts = Vec::new();
    for o in seg.options() {
        match o {
            TcpOption::Mss(_) => opts.push("MSS".to_string()),
            TcpOption::WindowScale(_) => opts.push("WS".to_string()),
            TcpOption::SackPermitted => opts.push("SACKOK".to_string()),
            TcpOption::Timestamps { .. } => opts.push("TS".to_string()),
            TcpOption::Sack(b) => {
                let blocks: Vec<String> = b
                    .as_slice()
                    .iter()
                    .map(|&(l, r)| format!("{}-{}", rel(l, peer_iss), rel(r, peer_iss)))
                    .collect();
                opts.push(format!("SACK({})", blocks.join(",")));
            }
            TcpOption::Nop | TcpOption::Eol => {}
            other => opts.push(format!("{other:?}")),
        }
    }
    s += &format!(" [{}]", opts.join(","));
    s
}

/// The peer's segment for `st`, as the header and payload. The SYN carries
/// Linux's own option layout (MSS, SACK-permitted, timestamps, NOP, window
/// scale); every other segment the timestamps option.
fn build(st: &Step, dst_port: u16, src_port: u16, target_iss: u32, ts_val: u32, ts_ecr: u32) -> (TcpHeader, Vec<u8>) {
    let mut h = TcpHeader::new(src_port, dst_port);
    h.seq = PEER_ISS.wrapping_add(st.seq as u32);
    h.flags = st.flags;
    if st.flags.contains(TcpFlags::ACK) {
        h.ack = target_iss.wrapping_add(st.ack as u32);
    }
    h.window = if st.flags.contains(TcpFlags::SYN) {
        65535
    } else {
        st.window
    };
    if st.flags.contains(TcpFlags::SYN) {
        for o in [
            TcpOption::Mss(st.mss),
            TcpOption::SackPermitted,
            TcpOption::Timestamps { val: ts_val, ecr: 0 },
            TcpOption::Nop,
            TcpOption::WindowScale(7),
        ] {
            h.options.push(o).expect("SYN options fit");
        }
    } else if !st.flags.contains(TcpFlags::RST) {
        for o in [
            TcpOption::Nop,
            TcpOption::Nop,
            TcpOption::Timestamps {
                val: ts_val,
                ecr: ts_ecr,
            },
        ] {
            h.options.push(o).expect("timestamps fit");
        }
    }
    (h, vec![0x5a; st.len])
}

/// Either side of the comparison: inject one segment, return the replies.
trait Target {
    /// Inject `seg` (if any), then collect replies for `listen` (or until
    /// 50 ms after the first, if `early`).
    fn exchange(&mut self, seg: Option<(&TcpHeader, &[u8])>, listen: Duration, early: bool) -> Vec<Vec<u8>>;
}

/// Run one scenario against a target; the target's ISS is learned from its
/// SYN,ACK (0 if it never sends one).
fn play(t: &mut dyn Target, sc: &Scenario, mut dst_port: u16, src_port: u16) -> Trace {
    let mut target_iss = 0u32;
    let mut ts_ecr = 0u32;
    let mut trace = Vec::new();
    for (i, st) in sc.steps.iter().enumerate() {
        let ts_val = 5000 + 10 * i as u32;
        let listen = Duration::from_millis(st.listen_ms);
        let replies = if st.flags.is_empty() {
            t.exchange(None, listen, st.early)
        } else {
            let (h, payload) = build(st, dst_port, src_port, target_iss, ts_val, ts_ecr);
            t.exchange(Some((&h, &payload)), listen, st.early)
        };
        let mut norm: Vec<String> = Vec::new();
        for r in &replies {
            let seg = TcpSegment::parse(r).expect("reply parses");
            if seg.flags().contains(TcpFlags::SYN) {
                target_iss = seg.seq();
            }
            // After an active open, the target's port is its ephemeral one.
            dst_port = seg.src_port();
            if let Some((v, _)) = seg.options().find_map(|o| match o {
                TcpOption::Timestamps { val, ecr } => Some((val, ecr)),
                _ => None,
            }) {
                ts_ecr = v;
            }
            let n = normalize(&seg, target_iss, PEER_ISS);
            // A repeat of the previous reply is a retransmission: timing,
            // which the comparison leaves out.
            if norm.last() != Some(&n) {
                norm.push(n);
            }
        }
        if st.setup {
            norm = vec!["(setup)".to_string()];
        }
        trace.push(norm);
    }
    trace
}

/// The kernel, through the bridge.
struct Linux<'a> {
    wire: &'a mut Wire,
    src_port: u16,
}

impl Target for Linux<'_> {
    fn exchange(&mut self, seg: Option<(&TcpHeader, &[u8])>, listen: Duration, early: bool) -> Vec<Vec<u8>> {
        if let Some((h, payload)) = seg {
            self.wire.send_tcp(h, payload);
        }
        let mut end = std::time::Instant::now() + listen;
        let mut out = Vec::new();
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return out;
            }
            if let Some(seg) = self.wire.recv_segment(left)
                && TcpSegment::parse(&seg).is_ok_and(|s| s.dst_port() == self.src_port)
            {
                if early && out.is_empty() {
                    end = end.min(std::time::Instant::now() + Duration::from_millis(50));
                }
                out.push(seg);
            }
        }
    }
}

/// netspec, in process, in virtual time that advances by each step's
/// listening window.
struct Netspec {
    conn: Connection,
    now: Instant,
    app: App,
    app_done: bool,
}

impl Netspec {
    fn collect(&mut self, out: &mut Vec<Vec<u8>>) {
        if !self.app_done && self.conn.state().is_synchronized() {
            match self.app {
                App::Send100 => {
                    self.conn.send(&[0xa5; 100]).expect("send");
                }
                App::SendUrgent100 => {
                    self.conn.send_urgent(&[0xa5; 100]).expect("send");
                }
                App::Close => self.conn.close(self.now),
                App::Hold | App::Closed | App::Connect => {}
            }
            self.app_done = true;
        }
        let mut payload = [0u8; 2048];
        while let Some(t) = self.conn.poll_transmit(self.now, &mut payload) {
            let mut b = vec![0u8; t.header.header_len() + t.payload_len];
            let n = t.header.emit(&mut b).expect("emit");
            b[n..].copy_from_slice(&payload[..t.payload_len]);
            out.push(b);
        }
    }
}

impl Target for Netspec {
    fn exchange(&mut self, seg: Option<(&TcpHeader, &[u8])>, listen: Duration, early: bool) -> Vec<Vec<u8>> {
        if let Some((h, payload)) = seg {
            let mut b = vec![0u8; h.header_len() + payload.len()];
            let n = h.emit(&mut b).expect("emit");
            b[n..].copy_from_slice(payload);
            self.conn.on_segment(self.now, &TcpSegment::parse(&b).expect("parse"));
        }
        let mut out = Vec::new();
        let mut end = self.now + listen;
        let early_end = |now: Instant| now + Duration::from_millis(50);
        self.collect(&mut out);
        if early && !out.is_empty() {
            end = end.min(early_end(self.now));
        }
        while let Some(t) = self.conn.poll_timeout().filter(|&t| t <= end) {
            self.now = t.max(self.now);
            self.conn.on_timeout(self.now);
            let had = out.len();
            self.collect(&mut out);
            if early && had == 0 && !out.is_empty() {
                end = end.min(early_end(self.now));
            }
        }
        self.now = end;
        out
    }
}

/// netspec's window update right after the handshake.
const WINDOW_UPDATE: &str = "A seq=1 ack=1 len=0 [TS]";
const WINDOW_UPDATE_WHY: &str = "RFC 7323 §2.2 (a SYN's window is never scaled, so netspec's SYN,ACK offers \
     at most 65535 of its 131072-byte buffer) and RFC 9293 §3.8.6.2.2 (the right edge may advance once it \
     can move by a worthwhile amount; netspec then announces it with a window update, as BSD does). Linux \
     starts with a smaller window and grows it with the data (rcv_ssthresh), so it has nothing to announce";
/// Linux's zero-window probe: SEQ=SND.UNA-1, no data.
const LINUX_PROBE: &str = "A seq=0 ack=1 len=0 [TS]";
/// netspec's: one octet of new data.
const NETSPEC_PROBE: &str = "A seq=1 ack=1 len=1 [TS]";
/// The 100 bytes once the window opens.
const DATA_100: &str = "A seq=1 ack=1 len=100 [TS]";
const PROBE_WHY: &str = "RFC 9293 §3.8.6.1: the sender 'must regularly transmit at least one octet of new \
     data (if available)' to probe a zero window; netspec does exactly that (resending the same octet \
     until the window opens). Linux sends an out-of-window ACK with SEQ=SND.UNA-1 instead, which the \
     receiver must answer (§3.10.7.4) and which carries no data; both elicit the window";

/// Data after a peer's MSS of 1: the floor of 48 (Linux's `tcp_min_snd_mss`,
/// `Config::linux().min_send_mss`) less 12 bytes of timestamps.
const MIN_MSS_1: &str = "A seq=1 ack=1 len=36 [TS]";
const MIN_MSS_2: &str = "A seq=37 ack=1 len=36 [TS]";
const NAGLE_WHY: &str = "RFC 9293 §3.7.4 (Nagle, RFC 896): while data is unacknowledged, a sender holds back \
     a segment smaller than the MSS; netspec does, so the last 28 of the 100 bytes wait for an ACK. Linux \
     uses Minshall's variant (it holds a small segment only while an earlier small one is unacknowledged), \
     so it sends them at once. Both raise the peer's MSS of 1 to 48";

/// The RST for an unacceptable ACK (1000) in SYN-SENT, and Linux's SYN.
const RST_1000: &str = "R seq=1000 len=0 []";
const LINUX_SYN: &str = "S seq=0 len=0 [MSS,SACKOK,TS,WS]";
const SYN_AGAIN_WHY: &str = "RFC 9293 §3.10.7.3: an unacceptable ACK in SYN-SENT gets \
     <SEQ=SEG.ACK><CTL=RST> and is discarded; both do that. Linux also rearms its SYN timer to its \
     minimum on the first such ACK (it may come from a stale connection the RST just cleared) and so \
     sends its SYN again at once; netspec retransmits its SYN only when the RFC 6298 timer expires";

/// The scenarios (docs/linux-tcp.md has the table).
pub fn scenarios() -> Vec<Scenario> {
    let setup = |st: Step| Step { setup: true, ..st };
    let hs = |mut rest: Vec<Step>| {
        let mut v = vec![setup(SYN_STEP), setup(ACK_STEP)];
        v.append(&mut rest);
        v
    };
    let data = |seq: i64, len: usize| step(PSH_ACK, seq, 1, len);
    let mut zero_ack = ACK_STEP;
    zero_ack.window = 0;
    zero_ack.listen_ms = 1500;
    vec![
        Scenario {
            name: "SYN to a listening port",
            app: App::Hold,
            steps: vec![SYN_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "SYN to a closed port",
            app: App::Closed,
            steps: vec![SYN_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "ACK to a closed port",
            app: App::Closed,
            steps: vec![step(ACK, 1, 4242, 0)],
            expect: Expect::Agree,
        },
        Scenario {
            name: "ACK to a listening port",
            app: App::Hold,
            steps: vec![step(ACK, 1, 4242, 0)],
            expect: Expect::Agree,
        },
        Scenario {
            name: "RST to a closed port",
            app: App::Closed,
            steps: vec![step(RST, 1, 0, 0)],
            expect: Expect::Agree,
        },
        Scenario {
            name: "retransmitted SYN in SYN-RECEIVED",
            app: App::Hold,
            steps: vec![setup(SYN_STEP), SYN_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "RST in SYN-RECEIVED, then the ACK",
            app: App::Hold,
            steps: vec![setup(SYN_STEP), step(RST, 1, 0, 0), ACK_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "ACK completing the handshake",
            app: App::Hold,
            steps: vec![setup(SYN_STEP), ACK_STEP],
            expect: Expect::Differ {
                linux: &[&["(setup)"], &[]],
                netspec: &[&["(setup)"], &[WINDOW_UPDATE]],
                rfc: WINDOW_UPDATE_WHY,
            },
        },
        Scenario {
            name: "handshake, then data in order",
            app: App::Hold,
            steps: hs(vec![data(1, 100)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "out-of-window data in ESTABLISHED",
            app: App::Hold,
            steps: hs(vec![data(1 + 4_000_000, 100)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "old duplicate data in ESTABLISHED",
            app: App::Hold,
            steps: hs(vec![data(1, 100), data(1, 100)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "ACK of unsent data in ESTABLISHED (RFC 5961 §5.2)",
            app: App::Hold,
            steps: hs(vec![step(PSH_ACK, 1, 1000, 10)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "RST in window, not exact (RFC 5961 §3.2)",
            app: App::Hold,
            steps: hs(vec![step(RST, 1 + 1000, 0, 0)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "exact RST, then data",
            app: App::Hold,
            steps: hs(vec![step(RST, 1, 0, 0), data(1, 10)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "SYN in ESTABLISHED (RFC 5961 §4)",
            app: App::Hold,
            steps: hs(vec![step(SYN, 1 + 500, 0, 0)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "FIN in ESTABLISHED",
            app: App::Hold,
            steps: hs(vec![step(FIN_ACK, 1, 1, 0)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "data after FIN",
            app: App::Hold,
            steps: hs(vec![step(FIN_ACK, 1, 1, 0), data(2, 10)]),
            expect: Expect::Agree,
        },
        Scenario {
            name: "the application closes: FIN after the handshake",
            app: App::Close,
            steps: vec![setup(SYN_STEP), ACK_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT, FIN retransmitted",
            app: App::Close,
            steps: vec![
                setup(SYN_STEP),
                setup(ACK_STEP),
                step(ACK, 1, 2, 0),
                step(FIN_ACK, 1, 2, 0),
                step(FIN_ACK, 1, 2, 0),
            ],
            expect: Expect::Agree,
        },
        Scenario {
            name: "new SYN in TIME-WAIT",
            app: App::Close,
            steps: vec![
                setup(SYN_STEP),
                setup(ACK_STEP),
                setup(step(FIN_ACK, 1, 2, 0)),
                step(SYN, 100_000, 0, 0),
            ],
            expect: Expect::Differ {
                linux: &[
                    &["(setup)"],
                    &["(setup)"],
                    &["(setup)"],
                    &["SA seq=0 ack=100001 len=0 [MSS,SACKOK,TS,WS]"],
                ],
                netspec: &[&["(setup)"], &["(setup)"], &["(setup)"], &["A seq=2 ack=2 len=0 [TS]"]],
                rfc: "RFC 9293 §3.6 (MAY-2, improved by RFC 6191) lets a TCP reopen a connection from \
                      TIME-WAIT on a new SYN; Linux does (its SYN,ACK starts a new incarnation, SEQ relative \
                      to its new ISS). netspec's Connection is one TCB and does not implement MAY-2: the SYN \
                      gets §3.10.7.4's fourth-check answer, the RFC 5961 §4.2 challenge ACK",
            },
        },
        Scenario {
            name: "active open: the SYN",
            app: App::Connect,
            steps: vec![LISTEN_ONLY],
            expect: Expect::Agree,
        },
        Scenario {
            name: "SYN,ACK completing an active open",
            app: App::Connect,
            steps: vec![setup(LISTEN_ONLY), step(SYN_ACK, 0, 1, 0)],
            expect: Expect::Agree,
        },
        Scenario {
            name: "SYN,ACK with an unacceptable ACK in SYN-SENT",
            app: App::Connect,
            steps: vec![setup(LISTEN_ONLY), step(SYN_ACK, 0, 1000, 0)],
            expect: Expect::Differ {
                linux: &[&["(setup)"], &[RST_1000, LINUX_SYN]],
                netspec: &[&["(setup)"], &[RST_1000]],
                rfc: SYN_AGAIN_WHY,
            },
        },
        Scenario {
            name: "bare ACK, unacceptable, in SYN-SENT",
            app: App::Connect,
            steps: vec![setup(LISTEN_ONLY), step(ACK, 0, 1000, 0)],
            expect: Expect::Differ {
                linux: &[&["(setup)"], &[RST_1000, LINUX_SYN]],
                netspec: &[&["(setup)"], &[RST_1000]],
                rfc: SYN_AGAIN_WHY,
            },
        },
        Scenario {
            name: "RST without ACK in SYN-SENT, then the SYN,ACK",
            app: App::Connect,
            steps: vec![setup(LISTEN_ONLY), step(RST, 0, 0, 0), step(SYN_ACK, 0, 1, 0)],
            expect: Expect::Agree,
        },
        Scenario {
            name: "RST,ACK in SYN-SENT (refused), then a SYN,ACK",
            app: App::Connect,
            steps: vec![setup(LISTEN_ONLY), step(RST_ACK, 0, 1, 0), step(SYN_ACK, 0, 1, 0)],
            expect: Expect::Agree,
        },
        Scenario {
            name: "SYN in SYN-SENT (simultaneous open)",
            app: App::Connect,
            steps: vec![setup(LISTEN_ONLY), SYN_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "zero-window probe",
            app: App::Send100,
            steps: vec![setup(SYN_STEP), zero_ack],
            expect: Expect::Differ {
                linux: &[&["(setup)"], &[LINUX_PROBE]],
                netspec: &[&["(setup)"], &[WINDOW_UPDATE, NETSPEC_PROBE]],
                rfc: PROBE_WHY,
            },
        },
        Scenario {
            name: "zero-window probes, then the window opens",
            app: App::Send100,
            steps: vec![
                setup(SYN_STEP),
                zero_ack,
                Step {
                    listen_ms: 150,
                    ..step(ACK, 1, 1, 0)
                },
            ],
            expect: Expect::Differ {
                linux: &[&["(setup)"], &[LINUX_PROBE], &[DATA_100]],
                netspec: &[&["(setup)"], &[WINDOW_UPDATE, NETSPEC_PROBE], &[DATA_100]],
                rfc: PROBE_WHY,
            },
        },
        Scenario {
            name: "the application sends 100 bytes of urgent data",
            app: App::SendUrgent100,
            steps: vec![setup(SYN_STEP), ACK_STEP],
            expect: Expect::Agree,
        },
        Scenario {
            name: "peer MSS 1: data in segments of the minimum send MSS",
            app: App::Send100,
            steps: vec![setup(Step { mss: 1, ..SYN_STEP }), ACK_STEP],
            expect: Expect::Differ {
                linux: &[&["(setup)"], &[MIN_MSS_1, MIN_MSS_2, "A seq=73 ack=1 len=28 [TS]"]],
                netspec: &[&["(setup)"], &[MIN_MSS_1, MIN_MSS_2]],
                rfc: NAGLE_WHY,
            },
        },
    ]
}

/// Run every scenario on both sides, print the table, check the outcomes.
pub fn run_all() {
    let mut topo = Topology::new();
    let hold = topo.peer(&["serve", &PORT_HOLD.to_string(), "hold"]);
    let send = topo.peer(&["serve", &PORT_SEND.to_string(), "send:100"]);
    let close = topo.peer(&["serve", &PORT_CLOSE.to_string(), "close"]);
    let urgent = topo.peer(&["serve", &PORT_URGENT.to_string(), "urgent:100"]);
    for p in [&hold, &send, &close, &urgent] {
        p.expect("listening", 10);
    }
    let mut wire = topo.wire();
    wire.resolve();
    let mut failures = Vec::new();
    for (i, sc) in scenarios().iter().enumerate() {
        let src_port = 41000 + i as u16;
        let port = match sc.app {
            App::Hold => PORT_HOLD,
            App::Send100 => PORT_SEND,
            App::SendUrgent100 => PORT_URGENT,
            App::Close => PORT_CLOSE,
            App::Closed => PORT_CLOSED,
            // Learned from the target's SYN.
            App::Connect => 0,
        };
        // For an active open the kernel connects to the peer's port; the
        // client lives until the end of the scenario.
        let client =
            (sc.app == App::Connect).then(|| topo.peer(&["connect-hold", "198.51.100.2", &src_port.to_string()]));
        let linux = play(
            &mut Linux {
                wire: &mut wire,
                src_port,
            },
            sc,
            port,
            src_port,
        );
        let mut ns = netspec_target(sc, port, src_port);
        let netspec = play(&mut ns, sc, port, src_port);
        if sc.name.starts_with("RST,ACK in SYN-SENT") {
            // Both users hear "connection refused" (RFC 9293 §3.10.7.3).
            let client = client.as_ref().expect("a client");
            assert_eq!(client.expect("refused", 5)["event"], "refused");
            assert_eq!(ns.conn.error(), Some(netspec::tcp::ConnectionError::Refused));
        }
        let verdict = if linux == netspec { "agree" } else { "differ" };
        println!("| {} | {} | {} | {verdict} |", sc.name, show(&linux), show(&netspec));
        let ok = match &sc.expect {
            Expect::Agree => linux == netspec,
            Expect::Differ {
                linux: l,
                netspec: n,
                rfc,
            } => {
                println!("|   (intended: {rfc}) | | | |");
                same(&linux, l) && same(&netspec, n)
            }
        };
        if !ok {
            failures.push(format!("{}:\n  linux   {linux:?}\n  netspec {netspec:?}", sc.name));
        }
    }
    assert!(
        failures.is_empty(),
        "outcomes not as documented:\n{}",
        failures.join("\n")
    );
}

fn show(t: &Trace) -> String {
    t.iter()
        .map(|r| if r.is_empty() { "—".to_string() } else { r.join(" + ") })
        .collect::<Vec<_>>()
        .join(" / ")
}

pub fn same(t: &Trace, want: &[&[&str]]) -> bool {
    t.len() == want.len()
        && t.iter()
            .zip(want)
            .all(|(a, b)| a.iter().map(String::as_str).eq(b.iter().copied()))
}

/// A fresh netspec connection for `sc`: listening on `port`, closed
/// there, or connecting to `peer_port`.
fn netspec_target(sc: &Scenario, port: u16, peer_port: u16) -> Netspec {
    let now = Instant::from_millis(1000);
    let mut conn = Connection::new(Config::linux(), if port == 0 { 50000 } else { port });
    match sc.app {
        App::Closed => {}
        App::Connect => conn.connect(now, peer_port, NETSPEC_ISS).expect("connect"),
        _ => {
            conn.listen().expect("listen");
            conn.accept_isn(NETSPEC_ISS);
        }
    }
    Netspec {
        conn,
        now,
        app: sc.app,
        app_done: false,
    }
}

/// The netspec side of a scenario alone (no kernel, no root needed).
pub fn netspec_trace(sc: &Scenario) -> Trace {
    let port = if sc.app == App::Connect { 0 } else { 5100 };
    play(&mut netspec_target(sc, port, 41000), sc, port, 41000)
}
