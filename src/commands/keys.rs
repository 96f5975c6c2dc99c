//! Generic key commands: DEL, UNLINK, EXISTS, TOUCH, TYPE, RANDOMKEY,
//! RENAME, RENAMENX, COPY and MOVE. They work on keys whatever their
//! type; expiry lives in expire.rs, iteration in scan.rs, OBJECT in
//! object.rs.
//!
//! Which lookup each command makes matters beyond its reply: Redis's
//! lookupKeyRead counts a keyspace hit or miss and refreshes the access
//! clock, lookupKeyWrite only refreshes the clock, and the NOTOUCH lookups
//! (EXISTS, TYPE) count without refreshing. INFO's keyspace_hits/misses
//! and OBJECT IDLETIME show the difference, so each command below uses
//! the one Redis uses.

use super::keyevents::class;
use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::value::flags;
use crate::db::{Deletion, Object, Str, Value};
use bytes::Bytes;

const MULTI_KEY_TIPS: &[&str] = &["request_policy:multi_shard", "response_policy:agg_sum"];

pub static COMMANDS: &[Command] = &[
    Command::new("del", -2, del)
        .flags(flag::WRITE)
        .acl(acl::KEYSPACE | acl::WRITE | acl::SLOW)
        .keys(1, -1, 1, &[KeySpec::range(&["RM", "delete"], 1, -1, 1)])
        .tips(MULTI_KEY_TIPS)
        .doc(
            Group::Generic,
            "1.0.0",
            "O(N) for N keys; deleting a collection also costs O(M) in its M elements.",
            "Deletes keys and reports how many existed.",
        ),
    Command::new("unlink", -2, unlink)
        .flags(flag::WRITE | flag::FAST)
        .acl(acl::KEYSPACE | acl::WRITE | acl::FAST)
        .keys(1, -1, 1, &[KeySpec::range(&["RM", "delete"], 1, -1, 1)])
        .tips(MULTI_KEY_TIPS)
        .doc(
            Group::Generic,
            "4.0.0",
            "O(1) per key removed; memory can be reclaimed later.",
            "Deletes keys like DEL, allowed to free their memory later.",
        ),
    Command::new("exists", -2, exists)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::KEYSPACE | acl::READ | acl::FAST)
        .keys(1, -1, 1, &[KeySpec::range(&["RO"], 1, -1, 1)])
        .tips(MULTI_KEY_TIPS)
        .doc(
            Group::Generic,
            "1.0.0",
            "O(N) where N is the number of keys given.",
            "Counts how many of the given keys exist.",
        ),
    Command::new("touch", -2, touch)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::KEYSPACE | acl::READ | acl::FAST)
        .keys(1, -1, 1, &[KeySpec::range(&["RO"], 1, -1, 1)])
        .tips(MULTI_KEY_TIPS)
        .doc(
            Group::Generic,
            "3.2.1",
            "O(N) where N is the number of keys given.",
            "Marks keys as just accessed and counts those that exist.",
        ),
    Command::new("type", 2, type_cmd)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::KEYSPACE | acl::READ | acl::FAST)
        .keys(1, 1, 1, &[KeySpec::range(&["RO"], 1, 0, 1)])
        .doc(
            Group::Generic,
            "1.0.0",
            "O(1)",
            "Names the type of the value held by a key.",
        ),
    Command::new("randomkey", 1, randomkey)
        .flags(flag::READONLY)
        .acl(acl::KEYSPACE | acl::READ | acl::SLOW)
        .tips(&["request_policy:all_shards", "nondeterministic_output"])
        .doc(
            Group::Generic,
            "1.0.0",
            "O(1)",
            "Picks a key of the database at random.",
        ),
    Command::new("rename", 3, rename)
        .flags(flag::WRITE)
        .acl(acl::KEYSPACE | acl::WRITE | acl::SLOW)
        .keys(
            1,
            2,
            1,
            &[
                KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
                KeySpec::range(&["OW", "update"], 2, 0, 1),
            ],
        )
        .doc(
            Group::Generic,
            "1.0.0",
            "O(1)",
            "Gives a key a new name, replacing any key of that name.",
        ),
    Command::new("renamenx", 3, renamenx)
        .flags(flag::WRITE | flag::FAST)
        .acl(acl::KEYSPACE | acl::WRITE | acl::FAST)
        .keys(
            1,
            2,
            1,
            &[
                KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
                KeySpec::range(&["OW", "insert"], 2, 0, 1),
            ],
        )
        .doc(
            Group::Generic,
            "1.0.0",
            "O(1)",
            "Gives a key a new name unless that name is taken.",
        ),
    Command::new("copy", -3, copy)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(acl::KEYSPACE | acl::WRITE | acl::SLOW)
        .keys(
            1,
            2,
            1,
            &[
                KeySpec::range(&["RO", "access"], 1, 0, 1),
                KeySpec::range(&["OW", "update"], 2, 0, 1),
            ],
        )
        .doc(
            Group::Generic,
            "6.2.0",
            "O(1) for strings; O(N) in the elements of a collection.",
            "Duplicates a key's value under another name, optionally in another database.",
        ),
    Command::new("move", 3, move_cmd)
        .flags(flag::WRITE | flag::FAST)
        .acl(acl::KEYSPACE | acl::WRITE | acl::FAST)
        .keys(
            1,
            1,
            1,
            &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
        )
        .doc(
            Group::Generic,
            "1.0.0",
            "O(1)",
            "Moves a key to another database unless it exists there.",
        ),
];

const SAME_OBJECT: CmdError = CmdError::text("ERR source and destination objects are the same");

/// DEL frees on the lazyfree thread too under lazyfree-lazy-user-del.
fn del(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    delete_keys(ctx, &args[1..], Deletion::UserDel)
}

/// UNLINK: the keys are gone at once, big values are freed on the
/// lazyfree thread (db::lazyfree).
fn unlink(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    delete_keys(ctx, &args[1..], Deletion::Unlink)
}

/// DEL and UNLINK: an expired key is expired (not counted as deleted), a
/// repeated key is deleted once.
fn delete_keys(ctx: &mut Ctx, keys: &[Bytes], why: Deletion) -> CmdResult {
    let now = ctx.now_ms;
    let mut deleted = 0;
    for key in keys {
        if ctx.db().delete_for(key, now, why) {
            deleted += 1;
            ctx.key_changed(class::GENERIC, "del", key);
        }
    }
    ctx.dirty(deleted);
    ctx.flush_key_events();
    ctx.reply.int(deleted as i64);
    Ok(())
}

/// Every repetition of a key counts, as in Redis.
fn exists(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    let found = args[1..]
        .iter()
        .filter(|key| db.get_notouch(key, now).is_some())
        .count();
    ctx.flush_key_events();
    ctx.reply.int(found as i64);
    Ok(())
}

fn touch(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    let found = args[1..]
        .iter()
        .filter(|key| db.get(key, now).is_some())
        .count();
    ctx.flush_key_events();
    ctx.reply.int(found as i64);
    Ok(())
}

/// The name TYPE (and SCAN's TYPE filter) gives a key's value.
pub fn type_name(obj: Option<&Object>) -> &'static str {
    obj.map_or("none", |o| o.value.type_name())
}

fn type_cmd(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let name = type_name(ctx.db().get_notouch(&args[1], now));
    ctx.flush_key_events();
    ctx.reply.simple(name);
    Ok(())
}

fn randomkey(ctx: &mut Ctx, _args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let idx = ctx.client.db;
    let engine = &mut *ctx.engine;
    let key = engine.keyspace.dbs[idx].random_key(now, &mut engine.rng);
    // The expiries of the keys it met on the way come first.
    ctx.flush_key_events();
    match key {
        Some(key) => ctx.reply.bulk(key.as_bytes()),
        None => ctx.reply.null(),
    }
    Ok(())
}

fn rename(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    if rename_key(ctx, &args[1], &args[2], false)? {
        ctx.reply.ok();
    }
    Ok(())
}

fn renamenx(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let renamed = rename_key(ctx, &args[1], &args[2], true)?;
    ctx.flush_key_events();
    ctx.reply.int(i64::from(renamed));
    Ok(())
}

/// RENAME and RENAMENX: the value moves as is (encoding, access clock)
/// and takes its expire time along, replacing the destination and the
/// destination's own expire time. Returns whether the key was renamed;
/// renaming a key to itself succeeds for RENAME and not for RENAMENX.
fn rename_key(ctx: &mut Ctx, from: &[u8], to: &[u8], nx: bool) -> Result<bool, CmdError> {
    let now = ctx.now_ms;
    let db = ctx.db();
    if db.get_mut(from, now).is_none() {
        return Err(CmdError::NO_SUCH_KEY);
    }
    if from == to {
        return Ok(!nx);
    }
    let expire = db.expire_time(from);
    if db.get_mut(to, now).is_some() {
        if nx {
            return Ok(false);
        }
        db.discard(to, crate::db::Deletion::ServerDel);
    }
    let Some(obj) = db.remove(from) else {
        return Err(CmdError::NO_SUCH_KEY);
    };
    db.add_moved(to, obj);
    if let Some(when) = expire {
        db.set_expire(to, when);
    }
    ctx.dirty(1);
    ctx.signal_modified(from);
    ctx.signal_modified(to);
    ctx.notify(class::GENERIC, "rename_from", from);
    ctx.notify(class::GENERIC, "rename_to", to);
    Ok(true)
}

/// A database number argument: an int (Redis's getIntFromObjectOrReply)
/// naming one of the configured databases.
fn parse_db_index(ctx: &Ctx, arg: &[u8]) -> Result<usize, CmdError> {
    let n = arg_i64(arg)?;
    if i32::try_from(n).is_err() {
        return Err(CmdError::text(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        ));
    }
    usize::try_from(n)
        .ok()
        .filter(|&i| i < ctx.engine.keyspace.dbs.len())
        .ok_or(CmdError::DB_INDEX)
}

fn move_cmd(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[1];
    let src = ctx.client.db;
    let dst = parse_db_index(ctx, &args[2])?;
    if dst == src {
        return Err(SAME_OBJECT);
    }
    let now = ctx.now_ms;
    let dbs = &mut ctx.engine.keyspace.dbs;
    if dbs[src].get_mut(key, now).is_none() || dbs[dst].get_mut(key, now).is_some() {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    }
    let expire = dbs[src].expire_time(key);
    let Some(obj) = dbs[src].remove(key) else {
        ctx.reply.int(0);
        return Ok(());
    };
    dbs[dst].add_moved(key, obj);
    if let Some(when) = expire {
        dbs[dst].set_expire(key, when);
    }
    ctx.dirty(1);
    ctx.signal_modified_in(src, key);
    ctx.signal_modified_in(dst, key);
    ctx.notify_in(src, class::GENERIC, "move_from", key);
    ctx.notify_in(dst, class::GENERIC, "move_to", key);
    ctx.reply.int(1);
    Ok(())
}

/// A new value equal to `obj`'s, as Redis's per-type duplication makes
/// for COPY: same encoding, a fresh access clock, and never one of the
/// shared integers.
fn duplicate(obj: &Object, now_ms: i64) -> Object {
    // Collections copy deeply; their encodings come along unchanged.
    let mut copy = Object::new(obj.value.clone(), now_ms);
    copy.set_flag(flags::RAW, obj.has_flag(flags::RAW));
    copy.set_flag(
        flags::UNSHARED,
        matches!(copy.value, Value::Str(Str::Int(_))),
    );
    copy
}

fn copy(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (key, newkey) = (&args[1], &args[2]);
    let src = ctx.client.db;
    let mut dst = src;
    let mut replace = false;
    let mut j = 3;
    while j < args.len() {
        if is(&args[j], "replace") {
            replace = true;
        } else if is(&args[j], "db") && j + 1 < args.len() {
            dst = parse_db_index(ctx, &args[j + 1])?;
            j += 1;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    if src == dst && key == newkey {
        return Err(SAME_OBJECT);
    }
    let now = ctx.now_ms;
    let dbs = &mut ctx.engine.keyspace.dbs;
    if dbs[src].get(key, now).is_none() {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    }
    let expire = dbs[src].expire_time(key);
    if dbs[dst].get_mut(newkey, now).is_some() {
        if !replace {
            ctx.flush_key_events();
            ctx.reply.int(0);
            return Ok(());
        }
        dbs[dst].discard(newkey, crate::db::Deletion::ServerDel);
    }
    // Looked up a moment ago at the same `now`, so still there.
    let Some(value) = dbs[src].peek(key, now).map(|obj| duplicate(obj, now)) else {
        ctx.reply.int(0);
        return Ok(());
    };
    dbs[dst].add(newkey, value);
    if let Some(when) = expire {
        dbs[dst].set_expire(newkey, when);
    }
    ctx.dirty(1);
    ctx.key_changed_in(dst, class::GENERIC, "copy_to", newkey);
    ctx.reply.int(1);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Session;
    use crate::db::value::flags;

    const SAME: &str = "-ERR source and destination objects are the same\r\n";
    const DB_RANGE: &str = "-ERR DB index is out of range\r\n";
    const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";
    const INT_RANGE: &str =
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n";

    #[test]
    fn delete_exists_touch_type() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "a", "1"], "+OK\r\n"),
            (&["set", "b", "2"], "+OK\r\n"),
            (&["del", "a", "b", "a", "zz"], ":2\r\n"),
            (&["del", "a"], ":0\r\n"),
            (&["set", "a", "1"], "+OK\r\n"),
            (&["unlink", "a", "a", "b"], ":1\r\n"),
            (&["exists", "a"], ":0\r\n"),
            (&["set", "a", "1"], "+OK\r\n"),
            // Repeated keys count each time.
            (&["exists", "a", "a", "zz", "a"], ":3\r\n"),
            (&["touch", "a", "zz", "a"], ":2\r\n"),
            (&["type", "a"], "+string\r\n"),
            (&["type", "zz"], "+none\r\n"),
            (&["set", "", "e"], "+OK\r\n"),
            (&["type", ""], "+string\r\n"),
            (&["exists", ""], ":1\r\n"),
            (&["del", ""], ":1\r\n"),
            (
                &["del"],
                "-ERR wrong number of arguments for 'del' command\r\n",
            ),
            (
                &["unlink"],
                "-ERR wrong number of arguments for 'unlink' command\r\n",
            ),
            (
                &["exists"],
                "-ERR wrong number of arguments for 'exists' command\r\n",
            ),
            (
                &["touch"],
                "-ERR wrong number of arguments for 'touch' command\r\n",
            ),
            (
                &["type", "a", "b"],
                "-ERR wrong number of arguments for 'type' command\r\n",
            ),
        ]);
    }

    #[test]
    fn expired_keys_are_absent_to_every_command() {
        let mut s = Session::new();
        for (args, want) in [
            (&["del", "x"][..], ":0\r\n"),
            (&["unlink", "x"], ":0\r\n"),
            (&["exists", "x"], ":0\r\n"),
            (&["touch", "x"], ":0\r\n"),
            (&["type", "x"], "+none\r\n"),
            (&["randomkey"], "$-1\r\n"),
            (&["rename", "x", "y"], "-ERR no such key\r\n"),
            (&["renamenx", "x", "y"], "-ERR no such key\r\n"),
            (&["move", "x", "1"], ":0\r\n"),
            (&["copy", "x", "y"], ":0\r\n"),
        ] {
            s.call(&["set", "x", "1"]);
            s.make_expired(0, "x");
            let expired = s.db(0).stats.expired;
            assert_eq!(s.call(args), want, "{args:?}");
            assert_eq!(s.db(0).len(), 0, "{args:?} expires the key");
            assert_eq!(s.db(0).stats.expired, expired + 1);
        }
        // An expired destination is no obstacle.
        s.call(&["set", "a", "1"]);
        s.call(&["set", "b", "x"]);
        s.make_expired(0, "b");
        assert_eq!(s.call(&["renamenx", "a", "b"]), ":1\r\n");
        assert_eq!(s.call(&["get", "b"]), "$1\r\n1\r\n");
        s.call(&["set", "x", "1"]);
        s.make_expired(0, "x");
        assert_eq!(s.call(&["copy", "b", "x"]), ":1\r\n");
    }

    #[test]
    fn randomkey() {
        let mut s = Session::new();
        assert_eq!(s.call(&["randomkey"]), "$-1\r\n");
        s.call(&["set", "a", "1"]);
        assert_eq!(s.call(&["randomkey"]), "$1\r\na\r\n");
        // A database of expired keys ends up empty instead of spinning.
        for i in 0..50 {
            let k = format!("k{i}");
            s.call(&["set", &k, "v"]);
            s.make_expired(0, &k);
        }
        s.make_expired(0, "a");
        assert_eq!(s.call(&["randomkey"]), "$-1\r\n");
        assert_eq!(s.db(0).len(), 0);
        assert_eq!(
            s.call(&["randomkey", "x"]),
            "-ERR wrong number of arguments for 'randomkey' command\r\n"
        );
    }

    #[test]
    fn rename_and_renamenx() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "a", "1"], "+OK\r\n"),
            (&["rename", "zz", "zz"], "-ERR no such key\r\n"),
            (&["renamenx", "zz", "zz"], "-ERR no such key\r\n"),
            (&["rename", "a", "a"], "+OK\r\n"),
            (&["renamenx", "a", "a"], ":0\r\n"),
            (&["rename", "a", "b"], "+OK\r\n"),
            (&["get", "b"], "$1\r\n1\r\n"),
            (&["exists", "a"], ":0\r\n"),
            (&["set", "c", "3"], "+OK\r\n"),
            (&["renamenx", "b", "c"], ":0\r\n"),
            (&["rename", "b", "c"], "+OK\r\n"),
            (&["get", "c"], "$1\r\n1\r\n"),
            (&["exists", "b"], ":0\r\n"),
            // The source's TTL (or lack of one) replaces the destination's.
            (&["set", "a", "1"], "+OK\r\n"),
            (&["expire", "a", "100"], ":1\r\n"),
            (&["rename", "a", "c"], "+OK\r\n"),
            (&["ttl", "c"], ":100\r\n"),
            (&["set", "d", "4"], "+OK\r\n"),
            (&["rename", "d", "c"], "+OK\r\n"),
            (&["ttl", "c"], ":-1\r\n"),
            (&["expire", "c", "100"], ":1\r\n"),
            (&["renamenx", "c", "f"], ":1\r\n"),
            (&["ttl", "f"], ":100\r\n"),
            (&["ttl", "c"], ":-2\r\n"),
            (
                &["rename", "a"],
                "-ERR wrong number of arguments for 'rename' command\r\n",
            ),
            (
                &["renamenx", "a", "b", "c"],
                "-ERR wrong number of arguments for 'renamenx' command\r\n",
            ),
        ]);
        assert_eq!(s.db(0).expires_len(), 1);
    }

    #[test]
    fn move_between_databases() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "a", "1"], "+OK\r\n"),
            (&["move", "a", "x"], NOT_INT),
            (&["move", "a", " 1"], NOT_INT),
            (&["move", "a", "16"], DB_RANGE),
            (&["move", "a", "-1"], DB_RANGE),
            (&["move", "a", "4294967296"], INT_RANGE),
            (&["move", "a", "-2147483649"], INT_RANGE),
            (&["move", "a", "0"], SAME),
            (&["move", "zz", "0"], SAME),
            (&["move", "zz", "1"], ":0\r\n"),
            (&["expire", "a", "100"], ":1\r\n"),
            (&["move", "a", "1"], ":1\r\n"),
            (&["exists", "a"], ":0\r\n"),
            (&["select", "1"], "+OK\r\n"),
            (&["get", "a"], "$1\r\n1\r\n"),
            (&["ttl", "a"], ":100\r\n"),
            (&["select", "0"], "+OK\r\n"),
            (&["set", "a", "mine"], "+OK\r\n"),
            (&["move", "a", "1"], ":0\r\n"),
            (&["get", "a"], "$4\r\nmine\r\n"),
            (
                &["move", "a"],
                "-ERR wrong number of arguments for 'move' command\r\n",
            ),
        ]);
        assert_eq!(s.db(1).expires_len(), 1);
        assert_eq!(s.db(0).expires_len(), 0);
    }

    #[test]
    fn copy_options_and_errors() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "a", "1"], "+OK\r\n"),
            (&["copy", "a", "b", "db"], "-ERR syntax error\r\n"),
            (&["copy", "a", "b", "db", "x"], NOT_INT),
            (&["copy", "a", "b", "db", "16"], DB_RANGE),
            (&["copy", "a", "b", "db", "-1"], DB_RANGE),
            (&["copy", "a", "b", "db", "99999999999"], INT_RANGE),
            (&["copy", "a", "b", "foo"], "-ERR syntax error\r\n"),
            (
                &["copy", "a", "b", "db", "1", "foo"],
                "-ERR syntax error\r\n",
            ),
            (&["copy", "a", "a"], SAME),
            (&["copy", "a", "a", "db", "0"], SAME),
            (&["copy", "zz", "zz"], SAME),
            (&["copy", "zz", "b"], ":0\r\n"),
            (&["copy", "a", "a", "db", "1"], ":1\r\n"),
            (&["copy", "a", "a", "db", "1"], ":0\r\n"),
            (&["copy", "a", "b", "replace", "replace"], ":1\r\n"),
            (&["copy", "a", "b"], ":0\r\n"),
            (
                &["copy", "a", "b", "REPLACE", "DB", "1", "db", "2"],
                ":1\r\n",
            ),
            (&["select", "2"], "+OK\r\n"),
            (&["get", "b"], "$1\r\n1\r\n"),
            (&["select", "0"], "+OK\r\n"),
            (
                &["copy", "a"],
                "-ERR wrong number of arguments for 'copy' command\r\n",
            ),
        ]);
    }

    #[test]
    fn copy_keeps_ttl_and_encoding() {
        let mut s = Session::new();
        let long = "x".repeat(50);
        let huge = "z".repeat(70_000);
        s.expect(&[
            (&["set", "a", "hello"], "+OK\r\n"),
            (&["expire", "a", "100"], ":1\r\n"),
            (&["copy", "a", "b"], ":1\r\n"),
            (&["ttl", "b"], ":100\r\n"),
            (&["set", "c", "x"], "+OK\r\n"),
            (&["expire", "c", "50"], ":1\r\n"),
            (&["persist", "a"], ":1\r\n"),
            (&["copy", "a", "c", "replace"], ":1\r\n"),
            (&["ttl", "c"], ":-1\r\n"),
            (&["set", "n", "123"], "+OK\r\n"),
            (&["copy", "n", "n2"], ":1\r\n"),
            (&["object", "encoding", "n2"], "$3\r\nint\r\n"),
            // A copied small integer is a value of its own, not the shared one.
            (&["object", "refcount", "n2"], ":1\r\n"),
            (&["object", "refcount", "n"], ":2147483647\r\n"),
            (&["set", "e", &long[..44]], "+OK\r\n"),
            (&["copy", "e", "e2"], ":1\r\n"),
            (&["object", "encoding", "e2"], "$6\r\nembstr\r\n"),
            (&["set", "l", &long], "+OK\r\n"),
            (&["copy", "l", "l2"], ":1\r\n"),
            (&["object", "encoding", "l2"], "$3\r\nraw\r\n"),
            (&["set", "h", &huge], "+OK\r\n"),
            (&["copy", "h", "h2"], ":1\r\n"),
            (&["object", "encoding", "h2"], "$3\r\nraw\r\n"),
        ]);
        assert_eq!(s.call(&["get", "h2"]), format!("$70000\r\n{huge}\r\n"));
        assert_eq!(s.db(0).expires_len(), 1, "only b keeps a TTL");
        // A string edited in place stays `raw` through COPY and RENAME.
        s.call(&["set", "r", "abc"]);
        let now = crate::util::now_ms();
        if let Some(obj) = s.db(0).get_mut(b"r", now) {
            obj.set_flag(flags::RAW, true);
        }
        s.expect(&[
            (&["object", "encoding", "r"], "$3\r\nraw\r\n"),
            (&["copy", "r", "r2"], ":1\r\n"),
            (&["object", "encoding", "r2"], "$3\r\nraw\r\n"),
            (&["rename", "r2", "r3"], "+OK\r\n"),
            (&["object", "encoding", "r3"], "$3\r\nraw\r\n"),
        ]);
    }

    #[test]
    fn moved_values_keep_sharing() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "n", "123"], "+OK\r\n"),
            (&["rename", "n", "n3"], "+OK\r\n"),
            (&["object", "refcount", "n3"], ":2147483647\r\n"),
            (&["move", "n3", "3"], ":1\r\n"),
            (&["select", "3"], "+OK\r\n"),
            (&["object", "refcount", "n3"], ":2147483647\r\n"),
        ]);
        let long_ago = crate::util::now_ms() - 3_600_000;
        s.call(&["set", "old", "v"]);
        if let Some(obj) = s.db(3).get_mut(b"old", long_ago) {
            obj.touch(long_ago);
        }
        assert_eq!(s.call(&["object", "idletime", "old"]), ":3600\r\n");
        // Renaming looks the key up for writing, which counts as an access.
        assert_eq!(s.call(&["rename", "old", "new"]), "+OK\r\n");
        assert_eq!(s.call(&["object", "idletime", "new"]), ":0\r\n");
    }

    /// keyspace_hits/misses after each command, as INFO on Redis 7.0.15
    /// reports them for the same sequence.
    #[test]
    fn lookup_statistics_match_redis() {
        let mut s = Session::new();
        let script: &[(&[&str], (u64, u64))] = &[
            (&["set", "a", "1"], (0, 0)),
            (&["set", "b", "2"], (0, 0)),
            (&["copy", "a", "c"], (1, 0)),
            (&["copy", "zz", "c"], (1, 1)),
            (&["copy", "a", "b"], (2, 1)),
            (&["copy", "a", "b", "replace"], (3, 1)),
            (&["type", "a"], (4, 1)),
            (&["type", "zz"], (4, 2)),
            (&["exists", "a", "zz", "a"], (6, 3)),
            (&["touch", "a", "zz", "a"], (8, 4)),
            (&["object", "encoding", "a"], (9, 4)),
            (&["object", "encoding", "zz"], (9, 5)),
            (&["rename", "a", "d"], (9, 5)),
            (&["renamenx", "d", "e"], (9, 5)),
            (&["move", "e", "1"], (9, 5)),
            (&["del", "b", "zz"], (9, 5)),
            (&["keys", "*"], (9, 5)),
            (&["randomkey"], (9, 5)),
        ];
        for (args, want) in script {
            s.call(args);
            assert_eq!(s.hits_misses(), *want, "after {args:?}");
        }
    }

    /// rdb_changes_since_last_save after each command on Redis 7.0.15.
    #[test]
    fn dirty_counts_match_redis() {
        let mut s = Session::new();
        let script: &[(&[&str], u64)] = &[
            (&["set", "a", "1"], 1),
            (&["set", "b", "1"], 2),
            (&["del", "a", "b", "a", "zz"], 4),
            (&["set", "a", "1"], 5),
            (&["rename", "a", "a"], 5),
            (&["rename", "a", "b"], 6),
            (&["renamenx", "b", "b"], 6),
            (&["copy", "b", "c"], 7),
            (&["move", "c", "2"], 8),
            (&["touch", "b"], 8),
            (&["unlink", "b", "c"], 9),
        ];
        for (args, want) in script {
            s.call(args);
            assert_eq!(s.engine.dirty, *want, "after {args:?}");
        }
    }
}
