//! DEBUG SLEEP, OBJECT, RELOAD, LOADAOF, SET-ACTIVE-EXPIRE and HELP. The dispatcher lets DEBUG
//! run only as enable-debug-command allows (see `Engine::check_command`).

use super::{CmdError, CmdResult, Ctx, c_str_prefix, is};
use crate::db::{Str, Value};
use bytes::Bytes;

pub fn debug(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    match args {
        [_, sub] if is(sub, "help") => {
            super::server::reply_help(
                ctx,
                "DEBUG",
                &[
                    "OBJECT <key>",
                    "    Show low level info about `key` and associated value.",
                    "LOADAOF",
                    "    Flush the AOF buffers on disk and reload the AOF in memory.",
                    "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
                    "    Save the RDB on disk and reload it back to memory.",
                    "SET-ACTIVE-EXPIRE <0|1>",
                    "    Setting it to 0 disables expiring keys in background when they are not",
                    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                    "    default.",
                    "SLEEP <seconds>",
                    "    Stop the server for <seconds>. Decimals allowed.",
                ],
            );
            Ok(())
        }
        [_, sub, secs] if is(sub, "sleep") => {
            sleep(secs);
            ctx.reply.ok();
            Ok(())
        }
        [_, sub, key] if is(sub, "object") => object(ctx, key),
        [_, sub, opts @ ..] if is(sub, "reload") => reload(ctx, opts),
        [_, sub, on] if is(sub, "set-active-expire") => {
            // atoi: anything that does not start with a non-zero number
            // turns it off.
            ctx.engine.active_expire = crate::util::parse_i64(on).is_some_and(|n| n != 0);
            ctx.reply.ok();
            Ok(())
        }
        [_, sub] if is(sub, "loadaof") => loadaof(ctx),
        _ => Err(CmdError(std::borrow::Cow::Owned(
            [
                &b"ERR unknown subcommand or wrong number of arguments for '"[..],
                c_str_prefix(&args[1], 128),
                b"'. Try ",
                &c_str_prefix(&args[0], usize::MAX).to_ascii_uppercase(),
                b" HELP.",
            ]
            .concat(),
        ))),
    }
}

/// DEBUG RELOAD: saves dump.rdb, empties the data set and loads the file
/// back (NOSAVE loads what is on disk; NOFLUSH loads over the data set;
/// MERGE lets the file's keys replace present ones, where otherwise a key
/// already present makes the load fail: Redis panics there). A missing
/// file is a failure too, as in Redis.
fn reload(ctx: &mut Ctx, opts: &[Bytes]) -> CmdResult {
    let (mut flush, mut save, mut merge) = (true, true, false);
    for o in opts {
        match () {
            _ if is(o, "merge") => merge = true,
            _ if is(o, "noflush") => flush = false,
            _ if is(o, "nosave") => save = false,
            _ => {
                return Err(CmdError::text(
                    "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
                ));
            }
        }
    }
    if save && !ctx.engine.save_rdb() {
        return Err(CmdError::text("ERR"));
    }
    if flush {
        for db in &mut ctx.engine.keyspace.dbs {
            db.clear();
        }
    }
    const LOAD_FAILED: &str = "ERR Error trying to load the RDB dump";
    match ctx.engine.load_rdb_with(merge) {
        Ok(crate::commands::persist::Loaded::NoFile) => return Err(CmdError::text(LOAD_FAILED)),
        Ok(_) => {}
        Err(e) => {
            log::warn!("{e}");
            return Err(CmdError::text(LOAD_FAILED));
        }
    }
    log::warn!("DB reloaded by DEBUG RELOAD");
    ctx.reply.ok();
    Ok(())
}

/// DEBUG LOADAOF: writes out the AOF buffer, empties the data set and
/// replays the AOF, as a restart would. A failed load exits, as in Redis.
fn loadaof(ctx: &mut Ctx) -> CmdResult {
    use crate::persistence::aof::AofState;
    if ctx.engine.aof.state == AofState::On {
        ctx.engine.flush_aof(true);
    }
    for db in &mut ctx.engine.keyspace.dbs {
        db.clear();
    }
    if let Err(lines) = ctx.engine.load_manifest_from_disk() {
        for line in lines {
            log::warn!("{line}");
        }
        std::process::exit(1);
    }
    ctx.engine.delete_history_files();
    let loaded = ctx.engine.load_append_only_files();
    use super::aof_load::AofLoad;
    if !matches!(loaded, AofLoad::Ok | AofLoad::Empty) {
        std::process::exit(1);
    }
    // What was just loaded must not count as changes to save or log.
    ctx.engine.dirty = 0;
    log::warn!("Append Only File loaded by DEBUG LOADAOF");
    ctx.reply.ok();
    Ok(())
}

/// Blocks the whole server, as Redis does: the point is to simulate a
/// slow command. The seconds are read as C's strtod reads them (a valid
/// prefix counts, garbage is 0) and turned into microseconds as a C cast
/// would: a value out of range or not a number sleeps not at all.
fn sleep(arg: &[u8]) {
    let secs = strtod_prefix(arg);
    let us = secs * 1_000_000.0;
    if us.is_finite() && us >= 1.0 && us < i64::MAX as f64 {
        std::thread::sleep(std::time::Duration::from_micros(us as u64));
    }
}

/// C's `strtod(s, NULL)`: leading spaces, then the longest prefix that
/// reads as a number (decimal, hex, inf, nan); 0 if there is none.
fn strtod_prefix(s: &[u8]) -> f64 {
    let start = s
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(s.len());
    let rest = &s[start..];
    // Try the longest candidate ending at each plausible boundary; strtod
    // syntax is short, so a bounded scan is enough.
    let limit = rest.len().min(512);
    (1..=limit)
        .rev()
        .find_map(|n| crate::util::float::parse_f64(&rest[..n]))
        .unwrap_or(0.0)
}

/// DEBUG OBJECT <key>: the value's low-level facts, in Redis's layout.
fn object(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
    let now = ctx.now_ms;
    let obj = ctx.db().peek(key, now).ok_or(CmdError::NO_SUCH_KEY)?;
    // Redis shares the objects of small integers; they show its "shared"
    // reference count.
    let refcount: i64 = match &obj.value {
        Value::Str(Str::Int(n)) if (0..10_000).contains(n) => i64::from(i32::MAX),
        _ => 1,
    };
    let text = format!(
        "Value at:{:p} refcount:{refcount} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
        obj as *const _,
        obj.encoding(),
        serialized_len(&obj.value),
        obj.lru(),
        obj.idle_ms(now) / 1000,
    );
    ctx.reply.simple(&text);
    Ok(())
}

/// Bytes the value would take in an RDB file: integers that fit 32 bits
/// in their compact forms, other strings as a length then the bytes.
/// (Redis also LZF-compresses strings over 20 bytes; ferredis has no RDB
/// writer yet, so those are counted uncompressed.)
fn serialized_len(value: &Value) -> usize {
    // Collections are not serialized until persistence exists; their
    // length here is a placeholder of 0 rather than a guess.
    let Value::Str(s) = value else {
        return 0;
    };
    let mut buf = [0u8; 20];
    let bytes = s.as_bytes(&mut buf);
    let as_int = match s {
        Str::Int(n) => Some(*n),
        _ if bytes.len() <= 11 => crate::util::parse_i64(bytes),
        _ => None,
    };
    match as_int {
        Some(n) if i8::try_from(n).is_ok() => 2,
        Some(n) if i16::try_from(n).is_ok() => 3,
        Some(n) if i32::try_from(n).is_ok() => 5,
        _ => rdb_len_size(bytes.len()) + bytes.len(),
    }
}

/// Size of an RDB length prefix.
fn rdb_len_size(len: usize) -> usize {
    match len {
        0..64 => 1,
        64..16384 => 2,
        _ if u32::try_from(len).is_ok() => 5,
        _ => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtod_reads_a_prefix() {
        assert_eq!(strtod_prefix(b"0.5abc"), 0.5);
        assert_eq!(strtod_prefix(b"x"), 0.0);
        assert_eq!(strtod_prefix(b"  2"), 2.0);
        assert_eq!(strtod_prefix(b"1e-3"), 0.001);
        assert!(strtod_prefix(b"inf").is_infinite());
    }

    #[test]
    fn serialized_lengths_match_redis() {
        let s = |b: &[u8]| Value::Str(Str::from_arg(&Bytes::copy_from_slice(b)));
        // Figures read off DEBUG OBJECT on redis-server 7.0.
        assert_eq!(serialized_len(&s(b"123")), 2);
        assert_eq!(serialized_len(&s(b"-5")), 2);
        assert_eq!(serialized_len(&s(b"10000")), 3);
        assert_eq!(serialized_len(&s(b"12345")), 3);
        assert_eq!(serialized_len(&s(b"2147483648")), 11);
        assert_eq!(serialized_len(&s(b"-2147483648")), 5);
        assert_eq!(serialized_len(&s(b"12345678901")), 12);
        assert_eq!(serialized_len(&s(b"")), 1);
        assert_eq!(serialized_len(&s(b"hello")), 6);
        assert_eq!(serialized_len(&s(&[b'a'; 20])), 21);
    }
}
