//! Stream commands: the table of the stream family and the helpers its
//! handlers share. The handlers live in submodules along the lines of
//! Redis's t_stream.c:
//! - `add`: XADD, XTRIM, XDEL, XLEN, XRANGE/XREVRANGE, XSETID;
//! - `read`: XREAD and XREADGROUP, which may block (BlockKind::Stream);
//! - `groups`: XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM;
//! - `info`: XINFO.

mod add;
mod groups;
mod info;
mod log;
mod read;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_groups;

pub use read::can_serve;

use super::table::{BeginSearch, Command, FindKeys, Group, KeySpec, acl, flag};
use super::{CmdError, Ctx};
use crate::db::listpack::Entry;
use crate::db::stream::{NodeLimits, Stream, StreamId, id};
use crate::db::{Db, Value};
use crate::protocol::ReplyBuffer;

const STREAM: u32 = acl::STREAM;

const fn key_at(index: i32, flags: &'static [&'static str]) -> KeySpec {
    KeySpec::range(flags, index, 0, 1)
}

const RW_UPDATE: &[KeySpec] = &[key_at(1, &["RW", "update"])];
const RW_DELETE: &[KeySpec] = &[key_at(1, &["RW", "delete"])];
const RO: &[KeySpec] = &[key_at(1, &["RO"])];
const RO_ACCESS: &[KeySpec] = &[key_at(1, &["RO", "access"])];
const XADD_KEY: &[KeySpec] = &[KeySpec {
    notes: Some("UPDATE instead of INSERT because of the optional trimming feature"),
    flags: &["RW", "update"],
    begin: BeginSearch::Index(1),
    find: FindKeys::Range {
        lastkey: 0,
        step: 1,
        limit: 0,
    },
}];
/// XREAD and XREADGROUP: the keys are the first half of what follows
/// STREAMS.
const fn after_streams(startfrom: i32) -> [KeySpec; 1] {
    [KeySpec {
        notes: None,
        flags: &["RO", "access"],
        begin: BeginSearch::Keyword {
            keyword: "STREAMS",
            startfrom,
        },
        find: FindKeys::Range {
            lastkey: -1,
            step: 1,
            limit: 2,
        },
    }]
}
const XREAD_KEYS: &[KeySpec] = &after_streams(1);
const XREADGROUP_KEYS: &[KeySpec] = &after_streams(4);
const ND: &[&str] = &["nondeterministic_output"];

static XGROUP_SUBCOMMANDS: &[Command] = &[
    Command::new("create", -5, groups::xgroup_create)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RW", "insert"])])
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Makes a consumer group on a stream.",
        ),
    Command::new("createconsumer", 5, groups::xgroup_createconsumer)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RW", "insert"])])
        .doc(
            Group::Stream,
            "6.2.0",
            "O(1)",
            "Adds a consumer to a consumer group.",
        ),
    Command::new("delconsumer", 5, groups::xgroup_delconsumer)
        .flags(flag::WRITE)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RW", "delete"])])
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Removes a consumer, and its pending entries, from a group.",
        ),
    Command::new("destroy", 4, groups::xgroup_destroy)
        .flags(flag::WRITE)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RW", "delete"])])
        .doc(
            Group::Stream,
            "5.0.0",
            "O(N) where N is the number of entries in the group's pending entries list (PEL).",
            "Removes a consumer group from a stream.",
        ),
    Command::new("help", 2, groups::xgroup_help)
        .flags(flag::LOADING | flag::STALE)
        .acl(STREAM)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Lists the XGROUP subcommands.",
        ),
    Command::new("setid", -5, groups::xgroup_setid)
        .flags(flag::WRITE)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RW", "update"])])
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Moves a consumer group's last delivered ID.",
        ),
];

static XINFO_SUBCOMMANDS: &[Command] = &[
    Command::new("consumers", 4, info::xinfo_consumers)
        .flags(flag::READONLY)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RO", "access"])])
        .tips(ND)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Lists the consumers of a group.",
        ),
    Command::new("groups", 3, info::xinfo_groups)
        .flags(flag::READONLY)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RO", "access"])])
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Lists the consumer groups of a stream.",
        ),
    Command::new("help", 2, info::xinfo_help)
        .flags(flag::LOADING | flag::STALE)
        .acl(STREAM)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Lists the XINFO subcommands.",
        ),
    Command::new("stream", -3, info::xinfo_stream)
        .flags(flag::READONLY)
        .acl(STREAM)
        .keys(2, 2, 1, &[key_at(2, &["RO", "access"])])
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1), or O(N) with FULL",
            "Describes a stream: its length, IDs and groups.",
        ),
];

pub static COMMANDS: &[Command] = &[
    Command::new("xadd", -5, add::xadd)
        .flags(flag::WRITE | flag::DENYOOM | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, XADD_KEY)
        .tips(ND)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1) when adding, O(N) for the entries trimmed",
            "Appends an entry to a stream, creating it if needed.",
        ),
    Command::new("xlen", 2, add::xlen)
        .flags(flag::READONLY | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, RO)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Returns the number of entries in a stream.",
        ),
    Command::new("xrange", -4, add::xrange)
        .flags(flag::READONLY)
        .acl(STREAM)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(N) with N the entries returned",
            "Returns the entries of a stream between two IDs.",
        ),
    Command::new("xrevrange", -4, add::xrevrange)
        .flags(flag::READONLY)
        .acl(STREAM)
        .keys(1, 1, 1, RO_ACCESS)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(N) with N the entries returned",
            "Returns the entries of a stream between two IDs, newest first.",
        ),
    Command::new("xdel", -3, add::xdel)
        .flags(flag::WRITE | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, RW_DELETE)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1) for each ID",
            "Deletes entries from a stream by ID.",
        ),
    Command::new("xtrim", -4, add::xtrim)
        .flags(flag::WRITE)
        .acl(STREAM)
        .keys(1, 1, 1, RW_DELETE)
        .tips(ND)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(N) with N the entries removed",
            "Removes the oldest entries of a stream.",
        ),
    Command::new("xsetid", -3, add::xsetid)
        .flags(flag::WRITE | flag::DENYOOM | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, RW_UPDATE)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1)",
            "Sets a stream's last ID and its bookkeeping counters.",
        ),
    Command::new("xread", -4, read::xread)
        .flags(flag::READONLY | flag::BLOCKING | flag::MOVABLEKEYS)
        .acl(STREAM)
        .keys(0, 0, 0, XREAD_KEYS)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(N) with N the entries returned",
            "Reads entries newer than given IDs from streams, waiting if asked.",
        ),
    Command::new("xreadgroup", -7, read::xreadgroup)
        .flags(flag::WRITE | flag::BLOCKING | flag::MOVABLEKEYS)
        .acl(STREAM)
        .keys(0, 0, 0, XREADGROUP_KEYS)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(M) with M the entries returned",
            "Reads entries for a consumer of a group, waiting if asked.",
        ),
    Command::new("xack", -4, groups::xack)
        .flags(flag::WRITE | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, RW_UPDATE)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(1) for each ID",
            "Acknowledges entries a group delivered.",
        ),
    Command::new("xpending", -3, groups::xpending)
        .flags(flag::READONLY)
        .acl(STREAM)
        .keys(1, 1, 1, RO_ACCESS)
        .tips(ND)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(N) with N the entries returned",
            "Inspects the entries a group delivered but nobody acknowledged.",
        ),
    Command::new("xclaim", -6, groups::xclaim)
        .flags(flag::WRITE | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, RW_UPDATE)
        .tips(ND)
        .doc(
            Group::Stream,
            "5.0.0",
            "O(log N) for each ID",
            "Moves pending entries to another consumer.",
        ),
    Command::new("xautoclaim", -6, groups::xautoclaim)
        .flags(flag::WRITE | flag::FAST)
        .acl(STREAM)
        .keys(1, 1, 1, RW_DELETE)
        .tips(ND)
        .doc(
            Group::Stream,
            "6.2.0",
            "O(1) per entry looked at",
            "Moves pending entries idle long enough to another consumer, cursor by cursor.",
        ),
    Command::container("xgroup", -2, XGROUP_SUBCOMMANDS)
        .acl(acl::SLOW)
        .doc(
            Group::Stream,
            "5.0.0",
            "Depends on subcommand.",
            "A container for the consumer group commands.",
        ),
    Command::container("xinfo", -2, XINFO_SUBCOMMANDS)
        .acl(acl::SLOW)
        .doc(
            Group::Stream,
            "5.0.0",
            "Depends on subcommand.",
            "A container for the stream inspection commands.",
        ),
];

pub(super) const INVALID_ID: CmdError =
    CmdError::text("ERR Invalid stream ID specified as stream command argument");

/// An ID argument in the lenient form (`-` and `+` allowed).
fn parse_id(arg: &[u8], missing_seq: u64) -> Result<StreamId, CmdError> {
    id::parse(arg, missing_seq, false, false)
        .map(|p| p.id)
        .ok_or(INVALID_ID)
}

/// An ID argument in the strict form (no `-` or `+`).
fn parse_strict_id(arg: &[u8]) -> Result<StreamId, CmdError> {
    id::parse(arg, 0, true, false)
        .map(|p| p.id)
        .ok_or(INVALID_ID)
}

/// A range bound: `(` makes it exclusive (then strict), as Redis's
/// streamParseIntervalIDOrReply reads it when `allow_exclusive`.
fn parse_bound(
    arg: &[u8],
    missing_seq: u64,
    allow_exclusive: bool,
) -> Result<(StreamId, bool), CmdError> {
    if allow_exclusive && arg.len() > 1 && arg[0] == b'(' {
        return Ok((parse_strict_id(&arg[1..])?, true));
    }
    Ok((parse_id(arg, missing_seq)?, false))
}

/// The stream at `key` for reading, or None; WRONGTYPE for other types.
fn read_stream<'d>(
    db: &'d mut Db,
    key: &[u8],
    now: i64,
) -> Result<Option<&'d mut Stream>, CmdError> {
    match db.get(key, now).map(|o| &mut o.value) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WRONG_TYPE),
    }
}

/// The stream at `key` once more, for a command that already looked it up
/// for reading: Redis counts that lookup's hit or miss (INFO stats,
/// keymiss events) and no second one.
fn stream_again<'d>(
    db: &'d mut Db,
    key: &[u8],
    now: i64,
) -> Result<Option<&'d mut Stream>, CmdError> {
    write_stream(db, key, now)
}

/// The stream at `key` for writing, or None; WRONGTYPE for other types.
fn write_stream<'d>(
    db: &'d mut Db,
    key: &[u8],
    now: i64,
) -> Result<Option<&'d mut Stream>, CmdError> {
    match db.get_mut(key, now).map(|o| &mut o.value) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WRONG_TYPE),
    }
}

fn node_limits(ctx: &Ctx) -> NodeLimits {
    NodeLimits {
        entries: ctx.engine.config.stream_node_max_entries,
        bytes: ctx.engine.config.stream_node_max_bytes,
    }
}

fn reply_id(reply: &mut ReplyBuffer, id: StreamId) {
    let mut buf = [0u8; 41];
    reply.bulk(id.fmt_into(&mut buf));
}

fn reply_value(reply: &mut ReplyBuffer, e: &Entry) {
    match e {
        Entry::Int(n) => reply.bulk_int(*n),
        other => {
            let mut buf = [0u8; 32];
            reply.bulk(other.as_bytes(&mut buf));
        }
    }
}

/// One entry as Redis sends it: `[id, [field, value, ...]]`.
fn reply_entry(reply: &mut ReplyBuffer, id: StreamId, fields: &[Entry]) {
    reply.array(2);
    reply_id(reply, id);
    reply.array(fields.len());
    for f in fields {
        reply_value(reply, f);
    }
}

/// Entries `start..=end` (at most `count`, 0 = all) as an array; returns
/// the IDs sent. Reads twice (count, then send) so nothing is buffered.
fn reply_range(
    reply: &mut ReplyBuffer,
    s: &Stream,
    start: StreamId,
    end: StreamId,
    count: usize,
    rev: bool,
) -> Vec<StreamId> {
    let mut ids = Vec::new();
    s.range(start, end, rev, &mut |id, _| {
        ids.push(id);
        count == 0 || ids.len() < count
    });
    reply.array(ids.len());
    let mut n = 0;
    s.range(start, end, rev, &mut |id, fields| {
        reply_entry(reply, id, fields);
        n += 1;
        n < ids.len()
    });
    ids
}

/// Writes one entry by ID, or returns false when it is gone.
fn reply_one(reply: &mut ReplyBuffer, s: &Stream, id: StreamId) -> bool {
    let mut found = false;
    s.range(id, id, false, &mut |id, fields| {
        reply_entry(reply, id, fields);
        found = true;
        false
    });
    found
}

/// A name as C's `%s` prints it: up to the first NUL.
fn c_str(b: &[u8]) -> std::borrow::Cow<'_, str> {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end])
}
