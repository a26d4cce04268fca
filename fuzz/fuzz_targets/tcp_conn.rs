//! The RFC 9293 state machine: two connections joined by a network the
//! fuzzer drives (deliver, drop, duplicate, reorder), user calls (send,
//! recv, close, shutdown, abort), the clock and timers, and forged
//! segments. Invariants hold after every step, every transmitted segment
//! serialises and parses back, and each application reads exactly a prefix
//! of its peer's stream unless a forgery reached it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::tcp_conn(data));
