//! XREAD and XREADGROUP. Each serves what it can at once; with BLOCK and
//! nothing to serve it blocks (BlockKind::Stream) with its arguments
//! rewritten so that a rerun means what the first run meant: `$` becomes
//! the stream's last ID at the time, and a missing COUNT becomes Redis's
//! default for blocked readers. XADD signals the key; a rerun restricted
//! to that key serves entries past the ID (or, for `>`, past the group's
//! last delivered ID), as Redis's serveClientsBlockedOnStreamKey does.

use super::{
    INVALID_ID, c_str, read_stream, reply_entry, reply_id, reply_range, stream_again, write_stream,
};
use crate::commands::blocking::BlockKind;
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::stream::{Stream, StreamId, id};
use crate::db::{Db, Value};
use crate::protocol::ReplyBuffer;
use bytes::Bytes;

/// Redis's XREAD_BLOCKED_DEFAULT_COUNT.
const BLOCKED_DEFAULT_COUNT: i64 = 1000;

/// The parsed options of XREAD/XREADGROUP.
struct ReadArgs<'a> {
    /// Block for this many ms (0 = forever); None without BLOCK.
    block_ms: Option<i64>,
    count: i64,
    count_given: bool,
    noack: bool,
    group: Option<(&'a Bytes, &'a Bytes)>,
    /// Index of the first key.
    streams_at: usize,
    nkeys: usize,
}

fn parse_read(args: &[Bytes], xreadgroup: bool) -> Result<ReadArgs<'_>, CmdError> {
    let mut r = ReadArgs {
        block_ms: None,
        count: 0,
        count_given: false,
        noack: false,
        group: None,
        streams_at: 0,
        nkeys: 0,
    };
    let mut i = 1;
    while i < args.len() {
        let more = args.len() - i - 1;
        let o = &args[i];
        if is(o, "block") && more > 0 {
            i += 1;
            let ms = crate::util::parse_i64(&args[i]).ok_or(CmdError::text(
                "ERR timeout is not an integer or out of range",
            ))?;
            if ms < 0 {
                return Err(CmdError::text("ERR timeout is negative"));
            }
            r.block_ms = Some(ms);
        } else if is(o, "count") && more > 0 {
            i += 1;
            r.count = arg_i64(&args[i])?.max(0);
            r.count_given = true;
        } else if is(o, "streams") && more > 0 {
            r.streams_at = i + 1;
            let rest = args.len() - r.streams_at;
            if !rest.is_multiple_of(2) {
                // Redis names XREAD and `$` here for XREADGROUP too.
                return Err(CmdError::text(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
                ));
            }
            r.nkeys = rest / 2;
            break;
        } else if is(o, "group") && more >= 2 {
            if !xreadgroup {
                return Err(CmdError::text(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            r.group = Some((&args[i + 1], &args[i + 2]));
            i += 2;
        } else if is(o, "noack") {
            if !xreadgroup {
                return Err(CmdError::text(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            r.noack = true;
        } else {
            return Err(CmdError::SYNTAX);
        }
        i += 1;
    }
    if r.streams_at == 0 {
        return Err(CmdError::SYNTAX);
    }
    if xreadgroup && r.group.is_none() {
        return Err(CmdError::text("ERR Missing GROUP option for XREADGROUP"));
    }
    Ok(r)
}

/// The ID a reader asked for: entries after `After`, the group's new ones
/// (`>`), or the stream's current end (`$`, resolved when parsed).
#[derive(Clone, Copy, PartialEq)]
enum Want {
    After(StreamId),
    New,
}

pub(super) fn xread(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    read(ctx, args, false)
}

pub(super) fn xreadgroup(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    read(ctx, args, true)
}

fn read(ctx: &mut Ctx, args: &[Bytes], xreadgroup: bool) -> CmdResult {
    let r = parse_read(args, xreadgroup)?;
    let woken = ctx.client.woken_by.take();
    let now = ctx.now_ms;
    let keys = &args[r.streams_at..r.streams_at + r.nkeys];
    let id_args = &args[r.streams_at + r.nkeys..];
    // Check every key and ID before serving any.
    let mut wants = Vec::with_capacity(keys.len());
    for (key, id_arg) in keys.iter().zip(id_args) {
        let db = ctx.db();
        let s = read_stream(db, key, now);
        if woken.as_ref().is_some_and(|w| w == key)
            && r.group.is_some()
            && !matches!(s, Ok(Some(_)))
        {
            return Err(CmdError::text("UNBLOCKED the stream key no longer exists"));
        }
        let s = s?;
        if let Some((group, _)) = r.group {
            let exists = s
                .as_ref()
                .is_some_and(|s| s.groups.contains_key(&group[..]));
            if !exists {
                if woken.is_some() {
                    return Err(CmdError::text(
                        "NOGROUP the consumer group this client was blocked on no longer exists",
                    ));
                }
                return Err(CmdError::msg(format!(
                    "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                    c_str(key),
                    c_str(group)
                )));
            }
        }
        let want = if &id_arg[..] == b"$" {
            if xreadgroup {
                return Err(CmdError::text(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                ));
            }
            Want::After(s.map_or(StreamId::MIN, |s| s.last_id))
        } else if &id_arg[..] == b">" {
            if !xreadgroup {
                return Err(CmdError::text(
                    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ));
            }
            Want::New
        } else {
            let id = id::parse(id_arg, 0, true, false).ok_or(INVALID_ID)?.id;
            // Redis stores `>` as the highest ID, so that ID spelled out
            // asks a group for new entries too.
            if xreadgroup && id == StreamId::MAX {
                Want::New
            } else {
                Want::After(id)
            }
        };
        wants.push(want);
    }
    let count = r.count.max(0) as usize;
    let mut served = 0;
    let mut header_at = None;
    for (i, key) in keys.iter().enumerate() {
        if woken.as_ref().is_some_and(|w| w != key) {
            continue;
        }
        // Redis's second read lookup of the key (the first checked it).
        let Some(plan) = plan_serve(ctx, key, wants[i], r.group.map(|g| g.0), true)? else {
            // A miss goes out where Redis's lookup is: between the keys.
            ctx.flush_key_events();
            continue;
        };
        if served == 0 {
            ctx.flush_key_events();
            // A reader served once woken gets its new consumer's event
            // before the reply, as Redis creates it then.
            if woken.is_some()
                && let Some((group, consumer)) = r.group
            {
                ensure_consumer(ctx, key, group, consumer, r.noack)?;
            }
            header_at = Some(());
            // Redis sizes the outer reply after serving; count first.
            let n = count_servable(ctx, keys, &wants, &r, woken.as_ref())?;
            if ctx.reply.proto == crate::protocol::Protocol::Resp3 {
                ctx.reply.map(n);
            } else {
                ctx.reply.array(n);
            }
        }
        served += 1;
        if ctx.reply.proto != crate::protocol::Protocol::Resp3 {
            ctx.reply.array(2);
        }
        ctx.reply.bulk(key);
        match r.group {
            None => {
                let (db, reply) = ctx.db_and_reply();
                if let Some(s) = stream_again(db, key, now)? {
                    reply_range(reply, s, plan, StreamId::MAX, count, false);
                }
            }
            Some((group, consumer)) => {
                let mut log = ctx.propagating().then(Vec::new);
                let how = Serve {
                    start: plan,
                    want: wants[i],
                    count,
                    noack: r.noack,
                };
                serve_group(ctx, key, group, consumer, how, &mut log)?;
                ctx.dirty(1);
                for op in log.unwrap_or_default() {
                    ctx.also_propagate(&op);
                }
            }
        }
    }
    let _ = header_at;
    // What a group read changed was logged entry by entry (XCLAIM) or as
    // the group's new position; the command itself never is.
    if r.group.is_some() {
        ctx.prevent_propagation();
    }
    if served > 0 {
        return Ok(());
    }
    let Some(ms) = r.block_ms else {
        ctx.flush_key_events();
        ctx.reply.null_array();
        return Ok(());
    };
    let deadline = if ms == 0 {
        None
    } else {
        Some(
            now.checked_add(ms)
                .ok_or(CmdError::text("ERR timeout is out of range"))?,
        )
    };
    // Rewrite `$` into the ID it meant now, and give a default COUNT.
    let mut stored: Vec<Bytes> = Vec::with_capacity(args.len() + 2);
    stored.push(args[0].clone());
    if !r.count_given {
        stored.push(Bytes::from_static(b"COUNT"));
        stored.push(Bytes::from(BLOCKED_DEFAULT_COUNT.to_string()));
    }
    stored.extend(args[1..r.streams_at + r.nkeys].iter().cloned());
    for (want, id_arg) in wants.iter().zip(id_args) {
        match want {
            Want::After(id) if &id_arg[..] == b"$" => stored.push(Bytes::from(id.to_string())),
            _ => stored.push(id_arg.clone()),
        }
    }
    ctx.block_or_null(BlockKind::Stream, keys, deadline, &stored);
    Ok(())
}

/// How many of the keys would be served now.
fn count_servable(
    ctx: &mut Ctx,
    keys: &[Bytes],
    wants: &[Want],
    r: &ReadArgs,
    woken: Option<&Bytes>,
) -> Result<usize, CmdError> {
    let mut n = 0;
    for (key, want) in keys.iter().zip(wants) {
        if woken.is_some_and(|w| w != key) {
            continue;
        }
        if plan_serve(ctx, key, *want, r.group.map(|g| g.0), false)?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// Whether `key` can be served now, and from which ID on (inclusive).
/// Plain readers need an entry past their ID; a group reader asking for
/// its history is always served; one asking for new entries needs an
/// entry past the group's last delivered ID. `counted`: whether this
/// lookup counts as a hit or miss.
fn plan_serve(
    ctx: &mut Ctx,
    key: &[u8],
    want: Want,
    group: Option<&Bytes>,
    counted: bool,
) -> Result<Option<StreamId>, CmdError> {
    let now = ctx.now_ms;
    let db = ctx.db();
    let s = if counted {
        read_stream(db, key, now)?
    } else {
        stream_again(db, key, now)?
    };
    let Some(s) = s else {
        return Ok(None);
    };
    let after = match (want, group) {
        (Want::After(id), Some(_)) => return Ok(Some(id.incr().unwrap_or(StreamId::MAX))),
        (Want::After(id), None) => id,
        (Want::New, Some(g)) => match s.groups.get(&g[..]) {
            Some(g) => g.last_id,
            None => return Ok(None),
        },
        (Want::New, None) => return Ok(None),
    };
    if s.is_empty() || s.edge_id(true).is_none_or(|top| top <= after) {
        return Ok(None);
    }
    Ok(Some(after.incr().unwrap_or(StreamId::MAX)))
}

/// Makes sure the group has the reader's consumer, publishing its
/// creation; marks it seen. Under NOACK no XCLAIM will carry the new
/// consumer into the log, so its creation is logged itself (Redis 7.0's
/// streamPropagateConsumerCreation).
fn ensure_consumer(
    ctx: &mut Ctx,
    key: &Bytes,
    group: &Bytes,
    consumer: &Bytes,
    noack: bool,
) -> CmdResult {
    let now = ctx.now_ms;
    let created = match write_stream(ctx.db(), key, now)?.and_then(|s| s.groups.get_mut(&group[..]))
    {
        Some(g) => {
            let (c, created) = g.consumer(consumer, now);
            c.seen_time = now;
            created
        }
        None => false,
    };
    if created {
        ctx.notify(class::STREAM, "xgroup-createconsumer", key);
        if noack && ctx.propagating() {
            ctx.also_propagate(&super::log::create_consumer(key, group, consumer));
        }
    }
    Ok(())
}

/// What a group reader asked for: from which ID, history or new entries,
/// how many, and whether they skip the PEL.
struct Serve {
    start: StreamId,
    want: Want,
    count: usize,
    noack: bool,
}

/// Serves a group reader: its own pending entries from `start` (history),
/// or new entries, which join the PEL unless NOACK. A new consumer's
/// event goes out after the key, before the entries, as in Redis. With
/// `log`, collects what Redis 7.0 propagates for the read: each new
/// pending entry as an XCLAIM, or with NOACK the group's new position.
fn serve_group(
    ctx: &mut Ctx,
    key: &Bytes,
    group: &Bytes,
    consumer: &Bytes,
    how: Serve,
    log: &mut Option<Vec<Vec<Bytes>>>,
) -> CmdResult {
    let Serve {
        start,
        want,
        count,
        noack,
    } = how;
    let now = ctx.now_ms;
    ensure_consumer(ctx, key, group, consumer, noack)?;
    let (db, reply) = ctx.db_and_reply();
    let Some(s) = stream_again(db, key, now)? else {
        return Ok(());
    };
    let Some(c) = s
        .groups
        .get(&group[..])
        .and_then(|g| g.consumers.get(&consumer[..]))
    else {
        return Ok(());
    };
    if want != Want::New {
        let ids: Vec<StreamId> = c
            .pel
            .range(start..)
            .take(if count == 0 { usize::MAX } else { count })
            .copied()
            .collect();
        reply.array(ids.len());
        for id in ids {
            if reply_one_from(reply, s, id) {
                if let Some(g) = s.groups.get_mut(&group[..])
                    && let Some(p) = g.pel.get_mut(&id)
                {
                    p.delivery_time = now;
                    p.delivery_count += 1;
                }
            } else {
                reply.array(2);
                reply_id(reply, id);
                reply.null_array();
            }
        }
        return Ok(());
    }
    let ids = reply_range(reply, s, start, StreamId::MAX, count, false);
    let advanced = !ids.is_empty();
    for id in ids {
        s.advance_group(group, id);
        if !noack && let Some(g) = s.groups.get_mut(&group[..]) {
            g.deliver(id, consumer, now, false);
            if let Some(p) = g.pel.get_mut(&id) {
                p.delivery_count = 1;
            }
            if let Some(log) = log
                && let Some(op) = super::log::xclaim_of(key, group, super::log::id_bytes(id), id, g)
            {
                log.push(op);
            }
        }
    }
    if noack
        && advanced
        && let Some(log) = log
        && let Some(g) = s.groups.get(&group[..])
    {
        log.push(super::log::setid(key, group, g));
    }
    Ok(())
}

fn reply_one_from(reply: &mut ReplyBuffer, s: &Stream, id: StreamId) -> bool {
    let mut found = false;
    s.range(id, id, false, &mut |id, fields| {
        reply_entry(reply, id, fields);
        found = true;
        false
    });
    found
}

/// Whether a client blocked by XREAD/XREADGROUP (`args`, as stored when
/// it blocked) can be served from `key`: the stream's last ID is past the
/// ID it waits for, or its group is gone (it then gets an error).
pub fn can_serve(db: &mut Db, key: &[u8], args: &[Bytes], now: i64) -> bool {
    let xreadgroup = args.first().is_some_and(|a| is(a, "xreadgroup"));
    let Ok(r) = parse_read(args, xreadgroup) else {
        return false;
    };
    let keys = &args[r.streams_at..r.streams_at + r.nkeys];
    let ids = &args[r.streams_at + r.nkeys..];
    let Some(i) = keys.iter().position(|k| &k[..] == key) else {
        return false;
    };
    let s: &Stream = match db.peek(key, now).map(|o| &o.value) {
        Some(Value::Stream(s)) => s,
        // A group reader learns that its stream was deleted.
        _ => return r.group.is_some(),
    };
    let after = match r.group {
        Some((group, _)) => match s.groups.get(&group[..]) {
            None => return true,
            Some(g) if &ids[i][..] == b">" => g.last_id,
            Some(_) => return true,
        },
        None => match id::parse(&ids[i], 0, true, false) {
            Some(p) => p.id,
            None => return false,
        },
    };
    s.last_id > after && !s.is_empty()
}
