//! A ready-made scenario: a bulk transfer in both directions, then both
//! sides close, with every check the property tests need.

use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::net::Ipv4Addr;
use core::time::Duration;

use super::{ConnId, LinkConfig, Sim, SimStats, WindowMonitor};
use crate::tcp::diagram::{self, Cause};
use crate::tcp::{Config, ConnectionError, Event, State};

/// Two hosts, a client connecting to a listening server, each sending a
/// payload to the other and closing once it is all queued.
#[derive(Debug, Clone)]
pub struct BulkTransfer {
    /// Simulator seed.
    pub seed: u64,
    /// The link, both directions.
    pub link: LinkConfig,
    /// The client's configuration.
    pub client: Config,
    /// The server's configuration.
    pub server: Config,
    /// Bytes the client sends.
    pub client_data: Vec<u8>,
    /// Bytes the server sends.
    pub server_data: Vec<u8>,
    /// Give up after this much virtual time.
    pub time_limit: Duration,
}

/// What happened in a [`BulkTransfer`].
#[derive(Debug, Clone, PartialEq)]
pub struct TransferReport {
    /// Both streams arrived byte-exact and in order, each followed by
    /// end-of-stream.
    pub delivered_ok: bool,
    /// Bytes received by (client, server).
    pub received: (usize, usize),
    /// Segments sent by both connections.
    pub segments_sent: u64,
    /// Retransmitted segments, both connections.
    pub retransmissions: u64,
    /// Retransmission timeouts, both connections.
    pub timeouts: u64,
    /// Fast retransmits (recovery episodes), both connections.
    pub fast_retransmits: u64,
    /// Final states of (client, server).
    pub final_states: (State, State),
    /// Errors of (client, server).
    pub errors: (Option<ConnectionError>, Option<ConnectionError>),
    /// Virtual time used.
    pub sim_time: Duration,
    /// Data segments beyond the receiver's advertised window.
    pub window_violations: u64,
    /// Transitions seen that are not edges of the RFC 9293 diagram.
    pub bad_transitions: Vec<(State, State, Cause)>,
    /// Every distinct transition seen.
    pub transitions: Vec<(State, State, Cause)>,
    /// The first broken connection invariant, if any.
    pub invariant_violation: Option<&'static str>,
    /// Network counters.
    pub net: SimStats,
}

struct Side {
    id: Option<ConnId>,
    sent: usize,
    received: usize,
    eof: bool,
    closed: bool,
    mismatch: bool,
}

impl BulkTransfer {
    /// A transfer of the given payloads over `link`, default configs.
    pub fn new(seed: u64, link: LinkConfig, client_data: Vec<u8>, server_data: Vec<u8>) -> Self {
        BulkTransfer {
            seed,
            link,
            client: Config::default(),
            server: Config::default(),
            client_data,
            server_data,
            time_limit: Duration::from_secs(24 * 3600),
        }
    }

    /// Run to completion: both sides in CLOSED or TIME-WAIT, nothing left
    /// to do, or the time limit.
    pub fn run(&self) -> TransferReport {
        let mut sim = Sim::new(self.seed, self.link);
        let a = sim.add_host(Ipv4Addr::new(10, 0, 0, 1));
        let b = sim.add_host(Ipv4Addr::new(10, 0, 0, 2));
        let monitor = Rc::new(RefCell::new(WindowMonitor::new()));
        let m = Rc::clone(&monitor);
        sim.set_tap(move |ev| m.borrow_mut().observe(ev.datagram));
        sim.listen(b, self.server.clone(), 80);
        let client = sim.connect(a, self.client.clone(), 40000, sim.host_addr(b), 80);
        let mut sides = [
            Side {
                id: Some(client),
                sent: 0,
                received: 0,
                eof: false,
                closed: false,
                mismatch: false,
            },
            Side {
                id: None,
                sent: 0,
                received: 0,
                eof: false,
                closed: false,
                mismatch: false,
            },
        ];
        let outs = [&self.client_data, &self.server_data];
        let mut buf = vec![0u8; 65536];
        let mut transitions: Vec<(State, State, Cause)> = Vec::new();
        let mut bad = Vec::new();
        let mut invariant = None;
        let limit = sim.now() + self.time_limit;
        loop {
            if sides[1].id.is_none() {
                sides[1].id = sim.accept(b);
            }
            for i in 0..2 {
                let Some(id) = sides[i].id else { continue };
                let out = outs[i];
                let expect = outs[1 - i];
                let s = &mut sides[i];
                let now = sim.now();
                let conn = sim.conn_mut(id);
                while s.sent < out.len() {
                    match conn.send(&out[s.sent..]) {
                        Ok(n) => s.sent += n,
                        Err(_) => break,
                    }
                }
                if s.sent == out.len() && !s.closed && matches!(conn.state(), State::Established | State::CloseWait) {
                    conn.close(now);
                    s.closed = true;
                }
                loop {
                    match conn.recv(&mut buf) {
                        Ok(0) => {
                            s.eof = true;
                            break;
                        }
                        Ok(n) => {
                            let end = s.received + n;
                            if end > expect.len() || buf[..n] != expect[s.received..end] {
                                s.mismatch = true;
                            }
                            s.received = end;
                        }
                        Err(_) => break,
                    }
                }
                while let Some(ev) = conn.poll_event() {
                    if let Event::StateChanged { from, to, cause } = ev {
                        if !diagram::is_edge(from, to, cause) {
                            bad.push((from, to, cause));
                        }
                        if !transitions.contains(&(from, to, cause)) {
                            transitions.push((from, to, cause));
                        }
                    }
                }
                if invariant.is_none() {
                    invariant = conn.check_invariants().err();
                }
                sim.flush(id);
            }
            let finished = |s: &Side| {
                s.id.is_some_and(|id| matches!(sim.conn(id).state(), State::Closed | State::TimeWait))
            };
            if finished(&sides[0]) && finished(&sides[1]) {
                break;
            }
            if sim.now() > limit || !sim.step() {
                break;
            }
        }
        let state = |s: &Side| s.id.map_or(State::Closed, |id| sim.conn(id).state());
        let error = |s: &Side| s.id.and_then(|id| sim.conn(id).error());
        let stat = |s: &Side| s.id.map(|id| sim.conn(id).stats()).unwrap_or_default();
        let (sa, sb) = (stat(&sides[0]), stat(&sides[1]));
        let ok = |s: &Side, expect: &Vec<u8>| !s.mismatch && s.received == expect.len() && s.eof;
        let window_violations = monitor.borrow().violations();
        TransferReport {
            delivered_ok: ok(&sides[0], &self.server_data) && ok(&sides[1], &self.client_data),
            received: (sides[0].received, sides[1].received),
            segments_sent: sa.segments_sent + sb.segments_sent,
            retransmissions: sa.retransmissions + sb.retransmissions,
            timeouts: sa.timeouts + sb.timeouts,
            fast_retransmits: sa.fast_retransmits + sb.fast_retransmits,
            final_states: (state(&sides[0]), state(&sides[1])),
            errors: (error(&sides[0]), error(&sides[1])),
            sim_time: sim.now().saturating_since(crate::tcp::Instant::ZERO),
            window_violations,
            bad_transitions: bad,
            transitions,
            invariant_violation: invariant,
            net: sim.stats(),
        }
    }
}
