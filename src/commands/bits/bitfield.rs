//! BITFIELD and BITFIELD_RO: signed and unsigned integers of 1 to 64 bits
//! (unsigned up to 63) at any bit offset of a string, read, written and
//! incremented with a chosen overflow behaviour.

use super::{bit_offset, edit_bits};
use crate::commands::strings::as_str;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::protocol::ReplyBuffer;
use bytes::Bytes;

/// What INCRBY and SET do when the value does not fit the field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy)]
enum Action {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// One operation, with the field it addresses.
struct FieldOp {
    action: Action,
    signed: bool,
    bits: u32,
    offset: u64,
    overflow: Overflow,
}

pub(super) fn bitfield(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    bitfield_generic(ctx, args, false)
}

pub(super) fn bitfield_ro(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    bitfield_generic(ctx, args, true)
}

/// Parses every operation first (any error leaves the key untouched),
/// then runs them in order. Only writes create or extend the string.
fn bitfield_generic(ctx: &mut Ctx, args: &[Bytes], read_only_cmd: bool) -> CmdResult {
    let ops = parse_ops(&args[2..], ctx.engine.config.proto_max_bulk_len)?;
    let key = &args[1];
    let now = ctx.now_ms;
    // The last bit any write touches, if there is a write.
    let highest = ops
        .iter()
        .filter(|op| !matches!(op.action, Action::Get))
        .map(|op| op.offset + u64::from(op.bits) - 1)
        .max();
    let Some(highest) = highest else {
        let mut buf = [0u8; 20];
        let (db, reply) = ctx.db_and_reply();
        let found = match db.get(key, now) {
            None => None,
            Some(obj) => Some(
                as_str(&obj.value)
                    .ok_or(CmdError::WRONG_TYPE)?
                    .as_bytes(&mut buf),
            ),
        };
        let Some(bytes) = found else {
            ctx.flush_key_events();
            reply_reads(&mut *ctx.reply, &[], &ops);
            return Ok(());
        };
        reply_reads(reply, bytes, &ops);
        return Ok(());
    };
    if read_only_cmd {
        return Err(CmdError::text(
            "ERR BITFIELD_RO only supports the GET subcommand",
        ));
    }
    let len = usize::try_from(highest >> 3).unwrap_or(usize::MAX) + 1;
    let mut changes = 0;
    let results = edit_bits(ctx.db(), key, len, now, |bytes, grew| {
        ops.iter()
            .map(|op| {
                let (result, changed) = run_op(bytes, op, grew);
                changes += usize::from(changed);
                result
            })
            .collect::<Vec<_>>()
    })?;
    // The key was created (a `new` event) before Redis's first reply byte.
    ctx.flush_key_events();
    ctx.reply.array(results.len());
    for result in results {
        match result {
            Some(n) => ctx.reply.int(n),
            None => ctx.reply.null(),
        }
    }
    ctx.dirty(changes as u64);
    if changes > 0 {
        ctx.key_changed(crate::commands::keyevents::class::STRING, "setbit", key);
    }
    Ok(())
}

/// The reply of GET-only operations on `bytes`.
fn reply_reads(reply: &mut ReplyBuffer, bytes: &[u8], ops: &[FieldOp]) {
    reply.array(ops.len());
    for op in ops {
        reply.int(read_field(bytes, op));
    }
}

/// Runs one operation on a string already long enough for every write:
/// its reply (`None` for a FAIL overflow), and whether it changed the key
/// (a write that stores the same bits counts only when the string was
/// just created or extended).
fn run_op(bytes: &mut [u8], op: &FieldOp, grew: bool) -> (Option<i64>, bool) {
    let (by, is_set) = match op.action {
        Action::Get => return (Some(read_field(bytes, op)), false),
        Action::Set(v) => (v, true),
        Action::IncrBy(by) => (by, false),
    };
    let old_bits = read_bits(bytes, op.offset, op.bits);
    let old = if op.signed {
        sign_extend(old_bits, op.bits) as u64
    } else {
        old_bits
    };
    // The value to check for overflow, and the increment applied to it.
    let (value, incr) = if is_set { (by as u64, 0) } else { (old, by) };
    let limited = if op.signed {
        signed_overflow(value as i64, incr, op.bits, op.overflow).map(|v| v as u64)
    } else {
        unsigned_overflow(value, incr, op.bits, op.overflow)
    };
    if limited.is_some() && op.overflow == Overflow::Fail {
        return (None, false);
    }
    let new = limited.unwrap_or(value.wrapping_add(incr as u64));
    write_bits(bytes, op.offset, op.bits, new);
    let changed = grew || read_bits(bytes, op.offset, op.bits) != old_bits;
    (Some(if is_set { old } else { new } as i64), changed)
}

fn parse_ops(args: &[Bytes], max_bulk: i64) -> Result<Vec<FieldOp>, CmdError> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 0;
    while let Some(sub) = args.get(j) {
        let remaining = args.len() - j - 1;
        let takes_value = if is(sub, "get") && remaining >= 2 {
            false
        } else if (is(sub, "set") || is(sub, "incrby")) && remaining >= 3 {
            true
        } else if is(sub, "overflow") && remaining >= 1 {
            overflow = match &args[j + 1] {
                a if is(a, "wrap") => Overflow::Wrap,
                a if is(a, "sat") => Overflow::Sat,
                a if is(a, "fail") => Overflow::Fail,
                _ => return Err(CmdError::text("ERR Invalid OVERFLOW type specified")),
            };
            j += 2;
            continue;
        } else {
            return Err(CmdError::SYNTAX);
        };
        let (signed, bits) = field_type(&args[j + 1])?;
        let offset = bit_offset(&args[j + 2], bits, max_bulk)?;
        let action = if !takes_value {
            Action::Get
        } else if is(sub, "set") {
            Action::Set(arg_i64(&args[j + 3])?)
        } else {
            Action::IncrBy(arg_i64(&args[j + 3])?)
        };
        ops.push(FieldOp {
            action,
            signed,
            bits,
            offset,
            overflow,
        });
        j += if takes_value { 4 } else { 3 };
    }
    Ok(ops)
}

/// Parses a field type, `i1`..`i64` or `u1`..`u63`. As in Redis the
/// letter is case-sensitive and the width stops at a NUL byte.
fn field_type(arg: &[u8]) -> Result<(bool, u32), CmdError> {
    const BAD_TYPE: CmdError = CmdError::text(
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
    );
    let (signed, rest) = match arg.split_first() {
        Some((b'i', rest)) => (true, rest),
        Some((b'u', rest)) => (false, rest),
        _ => return Err(BAD_TYPE),
    };
    let width = rest.split(|&b| b == 0).next().unwrap_or_default();
    let max = if signed { 64 } else { 63 };
    match crate::util::parse_i64(width) {
        Some(bits @ 1..) if bits <= max => Ok((signed, bits as u32)),
        _ => Err(BAD_TYPE),
    }
}

/// A GET: the field's value, bits past the end of the string reading 0.
fn read_field(bytes: &[u8], op: &FieldOp) -> i64 {
    let v = read_bits(bytes, op.offset, op.bits);
    if op.signed {
        sign_extend(v, op.bits)
    } else {
        v as i64
    }
}

/// `bits` bits from `offset` on, most significant first.
fn read_bits(bytes: &[u8], offset: u64, bits: u32) -> u64 {
    (offset..offset + u64::from(bits))
        .fold(0, |v, pos| (v << 1) | u64::from(super::bit_at(bytes, pos)))
}

/// Writes the low `bits` bits of `value` from `offset` on.
fn write_bits(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
    for (k, pos) in (offset..offset + u64::from(bits)).enumerate() {
        let bit = (value >> (bits - 1 - k as u32)) & 1;
        let mask = 0x80u8 >> (pos & 7);
        if let Some(b) = usize::try_from(pos >> 3)
            .ok()
            .and_then(|i| bytes.get_mut(i))
        {
            *b = if bit == 1 { *b | mask } else { *b & !mask };
        }
    }
}

/// Reads the low `bits` bits of `v` as a two's complement number.
fn sign_extend(v: u64, bits: u32) -> i64 {
    if bits >= 64 {
        return v as i64;
    }
    let high = u64::MAX << bits;
    let low = v & !high;
    if low & (1 << (bits - 1)) != 0 {
        (low | high) as i64
    } else {
        low as i64
    }
}

/// Redis's checkSignedBitfieldOverflow: `None` when `value + incr` fits an
/// `i<bits>`, else the value to store instead (wrapped or saturated; any
/// value for FAIL). The comparisons, including the intermediate values
/// that wrap around, follow Redis's so the same inputs overflow.
fn signed_overflow(value: i64, incr: i64, bits: u32, ow: Overflow) -> Option<i64> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrapped = || {
        let c = (value as u64).wrapping_add(incr as u64);
        sign_extend(c, bits)
    };
    if value > max || (bits != 64 && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr)
    {
        Some(if ow == Overflow::Sat { max } else { wrapped() })
    } else if value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr)
    {
        Some(if ow == Overflow::Sat { min } else { wrapped() })
    } else {
        None
    }
}

/// Redis's checkUnsignedBitfieldOverflow, the unsigned counterpart of
/// [`signed_overflow`]. A negative SET value reads as a huge unsigned one
/// and so saturates to the maximum.
fn unsigned_overflow(value: u64, incr: i64, bits: u32, ow: Overflow) -> Option<u64> {
    let max = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = (value as i64).wrapping_neg();
    let wrapped = || value.wrapping_add(incr as u64) & max;
    if value > max || (incr > 0 && incr > max_incr) {
        Some(if ow == Overflow::Sat { max } else { wrapped() })
    } else if incr < 0 && incr < min_incr {
        Some(if ow == Overflow::Sat { 0 } else { wrapped() })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_rules() {
        use Overflow::*;
        assert_eq!(signed_overflow(127, 1, 8, Wrap), Some(-128));
        assert_eq!(signed_overflow(127, 1, 8, Sat), Some(127));
        assert_eq!(signed_overflow(-128, -1, 8, Sat), Some(-128));
        assert_eq!(signed_overflow(100, 27, 8, Wrap), None);
        assert_eq!(signed_overflow(i64::MAX, 1, 64, Wrap), Some(i64::MIN));
        assert_eq!(signed_overflow(i64::MIN, -1, 64, Sat), Some(i64::MIN));
        // Redis's intermediate wrap-around: a hugely negative SET value on
        // a narrow field counts as an overflow upwards.
        assert_eq!(signed_overflow(i64::MIN, 0, 8, Sat), Some(127));
        assert_eq!(unsigned_overflow(255, 1, 8, Wrap), Some(0));
        assert_eq!(unsigned_overflow(0, -1, 8, Sat), Some(0));
        assert_eq!(unsigned_overflow(u64::MAX, 0, 8, Sat), Some(255));
        assert_eq!(unsigned_overflow(u64::MAX, 0, 8, Wrap), Some(255));
        assert_eq!(unsigned_overflow(3, -3, 2, Wrap), None);
    }

    #[test]
    fn bit_layout() {
        let mut b = [0u8; 3];
        write_bits(&mut b, 4, 8, 0xab);
        assert_eq!(b, [0x0a, 0xb0, 0]);
        assert_eq!(read_bits(&b, 4, 8), 0xab);
        assert_eq!(read_bits(&b, 20, 16), 0);
        assert_eq!(sign_extend(0xff, 8), -1);
        assert_eq!(sign_extend(u64::MAX, 64), -1);
    }
}
