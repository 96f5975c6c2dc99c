//! Combining sets: SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE,
//! SDIFF, SDIFFSTORE, and SMEMBERS (Redis 7.0 runs SINTER for it).
//!
//! Every source key is looked up first; a missing key is an empty set,
//! and a key of another type fails the command even when an earlier key
//! was missing. Results are built the way Redis builds them, starting
//! from an empty intset and adding member by member, so a stored result
//! is an intset exactly when Redis's would be (for SDIFF that depends on
//! which of its two algorithms runs, so that choice is Redis's too).

use super::{Ctx, found_set, max_intset, new_object, read_set, reply_member, reply_members};
use crate::commands::{CmdError, CmdResult, is};
use crate::db::Db;
use crate::db::set::{Member, Set};
use bytes::Bytes;
use std::cmp::Reverse;

/// Looks every source key up for reading, in order, as Redis does before
/// combining anything.
fn look_up_all(db: &mut Db, keys: &[Bytes], now_ms: i64) -> CmdResult {
    for key in keys {
        read_set(db, key, now_ms)?;
    }
    Ok(())
}

/// The sets under the keys, after [`look_up_all`]: `None` for a missing key.
fn sets_of<'a>(db: &'a Db, keys: &[Bytes]) -> Vec<Option<&'a Set>> {
    keys.iter().map(|k| found_set(db, k)).collect()
}

/// Calls `f` with each member every set has, in the order of the smallest
/// set (the first of equally small ones, as Redis's stable sort leaves
/// them), until `f` returns false.
fn for_each_common<'a>(sets: &[&'a Set], mut f: impl FnMut(Member<'a>) -> bool) {
    let mut by_size = sets.to_vec();
    by_size.sort_by_key(|s| s.len());
    let Some((&smallest, others)) = by_size.split_first() else {
        return;
    };
    for m in smallest.iter() {
        let everywhere = others
            .iter()
            .all(|&s| std::ptr::eq(s, smallest) || s.contains_member(m));
        if everywhere && !f(m) {
            break;
        }
    }
}

/// What an intersection is for.
enum Inter<'a> {
    Reply,
    /// The size only, counting no further than the limit (0: no limit).
    Card(u64),
    Store(&'a [u8]),
}

fn intersect(ctx: &mut Ctx, keys: &[Bytes], out: Inter) -> CmdResult {
    let max = max_intset(ctx);
    let now = ctx.now_ms;
    look_up_all(ctx.db(), keys, now)?;
    ctx.flush_key_events();
    let (db, reply) = ctx.db_and_reply();
    // Any missing key makes the intersection empty.
    let sets: Option<Vec<&Set>> = sets_of(db, keys).into_iter().collect();
    match out {
        Inter::Reply => {
            let mut common = Vec::new();
            if let Some(sets) = &sets {
                for_each_common(sets, |m| {
                    common.push(m);
                    true
                });
            }
            reply.set(common.len());
            for m in common {
                reply_member(reply, m);
            }
        }
        Inter::Card(limit) => {
            let mut n = 0u64;
            if let Some(sets) = &sets {
                for_each_common(sets, |_| {
                    n += 1;
                    limit == 0 || n < limit
                });
            }
            reply.int(n as i64);
        }
        Inter::Store(dst) => {
            let mut result = Set::default();
            if let Some(sets) = &sets {
                for_each_common(sets, |m| {
                    result.add_member(m, max);
                    true
                });
            }
            // Redis's early return for a missing key deletes `dst` before
            // it replies; otherwise the reply comes first.
            let early = sets.is_none();
            store(ctx, dst, result, "sinterstore", early);
        }
    }
    Ok(())
}

/// Puts a result under `dst`, replacing whatever was there and its TTL
/// (Redis's setKey); an empty result deletes `dst` instead. Replies with
/// the result's size, before the event as Redis does, except that a
/// deletion comes first when `del_first`.
fn store(ctx: &mut Ctx, dst: &[u8], result: Set, event: &str, del_first: bool) {
    use crate::commands::keyevents::class;
    let now = ctx.now_ms;
    let len = result.len();
    let db = ctx.db();
    if len > 0 {
        db.set_live(dst, new_object(result, now), false, now);
        ctx.dirty(1);
        // The `new` event of a created `dst` precedes the reply.
        ctx.flush_key_events();
        ctx.reply.int(len as i64);
        ctx.key_changed(class::SET, event, dst);
        return;
    }
    let deleted = db.discard(dst, crate::db::Deletion::ServerDel);
    if deleted {
        ctx.dirty(1);
    }
    if !del_first {
        ctx.reply.int(0);
    }
    if deleted {
        ctx.key_changed(class::GENERIC, "del", dst);
    }
    if del_first {
        ctx.reply.int(0);
    }
}

pub(super) fn smembers(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    intersect(ctx, &args[1..2], Inter::Reply)
}

pub(super) fn sinter(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    intersect(ctx, &args[1..], Inter::Reply)
}

pub(super) fn sinterstore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    intersect(ctx, &args[2..], Inter::Store(&args[1]))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
pub(super) fn sintercard(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let numkeys = crate::util::parse_i64(&args[1])
        .filter(|&n| n >= 1)
        .ok_or(CmdError::text("ERR numkeys should be greater than 0"))?;
    let numkeys = usize::try_from(numkeys)
        .ok()
        .filter(|&n| n <= args.len() - 2)
        .ok_or(CmdError::text(
            "ERR Number of keys can't be greater than number of args",
        ))?;
    let keys_end = 2 + numkeys;
    let mut limit = 0;
    let mut i = keys_end;
    while i < args.len() {
        match args.get(i + 1) {
            Some(value) if is(&args[i], "limit") => {
                limit = crate::util::parse_i64(value)
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or(CmdError::text("ERR LIMIT can't be negative"))?;
                i += 2;
            }
            _ => return Err(CmdError::SYNTAX),
        }
    }
    intersect(ctx, &args[2..keys_end], Inter::Card(limit))
}

/// SUNION or SDIFF.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Union,
    Diff,
}

/// The union or difference of `sets` (`None`: a missing key), built as
/// Redis builds it: from an empty intset, member by member.
pub(super) fn combine(sets: &[Option<&Set>], op: Op, max_intset: usize) -> Set {
    let mut result = Set::default();
    match op {
        Op::Union => {
            for set in sets.iter().flatten() {
                for m in set.iter() {
                    result.add_member(m, max_intset);
                }
            }
        }
        Op::Diff => difference(&mut result, sets, max_intset),
    }
    result
}

fn difference(result: &mut Set, sets: &[Option<&Set>], max_intset: usize) {
    let Some((Some(first), others)) = sets.split_first() else {
        return;
    };
    // Redis's estimate of its two algorithms' work, the first favoured by
    // half: walking the first set against each other set, or copying it
    // and taking every other set's members out.
    let present = sets.iter().flatten().count() as u128;
    let walk = first.len() as u128 * present / 2;
    let copy: u128 = sets.iter().flatten().map(|s| s.len() as u128).sum();
    if walk <= copy {
        // Bigger sets first: they are likelier to hold a member.
        let mut others = others.to_vec();
        others.sort_by_key(|s| Reverse(s.map_or(0, Set::len)));
        for m in first.iter() {
            let elsewhere = others
                .iter()
                .flatten()
                .any(|&s| std::ptr::eq(s, *first) || s.contains_member(m));
            if !elsewhere {
                result.add_member(m, max_intset);
            }
        }
    } else {
        for m in first.iter() {
            result.add_member(m, max_intset);
        }
        for set in others.iter().flatten() {
            if result.is_empty() {
                break;
            }
            for m in set.iter() {
                result.remove_member(m);
            }
        }
    }
}

fn union_or_diff(ctx: &mut Ctx, keys: &[Bytes], op: Op, dst: Option<&[u8]>) -> CmdResult {
    let max = max_intset(ctx);
    let now = ctx.now_ms;
    look_up_all(ctx.db(), keys, now)?;
    ctx.flush_key_events();
    let (db, reply) = ctx.db_and_reply();
    let result = combine(&sets_of(db, keys), op, max);
    match dst {
        None => reply_members(reply, &result),
        Some(dst) => {
            let event = match op {
                Op::Union => "sunionstore",
                _ => "sdiffstore",
            };
            store(ctx, dst, result, event, false)
        }
    }
    Ok(())
}

pub(super) fn sunion(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    union_or_diff(ctx, &args[1..], Op::Union, None)
}

pub(super) fn sunionstore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    union_or_diff(ctx, &args[2..], Op::Union, Some(&args[1]))
}

pub(super) fn sdiff(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    union_or_diff(ctx, &args[1..], Op::Diff, None)
}

pub(super) fn sdiffstore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    union_or_diff(ctx, &args[2..], Op::Diff, Some(&args[1]))
}
