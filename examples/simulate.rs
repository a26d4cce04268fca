//! Transfer N bytes each way between two netspec TCP connections over a
//! simulated lossy network, close both sides, and print one JSON line.
//!
//! ```text
//! cargo run --release --example simulate -- --bytes 10000000 --loss 0.05 \
//!     --dup 0.01 --reorder 0.05 --corrupt 0.01 --delay-ms 10 --seed 1
//! ```
//!
//! Probabilities are fractions (0.05 = 5%); a value above 1 is read as a
//! percentage (5 = 5%).

use std::time::{Duration, Instant};

use netspec::sim::{BulkTransfer, LinkConfig, Rng};
use netspec::tcp::Config;

fn usage() -> ! {
    eprintln!(
        "usage: simulate [--bytes N] [--loss P] [--dup P] [--reorder P] [--corrupt P] \
         [--delay-ms D] [--jitter-ms J] [--seed S] [--no-sack-ts]"
    );
    std::process::exit(2)
}

fn prob(v: &str) -> f64 {
    let p: f64 = v.parse().unwrap_or_else(|_| usage());
    let p = if p > 1.0 { p / 100.0 } else { p };
    if !(0.0..=1.0).contains(&p) {
        usage()
    }
    p
}

fn main() {
    let mut bytes = 1_000_000usize;
    let mut link = LinkConfig::default();
    let mut seed = 1u64;
    let mut plain = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag == "--no-sack-ts" {
            plain = true;
            i += 1;
            continue;
        }
        let Some(v) = args.get(i + 1) else { usage() };
        match flag {
            "--bytes" => bytes = v.parse().unwrap_or_else(|_| usage()),
            "--loss" => link.loss = prob(v),
            "--dup" => link.dup = prob(v),
            "--reorder" => link.reorder = prob(v),
            "--corrupt" => link.corrupt = prob(v),
            "--delay-ms" => {
                link.delay = Duration::from_millis(v.parse().unwrap_or_else(|_| usage()));
                link.reorder_delay = link.delay.saturating_mul(2);
            }
            "--jitter-ms" => link.jitter = Duration::from_millis(v.parse().unwrap_or_else(|_| usage())),
            "--seed" => seed = v.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
        i += 2;
    }
    let mut rng = Rng::new(seed ^ 0x5eed);
    let mut data = |n: usize| -> Vec<u8> { (0..n).map(|_| rng.next_u64() as u8).collect() };
    let (up, down) = (data(bytes), data(bytes));
    let mut t = BulkTransfer::new(seed, link, up, down);
    let mut cfg = Config {
        r2: 30,
        syn_r2: 30,
        connect_timeout: None,
        ..Config::default()
    };
    if plain {
        cfg.sack = false;
        cfg.timestamps = false;
    }
    t.client = cfg.clone();
    t.server = cfg;
    let wall = Instant::now();
    let r = t.run();
    let wall_ms = wall.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{{\"delivered_ok\":{},\"bytes\":{},\"segments_sent\":{},\"retransmissions\":{},\
         \"final_states\":[\"{}\",\"{}\"],\"sim_time_ms\":{},\"wall_time_ms\":{:.1},\
         \"window_violations\":{},\"timeouts\":{},\"fast_retransmits\":{},\"loss\":{},\"dup\":{},\"reorder\":{},\"corrupt\":{},\"delay_ms\":{},\"seed\":{}}}",
        r.delivered_ok,
        bytes,
        r.segments_sent,
        r.retransmissions,
        r.final_states.0,
        r.final_states.1,
        r.sim_time.as_millis(),
        wall_ms,
        r.window_violations,
        r.timeouts,
        r.fast_retransmits,
        link.loss,
        link.dup,
        link.reorder,
        link.corrupt,
        link.delay.as_millis(),
        seed
    );
}
