//! The decoder's cursor: lengths, strings, numbers and times in RDB
//! encoding, every read checked against the bytes that remain.
//!
//! Lengths come from the input, so none is trusted: a string's length
//! must fit in what is left, an element count may not promise more
//! elements than bytes are left (each takes one at least), and an LZF
//! string may not claim to expand beyond what LZF can expand to. So no
//! input makes the decoder allocate more than a small multiple of its own
//! size, and every loop is bounded by the input.

use super::{RdbError, enc, lzf};
use std::borrow::Cow;

/// LZF's best ratio: a three-byte back reference yields 264 bytes.
const LZF_MAX_RATIO: usize = 88;

/// A length as stored: a plain number, or the marker of a special string
/// encoding (an integer or LZF).
enum Len {
    Plain(u64),
    Encoded(u8),
}

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

type Result<T> = std::result::Result<T, RdbError>;

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// Bytes read so far (the offset errors report).
    pub fn offset(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// An error at the current offset.
    pub fn error(&self, reason: impl Into<Cow<'static, str>>) -> RdbError {
        RdbError {
            offset: self.pos,
            reason: reason.into(),
        }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| self.error("unexpected end of input"))?;
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    pub fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn len_or_encoding(&mut self) -> Result<Len> {
        let first = self.byte()?;
        Ok(match first >> 6 {
            enc::ENCVAL => Len::Encoded(first & 0x3f),
            enc::LEN_6BIT => Len::Plain(u64::from(first & 0x3f)),
            enc::LEN_14BIT => Len::Plain((u64::from(first & 0x3f) << 8) | u64::from(self.byte()?)),
            _ if first == enc::LEN_32BIT => {
                Len::Plain(u64::from(u32::from_be_bytes(self.array()?)))
            }
            _ if first == enc::LEN_64BIT => Len::Plain(u64::from_be_bytes(self.array()?)),
            _ => return Err(self.error(format!("unknown length encoding {first:#x}"))),
        })
    }

    /// A length (rdbLoadLen) where no string encoding may stand.
    pub fn length(&mut self) -> Result<u64> {
        match self.len_or_encoding()? {
            Len::Plain(n) => Ok(n),
            Len::Encoded(_) => Err(self.error("encoded value where a length was expected")),
        }
    }

    /// An element count: each element takes `min_bytes` at least, so a
    /// count the remaining input cannot hold is corrupt.
    pub fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.length()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n.saturating_mul(min_bytes.max(1)) <= self.remaining())
            .ok_or_else(|| self.error(format!("count {n} exceeds the input")))
    }

    /// A string in any of its encodings: borrowed when stored plainly,
    /// formatted for an integer, decompressed for LZF.
    pub fn string(&mut self) -> Result<Cow<'a, [u8]>> {
        match self.len_or_encoding()? {
            Len::Plain(n) => {
                let n = usize::try_from(n).map_err(|_| self.error("string too long"))?;
                Ok(Cow::Borrowed(self.take(n)?))
            }
            Len::Encoded(kind) => {
                let n: i64 = match kind {
                    enc::INT8 => i64::from(self.byte()? as i8),
                    enc::INT16 => i64::from(i16::from_le_bytes(self.array()?)),
                    enc::INT32 => i64::from(i32::from_le_bytes(self.array()?)),
                    enc::LZF => return self.lzf().map(Cow::Owned),
                    other => {
                        return Err(self.error(format!("unknown string encoding {other}")));
                    }
                };
                let mut buf = [0u8; 20];
                Ok(Cow::Owned(crate::util::fmt_i64(n, &mut buf).to_vec()))
            }
        }
    }

    fn lzf(&mut self) -> Result<Vec<u8>> {
        let clen = self.length()?;
        let len = self.length()?;
        let at = self.pos;
        let clen = usize::try_from(clen).map_err(|_| self.error("LZF length too long"))?;
        let compressed = self.take(clen)?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&n| n <= clen.saturating_mul(LZF_MAX_RATIO))
            .ok_or_else(|| self.error("LZF length beyond what the data can expand to"))?;
        lzf::decompress(compressed, len).ok_or(RdbError {
            offset: at,
            reason: "invalid LZF compressed string".into(),
        })
    }

    /// Unix milliseconds, little-endian (rdbLoadMillisecondTime).
    pub fn millis(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// Seconds as a 32-bit integer (the old EXPIRETIME opcode).
    pub fn secs(&mut self) -> Result<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    /// An IEEE double, little-endian (ZSET_2 scores).
    pub fn binary_double(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// A double as text with a one-byte length (the old ZSET type); 253,
    /// 254 and 255 stand for NaN, +inf and -inf.
    pub fn text_double(&mut self) -> Result<f64> {
        let n = self.byte()?;
        match n {
            255 => Ok(f64::NEG_INFINITY),
            254 => Ok(f64::INFINITY),
            253 => Ok(f64::NAN),
            n => {
                let text = self.take(usize::from(n))?;
                // sscanf("%lg") reads a prefix and wants at least one number.
                match crate::util::float::strtod_prefix(text) {
                    Some(p) if p.consumed > 0 => Ok(p.value),
                    _ => Err(self.error("bad double value")),
                }
            }
        }
    }
}
