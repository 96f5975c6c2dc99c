//! Sorted set commands: the table of the family and the helpers its
//! handlers share. The handlers live in submodules along the lines of
//! Redis's t_zset.c:
//! - [`add`]: single members (ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE,
//!   ZRANK, ZREVRANK);
//! - [`range`]: ranges by rank, score and lex (ZRANGE and its older
//!   forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*);
//! - [`pop`]: ZPOPMIN, ZPOPMAX, ZMPOP (and the logic BZPOP* will share),
//!   ZRANDMEMBER;
//! - [`setops`]: ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD;
//! - [`scan`]: ZSCAN (the one-call reply of the small encoding).

mod add;
mod blocking;
pub(crate) mod pop;
mod range;
mod scan;
mod setops;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_range;
#[cfg(test)]
mod tests_setops;

use super::table::{BeginSearch, Command, FindKeys, Group, KeySpec, acl, flag};
use super::{CmdError, Ctx};
use crate::db::listpack::Entry;
use crate::db::zset::{Limits, ZSet};
use crate::db::{Db, Object, Value};
use crate::protocol::{Protocol, ReplyBuffer};

const ZS: u32 = acl::SORTEDSET;
const READ_FAST: u32 = acl::READ | ZS | acl::FAST;
const READ_SLOW: u32 = acl::READ | ZS | acl::SLOW;
const WRITE_FAST: u32 = acl::WRITE | ZS | acl::FAST;
const WRITE_SLOW: u32 = acl::WRITE | ZS | acl::SLOW;
const RO_FAST: u32 = flag::READONLY | flag::FAST;
const W_DENYOOM: u32 = flag::WRITE | flag::DENYOOM;

const fn key1(flags: &'static [&'static str]) -> KeySpec {
    KeySpec::range(flags, 1, 0, 1)
}

/// Keys counted by the argument at `index` (ZUNION's numkeys).
const fn keynum(flags: &'static [&'static str], index: i32) -> KeySpec {
    KeySpec {
        notes: None,
        flags,
        begin: BeginSearch::Index(index),
        find: FindKeys::Keynum {
            keynumidx: 0,
            firstkey: 1,
            step: 1,
        },
    }
}

const RO: &[KeySpec] = &[key1(&["RO"])];
const RO_ACCESS: &[KeySpec] = &[key1(&["RO", "access"])];
const RW_DELETE: &[KeySpec] = &[key1(&["RW", "delete"])];
const RW_ACCESS_DELETE: &[KeySpec] = &[key1(&["RW", "access", "delete"])];
/// BZPOPMIN and BZPOPMAX: every argument but the last (the timeout).
const KEYS_THEN_TIMEOUT: &[KeySpec] = &[KeySpec::range(&["RW", "access", "delete"], 1, -2, 1)];
const BLOCKING_FAST: u32 = flag::WRITE | flag::NOSCRIPT | flag::BLOCKING | flag::FAST;
const TIMEOUT_DOUBLE: &[(&str, &str)] = &[(
    "6.0.0",
    "`timeout` is interpreted as a double instead of an integer.",
)];
const NUMKEYS_RO: &[KeySpec] = &[keynum(&["RO", "access"], 1)];
const STORE_NUMKEYS: &[KeySpec] = &[key1(&["OW", "update"]), keynum(&["RO", "access"], 2)];

const SS: Group = Group::SortedSet;
const LOG_N: &str = "O(log(N)) with N the number of elements in the sorted set.";
const LOG_N_M: &str = "O(log(N)+M) with N the number of elements in the sorted set and M the number of elements returned or removed.";
const UNION: &str =
    "O(N)+O(M*log(M)) with N the total size of the inputs and M the size of the result.";
const INTER: &str = "O(N*K)+O(M*log(M)) with N the size of the smallest input, K the number of inputs and M the size of the result.";
const DIFF: &str = "O(L+(N-K)*log(N)) with L the total size of the inputs, N the size of the first and K the size of the result.";

pub static COMMANDS: &[Command] = &[
    Command::new("zadd", -4, add::zadd)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "update"])])
        .history(&[
            ("2.4.0", "Accepts multiple elements."),
            ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."),
            ("6.2.0", "Added the `GT` and `LT` options."),
        ])
        .doc(
            SS,
            "1.2.0",
            "O(log(N)) per element added, N the size of the sorted set.",
            "Adds members with scores to a sorted set, or updates their scores, creating the key if needed.",
        ),
    Command::new("zincrby", 4, add::zincrby)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "access", "update"])])
        .doc(
            SS,
            "1.2.0",
            LOG_N,
            "Adds an amount to a member's score, adding the member if it is missing.",
        ),
    Command::new("zrem", -3, add::zrem)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_DELETE)
        .history(&[("2.4.0", "Accepts multiple elements.")])
        .doc(
            SS,
            "1.2.0",
            "O(M*log(N)) with M the members removed and N the size of the sorted set.",
            "Removes members from a sorted set, deleting the key when none remain.",
        ),
    Command::new("zcard", 2, add::zcard)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO)
        .doc(SS, "1.2.0", "O(1)", "Counts the members of a sorted set."),
    Command::new("zscore", 3, add::zscore)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(SS, "1.2.0", "O(1)", "Returns the score of one member of a sorted set."),
    Command::new("zmscore", -3, add::zmscore)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            SS,
            "6.2.0",
            "O(N) with N the number of members asked for.",
            "Returns the scores of several members of a sorted set.",
        ),
    Command::new("zrank", 3, add::zrank)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            SS,
            "2.0.0",
            LOG_N,
            "Returns a member's position in a sorted set, lowest score first.",
        ),
    Command::new("zrevrank", 3, add::zrevrank)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            SS,
            "2.0.0",
            LOG_N,
            "Returns a member's position in a sorted set, highest score first.",
        ),
    Command::new("zcount", 4, range::zcount)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            SS,
            "2.0.0",
            LOG_N,
            "Counts the members of a sorted set whose scores fall in a range.",
        ),
    Command::new("zlexcount", 4, range::zlexcount)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            SS,
            "2.8.9",
            LOG_N,
            "Counts the members of a sorted set that fall in a lexicographical range.",
        ),
    Command::new("zrange", -4, range::zrange)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .history(&[(
            "6.2.0",
            "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.",
        )])
        .doc(
            SS,
            "1.2.0",
            LOG_N_M,
            "Returns the members of a sorted set in a range of ranks, scores or strings.",
        ),
    Command::new("zrangestore", -5, range::zrangestore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(
            1,
            2,
            1,
            &[key1(&["OW", "update"]), KeySpec::range(&["RO", "access"], 2, 0, 1)],
        )
        .doc(
            SS,
            "6.2.0",
            LOG_N_M,
            "Stores a range of a sorted set, as ZRANGE selects it, under another key.",
        ),
    Command::new("zrevrange", -4, range::zrevrange)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .deprecated("6.2.0", "`ZRANGE` with the `REV` argument")
        .doc(
            SS,
            "1.2.0",
            LOG_N_M,
            "Returns a range of ranks of a sorted set, highest score first.",
        ),
    Command::new("zrangebyscore", -4, range::zrangebyscore)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .history(&[("2.0.0", "Added the `WITHSCORES` modifier.")])
        .deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument")
        .doc(
            SS,
            "1.0.5",
            LOG_N_M,
            "Returns the members of a sorted set within a score range, lowest first.",
        ),
    Command::new("zrevrangebyscore", -4, range::zrevrangebyscore)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .history(&[("2.1.6", "`min` and `max` can be exclusive.")])
        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments")
        .doc(
            SS,
            "2.2.0",
            LOG_N_M,
            "Returns the members of a sorted set within a score range, highest first.",
        ),
    Command::new("zrangebylex", -4, range::zrangebylex)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument")
        .doc(
            SS,
            "2.8.9",
            LOG_N_M,
            "Returns the members of a sorted set within a lexicographical range.",
        ),
    Command::new("zrevrangebylex", -4, range::zrevrangebylex)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments")
        .doc(
            SS,
            "2.8.9",
            LOG_N_M,
            "Returns the members of a sorted set within a lexicographical range, in reverse.",
        ),
    Command::new("zremrangebyrank", 4, range::zremrangebyrank)
        .flags(flag::WRITE)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, RW_DELETE)
        .doc(
            SS,
            "2.0.0",
            LOG_N_M,
            "Removes the members of a sorted set in a range of ranks.",
        ),
    Command::new("zremrangebyscore", 4, range::zremrangebyscore)
        .flags(flag::WRITE)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, RW_DELETE)
        .doc(
            SS,
            "1.2.0",
            LOG_N_M,
            "Removes the members of a sorted set whose scores fall in a range.",
        ),
    Command::new("zremrangebylex", 4, range::zremrangebylex)
        .flags(flag::WRITE)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, RW_DELETE)
        .doc(
            SS,
            "2.8.9",
            LOG_N_M,
            "Removes the members of a sorted set in a lexicographical range.",
        ),
    Command::new("zpopmin", -2, pop::zpopmin)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_DELETE)
        .doc(
            SS,
            "5.0.0",
            "O(log(N)*M) with N the size of the sorted set and M the members popped.",
            "Removes and returns the members with the lowest scores.",
        ),
    Command::new("zpopmax", -2, pop::zpopmax)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_DELETE)
        .doc(
            SS,
            "5.0.0",
            "O(log(N)*M) with N the size of the sorted set and M the members popped.",
            "Removes and returns the members with the highest scores.",
        ),
    Command::new("zmpop", -4, pop::zmpop)
        .flags(flag::WRITE)
        .acl(WRITE_SLOW)
        .keys(0, 0, 0, &[keynum(&["RW", "access", "delete"], 1)])
        .doc(
            SS,
            "7.0.0",
            "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
            "Pops the lowest or highest scoring members of the first non-empty sorted set among several keys.",
        ),
    Command::new("bzpopmin", -3, blocking::bzpopmin)
        .flags(BLOCKING_FAST)
        .acl(WRITE_FAST | acl::BLOCKING)
        .keys(1, -2, 1, KEYS_THEN_TIMEOUT)
        .history(TIMEOUT_DOUBLE)
        .doc(
            SS,
            "5.0.0",
            "O(log(N)) with N being the number of elements in the sorted set.",
            "Pops the lowest scoring member of the first non-empty sorted set, waiting for one if there is none.",
        ),
    Command::new("bzpopmax", -3, blocking::bzpopmax)
        .flags(BLOCKING_FAST)
        .acl(WRITE_FAST | acl::BLOCKING)
        .keys(1, -2, 1, KEYS_THEN_TIMEOUT)
        .history(TIMEOUT_DOUBLE)
        .doc(
            SS,
            "5.0.0",
            "O(log(N)) with N being the number of elements in the sorted set.",
            "Pops the highest scoring member of the first non-empty sorted set, waiting for one if there is none.",
        ),
    Command::new("bzmpop", -5, blocking::bzmpop)
        .flags(flag::WRITE | flag::BLOCKING)
        .acl(WRITE_SLOW | acl::BLOCKING)
        .keys(0, 0, 0, &[keynum(&["RW", "access", "delete"], 2)])
        .doc(
            SS,
            "7.0.0",
            "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
            "Pops the lowest or highest scoring members of the first non-empty sorted set among several keys, waiting for one if all are empty.",
        ),
    Command::new("zrandmember", -2, pop::zrandmember)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output"])
        .doc(
            SS,
            "6.2.0",
            "O(N) with N the number of members returned.",
            "Returns random members of a sorted set, distinct or not, optionally with scores.",
        ),
    Command::new("zunion", -3, setops::zunion)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(0, 0, 0, NUMKEYS_RO)
        .doc(
            SS,
            "6.2.0",
            UNION,
            "Returns the union of sorted sets (and sets), with weighted and aggregated scores.",
        ),
    Command::new("zinter", -3, setops::zinter)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(0, 0, 0, NUMKEYS_RO)
        .doc(
            SS,
            "6.2.0",
            INTER,
            "Returns the intersection of sorted sets (and sets), with weighted and aggregated scores.",
        ),
    Command::new("zdiff", -3, setops::zdiff)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(0, 0, 0, NUMKEYS_RO)
        .doc(
            SS,
            "6.2.0",
            DIFF,
            "Returns the members of the first sorted set that are in none of the others.",
        ),
    Command::new("zunionstore", -4, setops::zunionstore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, STORE_NUMKEYS)
        .doc(
            SS,
            "2.0.0",
            UNION,
            "Stores the union of sorted sets (and sets) under a key.",
        ),
    Command::new("zinterstore", -4, setops::zinterstore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, STORE_NUMKEYS)
        .doc(
            SS,
            "2.0.0",
            INTER,
            "Stores the intersection of sorted sets (and sets) under a key.",
        ),
    Command::new("zdiffstore", -4, setops::zdiffstore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, STORE_NUMKEYS)
        .doc(
            SS,
            "6.2.0",
            DIFF,
            "Stores the difference of the first sorted set and the others under a key.",
        ),
    Command::new("zintercard", -3, setops::zintercard)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(0, 0, 0, NUMKEYS_RO)
        .doc(
            SS,
            "7.0.0",
            "O(N*K) with N the size of the smallest input and K the number of inputs.",
            "Counts the members common to several sorted sets, optionally stopping at a limit.",
        ),
    Command::new("zscan", -3, scan::zscan)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output"])
        .doc(
            SS,
            "2.8.0",
            "O(1) per call; O(N) for a whole iteration over N members.",
            "Iterates the members and scores of a sorted set a few at a time with a cursor.",
        ),
];

/// The sorted set a value holds, if it is one.
pub fn as_zset(value: &Value) -> Option<&ZSet> {
    match value {
        Value::ZSet(z) => Some(z),
        _ => None,
    }
}

pub fn as_zset_mut(value: &mut Value) -> Option<&mut ZSet> {
    match value {
        Value::ZSet(z) => Some(z),
        _ => None,
    }
}

/// Looks a sorted set up for reading (lookupKeyRead): `Ok(None)` if the
/// key is missing, WRONGTYPE if it holds another type.
pub fn read_zset<'a>(
    db: &'a mut Db,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a ZSet>, CmdError> {
    match db.get(key, now_ms) {
        None => Ok(None),
        Some(obj) => as_zset(&obj.value).map(Some).ok_or(CmdError::WRONG_TYPE),
    }
}

/// Looks a sorted set up for writing (lookupKeyWrite).
pub fn write_zset<'a>(
    db: &'a mut Db,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a mut ZSet>, CmdError> {
    match db.get_mut(key, now_ms) {
        None => Ok(None),
        Some(obj) => as_zset_mut(&mut obj.value)
            .map(Some)
            .ok_or(CmdError::WRONG_TYPE),
    }
}

/// The listpack limits from the configuration.
pub fn limits(ctx: &Ctx) -> Limits {
    let c = &ctx.engine.config;
    Limits {
        entries: usize::try_from(c.zset_max_listpack_entries).unwrap_or(0),
        value: usize::try_from(c.zset_max_listpack_value).unwrap_or(0),
    }
}

/// Puts a computed result under `dst` (ZRANGESTORE, Z*STORE): the whole
/// key is replaced and loses its TTL; an empty result deletes it instead.
/// Replies with the result's size.
/// The reply comes before the event, as in Redis, but after the inputs'
/// lookup events and the `new` event of a created `dst`.
pub fn store_result(ctx: &mut Ctx, dst: &[u8], zset: ZSet, event: &str) {
    use super::keyevents::class;
    let now = ctx.now_ms;
    ctx.flush_key_events();
    if zset.is_empty() {
        ctx.reply.int(0);
        if ctx.db().delete(dst, now) {
            ctx.dirty(1);
            ctx.key_changed(class::GENERIC, "del", dst);
        }
        return;
    }
    let len = zset.len();
    let obj = Object::new(Value::ZSet(Box::new(zset)), now);
    ctx.db().set_live(dst, obj, false, now);
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    ctx.dirty(1);
    ctx.key_changed(class::ZSET, event, dst);
}

/// A member as a bulk string (integers stored compactly go out as text).
pub fn reply_member(reply: &mut ReplyBuffer, member: Entry) {
    match member {
        Entry::Int(n) => reply.bulk_int(n),
        other => reply.bulk(other.as_bytes(&mut [0u8; 32])),
    }
}

/// The array header for `n` members, with scores: RESP2 flattens the
/// pairs, RESP3 nests them (see [`reply_scored`]).
pub fn reply_scored_len(reply: &mut ReplyBuffer, n: usize, withscores: bool) {
    if withscores && reply.proto == Protocol::Resp2 {
        reply.array(n * 2);
    } else {
        reply.array(n);
    }
}

/// One member, with its score if asked for.
pub fn reply_scored(reply: &mut ReplyBuffer, member: Entry, score: f64, withscores: bool) {
    if withscores && reply.proto == Protocol::Resp3 {
        reply.array(2);
    }
    reply_member(reply, member);
    if withscores {
        reply.double(score);
    }
}

/// Deletes a sorted set that has just lost its last member, as Redis
/// deletes empty collections.
pub fn delete_if_empty(db: &mut Db, key: &[u8]) {
    if db
        .get_ref(key)
        .and_then(|o| as_zset(&o.value))
        .is_some_and(ZSet::is_empty)
    {
        db.remove(key);
    }
}

/// The events of members taken out of a sorted set: `event`, then `del`
/// when the set went away.
pub fn removed_events(ctx: &mut Ctx, key: &[u8], event: &str) {
    use super::keyevents::class;
    ctx.key_changed(class::ZSET, event, key);
    if ctx.db().find(key).is_none() {
        ctx.notify(class::GENERIC, "del", key);
    }
}
