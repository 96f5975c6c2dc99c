//! Connection and server commands (the deterministic parts compared
//! exactly, the rest by shape).

use crate::args;
use crate::generate::{Cmp, Gen, Step};

pub fn step(g: &mut Gen) -> Step {
    let (cmd, cmp) = match g.rng.u32(..36) {
        0 => (args![g.name("ping")], Cmp::Exact),
        1 => (args![g.name("ping"), g.value()], Cmp::Exact),
        2 => (args![g.name("echo"), g.value()], Cmp::Exact),
        3 => (args![g.name("select"), g.int(0, 16)], Cmp::Exact),
        4 => (
            args![g.name("swapdb"), g.int(0, 3), g.int(0, 3)],
            Cmp::Exact,
        ),
        5 => (args![g.name("dbsize")], Cmp::Exact),
        6 => (
            args![g.name("flushdb"), g.pick(&["", "ASYNC", "SYNC", "bad"])],
            Cmp::Exact,
        ),
        7 => (args![g.name("set"), g.key(), g.value()], Cmp::Exact),
        8 => (args![g.name("time")], Cmp::Shape),
        9 => (
            args![
                g.name("info"),
                g.pick(&["server", "keyspace", "stats", "bogus", "all", "default"])
            ],
            Cmp::Shape,
        ),
        10 => (
            args![
                g.name("config"),
                "get",
                g.pick(&[
                    "maxmemory",
                    "hz",
                    "save",
                    // (not "port": the two servers listen on different ones)
                    "bind",
                    "databases",
                    "*max*",
                    "nonexistent",
                    "appendonly",
                    "timeout"
                ])
            ],
            Cmp::UnorderedPairs,
        ),
        11 => (
            args![
                g.name("config"),
                "set",
                // maxmemory would make Redis evict or refuse writes, which
                // ferredis does not do yet: it is only read, not set.
                g.pick(&[
                    "hz",
                    "timeout",
                    "databases",
                    "nonexistent",
                    "loglevel",
                    "save",
                    "maxmemory-policy"
                ]),
                g.pick(&[
                    "10",
                    "0",
                    "abc",
                    "100mb",
                    "warning",
                    "",
                    "3600 1",
                    "allkeys-lru"
                ])
            ],
            Cmp::Exact,
        ),
        12 => (
            args![
                g.name("client"),
                g.pick(&["getname", "id", "info", "list", "foo", "help"])
            ],
            Cmp::Shape,
        ),
        13 => (
            args![
                g.name("client"),
                "setname",
                g.pick(&["name", "a b", "", "x\ny", "ok-name"])
            ],
            Cmp::Exact,
        ),
        14 => (args![g.name("client"), "getname"], Cmp::Exact),
        15 => (args![g.name("command"), "count"], Cmp::Exact),
        16 => (
            args![
                g.name("command"),
                "info",
                g.pick(&[
                    "get",
                    "set",
                    "ping",
                    "nosuch",
                    "config|get",
                    "client",
                    "echo",
                    "incr",
                    "mset",
                    "scan",
                    "expire",
                    "object",
                    "bitfield",
                    "lcs",
                    "info",
                    "command",
                    "hello",
                    "client|list",
                    "getex",
                    "del",
                    "swapdb"
                ])
            ],
            Cmp::CommandEntries,
        ),
        17 => (
            args![
                g.name("command"),
                "getkeys",
                g.pick(&["get", "set", "mset", "ping", "nosuch"]),
                g.key(),
                g.value()
            ],
            Cmp::Exact,
        ),
        18 => (
            args![g.name("hello"), g.pick(&["2", "1", "4", "x", "3"])],
            Cmp::Shape,
        ),
        19 => (args![g.name("auth"), g.value()], Cmp::Exact),
        20 => (
            args![g.name("debug"), g.pick(&["sleep", "object", "help"]), "0"],
            Cmp::Exact,
        ),
        21 => (
            args![g.name_of(&["foo", "getx", "", "\x00"]), g.value()],
            Cmp::Exact,
        ),
        22 => (args![g.name("lastsave")], Cmp::Shape),
        23 => (args![g.name("object"), "help"], Cmp::Exact),
        24 => (
            args![g.name("client"), "reply", g.pick(&["on", "bad"])],
            Cmp::Exact,
        ),
        25 => (
            args![
                g.name("command"),
                "list",
                "filterby",
                g.pick(&["pattern", "aclcat", "module"]),
                g.pick(&["get*", "string", "x", "connection"])
            ],
            Cmp::Subset,
        ),
        26 => (args![g.name("reset")], Cmp::Exact),
        27 => (
            args![g.name("config"), g.pick(&["resetstat", "bogus"])],
            Cmp::Exact,
        ),
        28 => (
            args![g.name("flushall"), g.pick(&["", "ASYNC", "SYNC"])],
            Cmp::Exact,
        ),
        29 => (
            args![
                g.name("client"),
                "kill",
                g.pick(&[
                    "ID",
                    "ADDR",
                    "LADDR",
                    "TYPE",
                    "USER",
                    "SKIPME",
                    "1.2.3.4:5",
                    "id"
                ]),
                g.pick(&[
                    "999999",
                    "1.2.3.4:5",
                    "normal",
                    "pubsub",
                    "default",
                    "nobody",
                    "yes",
                    "maybe"
                ])
            ],
            Cmp::Exact,
        ),
        30 => (
            args![
                g.name("command"),
                "getkeysandflags",
                g.pick(&[
                    "get", "set", "mset", "ping", "nosuch", "lcs", "bitop", "copy"
                ]),
                g.key(),
                g.key(),
                g.value()
            ],
            Cmp::Exact,
        ),
        31 => (
            args![g.name_of(&["command", "config", "object"]), "help"],
            Cmp::Exact,
        ),
        32 => (args![g.name("config")], Cmp::Exact),
        33 => (
            args![
                g.name("client"),
                "setinfo",
                g.pick(&["lib-name", "lib-ver", "bad"]),
                g.value()
            ],
            Cmp::Exact,
        ),
        34 => (
            args![g.name("command"), "docs", g.pick(&["get", "nosuch"])],
            Cmp::Exact,
        ),
        _ => (args![g.name("get"), g.key()], Cmp::Exact),
    };
    let cmd: Vec<Vec<u8>> = cmd
        .into_iter()
        .filter(|a| !a.is_empty() || g.chance(10))
        .collect();
    let mut cmd = g.mangle(cmd);
    if cmd.is_empty() {
        // An empty request gets no reply at all (Redis skips `*0`); the
        // protocol cases cover that.
        cmd.push(b"PING".to_vec());
    }
    let cmp = if lists_command_table(&cmd) {
        Cmp::Subset
    } else {
        cmp
    };
    Step::with(cmd, cmp)
}

/// COMMAND, COMMAND INFO and COMMAND LIST without names list the whole
/// command table: ferredis's entries must each be Redis's, but Redis has
/// commands ferredis has not implemented yet.
fn lists_command_table(args: &[Vec<u8>]) -> bool {
    let word = |i: usize| args.get(i).map(|a| a.to_ascii_lowercase());
    matches!(
        (word(0).as_deref(), word(1).as_deref(), args.len()),
        (Some(b"command"), None, _)
            | (Some(b"command"), Some(b"info"), 2)
            | (Some(b"command"), Some(b"list"), _)
    )
}
