//! Reading a list: LLEN, LRANGE, LINDEX, LPOS.

use super::{is, parse_non_negative, read_list, reply_entry};
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64};
use crate::db::listpack::Entry;
use bytes::Bytes;

pub(super) fn llen(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_list(ctx.db(), &args[1], now)?.map_or(0, |l| l.len());
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

/// The part of a list of `len` elements that `start..=end` names, as
/// LRANGE and LTRIM read it: negative indexes count from the tail, a
/// start before the head is the head, an end past the tail is the tail.
/// `None` when the range is empty; else (first index, element count).
pub(super) fn clamp_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    // len fits an i64, and adding a negative index to it cannot overflow.
    let llen = len as i64;
    let start = if start < 0 { llen + start } else { start }.max(0);
    let end = if end < 0 { llen + end } else { end };
    if start > end || start >= llen {
        return None;
    }
    let end = end.min(llen - 1);
    Some((start as usize, (end - start + 1) as usize))
}

/// LRANGE key start stop: the indexes are checked before the key.
pub(super) fn lrange(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let start = arg_i64(&args[2])?;
    let end = arg_i64(&args[3])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(list) = read_list(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.array(0);
        return Ok(());
    };
    match clamp_range(list.len(), start, end) {
        None => reply.array(0),
        Some((first, n)) => {
            reply.array(n);
            for e in list.iter_from(first).take(n) {
                reply_entry(reply, e);
            }
        }
    }
    Ok(())
}

/// LINDEX key index: the key is looked up before the index is parsed, so
/// a missing key is nil whatever the index.
pub(super) fn lindex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(list) = read_list(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.null();
        return Ok(());
    };
    let index = arg_i64(&args[2])?;
    match list.get(index) {
        Some(e) => reply_entry(reply, e),
        None => reply.null(),
    }
    Ok(())
}

const RANK_ZERO: CmdError = CmdError::text(
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len].
pub(super) fn lpos(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut rank: i64 = 1;
    let mut count: Option<i64> = None;
    let mut maxlen: i64 = 0;
    let mut j = 3;
    while j < args.len() {
        let more = j + 1 < args.len();
        let opt = &args[j];
        if is(opt, "rank") && more {
            j += 1;
            rank = arg_i64(&args[j])?;
            if rank == 0 {
                return Err(RANK_ZERO);
            }
        } else if is(opt, "count") && more {
            j += 1;
            count = Some(parse_non_negative(&args[j], "ERR COUNT can't be negative")?);
        } else if is(opt, "maxlen") && more {
            j += 1;
            maxlen = parse_non_negative(&args[j], "ERR MAXLEN can't be negative")?;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(list) = read_list(db, &args[1], now)? else {
        ctx.flush_key_events();
        match count {
            Some(_) => ctx.reply.array(0),
            None => ctx.reply.null(),
        }
        return Ok(());
    };
    let search = Search {
        element: &args[2],
        rank,
        count,
        maxlen,
    };
    let found = if rank < 0 {
        let last = list.len().saturating_sub(1);
        let len = list.len() as i64;
        search.run(list.iter_rev_from(last), |i| len - i - 1)
    } else {
        search.run(list.iter(), |i| i)
    };
    match count {
        Some(_) => {
            reply.array(found.len());
            for i in found {
                reply.int(i);
            }
        }
        None => match found.first() {
            Some(&i) => reply.int(i),
            None => reply.null(),
        },
    }
    Ok(())
}

/// An LPOS search, its options parsed.
struct Search<'a> {
    element: &'a [u8],
    rank: i64,
    count: Option<i64>,
    maxlen: i64,
}

impl Search<'_> {
    /// Walks `entries` (from the head, or from the tail for a negative
    /// rank) and returns the positions of the matches it reports, at most
    /// one without COUNT. Redis negates the rank in a C long, so RANK
    /// -9223372036854775808 stays negative: every match then counts, and
    /// the COUNT test overflows into never stopping. Wrapping arithmetic
    /// keeps that behaviour.
    fn run<'e>(
        &self,
        entries: impl Iterator<Item = Entry<'e>>,
        position: impl Fn(i64) -> i64,
    ) -> Vec<i64> {
        let rank = if self.rank < 0 {
            self.rank.wrapping_neg()
        } else {
            self.rank
        };
        let mut found = Vec::new();
        let mut matches: i64 = 0;
        for (index, e) in entries.enumerate() {
            let index = index as i64;
            if self.maxlen != 0 && index >= self.maxlen {
                break;
            }
            if !e.eq_bytes(self.element) {
                continue;
            }
            matches += 1;
            if matches < rank {
                continue;
            }
            found.push(position(index));
            match self.count {
                None => break,
                Some(c) if c != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= c => break,
                Some(_) => {}
            }
        }
        found
    }
}
