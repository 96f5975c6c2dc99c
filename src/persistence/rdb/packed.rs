//! Redis's packed encodings as they appear inside RDB strings: the
//! listpack (lists, small hashes and sorted sets, streams), and the older
//! ziplist, zipmap and the intset, which Redis 7.0 still reads.
//!
//! ferredis keeps listpacks in Redis's own layout (db::listpack) but for
//! the header, the end byte and a float form, so saving one copies it;
//! reading still checks every entry and can hand them out. Reading
//! validates as Redis's deep sanitization does (header sizes, each entry
//! inside the buffer, back-lengths, counts), because a payload that
//! passed here must never make later code misbehave.

use crate::db::listpack::{self, Entry, EntryInput, Listpack};

/// Why a blob was refused.
pub type Invalid = &'static str;

/// Redis's header: total bytes (u32) and entry count (u16).
const LP_HEADER: usize = 6;
const LP_EOF: u8 = 0xff;
/// The count field says "count them" at this value and above.
const LP_COUNT_UNKNOWN: usize = u16::MAX as usize;

/// Appends one entry in Redis's listpack encoding, back-length included:
/// ferredis's own, but for a float (a sorted-set score), which Redis
/// stores as its text.
fn push_entry(e: Entry, out: &mut Vec<u8>) {
    let mut text = [0u8; 32];
    let input = match e {
        Entry::Float(_) => EntryInput::Bytes(e.as_bytes(&mut text)),
        other => EntryInput::from(other),
    };
    listpack::encode_entry(input, out);
}

/// Ends the listpack in `out` (begun with [`LP_HEADER`] bytes): the end
/// byte, then the header's total size and count.
fn finish_listpack(count: usize, out: &mut Vec<u8>) {
    out.push(LP_EOF);
    let total = (out.len() as u32).to_le_bytes();
    out[..4].copy_from_slice(&total);
    out[4..6].copy_from_slice(&(count.min(LP_COUNT_UNKNOWN) as u16).to_le_bytes());
}

/// Builds a Redis listpack of `entries` into `out` (cleared first).
pub fn write_listpack<'a>(entries: impl IntoIterator<Item = Entry<'a>>, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&[0; LP_HEADER]);
    let mut count = 0usize;
    for e in entries {
        push_entry(e, out);
        count += 1;
    }
    finish_listpack(count, out);
}

fn le_int(b: &[u8]) -> i64 {
    let mut v = 0i64;
    for (i, &x) in b.iter().enumerate() {
        v |= i64::from(x) << (8 * i);
    }
    // Sign-extend from the width read.
    let bits = 64 - 8 * b.len() as u32;
    if bits == 0 { v } else { (v << bits) >> bits }
}

/// The entry at `pos` and its encoded size (without back-length).
fn lp_entry(b: &[u8], pos: usize) -> Result<(Entry<'_>, usize), Invalid> {
    match listpack::decode_entry(b, pos) {
        // ferredis's f64 form is never written to disk.
        Some((Entry::Float(_), _)) | None => Err("bad or truncated listpack entry"),
        Some(found) => Ok(found),
    }
}

/// Walks a Redis listpack, checking its header, every entry, its
/// back-length and the count, and hands `visit` each entry with the
/// range of `b` it takes (back-length included).
fn walk_listpack<'b>(
    b: &'b [u8],
    mut visit: impl FnMut(Entry<'b>, usize, usize),
) -> Result<usize, Invalid> {
    if b.len() < LP_HEADER + 1 {
        return Err("listpack too short");
    }
    let total = le_int(&b[..4]) as u32 as usize;
    let count = le_int(&b[4..6]) as u16 as usize;
    if total != b.len() || b.last() != Some(&LP_EOF) {
        return Err("listpack header does not match its size");
    }
    let end = b.len() - 1;
    let mut pos = LP_HEADER;
    let mut seen = 0usize;
    while pos < end {
        let (e, size) = lp_entry(b, pos)?;
        let back = listpack::backlen_size(size);
        let stop = pos + size + back;
        if stop > end {
            return Err("listpack entry past the end");
        }
        // The back-length, read from its last byte backwards.
        let mut l = 0usize;
        for (i, &x) in b[pos + size..stop].iter().rev().enumerate() {
            l |= usize::from(x & 0x7f) << (7 * i);
        }
        if l != size {
            return Err("listpack back-length mismatch");
        }
        visit(e, pos, stop);
        seen += 1;
        pos = stop;
    }
    if count != LP_COUNT_UNKNOWN && count != seen {
        return Err("listpack count mismatch");
    }
    Ok(seen)
}

/// Reads and validates a Redis listpack, returning its entries.
pub fn read_listpack(b: &[u8]) -> Result<Vec<Entry<'_>>, Invalid> {
    let count = b.get(4..6).map_or(0, |c| le_int(c) as u16 as usize);
    // Every entry takes two bytes at least.
    let mut entries = Vec::with_capacity(count.min(b.len() / 2));
    walk_listpack(b, |e, _, _| entries.push(e))?;
    Ok(entries)
}

/// Reads and validates a Redis listpack straight into ferredis's layout,
/// which is the same: the entries are kept as they are, up to the first
/// one ferredis would encode otherwise (a string that reads as an
/// integer, an integer in a wider form than it needs); from there on each
/// is encoded again. With `entries`, also collects the entries as
/// [`read_listpack`] does.
pub fn read_listpack_native<'b>(
    b: &'b [u8],
    mut entries: Option<&mut Vec<Entry<'b>>>,
) -> Result<Listpack, Invalid> {
    let mut fresh: Option<Vec<u8>> = None;
    let mut count = 0usize;
    walk_listpack(b, |e, pos, stop| {
        if let Some(v) = entries.as_deref_mut() {
            v.push(e);
        }
        count += 1;
        match &mut fresh {
            Some(out) => listpack::encode_entry(EntryInput::from(e), out),
            None if listpack::is_canonical(e, b.get(pos..stop).unwrap_or_default()) => {}
            None => {
                let mut out = Vec::with_capacity(b.len());
                out.extend_from_slice(b.get(LP_HEADER..pos).unwrap_or_default());
                listpack::encode_entry(EntryInput::from(e), &mut out);
                fresh = Some(out);
            }
        }
    })?;
    let body = || {
        b.get(LP_HEADER..b.len().saturating_sub(1))
            .unwrap_or_default()
            .to_vec()
    };
    Ok(Listpack::from_encoded(fresh.unwrap_or_else(body), count))
}

/// Builds a Redis listpack from the stored bytes of ferredis's listpack
/// `native` (of `count` entries) into `out` (cleared first). The layouts
/// are the same, so this is a copy; only for types that store no floats
/// (lists, hashes, streams; see [`write_zset_listpack`]).
pub fn write_listpack_native(native: &[u8], count: usize, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(native.len() + LP_HEADER + 1);
    out.extend_from_slice(&[0; LP_HEADER]);
    out.extend_from_slice(native);
    finish_listpack(count, out);
}

/// As [`write_listpack_native`] for a small sorted set, whose non-integer
/// scores are floats here and their text in Redis: the runs between
/// floats are copied.
pub fn write_zset_listpack(native: &[u8], count: usize, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(native.len() + LP_HEADER + 1);
    out.extend_from_slice(&[0; LP_HEADER]);
    let (mut pos, mut copied) = (0, 0);
    while let Some((e, next)) = listpack::decode_at(native, pos) {
        if let Entry::Float(_) = e {
            out.extend_from_slice(native.get(copied..pos).unwrap_or_default());
            push_entry(e, out);
            copied = next;
        }
        pos = next;
    }
    out.extend_from_slice(native.get(copied..).unwrap_or_default());
    finish_listpack(count, out);
}

/// Reads and validates a ziplist (RDB types of Redis before 7.0).
pub fn read_ziplist(b: &[u8]) -> Result<Vec<Entry<'_>>, Invalid> {
    const HEADER: usize = 10;
    const TRUNC: Invalid = "ziplist entry past the end";
    if b.len() < HEADER + 1 {
        return Err("ziplist too short");
    }
    let total = le_int(&b[..4]) as u32 as usize;
    let tail = le_int(&b[4..8]) as u32 as usize;
    let count = le_int(&b[8..10]) as u16 as usize;
    if total != b.len() || b.last() != Some(&0xff) {
        return Err("ziplist header does not match its size");
    }
    let end = b.len() - 1;
    let mut entries = Vec::with_capacity(count.min(end / 2));
    let (mut pos, mut prev_size, mut last) = (HEADER, 0usize, HEADER);
    while pos < end {
        let first = *b.get(pos).ok_or(TRUNC)?;
        let (prevlen, mut p) = if first < 254 {
            (usize::from(first), pos + 1)
        } else {
            let v = b.get(pos + 1..pos + 5).ok_or(TRUNC)?;
            (le_int(v) as u32 as usize, pos + 5)
        };
        if prevlen != prev_size {
            return Err("ziplist prevlen mismatch");
        }
        let enc = *b.get(p).ok_or(TRUNC)?;
        let take = |from: usize, n: usize| {
            from.checked_add(n)
                .and_then(|end| b.get(from..end))
                .ok_or(TRUNC)
        };
        let e = match enc >> 6 {
            0 => {
                let n = usize::from(enc & 0x3f);
                let s = take(p + 1, n)?;
                p += 1 + n;
                Entry::Str(s)
            }
            1 => {
                let n = (usize::from(enc & 0x3f) << 8) | usize::from(*b.get(p + 1).ok_or(TRUNC)?);
                let s = take(p + 2, n)?;
                p += 2 + n;
                Entry::Str(s)
            }
            2 => {
                let l = take(p + 1, 4)?;
                let n = u32::from_be_bytes([l[0], l[1], l[2], l[3]]) as usize;
                let s = take(p + 5, n)?;
                p += 5 + n;
                Entry::Str(s)
            }
            _ => {
                let width = match enc {
                    0xc0 => 2,
                    0xd0 => 4,
                    0xe0 => 8,
                    0xf0 => 3,
                    0xfe => 1,
                    0xf1..=0xfd => 0,
                    _ => return Err("bad ziplist encoding"),
                };
                let v = if width == 0 {
                    i64::from(enc & 0x0f) - 1
                } else {
                    le_int(take(p + 1, width)?)
                };
                p += 1 + width;
                Entry::Int(v)
            }
        };
        if p > end {
            return Err(TRUNC);
        }
        entries.push(e);
        last = pos;
        prev_size = p - pos;
        pos = p;
    }
    if tail != last {
        return Err("ziplist tail offset mismatch");
    }
    if count != 0xffff && count != entries.len() {
        return Err("ziplist count mismatch");
    }
    Ok(entries)
}

/// A field and its value.
pub type Pair<'a> = (&'a [u8], &'a [u8]);

/// Reads and validates a zipmap (hashes saved by Redis 2.4 and older):
/// field/value pairs.
pub fn read_zipmap(b: &[u8]) -> Result<Vec<Pair<'_>>, Invalid> {
    const TRUNC: Invalid = "zipmap entry past the end";
    let count = usize::from(*b.first().ok_or("zipmap too short")?);
    let mut pos = 1;
    let len_at = |pos: &mut usize| -> Result<Option<usize>, Invalid> {
        let first = *b.get(*pos).ok_or(TRUNC)?;
        match first {
            255 => Ok(None),
            254 => {
                let v = b.get(*pos + 1..*pos + 5).ok_or(TRUNC)?;
                *pos += 5;
                Ok(Some(le_int(v) as u32 as usize))
            }
            n => {
                *pos += 1;
                Ok(Some(usize::from(n)))
            }
        }
    };
    let mut pairs = Vec::new();
    while let Some(flen) = len_at(&mut pos)? {
        let field = b
            .get(pos..pos.checked_add(flen).ok_or(TRUNC)?)
            .ok_or(TRUNC)?;
        pos += flen;
        let vlen = len_at(&mut pos)?.ok_or("zipmap field without value")?;
        let free = usize::from(*b.get(pos).ok_or(TRUNC)?);
        pos += 1;
        let value = b
            .get(pos..pos.checked_add(vlen).ok_or(TRUNC)?)
            .ok_or(TRUNC)?;
        pos += vlen + free;
        pairs.push((field, value));
    }
    if pos + 1 != b.len() {
        return Err("zipmap size mismatch");
    }
    if count < 254 && count != pairs.len() {
        return Err("zipmap count mismatch");
    }
    Ok(pairs)
}

/// An intset blob: its element width and elements, checked to be sorted
/// and distinct (ferredis's intset searches them).
pub fn read_intset(b: &[u8]) -> Result<(usize, Vec<i64>), Invalid> {
    if b.len() < 8 {
        return Err("intset too short");
    }
    let width = le_int(&b[..4]) as u32 as usize;
    let count = le_int(&b[4..8]) as u32 as usize;
    if !matches!(width, 2 | 4 | 8) {
        return Err("bad intset encoding");
    }
    if count.checked_mul(width).and_then(|n| n.checked_add(8)) != Some(b.len()) {
        return Err("intset size mismatch");
    }
    if count == 0 {
        return Err("empty intset");
    }
    let values: Vec<i64> = b[8..].chunks_exact(width).map(le_int).collect();
    if values.windows(2).any(|w| w[0] >= w[1]) {
        return Err("intset not sorted");
    }
    Ok((width, values))
}

/// An intset blob of `values` (ascending) at `width` bytes each.
pub fn write_intset(
    width: usize,
    len: usize,
    values: impl Iterator<Item = i64>,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes()[..width]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listpack_bytes_match_redis() {
        // The list `a b 1 300` as redis-server 7.0.15 DUMPs its node.
        let mut out = Vec::new();
        let items: [&[u8]; 4] = [b"a", b"b", b"1", b"300"];
        write_listpack(items.iter().map(|s| Entry::Str(s)), &mut out);
        assert_eq!(
            out,
            [
                0x12, 0, 0, 0, 4, 0, 0x81, b'a', 2, 0x81, b'b', 2, 1, 1, 0xc1, 0x2c, 2, 0xff
            ]
        );
        let back = read_listpack(&out).unwrap();
        assert_eq!(
            back,
            [
                Entry::Str(b"a"),
                Entry::Str(b"b"),
                Entry::Int(1),
                Entry::Int(300)
            ]
        );
        // A non-integral score is written as its %.17g text.
        write_listpack([Entry::Str(b"b"), Entry::Float(2.5)], &mut out);
        assert_eq!(&out[6..], [0x81, b'b', 2, 0x83, b'2', b'.', b'5', 4, 0xff]);
    }

    #[test]
    fn listpack_integer_widths_round_trip() {
        let values = [
            0,
            127,
            128,
            -1,
            -4096,
            4095,
            4096,
            -32768,
            32767,
            -8_388_608,
            8_388_607,
            i64::from(i32::MIN),
            i64::from(i32::MAX),
            i64::MIN,
            i64::MAX,
        ];
        let mut out = Vec::new();
        write_listpack(values.iter().map(|&n| Entry::Int(n)), &mut out);
        let back: Vec<i64> = read_listpack(&out)
            .unwrap()
            .into_iter()
            .map(|e| match e {
                Entry::Int(n) => n,
                _ => panic!("not an integer"),
            })
            .collect();
        assert_eq!(back, values);
    }

    #[test]
    fn long_strings_and_backlengths() {
        for len in [63, 64, 4095, 4096, 16_380, 16_383, 20_000] {
            let s = vec![b'x'; len];
            let mut out = Vec::new();
            write_listpack([Entry::Str(&s), Entry::Str(b"y")], &mut out);
            let back = read_listpack(&out).unwrap();
            assert_eq!(back, [Entry::Str(&s), Entry::Str(b"y")], "len {len}");
        }
    }

    #[test]
    fn native_conversion_matches_entry_by_entry_encoding() {
        // Every form on both sides of its limits, and the string sizes
        // around Redis's back-length bounds (an entry of 16383 bytes).
        let long: Vec<Vec<u8>> = [0, 63, 64, 4095, 4096, 16_378, 16_379, 20_000]
            .iter()
            .map(|&n| vec![b'x'; n])
            .collect();
        let ints = [
            0,
            127,
            128,
            -1,
            -4096,
            4095,
            4096,
            -4097,
            -32768,
            32767,
            32768,
            -8_388_608,
            8_388_607,
            8_388_608,
            i64::from(i32::MIN),
            i64::from(i32::MAX),
            i64::MIN,
            i64::MAX,
        ];
        let mut entries: Vec<Entry> = ints.iter().map(|&n| Entry::Int(n)).collect();
        entries.extend(long.iter().map(|s| Entry::Str(s)));
        entries.push(Entry::Str(b"field"));
        let mut native = Listpack::new();
        for e in &entries {
            native.push_back(EntryInput::from(*e));
        }
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        write_listpack_native(native.encoded(), native.len(), &mut fast);
        write_listpack(entries.iter().copied(), &mut slow);
        assert_eq!(fast, slow);
        let back = read_listpack_native(&fast, None).unwrap();
        assert_eq!(back, native);
        // Floats (ferredis's own form) are written as Redis's text.
        write_zset_listpack(native.encoded(), native.len(), &mut fast);
        assert_eq!(fast, slow);
        for at in [0, 5, native.len()] {
            let pos = native.seek(at as i64).unwrap_or(native.bytes_len());
            native.insert_at(pos, EntryInput::Float(2.5));
            entries.insert(at, Entry::Float(2.5));
        }
        write_zset_listpack(native.encoded(), native.len(), &mut fast);
        write_listpack(entries.iter().copied(), &mut slow);
        assert_eq!(fast, slow);
        assert!(
            read_listpack(&fast)
                .unwrap()
                .iter()
                .all(|e| !matches!(e, Entry::Float(_)))
        );
    }

    #[test]
    fn forms_redis_would_not_pick_are_encoded_again() {
        // "12" as a string, 5 in the 13-bit form, 300 in the 16-bit form,
        // then a short string: ferredis keeps integers as integers.
        let lp = [
            0x15, 0, 0, 0, 4, 0, 0x82, b'1', b'2', 3, 0xc0, 5, 2, 0xf1, 0x2c, 1, 3, 0x81, b'a', 2,
            0xff,
        ];
        let got = read_listpack_native(&lp, None).unwrap();
        let mut want = Listpack::new();
        for n in [12, 5, 300] {
            want.push_back(EntryInput::Int(n));
        }
        want.push_back(EntryInput::Bytes(b"a"));
        assert_eq!(got, want);
    }

    #[test]
    fn unusual_back_lengths_are_encoded_again() {
        // A 200-byte string whose back-length has a stray high bit on the
        // byte nearest the entry: it reads back as the right size, but a
        // backward walk would not stop there, so the entry is encoded again.
        let s = [b'x'; 200];
        let mut good = Vec::new();
        write_listpack([Entry::Str(&s), Entry::Int(7)], &mut good);
        let mut odd = good.clone();
        odd[LP_HEADER + 202] |= 0x80;
        let lp = read_listpack_native(&odd, None).unwrap();
        assert_eq!(lp, read_listpack_native(&good, None).unwrap());
        assert_eq!(lp.iter_rev().count(), 2);
        // A float tag in a file is refused: it is ferredis's alone.
        let lp = [16, 0, 0, 0, 1, 0, 0xf5, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0xff];
        assert!(read_listpack(&lp).is_err());
    }

    #[test]
    fn corrupt_listpacks_are_refused() {
        let mut out = Vec::new();
        write_listpack([Entry::Str(b"hello"), Entry::Int(5)], &mut out);
        for cut in 0..out.len() {
            assert!(read_listpack(&out[..cut]).is_err());
        }
        let mut bad = out.clone();
        bad[4] = 3;
        assert!(read_listpack(&bad).is_err());
        let mut bad = out.clone();
        bad[7 + 5] = 9;
        assert!(read_listpack(&bad).is_err());
    }

    #[test]
    fn intsets() {
        let mut out = Vec::new();
        write_intset(2, 3, [1i64, 2, 3].into_iter(), &mut out);
        assert_eq!(out, [2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0]);
        assert_eq!(read_intset(&out).unwrap(), (2, vec![1, 2, 3]));
        write_intset(2, 2, [3i64, 2].into_iter(), &mut out);
        assert!(read_intset(&out).is_err());
    }
}
