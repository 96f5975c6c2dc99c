//! Engine-level maxmemory behaviour, with a limit of one byte so that
//! memory is always over it whatever else the test process allocates:
//! each policy evicts its whole class of keys and then refuses writes.
//! Tests running in parallel free memory too, which an eviction round
//! may count as its own and stop early; so a write is retried until it
//! is refused (SETNX on an existing key, which adds nothing).

use crate::commands::tests::{run, setup};

const OOM: &[u8] = b"-OOM command not allowed when used memory > 'maxmemory'.\r\n";

fn fill(e: &mut crate::commands::Engine, c: &mut crate::commands::ClientState) {
    for i in 0..10 {
        let k = format!("p{i}");
        assert_eq!(run(e, c, &[b"SET", k.as_bytes(), b"v"]), b"+OK\r\n");
    }
    for i in 0..5 {
        let k = format!("v{i}");
        let ttl = format!("{}", 100 + i);
        assert_eq!(
            run(e, c, &[b"SET", k.as_bytes(), b"v", b"EX", ttl.as_bytes()]),
            b"+OK\r\n"
        );
    }
}

/// Retries a write that adds nothing until it is refused.
fn until_oom(e: &mut crate::commands::Engine, c: &mut crate::commands::ClientState) {
    for _ in 0..50 {
        if run(e, c, &[b"SETNX", b"p0", b"z"]) == OOM {
            return;
        }
    }
    panic!("never out of memory");
}

fn evicted(e: &crate::commands::Engine) -> u64 {
    e.eviction.evicted_keys
}

#[test]
fn noeviction_refuses_writes_but_not_reads_or_deletes() {
    let (mut e, mut c) = setup();
    fill(&mut e, &mut c);
    run(&mut e, &mut c, &[b"CONFIG", b"SET", b"maxmemory", b"1"]);
    assert_eq!(run(&mut e, &mut c, &[b"SET", b"x", b"1"]), OOM);
    until_oom(&mut e, &mut c);
    assert_eq!(run(&mut e, &mut c, &[b"GET", b"p1"]), b"$1\r\nv\r\n");
    assert_eq!(run(&mut e, &mut c, &[b"DEL", b"p1"]), b":1\r\n");
    assert_eq!(run(&mut e, &mut c, &[b"DBSIZE"]), b":14\r\n");
    // Queueing counts as using memory; EXEC of a queue with a write is
    // refused and discards the transaction.
    assert_eq!(run(&mut e, &mut c, &[b"MULTI"]), b"+OK\r\n");
    assert_eq!(run(&mut e, &mut c, &[b"GET", b"p2"]), OOM);
    assert_eq!(
        run(&mut e, &mut c, &[b"EXEC"]),
        b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    );
    run(&mut e, &mut c, &[b"CONFIG", b"SET", b"maxmemory", b"0"]);
    assert_eq!(run(&mut e, &mut c, &[b"MULTI"]), b"+OK\r\n");
    assert_eq!(run(&mut e, &mut c, &[b"SET", b"a", b"1"]), b"+QUEUED\r\n");
    e.config.maxmemory = 1;
    assert_eq!(
        run(&mut e, &mut c, &[b"EXEC"]),
        b"-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n"
    );
    assert_eq!(
        run(&mut e, &mut c, &[b"EXEC"]),
        b"-ERR EXEC without MULTI\r\n"
    );
    assert_eq!(evicted(&e), 0);
}

#[test]
fn volatile_policies_evict_only_keys_with_a_ttl() {
    for policy in [
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
    ] {
        let (mut e, mut c) = setup();
        fill(&mut e, &mut c);
        run(
            &mut e,
            &mut c,
            &[b"CONFIG", b"SET", b"maxmemory-policy", policy.as_bytes()],
        );
        run(&mut e, &mut c, &[b"CONFIG", b"SET", b"maxmemory", b"1"]);
        until_oom(&mut e, &mut c);
        assert_eq!(run(&mut e, &mut c, &[b"DBSIZE"]), b":10\r\n", "{policy}");
        assert_eq!(evicted(&e), 5, "{policy}");
        for i in 0..10 {
            let k = format!("p{i}");
            assert_eq!(run(&mut e, &mut c, &[b"EXISTS", k.as_bytes()]), b":1\r\n");
        }
    }
}

#[test]
fn allkeys_policies_evict_everything_then_refuse() {
    for policy in ["allkeys-lru", "allkeys-lfu", "allkeys-random"] {
        let (mut e, mut c) = setup();
        fill(&mut e, &mut c);
        run(&mut e, &mut c, &[b"SELECT", b"3"]);
        run(&mut e, &mut c, &[b"SET", b"other", b"db"]);
        run(
            &mut e,
            &mut c,
            &[b"CONFIG", b"SET", b"maxmemory-policy", policy.as_bytes()],
        );
        run(&mut e, &mut c, &[b"CONFIG", b"SET", b"maxmemory", b"1"]);
        for _ in 0..50 {
            if run(&mut e, &mut c, &[b"SET", b"x", b"1"]) == OOM {
                break;
            }
        }
        assert_eq!(run(&mut e, &mut c, &[b"SET", b"x", b"1"]), OOM, "{policy}");
        assert!(evicted(&e) >= 16, "{policy}");
        assert!(e.keyspace.dbs.iter().all(|d| d.is_empty()), "{policy}");
    }
}

#[test]
fn evictions_invalidate_watch_and_publish_the_event() {
    let (mut e, mut c) = setup();
    run(&mut e, &mut c, &[b"SET", b"w", b"1"]);
    run(&mut e, &mut c, &[b"WATCH", b"w"]);
    run(
        &mut e,
        &mut c,
        &[b"CONFIG", b"SET", b"maxmemory-policy", b"allkeys-random"],
    );
    run(&mut e, &mut c, &[b"CONFIG", b"SET", b"maxmemory", b"1"]);
    // GET is no denyoom command: it runs after the evictions.
    for _ in 0..50 {
        if run(&mut e, &mut c, &[b"GET", b"w"]) == b"$-1\r\n" {
            break;
        }
    }
    assert_eq!(run(&mut e, &mut c, &[b"GET", b"w"]), b"$-1\r\n");
    run(&mut e, &mut c, &[b"CONFIG", b"SET", b"maxmemory", b"0"]);
    assert_eq!(run(&mut e, &mut c, &[b"MULTI"]), b"+OK\r\n");
    assert_eq!(run(&mut e, &mut c, &[b"PING"]), b"+QUEUED\r\n");
    assert_eq!(run(&mut e, &mut c, &[b"EXEC"]), b"*-1\r\n");
    let info = run(&mut e, &mut c, &[b"INFO", b"stats"]);
    let info = String::from_utf8_lossy(&info);
    assert!(info.contains("\r\nevicted_keys:1\r\n"), "{info}");
}
