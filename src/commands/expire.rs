//! Key expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX,
//! XX, GT, LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.
//!
//! Times are kept as absolute Unix milliseconds. Unlike SET's EX/PX, the
//! EXPIRE family accepts zero and negative times: a time already past
//! deletes the key on the spot (and still replies 1), as Redis does.

use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use bytes::Bytes;

const SET_ACL: u32 = acl::KEYSPACE | acl::WRITE | acl::FAST;
const SET_KEY: &[KeySpec] = &[KeySpec::range(&["RW", "update"], 1, 0, 1)];
const GET_ACL: u32 = acl::KEYSPACE | acl::READ | acl::FAST;
const GET_KEY: &[KeySpec] = &[KeySpec::range(&["RO", "access"], 1, 0, 1)];

/// An expire-setting command's table entry.
const fn setter(
    name: &'static str,
    handler: super::table::Handler,
    since: &'static str,
    summary: &'static str,
) -> Command {
    Command::new(name, -3, handler)
        .flags(flag::WRITE | flag::FAST)
        .acl(SET_ACL)
        .keys(1, 1, 1, SET_KEY)
        .doc(Group::Generic, since, "O(1)", summary)
}

/// A TTL-reading command's table entry; the relative ones depend on the
/// clock, hence their nondeterministic tip.
const fn getter(
    name: &'static str,
    handler: super::table::Handler,
    since: &'static str,
    tips: &'static [&'static str],
    summary: &'static str,
) -> Command {
    Command::new(name, 2, handler)
        .flags(flag::READONLY | flag::FAST)
        .acl(GET_ACL)
        .keys(1, 1, 1, GET_KEY)
        .tips(tips)
        .doc(Group::Generic, since, "O(1)", summary)
}

const CLOCK_TIPS: &[&str] = &["nondeterministic_output"];

pub static COMMANDS: &[Command] = &[
    setter(
        "expire",
        expire,
        "1.0.0",
        "Makes a key expire after a number of seconds.",
    ),
    setter(
        "pexpire",
        pexpire,
        "2.6.0",
        "Makes a key expire after a number of milliseconds.",
    ),
    setter(
        "expireat",
        expireat,
        "1.2.0",
        "Makes a key expire at a Unix time in seconds.",
    ),
    setter(
        "pexpireat",
        pexpireat,
        "2.6.0",
        "Makes a key expire at a Unix time in milliseconds.",
    ),
    getter(
        "ttl",
        ttl,
        "1.0.0",
        CLOCK_TIPS,
        "Reports the seconds a key has left to live.",
    ),
    getter(
        "pttl",
        pttl,
        "2.6.0",
        CLOCK_TIPS,
        "Reports the milliseconds a key has left to live.",
    ),
    getter(
        "expiretime",
        expiretime,
        "7.0.0",
        &[],
        "Reports the Unix time in seconds at which a key expires.",
    ),
    getter(
        "pexpiretime",
        pexpiretime,
        "7.0.0",
        &[],
        "Reports the Unix time in milliseconds at which a key expires.",
    ),
    Command::new("persist", 2, persist)
        .flags(flag::WRITE | flag::FAST)
        .acl(SET_ACL)
        .keys(1, 1, 1, SET_KEY)
        .doc(
            Group::Generic,
            "2.2.0",
            "O(1)",
            "Removes a key's expire time so it lives until deleted.",
        ),
];

fn expire(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_expire(ctx, args, 1000, true, "expire")
}

fn pexpire(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_expire(ctx, args, 1, true, "pexpire")
}

fn expireat(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_expire(ctx, args, 1000, false, "expireat")
}

fn pexpireat(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_expire(ctx, args, 1, false, "pexpireat")
}

/// The condition an EXPIRE option puts on the key's current expire time.
#[derive(Clone, Copy, Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

impl Conditions {
    /// Reads the options after the time, rejecting unknown words first and
    /// incompatible combinations after, in Redis's order.
    fn parse(opts: &[Bytes]) -> Result<Conditions, CmdError> {
        let mut c = Conditions::default();
        for opt in opts {
            let flag = match () {
                _ if is(opt, "nx") => &mut c.nx,
                _ if is(opt, "xx") => &mut c.xx,
                _ if is(opt, "gt") => &mut c.gt,
                _ if is(opt, "lt") => &mut c.lt,
                _ => {
                    return Err(CmdError::quoting("ERR Unsupported option ", opt, ""));
                }
            };
            *flag = true;
        }
        if c.nx && (c.xx || c.gt || c.lt) {
            return Err(CmdError::text(
                "ERR NX and XX, GT or LT options at the same time are not compatible",
            ));
        }
        if c.gt && c.lt {
            return Err(CmdError::text(
                "ERR GT and LT options at the same time are not compatible",
            ));
        }
        Ok(c)
    }

    /// Whether the new time may replace `current` (None: no expire time,
    /// which GT and LT treat as an infinite TTL).
    fn allow(self, when: i64, current: Option<i64>) -> bool {
        match current {
            None => !self.xx && !self.gt,
            Some(cur) => {
                let refused = self.nx || (self.gt && when <= cur) || (self.lt && when >= cur);
                !refused
            }
        }
    }
}

/// The EXPIRE family: `unit_ms` scales the argument, `relative` adds the
/// current time.
fn set_expire(ctx: &mut Ctx, args: &[Bytes], unit_ms: i64, relative: bool, cmd: &str) -> CmdResult {
    let conditions = Conditions::parse(&args[3..])?;
    let invalid = || CmdError::msg(format!("ERR invalid expire time in '{cmd}' command"));
    let basetime = if relative { ctx.now_ms } else { 0 };
    let when = arg_i64(&args[2])?
        .checked_mul(unit_ms)
        .ok_or_else(invalid)?;
    // Redis rejects only what would overflow upwards; a very negative time
    // simply lies in the past.
    if when > i64::MAX - basetime {
        return Err(invalid());
    }
    let when = when + basetime;

    let key = &args[1];
    let now = ctx.now_ms;
    let loading = ctx.engine.loading;
    let db = ctx.db();
    if db.get_mut(key, now).is_none() {
        ctx.flush_key_events();
        ctx.reply.int(0);
        return Ok(());
    }
    if !conditions.allow(when, db.expire_time(key)) {
        ctx.reply.int(0);
        return Ok(());
    }
    let class = crate::commands::keyevents::class::GENERIC;
    // Redis publishes a deletion before it replies, a new expire time
    // after. While an AOF loads, a time in the past is set like any other
    // (the keys must end as they were): Redis's checkAlreadyExpired.
    let deleted = when <= now && !loading;
    if deleted {
        db.discard(key, crate::db::Deletion::Expire);
        ctx.dirty(1);
        ctx.key_changed(class, "del", key);
        ctx.reply.int(1);
    } else {
        db.set_expire(key, when);
        ctx.dirty(1);
        ctx.reply.int(1);
        ctx.key_changed(class, "expire", key);
    }
    // Logged as the deletion it was, or with the absolute time in ms.
    if ctx.propagating() {
        if deleted {
            let name = del_or_unlink(ctx.engine.config.lazyfree_lazy_expire);
            ctx.propagate_as(vec![name, key.clone()]);
        } else if cmd != "pexpireat" {
            let mut logged = args.to_vec();
            logged[0] = Bytes::from_static(b"PEXPIREAT");
            logged[2] = Bytes::from(when.to_string());
            ctx.propagate_as(logged);
        }
    }
    Ok(())
}

/// DEL, or UNLINK when the lazyfree directive for this kind of deletion
/// is on: how Redis logs a deletion a command made.
pub fn del_or_unlink(lazy: bool) -> Bytes {
    if lazy {
        Bytes::from_static(b"UNLINK")
    } else {
        Bytes::from_static(b"DEL")
    }
}

/// What the TTL family reports.
#[derive(Clone, Copy)]
enum Report {
    Remaining { ms: bool },
    Deadline { ms: bool },
}

fn ttl(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    report_expire(ctx, &args[1], Report::Remaining { ms: false })
}

fn pttl(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    report_expire(ctx, &args[1], Report::Remaining { ms: true })
}

fn expiretime(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    report_expire(ctx, &args[1], Report::Deadline { ms: false })
}

fn pexpiretime(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    report_expire(ctx, &args[1], Report::Deadline { ms: true })
}

/// -2 for a missing key, -1 for a key without expire time, else the time
/// asked for, seconds rounded to the nearest (without overflow: Redis
/// reports 9223372036854776 for a deadline of i64::MAX ms).
fn report_expire(ctx: &mut Ctx, key: &[u8], report: Report) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    if db.get_notouch(key, now).is_none() {
        ctx.flush_key_events();
        ctx.reply.int(-2);
        return Ok(());
    }
    let Some(when) = db.expire_time(key) else {
        ctx.reply.int(-1);
        return Ok(());
    };
    let (ms, value) = match report {
        Report::Remaining { ms } => (ms, when.saturating_sub(now).max(0)),
        Report::Deadline { ms } => (ms, when.max(0)),
    };
    ctx.reply.int(if ms {
        value
    } else {
        ((i128::from(value) + 500) / 1000) as i64
    });
    Ok(())
}

fn persist(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[1];
    let now = ctx.now_ms;
    let db = ctx.db();
    let removed = db.get_mut(key, now).is_some() && db.persist(key);
    if removed {
        ctx.dirty(1);
        ctx.key_changed(crate::commands::keyevents::class::GENERIC, "persist", key);
    }
    ctx.flush_key_events();
    ctx.reply.int(i64::from(removed));
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Session;

    const NX_XX: &str = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
    const GT_LT: &str = "-ERR GT and LT options at the same time are not compatible\r\n";

    #[test]
    fn conditions_against_current_ttl() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "k", "v"], "+OK\r\n"),
            // GT never beats "no TTL" (infinite); LT always does.
            (&["expire", "k", "100", "gt"], ":0\r\n"),
            (&["ttl", "k"], ":-1\r\n"),
            (&["expire", "k", "100", "xx"], ":0\r\n"),
            (&["expire", "k", "100", "lt"], ":1\r\n"),
            (&["ttl", "k"], ":100\r\n"),
            (&["expire", "k", "100", "nx"], ":0\r\n"),
            (&["expire", "k", "200", "xx"], ":1\r\n"),
            (&["expire", "k", "50", "gt"], ":0\r\n"),
            (&["expire", "k", "500", "gt"], ":1\r\n"),
            (&["ttl", "k"], ":500\r\n"),
            (&["expire", "k", "50", "lt"], ":1\r\n"),
            (&["expire", "k", "5000", "lt"], ":0\r\n"),
            (&["ttl", "k"], ":50\r\n"),
            (&["expire", "k", "1", "xx", "gt"], ":0\r\n"),
            (&["expire", "k", "1", "nx", "nx"], ":0\r\n"),
            (&["expire", "nokey", "100"], ":0\r\n"),
            (&["expire", "nokey", "-100"], ":0\r\n"),
        ]);
    }

    #[test]
    fn option_errors_in_redis_order() {
        let mut s = Session::new();
        s.call(&["set", "k", "v"]);
        s.expect(&[
            (&["expire", "k", "1", "nx", "xx"], NX_XX),
            (&["expire", "k", "1", "nx", "gt"], NX_XX),
            (&["expire", "k", "10", "NX", "LT"], NX_XX),
            (&["expire", "k", "1", "gt", "lt"], GT_LT),
            (&["expire", "k", "1", "lt", "xx", "gt"], GT_LT),
            (
                &["expire", "k", "1", "foo"],
                "-ERR Unsupported option foo\r\n",
            ),
            (
                &["expire", "k", "1", "Nx", "bar"],
                "-ERR Unsupported option bar\r\n",
            ),
            // Options are checked before the time is parsed.
            (
                &["expire", "k", "abc", "foo"],
                "-ERR Unsupported option foo\r\n",
            ),
            (
                &["expire", "k", "abc"],
                "-ERR value is not an integer or out of range\r\n",
            ),
            (
                &["expire", "k", "1", "a\r\nb"],
                "-ERR Unsupported option a  b\r\n",
            ),
            (
                &["expire", "k"],
                "-ERR wrong number of arguments for 'expire' command\r\n",
            ),
            (
                &["pexpireat", "k"],
                "-ERR wrong number of arguments for 'pexpireat' command\r\n",
            ),
            (&["ttl", "k"], ":-1\r\n"),
        ]);
        // A keyword stops at a NUL, as Redis's strcasecmp; the error text too.
        assert_eq!(
            s.run_args(&[b"expire", b"k", b"100", b"NX\0junk"]),
            b":1\r\n"
        );
        assert_eq!(
            s.run_args(&[b"expire", b"k", b"1", b"foo\0bar"]),
            b"-ERR Unsupported option foo\r\n"
        );
    }

    #[test]
    fn overflow_and_past_times() {
        let mut s = Session::new();
        let invalid = |cmd: &str| format!("-ERR invalid expire time in '{cmd}' command\r\n");
        s.call(&["set", "k", "v"]);
        for t in [
            "9223372036854775807",
            "9223372036854775",
            "-9223372036854776",
        ] {
            assert_eq!(s.call(&["expire", "k", t]), invalid("expire"));
        }
        assert_eq!(
            s.call(&["expire", "k", "-9223372036854775808", "gt"]),
            invalid("expire")
        );
        assert_eq!(
            s.call(&["pexpire", "k", "9223372036854775807"]),
            invalid("pexpire")
        );
        assert_eq!(
            s.call(&["pexpire", "k", "9223372036853775807"]),
            invalid("pexpire")
        );
        assert_eq!(
            s.call(&["expireat", "k", "9223372036854775807"]),
            invalid("expireat")
        );
        assert_eq!(s.call(&["exists", "k"]), ":1\r\n");
        // A time in the past (zero and negative included) deletes the key.
        for (cmd, t) in [
            ("expire", "-9223372036854775"),
            ("expire", "-1"),
            ("expire", "0"),
            ("pexpire", "-9223372036854775808"),
            ("expireat", "-5"),
            ("pexpireat", "0"),
        ] {
            s.call(&["set", "k", "v"]);
            assert_eq!(s.call(&[cmd, "k", t]), ":1\r\n", "{cmd} {t}");
            assert_eq!(s.call(&["exists", "k"]), ":0\r\n");
        }
        // ... unless a condition refuses it first.
        s.call(&["set", "k", "v"]);
        s.expect(&[
            (&["expire", "k", "-10", "xx"], ":0\r\n"),
            (&["expire", "k", "-10", "gt", "xx"], ":0\r\n"),
            (&["pexpire", "k", "100000"], ":1\r\n"),
            (&["expire", "k", "-1", "gt"], ":0\r\n"),
            (&["expire", "k", "-1", "lt"], ":1\r\n"),
            (&["exists", "k"], ":0\r\n"),
        ]);
    }

    #[test]
    fn absolute_times_and_rounding() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "k", "v"], "+OK\r\n"),
            (&["expiretime", "k"], ":-1\r\n"),
            (&["pexpiretime", "k"], ":-1\r\n"),
            (&["expiretime", "nokey"], ":-2\r\n"),
            (&["pexpiretime", "nokey"], ":-2\r\n"),
            (&["ttl", "nokey"], ":-2\r\n"),
            (&["pttl", "nokey"], ":-2\r\n"),
            (&["expireat", "k", "4000000000"], ":1\r\n"),
            (&["expiretime", "k"], ":4000000000\r\n"),
            (&["pexpiretime", "k"], ":4000000000000\r\n"),
            (&["pexpireat", "k", "4000000000499"], ":1\r\n"),
            (&["expiretime", "k"], ":4000000000\r\n"),
            (&["pexpireat", "k", "4000000000500"], ":1\r\n"),
            (&["expiretime", "k"], ":4000000001\r\n"),
            (&["expireat", "k", "4000000000", "gt"], ":0\r\n"),
            (&["expireat", "k", "4000000002", "gt"], ":1\r\n"),
            (&["pexpireat", "k", "9223372036854775807"], ":1\r\n"),
            (&["pexpiretime", "k"], ":9223372036854775807\r\n"),
            (&["expiretime", "k"], ":9223372036854776\r\n"),
            (&["expireat", "k", "9223372036854774"], ":1\r\n"),
            (&["pexpiretime", "k"], ":9223372036854774000\r\n"),
            (&["expiretime", "k"], ":9223372036854774\r\n"),
        ]);
    }

    #[test]
    fn persist_and_lazy_expiry() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "k", "v"], "+OK\r\n"),
            (&["persist", "k"], ":0\r\n"),
            (&["expire", "k", "100"], ":1\r\n"),
            (&["persist", "k"], ":1\r\n"),
            (&["persist", "k"], ":0\r\n"),
            (&["ttl", "k"], ":-1\r\n"),
            (&["persist", "nokey"], ":0\r\n"),
        ]);
        for cmd in ["ttl", "pttl", "expiretime", "pexpiretime"] {
            s.call(&["set", "k", "v"]);
            s.make_expired(0, "k");
            assert_eq!(s.call(&[cmd, "k"]), ":-2\r\n");
        }
        for args in [&["expire", "k", "100"][..], &["persist", "k"]] {
            s.call(&["set", "k", "v"]);
            s.make_expired(0, "k");
            assert_eq!(s.call(args), ":0\r\n");
            assert_eq!(s.db(0).len(), 0);
        }
    }

    #[test]
    fn dirty_and_lookup_statistics() {
        let mut s = Session::new();
        s.call(&["set", "a", "1"]);
        let dirty = s.engine.dirty;
        s.call(&["expire", "a", "100"]);
        s.call(&["expire", "a", "100", "nx"]);
        s.call(&["persist", "a"]);
        s.call(&["persist", "a"]);
        s.call(&["expire", "a", "-1"]);
        s.call(&["expire", "zz", "1"]);
        assert_eq!(s.engine.dirty - dirty, 3);
        // The setters look keys up for writing (no hit/miss), the getters
        // for reading without touching (hit/miss counted).
        assert_eq!(s.hits_misses(), (0, 0));
        s.call(&["set", "a", "1"]);
        s.call(&["ttl", "a"]);
        s.call(&["pttl", "zz"]);
        s.call(&["expiretime", "a"]);
        s.call(&["pexpiretime", "zz"]);
        assert_eq!(s.hits_misses(), (2, 2));
    }
}
