//! Popping the lowest or highest members (ZPOPMIN, ZPOPMAX, ZMPOP) and
//! sampling random ones (ZRANDMEMBER).

use super::{delete_if_empty, reply_scored, reply_scored_len, write_zset};
use crate::commands::{CmdError, CmdResult, Ctx, is};
use crate::db::listpack::Entry;
use crate::db::zset::ZSet;
use crate::protocol::Protocol;
use crate::util::parse_i64;
use bytes::Bytes;

/// Pops from the first of `keys` that holds a sorted set (Redis's
/// genericZpopCommand), shared with the blocking commands:
/// - `max`: pop the highest scores instead of the lowest;
/// - `emit_key`: put the key name in the reply (BZPOP*, ZMPOP);
/// - `count`: how many to pop; `None` is the plain single pop;
/// - `nested`: one array per member/score pair instead of a flat array.
///
/// Returns false, having replied nothing, when no key holds a sorted set:
/// each caller answers that case its own way (or blocks). A key of another
/// type met before any sorted set is WRONGTYPE. The key is deleted when
/// it runs empty.
pub fn generic_pop(
    ctx: &mut Ctx,
    keys: &[Bytes],
    max: bool,
    emit_key: bool,
    count: Option<u64>,
    nested: bool,
) -> Result<bool, CmdError> {
    let now = ctx.now_ms;
    let db = ctx.db();
    let mut from = None;
    for key in keys {
        let Some(zset) = write_zset(db, key, now)? else {
            continue;
        };
        let n = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
        let popped: Vec<_> = (0..n.min(zset.len()))
            .map_while(|_| zset.pop(max))
            .collect();
        delete_if_empty(db, key);
        from = Some((key, popped));
        break;
    }
    // The expiries of the keys tried come before any reply.
    ctx.flush_key_events();
    let Some((key, popped)) = from else {
        return Ok(false);
    };
    if count == Some(0) {
        ctx.reply.array(0);
        return Ok(true);
    }
    let n = popped.len();
    let reply = &mut *ctx.reply;
    match (nested, emit_key) {
        (false, false) => reply.array(n * 2),
        (true, false) => reply.array(n),
        (false, true) => {
            reply.array(n * 2 + 1);
            reply.bulk(key);
        }
        (true, true) => {
            reply.array(2);
            reply.bulk(key);
            reply.array(n);
        }
    }
    // Redis publishes the pop after the headers, before the first member.
    let event = if max { "zpopmax" } else { "zpopmin" };
    if n > 0 {
        ctx.notify(crate::commands::keyevents::class::ZSET, event, key);
    }
    let reply = &mut *ctx.reply;
    for (member, score) in &popped {
        if nested {
            reply.array(2);
        }
        reply.bulk(member);
        reply.double(*score);
    }
    ctx.dirty(n as u64);
    if n > 0 {
        if ctx.db().find(key).is_none() {
            ctx.notify(crate::commands::keyevents::class::GENERIC, "del", key);
        }
        ctx.signal_modified(key);
        // The multi-key and blocking forms are logged as the plain pop
        // they did (with the count taken, when they have one).
        if emit_key && ctx.propagating() {
            let name: &'static [u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
            let mut logged = vec![Bytes::from_static(name), key.clone()];
            if count.is_some() {
                logged.push(Bytes::from(n.to_string()));
            }
            ctx.propagate_as(logged);
        }
    }
    Ok(true)
}

pub(super) fn zpopmin(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    pop_min_max(ctx, args, false)
}

pub(super) fn zpopmax(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    pop_min_max(ctx, args, true)
}

/// ZPOPMIN/ZPOPMAX key [count]: a flat array, except that RESP3 nests
/// the pairs when a count was given.
fn pop_min_max(ctx: &mut Ctx, args: &[Bytes], max: bool) -> CmdResult {
    if args.len() > 3 {
        return Err(CmdError::SYNTAX);
    }
    let count = match args.get(2) {
        Some(arg) => Some(parse_i64(arg).and_then(|n| u64::try_from(n).ok()).ok_or(
            CmdError::text("ERR value is out of range, must be positive"),
        )?),
        None => None,
    };
    let nested = ctx.reply.proto == Protocol::Resp3 && count.is_some();
    if !generic_pop(ctx, &args[1..2], max, false, count, nested)? {
        ctx.reply.array(0);
    }
    Ok(())
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub(super) fn zmpop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (keys, max, count) = parse_zmpop(args)?;
    if !generic_pop(ctx, keys, max, true, Some(count), true)? {
        ctx.reply.null_array();
    }
    Ok(())
}

/// ZMPOP's arguments from `numkeys` on (`args[1]`), checked in Redis's
/// order: the keys, MIN or MAX, then COUNT (1 when absent).
pub(super) fn parse_zmpop(args: &[Bytes]) -> Result<(&[Bytes], bool, u64), CmdError> {
    let numkeys = parse_i64(&args[1])
        .filter(|&n| n >= 1)
        .ok_or(CmdError::text("ERR numkeys should be greater than 0"))?;
    let where_at = usize::try_from(numkeys)
        .ok()
        .and_then(|n| n.checked_add(2))
        .filter(|&i| i < args.len())
        .ok_or(CmdError::SYNTAX)?;
    let max = match &args[where_at] {
        w if is(w, "min") => false,
        w if is(w, "max") => true,
        _ => return Err(CmdError::SYNTAX),
    };
    let mut count = None;
    let mut j = where_at + 1;
    while let Some(opt) = args.get(j) {
        match args.get(j + 1) {
            Some(value) if count.is_none() && is(opt, "count") => {
                let n = parse_i64(value)
                    .filter(|&n| n >= 1)
                    .ok_or(CmdError::text("ERR count should be greater than 0"))?;
                count = Some(n as u64);
                j += 2;
            }
            _ => return Err(CmdError::SYNTAX),
        }
    }
    Ok((&args[2..where_at], max, count.unwrap_or(1)))
}

/// ZRANDMEMBER key [count [WITHSCORES]]
pub(super) fn zrandmember(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let Some(count_arg) = args.get(2) else {
        let now = ctx.now_ms;
        let mut rng = ctx.engine.rng.fork();
        let (db, reply) = ctx.db_and_reply();
        match super::read_zset(db, &args[1], now)? {
            Some(zset) => match zset.at(rng.usize(..zset.len())) {
                Some((member, _)) => reply.bulk(&member),
                None => reply.null(),
            },
            None => {
                ctx.flush_key_events();
                ctx.reply.null();
            }
        }
        return Ok(());
    };
    let l = crate::commands::arg_i64(count_arg)?;
    if l == i64::MIN {
        return Err(CmdError::text(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    let withscores = match args.get(3) {
        None => false,
        Some(w) if args.len() == 4 && is(w, "withscores") => true,
        Some(_) => return Err(CmdError::SYNTAX),
    };
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(CmdError::text("ERR value is out of range"));
    }
    random_with_count(ctx, &args[1], l, withscores)
}

/// Redis's zrandmemberWithCountCommand and its cases: a negative count
/// samples with repetition; otherwise distinct members, the whole set
/// (in reverse order) when the count covers it.
fn random_with_count(ctx: &mut Ctx, key: &[u8], l: i64, withscores: bool) -> CmdResult {
    let now = ctx.now_ms;
    let mut rng = ctx.engine.rng.fork();
    let (db, reply) = ctx.db_and_reply();
    let Some(zset) = super::read_zset(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.array(0);
        return Ok(());
    };
    let count = l.unsigned_abs();
    let size = zset.len();
    if count == 0 {
        reply.array(0);
        return Ok(());
    }
    let emit =
        |reply: &mut _, (m, s): (Vec<u8>, f64)| reply_scored(reply, Entry::Str(&m), s, withscores);
    // CASE 1: repetitions allowed (or a single member).
    if l < 0 || count == 1 {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        reply_scored_len(reply, count, withscores);
        for _ in 0..count {
            if let Some(element) = zset.at(rng.usize(..size)) {
                emit(reply, element);
            }
        }
        return Ok(());
    }
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    // CASE 2: the whole set, walked from the highest score down.
    if count >= size {
        reply_scored_len(reply, size, withscores);
        zset.walk(size - 1, true, &mut |m, s| {
            reply_scored(reply, m, s, withscores);
            true
        });
        return Ok(());
    }
    reply_scored_len(reply, count, withscores);
    for rank in distinct_ranks(zset, count, &mut rng) {
        if let Some(element) = zset.at(rank) {
            emit(reply, element);
        }
    }
    Ok(())
}

/// `count` distinct ranks out of a set larger than that, chosen as Redis
/// chooses: in listpack order for the small encoding; by removing random
/// ones from the whole when most are wanted; else by drawing until
/// enough distinct ones came up.
fn distinct_ranks(zset: &ZSet, count: usize, rng: &mut fastrand::Rng) -> Vec<usize> {
    let size = zset.len();
    if matches!(zset, ZSet::Listpack(_)) {
        let mut picked = Vec::with_capacity(count);
        for i in 0..size {
            if rng.usize(..size - i) < count - picked.len() {
                picked.push(i);
            }
        }
        return picked;
    }
    if count.saturating_mul(3) > size {
        let mut ranks: Vec<usize> = (0..size).collect();
        while ranks.len() > count {
            ranks.swap_remove(rng.usize(..ranks.len()));
        }
        return ranks;
    }
    let mut seen = std::collections::HashSet::with_capacity(count);
    let mut picked = Vec::with_capacity(count);
    while picked.len() < count {
        let rank = rng.usize(..size);
        if seen.insert(rank) {
            picked.push(rank);
        }
    }
    picked
}
