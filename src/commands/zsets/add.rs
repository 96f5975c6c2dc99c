//! Single members: ZADD and ZINCRBY (Redis's zaddGenericCommand), ZREM,
//! ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK.

use super::{as_zset, delete_if_empty, limits, read_zset, write_zset};
use crate::commands::{CmdError, CmdResult, Ctx, is};
use crate::db::zset::{AddFlags, AddOutcome, ZSet, parse_score};
use crate::db::{Object, Value};
use bytes::Bytes;

const NAN_RESULT: CmdError = CmdError::text("ERR resulting score is not a number (NaN)");

pub(super) fn zadd(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    add_generic(ctx, args, AddFlags::default())
}

pub(super) fn zincrby(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    add_generic(
        ctx,
        args,
        AddFlags {
            incr: true,
            ..AddFlags::default()
        },
    )
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ..., and ZINCRBY
/// key increment member. Every check and every score is parsed before
/// the key is touched, so the command does all or nothing.
fn add_generic(ctx: &mut Ctx, args: &[Bytes], mut flags: AddFlags) -> CmdResult {
    let mut first = 2;
    let mut ch = false;
    while let Some(opt) = args.get(first) {
        match () {
            _ if is(opt, "nx") => flags.nx = true,
            _ if is(opt, "xx") => flags.xx = true,
            _ if is(opt, "ch") => ch = true,
            _ if is(opt, "incr") => flags.incr = true,
            _ if is(opt, "gt") => flags.gt = true,
            _ if is(opt, "lt") => flags.lt = true,
            _ => break,
        }
        first += 1;
    }
    let pairs = &args[first.min(args.len())..];
    if pairs.is_empty() || !pairs.len().is_multiple_of(2) {
        return Err(CmdError::SYNTAX);
    }
    if flags.nx && flags.xx {
        return Err(CmdError::text(
            "ERR XX and NX options at the same time are not compatible",
        ));
    }
    if (flags.nx && (flags.gt || flags.lt)) || (flags.gt && flags.lt) {
        return Err(CmdError::text(
            "ERR GT, LT, and/or NX options at the same time are not compatible",
        ));
    }
    if flags.incr && pairs.len() > 2 {
        return Err(CmdError::text(
            "ERR INCR option supports a single increment-element pair",
        ));
    }
    let scores = pairs
        .chunks_exact(2)
        .map(|p| parse_score(&p[0]).ok_or(CmdError::NOT_FLOAT))
        .collect::<Result<Vec<f64>, CmdError>>()?;

    let limits = limits(ctx);
    let key = &args[1];
    let now = ctx.now_ms;
    let db = ctx.db();
    let (mut added, mut updated, mut last) = (0u64, 0u64, None);
    let mut apply = |zset: &mut ZSet| -> CmdResult {
        for (pair, &score) in pairs.chunks_exact(2).zip(&scores) {
            match zset.add(&pair[1], score, flags, limits) {
                AddOutcome::Nan => return Err(NAN_RESULT),
                AddOutcome::Nop => {}
                AddOutcome::Added(s) => {
                    added += 1;
                    last = Some(s);
                }
                AddOutcome::Updated(s) => {
                    updated += 1;
                    last = Some(s);
                }
                AddOutcome::Unchanged(s) => last = Some(s),
            }
        }
        Ok(())
    };
    match write_zset(db, key, now)? {
        Some(zset) => apply(zset)?,
        // No key and XX: nothing to do.
        None if flags.xx => {}
        None => {
            let mut zset = ZSet::for_zadd(pairs[1].len(), limits);
            apply(&mut zset)?;
            db.add(key, Object::new(Value::ZSet(Box::new(zset)), now));
        }
    }
    ctx.dirty(added + updated);
    // A new key's `new` event, the reply, then the command's event.
    ctx.flush_key_events();
    let reply = &mut *ctx.reply;
    if flags.incr {
        match last {
            Some(score) => reply.double(score),
            None => reply.null(),
        }
    } else {
        reply.int((if ch { added + updated } else { added }) as i64);
    }
    if added + updated > 0 {
        let event = if flags.incr { "zincr" } else { "zadd" };
        ctx.key_changed(crate::commands::keyevents::class::ZSET, event, key);
    }
    Ok(())
}

pub(super) fn zrem(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[1];
    let now = ctx.now_ms;
    let db = ctx.db();
    let Some(zset) = write_zset(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    let mut deleted = 0u64;
    for member in &args[2..] {
        deleted += u64::from(zset.remove(member));
        if zset.is_empty() {
            break;
        }
    }
    delete_if_empty(db, key);
    ctx.dirty(deleted);
    if deleted > 0 {
        super::removed_events(ctx, key, "zrem");
    }
    ctx.reply.int(deleted as i64);
    Ok(())
}

pub(super) fn zcard(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_zset(ctx.db(), &args[1], now)?.map_or(0, ZSet::len);
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

pub(super) fn zscore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    match read_zset(db, &args[1], now)?.and_then(|z| z.score(&args[2])) {
        Some(score) => reply.double(score),
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
        }
    }
    Ok(())
}

pub(super) fn zmscore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(zset) = read_zset(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.array(args.len() - 2);
        for _ in &args[2..] {
            ctx.reply.null();
        }
        return Ok(());
    };
    reply.array(args.len() - 2);
    for member in &args[2..] {
        match zset.score(member) {
            Some(score) => reply.double(score),
            None => reply.null(),
        }
    }
    Ok(())
}

pub(super) fn zrank(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    rank_generic(ctx, args, false)
}

pub(super) fn zrevrank(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    rank_generic(ctx, args, true)
}

fn rank_generic(ctx: &mut Ctx, args: &[Bytes], reverse: bool) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let found = db
        .get(&args[1], now)
        .map(|o| as_zset(&o.value).ok_or(CmdError::WRONG_TYPE))
        .transpose()?
        .and_then(|z| z.rank(&args[2], reverse));
    match found {
        Some((rank, _)) => reply.int(rank as i64),
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
        }
    }
    Ok(())
}
