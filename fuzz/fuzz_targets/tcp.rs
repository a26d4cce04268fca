//! TCP segments: the options iterator (every option rendered), the typed
//! getters, exact re-emit of the header.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::tcp(data));
