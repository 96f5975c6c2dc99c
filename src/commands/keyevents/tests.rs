//! Events per family, as redis-server 7.0.15 sends them to a
//! `PSUBSCRIBE __key*__:*` subscriber (read off it with the same
//! commands).

use crate::commands::testkit::Session;

fn ks(key: &str, event: &str) -> [String; 2] {
    [
        format!("__keyspace@0__:{key} {event}"),
        format!("__keyevent@0__:{event} {key}"),
    ]
}

/// The keyspace and keyevent messages of each (key, event), in order.
fn both(pairs: &[(&str, &str)]) -> Vec<String> {
    pairs.iter().flat_map(|(k, e)| ks(k, e)).collect()
}

#[track_caller]
fn check(s: &mut Session, sub: u64, line: &str, pairs: &[(&str, &str)]) {
    let args: Vec<&str> = line.split(' ').collect();
    s.call(&args);
    assert_eq!(s.events(sub), both(pairs), "{line}");
}

#[test]
fn nothing_is_sent_by_default() {
    let mut s = Session::new();
    let sub = s.connect();
    s.run_as(sub, &["psubscribe", "__key*__:*"]);
    s.call(&["set", "a", "1"]);
    assert!(s.events(sub).is_empty());
}

#[test]
fn strings() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEA");
    check(
        &mut s,
        sub,
        "set a 2 ex 100",
        &[("a", "set"), ("a", "expire")],
    );
    check(&mut s, sub, "setnx a 3", &[]);
    check(&mut s, sub, "mset a 1 c 2", &[("a", "set"), ("c", "set")]);
    check(&mut s, sub, "incr a", &[("a", "incrby")]);
    check(&mut s, sub, "incrbyfloat a 1.5", &[("a", "incrbyfloat")]);
    check(&mut s, sub, "append a x", &[("a", "append")]);
    check(&mut s, sub, "setrange a 1 zz", &[("a", "setrange")]);
    check(&mut s, sub, "getex a persist", &[]);
    check(&mut s, sub, "getex a ex 100", &[("a", "expire")]);
    check(&mut s, sub, "getex a persist", &[("a", "persist")]);
    check(&mut s, sub, "getex a pxat 1", &[("a", "del")]);
    check(&mut s, sub, "setbit b 7 1", &[("b", "setbit")]);
    check(&mut s, sub, "setbit b 7 1", &[]);
    check(&mut s, sub, "bitop or d b", &[("d", "set")]);
    check(&mut s, sub, "bitop or d zz", &[("d", "del")]);
    check(&mut s, sub, "get zz", &[]);
}

#[test]
fn new_and_keymiss_classes() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEAnm");
    check(&mut s, sub, "set a 1", &[("a", "new"), ("a", "set")]);
    check(&mut s, sub, "get b", &[("b", "keymiss")]);
    check(
        &mut s,
        sub,
        "mget a b c",
        &[("b", "keymiss"), ("c", "keymiss")],
    );
    s.make_expired(0, "a");
    check(&mut s, sub, "get a", &[("a", "expired"), ("a", "keymiss")]);
}

#[test]
fn generic() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEAn");
    s.call(&["mset", "a", "1", "b", "2"]);
    s.events(sub);
    check(&mut s, sub, "del a b a zz", &[("a", "del"), ("b", "del")]);
    s.call(&["set", "a", "1"]);
    s.events(sub);
    check(&mut s, sub, "expire a 100", &[("a", "expire")]);
    check(&mut s, sub, "persist a", &[("a", "persist")]);
    check(
        &mut s,
        sub,
        "rename a b",
        &[("b", "new"), ("a", "rename_from"), ("b", "rename_to")],
    );
    check(&mut s, sub, "rename b b", &[]);
    check(&mut s, sub, "copy b e", &[("e", "new"), ("e", "copy_to")]);
    check(&mut s, sub, "expire e -1", &[("e", "del")]);
    s.call(&["move", "b", "1"]);
    assert_eq!(
        s.events(sub),
        [
            "__keyspace@1__:b new",
            "__keyevent@1__:new b",
            "__keyspace@0__:b move_from",
            "__keyevent@0__:move_from b",
            "__keyspace@1__:b move_to",
            "__keyevent@1__:move_to b",
        ]
    );
}

#[test]
fn lists() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEA");
    check(&mut s, sub, "lpush l a b c", &[("l", "lpush")]);
    check(&mut s, sub, "rpop l 2", &[("l", "rpop")]);
    check(&mut s, sub, "lpop l 0", &[]);
    check(&mut s, sub, "lset l 0 x", &[("l", "lset")]);
    check(&mut s, sub, "linsert l before x y", &[("l", "linsert")]);
    check(&mut s, sub, "lrem l 0 nope", &[]);
    check(&mut s, sub, "ltrim l 5 10", &[("l", "ltrim"), ("l", "del")]);
    s.call(&["rpush", "s", "1"]);
    s.events(sub);
    check(
        &mut s,
        sub,
        "lmove s d left right",
        &[("d", "rpush"), ("s", "lpop"), ("s", "del")],
    );
    check(
        &mut s,
        sub,
        "lmpop 2 zz d right count 5",
        &[("d", "rpop"), ("d", "del")],
    );
    s.call(&["rpush", "s", "1"]);
    s.events(sub);
    check(&mut s, sub, "sort s store t", &[("t", "sortstore")]);
    check(&mut s, sub, "sort zz store t", &[("t", "del")]);
}

#[test]
fn hashes_and_sets() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEA");
    check(&mut s, sub, "hset h a 1 b 2", &[("h", "hset")]);
    check(&mut s, sub, "hsetnx h a 1", &[]);
    check(&mut s, sub, "hincrby h n 5", &[("h", "hincrby")]);
    check(
        &mut s,
        sub,
        "hincrbyfloat h f 1.5",
        &[("h", "hincrbyfloat")],
    );
    check(
        &mut s,
        sub,
        "hdel h a b n f",
        &[("h", "hdel"), ("h", "del")],
    );
    check(&mut s, sub, "sadd s a b", &[("s", "sadd")]);
    check(&mut s, sub, "sadd s a", &[]);
    check(&mut s, sub, "srem s a", &[("s", "srem")]);
    check(
        &mut s,
        sub,
        "smove s t b",
        &[("s", "srem"), ("s", "del"), ("t", "sadd")],
    );
    check(&mut s, sub, "spop t", &[("t", "spop"), ("t", "del")]);
    s.call(&["sadd", "a", "1", "2"]);
    s.call(&["sadd", "b", "2", "3"]);
    s.events(sub);
    check(&mut s, sub, "sinterstore d a b", &[("d", "sinterstore")]);
    check(&mut s, sub, "sunionstore d a b", &[("d", "sunionstore")]);
    check(&mut s, sub, "sdiffstore d a a", &[("d", "del")]);
}

#[test]
fn sorted_sets() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEA");
    check(&mut s, sub, "zadd z 1 a 2 b", &[("z", "zadd")]);
    check(&mut s, sub, "zadd z 1 a", &[]);
    check(&mut s, sub, "zincrby z 1 a", &[("z", "zincr")]);
    check(&mut s, sub, "zrem z a", &[("z", "zrem")]);
    check(&mut s, sub, "zpopmax z 0", &[]);
    check(&mut s, sub, "zpopmin z", &[("z", "zpopmin"), ("z", "del")]);
    s.call(&["zadd", "z", "1", "a", "2", "b", "3", "c"]);
    s.events(sub);
    check(&mut s, sub, "zremrangebyrank z 10 20", &[]);
    check(
        &mut s,
        sub,
        "zremrangebyscore z 2 2",
        &[("z", "zremrangebyscore")],
    );
    check(&mut s, sub, "zunionstore d 1 z", &[("d", "zunionstore")]);
    check(&mut s, sub, "zrangestore d z 5 6", &[("d", "del")]);
    check(
        &mut s,
        sub,
        "zremrangebylex z - +",
        &[("z", "zremrangebylex"), ("z", "del")],
    );
}

#[test]
fn streams() {
    let mut s = Session::new();
    let sub = s.subscribe_events("KEAnm");
    check(
        &mut s,
        sub,
        "xadd x 1-1 f v",
        &[("x", "new"), ("x", "xadd")],
    );
    check(
        &mut s,
        sub,
        "xadd x maxlen 1 2-1 f v",
        &[("x", "xadd"), ("x", "xtrim")],
    );
    check(&mut s, sub, "xadd y nomkstream 1-1 f v", &[]);
    check(&mut s, sub, "xtrim x maxlen 5", &[]);
    check(&mut s, sub, "xdel x 9-9", &[]);
    check(&mut s, sub, "xdel x 2-1", &[("x", "xdel")]);
    check(&mut s, sub, "xadd x 3-1 f v", &[("x", "xadd")]);
    check(
        &mut s,
        sub,
        "xgroup create x g 0",
        &[("x", "xgroup-create")],
    );
    check(
        &mut s,
        sub,
        "xgroup create y g $ mkstream",
        &[("y", "new"), ("y", "xgroup-create")],
    );
    check(&mut s, sub, "xgroup setid x g 0", &[("x", "xgroup-setid")]);
    check(
        &mut s,
        sub,
        "xgroup createconsumer x g c",
        &[("x", "xgroup-createconsumer")],
    );
    check(&mut s, sub, "xgroup createconsumer x g c", &[]);
    check(
        &mut s,
        sub,
        "xreadgroup group g c2 streams x >",
        &[("x", "xgroup-createconsumer")],
    );
    check(&mut s, sub, "xreadgroup group g c2 streams x >", &[]);
    // XACK looks its key up for reading.
    check(&mut s, sub, "xack z g 1-1", &[("z", "keymiss")]);
    check(&mut s, sub, "xack x g 3-1", &[]);
    check(
        &mut s,
        sub,
        "xclaim x g c3 0 3-1 force",
        &[("x", "xgroup-createconsumer")],
    );
    check(
        &mut s,
        sub,
        "xautoclaim x g c4 0 0",
        &[("x", "xgroup-createconsumer")],
    );
    check(&mut s, sub, "xgroup delconsumer x g nobody", &[]);
    check(
        &mut s,
        sub,
        "xgroup delconsumer x g c",
        &[("x", "xgroup-delconsumer")],
    );
    check(&mut s, sub, "xsetid x 10-1", &[("x", "xsetid")]);
    check(
        &mut s,
        sub,
        "xgroup destroy x g",
        &[("x", "xgroup-destroy")],
    );
    check(&mut s, sub, "xgroup destroy x g", &[]);
    // Deleting a stream wakes XREADGROUP waiters, but is no "new" key.
    check(&mut s, sub, "del x", &[("x", "del")]);
}
