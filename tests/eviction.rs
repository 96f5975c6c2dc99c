//! maxmemory over real connections: each policy evicts the class of keys
//! it should (volatile-* only keys with a TTL, volatile-ttl the nearest
//! expiry first, the LRU/LFU policies the least recently/frequently
//! used), noeviction refuses writes with Redis 7.0.15's exact OOM error
//! while reads and deletes go on, evicted keys publish the `evicted`
//! event and count in INFO, used_memory stays within 5% of jemalloc's
//! own count of allocated bytes, and MEMORY USAGE of a big collection
//! agrees with what deleting it gives back.

mod common;

use common::{Conn, PATIENCE, Server, config_set, exists, info_int};
use std::time::{Duration, Instant};

/// Values of about a kilobyte, so a thousand keys are about a megabyte.
const VALUE: usize = 1000;

fn used_memory(con: &mut redis::Connection) -> i64 {
    info_int(con, "memory", "used_memory")
}

/// Writes `keys` keys `<prefix><i>` of VALUE bytes, each with a TTL of
/// `ttl(i)` seconds if given, in one pipeline.
fn fill(
    con: &mut redis::Connection,
    prefix: &str,
    keys: usize,
    ttl: Option<&dyn Fn(usize) -> u64>,
) {
    let value = vec![b'x'; VALUE];
    let mut pipe = redis::pipe();
    for i in 0..keys {
        let key = format!("{prefix}{i}");
        match ttl {
            Some(f) => pipe
                .cmd("SET")
                .arg(&key)
                .arg(&value)
                .arg("EX")
                .arg(f(i))
                .ignore(),
            None => pipe.cmd("SET").arg(&key).arg(&value).ignore(),
        };
    }
    let () = pipe.query(con).unwrap();
}

/// How many of `<prefix><i>` for i in `range` are still there.
fn surviving(con: &mut redis::Connection, prefix: &str, range: std::ops::Range<usize>) -> usize {
    range
        .filter(|i| exists(con, &format!("{prefix}{i}")))
        .count()
}

/// Lowers maxmemory to about `bytes` below current use and makes one
/// write, so the server evicts before it; then lifts the limit.
fn squeeze(con: &mut redis::Connection, bytes: i64) {
    let used = used_memory(con);
    config_set(con, "maxmemory", &(used - bytes).to_string());
    // The event loop may already evict after CONFIG SET; a write makes
    // sure it happened before we look.
    let _ = redis::cmd("SET")
        .arg("probe")
        .arg("1")
        .query::<redis::Value>(con);
    let deadline = Instant::now() + PATIENCE;
    while used_memory(con) > used - bytes && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Nothing more goes while the test looks at what is left.
    config_set(con, "maxmemory", "0");
}

#[test]
fn noeviction_refuses_writes_with_redis_error() {
    let server = Server::start(&[]);
    let mut con = server.client();
    fill(&mut con, "k", 100, None);
    let used = used_memory(&mut con);
    config_set(&mut con, "maxmemory", &(used / 2).to_string());
    let mut raw = server.conn();
    raw.roundtrip(
        b"SET a b\r\n",
        b"-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    raw.roundtrip(
        b"RPUSH l a\r\n",
        b"-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    raw.roundtrip(
        b"GET k1\r\n",
        format!("${VALUE}\r\n{}\r\n", "x".repeat(VALUE)).as_bytes(),
    );
    raw.roundtrip(b"DEL k1 k2\r\n", b":2\r\n");
    raw.roundtrip(b"DBSIZE\r\n", b":98\r\n");
    assert_eq!(info_int(&mut con, "stats", "evicted_keys"), 0);
    raw.roundtrip(b"MULTI\r\n", b"+OK\r\n");
    raw.roundtrip(
        b"GET k3\r\n",
        b"-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    raw.roundtrip(
        b"EXEC\r\n",
        b"-EXECABORT Transaction discarded because of previous errors.\r\n",
    );
    config_set(&mut con, "maxmemory", "0");
    raw.roundtrip(b"SET a b\r\n", b"+OK\r\n");
}

#[test]
fn volatile_policies_evict_only_keys_with_a_ttl() {
    for policy in [
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
    ] {
        let server = Server::start(&["--maxmemory-policy", policy]);
        let mut con = server.client();
        fill(&mut con, "p", 1000, None);
        fill(&mut con, "v", 2000, Some(&|i| 1000 + i as u64));
        squeeze(&mut con, 1 << 20);
        let evicted = info_int(&mut con, "stats", "evicted_keys");
        assert!(evicted >= 500, "{policy}: {evicted} evicted");
        assert_eq!(surviving(&mut con, "p", 0..1000), 1000, "{policy}");
        let left = surviving(&mut con, "v", 0..2000);
        assert_eq!(left as i64, 2000 - evicted, "{policy}");
        if policy == "volatile-ttl" {
            // Nearest expiry first: the keys with the shortest TTLs go.
            let near = surviving(&mut con, "v", 0..500);
            let far = surviving(&mut con, "v", 1500..2000);
            assert!(near < 100 && far > 450, "{policy}: near {near} far {far}");
        }
    }
}

#[test]
fn allkeys_random_evicts_from_every_key() {
    let server = Server::start(&["--maxmemory-policy", "allkeys-random"]);
    let mut con = server.client();
    fill(&mut con, "p", 2000, None);
    fill(&mut con, "v", 2000, Some(&|_| 1000));
    squeeze(&mut con, 2 << 20);
    let (p, v) = (
        surviving(&mut con, "p", 0..2000),
        surviving(&mut con, "v", 0..2000),
    );
    assert!(p < 1900 && v < 1900, "p {p} v {v}");
}

#[test]
fn allkeys_lru_evicts_the_least_recently_used() {
    let server = Server::start(&[
        "--maxmemory-policy",
        "allkeys-lru",
        "--maxmemory-samples",
        "10",
    ]);
    let mut con = server.client();
    fill(&mut con, "k", 2000, None);
    // The LRU clock counts seconds: let the keys grow idle, then use the
    // second half again.
    std::thread::sleep(Duration::from_millis(2100));
    for i in 1000..2000 {
        let _: Vec<u8> = redis::cmd("GET")
            .arg(format!("k{i}"))
            .query(&mut con)
            .unwrap();
    }
    squeeze(&mut con, 700 << 10);
    let (old, recent) = (
        surviving(&mut con, "k", 0..1000),
        surviving(&mut con, "k", 1000..2000),
    );
    assert!(old < 600 && recent > 950, "old {old} recent {recent}");
}

#[test]
fn allkeys_lfu_evicts_the_least_frequently_used() {
    let server = Server::start(&[
        "--maxmemory-policy",
        "allkeys-lfu",
        "--lfu-log-factor",
        "0",
        "--maxmemory-samples",
        "10",
    ]);
    let mut con = server.client();
    fill(&mut con, "k", 2000, None);
    let mut pipe = redis::pipe();
    for _ in 0..5 {
        for i in 1000..2000 {
            pipe.cmd("GET").arg(format!("k{i}")).ignore();
        }
    }
    let () = pipe.query(&mut con).unwrap();
    let freq: i64 = redis::cmd("OBJECT")
        .arg("FREQ")
        .arg("k1500")
        .query(&mut con)
        .unwrap();
    assert_eq!(freq, 10);
    squeeze(&mut con, 700 << 10);
    let (rare, frequent) = (
        surviving(&mut con, "k", 0..1000),
        surviving(&mut con, "k", 1000..2000),
    );
    assert!(
        rare < 600 && frequent > 950,
        "rare {rare} frequent {frequent}"
    );
}

#[test]
fn evicted_keys_publish_the_event_and_abort_exec() {
    let server = Server::start(&[
        "--maxmemory-policy",
        "allkeys-random",
        "--notify-keyspace-events",
        "Ee",
    ]);
    let mut con = server.client();
    fill(&mut con, "k", 200, None);
    let mut sub = Conn::connect(server.port());
    sub.roundtrip(
        b"SUBSCRIBE __keyevent@0__:evicted\r\n",
        b"*3\r\n$9\r\nsubscribe\r\n$22\r\n__keyevent@0__:evicted\r\n:1\r\n",
    );
    let mut watcher = server.conn();
    watcher.roundtrip(b"WATCH k0 k1 k2 k3 k4 k5 k6 k7 k8 k9\r\n", b"+OK\r\n");
    watcher.roundtrip(b"MULTI\r\n", b"+OK\r\n");
    watcher.roundtrip(b"PING\r\n", b"+QUEUED\r\n");
    // Memory far below use: every key goes.
    config_set(&mut con, "maxmemory", "1");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let n: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
        if n == 0 || Instant::now() > deadline {
            assert_eq!(n, 0);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    config_set(&mut con, "maxmemory", "0");
    assert_eq!(info_int(&mut con, "stats", "evicted_keys"), 200);
    watcher.roundtrip(b"EXEC\r\n", b"*-1\r\n");
    // 46 bytes of frame around each key, and the keys k0..k199 as bulks.
    let got = sub.read_n(200 * 46 + 10 * 8 + 90 * 9 + 100 * 10, PATIENCE);
    let text = String::from_utf8_lossy(&got.bytes);
    assert_eq!(
        text.matches("$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n")
            .count(),
        200
    );
    for i in 0..200 {
        assert!(text.contains(&format!("\r\nk{i}\r\n")), "no event for k{i}");
    }
}

#[test]
fn used_memory_tracks_jemalloc_within_five_percent() {
    let server = Server::start(&[]);
    let mut con = server.client();
    fill(&mut con, "k", 30_000, None);
    let mut pipe = redis::pipe();
    for i in 0..2000 {
        pipe.cmd("RPUSH")
            .arg(format!("l{}", i % 50))
            .arg(format!("element-{i}"))
            .ignore();
        pipe.cmd("HSET")
            .arg(format!("h{}", i % 50))
            .arg(format!("f{i}"))
            .arg(i)
            .ignore();
    }
    let () = pipe.query(&mut con).unwrap();
    let used = used_memory(&mut con) as f64;
    let allocated = info_int(&mut con, "memory", "allocator_allocated") as f64;
    let diff = (used - allocated).abs() / allocated;
    assert!(
        diff < 0.05,
        "used_memory {used} allocator_allocated {allocated}"
    );
    assert!(used > 30_000.0 * VALUE as f64);
}

/// What deleting `key` gives back in used_memory.
fn freed_by_del(con: &mut redis::Connection, key: &str) -> i64 {
    let before = used_memory(con);
    let n: i64 = redis::cmd("DEL").arg(key).query(con).unwrap();
    assert_eq!(n, 1);
    before - used_memory(con)
}

#[test]
fn memory_usage_of_big_collections_matches_what_deleting_them_frees() {
    let server = Server::start(&[]);
    let mut con = server.client();
    // Elements of varied length, past every compact encoding's limits,
    // lengths spread so that any five are a fair sample.
    let element = |i: usize| format!("element:{i}:{}", "x".repeat(i * 7919 % 40));
    let mut pipe = redis::pipe();
    for i in 0..50_000 {
        pipe.cmd("SADD").arg("set").arg(element(i)).ignore();
        pipe.cmd("HSET")
            .arg("hash")
            .arg(element(i))
            .arg(element(i + 7))
            .ignore();
        pipe.cmd("ZADD").arg("zset").arg(i).arg(element(i)).ignore();
        pipe.cmd("RPUSH").arg("list").arg(element(i)).ignore();
        pipe.cmd("XADD")
            .arg("stream")
            .arg("*")
            .arg("f")
            .arg(element(i))
            .ignore();
    }
    let () = pipe.query(&mut con).unwrap();
    for key in ["set", "hash", "zset", "list", "stream"] {
        let usage = |con: &mut redis::Connection, samples: &str| -> f64 {
            let n: i64 = redis::cmd("MEMORY")
                .arg("USAGE")
                .arg(key)
                .arg("SAMPLES")
                .arg(samples)
                .query(con)
                .unwrap();
            n as f64
        };
        let all = usage(&mut con, "0");
        // The default samples five elements: an estimate, but of the
        // right size.
        let sampled = usage(&mut con, "5");
        let freed = freed_by_del(&mut con, key) as f64;
        let off = (all - freed).abs() / freed;
        assert!(off < 0.05, "{key}: MEMORY USAGE {all}, DEL freed {freed}");
        let off = (sampled - freed).abs() / freed;
        assert!(
            off < 0.25,
            "{key}: SAMPLES 5 gives {sampled}, DEL freed {freed}"
        );
    }
}
