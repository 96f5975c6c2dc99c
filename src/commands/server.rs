//! Server commands: INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME, LASTSAVE,
//! SHUTDOWN and DEBUG.

use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, Shutdown, is};
use crate::db::Db;
use bytes::Bytes;

const FLUSH_TIPS: &[&str] = &["request_policy:all_shards", "response_policy:all_succeeded"];
const FLUSH_HISTORY: &[(&str, &str)] = &[
    ("4.0.0", "Added the `ASYNC` mode."),
    ("6.2.0", "Added the `SYNC` mode."),
];

pub static COMMANDS: &[Command] = &[
    Command::new("info", -1, super::info::info)
        .flags(flag::LOADING | flag::STALE | flag::SENTINEL)
        .acl(acl::SLOW | acl::DANGEROUS)
        .tips(&[
            "nondeterministic_output",
            "request_policy:all_shards",
            "response_policy:special",
        ])
        .doc(
            Group::Server,
            "1.0.0",
            "O(1)",
            "Reports the server's state and statistics, by section.",
        )
        .history(&[("7.0.0", "Accepts several section names in one call.")]),
    Command::new("dbsize", 1, dbsize)
        .flags(flag::READONLY | flag::FAST)
        .acl(acl::KEYSPACE | acl::READ | acl::FAST)
        .tips(&["request_policy:all_shards", "response_policy:agg_sum"])
        .doc(
            Group::Server,
            "1.0.0",
            "O(1)",
            "Returns how many keys the selected database holds.",
        ),
    Command::new("flushdb", -1, flushdb)
        .flags(flag::WRITE)
        .acl(acl::KEYSPACE | acl::WRITE | acl::SLOW | acl::DANGEROUS)
        .tips(FLUSH_TIPS)
        .doc(
            Group::Server,
            "1.0.0",
            "O(N) where N is the number of keys in the selected database",
            "Deletes every key of the selected database.",
        )
        .history(FLUSH_HISTORY),
    Command::new("flushall", -1, flushall)
        .flags(flag::WRITE)
        .acl(acl::KEYSPACE | acl::WRITE | acl::SLOW | acl::DANGEROUS)
        .tips(FLUSH_TIPS)
        .doc(
            Group::Server,
            "1.0.0",
            "O(N) where N is the total number of keys in all databases",
            "Deletes every key of every database.",
        )
        .history(FLUSH_HISTORY),
    Command::new("time", 1, time)
        .flags(flag::LOADING | flag::STALE | flag::FAST)
        .acl(acl::FAST)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Server,
            "2.6.0",
            "O(1)",
            "Returns the server's clock: Unix seconds and microseconds.",
        ),
    Command::new("lastsave", 1, lastsave)
        .flags(flag::LOADING | flag::STALE | flag::FAST)
        .acl(acl::ADMIN | acl::FAST | acl::DANGEROUS)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Server,
            "1.0.0",
            "O(1)",
            "Returns the Unix time of the last successful save.",
        ),
    Command::new("shutdown", -1, shutdown)
        .flags(
            flag::ADMIN
                | flag::NOSCRIPT
                | flag::LOADING
                | flag::STALE
                | flag::NO_MULTI
                | flag::SENTINEL
                | flag::ALLOW_BUSY,
        )
        .acl(acl::ADMIN | acl::SLOW | acl::DANGEROUS)
        .doc(
            Group::Server,
            "1.0.0",
            "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
            "Stops the server, optionally saving the dataset first.",
        )
        .history(&[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")]),
    Command::new("debug", -2, super::debug::debug)
        .flags(flag::ADMIN | flag::NOSCRIPT | flag::LOADING | flag::STALE | flag::PROTECTED)
        .acl(acl::ADMIN | acl::SLOW | acl::DANGEROUS)
        .syscmd()
        .doc(
            Group::Server,
            "1.0.0",
            "Depends on subcommand.",
            "Commands for testing and inspecting the server's internals.",
        ),
];

/// Replies to a HELP subcommand: Redis's layout, a header line, the given
/// lines, and the closing HELP line.
pub fn reply_help(ctx: &mut Ctx, container: &str, lines: &[&str]) {
    ctx.reply.array(lines.len() + 3);
    ctx.reply.simple(&format!(
        "{container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    ));
    for l in lines {
        ctx.reply.simple(l);
    }
    ctx.reply.simple("HELP");
    ctx.reply.simple("    Prints this help.");
}

fn dbsize(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    let n = ctx.db().len();
    ctx.reply.int(n as i64);
    Ok(())
}

/// FLUSHDB/FLUSHALL's optional mode: true for ASYNC. Without one, Redis
/// follows lazyfree-lazy-user-flush.
fn flush_mode(ctx: &mut Ctx, args: &[Bytes]) -> Result<bool, CmdError> {
    match args {
        [_] => Ok(ctx.engine.config.lazyfree_lazy_user_flush),
        [_, m] if is(m, "sync") => Ok(false),
        [_, m] if is(m, "async") => Ok(true),
        _ => Err(CmdError::SYNTAX),
    }
}

/// Empties a database; returns how many keys it held. Flushed ASYNC,
/// its keys go to the lazyfree thread whatever their number, as Redis's
/// emptyDbAsync (INFO's lazyfreed_objects counts them).
fn empty_db(db: &mut Db, async_free: bool) -> usize {
    let n = db.len();
    if async_free {
        crate::db::lazyfree::global().free_keys(db.take_keys(), n);
    } else {
        db.clear();
    }
    n
}

fn flushdb(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let async_free = flush_mode(ctx, args)?;
    let (db, now) = (ctx.client.db, ctx.now_ms);
    ctx.engine.watched_db_flushed(db, now);
    // XREADGROUP waiters on a flushed stream get their error (Redis's
    // signalFlushedDb); other waiters find nothing and wait on.
    ctx.engine.blocking.signal_waited_in(db);
    let n = empty_db(ctx.db(), async_free);
    ctx.dirty(n as u64);
    // Logged even when the database was empty already, as Redis does.
    ctx.force_propagation();
    ctx.reply.ok();
    Ok(())
}

fn flushall(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let async_free = flush_mode(ctx, args)?;
    for db in 0..ctx.engine.keyspace.dbs.len() {
        ctx.engine.watched_db_flushed(db, ctx.now_ms);
        ctx.engine.blocking.signal_waited_in(db);
    }
    let n: usize = ctx
        .engine
        .keyspace
        .dbs
        .iter_mut()
        .map(|db| empty_db(db, async_free))
        .sum();
    ctx.dirty(n as u64);
    // With save points set, Redis writes the now empty data set at once
    // (stopping any snapshot in progress), keeping the change count so
    // the flush itself is not forgotten by the next save point.
    ctx.engine.kill_rdb_child();
    if !ctx.engine.config.save.is_empty() {
        let dirty = ctx.engine.dirty;
        ctx.engine.save_rdb();
        ctx.engine.dirty = dirty;
    }
    // Redis counts one more change for the flush itself.
    ctx.dirty(1);
    ctx.reply.ok();
    Ok(())
}

fn time(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    let us = crate::util::now_us();
    ctx.reply.array(2);
    ctx.reply.bulk_int(us / 1_000_000);
    ctx.reply.bulk_int(us % 1_000_000);
    Ok(())
}

fn lastsave(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    ctx.reply.int(ctx.engine.lastsave);
    Ok(())
}

/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. ferredis stops at once
/// (there is no replica to wait for), so ABORT never finds a shutdown to
/// cancel. With save points set, or SAVE, the data set is saved first; a
/// failed save keeps the server running unless FORCE says to stop anyway.
fn shutdown(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (mut save, mut nosave, mut force, mut abort, mut now) = (false, false, false, false, false);
    for a in &args[1..] {
        match () {
            _ if is(a, "nosave") => nosave = true,
            _ if is(a, "save") => save = true,
            _ if is(a, "now") => now = true,
            _ if is(a, "force") => force = true,
            _ if is(a, "abort") => abort = true,
            _ => return Err(CmdError::SYNTAX),
        }
    }
    if (abort && (save || nosave || now || force)) || (save && nosave) {
        return Err(CmdError::SYNTAX);
    }
    if abort {
        return Err(CmdError::text("ERR No shutdown in progress."));
    }
    if !ctx.engine.prepare_shutdown(save, nosave, force) {
        return Err(CmdError::text("ERR Errors trying to SHUTDOWN. Check logs."));
    }
    ctx.engine.shutdown = Some(match (save, nosave) {
        (true, _) => Shutdown::Save,
        (_, true) => Shutdown::NoSave,
        _ => Shutdown::Default,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::Shutdown;
    use crate::commands::tests::{run, setup};

    // Expected replies were read off redis-server 7.0.15.
    #[test]
    fn dbsize_and_flushes() {
        let (mut e, mut c) = setup();
        assert_eq!(run(&mut e, &mut c, &[b"dbsize"]), b":0\r\n");
        run(&mut e, &mut c, &[b"set", b"a", b"1"]);
        run(&mut e, &mut c, &[b"set", b"b", b"1"]);
        assert_eq!(run(&mut e, &mut c, &[b"dbsize"]), b":2\r\n");
        for bad in [
            &[&b"flushdb"[..], b"x"][..],
            &[b"flushdb", b"async", b"x"],
            &[b"flushall", b"async", b"sync"],
        ] {
            assert_eq!(run(&mut e, &mut c, bad), b"-ERR syntax error\r\n");
        }
        assert_eq!(run(&mut e, &mut c, &[b"flushdb", b"ASYNC"]), b"+OK\r\n");
        assert_eq!(run(&mut e, &mut c, &[b"dbsize"]), b":0\r\n");
        run(&mut e, &mut c, &[b"set", b"a", b"1"]);
        run(&mut e, &mut c, &[b"select", b"3"]);
        run(&mut e, &mut c, &[b"set", b"a", b"1"]);
        assert_eq!(run(&mut e, &mut c, &[b"flushdb", b"sync"]), b"+OK\r\n");
        run(&mut e, &mut c, &[b"select", b"0"]);
        assert_eq!(run(&mut e, &mut c, &[b"dbsize"]), b":1\r\n");
        assert_eq!(run(&mut e, &mut c, &[b"flushall"]), b"+OK\r\n");
        assert_eq!(run(&mut e, &mut c, &[b"dbsize"]), b":0\r\n");
        // Many keys go to a thread to be freed; the database is empty at once.
        for i in 0..200 {
            run(&mut e, &mut c, &[b"set", format!("k{i}").as_bytes(), b"v"]);
        }
        assert_eq!(run(&mut e, &mut c, &[b"flushall", b"async"]), b"+OK\r\n");
        assert_eq!(run(&mut e, &mut c, &[b"dbsize"]), b":0\r\n");
        assert_eq!(
            run(&mut e, &mut c, &[b"dbsize", b"x"]),
            b"-ERR wrong number of arguments for 'dbsize' command\r\n"
        );
    }

    #[test]
    fn time_and_lastsave() {
        let (mut e, mut c) = setup();
        let t = String::from_utf8(run(&mut e, &mut c, &[b"time"])).unwrap();
        let parts: Vec<&str> = t.split("\r\n").collect();
        assert_eq!((parts[0], parts[1].starts_with('$')), ("*2", true));
        let secs: i64 = parts[2].parse().unwrap();
        assert!((secs - crate::util::now_ms() / 1000).abs() <= 1);
        assert!(parts[4].parse::<u32>().unwrap() < 1_000_000);
        let last = format!(":{}\r\n", e.lastsave);
        assert_eq!(run(&mut e, &mut c, &[b"lastsave"]), last.as_bytes());
        assert_eq!(
            run(&mut e, &mut c, &[b"time", b"x"]),
            b"-ERR wrong number of arguments for 'time' command\r\n"
        );
    }

    #[test]
    fn shutdown_options() {
        let (mut e, mut c) = setup();
        for bad in [
            &[&b"shutdown"[..], b"foo"][..],
            &[b"shutdown", b"nosave", b"save"],
            &[b"shutdown", b"now", b"now", b"abort"],
            &[b"shutdown", b"force", b"abort"],
        ] {
            assert_eq!(run(&mut e, &mut c, bad), b"-ERR syntax error\r\n");
        }
        assert_eq!(
            run(&mut e, &mut c, &[b"shutdown", b"abort"]),
            b"-ERR No shutdown in progress.\r\n"
        );
        // A save that fails (its target is a directory) keeps the server
        // up, unless FORCE.
        e.config.dbfilename = "unwritable".into();
        std::fs::create_dir_all(e.data_dir.join("unwritable")).unwrap();
        assert_eq!(
            run(&mut e, &mut c, &[b"shutdown", b"save", b"now"]),
            b"-ERR Errors trying to SHUTDOWN. Check logs.\r\n"
        );
        assert_eq!(e.shutdown, None);
        assert_eq!(run(&mut e, &mut c, &[b"shutdown", b"save", b"force"]), b"");
        assert_eq!(e.shutdown, Some(Shutdown::Save));
        e.shutdown = None;
        e.config.dbfilename = "shutdown.rdb".into();
        assert_eq!(run(&mut e, &mut c, &[b"shutdown"]), b"");
        assert_eq!(e.shutdown, Some(Shutdown::Default));
        assert!(
            e.data_dir.join("shutdown.rdb").exists(),
            "saved: save points are set"
        );
        e.shutdown = None;
        assert_eq!(run(&mut e, &mut c, &[b"SHUTDOWN", b"NOSAVE", b"NOW"]), b"");
        assert_eq!(e.shutdown, Some(Shutdown::NoSave));
    }

    #[test]
    fn debug_is_gated() {
        let (mut e, mut c) = setup();
        let refused: &[u8] = b"-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";
        assert_eq!(run(&mut e, &mut c, &[b"debug", b"help"]), refused);
        assert_eq!(
            run(&mut e, &mut c, &[b"debug"]),
            b"-ERR wrong number of arguments for 'debug' command\r\n"
        );
        e.config.enable_debug_command = "local";
        assert_eq!(run(&mut e, &mut c, &[b"debug", b"sleep", b"0"]), b"+OK\r\n");
        let mut remote = e.new_client("10.0.0.1:5".into(), "10.0.0.2:6379".into(), 0);
        assert_eq!(
            run(&mut e, &mut remote, &[b"debug", b"sleep", b"0"]),
            refused
        );
        e.config.enable_debug_command = "yes";
        assert_eq!(
            run(&mut e, &mut remote, &[b"debug", b"sleep", b"x"]),
            b"+OK\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"debug", b"foo"]),
            b"-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"debug", b"sleep"]),
            b"-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"debug", b"object", b"nokey"]),
            b"-ERR no such key\r\n"
        );
        run(&mut e, &mut c, &[b"set", b"k", b"123"]);
        let out = String::from_utf8(run(&mut e, &mut c, &[b"debug", b"object", b"k"])).unwrap();
        assert!(out.starts_with("+Value at:0x"));
        assert!(out.contains(" refcount:2147483647 encoding:int serializedlength:2 lru:"));
        assert!(out.ends_with(" lru_seconds_idle:0\r\n"));
    }

    #[test]
    fn info_sections() {
        let (mut e, mut c) = setup();
        assert_eq!(run(&mut e, &mut c, &[b"info", b"foo"]), b"$0\r\n\r\n");
        assert_eq!(
            run(&mut e, &mut c, &[b"info", b"cluster", b"modules"]),
            b"$43\r\n# Modules\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"info", b"CLUSTER", b"cluster"]),
            b"$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"info", b"keyspace"]),
            b"$12\r\n# Keyspace\r\n\r\n"
        );
        run(&mut e, &mut c, &[b"set", b"a", b"1"]);
        run(&mut e, &mut c, &[b"select", b"3"]);
        run(&mut e, &mut c, &[b"set", b"x", b"y"]);
        assert_eq!(
            run(&mut e, &mut c, &[b"info", b"keyspace"]),
            b"$76\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n\r\n"
        );
        let titles = |out: Vec<u8>| -> Vec<String> {
            String::from_utf8(out)
                .unwrap()
                .split("\r\n")
                .filter(|l| l.starts_with("# "))
                .map(str::to_string)
                .collect()
        };
        let default = [
            "# Server",
            "# Clients",
            "# Memory",
            "# Persistence",
            "# Stats",
            "# Replication",
            "# CPU",
            "# Modules",
            "# Errorstats",
            "# Cluster",
            "# Keyspace",
        ];
        assert_eq!(titles(run(&mut e, &mut c, &[b"info"])), default);
        assert_eq!(
            titles(run(&mut e, &mut c, &[b"info", b"default", b"cluster"])),
            default
        );
        let all = titles(run(&mut e, &mut c, &[b"info", b"everything"]));
        assert_eq!(
            all,
            [
                "# Server",
                "# Clients",
                "# Memory",
                "# Persistence",
                "# Stats",
                "# Replication",
                "# CPU",
                "# Modules",
                "# Commandstats",
                "# Errorstats",
                "# Latencystats",
                "# Cluster",
                "# Keyspace",
            ]
        );
        assert_eq!(titles(run(&mut e, &mut c, &[b"info", b"all"])), all);
        let lat = String::from_utf8(run(&mut e, &mut c, &[b"info", b"latencystats"])).unwrap();
        assert!(lat.contains("\r\nlatency_percentiles_usec_info:p50="));
        let server = String::from_utf8(run(&mut e, &mut c, &[b"info", b"server"])).unwrap();
        assert!(server.contains("\r\nredis_version:7.0.15\r\nferredis_version:"));
    }

    #[test]
    fn commandstats_and_errorstats() {
        let (mut e, mut c) = setup();
        run(&mut e, &mut c, &[b"get", b"a"]);
        run(&mut e, &mut c, &[b"get"]);
        run(&mut e, &mut c, &[b"client", b"id", b"x"]);
        run(&mut e, &mut c, &[b"client", b"setname", b"a b"]);
        run(&mut e, &mut c, &[b"foo"]);
        let out = String::from_utf8(run(&mut e, &mut c, &[b"info", b"commandstats"])).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("cmdstat_get:calls=1,usec=")
                    && l.ends_with(",rejected_calls=1,failed_calls=0"))
        );
        assert!(lines.contains(
            &"cmdstat_client|id:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0"
        ));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("cmdstat_client|setname:calls=1,")
                    && l.ends_with(",rejected_calls=0,failed_calls=1"))
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"info", b"errorstats"]),
            b"$37\r\n# Errorstats\r\nerrorstat_ERR:count=4\r\n\r\n"
        );
        // Samples the cron took before a reset must not make INFO's rates
        // go negative.
        e.stats.ops_samples.extend([(0, 100), (1000, 200)]);
        e.stats
            .net_samples
            .extend([(0, 100, 100), (1000, 200, 200)]);
        run(&mut e, &mut c, &[b"config", b"resetstat"]);
        e.stats.ops_samples.extend([(0, 100), (1000, 5)]);
        e.stats.net_samples.extend([(0, 100, 100), (1000, 5, 5)]);
        let stats = String::from_utf8(run(&mut e, &mut c, &[b"info", b"stats"])).unwrap();
        assert!(stats.contains("\r\ninstantaneous_ops_per_sec:0\r\n"));
        assert!(stats.contains("\r\ninstantaneous_input_kbps:0.00\r\n"));
        assert_eq!(
            run(&mut e, &mut c, &[b"info", b"errorstats"]),
            b"$14\r\n# Errorstats\r\n\r\n"
        );
    }
}
