//! Errors shared by every layer.
//!
//! Every parser and serializer in netspec reports failure with one [`Error`]
//! value that says *where* it happened and *what* was wrong:
//!
//! * the [`Layer`] (protocol) whose parser or emitter stopped,
//! * the header `field` it was reading or checking,
//! * the byte `offset` of that field, counted from the start of the buffer
//!   handed to that layer's parser,
//! * the [`ErrorKind`], with what was needed and what was found.
//!
//! Its `Display` form reads as one sentence, for example
//! `ipv4: total_length 1500 exceeds the 60 bytes available at offset 2`.
//!
//! [`Error`] is `Copy` and allocation-free, so it works without `std` or
//! `alloc`.

use core::fmt;

/// The protocol layer an [`Error`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Layer {
    /// Ethernet II / IEEE 802.3 framing (IEEE 802.3 §3).
    Ethernet,
    /// IEEE 802.1Q / 802.1ad VLAN tags.
    Vlan,
    /// IEEE 802.2 LLC header of an 802.3 length frame.
    Llc,
    /// ARP (RFC 826).
    Arp,
    /// IPv4 (RFC 791).
    Ipv4,
    /// IPv6 fixed header (RFC 8200 §3).
    Ipv6,
    /// An IPv6 extension header (RFC 8200 §4).
    Ipv6Ext,
    /// ICMP for IPv4 (RFC 792).
    Icmpv4,
    /// ICMP for IPv6 (RFC 4443), including NDP (RFC 4861) and MLD.
    Icmpv6,
    /// TCP (RFC 9293).
    Tcp,
    /// UDP (RFC 768).
    Udp,
    /// DNS messages (RFC 1035).
    Dns,
}

impl Layer {
    /// The lower-case name used in error messages and in `dissect` output.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::Ethernet => "ethernet",
            Layer::Vlan => "vlan",
            Layer::Llc => "llc",
            Layer::Arp => "arp",
            Layer::Ipv4 => "ipv4",
            Layer::Ipv6 => "ipv6",
            Layer::Ipv6Ext => "ipv6-ext",
            Layer::Icmpv4 => "icmpv4",
            Layer::Icmpv6 => "icmpv6",
            Layer::Tcp => "tcp",
            Layer::Udp => "udp",
            Layer::Dns => "dns",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What was wrong, with the figures that show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended inside the field: `needed` bytes were required from
    /// the field's offset, only `available` were there.
    #[error("needs {needed} bytes but only {available} are available")]
    Truncated {
        /// Bytes the field needs, counted from its offset.
        needed: usize,
        /// Bytes present from that offset to the end of the input.
        available: usize,
    },
    /// A length field claims more bytes than the input holds.
    #[error("{value} exceeds the {available} bytes available")]
    LengthExceeds {
        /// The length the field claims.
        value: usize,
        /// The bytes actually there.
        available: usize,
    },
    /// A length field is smaller than the structure it describes allows.
    #[error("{value} is below the minimum of {min}")]
    LengthTooSmall {
        /// The length the field claims.
        value: usize,
        /// The least valid value.
        min: usize,
    },
    /// A field holds a value the protocol forbids.
    #[error("{value} is invalid: expected {expected}")]
    Invalid {
        /// The value found (widened).
        value: u64,
        /// What the specification allows, in words.
        expected: &'static str,
    },
    /// A serializer was given an output buffer that is too small.
    #[error("needs an output buffer of {needed} bytes but got {available}")]
    BufferTooSmall {
        /// Bytes the emitter must write.
        needed: usize,
        /// Size of the caller's buffer.
        available: usize,
    },
    /// A bound that netspec documents (nesting depth, option count,
    /// pointer hops) was reached; `limit` is that bound.
    #[error("exceeds the limit of {limit}")]
    LimitExceeded {
        /// The documented bound.
        limit: usize,
    },
}

/// A parse or serialize failure: layer, field, byte offset and what was
/// needed versus found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{layer}: {field} {kind} at offset {offset}")]
pub struct Error {
    /// The protocol whose parser or emitter failed.
    pub layer: Layer,
    /// The header field being read or checked (snake_case, as in the docs).
    pub field: &'static str,
    /// Byte offset of that field from the start of the layer's input.
    pub offset: usize,
    /// What was wrong.
    pub kind: ErrorKind,
}

impl Error {
    /// A general constructor.
    pub const fn new(layer: Layer, field: &'static str, offset: usize, kind: ErrorKind) -> Self {
        Error {
            layer,
            field,
            offset,
            kind,
        }
    }

    // The constructors below are `#[cold]` and out of line: every call is on
    // an error path, so the parsers' happy paths stay small enough to
    // inline into their callers and branch predictors favour success.

    /// The input ended inside `field`.
    #[cold]
    #[inline(never)]
    pub const fn truncated(layer: Layer, field: &'static str, offset: usize, needed: usize, available: usize) -> Self {
        Self::new(layer, field, offset, ErrorKind::Truncated { needed, available })
    }

    /// A length field claims more than is there.
    #[cold]
    #[inline(never)]
    pub const fn length_exceeds(
        layer: Layer,
        field: &'static str,
        offset: usize,
        value: usize,
        available: usize,
    ) -> Self {
        Self::new(layer, field, offset, ErrorKind::LengthExceeds { value, available })
    }

    /// A length field is below its minimum.
    #[cold]
    #[inline(never)]
    pub const fn length_too_small(layer: Layer, field: &'static str, offset: usize, value: usize, min: usize) -> Self {
        Self::new(layer, field, offset, ErrorKind::LengthTooSmall { value, min })
    }

    /// A field holds a forbidden value.
    #[cold]
    #[inline(never)]
    pub const fn invalid(layer: Layer, field: &'static str, offset: usize, value: u64, expected: &'static str) -> Self {
        Self::new(layer, field, offset, ErrorKind::Invalid { value, expected })
    }

    /// The caller's output buffer is too small.
    #[cold]
    #[inline(never)]
    pub const fn buffer_too_small(layer: Layer, needed: usize, available: usize) -> Self {
        Self::new(layer, "buffer", 0, ErrorKind::BufferTooSmall { needed, available })
    }

    /// A documented bound was exceeded.
    #[cold]
    #[inline(never)]
    pub const fn limit_exceeded(layer: Layer, field: &'static str, offset: usize, limit: usize) -> Self {
        Self::new(layer, field, offset, ErrorKind::LimitExceeded { limit })
    }

    /// The same error with its offset moved by `base`: used when an inner
    /// layer's error is reported relative to an outer buffer.
    #[must_use]
    pub const fn at_base(mut self, base: usize) -> Self {
        self.offset = self.offset.saturating_add(base);
        self
    }
}

/// `Result` with netspec's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "alloc")]
    #[test]
    fn message_reads_as_a_sentence() {
        extern crate alloc;
        use alloc::string::ToString;
        let e = Error::length_exceeds(Layer::Ipv4, "total_length", 2, 1500, 60);
        assert_eq!(
            e.to_string(),
            "ipv4: total_length 1500 exceeds the 60 bytes available at offset 2"
        );
        let e = Error::truncated(Layer::Tcp, "header", 0, 20, 7);
        assert_eq!(
            e.to_string(),
            "tcp: header needs 20 bytes but only 7 are available at offset 0"
        );
    }

    #[test]
    fn at_base_saturates() {
        let e = Error::truncated(Layer::Udp, "header", usize::MAX - 1, 8, 0).at_base(10);
        assert_eq!(e.offset, usize::MAX);
    }
}
