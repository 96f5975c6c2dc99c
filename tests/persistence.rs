//! RDB snapshots through the real binary: what a snapshot holds after a
//! restart, when it is taken (SAVE, BGSAVE, SHUTDOWN with save points),
//! what a failed background save does to writes, and a damaged file at
//! start-up. Replies and log lines follow Redis 7.0.15's.

mod common;

use common::{PATIENCE, Server, TempDir, run_to_exit};
use redis::Commands;
use std::thread;
use std::time::{Duration, Instant};

fn dir_flags(dir: &TempDir) -> Vec<String> {
    vec!["--dir".into(), dir.path().display().to_string()]
}

fn start_in(dir: &TempDir, more: &[&str]) -> Server {
    let mut flags = dir_flags(dir);
    flags.extend(more.iter().map(|s| s.to_string()));
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    Server::start(&flags)
}

fn info_field(con: &mut redis::Connection, name: &str) -> String {
    let info: String = redis::cmd("INFO").arg("persistence").query(con).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_default()
        .to_string()
}

/// Waits for a background save to end; its rdb_last_bgsave_status.
fn wait_bgsave(con: &mut redis::Connection) -> String {
    let deadline = Instant::now() + PATIENCE;
    while info_field(con, "rdb_bgsave_in_progress") != "0" {
        assert!(Instant::now() < deadline, "BGSAVE did not finish");
        thread::sleep(Duration::from_millis(20));
    }
    info_field(con, "rdb_last_bgsave_status")
}

/// One key of every type, small encodings and large, and one with a TTL.
fn fill(con: &mut redis::Connection) {
    let _: () = con.set("str", "hello").unwrap();
    let _: () = con.set("int", 12345).unwrap();
    let _: () = con.set_ex("ttl", "v", 1000).unwrap();
    let _: () = con.rpush("list", &["a", "b", "c"]).unwrap();
    let _: () = con
        .hset_multiple("hash", &[("f1", "v1"), ("f2", "v2")])
        .unwrap();
    let _: () = con.sadd("intset", &[1, 2, 3]).unwrap();
    let big: Vec<String> = (0..1000).map(|i| format!("member:{i}")).collect();
    let _: () = con.sadd("set", &big).unwrap();
    let _: () = con
        .zadd_multiple("zset", &[(1.5, "a"), (2.0, "b")])
        .unwrap();
    let _: () = redis::cmd("XADD")
        .arg(&["stream", "1-1", "f", "v"])
        .query(con)
        .unwrap();
    let _: () = redis::cmd("XGROUP")
        .arg(&["CREATE", "stream", "g", "0"])
        .query(con)
        .unwrap();
}

fn check(con: &mut redis::Connection) {
    let s: String = con.get("str").unwrap();
    assert_eq!(s, "hello");
    let i: i64 = con.get("int").unwrap();
    assert_eq!(i, 12345);
    let ttl: i64 = con.ttl("ttl").unwrap();
    assert!((990..=1000).contains(&ttl), "ttl {ttl}");
    let l: Vec<String> = con.lrange("list", 0, -1).unwrap();
    assert_eq!(l, ["a", "b", "c"]);
    let h: Vec<(String, String)> = con.hgetall("hash").unwrap();
    assert_eq!(h.len(), 2);
    let n: usize = con.scard("intset").unwrap();
    assert_eq!(n, 3);
    let n: usize = con.scard("set").unwrap();
    assert_eq!(n, 1000);
    let z: Vec<(String, f64)> = con.zrange_withscores("zset", 0, -1).unwrap();
    assert_eq!(z, [("a".to_string(), 1.5), ("b".to_string(), 2.0)]);
    let n: usize = redis::cmd("XLEN").arg("stream").query(con).unwrap();
    assert_eq!(n, 1);
    let groups: Vec<redis::Value> = redis::cmd("XINFO")
        .arg(&["GROUPS", "stream"])
        .query(con)
        .unwrap();
    assert_eq!(groups.len(), 1);
}

#[test]
fn a_background_save_is_the_data_set_at_the_moment_it_was_asked_for() {
    let dir = TempDir::new();
    let server = start_in(&dir, &["--save", ""]);
    let mut con = server.client();
    fill(&mut con);
    let _: () = con.set("moment", "before").unwrap();
    let started: String = redis::cmd("BGSAVE").query(&mut con).unwrap();
    assert_eq!(started, "Background saving started");
    // The child forked before the reply: this write is not in the file.
    let _: () = con.set("moment", "after").unwrap();
    assert_eq!(wait_bgsave(&mut con), "ok");
    assert_eq!(info_field(&mut con, "rdb_changes_since_last_save"), "1");
    assert!(server.wait_for_log("Background saving terminated with success"));
    // Killed, not shut down: only the file carries the data over.
    server.signal("KILL");
    drop(server);
    let server = start_in(&dir, &["--save", ""]);
    assert!(server.wait_for_log("Done loading RDB, keys loaded: 10, keys expired: 0."));
    let mut con = server.client();
    check(&mut con);
    let moment: String = con.get("moment").unwrap();
    assert_eq!(moment, "before");
}

#[test]
fn shutdown_saves_when_save_points_are_set() {
    let dir = TempDir::new();
    let mut server = start_in(&dir, &[]);
    let mut con = server.client();
    fill(&mut con);
    let _ = redis::cmd("SHUTDOWN").query::<()>(&mut con);
    assert!(server.wait_exit().success());
    assert!(
        server
            .log()
            .contains("Saving the final RDB snapshot before exiting.")
    );
    let server = start_in(&dir, &[]);
    check(&mut server.client());
}

#[test]
fn a_failed_background_save_stops_writes_until_a_save_succeeds() {
    let dir = TempDir::new();
    let server = start_in(&dir, &[]);
    let mut con = server.client();
    let _: () = con.set("k", "v").unwrap();
    // The rename onto a directory fails, as a full disk would.
    std::fs::create_dir(dir.path().join("dump.rdb")).unwrap();
    let _: String = redis::cmd("BGSAVE").query(&mut con).unwrap();
    assert_eq!(wait_bgsave(&mut con), "err");
    assert!(server.wait_for_log("Background saving error"));
    let mut raw = server.conn();
    let misconf = b"-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";
    raw.roundtrip(&common::resp(&[b"SET", b"k", b"w"]), misconf);
    raw.roundtrip(&common::resp(&[b"PING"]), misconf);
    raw.roundtrip(&common::resp(&[b"GET", b"k"]), b"$1\r\nv\r\n");
    raw.roundtrip(&common::resp(&[b"SAVE"]), b"-ERR\r\n");
    std::fs::remove_dir(dir.path().join("dump.rdb")).unwrap();
    raw.roundtrip(&common::resp(&[b"SAVE"]), b"+OK\r\n");
    raw.roundtrip(&common::resp(&[b"SET", b"k", b"w"]), b"+OK\r\n");
}

#[test]
fn a_damaged_file_stops_start_up_and_says_where() {
    let dir = TempDir::new();
    {
        let server = start_in(&dir, &["--save", ""]);
        let mut con = server.client();
        fill(&mut con);
        let _: () = redis::cmd("SAVE").query(&mut con).unwrap();
    }
    let path = dir.path().join("dump.rdb");
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let d = dir.path().display().to_string();
    let (status, out, err) = run_to_exit(&["--port", "0", "--dir", &d]);
    assert!(!status.success());
    let text = format!("{out}{err}");
    assert!(text.contains("dump.rdb"), "{text}");
    assert!(text.contains("offset"), "{text}");
    assert!(
        text.contains("Fatal error loading the DB. Exiting."),
        "{text}"
    );
}

#[test]
fn debug_reload_saves_and_loads_back_and_merge_replaces_present_keys() {
    let dir = TempDir::new();
    let server = start_in(&dir, &["--save", "", "--enable-debug-command", "yes"]);
    let mut con = server.client();
    let reload = |con: &mut redis::Connection, opts: &[&str]| -> redis::RedisResult<String> {
        redis::cmd("DEBUG").arg("RELOAD").arg(opts).query(con)
    };
    // No dump.rdb yet: loading what is on disk fails, as in Redis.
    let err = reload(&mut con, &["NOSAVE"]).unwrap_err();
    assert_eq!(err.detail(), Some("Error trying to load the RDB dump"));
    let err = reload(&mut con, &["MERGE", "x"]).unwrap_err();
    assert_eq!(
        err.detail(),
        Some("DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
    );
    fill(&mut con);
    assert_eq!(reload(&mut con, &[]).unwrap(), "OK");
    check(&mut con);
    // The file holds str=hello; MERGE NOFLUSH puts it back over a newer
    // value and drops that value's TTL, and keeps keys the file lacks.
    let _: () = con.set_ex("str", "newer", 100).unwrap();
    let _: () = con.set("only-in-memory", "x").unwrap();
    assert_eq!(
        reload(&mut con, &["MERGE", "NOSAVE", "NOFLUSH"]).unwrap(),
        "OK"
    );
    let str_now: String = con.get("str").unwrap();
    let ttl: i64 = con.ttl("str").unwrap();
    let kept: String = con.get("only-in-memory").unwrap();
    assert_eq!((str_now.as_str(), ttl, kept.as_str()), ("hello", -1, "x"));
    // Without MERGE a key present in both fails the load (Redis panics
    // there); the server stays up.
    let err = reload(&mut con, &["NOSAVE", "NOFLUSH"]).unwrap_err();
    assert_eq!(err.detail(), Some("Error trying to load the RDB dump"));
    let pong: String = redis::cmd("PING").query(&mut con).unwrap();
    assert_eq!(pong, "PONG");
}
