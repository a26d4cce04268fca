//! Crate-private macros for the open numbered-field newtypes
//! (`EtherType`, `IpProtocol`, `Icmpv4Type`, `TcpOptionKind`, ...).
//!
//! Each such type is a tuple struct around its wire integer with a
//! `const fn name(self) -> Option<&'static str>` written by hand next to its
//! documented constants; these macros only write the trait impls that are
//! the same for all of them, so every type formats the same way:
//! `Debug` as `Name(value)` for a known value and `Type(value)` otherwise,
//! `Display` as the bare name or the bare value.

/// `Debug` (and, unless `debug_only` is given, `Display`) for an open
/// newtype with a `name()` method. `$num` is the format of the raw value,
/// e.g. `"{}"` or `"0x{:04x}"`.
macro_rules! named_number_fmt {
    ($ty:ident, $num:literal, debug_only) => {
        impl core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => write!(f, concat!("{}(", $num, ")"), n, self.0),
                    None => write!(f, concat!(stringify!($ty), "(", $num, ")"), self.0),
                }
            }
        }
    };
    ($ty:ident, $num:literal) => {
        $crate::macros::named_number_fmt!($ty, $num, debug_only);

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, $num, self.0),
                }
            }
        }
    };
}

/// `From<$repr> for $ty` and `From<$ty> for $repr` for an open newtype
/// `$ty(pub $repr)`: every integer is a valid value, so both are lossless.
macro_rules! number_conversions {
    ($ty:ident, $repr:ty) => {
        impl From<$repr> for $ty {
            fn from(v: $repr) -> Self {
                $ty(v)
            }
        }

        impl From<$ty> for $repr {
            fn from(v: $ty) -> $repr {
                v.0
            }
        }
    };
}

pub(crate) use {named_number_fmt, number_conversions};
