//! DNS messages (RFC 1035), zero-copy and hardened (RFC 9267).
//!
//! The Domain Name System maps names to data. A client sends a *query*
//! message, usually over UDP port 53, and a server answers with a
//! *response* message of the same shape (RFC 1035 §4.1):
//!
//! ```text
//!   +---------------------+
//!   |        Header       |  ID, flags, OPCODE, RCODE, four counts
//!   +---------------------+
//!   |       Question      |  the question for the name server
//!   +---------------------+
//!   |        Answer       |  RRs answering the question
//!   +---------------------+
//!   |      Authority      |  RRs pointing toward an authority
//!   +---------------------+
//!   |      Additional     |  RRs holding additional information
//!   +---------------------+
//! ```
//!
//! A resource record (RR) is an owner name, a TYPE, a CLASS, a TTL and
//! RDLENGTH bytes of RDATA whose layout depends on the TYPE. Names may be
//! *compressed*: a 2-byte pointer replaces a suffix that appeared earlier
//! in the message ([`name`]).
//!
//! ## What this module gives
//!
//! * [`DnsMessage`]: a view that borrows the bytes. [`DnsMessage::parse`]
//!   validates everything once (strict); [`DnsMessage::parse_lenient`]
//!   reports problems in a fixed-size [`Issues`] list and goes on where
//!   that is safe. Iterators over [`Question`]s and [`Record`]s then cost
//!   little and never fail.
//! * [`Name`]: labels, case-insensitive comparison, text rendering into a
//!   `fmt::Write` or a byte buffer, never allocating.
//! * [`RData`]: typed A, AAAA, NS, CNAME, PTR, MX, TXT, SOA, SRV, CAA, OPT
//!   (EDNS0) and SVCB/HTTPS; every other type raw.
//! * [`MessageBuilder`]: writes a message into `&mut [u8]`, with optional
//!   bounded-cost name compression.
//! * [`tcp`]: the 2-byte length framing of DNS over TCP (RFC 1035 §4.2.2),
//!   including a message split across segments.
//! * `OwnedMessage` (feature `alloc`): an owned copy for convenience.
//! * [`tshark`]: the message's fields as Wireshark names and prints them,
//!   for differential tests.
//!
//! ## Hardening
//!
//! Every RFC 9267 anti-pattern is an error, not a crash or a hang: pointer
//! loops, forward pointers, pointers past the end, reserved label types,
//! labels over 63 octets, names over 255 octets counted across pointers,
//! RDATA shorter or longer than its type, RDLENGTH past the end, counts the
//! data does not hold. Name walks are iterative and bounded by
//! [`MAX_POINTER_HOPS`]. Message-level rules are checked too: at most one
//! OPT record, owned by the root, in the additional section (RFC 6891
//! §6.1.1), and at most one question in a QUERY (RFC 9619).
//!
//! ## Example
//!
//! Build a response, parse it back, and render its names without
//! allocating (with feature `alloc`, `Name::push_text` appends the same
//! text to a reused `String`, and `Display` writes it too):
//!
//! ```
//! use netspec::app::dns::*;
//! use core::net::Ipv4Addr;
//!
//! let mut buf = [0u8; 512];
//! let mut table = CompressionTable::new();
//! let mut b = MessageBuilder::new(&mut buf, 7, DnsFlags::QR | DnsFlags::RD)?.compression(&mut table);
//! b.question("example.com", RrType::A, RrClass::IN)?;
//! let addr = RData::A(Ipv4Addr::new(192, 0, 2, 1));
//! b.record(Section::Answer, "example.com", RrClass::IN, 300, &addr)?;
//! let n = b.finish();
//! assert_eq!(n, 45); // the owner name became a 2-byte pointer
//!
//! let m = DnsMessage::parse(&buf[..n])?;
//! let mut text = [0u8; MAX_NAME_TEXT_LEN];
//! for rr in m.answers() {
//!     let len = rr.name().write_text_bytes(&mut text)?;
//!     assert_eq!(&text[..len], b"example.com.");
//!     assert_eq!(rr.rdata(), addr);
//! }
//! # Ok::<(), netspec::Error>(())
//! ```

pub mod builder;
mod header;
pub mod message;
pub mod name;
#[cfg(feature = "alloc")]
pub mod owned;
pub mod rdata;
pub mod tcp;
mod text;
pub mod tshark;
pub mod types;

pub use builder::{COMPRESSION_ENTRIES, CompressionTable, MessageBuilder, NameRef, RdataWriter};
pub use header::DnsHeader;
pub use message::{
    DnsMessage, HEADER_LEN, Issues, MAX_ISSUES, MAX_MESSAGE_LEN, Question, Questions, Record, Records, Section,
};
pub use name::{Labels, MAX_LABEL_LEN, MAX_NAME_LEN, MAX_NAME_TEXT_LEN, MAX_POINTER_HOPS, Name};
#[cfg(feature = "alloc")]
pub use owned::{OwnedMessage, OwnedName, OwnedQuestion, OwnedRData, OwnedRecord};
pub use rdata::{Caa, CharacterStrings, EdnsOption, EdnsOptions, Opt, RData, Soa, Srv, SvcParam, SvcParams, Svcb, Txt};
pub use types::{DnsFlags, EdnsOptionCode, Opcode, Rcode, RrClass, RrType, SvcParamKey};
