//! Counters: INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT.

use super::as_str_mut;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64};
use crate::db::value::flags;
use crate::db::{Object, Str};
use crate::util::float::{LdAddError, ld_add};
use bytes::Bytes;

pub(super) fn incr(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    incr_by(ctx, &args[1], 1)
}

pub(super) fn decr(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    incr_by(ctx, &args[1], -1)
}

pub(super) fn incrby(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let by = arg_i64(&args[2])?;
    incr_by(ctx, &args[1], by)
}

pub(super) fn decrby(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let by = arg_i64(&args[2])?;
    // Negating i64::MIN would overflow before the addition is checked.
    let by = by
        .checked_neg()
        .ok_or(CmdError::text("ERR decrement would overflow"))?;
    incr_by(ctx, &args[1], by)
}

/// Adds `by` to the integer at `key` (a missing key counts as 0). The
/// stored value is updated in place with one lookup and always ends up
/// `int`-encoded, as Redis's incrDecrCommand leaves it; a TTL is kept.
fn incr_by(ctx: &mut Ctx, key: &[u8], by: i64) -> CmdResult {
    let now = ctx.now_ms;
    let db = ctx.db();
    let policy = db.access_policy();
    let shares_integers = policy.share_integers;
    let value = match db.get_mut(key, now) {
        Some(obj) => {
            let clock = obj.clock();
            let s = as_str_mut(&mut obj.value).ok_or(CmdError::WRONG_TYPE)?;
            let old = s.as_i64().ok_or(CmdError::NOT_INTEGER)?;
            let new = old.checked_add(by).ok_or(CmdError::OVERFLOW)?;
            *s = Str::Int(new);
            obj.set_flag(flags::RAW, false);
            // Redis stores a result below 10,000 as its shared integer
            // object when the policy allows sharing (OBJECT REFCOUNT).
            obj.set_flag(flags::UNSHARED, !shares_integers);
            obj.carry_clock(clock, policy.is_lfu());
            new
        }
        None => {
            db.add(key, Object::string(Str::Int(by), now));
            by
        }
    };
    ctx.dirty(1);
    ctx.key_changed(crate::commands::keyevents::class::STRING, "incrby", key);
    ctx.reply.int(value);
    Ok(())
}

/// INCRBYFLOAT: the sum is computed in `long double` and stored as text
/// (never `int`-encoded, unlike INCR's result); a TTL is kept.
pub(super) fn incrbyfloat(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let ctx_propagating = ctx.propagating();
    let db = ctx.db();
    let lfu = db.access_policy().is_lfu();
    let obj = db.get_mut(&args[1], now);
    let sum = {
        let mut buf = [0u8; 20];
        let base = match &obj {
            Some(o) => super::as_str(&o.value)
                .ok_or(CmdError::WRONG_TYPE)?
                .as_bytes(&mut buf),
            None => b"0",
        };
        ld_add(base, &args[2]).map_err(|e| match e {
            LdAddError::BadBase | LdAddError::BadIncrement => CmdError::NOT_FLOAT,
            LdAddError::NanOrInfinity => {
                CmdError::text("ERR increment would produce NaN or Infinity")
            }
        })?
    };
    // Redis publishes the event first and replies after.
    let value = Str::from_vec(sum.clone());
    // Logged as the value it stored: a replay must not add again with
    // another precision or rounding.
    let logged = ctx_propagating.then(|| Bytes::copy_from_slice(&sum));
    match obj {
        Some(o) => {
            let clock = o.clock();
            o.value = crate::db::Value::Str(value);
            o.carry_clock(clock, lfu);
            o.set_flag(flags::RAW, false);
        }
        None => db.add(&args[1], Object::string(value, now)),
    }
    ctx.dirty(1);
    ctx.key_changed(
        crate::commands::keyevents::class::STRING,
        "incrbyfloat",
        &args[1],
    );
    ctx.reply.bulk(&sum);
    if let Some(value) = logged {
        ctx.propagate_as(vec![
            Bytes::from_static(b"SET"),
            args[1].clone(),
            value,
            Bytes::from_static(b"KEEPTTL"),
        ]);
    }
    Ok(())
}
