//! Consumer groups: XGROUP's subcommands, XACK, XPENDING, XCLAIM and
//! XAUTOCLAIM.

use super::log;
use super::{
    c_str, parse_bound, parse_id, parse_strict_id, read_stream, reply_id, reply_one, write_stream,
};
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::stream::{Group, Stream, StreamId, id};
use crate::db::{Object, Value};
use bytes::Bytes;

fn nogroup(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::msg(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        c_str(key),
        c_str(group)
    ))
}

fn nogroup_for_key(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::msg(format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        c_str(group),
        c_str(key)
    ))
}

const SUBCOMMAND_SYNTAX: fn(&str) -> CmdError = |sub| {
    CmdError::msg(format!(
        "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try XGROUP HELP."
    ))
};

/// The options of CREATE and SETID (MKSTREAM only for CREATE).
fn parse_group_opts(args: &[Bytes], create: bool) -> Result<(bool, i64), CmdError> {
    let mut mkstream = false;
    let mut entries_read = -1;
    let mut i = 5;
    while i < args.len() {
        if create && is(&args[i], "mkstream") {
            mkstream = true;
            i += 1;
        } else if is(&args[i], "entriesread") && i + 1 < args.len() {
            entries_read = arg_i64(&args[i + 1])?;
            if entries_read < 0 && entries_read != -1 {
                return Err(CmdError::text(
                    "ERR value for ENTRIESREAD must be positive or -1",
                ));
            }
            i += 2;
        } else {
            return Err(SUBCOMMAND_SYNTAX(&super::super::text(&args[1])));
        }
    }
    Ok((mkstream, entries_read))
}

const NEEDS_KEY: CmdError = CmdError::text(
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
);

/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
pub(super) fn xgroup_create(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (mkstream, entries_read) = parse_group_opts(args, true)?;
    let now = ctx.now_ms;
    let key = &args[2];
    let exists = write_stream(ctx.db(), key, now)?.is_some();
    if !exists && !mkstream {
        return Err(NEEDS_KEY);
    }
    // Redis checks the argument count last, after the options and the key.
    if args.len() > 8 {
        return Err(SUBCOMMAND_SYNTAX(&super::super::text(&args[1])));
    }
    let id = if &args[4][..] == b"$" {
        write_stream(ctx.db(), key, now)?.map_or(StreamId::MIN, |s| s.last_id)
    } else {
        parse_strict_id(&args[4])?
    };
    let db = ctx.db();
    if !exists {
        db.add(key, Object::new(Value::Stream(Box::default()), now));
    }
    let Some(s) = write_stream(db, key, now)? else {
        return Ok(());
    };
    if s.groups.contains_key(&args[3][..]) {
        return Err(CmdError::text(
            "BUSYGROUP Consumer Group name already exists",
        ));
    }
    s.groups
        .insert(args[3][..].into(), Group::new(id, entries_read));
    // MKSTREAM's `new` event precedes the reply.
    ctx.flush_key_events();
    ctx.reply.ok();
    ctx.dirty(1);
    // Group changes are events without a WATCH signal, except that
    // MKSTREAM's new key is a modification.
    if !exists {
        ctx.signal_modified(key);
    }
    ctx.notify(class::STREAM, "xgroup-create", key);
    Ok(())
}

/// The stream and group XGROUP's other subcommands work on, with Redis's
/// errors for a missing key or group.
fn group_of<'c>(ctx: &'c mut Ctx, args: &[Bytes]) -> Result<&'c mut Stream, CmdError> {
    let now = ctx.now_ms;
    let s = write_stream(ctx.db(), &args[2], now)?.ok_or(NEEDS_KEY)?;
    if !s.groups.contains_key(&args[3][..]) {
        return Err(nogroup_for_key(&args[2], &args[3]));
    }
    Ok(s)
}

/// XGROUP SETID key group id|$ [ENTRIESREAD n]
pub(super) fn xgroup_setid(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (_, entries_read) = parse_group_opts(args, false)?;
    let s = group_of(ctx, args)?;
    if args.len() != 5 && args.len() != 7 {
        return Err(SUBCOMMAND_SYNTAX(&super::super::text(&args[1])));
    }
    let id = if &args[4][..] == b"$" {
        s.last_id
    } else {
        parse_id(&args[4], 0)?
    };
    if let Some(g) = s.groups.get_mut(&args[3][..]) {
        g.last_id = id;
        g.entries_read = entries_read;
    }
    ctx.reply.ok();
    ctx.dirty(1);
    ctx.notify(class::STREAM, "xgroup-setid", &args[2]);
    Ok(())
}

/// XGROUP DESTROY key group: 1 or 0; wakes readers blocked on the group.
pub(super) fn xgroup_destroy(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let s = write_stream(ctx.db(), &args[2], now)?.ok_or(NEEDS_KEY)?;
    if s.groups.remove(&args[3][..]).is_some() {
        ctx.reply.int(1);
        ctx.dirty(1);
        ctx.notify(class::STREAM, "xgroup-destroy", &args[2]);
        ctx.signal_ready(&args[2]);
    } else {
        ctx.reply.int(0);
    }
    Ok(())
}

/// XGROUP CREATECONSUMER key group consumer: 1 if made, 0 if it existed.
pub(super) fn xgroup_createconsumer(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let s = group_of(ctx, args)?;
    let created = match s.groups.get_mut(&args[3][..]) {
        Some(g) => g.consumer(&args[4], now).1,
        None => false,
    };
    // Redis publishes the creation before it replies.
    if created {
        ctx.dirty(1);
        ctx.notify(class::STREAM, "xgroup-createconsumer", &args[2]);
    }
    ctx.reply.int(i64::from(created));
    Ok(())
}

/// XGROUP DELCONSUMER key group consumer: the consumer's pending count.
pub(super) fn xgroup_delconsumer(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let s = group_of(ctx, args)?;
    let pending = s
        .groups
        .get_mut(&args[3][..])
        .and_then(|g| g.delete_consumer(&args[4]));
    // Redis publishes the deletion before it replies.
    if pending.is_some() {
        ctx.dirty(1);
        ctx.notify(class::STREAM, "xgroup-delconsumer", &args[2]);
    }
    ctx.reply.int(pending.unwrap_or(0) as i64);
    Ok(())
}

pub(super) fn xgroup_help(ctx: &mut Ctx, _args: &[Bytes]) -> CmdResult {
    crate::commands::server::reply_help(
        ctx,
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    );
    Ok(())
}

/// XACK key group id [id ...]: a missing key or group acknowledges 0.
pub(super) fn xack(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    // A read lookup, as in Redis: a missing key is a keymiss.
    let Some(s) = read_stream(ctx.db(), &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    if !s.groups.contains_key(&args[2][..]) {
        ctx.reply.int(0);
        return Ok(());
    }
    let ids = args[3..]
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>, _>>()?;
    let mut acked = 0;
    if let Some(g) = s.groups.get_mut(&args[2][..]) {
        for id in ids {
            if g.ack(id) {
                acked += 1;
            }
        }
    }
    ctx.reply.int(acked);
    ctx.dirty(acked as u64);
    Ok(())
}

/// XPENDING key group [[IDLE min-idle] start end count [consumer]]
pub(super) fn xpending(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let n = args.len();
    if n != 3 && !(6..=9).contains(&n) {
        return Err(CmdError::SYNTAX);
    }
    let mut range = None;
    if n >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if is(&args[3], "idle") {
            min_idle = arg_i64(&args[4])?;
            if n < 8 {
                return Err(CmdError::SYNTAX);
            }
            at += 2;
        }
        let count = arg_i64(&args[at + 2])?.max(0);
        let (mut start, sx) = parse_bound(&args[at], 0, true)?;
        if sx {
            start = start
                .incr()
                .ok_or(CmdError::text("ERR invalid start ID for the interval"))?;
        }
        let (mut end, ex) = parse_bound(&args[at + 1], u64::MAX, true)?;
        if ex {
            end = end
                .decr()
                .ok_or(CmdError::text("ERR invalid end ID for the interval"))?;
        }
        range = Some((min_idle, start, end, count, args.get(at + 3)));
    }
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let s = read_stream(db, &args[1], now)?;
    let Some(g) = s.and_then(|s| s.groups.get(&args[2][..])) else {
        return Err(nogroup(&args[1], &args[2]));
    };
    let Some((min_idle, start, end, count, consumer)) = range else {
        reply.array(4);
        reply.int(g.pel.len() as i64);
        match (g.pel.first_key_value(), g.pel.last_key_value()) {
            (Some((first, _)), Some((last, _))) => {
                reply_id(reply, *first);
                reply_id(reply, *last);
                let busy: Vec<_> = g
                    .consumers
                    .iter()
                    .filter(|(_, c)| !c.pel.is_empty())
                    .collect();
                reply.array(busy.len());
                for (name, c) in busy {
                    reply.array(2);
                    reply.bulk(name);
                    reply.bulk_int(c.pel.len() as i64);
                }
            }
            _ => {
                reply.null();
                reply.null();
                reply.null_array();
            }
        }
        return Ok(());
    };
    let ids: Vec<StreamId> = match consumer {
        Some(name) => match g.consumers.get(&name[..]) {
            Some(c) if start <= end => c.pel.range(start..=end).copied().collect(),
            Some(_) => Vec::new(),
            None => {
                reply.array(0);
                return Ok(());
            }
        },
        None if start <= end => g.pel.range(start..=end).map(|(id, _)| *id).collect(),
        None => Vec::new(),
    };
    let rows: Vec<_> = ids
        .into_iter()
        .filter_map(|id| g.pel.get(&id).map(|p| (id, p)))
        .filter(|(_, p)| min_idle == 0 || now - p.delivery_time >= min_idle)
        .take(count as usize)
        .collect();
    reply.array(rows.len());
    for (id, p) in rows {
        reply.array(4);
        reply_id(reply, id);
        reply.bulk(&p.consumer);
        reply.int((now - p.delivery_time).max(0));
        reply.int(p.delivery_count as i64);
    }
    Ok(())
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms]
/// [TIME unix-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
pub(super) fn xclaim(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let propagating = ctx.propagating();
    let has_group =
        read_stream(ctx.db(), &args[1], now)?.is_some_and(|s| s.groups.contains_key(&args[2][..]));
    if !has_group {
        return Err(nogroup(&args[1], &args[2]));
    }
    let min_idle = crate::util::parse_i64(&args[4])
        .ok_or(CmdError::text(
            "ERR Invalid min-idle-time argument for XCLAIM",
        ))?
        .max(0);
    let mut ids = Vec::new();
    let mut j = 5;
    while j < args.len() {
        match id::parse(&args[j], 0, true, false) {
            Some(p) => ids.push((p.id, j)),
            None => break,
        }
        j += 1;
    }
    let (mut force, mut justid) = (false, false);
    let mut retrycount: i64 = -1;
    let mut delivery: i64 = -1;
    let mut last_id = StreamId::MIN;
    let opt_int = |arg: &[u8], what: &str| {
        crate::util::parse_i64(arg)
            .ok_or_else(|| CmdError::msg(format!("ERR Invalid {what} option argument for XCLAIM")))
    };
    while j < args.len() {
        let more = j + 1 < args.len();
        let o = &args[j];
        if is(o, "force") {
            force = true;
        } else if is(o, "justid") {
            justid = true;
        } else if is(o, "idle") && more {
            j += 1;
            delivery = now.saturating_sub(opt_int(&args[j], "IDLE")?);
        } else if is(o, "time") && more {
            j += 1;
            delivery = opt_int(&args[j], "TIME")?;
        } else if is(o, "retrycount") && more {
            j += 1;
            retrycount = opt_int(&args[j], "RETRYCOUNT")?;
        } else if is(o, "lastid") && more {
            j += 1;
            last_id = parse_strict_id(&args[j])?;
        } else {
            return Err(CmdError::msg(format!(
                "ERR Unrecognized XCLAIM option '{}'",
                c_str(o)
            )));
        }
        j += 1;
    }
    if delivery < 0 || delivery > now {
        delivery = now;
    }
    let db = ctx.db();
    let Some(s) = write_stream(db, &args[1], now)? else {
        return Ok(());
    };
    let name = &args[3][..];
    let mut claimed = Vec::new();
    let mut dirty = 0;
    let mut created = false;
    // Each claim is logged as an XCLAIM that replays it exactly; a LASTID
    // that moved the group alone, as the group's new position.
    let mut log = propagating.then(Vec::new);
    let mut moved_last_id = false;
    {
        let exists: Vec<bool> = ids.iter().map(|(id, _)| s.contains(*id)).collect();
        let Some(g) = s.groups.get_mut(&args[2][..]) else {
            return Ok(());
        };
        if last_id > g.last_id {
            g.last_id = last_id;
            dirty += 1;
            moved_last_id = true;
        }
        for ((id, at), exists) in ids.iter().copied().zip(exists) {
            if !exists {
                if let Some(log) = &mut log
                    && let Some(op) = log::xclaim_of(&args[1], &args[2], args[at].clone(), id, g)
                {
                    log.push(op);
                }
                if g.ack(id) {
                    dirty += 1;
                }
                continue;
            }
            let fresh = !g.pel.contains_key(&id);
            if fresh && !force {
                continue;
            }
            if !fresh && g.delivered_within(id, now, min_idle) {
                continue;
            }
            created |= g.see_consumer(name, now);
            g.deliver(id, name, delivery, false);
            if let Some(p) = g.pel.get_mut(&id) {
                if fresh {
                    p.delivery_count = 1;
                }
                if retrycount >= 0 {
                    p.delivery_count = retrycount as u64;
                } else if !justid {
                    p.delivery_count += 1;
                }
            }
            if let Some(log) = &mut log
                && let Some(op) = log::xclaim_of(&args[1], &args[2], args[at].clone(), id, g)
            {
                log.push(op);
            }
            claimed.push(id);
            dirty += 1;
        }
        if moved_last_id
            && let Some(log) = &mut log
            && log.is_empty()
        {
            log.push(log::setid(&args[1], &args[2], g));
        }
    }
    reply_claimed(ctx, &args[1], &claimed, justid, created)?;
    ctx.dirty(dirty);
    for op in log.unwrap_or_default() {
        ctx.also_propagate(&op);
    }
    ctx.prevent_propagation();
    Ok(())
}

/// The claimed entries (or IDs, with JUSTID) of XCLAIM and XAUTOCLAIM.
/// Redis creates a new consumer at the first entry it claims, after the
/// (deferred) array header, so its event goes right after the header.
fn reply_claimed(
    ctx: &mut Ctx,
    key: &[u8],
    claimed: &[StreamId],
    justid: bool,
    created: bool,
) -> CmdResult {
    ctx.reply.array(claimed.len());
    if created {
        ctx.notify(class::STREAM, "xgroup-createconsumer", key);
    }
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(s) = write_stream(db, key, now)? else {
        return Ok(());
    };
    for &id in claimed {
        if justid {
            reply_id(reply, id);
        } else if !reply_one(reply, s, id) {
            reply.null();
        }
    }
    Ok(())
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT count]
/// [JUSTID]: claims up to COUNT entries idle long enough, looking at up
/// to ten times that many; replies with the cursor to continue from, the
/// entries and the IDs it dropped from the PEL because they are gone.
pub(super) fn xautoclaim(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let propagating = ctx.propagating();
    let min_idle = crate::util::parse_i64(&args[4])
        .ok_or(CmdError::text(
            "ERR Invalid min-idle-time argument for XAUTOCLAIM",
        ))?
        .max(0);
    let (mut start, ex) = parse_bound(&args[5], 0, true)?;
    if ex {
        start = start
            .incr()
            .ok_or(CmdError::text("ERR invalid start ID for the interval"))?;
    }
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < args.len() {
        if is(&args[j], "count") && j + 1 < args.len() {
            let max = i64::MAX / 16;
            count = crate::util::parse_i64(&args[j + 1])
                .filter(|n| (1..=max).contains(n))
                .ok_or(CmdError::text("ERR COUNT must be > 0"))?;
            j += 1;
        } else if is(&args[j], "justid") {
            justid = true;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    let now = ctx.now_ms;
    let has_group =
        read_stream(ctx.db(), &args[1], now)?.is_some_and(|s| s.groups.contains_key(&args[2][..]));
    if !has_group {
        return Err(nogroup(&args[1], &args[2]));
    }
    let (db, reply) = ctx.db_and_reply();
    let Some(s) = write_stream(db, &args[1], now)? else {
        return Ok(());
    };
    let name = &args[3][..];
    let mut attempts = count.saturating_mul(10);
    let pending: Vec<StreamId> = s
        .groups
        .get(&args[2][..])
        .map(|g| g.pel.range(start..).map(|(id, _)| *id).collect())
        .unwrap_or_default();
    let exists: Vec<bool> = pending.iter().map(|id| s.contains(*id)).collect();
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut next = 0;
    let mut dirty = 0;
    let mut created = false;
    let mut log = propagating.then(Vec::new);
    let note = |log: &mut Option<Vec<Vec<Bytes>>>, g: &crate::db::stream::Group, id| {
        if let Some(log) = log
            && let Some(op) = log::xclaim_of(&args[1], &args[2], log::id_bytes(id), id, g)
        {
            log.push(op);
        }
    };
    if let Some(g) = s.groups.get_mut(&args[2][..]) {
        while attempts > 0 && count > 0 && next < pending.len() {
            attempts -= 1;
            let id = pending[next];
            next += 1;
            if !exists[next - 1] {
                note(&mut log, g, id);
                g.ack(id);
                deleted.push(id);
                count -= 1;
                dirty += 1;
                continue;
            }
            if g.delivered_within(id, now, min_idle) {
                continue;
            }
            created |= g.see_consumer(name, now);
            g.deliver(id, name, now, !justid);
            note(&mut log, g, id);
            claimed.push(id);
            count -= 1;
            dirty += 1;
        }
    }
    let cursor = pending.get(next).copied().unwrap_or(StreamId::MIN);
    reply.array(3);
    reply_id(reply, cursor);
    reply_claimed(ctx, &args[1], &claimed, justid, created)?;
    ctx.reply.array(deleted.len());
    for id in deleted {
        reply_id(ctx.reply, id);
    }
    ctx.dirty(dirty);
    for op in log.unwrap_or_default() {
        ctx.also_propagate(&op);
    }
    ctx.prevent_propagation();
    Ok(())
}
