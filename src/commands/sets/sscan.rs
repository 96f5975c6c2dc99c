//! SSCAN: iterating a set with a cursor.
//!
//! A hash-table set is walked with the dict's reverse-binary cursor, the
//! one SCAN uses, so members present for the whole iteration come back
//! at least once however the table grows or shrinks between calls. An
//! intset is small by definition: like Redis, SSCAN returns all of it in
//! one reply with cursor 0, whatever cursor it was given.

use super::{Ctx, read_set, reply_member};
use crate::commands::CmdResult;
use crate::commands::scan::{EMPTY_SCAN, ScanOptions, parse_cursor};
use crate::db::Key;
use crate::db::set::{Member, Set};
use crate::util::glob;
use bytes::Bytes;

/// SSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is checked
/// before the key, the options only once the key turned out to be a set.
pub(super) fn sscan(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut cursor = parse_cursor(&args[2])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(set) = read_set(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.raw(EMPTY_SCAN);
        return Ok(());
    };
    let opts = ScanOptions::parse(&args[3..], false)?;
    let (mut ints, mut keys): (Vec<i64>, Vec<Key>) = (Vec::new(), Vec::new());
    match set {
        Set::Intset(s) => {
            ints.extend(s.iter());
            cursor = 0;
        }
        Set::Table(table) => {
            // Walk buckets until COUNT members were gathered, giving up
            // after ten times COUNT buckets, as Redis does.
            let mut budget = opts.count.wrapping_mul(10);
            loop {
                cursor = table.scan(cursor, &mut |k, _| keys.push(k.clone()));
                let exhausted = budget == 0;
                budget = budget.wrapping_sub(1);
                if cursor == 0 || exhausted || keys.len() as u64 >= opts.count as u64 {
                    break;
                }
            }
        }
    }
    let mut buf = [0u8; 20];
    let found: Vec<Member> = ints
        .iter()
        .map(|&n| Member::Int(n))
        .chain(keys.iter().map(|k| Member::Bytes(k.as_bytes())))
        .filter(|m| {
            opts.pattern
                .is_none_or(|p| glob::matches(p, m.as_bytes(&mut buf)))
        })
        .collect();
    reply.array(2);
    reply.bulk(cursor.to_string().as_bytes());
    reply.array(found.len());
    for m in found {
        reply_member(reply, m);
    }
    Ok(())
}
