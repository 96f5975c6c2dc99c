//! ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's
//! zunionInterDiffGenericCommand). Inputs may be sorted sets or plain
//! sets (every member scoring 1); a missing key is an empty input.
//!
//! Floating-point sums depend on their order, and Redis's is observable
//! (`inf + -inf` is taken as 0 and then added to): union and intersection
//! visit the inputs from the smallest to the largest, ties in the order
//! given (glibc's qsort is a stable merge sort here), and each member's
//! scores are combined in that order.

use super::{reply_scored, reply_scored_len, store_result};
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::listpack::Entry;
use crate::db::set::Set;
use crate::db::zset::{ZSet, parse_score};
use crate::db::{Db, Value};
use bytes::Bytes;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    fn apply(self, target: &mut f64, value: f64) {
        match self {
            Aggregate::Sum => {
                *target += value;
                // inf + -inf: Redis's convention is 0.
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min if value < *target => *target = value,
            Aggregate::Max if value > *target => *target = value,
            _ => {}
        }
    }
}

/// One input: a sorted set, a set, or nothing.
#[derive(Clone, Copy)]
enum Input<'a> {
    Missing,
    ZSet(&'a ZSet),
    Set(&'a Set),
}

impl Input<'_> {
    fn len(&self) -> usize {
        match self {
            Input::Missing => 0,
            Input::ZSet(z) => z.len(),
            Input::Set(s) => set_input::len(s),
        }
    }

    fn for_each(&self, f: &mut dyn FnMut(&[u8], f64)) {
        match self {
            Input::Missing => {}
            Input::ZSet(z) => z.for_each(&mut |m, s| f(m.as_bytes(&mut [0u8; 32]), s)),
            Input::Set(s) => set_input::for_each(s, &mut |m| f(m, 1.0)),
        }
    }

    fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            Input::Missing => None,
            Input::ZSet(z) => z.score(member),
            Input::Set(s) => set_input::contains(s, member).then_some(1.0),
        }
    }
}

/// What ZUNION and friends need from the set type.
mod set_input {
    use crate::db::set::Set;

    pub fn len(set: &Set) -> usize {
        set.len()
    }

    pub fn for_each(set: &Set, f: &mut dyn FnMut(&[u8])) {
        let mut buf = [0u8; 20];
        for m in set.iter() {
            f(m.as_bytes(&mut buf));
        }
    }

    pub fn contains(set: &Set, member: &[u8]) -> bool {
        set.contains(member)
    }
}

pub(super) fn zunion(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, None, 1, Op::Union, false)
}

pub(super) fn zinter(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, None, 1, Op::Inter, false)
}

pub(super) fn zdiff(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, None, 1, Op::Diff, false)
}

pub(super) fn zunionstore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, Some(&args[1]), 2, Op::Union, false)
}

pub(super) fn zinterstore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, Some(&args[1]), 2, Op::Inter, false)
}

pub(super) fn zdiffstore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, Some(&args[1]), 2, Op::Diff, false)
}

pub(super) fn zintercard(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    generic(ctx, args, None, 1, Op::Inter, true)
}

/// The options after the keys.
struct Options {
    weights: Vec<f64>,
    aggregate: Aggregate,
    withscores: bool,
    /// ZINTERCARD's LIMIT; 0 is none.
    limit: u64,
}

fn parse_options(
    rest: &[Bytes],
    n: usize,
    op: Op,
    store: bool,
    card: bool,
) -> Result<Options, CmdError> {
    let mut o = Options {
        weights: vec![1.0; n],
        aggregate: Aggregate::Sum,
        withscores: false,
        limit: 0,
    };
    let mut j = 0;
    while let Some(opt) = rest.get(j) {
        let remaining = rest.len() - j;
        let weighted = op != Op::Diff && !card;
        if weighted && remaining > n && is(opt, "weights") {
            for (i, w) in rest[j + 1..=j + n].iter().enumerate() {
                o.weights[i] =
                    parse_score(w).ok_or(CmdError::text("ERR weight value is not a float"))?;
            }
            j += n + 1;
        } else if weighted && remaining >= 2 && is(opt, "aggregate") {
            let a = &rest[j + 1];
            o.aggregate = match () {
                _ if is(a, "sum") => Aggregate::Sum,
                _ if is(a, "min") => Aggregate::Min,
                _ if is(a, "max") => Aggregate::Max,
                _ => return Err(CmdError::SYNTAX),
            };
            j += 2;
        } else if !store && !card && is(opt, "withscores") {
            o.withscores = true;
            j += 1;
        } else if card && remaining >= 2 && is(opt, "limit") {
            o.limit = crate::util::parse_i64(&rest[j + 1])
                .and_then(|l| u64::try_from(l).ok())
                .ok_or(CmdError::text("ERR LIMIT can't be negative"))?;
            j += 2;
        } else {
            return Err(CmdError::SYNTAX);
        }
    }
    Ok(o)
}

/// Looks each input key up (counting hits and misses, expiring what is
/// due); any key of a third type is WRONGTYPE.
fn check_inputs(db: &mut Db, keys: &[Bytes], now: i64) -> CmdResult {
    for key in keys {
        if let Some(obj) = db.get(key, now)
            && !matches!(obj.value, Value::ZSet(_) | Value::Set(_))
        {
            return Err(CmdError::WRONG_TYPE);
        }
    }
    Ok(())
}

fn input<'a>(db: &'a Db, key: &[u8]) -> Input<'a> {
    match db.get_ref(key).map(|o| &o.value) {
        Some(Value::ZSet(z)) => Input::ZSet(z),
        Some(Value::Set(s)) => Input::Set(s),
        _ => Input::Missing,
    }
}

fn generic(
    ctx: &mut Ctx,
    args: &[Bytes],
    dst: Option<&Bytes>,
    at: usize,
    op: Op,
    card: bool,
) -> CmdResult {
    let setnum = arg_i64(&args[at])?;
    if setnum < 1 {
        let name = ctx.client.last_cmd.clone();
        return Err(CmdError::msg(format!(
            "ERR at least 1 input key is needed for '{name}' command"
        )));
    }
    let keys = usize::try_from(setnum)
        .ok()
        .and_then(|n| args.get(at + 1..at + 1 + n))
        .ok_or(CmdError::SYNTAX)?;
    let now = ctx.now_ms;
    check_inputs(ctx.db(), keys, now)?;
    ctx.flush_key_events();
    let opts = parse_options(
        &args[at + 1 + keys.len()..],
        keys.len(),
        op,
        dst.is_some(),
        card,
    )?;

    let db: &Db = ctx.db();
    let inputs: Vec<(Input, f64)> = keys
        .iter()
        .map(|k| input(db, k))
        .zip(opts.weights.iter().copied())
        .collect();
    if card {
        let count = intersect(&inputs, opts.aggregate, Some(opts.limit)).len();
        ctx.reply.int(count as i64);
        return Ok(());
    }
    let mut result = match op {
        Op::Union => union(&inputs, opts.aggregate),
        Op::Inter => intersect(&inputs, opts.aggregate, None),
        Op::Diff => diff(&inputs),
    };
    result.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    match dst {
        Some(dst) => {
            let zset = ZSet::from_sorted(result, super::limits(ctx));
            let event = match op {
                Op::Union => "zunionstore",
                Op::Inter => "zinterstore",
                Op::Diff => "zdiffstore",
            };
            store_result(ctx, dst, zset, event);
        }
        None => {
            let reply = &mut *ctx.reply;
            reply_scored_len(reply, result.len(), opts.withscores);
            for (m, s) in &result {
                reply_scored(reply, Entry::Str(m), *s, opts.withscores);
            }
        }
    }
    Ok(())
}

/// The inputs from the smallest to the largest, ties in the given order.
fn by_size<'a, 'b>(inputs: &'b [(Input<'a>, f64)]) -> Vec<&'b (Input<'a>, f64)> {
    let mut sorted: Vec<_> = inputs.iter().collect();
    sorted.sort_by_key(|(input, _)| input.len());
    sorted
}

/// `weight * score`, with NaN (0 * inf) taken as 0.
fn weighted(weight: f64, score: f64) -> f64 {
    let v = weight * score;
    if v.is_nan() { 0.0 } else { v }
}

fn union(inputs: &[(Input, f64)], aggregate: Aggregate) -> Vec<(Vec<u8>, f64)> {
    let largest = inputs.iter().map(|(i, _)| i.len()).max().unwrap_or(0);
    let mut acc: HashMap<Vec<u8>, f64, ahash::RandomState> =
        HashMap::with_capacity_and_hasher(largest, ahash::RandomState::new());
    for (input, weight) in by_size(inputs) {
        input.for_each(&mut |member, score| {
            let value = weighted(*weight, score);
            match acc.get_mut(member) {
                Some(target) => aggregate.apply(target, value),
                None => {
                    acc.insert(member.to_vec(), value);
                }
            }
        });
    }
    acc.into_iter().collect()
}

/// Members of the smallest input found in all the others, with combined
/// scores; with `limit` (ZINTERCARD), stops after that many (0: no limit).
fn intersect(
    inputs: &[(Input, f64)],
    aggregate: Aggregate,
    limit: Option<u64>,
) -> Vec<(Vec<u8>, f64)> {
    let order = by_size(inputs);
    let Some(((first, w0), rest)) = order.split_first().map(|(f, r)| (*f, r)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut done = false;
    first.for_each(&mut |member, score| {
        if done {
            return;
        }
        let mut total = weighted(*w0, score);
        for (other, weight) in rest {
            match other.score(member) {
                Some(s) => aggregate.apply(&mut total, s * weight),
                None => return,
            }
        }
        out.push((member.to_vec(), total));
        done = limit.is_some_and(|l| l > 0 && out.len() as u64 >= l);
    });
    out
}

/// Members of the first input found in none of the others.
fn diff(inputs: &[(Input, f64)]) -> Vec<(Vec<u8>, f64)> {
    let Some(((first, _), rest)) = inputs.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    first.for_each(&mut |member, score| {
        if rest.iter().all(|(other, _)| other.score(member).is_none()) {
            out.push((member.to_vec(), score));
        }
    });
    out
}
