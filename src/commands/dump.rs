//! DUMP and RESTORE: one value serialized as Redis 7.0 serializes it in
//! an RDB file, with the RDB version and a CRC64 as footer
//! (persistence::rdb does the encoding both ways).
//!
//! RESTORE checks what it can before touching the keyspace, in Redis's
//! order: the options, an existing key (unless REPLACE), the TTL, the
//! payload's footer, then the payload itself. A payload that fails to
//! decode in any way is "Bad data format", never a crash.

use super::keyevents::class;
use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::Object;
use crate::persistence::rdb;
use bytes::Bytes;

const BAD_TTL: CmdError = CmdError::text("ERR Invalid TTL value, must be >= 0");
const BAD_IDLETIME: CmdError = CmdError::text("ERR Invalid IDLETIME value, must be >= 0");
const BAD_FREQ: CmdError = CmdError::text("ERR Invalid FREQ value, must be >= 0 and <= 255");
const BUSY_KEY: CmdError = CmdError::text("BUSYKEY Target key name already exists.");
const BAD_PAYLOAD: CmdError = CmdError::text("ERR DUMP payload version or checksum are wrong");
const BAD_DATA: CmdError = CmdError::text("ERR Bad data format");

pub static COMMANDS: &[Command] = &[
    Command::new("dump", 2, dump)
        .flags(flag::READONLY)
        .acl(acl::KEYSPACE | acl::READ | acl::SLOW)
        .keys(1, 1, 1, &[KeySpec::range(&["RO", "access"], 1, 0, 1)])
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Generic,
            "2.6.0",
            "O(1) to find the key, plus the size of the value to serialize it.",
            "Serializes the value of a key in the RDB format.",
        ),
    Command::new("restore", -4, restore)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(acl::KEYSPACE | acl::WRITE | acl::SLOW | acl::DANGEROUS)
        .keys(1, 1, 1, &[KeySpec::range(&["OW", "update"], 1, 0, 1)])
        .doc(
            Group::Generic,
            "2.6.0",
            "O(1) to create the key, plus the size of the value to rebuild it (times log N for a large sorted set).",
            "Creates a key from a value serialized by DUMP.",
        ),
];

fn compression(ctx: &Ctx) -> bool {
    ctx.engine.config.rdbcompression
}

/// DUMP key: the payload, or nil for a missing key (a read lookup).
fn dump(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let compress = compression(ctx);
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    match db.get(&args[1], now) {
        Some(obj) => reply.bulk(&rdb::dump_payload(&obj.value, compress)),
        None => reply.null(),
    }
    Ok(())
}

/// RESTORE's options after the payload.
#[derive(Default)]
struct Options {
    replace: bool,
    absttl: bool,
    idle: Option<i64>,
    freq: Option<u8>,
}

fn parse_options(args: &[Bytes]) -> Result<Options, CmdError> {
    let mut o = Options::default();
    let mut j = 4;
    while let Some(arg) = args.get(j) {
        let next = args.get(j + 1);
        if is(arg, "replace") {
            o.replace = true;
        } else if is(arg, "absttl") {
            o.absttl = true;
        } else if let (true, Some(v), None) = (is(arg, "idletime"), next, o.freq) {
            let idle = arg_i64(v)?;
            if idle < 0 {
                return Err(BAD_IDLETIME);
            }
            o.idle = Some(idle);
            j += 1;
        } else if let (true, Some(v), None) = (is(arg, "freq"), next, o.idle) {
            let freq = arg_i64(v)?;
            o.freq = Some(u8::try_from(freq).map_err(|_| BAD_FREQ)?);
            j += 1;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    Ok(o)
}

/// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f].
fn restore(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (key, payload) = (&args[1], &args[3]);
    let o = parse_options(args)?;
    let now = ctx.now_ms;
    if !o.replace && ctx.db().get_mut(key, now).is_some() {
        return Err(BUSY_KEY);
    }
    let ttl = arg_i64(&args[2])?;
    if ttl < 0 {
        return Err(BAD_TTL);
    }
    if !rdb::verify_payload(payload) {
        return Err(BAD_PAYLOAD);
    }
    let limits = rdb::Limits::from_config(&ctx.engine.config);
    let value = match rdb::restore_payload(payload, &limits) {
        Ok(Some(v)) => v,
        Ok(None) | Err(_) => return Err(BAD_DATA),
    };
    let deleted = o.replace && ctx.db().discard(key, crate::db::Deletion::ServerDel);
    // A relative TTL is added to now in 64-bit arithmetic that wraps in
    // Redis, so a huge one lands in the past.
    let when = match (ttl, o.absttl) {
        (0, _) => None,
        (t, true) => Some(t),
        (t, false) => Some(t.wrapping_add(now)),
    };
    // A time already past creates nothing, except while an AOF loads
    // (Redis's checkAlreadyExpired).
    if when.is_some_and(|w| w <= now) && !ctx.engine.loading {
        if deleted {
            ctx.dirty(1);
            ctx.key_changed(class::GENERIC, "del", key);
            if ctx.propagating() {
                ctx.propagate_as(vec![Bytes::from_static(b"DEL"), key.clone()]);
            }
        }
        ctx.reply.ok();
        return Ok(());
    }
    let policy = ctx.engine.keyspace.access_policy();
    let db = ctx.db();
    db.add(key, Object::new(value, now));
    if let Some(when) = when {
        db.set_expire(key, when);
    }
    if let Some(clock) = policy.clock_from_hint(o.idle, o.freq, now)
        && let Some(obj) = db.find_mut(key)
    {
        obj.set_clock(clock);
    }
    ctx.dirty(1);
    ctx.key_changed(class::GENERIC, "restore", key);
    ctx.reply.ok();
    // A relative TTL is logged as the absolute time it gave.
    if let Some(when) = when.filter(|_| !o.absttl && ctx.propagating()) {
        let mut logged = args.to_vec();
        logged[2] = Bytes::from(when.to_string());
        logged.push(Bytes::from_static(b"ABSTTL"));
        ctx.propagate_as(logged);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
