//! ZSCAN key cursor [MATCH pattern] [COUNT count]
//!
//! A small (listpack) set comes back whole in one call with cursor 0; a
//! big one is walked through its hash table with the reverse-binary
//! cursor, so members present for a whole iteration are returned at
//! least once even if the table grows or shrinks in between. As in
//! Redis, the key is looked up before the options are read (a missing
//! key answers an empty scan whatever follows), MATCH filters members,
//! and scores are sent as text: `%.17g`, or the integer a listpack holds.

use super::read_zset;
use crate::commands::scan::parse_cursor;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::util::glob;
use bytes::Bytes;

pub(super) fn zscan(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let cursor = parse_cursor(&args[2])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(zset) = read_zset(db, &args[1], now)? else {
        reply.raw(b"*2\r\n$1\r\n0\r\n*0\r\n");
        return Ok(());
    };
    let mut count = 10u64;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 3;
    while let Some(opt) = args.get(i) {
        match args.get(i + 1) {
            Some(value) if is(opt, "count") => {
                count = u64::try_from(arg_i64(value)?)
                    .ok()
                    .filter(|&c| c >= 1)
                    .ok_or(CmdError::SYNTAX)?;
            }
            Some(value) if is(opt, "match") => {
                pattern = (&value[..] != b"*").then_some(&value[..]);
            }
            _ => return Err(CmdError::SYNTAX),
        }
        i += 2;
    }
    let mut found: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let next = zset.scan(cursor, count, &mut |member, score| {
        if pattern.is_none_or(|p| glob::matches(p, member)) {
            found.push((member.to_vec(), score.to_vec()));
        }
    });
    reply.array(2);
    reply.bulk(next.to_string().as_bytes());
    reply.array(found.len() * 2);
    for (member, score) in &found {
        reply.bulk(member);
        reply.bulk(score);
    }
    Ok(())
}
