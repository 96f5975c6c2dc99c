//! Lazy freeing over real connections: UNLINK, FLUSHALL/FLUSHDB ASYNC and
//! the lazyfree-lazy-* directives hand big values to the background
//! thread (the key is gone at once, INFO's lazyfreed_objects counts the
//! value once freed), small values are freed inline and not counted, and
//! lazy eviction brings memory under maxmemory without evicting more keys
//! while the big one is still being freed.
//!
//! Every counter value asserted here was first checked against Redis
//! 7.0.15 with the same commands (its lazyfreed_objects counts the same
//! way); the tests poll for the thread, with a generous bound, and assert
//! no timings.

mod common;

use common::{PATIENCE, Server, config_set, exists, info_int};
use std::time::{Duration, Instant};

fn freed(con: &mut redis::Connection) -> i64 {
    info_int(con, "memory", "lazyfreed_objects")
}

/// Polls until lazyfreed_objects reaches `n` and nothing is pending.
fn wait_freed(con: &mut redis::Connection, n: i64) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (done, pending) = (
            freed(con),
            info_int(con, "memory", "lazyfree_pending_objects"),
        );
        if done == n && pending == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "lazyfreed_objects {done} (pending {pending}), expected {n}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A set of `n` members that are not integers, so it is a hashtable and
/// its free effort is `n` (above 64 it goes to the thread).
fn big_set(con: &mut redis::Connection, key: &str, n: usize) {
    let mut pipe = redis::pipe();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let members: Vec<String> = chunk.iter().map(|i| format!("member:{i}")).collect();
        pipe.cmd("SADD").arg(key).arg(members).ignore();
    }
    let () = pipe.query(con).unwrap();
}

fn cmd(con: &mut redis::Connection, args: &[&str]) -> redis::Value {
    let mut c = redis::cmd(args[0]);
    for a in &args[1..] {
        c.arg(*a);
    }
    c.query(con).unwrap()
}

#[test]
fn unlink_frees_big_values_in_the_background_and_small_ones_inline() {
    let server = Server::start(&[]);
    let mut con = server.client();
    assert_eq!(freed(&mut con), 0);
    big_set(&mut con, "big", 100_000);
    let n: i64 = redis::cmd("UNLINK").arg("big").query(&mut con).unwrap();
    assert_eq!(n, 1);
    assert!(!exists(&mut con, "big"));
    wait_freed(&mut con, 1);
    // 64 members is not above the threshold; neither is a listpack hash.
    big_set(&mut con, "small", 64);
    cmd(&mut con, &["HSET", "h", "a", "1"]);
    let n: i64 = redis::cmd("UNLINK")
        .arg("small")
        .arg("h")
        .query(&mut con)
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(freed(&mut con), 1);
    // DEL is synchronous unless lazyfree-lazy-user-del says otherwise.
    big_set(&mut con, "s", 65);
    cmd(&mut con, &["DEL", "s"]);
    assert_eq!(freed(&mut con), 1);
    config_set(&mut con, "lazyfree-lazy-user-del", "yes");
    big_set(&mut con, "s", 65);
    cmd(&mut con, &["DEL", "s"]);
    wait_freed(&mut con, 2);
    cmd(&mut con, &["CONFIG", "RESETSTAT"]);
    assert_eq!(freed(&mut con), 0);
}

#[test]
fn flush_async_frees_every_key_in_the_background() {
    let server = Server::start(&[]);
    let mut con = server.client();
    cmd(&mut con, &["MSET", "a", "1", "b", "2", "c", "3"]);
    cmd(&mut con, &["SELECT", "1"]);
    big_set(&mut con, "big", 50_000);
    cmd(&mut con, &["FLUSHALL", "ASYNC"]);
    let n: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(n, 0);
    // Counted in keys, small or big, as Redis's emptyDbAsync.
    wait_freed(&mut con, 4);
    // Nothing to free: nothing counted.
    cmd(&mut con, &["FLUSHDB", "ASYNC"]);
    cmd(&mut con, &["SET", "x", "1"]);
    cmd(&mut con, &["FLUSHDB", "SYNC"]);
    assert_eq!(freed(&mut con), 4);
    // Without a mode, lazyfree-lazy-user-flush decides.
    config_set(&mut con, "lazyfree-lazy-user-flush", "yes");
    cmd(&mut con, &["SET", "x", "1"]);
    cmd(&mut con, &["FLUSHALL"]);
    wait_freed(&mut con, 5);
}

#[test]
fn server_side_deletions_follow_lazyfree_lazy_server_del() {
    let server = Server::start(&["--lazyfree-lazy-server-del", "yes"]);
    let mut con = server.client();
    // SET over a big value, RENAME onto one, RESTORE REPLACE over one.
    big_set(&mut con, "s", 100);
    cmd(&mut con, &["SET", "s", "x"]);
    wait_freed(&mut con, 1);
    big_set(&mut con, "t", 100);
    cmd(&mut con, &["RENAME", "s", "t"]);
    wait_freed(&mut con, 2);
    let dump: Vec<u8> = redis::cmd("DUMP").arg("t").query(&mut con).unwrap();
    big_set(&mut con, "u", 100);
    let () = redis::cmd("RESTORE")
        .arg("u")
        .arg(0)
        .arg(dump)
        .arg("REPLACE")
        .query(&mut con)
        .unwrap();
    wait_freed(&mut con, 3);
    // An empty STORE result deletes the target.
    big_set(&mut con, "v", 100);
    cmd(&mut con, &["SINTERSTORE", "v", "nosuchkey"]);
    wait_freed(&mut con, 4);
    config_set(&mut con, "lazyfree-lazy-server-del", "no");
    big_set(&mut con, "w", 100);
    cmd(&mut con, &["SET", "w", "x"]);
    assert_eq!(freed(&mut con), 4);
}

#[test]
fn expiry_follows_lazyfree_lazy_expire() {
    let server = Server::start(&["--lazyfree-lazy-expire", "yes"]);
    let mut con = server.client();
    big_set(&mut con, "lazy", 1000);
    big_set(&mut con, "active", 1000);
    cmd(&mut con, &["PEXPIRE", "lazy", "20"]);
    cmd(&mut con, &["PEXPIRE", "active", "20"]);
    std::thread::sleep(Duration::from_millis(50));
    // One found expired by a lookup, the other left to the cron.
    assert!(!exists(&mut con, "lazy"));
    wait_freed(&mut con, 2);
    let n: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(n, 0);
    // An expire time in the past deletes at once, lazily too.
    big_set(&mut con, "past", 1000);
    cmd(&mut con, &["EXPIRE", "past", "-1"]);
    wait_freed(&mut con, 3);
    config_set(&mut con, "lazyfree-lazy-expire", "no");
    big_set(&mut con, "sync", 1000);
    cmd(&mut con, &["EXPIRE", "sync", "-1"]);
    assert_eq!(freed(&mut con), 3);
}

/// The big value is the idlest key and the only one in its database, so
/// every sample finds it and it goes first. Evicting it frees ten times
/// what is needed, but on the thread: ferredis waits for that instead of
/// evicting the small keys meanwhile.
#[test]
fn lazy_eviction_waits_for_the_value_it_queued() {
    let server = Server::start(&[
        "--maxmemory-policy",
        "allkeys-lru",
        "--lazyfree-lazy-eviction",
        "yes",
    ]);
    let mut con = server.client();
    cmd(&mut con, &["SELECT", "1"]);
    big_set(&mut con, "big", 200_000);
    cmd(&mut con, &["SELECT", "0"]);
    // The LRU clock counts seconds.
    std::thread::sleep(Duration::from_millis(2100));
    let value = "x".repeat(1000);
    let mut pipe = redis::pipe();
    for i in 0..1000 {
        pipe.cmd("SET").arg(format!("k{i}")).arg(&value).ignore();
    }
    let () = pipe.query(&mut con).unwrap();
    let used = info_int(&mut con, "memory", "used_memory");
    let limit = used - (1 << 20);
    config_set(&mut con, "maxmemory", &limit.to_string());
    cmd(&mut con, &["SET", "probe", "1"]);
    wait_freed(&mut con, 1);
    let deadline = Instant::now() + PATIENCE;
    while info_int(&mut con, "memory", "used_memory") > limit {
        assert!(Instant::now() < deadline, "memory stays over maxmemory");
        std::thread::sleep(Duration::from_millis(10));
    }
    config_set(&mut con, "maxmemory", "0");
    let evicted = info_int(&mut con, "stats", "evicted_keys");
    let small: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    cmd(&mut con, &["SELECT", "1"]);
    assert!(!exists(&mut con, "big"));
    assert_eq!((evicted, small), (1, 1001));
}
