//! The blocking list commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and
//! BLMPOP. Each first tries what its non-blocking twin does; when there
//! is nothing to take it blocks the client (see commands/blocking.rs) and
//! is run again, for the key that received data, once a push arrives.
//! Inside MULTI they answer at once, as a timeout would.

use super::push_pop::{parse_mpop, pop_first, pop_name};
use super::{End, lmove, parse_end, pop_from, reply_entry};
use crate::commands::blocking::{BlockKind, keys_to_try, parse_timeout};
use crate::commands::{CmdResult, Ctx};
use bytes::Bytes;

pub(super) fn blpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    bpop(ctx, args, End::Head)
}

pub(super) fn brpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    bpop(ctx, args, End::Tail)
}

/// B[LR]POP key [key ...] timeout: `[key, element]` from the first key
/// holding a list; a key of another type met before that is WRONGTYPE.
fn bpop(ctx: &mut Ctx, args: &[Bytes], end: End) -> CmdResult {
    let (timeout, keys) = match args.split_last() {
        Some((timeout, rest)) => (timeout, &rest[1..]),
        None => return Ok(()),
    };
    let deadline = parse_timeout(timeout, ctx.now_ms)?;
    let woken = ctx.client.woken_by.take();
    let now = ctx.now_ms;
    for key in keys_to_try(keys, woken.as_ref()) {
        let Some(popped) = pop_from(ctx.db(), key, end, 1, now)? else {
            continue;
        };
        if let Some((_, element)) = popped.iter().next() {
            // The expiries of the keys tried before it come first.
            ctx.flush_key_events();
            let reply = &mut *ctx.reply;
            reply.array(2);
            reply.bulk(key);
            reply_entry(reply, element);
            ctx.dirty(1);
            super::popped_events(ctx, key, end);
            if ctx.propagating() {
                ctx.propagate_as(vec![pop_name(end), key.clone()]);
            }
            return Ok(());
        }
    }
    ctx.block_or_null(BlockKind::List, keys, deadline, args);
    Ok(())
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout.
pub(super) fn blmove(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let from = parse_end(&args[3])?;
    let to = parse_end(&args[4])?;
    let deadline = parse_timeout(&args[5], ctx.now_ms)?;
    bmove(ctx, args, from, to, deadline)
}

/// BRPOPLPUSH source destination timeout: BLMOVE ... RIGHT LEFT.
pub(super) fn brpoplpush(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let deadline = parse_timeout(&args[3], ctx.now_ms)?;
    bmove(ctx, args, End::Tail, End::Head, deadline)
}

/// Moves one element, or blocks on the source. Redis answers a BLMOVE
/// inside MULTI with a null bulk (not the null array a timeout gives).
fn bmove(ctx: &mut Ctx, args: &[Bytes], from: End, to: End, deadline: Option<i64>) -> CmdResult {
    ctx.client.woken_by = None;
    let fill = ctx.engine.config.list_max_listpack_size;
    let now = ctx.now_ms;
    if let Some(element) = lmove(ctx.db(), &args[1], &args[2], from, to, fill, now)? {
        ctx.dirty(1);
        super::reply_moved(ctx, &element, &args[1], &args[2], from, to);
        // Logged as the non-blocking move it did.
        if ctx.propagating() {
            let logged = if args.len() == 6 {
                let mut v = vec![Bytes::from_static(b"LMOVE")];
                v.extend_from_slice(&args[1..5]);
                v
            } else {
                vec![
                    Bytes::from_static(b"RPOPLPUSH"),
                    args[1].clone(),
                    args[2].clone(),
                ]
            };
            ctx.propagate_as(logged);
        }
    } else if ctx.may_block() {
        ctx.block(BlockKind::List, &args[1..2], deadline, args);
    } else {
        ctx.flush_key_events();
        ctx.reply.null();
    }
    Ok(())
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the
/// arguments are checked as LMPOP checks them, the timeout after them.
pub(super) fn blmpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (keys, end, count) = parse_mpop(&args[1..])?;
    let deadline = parse_timeout(&args[1], ctx.now_ms)?;
    let woken = ctx.client.woken_by.take();
    if pop_first(ctx, keys_to_try(keys, woken.as_ref()), end, count)? {
        return Ok(());
    }
    ctx.block_or_null(BlockKind::List, keys, deadline, args);
    Ok(())
}
