//! String commands: the table of the string family and the helpers its
//! handlers share. The handlers live in submodules along the lines a reader
//! of Redis's t_string.c would expect:
//! - [`set`]: whole-value writes (SET and its variants, GETSET, MSET);
//! - [`get`]: reads and read-then-change (GET, GETDEL, GETEX, MGET);
//! - [`numeric`]: INCR and friends, INCRBYFLOAT;
//! - [`edit`]: in-place edits and ranges (APPEND, SETRANGE, GETRANGE,
//!   STRLEN);
//! - [`lcs`]: the longest common subsequence.

mod edit;
mod get;
mod lcs;
mod numeric;
mod set;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_edit;

use super::table::{Command, Group, KeyRef, KeySpec, acl, flag};
use super::{CmdError, is};
use crate::db::value::flags;
use crate::db::{Db, Object, Str, Value};
use bytes::Bytes;
use thin_vec::ThinVec;

const STR: u32 = acl::STRING;
const W_DENYOOM: u32 = flag::WRITE | flag::DENYOOM;
const READ_FAST: u32 = acl::READ | STR | acl::FAST;
const READ_SLOW: u32 = acl::READ | STR | acl::SLOW;
const WRITE_FAST: u32 = acl::WRITE | STR | acl::FAST;
const WRITE_SLOW: u32 = acl::WRITE | STR | acl::SLOW;

/// The one key at argument 1, with the given key-spec flags.
const fn key1(flags: &'static [&'static str]) -> KeySpec {
    KeySpec::range(flags, 1, 0, 1)
}

const RO_ACCESS: &[KeySpec] = &[key1(&["RO", "access"])];
const RW_ACCESS_UPDATE: &[KeySpec] = &[key1(&["RW", "access", "update"])];
const OW_UPDATE: &[KeySpec] = &[key1(&["OW", "update"])];

pub static COMMANDS: &[Command] = &[
    Command::new("get", 2, get::get)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Returns the string value of a key.",
        ),
    Command::new("set", -3, set::set)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(
            1,
            1,
            1,
            &[KeySpec {
                notes: Some("RW and ACCESS due to the optional `GET` argument"),
                ..key1(&["RW", "access", "update", "variable_flags"])
            }],
        )
        .getkeys(set_keys)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Sets the string value of a key, with options for expiry and conditions.",
        ),
    Command::new("setnx", 3, set::setnx)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["OW", "insert"])])
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Sets a key's string value only when the key does not exist yet.",
        ),
    Command::new("setex", 4, set::setex)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, OW_UPDATE)
        .doc(
            Group::String,
            "2.0.0",
            "O(1)",
            "Sets a key's string value together with a time to live in seconds.",
        ),
    Command::new("psetex", 4, set::psetex)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, OW_UPDATE)
        .doc(
            Group::String,
            "2.6.0",
            "O(1)",
            "Sets a key's string value together with a time to live in milliseconds.",
        ),
    Command::new("getset", 3, set::getset)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Replaces a key's string value and returns the value it had before.",
        ),
    Command::new("getdel", 2, get::getdel)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "access", "delete"])])
        .doc(
            Group::String,
            "6.2.0",
            "O(1)",
            "Returns a key's string value and deletes the key.",
        ),
    Command::new("getex", -2, get::getex)
        .flags(flag::WRITE | flag::FAST)
        .acl(WRITE_FAST)
        .keys(
            1,
            1,
            1,
            &[KeySpec {
                notes: Some("RW and UPDATE because it changes the TTL"),
                ..key1(&["RW", "access", "update"])
            }],
        )
        .doc(
            Group::String,
            "6.2.0",
            "O(1)",
            "Returns a key's string value and changes or removes its expiry.",
        ),
    Command::new("mget", -2, get::mget)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, -1, 1, &[KeySpec::range(&["RO", "access"], 1, -1, 1)])
        .tips(&["request_policy:multi_shard"])
        .doc(
            Group::String,
            "1.0.0",
            "O(N) with N the number of keys",
            "Returns the string values of several keys at once.",
        ),
    Command::new("mset", -3, set::mset)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, -1, 2, &[KeySpec::range(&["OW", "update"], 1, -1, 2)])
        .tips(&[
            "request_policy:multi_shard",
            "response_policy:all_succeeded",
        ])
        .doc(
            Group::String,
            "1.0.1",
            "O(N) with N the number of keys",
            "Sets the string values of several keys at once.",
        ),
    Command::new("msetnx", -3, set::msetnx)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, -1, 2, &[KeySpec::range(&["OW", "insert"], 1, -1, 2)])
        .tips(&["request_policy:multi_shard", "response_policy:agg_min"])
        .doc(
            Group::String,
            "1.0.1",
            "O(N) with N the number of keys",
            "Sets several keys at once, only if none of them exists.",
        ),
    Command::new("append", 3, edit::append)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, &[key1(&["RW", "insert"])])
        .doc(
            Group::String,
            "2.0.0",
            "O(1) amortized",
            "Appends bytes to a key's string value, creating the key if needed.",
        ),
    Command::new("strlen", 2, edit::strlen)
        .flags(flag::READONLY | flag::FAST)
        .acl(READ_FAST)
        .keys(1, 1, 1, &[key1(&["RO"])])
        .doc(
            Group::String,
            "2.2.0",
            "O(1)",
            "Returns the length in bytes of a key's string value.",
        ),
    Command::new("incr", 2, numeric::incr)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Adds one to the integer held by a key.",
        ),
    Command::new("decr", 2, numeric::decr)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Subtracts one from the integer held by a key.",
        ),
    Command::new("incrby", 3, numeric::incrby)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Adds a given amount to the integer held by a key.",
        ),
    Command::new("decrby", 3, numeric::decrby)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Subtracts a given amount from the integer held by a key.",
        ),
    Command::new("incrbyfloat", 3, numeric::incrbyfloat)
        .flags(W_DENYOOM | flag::FAST)
        .acl(WRITE_FAST)
        .keys(1, 1, 1, RW_ACCESS_UPDATE)
        .doc(
            Group::String,
            "2.6.0",
            "O(1)",
            "Adds a floating point amount to the number held by a key.",
        ),
    Command::new("getrange", 4, edit::getrange)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::String,
            "2.4.0",
            "O(N) with N the length of the returned part",
            "Returns the part of a key's string value between two offsets.",
        ),
    Command::new("substr", 4, edit::getrange)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::String,
            "1.0.0",
            "O(N) with N the length of the returned part",
            "Returns the part of a key's string value between two offsets (old name of GETRANGE).",
        ),
    Command::new("setrange", 4, edit::setrange)
        .flags(W_DENYOOM)
        .acl(WRITE_SLOW)
        .keys(1, 1, 1, &[key1(&["RW", "update"])])
        .doc(
            Group::String,
            "2.2.0",
            "O(1) plus the cost of copying the new bytes in",
            "Overwrites part of a key's string value from an offset on, padding with zero bytes.",
        ),
    Command::new("lcs", -3, lcs::lcs)
        .flags(flag::READONLY)
        .acl(READ_SLOW)
        .keys(1, 2, 1, &[KeySpec::range(&["RO", "access"], 1, 1, 1)])
        .doc(
            Group::String,
            "7.0.0",
            "O(N*M) with N and M the lengths of the two strings",
            "Finds the longest common subsequence of the strings held by two keys.",
        ),
];

/// SET's key and how it is accessed: read too when GET is among the
/// options (Redis's setGetKeys).
fn set_keys(args: &[Bytes]) -> Vec<KeyRef> {
    let get = args.iter().skip(3).any(|a| is(a, "get"));
    let flags: &'static [&'static str] = if get {
        &["RW", "access", "update"]
    } else {
        &["OW", "update"]
    };
    vec![KeyRef { pos: 1, flags }]
}

/// The string a value holds, or `None` when it holds another type.
pub fn as_str(value: &Value) -> Option<&Str> {
    match value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// The string a value holds, for changing it, or `None` for other types.
pub fn as_str_mut(value: &mut Value) -> Option<&mut Str> {
    match value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// Looks up a string for reading: `Ok(None)` if the key is missing,
/// WRONGTYPE if it holds another type.
pub fn read_string<'a>(
    db: &'a mut Db,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a Str>, CmdError> {
    match db.get(key, now_ms) {
        None => Ok(None),
        Some(obj) => as_str(&obj.value).map(Some).ok_or(CmdError::WRONG_TYPE),
    }
}

/// Replies with a string value as a bulk (large shared values go out
/// without a copy).
pub fn reply_str(reply: &mut crate::protocol::ReplyBuffer, s: &Str) {
    match s.shared_bytes() {
        Some(b) => reply.bulk_shared(b),
        None => {
            let mut buf = [0u8; 20];
            reply.bulk(s.as_bytes(&mut buf));
        }
    }
}

/// Opens a string value for an in-place edit, as Redis's
/// dbUnshareStringValue: from then on OBJECT ENCODING says `raw`.
/// `None` if the value is not a string.
pub fn unshare(obj: &mut Object) -> Option<&mut ThinVec<u8>> {
    as_str(&obj.value)?;
    obj.set_flag(flags::RAW, true);
    // Redis puts a new object under the key; it carries the clock the
    // lookup just refreshed, even when the old value was a shared integer.
    let clock = obj.clock();
    if let Some(s) = as_str_mut(&mut obj.value) {
        s.make_mut();
    }
    obj.carry_clock(clock, false);
    as_str_mut(&mut obj.value).map(Str::make_mut)
}

/// A new value built byte by byte (SETRANGE, SETBIT, BITOP on a missing
/// key): Redis creates those `raw` whatever their length.
pub fn raw_object(bytes: ThinVec<u8>, now_ms: i64) -> Object {
    let mut obj = Object::string(Str::Heap(bytes), now_ms);
    obj.set_flag(flags::RAW, true);
    obj
}

/// Refuses a string that would grow past `max` (proto-max-bulk-len), as
/// Redis's checkStringLength.
pub fn check_string_length(size: usize, append: usize, max: i64) -> Result<(), CmdError> {
    let total = size as u128 + append as u128;
    if total > u128::try_from(max).unwrap_or(0) {
        return Err(CmdError::text(
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
        ));
    }
    Ok(())
}

/// Makes room for `len` bytes in total the way Redis's sdsMakeRoomFor
/// does: double while small, then 1 MiB of slack, so repeated appends are
/// amortized O(1) without holding twice the memory of a large value.
pub fn reserve_greedy(buf: &mut ThinVec<u8>, len: usize) {
    const MAX_PREALLOC: usize = 1024 * 1024;
    if len <= buf.capacity() {
        return;
    }
    let target = if len < MAX_PREALLOC {
        len.saturating_mul(2)
    } else {
        len.saturating_add(MAX_PREALLOC)
    };
    buf.reserve_exact(target - buf.len());
}

/// Grows a buffer with zero bytes to at least `len` (Redis's sdsgrowzero).
pub fn grow_zero(buf: &mut ThinVec<u8>, len: usize) {
    if len > buf.len() {
        reserve_greedy(buf, len);
        buf.resize(len, 0);
    }
}
