//! Copy-on-write during BGSAVE, as the child reports it: a save that
//! runs while a quarter of the keys are overwritten costs the pages those
//! writes touched, well below the data set; a save with no writes costs
//! almost nothing. The figures are the ones INFO persistence shows
//! (rdb_last_cow_size, current_save_keys_total), as in Redis 7.0.15.

mod common;

use common::{PATIENCE, Server};
use std::thread;
use std::time::{Duration, Instant};

const KEYS: usize = 200_000;

fn info_field(con: &mut redis::Connection, section: &str, name: &str) -> u64 {
    common::info_field(con, section, name)
        .parse()
        .unwrap_or_else(|_| panic!("no number {name} in INFO {section}"))
}

/// Sets keys `range` to values of 16 bytes tagged `tag`, 1000 per MSET.
fn write_keys(con: &mut redis::Connection, range: std::ops::Range<usize>, tag: char) {
    let keys: Vec<usize> = range.collect();
    for chunk in keys.chunks(1000) {
        let mut cmd = redis::cmd("MSET");
        for i in chunk {
            cmd.arg(format!("key:{i}")).arg(format!("{tag}{i:015}"));
        }
        let _: () = cmd.query(con).unwrap();
    }
}

fn bgsave_cow(con: &mut redis::Connection, during: impl FnOnce(&mut redis::Connection)) -> u64 {
    let _: String = redis::cmd("BGSAVE").query(con).unwrap();
    during(con);
    let deadline = Instant::now() + PATIENCE * 3;
    while info_field(con, "persistence", "rdb_bgsave_in_progress") != 0 {
        assert!(Instant::now() < deadline, "BGSAVE did not finish");
        thread::sleep(Duration::from_millis(20));
    }
    info_field(con, "persistence", "rdb_last_cow_size")
}

#[test]
fn writes_during_a_background_save_cost_the_pages_they_touch() {
    let server = Server::start(&["--save", "", "--loglevel", "verbose"]);
    let mut con = server.client();
    write_keys(&mut con, 0..KEYS, 'a');
    let used = info_field(&mut con, "memory", "used_memory");

    let quiet = bgsave_cow(&mut con, |_| {});
    assert!(quiet > 0, "the child's own pages at least");
    assert!(quiet < used / 10, "quiet save: {quiet} of {used} bytes");

    // Slowed (a microsecond's sleep once in 20 keys on average, about a
    // second here) so that the writes end before the child does; should
    // the machine be slow enough that they do not, again slower.
    let mut busy = None;
    for delay in ["-20", "-5", "-1"] {
        let _: () = redis::cmd("CONFIG")
            .arg(&["SET", "rdb-key-save-delay", delay])
            .query(&mut con)
            .unwrap();
        let mut outlasted = false;
        let cow = bgsave_cow(&mut con, |con| {
            assert_eq!(
                info_field(con, "persistence", "current_save_keys_total"),
                KEYS as u64
            );
            write_keys(con, 0..KEYS / 4, 'b');
            outlasted = info_field(con, "persistence", "rdb_bgsave_in_progress") == 1;
        });
        if outlasted {
            busy = Some(cow);
            break;
        }
    }
    let busy = busy.expect("a save that outlasts the writes");
    assert!(
        busy > quiet + 1024 * 1024,
        "writes during the save: {busy}, quiet: {quiet}"
    );
    assert!(busy < used / 2, "busy save: {busy} of {used} bytes");
    assert!(server.wait_for_log("Fork CoW for RDB: current "));
    assert!(info_field(&mut con, "stats", "total_forks") >= 2);
    assert_eq!(info_field(&mut con, "persistence", "current_cow_peak"), 0);
    eprintln!("used_memory {used}, quiet save {quiet}, busy save {busy}");
}
