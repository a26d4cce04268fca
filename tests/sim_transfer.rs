//! Bulk transfers through the simulator, checked end to end.

use core::time::Duration;

use netspec::sim::{BulkTransfer, LinkConfig, Rng};
use netspec::tcp::{Config, State};

fn data(seed: u64, n: usize) -> Vec<u8> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| r.next_u64() as u8).collect()
}

fn robust() -> Config {
    Config {
        r2: 40,
        syn_r2: 40,
        connect_timeout: None,
        ..Config::default()
    }
}

fn run(seed: u64, link: LinkConfig, n: usize) -> netspec::sim::TransferReport {
    let mut t = BulkTransfer::new(seed, link, data(seed, n), data(seed + 1, n));
    t.client = robust();
    t.server = robust();
    t.run()
}

#[test]
fn lossless_transfer() {
    let r = run(1, LinkConfig::default(), 200_000);
    assert!(r.delivered_ok, "{r:?}");
    assert_eq!(r.retransmissions, 0);
    assert_eq!(r.window_violations, 0);
    assert!(r.bad_transitions.is_empty());
    assert!(matches!(r.final_states.0, State::TimeWait | State::Closed));
}

#[test]
fn lossy_transfer() {
    let link = LinkConfig {
        loss: 0.05,
        reorder: 0.05,
        ..LinkConfig::default()
    };
    let r = run(1, link, 300_000);
    assert!(r.delivered_ok, "{r:?}");
    assert_eq!(r.window_violations, 0);
}

#[test]
fn hostile_link() {
    let link = LinkConfig {
        loss: 0.3,
        dup: 0.3,
        reorder: 0.3,
        corrupt: 0.3,
        jitter: Duration::from_millis(5),
        ..LinkConfig::default()
    };
    for seed in 0..4 {
        let r = run(seed, link, 20_000);
        assert!(r.delivered_ok, "{r:?}");
        assert_eq!(r.window_violations, 0);
        assert!(r.invariant_violation.is_none());
    }
}

#[test]
fn same_seed_same_run() {
    let link = LinkConfig {
        loss: 0.1,
        dup: 0.1,
        reorder: 0.1,
        corrupt: 0.1,
        ..LinkConfig::default()
    };
    let a = run(42, link, 30_000);
    let b = run(42, link, 30_000);
    assert_eq!(a, b);
    let c = run(43, link, 30_000);
    assert_ne!(a.net, c.net);
}

#[test]
fn corruption_is_caught_by_checksums() {
    let link = LinkConfig {
        corrupt: 0.2,
        ..LinkConfig::default()
    };
    let r = run(9, link, 50_000);
    assert!(r.delivered_ok);
    assert!(r.net.corrupted > 0);
    assert_eq!(r.net.bad_checksum, r.net.corrupted, "every flipped bit is detected");
}

#[test]
fn many_connections_demultiplexed_by_four_tuple() {
    use core::net::Ipv4Addr;
    use netspec::sim::Sim;
    let mut sim = Sim::new(
        5,
        LinkConfig {
            loss: 0.05,
            ..LinkConfig::default()
        },
    );
    let a = sim.add_host(Ipv4Addr::new(10, 0, 0, 1));
    let c = sim.add_host(Ipv4Addr::new(10, 0, 0, 3));
    let b = sim.add_host(Ipv4Addr::new(10, 0, 0, 2));
    sim.listen(b, robust(), 80);
    // Two clients on host A and one on host C, one on the same port.
    let clients = [
        sim.connect(a, robust(), 1000, Ipv4Addr::new(10, 0, 0, 2), 80),
        sim.connect(a, robust(), 1001, Ipv4Addr::new(10, 0, 0, 2), 80),
        sim.connect(c, robust(), 1000, Ipv4Addr::new(10, 0, 0, 2), 80),
    ];
    let payloads: Vec<Vec<u8>> = (0..3).map(|i| data(100 + i, 20_000)).collect();
    let mut sent = [0usize; 3];
    let mut servers = Vec::new();
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut buf = vec![0u8; 65536];
    for _ in 0..200_000 {
        for (i, &id) in clients.iter().enumerate() {
            if sent[i] < payloads[i].len() {
                if let Ok(n) = sim.conn_mut(id).send(&payloads[i][sent[i]..]) {
                    sent[i] += n;
                }
            }
            sim.flush(id);
        }
        while let Some(id) = sim.accept(b) {
            servers.push(id);
            got.push(Vec::new());
        }
        for (k, &id) in servers.iter().enumerate() {
            while let Ok(n) = sim.conn_mut(id).recv(&mut buf) {
                if n == 0 {
                    break;
                }
                got[k].extend_from_slice(&buf[..n]);
            }
            sim.flush(id);
        }
        if got.len() == 3 && got.iter().all(|g| g.len() == 20_000) {
            break;
        }
        if !sim.step() {
            break;
        }
    }
    assert_eq!(servers.len(), 3);
    // Each server connection got exactly one client's bytes.
    let mut matched: Vec<usize> = got
        .iter()
        .map(|g| payloads.iter().position(|p| p == g).expect("a client's stream"))
        .collect();
    matched.sort();
    assert_eq!(matched, vec![0, 1, 2]);
}

#[test]
fn closed_port_gets_rst_and_blackhole_stays_silent() {
    use core::net::Ipv4Addr;
    use netspec::sim::Sim;
    use netspec::tcp::ConnectionError;
    let mut sim = Sim::new(1, LinkConfig::default());
    let a = sim.add_host(Ipv4Addr::new(10, 0, 0, 1));
    let b = sim.add_host(Ipv4Addr::new(10, 0, 0, 2));
    let c = sim.connect(a, Config::default(), 1000, Ipv4Addr::new(10, 0, 0, 2), 81);
    sim.run_for(Duration::from_secs(1));
    assert_eq!(sim.conn(c).state(), State::Closed);
    assert_eq!(sim.conn(c).error(), Some(ConnectionError::Refused));
    assert_eq!(sim.stats().resets_for_closed, 1);
    sim.set_blackhole(b, true);
    let cfg = Config {
        syn_r2: 2,
        ..Config::default()
    };
    let c = sim.connect(a, cfg, 1001, Ipv4Addr::new(10, 0, 0, 2), 81);
    sim.run_for(Duration::from_secs(30));
    assert_eq!(sim.conn(c).error(), Some(ConnectionError::TimedOut));
    assert_eq!(sim.stats().resets_for_closed, 1);
}
