//! The encoder: values in the RDB encodings Redis 7.0 writes for the same
//! objects.
//!
//! Strings follow rdbSaveRawString: up to 11 bytes that read as an
//! integer fitting 32 bits are stored as that integer; above 20 bytes
//! they are LZF-compressed when compression is on and saves four bytes
//! at least; otherwise length and bytes. Collections are written in the
//! type their encoding maps to (a listpack hash as HASH_LISTPACK, a
//! table as HASH, ...), with listpacks converted to Redis's layout.

use super::lzf::Compressor;
use super::packed::{write_intset, write_listpack, write_listpack_native, write_zset_listpack};
use super::{enc, ty};
use crate::db::listpack::{Entry, Listpack};
use crate::db::set::Set;
use crate::db::zset::ZSet;
use crate::db::{Str, Value};
use std::io::{self, Write};

/// Writes RDB-encoded values to `W`, with the buffers it reuses from one
/// value to the next.
pub struct Encoder<W: Write> {
    out: W,
    compress: bool,
    lzf: Option<Box<Compressor>>,
    lzf_out: Vec<u8>,
    /// A listpack or intset being converted to Redis's layout.
    scratch: Vec<u8>,
}

impl<W: Write> Encoder<W> {
    /// An encoder; `compress` is rdbcompression.
    pub fn new(out: W, compress: bool) -> Encoder<W> {
        Encoder {
            out,
            compress,
            lzf: None,
            lzf_out: Vec::new(),
            scratch: Vec::new(),
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    pub fn byte(&mut self, b: u8) -> io::Result<()> {
        self.out.write_all(&[b])
    }

    /// A length (rdbSaveLen): 6 bits, 14 bits, or a 32/64-bit big-endian
    /// number after a marker byte.
    pub fn len(&mut self, n: u64) -> io::Result<()> {
        if n < 1 << 6 {
            self.byte(n as u8 | (enc::LEN_6BIT << 6))
        } else if n < 1 << 14 {
            self.raw(&[(n >> 8) as u8 | (enc::LEN_14BIT << 6), n as u8])
        } else if let Ok(n) = u32::try_from(n) {
            self.byte(enc::LEN_32BIT)?;
            self.raw(&n.to_be_bytes())
        } else {
            self.byte(enc::LEN_64BIT)?;
            self.raw(&n.to_be_bytes())
        }
    }

    /// An integer in the 1, 2 or 4 byte string encodings, if it fits.
    fn small_int(&mut self, n: i64) -> io::Result<bool> {
        let head = enc::ENCVAL << 6;
        if let Ok(v) = i8::try_from(n) {
            self.raw(&[head | enc::INT8, v as u8])?;
        } else if let Ok(v) = i16::try_from(n) {
            self.byte(head | enc::INT16)?;
            self.raw(&v.to_le_bytes())?;
        } else if let Ok(v) = i32::try_from(n) {
            self.byte(head | enc::INT32)?;
            self.raw(&v.to_le_bytes())?;
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// A string (rdbSaveRawString).
    pub fn string(&mut self, s: &[u8]) -> io::Result<()> {
        if s.len() <= 11
            && let Some(n) = crate::util::parse_i64(s)
            && self.small_int(n)?
        {
            return Ok(());
        }
        // Under 21 bytes LZF cannot gain the four bytes Redis asks for.
        if self.compress && s.len() > 20 {
            let lzf = self.lzf.get_or_insert_with(Box::default);
            if lzf.compress(s, s.len() - 4, &mut self.lzf_out) {
                let compressed = std::mem::take(&mut self.lzf_out);
                self.byte((enc::ENCVAL << 6) | enc::LZF)?;
                self.len(compressed.len() as u64)?;
                self.len(s.len() as u64)?;
                self.raw(&compressed)?;
                self.lzf_out = compressed;
                return Ok(());
            }
        }
        self.len(s.len() as u64)?;
        self.raw(s)
    }

    /// Unix milliseconds, little-endian.
    pub fn millis(&mut self, ms: i64) -> io::Result<()> {
        self.raw(&ms.to_le_bytes())
    }

    /// Writes the bytes `fill` leaves in the scratch buffer as a string.
    fn scratch_string(&mut self, fill: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.scratch);
        fill(&mut buf);
        let result = self.string(&buf);
        self.scratch = buf;
        result
    }

    /// A Redis listpack of `entries`, as a string.
    pub fn listpack<'e>(&mut self, entries: impl IntoIterator<Item = Entry<'e>>) -> io::Result<()> {
        self.scratch_string(|buf| write_listpack(entries, buf))
    }

    /// ferredis's listpack `lp` as a Redis listpack, as a string.
    pub fn native_listpack(&mut self, lp: &Listpack) -> io::Result<()> {
        self.scratch_string(|buf| write_listpack_native(lp.encoded(), lp.len(), buf))
    }

    /// A value's type byte and encoding.
    pub fn object(&mut self, value: &Value) -> io::Result<()> {
        self.byte(type_of(value))?;
        self.value(value)
    }

    /// A value's encoding (rdbSaveObject), without the type byte.
    pub fn value(&mut self, value: &Value) -> io::Result<()> {
        match value {
            Value::Str(s) => self.str_value(s),
            Value::List(list) => {
                // QUICKLIST_2: every node a packed listpack node.
                const PACKED: u64 = 2;
                self.len(list.nodes().len() as u64)?;
                for node in list.nodes() {
                    self.len(PACKED)?;
                    self.native_listpack(node)?;
                }
                Ok(())
            }
            Value::Set(set) => match &**set {
                Set::Intset(is) => {
                    self.scratch_string(|buf| write_intset(is.width(), is.len(), is.iter(), buf))
                }
                Set::Table(d) => {
                    self.len(d.len() as u64)?;
                    for (member, _) in d.iter() {
                        self.string(member.as_bytes())?;
                    }
                    Ok(())
                }
            },
            Value::ZSet(z) => match &**z {
                ZSet::Listpack(lp) => {
                    self.scratch_string(|buf| write_zset_listpack(lp.encoded(), lp.len(), buf))
                }
                ZSet::Skiplist(ix) => {
                    // Highest score first, as Redis walks its skiplist
                    // from the tail (loading then inserts at the head).
                    self.len(ix.len() as u64)?;
                    let top = ix.len().saturating_sub(1);
                    for (member, score) in ix.iter_from(top, true).take(ix.len()) {
                        self.string(member)?;
                        self.raw(&score.to_le_bytes())?;
                    }
                    Ok(())
                }
            },
            Value::Hash(h) => match h.packed_bytes() {
                Some((bytes, count)) => {
                    self.scratch_string(|buf| write_listpack_native(bytes, count, buf))
                }
                None => {
                    self.len(h.len() as u64)?;
                    for (field, value) in h.pairs() {
                        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
                        self.string(field.as_bytes(&mut a))?;
                        self.string(value.as_bytes(&mut b))?;
                    }
                    Ok(())
                }
            },
            Value::Stream(s) => super::stream::write(self, s),
        }
    }

    fn str_value(&mut self, s: &Str) -> io::Result<()> {
        // An int-encoded string beyond 32 bits is written as its digits
        // (rdbSaveLongLongAsStringObject), which is what `string` does.
        let mut buf = [0u8; 20];
        self.string(s.as_bytes(&mut buf))
    }
}

/// The RDB type Redis 7.0 writes for a value in its current encoding.
pub fn type_of(value: &Value) -> u8 {
    match value {
        Value::Str(_) => ty::STRING,
        Value::List(_) => ty::LIST_QUICKLIST_2,
        Value::Set(s) => match **s {
            Set::Intset(_) => ty::SET_INTSET,
            Set::Table(_) => ty::SET,
        },
        Value::ZSet(z) => match **z {
            ZSet::Listpack(_) => ty::ZSET_LISTPACK,
            ZSet::Skiplist(_) => ty::ZSET_2,
        },
        Value::Hash(h) => {
            if h.is_listpack() {
                ty::HASH_LISTPACK
            } else {
                ty::HASH
            }
        }
        Value::Stream(_) => ty::STREAM_LISTPACKS_2,
    }
}
