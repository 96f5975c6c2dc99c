//! Set commands: the table of the set family and the helpers its handlers
//! share. The handlers live in submodules along the lines of Redis's
//! t_set.c:
//! - [`members`]: one set at a time (SADD, SREM, SMOVE, SISMEMBER,
//!   SMISMEMBER, SCARD);
//! - [`random`]: SPOP and SRANDMEMBER, which pick members at random and
//!   switch strategy with the size of the request, as Redis does;
//! - [`algebra`]: intersection, union and difference (SINTER, SINTERCARD,
//!   SUNION, SDIFF, their STORE forms, and SMEMBERS);
//! - [`sscan`]: the cursor.
//!
//! Replies that are sets of members use RESP3's set type, as Redis's do;
//! SRANDMEMBER's may repeat members, so it replies with an array.

mod algebra;
mod members;
mod random;
mod sscan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_random;

use super::table::{BeginSearch, Command, FindKeys, Group, KeySpec, acl, flag};
use super::{CmdError, Ctx};
use crate::db::set::{Member, Set, intset_limit};
use crate::db::{Db, Object, Value};
use crate::protocol::ReplyBuffer;

const SET: u32 = acl::SET;
const READ_FAST: u32 = acl::READ | SET | acl::FAST;
const READ_SLOW: u32 = acl::READ | SET | acl::SLOW;
const WRITE_FAST: u32 = acl::WRITE | SET | acl::FAST;
const WRITE_SLOW: u32 = acl::WRITE | SET | acl::SLOW;
const W_DENYOOM: u32 = flag::WRITE | flag::DENYOOM;
const RO_FAST: u32 = flag::READONLY | flag::FAST;

/// The one key at argument 1, with the given key-spec flags.
const fn key1(flags: &'static [&'static str]) -> KeySpec {
    KeySpec::range(flags, 1, 0, 1)
}

const RO_ACCESS: &[KeySpec] = &[key1(&["RO", "access"])];
/// Every argument from 1 on is a key to read (SINTER, SUNION, SDIFF).
const SOURCES: &[KeySpec] = &[KeySpec::range(&["RO", "access"], 1, -1, 1)];
const INTERSTORE: &[KeySpec] = &[
    key1(&["RW", "update"]),
    KeySpec::range(&["RO", "access"], 2, -1, 1),
];
/// SUNIONSTORE and SDIFFSTORE overwrite the destination without reading it.
const STORE: &[KeySpec] = &[
    key1(&["OW", "update"]),
    KeySpec::range(&["RO", "access"], 2, -1, 1),
];

/// The complexity of the commands that combine sets.
const INTER_COMPLEXITY: &str =
    "O(N*M) at worst, with N the size of the smallest set and M the number of sets";
const UNION_COMPLEXITY: &str = "O(N) with N the total number of members of all the sets";

pub static COMMANDS: &[Command] = &[
    Command::new("sadd", -3, members::sadd)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "insert"])])
        .history(&[("2.4.0", "Takes several members at once.")])
        .doc(
            Group::Set,
            "1.0.0",
            "O(1) per member added",
            "Adds members to a set, creating it if needed.",
        ),
    Command::new("srem", -3, members::srem)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "delete"])])
        .history(&[("2.4.0", "Takes several members at once.")])
        .doc(
            Group::Set,
            "1.0.0",
            "O(N) with N the number of members to remove",
            "Removes members from a set, deleting it once it is empty.",
        ),
    Command::new("smembers", 2, algebra::smembers)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Set,
            "1.0.0",
            "O(N) with N the size of the set",
            "Lists every member of a set.",
        ),
    Command::new("sismember", 3, members::sismember)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, &[key1(&["RO"])])
        .doc(
            Group::Set,
            "1.0.0",
            "O(1)",
            "Tells whether a value is a member of a set.",
        ),
    Command::new("smismember", -3, members::smismember)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Set,
            "6.2.0",
            "O(N) with N the number of values asked about",
            "Tells, for each of several values, whether it is a member of a set.",
        ),
    Command::new("scard", 2, members::scard)
        .flags(RO_FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, &[key1(&["RO"])])
        .doc(Group::Set, "1.0.0", "O(1)", "Counts the members of a set."),
    Command::new("spop", -2, random::spop)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "access", "delete"])])
        .tips(&["nondeterministic_output"])
        .history(&[("3.2.0", "Takes a count of members to pop.")])
        .doc(
            Group::Set,
            "1.0.0",
            "O(1) for one member, O(N) for a count of N",
            "Removes random members from a set and returns them.",
        ),
    Command::new("srandmember", -2, random::srandmember)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output"])
        .history(&[("2.6.0", "Takes a count, negative to allow repeats.")])
        .doc(
            Group::Set,
            "1.0.0",
            "O(1) for one member, O(N) for a count of N (in absolute value)",
            "Returns random members of a set without removing them.",
        ),
    Command::new("smove", 4, members::smove)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(
            1,
            2,
            1,
            &[
                key1(&["RW", "access", "delete"]),
                KeySpec::range(&["RW", "insert"], 2, 0, 1),
            ],
        )
        .doc(
            Group::Set,
            "1.0.0",
            "O(1)",
            "Moves a member from one set to another.",
        ),
    Command::new("sinter", -2, algebra::sinter)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, -1, 1, SOURCES)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Set,
            "1.0.0",
            INTER_COMPLEXITY,
            "Lists the members that all the given sets have in common.",
        ),
    Command::new("sintercard", -3, algebra::sintercard)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(
            0,
            0,
            0,
            &[KeySpec {
                notes: None,
                flags: &["RO", "access"],
                begin: BeginSearch::Index(1),
                find: FindKeys::Keynum {
                    keynumidx: 0,
                    firstkey: 1,
                    step: 1,
                },
            }],
        )
        .doc(
            Group::Set,
            "7.0.0",
            INTER_COMPLEXITY,
            "Counts the members that all the given sets have in common, optionally up to a limit.",
        ),
    Command::new("sinterstore", -3, algebra::sinterstore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, -1, 1, INTERSTORE)
        .doc(
            Group::Set,
            "1.0.0",
            INTER_COMPLEXITY,
            "Stores the members that all the given sets have in common under a key.",
        ),
    Command::new("sunion", -2, algebra::sunion)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, -1, 1, SOURCES)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Set,
            "1.0.0",
            UNION_COMPLEXITY,
            "Lists the members of any of the given sets.",
        ),
    Command::new("sunionstore", -3, algebra::sunionstore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, -1, 1, STORE)
        .doc(
            Group::Set,
            "1.0.0",
            UNION_COMPLEXITY,
            "Stores the members of any of the given sets under a key.",
        ),
    Command::new("sdiff", -2, algebra::sdiff)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, -1, 1, SOURCES)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Set,
            "1.0.0",
            UNION_COMPLEXITY,
            "Lists the members of the first set that none of the others has.",
        ),
    Command::new("sdiffstore", -3, algebra::sdiffstore)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, -1, 1, STORE)
        .doc(
            Group::Set,
            "1.0.0",
            UNION_COMPLEXITY,
            "Stores the members of the first set that none of the others has under a key.",
        ),
    Command::new("sscan", -3, sscan::sscan)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Set,
            "2.8.0",
            "O(1) per call; O(N) for a full iteration over N members",
            "Iterates the members of a set a few at a time with a cursor.",
        ),
];

/// The set a value holds, or `None` when it holds another type.
fn as_set(value: &Value) -> Option<&Set> {
    match value {
        Value::Set(s) => Some(s),
        _ => None,
    }
}

fn as_set_mut(value: &mut Value) -> Option<&mut Set> {
    match value {
        Value::Set(s) => Some(s),
        _ => None,
    }
}

/// Looks a set up for reading (Redis's lookupKeyRead): `Ok(None)` if the
/// key is missing, WRONGTYPE if it holds another type.
fn read_set<'a>(db: &'a mut Db, key: &[u8], now_ms: i64) -> Result<Option<&'a Set>, CmdError> {
    match db.get(key, now_ms) {
        None => Ok(None),
        Some(obj) => as_set(&obj.value).map(Some).ok_or(CmdError::WRONG_TYPE),
    }
}

/// Looks a set up for changing it (lookupKeyWrite).
fn write_set<'a>(db: &'a mut Db, key: &[u8], now_ms: i64) -> Result<Option<&'a mut Set>, CmdError> {
    match db.get_mut(key, now_ms) {
        None => Ok(None),
        Some(obj) => as_set_mut(&mut obj.value)
            .map(Some)
            .ok_or(CmdError::WRONG_TYPE),
    }
}

/// A set already looked up by this command, read again without side
/// effects.
fn found_set<'a>(db: &'a Db, key: &[u8]) -> Option<&'a Set> {
    db.find(key).and_then(|obj| as_set(&obj.value))
}

fn found_set_mut<'a>(db: &'a mut Db, key: &[u8]) -> Option<&'a mut Set> {
    db.find_mut(key).and_then(|obj| as_set_mut(&mut obj.value))
}

fn new_object(set: Set, now_ms: i64) -> Object {
    Object::new(Value::Set(Box::new(set)), now_ms)
}

/// The intset size limit in effect (set-max-intset-entries).
fn max_intset(ctx: &Ctx) -> usize {
    intset_limit(ctx.engine.config.set_max_intset_entries)
}

fn reply_member(reply: &mut ReplyBuffer, member: Member) {
    match member {
        Member::Int(n) => reply.bulk_int(n),
        Member::Bytes(b) => reply.bulk(b),
    }
}

/// Replies with every member of a set, as a RESP3 set.
fn reply_members(reply: &mut ReplyBuffer, set: &Set) {
    reply.set(set.len());
    for m in set.iter() {
        reply_member(reply, m);
    }
}

/// The selected database, the reply buffer and the random generator at
/// once, for the commands that pick members at random.
fn db_reply_rng<'a>(ctx: &'a mut Ctx) -> (&'a mut Db, &'a mut ReplyBuffer, &'a mut fastrand::Rng) {
    let idx = ctx.client.db;
    let engine = &mut *ctx.engine;
    (
        &mut engine.keyspace.dbs[idx],
        &mut *ctx.reply,
        &mut engine.rng,
    )
}
