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
