//! Bitmap commands: a string seen as an array of bits, bit 0 being the
//! most significant bit of the first byte. SETBIT, GETBIT, BITCOUNT,
//! BITPOS and BITOP are here; BITFIELD has its own file.

mod bitfield;
#[cfg(test)]
mod tests;

use super::strings::{as_str, grow_zero, raw_object, read_string, unshare};
use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::Db;
use bytes::Bytes;
use thin_vec::ThinVec;

const BITMAP: u32 = acl::BITMAP;
const RO_ACCESS: &[KeySpec] = &[KeySpec::range(&["RO", "access"], 1, 0, 1)];

pub static COMMANDS: &[Command] = &[
    Command::new("setbit", 4, setbit)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(acl::WRITE | BITMAP | acl::SLOW)
        .keys(
            1,
            1,
            1,
            &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
        )
        .doc(
            Group::Bitmap,
            "2.2.0",
            "O(1)",
            "Sets or clears one bit of a string and returns its previous value.",
        ),
    Command::new("getbit", 3, getbit)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::READ | BITMAP | acl::FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Bitmap,
            "2.2.0",
            "O(1)",
            "Returns the value of one bit of a string.",
        ),
    Command::new("bitcount", -2, bitcount)
        .flags(flag::READONLY)
        .acl(acl::READ | BITMAP | acl::SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Bitmap,
            "2.6.0",
            "O(N)",
            "Counts the bits set to 1 in a string, or in a byte or bit range of it.",
        ),
    Command::new("bitpos", -3, bitpos)
        .flags(flag::READONLY)
        .acl(acl::READ | BITMAP | acl::SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Bitmap,
            "2.8.7",
            "O(N)",
            "Finds the first bit set to 1, or to 0, in a string or a range of it.",
        ),
    Command::new("bitop", -4, bitop)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(acl::WRITE | BITMAP | acl::SLOW)
        .keys(
            2,
            -1,
            1,
            &[
                KeySpec::range(&["OW", "update"], 2, 0, 1),
                KeySpec::range(&["RO", "access"], 3, -1, 1),
            ],
        )
        .doc(
            Group::Bitmap,
            "2.6.0",
            "O(N)",
            "Combines strings bit by bit (AND, OR, XOR, NOT) into a destination key.",
        ),
    Command::new("bitfield", -2, bitfield::bitfield)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(acl::WRITE | BITMAP | acl::SLOW)
        .keys(
            1,
            1,
            1,
            &[KeySpec {
                notes: Some("This command allows both access and modification of the key"),
                ..KeySpec::range(&["RW", "access", "update", "variable_flags"], 1, 0, 1)
            }],
        )
        .doc(
            Group::Bitmap,
            "3.2.0",
            "O(1) per operation",
            "Reads, writes and increments integers of any width at any bit offset of a string.",
        ),
    Command::new("bitfield_ro", -2, bitfield::bitfield_ro)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::READ | BITMAP | acl::FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Bitmap,
            "6.0.0",
            "O(1) per operation",
            "Reads integers of any width at any bit offset of a string (BITFIELD's GET only).",
        ),
];

const BIT_OFFSET: CmdError = CmdError::text("ERR bit offset is not an integer or out of range");

/// Reads a bit offset as Redis's getBitOffsetFromArgument: a non-negative
/// integer whose byte lies within proto-max-bulk-len. With `scale` > 0 the
/// `#n` form means n * scale (BITFIELD's offsets in units of the field
/// width); the product wraps as it does in Redis's C.
fn bit_offset(arg: &[u8], scale: u32, max_bulk: i64) -> Result<u64, CmdError> {
    let (digits, scale) = match arg.split_first() {
        Some((b'#', rest)) if scale > 0 => (rest, i64::from(scale)),
        _ => (arg, 1),
    };
    let n = crate::util::parse_i64(digits)
        .ok_or(BIT_OFFSET)?
        .wrapping_mul(scale);
    if n < 0 || (n >> 3) >= max_bulk {
        return Err(BIT_OFFSET);
    }
    Ok(n as u64)
}

/// Opens the string at `key` for bit writes, as Redis's
/// lookupStringForBitCommand: created if missing, zero-extended to at
/// least `len` bytes, `raw` from then on. `edit` gets the bytes and whether
/// the key was created or grew (a change even if no bit flips).
fn edit_bits<R>(
    db: &mut Db,
    key: &[u8],
    len: usize,
    now_ms: i64,
    edit: impl FnOnce(&mut [u8], bool) -> R,
) -> Result<R, CmdError> {
    match db.get_mut(key, now_ms) {
        Some(obj) => {
            let buf = unshare(obj).ok_or(CmdError::WRONG_TYPE)?;
            let before = buf.len();
            grow_zero(buf, len);
            let grew = buf.len() != before;
            Ok(edit(buf, grew))
        }
        None => {
            let mut buf = ThinVec::with_capacity(len);
            buf.resize(len, 0);
            let result = edit(&mut buf, true);
            db.add(key, raw_object(buf, now_ms));
            Ok(result)
        }
    }
}

fn setbit(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    const BIT_VALUE: CmdError = CmdError::text("ERR bit is not an integer or out of range");
    let offset = bit_offset(&args[2], 0, ctx.engine.config.proto_max_bulk_len)?;
    let on = arg_i64(&args[3]).map_err(|_| BIT_VALUE)?;
    if on & !1 != 0 {
        return Err(BIT_VALUE);
    }
    let byte = (offset >> 3) as usize;
    let shift = 7 - (offset & 7) as u32;
    let now = ctx.now_ms;
    let (old, changed) = edit_bits(ctx.db(), &args[1], byte + 1, now, |bytes, grew| {
        let Some(b) = bytes.get_mut(byte) else {
            return (0, false);
        };
        let old = (*b >> shift) & 1;
        *b = (*b & !(1 << shift)) | ((on as u8) << shift);
        (old, grew || i64::from(old) != on)
    })?;
    if changed {
        ctx.dirty(1);
        ctx.key_changed(
            crate::commands::keyevents::class::STRING,
            "setbit",
            &args[1],
        );
    }
    ctx.reply.int(i64::from(old));
    Ok(())
}

fn getbit(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let offset = bit_offset(&args[2], 0, ctx.engine.config.proto_max_bulk_len)?;
    let now = ctx.now_ms;
    let mut buf = [0u8; 20];
    let bit = match read_string(ctx.db(), &args[1], now)? {
        None => 0,
        Some(s) => bit_at(s.as_bytes(&mut buf), offset),
    };
    ctx.flush_key_events();
    ctx.reply.int(i64::from(bit));
    Ok(())
}

/// The bit at `pos`; bits past the end read as 0.
fn bit_at(bytes: &[u8], pos: u64) -> u8 {
    let byte = usize::try_from(pos >> 3).ok().and_then(|i| bytes.get(i));
    byte.map_or(0, |b| (b >> (7 - (pos & 7))) & 1)
}

/// Resolves BITCOUNT's and BITPOS's `start end [BYTE|BIT]` into an
/// inclusive range of bit positions, or `None` when it is empty: negative
/// offsets count from the end, then both are clamped into the string.
fn bit_range(start: i64, end: i64, len: usize, in_bits: bool) -> Option<(u64, u64)> {
    let total = i64::try_from(len).ok()? * if in_bits { 8 } else { 1 };
    let from_end = |i: i64| if i < 0 { (total + i).max(0) } else { i };
    let (start, end) = (from_end(start), from_end(end).min(total - 1));
    if start > end {
        return None;
    }
    let (start, end) = (start as u64, end as u64);
    Some(if in_bits {
        (start, end)
    } else {
        (start * 8, end * 8 + 7)
    })
}

/// Parses the optional `BYTE | BIT` unit argument.
fn unit_is_bit(arg: Option<&Bytes>) -> Result<bool, CmdError> {
    match arg {
        None => Ok(false),
        Some(a) if is(a, "bit") => Ok(true),
        Some(a) if is(a, "byte") => Ok(false),
        Some(_) => Err(CmdError::SYNTAX),
    }
}

/// BITCOUNT. The key is looked up first, so a missing key answers 0 even
/// when the range arguments are malformed.
fn bitcount(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let mut buf = [0u8; 20];
    let Some(s) = read_string(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    let bytes = s.as_bytes(&mut buf);
    let range = match args.len() {
        2 => bit_range(0, -1, bytes.len(), false),
        4 | 5 => {
            let start = arg_i64(&args[2])?;
            let end = arg_i64(&args[3])?;
            // Two negative offsets in the wrong order count nothing, even
            // where clamping would have made them overlap; Redis answers
            // before it even reads the unit.
            if start < 0 && end < 0 && start > end {
                None
            } else {
                bit_range(start, end, bytes.len(), unit_is_bit(args.get(4))?)
            }
        }
        _ => return Err(CmdError::SYNTAX),
    };
    reply.int(range.map_or(0, |(first, last)| count_ones(bytes, first, last)) as i64);
    Ok(())
}

/// The number of set bits between two bit positions, both included.
fn count_ones(bytes: &[u8], first: u64, last: u64) -> u64 {
    let (lo, hi) = ((first >> 3) as usize, (last >> 3) as usize);
    let Some(span) = bytes.get(lo..=hi) else {
        return 0;
    };
    let mut chunks = span.chunks_exact(8);
    let mut n: u64 = chunks
        .by_ref()
        .map(|c| u64::from_ne_bytes(c.try_into().unwrap_or_default()).count_ones() as u64)
        .sum();
    n += chunks
        .remainder()
        .iter()
        .map(|b| u64::from(b.count_ones()))
        .sum::<u64>();
    // Take off the bits of the edge bytes that lie outside the range.
    let head = span
        .first()
        .map_or(0, |b| b.checked_shr(8 - (first & 7) as u32).unwrap_or(0));
    let tail = span.last().map_or(0, |b| {
        b & 0xffu8.checked_shr((last & 7) as u32 + 1).unwrap_or(0)
    });
    n - u64::from(head.count_ones()) - u64::from(tail.count_ones())
}

/// BITPOS: the first bit equal to `bit`. A missing key is an endless run
/// of zeros; looking for a 0 without an explicit end may answer the first
/// bit past the string, as if it were zero-padded.
fn bitpos(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let bit = arg_i64(&args[2])?;
    if bit != 0 && bit != 1 {
        return Err(CmdError::text("ERR The bit argument must be 1 or 0."));
    }
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let mut buf = [0u8; 20];
    let Some(s) = read_string(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.int(if bit == 1 { -1 } else { 0 });
        return Ok(());
    };
    let bytes = s.as_bytes(&mut buf);
    let (range, end_given) = match args.len() {
        3 => (bit_range(0, -1, bytes.len(), false), false),
        4..=6 => {
            let start = arg_i64(&args[3])?;
            let in_bits = unit_is_bit(args.get(5))?;
            let end = args.get(4).map(|a| arg_i64(a)).transpose()?;
            let range = bit_range(start, end.unwrap_or(-1), bytes.len(), in_bits);
            (range, end.is_some())
        }
        _ => return Err(CmdError::SYNTAX),
    };
    let pos = match range {
        None => -1,
        Some((first, last)) => match find_bit(bytes, first, last, bit == 1) {
            Some(p) => p as i64,
            None if bit == 0 && !end_given => (last + 1) as i64,
            None => -1,
        },
    };
    reply.int(pos);
    Ok(())
}

/// The first position between `first` and `last` (inclusive) whose bit is
/// `one`.
fn find_bit(bytes: &[u8], first: u64, last: u64, one: bool) -> Option<u64> {
    let lo = usize::try_from(first >> 3).ok()?;
    let hi = usize::try_from(last >> 3).ok()?;
    let span = bytes.get(lo..=hi)?;
    // XOR with `flip` turns the bits sought into ones.
    let flip = if one { 0x00 } else { 0xff };
    // Leading words with nothing to find are skipped eight bytes at a time
    // (masking the edge bytes could only remove candidates).
    let skip = span
        .chunks_exact(8)
        .take_while(|w| w.iter().all(|&b| b == flip))
        .count()
        * 8;
    for (i, &b) in span.iter().enumerate().skip(skip) {
        let mut v = b ^ flip;
        if i == 0 {
            v &= 0xff >> (first & 7);
        }
        if i + 1 == span.len() {
            v &= 0xff << (7 - (last & 7));
        }
        if v != 0 {
            return Some((lo + i) as u64 * 8 + u64::from(v.leading_zeros()));
        }
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// BITOP: missing keys count as empty strings, shorter strings as
/// zero-padded; the result is stored `raw`, or the destination deleted
/// when every source is empty.
fn bitop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let op = match &args[1] {
        a if is(a, "and") => BitOp::And,
        a if is(a, "or") => BitOp::Or,
        a if is(a, "xor") => BitOp::Xor,
        a if is(a, "not") => BitOp::Not,
        _ => return Err(CmdError::SYNTAX),
    };
    if op == BitOp::Not && args.len() != 4 {
        return Err(CmdError::text(
            "ERR BITOP NOT must be called with a single source key.",
        ));
    }
    let now = ctx.now_ms;
    let db = ctx.db();
    let mut result: ThinVec<u8> = ThinVec::new();
    for (n, key) in args[3..].iter().enumerate() {
        let mut buf = [0u8; 20];
        let src = match db.get(key, now) {
            None => &[][..],
            Some(obj) => as_str(&obj.value)
                .ok_or(CmdError::WRONG_TYPE)?
                .as_bytes(&mut buf),
        };
        if n == 0 {
            result.extend_from_slice(src);
            if op == BitOp::Not {
                result.iter_mut().for_each(|b| *b = !*b);
            }
            continue;
        }
        // Bytes past the end of earlier sources were zeros for them too.
        if src.len() > result.len() {
            // Exactly the longest input, as Redis sizes the result.
            result.reserve_exact(src.len() - result.len());
            result.resize(src.len(), 0);
        }
        let (head, rest) = result.split_at_mut(src.len());
        match op {
            BitOp::And => {
                head.iter_mut().zip(src).for_each(|(r, s)| *r &= s);
                rest.fill(0);
            }
            BitOp::Or => head.iter_mut().zip(src).for_each(|(r, s)| *r |= s),
            BitOp::Xor => head.iter_mut().zip(src).for_each(|(r, s)| *r ^= s),
            BitOp::Not => {}
        }
    }
    let len = result.len();
    let dest = &args[2];
    if len > 0 {
        db.set_live(dest, raw_object(result, now), false, now);
        ctx.dirty(1);
        ctx.key_changed(crate::commands::keyevents::class::STRING, "set", dest);
    } else if db.discard(dest, crate::db::Deletion::ServerDel) {
        ctx.dirty(1);
        ctx.key_changed(crate::commands::keyevents::class::GENERIC, "del", dest);
    }
    // The sources' misses when nothing was stored.
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}
