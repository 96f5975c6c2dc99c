//! Elements in and out at the ends: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP,
//! RPOP, LMPOP, LMOVE and RPOPLPUSH.

use super::{
    End, is, lmove, parse_end, parse_non_negative, pop_from, popped_events, push_to, pushed_events,
    reply_entry, reply_moved,
};
use crate::commands::{CmdError, CmdResult, Ctx};
use crate::db::listpack::Listpack;
use crate::protocol::ReplyBuffer;
use bytes::Bytes;

pub(super) fn lpush(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    push(ctx, args, End::Head, false)
}

pub(super) fn rpush(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    push(ctx, args, End::Tail, false)
}

pub(super) fn lpushx(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    push(ctx, args, End::Head, true)
}

pub(super) fn rpushx(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    push(ctx, args, End::Tail, true)
}

/// Replies with the new length; a missing key under the X variants is
/// left alone and answers 0.
fn push(ctx: &mut Ctx, args: &[Bytes], end: End, existing_only: bool) -> CmdResult {
    let fill = ctx.engine.config.list_max_listpack_size;
    let now = ctx.now_ms;
    let elements = args[2..].iter().map(|a| &a[..]);
    match push_to(ctx.db(), &args[1], end, elements, existing_only, fill, now)? {
        Some(len) => {
            ctx.dirty(args.len() as u64 - 2);
            // A new list's `new` event first, the push's after the reply.
            ctx.flush_key_events();
            ctx.reply.int(len as i64);
            pushed_events(ctx, &args[1], end);
        }
        None => {
            ctx.flush_key_events();
            ctx.reply.int(0);
        }
    }
    Ok(())
}

pub(super) fn lpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    pop(ctx, args, End::Head, "lpop")
}

pub(super) fn rpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    pop(ctx, args, End::Tail, "rpop")
}

/// Without a count: one element as a bulk, nil for no key. With one: an
/// array (empty for a count of 0), the null array for no key. The count
/// is checked before the key is looked up.
fn pop(ctx: &mut Ctx, args: &[Bytes], end: End, name: &str) -> CmdResult {
    if args.len() > 3 {
        return Err(CmdError::arity(name));
    }
    let count = match args.get(2) {
        Some(a) => Some(parse_non_negative(
            a,
            "ERR value is out of range, must be positive",
        )?),
        None => None,
    };
    let n = count.map_or(1, |c| usize::try_from(c).unwrap_or(usize::MAX));
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let popped = pop_from(db, &args[1], end, n, now)?;
    match (popped, count) {
        (None, _) => {
            ctx.flush_key_events();
            match count {
                Some(_) => ctx.reply.null_array(),
                None => ctx.reply.null(),
            }
        }
        (Some(popped), Some(_)) => {
            reply_elements(reply, &popped);
            ctx.dirty(popped.len() as u64);
            // A count of 0 changes nothing and tells nobody.
            if !popped.is_empty() {
                popped_events(ctx, &args[1], end);
            }
        }
        (Some(popped), None) => {
            if let Some((_, e)) = popped.iter().next() {
                reply_entry(reply, e);
            }
            ctx.dirty(popped.len() as u64);
            popped_events(ctx, &args[1], end);
        }
    }
    Ok(())
}

/// An array of the popped elements, in the order they were popped.
fn reply_elements(reply: &mut ReplyBuffer, popped: &Listpack) {
    reply.array(popped.len());
    for (_, e) in popped.iter() {
        reply_entry(reply, e);
    }
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the
/// first of the keys that holds a list; replies `[key, [elements]]`, or
/// the null array when none does.
pub(super) fn lmpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (keys, end, count) = parse_mpop(args)?;
    if !pop_first(ctx, keys, end, count)? {
        ctx.flush_key_events();
        ctx.reply.null_array();
    }
    Ok(())
}

/// Pops up to `count` elements from the first of `keys` holding a list
/// and replies `[key, [elements]]`; false (nothing replied) when none
/// does. Shared by LMPOP and BLMPOP.
pub(super) fn pop_first(
    ctx: &mut Ctx,
    keys: &[Bytes],
    end: End,
    count: usize,
) -> Result<bool, CmdError> {
    let now = ctx.now_ms;
    for key in keys {
        if let Some(popped) = pop_from(ctx.db(), key, end, count, now)? {
            // The expiries of the keys tried before it come first.
            ctx.flush_key_events();
            let reply = &mut *ctx.reply;
            reply.array(2);
            reply.bulk(key);
            reply_elements(reply, &popped);
            ctx.dirty(popped.len() as u64);
            popped_events(ctx, key, end);
            // Logged as LPOP/RPOP key <how many it took>.
            if ctx.propagating() {
                ctx.propagate_as(vec![
                    pop_name(end),
                    key.clone(),
                    Bytes::from(popped.len().to_string()),
                ]);
            }
            return Ok(true);
        }
    }
    Ok(false)
}

/// The non-blocking pop that logs a pop from `end`.
pub(super) fn pop_name(end: End) -> Bytes {
    match end {
        End::Head => Bytes::from_static(b"LPOP"),
        End::Tail => Bytes::from_static(b"RPOP"),
    }
}

/// LMPOP's arguments, checked in Redis's order: numkeys, then that the
/// direction follows the keys, then the options.
pub(super) fn parse_mpop(args: &[Bytes]) -> Result<(&[Bytes], End, usize), CmdError> {
    let numkeys = match crate::util::parse_i64(&args[1]) {
        Some(n) if n >= 1 => n,
        _ => return Err(CmdError::text("ERR numkeys should be greater than 0")),
    };
    let where_at = usize::try_from(numkeys)
        .ok()
        .and_then(|n| n.checked_add(2))
        .filter(|&i| i < args.len())
        .ok_or(CmdError::SYNTAX)?;
    let end = parse_end(&args[where_at])?;
    let mut count = None;
    let mut j = where_at + 1;
    while j < args.len() {
        let more = j + 1 < args.len();
        if count.is_none() && is(&args[j], "count") && more {
            j += 1;
            count = match crate::util::parse_i64(&args[j]) {
                Some(n) if n >= 1 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                _ => return Err(CmdError::text("ERR count should be greater than 0")),
            };
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    Ok((&args[2..where_at], end, count.unwrap_or(1)))
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT.
pub(super) fn lmove_cmd(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let from = parse_end(&args[3])?;
    let to = parse_end(&args[4])?;
    move_one(ctx, args, from, to)
}

/// RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT.
pub(super) fn rpoplpush(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    move_one(ctx, args, End::Tail, End::Head)
}

fn move_one(ctx: &mut Ctx, args: &[Bytes], from: End, to: End) -> CmdResult {
    let fill = ctx.engine.config.list_max_listpack_size;
    let now = ctx.now_ms;
    match lmove(ctx.db(), &args[1], &args[2], from, to, fill, now)? {
        Some(element) => {
            ctx.dirty(1);
            reply_moved(ctx, &element, &args[1], &args[2], from, to);
        }
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
        }
    }
    Ok(())
}
