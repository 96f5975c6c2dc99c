//! Hashes: every command and option, fields and values at the encoding
//! limits (64 and 65 bytes, the 512th and 513th field), integer and float
//! edges, keys of other types, and now and then smaller limits set with
//! CONFIG so that conversions happen often.
//!
//! What Redis leaves open is compared loosely: the order of a dict's
//! fields (exact only while the hash is a listpack), HSCAN by the union of
//! a whole iteration, HRANDFIELD by shape and by membership of the picks.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

/// Field names: plain, integer-like (stored as integers in a listpack),
/// binary, and around hash-max-listpack-value.
fn field(g: &mut Gen) -> Vec<u8> {
    const FIELDS: &[&str] = &[
        "f1",
        "f2",
        "f3",
        "f4",
        "f5",
        "",
        "0",
        "1",
        "-1",
        "01",
        "-0",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "a\0b",
        "\r\n",
        "fld",
    ];
    match g.rng.u32(..20) {
        0 => vec![b'F'; 64],
        1 => vec![b'G'; 65],
        _ => FIELDS[g.rng.usize(..FIELDS.len())].as_bytes().to_vec(),
    }
}

/// Values: the shared edge values, plus the value-length limit.
fn value(g: &mut Gen) -> Vec<u8> {
    match g.rng.u32(..20) {
        0 => vec![b'v'; 64],
        1 => vec![b'w'; 65],
        _ => g.value(),
    }
}

fn fields(g: &mut Gen, max: usize) -> Vec<Vec<u8>> {
    let n = g.rng.usize(1..=max);
    (0..n).map(|_| field(g)).collect()
}

/// A key that usually holds a hash: half the steps use k0..k2, where
/// other types are rarely written.
fn key(g: &mut Gen) -> Vec<u8> {
    if g.chance(50) {
        g.pick(&["k0", "k1", "k2"]).as_bytes().to_vec()
    } else {
        g.key()
    }
}

/// HRANDFIELD with a count: never a large negative count, for which Redis
/// would build a reply until it runs out of memory.
fn hrandfield(g: &mut Gen) -> Step {
    let k = key(g);
    let count = g.pick(&[
        "-5", "-3", "-1", "0", "1", "2", "3", "5", "10", "100", "-100", "700", "abc", "1.5", "",
    ]);
    let with_values = g.chance(50);
    let mut a = args![g.name("hrandfield"), k.clone(), count];
    if with_values {
        a.push(g.pick(&["WITHVALUES", "withvalues", "WithValues"]).into());
    } else if g.chance(5) {
        a.push(g.pick(&["withvalue", "x"]).into());
    }
    let population = if with_values {
        args!["HGETALL", k]
    } else {
        args!["HKEYS", k]
    };
    Step::Sample {
        args: a,
        population,
        pairs: with_values,
        distinct: !count.starts_with('-'),
    }
}

fn hscan(g: &mut Gen) -> Step {
    let mut a = args![g.name("hscan"), key(g), "0"];
    if g.chance(50) {
        a.extend(args![
            g.pick(&["MATCH", "match"]),
            g.pick(&["*", "f*", "f[1-3]", "?", "*\0*", "", "[", "\\f1", "[^f]*"])
        ]);
    }
    if g.chance(50) {
        a.extend(args!["COUNT", g.pick(&["1", "2", "10", "1000"])]);
    }
    Step::ScanAll {
        args: a,
        cursor_at: 2,
    }
}

/// Errors and option mistakes of HSCAN, compared by shape (which fields a
/// cursor lands on depends on the hash function; errors are exact).
fn hscan_odd(g: &mut Gen) -> Step {
    let mut a = args![
        g.name("hscan"),
        key(g),
        g.pick(&[
            "abc",
            "-1",
            "18446744073709551616",
            "0",
            "+5",
            " 1",
            "",
            "3"
        ])
    ];
    for _ in 0..g.rng.usize(0..3) {
        a.push(
            g.pick(&["COUNT", "MATCH", "TYPE", "count", "NOVALUES"])
                .into(),
        );
        if g.chance(80) {
            a.push(g.pick(&["0", "-1", "x", "5", "*"]).into());
        }
    }
    Step::with(a, Cmp::Shape)
}

/// Many fields at once, to cross hash-max-listpack-entries (512).
fn big_hset(g: &mut Gen) -> Vec<Vec<u8>> {
    let n = *[100, 511, 512, 513, 600]
        .get(g.rng.usize(..5))
        .unwrap_or(&100);
    let mut a = args![g.name("hset"), key(g)];
    let start = g.rng.usize(0..300);
    for i in start..start + n {
        a.push(format!("field:{i}").into_bytes());
        a.push(g.rng.i64(-1000..100_000).to_string().into_bytes());
    }
    a
}

pub fn step(g: &mut Gen) -> Step {
    // Listings: exact while Redis says the hash is a listpack.
    let listing = |args, unordered| {
        Step::with(
            args,
            Cmp::ExactIfCompact {
                key_at: 1,
                otherwise: unordered,
            },
        )
    };
    let cmd = match g.rng.u32(..40) {
        0..=5 => {
            let mut a = args![g.name_of(&["hset", "hset", "hmset"]), key(g)];
            for _ in 0..g.rng.usize(1..5) {
                a.push(field(g));
                a.push(value(g));
            }
            a
        }
        6 => big_hset(g),
        7 | 8 => args![g.name("hsetnx"), key(g), field(g), value(g)],
        9..=11 => args![g.name("hget"), key(g), field(g)],
        12 => args![g.name("hmget"), key(g), fields(g, 5)],
        13 | 14 => args![g.name("hdel"), key(g), fields(g, 4)],
        15 => args![g.name("hlen"), key(g)],
        16 => args![g.name("hstrlen"), key(g), field(g)],
        17 => args![g.name("hexists"), key(g), field(g)],
        18 => return listing(args![g.name("hkeys"), key(g)], &Cmp::Unordered),
        19 => return listing(args![g.name("hvals"), key(g)], &Cmp::Unordered),
        20 | 21 => return listing(args![g.name("hgetall"), key(g)], &Cmp::UnorderedPairs),
        22 | 23 => args![g.name("hincrby"), key(g), field(g), g.int(-100, 100)],
        24 | 25 => args![g.name("hincrbyfloat"), key(g), field(g), g.float()],
        26 | 27 => return hrandfield(g),
        28 => {
            // Without a count: one random field, or nil; an extra argument
            // is a count, so none is added here (see hrandfield).
            let k = key(g);
            return Step::Sample {
                args: args![g.name("hrandfield"), k.clone()],
                population: args!["HKEYS", k],
                pairs: false,
                distinct: true,
            };
        }
        29 | 30 => return hscan(g),
        31 => return hscan_odd(g),
        32 => args![g.name("object"), "ENCODING", key(g)],
        33 => {
            let name = g.pick(&[
                "hash-max-listpack-entries",
                "hash-max-listpack-value",
                "hash-max-ziplist-entries",
                "hash-max-ziplist-value",
            ]);
            let size = g.pick(&["0", "1", "2", "3", "8", "64", "128", "512", "512", "64"]);
            args![g.name("config"), "SET", name, size]
        }
        // Other types under the same keys now and then, for WRONGTYPE,
        // and deletes that make room for hashes again.
        34 if g.chance(40) => args!["SET", g.key(), g.value()],
        34 | 35 => args![g.name_of(&["del", "unlink"]), g.keys(2)],
        36 => args![g.name("type"), key(g)],
        37 => args![g.name("exists"), key(g)],
        // The arity error, left unmangled: an added argument would name a
        // key and make the reply a random pick.
        38 => return Step::exact(args![g.name("hrandfield")]),
        _ => args![g.name_of(&["hset", "hmset"]), key(g), field(g)],
    };
    Step::exact(g.mangle(cmd))
}
