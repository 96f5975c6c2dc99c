//! Tests of the set commands. Every expected reply was read off
//! redis-server 7.0.15 with the same commands.

use crate::commands::testkit::Session;

const WRONG_TYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";
const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";

fn arity(name: &str) -> String {
    format!("-ERR wrong number of arguments for '{name}' command\r\n")
}

/// A session with `s` = {1, 2, 3} (intset) and `str` a string.
fn with_small_set() -> Session {
    let mut s = Session::new();
    s.check("sadd s 1 2 3", b":3\r\n");
    s.check("set str x", b"+OK\r\n");
    s.dirty(4);
    s
}

#[test]
fn sadd_srem_scard_and_dirty_counts() {
    let mut s = Session::new();
    s.check("sadd s 1 2 3 4 5 6", b":6\r\n");
    s.dirty(6);
    s.check("sadd s 1 7", b":1\r\n");
    s.dirty(1);
    s.check("srem s 1 2 99", b":2\r\n");
    s.dirty(2);
    s.check("srem s 99", b":0\r\n");
    s.dirty(0);
    s.check("scard s", b":5\r\n");
    s.check("srem nokey a", b":0\r\n");
    s.check("scard nokey", b":0\r\n");
    // Removing the last member deletes the key; the rest are not looked at.
    s.check("srem s 3 4 5 6 7 8", b":5\r\n");
    s.dirty(5);
    s.check("exists s", b":0\r\n");
    s.check("set str x", b"+OK\r\n");
    for cmd in ["sadd str a", "srem str a", "scard str", "sismember str a"] {
        s.check(cmd, WRONG_TYPE.as_bytes());
    }
    for (cmd, name) in [
        ("sadd", "sadd"),
        ("sadd k", "sadd"),
        ("srem k", "srem"),
        ("scard", "scard"),
        ("scard a b", "scard"),
        ("sismember k", "sismember"),
        ("smismember k", "smismember"),
        ("smembers", "smembers"),
        ("smove a b", "smove"),
        ("sintercard 1", "sintercard"),
        ("sinterstore d", "sinterstore"),
        ("sunionstore d", "sunionstore"),
        ("sdiffstore d", "sdiffstore"),
        ("sinter", "sinter"),
        ("sunion", "sunion"),
        ("sdiff", "sdiff"),
        ("spop", "spop"),
        ("srandmember", "srandmember"),
        ("sscan k", "sscan"),
    ] {
        let args: Vec<&str> = cmd.split(' ').collect();
        assert_eq!(s.call(&args), arity(name), "{cmd}");
    }
}

#[test]
fn binary_and_empty_members() {
    let mut s = Session::new();
    s.expect(&[
        (&["sadd", "e", ""], ":1\r\n"),
        (&["sismember", "e", ""], ":1\r\n"),
        (&["sadd", "b", "a\0b", "\r\n", ""], ":3\r\n"),
        (
            &["smismember", "b", "a\0b", "a", "\r\n", "x"],
            "*4\r\n:1\r\n:0\r\n:1\r\n:0\r\n",
        ),
        (&["srem", "b", "a\0b"], ":1\r\n"),
        (&["scard", "b"], ":2\r\n"),
    ]);
    s.enc("b", "hashtable");
}

#[test]
fn integer_members_and_the_intset() {
    let mut s = Session::new();
    s.check(
        "sadd m 9223372036854775807 -9223372036854775808 0",
        b":3\r\n",
    );
    s.enc("m", "intset");
    // An intset lists its members in ascending order.
    s.check(
        "smembers m",
        b"*3\r\n$20\r\n-9223372036854775808\r\n$1\r\n0\r\n$19\r\n9223372036854775807\r\n",
    );
    s.check("sismember m 9223372036854775807", b":1\r\n");
    s.check("sismember m 09223372036854775807", b":0\r\n");
    s.check("sismember m -0", b":0\r\n");
    // Not integers by string2ll's rules: each converts the set.
    for odd in ["-0", "+1", "01", "9223372036854775808", "1.0", "a"] {
        let mut t = Session::new();
        t.call(&["sadd", "k", "1"]);
        t.enc("k", "intset");
        assert_eq!(t.call(&["sadd", "k", odd]), ":1\r\n");
        t.enc("k", "hashtable");
        assert_eq!(t.call(&["sismember", "k", odd]), ":1\r\n");
        assert_eq!(t.call(&["sismember", "k", "1"]), ":1\r\n");
    }
    // The first member decides what a new set is.
    s.check("sadd n abc 1", b":2\r\n");
    s.enc("n", "hashtable");
    // A table stays a table when only integers are left.
    s.check("srem n abc", b":1\r\n");
    s.enc("n", "hashtable");
}

#[test]
fn intset_limit_converts_one_past_it() {
    let mut s = Session::new();
    s.check("sadd big 1", b":1\r\n");
    s.check("config set set-max-intset-entries 2", b"+OK\r\n");
    s.check("sadd big 2", b":1\r\n");
    s.enc("big", "intset");
    s.check("sadd big2 1 2 3", b":3\r\n");
    s.enc("big2", "hashtable");
    s.check("config set set-max-intset-entries 0", b"+OK\r\n");
    s.check("sadd z 1", b":1\r\n");
    s.enc("z", "hashtable");
    s.check("config set set-max-intset-entries 512", b"+OK\r\n");
    let members: Vec<String> = (0..513).map(|i| i.to_string()).collect();
    let mut args = vec!["sadd", "k"];
    args.extend(members.iter().map(String::as_str).take(512));
    assert_eq!(s.call(&args), ":512\r\n");
    s.enc("k", "intset");
    s.check("sadd k 512", b":1\r\n");
    s.enc("k", "hashtable");
    s.check("scard k", b":513\r\n");
}

#[test]
fn smove() {
    let mut s = with_small_set();
    s.expect(&[
        // A missing source answers 0 before any type check.
        (&["smove", "nokey", "str", "a"], ":0\r\n"),
        (&["smove", "s", "str", "1"], WRONG_TYPE),
        (&["smove", "str", "s", "1"], WRONG_TYPE),
        // Same key: only membership is reported.
        (&["smove", "s", "s", "1"], ":1\r\n"),
        (&["smove", "s", "s", "9"], ":0\r\n"),
        (&["smove", "s", "d", "9"], ":0\r\n"),
    ]);
    s.dirty(0);
    s.check("smove s d 1", b":1\r\n");
    s.dirty(2);
    s.enc("d", "intset");
    s.check("sadd d 2", b":1\r\n");
    s.dirty(1);
    // Already in the destination: only the source changed.
    s.check("smove s d 2", b":1\r\n");
    s.dirty(1);
    s.check("smove s d 3", b":1\r\n");
    s.dirty(2);
    s.check("exists s", b":0\r\n");
    s.check("smembers d", b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    // A new destination is made for the member it receives.
    s.check("sadd src a 1", b":2\r\n");
    s.check("smove src newk 1", b":1\r\n");
    s.enc("newk", "intset");
    s.check("smove src newk2 a", b":1\r\n");
    s.enc("newk2", "hashtable");
    s.check("exists src", b":0\r\n");
}

#[test]
fn smismember_and_sismember() {
    let mut s = with_small_set();
    s.expect(&[
        (&["smismember", "nokey", "a", "b"], "*2\r\n:0\r\n:0\r\n"),
        (&["smismember", "str", "a"], WRONG_TYPE),
        (
            &["smismember", "s", "1", "5", "3"],
            "*3\r\n:1\r\n:0\r\n:1\r\n",
        ),
        (&["sismember", "nokey", "a"], ":0\r\n"),
        (&["sismember", "s", "2"], ":1\r\n"),
    ]);
    s.resp3();
    s.check("smismember s 1 5", b"*2\r\n:1\r\n:0\r\n");
}

#[test]
fn sinter_sunion_sdiff_replies() {
    let mut s = with_small_set();
    s.check("sadd i 5 3 1 -100000 99999999999", b":5\r\n");
    s.expect(&[
        (&["sinter", "nokey", "str"], WRONG_TYPE),
        (&["sinter", "str", "nokey"], WRONG_TYPE),
        (&["sunion", "nokey", "str"], WRONG_TYPE),
        (&["sdiff", "nokey", "str"], WRONG_TYPE),
        (&["sdiff", "str", "nokey"], WRONG_TYPE),
        (&["sinterstore", "d", "nokey", "str"], WRONG_TYPE),
        (&["sinter", "s", "nokey"], "*0\r\n"),
        (&["smembers", "nokey"], "*0\r\n"),
        (&["smembers", "str"], WRONG_TYPE),
        (
            &["smembers", "i"],
            "*5\r\n$7\r\n-100000\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$11\r\n99999999999\r\n",
        ),
        (&["sinter", "i", "s"], "*2\r\n$1\r\n1\r\n$1\r\n3\r\n"),
        (&["sinter", "i", "i"], "*5\r\n$7\r\n-100000\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$11\r\n99999999999\r\n"),
        (
            &["sunion", "s", "nokey", "i"],
            "*6\r\n$7\r\n-100000\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n$11\r\n99999999999\r\n",
        ),
        (&["sdiff", "i", "s"], "*3\r\n$7\r\n-100000\r\n$1\r\n5\r\n$11\r\n99999999999\r\n"),
        (&["sdiff", "s", "s"], "*0\r\n"),
        (&["sdiff", "nokey", "s"], "*0\r\n"),
        (&["sdiff", "s", "nokey"], "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"),
    ]);
    s.resp3();
    s.expect(&[
        (
            &["smembers", "s"],
            "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n",
        ),
        (&["smembers", "nokey"], "~0\r\n"),
        (&["sinter", "s", "nokey"], "~0\r\n"),
        (
            &["sunion", "s", "nokey"],
            "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n",
        ),
        (&["sdiff", "nokey", "s"], "~0\r\n"),
        (&["sintercard", "1", "s"], ":3\r\n"),
    ]);
}

#[test]
fn sintercard_arguments() {
    let mut s = with_small_set();
    s.check("sadd t 2 3 4", b":3\r\n");
    let numkeys = "-ERR numkeys should be greater than 0\r\n";
    let limit = "-ERR LIMIT can't be negative\r\n";
    s.expect(&[
        (&["sintercard", "0", "s"], numkeys),
        (&["sintercard", "abc", "s"], numkeys),
        (&["sintercard", "-1", "s"], numkeys),
        (&["sintercard", "9223372036854775808", "s"], numkeys),
        (
            &["sintercard", "2", "s"],
            "-ERR Number of keys can't be greater than number of args\r\n",
        ),
        (&["sintercard", "1", "s", "limit", "-1"], limit),
        (&["sintercard", "1", "s", "limit", "abc"], limit),
        (&["sintercard", "1", "s", "limit"], SYNTAX),
        (&["sintercard", "1", "s", "foo", "1"], SYNTAX),
        (&["sintercard", "1", "s", "limit", "0"], ":3\r\n"),
        (&["sintercard", "1", "s", "limit", "1"], ":1\r\n"),
        (
            &["sintercard", "1", "s", "LIMIT", "1", "limit", "2"],
            ":2\r\n",
        ),
        (&["sintercard", "2", "nokey", "str"], WRONG_TYPE),
        (&["sintercard", "2", "s", "t"], ":2\r\n"),
        (&["sintercard", "2", "s", "nokey"], ":0\r\n"),
        (&["sintercard", "1", "s", "t"], SYNTAX),
    ]);
    s.dirty(3);
}

#[test]
fn store_commands() {
    let mut s = Session::new();
    s.check("sadd a 1 2 3", b":3\r\n");
    s.check("sadd b 2 3 4", b":3\r\n");
    s.dirty(6);
    s.check("sinterstore c a b", b":2\r\n");
    s.dirty(1);
    s.check("sinterstore c a b", b":2\r\n");
    s.dirty(1);
    // An empty result deletes the destination (a change only if it existed).
    s.check("sinterstore c a nokey", b":0\r\n");
    s.dirty(1);
    s.check("sinterstore c a nokey", b":0\r\n");
    s.dirty(0);
    s.check("sunionstore c a b", b":4\r\n");
    s.dirty(1);
    s.check("sdiffstore c a b", b":1\r\n");
    s.dirty(1);
    s.check("sdiffstore c a a", b":0\r\n");
    s.dirty(1);
    s.check("sdiffstore c a a", b":0\r\n");
    s.dirty(0);
    s.check("sunionstore c nokey", b":0\r\n");
    s.dirty(0);
    // The destination may be a source.
    s.check("sinterstore a a b", b":2\r\n");
    s.check("smembers a", b"*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
    // Any type is overwritten, and the TTL goes with it.
    s.check("set q x", b"+OK\r\n");
    s.check("expire q 1000", b":1\r\n");
    s.check("sunionstore q a", b":2\r\n");
    s.check("type q", b"+set\r\n");
    s.ttl("q", -1);
}

#[test]
fn stored_results_are_encoded_as_redis_builds_them() {
    let mut s = Session::new();
    // A table holding only integers: results start from an intset.
    s.check("sadd h a 1 2", b":3\r\n");
    s.check("srem h a", b":1\r\n");
    s.enc("h", "hashtable");
    for cmd in ["sinterstore d h", "sunionstore d h", "sdiffstore d h nokey"] {
        s.check(cmd, b":2\r\n");
        s.enc("d", "intset");
    }
    // SDIFF copies the first set when that is cheaper (here 6*3/2 > 8),
    // and a copy that took a non-integer stays a table.
    s.check("sadd s1 a 1 2 3 4 5", b":6\r\n");
    s.check("sadd s2 a", b":1\r\n");
    s.check("sadd s3 b", b":1\r\n");
    s.check("sdiffstore d s1 s2 s3", b":5\r\n");
    s.enc("d", "hashtable");
    // Walking the first set (6*2/2 <= 7) adds only what survives.
    s.check("sdiffstore d s1 s2", b":5\r\n");
    s.enc("d", "intset");
    s.check(
        "smembers d",
        b"*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n",
    );
    // Past the intset limit the result is a table.
    s.check("config set set-max-intset-entries 2", b"+OK\r\n");
    s.check("sunionstore d s1 s2", b":6\r\n");
    s.enc("d", "hashtable");
    s.check("sinterstore d s1 s1", b":6\r\n");
    s.enc("d", "hashtable");
}

#[test]
fn lookups_count_hits_and_misses_as_redis() {
    let mut s = Session::new();
    s.check("sadd s 1 2 3", b":3\r\n");
    let step = |s: &mut Session, cmd: &str, want: (u64, u64)| {
        let before = s.hits_misses();
        s.run(cmd);
        let after = s.hits_misses();
        assert_eq!((after.0 - before.0, after.1 - before.1), want, "{cmd}");
    };
    step(&mut s, "sinterstore d s nokey s", (2, 1));
    step(&mut s, "sunionstore d s nokey", (1, 1));
    step(&mut s, "sdiffstore d s nokey", (1, 1));
    step(&mut s, "smove s d 1", (0, 0));
    step(&mut s, "sscan s 0", (1, 0));
    step(&mut s, "srandmember s 5", (1, 0));
    step(&mut s, "smembers s", (1, 0));
    step(&mut s, "sintercard 2 s s", (2, 0));
    step(&mut s, "spop s 1", (0, 0));
    // Popping the whole set reads it once more, as SUNION.
    step(&mut s, "spop s 10", (1, 0));
}

#[test]
fn expired_keys_are_missing() {
    let mut s = Session::new();
    s.check("sadd a 1 2", b":2\r\n");
    s.check("sadd b 2 3", b":2\r\n");
    s.make_expired(0, "b");
    s.check("sinter a b", b"*0\r\n");
    s.check("exists b", b":0\r\n");
    s.check("sadd b 2 3", b":2\r\n");
    s.make_expired(0, "b");
    s.check("sunion a b", b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    s.check("sadd b 2 3", b":2\r\n");
    s.make_expired(0, "b");
    s.check("sadd b 9", b":1\r\n");
    s.check("smembers b", b"*1\r\n$1\r\n9\r\n");
    s.make_expired(0, "b");
    s.check("smove b a 9", b":0\r\n");
    s.check("smove a b 1", b":1\r\n");
    s.check("smembers b", b"*1\r\n$1\r\n1\r\n");
}

#[test]
fn sscan() {
    let mut s = with_small_set();
    s.check("sadd h a 1 2", b":3\r\n");
    let empty = "*2\r\n$1\r\n0\r\n*0\r\n";
    let all_s = "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n";
    s.expect(&[
        (&["sscan", "nokey", "x"], "-ERR invalid cursor\r\n"),
        (&["sscan", "s", "abc"], "-ERR invalid cursor\r\n"),
        (
            &["sscan", "s", "18446744073709551616"],
            "-ERR invalid cursor\r\n",
        ),
        // Options are checked only once the key is known to be a set.
        (&["sscan", "nokey", "0", "count", "0"], empty),
        (&["sscan", "str", "0", "count", "0"], WRONG_TYPE),
        (&["sscan", "s", "0", "count", "0"], SYNTAX),
        (&["sscan", "s", "0", "count", "-1"], SYNTAX),
        (&["sscan", "s", "0", "count", "abc"], NOT_INT),
        (&["sscan", "s", "0", "type", "set"], SYNTAX),
        (&["sscan", "s", "0", "COUNT"], SYNTAX),
        (&["sscan", "s", "0", "MATCH"], SYNTAX),
        (&["sscan", "s", "0", "foo", "bar"], SYNTAX),
        // An intset comes whole, whatever the cursor and COUNT.
        (&["sscan", "s", "5"], all_s),
        (&["sscan", "s", "-1"], all_s),
        (&["sscan", "s", "0", "count", "1"], all_s),
        (&["sscan", "s", "0", "match", "*"], all_s),
        (
            &["sscan", "s", "0", "match", "1*"],
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n",
        ),
        (
            &["sscan", "s", "0", "COUNT", "1", "MATCH", "[23]"],
            "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n2\r\n$1\r\n3\r\n",
        ),
    ]);
    s.check_args(&[b"sscan", b"s", b"0\0x"], all_s.as_bytes());
    s.resp3();
    s.check("sscan nokey 0", empty.as_bytes());
    s.check("sscan s 0", all_s.as_bytes());
}

/// A full SSCAN iteration of a table returns every member even while the
/// table grows between calls.
#[test]
fn sscan_iterates_a_growing_table() {
    let mut s = Session::new();
    for i in 0..300 {
        s.call(&["sadd", "t", &format!("m{i}")]);
    }
    let mut seen = std::collections::HashSet::new();
    let (mut cursor, mut calls) = ("0".to_string(), 0);
    loop {
        let reply = s.call(&["sscan", "t", &cursor, "count", "7"]);
        let lines: Vec<&str> = reply.split("\r\n").collect();
        cursor = lines[2].to_string();
        seen.extend(
            lines[4..]
                .iter()
                .filter(|l| l.starts_with('m'))
                .map(|l| l.to_string()),
        );
        calls += 1;
        if calls == 3 {
            for i in 0..2000 {
                s.call(&["sadd", "t", &format!("new{i}")]);
            }
        }
        if cursor == "0" {
            break;
        }
    }
    assert!(calls > 3);
    for i in 0..300 {
        assert!(seen.contains(&format!("m{i}")), "m{i}");
    }
}

#[test]
fn command_table_entries() {
    let mut s = Session::new();
    // SINTERCARD's keys come from its key count.
    s.check(
        "command getkeys sintercard 2 a b limit 1",
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
    );
    s.check(
        "command getkeys sintercard 5 a",
        b"-ERR Invalid arguments specified for command\r\n",
    );
    s.check(
        "command getkeysandflags sinterstore d a",
        b"*2\r\n*2\r\n$1\r\nd\r\n*2\r\n+RW\r\n+update\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n",
    );
    s.check(
        "command info smove",
        b"*1\r\n*10\r\n$5\r\nsmove\r\n:4\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:2\r\n:1\r\n*3\r\n+@write\r\n+@set\r\n+@fast\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+insert\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n",
    );
}
