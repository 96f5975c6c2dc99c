//! Writing and reading a stream's entries: XADD, XTRIM, XDEL, XLEN,
//! XRANGE, XREVRANGE and XSETID.

use super::{
    INVALID_ID, node_limits, parse_bound, parse_strict_id, read_stream, reply_id, reply_range,
    write_stream,
};
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::stream::{Stream, StreamId, Trim, TrimTo, id};
use crate::db::{Object, Value};
use bytes::Bytes;

/// What XADD and XTRIM read before the ID (Redis's
/// streamParseAddOrTrimArgsOrReply).
struct AddArgs {
    trim: Option<Trim>,
    nomkstream: bool,
    /// The explicit ID and whether its sequence was given (`<ms>-*` not).
    id: Option<id::Parsed>,
    /// Where the field/value pairs start (XADD).
    fields_at: usize,
    /// Where the trim threshold is (an approximate trim is logged with
    /// `=` and the threshold it reached).
    threshold_at: usize,
}

fn parse_add_or_trim(args: &[Bytes], xadd: bool, node_entries: i64) -> Result<AddArgs, CmdError> {
    let mut out = AddArgs {
        trim: None,
        nomkstream: false,
        id: None,
        fields_at: args.len(),
        threshold_at: 0,
    };
    let mut limit: i64 = 0;
    let mut limit_given = false;
    let mut i = 2;
    while i < args.len() {
        let more = args.len() - 1 - i;
        let opt = &args[i];
        let is_trim = is(opt, "maxlen") || is(opt, "minid");
        if xadd && opt.first() == Some(&b'*') && (opt.len() == 1 || opt[1] == 0) {
            break;
        } else if is_trim && more > 0 {
            if out.trim.is_some() {
                return Err(CmdError::text(
                    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
                ));
            }
            let mut approx = false;
            let next = &args[i + 1];
            if more >= 2
                && (next.starts_with(b"~") || next.starts_with(b"="))
                && (next.len() == 1 || next[1] == 0)
            {
                approx = next[0] == b'~';
                i += 1;
            }
            out.threshold_at = i + 1;
            let to = if is(opt, "maxlen") {
                let n = arg_i64(&args[i + 1])?;
                if n < 0 {
                    return Err(CmdError::text("ERR The MAXLEN argument must be >= 0."));
                }
                TrimTo::MaxLen(n as u64)
            } else {
                TrimTo::MinId(parse_strict_id(&args[i + 1])?)
            };
            i += 1;
            out.trim = Some(Trim {
                to,
                approx,
                limit: 0,
            });
        } else if is(opt, "limit") && more > 0 {
            limit = arg_i64(&args[i + 1])?;
            if limit < 0 {
                return Err(CmdError::text("ERR The LIMIT argument must be >= 0."));
            }
            limit_given = true;
            i += 1;
        } else if xadd && is(opt, "nomkstream") {
            out.nomkstream = true;
        } else if xadd {
            out.id = Some(id::parse(opt, 0, true, true).ok_or(INVALID_ID)?);
            break;
        } else {
            return Err(CmdError::SYNTAX);
        }
        i += 1;
    }
    out.fields_at = i + 1;
    if limit != 0 && out.trim.is_none() {
        return Err(CmdError::text(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ));
    }
    if !xadd && out.trim.is_none() {
        return Err(CmdError::text(
            "ERR syntax error, XTRIM must be called with a trimming strategy",
        ));
    }
    if let Some(t) = &mut out.trim {
        if limit_given {
            if !t.approx {
                return Err(CmdError::text(
                    "ERR syntax error, LIMIT cannot be used without the special ~ option",
                ));
            }
            t.limit = limit;
        } else if t.approx {
            // Without LIMIT, `~` does at most this much work per call.
            t.limit = node_entries.saturating_mul(100);
            if t.limit <= 0 || t.limit > 1_000_000 {
                t.limit = 10_000;
            }
        }
    }
    Ok(out)
}

/// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]]
/// *|id field value [field value ...]
pub(super) fn xadd(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let node_entries = ctx.engine.config.stream_node_max_entries;
    let ctx_propagating = ctx.propagating();
    let a = parse_add_or_trim(args, true, node_entries)?;
    let pairs = args.get(a.fields_at..).unwrap_or(&[]);
    if pairs.len() < 2 || pairs.len() % 2 == 1 {
        return Err(CmdError::arity("xadd"));
    }
    if let Some(p) = a.id
        && p.seq_given
        && p.id == StreamId::MIN
    {
        return Err(CmdError::text(
            "ERR The ID specified in XADD must be greater than 0-0",
        ));
    }
    let limits = node_limits(ctx);
    let now = ctx.now_ms;
    let key = &args[1];
    let db = ctx.db();
    if write_stream(db, key, now)?.is_none() {
        if a.nomkstream {
            ctx.flush_key_events();
            ctx.reply.null();
            return Ok(());
        }
        db.add(key, Object::new(Value::Stream(Box::default()), now));
    }
    let Some(s) = write_stream(db, key, now)? else {
        return Ok(());
    };
    if s.last_id == StreamId::MAX {
        return Err(CmdError::text(
            "ERR The stream has exhausted the last possible ID, unable to add more items",
        ));
    }
    let id = next_id(s, a.id, now)?;
    s.append(id, pairs, limits);
    let trimmed = a.trim.map_or(0, |t| s.trim(t));
    // Logged with the ID it got and, after an approximate trim, the exact
    // trim it did (Redis's streamRewriteTrimArgument).
    let logged = ctx_propagating.then(|| {
        let mut v = args.to_vec();
        if let Some(t) = a.trim.filter(|t| t.approx) {
            exact_trim_args(&mut v, s, t, a.threshold_at);
        }
        if a.id.is_none_or(|p| !p.seq_given) {
            v[a.fields_at - 1] = Bytes::from(id.to_string());
        }
        v
    });
    // A new stream's `new` event precedes the reply.
    ctx.flush_key_events();
    reply_id(ctx.reply, id);
    ctx.dirty(1);
    // Redis announces the addition, then the trim it caused.
    ctx.key_changed(class::STREAM, "xadd", key);
    if trimmed > 0 {
        ctx.notify(class::STREAM, "xtrim", key);
    }
    ctx.signal_ready(key);
    if let Some(v) = logged {
        ctx.propagate_as(v);
    }
    Ok(())
}

/// Turns `~ threshold` into `= <what the trim reached>`: the length, or
/// the first entry's ID (the largest ID when the stream is empty), so a
/// replay trims exactly as much.
fn exact_trim_args(v: &mut [Bytes], s: &Stream, t: Trim, threshold_at: usize) {
    v[threshold_at - 1] = Bytes::from_static(b"=");
    v[threshold_at] = match t.to {
        TrimTo::MaxLen(_) => Bytes::from(s.len().to_string()),
        TrimTo::MinId(_) => Bytes::from(s.first_entry_id().to_string()),
    };
}

/// The ID a new entry gets: the given one, `<ms>-*` completed, or the
/// clock's (never below the last ID).
fn next_id(s: &Stream, given: Option<id::Parsed>, now: i64) -> Result<StreamId, CmdError> {
    let too_small = CmdError::text(
        "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    let id = match given {
        Some(p) if p.seq_given => p.id,
        Some(p) if p.id.ms == s.last_id.ms => {
            if s.last_id.seq == u64::MAX {
                // Redis reports this case with the wrong errno's message.
                return Err(CmdError::text("ERR Elements are too large to be stored"));
            }
            StreamId::new(s.last_id.ms, s.last_id.seq + 1)
        }
        Some(p) => p.id,
        None => {
            let ms = u64::try_from(now).unwrap_or(0);
            if ms > s.last_id.ms {
                StreamId::new(ms, 0)
            } else {
                s.last_id.incr().unwrap_or(StreamId::MAX)
            }
        }
    };
    if id <= s.last_id {
        return Err(too_small);
    }
    Ok(id)
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: a missing key
/// trims nothing.
pub(super) fn xtrim(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let node_entries = ctx.engine.config.stream_node_max_entries;
    let now = ctx.now_ms;
    let a = parse_add_or_trim(args, false, node_entries)?;
    let mut removed = 0;
    let mut logged = None;
    if let (Some(s), Some(t)) = (write_stream(ctx.db(), &args[1], now)?, a.trim) {
        removed = s.trim(t);
        if removed > 0 && t.approx {
            let mut v = args.to_vec();
            exact_trim_args(&mut v, s, t, a.threshold_at);
            logged = Some(v);
        }
    }
    if let Some(v) = logged {
        ctx.propagate_as(v);
    }
    ctx.dirty(removed);
    // Redis publishes the trim before it replies.
    if removed > 0 {
        ctx.key_changed(class::STREAM, "xtrim", &args[1]);
    }
    ctx.flush_key_events();
    ctx.reply.int(removed as i64);
    Ok(())
}

/// XDEL key id [id ...]
pub(super) fn xdel(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    if write_stream(ctx.db(), &args[1], now)?.is_none() {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    }
    let ids = args[2..]
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(s) = write_stream(ctx.db(), &args[1], now)? else {
        return Ok(());
    };
    let mut deleted = 0;
    let mut first_gone = false;
    for id in ids {
        if s.delete(id) {
            deleted += 1;
            first_gone |= id == s.first_id;
            if id > s.max_deleted {
                s.max_deleted = id;
            }
        }
    }
    if first_gone {
        s.refresh_first_id();
    }
    ctx.dirty(deleted as u64);
    // Redis publishes the deletion before it replies.
    if deleted > 0 {
        ctx.key_changed(class::STREAM, "xdel", &args[1]);
    }
    ctx.reply.int(deleted);
    Ok(())
}

/// XLEN key
pub(super) fn xlen(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_stream(ctx.db(), &args[1], now)?.map_or(0, |s| s.len());
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

pub(super) fn xrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range(ctx, args, false)
}

pub(super) fn xrevrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range(ctx, args, true)
}

/// X[REV]RANGE key start end [COUNT count]: bounds and COUNT are checked
/// before the key; COUNT 0 (or negative) on a stream is the null array.
fn range(ctx: &mut Ctx, args: &[Bytes], rev: bool) -> CmdResult {
    let (start_arg, end_arg) = if rev {
        (&args[3], &args[2])
    } else {
        (&args[2], &args[3])
    };
    let (mut start, start_ex) = parse_bound(start_arg, 0, true)?;
    if start_ex {
        start = start
            .incr()
            .ok_or(CmdError::text("ERR invalid start ID for the interval"))?;
    }
    let (mut end, end_ex) = parse_bound(end_arg, u64::MAX, true)?;
    if end_ex {
        end = end
            .decr()
            .ok_or(CmdError::text("ERR invalid end ID for the interval"))?;
    }
    let mut count: i64 = -1;
    let mut j = 4;
    while j < args.len() {
        if is(&args[j], "count") && j + 1 < args.len() {
            count = arg_i64(&args[j + 1])?.max(0);
            j += 2;
        } else {
            return Err(CmdError::SYNTAX);
        }
    }
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(s) = read_stream(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.array(0);
        return Ok(());
    };
    if count == 0 {
        reply.null_array();
        return Ok(());
    }
    reply_range(reply, s, start, end, count.max(0) as usize, rev);
    Ok(())
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID id]
pub(super) fn xsetid(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let id = parse_strict_id(&args[2])?;
    let mut entries_added: i64 = -1;
    let mut max_deleted = StreamId::MIN;
    let mut i = 3;
    while i < args.len() {
        let more = i + 1 < args.len();
        if is(&args[i], "entriesadded") && more {
            entries_added = arg_i64(&args[i + 1])?;
            if entries_added < 0 {
                return Err(CmdError::text("ERR entries_added must be positive"));
            }
        } else if is(&args[i], "maxdeletedid") && more {
            max_deleted = parse_strict_id(&args[i + 1])?;
            if id < max_deleted {
                return Err(CmdError::text(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
        } else {
            return Err(CmdError::SYNTAX);
        }
        i += 2;
    }
    let now = ctx.now_ms;
    let s = write_stream(ctx.db(), &args[1], now)?.ok_or(CmdError::NO_SUCH_KEY)?;
    if !s.is_empty() {
        if s.edge_id(true).is_some_and(|top| id < top) {
            return Err(CmdError::text(
                "ERR The ID specified in XSETID is smaller than the target stream top item",
            ));
        }
        if entries_added != -1 && s.len() > entries_added as u64 {
            return Err(CmdError::text(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    // Only a MAXDELETEDID given here is checked: Redis 7.0 lets the last
    // ID go below the stream's recorded max_deleted_entry_id.
    s.last_id = id;
    if entries_added != -1 {
        s.entries_added = entries_added as u64;
    }
    if max_deleted != StreamId::MIN {
        s.max_deleted = max_deleted;
    }
    ctx.reply.ok();
    ctx.dirty(1);
    // Redis 7.0 sends the event without touching WATCHers of the key.
    ctx.notify(class::STREAM, "xsetid", &args[1]);
    Ok(())
}
