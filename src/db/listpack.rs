//! A listpack: many small strings and integers packed into one byte
//! buffer, the compact encoding Redis uses for small hashes, small sorted
//! sets and the nodes of a list.
//!
//! A separate allocation per element costs tens of bytes of headers and
//! pointers; here an element costs its payload plus one to three bytes.
//! Each entry is a tag, the payload, and a back-length (the size of tag
//! plus payload, 7 bits per byte, one byte below 128), so the buffer can
//! be walked in both directions. The layout is Redis 7.0's byte for byte
//! (so RDB files copy listpacks whole), plus one form Redis lacks:
//!
//! | tag | entry |
//! | --- | --- |
//! | `0x00..=0x7f` | the integer 0..=127 itself, no payload |
//! | `0x80..=0xbf` | a string of `tag & 0x3f` (0..=63) bytes |
//! | `0xc0..=0xdf` + 1 byte | a 13-bit signed integer (-4096..=4095) |
//! | `0xe0..=0xef` + 1 byte | a string of up to 4095 bytes (12-bit length) |
//! | `0xf0` + u32 length | a longer string |
//! | `0xf1` / `0xf2` / `0xf3` / `0xf4` | an i16 / i24 / i32 / i64, little-endian |
//! | `0xf5` | an f64, little-endian (sorted-set scores); ferredis only, never written to disk |
//!
//! The buffer holds no header and no `0xff` end byte; those are added when
//! it is saved.
//!
//! Strings that read as integers by Redis's rules (`string2ll`) are stored
//! as integers, as Redis does, and come back as the same text. Positions
//! are byte offsets of entries; they stay valid until the next edit.

use crate::util::parse_i64;

const STR_SHORT: u8 = 0x80;
const INT_13: u8 = 0xc0;
const STR_12: u8 = 0xe0;
const STR_LONG: u8 = 0xf0;
const I16: u8 = 0xf1;
const I24: u8 = 0xf2;
const I32: u8 = 0xf3;
const I64: u8 = 0xf4;
/// Tag of ferredis's f64 form (Redis's listpacks never use it).
const F64: u8 = 0xf5;

/// One element as stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<'a> {
    Int(i64),
    Float(f64),
    Str(&'a [u8]),
}

impl Entry<'_> {
    /// The element as bytes (integers and floats formatted into `buf`).
    pub fn as_bytes<'b>(&'b self, buf: &'b mut [u8; 32]) -> &'b [u8] {
        match self {
            Entry::Str(s) => s,
            Entry::Int(n) => {
                let mut digits = [0u8; 20];
                let d = crate::util::fmt_i64(*n, &mut digits);
                buf[..d.len()].copy_from_slice(d);
                &buf[..d.len()]
            }
            Entry::Float(f) => {
                let text = crate::util::float::fmt_f64(c"%.17g", *f);
                let n = text.len().min(buf.len());
                buf[..n].copy_from_slice(&text.as_bytes()[..n]);
                &buf[..n]
            }
        }
    }

    /// Owned bytes of the element.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut buf = [0u8; 32];
        self.as_bytes(&mut buf).to_vec()
    }

    /// Whether the element equals `bytes` as Redis compares them (an
    /// integer entry equals its decimal text).
    pub fn eq_bytes(&self, bytes: &[u8]) -> bool {
        match self {
            Entry::Str(s) => *s == bytes,
            Entry::Int(n) => bytes.len() <= 20 && parse_i64(bytes) == Some(*n),
            Entry::Float(_) => {
                let mut buf = [0u8; 32];
                self.as_bytes(&mut buf) == bytes
            }
        }
    }
}

/// A packed sequence of entries.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct Listpack {
    buf: Vec<u8>,
    len: u32,
}

/// An entry encoded on the stack: the tag with any length or integer
/// bytes, then the string payload, then the back-length. Building it
/// allocates nothing, so a push costs one copy into the buffer.
struct Encoded<'a> {
    head: [u8; 9],
    head_len: usize,
    payload: &'a [u8],
    back: [u8; 5],
    back_len: usize,
}

impl<'a> Encoded<'a> {
    fn new(value: EntryInput<'a>) -> Encoded<'a> {
        let mut e = Encoded {
            head: [0; 9],
            head_len: 0,
            payload: &[],
            back: [0; 5],
            back_len: 0,
        };
        match value {
            EntryInput::Bytes(b) => match parse_int(b) {
                Some(n) => e.set_int(n),
                None => e.set_str(b),
            },
            EntryInput::Int(n) => e.set_int(n),
            EntryInput::Float(f) => {
                e.head[0] = F64;
                e.head[1..9].copy_from_slice(&f.to_le_bytes());
                e.head_len = 9;
            }
        }
        let size = e.head_len + e.payload.len();
        e.back_len = encode_backlen(size, &mut e.back);
        e
    }

    fn set_int(&mut self, n: i64) {
        let h = &mut self.head;
        self.head_len = if (0..=0x7f).contains(&n) {
            h[0] = n as u8;
            1
        } else if (-4096..=4095).contains(&n) {
            // 13 bits: the high five in the tag, the low eight after it.
            let u = (n as u16) & 0x1fff;
            h[0] = INT_13 | (u >> 8) as u8;
            h[1] = u as u8;
            2
        } else if let Ok(v) = i16::try_from(n) {
            h[0] = I16;
            h[1..3].copy_from_slice(&v.to_le_bytes());
            3
        } else if (-(1 << 23)..(1 << 23)).contains(&n) {
            h[0] = I24;
            h[1..4].copy_from_slice(&(n as i32).to_le_bytes()[..3]);
            4
        } else if let Ok(v) = i32::try_from(n) {
            h[0] = I32;
            h[1..5].copy_from_slice(&v.to_le_bytes());
            5
        } else {
            h[0] = I64;
            h[1..9].copy_from_slice(&n.to_le_bytes());
            9
        };
    }

    fn set_str(&mut self, b: &'a [u8]) {
        let len = b.len();
        self.head_len = if len < 64 {
            self.head[0] = STR_SHORT | len as u8;
            1
        } else if len < 4096 {
            self.head[0] = STR_12 | (len >> 8) as u8;
            self.head[1] = len as u8;
            2
        } else {
            self.head[0] = STR_LONG;
            self.head[1..5].copy_from_slice(&(len as u32).to_le_bytes());
            5
        };
        self.payload = b;
    }

    /// Bytes the whole entry takes.
    fn total(&self) -> usize {
        self.head_len + self.payload.len() + self.back_len
    }

    /// Writes the entry into `out`, which is exactly `total()` long.
    fn write(&self, out: &mut [u8]) {
        let (head, rest) = out.split_at_mut(self.head_len);
        head.copy_from_slice(&self.head[..self.head_len]);
        let (payload, back) = rest.split_at_mut(self.payload.len());
        payload.copy_from_slice(self.payload);
        back.copy_from_slice(&self.back[..self.back_len]);
    }

    fn append_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.head[..self.head_len]);
        out.extend_from_slice(self.payload);
        out.extend_from_slice(&self.back[..self.back_len]);
    }
}

/// The integer a string stores as, by Redis's rules.
fn parse_int(value: &[u8]) -> Option<i64> {
    if value.len() <= 20 {
        parse_i64(value)
    } else {
        None
    }
}

/// Encodes the back-length of an entry of `size` bytes into `out`,
/// returning how many bytes it takes: 7 bits per byte, read from the
/// entry's end backwards; every byte but the one farthest from the entry
/// has its high bit set, meaning "more before me".
fn encode_backlen(size: usize, out: &mut [u8; 5]) -> usize {
    let n = backlen_size(size);
    for (i, byte) in out[..n].iter_mut().enumerate() {
        let shift = 7 * (n - 1 - i);
        let bits = ((size >> shift) & 0x7f) as u8;
        *byte = if i == 0 { bits } else { bits | 0x80 };
    }
    n
}

/// Bytes the back-length of an entry of `size` bytes takes. The bounds
/// are Redis's lpEncodeBacklen's, one below a power of 128 (an entry of
/// 16383 bytes takes three), so both write the same bytes.
pub fn backlen_size(size: usize) -> usize {
    if size <= 127 {
        1
    } else if size < 16_383 {
        2
    } else if size < 2_097_151 {
        3
    } else if size < 268_435_455 {
        4
    } else {
        5
    }
}

/// Bytes an entry for `value` takes, back-length included (what the
/// fill limits of list nodes are checked against before an insert).
pub fn entry_size(value: EntryInput) -> usize {
    Encoded::new(value).total()
}

/// What to store: bytes (stored as an integer when they read as one), or a
/// number directly.
#[derive(Debug, Clone, Copy)]
pub enum EntryInput<'a> {
    Bytes(&'a [u8]),
    Int(i64),
    Float(f64),
}

impl<'a> From<&'a [u8]> for EntryInput<'a> {
    fn from(b: &'a [u8]) -> Self {
        EntryInput::Bytes(b)
    }
}

impl<'a> From<Entry<'a>> for EntryInput<'a> {
    /// An entry copied from another listpack keeps its form.
    fn from(e: Entry<'a>) -> Self {
        match e {
            Entry::Int(n) => EntryInput::Int(n),
            Entry::Float(f) => EntryInput::Float(f),
            Entry::Str(s) => EntryInput::Bytes(s),
        }
    }
}

/// The entry at byte offset `pos` of listpack bytes `b` and the offset of
/// the next one; `None` past the end. Also for types that keep listpack
/// bytes in storage of their own (a small hash's single allocation).
pub fn decode_at(b: &[u8], pos: usize) -> Option<(Entry<'_>, usize)> {
    let (entry, size) = decode_entry(b, pos)?;
    Some((entry, pos + size + backlen_size(size)))
}

/// The entry at `pos` and the bytes its tag and payload take (without
/// the back-length); `None` for an unknown tag or one running past `b`.
#[inline]
pub fn decode_entry(b: &[u8], pos: usize) -> Option<(Entry<'_>, usize)> {
    let tag = *b.get(pos)?;
    let (entry, size) = match tag {
        0x00..=0x7f => (Entry::Int(i64::from(tag)), 1),
        0x80..=0xbf => {
            let n = usize::from(tag & 0x3f);
            (Entry::Str(b.get(pos + 1..pos + 1 + n)?), 1 + n)
        }
        INT_13..=0xdf => {
            let u = (u16::from(tag & 0x1f) << 8) | u16::from(*b.get(pos + 1)?);
            // Sign-extend the 13 bits.
            let v = ((u << 3) as i16) >> 3;
            (Entry::Int(i64::from(v)), 2)
        }
        STR_12..=0xef => {
            let n = (usize::from(tag & 0x0f) << 8) | usize::from(*b.get(pos + 1)?);
            (Entry::Str(b.get(pos + 2..pos + 2 + n)?), 2 + n)
        }
        STR_LONG => {
            let n = u32::from_le_bytes(b.get(pos + 1..pos + 5)?.try_into().ok()?) as usize;
            (Entry::Str(b.get(pos + 5..pos + 5 + n)?), 5 + n)
        }
        I16 => {
            let v = i16::from_le_bytes(b.get(pos + 1..pos + 3)?.try_into().ok()?);
            (Entry::Int(i64::from(v)), 3)
        }
        I24 => {
            let b3 = b.get(pos + 1..pos + 4)?;
            // Sign-extend by placing the three bytes high in an i32.
            let v = i32::from_le_bytes([0, b3[0], b3[1], b3[2]]) >> 8;
            (Entry::Int(i64::from(v)), 4)
        }
        I32 => {
            let v = i32::from_le_bytes(b.get(pos + 1..pos + 5)?.try_into().ok()?);
            (Entry::Int(i64::from(v)), 5)
        }
        I64 => {
            let v = i64::from_le_bytes(b.get(pos + 1..pos + 9)?.try_into().ok()?);
            (Entry::Int(v), 9)
        }
        F64 => {
            let v = f64::from_le_bytes(b.get(pos + 1..pos + 9)?.try_into().ok()?);
            (Entry::Float(v), 9)
        }
        _ => return None,
    };
    Some((entry, size))
}

/// Whether `bytes`, one whole entry that decodes as `e`, are exactly what
/// encoding `e` here gives: the smallest form, integers as integers, the
/// back-length in its usual bytes. An entry from a file can be valid for
/// Redis and still fail this (a string "12", 5 in the 16-bit form).
#[inline]
pub fn is_canonical(e: Entry, bytes: &[u8]) -> bool {
    // Each form of an integer or a string has a size of its own, so the
    // size says whether the form is the one encoding would pick.
    let size = match e {
        Entry::Int(n) => int_size(n),
        Entry::Str(s) if parse_int(s).is_none() => str_head_size(s.len()) + s.len(),
        Entry::Str(_) => return false,
        Entry::Float(_) => 9,
    };
    if size <= 127 {
        // The common case, a one-byte back-length: the size itself.
        return bytes.len() == size + 1 && bytes.get(size) == Some(&(size as u8));
    }
    let mut back = [0u8; 5];
    let n = encode_backlen(size, &mut back);
    bytes.len() == size + n && bytes.get(size..) == Some(&back[..n])
}

/// Bytes the smallest integer form of `n` takes (tag included).
fn int_size(n: i64) -> usize {
    match n {
        0..=127 => 1,
        -4096..=4095 => 2,
        -32_768..=32_767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    }
}

/// Bytes the tag and length of a string of `len` bytes take.
fn str_head_size(len: usize) -> usize {
    match len {
        0..64 => 1,
        64..4096 => 2,
        _ => 5,
    }
}

/// Appends the full encoding of an entry (tag, payload, back-length) to
/// `out`, for types that keep listpack bytes in storage of their own.
pub fn encode_entry(value: EntryInput, out: &mut Vec<u8>) {
    Encoded::new(value).append_to(out);
}

impl Listpack {
    pub fn new() -> Listpack {
        Listpack::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the entries occupy (what Redis's size limits measure).
    pub fn bytes_len(&self) -> usize {
        self.buf.len()
    }

    /// Memory held, including spare capacity.
    pub fn allocated(&self) -> usize {
        self.buf.capacity()
    }

    pub fn shrink_to_fit(&mut self) {
        self.buf.shrink_to_fit();
    }

    /// The entry at byte offset `pos` and the offset of the next one.
    fn decode(&self, pos: usize) -> Option<(Entry<'_>, usize)> {
        decode_at(&self.buf, pos)
    }

    /// The entry at `pos`.
    pub fn get(&self, pos: usize) -> Option<Entry<'_>> {
        self.decode(pos).map(|(e, _)| e)
    }

    /// Offset of the first entry, if any.
    pub fn first(&self) -> Option<usize> {
        (!self.buf.is_empty()).then_some(0)
    }

    /// Offset of the last entry, if any.
    pub fn last(&self) -> Option<usize> {
        self.prev(self.buf.len())
    }

    /// Offset of the entry after the one at `pos`.
    pub fn next(&self, pos: usize) -> Option<usize> {
        let (_, next) = self.decode(pos)?;
        (next < self.buf.len()).then_some(next)
    }

    /// Offset of the entry before `pos` (`pos` may be the end).
    pub fn prev(&self, pos: usize) -> Option<usize> {
        if pos == 0 || pos > self.buf.len() {
            return None;
        }
        // The back-length ends right before `pos`: 7 bits per byte,
        // lowest first, high bit set while more bytes precede.
        let mut size = 0usize;
        let mut at = pos;
        for shift in (0..35).step_by(7) {
            at = at.checked_sub(1)?;
            let byte = *self.buf.get(at)?;
            size |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return at.checked_sub(size);
            }
        }
        None
    }

    /// Offset of the entry with index `i` (negative counts from the end),
    /// walking from the nearer end.
    pub fn seek(&self, i: i64) -> Option<usize> {
        let len = self.len();
        let i = if i < 0 {
            len.checked_sub(i.unsigned_abs() as usize)?
        } else {
            i as usize
        };
        if i >= len {
            return None;
        }
        if i <= len / 2 {
            let mut pos = self.first()?;
            for _ in 0..i {
                pos = self.next(pos)?;
            }
            Some(pos)
        } else {
            let mut pos = self.last()?;
            for _ in 0..(len - 1 - i) {
                pos = self.prev(pos)?;
            }
            Some(pos)
        }
    }

    /// Iterates entries front to back.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            lp: self,
            pos: self.first(),
        }
    }

    /// Iterates entries back to front.
    pub fn iter_rev(&self) -> RevIter<'_> {
        RevIter {
            lp: self,
            pos: self.last(),
        }
    }

    pub fn push_back<'a>(&mut self, value: impl Into<EntryInput<'a>>) {
        Encoded::new(value.into()).append_to(&mut self.buf);
        self.len += 1;
    }

    /// Appends `count` entries already encoded in this layout,
    /// back-lengths included (RDB listpack entries whose bytes are the
    /// same in both layouts): one copy, no encoding.
    pub fn push_encoded(&mut self, entries: &[u8], count: usize) {
        self.buf.extend_from_slice(entries);
        self.len += count as u32;
    }

    /// A listpack of `count` entries already encoded in this layout,
    /// back-lengths included (a whole RDB listpack converted in bulk).
    pub fn from_encoded(buf: Vec<u8>, count: usize) -> Listpack {
        Listpack {
            buf,
            len: count as u32,
        }
    }

    /// The entries as stored, for a writer that converts them in bulk
    /// (walk them with [`decode_at`]).
    pub fn encoded(&self) -> &[u8] {
        &self.buf
    }

    pub fn push_front<'a>(&mut self, value: impl Into<EntryInput<'a>>) {
        self.insert_at(0, value);
    }

    /// Inserts before the entry at `pos` (or at the end when `pos` is the
    /// buffer's length).
    pub fn insert_at<'a>(&mut self, pos: usize, value: impl Into<EntryInput<'a>>) {
        let e = Encoded::new(value.into());
        let pos = pos.min(self.buf.len());
        self.resize_range(pos, pos, e.total());
        e.write(&mut self.buf[pos..pos + e.total()]);
        self.len += 1;
    }

    /// Makes the bytes `from..to` `new_len` long, moving what follows;
    /// the bytes of the new range are left for the caller to write.
    fn resize_range(&mut self, from: usize, to: usize, new_len: usize) {
        let old_len = self.buf.len();
        let old = to - from;
        if new_len > old {
            let grow = new_len - old;
            self.buf.resize(old_len + grow, 0);
            self.buf.copy_within(to..old_len, to + grow);
        } else if new_len < old {
            self.buf.copy_within(to..old_len, from + new_len);
            self.buf.truncate(old_len - (old - new_len));
        }
    }

    /// Inserts two entries, one after the other, before `pos` (a sorted
    /// set's member and score) with a single move of what follows.
    pub fn insert_pair_at<'a, 'b>(
        &mut self,
        pos: usize,
        first: impl Into<EntryInput<'a>>,
        second: impl Into<EntryInput<'b>>,
    ) {
        let (a, b) = (Encoded::new(first.into()), Encoded::new(second.into()));
        let pos = pos.min(self.buf.len());
        let (na, nb) = (a.total(), b.total());
        self.resize_range(pos, pos, na + nb);
        a.write(&mut self.buf[pos..pos + na]);
        b.write(&mut self.buf[pos + na..pos + na + nb]);
        self.len += 2;
    }

    /// Removes the entry at `pos`; returns the offset of what followed it
    /// (which now sits at `pos`), if anything.
    pub fn remove_at(&mut self, pos: usize) -> Option<usize> {
        let (_, next) = self.decode(pos)?;
        self.buf.drain(pos..next);
        self.len -= 1;
        (pos < self.buf.len()).then_some(pos)
    }

    /// Removes `count` entries starting at `pos`.
    pub fn remove_range(&mut self, pos: usize, count: usize) {
        let mut end = pos;
        let mut removed = 0;
        while removed < count {
            match self.decode(end) {
                Some((_, next)) => {
                    end = next;
                    removed += 1;
                }
                None => break,
            }
        }
        self.buf.drain(pos..end);
        self.len -= removed as u32;
    }

    /// Replaces the entry at `pos`.
    pub fn replace_at<'a>(&mut self, pos: usize, value: impl Into<EntryInput<'a>>) {
        if let Some((_, next)) = self.decode(pos) {
            let e = Encoded::new(value.into());
            self.resize_range(pos, next, e.total());
            e.write(&mut self.buf[pos..pos + e.total()]);
        }
    }

    /// Bytes the entry at `pos` takes, back-length included.
    pub fn entry_size_at(&self, pos: usize) -> usize {
        self.decode(pos).map_or(0, |(_, next)| next - pos)
    }

    /// Spare room in the buffer.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Grows the buffer to hold at least `additional` more bytes, exactly
    /// (list nodes choose their own growth, bounded by their fill limit).
    pub fn reserve_exact(&mut self, additional: usize) {
        self.buf.reserve_exact(additional);
    }

    /// Removes entries equal to `value`, at most `limit` of them: the
    /// first ones, or the last ones when `from_back`. One pass that slides
    /// the kept entries down, so removing many costs no more than one.
    /// Returns how many were removed.
    pub fn remove_matching(&mut self, value: &[u8], limit: usize, from_back: bool) -> usize {
        let mut skip = 0;
        if from_back {
            let matches = self.iter().filter(|(_, e)| e.eq_bytes(value)).count();
            skip = matches.saturating_sub(limit);
        }
        let (mut read, mut write, mut removed) = (0, 0, 0);
        let end = self.buf.len();
        while read < end {
            let Some((entry, next)) = self.decode(read) else {
                break;
            };
            let drop = removed < limit && entry.eq_bytes(value) && {
                if skip > 0 {
                    skip -= 1;
                    false
                } else {
                    true
                }
            };
            if drop {
                removed += 1;
            } else {
                if write != read {
                    self.buf.copy_within(read..next, write);
                }
                write += next - read;
            }
            read = next;
        }
        if write != read {
            self.buf.copy_within(read..end, write);
            write += end - read;
        }
        self.buf.truncate(write);
        self.len -= removed as u32;
        removed
    }

    /// Iterates entries front to back from the one at `pos`.
    pub fn iter_at(&self, pos: usize) -> Iter<'_> {
        Iter {
            lp: self,
            pos: (pos < self.buf.len()).then_some(pos),
        }
    }

    /// Iterates entries back to front from the one at `pos`.
    pub fn iter_rev_at(&self, pos: usize) -> RevIter<'_> {
        RevIter {
            lp: self,
            pos: (pos < self.buf.len()).then_some(pos),
        }
    }

    /// Offset of the first entry equal to `value`, scanning every `step`
    /// entries from the first (2 finds hash fields, not values).
    pub fn find(&self, value: &[u8], step: usize) -> Option<usize> {
        let mut pos = self.first();
        let mut i = 0usize;
        while let Some(p) = pos {
            let (entry, next) = self.decode(p)?;
            if i.is_multiple_of(step.max(1)) && entry.eq_bytes(value) {
                return Some(p);
            }
            i += 1;
            pos = (next < self.buf.len()).then_some(next);
        }
        None
    }

    /// Moves the entries after `pos` into a new listpack (splitting a
    /// list node in two).
    pub fn split_off(&mut self, pos: usize) -> Listpack {
        let pos = pos.min(self.buf.len());
        let tail = self.buf.split_off(pos);
        let moved = Listpack { len: 0, buf: tail };
        let n = moved.iter().count() as u32;
        self.len -= n;
        Listpack { len: n, ..moved }
    }

    /// Appends every entry of `other` (merging list nodes).
    pub fn append(&mut self, other: &mut Listpack) {
        self.buf.append(&mut other.buf);
        self.len += other.len;
        other.len = 0;
    }
}

pub struct Iter<'a> {
    lp: &'a Listpack,
    pos: Option<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (usize, Entry<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let pos = self.pos?;
        let (entry, next) = self.lp.decode(pos)?;
        self.pos = (next < self.lp.buf.len()).then_some(next);
        Some((pos, entry))
    }
}

pub struct RevIter<'a> {
    lp: &'a Listpack,
    pos: Option<usize>,
}

impl<'a> Iterator for RevIter<'a> {
    type Item = (usize, Entry<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let pos = self.pos?;
        let entry = self.lp.get(pos)?;
        self.pos = self.lp.prev(pos);
        Some((pos, entry))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_forms;
