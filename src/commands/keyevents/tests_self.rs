//! A RESP3 client subscribed to its own keyspace events: Redis writes
//! each push into its output the moment the event fires, so where a push
//! lands among the command's reply bytes is part of the interface (before
//! the reply, after it, or inside it). Replies read off redis-server
//! 7.0.15 with `notify-keyspace-events EAnm` and `PSUBSCRIBE __key*__:*`
//! on the same connection; each keyevent push is written `{event key}`.

use crate::commands::testkit::Session;

/// The reply with each keyevent push written `{event key}`.
fn render(reply: &str) -> String {
    let mut out = String::new();
    let mut rest = reply;
    while let Some(at) = rest.find(">4\r\n$8\r\npmessage\r\n") {
        out.push_str(&rest[..at]);
        // >4, $8, pmessage, $n, pattern, $n, channel, $n, payload, rest.
        let lines: Vec<&str> = rest[at..].splitn(10, "\r\n").collect();
        let event = lines[6].split_once("__:").map_or(lines[6], |(_, e)| e);
        out.push_str(&format!("{{{event} {}}}", lines[8]));
        rest = lines.get(9).copied().unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Runs each case on a fresh keyspace: `setup` (replies dropped), the key
/// `expired` (if any) made expired, then `command`, whose reply and
/// pushes must be `want`.
#[track_caller]
fn check(cases: &[(&str, &str, Option<&str>, &str)]) {
    let mut s = Session::new();
    s.call(&["hello", "3"]);
    s.resp3();
    s.call(&["config", "set", "notify-keyspace-events", "EAnm"]);
    s.call(&["psubscribe", "__key*__:*"]);
    for (setup, command, expired, want) in cases {
        s.call(&["flushall"]);
        for line in setup.split("; ").filter(|l| !l.is_empty()) {
            s.call(&line.split(' ').collect::<Vec<_>>());
        }
        if let Some(key) = expired {
            s.make_expired(0, key);
        }
        let got = s.call(&command.split(' ').collect::<Vec<_>>());
        assert_eq!(render(&got), *want, "{command} after [{setup}]");
    }
}
#[test]
fn strings_and_bits() {
    check(&[
        ("", "get k", None, "{keymiss k}_\r\n"),
        (
            "set a 1",
            "mget a b c",
            None,
            "*3\r\n$1\r\n1\r\n{keymiss b}_\r\n{keymiss c}_\r\n",
        ),
        (
            "set n 1",
            "incrbyfloat n 1.5",
            None,
            "{incrbyfloat n}$3\r\n2.5\r\n",
        ),
        (
            "",
            "bitfield b incrby u4 0 1",
            None,
            "{new b}*1\r\n:1\r\n{setbit b}",
        ),
        ("", "set k v get", None, "{keymiss k}_\r\n{new k}{set k}"),
    ]);
}

#[test]
fn lists_and_sort() {
    check(&[
        ("", "lpush l a b", None, "{new l}:2\r\n{lpush l}"),
        ("rpush l a b", "lset l 0 q", None, "+OK\r\n{lset l}"),
        (
            "rpush l a",
            "lmove l d left right",
            None,
            "{new d}{rpush d}$1\r\na\r\n{lpop l}{del l}",
        ),
        (
            "rpush l a b",
            "rpoplpush l l",
            None,
            "{lpush l}$1\r\nb\r\n{rpop l}",
        ),
        (
            "rpush l a",
            "blpop l 1",
            None,
            "*2\r\n$1\r\nl\r\n$1\r\na\r\n{lpop l}{del l}",
        ),
        (
            "rpush l 1 2; set w_1 5",
            "sort l by w_* get w_* get #",
            None,
            "{keymiss w_2}*4\r\n{keymiss w_2}_\r\n$1\r\n2\r\n$1\r\n5\r\n$1\r\n1\r\n",
        ),
        (
            "rpush l a b",
            "sort l alpha store d",
            None,
            "{new d}{sortstore d}:2\r\n",
        ),
    ]);
}

#[test]
fn sets() {
    check(&[
        ("sadd s a", "spop s", None, "{spop s}$1\r\na\r\n{del s}"),
        (
            "sadd s a",
            "spop s 5",
            None,
            "{spop s}~1\r\n$1\r\na\r\n{del s}",
        ),
        (
            "sadd s a; sadd d x",
            "sinterstore d s t",
            None,
            "{keymiss t}{del d}:0\r\n",
        ),
        (
            "sadd s a; sadd t b; sadd d x",
            "sinterstore d s t",
            None,
            ":0\r\n{del d}",
        ),
        (
            "sadd s a",
            "sunionstore d s t",
            None,
            "{keymiss t}{new d}:1\r\n{sunionstore d}",
        ),
        (
            "sadd s a; sadd d x",
            "sdiffstore d s s",
            None,
            ":0\r\n{del d}",
        ),
    ]);
}

#[test]
fn hashes() {
    check(&[
        ("", "hset h a 1", None, "{new h}:1\r\n{hset h}"),
        (
            "hset h a 1",
            "hincrbyfloat h a 1.5",
            None,
            "$3\r\n2.5\r\n{hincrbyfloat h}",
        ),
        ("", "hmget h a b", None, "{keymiss h}*2\r\n_\r\n_\r\n"),
    ]);
}

#[test]
fn sorted_sets() {
    check(&[
        ("", "zadd z 1 a", None, "{new z}:1\r\n{zadd z}"),
        (
            "zadd z 1 a 2 b",
            "zpopmin z",
            None,
            "*2\r\n{zpopmin z}$1\r\na\r\n,1\r\n",
        ),
        (
            "zadd z 1 a 2 b",
            "zpopmax z 5",
            None,
            "*2\r\n{zpopmax z}*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n{del z}",
        ),
        (
            "zadd z 1 a",
            "bzpopmin z 1",
            None,
            "*3\r\n$1\r\nz\r\n{zpopmin z}$1\r\na\r\n,1\r\n{del z}",
        ),
        (
            "zadd z 1 a 2 b",
            "zmpop 1 z min count 1",
            None,
            "*2\r\n$1\r\nz\r\n*1\r\n{zpopmin z}*2\r\n$1\r\na\r\n,1\r\n",
        ),
        (
            "zadd z 1 a",
            "zunionstore d 1 z",
            None,
            "{new d}:1\r\n{zunionstore d}",
        ),
        (
            "zadd d 1 x",
            "zinterstore d 2 z y",
            None,
            "{keymiss z}{keymiss y}:0\r\n{del d}",
        ),
    ]);
}

#[test]
fn streams() {
    check(&[
        ("", "xadd x 1-1 f v", None, "{new x}$3\r\n1-1\r\n{xadd x}"),
        (
            "xadd x 1-1 f v",
            "xtrim x maxlen 0",
            None,
            "{xtrim x}:1\r\n",
        ),
        ("xadd x 1-1 f v", "xdel x 1-1", None, "{xdel x}:1\r\n"),
        (
            "",
            "xgroup create x g 0 mkstream",
            None,
            "{new x}+OK\r\n{xgroup-create x}",
        ),
        (
            "xadd x 1-1 f v; xgroup create x g 0",
            "xgroup createconsumer x g c",
            None,
            "{xgroup-createconsumer x}:1\r\n",
        ),
        (
            "xadd x 1-1 f v; xgroup create x g 0",
            "xreadgroup group g c streams x >",
            None,
            "%1\r\n$1\r\nx\r\n{xgroup-createconsumer x}*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
        ),
        (
            "xadd x 1-1 f v; xgroup create x g 0; xreadgroup group g c streams x >",
            "xclaim x g c2 0 1-1",
            None,
            "*1\r\n{xgroup-createconsumer x}*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
        ),
        (
            "xadd x 1-1 f v; xgroup create x g 0; xreadgroup group g c streams x >",
            "xautoclaim x g c2 0 0 justid",
            None,
            "*3\r\n$3\r\n0-0\r\n*1\r\n{xgroup-createconsumer x}$3\r\n1-1\r\n*0\r\n",
        ),
        (
            "xadd b 1-1 f v",
            "xread streams a b c 0 0 0",
            None,
            "{keymiss a}{keymiss c}{keymiss a}%1\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n{keymiss c}",
        ),
    ]);
}

#[test]
fn keys_and_expiry() {
    check(&[
        ("set a 1", "expire a 100", None, ":1\r\n{expire a}"),
        ("set a 1", "expire a -1", None, "{del a}:1\r\n"),
        ("", "exists a b", None, "{keymiss a}{keymiss b}:0\r\n"),
        ("", "object encoding a", None, "_\r\n"),
        (
            "set a 1",
            "ttl a",
            Some("a"),
            "{expired a}{keymiss a}:-2\r\n",
        ),
        (
            "set a 1",
            "object encoding a",
            Some("a"),
            "{expired a}_\r\n",
        ),
        ("set a 1", "del a", Some("a"), "{expired a}:0\r\n"),
        (
            "lpush l a",
            "lpush l b",
            Some("l"),
            "{expired l}{new l}:1\r\n{lpush l}",
        ),
    ]);
}
