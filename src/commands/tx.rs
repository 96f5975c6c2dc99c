//! Transactions: MULTI, EXEC, DISCARD.
//!
//! After MULTI, commands are checked (name, arity) and queued instead of
//! run; any error while queueing dooms the transaction (EXEC answers
//! EXECABORT). EXEC runs the queue back to back, so nothing from another
//! client interleaves (the loop runs one command at a time anyway), with
//! blocking commands answering at once; keys its commands gave data are
//! served to blocked clients after EXEC, as Redis does.

use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx};
use bytes::Bytes;

const TX: u32 = acl::TRANSACTION;

pub static COMMANDS: &[Command] = &[
    Command::new("multi", 1, multi)
        .flags(flag::NOSCRIPT | flag::LOADING | flag::STALE | flag::FAST | flag::ALLOW_BUSY)
        .acl(acl::FAST | TX)
        .doc(
            Group::Transactions,
            "1.2.0",
            "O(1)",
            "Starts a transaction: commands are queued until EXEC.",
        ),
    Command::new("exec", 1, exec)
        .flags(flag::NOSCRIPT | flag::LOADING | flag::STALE | flag::SKIP_SLOWLOG)
        .acl(acl::SLOW | TX)
        .doc(
            Group::Transactions,
            "1.2.0",
            "Depends on commands in the transaction",
            "Runs every command queued since MULTI, as one unit.",
        ),
    Command::new("discard", 1, discard)
        .flags(flag::NOSCRIPT | flag::LOADING | flag::STALE | flag::FAST | flag::ALLOW_BUSY)
        .acl(acl::FAST | TX)
        .doc(
            Group::Transactions,
            "2.0.0",
            "O(N), when N is the number of queued commands",
            "Drops the commands queued since MULTI.",
        ),
];

/// Commands that run at once even inside MULTI.
pub fn runs_inside_multi(name: &str) -> bool {
    matches!(
        name,
        "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
    )
}

fn multi(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    if ctx.client.in_multi {
        return Err(CmdError::text("ERR MULTI calls can not be nested"));
    }
    ctx.client.in_multi = true;
    ctx.reply.ok();
    Ok(())
}

fn discard(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    if !ctx.client.in_multi {
        return Err(CmdError::text("ERR DISCARD without MULTI"));
    }
    ctx.client.reset_multi();
    ctx.engine.watches.unwatch_all(ctx.client.id);
    ctx.reply.ok();
    Ok(())
}

fn exec(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    if !ctx.client.in_multi {
        return Err(CmdError::text("ERR EXEC without MULTI"));
    }
    let doomed = ctx.client.multi_error;
    let id = ctx.client.id;
    let watch_failed = ctx
        .engine
        .watches
        .exec_fails(id, &ctx.engine.keyspace.dbs, ctx.now_ms);
    let queued = std::mem::take(&mut ctx.client.queued);
    ctx.client.reset_multi();
    ctx.engine.watches.unwatch_all(id);
    if doomed {
        return Err(CmdError::text(
            "EXECABORT Transaction discarded because of previous errors.",
        ));
    }
    if watch_failed {
        ctx.reply.null_array();
        return Ok(());
    }
    ctx.reply.array(queued.len());
    ctx.client.in_exec = true;
    for args in &queued {
        ctx.engine.execute(ctx.client, ctx.reply, ctx.clients, args);
    }
    ctx.client.in_exec = false;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Session;

    // Replies read off redis-server 7.0.15.
    #[test]
    fn queue_exec_discard_and_aborts() {
        let mut s = Session::new();
        s.expect(&[
            (&["multi"], "+OK\r\n"),
            (&["multi"], "-ERR MULTI calls can not be nested\r\n"),
            (&["set", "a", "1"], "+QUEUED\r\n"),
            (
                &["foo"],
                "-ERR unknown command 'foo', with args beginning with: \r\n",
            ),
            (
                &["get"],
                "-ERR wrong number of arguments for 'get' command\r\n",
            ),
            (
                &["exec"],
                "-EXECABORT Transaction discarded because of previous errors.\r\n",
            ),
            (&["exec"], "-ERR EXEC without MULTI\r\n"),
            (&["discard"], "-ERR DISCARD without MULTI\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["set", "a", "1"], "+QUEUED\r\n"),
            (&["incr", "a"], "+QUEUED\r\n"),
            (&["append", "a", "x"], "+QUEUED\r\n"),
            (&["exec"], "*3\r\n+OK\r\n:2\r\n:2\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["set", "b", "1"], "+QUEUED\r\n"),
            (&["discard"], "+OK\r\n"),
            (&["exists", "b"], ":0\r\n"),
            // A runtime error inside EXEC does not stop the rest.
            (&["multi"], "+OK\r\n"),
            (&["client", "list", "x"], "+QUEUED\r\n"),
            (&["ping"], "+QUEUED\r\n"),
            (&["exec"], "*2\r\n-ERR syntax error\r\n+PONG\r\n"),
        ]);
    }
}
