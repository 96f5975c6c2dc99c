//! HRANDFIELD: random fields, with Redis's choice of method for each
//! case, which decides what a client can observe: whether fields may
//! repeat and whether they come in the hash's own order.
//!
//! - no count: one field, a bulk (nil for a missing key);
//! - a negative count, or 1: that many independent picks, repeats
//!   possible, in random order;
//! - a count at least the hash's size: the whole hash in its order;
//! - a smaller count on a listpack: distinct fields in listpack order
//!   (selection sampling, one pass);
//! - on a dict, close to the size: all fields minus random ones; far
//!   below it: random picks until enough distinct ones.

use super::{read_hash, reply_item};
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::hash::{Hash, Item};
use crate::protocol::{Protocol, ReplyBuffer};
use bytes::Bytes;
use std::collections::HashSet;

/// Below this many requested fields per field of the hash (Redis's
/// HRANDFIELD_SUB_STRATEGY_MUL), a dict is sampled by random picks rather
/// than by copying it whole and removing fields.
const SUB_STRATEGY_MUL: u64 = 3;

/// The most reply bytes one HRANDFIELD builds. Redis has no such cap and
/// keeps going (until memory runs out) for counts like -2^62; here the
/// client is disconnected instead, as an output buffer limit would.
const MAX_REPLY_BYTES: usize = 512 << 20;

pub(in crate::commands) fn hrandfield(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    if args.len() >= 3 {
        let count = arg_i64(&args[2])?;
        if count == i64::MIN {
            return Err(CmdError::text(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            ));
        }
        if args.len() > 4 || (args.len() == 4 && !is(&args[3], "withvalues")) {
            return Err(CmdError::SYNTAX);
        }
        let with_values = args.len() == 4;
        // Twice the count must still be a count (two replies per field).
        if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
            return Err(CmdError::text("ERR value is out of range"));
        }
        return with_count(ctx, &args[1], count, with_values);
    }
    let now = ctx.now_ms;
    let idx = ctx.client.db;
    let db = &mut ctx.engine.keyspace.dbs[idx];
    let rng = &mut ctx.engine.rng;
    match read_hash(db, &args[1], now)?.and_then(|h| h.random_pair(rng)) {
        Some((field, _)) => reply_item(ctx.reply, field),
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
        }
    }
    Ok(())
}

/// Writes the picked fields, each with its value if asked (a pair of its
/// own in RESP3, flat in RESP2), and keeps count of the bytes.
struct Picks<'r> {
    reply: &'r mut ReplyBuffer,
    with_values: bool,
    bytes: usize,
}

impl Picks<'_> {
    /// The array header for `n` picks.
    fn header(&mut self, n: u64) {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if self.with_values && self.reply.proto == Protocol::Resp2 {
            self.reply.array(n.saturating_mul(2));
        } else {
            self.reply.array(n);
        }
    }

    fn pick(&mut self, field: Item, value: Item) {
        if self.with_values && self.reply.proto == Protocol::Resp3 {
            self.reply.array(2);
        }
        reply_item(self.reply, field);
        self.bytes += field.len() + 16;
        if self.with_values {
            reply_item(self.reply, value);
            self.bytes += value.len() + 16;
        }
    }

    fn over_budget(&self) -> bool {
        self.bytes > MAX_REPLY_BYTES
    }
}

fn with_count(ctx: &mut Ctx, key: &[u8], count: i64, with_values: bool) -> CmdResult {
    let now = ctx.now_ms;
    let idx = ctx.client.db;
    let db = &mut ctx.engine.keyspace.dbs[idx];
    let rng = &mut ctx.engine.rng;
    let Some(hash) = read_hash(db, key, now)? else {
        ctx.flush_key_events();
        ctx.reply.array(0);
        return Ok(());
    };
    let unique = count >= 0;
    let count = count.unsigned_abs();
    if count == 0 {
        ctx.reply.array(0);
        return Ok(());
    }
    let mut picks = Picks {
        reply: ctx.reply,
        with_values,
        bytes: 0,
    };
    if !unique || count == 1 {
        picks.header(count);
        if !independent_picks(hash, count, rng, &mut picks) {
            ctx.client.close_after_reply = true;
        }
        return Ok(());
    }
    let size = hash.len() as u64;
    picks.header(count.min(size));
    if count >= size {
        for (field, value) in hash.pairs() {
            picks.pick(field, value);
        }
    } else if hash.is_listpack() {
        ordered_sample(hash, count, rng, &mut picks);
    } else if count * SUB_STRATEGY_MUL > size {
        let mut all: Vec<(Item, Item)> = hash.pairs().collect();
        while all.len() as u64 > count {
            all.swap_remove(rng.usize(..all.len()));
        }
        for (field, value) in all {
            picks.pick(field, value);
        }
    } else {
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        while (seen.len() as u64) < count {
            let Some((field, value)) = hash.random_pair(rng) else {
                break;
            };
            if seen.insert(field.to_vec()) {
                picks.pick(field, value);
            }
        }
    }
    Ok(())
}

/// `count` independent picks; false if the reply grew too big and was
/// cut short.
fn independent_picks(hash: &Hash, count: u64, rng: &mut fastrand::Rng, picks: &mut Picks) -> bool {
    // A listpack is indexed once, then each pick is O(1) (Redis's
    // lpRandomPairs); a dict picks buckets.
    let indexed: Vec<(Item, Item)> = if hash.is_listpack() {
        hash.pairs().collect()
    } else {
        Vec::new()
    };
    for _ in 0..count {
        let pair = if indexed.is_empty() {
            hash.random_pair(rng)
        } else {
            indexed.get(rng.usize(..indexed.len())).copied()
        };
        let Some((field, value)) = pair else {
            return true;
        };
        picks.pick(field, value);
        if picks.over_budget() {
            return false;
        }
    }
    true
}

/// `count` distinct pairs of a listpack in its order: each pair is taken
/// with probability (still wanted) / (still to see), Redis's
/// lpRandomPairsUnique.
fn ordered_sample(hash: &Hash, count: u64, rng: &mut fastrand::Rng, picks: &mut Picks) {
    let mut wanted = count;
    let mut left = hash.len() as u64;
    for (field, value) in hash.pairs() {
        if wanted == 0 {
            break;
        }
        if rng.u64(..left) < wanted {
            picks.pick(field, value);
            wanted -= 1;
        }
        left -= 1;
    }
}
