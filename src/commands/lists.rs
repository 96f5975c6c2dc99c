//! List commands: the table of the list family and the helpers its
//! handlers share. The handlers live in submodules along the lines of
//! Redis's t_list.c:
//! - [`ops`]: the operations other commands build on (push, pop, move),
//!   kept free of replies so the blocking commands can call them too;
//! - [`push_pop`]: LPUSH/RPUSH(X), LPOP/RPOP, LMPOP, LMOVE, RPOPLPUSH;
//! - [`read`]: LLEN, LRANGE, LINDEX, LPOS;
//! - [`edit`]: LSET, LINSERT, LREM, LTRIM.
//!
//! - [`blocking`]: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, which wait
//!   in the event loop and then call [`pop_from`] and [`lmove`].

mod blocking;
mod edit;
mod ops;
mod push_pop;
mod read;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_edit;

pub use crate::db::list::End;
pub use ops::{lmove, pop_from, push_to};

use super::table::{BeginSearch, Command, FindKeys, Group, KeySpec, acl, flag};
use super::{CmdError, is};
use crate::db::list::List;
use crate::db::listpack::Entry;
use crate::db::{Db, Value};
use crate::protocol::ReplyBuffer;

const LIST: u32 = acl::LIST;
const W_DENYOOM: u32 = flag::WRITE | flag::DENYOOM;

/// The one key at argument 1, with the given key-spec flags.
const fn key1(flags: &'static [&'static str]) -> KeySpec {
    KeySpec::range(flags, 1, 0, 1)
}

const RW_INSERT: &[KeySpec] = &[key1(&["RW", "insert"])];
const RW_ACCESS_DELETE: &[KeySpec] = &[key1(&["RW", "access", "delete"])];
const RO_ACCESS: &[KeySpec] = &[key1(&["RO", "access"])];
const RW_DELETE: &[KeySpec] = &[key1(&["RW", "delete"])];
/// LMOVE and RPOPLPUSH: a source popped from, a destination pushed to.
const SRC_DST: &[KeySpec] = &[
    key1(&["RW", "access", "delete"]),
    KeySpec::range(&["RW", "insert"], 2, 0, 1),
];

const PUSH_COMPLEXITY: &str = "O(1) per element pushed";
const MULTI_ELEMENT_PUSH: &[(&str, &str)] = &[("2.4.0", "Accepts multiple `element` arguments.")];
const MULTI_ELEMENT_PUSHX: &[(&str, &str)] = &[("4.0.0", "Accepts multiple `element` arguments.")];
const POP_COUNT: &[(&str, &str)] = &[("6.2.0", "Added the `count` argument.")];
const TIMEOUT_DOUBLE: &[(&str, &str)] = &[(
    "6.0.0",
    "`timeout` is interpreted as a double instead of an integer.",
)];
const BLOCKING_W: u32 = flag::WRITE | flag::NOSCRIPT | flag::BLOCKING;
/// BLPOP and BRPOP: every argument but the last (the timeout) is a key.
const KEYS_THEN_TIMEOUT: &[KeySpec] = &[KeySpec::range(&["RW", "access", "delete"], 1, -2, 1)];
/// LMPOP and BLMPOP: numkeys at `index`, the keys after it.
const fn numkeys_at(index: i32) -> [KeySpec; 1] {
    [KeySpec {
        notes: None,
        flags: &["RW", "access", "delete"],
        begin: BeginSearch::Index(index),
        find: FindKeys::Keynum {
            keynumidx: 0,
            firstkey: 1,
            step: 1,
        },
    }]
}
const LMPOP_KEYS: &[KeySpec] = &numkeys_at(1);
const BLMPOP_KEYS: &[KeySpec] = &numkeys_at(2);

pub static COMMANDS: &[Command] = &[
    Command::new("lpush", -3, push_pop::lpush)
        .flags(W_DENYOOM | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, RW_INSERT)
        .history(MULTI_ELEMENT_PUSH)
        .doc(
            Group::List,
            "1.0.0",
            PUSH_COMPLEXITY,
            "Adds elements at the head of a list, creating it if needed.",
        ),
    Command::new("rpush", -3, push_pop::rpush)
        .flags(W_DENYOOM | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, RW_INSERT)
        .history(MULTI_ELEMENT_PUSH)
        .doc(
            Group::List,
            "1.0.0",
            PUSH_COMPLEXITY,
            "Adds elements at the tail of a list, creating it if needed.",
        ),
    Command::new("lpushx", -3, push_pop::lpushx)
        .flags(W_DENYOOM | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, RW_INSERT)
        .history(MULTI_ELEMENT_PUSHX)
        .doc(
            Group::List,
            "2.2.0",
            PUSH_COMPLEXITY,
            "Adds elements at the head of a list that already exists.",
        ),
    Command::new("rpushx", -3, push_pop::rpushx)
        .flags(W_DENYOOM | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, RW_INSERT)
        .history(MULTI_ELEMENT_PUSHX)
        .doc(
            Group::List,
            "2.2.0",
            PUSH_COMPLEXITY,
            "Adds elements at the tail of a list that already exists.",
        ),
    Command::new("lpop", -2, push_pop::lpop)
        .flags(flag::WRITE | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, RW_ACCESS_DELETE)
        .history(POP_COUNT)
        .doc(
            Group::List,
            "1.0.0",
            "O(N) with N the number of elements popped",
            "Removes and returns elements from the head of a list.",
        ),
    Command::new("rpop", -2, push_pop::rpop)
        .flags(flag::WRITE | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, RW_ACCESS_DELETE)
        .history(POP_COUNT)
        .doc(
            Group::List,
            "1.0.0",
            "O(N) with N the number of elements popped",
            "Removes and returns elements from the tail of a list.",
        ),
    Command::new("llen", 2, read::llen)
        .flags(flag::READONLY | flag::FAST)
        .acl(LIST)
        .keys(1, 1, 1, &[key1(&["RO"])])
        .doc(
            Group::List,
            "1.0.0",
            "O(1)",
            "Returns the number of elements in a list.",
        ),
    Command::new("lrange", 4, read::lrange)
        .flags(flag::READONLY)
        .acl(LIST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::List,
            "1.0.0",
            "O(S+N) with S the distance of the start from the nearer end and N the elements returned",
            "Returns the elements of a list between two indexes.",
        ),
    Command::new("lindex", 3, read::lindex)
        .flags(flag::READONLY)
        .acl(LIST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::List,
            "1.0.0",
            "O(N) with N the distance of the index from the nearer end",
            "Returns the element of a list at an index.",
        ),
    Command::new("lset", 4, edit::lset)
        .flags(W_DENYOOM)
        .acl(LIST)
        .keys(1, 1, 1, &[key1(&["RW", "update"])])
        .doc(
            Group::List,
            "1.0.0",
            "O(N) with N the distance of the index from the nearer end",
            "Overwrites the element of a list at an index.",
        ),
    Command::new("linsert", 5, edit::linsert)
        .flags(W_DENYOOM)
        .acl(LIST)
        .keys(1, 1, 1, RW_INSERT)
        .doc(
            Group::List,
            "2.2.0",
            "O(N) with N the number of elements before the pivot",
            "Inserts an element before or after the first occurrence of another.",
        ),
    Command::new("lrem", 4, edit::lrem)
        .flags(flag::WRITE)
        .acl(LIST)
        .keys(1, 1, 1, RW_DELETE)
        .doc(
            Group::List,
            "1.0.0",
            "O(N+M) with N the length of the list and M the elements removed",
            "Removes elements equal to a value from a list, from either end.",
        ),
    Command::new("ltrim", 4, edit::ltrim)
        .flags(flag::WRITE)
        .acl(LIST)
        .keys(1, 1, 1, RW_DELETE)
        .doc(
            Group::List,
            "1.0.0",
            "O(N) with N the number of elements removed",
            "Keeps only the elements of a list between two indexes.",
        ),
    Command::new("lpos", -3, read::lpos)
        .flags(flag::READONLY)
        .acl(LIST)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::List,
            "6.0.6",
            "O(N) with N the elements scanned (MAXLEN bounds it)",
            "Returns the indexes of the elements of a list equal to a value.",
        ),
    Command::new("lmove", 5, push_pop::lmove_cmd)
        .flags(W_DENYOOM)
        .acl(LIST)
        .keys(1, 2, 1, SRC_DST)
        .doc(
            Group::List,
            "6.2.0",
            "O(1)",
            "Pops an element from one end of a list and pushes it onto an end of another, returning it.",
        ),
    Command::new("rpoplpush", 3, push_pop::rpoplpush)
        .flags(W_DENYOOM)
        .acl(LIST)
        .keys(1, 2, 1, SRC_DST)
        .deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments")
        .doc(
            Group::List,
            "1.2.0",
            "O(1)",
            "Pops the tail element of a list and pushes it onto the head of another, returning it.",
        ),
    Command::new("lmpop", -4, push_pop::lmpop)
        .flags(flag::WRITE)
        .acl(LIST)
        .keys(0, 0, 0, LMPOP_KEYS)
        .doc(
            Group::List,
            "7.0.0",
            "O(N+M) with N the keys given and M the elements popped",
            "Pops elements from the first non-empty list among several keys.",
        ),
    Command::new("blpop", -3, blocking::blpop)
        .flags(BLOCKING_W)
        .acl(LIST)
        .keys(1, -2, 1, KEYS_THEN_TIMEOUT)
        .history(TIMEOUT_DOUBLE)
        .doc(
            Group::List,
            "2.0.0",
            "O(N) where N is the number of provided keys.",
            "Pops the head element of the first non-empty list, waiting for one if there is none.",
        ),
    Command::new("brpop", -3, blocking::brpop)
        .flags(BLOCKING_W)
        .acl(LIST)
        .keys(1, -2, 1, KEYS_THEN_TIMEOUT)
        .history(TIMEOUT_DOUBLE)
        .doc(
            Group::List,
            "2.0.0",
            "O(N) where N is the number of provided keys.",
            "Pops the tail element of the first non-empty list, waiting for one if there is none.",
        ),
    Command::new("blmove", 6, blocking::blmove)
        .flags(BLOCKING_W | flag::DENYOOM)
        .acl(LIST)
        .keys(1, 2, 1, SRC_DST)
        .doc(
            Group::List,
            "6.2.0",
            "O(1)",
            "Moves an element from one list to another as LMOVE does, waiting for one if the source is empty.",
        ),
    Command::new("brpoplpush", 4, blocking::brpoplpush)
        .flags(BLOCKING_W | flag::DENYOOM)
        .acl(LIST)
        .keys(1, 2, 1, SRC_DST)
        .history(TIMEOUT_DOUBLE)
        .deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments")
        .doc(
            Group::List,
            "2.2.0",
            "O(1)",
            "Moves the tail element of a list to the head of another, waiting for one if the source is empty.",
        ),
    Command::new("blmpop", -5, blocking::blmpop)
        .flags(flag::WRITE | flag::BLOCKING)
        .acl(LIST)
        .keys(0, 0, 0, BLMPOP_KEYS)
        .doc(
            Group::List,
            "7.0.0",
            "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
            "Pops elements from the first non-empty list among several keys, waiting for one if all are empty.",
        ),
];

/// The list a value holds, or WRONGTYPE.
fn as_list(value: &Value) -> Result<&List, CmdError> {
    match value {
        Value::List(l) => Ok(l),
        _ => Err(CmdError::WRONG_TYPE),
    }
}

fn as_list_mut(value: &mut Value) -> Result<&mut List, CmdError> {
    match value {
        Value::List(l) => Ok(l),
        _ => Err(CmdError::WRONG_TYPE),
    }
}

/// Looks up a list for reading (lookupKeyRead + checkType): `Ok(None)`
/// when the key is missing, WRONGTYPE when it holds another type.
pub fn read_list<'a>(
    db: &'a mut Db,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a List>, CmdError> {
    db.get(key, now_ms).map(|o| as_list(&o.value)).transpose()
}

/// Looks up a list for changing it (lookupKeyWrite + checkType).
pub fn write_list<'a>(
    db: &'a mut Db,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a mut List>, CmdError> {
    db.get_mut(key, now_ms)
        .map(|o| as_list_mut(&mut o.value))
        .transpose()
}

/// Replies with one element as a bulk string.
pub fn reply_entry(reply: &mut ReplyBuffer, entry: Entry<'_>) {
    match entry {
        Entry::Str(s) => reply.bulk(s),
        Entry::Int(n) => reply.bulk_int(n),
        Entry::Float(_) => {
            let mut buf = [0u8; 32];
            reply.bulk(entry.as_bytes(&mut buf));
        }
    }
}

/// LEFT or RIGHT (Redis's getListPositionFromObjectOrReply).
fn parse_end(arg: &[u8]) -> Result<End, CmdError> {
    if is(arg, "right") {
        Ok(End::Tail)
    } else if is(arg, "left") {
        Ok(End::Head)
    } else {
        Err(CmdError::SYNTAX)
    }
}

/// A count or similar that must be a non-negative integer, with the
/// command's own message for anything else, as Redis's
/// getPositiveLongFromObjectOrReply gives it.
fn parse_non_negative(arg: &[u8], msg: &'static str) -> Result<i64, CmdError> {
    match crate::util::parse_i64(arg) {
        Some(n) if n >= 0 => Ok(n),
        _ => Err(CmdError::text(msg)),
    }
}

/// The events of elements taken from one end of a list (Redis's
/// listElementsRemoved): the pop, then `del` when the list went away.
fn popped_events(ctx: &mut super::Ctx, key: &[u8], end: End) {
    use super::keyevents::class;
    let event = match end {
        End::Head => "lpop",
        End::Tail => "rpop",
    };
    ctx.key_changed(class::LIST, event, key);
    if ctx.db().find(key).is_none() {
        ctx.notify(class::GENERIC, "del", key);
    }
}

/// The events of an element pushed to one end of a list.
fn pushed_events(ctx: &mut super::Ctx, key: &[u8], end: End) {
    let event = match end {
        End::Head => "lpush",
        End::Tail => "rpush",
    };
    ctx.key_changed(super::keyevents::class::LIST, event, key);
}

/// LMOVE's reply and events in Redis's order: the push onto the
/// destination, the element, then the pop from the source and its
/// deletion if it emptied.
fn reply_moved(ctx: &mut super::Ctx, element: &[u8], src: &[u8], dst: &[u8], from: End, to: End) {
    pushed_events(ctx, dst, to);
    ctx.reply.bulk(element);
    popped_events(ctx, src, from);
}
