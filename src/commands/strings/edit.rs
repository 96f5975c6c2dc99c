//! Edits in place and byte ranges: APPEND, SETRANGE, GETRANGE (and its
//! old name SUBSTR), STRLEN.

use super::{as_str, check_string_length, grow_zero, raw_object, read_string};
use super::{reserve_greedy, unshare};
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64};
use crate::db::{Object, Str};
use bytes::Bytes;
use thin_vec::ThinVec;

/// APPEND: a missing key is created from the argument as SET would store
/// it; an existing value grows in place (amortized O(1) per byte) and
/// becomes `raw`, even when nothing is appended.
pub(super) fn append(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (key, tail) = (&args[1], &args[2]);
    let max = ctx.engine.config.proto_max_bulk_len;
    let now = ctx.now_ms;
    let db = ctx.db();
    let total = match db.get_mut(key, now) {
        None => {
            db.add(key, Object::string(Str::from_arg(tail), now));
            tail.len()
        }
        Some(obj) => {
            let len = as_str(&obj.value).ok_or(CmdError::WRONG_TYPE)?.len();
            check_string_length(len, tail.len(), max)?;
            let buf = unshare(obj).ok_or(CmdError::WRONG_TYPE)?;
            reserve_greedy(buf, buf.len() + tail.len());
            buf.extend_from_slice(tail);
            buf.len()
        }
    };
    ctx.dirty(1);
    ctx.key_changed(class::STRING, "append", key);
    ctx.reply.int(total as i64);
    Ok(())
}

/// SETRANGE: writes `value` at `offset`, zero-padding as needed. Writing
/// nothing changes nothing (not even a missing key); anything else leaves
/// the value `raw`.
pub(super) fn setrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (key, value) = (&args[1], &args[3]);
    let offset = usize::try_from(arg_i64(&args[2])?)
        .map_err(|_| CmdError::text("ERR offset is out of range"))?;
    let max = ctx.engine.config.proto_max_bulk_len;
    let now = ctx.now_ms;
    let db = ctx.db();
    let len = match db.get_mut(key, now) {
        None if value.is_empty() => 0,
        None => {
            check_string_length(offset, value.len(), max)?;
            let mut buf = ThinVec::with_capacity(offset + value.len());
            buf.resize(offset, 0);
            buf.extend_from_slice(value);
            db.add(key, raw_object(buf, now));
            offset + value.len()
        }
        Some(obj) => {
            let len = as_str(&obj.value).ok_or(CmdError::WRONG_TYPE)?.len();
            if value.is_empty() {
                ctx.reply.int(len as i64);
                return Ok(());
            }
            check_string_length(offset, value.len(), max)?;
            let buf = unshare(obj).ok_or(CmdError::WRONG_TYPE)?;
            let end = offset + value.len();
            grow_zero(buf, end);
            if let Some(dst) = buf.get_mut(offset..end) {
                dst.copy_from_slice(value);
            }
            buf.len()
        }
    };
    if !value.is_empty() {
        ctx.dirty(1);
        ctx.key_changed(class::STRING, "setrange", key);
    }
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

/// GETRANGE / SUBSTR: the bytes from `start` to `end` inclusive, negative
/// offsets counting from the end; a missing key reads as "".
pub(super) fn getrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let start = arg_i64(&args[2])?;
    let end = arg_i64(&args[3])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let mut buf = [0u8; 20];
    let bytes = match read_string(db, &args[1], now)? {
        None => {
            ctx.flush_key_events();
            ctx.reply.bulk(b"");
            return Ok(());
        }
        Some(s) => s.as_bytes(&mut buf),
    };
    match byte_range(start, end, bytes.len()) {
        Some((from, to)) => reply.bulk(bytes.get(from..=to).unwrap_or_default()),
        None => reply.bulk(b""),
    }
    Ok(())
}

/// The inclusive byte range GETRANGE reads, or `None` when empty: negative
/// offsets count from the end, both ends are clamped into the string, and
/// two negative offsets in the wrong order give nothing even where
/// clamping would have made them overlap.
fn byte_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let len = i64::try_from(len).ok()?;
    let from_end = |i: i64| if i < 0 { (len + i).max(0) } else { i };
    let (start, end) = (from_end(start), from_end(end).min(len - 1));
    if start > end || len == 0 {
        return None;
    }
    Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
}

pub(super) fn strlen(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_string(ctx.db(), &args[1], now)?.map_or(0, Str::len);
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn getrange_offsets() {
        assert_eq!(byte_range(0, -1, 5), Some((0, 4)));
        assert_eq!(byte_range(-100, -101, 5), None);
        assert_eq!(byte_range(-100, 100, 5), Some((0, 4)));
        assert_eq!(byte_range(i64::MIN, i64::MAX, 5), Some((0, 4)));
        assert_eq!(byte_range(0, -1, 0), None);
        assert_eq!(byte_range(3, 2, 5), None);
        assert_eq!(byte_range(5, 10, 5), None);
    }
}
