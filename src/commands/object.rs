//! OBJECT: how a key's value is stored and used (encoding, sharing,
//! access clock), and the access policy those answers depend on.

use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, Engine};
use crate::config::Config;
use crate::db::access::{SHARED_INTEGERS, lfu_counter};
use crate::db::value::flags;
use crate::db::{AccessClock, AccessPolicy, Object, Str, Value};
use bytes::Bytes;

const INSPECT_KEY: &[KeySpec] = &[KeySpec::range(&["RO"], 2, 0, 1)];
const INSPECT_ACL: u32 = acl::KEYSPACE | acl::READ | acl::SLOW;

static SUBCOMMANDS: &[Command] = &[
    Command::new("encoding", 3, object_encoding)
        .flags(flag::READONLY)
        .acl(INSPECT_ACL)
        .keys(2, 2, 1, INSPECT_KEY)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Generic,
            "2.2.3",
            "O(1)",
            "Tells how the value of a key is represented in memory.",
        ),
    Command::new("freq", 3, object_freq)
        .flags(flag::READONLY)
        .acl(INSPECT_ACL)
        .keys(2, 2, 1, INSPECT_KEY)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Generic,
            "4.0.0",
            "O(1)",
            "Reports the logarithmic access counter of a key under an LFU policy.",
        ),
    Command::new("help", 2, object_help)
        .flags(flag::LOADING | flag::STALE)
        .acl(acl::KEYSPACE | acl::SLOW)
        .doc(
            Group::Generic,
            "6.2.0",
            "O(1)",
            "Lists the OBJECT subcommands.",
        ),
    Command::new("idletime", 3, object_idletime)
        .flags(flag::READONLY)
        .acl(INSPECT_ACL)
        .keys(2, 2, 1, INSPECT_KEY)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Generic,
            "2.2.3",
            "O(1)",
            "Reports the seconds since a key was last accessed.",
        ),
    Command::new("refcount", 3, object_refcount)
        .flags(flag::READONLY)
        .acl(INSPECT_ACL)
        .keys(2, 2, 1, INSPECT_KEY)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Generic,
            "2.2.3",
            "O(1)",
            "Reports how many references share the value of a key.",
        ),
];

pub static COMMANDS: &[Command] = &[Command::container("object", -2, SUBCOMMANDS)
    .acl(acl::SLOW)
    .doc(
        Group::Generic,
        "2.2.3",
        "Depends on subcommand.",
        "A container for commands that inspect how values are stored.",
    )];

/// What Redis reports as the reference count of its shared objects
/// (OBJ_SHARED_REFCOUNT).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

const LFU_SELECTED: CmdError = CmdError::text(
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);
const LFU_NOT_SELECTED: CmdError = CmdError::text(
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);

/// The access policy the configuration asks for: an LFU clock for the
/// `*-lfu` policies, and no shared integers when a memory limit is set
/// with a policy that must tell keys apart (Redis's
/// MAXMEMORY_FLAG_NO_SHARED_INTEGERS).
pub fn access_policy(config: &Config) -> AccessPolicy {
    let policy = config.maxmemory_policy;
    let clock = if policy.ends_with("-lfu") {
        AccessClock::Lfu {
            log_factor: u32::try_from(config.lfu_log_factor).unwrap_or(0),
            decay_minutes: u32::try_from(config.lfu_decay_time).unwrap_or(0),
        }
    } else {
        AccessClock::Lru
    };
    let tracks_keys = policy.ends_with("-lfu") || policy.ends_with("-lru");
    AccessPolicy {
        clock,
        share_integers: config.maxmemory == 0 || !tracks_keys,
    }
}

/// Re-derives the keyspace's access policy (and which deletions free
/// lazily) if the configuration changed since it was last derived (at
/// start-up and after CONFIG SET).
pub fn sync_access_policy(engine: &mut Engine) {
    let generation = engine.config.generation();
    if engine.keyspace.access_generation != Some(generation) {
        let policy = access_policy(&engine.config);
        engine.keyspace.set_access_policy(policy);
        let c = &engine.config;
        engine
            .keyspace
            .set_lazyfree_policy(crate::db::lazyfree::Policy {
                user_del: c.lazyfree_lazy_user_del,
                server_del: c.lazyfree_lazy_server_del,
                expire: c.lazyfree_lazy_expire,
                eviction: c.lazyfree_lazy_eviction,
            });
        engine.keyspace.access_generation = Some(generation);
    }
}

/// OBJECT's lookup: no access-clock update, hits and misses counted, no
/// keymiss event (Redis's LOOKUP_NOTOUCH | LOOKUP_NONOTIFY).
fn lookup<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Option<&'a Object> {
    let now = ctx.now_ms;
    ctx.db().get_notouch_nonotify(key, now)
}

/// OBJECT's nil for a missing key, after the expiry its lookup published.
fn missing(ctx: &mut Ctx) {
    ctx.flush_key_events();
    ctx.reply.null();
}

fn object_encoding(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    match lookup(ctx, &args[2]).map(Object::encoding) {
        Some(encoding) => ctx.reply.bulk(encoding.as_bytes()),
        None => missing(ctx),
    }
    Ok(())
}

/// Shared small integers report INT_MAX; every other value has exactly
/// one owner, its key.
fn refcount(obj: &Object) -> i64 {
    match obj.value {
        Value::Str(Str::Int(n))
            if (0..SHARED_INTEGERS).contains(&n) && !obj.has_flag(flags::UNSHARED) =>
        {
            SHARED_REFCOUNT
        }
        _ => 1,
    }
}

fn object_refcount(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    match lookup(ctx, &args[2]).map(refcount) {
        Some(n) => ctx.reply.int(n),
        None => missing(ctx),
    }
    Ok(())
}

fn object_idletime(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let lfu = matches!(
        ctx.engine.keyspace.access_policy().clock,
        AccessClock::Lfu { .. }
    );
    match lookup(ctx, &args[2]).map(|obj| obj.idle_ms(now) / 1000) {
        None => missing(ctx),
        // The key is looked up first: a missing key is nil under any policy.
        Some(_) if lfu => return Err(LFU_SELECTED),
        Some(idle) => ctx.reply.int(idle),
    }
    Ok(())
}

fn object_freq(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let clock = ctx.engine.keyspace.access_policy().clock;
    let AccessClock::Lfu { decay_minutes, .. } = clock else {
        match lookup(ctx, &args[2]) {
            None => missing(ctx),
            Some(_) => return Err(LFU_NOT_SELECTED),
        }
        return Ok(());
    };
    match lookup(ctx, &args[2]).map(|obj| lfu_counter(obj.clock(), decay_minutes, now)) {
        None => missing(ctx),
        Some(freq) => ctx.reply.int(i64::from(freq)),
    }
    Ok(())
}

fn object_help(ctx: &mut Ctx, _args: &[Bytes]) -> CmdResult {
    super::server::reply_help(
        ctx,
        "OBJECT",
        &[
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Session;

    const LFU_ON: &str = "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";
    const LFU_OFF: &str = "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";

    #[test]
    fn help_and_errors() {
        let mut s = Session::new();
        assert_eq!(
            s.call(&["object", "help"]),
            "*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n\
             +ENCODING <key>\r\n\
             +    Return the kind of internal representation used in order to store the value\r\n\
             +    associated with a <key>.\r\n\
             +FREQ <key>\r\n\
             +    Return the access frequency index of the <key>. The returned integer is\r\n\
             +    proportional to the logarithm of the recent access frequency of the key.\r\n\
             +IDLETIME <key>\r\n\
             +    Return the idle time of the <key>, that is the approximated number of\r\n\
             +    seconds elapsed since the last access to the key.\r\n\
             +REFCOUNT <key>\r\n\
             +    Return the number of references of the value associated with the specified\r\n\
             +    <key>.\r\n\
             +HELP\r\n\
             +    Prints this help.\r\n"
        );
        s.expect(&[
            (
                &["object", "HELP", "x"],
                "-ERR wrong number of arguments for 'object|help' command\r\n",
            ),
            (
                &["object", "foo"],
                "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n",
            ),
            (
                &["object"],
                "-ERR wrong number of arguments for 'object' command\r\n",
            ),
            (
                &["object", "refcount"],
                "-ERR wrong number of arguments for 'object|refcount' command\r\n",
            ),
            (
                &["object", "encoding", "k", "x"],
                "-ERR wrong number of arguments for 'object|encoding' command\r\n",
            ),
        ]);
        assert_eq!(
            s.run_args(&[b"object", b"foo\0bar"]),
            b"-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n"
        );
    }

    #[test]
    fn missing_keys_are_nil_before_policy_errors() {
        let mut s = Session::new();
        for sub in ["encoding", "freq", "refcount", "idletime"] {
            assert_eq!(s.call(&["object", sub, "nokey"]), "$-1\r\n", "{sub}");
        }
        s.expect(&[
            (&["set", "k", "v"], "+OK\r\n"),
            (&["object", "Encoding", "k"], "$6\r\nembstr\r\n"),
            (&["object", "refcount", "k"], ":1\r\n"),
            (&["object", "idletime", "k"], ":0\r\n"),
            (&["object", "freq", "k"], LFU_OFF),
            (
                &["config", "set", "maxmemory-policy", "allkeys-lfu"],
                "+OK\r\n",
            ),
            (&["object", "idletime", "k"], LFU_ON),
            (&["object", "idletime", "nokey"], "$-1\r\n"),
            (&["object", "freq", "nokey"], "$-1\r\n"),
        ]);
    }

    #[test]
    fn refcount_of_shared_integers() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "z", "0"], "+OK\r\n"),
            (&["object", "refcount", "z"], ":2147483647\r\n"),
            (&["set", "m", "9999"], "+OK\r\n"),
            (&["object", "refcount", "m"], ":2147483647\r\n"),
            (&["set", "m2", "10000"], "+OK\r\n"),
            (&["object", "refcount", "m2"], ":1\r\n"),
            (&["object", "encoding", "m2"], "$3\r\nint\r\n"),
            (&["set", "neg", "-1"], "+OK\r\n"),
            (&["object", "refcount", "neg"], ":1\r\n"),
            (&["set", "lz", "01"], "+OK\r\n"),
            (&["object", "refcount", "lz"], ":1\r\n"),
            // INCR leaves the shared object behind a result below 10,000.
            (&["set", "a", "5"], "+OK\r\n"),
            (&["incr", "a"], ":6\r\n"),
            (&["object", "refcount", "a"], ":2147483647\r\n"),
            (&["set", "b", "20000"], "+OK\r\n"),
            (&["incr", "b"], ":20001\r\n"),
            (&["object", "refcount", "b"], ":1\r\n"),
            (&["incrby", "b", "-15000"], ":5001\r\n"),
            (&["object", "refcount", "b"], ":2147483647\r\n"),
            (&["object", "encoding", "lz"], "$6\r\nembstr\r\n"),
            // A policy alone does not stop sharing; with a memory limit,
            // an LRU or LFU policy does, for values created from then on.
            (
                &["config", "set", "maxmemory-policy", "allkeys-lru"],
                "+OK\r\n",
            ),
            (&["set", "j", "7"], "+OK\r\n"),
            (&["object", "refcount", "j"], ":2147483647\r\n"),
            (&["config", "set", "maxmemory", "100mb"], "+OK\r\n"),
            (&["set", "j", "5"], "+OK\r\n"),
            (&["object", "refcount", "j"], ":1\r\n"),
            (&["object", "encoding", "j"], "$3\r\nint\r\n"),
            (&["object", "refcount", "z"], ":2147483647\r\n"),
            (
                &["config", "set", "maxmemory-policy", "volatile-ttl"],
                "+OK\r\n",
            ),
            (&["set", "j2", "6"], "+OK\r\n"),
            (&["object", "refcount", "j2"], ":2147483647\r\n"),
            (
                &["config", "set", "maxmemory-policy", "allkeys-lfu"],
                "+OK\r\n",
            ),
            (&["set", "j3", "6"], "+OK\r\n"),
            (&["object", "refcount", "j3"], ":1\r\n"),
        ]);
    }

    /// Commands that put a new value under the key (INCRBYFLOAT, APPEND,
    /// INCR) keep the counter their own lookup just raised.
    #[test]
    fn rewritten_values_keep_the_key_counter() {
        let mut s = Session::new();
        s.expect(&[
            (&["config", "set", "lfu-log-factor", "0"], "+OK\r\n"),
            (
                &["config", "set", "maxmemory-policy", "allkeys-lfu"],
                "+OK\r\n",
            ),
            (&["set", "k", "12345"], "+OK\r\n"),
            (&["object", "freq", "k"], ":5\r\n"),
            (&["get", "k"], "$5\r\n12345\r\n"),
            (&["incrbyfloat", "k", "1"], "$5\r\n12346\r\n"),
            (&["object", "freq", "k"], ":7\r\n"),
            (&["set", "a", "12345"], "+OK\r\n"),
            (&["get", "a"], "$5\r\n12345\r\n"),
            (&["append", "a", "x"], ":6\r\n"),
            (&["object", "freq", "a"], ":7\r\n"),
            (&["set", "n", "12345"], "+OK\r\n"),
            (&["incr", "n"], ":12346\r\n"),
            (&["object", "freq", "n"], ":6\r\n"),
        ]);
    }

    /// With lfu-log-factor 0 every access increments the counter, so the
    /// LFU data is deterministic; these are Redis 7.0.15's replies.
    #[test]
    fn lfu_counter_follows_lookups() {
        let mut s = Session::new();
        s.expect(&[
            (&["config", "set", "lfu-log-factor", "0"], "+OK\r\n"),
            (
                &["config", "set", "maxmemory-policy", "allkeys-lfu"],
                "+OK\r\n",
            ),
            (&["set", "k", "v"], "+OK\r\n"),
            (&["object", "freq", "k"], ":5\r\n"),
            (&["get", "k"], "$1\r\nv\r\n"),
            (&["get", "k"], "$1\r\nv\r\n"),
            (&["get", "k"], "$1\r\nv\r\n"),
            (&["object", "freq", "k"], ":8\r\n"),
            // RENAME and MOVE carry the counter (after their own access);
            // COPY's new value starts over.
            (&["rename", "k", "k2"], "+OK\r\n"),
            (&["object", "freq", "k2"], ":9\r\n"),
            (&["copy", "k2", "k3"], ":1\r\n"),
            (&["object", "freq", "k3"], ":5\r\n"),
            (&["object", "freq", "k2"], ":10\r\n"),
            (&["move", "k2", "1"], ":1\r\n"),
            (&["select", "1"], "+OK\r\n"),
            (&["object", "freq", "k2"], ":11\r\n"),
            // An overwrite keeps the key's counter.
            (&["set", "k2", "new"], "+OK\r\n"),
            (&["object", "freq", "k2"], ":12\r\n"),
            // Inspecting does not count as an access; TOUCH does.
            (&["exists", "k2"], ":1\r\n"),
            (&["type", "k2"], "+string\r\n"),
            (&["ttl", "k2"], ":-1\r\n"),
            (
                &["scan", "0", "type", "string"],
                "*2\r\n$1\r\n0\r\n*1\r\n$2\r\nk2\r\n",
            ),
            (&["object", "freq", "k2"], ":12\r\n"),
            (&["touch", "k2"], ":1\r\n"),
            (&["object", "freq", "k2"], ":13\r\n"),
            (&["expire", "k2", "100"], ":1\r\n"),
            (&["persist", "k2"], ":1\r\n"),
            (&["object", "freq", "k2"], ":15\r\n"),
        ]);
    }
}
