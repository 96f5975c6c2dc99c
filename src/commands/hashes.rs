//! Hash commands: the table of the hash family, the helpers its handlers
//! share, and the handlers that read or write single fields. The rest
//! live in submodules:
//! - [`random`], HRANDFIELD;
//! - [`scan`], HSCAN.
//!
//! The value type itself (listpack or dict, and when one becomes the
//! other) is db::hash.

mod random;
mod scan;
#[cfg(test)]
mod tests;

use super::keyevents::class;
use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64};
use crate::db::hash::{Hash, Item, Limits, NewValue};
use crate::db::{Db, Object, Value};
use crate::protocol::ReplyBuffer;
use crate::util::float::{LdAddError, ld_add};
use bytes::Bytes;

const W_DENYOOM_FAST: u32 = flag::WRITE | flag::DENYOOM | flag::FAST;
const READ_FAST: u32 = acl::READ | acl::HASH | acl::FAST;
const READ_SLOW: u32 = acl::READ | acl::HASH | acl::SLOW;
const WRITE_FAST: u32 = acl::WRITE | acl::HASH | acl::FAST;

/// The one key at argument 1, with the given key-spec flags.
const fn key1(flags: &'static [&'static str]) -> KeySpec {
    KeySpec::range(flags, 1, 0, 1)
}

const RO: &[KeySpec] = &[key1(&["RO"])];
const RO_ACCESS: &[KeySpec] = &[key1(&["RO", "access"])];
const RW_UPDATE: &[KeySpec] = &[key1(&["RW", "update"])];
const RW_ACCESS_UPDATE: &[KeySpec] = &[key1(&["RW", "access", "update"])];

pub static COMMANDS: &[Command] = &[
    Command::new("hset", -4, hset)
        .flags(W_DENYOOM_FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_UPDATE)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(1) per field/value pair written",
            "Sets one or more fields of a hash, creating the hash if needed.",
        )
        .history(&[("4.0.0", "Takes any number of field/value pairs.")]),
    Command::new("hsetnx", 4, hsetnx)
        .flags(W_DENYOOM_FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "insert"])])
        .doc(
            Group::Hash,
            "2.0.0",
            "O(1)",
            "Sets a hash field only when the hash does not have it yet.",
        ),
    Command::new("hget", 3, hget)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(1)",
            "Returns the value of one field of a hash.",
        ),
    Command::new("hmget", -3, hmget)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(N) for N fields asked for",
            "Returns the values of several fields of a hash, nil for missing ones.",
        ),
    Command::new("hmset", -4, hmset)
        .flags(W_DENYOOM_FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_UPDATE)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(N) for N fields written",
            "Sets several fields of a hash and replies OK (the old form of HSET).",
        )
        .deprecated("4.0.0", "`HSET` with several field/value pairs"),
    Command::new("hdel", -3, hdel)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "delete"])])
        .doc(
            Group::Hash,
            "2.0.0",
            "O(N) for N fields deleted",
            "Deletes fields of a hash; the hash goes when its last field does.",
        )
        .history(&[("2.4.0", "Takes several fields.")]),
    Command::new("hlen", 2, hlen)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(1)",
            "Returns how many fields a hash has.",
        ),
    Command::new("hstrlen", 3, hstrlen)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO)
        .doc(
            Group::Hash,
            "3.2.0",
            "O(1)",
            "Returns the length in bytes of the value of a hash field.",
        ),
    Command::new("hexists", 3, hexists)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(1)",
            "Tells whether a hash has a field.",
        ),
    Command::new("hkeys", 2, hkeys)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Hash,
            "2.0.0",
            "O(N) for a hash of N fields",
            "Returns every field name of a hash.",
        ),
    Command::new("hvals", 2, hvals)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Hash,
            "2.0.0",
            "O(N) for a hash of N fields",
            "Returns every value of a hash.",
        ),
    Command::new("hgetall", 2, hgetall)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Hash,
            "2.0.0",
            "O(N) for a hash of N fields",
            "Returns every field of a hash with its value.",
        ),
    Command::new("hincrby", 4, hincrby)
        .flags(W_DENYOOM_FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::Hash,
            "2.0.0",
            "O(1)",
            "Adds an integer to the number in a hash field (missing fields count as 0).",
        ),
    Command::new("hincrbyfloat", 4, hincrbyfloat)
        .flags(W_DENYOOM_FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::Hash,
            "2.6.0",
            "O(1)",
            "Adds a floating point amount to the number in a hash field.",
        ),
    Command::new("hrandfield", -2, random::hrandfield)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Hash,
            "6.2.0",
            "O(N) for N fields returned",
            "Returns random fields of a hash, optionally with their values.",
        ),
    Command::new("hscan", -3, scan::hscan)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Hash,
            "2.8.0",
            "O(1) per call; O(N) for a full iteration over N fields",
            "Iterates the fields and values of a hash a few at a time with a cursor.",
        ),
];

const HASH_NOT_INT: CmdError = CmdError::text("ERR hash value is not an integer");
const HASH_NOT_FLOAT: CmdError = CmdError::text("ERR hash value is not a float");

/// The encoding limits as configured now.
fn limits(ctx: &Ctx) -> Limits {
    let c = &ctx.engine.config;
    Limits::from_config(c.hash_max_listpack_entries, c.hash_max_listpack_value)
}

/// Looks a hash up for reading (lookupKeyRead): `Ok(None)` if the key is
/// missing, WRONGTYPE if it holds another type.
pub fn read_hash<'a>(db: &'a mut Db, key: &[u8], now: i64) -> Result<Option<&'a Hash>, CmdError> {
    match db.get(key, now) {
        None => Ok(None),
        Some(obj) => match &obj.value {
            Value::Hash(h) => Ok(Some(h)),
            _ => Err(CmdError::WRONG_TYPE),
        },
    }
}

/// Runs `change` on the hash at `key`, or on a new empty one that is then
/// stored (Redis's hashTypeLookupWriteOrCreate). WRONGTYPE for another
/// type. Every caller writes at least one field into a new hash before it
/// can fail, so no empty hash is ever stored.
fn update_hash<R>(
    ctx: &mut Ctx,
    key: &[u8],
    change: impl FnOnce(&mut Hash, Limits) -> Result<R, CmdError>,
) -> Result<R, CmdError> {
    let limits = limits(ctx);
    let now = ctx.now_ms;
    let db = ctx.db();
    match db.get_mut(key, now) {
        Some(obj) => match &mut obj.value {
            Value::Hash(h) => change(h, limits),
            _ => Err(CmdError::WRONG_TYPE),
        },
        None => {
            let mut h = Hash::new();
            let r = change(&mut h, limits)?;
            if !h.is_empty() {
                db.add(key, Object::new(Value::Hash(h), now));
            }
            Ok(r)
        }
    }
}

/// A field or value as a bulk reply (a big value without copying).
pub fn reply_item(reply: &mut ReplyBuffer, item: Item) {
    match item.shared_bytes() {
        Some(b) => reply.bulk_shared(b),
        None => {
            let mut buf = [0u8; 32];
            reply.bulk(item.as_bytes(&mut buf));
        }
    }
}

fn hset(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let created = set_pairs(ctx, args, "hset")?;
    ctx.reply.int(created as i64);
    ctx.key_changed(class::HASH, "hset", &args[1]);
    Ok(())
}

fn hmset(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_pairs(ctx, args, "hmset")?;
    ctx.reply.ok();
    ctx.key_changed(class::HASH, "hset", &args[1]);
    Ok(())
}

/// HSET and HMSET: the pairs are written in order (a repeated field takes
/// its last value); returns how many fields were new. Every pair counts as
/// a change, new or not, as in Redis. The caller replies, then publishes
/// `hset` (after what the lookup published), in Redis's order.
fn set_pairs(ctx: &mut Ctx, args: &[Bytes], name: &str) -> Result<usize, CmdError> {
    // An odd number of arguments after the key is an arity error, found
    // before the key is even looked at.
    if args.len() % 2 == 1 {
        return Err(CmdError::arity(name));
    }
    let pairs = &args[2..];
    let created = update_hash(ctx, &args[1], |h, limits| {
        h.convert_for_args(pairs, limits);
        let mut created = 0;
        for pair in pairs.chunks_exact(2) {
            if !h.set(&pair[0], NewValue::Arg(&pair[1]), limits) {
                created += 1;
            }
        }
        Ok(created)
    })?;
    ctx.dirty(pairs.len() as u64 / 2);
    ctx.flush_key_events();
    Ok(created)
}

fn hsetnx(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let set = update_hash(ctx, &args[1], |h, limits| {
        if h.contains(&args[2]) {
            return Ok(false);
        }
        // Only a field actually written can make the hash convert.
        h.convert_for_args(&args[2..4], limits);
        h.set(&args[2], NewValue::Arg(&args[3]), limits);
        Ok(true)
    })?;
    ctx.flush_key_events();
    ctx.reply.int(i64::from(set));
    if set {
        ctx.dirty(1);
        ctx.key_changed(class::HASH, "hset", &args[1]);
    }
    Ok(())
}

fn hget(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    match read_hash(db, &args[1], now)?.and_then(|h| h.get(&args[2])) {
        Some(item) => reply_item(reply, item),
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
        }
    }
    Ok(())
}

fn hmget(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let fields = &args[2..];
    let Some(hash) = read_hash(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.array(fields.len());
        for _ in fields {
            ctx.reply.null();
        }
        return Ok(());
    };
    reply.array(fields.len());
    for field in fields {
        match hash.get(field) {
            Some(item) => reply_item(reply, item),
            None => reply.null(),
        }
    }
    Ok(())
}

fn hdel(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    let Some(obj) = db.get_mut(&args[1], now) else {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    };
    let Value::Hash(h) = &mut obj.value else {
        return Err(CmdError::WRONG_TYPE);
    };
    let mut deleted = 0;
    let mut emptied = false;
    for field in &args[2..] {
        if h.remove(field) {
            deleted += 1;
            if h.is_empty() {
                emptied = true;
                break;
            }
        }
    }
    if emptied {
        db.remove(&args[1]);
    }
    ctx.dirty(deleted);
    if deleted > 0 {
        ctx.key_changed(class::HASH, "hdel", &args[1]);
    }
    if emptied {
        ctx.notify(class::GENERIC, "del", &args[1]);
    }
    ctx.reply.int(deleted as i64);
    Ok(())
}

fn hlen(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_hash(ctx.db(), &args[1], now)?.map_or(0, Hash::len);
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

fn hstrlen(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let len = read_hash(ctx.db(), &args[1], now)?
        .and_then(|h| h.get(&args[2]))
        .map_or(0, |item| item.len());
    ctx.flush_key_events();
    ctx.reply.int(len as i64);
    Ok(())
}

fn hexists(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let found = read_hash(ctx.db(), &args[1], now)?.is_some_and(|h| h.contains(&args[2]));
    ctx.flush_key_events();
    ctx.reply.int(i64::from(found));
    Ok(())
}

/// What HKEYS, HVALS and HGETALL list.
#[derive(Clone, Copy, PartialEq)]
enum Listing {
    Fields,
    Values,
    Both,
}

fn hkeys(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    list_hash(ctx, &args[1], Listing::Fields)
}

fn hvals(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    list_hash(ctx, &args[1], Listing::Values)
}

fn hgetall(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    list_hash(ctx, &args[1], Listing::Both)
}

/// HGETALL is a map in RESP3 (and an empty one for a missing key); HKEYS
/// and HVALS are arrays.
fn list_hash(ctx: &mut Ctx, key: &[u8], what: Listing) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(hash) = read_hash(db, key, now)? else {
        ctx.flush_key_events();
        if what == Listing::Both {
            ctx.reply.map(0);
        } else {
            ctx.reply.array(0);
        }
        return Ok(());
    };
    let len = hash.len();
    if what == Listing::Both {
        reply.map(len);
    } else {
        reply.array(len);
    }
    for (field, value) in hash.pairs() {
        if what != Listing::Values {
            reply_item(reply, field);
        }
        if what != Listing::Fields {
            reply_item(reply, value);
        }
    }
    Ok(())
}

fn hincrby(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let incr = arg_i64(&args[3])?;
    let field = &args[2];
    let value = update_hash(ctx, &args[1], |h, limits| {
        let old = match h.get(field) {
            Some(item) => item.as_i64().ok_or(HASH_NOT_INT)?,
            None => 0,
        };
        let new = old.checked_add(incr).ok_or(CmdError::OVERFLOW)?;
        h.set(field, NewValue::Int(new), limits);
        Ok(new)
    })?;
    ctx.dirty(1);
    ctx.flush_key_events();
    ctx.reply.int(value);
    ctx.key_changed(class::HASH, "hincrby", &args[1]);
    Ok(())
}

/// HINCRBYFLOAT: `long double` arithmetic printed as INCRBYFLOAT prints
/// it. Unlike INCRBYFLOAT, an infinite increment is refused up front,
/// before the key is looked at.
fn hincrbyfloat(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let incr = &args[3];
    match ld_add(b"0", incr) {
        Ok(_) => {}
        Err(LdAddError::NanOrInfinity) => {
            return Err(CmdError::text("ERR value is NaN or Infinity"));
        }
        Err(_) => return Err(CmdError::NOT_FLOAT),
    }
    let field = &args[2];
    let sum = update_hash(ctx, &args[1], |h, limits| {
        let sum = {
            let current = h.get(field);
            let mut buf = [0u8; 32];
            let base = match &current {
                Some(item) => item.as_bytes(&mut buf),
                None => b"0",
            };
            ld_add(base, incr).map_err(|e| match e {
                LdAddError::NanOrInfinity => {
                    CmdError::text("ERR increment would produce NaN or Infinity")
                }
                LdAddError::BadBase | LdAddError::BadIncrement => HASH_NOT_FLOAT,
            })?
        };
        h.set(field, NewValue::Text(&sum), limits);
        Ok(sum)
    })?;
    ctx.dirty(1);
    ctx.flush_key_events();
    ctx.reply.bulk(&sum);
    ctx.key_changed(class::HASH, "hincrbyfloat", &args[1]);
    // Logged as the value stored, which a replay cannot recompute exactly.
    if ctx.propagating() {
        ctx.propagate_as(vec![
            Bytes::from_static(b"HSET"),
            args[1].clone(),
            field.clone(),
            Bytes::from(sum),
        ]);
    }
    Ok(())
}
