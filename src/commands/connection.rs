//! Connection commands: PING, ECHO, QUIT, SELECT, SWAPDB, RESET, HELLO,
//! AUTH.

use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, is};
use crate::protocol::Protocol;
use bytes::Bytes;

const CONN: u32 = acl::CONNECTION;

pub static COMMANDS: &[Command] = &[
    Command::new("ping", -1, ping)
        .flags(flag::FAST | flag::SENTINEL)
        .acl(acl::FAST | CONN)
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            Group::Connection,
            "1.0.0",
            "O(1)",
            "Checks that the server is alive.",
        ),
    Command::new("echo", 2, echo)
        .flags(flag::LOADING | flag::STALE | flag::FAST)
        .acl(acl::FAST | CONN)
        .doc(
            Group::Connection,
            "1.0.0",
            "O(1)",
            "Replies with its argument.",
        ),
    Command::new("quit", -1, quit)
        .flags(
            flag::ALLOW_BUSY
                | flag::NOSCRIPT
                | flag::LOADING
                | flag::STALE
                | flag::FAST
                | flag::NO_AUTH,
        )
        .acl(acl::FAST | CONN)
        .doc(
            Group::Connection,
            "1.0.0",
            "O(1)",
            "Closes the connection once the reply is sent.",
        ),
    Command::new("select", 2, select)
        .flags(flag::LOADING | flag::STALE | flag::FAST)
        .acl(acl::FAST | CONN)
        .doc(
            Group::Connection,
            "1.0.0",
            "O(1)",
            "Switches the client to another database.",
        ),
    Command::new("swapdb", 3, swapdb)
        .flags(flag::WRITE | flag::FAST)
        .acl(acl::KEYSPACE | acl::WRITE | acl::FAST | acl::DANGEROUS)
        .doc(
            Group::Server,
            "4.0.0",
            "O(N)",
            "Exchanges the contents of two databases.",
        ),
    Command::new("reset", 1, reset)
        .flags(
            flag::NOSCRIPT
                | flag::LOADING
                | flag::STALE
                | flag::FAST
                | flag::NO_AUTH
                | flag::ALLOW_BUSY,
        )
        .acl(acl::FAST | CONN)
        .doc(
            Group::Connection,
            "6.2.0",
            "O(1)",
            "Resets the connection to its initial state.",
        ),
    Command::new("hello", -1, hello)
        .flags(
            flag::NOSCRIPT
                | flag::LOADING
                | flag::STALE
                | flag::FAST
                | flag::NO_AUTH
                | flag::SENTINEL
                | flag::ALLOW_BUSY,
        )
        .acl(acl::FAST | CONN)
        .doc(
            Group::Connection,
            "6.0.0",
            "O(1)",
            "Handshakes: chooses the protocol, optionally authenticates and names the client.",
        ),
    Command::new("auth", -2, auth)
        .flags(
            flag::NOSCRIPT
                | flag::LOADING
                | flag::STALE
                | flag::FAST
                | flag::NO_AUTH
                | flag::SENTINEL
                | flag::ALLOW_BUSY,
        )
        .acl(acl::FAST | CONN)
        .doc(
            Group::Connection,
            "1.0.0",
            "O(N) where N is the number of passwords defined for the user",
            "Authenticates the connection.",
        ),
];

fn ping(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    if super::pubsub::in_subscribed_mode(ctx.client, ctx.reply) && args.len() <= 2 {
        super::pubsub::subscribed_ping(ctx.reply, args.get(1).map(|a| &a[..]));
        return Ok(());
    }
    match args {
        [_] => ctx.reply.simple("PONG"),
        [_, msg] => ctx.reply.bulk(msg),
        _ => return Err(CmdError::arity("ping")),
    }
    Ok(())
}

fn echo(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    ctx.reply.bulk(&args[1]);
    Ok(())
}

fn quit(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    ctx.reply.ok();
    ctx.client.close_after_reply = true;
    Ok(())
}

/// A database index argument as Redis's getIntFromObjectOrReply reads it:
/// with a caller's message (SWAPDB) every bad number gets that message;
/// without one (SELECT), a number outside int range gets its own.
fn db_index(ctx: &Ctx, arg: &[u8], msg: Option<&'static str>) -> Result<usize, CmdError> {
    in_range(ctx, int_arg(arg, msg)?)
}

/// An int argument as getIntFromObjectOrReply reads it (`msg` replaces
/// both of its errors when given).
fn int_arg(arg: &[u8], msg: Option<&'static str>) -> Result<i64, CmdError> {
    let n = crate::util::parse_i64(arg).ok_or(CmdError::text(
        msg.unwrap_or("ERR value is not an integer or out of range"),
    ))?;
    if i32::try_from(n).is_err() {
        return Err(CmdError::text(msg.unwrap_or(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        )));
    }
    Ok(n)
}

/// A database index that exists.
fn in_range(ctx: &Ctx, n: i64) -> Result<usize, CmdError> {
    usize::try_from(n)
        .ok()
        .filter(|&i| i < ctx.engine.keyspace.dbs.len())
        .ok_or(CmdError::DB_INDEX)
}

fn select(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let idx = db_index(ctx, &args[1], None)?;
    ctx.client.db = idx;
    ctx.reply.ok();
    Ok(())
}

fn swapdb(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    // Redis reads both indexes before it checks either against the number
    // of databases.
    let a = int_arg(&args[1], Some("ERR invalid first DB index"))?;
    let b = int_arg(&args[2], Some("ERR invalid second DB index"))?;
    let (a, b) = (in_range(ctx, a)?, in_range(ctx, b)?);
    ctx.engine.watched_dbs_swapped(a, b, ctx.now_ms);
    ctx.engine.keyspace.dbs.swap(a, b);
    // Keys waited on may exist now (Redis's scanDatabaseForReadyKeys).
    ctx.engine.blocking.signal_waited_in(a);
    ctx.engine.blocking.signal_waited_in(b);
    ctx.dirty(1);
    ctx.reply.ok();
    Ok(())
}

fn reset(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    let c = &mut *ctx.client;
    c.db = 0;
    c.name.clear();
    c.reset_multi();
    ctx.engine.watches.unwatch_all(c.id);
    ctx.engine.pubsub.forget(c);
    c.reply_off = false;
    c.reply_skip_next = false;
    c.authenticated = ctx.engine.config.requirepass.is_empty();
    ctx.reply.proto = Protocol::Resp2;
    // Replies were muted by CLIENT REPLY OFF when RESET began; it answers
    // all the same (only a SKIP aimed at RESET itself silences it).
    ctx.reply.muted = c.reply_skip;
    ctx.reply.simple("RESET");
    Ok(())
}

/// Checks a username/password pair against the default user (ferredis has
/// no ACL users beyond it).
fn check_password(ctx: &Ctx, user: &[u8], pass: &[u8]) -> bool {
    let required = ctx.engine.config.requirepass.as_bytes();
    user == b"default" && (required.is_empty() || required == pass)
}

fn auth(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (user, pass): (&[u8], &[u8]) = match args {
        [_, pass] => {
            if ctx.engine.config.requirepass.is_empty() {
                return Err(CmdError::text(
                    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
                ));
            }
            (b"default", pass)
        }
        [_, user, pass] => (user, pass),
        _ => return Err(CmdError::SYNTAX),
    };
    if !check_password(ctx, user, pass) {
        return Err(CmdError::text(
            "WRONGPASS invalid username-password pair or user is disabled.",
        ));
    }
    ctx.client.authenticated = true;
    ctx.reply.ok();
    Ok(())
}

fn hello(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut next = 1;
    let mut proto = None;
    if let Some(v) = args.get(1) {
        let ver = crate::util::parse_i64(v).ok_or(CmdError::text(
            "ERR Protocol version is not an integer or out of range",
        ))?;
        proto = Some(match ver {
            2 => Protocol::Resp2,
            3 => Protocol::Resp3,
            _ => return Err(CmdError::text("NOPROTO unsupported protocol version")),
        });
        next = 2;
    }
    let mut credentials = None;
    let mut name = None;
    let mut j = next;
    while j < args.len() {
        let more = args.len() - 1 - j;
        if is(&args[j], "auth") && more >= 2 {
            credentials = Some((&args[j + 1], &args[j + 2]));
            j += 3;
        } else if is(&args[j], "setname") && more >= 1 {
            name = Some(&args[j + 1]);
            j += 2;
        } else {
            return Err(CmdError::quoting(
                "ERR Syntax error in HELLO option '",
                &args[j],
                "'",
            ));
        }
    }
    if let Some((user, pass)) = credentials {
        if !check_password(ctx, user, pass) {
            return Err(CmdError::text(
                "WRONGPASS invalid username-password pair or user is disabled.",
            ));
        }
        ctx.client.authenticated = true;
    }
    if !ctx.client.authenticated && !ctx.engine.config.requirepass.is_empty() {
        return Err(CmdError::text(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
        ));
    }
    if let Some(name) = name {
        super::cmd_client::set_name(ctx.client, name)?;
    }
    // The reply itself is already in the protocol just chosen.
    if let Some(proto) = proto {
        ctx.reply.proto = proto;
    }
    let r = &mut *ctx.reply;
    r.map(7);
    r.bulk(b"server");
    r.bulk(b"redis");
    r.bulk(b"version");
    r.bulk(crate::REDIS_VERSION.as_bytes());
    r.bulk(b"proto");
    r.int(match r.proto {
        Protocol::Resp2 => 2,
        Protocol::Resp3 => 3,
    });
    r.bulk(b"id");
    r.int(ctx.client.id as i64);
    r.bulk(b"mode");
    r.bulk(b"standalone");
    r.bulk(b"role");
    r.bulk(b"master");
    r.bulk(b"modules");
    r.array(0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::tests::{run, setup};

    // Expected replies were read off redis-server 7.0.15.
    #[test]
    fn select_and_swapdb_errors() {
        let (mut e, mut c) = setup();
        let cases: [(&[&[u8]], &[u8]); 12] = [
            // Both indexes are read before either is checked for range.
            (
                &[b"swapdb", b"99", b"x"],
                b"-ERR invalid second DB index\r\n",
            ),
            (
                &[b"swapdb", b"99", b"1"],
                b"-ERR DB index is out of range\r\n",
            ),
            (&[b"select", b"16"], b"-ERR DB index is out of range\r\n"),
            (&[b"select", b"-1"], b"-ERR DB index is out of range\r\n"),
            (
                &[b"select", b"01"],
                b"-ERR value is not an integer or out of range\r\n",
            ),
            (
                &[b"select", b"2147483648"],
                b"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
            ),
            (
                &[b"select", b"-2147483649"],
                b"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
            ),
            (&[b"swapdb", b"a", b"1"], b"-ERR invalid first DB index\r\n"),
            (
                &[b"swapdb", b"1", b"99999999999"],
                b"-ERR invalid second DB index\r\n",
            ),
            (
                &[b"swapdb", b"0", b"16"],
                b"-ERR DB index is out of range\r\n",
            ),
            (
                &[b"echo", b"a", b"b"],
                b"-ERR wrong number of arguments for 'echo' command\r\n",
            ),
            (
                &[b"ping", b"a", b"b"],
                b"-ERR wrong number of arguments for 'ping' command\r\n",
            ),
        ];
        for (args, want) in cases {
            assert_eq!(run(&mut e, &mut c, args), want, "{args:?}");
        }
    }

    #[test]
    fn reset_answers_after_reply_off() {
        let (mut e, mut c) = setup();
        run(&mut e, &mut c, &[b"client", b"setname", b"x"]);
        run(&mut e, &mut c, &[b"select", b"2"]);
        assert_eq!(run(&mut e, &mut c, &[b"client", b"reply", b"off"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"reset"]), b"+RESET\r\n");
        assert_eq!(run(&mut e, &mut c, &[b"client", b"getname"]), b"$-1\r\n");
        assert_eq!(c.db, 0);
        assert_eq!(
            run(&mut e, &mut c, &[b"reset", b"x"]),
            b"-ERR wrong number of arguments for 'reset' command\r\n"
        );
    }

    #[test]
    fn hello_needs_auth_first() {
        let (mut e, _) = setup();
        e.config.requirepass = "pw".into();
        let mut c = e.new_client("127.0.0.1:1".into(), "127.0.0.1:2".into(), 0);
        assert_eq!(
            run(&mut e, &mut c, &[b"hello", b"2"]),
            &b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"[..]
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"debug", b"x"]),
            &b"-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"[..]
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"ping"]),
            b"-NOAUTH Authentication required.\r\n"
        );
    }
}
