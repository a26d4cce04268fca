//! Strategies for the TCP state machine ([`crate::tcp`]) and the
//! simulator ([`crate::sim`]): impaired links, payloads, configurations,
//! and hostile inputs (segments with arbitrary sequence and
//! acknowledgment numbers, flags, windows and options, mixed with user
//! calls and the passage of time).
//!
//! Hostile segments are most useful near the connection's own sequence
//! numbers, where the acceptability tests of RFC 9293 §3.10.7.4 decide;
//! an [`Anchor`] expresses a number relative to RCV.NXT, SND.UNA or
//! SND.NXT and is resolved against the connection when the segment is
//! built.

use alloc::vec::Vec;
use core::time::Duration;

use proptest::prelude::*;

use crate::sim::LinkConfig;
use crate::tcp::{Config, Connection};
use crate::transport::tcp::{TcpFlags, TcpHeader};
use crate::transport::tcp_option::{SackBlocks, TcpOption, TcpOptions};

/// Links with every impairment rate in `0..=max_rate`, delay 1..50 ms and
/// up to 10 ms jitter.
///
/// ```
/// use netspec::strategy::tcp::link_config;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(l in link_config(0.3))| {
///     for p in [l.loss, l.dup, l.reorder, l.corrupt] {
///         prop_assert!((0.0..=0.3).contains(&p));
///     }
/// });
/// ```
pub fn link_config(max_rate: f64) -> impl Strategy<Value = LinkConfig> {
    let rate = move || 0.0..=max_rate;
    (rate(), rate(), rate(), rate(), 1u64..50, 0u64..10).prop_map(|(loss, dup, reorder, corrupt, d, j)| LinkConfig {
        loss,
        dup,
        reorder,
        corrupt,
        delay: Duration::from_millis(d),
        jitter: Duration::from_millis(j),
        reorder_delay: Duration::from_millis(2 * d),
        mtu: 1500,
    })
}

/// Payloads of `0..=max_len` bytes (empty included).
///
/// ```
/// use netspec::strategy::tcp::payload;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(p in payload(100))| {
///     prop_assert!(p.len() <= 100);
/// });
/// ```
pub fn payload(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..=max_len)
}

/// Configurations: each option (window scaling, timestamps, SACK, Nagle,
/// delayed ACK, congestion control, RFC 5961) on or off, MSS 64..=1460,
/// buffers 1 KiB..=64 KiB, and retry limits high enough that a 30 %-loss
/// link does not time the connection out.
///
/// ```
/// use netspec::tcp::{Connection, State};
/// use netspec::strategy::tcp::config;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(c in config())| {
///     // Every configuration makes a connection that can listen.
///     let mut conn = Connection::new(c, 80);
///     conn.listen().unwrap();
///     prop_assert_eq!(conn.state(), State::Listen);
/// });
/// ```
pub fn config() -> impl Strategy<Value = Config> {
    (
        any::<[bool; 8]>(),
        64u16..=1460,
        1024usize..=65536,
        1024usize..=65536,
        proptest::option::of(0u8..=14),
    )
        .prop_map(|(b, mss, sbuf, rbuf, shift)| Config {
            window_scaling: b[0],
            timestamps: b[1],
            sack: b[2],
            nagle: b[3],
            delayed_ack: if b[4] { Some(Duration::from_millis(40)) } else { None },
            congestion_control: b[5],
            rfc5961_rst: b[6],
            rfc5961_syn: b[6],
            rfc5961_ack: b[7],
            mss,
            send_buffer: sbuf,
            recv_buffer: rbuf,
            window_shift: shift,
            r2: 40,
            syn_r2: 40,
            connect_timeout: None,
            ..Config::default()
        })
}

/// A sequence or acknowledgment number, absolute or relative to the
/// connection's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// This exact value.
    Abs(u32),
    /// RCV.NXT plus the offset.
    RcvNxt(i32),
    /// SND.UNA plus the offset.
    SndUna(i32),
    /// SND.NXT plus the offset.
    SndNxt(i32),
}

impl Anchor {
    /// The number this anchor names for `conn`.
    pub fn resolve(self, conn: &Connection) -> u32 {
        let add = |base: u32, d: i32| base.wrapping_add(d as u32);
        match self {
            Anchor::Abs(v) => v,
            Anchor::RcvNxt(d) => add(conn.rcv_nxt().0, d),
            Anchor::SndUna(d) => add(conn.snd_una().0, d),
            Anchor::SndNxt(d) => add(conn.snd_nxt().0, d),
        }
    }
}

/// Anchors: mostly near the connection's numbers (small offsets and
/// offsets around a window), sometimes anywhere.
///
/// ```
/// use netspec::tcp::{Config, Connection, Instant};
/// use netspec::strategy::tcp::anchor;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in anchor())| {
///     let mut conn = Connection::new(Config::default(), 40000);
///     conn.connect(Instant::ZERO, 80, 1000).unwrap();
///     // Resolved against the connection's state: any u32, no panic.
///     let _ = a.resolve(&conn);
/// });
/// ```
pub fn anchor() -> impl Strategy<Value = Anchor> {
    let near = prop_oneof![-3i32..=3, -70_000i32..=70_000];
    prop_oneof![
        any::<u32>().prop_map(Anchor::Abs),
        near.clone().prop_map(Anchor::RcvNxt),
        near.clone().prop_map(Anchor::SndUna),
        near.prop_map(Anchor::SndNxt),
    ]
}

/// Well-formed option lists: MSS, window scale (any shift, even > 14),
/// SACK-Permitted, timestamps and SACK blocks (any values), NOPs.
///
/// ```
/// use netspec::transport::TcpOptions;
/// use netspec::strategy::tcp::tcp_options;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(o in tcp_options())| {
///     prop_assert_eq!(TcpOptions::from_bytes(o.as_bytes()), Ok(o));
/// });
/// ```
pub fn tcp_options() -> impl Strategy<Value = TcpOptions> {
    let one = prop_oneof![
        any::<u16>().prop_map(TcpOption::Mss),
        any::<u8>().prop_map(TcpOption::WindowScale),
        Just(TcpOption::SackPermitted),
        Just(TcpOption::Nop),
        (any::<u32>(), any::<u32>()).prop_map(|(val, ecr)| TcpOption::Timestamps { val, ecr }),
        proptest::collection::vec(any::<(u32, u32)>(), 1..=3)
            .prop_map(|b| SackBlocks::new(&b).map_or(TcpOption::Nop, TcpOption::Sack)),
    ];
    proptest::collection::vec(one, 0..5).prop_map(|opts| {
        let mut o = TcpOptions::new();
        for opt in opts {
            // Options that would overflow the 40 bytes are left out.
            let _ = o.push(opt);
        }
        o
    })
}

/// A segment to forge, resolved against a connection by [`SegmentSpec::header`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentSpec {
    /// Sequence number.
    pub seq: Anchor,
    /// Acknowledgment number.
    pub ack: Anchor,
    /// Any of the 9 flag bits.
    pub flags: TcpFlags,
    /// Window field.
    pub window: u16,
    /// Options.
    pub options: TcpOptions,
    /// Payload length (the payload bytes are a pattern).
    pub payload_len: usize,
}

impl SegmentSpec {
    /// The header, from the peer's port to `conn`'s.
    pub fn header(&self, conn: &Connection) -> TcpHeader {
        let mut h = TcpHeader::new(conn.remote_port(), conn.local_port());
        h.seq = self.seq.resolve(conn);
        h.ack = self.ack.resolve(conn);
        h.flags = self.flags;
        h.window = self.window;
        h.options = self.options;
        h
    }
}

/// Hostile segments: any flags (biased towards ACK and the control bits),
/// any window, options and up to 3000 bytes of payload.
///
/// ```
/// use netspec::tcp::{Config, Connection, Instant};
/// use netspec::transport::TcpSegment;
/// use netspec::strategy::tcp::segment_spec;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(spec in segment_spec())| {
///     let now = Instant::ZERO;
///     let mut conn = Connection::new(Config::default(), 40000);
///     conn.connect(now, 80, 1000).unwrap();
///     // Forge the segment against the connection and deliver it.
///     let h = spec.header(&conn);
///     let mut wire = vec![0u8; h.header_len() + spec.payload_len];
///     h.emit(&mut wire).unwrap();
///     conn.on_segment(now, &TcpSegment::parse(&wire).unwrap());
///     prop_assert!(conn.check_invariants().is_ok());
/// });
/// ```
pub fn segment_spec() -> impl Strategy<Value = SegmentSpec> {
    let flags = prop_oneof![
        Just(TcpFlags::ACK),
        Just(TcpFlags::ACK | TcpFlags::PSH),
        Just(TcpFlags::SYN),
        Just(TcpFlags::SYN | TcpFlags::ACK),
        Just(TcpFlags::RST),
        Just(TcpFlags::RST | TcpFlags::ACK),
        Just(TcpFlags::FIN | TcpFlags::ACK),
        (0u16..0x200).prop_map(TcpFlags::from_bits_retain),
    ];
    let window = prop_oneof![Just(0u16), Just(65535u16), any::<u16>()];
    (
        anchor(),
        anchor(),
        flags,
        window,
        tcp_options(),
        prop_oneof![Just(0usize), 0usize..3000],
    )
        .prop_map(|(seq, ack, flags, window, options, payload_len)| SegmentSpec {
            seq,
            ack,
            flags,
            window,
            options,
            payload_len,
        })
}

/// One step of a robustness run: a segment arrives, the user calls
/// something, or time passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A forged segment arrives.
    Segment(SegmentSpec),
    /// The user sends this many bytes.
    Send(usize),
    /// The user reads up to this many bytes.
    Recv(usize),
    /// The user closes.
    Close,
    /// The user aborts.
    Abort,
    /// The user calls LISTEN (refused unless CLOSED).
    Listen,
    /// The user calls CONNECT with this ISN (refused unless CLOSED).
    Connect(u32),
    /// Time passes by this many milliseconds; timers run.
    Advance(u64),
}

/// Actions, mostly segments.
///
/// ```
/// use netspec::tcp::{Config, Connection, Instant};
/// use netspec::strategy::tcp::{Action, action};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(steps in proptest::collection::vec(action(), 0..20))| {
///     let mut conn = Connection::new(Config::default(), 80);
///     let mut now = Instant::ZERO;
///     for step in steps {
///         match step {
///             Action::Send(n) => drop(conn.send(&vec![7; n])),
///             Action::Recv(n) => drop(conn.recv(&mut vec![0; n])),
///             Action::Close => conn.close(now),
///             Action::Abort => conn.abort(now),
///             Action::Listen => drop(conn.listen()),
///             Action::Connect(isn) => drop(conn.connect(now, 443, isn)),
///             Action::Advance(ms) => {
///                 now = Instant::from_millis(now.as_millis() + ms);
///                 conn.on_timeout(now);
///             }
///             Action::Segment(_) => {} // see `segment_spec`
///         }
///         prop_assert!(conn.check_invariants().is_ok());
///     }
/// });
/// ```
pub fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        8 => segment_spec().prop_map(Action::Segment),
        2 => (0usize..5000).prop_map(Action::Send),
        2 => (0usize..5000).prop_map(Action::Recv),
        1 => Just(Action::Close),
        1 => Just(Action::Abort),
        1 => Just(Action::Listen),
        1 => any::<u32>().prop_map(Action::Connect),
        3 => prop_oneof![0u64..100, 0u64..200_000].prop_map(Action::Advance),
    ]
}
