//! HSCAN: a dict is walked with the keyspace's reverse-binary bucket
//! cursor (safe while the dict grows or shrinks between calls); a
//! listpack has no buckets, so one call returns all of it with cursor 0,
//! as in Redis. MATCH filters on fields only, after the walk.

use super::read_hash;
use crate::commands::scan::{EMPTY_SCAN, ScanOptions, parse_cursor};
use crate::commands::{CmdResult, Ctx};
use crate::db::hash::Item;
use crate::util::glob;
use bytes::Bytes;

/// The cursor is checked first, then the key (a missing one is an empty
/// result before any option is looked at), then the options.
pub(in crate::commands) fn hscan(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut cursor = parse_cursor(&args[2])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(hash) = read_hash(db, &args[1], now)? else {
        ctx.flush_key_events();
        ctx.reply.raw(EMPTY_SCAN);
        return Ok(());
    };
    let opts = ScanOptions::parse(&args[3..], false)?;

    // Walk until COUNT fields were gathered (Redis 7.0 counts a field and
    // its value as one here), giving up after ten times COUNT more buckets.
    let mut found: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let owned = |f: Item, v: Item| (f.to_vec(), v.to_vec());
    if hash.is_listpack() {
        cursor = hash.scan(0, &mut |f, v| found.push(owned(f, v)));
    } else {
        let mut iterations_left = opts.count.wrapping_mul(10);
        loop {
            cursor = hash.scan(cursor, &mut |f, v| found.push(owned(f, v)));
            let more = iterations_left != 0;
            iterations_left = iterations_left.wrapping_sub(1);
            if cursor == 0 || !more || found.len() as u64 >= opts.count as u64 {
                break;
            }
        }
    }
    if let Some(pattern) = opts.pattern {
        found.retain(|(field, _)| glob::matches(pattern, field));
    }

    reply.array(2);
    // Redis prints the cursor as a signed number.
    reply.bulk_int(cursor as i64);
    reply.array(found.len() * 2);
    for (field, value) in &found {
        reply.bulk(field);
        reply.bulk(value);
    }
    Ok(())
}
