//! Ranges: ZRANGE (by rank, BYSCORE or BYLEX, REV, LIMIT, WITHSCORES) and
//! the older forms it subsumes, ZRANGESTORE, ZCOUNT, ZLEXCOUNT and the
//! ZREMRANGEBY* commands.
//!
//! As in Redis's zrangeGenericCommand, options are read first (a bad
//! LIMIT number fails before the range does), then the range, then the
//! key. A negative LIMIT count means no limit; a negative offset walks
//! off the end and so selects nothing.

use super::{
    delete_if_empty, limits, read_zset, reply_scored, reply_scored_len, store_result, write_zset,
};
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::listpack::Entry;
use crate::db::zset::{LexRange, ScoreRange, ZSet};
use bytes::Bytes;

const NOT_FLOAT_RANGE: CmdError = CmdError::text("ERR min or max is not a float");
const NOT_LEX_RANGE: CmdError = CmdError::text("ERR min or max not valid string range item");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// A parsed range request.
enum Selection<'a> {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange<'a>),
}

/// Where a range's elements go.
enum Sink<'a> {
    Client { withscores: bool },
    Store { dst: &'a [u8] },
}

pub(super) fn zrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 1, None, Kind::Auto, None)
}

pub(super) fn zrangestore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 2, Some(&args[1]), Kind::Auto, None)
}

pub(super) fn zrevrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 1, None, Kind::Rank, Some(true))
}

pub(super) fn zrangebyscore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 1, None, Kind::Score, Some(false))
}

pub(super) fn zrevrangebyscore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 1, None, Kind::Score, Some(true))
}

pub(super) fn zrangebylex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 1, None, Kind::Lex, Some(false))
}

pub(super) fn zrevrangebylex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    range_generic(ctx, args, 1, None, Kind::Lex, Some(true))
}

/// `<src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT o c]`
/// from `at` on; `kind` and `reverse` are fixed by the older commands.
fn range_generic(
    ctx: &mut Ctx,
    args: &[Bytes],
    at: usize,
    store: Option<&Bytes>,
    mut kind: Kind,
    reverse: Option<bool>,
) -> CmdResult {
    let mut rev = reverse;
    let (mut withscores, mut offset, mut limit) = (false, 0i64, -1i64);
    let mut j = at + 3;
    while let Some(opt) = args.get(j) {
        let left = args.len() - j - 1;
        if store.is_none() && is(opt, "withscores") {
            withscores = true;
        } else if is(opt, "limit") && left >= 2 {
            offset = arg_i64(&args[j + 1])?;
            limit = arg_i64(&args[j + 2])?;
            j += 2;
        } else if rev.is_none() && is(opt, "rev") {
            rev = Some(true);
        } else if kind == Kind::Auto && is(opt, "bylex") {
            kind = Kind::Lex;
        } else if kind == Kind::Auto && is(opt, "byscore") {
            kind = Kind::Score;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    let reverse = rev.unwrap_or(false);
    if kind == Kind::Auto {
        kind = Kind::Rank;
    }
    // LIMIT -1 reads as no LIMIT at all, as in Redis.
    if limit != -1 && kind == Kind::Rank {
        return Err(CmdError::text(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if withscores && kind == Kind::Lex {
        return Err(CmdError::text(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        ));
    }
    let (mut min, mut max) = (&args[at + 1][..], &args[at + 2][..]);
    if reverse && kind != Kind::Rank {
        std::mem::swap(&mut min, &mut max);
    }
    let selection = match kind {
        Kind::Score => Selection::Score(ScoreRange::parse(min, max).ok_or(NOT_FLOAT_RANGE)?),
        Kind::Lex => Selection::Lex(LexRange::parse(min, max).ok_or(NOT_LEX_RANGE)?),
        _ => Selection::Rank(arg_i64(min)?, arg_i64(max)?),
    };
    let sink = match store {
        Some(dst) => Sink::Store { dst },
        None => Sink::Client { withscores },
    };

    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let zset = read_zset(db, &args[at], now)?;
    let mut picked: Vec<(Entry, f64)> = Vec::new();
    // A rank range's length is known up front, which Redis uses to size
    // the stored result.
    let mut rank_len = None;
    if let Some(zset) = zset {
        let window = match &selection {
            Selection::Rank(start, end) => {
                let window = rank_window(zset.len(), *start, *end);
                rank_len = window.map(|(_, n)| n);
                window
            }
            Selection::Score(r) => score_window(zset, r, reverse, offset, limit),
            Selection::Lex(r) => lex_window(zset, r, reverse, offset, limit),
        };
        if let Some((rank, max_count)) = window {
            let rank = if reverse && matches!(selection, Selection::Rank(..)) {
                zset.len() - 1 - rank
            } else {
                rank
            };
            zset.walk(rank, reverse, &mut |m, s| {
                let inside = match &selection {
                    Selection::Rank(..) => true,
                    Selection::Score(r) if reverse => r.gte_min(s),
                    Selection::Score(r) => r.lte_max(s),
                    Selection::Lex(r) => {
                        let mut buf = [0u8; 32];
                        let text = m.as_bytes(&mut buf);
                        if reverse {
                            r.gte_min(text)
                        } else {
                            r.lte_max(text)
                        }
                    }
                };
                if !inside || picked.len() >= max_count {
                    return false;
                }
                picked.push((m, s));
                true
            });
        }
    }
    match sink {
        Sink::Client { withscores } if zset.is_none() => {
            ctx.flush_key_events();
            reply_scored_len(ctx.reply, 0, withscores);
        }
        Sink::Client { withscores } => {
            reply_scored_len(reply, picked.len(), withscores);
            for (m, s) in picked {
                reply_scored(reply, m, s, withscores);
            }
        }
        Sink::Store { dst } => {
            let elements: Vec<(Vec<u8>, f64)> =
                picked.into_iter().map(|(m, s)| (m.to_vec(), s)).collect();
            let zset = ZSet::from_range(elements, reverse, rank_len, limits(ctx));
            store_result(ctx, dst, zset, "zrangestore");
        }
    }
    Ok(())
}

/// The first rank and how many elements a rank range covers, after
/// Redis's clamping of negative and out-of-range indexes.
fn rank_window(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { start + len } else { start };
    let mut end = if end < 0 { end + len } else { end };
    start = start.max(0);
    if start > end || start >= len {
        return None;
    }
    end = end.min(len - 1);
    Some((start as usize, (end - start + 1) as usize))
}

/// Where a BYSCORE/BYLEX walk starts once the offset is skipped, and the
/// most elements it may take; `None` when nothing can be selected.
fn offset_window(
    len: usize,
    start: Option<usize>,
    reverse: bool,
    offset: i64,
    limit: i64,
) -> Option<(usize, usize)> {
    if offset < 0 || (offset > 0 && offset as u64 >= len as u64) {
        return None;
    }
    let start = start?;
    let offset = offset as usize;
    let rank = if reverse {
        start.checked_sub(offset)?
    } else {
        start.checked_add(offset).filter(|&r| r < len)?
    };
    let max_count = usize::try_from(limit).unwrap_or(usize::MAX);
    Some((rank, max_count))
}

fn score_window(
    zset: &ZSet,
    r: &ScoreRange,
    reverse: bool,
    offset: i64,
    limit: i64,
) -> Option<(usize, usize)> {
    offset_window(
        zset.len(),
        zset.score_start(r, reverse),
        reverse,
        offset,
        limit,
    )
}

fn lex_window(
    zset: &ZSet,
    r: &LexRange,
    reverse: bool,
    offset: i64,
    limit: i64,
) -> Option<(usize, usize)> {
    offset_window(
        zset.len(),
        zset.lex_start(r, reverse),
        reverse,
        offset,
        limit,
    )
}

pub(super) fn zcount(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let range = ScoreRange::parse(&args[2], &args[3]).ok_or(NOT_FLOAT_RANGE)?;
    let now = ctx.now_ms;
    let count = read_zset(ctx.db(), &args[1], now)?.map_or(0, |z| z.count_in_score(&range));
    ctx.flush_key_events();
    ctx.reply.int(count as i64);
    Ok(())
}

pub(super) fn zlexcount(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let range = LexRange::parse(&args[2], &args[3]).ok_or(NOT_LEX_RANGE)?;
    let now = ctx.now_ms;
    let count = read_zset(ctx.db(), &args[1], now)?.map_or(0, |z| z.count_in_lex(&range));
    ctx.flush_key_events();
    ctx.reply.int(count as i64);
    Ok(())
}

pub(super) fn zremrangebyrank(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (start, end) = (arg_i64(&args[2])?, arg_i64(&args[3])?);
    remove_generic(ctx, &args[1], "zremrangebyrank", |z| {
        match rank_window(z.len(), start, end) {
            Some((first, count)) => z.remove_ranks(first, count),
            None => 0,
        }
    })
}

pub(super) fn zremrangebyscore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let range = ScoreRange::parse(&args[2], &args[3]).ok_or(NOT_FLOAT_RANGE)?;
    remove_generic(ctx, &args[1], "zremrangebyscore", |z| {
        z.remove_score_range(&range)
    })
}

pub(super) fn zremrangebylex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let range = LexRange::parse(&args[2], &args[3]).ok_or(NOT_LEX_RANGE)?;
    remove_generic(ctx, &args[1], "zremrangebylex", |z| {
        z.remove_lex_range(&range)
    })
}

/// Runs a range removal on the sorted set at `key`, deleting the key if
/// it ends up empty; replies with the number removed.
fn remove_generic(
    ctx: &mut Ctx,
    key: &[u8],
    event: &str,
    remove: impl FnOnce(&mut ZSet) -> usize,
) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    let removed = match write_zset(db, key, now)? {
        Some(zset) => remove(zset),
        None => 0,
    };
    delete_if_empty(db, key);
    ctx.dirty(removed as u64);
    if removed > 0 {
        super::removed_events(ctx, key, event);
    }
    ctx.flush_key_events();
    ctx.reply.int(removed as i64);
    Ok(())
}
