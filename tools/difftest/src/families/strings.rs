//! Strings and bitmaps: every command with every option, plus edge values.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

/// SET-style expiry options (relative ones long enough not to race).
fn expiry(g: &mut Gen) -> Vec<Vec<u8>> {
    match g.rng.u32(..9) {
        0 => args!["EX", g.ttl(100, 100_000)],
        1 => args!["PX", g.ttl(100_000, 10_000_000)],
        2 => args!["EXAT", future_or_past(g, 1)],
        3 => args!["PXAT", future_or_past(g, 1000)],
        4 => args!["KEEPTTL"],
        5 => args!["EX", g.ttl(100, 1000)],
        6 => args!["PERSIST"],
        _ => vec![],
    }
}

/// An absolute time in seconds (`scale` 1) or ms (1000): mostly in the
/// future, sometimes long past (never about now, which would race).
pub fn future_or_past(g: &mut Gen, scale: i64) -> Vec<u8> {
    let now = crate::unix_secs();
    let t = if g.chance(85) {
        now + g.rng.i64(100..100_000)
    } else {
        g.rng.i64(1..100_000)
    };
    (t * scale).to_string().into_bytes()
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..34) {
        0 | 1 => args![g.name("get"), g.key()],
        2..=4 => {
            let mut a = args![g.name("set"), g.key(), g.value()];
            for _ in 0..g.rng.usize(0..4) {
                match g.rng.u32(..5) {
                    0 => a.push(b"NX".to_vec()),
                    1 => a.push(b"XX".to_vec()),
                    2 => a.push(b"GET".to_vec()),
                    _ => a.extend(expiry(g)),
                }
            }
            a
        }
        5 => args![g.name("setnx"), g.key(), g.value()],
        6 => args![g.name("setex"), g.key(), g.ttl(100, 100_000), g.value()],
        7 => args![
            g.name("psetex"),
            g.key(),
            g.ttl(100_000, 10_000_000),
            g.value()
        ],
        8 => args![g.name("getset"), g.key(), g.value()],
        9 => args![g.name("getdel"), g.key()],
        10 => {
            let mut a = args![g.name("getex"), g.key()];
            a.extend(expiry(g));
            if g.chance(10) {
                a.extend(expiry(g));
            }
            a
        }
        11 => args![g.name("mget"), g.keys(5)],
        12 => {
            let mut a = args![g.name_of(&["mset", "mset", "msetnx"])];
            for _ in 0..g.rng.usize(1..4) {
                a.push(g.key());
                a.push(g.value());
            }
            a
        }
        13 | 14 => args![g.name("append"), g.key(), g.value()],
        15 => args![g.name("strlen"), g.key()],
        16 => args![g.name_of(&["incr", "decr"]), g.key()],
        17 => args![g.name_of(&["incrby", "decrby"]), g.key(), g.int(-100, 100)],
        18 => args![g.name("incrbyfloat"), g.key(), g.float()],
        19 => args![
            g.name_of(&["getrange", "substr"]),
            g.key(),
            g.int(-20, 20),
            g.int(-20, 20)
        ],
        20 => args![g.name("setrange"), g.key(), g.offset(0, 40), g.value()],
        21 => {
            let mut a = args![g.name("lcs"), g.key(), g.key()];
            for _ in 0..g.rng.usize(0..3) {
                match g.rng.u32(..4) {
                    0 => a.push(b"LEN".to_vec()),
                    1 => a.push(b"IDX".to_vec()),
                    2 => a.extend(args!["MINMATCHLEN", g.int(0, 5)]),
                    _ => a.push(b"WITHMATCHLEN".to_vec()),
                }
            }
            a
        }
        22 | 23 => args![
            g.name("setbit"),
            g.key(),
            g.offset(0, 200),
            g.pick(&["0", "1", "1", "2", "-1"])
        ],
        24 => args![g.name("getbit"), g.key(), g.offset(0, 200)],
        25 | 26 => {
            let mut a = args![g.name_of(&["bitcount", "bitpos"]), g.key()];
            if a[0].eq_ignore_ascii_case(b"bitpos") {
                a.push(g.pick(&["0", "1", "2"]).as_bytes().to_vec());
            }
            if g.chance(70) {
                a.push(g.int(-10, 10));
                if g.chance(70) {
                    a.push(g.int(-10, 10));
                    if g.chance(40) {
                        a.push(g.pick(&["BYTE", "BIT", "byte", "word"]).as_bytes().to_vec());
                    }
                }
            }
            a
        }
        27 => {
            let op = g.pick(&["AND", "OR", "XOR", "NOT", "and", "nand"]);
            args![g.name("bitop"), op, g.key(), g.keys(3)]
        }
        28..=30 => {
            let mut a = args![
                g.name_of(&["bitfield", "bitfield", "bitfield", "bitfield_ro"]),
                g.key()
            ];
            for _ in 0..g.rng.usize(0..4) {
                let ty = format!(
                    "{}{}",
                    g.pick(&["i", "u", "u", "i", "x"]),
                    g.pick(&["1", "4", "8", "16", "63", "64", "0", "65"])
                );
                let off = if g.chance(30) {
                    format!("#{}", g.rng.u32(0..10))
                } else {
                    String::from_utf8_lossy(&g.int(0, 100)).into_owned()
                };
                match g.rng.u32(..5) {
                    0 => a.extend(args!["GET", ty, off]),
                    1 => a.extend(args!["SET", ty, off, g.int(-300, 300)]),
                    2 => a.extend(args!["INCRBY", ty, off, g.int(-300, 300)]),
                    3 => a.extend(args!["OVERFLOW", g.pick(&["WRAP", "SAT", "FAIL", "bad"])]),
                    _ => a.extend(args![g.pick(&["get", "set", "incrby"]), ty, off]),
                }
            }
            a
        }
        31 => args![g.name("type"), g.key()],
        32 => args![g.name("object"), "ENCODING", g.key()],
        _ => args![g.name("pttl"), g.key()],
    };
    let cmd = g.mangle(cmd);
    let cmp = if crate::generate::command_name(&cmd) == "pttl" {
        Cmp::Near(crate::generate::MS_TTL_SLACK)
    } else {
        Cmp::Exact
    };
    Step::with(cmd, cmp)
}
