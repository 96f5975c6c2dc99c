//! SORT and SORT_RO over lists, sets and sorted sets, with BY and GET
//! patterns naming string keys and hash fields, LIMIT, ASC/DESC, ALPHA and
//! STORE. Where Redis's order depends on its hash table (a set's own
//! order, ties in a stable sort of a set or sorted set read from its dict)
//! the reply is compared as a multiset and nothing is stored, so that the
//! data set stays comparable byte for byte.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

const LISTS: &[&str] = &["sl1", "sl2"];
const SETS: &[&str] = &["ss1", "ss2"];
const ZSETS: &[&str] = &["sz1"];
/// Keys of the other families, for WRONGTYPE and missing keys.
const OTHERS: &[&str] = &["k0", "sstr", "nosuch"];

/// Elements: numbers in the forms strtod reads, words that collate
/// differently from their bytes in no C locale, a space, an empty string.
/// Nothing overflows a double: Redis leaves a stale ERANGE in errno after
/// one, failing later SORTs until another command clears it.
const ELEMENTS: &[&str] = &[
    "1", "2", "3", "10", "-1", "1.5", "01", "1e3", "0x10", " 5", "a", "b", "B", "ab", "x y", "",
    "é",
];

fn element(g: &mut Gen) -> Vec<u8> {
    if g.chance(5) {
        // A NUL: C reads the element only up to it.
        return b"7\x00z".to_vec();
    }
    g.pick(ELEMENTS).as_bytes().to_vec()
}

/// A weight or a hash field value for BY: numbers mostly, a word now and
/// then (ALPHA orders by it; numeric SORT fails on it).
fn weight(g: &mut Gen) -> Vec<u8> {
    if g.chance(10) {
        return g.pick(&["w", "zz", "1x", "nan"]).as_bytes().to_vec();
    }
    g.rng.i64(-20..20).to_string().into_bytes()
}

fn pattern(g: &mut Gen) -> Vec<u8> {
    g.pick(&[
        "w_*", "h_*->f", "h_*->g", "#", "w_*", "nosort", "h_*->", "*", "w_?", "w_*\0x",
    ])
    .as_bytes()
    .to_vec()
}

/// The kind of collection a SORT reads, for choosing the comparison.
#[derive(PartialEq)]
enum Kind {
    List,
    Set,
    ZSet,
    Other,
}

fn sort(g: &mut Gen) -> Step {
    let (key, kind) = match g.rng.u32(..10) {
        0..=3 => (g.pick(LISTS), Kind::List),
        4..=6 => (g.pick(SETS), Kind::Set),
        7 | 8 => (g.pick(ZSETS), Kind::ZSet),
        _ => (g.pick(OTHERS), Kind::Other),
    };
    let ro = g.chance(25);
    let mut a = args![g.name(if ro { "sort_ro" } else { "sort" }), key];
    let mut by = None;
    if g.chance(50) {
        let p = pattern(g);
        a.extend(args!["BY", p.clone()]);
        by = Some(p);
    }
    let alpha = g.chance(40);
    if alpha {
        a.push(g.name("alpha"));
    }
    if g.chance(40) {
        a.push(g.name_of(&["asc", "desc"]));
    }
    let dontsort = by.as_ref().is_some_and(|p| {
        let c = p.split(|&b| b == 0).next().unwrap_or(&[]);
        !c.contains(&b'*')
    });
    // Ties in ALPHA BY keep the input order: a hash-table order for sets
    // and sorted sets, and an unstable partial sort under LIMIT.
    let ties_unordered = alpha && by.is_some() && !dontsort;
    let hashed = matches!(kind, Kind::Set | Kind::ZSet);
    let unordered = (ties_unordered && hashed) || (kind == Kind::Set && dontsort);
    // A window over an unordered sequence picks different elements.
    if g.chance(35) && !ties_unordered && !(kind == Kind::Set && dontsort) {
        a.extend(args!["LIMIT", g.int(-2, 6), g.int(-2, 6)]);
    }
    for _ in 0..g.rng.usize(0..3) {
        a.extend(args![g.name("get"), pattern(g)]);
    }
    if g.chance(25) && !unordered {
        a.extend(args![g.name("store"), g.pick(&["sdst", "sl2", "sstr"])]);
    }
    if g.chance(4) {
        a.push(
            g.pick(&["LIMIT", "BY", "GET", "STORE", "foo"])
                .as_bytes()
                .to_vec(),
        );
    }
    match kind {
        Kind::Set if dontsort => Step::with(
            a,
            Cmp::ExactIfCompact {
                key_at: 1,
                otherwise: &Cmp::Unordered,
            },
        ),
        _ if unordered => Step::with(a, Cmp::Unordered),
        _ => Step::exact(a),
    }
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..30) {
        0..=9 => return sort(g),
        10 | 11 => {
            let n = g.rng.usize(1..8);
            let mut a = args![g.name("rpush"), g.pick(LISTS)];
            a.extend((0..n).map(|_| element(g)));
            a
        }
        12 | 13 => {
            // Sets without NULs: C strings that compare equal would tie in
            // hash order. Not mangled, as an added argument is a member.
            let n = g.rng.usize(1..8);
            let mut a = args![g.name("sadd"), g.pick(SETS)];
            a.extend((0..n).map(|_| g.pick(ELEMENTS).as_bytes().to_vec()));
            return Step::exact(a);
        }
        14 | 15 => {
            let mut a = args![g.name("zadd"), g.pick(ZSETS)];
            for _ in 0..g.rng.usize(1..5) {
                a.extend(args![g.rng.i64(-5..5).to_string(), element(g)]);
            }
            a
        }
        16..=18 => args![
            g.name("set"),
            [b"w_".as_slice(), &element(g)].concat(),
            weight(g)
        ],
        19 | 20 => args![
            g.name("hset"),
            [b"h_".as_slice(), &element(g)].concat(),
            g.pick(&["f", "g"]),
            weight(g)
        ],
        21 => args![
            g.name("del"),
            g.pick(&["sl1", "sl2", "ss1", "ss2", "sz1", "sdst"])
        ],
        22 => args![g.name("set"), "sstr", "x"],
        23 => args![g.name("lrange"), g.pick(&["sdst", "sl2"]), "0", "-1"],
        24 => args![
            g.name("object"),
            "encoding",
            g.pick(&["sdst", "sz1", "ss1", "ss2"])
        ],
        25 => {
            return Step::with(
                args![g.name("command"), "info", g.pick(&["sort", "sort_ro"])],
                Cmp::CommandEntries,
            );
        }
        26 => {
            let mut a = args![
                g.name("command"),
                "getkeys",
                g.pick(&["sort", "sort_ro"]),
                "sl1"
            ];
            for _ in 0..g.rng.usize(0..4) {
                match g.rng.u32(..4) {
                    0 => a.extend(args!["STORE", g.pick(&["d1", "d2"])]),
                    1 => a.extend(args!["LIMIT", "0", "1"]),
                    2 => a.extend(args!["GET", "#"]),
                    _ => a.extend(args!["BY", "w_*"]),
                }
            }
            a
        }
        27 => args![
            g.name("config"),
            "set",
            "set-max-intset-entries",
            g.pick(&["2", "512"])
        ],
        _ => return sort(g),
    };
    Step::exact(g.mangle(cmd))
}
