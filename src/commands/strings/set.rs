//! Whole-value writes: SET (and the options GETEX shares with it), SETNX,
//! SETEX, PSETEX, GETSET, MSET, MSETNX.

use super::get::reply_get;
use crate::commands::keyevents::class;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::{Object, Str};
use bytes::Bytes;

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

/// Stores a string under `key` the way SET does (replacing any value and,
/// unless KEEPTTL, its expire time), applying `expiry`.
pub fn store_string(ctx: &mut Ctx, key: &[u8], value: Str, expiry: Expiry) {
    let now = ctx.now_ms;
    let db = ctx.db();
    db.set_live(
        key,
        Object::string(value, now),
        expiry == Expiry::KeepTtl,
        now,
    );
    if let Expiry::At(when) = expiry {
        db.set_expire(key, when);
    }
    ctx.dirty(1);
    ctx.key_changed(class::STRING, "set", key);
    if let Expiry::At(_) = expiry {
        ctx.notify(class::GENERIC, "expire", key);
    }
}

/// The four ways to give an expire time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExpireUnit {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// SET's and GETEX's options, read as Redis's
/// parseExtendedStringArgumentsOrReply: NX/XX/GET/KEEPTTL only for SET,
/// PERSIST only for GETEX, at most one kind of expire (repeating the same
/// kind is allowed and the last one wins), and the expire argument is
/// only checked once every option has parsed.
#[derive(Default)]
pub struct StringOptions<'a> {
    pub nx: bool,
    pub xx: bool,
    pub get: bool,
    pub keepttl: bool,
    pub persist: bool,
    pub expire: Option<(ExpireUnit, &'a [u8])>,
}

impl<'a> StringOptions<'a> {
    pub fn parse(opts: &'a [Bytes], for_set: bool) -> Result<Self, CmdError> {
        let mut o = StringOptions::default();
        let mut j = 0;
        while let Some(opt) = opts.get(j) {
            let next = opts.get(j + 1);
            let kind = o.expire.map(|(k, _)| k);
            let unit = [
                ("ex", ExpireUnit::Ex),
                ("px", ExpireUnit::Px),
                ("exat", ExpireUnit::ExAt),
                ("pxat", ExpireUnit::PxAt),
            ]
            .into_iter()
            .find(|(name, _)| is(opt, name))
            .map(|(_, u)| u);
            if for_set && is(opt, "nx") && !o.xx {
                o.nx = true;
            } else if for_set && is(opt, "xx") && !o.nx {
                o.xx = true;
            } else if for_set && is(opt, "get") {
                o.get = true;
            } else if for_set && is(opt, "keepttl") && kind.is_none() {
                o.keepttl = true;
            } else if !for_set && is(opt, "persist") && kind.is_none() {
                o.persist = true;
            } else if let (Some(u), Some(next)) = (unit, next)
                && !o.keepttl
                && !o.persist
                && kind.is_none_or(|k| k == u)
            {
                o.expire = Some((u, next));
                j += 1;
            } else {
                return Err(CmdError::SYNTAX);
            }
            j += 1;
        }
        Ok(o)
    }

    /// The absolute expire time, validated with the command's name in
    /// the error.
    pub fn expire_at(&self, ctx: &Ctx, cmd: &str) -> Result<Option<i64>, CmdError> {
        let Some((unit, arg)) = self.expire else {
            return Ok(None);
        };
        let (unit_ms, relative) = match unit {
            ExpireUnit::Ex => (1000, true),
            ExpireUnit::Px => (1, true),
            ExpireUnit::ExAt => (1000, false),
            ExpireUnit::PxAt => (1, false),
        };
        parse_expire(ctx, arg, unit_ms, relative, cmd).map(Some)
    }
}

pub(super) fn set(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[1];
    if args.len() == 3 {
        // The common case, without options: one hash of the key in all.
        store_string(ctx, key, Str::from_arg(&args[2]), Expiry::None);
        ctx.reply.ok();
        return Ok(());
    }
    let opts = StringOptions::parse(&args[3..], true)?;
    let expiry = match opts.expire_at(ctx, "set")? {
        Some(at) => Expiry::At(at),
        None if opts.keepttl => Expiry::KeepTtl,
        None => Expiry::None,
    };
    if opts.get {
        reply_get(ctx, key)?;
    }
    if opts.nx || opts.xx {
        let now = ctx.now_ms;
        let found = ctx.db().get_mut(key, now).is_some();
        if (opts.nx && found) || (opts.xx && !found) {
            if !opts.get {
                ctx.flush_key_events();
                ctx.reply.null();
            }
            return Ok(());
        }
    }
    store_string(ctx, key, Str::from_arg(&args[2]), expiry);
    if !opts.get {
        ctx.reply.ok();
    }
    // Logged with an absolute time, or without GET (a replay has no
    // client to answer), as Redis's setGenericCommand rewrites it.
    if let Expiry::At(at) = expiry {
        propagate_set_pxat(ctx, &args[1], &args[2], at);
    } else if opts.get && ctx.propagating() {
        let kept = args
            .iter()
            .enumerate()
            .filter(|(i, a)| *i < 3 || !is(a, "get"))
            .map(|(_, a)| a.clone())
            .collect();
        ctx.propagate_as(kept);
    }
    Ok(())
}

/// `SET key value PXAT <ms>`: how every SET with an expire is logged.
fn propagate_set_pxat(ctx: &mut Ctx, key: &Bytes, value: &Bytes, at: i64) {
    if ctx.propagating() {
        ctx.propagate_as(vec![
            Bytes::from_static(b"SET"),
            key.clone(),
            value.clone(),
            Bytes::from_static(b"PXAT"),
            Bytes::from(at.to_string()),
        ]);
    }
}

pub(super) fn setnx(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    if db.get_mut(&args[1], now).is_some() {
        ctx.reply.int(0);
        return Ok(());
    }
    db.add(&args[1], Object::string(Str::from_arg(&args[2]), now));
    ctx.dirty(1);
    ctx.key_changed(class::STRING, "set", &args[1]);
    ctx.reply.int(1);
    Ok(())
}

pub(super) fn setex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_with_ttl(ctx, args, 1000, "setex")
}

pub(super) fn psetex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_with_ttl(ctx, args, 1, "psetex")
}

/// SETEX / PSETEX: `key ttl value`.
fn set_with_ttl(ctx: &mut Ctx, args: &[Bytes], unit_ms: i64, cmd: &str) -> CmdResult {
    let at = parse_expire(ctx, &args[2], unit_ms, true, cmd)?;
    store_string(ctx, &args[1], Str::from_arg(&args[3]), Expiry::At(at));
    ctx.reply.ok();
    propagate_set_pxat(ctx, &args[1], &args[3], at);
    Ok(())
}

pub(super) fn getset(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    reply_get(ctx, &args[1])?;
    store_string(ctx, &args[1], Str::from_arg(&args[2]), Expiry::None);
    if ctx.propagating() {
        ctx.propagate_as(vec![
            Bytes::from_static(b"SET"),
            args[1].clone(),
            args[2].clone(),
        ]);
    }
    Ok(())
}

pub(super) fn mset(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    mset_generic(ctx, args, false)
}

pub(super) fn msetnx(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    mset_generic(ctx, args, true)
}

/// MSET / MSETNX. MSETNX checks every key before writing any, so it sets
/// all of them or none; a key named twice takes its last value.
fn mset_generic(ctx: &mut Ctx, args: &[Bytes], nx: bool) -> CmdResult {
    if args.len().is_multiple_of(2) {
        return Err(CmdError::arity(if nx { "msetnx" } else { "mset" }));
    }
    let now = ctx.now_ms;
    let db = ctx.db();
    if nx {
        for key in args[1..].iter().step_by(2) {
            if db.get_mut(key, now).is_some() {
                // After the expiries of the keys looked up before it.
                ctx.flush_key_events();
                ctx.reply.int(0);
                return Ok(());
            }
        }
    }
    for pair in args[1..].chunks_exact(2) {
        if let [key, value] = pair {
            ctx.db()
                .set_live(key, Object::string(Str::from_arg(value), now), false, now);
            ctx.key_changed(class::STRING, "set", key);
        }
    }
    ctx.dirty((args.len() / 2) as u64);
    if nx {
        ctx.reply.int(1);
    } else {
        ctx.reply.ok();
    }
    Ok(())
}
