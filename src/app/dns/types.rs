//! DNS numbered fields as open types: header flags, OPCODE, RCODE, TYPE,
//! CLASS, EDNS option codes and SVCB parameter keys (RFC 1035 §3.2, §4.1.1;
//! IANA "Domain Name System (DNS) Parameters").
//!
//! Every value is kept, known or not; the known ones have names.

use core::fmt;

bitflags::bitflags! {
    /// The 16-bit flags word of the header (RFC 1035 §4.1.1, RFC 4035 §3.2
    /// for AD/CD). The OPCODE and RCODE bits are part of the word and are
    /// kept (parse with `from_bits_retain`); read them with
    /// [`DnsFlags::opcode`] and [`DnsFlags::rcode`].
    ///
    /// ```text
    ///     0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    ///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
    ///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub struct DnsFlags: u16 {
        /// QR: this message is a response (RFC 1035 §4.1.1).
        const QR = 0x8000;
        /// AA: authoritative answer (RFC 1035 §4.1.1).
        const AA = 0x0400;
        /// TC: truncated (RFC 1035 §4.1.1).
        const TC = 0x0200;
        /// RD: recursion desired (RFC 1035 §4.1.1).
        const RD = 0x0100;
        /// RA: recursion available (RFC 1035 §4.1.1).
        const RA = 0x0080;
        /// Z: reserved, must be zero (RFC 1035 §4.1.1).
        const Z = 0x0040;
        /// AD: authentic data (RFC 4035 §3.2.3).
        const AD = 0x0020;
        /// CD: checking disabled (RFC 4035 §3.2.2).
        const CD = 0x0010;
    }
}

impl DnsFlags {
    /// The 4-bit OPCODE (RFC 1035 §4.1.1).
    pub const fn opcode(self) -> Opcode {
        Opcode(((self.bits() >> 11) & 0xF) as u8)
    }

    /// The 4-bit header RCODE (RFC 1035 §4.1.1); an OPT record extends it
    /// to 12 bits (RFC 6891 §6.1.3).
    pub const fn rcode(self) -> Rcode {
        Rcode(self.bits() & 0xF)
    }

    /// These flags with the OPCODE replaced (only its low 4 bits are used).
    #[must_use]
    pub const fn with_opcode(self, op: Opcode) -> Self {
        DnsFlags::from_bits_retain((self.bits() & !0x7800) | ((op.0 as u16 & 0xF) << 11))
    }

    /// These flags with the header RCODE replaced (only the low 4 bits of
    /// `rc` are used; the rest belongs in an OPT record).
    #[must_use]
    pub const fn with_rcode(self, rc: Rcode) -> Self {
        DnsFlags::from_bits_retain((self.bits() & !0xF) | (rc.0 & 0xF))
    }
}

macro_rules! open_type {
    (
        $(#[$doc:meta])*
        $name:ident($int:ty) {
            $( $(#[$cdoc:meta])* $konst:ident = $val:expr, $text:expr; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name(pub $int);

        impl $name {
            $( $(#[$cdoc])* pub const $konst: $name = $name($val); )*

            /// The registered mnemonic, if netspec knows this value.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $val => Some($text), )*
                    _ => None,
                }
            }
        }

        impl From<$int> for $name {
            fn from(v: $int) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $int {
            fn from(v: $name) -> $int {
                v.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => write!(f, "{}({})", n, self.0),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}", self.0),
                }
            }
        }
    };
}

open_type! {
    /// The header OPCODE (RFC 1035 §4.1.1; IANA "DNS OpCodes").
    Opcode(u8) {
        /// A standard query (RFC 1035).
        QUERY = 0, "QUERY";
        /// An inverse query, obsolete (RFC 3425).
        IQUERY = 1, "IQUERY";
        /// A server status request (RFC 1035).
        STATUS = 2, "STATUS";
        /// NOTIFY (RFC 1996).
        NOTIFY = 4, "NOTIFY";
        /// UPDATE (RFC 2136).
        UPDATE = 5, "UPDATE";
        /// DNS Stateful Operations (RFC 8490).
        DSO = 6, "DSO";
    }
}

open_type! {
    /// The response code, 4 bits in the header and 12 with an OPT record
    /// (RFC 1035 §4.1.1, RFC 6891 §6.1.3; IANA "DNS RCODEs").
    Rcode(u16) {
        /// No error (RFC 1035).
        NOERROR = 0, "NOERROR";
        /// Format error (RFC 1035).
        FORMERR = 1, "FORMERR";
        /// Server failure (RFC 1035).
        SERVFAIL = 2, "SERVFAIL";
        /// Non-existent domain (RFC 1035).
        NXDOMAIN = 3, "NXDOMAIN";
        /// Not implemented (RFC 1035).
        NOTIMP = 4, "NOTIMP";
        /// Query refused (RFC 1035).
        REFUSED = 5, "REFUSED";
        /// Bad OPT version (RFC 6891).
        BADVERS = 16, "BADVERS";
        /// Bad or missing server cookie (RFC 7873).
        BADCOOKIE = 23, "BADCOOKIE";
    }
}

open_type! {
    /// A resource record TYPE or question QTYPE (RFC 1035 §3.2.2, §3.2.3;
    /// IANA "Resource Record (RR) TYPEs").
    RrType(u16) {
        /// IPv4 host address (RFC 1035 §3.4.1).
        A = 1, "A";
        /// Authoritative name server (RFC 1035 §3.3.11).
        NS = 2, "NS";
        /// Canonical name (RFC 1035 §3.3.1).
        CNAME = 5, "CNAME";
        /// Start of authority (RFC 1035 §3.3.13).
        SOA = 6, "SOA";
        /// Domain name pointer (RFC 1035 §3.3.12).
        PTR = 12, "PTR";
        /// Host information (RFC 1035 §3.3.2).
        HINFO = 13, "HINFO";
        /// Mail exchange (RFC 1035 §3.3.9).
        MX = 15, "MX";
        /// Text strings (RFC 1035 §3.3.14).
        TXT = 16, "TXT";
        /// IPv6 address (RFC 3596 §2.1).
        AAAA = 28, "AAAA";
        /// Service location (RFC 2782).
        SRV = 33, "SRV";
        /// Naming authority pointer (RFC 3403).
        NAPTR = 35, "NAPTR";
        /// EDNS(0) pseudo-record (RFC 6891 §6.1).
        OPT = 41, "OPT";
        /// Delegation signer (RFC 4034 §5).
        DS = 43, "DS";
        /// SSH key fingerprint (RFC 4255).
        SSHFP = 44, "SSHFP";
        /// DNSSEC signature (RFC 4034 §3).
        RRSIG = 46, "RRSIG";
        /// Next secure (RFC 4034 §4).
        NSEC = 47, "NSEC";
        /// DNSSEC public key (RFC 4034 §2).
        DNSKEY = 48, "DNSKEY";
        /// Hashed next secure (RFC 5155).
        NSEC3 = 50, "NSEC3";
        /// NSEC3 parameters (RFC 5155).
        NSEC3PARAM = 51, "NSEC3PARAM";
        /// Service binding (RFC 9460).
        SVCB = 64, "SVCB";
        /// HTTPS service binding (RFC 9460).
        HTTPS = 65, "HTTPS";
        /// Transaction signature (RFC 8945).
        TSIG = 250, "TSIG";
        /// Incremental zone transfer (RFC 1995), QTYPE only.
        IXFR = 251, "IXFR";
        /// Zone transfer (RFC 1035 §3.2.3), QTYPE only.
        AXFR = 252, "AXFR";
        /// All records (RFC 1035 §3.2.3, RFC 8482), QTYPE only.
        ANY = 255, "ANY";
        /// Certification authority authorization (RFC 8659).
        CAA = 257, "CAA";
    }
}

open_type! {
    /// A CLASS or QCLASS (RFC 1035 §3.2.4, §3.2.5). In an OPT record the
    /// field holds the requestor's UDP payload size instead (RFC 6891
    /// §6.1.2).
    RrClass(u16) {
        /// The Internet (RFC 1035).
        IN = 1, "IN";
        /// Chaos (RFC 1035).
        CH = 3, "CH";
        /// Hesiod (RFC 1035).
        HS = 4, "HS";
        /// NONE (RFC 2136 §2.4).
        NONE = 254, "NONE";
        /// Any class (RFC 1035 §3.2.5), QCLASS only.
        ANY = 255, "ANY";
    }
}

open_type! {
    /// An EDNS(0) option code (RFC 6891 §6.1.2; IANA "DNS EDNS0 Option
    /// Codes (OPT)").
    EdnsOptionCode(u16) {
        /// DNS Name Server Identifier (RFC 5001).
        NSID = 3, "NSID";
        /// DNSSEC Algorithm Understood (RFC 6975).
        DAU = 5, "DAU";
        /// DS Hash Understood (RFC 6975).
        DHU = 6, "DHU";
        /// NSEC3 Hash Understood (RFC 6975).
        N3U = 7, "N3U";
        /// Client subnet (RFC 7871).
        CLIENT_SUBNET = 8, "edns-client-subnet";
        /// Expire (RFC 7314).
        EXPIRE = 9, "EDNS EXPIRE";
        /// Cookie (RFC 7873).
        COOKIE = 10, "COOKIE";
        /// TCP keepalive (RFC 7828).
        TCP_KEEPALIVE = 11, "edns-tcp-keepalive";
        /// Padding (RFC 7830).
        PADDING = 12, "Padding";
        /// Chain query (RFC 7901).
        CHAIN = 13, "CHAIN";
        /// Key tag (RFC 8145).
        KEY_TAG = 14, "edns-key-tag";
        /// Extended DNS error (RFC 8914).
        EXTENDED_ERROR = 15, "Extended DNS Error";
    }
}

open_type! {
    /// An SVCB/HTTPS SvcParamKey (RFC 9460 §14.3).
    SvcParamKey(u16) {
        /// Parameters that must be understood (RFC 9460 §8).
        MANDATORY = 0, "mandatory";
        /// Application protocols (RFC 9460 §7.1).
        ALPN = 1, "alpn";
        /// No default ALPN (RFC 9460 §7.1).
        NO_DEFAULT_ALPN = 2, "no-default-alpn";
        /// Alternative port (RFC 9460 §7.2).
        PORT = 3, "port";
        /// IPv4 address hints (RFC 9460 §7.3).
        IPV4HINT = 4, "ipv4hint";
        /// Encrypted ClientHello configuration (RFC 9849).
        ECH = 5, "ech";
        /// IPv6 address hints (RFC 9460 §7.3).
        IPV6HINT = 6, "ipv6hint";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_keep_opcode_and_rcode() {
        let f = DnsFlags::from_bits_retain(0x8183);
        assert!(f.contains(DnsFlags::QR | DnsFlags::RD | DnsFlags::RA));
        assert_eq!(f.rcode(), Rcode::NXDOMAIN);
        assert_eq!(f.opcode(), Opcode::QUERY);
        let g = f.with_opcode(Opcode::UPDATE).with_rcode(Rcode::REFUSED);
        assert_eq!((g.opcode(), g.rcode()), (Opcode::UPDATE, Rcode::REFUSED));
        assert_eq!(g.bits() & 0x87F0, f.bits() & 0x87F0);
    }

    #[test]
    fn open_types_name_known_values_and_keep_others() {
        assert_eq!(RrType::AAAA.name(), Some("AAAA"));
        assert_eq!(RrType(65534).name(), None);
        assert_eq!(RrClass(4096), RrClass::from(4096));
    }
}
