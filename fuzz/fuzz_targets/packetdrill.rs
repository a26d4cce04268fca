//! The packetdrill interpreter: the script parser on any text, and a run of
//! every script that parses against netspec's own stack in virtual time.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::packetdrill(data));
