//! The append-only file through the real binary: a restart (after a
//! SIGKILL) gets the data set back from the AOF, a BGREWRITEAOF while
//! clients write loses nothing and leaves Redis 7's file layout, turning
//! the AOF on at run time, and damaged files at start-up (a truncated
//! tail loads with aof-load-truncated yes, stops start-up with no; other
//! damage stops it naming the file and offset). Replies, file names and
//! log lines follow Redis 7.0.15's.

mod common;

use common::{PATIENCE, Server, TempDir, run_to_exit};
use redis::Commands;
use std::thread;
use std::time::{Duration, Instant};

fn start_in(dir: &TempDir, more: &[&str]) -> Server {
    let d = dir.path().display().to_string();
    let mut flags = vec!["--dir", &d, "--save", "", "--appendonly", "yes"];
    flags.extend_from_slice(more);
    Server::start(&flags)
}

/// A field of INFO persistence.
fn info_field(con: &mut redis::Connection, name: &str) -> String {
    common::info_field(con, "persistence", name)
}

fn wait_rewrite(con: &mut redis::Connection) {
    let deadline = Instant::now() + PATIENCE;
    while info_field(con, "aof_rewrite_in_progress") != "0"
        || info_field(con, "aof_rewrite_scheduled") != "0"
    {
        assert!(Instant::now() < deadline, "the rewrite did not finish");
        thread::sleep(Duration::from_millis(20));
    }
}

fn manifest(dir: &TempDir) -> String {
    std::fs::read_to_string(dir.path().join("appendonlydir/appendonly.aof.manifest")).unwrap()
}

fn aof_files(dir: &TempDir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("appendonlydir"))
        .unwrap()
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// Writes of every type, including ones the AOF logs in another form.
fn fill(con: &mut redis::Connection) {
    let _: () = con.set("str", "hello").unwrap();
    let _: () = con.set_ex("ttl", "v", 1000).unwrap();
    let _: f64 = redis::cmd("INCRBYFLOAT")
        .arg(&["float", "1.5"])
        .query(con)
        .unwrap();
    let _: () = con.rpush("list", &["a", "b", "c", "d"]).unwrap();
    let _: Vec<String> = redis::cmd("BLPOP").arg(&["list", "0"]).query(con).unwrap();
    let _: () = con
        .hset_multiple("hash", &[("f1", "v1"), ("f2", "v2")])
        .unwrap();
    let big: Vec<String> = (0..300).map(|i| format!("member:{i}")).collect();
    let _: () = con.sadd("set", &big).unwrap();
    let _: Vec<String> = redis::cmd("SPOP").arg(&["set", "100"]).query(con).unwrap();
    let _: () = con
        .zadd_multiple("zset", &[(1.5, "a"), (2.0, "b")])
        .unwrap();
    let _: String = redis::cmd("XADD")
        .arg(&["stream", "*", "f", "v"])
        .query(con)
        .unwrap();
    let _: () = redis::cmd("XGROUP")
        .arg(&["CREATE", "stream", "g", "0"])
        .query(con)
        .unwrap();
    let _: redis::Value = redis::cmd("XREADGROUP")
        .arg(&["GROUP", "g", "alice", "STREAMS", "stream", ">"])
        .query(con)
        .unwrap();
    let _: () = redis::cmd("SELECT").arg(3).query(con).unwrap();
    let _: () = con.set("in-db-3", "x").unwrap();
    let _: () = redis::cmd("SELECT").arg(0).query(con).unwrap();
}

fn check(con: &mut redis::Connection) {
    let s: String = con.get("str").unwrap();
    assert_eq!(s, "hello");
    let ttl: i64 = con.ttl("ttl").unwrap();
    assert!((990..=1000).contains(&ttl), "ttl {ttl}");
    let f: String = con.get("float").unwrap();
    assert_eq!(f, "1.5");
    let l: Vec<String> = con.lrange("list", 0, -1).unwrap();
    assert_eq!(l, ["b", "c", "d"]);
    let h: Vec<(String, String)> = con.hgetall("hash").unwrap();
    assert_eq!(h.len(), 2);
    let n: usize = con.scard("set").unwrap();
    assert_eq!(n, 200);
    let z: Vec<(String, f64)> = con.zrange_withscores("zset", 0, -1).unwrap();
    assert_eq!(z, [("a".to_string(), 1.5), ("b".to_string(), 2.0)]);
    let pending: Vec<redis::Value> = redis::cmd("XPENDING")
        .arg(&["stream", "g", "-", "+", "10"])
        .query(con)
        .unwrap();
    assert_eq!(pending.len(), 1);
    let _: () = redis::cmd("SELECT").arg(3).query(con).unwrap();
    let x: String = con.get("in-db-3").unwrap();
    assert_eq!(x, "x");
    let _: () = redis::cmd("SELECT").arg(0).query(con).unwrap();
}

#[test]
fn a_restart_after_sigkill_loads_the_aof() {
    let dir = TempDir::new();
    let server = start_in(&dir, &["--appendfsync", "always"]);
    assert!(
        server.wait_for_log("Creating AOF base file appendonly.aof.1.base.rdb on server start")
    );
    assert!(
        server.wait_for_log("Creating AOF incr file appendonly.aof.1.incr.aof on server start")
    );
    let mut con = server.client();
    fill(&mut con);
    assert_eq!(info_field(&mut con, "aof_enabled"), "1");
    server.signal("KILL");
    drop(server);
    assert_eq!(
        manifest(&dir),
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
    // A dump.rdb is not looked at while the AOF is on.
    std::fs::write(dir.path().join("dump.rdb"), b"not an rdb").unwrap();
    let server = start_in(&dir, &[]);
    assert!(server.wait_for_log("DB loaded from incr file appendonly.aof.1.incr.aof"));
    assert!(server.wait_for_log("Opening AOF incr file appendonly.aof.1.incr.aof on server start"));
    check(&mut server.client());
}

#[test]
fn bgrewriteaof_while_clients_write_loses_nothing() {
    let dir = TempDir::new();
    // A slow rewrite, so writes land while it runs.
    let server = start_in(&dir, &["--rdb-key-save-delay", "200"]);
    let mut con = server.client();
    for i in 0..2000 {
        let _: () = con.set(format!("pre:{i}"), i).unwrap();
    }
    let reply: String = redis::cmd("BGREWRITEAOF").query(&mut con).unwrap();
    assert_eq!(reply, "Background append only file rewriting started");
    let again = redis::cmd("BGREWRITEAOF")
        .query::<String>(&mut con)
        .unwrap_err();
    assert!(
        again
            .to_string()
            .contains("Background append only file rewriting already in progress"),
        "{again}"
    );
    // BGSAVE waits for the rewrite, as in Redis.
    let refused = redis::cmd("BGSAVE").query::<String>(&mut con).unwrap_err();
    assert!(refused.to_string().contains(
        "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."
    ));
    let scheduled: String = redis::cmd("BGSAVE")
        .arg("SCHEDULE")
        .query(&mut con)
        .unwrap();
    assert_eq!(scheduled, "Background saving scheduled");
    assert_eq!(info_field(&mut con, "aof_rewrite_in_progress"), "1");
    assert_eq!(
        manifest(&dir),
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
    );
    for i in 0..500 {
        let _: i64 = con.incr("during", 1).unwrap();
        let _: () = con.set(format!("new:{i}"), i).unwrap();
    }
    wait_rewrite(&mut con);
    assert!(server.wait_for_log("Background AOF rewrite finished successfully"));
    assert!(server.wait_for_log("Background saving started"));
    assert_eq!(info_field(&mut con, "aof_last_bgrewrite_status"), "ok");
    assert_eq!(info_field(&mut con, "aof_rewrites"), "1");
    assert_eq!(
        manifest(&dir),
        "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
    );
    // The history files are gone.
    let deadline = Instant::now() + PATIENCE;
    while aof_files(&dir)
        != [
            "appendonly.aof.2.base.rdb",
            "appendonly.aof.2.incr.aof",
            "appendonly.aof.manifest",
        ]
    {
        assert!(Instant::now() < deadline, "{:?}", aof_files(&dir));
        thread::sleep(Duration::from_millis(20));
    }
    server.signal("KILL");
    drop(server);
    let server = start_in(&dir, &[]);
    let mut con = server.client();
    let n: i64 = con.get("during").unwrap();
    assert_eq!(n, 500);
    let size: usize = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(size, 2000 + 500 + 1);
}

#[test]
fn appendonly_turned_on_at_run_time_writes_a_base_first() {
    let dir = TempDir::new();
    let d = dir.path().display().to_string();
    let server = Server::start(&["--dir", &d, "--save", ""]);
    let mut con = server.client();
    let _: () = con.set("before", "1").unwrap();
    assert_eq!(info_field(&mut con, "aof_enabled"), "0");
    let _: () = redis::cmd("CONFIG")
        .arg(&["SET", "appendonly", "yes"])
        .query(&mut con)
        .unwrap();
    let _: () = con.set("after", "2").unwrap();
    wait_rewrite(&mut con);
    assert!(server.wait_for_log(
        "Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.1.incr.aof"
    ));
    assert_eq!(
        manifest(&dir),
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
    let _: () = con.set("later", "3").unwrap();
    server.signal("KILL");
    drop(server);
    let server = start_in(&dir, &[]);
    let mut con = server.client();
    let v: Vec<Option<String>> = con.mget(&["before", "after", "later"]).unwrap();
    assert_eq!(v, [Some("1".into()), Some("2".into()), Some("3".into())]);
    // And off again: the file is closed, the fields go from INFO.
    let _: () = redis::cmd("CONFIG")
        .arg(&["SET", "appendonly", "no"])
        .query(&mut con)
        .unwrap();
    assert_eq!(info_field(&mut con, "aof_enabled"), "0");
    assert_eq!(info_field(&mut con, "aof_current_size"), "");
}

/// An AOF with two SETs, the second cut `cut` bytes short; returns the
/// directory (left by a server killed after writing it).
fn truncated_aof(cut: u64) -> TempDir {
    let dir = TempDir::new();
    let server = start_in(&dir, &["--appendfsync", "always"]);
    let mut con = server.client();
    let _: () = con.set("t1", "v1").unwrap();
    let _: () = con.set("t2", "v2").unwrap();
    server.signal("KILL");
    drop(server);
    let incr = dir.path().join("appendonlydir/appendonly.aof.1.incr.aof");
    let len = std::fs::metadata(&incr).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&incr).unwrap();
    f.set_len(len - cut).unwrap();
    dir
}

#[test]
fn a_truncated_tail_loads_up_to_the_last_whole_command() {
    let dir = truncated_aof(5);
    let server = start_in(&dir, &[]);
    // SELECT 0 and SET t1 v1 are 52 bytes, as Redis logs it.
    assert!(server.wait_for_log(
        "!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!"
    ));
    assert!(
        server.wait_for_log("!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 52 !!!")
    );
    assert!(server.wait_for_log(
        "AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled"
    ));
    let mut con = server.client();
    let v: Vec<Option<String>> = con.mget(&["t1", "t2"]).unwrap();
    assert_eq!(v, [Some("v1".into()), None]);
    let len = std::fs::metadata(dir.path().join("appendonlydir/appendonly.aof.1.incr.aof"))
        .unwrap()
        .len();
    assert_eq!(len, 52);
}

#[test]
fn a_truncated_tail_stops_start_up_with_aof_load_truncated_no() {
    let dir = truncated_aof(5);
    let d = dir.path().display().to_string();
    let (status, out, err) = run_to_exit(&[
        "--port",
        "0",
        "--dir",
        &d,
        "--appendonly",
        "yes",
        "--aof-load-truncated",
        "no",
    ]);
    assert!(!status.success());
    let text = format!("{out}{err}");
    assert!(
        text.contains("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."),
        "{text}"
    );
}

#[test]
fn a_damaged_aof_stops_start_up_naming_file_and_offset() {
    let dir = truncated_aof(0);
    let incr = dir.path().join("appendonlydir/appendonly.aof.1.incr.aof");
    let mut bytes = std::fs::read(&incr).unwrap();
    // The second command's `*3` becomes `x3`.
    bytes[52] = b'x';
    std::fs::write(&incr, &bytes).unwrap();
    let d = dir.path().display().to_string();
    let (status, out, err) = run_to_exit(&["--port", "0", "--dir", &d, "--appendonly", "yes"]);
    assert!(!status.success());
    let text = format!("{out}{err}");
    assert!(
        text.contains(
            "Bad file format reading the append only file appendonly.aof.1.incr.aof at offset 52"
        ),
        "{text}"
    );
    // An unknown command is named, as Redis names it.
    bytes[52] = b'*';
    bytes[60] = b'x';
    std::fs::write(&incr, &bytes).unwrap();
    let (status, out, err) = run_to_exit(&["--port", "0", "--dir", &d, "--appendonly", "yes"]);
    assert!(!status.success());
    let text = format!("{out}{err}");
    assert!(
        text.contains(
            "Unknown command 'xET' reading the append only file appendonly.aof.1.incr.aof"
        ),
        "{text}"
    );
    // A manifest line Redis would refuse.
    std::fs::write(
        dir.path().join("appendonlydir/appendonly.aof.manifest"),
        "file appendonly.aof.1.base.rdb seq 1 type x\n",
    )
    .unwrap();
    let (status, out, err) = run_to_exit(&["--port", "0", "--dir", &d, "--appendonly", "yes"]);
    assert!(!status.success());
    let text = format!("{out}{err}");
    assert!(text.contains("Unknown AOF file type"), "{text}");
}

/// RESP for one command.
fn resp_cmd(args: &[&str]) -> String {
    let mut out = format!("*{}\r\n", args.len());
    for a in args {
        out.push_str(&format!("${}\r\n{a}\r\n", a.len()));
    }
    out
}

#[test]
fn loading_replays_commands_against_keys_as_they_were_expired_or_not() {
    // Written long ago: each key's expire time has passed since, but the
    // commands after it ran while it was alive. Redis 7.0.15 loads this
    // to k and k2 without TTL, j and a gone.
    let dir = TempDir::new();
    let aof = dir.path().join("appendonlydir");
    std::fs::create_dir(&aof).unwrap();
    std::fs::write(
        aof.join("appendonly.aof.manifest"),
        "file appendonly.aof.1.incr.aof seq 1 type i\n",
    )
    .unwrap();
    let commands = [
        resp_cmd(&["SELECT", "0"]),
        resp_cmd(&["SET", "k", "v", "PXAT", "1"]),
        resp_cmd(&["PERSIST", "k"]),
        resp_cmd(&["SET", "j", "v", "PXAT", "1"]),
        resp_cmd(&["SET", "k2", "v"]),
        resp_cmd(&["PEXPIREAT", "k2", "1"]),
        resp_cmd(&["PERSIST", "k2"]),
        resp_cmd(&["SET", "a", "1", "PXAT", "1"]),
        resp_cmd(&["APPEND", "a", "x"]),
    ]
    .concat();
    std::fs::write(aof.join("appendonly.aof.1.incr.aof"), commands).unwrap();
    let server = start_in(&dir, &[]);
    let mut con = server.client();
    for (key, value, ttl) in [
        ("k", Some("v"), -1),
        ("j", None, -2),
        ("k2", Some("v"), -1),
        ("a", None, -2),
    ] {
        let got: Option<String> = con.get(key).unwrap();
        assert_eq!(got.as_deref(), value, "{key}");
        let t: i64 = con.pttl(key).unwrap();
        assert_eq!(t, ttl, "{key}");
    }
}
