//! DNS messages, strict and lenient: every question, record, RDATA and name
//! rendered; the CVE-prone part of the crate.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::app::dns::DnsMessage;
use std::fmt::Write;

fuzz_target!(|data: &[u8]| {
    let mut text = String::new();
    let strict = DnsMessage::parse(data).ok();
    let lenient = DnsMessage::parse_lenient(data).ok().map(|(m, _)| m);
    for msg in [strict, lenient].into_iter().flatten() {
        for q in msg.questions() {
            text.clear();
            let _ = q.name().write_text(&mut text);
        }
        for section in [msg.answers(), msg.authorities(), msg.additionals()] {
            for rr in section {
                text.clear();
                let _ = rr.name().write_text(&mut text);
                let _ = write!(text, "{:?}", rr.try_rdata());
            }
        }
        let _ = msg.opt();
    }
});
