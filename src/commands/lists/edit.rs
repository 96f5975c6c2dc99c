//! Changing a list in place: LSET, LINSERT, LREM, LTRIM.

use super::read::clamp_range;
use super::{End, is, write_list};
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64};
use bytes::Bytes;

/// LSET key index element: the key first (no key is an error here), then
/// the index.
pub(super) fn lset(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let list = write_list(ctx.db(), &args[1], now)?.ok_or(CmdError::NO_SUCH_KEY)?;
    let index = arg_i64(&args[2])?;
    if !list.set(index, &args[3]) {
        return Err(CmdError::OUT_OF_RANGE);
    }
    ctx.dirty(1);
    ctx.reply.ok();
    ctx.key_changed(class::LIST, "lset", &args[1]);
    Ok(())
}

/// LINSERT key BEFORE|AFTER pivot element: the new length, -1 when no
/// element equals the pivot, 0 when there is no key.
pub(super) fn linsert(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let after = if is(&args[2], "after") {
        true
    } else if is(&args[2], "before") {
        false
    } else {
        return Err(CmdError::SYNTAX);
    };
    let now = ctx.now_ms;
    let Some(list) = write_list(ctx.db(), &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    if !list.insert(&args[3], &args[4], after) {
        ctx.reply.int(-1);
        return Ok(());
    }
    let len = list.len();
    ctx.dirty(1);
    ctx.key_changed(class::LIST, "linsert", &args[1]);
    ctx.reply.int(len as i64);
    Ok(())
}

/// LREM key count element: the count is checked before the key.
pub(super) fn lrem(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let count = arg_i64(&args[2])?;
    let key = &args[1];
    let now = ctx.now_ms;
    let db = ctx.db();
    let Some(list) = write_list(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    let removed = list.remove(&args[3], count);
    let emptied = list.is_empty();
    if emptied {
        db.remove(key);
    }
    ctx.dirty(removed as u64);
    if removed > 0 {
        ctx.key_changed(class::LIST, "lrem", key);
    }
    if emptied {
        ctx.notify(class::GENERIC, "del", key);
    }
    ctx.reply.int(removed as i64);
    Ok(())
}

/// LTRIM key start stop: keeps what LRANGE would return; an empty range
/// deletes the key. Dirty counts every element removed, as in Redis.
pub(super) fn ltrim(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let start = arg_i64(&args[2])?;
    let end = arg_i64(&args[3])?;
    let key = &args[1];
    let now = ctx.now_ms;
    let db = ctx.db();
    let Some(list) = write_list(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.ok();
        return Ok(());
    };
    let len = list.len();
    let (head, tail) = match clamp_range(len, start, end) {
        Some((first, n)) => (first, len - first - n),
        None => (len, 0),
    };
    list.remove_from(End::Head, head);
    list.remove_from(End::Tail, tail);
    let emptied = list.is_empty();
    if emptied {
        db.remove(key);
    }
    ctx.dirty((head + tail) as u64);
    ctx.key_changed(class::LIST, "ltrim", key);
    if emptied {
        ctx.notify(class::GENERIC, "del", key);
    }
    ctx.reply.ok();
    Ok(())
}
