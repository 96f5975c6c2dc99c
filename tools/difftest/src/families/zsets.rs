//! Sorted sets: every command and option, edge scores (inf, -inf, 1e308,
//! -0, NaN, junk), exclusive bounds, lex ranges, both encodings (big
//! batches and long members force the conversion), and wrong types from
//! the shared key space.
//!
//! Four pools of keys. The shared ones get anything. The `big:` keys get
//! big batches often, so range commands meet the big encoding. Lex ranges
//! are only defined when all scores are equal (Redis's answer otherwise
//! depends on its skip list's random shape), so the `lex:` keys only ever
//! hold score 0, in either encoding; the `mix:` keys hold a few short
//! members with any scores and so always stay listpacks, whose lex scans
//! ferredis reproduces exactly. Writes that copy between keys stay within
//! a pool.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

const BIG_KEYS: &[&str] = &["big:0", "big:1"];
const LEX_KEYS: &[&str] = &["lex:0", "lex:1"];
const MIX_KEYS: &[&str] = &["mix:0", "mix:1"];

const SCORES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "1.5",
    "-2.5",
    "-0",
    "+0",
    "0.1",
    "10",
    "100",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "inf",
    "-inf",
    "+inf",
    "Infinity",
    "1e-310",
    "0x10",
    "3.0e-5",
    "4611686018427387904",
    "123456789012345678",
    "nan",
    "1e400",
    "-1e-400",
    " 1",
    "1 ",
    "abc",
    "",
    "(1",
];

const BOUNDS: &[&str] = &[
    "-inf", "+inf", "inf", "0", "1", "-1", "2", "(1", "(0", "(-1", "2.5", "(2.5", "(inf", "(-inf",
    "", "(", " 1", "( 1", "1e400", "-1e400", "x", "nan", "(nan", "1)", "3", "(3", "100", "0x10",
];

const LEX_BOUNDS: &[&str] = &[
    "-", "+", "[a", "(a", "[b", "(c", "[m1", "(m5", "[m", "[", "(", "[z", "(1", "[10", "a", "",
    "+x", "-x", "[\x00", "(\x00", "-\x00x", "[bin", "[a long",
];

fn member(g: &mut Gen) -> Vec<u8> {
    const POOL: &[&str] = &[
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "m1",
        "m2",
        "m3",
        "m5",
        "m10",
        "1",
        "2",
        "10",
        "-1",
        "0",
        "01",
        "-0",
        "9223372036854775807",
        "-9223372036854775808",
        "",
        "a long member name",
    ];
    match g.rng.u32(..40) {
        0 => b"bin\x00\r\nmember".to_vec(),
        1 => vec![b'x'; 65],
        2 => vec![b'y'; 64],
        3..=6 => format!("m{}", g.rng.u32(0..200)).into_bytes(),
        _ => g.pick(POOL).as_bytes().to_vec(),
    }
}

/// A short member from a pool small enough to keep `mix:` keys listpacks.
fn mix_member(g: &mut Gen) -> Vec<u8> {
    const POOL: &[&str] = &[
        "a", "b", "c", "d", "e", "aa", "ab", "b1", "m1", "m10", "m2", "1", "10", "2", "", "z",
    ];
    g.pick(POOL).as_bytes().to_vec()
}

fn score(g: &mut Gen) -> Vec<u8> {
    match g.rng.u32(..10) {
        0..=3 => g.rng.i64(-20..20).to_string().into_bytes(),
        4 => format!("{:.2}", g.rng.f64() * 20.0 - 10.0).into_bytes(),
        _ => g.pick(SCORES).as_bytes().to_vec(),
    }
}

fn bound(g: &mut Gen) -> Vec<u8> {
    if g.chance(40) {
        let excl = if g.chance(30) { "(" } else { "" };
        format!("{excl}{}", g.rng.i64(-20..20)).into_bytes()
    } else {
        g.pick(BOUNDS).as_bytes().to_vec()
    }
}

fn lex_bound(g: &mut Gen) -> Vec<u8> {
    if g.chance(30) {
        let mut b = vec![if g.chance(50) { b'[' } else { b'(' }];
        b.extend(mix_member(g));
        b
    } else {
        g.pick(LEX_BOUNDS).as_bytes().to_vec()
    }
}

/// Which pool a key comes from.
#[derive(Clone, Copy, PartialEq)]
enum Pool {
    Shared,
    Big,
    Lex,
    Mix,
}

fn pool(g: &mut Gen) -> Pool {
    match g.rng.u32(..20) {
        0..=8 => Pool::Shared,
        9..=13 => Pool::Big,
        14..=16 => Pool::Lex,
        _ => Pool::Mix,
    }
}

fn key_in(g: &mut Gen, pool: Pool) -> Vec<u8> {
    match pool {
        Pool::Shared => g.key(),
        Pool::Big => g.pick(BIG_KEYS).as_bytes().to_vec(),
        Pool::Lex => g.pick(LEX_KEYS).as_bytes().to_vec(),
        Pool::Mix => g.pick(MIX_KEYS).as_bytes().to_vec(),
    }
}

/// Any key, for reads and for writes that keep a pool's promise.
fn any_key(g: &mut Gen) -> (Vec<u8>, Pool) {
    let pool = pool(g);
    (key_in(g, pool), pool)
}

fn lex_key(g: &mut Gen) -> Vec<u8> {
    let pool = if g.chance(60) { Pool::Lex } else { Pool::Mix };
    key_in(g, pool)
}

fn small_int(g: &mut Gen) -> Vec<u8> {
    if g.chance(85) {
        g.rng.i64(-6..8).to_string().into_bytes()
    } else {
        g.edge_int()
    }
}

fn limit(g: &mut Gen) -> Vec<Vec<u8>> {
    args!["LIMIT", small_int(g), small_int(g)]
}

/// ZADD's options, now and then in combinations Redis refuses.
fn zadd_options(g: &mut Gen) -> Vec<Vec<u8>> {
    let mut a = Vec::new();
    for _ in 0..g.rng.usize(0..3) {
        a.push(
            g.pick(&["NX", "XX", "GT", "LT", "CH", "INCR", "ch", "xx", "gt"])
                .as_bytes()
                .to_vec(),
        );
    }
    a
}

fn zadd(g: &mut Gen) -> Vec<Vec<u8>> {
    let pool = pool(g);
    let mut a = args![g.name("zadd"), key_in(g, pool)];
    if pool != Pool::Lex {
        a.extend(zadd_options(g));
    } else if g.chance(20) {
        a.push(g.pick(&["NX", "XX", "CH"]).as_bytes().to_vec());
    }
    // Big batches: the set outgrows the listpack.
    let big = match pool {
        Pool::Shared => g.chance(5),
        Pool::Big | Pool::Lex => g.chance(30),
        Pool::Mix => false,
    };
    let pairs = if big {
        g.rng.usize(100..250)
    } else {
        g.rng.usize(1..5)
    };
    for i in 0..pairs {
        let s = if pool == Pool::Lex {
            b"0".to_vec()
        } else {
            score(g)
        };
        let m = match pool {
            Pool::Mix => mix_member(g),
            _ if pairs > 20 => format!("m{}", i + g.rng.usize(0..100)).into_bytes(),
            _ => member(g),
        };
        a.push(s);
        a.push(m);
    }
    a
}

fn zrange(g: &mut Gen, store: bool) -> Step {
    let by = g.rng.u32(..3);
    let (src, pool) = if by == 2 {
        let pool = if g.chance(60) { Pool::Lex } else { Pool::Mix };
        (key_in(g, pool), pool)
    } else {
        any_key(g)
    };
    // A stored range stays in its pool (lex keys keep score 0, mix keys
    // stay small).
    let mut a = if store {
        let dst = key_in(g, pool);
        args![g.name("zrangestore"), dst, src]
    } else {
        args![g.name("zrange"), src]
    };
    let mut opts: Vec<Vec<Vec<u8>>> = Vec::new();
    match by {
        0 => a.extend(args![small_int(g), small_int(g)]),
        1 => {
            a.extend(args![bound(g), bound(g)]);
            opts.push(args!["BYSCORE"]);
        }
        _ => {
            a.extend(args![lex_bound(g), lex_bound(g)]);
            opts.push(args!["BYLEX"]);
        }
    }
    if g.chance(40) {
        opts.push(args!["REV"]);
    }
    if g.chance(40) {
        opts.push(args!["WITHSCORES"]);
    }
    if g.chance(40) {
        opts.push(limit(g));
    }
    if g.chance(5) {
        opts.push(args![g.pick(&["REV", "BYSCORE", "BYLEX", "LIMIT", "foo"])]);
    }
    g.rng.shuffle(&mut opts);
    for o in opts {
        a.extend(o);
    }
    Step::exact(a)
}

/// ZUNION, ZINTER, ZDIFF and friends over keys of one pool.
fn setop(g: &mut Gen) -> Vec<Vec<u8>> {
    let name = g.pick(&[
        "zunion",
        "zinter",
        "zdiff",
        "zunionstore",
        "zinterstore",
        "zdiffstore",
        "zintercard",
    ]);
    let pool = pool(g);
    let mut a = args![g.name(name)];
    if name.ends_with("store") {
        a.push(key_in(g, pool));
    }
    let n = g.rng.usize(1..4);
    a.push(match g.rng.u32(..20) {
        0 => b"0".to_vec(),
        1 => b"-1".to_vec(),
        2 => b"x".to_vec(),
        3 => (n + 1).to_string().into_bytes(),
        _ => n.to_string().into_bytes(),
    });
    for _ in 0..n {
        a.push(key_in(g, pool));
    }
    if g.chance(40) {
        a.push(b"WEIGHTS".to_vec());
        let count = if g.chance(90) { n } else { n.saturating_sub(1) };
        for _ in 0..count {
            // Lex keys stay at score 0 under any finite weight (or inf:
            // 0 * inf is NaN, taken as 0).
            let w = g.pick(&[
                "1", "2", "0", "-1", "0.5", "inf", "-inf", "1e308", "nan", "x",
            ]);
            a.push(w.as_bytes().to_vec());
        }
    }
    if g.chance(40) {
        a.extend(args![
            "AGGREGATE",
            g.pick(&["SUM", "MIN", "MAX", "min", "avg"])
        ]);
    }
    if g.chance(30) {
        a.push(b"WITHSCORES".to_vec());
    }
    if g.chance(25) {
        a.extend(args!["LIMIT", g.pick(&["0", "1", "2", "-1", "x", "100"])]);
    }
    a
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..47) {
        0..=6 => zadd(g),
        7 => {
            let (k, pool) = any_key(g);
            let m = if pool == Pool::Mix {
                mix_member(g)
            } else {
                member(g)
            };
            if pool == Pool::Lex {
                args![g.name("zscore"), k, m]
            } else {
                args![g.name("zincrby"), k, score(g), m]
            }
        }
        8 => {
            let mut a = args![g.name("zrem"), any_key(g).0];
            for _ in 0..g.rng.usize(1..4) {
                a.push(member(g));
            }
            a
        }
        9 => args![g.name("zcard"), any_key(g).0],
        10 => args![g.name("zscore"), any_key(g).0, member(g)],
        11 => {
            let mut a = args![g.name("zmscore"), any_key(g).0];
            for _ in 0..g.rng.usize(1..4) {
                a.push(member(g));
            }
            a
        }
        12 => args![g.name_of(&["zrank", "zrevrank"]), any_key(g).0, member(g)],
        13 => args![g.name("zcount"), any_key(g).0, bound(g), bound(g)],
        14 => args![g.name("zlexcount"), lex_key(g), lex_bound(g), lex_bound(g)],
        15..=18 => return zrange(g, false),
        19 | 20 => return zrange(g, true),
        21 => {
            let mut a = args![
                g.name("zrevrange"),
                any_key(g).0,
                small_int(g),
                small_int(g)
            ];
            if g.chance(50) {
                a.push(b"WITHSCORES".to_vec());
            }
            a
        }
        22 | 23 => {
            let mut a = args![
                g.name_of(&["zrangebyscore", "zrevrangebyscore"]),
                any_key(g).0,
                bound(g),
                bound(g)
            ];
            if g.chance(50) {
                a.push(b"WITHSCORES".to_vec());
            }
            if g.chance(40) {
                a.extend(limit(g));
            }
            a
        }
        24 => {
            let mut a = args![
                g.name_of(&["zrangebylex", "zrevrangebylex"]),
                lex_key(g),
                lex_bound(g),
                lex_bound(g)
            ];
            if g.chance(40) {
                a.extend(limit(g));
            }
            if g.chance(5) {
                a.push(b"WITHSCORES".to_vec());
            }
            a
        }
        25 => args![
            g.name("zremrangebyrank"),
            any_key(g).0,
            small_int(g),
            small_int(g)
        ],
        26 => args![g.name("zremrangebyscore"), any_key(g).0, bound(g), bound(g)],
        27 => args![
            g.name("zremrangebylex"),
            lex_key(g),
            lex_bound(g),
            lex_bound(g)
        ],
        28 | 29 => {
            let mut a = args![g.name_of(&["zpopmin", "zpopmax"]), any_key(g).0];
            if g.chance(60) {
                a.push(small_int(g));
            }
            a
        }
        30 => {
            let n = g.rng.usize(1..4);
            let mut a = args![g.name("zmpop")];
            a.push(match g.rng.u32(..12) {
                0 => b"0".to_vec(),
                1 => b"x".to_vec(),
                2 => (n + 2).to_string().into_bytes(),
                _ => n.to_string().into_bytes(),
            });
            for _ in 0..n {
                a.push(any_key(g).0);
            }
            a.push(
                g.pick(&["MIN", "MAX", "min", "max", "mid"])
                    .as_bytes()
                    .to_vec(),
            );
            if g.chance(50) {
                a.extend(args!["COUNT", small_int(g)]);
            }
            a
        }
        31 | 32 => {
            // Whole-set and zero counts are deterministic; other counts
            // pick at random, so only the reply's shape is compared.
            let mut a = args![g.name("zrandmember"), any_key(g).0];
            let exact = match g.rng.u32(..6) {
                0 => {
                    a.push(b"1000".to_vec());
                    true
                }
                1 => {
                    a.push(b"0".to_vec());
                    true
                }
                2 => {
                    a.push(
                        g.pick(&["x", "-9223372036854775808", "9223372036854775807"])
                            .as_bytes()
                            .to_vec(),
                    );
                    true
                }
                3 => {
                    a.push(small_int(g));
                    false
                }
                _ => false,
            };
            if a.len() > 2 && g.chance(50) {
                a.push(
                    g.pick(&["WITHSCORES", "withscores", "foo"])
                        .as_bytes()
                        .to_vec(),
                );
            }
            let cmp = if exact { Cmp::Exact } else { Cmp::Shape };
            return Step::with(a, cmp);
        }
        33..=37 => setop(g),
        38 | 39 => {
            let mut a = args![g.name("zscan"), any_key(g).0, "0"];
            if g.chance(50) {
                a.extend(args![
                    "MATCH",
                    g.pick(&["*", "m*", "a", "m1?", "[a-c]", "*1*"])
                ]);
            }
            if g.chance(50) {
                a.extend(args!["COUNT", g.pick(&["1", "5", "100", "0", "-1", "x"])]);
            }
            if g.chance(5) {
                a.extend(args!["TYPE", "zset"]);
            }
            return Step::ScanAll {
                args: a,
                cursor_at: 2,
            };
        }
        40 => {
            let cursor = g.pick(&["abc", "-1", "18446744073709551616", "0", " 1", ""]);
            return Step::with(args![g.name("zscan"), any_key(g).0, cursor], Cmp::Shape);
        }
        41 if g.chance(30) => args![g.name("set"), g.key(), g.value()],
        41 | 42 => args![g.name("del"), g.key()],
        43 => args![g.name("type"), any_key(g).0],
        _ => args![g.name("object"), "ENCODING", any_key(g).0],
    };
    Step::exact(g.mangle(cmd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::KEYS;

    #[test]
    fn pools_do_not_overlap() {
        for k in BIG_KEYS.iter().chain(LEX_KEYS).chain(MIX_KEYS) {
            assert!(!KEYS.contains(&k.as_bytes()));
        }
    }
}
