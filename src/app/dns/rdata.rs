//! Typed RDATA (RFC 1035 §3.3, §3.4; RFC 3596; RFC 2782; RFC 8659;
//! RFC 6891; RFC 9460).
//!
//! Every RDATA is parsed inside exactly RDLENGTH bytes: a fixed-size type
//! must have exactly its size, a type made of fields must use every byte,
//! and a name inside RDATA may not run past it (its pointers may lead
//! anywhere earlier in the message). Types netspec does not model stay raw
//! ([`RData::Unknown`]), as RFC 3597 asks.

use core::net::{Ipv4Addr, Ipv6Addr};

use super::name::{self, Name, Validated};
use super::types::{EdnsOptionCode, RrType, SvcParamKey};
use crate::error::{Error, Layer, Result};
use crate::parse::{get_u16, get_u32};

/// The RDATA of one record, typed where netspec knows the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RData<'a> {
    /// A: an IPv4 address, exactly 4 bytes (RFC 1035 §3.4.1).
    A(Ipv4Addr),
    /// AAAA: an IPv6 address, exactly 16 bytes (RFC 3596 §2.2).
    Aaaa(Ipv6Addr),
    /// NS: a name server (RFC 1035 §3.3.11).
    Ns(Name<'a>),
    /// CNAME: the canonical name (RFC 1035 §3.3.1).
    Cname(Name<'a>),
    /// PTR: a pointer to another name (RFC 1035 §3.3.12).
    Ptr(Name<'a>),
    /// MX: preference and exchange (RFC 1035 §3.3.9).
    Mx {
        /// Lower is preferred.
        preference: u16,
        /// The mail exchanger.
        exchange: Name<'a>,
    },
    /// TXT: one or more character-strings (RFC 1035 §3.3.14).
    Txt(Txt<'a>),
    /// SOA: start of a zone of authority (RFC 1035 §3.3.13).
    Soa(Soa<'a>),
    /// SRV: service location (RFC 2782).
    Srv(Srv<'a>),
    /// CAA: certification authority authorization (RFC 8659 §4.1).
    Caa(Caa<'a>),
    /// OPT: the EDNS(0) pseudo-record (RFC 6891 §6.1); its fixed fields
    /// come from the record's CLASS and TTL.
    Opt(Opt<'a>),
    /// SVCB: service binding (RFC 9460 §2.2).
    Svcb(Svcb<'a>),
    /// HTTPS: service binding for HTTPS (RFC 9460 §9); same layout as SVCB.
    Https(Svcb<'a>),
    /// Any other type, kept as raw bytes (RFC 3597 §5).
    Unknown {
        /// The record TYPE.
        rtype: RrType,
        /// The RDATA bytes.
        data: &'a [u8],
    },
}

/// TXT RDATA: a sequence of `<character-string>`s, each a length octet
/// and that many bytes (RFC 1035 §3.3, §3.3.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Txt<'a> {
    data: &'a [u8],
}

impl<'a> Txt<'a> {
    /// Validate TXT RDATA: at least one string, and the strings fill it
    /// exactly.
    pub fn parse(data: &'a [u8], base: usize) -> Result<Self> {
        if data.is_empty() {
            return Err(Error::length_too_small(Layer::Dns, "txt", base, 0, 1));
        }
        let mut at = 0;
        while at < data.len() {
            let n = usize::from(data[at]);
            if at + 1 + n > data.len() {
                return Err(Error::length_exceeds(
                    Layer::Dns,
                    "txt",
                    base + at,
                    n,
                    data.len() - at - 1,
                ));
            }
            at += 1 + n;
        }
        Ok(Txt { data })
    }

    /// The raw RDATA.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// The character-strings, in order.
    pub fn strings(&self) -> CharacterStrings<'a> {
        CharacterStrings { data: self.data }
    }
}

/// Iterator over `<character-string>`s (RFC 1035 §3.3).
#[derive(Debug, Clone)]
pub struct CharacterStrings<'a> {
    data: &'a [u8],
}

impl<'a> Iterator for CharacterStrings<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let (&n, rest) = self.data.split_first()?;
        let s = rest.get(..usize::from(n))?;
        self.data = &rest[s.len()..];
        Some(s)
    }
}

/// SOA RDATA (RFC 1035 §3.3.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Soa<'a> {
    /// The primary name server.
    pub mname: Name<'a>,
    /// The mailbox of the person responsible.
    pub rname: Name<'a>,
    /// The zone's serial number.
    pub serial: u32,
    /// Seconds before a secondary refreshes.
    pub refresh: u32,
    /// Seconds before a failed refresh is retried.
    pub retry: u32,
    /// Seconds after which an unrefreshed zone expires.
    pub expire: u32,
    /// The negative-caching TTL (RFC 2308 §4).
    pub minimum: u32,
}

/// SRV RDATA (RFC 2782).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Srv<'a> {
    /// Lower is tried first.
    pub priority: u16,
    /// Relative weight among equal priorities.
    pub weight: u16,
    /// The service's port.
    pub port: u16,
    /// The host providing the service.
    pub target: Name<'a>,
}

/// CAA RDATA: flags, a tag of 1 to 15 ASCII alphanumerics, and the value
/// (RFC 8659 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caa<'a> {
    /// Flags; bit 0 (0x80) is Issuer Critical.
    pub flags: u8,
    /// The property tag, e.g. `issue`.
    pub tag: &'a [u8],
    /// The property value.
    pub value: &'a [u8],
}

/// The EDNS(0) OPT pseudo-record (RFC 6891 §6.1.2, §6.1.3):
///
/// ```text
///   CLASS = requestor's UDP payload size
///   TTL   = +0: EXTENDED-RCODE (upper 8 bits) +1: VERSION +2: DO|Z (16 bits)
///   RDATA = { OPTION-CODE (2) | OPTION-LENGTH (2) | OPTION-DATA } ...
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt<'a> {
    /// The largest UDP payload the sender can reassemble.
    pub udp_payload_size: u16,
    /// The upper 8 bits of the 12-bit RCODE.
    pub ext_rcode: u8,
    /// The EDNS version (0).
    pub version: u8,
    /// The 16 flag bits: DO (0x8000, RFC 3225) then Z.
    pub flags: u16,
    options: &'a [u8],
}

impl<'a> Opt<'a> {
    /// The DO bit: the sender accepts DNSSEC records (RFC 3225 §3).
    pub const DO: u16 = 0x8000;

    /// Build from the record's CLASS and TTL fields and validate the
    /// option list in `rdata` (each option must fit, RFC 6891 §6.1.2).
    pub fn parse(class: u16, ttl: u32, rdata: &'a [u8], base: usize) -> Result<Self> {
        let mut at = 0;
        while at < rdata.len() {
            if at + 4 > rdata.len() {
                return Err(Error::truncated(
                    Layer::Dns,
                    "edns_option",
                    base + at,
                    4,
                    rdata.len() - at,
                ));
            }
            let len = usize::from(get_u16(rdata, at + 2));
            if at + 4 + len > rdata.len() {
                return Err(Error::length_exceeds(
                    Layer::Dns,
                    "edns_option_length",
                    base + at + 2,
                    len,
                    rdata.len() - at - 4,
                ));
            }
            at += 4 + len;
        }
        Ok(Opt {
            udp_payload_size: class,
            ext_rcode: (ttl >> 24) as u8,
            version: (ttl >> 16) as u8,
            flags: ttl as u16,
            options: rdata,
        })
    }

    /// The DO bit (RFC 3225 §3).
    pub const fn dnssec_ok(&self) -> bool {
        self.flags & Self::DO != 0
    }

    /// The option list as raw bytes.
    pub const fn options_bytes(&self) -> &'a [u8] {
        self.options
    }

    /// The options, in wire order.
    pub fn options(&self) -> EdnsOptions<'a> {
        EdnsOptions { data: self.options }
    }
}

/// One EDNS option (RFC 6891 §6.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdnsOption<'a> {
    /// OPTION-CODE.
    pub code: EdnsOptionCode,
    /// OPTION-DATA (its length is OPTION-LENGTH).
    pub data: &'a [u8],
}

/// Iterator over EDNS options (RFC 6891 §6.1.2).
#[derive(Debug, Clone)]
pub struct EdnsOptions<'a> {
    data: &'a [u8],
}

impl<'a> Iterator for EdnsOptions<'a> {
    type Item = EdnsOption<'a>;
    fn next(&mut self) -> Option<EdnsOption<'a>> {
        let code = self.data.get(..4)?;
        let len = usize::from(u16::from_be_bytes([code[2], code[3]]));
        let data = self.data.get(4..4 + len)?;
        let code = EdnsOptionCode(u16::from_be_bytes([code[0], code[1]]));
        self.data = &self.data[4 + len..];
        Some(EdnsOption { code, data })
    }
}

/// SVCB and HTTPS RDATA (RFC 9460 §2.2):
///
/// ```text
///   SvcPriority (2) | TargetName (uncompressed) | SvcParams
///   SvcParam = SvcParamKey (2) | SvcParamValue length (2) | value
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Svcb<'a> {
    /// 0 for AliasMode, otherwise ServiceMode priority (RFC 9460 §2.4.1).
    pub priority: u16,
    /// The target name (RFC 9460 §2.5).
    pub target: Name<'a>,
    params: &'a [u8],
}

impl<'a> Svcb<'a> {
    /// The SvcParams as raw bytes.
    pub const fn params_bytes(&self) -> &'a [u8] {
        self.params
    }

    /// The SvcParams in wire order (which RFC 9460 §2.2 requires to be
    /// strictly increasing by key; [`RData::parse`] checks it).
    pub fn params(&self) -> SvcParams<'a> {
        SvcParams { data: self.params }
    }
}

/// One SvcParam (RFC 9460 §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SvcParam<'a> {
    /// SvcParamKey.
    pub key: SvcParamKey,
    /// SvcParamValue in wire format.
    pub value: &'a [u8],
}

/// Iterator over SvcParams (RFC 9460 §2.2).
#[derive(Debug, Clone)]
pub struct SvcParams<'a> {
    data: &'a [u8],
}

impl<'a> Iterator for SvcParams<'a> {
    type Item = SvcParam<'a>;
    fn next(&mut self) -> Option<SvcParam<'a>> {
        let h = self.data.get(..4)?;
        let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
        let key = SvcParamKey(u16::from_be_bytes([h[0], h[1]]));
        let value = self.data.get(4..4 + len)?;
        self.data = &self.data[4 + len..];
        Some(SvcParam { key, value })
    }
}

impl<'a> SvcParam<'a> {
    /// The `port` value (RFC 9460 §7.2), if this is that key.
    pub fn port(&self) -> Option<u16> {
        match (self.key, self.value) {
            (SvcParamKey::PORT, &[a, b]) => Some(u16::from_be_bytes([a, b])),
            _ => None,
        }
    }

    /// The `alpn` protocol ids (RFC 9460 §7.1), if this is that key.
    pub fn alpn_ids(&self) -> Option<CharacterStrings<'a>> {
        (self.key == SvcParamKey::ALPN).then_some(CharacterStrings { data: self.value })
    }

    /// The `mandatory` keys (RFC 9460 §8), if this is that key.
    pub fn mandatory_keys(&self) -> Option<impl Iterator<Item = SvcParamKey> + 'a> {
        (self.key == SvcParamKey::MANDATORY).then(|| {
            self.value
                .chunks_exact(2)
                .map(|c| SvcParamKey(u16::from_be_bytes([c[0], c[1]])))
        })
    }

    /// The `ipv4hint` addresses (RFC 9460 §7.3), if this is that key.
    pub fn ipv4_hints(&self) -> Option<impl Iterator<Item = Ipv4Addr> + 'a> {
        (self.key == SvcParamKey::IPV4HINT).then(|| {
            self.value
                .chunks_exact(4)
                .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]))
        })
    }

    /// The `ipv6hint` addresses (RFC 9460 §7.3), if this is that key.
    pub fn ipv6_hints(&self) -> Option<impl Iterator<Item = Ipv6Addr> + 'a> {
        (self.key == SvcParamKey::IPV6HINT).then(|| {
            self.value.chunks_exact(16).map(|c| {
                let mut o = [0u8; 16];
                o.copy_from_slice(c);
                Ipv6Addr::from(o)
            })
        })
    }
}

/// Check the value of a key RFC 9460 defines a format for (§7, §8): a
/// malformed value makes the whole RR malformed (RFC 9460 §2.2).
fn validate_svc_value(key: u16, v: &[u8], at: usize) -> Result<()> {
    let ok = match SvcParamKey(key) {
        SvcParamKey::MANDATORY => !v.is_empty() && v.len() % 2 == 0,
        SvcParamKey::ALPN => !v.is_empty() && Txt::parse(v, at).is_ok(),
        SvcParamKey::NO_DEFAULT_ALPN => v.is_empty(),
        SvcParamKey::PORT => v.len() == 2,
        SvcParamKey::IPV4HINT => !v.is_empty() && v.len() % 4 == 0,
        SvcParamKey::IPV6HINT => !v.is_empty() && v.len() % 16 == 0,
        // The reserved "invalid key" (RFC 9460 §14.3.2).
        SvcParamKey(65535) => false,
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            Layer::Dns,
            "svc_param_value",
            at,
            v.len() as u64,
            "a value in the format RFC 9460 defines for its key",
        ))
    }
}

fn validate_svc_params(p: &[u8], base: usize) -> Result<()> {
    let mut at = 0;
    let mut last: Option<u16> = None;
    while at < p.len() {
        if at + 4 > p.len() {
            return Err(Error::truncated(Layer::Dns, "svc_param", base + at, 4, p.len() - at));
        }
        let key = get_u16(p, at);
        if last.is_some_and(|k| key <= k) {
            return Err(Error::invalid(
                Layer::Dns,
                "svc_param_key",
                base + at,
                u64::from(key),
                "SvcParamKeys in strictly increasing order",
            ));
        }
        last = Some(key);
        let len = usize::from(get_u16(p, at + 2));
        if at + 4 + len > p.len() {
            return Err(Error::length_exceeds(
                Layer::Dns,
                "svc_param_length",
                base + at + 2,
                len,
                p.len() - at - 4,
            ));
        }
        validate_svc_value(key, &p[at + 4..at + 4 + len], base + at + 4)?;
        at += 4 + len;
    }
    Ok(())
}

/// A name that must end exactly at the end of the RDATA.
/// Read a name inside RDATA. `trusted` means the message was validated
/// before, so only the in-place end is needed (no pointer walk).
fn read_name<'a>(
    msg: &'a [u8],
    at: usize,
    end: usize,
    field: &'static str,
    trusted: bool,
) -> Result<(Name<'a>, usize)> {
    if trusted {
        if let Some((n, after)) = name::skip(msg, at).filter(|&(_, after)| after <= end) {
            return Ok((n, after));
        }
    }
    Name::parse(msg, at, end, field)
}

fn name_to_end<'a>(msg: &'a [u8], at: usize, end: usize, field: &'static str, trusted: bool) -> Result<Name<'a>> {
    let (n, after) = read_name(msg, at, end, field, trusted)?;
    if after != end {
        return Err(Error::length_exceeds(Layer::Dns, "rdlength", at, end - at, after - at));
    }
    Ok(n)
}

/// The checks of [`name_to_end`] (untrusted), with the walk remembering
/// validated names in `seen`.
#[inline(always)]
fn check_name_to_end(msg: &[u8], at: usize, end: usize, field: &'static str, seen: &mut Validated) -> Result<()> {
    let after = name::walk_memo(msg, at, end, field, seen)?.end;
    if after != end {
        return Err(Error::length_exceeds(Layer::Dns, "rdlength", at, end - at, after - at));
    }
    Ok(())
}

fn exact(len: usize, want: usize, at: usize) -> Result<()> {
    if len == want {
        Ok(())
    } else if len < want {
        Err(Error::length_too_small(Layer::Dns, "rdlength", at, len, want))
    } else {
        Err(Error::invalid(
            Layer::Dns,
            "rdlength",
            at,
            len as u64,
            "exactly the size of the record type",
        ))
    }
}

fn at_least(len: usize, want: usize, at: usize) -> Result<()> {
    if len < want {
        Err(Error::length_too_small(Layer::Dns, "rdlength", at, len, want))
    } else {
        Ok(())
    }
}

impl<'a> RData<'a> {
    /// Parse and validate the RDATA of a record whose fixed fields are
    /// `rtype`, `class`, `ttl`, with RDATA at `msg[start..start + len]`
    /// (the caller has checked it lies inside `msg`). Names may point
    /// anywhere earlier in `msg`.
    pub fn parse(msg: &'a [u8], rtype: RrType, class: u16, ttl: u32, start: usize, len: usize) -> Result<Self> {
        Self::parse_in(msg, rtype, class, ttl, start, len, false)
    }

    /// Run exactly the checks of [`RData::parse`] without building the
    /// value: the strict message parse needs only the verdict, and the
    /// typed value of a large enum is not free to return.
    ///
    /// Names are checked with [`name::walk_memo`], which skips a second walk
    /// of a name `seen` already holds and remembers this one.
    pub(crate) fn check(
        msg: &'a [u8],
        rtype: RrType,
        class: u16,
        ttl: u32,
        start: usize,
        len: usize,
        seen: &mut Validated,
    ) -> Result<()> {
        let end = start + len;
        if end > msg.len() {
            return Err(Error::length_exceeds(
                Layer::Dns,
                "rdlength",
                start,
                len,
                msg.len().saturating_sub(start),
            ));
        }
        let rdl = start.saturating_sub(2);
        match rtype {
            RrType::A => exact(len, 4, rdl),
            RrType::AAAA => exact(len, 16, rdl),
            RrType::NS => check_name_to_end(msg, start, end, "ns", seen),
            RrType::CNAME => check_name_to_end(msg, start, end, "cname", seen),
            RrType::PTR => check_name_to_end(msg, start, end, "ptr", seen),
            RrType::OPT => Opt::parse(class, ttl, &msg[start..end], start).map(drop),
            _ => Self::parse_in(msg, rtype, class, ttl, start, len, false).map(drop),
        }
    }

    /// [`RData::parse`] for a record of a message that was validated whole
    /// before: names inside are not walked again.
    pub(crate) fn parse_in(
        msg: &'a [u8],
        rtype: RrType,
        class: u16,
        ttl: u32,
        start: usize,
        len: usize,
        trusted: bool,
    ) -> Result<Self> {
        let end = start + len;
        let data = msg.get(start..end).ok_or_else(|| {
            Error::length_exceeds(Layer::Dns, "rdlength", start, len, msg.len().saturating_sub(start))
        })?;
        // RDLENGTH is two bytes before the RDATA.
        let rdl = start.saturating_sub(2);
        Ok(match rtype {
            RrType::A => {
                exact(len, 4, rdl)?;
                RData::A(Ipv4Addr::new(data[0], data[1], data[2], data[3]))
            }
            RrType::AAAA => {
                exact(len, 16, rdl)?;
                let mut o = [0u8; 16];
                o.copy_from_slice(data);
                RData::Aaaa(Ipv6Addr::from(o))
            }
            RrType::NS => RData::Ns(name_to_end(msg, start, end, "ns", trusted)?),
            RrType::CNAME => RData::Cname(name_to_end(msg, start, end, "cname", trusted)?),
            RrType::PTR => RData::Ptr(name_to_end(msg, start, end, "ptr", trusted)?),
            RrType::MX => {
                at_least(len, 3, rdl)?;
                RData::Mx {
                    preference: get_u16(data, 0),
                    exchange: name_to_end(msg, start + 2, end, "mx_exchange", trusted)?,
                }
            }
            RrType::TXT => RData::Txt(Txt::parse(data, start)?),
            RrType::SOA => {
                let (mname, a) = read_name(msg, start, end, "soa_mname", trusted)?;
                let (rname, b) = read_name(msg, a, end, "soa_rname", trusted)?;
                exact(end - b, 20, b)?;
                RData::Soa(Soa {
                    mname,
                    rname,
                    serial: get_u32(msg, b),
                    refresh: get_u32(msg, b + 4),
                    retry: get_u32(msg, b + 8),
                    expire: get_u32(msg, b + 12),
                    minimum: get_u32(msg, b + 16),
                })
            }
            RrType::SRV => {
                at_least(len, 7, rdl)?;
                RData::Srv(Srv {
                    priority: get_u16(data, 0),
                    weight: get_u16(data, 2),
                    port: get_u16(data, 4),
                    target: name_to_end(msg, start + 6, end, "srv_target", trusted)?,
                })
            }
            RrType::CAA => {
                at_least(len, 2, rdl)?;
                let tag_len = usize::from(data[1]);
                if tag_len == 0 || tag_len > 15 {
                    return Err(Error::invalid(
                        Layer::Dns,
                        "caa_tag_length",
                        start + 1,
                        tag_len as u64,
                        "a tag of 1 to 15 octets",
                    ));
                }
                if 2 + tag_len > len {
                    return Err(Error::length_exceeds(
                        Layer::Dns,
                        "caa_tag_length",
                        start + 1,
                        tag_len,
                        len - 2,
                    ));
                }
                RData::Caa(Caa {
                    flags: data[0],
                    tag: &data[2..2 + tag_len],
                    value: &data[2 + tag_len..],
                })
            }
            RrType::OPT => RData::Opt(Opt::parse(class, ttl, data, start)?),
            RrType::SVCB | RrType::HTTPS => {
                at_least(len, 3, rdl)?;
                let (target, after) = read_name(msg, start + 2, end, "svcb_target", trusted)?;
                validate_svc_params(&msg[after..end], after)?;
                let s = Svcb {
                    priority: get_u16(data, 0),
                    target,
                    params: &msg[after..end],
                };
                if rtype == RrType::SVCB {
                    RData::Svcb(s)
                } else {
                    RData::Https(s)
                }
            }
            _ => RData::Unknown { rtype, data },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_must_be_exactly_four() {
        let msg = [0, 4, 1, 2, 3, 4, 5];
        assert!(RData::parse(&msg, RrType::A, 1, 0, 2, 4).is_ok());
        assert!(RData::parse(&msg, RrType::A, 1, 0, 2, 3).is_err());
        assert!(RData::parse(&msg, RrType::A, 1, 0, 2, 5).is_err());
        assert!(RData::parse(&msg, RrType::A, 1, 0, 2, 6).is_err());
    }

    #[test]
    fn txt_strings_fill_rdata() {
        let t = Txt::parse(b"\x02hi\x00\x03abc", 0).unwrap();
        let v: [&[u8]; 3] = [b"hi", b"", b"abc"];
        assert!(t.strings().eq(v.iter().copied()));
        assert!(Txt::parse(b"\x05hi", 0).is_err());
    }

    #[test]
    fn opt_options_are_bounds_checked() {
        let o = Opt::parse(1232, 0x0000_8000, b"\x00\x0a\x00\x02ab", 0).unwrap();
        assert!(o.dnssec_ok());
        assert_eq!(o.options().count(), 1);
        assert!(Opt::parse(1232, 0, b"\x00\x0a\x00\x03ab", 0).is_err());
        assert!(Opt::parse(1232, 0, b"\x00\x0a\x00", 0).is_err());
    }

    #[test]
    fn svcb_keys_increase() {
        // priority 1, target root, key 1 len 0, key 1 len 0.
        let bad = b"\x00\x01\x00\x00\x01\x00\x00\x00\x01\x00\x00";
        assert!(RData::parse(bad, RrType::SVCB, 1, 0, 0, bad.len()).is_err());
        let good = b"\x00\x01\x00\x00\x02\x00\x00\x00\x03\x00\x02\x01\xbb";
        let RData::Svcb(s) = RData::parse(good, RrType::SVCB, 1, 0, 0, good.len()).unwrap() else {
            panic!("not svcb")
        };
        assert_eq!(s.params().count(), 2);
        assert_eq!(s.params().nth(1).unwrap().port(), Some(443));
        // A port of three octets makes the RR malformed.
        let bad = b"\x00\x01\x00\x00\x03\x00\x03\x01\xbb\x00";
        assert!(RData::parse(bad, RrType::HTTPS, 1, 0, 0, bad.len()).is_err());
    }
}
