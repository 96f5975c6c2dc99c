//! Tests of SPOP and SRANDMEMBER. Which members come out is random, so
//! these check what Redis 7.0.15 makes certain: errors, reply types and
//! sizes, repeats, and the set left behind.

use crate::commands::testkit::Session;
use std::collections::HashSet;

const WRONG_TYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const POSITIVE: &str = "-ERR value is out of range, must be positive\r\n";

/// The bulk strings of a flat array (or set) reply.
fn items(reply: &str) -> Vec<String> {
    let mut lines = reply.split("\r\n");
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with('*') || header.starts_with('~'),
        "{reply}"
    );
    let mut out = Vec::new();
    while let (Some(len), Some(data)) = (lines.next(), lines.next()) {
        assert!(len.starts_with('$'), "{reply}");
        out.push(data.to_string());
    }
    assert_eq!(
        header[1..].parse::<usize>().ok(),
        Some(out.len()),
        "{reply}"
    );
    out
}

fn distinct(v: &[String]) -> bool {
    v.iter().collect::<HashSet<_>>().len() == v.len()
}

/// A set `k` of 0..n; `table` makes it a hash table of integers.
fn numbers(s: &mut Session, n: usize, table: bool) {
    let nums: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let mut args = vec!["sadd", "k"];
    if table {
        args.push("x");
    }
    args.extend(nums.iter().map(String::as_str));
    s.call(&args);
    if table {
        s.call(&["srem", "k", "x"]);
    }
}

#[test]
fn argument_errors_and_missing_keys() {
    let mut s = Session::new();
    s.check("set str x", b"+OK\r\n");
    s.expect(&[
        (&["spop", "nokey", "abc"], POSITIVE),
        (&["spop", "nokey", "-1"], POSITIVE),
        (&["spop", "nokey", "9223372036854775808"], POSITIVE),
        (&["spop", "nokey", "9223372036854775807"], "*0\r\n"),
        (&["spop", "nokey", "1", "2"], "-ERR syntax error\r\n"),
        (&["spop", "nokey"], "$-1\r\n"),
        (&["spop", "nokey", "0"], "*0\r\n"),
        (&["spop", "str"], WRONG_TYPE),
        (&["spop", "str", "0"], WRONG_TYPE),
        // The count is checked before the key.
        (&["spop", "str", "x"], POSITIVE),
        (&["srandmember", "nokey"], "$-1\r\n"),
        (&["srandmember", "nokey", "5"], "*0\r\n"),
        (&["srandmember", "nokey", "0"], "*0\r\n"),
        (&["srandmember", "nokey", "1", "2"], "-ERR syntax error\r\n"),
        (
            &["srandmember", "nokey", "abc"],
            "-ERR value is not an integer or out of range\r\n",
        ),
        (
            &["srandmember", "nokey", "9223372036854775808"],
            "-ERR value is not an integer or out of range\r\n",
        ),
        (
            &["srandmember", "nokey", "-9223372036854775808"],
            "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
        ),
        (&["srandmember", "nokey", "-9223372036854775807"], "*0\r\n"),
        (&["srandmember", "str", "0"], WRONG_TYPE),
        (&["srandmember", "str"], WRONG_TYPE),
    ]);
    s.dirty(1);
    s.resp3();
    s.expect(&[
        (&["spop", "nokey"], "_\r\n"),
        (&["spop", "nokey", "2"], "~0\r\n"),
        (&["srandmember", "nokey"], "_\r\n"),
        (&["srandmember", "nokey", "2"], "*0\r\n"),
    ]);
}

#[test]
fn one_member_sets() {
    let mut s = Session::new();
    s.check("sadd one x", b":1\r\n");
    s.expect(&[
        // A negative count repeats members as often as asked.
        (
            &["srandmember", "one", "-5"],
            "*5\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n",
        ),
        (&["srandmember", "one", "5"], "*1\r\n$1\r\nx\r\n"),
        (&["srandmember", "one", "1"], "*1\r\n$1\r\nx\r\n"),
        (&["srandmember", "one", "-1"], "*1\r\n$1\r\nx\r\n"),
        (&["srandmember", "one", "0"], "*0\r\n"),
        (&["srandmember", "one"], "$1\r\nx\r\n"),
        (&["spop", "one", "0"], "*0\r\n"),
        (&["spop", "one", "1"], "*1\r\n$1\r\nx\r\n"),
        (&["exists", "one"], ":0\r\n"),
    ]);
    s.check("sadd one 7", b":1\r\n");
    s.dirty(3);
    s.check("spop one", b"$1\r\n7\r\n");
    s.dirty(1);
    s.check("exists one", b":0\r\n");
}

#[test]
fn spop_with_a_count() {
    for table in [false, true] {
        let mut s = Session::new();
        numbers(&mut s, 100, table);
        s.dirty(100 + 2 * u64::from(table));
        let all: HashSet<String> = (0..100).map(|i| i.to_string()).collect();
        let mut popped = HashSet::new();
        // A few at a time, then most of what is left (the other strategy).
        for (count, left) in [(3, 97), (10, 87), (80, 7)] {
            let got = items(&s.call(&["spop", "k", &count.to_string()]));
            assert_eq!(got.len(), count);
            assert!(distinct(&got));
            s.dirty(count as u64);
            for m in got {
                assert!(all.contains(&m) && popped.insert(m));
            }
            assert_eq!(s.call(&["scard", "k"]), format!(":{left}\r\n"));
        }
        // The seven left are integers: the rebuilt set is an intset.
        s.enc("k", "intset");
        let rest = items(&s.call(&["smembers", "k"]));
        assert!(rest.iter().all(|m| !popped.contains(m)));
        // Asking for at least all of it pops it all, in set order.
        let mut sorted = rest.clone();
        sorted.sort_by_key(|m| m.parse::<i64>().unwrap_or(0));
        assert_eq!(items(&s.call(&["spop", "k", "50"])), sorted);
        s.dirty(7);
        s.check("exists k", b":0\r\n");
    }
}

#[test]
fn spop_rebuilds_the_set_as_sadd_would() {
    let mut s = Session::new();
    s.check("sadd t a 1 2 3 4 5 6", b":7\r\n");
    s.check("srem t a", b":1\r\n");
    s.enc("t", "hashtable");
    assert_eq!(items(&s.call(&["spop", "t", "5"])).len(), 5);
    s.enc("t", "intset");
    s.check("scard t", b":1\r\n");
    s.check("sadd w a b c d e f", b":6\r\n");
    assert_eq!(items(&s.call(&["spop", "w", "5"])).len(), 5);
    s.enc("w", "hashtable");
    // The key keeps its TTL.
    numbers(&mut s, 10, false);
    s.check("expire k 1000", b":1\r\n");
    assert_eq!(items(&s.call(&["spop", "k", "9"])).len(), 9);
    s.ttl("k", 1_000_000);
    s.resp3();
    let reply = s.call(&["spop", "k", "5"]);
    assert!(reply.starts_with("~1\r\n"), "{reply}");
}

#[test]
fn srandmember_with_a_count() {
    for table in [false, true] {
        let mut s = Session::new();
        numbers(&mut s, 60, table);
        let all: HashSet<String> = (0..60).map(|i| i.to_string()).collect();
        // Unique picks, from a small share (picking) and a large share of
        // the set (removing from a copy).
        for count in [2usize, 10, 25, 59] {
            let got = items(&s.call(&["srandmember", "k", &count.to_string()]));
            assert_eq!(got.len(), count);
            assert!(distinct(&got), "{count}");
            assert!(got.iter().all(|m| all.contains(m)));
        }
        // Repeats allowed: exactly as many as asked, even beyond the size.
        let got = items(&s.call(&["srandmember", "k", "-200"]));
        assert_eq!(got.len(), 200);
        assert!(got.iter().all(|m| all.contains(m)));
        assert!(!distinct(&got));
        // All of it: in the set's own order, so sorted for an intset.
        let whole = items(&s.call(&["srandmember", "k", "60"]));
        assert_eq!(whole.len(), 60);
        if !table {
            assert_eq!(whole, items(&s.call(&["smembers", "k"])));
        }
        s.check("scard k", b":60\r\n");
        s.resp3();
        assert!(s.call(&["srandmember", "k", "3"]).starts_with("*3\r\n"));
    }
}

/// The strategies stay linear on a large set: each of these would take
/// minutes if a step were quadratic (not timed; it simply finishes).
#[test]
fn large_sets() {
    let mut s = Session::new();
    let n = 100_000;
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let members: Vec<String> = chunk.iter().map(|i| format!("m{i}")).collect();
        let mut args = vec!["sadd", "big"];
        args.extend(members.iter().map(String::as_str));
        s.call(&args);
    }
    s.check("scard big", b":100000\r\n");
    assert_eq!(
        items(&s.call(&["srandmember", "big", "90000"])).len(),
        90_000
    );
    assert_eq!(items(&s.call(&["srandmember", "big", "1000"])).len(), 1000);
    s.check("sunionstore copy big", b":100000\r\n");
    s.check("sinterstore copy2 big copy", b":100000\r\n");
    s.check("sdiffstore none big copy", b":0\r\n");
    s.check("sintercard 2 big copy limit 10", b":10\r\n");
    assert_eq!(items(&s.call(&["spop", "big", "99990"])).len(), 99_990);
    s.check("scard big", b":10\r\n");
    // Popping one at a time from a large table that is mostly emptied.
    for _ in 0..99_000 {
        s.call(&["spop", "copy"]);
    }
    s.check("scard copy", b":1000\r\n");
}
