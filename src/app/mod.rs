//! The application layer: protocols carried by TCP and UDP.
//!
//! netspec models one application protocol, DNS ([`dns`]), because every
//! other layer's tests need it and because its name compression is the
//! classic example of hostile-input parsing (RFC 9267).

pub mod dns;
