//! Owned DNS messages (feature `alloc`), for building and comparing
//! messages conveniently (RFC 1035 §4.1).
//!
//! [`OwnedMessage`] holds everything a [`DnsMessage`] view shows, with
//! names stored uncompressed. Parsing then emitting gives back the same
//! value: `OwnedMessage::parse(&m.to_vec(c)?)? == m` whether compression
//! `c` is on or off, as long as the message is valid (every record of a
//! typed TYPE uses the typed variant).

use alloc::vec::Vec;
use core::fmt;

use super::builder::{CompressionTable, MessageBuilder};
use super::message::{DnsMessage, MAX_MESSAGE_LEN, Section};
use super::name::{Name, encode_text};
use super::rdata::RData;
use super::types::{DnsFlags, EdnsOptionCode, RrClass, RrType, SvcParamKey};
use crate::error::{Error, Layer, Result};

/// A validated, uncompressed wire-format name (RFC 1035 §3.1).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnedName(Vec<u8>);

impl OwnedName {
    /// The root name.
    pub fn root() -> Self {
        OwnedName(alloc::vec![0])
    }

    /// From master-file text (see [`encode_text`]).
    pub fn from_text(text: &str) -> Result<Self> {
        let mut buf = [0u8; 255];
        let n = encode_text(text, &mut buf)?;
        Ok(OwnedName(buf[..n].to_vec()))
    }

    /// From uncompressed wire bytes; they must be exactly one valid name.
    pub fn from_wire(wire: &[u8]) -> Result<Self> {
        let (_, rest) = Name::from_wire(wire)?;
        if !rest.is_empty() {
            return Err(Error::invalid(
                Layer::Dns,
                "name",
                wire.len() - rest.len(),
                rest.len() as u64,
                "no bytes after the root label",
            ));
        }
        Ok(OwnedName(wire.to_vec()))
    }

    /// A copy of a name view, pointers resolved.
    pub fn from_name(name: &Name<'_>) -> Self {
        let mut v = alloc::vec![0u8; name.wire_len()];
        let n = name.write_wire(&mut v).unwrap_or(0);
        v.truncate(n.max(1));
        OwnedName(v)
    }

    /// The wire bytes.
    pub fn as_wire(&self) -> &[u8] {
        &self.0
    }

    /// A view of this name.
    pub fn as_name(&self) -> Name<'_> {
        // Constructed only from validated bytes.
        Name::from_wire(&self.0).map(|(n, _)| n).unwrap_or(Name::ROOT)
    }
}

impl fmt::Display for OwnedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_name().write_text(f)
    }
}

impl fmt::Debug for OwnedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OwnedName(\"{self}\")")
    }
}

/// An owned question entry (RFC 1035 §4.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedQuestion {
    /// QNAME.
    pub name: OwnedName,
    /// QTYPE.
    pub qtype: RrType,
    /// QCLASS.
    pub qclass: RrClass,
}

/// Owned typed RDATA; the variants mirror [`RData`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedRData {
    /// A (RFC 1035 §3.4.1).
    A(core::net::Ipv4Addr),
    /// AAAA (RFC 3596 §2.2).
    Aaaa(core::net::Ipv6Addr),
    /// NS (RFC 1035 §3.3.11).
    Ns(OwnedName),
    /// CNAME (RFC 1035 §3.3.1).
    Cname(OwnedName),
    /// PTR (RFC 1035 §3.3.12).
    Ptr(OwnedName),
    /// MX (RFC 1035 §3.3.9).
    Mx {
        /// Preference.
        preference: u16,
        /// Exchange.
        exchange: OwnedName,
    },
    /// TXT: one or more character-strings of at most 255 bytes
    /// (RFC 1035 §3.3.14).
    Txt(Vec<Vec<u8>>),
    /// SOA (RFC 1035 §3.3.13): mname, rname, serial, refresh, retry,
    /// expire, minimum.
    Soa {
        /// Primary server.
        mname: OwnedName,
        /// Responsible mailbox.
        rname: OwnedName,
        /// Serial, refresh, retry, expire, minimum.
        times: [u32; 5],
    },
    /// SRV (RFC 2782).
    Srv {
        /// Priority.
        priority: u16,
        /// Weight.
        weight: u16,
        /// Port.
        port: u16,
        /// Target.
        target: OwnedName,
    },
    /// CAA (RFC 8659 §4.1).
    Caa {
        /// Flags.
        flags: u8,
        /// Tag, 1 to 15 octets.
        tag: Vec<u8>,
        /// Value.
        value: Vec<u8>,
    },
    /// OPT options (RFC 6891 §6.1.2); the EDNS fixed fields are the
    /// record's CLASS and TTL.
    Opt(Vec<(EdnsOptionCode, Vec<u8>)>),
    /// SVCB (RFC 9460 §2.2).
    Svcb {
        /// SvcPriority.
        priority: u16,
        /// TargetName.
        target: OwnedName,
        /// SvcParams, keys strictly increasing.
        params: Vec<(SvcParamKey, Vec<u8>)>,
    },
    /// HTTPS (RFC 9460 §9), same fields as SVCB.
    Https {
        /// SvcPriority.
        priority: u16,
        /// TargetName.
        target: OwnedName,
        /// SvcParams, keys strictly increasing.
        params: Vec<(SvcParamKey, Vec<u8>)>,
    },
    /// Any other TYPE, raw (RFC 3597 §5).
    Unknown {
        /// TYPE; must not be one of the typed ones above.
        rtype: RrType,
        /// RDATA.
        data: Vec<u8>,
    },
}

impl OwnedRData {
    /// A copy of a typed RDATA view.
    pub fn from_rdata(r: &RData<'_>) -> Self {
        match *r {
            RData::A(a) => OwnedRData::A(a),
            RData::Aaaa(a) => OwnedRData::Aaaa(a),
            RData::Ns(n) => OwnedRData::Ns(OwnedName::from_name(&n)),
            RData::Cname(n) => OwnedRData::Cname(OwnedName::from_name(&n)),
            RData::Ptr(n) => OwnedRData::Ptr(OwnedName::from_name(&n)),
            RData::Mx { preference, exchange } => OwnedRData::Mx {
                preference,
                exchange: OwnedName::from_name(&exchange),
            },
            RData::Txt(t) => OwnedRData::Txt(t.strings().map(<[u8]>::to_vec).collect()),
            RData::Soa(s) => OwnedRData::Soa {
                mname: OwnedName::from_name(&s.mname),
                rname: OwnedName::from_name(&s.rname),
                times: [s.serial, s.refresh, s.retry, s.expire, s.minimum],
            },
            RData::Srv(s) => OwnedRData::Srv {
                priority: s.priority,
                weight: s.weight,
                port: s.port,
                target: OwnedName::from_name(&s.target),
            },
            RData::Caa(c) => OwnedRData::Caa {
                flags: c.flags,
                tag: c.tag.to_vec(),
                value: c.value.to_vec(),
            },
            RData::Opt(o) => OwnedRData::Opt(o.options().map(|o| (o.code, o.data.to_vec())).collect()),
            RData::Svcb(s) => OwnedRData::Svcb {
                priority: s.priority,
                target: OwnedName::from_name(&s.target),
                params: s.params().map(|p| (p.key, p.value.to_vec())).collect(),
            },
            RData::Https(s) => OwnedRData::Https {
                priority: s.priority,
                target: OwnedName::from_name(&s.target),
                params: s.params().map(|p| (p.key, p.value.to_vec())).collect(),
            },
            RData::Unknown { rtype, data } => OwnedRData::Unknown {
                rtype,
                data: data.to_vec(),
            },
        }
    }

    /// The TYPE of this RDATA.
    pub fn rtype(&self) -> RrType {
        match self {
            OwnedRData::A(_) => RrType::A,
            OwnedRData::Aaaa(_) => RrType::AAAA,
            OwnedRData::Ns(_) => RrType::NS,
            OwnedRData::Cname(_) => RrType::CNAME,
            OwnedRData::Ptr(_) => RrType::PTR,
            OwnedRData::Mx { .. } => RrType::MX,
            OwnedRData::Txt(_) => RrType::TXT,
            OwnedRData::Soa { .. } => RrType::SOA,
            OwnedRData::Srv { .. } => RrType::SRV,
            OwnedRData::Caa { .. } => RrType::CAA,
            OwnedRData::Opt(_) => RrType::OPT,
            OwnedRData::Svcb { .. } => RrType::SVCB,
            OwnedRData::Https { .. } => RrType::HTTPS,
            OwnedRData::Unknown { rtype, .. } => *rtype,
        }
    }

    fn emit(&self, w: &mut super::builder::RdataWriter<'_, '_>) -> Result<()> {
        match self {
            OwnedRData::A(a) => w.bytes(&a.octets()),
            OwnedRData::Aaaa(a) => w.bytes(&a.octets()),
            OwnedRData::Ns(n) | OwnedRData::Cname(n) | OwnedRData::Ptr(n) => w.name(n.as_name(), true),
            OwnedRData::Mx { preference, exchange } => {
                w.u16(*preference)?;
                w.name(exchange.as_name(), true)
            }
            OwnedRData::Txt(strings) => strings.iter().try_for_each(|s| w.character_string(s)),
            OwnedRData::Soa { mname, rname, times } => {
                w.name(mname.as_name(), true)?;
                w.name(rname.as_name(), true)?;
                times.iter().try_for_each(|t| w.u32(*t))
            }
            OwnedRData::Srv {
                priority,
                weight,
                port,
                target,
            } => {
                w.u16(*priority)?;
                w.u16(*weight)?;
                w.u16(*port)?;
                w.name(target.as_name(), false)
            }
            OwnedRData::Caa { flags, tag, value } => {
                if tag.is_empty() || tag.len() > 15 {
                    return Err(Error::invalid(
                        Layer::Dns,
                        "caa_tag_length",
                        0,
                        tag.len() as u64,
                        "a tag of 1 to 15 octets",
                    ));
                }
                w.bytes(&[*flags, tag.len() as u8])?;
                w.bytes(tag)?;
                w.bytes(value)
            }
            OwnedRData::Opt(options) => options.iter().try_for_each(|(code, data)| {
                w.u16(code.0)?;
                w.u16(u16::try_from(data.len()).unwrap_or(u16::MAX))?;
                w.bytes(data)
            }),
            OwnedRData::Svcb {
                priority,
                target,
                params,
            }
            | OwnedRData::Https {
                priority,
                target,
                params,
            } => {
                w.u16(*priority)?;
                w.name(target.as_name(), false)?;
                params.iter().try_for_each(|(key, value)| {
                    w.u16(key.0)?;
                    w.u16(u16::try_from(value.len()).unwrap_or(u16::MAX))?;
                    w.bytes(value)
                })
            }
            OwnedRData::Unknown { data, .. } => w.bytes(data),
        }
    }
}

/// An owned resource record (RFC 1035 §4.1.3). The TYPE comes from the
/// data; for OPT, `class` is the UDP payload size and `ttl` holds the
/// extended RCODE, version and flags (RFC 6891 §6.1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedRecord {
    /// Owner name.
    pub name: OwnedName,
    /// CLASS.
    pub class: RrClass,
    /// TTL.
    pub ttl: u32,
    /// RDATA.
    pub data: OwnedRData,
}

/// An owned DNS message (RFC 1035 §4.1); the header counts are the vector
/// lengths.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnedMessage {
    /// ID.
    pub id: u16,
    /// Flags word, OPCODE and header RCODE included.
    pub flags: DnsFlags,
    /// Question section.
    pub questions: Vec<OwnedQuestion>,
    /// Answer section.
    pub answers: Vec<OwnedRecord>,
    /// Authority section.
    pub authorities: Vec<OwnedRecord>,
    /// Additional section.
    pub additionals: Vec<OwnedRecord>,
}

impl OwnedMessage {
    /// A copy of a message view (every record's [`super::Record::rdata`]).
    pub fn from_view(m: &DnsMessage<'_>) -> Self {
        let records = |s| {
            m.records(s)
                .map(|r| OwnedRecord {
                    name: OwnedName::from_name(&r.name()),
                    class: r.class(),
                    ttl: r.ttl(),
                    data: OwnedRData::from_rdata(&r.rdata()),
                })
                .collect()
        };
        OwnedMessage {
            id: m.id(),
            flags: m.flags(),
            questions: m
                .questions()
                .map(|q| OwnedQuestion {
                    name: OwnedName::from_name(&q.name()),
                    qtype: q.qtype(),
                    qclass: q.qclass(),
                })
                .collect(),
            answers: records(Section::Answer),
            authorities: records(Section::Authority),
            additionals: records(Section::Additional),
        }
    }

    /// Parse strictly ([`DnsMessage::parse`]) and copy.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(Self::from_view(&DnsMessage::parse(buf)?))
    }

    /// Write the message into `buf`, with or without name compression;
    /// returns the length.
    pub fn emit(&self, buf: &mut [u8], compress: bool) -> Result<usize> {
        let mut table = CompressionTable::new();
        let b = MessageBuilder::new(buf, self.id, self.flags)?;
        let mut b = if compress { b.compression(&mut table) } else { b };
        for q in &self.questions {
            b.question(q.name.as_name(), q.qtype, q.qclass)?;
        }
        for (section, list) in [
            (Section::Answer, &self.answers),
            (Section::Authority, &self.authorities),
            (Section::Additional, &self.additionals),
        ] {
            for r in list {
                b.record_with(section, r.name.as_name(), r.data.rtype(), r.class, r.ttl, |w| {
                    r.data.emit(w)
                })?;
            }
        }
        Ok(b.finish())
    }

    /// The wire form in a new vector.
    pub fn to_vec(&self, compress: bool) -> Result<Vec<u8>> {
        let mut v = alloc::vec![0u8; MAX_MESSAGE_LEN];
        let n = self.emit(&mut v, compress)?;
        v.truncate(n);
        Ok(v)
    }
}
