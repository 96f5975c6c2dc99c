//! Commands on one set's members: SADD, SREM, SMOVE, SISMEMBER,
//! SMISMEMBER, SCARD.

use super::{Ctx, as_set, found_set, found_set_mut, max_intset, new_object, read_set, write_set};
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult};
use crate::db::set::Set;
use bytes::Bytes;

pub(super) fn sadd(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (key, members) = (&args[1], &args[2..]);
    let max = max_intset(ctx);
    let now = ctx.now_ms;
    let db = ctx.db();
    let add_all = |set: &mut Set| members.iter().filter(|m| set.add(m, max)).count();
    let added = match write_set(db, key, now)? {
        Some(set) => add_all(set),
        None => {
            // As Redis's setTypeCreate, the first member picks the encoding.
            let mut set = Set::for_first(&args[2]);
            let added = add_all(&mut set);
            db.add(key, new_object(set, now));
            added
        }
    };
    ctx.dirty(added as u64);
    if added > 0 {
        ctx.key_changed(class::SET, "sadd", key);
    }
    ctx.reply.int(added as i64);
    Ok(())
}

pub(super) fn srem(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[1];
    let now = ctx.now_ms;
    let db = ctx.db();
    let Some(set) = write_set(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    let (mut removed, mut emptied) = (0, false);
    for m in &args[2..] {
        if set.remove(m) {
            removed += 1;
            // Redis stops at the member that empties the set.
            if set.is_empty() {
                emptied = true;
                break;
            }
        }
    }
    if emptied {
        db.remove(key);
    }
    ctx.dirty(removed);
    if removed > 0 {
        ctx.key_changed(class::SET, "srem", key);
    }
    if emptied {
        ctx.notify(class::GENERIC, "del", key);
    }
    ctx.reply.int(removed as i64);
    Ok(())
}

/// What a key held when SMOVE looked it up.
#[derive(PartialEq, Eq)]
enum Found {
    Missing,
    Set,
    Other,
}

fn found(value: Option<&mut crate::db::Object>) -> Found {
    match value {
        None => Found::Missing,
        Some(obj) if as_set(&obj.value).is_some() => Found::Set,
        Some(_) => Found::Other,
    }
}

/// SMOVE: both keys are looked up first (as Redis's lookupKeyWrite, each
/// once); a missing source answers 0 before any type is checked.
pub(super) fn smove(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (src, dst, member) = (&args[1], &args[2], &args[3]);
    let max = max_intset(ctx);
    let now = ctx.now_ms;
    let db = ctx.db();
    let src_found = found(db.get_mut(src, now));
    let dst_found = found(db.get_mut(dst, now));
    if src_found == Found::Missing {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    }
    if src_found == Found::Other || dst_found == Found::Other {
        return Err(CmdError::WRONG_TYPE);
    }
    if src == dst {
        let member_of = found_set(db, src).is_some_and(|s| s.contains(member));
        ctx.reply.int(i64::from(member_of));
        return Ok(());
    }
    let Some(src_set) = found_set_mut(db, src) else {
        ctx.reply.int(0);
        return Ok(());
    };
    if !src_set.remove(member) {
        ctx.reply.int(0);
        return Ok(());
    }
    let emptied = src_set.is_empty();
    if emptied {
        db.remove(src);
    }
    // The source's events come before the destination is created (its
    // `new` event), as in Redis.
    ctx.key_changed(class::SET, "srem", src);
    if emptied {
        ctx.notify(class::GENERIC, "del", src);
    }
    let db = ctx.db();
    let added = match found_set_mut(db, dst) {
        Some(dst_set) => dst_set.add(member, max),
        None => {
            let mut set = Set::for_first(member);
            set.add(member, max);
            db.add(dst, new_object(set, now));
            true
        }
    };
    // One change for the source, one more if the destination grew.
    ctx.dirty(1 + u64::from(added));
    if added {
        ctx.key_changed(class::SET, "sadd", dst);
    }
    ctx.reply.int(1);
    Ok(())
}

pub(super) fn sismember(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let member_of = read_set(ctx.db(), &args[1], now)?.is_some_and(|s| s.contains(&args[2]));
    ctx.flush_key_events();
    ctx.reply.int(i64::from(member_of));
    Ok(())
}

/// SMISMEMBER: a missing key is an empty set, so every answer is 0.
pub(super) fn smismember(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let values = &args[2..];
    match read_set(db, &args[1], now)? {
        Some(set) => {
            reply.array(values.len());
            for v in values {
                reply.int(i64::from(set.contains(v)));
            }
        }
        None => {
            ctx.flush_key_events();
            ctx.reply.array(values.len());
            for _ in values {
                ctx.reply.int(0);
            }
        }
    }
    Ok(())
}

pub(super) fn scard(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_set(ctx.db(), &args[1], now)?.map_or(0, Set::len);
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}
