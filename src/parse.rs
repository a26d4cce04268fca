//! Crate-private nom glue: complete-input combinators mapped to [`Error`].
//!
//! netspec parses with nom's *complete* combinators only, so a short input is
//! always an error and never `Incomplete`. These helpers run one nom parser
//! and turn its failure into a typed [`Error`] naming layer, field and offset.

use crate::error::{Error, Layer, Result};
use nom::Parser;

/// nom's error type for byte input.
pub(crate) type NomError<'a> = nom::error::Error<&'a [u8]>;

/// Split `n` bytes off `input` (nom `take`); a short input is
/// [`crate::ErrorKind::Truncated`] at `offset`.
#[inline]
pub(crate) fn take<'a>(
    input: &'a [u8],
    n: usize,
    layer: Layer,
    field: &'static str,
    offset: usize,
) -> Result<(&'a [u8], &'a [u8])> {
    nom::bytes::complete::take::<usize, &[u8], NomError<'_>>(n)
        .parse(input)
        .map_err(|_| Error::truncated(layer, field, offset, n, input.len()))
}

/// Read a big-endian `u8` with nom.
#[inline]
pub(crate) fn be_u8<'a>(input: &'a [u8], layer: Layer, field: &'static str, offset: usize) -> Result<(&'a [u8], u8)> {
    nom::number::complete::be_u8::<&[u8], NomError<'_>>
        .parse(input)
        .map_err(|_| Error::truncated(layer, field, offset, 1, input.len()))
}

/// Read a big-endian `u16` with nom.
#[inline]
pub(crate) fn be_u16<'a>(input: &'a [u8], layer: Layer, field: &'static str, offset: usize) -> Result<(&'a [u8], u16)> {
    nom::number::complete::be_u16::<&[u8], NomError<'_>>
        .parse(input)
        .map_err(|_| Error::truncated(layer, field, offset, 2, input.len()))
}

/// Read a big-endian `u32` with nom.
#[inline]
pub(crate) fn be_u32<'a>(input: &'a [u8], layer: Layer, field: &'static str, offset: usize) -> Result<(&'a [u8], u32)> {
    nom::number::complete::be_u32::<&[u8], NomError<'_>>
        .parse(input)
        .map_err(|_| Error::truncated(layer, field, offset, 4, input.len()))
}

/// Check that `buf` holds at least `needed` bytes (the usual first step of a
/// view's `parse`); the error names `field` at `offset`.
#[inline]
pub(crate) fn need(buf: &[u8], needed: usize, layer: Layer, field: &'static str, offset: usize) -> Result<()> {
    if buf.len() < needed {
        Err(Error::truncated(layer, field, offset, needed, buf.len()))
    } else {
        Ok(())
    }
}

/// Big-endian `u16` at `at`; the caller has already checked the length.
#[inline(always)]
pub(crate) fn get_u16(buf: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([buf[at], buf[at + 1]])
}

/// Big-endian `u32` at `at`; the caller has already checked the length.
#[inline(always)]
pub(crate) fn get_u32(buf: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]])
}

/// Big-endian `u16` into `buf[at..at + 2]`; the caller has checked the length.
/// `N` bytes at `at` as an array. On a fixed-size header array with
/// constant offsets the range check folds away; the fallback is never
/// taken because the slice has exactly `N` bytes.
#[inline(always)]
pub(crate) fn get_array<const N: usize>(buf: &[u8], at: usize) -> [u8; N] {
    buf[at..at + N].try_into().unwrap_or([0; N])
}

#[inline(always)]
pub(crate) fn put_u16(buf: &mut [u8], at: usize, v: u16) {
    buf[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// Big-endian `u32` into `buf[at..at + 4]`; the caller has checked the length.
#[inline(always)]
pub(crate) fn put_u32(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

/// Check an output buffer before an emitter writes `needed` bytes.
#[inline]
pub(crate) fn room(buf: &[u8], needed: usize, layer: Layer) -> Result<()> {
    if buf.len() < needed {
        Err(Error::buffer_too_small(layer, needed, buf.len()))
    } else {
        Ok(())
    }
}

/// One `next()` of an iterator that walks with a fallible
/// `step() -> Result<Option<T>>` and fuses: after the end (`Ok(None)`) or
/// the first error it sets `done`, so a hostile input yields at most one
/// error and the walk never loops on it. The caller returns `None` itself
/// while `done` is set.
pub(crate) fn fuse_step<T>(done: &mut bool, step: Result<Option<T>>) -> Option<Result<T>> {
    match step {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => {
            *done = true;
            None
        }
        Err(e) => {
            *done = true;
            Some(Err(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn take_short_is_truncated_never_incomplete() {
        let e = take(&[1, 2, 3], 4, Layer::Tcp, "options", 20).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::Truncated {
                needed: 4,
                available: 3
            }
        );
        assert_eq!(e.offset, 20);
        let (rest, got) = take(&[1, 2, 3], 2, Layer::Tcp, "options", 20).unwrap();
        assert_eq!((rest, got), (&[3u8][..], &[1u8, 2][..]));
    }

    #[test]
    fn integers() {
        assert_eq!(be_u16(&[1, 2, 3], Layer::Udp, "x", 0).unwrap(), (&[3u8][..], 0x0102));
        assert_eq!(be_u32(&[1, 2, 3, 4], Layer::Udp, "x", 0).unwrap().1, 0x01020304);
        assert!(be_u32(&[1, 2, 3], Layer::Udp, "x", 0).is_err());
        assert_eq!(be_u8(&[], Layer::Udp, "x", 5).unwrap_err().offset, 5);
    }
}
