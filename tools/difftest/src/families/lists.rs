//! Lists: every command with every option, edge indexes and counts, and
//! string commands on the same keys so WRONGTYPE comes up everywhere.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

/// List commands whose table entries are compared.
const COMMANDS: &[&str] = &[
    "lpush",
    "rpush",
    "lpushx",
    "rpushx",
    "lpop",
    "rpop",
    "llen",
    "lrange",
    "lindex",
    "lset",
    "linsert",
    "lrem",
    "ltrim",
    "lpos",
    "lmove",
    "rpoplpush",
    "lmpop",
];

/// An element: mostly from a small pool, so pivots, LREM and LPOS find
/// matches (integers among them, stored as integers), else any edge value.
fn element(g: &mut Gen) -> Vec<u8> {
    const POOL: &[&[u8]] = &[
        b"a", b"b", b"c", b"1", b"2", b"10", b"-1", b"0", b"01", b"", b"x y", b"\x00", b"a\r\n",
        b"4096", b"-4097", b"8388608",
    ];
    if g.chance(65) {
        POOL[g.rng.usize(..POOL.len())].to_vec()
    } else {
        g.value()
    }
}

fn elements(g: &mut Gen, max: usize) -> Vec<Vec<u8>> {
    let n = g.rng.usize(1..=max);
    (0..n).map(|_| element(g)).collect()
}

/// An index: near the ends of a short list, or an edge value.
fn index(g: &mut Gen) -> Vec<u8> {
    g.int(-15, 15)
}

fn side(g: &mut Gen) -> Vec<u8> {
    g.pick(&["LEFT", "RIGHT", "left", "Right", "up", "LEFT\0x"])
        .as_bytes()
        .to_vec()
}

fn lpos(g: &mut Gen) -> Vec<Vec<u8>> {
    let mut a = args![g.name("lpos"), g.key(), element(g)];
    for _ in 0..g.rng.usize(0..4) {
        match g.rng.u32(..7) {
            0 | 1 => a.extend(args!["RANK", g.int(-4, 4)]),
            2 | 3 => a.extend(args!["COUNT", g.int(0, 4)]),
            4 | 5 => a.extend(args!["MAXLEN", g.int(0, 12)]),
            _ => a.push(
                g.pick(&["rank", "count", "maxlen", "foo"])
                    .as_bytes()
                    .to_vec(),
            ),
        }
    }
    a
}

fn lmpop(g: &mut Gen) -> Vec<Vec<u8>> {
    let keys = g.keys(3);
    let numkeys = if g.chance(85) {
        keys.len().to_string().into_bytes()
    } else {
        g.pick(&["0", "-1", "x", "4", "9223372036854775807", "2"])
            .as_bytes()
            .to_vec()
    };
    let mut a = args![g.name("lmpop"), numkeys, keys, side(g)];
    if g.chance(50) {
        a.extend(args![g.pick(&["COUNT", "count", "cnt"]), g.int(0, 6)]);
    }
    if g.chance(5) {
        a.extend(args!["COUNT", "1"]);
    }
    a
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..40) {
        0..=5 => args![g.name_of(&["lpush", "rpush"]), g.key(), elements(g, 5)],
        // Longer lists, so node boundaries come into play.
        6 => {
            let n = g.rng.usize(20..300);
            let mut a = args![g.name_of(&["rpush", "lpush"]), g.key()];
            for i in 0..n {
                a.push(if g.chance(20) {
                    element(g)
                } else {
                    format!("e{i}").into_bytes()
                });
            }
            a
        }
        7 => args![g.name_of(&["lpushx", "rpushx"]), g.key(), elements(g, 3)],
        8 | 9 => {
            let mut a = args![g.name_of(&["lpop", "rpop"]), g.key()];
            if g.chance(50) {
                a.push(g.int(0, 8));
            }
            a
        }
        10 => args![g.name("llen"), g.key()],
        11 | 12 => args![g.name("lrange"), g.key(), index(g), index(g)],
        13 => args![g.name("lindex"), g.key(), index(g)],
        14 => args![g.name("lset"), g.key(), index(g), element(g)],
        15 => args![
            g.name("linsert"),
            g.key(),
            g.pick(&["BEFORE", "AFTER", "before", "after", "middle"]),
            element(g),
            element(g)
        ],
        16 => args![g.name("lrem"), g.key(), g.int(-3, 3), element(g)],
        17 => args![g.name("ltrim"), g.key(), index(g), index(g)],
        18 | 19 => lpos(g),
        20 | 21 => args![g.name("lmove"), g.key(), g.key(), side(g), side(g)],
        22 => args![g.name("rpoplpush"), g.key(), g.key()],
        23 | 24 => lmpop(g),
        // Other types on the same keys.
        25 => args![g.name("set"), g.key(), g.value()],
        26 => args![g.name_of(&["get", "incr", "strlen"]), g.key()],
        27 => args![g.name("append"), g.key(), g.value()],
        28 => args![g.name_of(&["del", "exists", "type"]), g.key()],
        29 => args![g.name("object"), "encoding", g.key()],
        30 => args![g.name("pexpire"), g.key(), g.ttl(100_000, 10_000_000)],
        31 => {
            return Step::with(
                args![g.name("command"), "info", g.pick(COMMANDS)],
                Cmp::CommandEntries,
            );
        }
        32 => {
            let cmd = g.pick(&["lmpop", "lmove", "rpoplpush", "lpush", "lpos"]);
            let mut a = args![g.name("command"), "getkeys", cmd];
            a.extend(match cmd {
                "lmpop" => lmpop(g).split_off(1),
                "lmove" => args![g.key(), g.key(), "left", "right"],
                "rpoplpush" => args![g.key(), g.key()],
                _ => args![g.key(), element(g)],
            });
            a
        }
        33 => args![
            g.name("config"),
            "set",
            "list-max-listpack-size",
            g.pick(&["-1", "-2", "-5", "-6", "1", "2", "4", "128", "0", "x"])
        ],
        34 => args![g.name("select"), g.pick(&["0", "0", "1"])],
        35 => args![g.name("rename"), g.key(), g.key()],
        36 => args![g.name("copy"), g.key(), g.key(), "REPLACE"],
        _ => args![g.name("lrange"), g.key(), "0", "-1"],
    };
    Step::exact(g.mangle(cmd))
}
