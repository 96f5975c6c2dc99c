//! What each command appends to the AOF. Every expected record was read
//! off the incremental file of redis-server 7.0.15 (appendonly yes) after
//! the same commands; times that depend on the clock are checked to be
//! absolute and within a few seconds of now.

use crate::commands::testkit::Session;

/// A command in RESP, as the AOF holds it.
fn cmd(args: &[&str]) -> String {
    let mut out = format!("*{}\r\n", args.len());
    for a in args {
        out.push_str(&format!("${}\r\n{a}\r\n", a.len()));
    }
    out
}

fn select(db: usize) -> String {
    cmd(&["SELECT", &db.to_string()])
}

fn multi(ops: &[String]) -> String {
    let mut out = cmd(&["MULTI"]);
    for op in ops {
        out.push_str(op);
    }
    out.push_str(&cmd(&["EXEC"]));
    out
}

/// A session with the AOF on and the first SELECT already logged.
fn session() -> Session {
    let mut s = Session::new();
    s.aof_on();
    s.call(&["set", "init", "1"]);
    assert_eq!(s.aof(), select(0) + &cmd(&["set", "init", "1"]));
    s
}

/// Checks one logged command whose argument `at` is an absolute time
/// `offset_ms` from now (give or take the test's own running time).
#[track_caller]
fn expect_time(s: &mut Session, head: &[&str], at: usize, offset_ms: i64, tail: &[&str]) {
    let got = s.aof();
    let now = crate::util::now_ms();
    let parts: Vec<&str> = got.split("\r\n").collect();
    // *N, then $len and the value for each argument.
    let value = parts.get(2 + 2 * at).copied().unwrap_or("");
    let when: i64 = value.parse().unwrap_or(0);
    assert!(
        (when - (now + offset_ms)).abs() < 5000,
        "time {when} not near {} in {got:?}",
        now + offset_ms
    );
    let mut want: Vec<String> = head.iter().map(|a| a.to_string()).collect();
    want.insert(at, value.to_string());
    want.extend(tail.iter().map(|a| a.to_string()));
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    assert_eq!(got, cmd(&want));
}

#[test]
fn set_family_logs_absolute_times() {
    let mut s = session();
    s.call(&["set", "a", "1", "ex", "100"]);
    expect_time(&mut s, &["SET", "a", "1", "PXAT"], 4, 100_000, &[]);
    s.call(&["set", "a", "1", "px", "100000"]);
    expect_time(&mut s, &["SET", "a", "1", "PXAT"], 4, 100_000, &[]);
    s.call(&["set", "a", "1", "exat", "99999999999"]);
    assert_eq!(s.aof(), cmd(&["SET", "a", "1", "PXAT", "99999999999000"]));
    s.call(&["set", "a", "1", "pxat", "99999999999000"]);
    assert_eq!(s.aof(), cmd(&["SET", "a", "1", "PXAT", "99999999999000"]));
    // An expire time in the past is still logged as SET ... PXAT.
    s.call(&["set", "k", "v", "pxat", "1"]);
    assert_eq!(s.aof(), cmd(&["SET", "k", "v", "PXAT", "1"]));
    s.call(&["set", "a", "2", "keepttl"]);
    assert_eq!(s.aof(), cmd(&["set", "a", "2", "keepttl"]));
    // GET is dropped (every GET, any case); with an expire the whole
    // command is rewritten anyway.
    s.call(&["set", "a", "3", "get", "GeT"]);
    assert_eq!(s.aof(), cmd(&["set", "a", "3"]));
    s.call(&["set", "a", "4", "keepttl", "get"]);
    assert_eq!(s.aof(), cmd(&["set", "a", "4", "keepttl"]));
    s.call(&["set", "a", "5", "get", "exat", "99999999999"]);
    assert_eq!(s.aof(), cmd(&["SET", "a", "5", "PXAT", "99999999999000"]));
    // Nothing changed, nothing logged.
    s.call(&["set", "a", "4", "nx"]);
    s.call(&["set", "b", "4", "xx"]);
    s.call(&["set", "c", "x", "ex", "0"]);
    assert_eq!(s.aof(), "");
    s.call(&["set", "b", "4", "nx", "ex", "10"]);
    expect_time(&mut s, &["SET", "b", "4", "PXAT"], 4, 10_000, &[]);
    s.call(&["setex", "s", "100", "v"]);
    expect_time(&mut s, &["SET", "s", "v", "PXAT"], 4, 100_000, &[]);
    s.call(&["psetex", "s", "100000", "v"]);
    expect_time(&mut s, &["SET", "s", "v", "PXAT"], 4, 100_000, &[]);
    s.call(&["setnx", "s", "v"]);
    assert_eq!(s.aof(), "");
    s.call(&["setnx", "t", "v"]);
    assert_eq!(s.aof(), cmd(&["setnx", "t", "v"]));
    s.call(&["getset", "a", "9"]);
    assert_eq!(s.aof(), cmd(&["SET", "a", "9"]));
    s.call(&["mset", "a", "1", "b", "2"]);
    assert_eq!(s.aof(), cmd(&["mset", "a", "1", "b", "2"]));
    s.call(&["msetnx", "a", "1", "zz", "3"]);
    assert_eq!(s.aof(), "");
}

#[test]
fn getex_getdel_and_float_increments() {
    let mut s = session();
    s.call(&["set", "t", "v"]);
    s.aof();
    s.call(&["getex", "t", "ex", "100"]);
    expect_time(&mut s, &["PEXPIREAT", "t"], 2, 100_000, &[]);
    s.call(&["getex", "t", "pxat", "99999999999000"]);
    assert_eq!(s.aof(), cmd(&["PEXPIREAT", "t", "99999999999000"]));
    s.call(&["getex", "t", "persist"]);
    assert_eq!(s.aof(), cmd(&["PERSIST", "t"]));
    s.call(&["getex", "t"]);
    s.call(&["getex", "t", "persist"]);
    s.call(&["getex", "nokey", "ex", "10"]);
    assert_eq!(s.aof(), "");
    s.call(&["getex", "t", "pxat", "1"]);
    assert_eq!(s.aof(), cmd(&["DEL", "t"]));
    s.call(&["set", "t", "v"]);
    s.aof();
    s.call(&["getdel", "t"]);
    assert_eq!(s.aof(), cmd(&["DEL", "t"]));
    s.call(&["getdel", "t"]);
    assert_eq!(s.aof(), "");
    s.call(&["incrbyfloat", "n", "1.5"]);
    assert_eq!(s.aof(), cmd(&["SET", "n", "1.5", "KEEPTTL"]));
    s.call(&["incrbyfloat", "n", "5.0e3"]);
    assert_eq!(s.aof(), cmd(&["SET", "n", "5001.5", "KEEPTTL"]));
    s.call(&["hset", "h", "a", "1"]);
    s.aof();
    s.call(&["hincrbyfloat", "h", "a", "0.5"]);
    assert_eq!(s.aof(), cmd(&["HSET", "h", "a", "1.5"]));
    s.call(&["hincrbyfloat", "h", "a", "1e3"]);
    assert_eq!(s.aof(), cmd(&["HSET", "h", "a", "1001.5"]));
    s.call(&["incr", "i"]);
    s.call(&["incrby", "i", "0"]);
    assert_eq!(s.aof(), cmd(&["incr", "i"]) + &cmd(&["incrby", "i", "0"]));
}

#[test]
fn expire_family() {
    let mut s = session();
    s.call(&["set", "t", "v"]);
    s.aof();
    s.call(&["expire", "t", "100"]);
    expect_time(&mut s, &["PEXPIREAT", "t"], 2, 100_000, &[]);
    s.call(&["pexpire", "t", "100000"]);
    expect_time(&mut s, &["PEXPIREAT", "t"], 2, 100_000, &[]);
    s.call(&["expireat", "t", "99999999999"]);
    assert_eq!(s.aof(), cmd(&["PEXPIREAT", "t", "99999999999000"]));
    s.call(&["pexpireat", "t", "99999999999000"]);
    assert_eq!(s.aof(), cmd(&["pexpireat", "t", "99999999999000"]));
    s.call(&["expire", "t", "100", "nx"]);
    s.call(&["expire", "t", "100", "gt"]);
    s.call(&["expire", "nokey", "100"]);
    assert_eq!(s.aof(), "");
    // The condition stays.
    s.call(&["expire", "t", "200", "xx"]);
    expect_time(&mut s, &["PEXPIREAT", "t"], 2, 200_000, &["xx"]);
    s.call(&["persist", "t"]);
    assert_eq!(s.aof(), cmd(&["persist", "t"]));
    // A time in the past deletes, and is logged as the deletion.
    s.call(&["expire", "t", "-1"]);
    assert_eq!(s.aof(), cmd(&["DEL", "t"]));
    s.call(&["set", "t", "v"]);
    s.call(&["expireat", "t", "1"]);
    assert_eq!(s.aof(), cmd(&["set", "t", "v"]) + &cmd(&["DEL", "t"]));
    s.call(&["config", "set", "lazyfree-lazy-expire", "yes"]);
    s.call(&["set", "t", "v"]);
    s.call(&["pexpire", "t", "0"]);
    assert_eq!(s.aof(), cmd(&["set", "t", "v"]) + &cmd(&["UNLINK", "t"]));
}

#[test]
fn keys_expired_by_a_command_are_deleted_first_in_one_unit() {
    let mut s = session();
    s.call(&["set", "k", "v"]);
    s.make_expired(0, "k");
    s.aof();
    // A read logs the deletion alone.
    s.call(&["get", "k"]);
    assert_eq!(s.aof(), cmd(&["DEL", "k"]));
    // A write that met expired keys: deletions and write, as a unit.
    s.call(&["set", "k", "v"]);
    s.make_expired(0, "k");
    s.aof();
    s.call(&["incr", "k"]);
    assert_eq!(s.aof(), multi(&[cmd(&["DEL", "k"]), cmd(&["incr", "k"])]));
    for k in ["k1", "k2"] {
        s.call(&["set", k, "v"]);
        s.make_expired(0, k);
    }
    s.aof();
    s.call(&["del", "k1", "k2"]);
    assert_eq!(s.aof(), multi(&[cmd(&["DEL", "k1"]), cmd(&["DEL", "k2"])]));
    s.call(&["config", "set", "lazyfree-lazy-expire", "yes"]);
    s.call(&["set", "e", "v"]);
    s.make_expired(0, "e");
    s.aof();
    s.call(&["set", "e", "v", "nx"]);
    assert_eq!(
        s.aof(),
        multi(&[cmd(&["UNLINK", "e"]), cmd(&["set", "e", "v", "nx"])])
    );
}

#[test]
fn transactions_and_databases() {
    let mut s = session();
    for c in [
        &["multi"][..],
        &["set", "x", "1"],
        &["incr", "x"],
        &["get", "x"],
    ] {
        s.call(c);
    }
    assert_eq!(s.aof(), "");
    s.call(&["exec"]);
    assert_eq!(
        s.aof(),
        multi(&[cmd(&["set", "x", "1"]), cmd(&["incr", "x"])])
    );
    // One write alone needs no MULTI; reads alone log nothing.
    for c in [&["multi"][..], &["get", "x"], &["set", "z", "1"]] {
        s.call(c);
    }
    s.call(&["exec"]);
    assert_eq!(s.aof(), cmd(&["set", "z", "1"]));
    s.call(&["multi"]);
    s.call(&["get", "x"]);
    s.call(&["exec"]);
    assert_eq!(s.aof(), "");
    // A SELECT before a command of another database, inside MULTI too.
    for c in [
        &["multi"][..],
        &["set", "a", "1"],
        &["select", "2"],
        &["set", "b", "2"],
        &["swapdb", "2", "3"],
    ] {
        s.call(c);
    }
    s.call(&["exec"]);
    assert_eq!(
        s.aof(),
        multi(&[
            cmd(&["set", "a", "1"]),
            select(2),
            cmd(&["set", "b", "2"]),
            cmd(&["swapdb", "2", "3"]),
        ])
    );
    s.call(&["select", "0"]);
    s.call(&["set", "a", "2"]);
    assert_eq!(s.aof(), select(0) + &cmd(&["set", "a", "2"]));
    // Flushes are logged even when there was nothing to flush.
    s.call(&["flushall"]);
    s.call(&["flushall"]);
    s.call(&["flushdb"]);
    s.call(&["flushdb", "sync"]);
    assert_eq!(
        s.aof(),
        cmd(&["flushall"]) + &cmd(&["flushall"]) + &cmd(&["flushdb"]) + &cmd(&["flushdb", "sync"])
    );
    s.call(&["publish", "ch", "m"]);
    s.call(&["touch", "a"]);
    assert_eq!(s.aof(), "");
}

#[test]
fn pops_are_logged_as_the_plain_pop_they_did() {
    let mut s = session();
    s.call(&["rpush", "l", "a", "b", "c", "d", "e"]);
    s.aof();
    s.call(&["lmpop", "2", "nol", "l", "left", "count", "2"]);
    assert_eq!(s.aof(), cmd(&["LPOP", "l", "2"]));
    s.call(&["blpop", "l", "0"]);
    assert_eq!(s.aof(), cmd(&["LPOP", "l"]));
    s.call(&["brpop", "l", "0"]);
    assert_eq!(s.aof(), cmd(&["RPOP", "l"]));
    s.call(&["rpush", "l", "a", "b", "c"]);
    s.aof();
    s.call(&["blmove", "l", "l3", "left", "LEFT", "0"]);
    assert_eq!(s.aof(), cmd(&["LMOVE", "l", "l3", "left", "LEFT"]));
    s.call(&["brpoplpush", "l", "l3", "0"]);
    assert_eq!(s.aof(), cmd(&["RPOPLPUSH", "l", "l3"]));
    s.call(&["blmpop", "0", "2", "nol", "l", "right", "count", "5"]);
    assert_eq!(s.aof(), cmd(&["RPOP", "l", "2"]));
    s.call(&["lpop", "l3", "2"]);
    assert_eq!(s.aof(), cmd(&["lpop", "l3", "2"]));
    s.call(&["zadd", "z", "1", "a", "2", "b", "3", "c"]);
    s.aof();
    s.call(&["zmpop", "1", "z", "min", "count", "1"]);
    assert_eq!(s.aof(), cmd(&["ZPOPMIN", "z", "1"]));
    s.call(&["bzpopmax", "z", "0"]);
    assert_eq!(s.aof(), cmd(&["ZPOPMAX", "z"]));
    s.call(&["zadd", "z", "1", "a", "2", "b"]);
    s.aof();
    s.call(&["bzmpop", "0", "1", "z", "max", "count", "5"]);
    assert_eq!(s.aof(), cmd(&["ZPOPMAX", "z", "2"]));
    s.call(&["zadd", "z", "1", "a"]);
    s.aof();
    s.call(&["zpopmin", "z", "5"]);
    assert_eq!(s.aof(), cmd(&["zpopmin", "z", "5"]));
}

#[test]
fn a_served_blocked_client_is_a_unit_of_its_own() {
    let mut s = session();
    let waiter = s.connect();
    assert_eq!(s.run_as(waiter, &["blpop", "l", "0"]), "");
    s.call(&["rpush", "l", "a", "b"]);
    let others = &mut s.others;
    s.engine.serve_ready_keys(others);
    assert_eq!(
        s.aof(),
        cmd(&["rpush", "l", "a", "b"]) + &cmd(&["LPOP", "l"])
    );
}

#[test]
fn random_choices_are_logged_as_what_was_chosen() {
    let mut s = session();
    s.call(&[
        "sadd", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
    ]);
    s.aof();
    let popped = s.call(&["spop", "s"]);
    let member = popped.split("\r\n").nth(1).unwrap_or("").to_string();
    assert_eq!(s.aof(), cmd(&["SREM", "s", &member]));
    // SPOP with a count: one SREM per member, as one unit, both for few
    // members taken and for most of the set taken.
    for count in ["3", "5"] {
        let reply = s.call(&["spop", "s", count]);
        let members: Vec<&str> = reply.split("\r\n").skip(2).step_by(2).collect();
        let srems: Vec<String> = members
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| cmd(&["SREM", "s", m]))
            .collect();
        assert_eq!(srems.len(), count.parse::<usize>().unwrap_or(0));
        assert_eq!(s.aof(), multi(&srems));
    }
    // All of it: DEL.
    s.call(&["spop", "s", "10"]);
    assert_eq!(s.aof(), cmd(&["DEL", "s"]));
    s.call(&["srandmember", "s"]);
    s.call(&["spop", "nokey", "3"]);
    assert_eq!(s.aof(), "");
}

#[test]
fn restore_logs_an_absolute_ttl() {
    let mut s = session();
    s.call(&["set", "a", "1"]);
    let dump = s.run_args(&[b"dump", b"a"]);
    // `$13\r\n<payload>\r\n`
    let payload = dump[5..dump.len() - 2].to_vec();
    s.aof();
    s.run_args(&[b"restore", b"r1", b"100000", &payload]);
    let got = s.aof();
    assert!(
        got.starts_with("*5\r\n$7\r\nrestore\r\n$2\r\nr1\r\n$13\r\n"),
        "{got:?}"
    );
    assert!(got.ends_with("$6\r\nABSTTL\r\n"), "{got:?}");
    s.run_args(&[b"restore", b"r2", b"99999999999000", &payload, b"absttl"]);
    assert!(s.aof().contains("$14\r\n99999999999000\r\n"));
    // Already expired: nothing created, nothing logged; a replaced key is
    // logged as deleted.
    s.run_args(&[b"restore", b"r4", b"1", &payload, b"absttl"]);
    assert_eq!(s.aof(), "");
    s.run_args(&[b"restore", b"r2", b"1", &payload, b"absttl", b"replace"]);
    assert_eq!(s.aof(), cmd(&["DEL", "r2"]));
}

#[test]
fn streams_log_ids_exact_trims_and_claims() {
    let mut s = session();
    for id in ["1-1", "1-2", "1-3"] {
        s.call(&["xadd", "s", id, "a", "1"]);
    }
    s.call(&["xdel", "s", "1-1"]);
    s.aof();
    // `~` becomes `=` and what the trim reached; the deleted first entry
    // still counts as the first ID.
    s.call(&["xadd", "s", "minid", "~", "0", "2-1", "a", "1"]);
    assert_eq!(
        s.aof(),
        cmd(&["xadd", "s", "minid", "=", "1-1", "2-1", "a", "1"])
    );
    s.call(&[
        "xadd", "s", "maxlen", "~", "10", "limit", "5", "3-1", "a", "1",
    ]);
    assert_eq!(
        s.aof(),
        cmd(&[
            "xadd", "s", "maxlen", "=", "4", "limit", "5", "3-1", "a", "1"
        ])
    );
    s.call(&["xadd", "s", "4-*", "a", "1"]);
    assert_eq!(s.aof(), cmd(&["xadd", "s", "4-0", "a", "1"]));
    s.call(&["xtrim", "s", "maxlen", "~", "0"]);
    assert_eq!(s.aof(), cmd(&["xtrim", "s", "maxlen", "=", "0"]));
    s.call(&["xadd", "s2", "maxlen", "0", "1-1", "a", "1"]);
    s.aof();
    s.call(&["xadd", "s2", "minid", "~", "5", "2-1", "a", "1"]);
    assert_eq!(
        s.aof(),
        cmd(&[
            "xadd",
            "s2",
            "minid",
            "=",
            "18446744073709551615-18446744073709551615",
            "2-1",
            "a",
            "1"
        ])
    );
    // Group reads: XCLAIM per new pending entry; NOACK logs the consumer
    // and the group's position; history reads log nothing.
    for id in ["10-1", "10-2"] {
        s.call(&["xadd", "st", id, "f", "v"]);
    }
    s.call(&["xgroup", "create", "st", "g", "0"]);
    s.aof();
    s.call(&[
        "xreadgroup",
        "group",
        "g",
        "c1",
        "count",
        "1",
        "streams",
        "st",
        ">",
    ]);
    let got = s.aof();
    assert!(
        got.starts_with(
            &(cmd(&["XCLAIM", "st", "g", "c1", "0", "10-1", "TIME"])[..].replacen("*7", "*14", 1)
                [..])
        ),
        "{got:?}"
    );
    assert!(
        got.ends_with(&(cmd(&["RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "10-1"])[4..])),
        "{got:?}"
    );
    s.call(&["xreadgroup", "group", "g", "c1", "streams", "st", "0"]);
    assert_eq!(s.aof(), "");
    s.call(&[
        "xreadgroup",
        "group",
        "g",
        "c2",
        "noack",
        "streams",
        "st",
        ">",
    ]);
    assert_eq!(
        s.aof(),
        multi(&[
            cmd(&["XGROUP", "CREATECONSUMER", "st", "g", "c2"]),
            cmd(&["XGROUP", "SETID", "st", "g", "10-2", "ENTRIESREAD", "2"]),
        ])
    );
    s.call(&["xreadgroup", "group", "g", "c3", "streams", "st", ">"]);
    assert_eq!(s.aof(), "");
    s.call(&["xclaim", "st", "g", "c4", "0", "10-1", "justid"]);
    let got = s.aof();
    assert!(
        got.contains("$2\r\nc4\r\n$1\r\n0\r\n$4\r\n10-1\r\n$4\r\nTIME\r\n"),
        "{got:?}"
    );
    // The history read above counted a second delivery.
    assert!(got.ends_with(&cmd(&["RETRYCOUNT", "2", "FORCE", "JUSTID", "LASTID", "10-2"])[4..]));
    // LASTID alone moves the group: logged as SETID.
    s.call(&["xclaim", "st", "g", "c4", "0", "9-9", "lastid", "20-0"]);
    assert_eq!(
        s.aof(),
        cmd(&["XGROUP", "SETID", "st", "g", "20-0", "ENTRIESREAD", "2"])
    );
}
