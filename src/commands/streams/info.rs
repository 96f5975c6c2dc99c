//! XINFO STREAM [FULL], GROUPS and CONSUMERS.

use super::{c_str, read_stream, reply_entry, reply_id, reply_range, stream_again};
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::stream::{Group, Stream, StreamId};
use crate::protocol::ReplyBuffer;
use bytes::Bytes;

fn stream_of<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Result<&'c mut Stream, CmdError> {
    let now = ctx.now_ms;
    read_stream(ctx.db(), key, now)?.ok_or(CmdError::NO_SUCH_KEY)
}

fn reply_opt_int(reply: &mut ReplyBuffer, n: Option<i64>) {
    match n {
        Some(n) => reply.int(n),
        None => reply.null(),
    }
}

fn entries_read(g: &Group) -> Option<i64> {
    (g.entries_read >= 0).then_some(g.entries_read)
}

/// The node count of Redis's radix tree over the blocks' master IDs (as
/// 16 big-endian bytes): a path-compressed trie, where a run of bytes
/// shared by every key below is one node, each point where keys part is
/// one node, and each key ends in a leaf node of its own.
fn rax_nodes(s: &Stream) -> i64 {
    let keys: Vec<[u8; 16]> = s
        .masters()
        .map(|id| {
            let mut k = [0u8; 16];
            k[..8].copy_from_slice(&id.ms.to_be_bytes());
            k[8..].copy_from_slice(&id.seq.to_be_bytes());
            k
        })
        .collect();
    if keys.is_empty() {
        return 1;
    }
    subtree_nodes(&keys, 0)
}

/// Nodes below a point at `depth` that `keys` (sorted, distinct) share.
fn subtree_nodes(keys: &[[u8; 16]], depth: usize) -> i64 {
    let (Some(first), Some(last)) = (keys.first(), keys.last()) else {
        return 0;
    };
    // The bytes every key shares from here: equal in the first and last.
    let shared = (depth..16).take_while(|&i| first[i] == last[i]).count();
    let compressed = i64::from(shared > 0);
    let at = depth + shared;
    if at == 16 {
        return compressed + 1;
    }
    let mut total = compressed + 1;
    let mut start = 0;
    while start < keys.len() {
        let byte = keys[start][at];
        let len = keys[start..].iter().take_while(|k| k[at] == byte).count();
        total += subtree_nodes(&keys[start..start + len], at + 1);
        start += len;
    }
    total
}

/// XINFO STREAM key [FULL [COUNT count]]
pub(super) fn xinfo_stream(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let key = &args[2];
    stream_of(ctx, key)?;
    let opts = &args[3..];
    let mut full = false;
    let mut count: i64 = 10;
    if !opts.is_empty() {
        let bad = CmdError::msg(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try XINFO HELP.",
            c_str(&args[1])
        ));
        if !is(&opts[0], "full") {
            return Err(bad);
        }
        full = true;
        if opts.len() > 1 {
            if opts.len() != 3 || !is(&opts[1], "count") {
                return Err(bad);
            }
            count = arg_i64(&opts[2])?;
            if count < 0 {
                count = 10;
            }
        }
    }
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(s) = stream_again(db, key, now)? else {
        return Ok(());
    };
    reply.map(if full { 9 } else { 10 });
    reply.bulk(b"length");
    reply.int(s.len() as i64);
    reply.bulk(b"radix-tree-keys");
    reply.int(s.node_count() as i64);
    reply.bulk(b"radix-tree-nodes");
    reply.int(rax_nodes(s));
    reply.bulk(b"last-generated-id");
    reply_id(reply, s.last_id);
    reply.bulk(b"max-deleted-entry-id");
    reply_id(reply, s.max_deleted);
    reply.bulk(b"entries-added");
    reply.int(s.entries_added as i64);
    reply.bulk(b"recorded-first-entry-id");
    reply_id(reply, s.first_id);
    if !full {
        reply.bulk(b"groups");
        reply.int(s.groups.len() as i64);
        for (name, rev) in [(&b"first-entry"[..], false), (b"last-entry", true)] {
            reply.bulk(name);
            let mut sent = false;
            s.range(StreamId::MIN, StreamId::MAX, rev, &mut |id, f| {
                reply_entry(reply, id, f);
                sent = true;
                false
            });
            if !sent {
                reply.null();
            }
        }
        return Ok(());
    }
    let limit = if count == 0 {
        usize::MAX
    } else {
        count as usize
    };
    reply.bulk(b"entries");
    reply_range(
        reply,
        s,
        StreamId::MIN,
        StreamId::MAX,
        count as usize,
        false,
    );
    reply.bulk(b"groups");
    reply.array(s.groups.len());
    for (name, g) in &s.groups {
        reply.map(7);
        reply.bulk(b"name");
        reply.bulk(name);
        reply.bulk(b"last-delivered-id");
        reply_id(reply, g.last_id);
        reply.bulk(b"entries-read");
        reply_opt_int(reply, entries_read(g));
        reply.bulk(b"lag");
        reply_opt_int(reply, s.lag(g));
        reply.bulk(b"pel-count");
        reply.int(g.pel.len() as i64);
        reply.bulk(b"pending");
        reply.array(g.pel.len().min(limit));
        for (id, p) in g.pel.iter().take(limit) {
            reply.array(4);
            reply_id(reply, *id);
            reply.bulk(&p.consumer);
            reply.int(p.delivery_time);
            reply.int(p.delivery_count as i64);
        }
        reply.bulk(b"consumers");
        reply.array(g.consumers.len());
        for (cname, c) in &g.consumers {
            reply.map(4);
            reply.bulk(b"name");
            reply.bulk(cname);
            reply.bulk(b"seen-time");
            reply.int(c.seen_time);
            reply.bulk(b"pel-count");
            reply.int(c.pel.len() as i64);
            reply.bulk(b"pending");
            reply.array(c.pel.len().min(limit));
            for id in c.pel.iter().take(limit) {
                let (time, n) = g
                    .pel
                    .get(id)
                    .map_or((0, 0), |p| (p.delivery_time, p.delivery_count as i64));
                reply.array(3);
                reply_id(reply, *id);
                reply.int(time);
                reply.int(n);
            }
        }
    }
    Ok(())
}

/// XINFO GROUPS key
pub(super) fn xinfo_groups(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    stream_of(ctx, &args[2])?;
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let Some(s) = stream_again(db, &args[2], now)? else {
        return Ok(());
    };
    reply.array(s.groups.len());
    for (name, g) in &s.groups {
        reply.map(6);
        reply.bulk(b"name");
        reply.bulk(name);
        reply.bulk(b"consumers");
        reply.int(g.consumers.len() as i64);
        reply.bulk(b"pending");
        reply.int(g.pel.len() as i64);
        reply.bulk(b"last-delivered-id");
        reply_id(reply, g.last_id);
        reply.bulk(b"entries-read");
        reply_opt_int(reply, entries_read(g));
        reply.bulk(b"lag");
        reply_opt_int(reply, s.lag(g));
    }
    Ok(())
}

/// XINFO CONSUMERS key group
pub(super) fn xinfo_consumers(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    let s = stream_of(ctx, &args[2])?;
    let Some(g) = s.groups.get(&args[3][..]) else {
        return Err(CmdError::msg(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            c_str(&args[3]),
            c_str(&args[2])
        )));
    };
    let rows: Vec<(Box<[u8]>, usize, i64)> = g
        .consumers
        .iter()
        .map(|(n, c)| (n.clone(), c.pel.len(), (now - c.seen_time).max(0)))
        .collect();
    let reply = &mut *ctx.reply;
    reply.array(rows.len());
    for (name, pending, idle) in rows {
        reply.map(3);
        reply.bulk(b"name");
        reply.bulk(&name);
        reply.bulk(b"pending");
        reply.int(pending as i64);
        reply.bulk(b"idle");
        reply.int(idle);
    }
    Ok(())
}

pub(super) fn xinfo_help(ctx: &mut Ctx, _args: &[Bytes]) -> CmdResult {
    crate::commands::server::reply_help(
        ctx,
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    );
    Ok(())
}
