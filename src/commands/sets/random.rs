//! SPOP and SRANDMEMBER. Which members come out is random, but how many,
//! whether they may repeat, the reply types and what is left behind
//! (encoding included) follow Redis's t_set.c case by case.

use super::algebra::{Op, combine};
use super::{
    Ctx, as_set_mut, db_reply_rng, max_intset, read_set, reply_member, reply_members, write_set,
};
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, arg_i64};
use crate::db::set::{Member, Set};
use bytes::Bytes;
use std::collections::HashSet;

/// SPOP with a count switches to rebuilding the set from the members it
/// keeps once it would pop more than this many times as many as it keeps
/// (Redis's SPOP_MOVE_STRATEGY_MUL).
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;
/// SRANDMEMBER with a count copies the set and removes members from the
/// copy when the set has fewer than this many times the count (Redis's
/// SRANDMEMBER_SUB_STRATEGY_MUL).
const SRANDMEMBER_SUB_STRATEGY_MUL: u64 = 3;

pub(super) fn spop(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    match args.len() {
        2 => {}
        3 => return spop_count(ctx, args),
        _ => return Err(CmdError::SYNTAX),
    }
    let key = &args[1];
    let now = ctx.now_ms;
    let (db, _, rng) = db_reply_rng(ctx);
    let Some(set) = write_set(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.null();
        return Ok(());
    };
    let popped = set.pop_random(rng);
    let logged = popped
        .as_ref()
        .map(|p| Bytes::copy_from_slice(p.as_member().as_bytes(&mut [0u8; 20])));
    let emptied = set.is_empty();
    ctx.dirty(1);
    ctx.notify(class::SET, "spop", key);
    if let Some(popped) = popped {
        reply_member(ctx.reply, popped.as_member());
    }
    popped_events(ctx, key, emptied);
    // A random choice is logged as the member it chose.
    if let Some(member) = logged.filter(|_| ctx.propagating()) {
        ctx.propagate_as(vec![Bytes::from_static(b"SREM"), key.clone(), member]);
    }
    Ok(())
}

/// SPOP's count: any non-negative integer; anything else gets the one
/// message Redis gives for both cases.
fn pop_count(arg: &[u8]) -> Result<u64, CmdError> {
    crate::util::parse_i64(arg)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or(CmdError::text(
            "ERR value is out of range, must be positive",
        ))
}

fn spop_count(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[1];
    let count = pop_count(&args[2])?;
    let propagating = ctx.propagating();
    let max = max_intset(ctx);
    let now = ctx.now_ms;
    let Some(set) = write_set(ctx.db(), key, now)? else {
        ctx.flush_key_events();
        ctx.reply.set(0);
        return Ok(());
    };
    if count == 0 {
        ctx.reply.set(0);
        return Ok(());
    }
    let size = set.len() as u64;
    ctx.dirty(count.min(size));
    ctx.notify(class::SET, "spop", key);
    let (db, reply, rng) = db_reply_rng(ctx);
    if count >= size {
        // The whole set goes, listed as SUNION of this one key lists it
        // (Redis runs that very code, which also reads the key again).
        let set = read_set(db, key, now)?;
        let all = combine(&[set], Op::Union, max);
        reply_members(reply, &all);
        popped_events(ctx, key, true);
        if ctx.propagating() {
            ctx.propagate_as(vec![Bytes::from_static(b"DEL"), key.clone()]);
        }
        return Ok(());
    }
    // The event went out first; this second look at the key has no side
    // effects.
    let Some(set) = db.find_mut(key).and_then(|o| as_set_mut(&mut o.value)) else {
        return Ok(());
    };
    reply.set(count as usize);
    let keep = size - count;
    // The members taken, for the log: one SREM each, as Redis 7.0 logs a
    // random choice.
    let mut taken: Option<Vec<Bytes>> = propagating.then(Vec::new);
    let mut note = |m: crate::db::set::Member| {
        if let Some(t) = &mut taken {
            t.push(Bytes::copy_from_slice(m.as_bytes(&mut [0u8; 20])));
        }
    };
    if keep.saturating_mul(SPOP_MOVE_STRATEGY_MUL) > count {
        // Few to pop: pop them one by one.
        for _ in 0..count {
            if let Some(popped) = set.pop_random(rng) {
                reply_member(reply, popped.as_member());
                note(popped.as_member());
            }
        }
    } else {
        // Most of the set goes: move the few members that stay into a new
        // set (made the way SADD makes one, so its encoding can differ
        // from the old one's), and reply with what is left in the old.
        let mut kept: Option<Set> = None;
        for _ in 0..keep {
            if let Some(m) = set.pop_random(rng) {
                let m = m.as_member();
                kept.get_or_insert_with(|| Set::for_member(m))
                    .add_member(m, max);
            }
        }
        for m in set.iter() {
            reply_member(reply, m);
            note(m);
        }
        *set = kept.unwrap_or_default();
    }
    popped_events(ctx, key, false);
    if let Some(taken) = taken {
        for member in taken {
            ctx.also_propagate(&[&b"SREM"[..], key, &member]);
        }
        ctx.prevent_propagation();
    }
    Ok(())
}

/// What follows SPOP's reply (its `spop` event went out before it): the
/// set's deletion if it emptied, with its `del` event, then WATCH
/// invalidation, as Redis's order.
fn popped_events(ctx: &mut Ctx, key: &[u8], emptied: bool) {
    if emptied {
        ctx.db().remove(key);
        ctx.notify(class::GENERIC, "del", key);
    }
    ctx.signal_modified(key);
}

pub(super) fn srandmember(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    match args.len() {
        2 => {}
        3 => return srandmember_count(ctx, args),
        _ => return Err(CmdError::SYNTAX),
    }
    let now = ctx.now_ms;
    let (db, reply, rng) = db_reply_rng(ctx);
    match read_set(db, &args[1], now)?.and_then(|s| s.random(rng)) {
        Some(m) => reply_member(reply, m),
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
        }
    }
    Ok(())
}

/// SRANDMEMBER's count: any integer but i64::MIN, whose absolute value
/// does not fit.
fn rand_count(arg: &[u8]) -> Result<i64, CmdError> {
    match arg_i64(arg)? {
        i64::MIN => Err(CmdError::text(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        )),
        n => Ok(n),
    }
}

fn srandmember_count(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let n = rand_count(&args[2])?;
    // A negative count allows the same member more than once.
    let (count, unique) = (n.unsigned_abs(), n >= 0);
    let now = ctx.now_ms;
    let (db, reply, rng) = db_reply_rng(ctx);
    // An array, not a set, whatever the protocol: members may repeat.
    let Some(set) = read_set(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.array(0);
        return Ok(());
    };
    if count == 0 {
        reply.array(0);
        return Ok(());
    }
    let size = set.len() as u64;
    if !unique || count == 1 {
        // Like Redis, the reply grows by one random member per count,
        // however large the count.
        reply.array(count as usize);
        for _ in 0..count {
            if let Some(m) = set.random(rng) {
                reply_member(reply, m);
            }
        }
        return Ok(());
    }
    if count >= size {
        reply_members_as_array(reply, set);
        return Ok(());
    }
    let picked: Vec<Member> = if count.saturating_mul(SRANDMEMBER_SUB_STRATEGY_MUL) > size {
        // Most of the set: drop random members from a copy.
        let mut all: Vec<Member> = set.iter().collect();
        while all.len() as u64 > count {
            let i = rng.usize(..all.len());
            all.swap_remove(i);
        }
        all
    } else {
        // A small part of a big set: pick until enough distinct members.
        let mut picked = HashSet::with_capacity(count as usize);
        while (picked.len() as u64) < count {
            if let Some(m) = set.random(rng) {
                picked.insert(m);
            }
        }
        picked.into_iter().collect()
    };
    reply.array(picked.len());
    for m in picked {
        reply_member(reply, m);
    }
    Ok(())
}

/// The whole set in its own order, as an array.
fn reply_members_as_array(reply: &mut crate::protocol::ReplyBuffer, set: &Set) {
    reply.array(set.len());
    for m in set.iter() {
        reply_member(reply, m);
    }
}
