//! Public proptest strategies (feature `proptest`).
//!
//! Users fuzz and property-test their own network code with these; netspec's
//! own property tests use exactly the same strategies. Each submodule covers
//! one area of the stack and generates values over the whole field space,
//! plus mutated variants (a field or byte changed, truncated, lying lengths,
//! wrong checksums) for testing that code rejects bad input.

pub mod dns;
pub mod ipv4;
pub mod ipv6;
pub mod link;
pub mod mutate;
pub mod packet;
pub mod tcp;
pub mod transport;
