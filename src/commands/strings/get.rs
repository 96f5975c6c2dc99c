//! Reads, and reads that change the key afterwards: GET, GETDEL, GETEX,
//! MGET.

use super::set::{ExpireUnit, StringOptions};
use super::{as_str, read_string, reply_str};
use crate::commands::{CmdError, CmdResult, Ctx};
use crate::db::Deletion;
use bytes::Bytes;

pub(super) fn get(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    reply_get(ctx, &args[1]).map(drop)
}

/// GET's reply for `key`: the value, nil, or WRONGTYPE. Returns whether
/// the key existed.
pub(super) fn reply_get(ctx: &mut Ctx, key: &[u8]) -> Result<bool, CmdError> {
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    match read_string(db, key, now)? {
        None => {
            ctx.flush_key_events();
            ctx.reply.null();
            Ok(false)
        }
        Some(s) => {
            reply_str(reply, s);
            Ok(true)
        }
    }
}

pub(super) fn getdel(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    if reply_get(ctx, &args[1])? {
        ctx.db().discard(&args[1], Deletion::UserDel);
        ctx.dirty(1);
        ctx.key_changed(crate::commands::keyevents::class::GENERIC, "del", &args[1]);
        if ctx.propagating() {
            let name =
                crate::commands::expire::del_or_unlink(ctx.engine.config.lazyfree_lazy_user_del);
            ctx.propagate_as(vec![name, args[1].clone()]);
        }
    }
    Ok(())
}

/// GETEX: the value, then the TTL change. The options are checked first,
/// but a missing key answers nil before the expire time is validated, as
/// in Redis.
pub(super) fn getex(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let opts = StringOptions::parse(&args[2..], false)?;
    // Computed now, reported only once the key turned out to be a string.
    let at = opts.expire_at(ctx, "getex");
    let key = &args[1];
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(obj) = db.get(key, now) else {
        ctx.flush_key_events();
        ctx.reply.null();
        return Ok(());
    };
    let s = as_str(&obj.value).ok_or(CmdError::WRONG_TYPE)?;
    let at = at?;
    reply_str(reply, s);
    let absolute = matches!(opts.expire, Some((ExpireUnit::ExAt | ExpireUnit::PxAt, _)));
    let event = match at {
        // An absolute time already past deletes the key right away.
        Some(at) if absolute && at <= now => {
            db.discard(key, Deletion::Expire);
            "del"
        }
        Some(at) => {
            db.set_expire(key, at);
            "expire"
        }
        None if opts.persist && db.persist(key) => "persist",
        None => return Ok(()),
    };
    ctx.dirty(1);
    ctx.key_changed(crate::commands::keyevents::class::GENERIC, event, key);
    // Never logged as GETEX: as the change it made.
    if ctx.propagating() {
        let logged = match (event, at) {
            ("del", _) => vec![
                crate::commands::expire::del_or_unlink(ctx.engine.config.lazyfree_lazy_expire),
                key.clone(),
            ],
            (_, Some(at)) => vec![
                Bytes::from_static(b"PEXPIREAT"),
                key.clone(),
                Bytes::from(at.to_string()),
            ],
            _ => vec![Bytes::from_static(b"PERSIST"), key.clone()],
        };
        ctx.propagate_as(logged);
    }
    Ok(())
}

pub(super) fn mget(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    ctx.reply.array(args.len() - 1);
    for key in &args[1..] {
        let (db, reply) = ctx.db_and_reply();
        match db.get(key, now).and_then(|o| as_str(&o.value)) {
            Some(s) => reply_str(reply, s),
            // A miss's events go between the elements, as in Redis.
            None => {
                ctx.flush_key_events();
                ctx.reply.null();
            }
        }
    }
    Ok(())
}
