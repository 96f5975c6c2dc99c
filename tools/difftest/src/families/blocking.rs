//! The blocking pops and moves (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
//! BZPOPMIN, BZPOPMAX, BZMPOP) on one connection: served at once when a
//! key has data, timing out with the null reply when none has, and their
//! argument errors. Timeouts are always short and positive, or invalid:
//! a zero timeout (or one that rounds to zero milliseconds) would wait
//! forever, so these commands are never mangled at random either. Waking
//! a blocked client from another connection is covered by the tests in
//! tests/blocking.rs.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

const LISTS: &[&str] = &["bl1", "bl2", "bl3"];
const ZSETS: &[&str] = &["bz1", "bz2"];

fn list_key(g: &mut Gen) -> Vec<u8> {
    // Now and then a sorted set or a string: WRONGTYPE.
    if g.chance(10) {
        return g.pick(&["bz1", "bstr"]).as_bytes().to_vec();
    }
    g.pick(LISTS).as_bytes().to_vec()
}

fn zset_key(g: &mut Gen) -> Vec<u8> {
    if g.chance(10) {
        return g.pick(&["bl1", "bstr"]).as_bytes().to_vec();
    }
    g.pick(ZSETS).as_bytes().to_vec()
}

fn keys(g: &mut Gen, pick: fn(&mut Gen) -> Vec<u8>) -> Vec<Vec<u8>> {
    (0..g.rng.usize(1..=3)).map(|_| pick(g)).collect()
}

/// A timeout that ends within milliseconds, or one Redis refuses.
fn timeout(g: &mut Gen) -> Vec<u8> {
    if g.chance(85) {
        return g
            .pick(&["0.01", "0.005", "0.02", ".01", "1e-2"])
            .as_bytes()
            .to_vec();
    }
    g.pick(&[
        "-1",
        "x",
        "",
        "-0.5",
        "inf",
        "-inf",
        "1e400",
        "nan",
        "0.01x",
        "9223372036854775807",
    ])
    .as_bytes()
    .to_vec()
}

fn side(g: &mut Gen) -> Vec<u8> {
    g.pick(&["LEFT", "RIGHT", "left", "right", "up"])
        .as_bytes()
        .to_vec()
}

/// numkeys, the keys (or a wrong count), then the rest.
fn numkeys(g: &mut Gen, keys: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let n = if g.chance(90) {
        keys.len().to_string()
    } else {
        g.pick(&["0", "-1", "x", "9"]).to_string()
    };
    args![n, keys]
}

fn count(g: &mut Gen) -> Vec<Vec<u8>> {
    match g.rng.u32(..6) {
        0 | 1 => args!["COUNT", g.int(1, 5)],
        2 => args![g.pick(&["COUNT", "count"]), g.int(-1, 3)],
        3 => args!["COUNT"],
        _ => Vec::new(),
    }
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..24) {
        0..=3 => {
            let mut a = args![g.name_of(&["rpush", "lpush"]), g.pick(LISTS)];
            for _ in 0..g.rng.usize(1..5) {
                a.push(g.value());
            }
            return Step::exact(a);
        }
        4 | 5 => {
            let mut a = args![g.name("zadd"), g.pick(ZSETS)];
            for _ in 0..g.rng.usize(1..4) {
                a.extend(args![g.int(-5, 5), g.value()]);
            }
            return Step::exact(a);
        }
        6 | 7 => args![
            g.name_of(&["blpop", "brpop"]),
            keys(g, list_key),
            timeout(g)
        ],
        8 => args![
            g.name("blmove"),
            list_key(g),
            list_key(g),
            side(g),
            side(g),
            timeout(g)
        ],
        9 => args![g.name("brpoplpush"), list_key(g), list_key(g), timeout(g)],
        10 | 11 => {
            let k = keys(g, list_key);
            args![
                g.name("blmpop"),
                timeout(g),
                numkeys(g, k),
                side(g),
                count(g)
            ]
        }
        12 | 13 => args![
            g.name_of(&["bzpopmin", "bzpopmax"]),
            keys(g, zset_key),
            timeout(g)
        ],
        14 | 15 => {
            let k = keys(g, zset_key);
            let end = g.pick(&["MIN", "MAX", "min", "max", "mid"]);
            args![g.name("bzmpop"), timeout(g), numkeys(g, k), end, count(g)]
        }
        // Arity errors, never with a zero timeout.
        16 => args![g.name_of(&["blpop", "bzpopmin", "blmpop", "bzmpop"]), "bl1"],
        17 => args![g.name_of(&["blmove", "brpoplpush"]), "bl1", "bl2"],
        18 => args![g.name("set"), "bstr", g.value()],
        19 => args![
            g.name_of(&["llen", "zcard", "type"]),
            g.pick(&["bl1", "bl2", "bl3", "bz1", "bz2"])
        ],
        20 => args![
            g.name("del"),
            g.pick(&["bl1", "bl2", "bl3", "bz1", "bz2", "bstr"])
        ],
        21 => {
            return Step::with(
                args![
                    g.name("command"),
                    "info",
                    g.pick(&[
                        "blpop",
                        "brpop",
                        "blmove",
                        "brpoplpush",
                        "blmpop",
                        "bzpopmin",
                        "bzpopmax",
                        "bzmpop"
                    ])
                ],
                Cmp::CommandEntries,
            );
        }
        22 => {
            let mut a = args![g.name("command"), "getkeys"];
            a.extend(match g.rng.u32(..3) {
                0 => args!["blmpop", "0", "2", "a", "b", "LEFT"],
                1 => args!["bzmpop", "1", "1", "a", "MIN", "COUNT", "2"],
                _ => args!["blpop", "a", "b", "c", "0"],
            });
            a
        }
        _ => args![g.name("lrange"), g.pick(LISTS), "0", "-1"],
    };
    Step::exact(cmd)
}
