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
use crate::commands::scan::{EMPTY_SCAN, ScanOptions, parse_cursor};
use crate::commands::{CmdResult, Ctx};
use crate::util::glob;
use bytes::Bytes;

pub(super) fn zscan(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let cursor = parse_cursor(&args[2])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(zset) = read_zset(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.raw(EMPTY_SCAN);
        return Ok(());
    };
    let opts = ScanOptions::parse(&args[3..], false)?;
    let (count, pattern) = (opts.count as u64, opts.pattern);
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
