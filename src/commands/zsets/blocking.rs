//! The blocking pops: BZPOPMIN, BZPOPMAX and BZMPOP. Each pops as its
//! non-blocking twin does when one of its keys holds a sorted set, and
//! otherwise blocks the client (commands/blocking.rs) until a write
//! creates one; inside MULTI it answers at once with the null array, as a
//! timeout would.

use super::pop::{generic_pop, parse_zmpop};
use crate::commands::blocking::{BlockKind, keys_to_try, parse_timeout};
use crate::commands::{CmdResult, Ctx};
use bytes::Bytes;

pub(super) fn bzpopmin(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    bzpop(ctx, args, false)
}

pub(super) fn bzpopmax(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    bzpop(ctx, args, true)
}

/// BZPOP(MIN|MAX) key [key ...] timeout: `[key, member, score]` from the
/// first key holding a sorted set.
fn bzpop(ctx: &mut Ctx, args: &[Bytes], max: bool) -> CmdResult {
    let Some((timeout, rest)) = args.split_last() else {
        return Ok(());
    };
    let keys = &rest[1..];
    let deadline = parse_timeout(timeout, ctx.now_ms)?;
    let woken = ctx.client.woken_by.take();
    if generic_pop(
        ctx,
        keys_to_try(keys, woken.as_ref()),
        max,
        true,
        None,
        false,
    )? {
        return Ok(());
    }
    ctx.block_or_null(BlockKind::ZSet, keys, deadline, args);
    Ok(())
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the
/// arguments are checked as ZMPOP checks them, the timeout after them.
pub(super) fn bzmpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (keys, max, count) = parse_zmpop(&args[1..])?;
    let deadline = parse_timeout(&args[1], ctx.now_ms)?;
    let woken = ctx.client.woken_by.take();
    if generic_pop(
        ctx,
        keys_to_try(keys, woken.as_ref()),
        max,
        true,
        Some(count),
        true,
    )? {
        return Ok(());
    }
    ctx.block_or_null(BlockKind::ZSet, keys, deadline, args);
    Ok(())
}
