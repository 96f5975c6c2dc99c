//! WATCH, UNWATCH, MULTI, EXEC and DISCARD on one connection, with
//! writes to the watched keys from that connection and from a second
//! client (steps addressed to `@other`), flushes and SWAPDB: every EXEC's
//! outcome (the results, or the null reply of a touched key) must agree.

use crate::args;
use crate::generate::{Gen, Step};

const KEYS: &[&str] = &["w1", "w2", "w3"];

fn key(g: &mut Gen) -> Vec<u8> {
    g.pick(KEYS).as_bytes().to_vec()
}

fn write(g: &mut Gen) -> Vec<Vec<u8>> {
    match g.rng.u32(..12) {
        0 => args![g.name("set"), key(g), g.value()],
        1 => args![g.name("incr"), key(g)],
        2 => args![g.name("del"), key(g)],
        3 => args![g.name("expire"), key(g), g.pick(&["100", "-1"])],
        4 => args![g.name("persist"), key(g)],
        5 => args![g.name("lpush"), key(g), "x"],
        6 => args![g.name("sadd"), key(g), "x"],
        7 => args![g.name("rename"), key(g), key(g)],
        // Stream writes that signal WATCH and those that, in Redis 7.0, do
        // not (group changes, XSETID). IDs `<ms>-*` are the same on both
        // servers.
        8 => args![
            g.name("xadd"),
            key(g),
            format!("{}-*", g.rng.u64(1..1000)),
            "f",
            "v"
        ],
        9 => args![g.name("xtrim"), key(g), "MAXLEN", "0"],
        10 => match g.rng.u32(..3) {
            0 => args![g.name("xgroup"), "CREATE", key(g), "g", "$", "MKSTREAM"],
            1 => args![
                g.name("xreadgroup"),
                "GROUP",
                "g",
                "c",
                "STREAMS",
                key(g),
                ">"
            ],
            _ => args![
                g.name("xsetid"),
                key(g),
                format!("{}-0", g.rng.u64(1..1000))
            ],
        },
        // Writes that change nothing touch nothing.
        _ => args![g.name_of(&["srem", "hdel", "zrem"]), key(g), "nope"],
    }
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..30) {
        0..=4 => {
            let mut a = args![g.name("watch")];
            for _ in 0..g.rng.usize(0..3) + 1 {
                a.push(key(g));
            }
            if g.chance(3) {
                a.truncate(1);
            }
            a
        }
        5 => args![g.name("unwatch")],
        6..=8 => args![g.name("multi")],
        9..=11 => args![g.name("exec")],
        12 => args![g.name("discard")],
        13..=16 => write(g),
        17..=21 => {
            let mut a = args!["@other"];
            a.extend(write(g));
            a
        }
        22 => args!["@other", g.name_of(&["flushdb", "flushall"])],
        23 => args!["@other", g.name("swapdb"), "0", "1"],
        24 => args![g.name("select"), g.pick(&["0", "1"])],
        25 => args!["@other", g.name("select"), g.pick(&["0", "1"])],
        26 => args![g.name_of(&["get", "exists", "type"]), key(g)],
        // A command refused while queueing: EXECABORT wins.
        27 => args![g.name("get")],
        28 => args![g.name("ping")],
        _ => args![g.name("reset")],
    };
    Step::exact(cmd)
}
