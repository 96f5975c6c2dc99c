//! COMMAND and its subcommands: the command table, as data, to clients.

use super::command_docs::{reply_docs, reply_info, reply_key_flags, reply_named_docs};
use super::table::{Command, Entry, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, is};
use bytes::Bytes;

const FLAGS: u32 = flag::LOADING | flag::STALE | flag::SENTINEL;
const ACL: u32 = acl::SLOW | acl::CONNECTION;
const PER_COMMAND: &str = "O(N) where N is the total number of Redis commands";
const PER_ARGUMENT: &str = "O(N) where N is the number of arguments to the command";
const PER_LOOKUP: &str = "O(N) where N is the number of commands to look up";

static SUBCOMMANDS: &[Command] = &[
    Command::new("count", 2, command_count)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            Group::Server,
            "2.8.13",
            "O(1)",
            "Returns how many commands the server has.",
        ),
    Command::new("info", -2, command_info)
        .flags(FLAGS)
        .acl(ACL)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Server,
            "2.8.13",
            PER_LOOKUP,
            "Describes the named commands, or every command.",
        )
        .history(&[("7.0.0", "Describes every command when no name is given.")]),
    Command::new("docs", -2, command_docs)
        .flags(FLAGS)
        .acl(ACL)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Server,
            "7.0.0",
            PER_LOOKUP,
            "Returns the documentation of the named commands, or of every command.",
        ),
    Command::new("list", -2, command_list)
        .flags(FLAGS)
        .acl(ACL)
        .tips(&["nondeterministic_output_order"])
        .doc(
            Group::Server,
            "7.0.0",
            PER_COMMAND,
            "Lists command names, optionally filtered by ACL category or pattern.",
        ),
    Command::new("getkeys", -4, command_getkeys)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            Group::Server,
            "2.8.13",
            PER_ARGUMENT,
            "Returns the keys a full command line names.",
        ),
    Command::new("getkeysandflags", -4, command_getkeysandflags)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            Group::Server,
            "7.0.0",
            PER_ARGUMENT,
            "Returns the keys a full command line names, with how each is accessed.",
        ),
    Command::new("help", 2, command_help)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            Group::Server,
            "5.0.0",
            "O(1)",
            "Lists the COMMAND subcommands.",
        ),
];

pub static COMMANDS: &[Command] = &[Command::new("command", -1, command_all)
    .subcommands(SUBCOMMANDS)
    .flags(FLAGS)
    .acl(ACL)
    .tips(&["nondeterministic_output_order"])
    .doc(
        Group::Server,
        "2.8.13",
        PER_COMMAND,
        "Describes every command the server has.",
    )];

/// Plain COMMAND: COMMAND INFO for every command.
fn command_all(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    let table = &ctx.engine.commands;
    ctx.reply.array(table.len());
    for e in table.top_level() {
        reply_info(ctx.reply, e.cmd, e.full_name);
    }
    Ok(())
}

fn command_count(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    ctx.reply.int(ctx.engine.commands.len() as i64);
    Ok(())
}

/// COMMAND INFO [name ...]: `name` or `container|sub`; unknown names
/// give nil in their place.
fn command_info(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    if args.len() == 2 {
        return command_all(ctx, args);
    }
    let table = &ctx.engine.commands;
    ctx.reply.array(args.len() - 2);
    for name in &args[2..] {
        match table.by_full_name(name) {
            Some(e) => reply_info(ctx.reply, e.cmd, e.full_name),
            None => ctx.reply.null(),
        }
    }
    Ok(())
}

/// COMMAND DOCS [name ...]: a map from name to documentation; unknown
/// names are left out, a name given twice is there twice.
fn command_docs(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let table = &ctx.engine.commands;
    if args.len() == 2 {
        ctx.reply.map(table.len());
        for e in table.top_level() {
            reply_named_docs(ctx.reply, &e);
        }
        return Ok(());
    }
    let found: Vec<Entry> = args[2..]
        .iter()
        .filter_map(|n| table.by_full_name(n))
        .collect();
    ctx.reply.map(found.len());
    for e in found {
        ctx.reply.bulk(e.full_name.as_bytes());
        reply_docs(ctx.reply, e.cmd);
    }
    Ok(())
}

/// What COMMAND LIST FILTERBY keeps.
enum ListFilter<'a> {
    All,
    /// ferredis has no modules, so this keeps nothing.
    Module,
    /// An unknown category keeps nothing.
    AclCat(Option<u32>),
    Pattern(&'a [u8]),
}

impl ListFilter<'_> {
    fn keeps(&self, e: &Entry) -> bool {
        match self {
            ListFilter::All => true,
            ListFilter::Module => false,
            ListFilter::AclCat(cat) => cat.is_some_and(|c| e.cmd.acl_categories() & c != 0),
            ListFilter::Pattern(p) => crate::util::glob::matches_nocase(p, e.full_name.as_bytes()),
        }
    }
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]:
/// every command and subcommand name the filter keeps.
fn command_list(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut filter = ListFilter::All;
    let mut i = 2;
    while i < args.len() {
        // Redis wants exactly FILTERBY <type> <arg> to follow.
        if !(is(&args[i], "filterby") && args.len() - 1 - i == 2) {
            return Err(CmdError::SYNTAX);
        }
        let (kind, arg) = (&args[i + 1], &args[i + 2]);
        filter = match () {
            _ if is(kind, "module") => ListFilter::Module,
            _ if is(kind, "aclcat") => ListFilter::AclCat(acl::by_name(arg)),
            _ if is(kind, "pattern") => ListFilter::Pattern(arg),
            _ => return Err(CmdError::SYNTAX),
        };
        i += 3;
    }
    let names: Vec<&str> = ctx
        .engine
        .commands
        .entries()
        .filter(|(_, e)| filter.keeps(e))
        .map(|(_, e)| e.full_name)
        .collect();
    ctx.reply.array(names.len());
    for n in names {
        ctx.reply.bulk(n.as_bytes());
    }
    Ok(())
}

fn command_getkeys(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    get_keys(ctx, args, false)
}

fn command_getkeysandflags(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    get_keys(ctx, args, true)
}

/// COMMAND GETKEYS / GETKEYSANDFLAGS <command line>: the keys it names,
/// found as the server itself would find them.
fn get_keys(ctx: &mut Ctx, args: &[Bytes], with_flags: bool) -> CmdResult {
    let line = &args[2..];
    let cmd = ctx
        .engine
        .commands
        .lookup(line)
        .ok()
        .map(|(cmd, _)| cmd)
        .ok_or(CmdError::text("ERR Invalid command specified"))?;
    if !cmd.has_keys() {
        return Err(CmdError::text("ERR The command has no key arguments"));
    }
    if !cmd.arity_ok(line.len()) {
        return Err(CmdError::text(
            "ERR Invalid number of arguments specified for command",
        ));
    }
    let keys = cmd.get_keys(line);
    if keys.is_empty() && !cmd.has(flag::NO_MANDATORY_KEYS) {
        return Err(CmdError::text(
            "ERR Invalid arguments specified for command",
        ));
    }
    ctx.reply.array(keys.len());
    for k in keys {
        let key = line.get(k.pos).map_or(&b""[..], |a| a);
        if with_flags {
            ctx.reply.array(2);
            ctx.reply.bulk(key);
            reply_key_flags(ctx.reply, k.flags);
        } else {
            ctx.reply.bulk(key);
        }
    }
    Ok(())
}

fn command_help(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    super::server::reply_help(
        ctx,
        "COMMAND",
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::tests::{run, setup};

    // Every expected reply below was read off redis-server 7.0.15.
    #[test]
    fn info_matches_redis_bytes() {
        let (mut e, mut c) = setup();
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"info", b"ping", b"echo", b"nosuch"]),
            &b"*3\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n*10\r\n$4\r\necho\r\n:2\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n$-1\r\n"[..]
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"info", b"set"]),
            &b"*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$48\r\nRW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"[..]
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"info", b"CONFIG|GET", b"client|kill"]),
            &b"*2\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$11\r\nclient|kill\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"[..]
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"info", b"shutdown", b"info", b"flushall", b"debug"]),
            &b"*4\r\n*10\r\n$8\r\nshutdown\r\n:-1\r\n*6\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n+no_multi\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$4\r\ninfo\r\n:-1\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@dangerous\r\n*3\r\n$23\r\nnondeterministic_output\r\n$25\r\nrequest_policy:all_shards\r\n$23\r\nresponse_policy:special\r\n*0\r\n*0\r\n*10\r\n$8\r\nflushall\r\n:-1\r\n*1\r\n+write\r\n:0\r\n:0\r\n:0\r\n*4\r\n+@keyspace\r\n+@write\r\n+@slow\r\n+@dangerous\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n*10\r\n$5\r\ndebug\r\n:-2\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"[..]
        );
        // Names Redis's lookupCommandBySds refuses.
        for bad in [
            &b"config|"[..],
            b"|get",
            b"",
            b"get|x",
            b"config|get|x",
            b"config||get",
        ] {
            assert_eq!(
                run(&mut e, &mut c, &[b"command", b"info", bad]),
                b"*1\r\n$-1\r\n"
            );
        }
    }

    #[test]
    fn count_list_and_errors() {
        let (mut e, mut c) = setup();
        let n = e.commands.len();
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"count"]),
            format!(":{n}\r\n").as_bytes()
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"count", b"x"]),
            b"-ERR wrong number of arguments for 'command|count' command\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"foo"]),
            b"-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n"
        );
        for args in [
            &[&b"command"[..], b"list", b"filterby"][..],
            &[b"command", b"list", b"foo"],
            &[b"command", b"list", b"filterby", b"pattern", b"x", b"y"],
            &[b"command", b"list", b"filterby", b"foo", b"x"],
        ] {
            assert_eq!(run(&mut e, &mut c, args), b"-ERR syntax error\r\n");
        }
        for (kind, arg) in [(&b"aclcat"[..], &b"nosuch"[..]), (b"module", b"x")] {
            assert_eq!(
                run(
                    &mut e,
                    &mut c,
                    &[b"command", b"list", b"filterby", kind, arg]
                ),
                b"*0\r\n"
            );
        }
        let out = run(
            &mut e,
            &mut c,
            &[b"command", b"list", b"filterby", b"pattern", b"CONFIG*"],
        );
        assert_eq!(
            out,
            b"*5\r\n$6\r\nconfig\r\n$10\r\nconfig|get\r\n$10\r\nconfig|set\r\n$16\r\nconfig|resetstat\r\n$11\r\nconfig|help\r\n"
        );
        let slow = run(
            &mut e,
            &mut c,
            &[b"command", b"list", b"filterby", b"aclcat", b"DANGEROUS"],
        );
        let slow = String::from_utf8(slow).unwrap();
        assert!(slow.contains("$8\r\nflushall\r\n") && !slow.contains("$4\r\nping\r\n"));
    }

    #[test]
    fn getkeys_follows_specs_and_errors() {
        let (mut e, mut c) = setup();
        let cases: [(&[&[u8]], &[u8]); 9] = [
            (&[b"get", b"a"], b"*1\r\n$1\r\na\r\n"),
            (&[b"nosuch", b"a"], b"-ERR Invalid command specified\r\n"),
            (
                &[b"config", b"foo", b"x"],
                b"-ERR Invalid command specified\r\n",
            ),
            (
                &[b"ping", b"a"],
                b"-ERR The command has no key arguments\r\n",
            ),
            (
                &[b"config", b"get", b"x"],
                b"-ERR The command has no key arguments\r\n",
            ),
            (
                &[b"set", b"a"],
                b"-ERR Invalid number of arguments specified for command\r\n",
            ),
            (
                &[b"get", b"a", b"b"],
                b"-ERR Invalid number of arguments specified for command\r\n",
            ),
            (&[b"GET", b"k"], b"*1\r\n$1\r\nk\r\n"),
            (&[b"set", b"k", b"v"], b"*1\r\n$1\r\nk\r\n"),
        ];
        for (line, want) in cases {
            let mut args: Vec<&[u8]> = vec![b"command", b"getkeys"];
            args.extend_from_slice(line);
            assert_eq!(run(&mut e, &mut c, &args), want, "{line:?}");
        }
        assert_eq!(
            run(
                &mut e,
                &mut c,
                &[b"command", b"getkeysandflags", b"set", b"k", b"v", b"get"]
            ),
            b"*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"
        );
        assert_eq!(
            run(
                &mut e,
                &mut c,
                &[b"command", b"getkeysandflags", b"set", b"a", b"b", b"gets"]
            ),
            b"*1\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n"
        );
        assert_eq!(
            run(
                &mut e,
                &mut c,
                &[b"command", b"getkeysandflags", b"get", b"k"]
            ),
            b"*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"getkeys", b"get"]),
            b"-ERR wrong number of arguments for 'command|getkeys' command\r\n"
        );
    }

    #[test]
    fn docs_layout() {
        let (mut e, mut c) = setup();
        // Redis's layout, with ferredis's own summary.
        let out = run(&mut e, &mut c, &[b"command", b"docs", b"debug", b"nosuch"]);
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("*2\r\n$5\r\ndebug\r\n*10\r\n$7\r\nsummary\r\n"));
        assert!(out.ends_with(
            "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$22\r\nDepends on subcommand.\r\n$9\r\ndoc_flags\r\n*1\r\n+syscmd\r\n"
        ));
        // A name twice is there twice; the container nests its subcommands.
        let out = run(&mut e, &mut c, &[b"command", b"docs", b"GET", b"get"]);
        assert!(out.starts_with(b"*4\r\n$3\r\nget\r\n"));
        let out = run(&mut e, &mut c, &[b"command", b"docs", b"config"]);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("$11\r\nsubcommands\r\n*8\r\n$10\r\nconfig|get\r\n"));
        let out = run(&mut e, &mut c, &[b"command", b"docs", b"config|get"]);
        assert!(out.starts_with(b"*2\r\n$10\r\nconfig|get\r\n"));
    }

    #[test]
    fn help_matches_redis() {
        let (mut e, mut c) = setup();
        assert_eq!(
            run(&mut e, &mut c, &[b"command", b"help"]),
            &b"*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcommand)\r\n+    Return details about all Redis commands.\r\n+COUNT\r\n+    Return the total number of commands in this Redis server.\r\n+LIST\r\n+    Return a list of all commands in this Redis server.\r\n+INFO [<command-name> ...]\r\n+    Return details about multiple Redis commands.\r\n+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n+DOCS [<command-name> ...]\r\n+    Return documentation details about multiple Redis commands.\r\n+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n+GETKEYS <full-command>\r\n+    Return the keys from a full Redis command.\r\n+GETKEYSANDFLAGS <full-command>\r\n+    Return the keys and the access flags from a full Redis command.\r\n+HELP\r\n+    Prints this help.\r\n"[..]
        );
    }
}

#[cfg(test)]
mod odd_arguments {
    use crate::commands::tests::{TestClients, run_with};
    use crate::commands::{ClientState, Engine};
    use crate::config::Config;

    /// Every command and subcommand in the table, called with awkward
    /// arguments in every position, replies without panicking.
    #[test]
    fn every_command_survives_odd_arguments() {
        let mut e = Engine::new(Config::defaults());
        e.data_dir = crate::commands::tests::test_data_dir();
        // DEBUG too; none of the arguments below makes DEBUG SLEEP wait.
        e.config.enable_debug_command = "yes";
        let mut c: ClientState = e.new_client("127.0.0.1:1".into(), "127.0.0.1:2".into(), 0);
        let mut others = TestClients::default();
        others.add(&mut e, "127.0.0.1:3");
        let odd: [&[u8]; 12] = [
            b"",
            b"\0",
            b"-1",
            b"0",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"1e400",
            b"nan",
            b"get",
            b"filterby",
            b"id",
            b"\xff\r\n",
        ];
        let names: Vec<(String, Option<String>)> = e
            .commands
            .entries()
            .map(|(_, en)| {
                (
                    en.parent.map_or(en.cmd.name, |p| p.name).to_string(),
                    en.parent.map(|_| en.cmd.name.to_string()),
                )
            })
            .collect();
        for (name, sub) in names {
            if name == "shutdown" {
                continue;
            }
            for n in 0..4 {
                for a in odd {
                    let mut args: Vec<&[u8]> = vec![name.as_bytes()];
                    if let Some(s) = &sub {
                        args.push(s.as_bytes());
                    }
                    args.extend(std::iter::repeat_n(a, n));
                    run_with(&mut e, &mut c, &mut others, &args);
                    c.close_after_reply = false;
                    c.reply_off = false;
                }
            }
        }
    }
}
