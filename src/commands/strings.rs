//! String commands.

use super::table::{Command, Group, KeyRef, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::{Db, Object, Str, Value};
use bytes::Bytes;

const STR: u32 = acl::STRING;

pub static COMMANDS: &[Command] = &[
    Command::new("get", 2, get)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::READ | STR | acl::FAST)
        .keys(1, 1, 1, &[KeySpec::range(&["RO", "access"], 1, 0, 1)])
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Returns the string value of a key.",
        ),
    Command::new("set", -3, set)
        .flags(flag::WRITE | flag::DENYOOM)
        .acl(acl::WRITE | STR | acl::SLOW)
        .keys(
            1,
            1,
            1,
            &[KeySpec {
                notes: Some("RW and ACCESS due to the optional `GET` argument"),
                ..KeySpec::range(&["RW", "access", "update", "variable_flags"], 1, 0, 1)
            }],
        )
        .getkeys(set_keys)
        .doc(
            Group::String,
            "1.0.0",
            "O(1)",
            "Sets the string value of a key, with options for expiry and conditions.",
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

/// Looks up a string for reading: `Ok(None)` if the key is missing,
/// WRONGTYPE if it holds another type.
pub fn read_string<'a>(
    db: &'a mut Db,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a Str>, CmdError> {
    match db.get(key, now_ms) {
        None => Ok(None),
        Some(obj) => match &obj.value {
            Value::Str(s) => Ok(Some(s)),
        },
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

fn get(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    reply_get(ctx, &args[1])
}

/// GET's reply for `key`: the value, nil, or WRONGTYPE.
fn reply_get(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    match read_string(db, key, now)? {
        None => reply.null(),
        Some(s) => reply_str(reply, s),
    }
    Ok(())
}

/// When a SET-family command makes a key expire.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    None,
    KeepTtl,
    /// Absolute Unix time in ms.
    At(i64),
}

/// Reads an expire argument as Redis's getExpireMillisecondsOrReply:
/// positive, no overflow when scaled or made absolute.
pub fn parse_expire(
    ctx: &Ctx,
    arg: &[u8],
    unit_ms: i64,
    relative: bool,
    cmd: &str,
) -> Result<i64, CmdError> {
    let invalid = || CmdError::msg(format!("ERR invalid expire time in '{cmd}' command"));
    let n = arg_i64(arg)?;
    if n <= 0 {
        return Err(invalid());
    }
    let ms = n.checked_mul(unit_ms).ok_or_else(invalid)?;
    let at = if relative {
        ms.checked_add(ctx.now_ms).ok_or_else(invalid)?
    } else {
        ms
    };
    if at <= 0 {
        return Err(invalid());
    }
    Ok(at)
}

/// Stores a string under `key` the way SET does, applying `expiry`.
pub fn store_string(ctx: &mut Ctx, key: &[u8], value: Str, expiry: Expiry) {
    let now = ctx.now_ms;
    let db = ctx.db();
    db.set(key, Object::string(value, now), expiry == Expiry::KeepTtl);
    if let Expiry::At(when) = expiry {
        db.set_expire(key, when);
    }
    ctx.dirty(1);
}

fn set(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (mut nx, mut xx, mut get, mut keepttl) = (false, false, false, false);
    let mut expire: Option<(&[u8], i64, bool)> = None;
    let mut j = 3;
    while j < args.len() {
        let opt = &args[j];
        let next = args.get(j + 1);
        if is(opt, "nx") && !xx {
            nx = true;
        } else if is(opt, "xx") && !nx {
            xx = true;
        } else if is(opt, "get") {
            get = true;
        } else if is(opt, "keepttl") && expire.is_none() {
            keepttl = true;
        } else if let (Some(next), true) = (next, expire.is_none() && !keepttl) {
            expire = Some(match () {
                _ if is(opt, "ex") => (next, 1000, true),
                _ if is(opt, "px") => (next, 1, true),
                _ if is(opt, "exat") => (next, 1000, false),
                _ if is(opt, "pxat") => (next, 1, false),
                _ => return Err(CmdError::SYNTAX),
            });
            j += 1;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    let expiry = match expire {
        Some((arg, unit, relative)) => Expiry::At(parse_expire(ctx, arg, unit, relative, "set")?),
        None if keepttl => Expiry::KeepTtl,
        None => Expiry::None,
    };
    let key = &args[1];
    if get {
        reply_get(ctx, key)?;
    }
    let now = ctx.now_ms;
    let found = ctx.db().get_mut(key, now).is_some();
    if (nx && found) || (xx && !found) {
        if !get {
            ctx.reply.null();
        }
        return Ok(());
    }
    store_string(ctx, key, Str::from_arg(&args[2]), expiry);
    if !get {
        ctx.reply.ok();
    }
    Ok(())
}
