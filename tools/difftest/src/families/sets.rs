//! Sets: every command and option, members that are and are not integers
//! by Redis's rules (so sets start, stay and stop being intsets), the
//! intset limit crossed both by big SADDs and by lowering it, and other
//! types under the same keys for WRONGTYPE.

use crate::args;
use crate::generate::{Cmp, Gen, SetOrder, Step};

/// A member: mostly small integers (so sets collide and stay intsets),
/// then integers of every width and near-integers, short strings, and the
/// shared edge values.
fn member(g: &mut Gen) -> Vec<u8> {
    match g.rng.u32(..10) {
        0..=4 => g.rng.i64(-5..20).to_string().into_bytes(),
        5 => g
            .pick(&[
                "0",
                "-1",
                "32767",
                "-32768",
                "32768",
                "2147483647",
                "-2147483649",
                "9223372036854775807",
                "-9223372036854775808",
                "9223372036854775808",
                "-0",
                "+1",
                "01",
                " 1",
                "1.0",
                "0x1",
            ])
            .as_bytes()
            .to_vec(),
        6 | 7 => g
            .pick(&["a", "b", "c", "x", "", "a\0b", "\r\n"])
            .as_bytes()
            .to_vec(),
        _ => g.value(),
    }
}

/// Keys that mostly hold integers, so that intsets of many members (and
/// their ascending order) are common too.
fn integer_key(key: &[u8]) -> bool {
    key == b"k0" || key == b"k1"
}

/// A member for `key`: always an integer for the integer keys, of every
/// width now and then.
fn member_for(g: &mut Gen, key: &[u8]) -> Vec<u8> {
    if !integer_key(key) {
        return member(g);
    }
    if g.chance(95) {
        return g.rng.i64(-40..60).to_string().into_bytes();
    }
    g.pick(&[
        "40000",
        "-70000",
        "5000000000",
        "9223372036854775807",
        "-9223372036854775808",
    ])
    .as_bytes()
    .to_vec()
}

/// Where a command writes members that may not be integers: seldom an
/// integer key, so those mostly stay intsets.
fn dest_key(g: &mut Gen) -> Vec<u8> {
    if g.chance(15) { g.key() } else { other_key(g) }
}

/// Any key but the integer ones (for values of other types).
fn other_key(g: &mut Gen) -> Vec<u8> {
    loop {
        let key = g.key();
        if !integer_key(&key) {
            return key;
        }
    }
}

fn members(g: &mut Gen, key: &[u8], max: usize) -> Vec<Vec<u8>> {
    let n = g.rng.usize(1..=max);
    (0..n).map(|_| member_for(g, key)).collect()
}

/// A command on one key and some of its members.
fn key_members(g: &mut Gen, name: &str, max: usize) -> Vec<Vec<u8>> {
    let key = g.key();
    let m = members(g, &key, max);
    args![g.name(name), key, m]
}

/// SRANDMEMBER's count: small, either sign, and the edges Redis refuses.
/// Never a huge negative one: Redis would answer with that many members.
fn rand_count(g: &mut Gen) -> Vec<u8> {
    if g.chance(70) {
        return g.rng.i64(-30..30).to_string().into_bytes();
    }
    g.pick(&[
        "0",
        "1",
        "-1",
        "700",
        "-700",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "abc",
        "",
        "1.5",
        "+1",
        "01",
        " 1",
    ])
    .as_bytes()
    .to_vec()
}

fn pop_count(g: &mut Gen) -> Vec<u8> {
    if g.chance(75) {
        return g.rng.i64(0..15).to_string().into_bytes();
    }
    g.pick(&[
        "-1",
        "700",
        "9223372036854775807",
        "9223372036854775808",
        "abc",
        "",
        "+1",
        "01",
    ])
    .as_bytes()
    .to_vec()
}

/// SPOP or SRANDMEMBER, compared as random picks.
fn random_pick(g: &mut Gen) -> Step {
    let pops = g.chance(50);
    let key = g.key();
    let mut a = args![
        g.name(if pops { "spop" } else { "srandmember" }),
        key.clone()
    ];
    if g.chance(70) {
        a.push(if pops { pop_count(g) } else { rand_count(g) });
    }
    if g.chance(3) {
        a.push(b"1".to_vec());
    }
    // Counts that read as non-negative integers ask for distinct members.
    let unique = a.get(2).is_none_or(|c| {
        std::str::from_utf8(c)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
            .is_some_and(|n| n >= 0)
    });
    Step::RandomMembers {
        args: a,
        key,
        pops,
        unique,
    }
}

fn sscan(g: &mut Gen) -> Step {
    let key = g.key();
    let cursor = g.pick(&["0", "0", "1", "5", "-1", "abc", "18446744073709551616", ""]);
    let mut a = args![g.name("sscan"), key.clone(), cursor];
    for _ in 0..g.rng.usize(0..3) {
        match g.rng.u32(..6) {
            0 | 1 => a.extend(args![
                g.pick(&["MATCH", "match"]),
                g.pick(&["*", "1*", "*a*", "[0-9]", "-*", "?", ""])
            ]),
            2 | 3 => a.extend(args![
                g.pick(&["COUNT", "count"]),
                g.pick(&["1", "3", "10", "1000", "0", "-1", "x"])
            ]),
            4 => a.extend(args!["TYPE", "set"]),
            _ => a.push(g.pick(&["COUNT", "MATCH", "foo"]).as_bytes().to_vec()),
        }
    }
    if cursor == "0" && g.chance(50) {
        // A whole iteration: the same members, whatever the cursors.
        return Step::ScanAll {
            args: a,
            cursor_at: 2,
        };
    }
    // One call: an intset comes whole with cursor 0; a table's cursors
    // depend on the hash function.
    Step::SetReply {
        args: a,
        order: SetOrder::Intset(key),
        otherwise: Cmp::Shape,
    }
}

fn sintercard(g: &mut Gen) -> Vec<Vec<u8>> {
    let keys = g.keys(3);
    let numkeys = if g.chance(85) {
        keys.len().to_string()
    } else {
        g.pick(&["0", "-1", "abc", "4", "9223372036854775808", ""])
            .to_string()
    };
    let mut a = args![g.name("sintercard"), numkeys, keys];
    if g.chance(50) {
        a.extend(args![
            g.pick(&["LIMIT", "limit"]),
            g.pick(&["0", "1", "2", "5", "-1", "abc", ""])
        ]);
    }
    if g.chance(5) {
        a.push(g.pick(&["LIMIT", "foo"]).as_bytes().to_vec());
    }
    a
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..48) {
        0..=5 | 44..=47 => key_members(g, "sadd", 8),
        6 => {
            // Enough integers to pass the default intset limit, or not.
            let start = g.rng.i64(-100..100);
            let n = g.pick(&["100", "511", "512", "513", "700"]);
            let n: i64 = n.parse().unwrap_or(100);
            let nums: Vec<Vec<u8>> = (start..start + n)
                .map(|i| i.to_string().into_bytes())
                .collect();
            args![g.name("sadd"), g.key(), nums]
        }
        7..=9 => key_members(g, "srem", 4),
        10 | 11 => {
            let key = g.key();
            return Step::SetReply {
                args: args![g.name("smembers"), key.clone()],
                order: SetOrder::Intset(key),
                otherwise: Cmp::Unordered,
            };
        }
        12 => key_members(g, "sismember", 1),
        13 => key_members(g, "smismember", 4),
        14 => args![g.name("scard"), g.key()],
        15..=18 => return random_pick(g),
        19 | 20 => {
            let (src, dst) = (g.key(), dest_key(g));
            let m = member_for(g, if integer_key(&dst) { &dst } else { &src });
            args![g.name("smove"), src, dst, m]
        }
        21 | 22 => {
            let keys = g.keys(3);
            return Step::SetReply {
                args: args![g.name("sinter"), keys.clone()],
                order: SetOrder::Smallest(keys),
                otherwise: Cmp::Unordered,
            };
        }
        23 => sintercard(g),
        24 | 25 => args![
            g.name_of(&["sinterstore", "sunionstore", "sdiffstore"]),
            dest_key(g),
            g.keys(3)
        ],
        26 => {
            return Step::SetReply {
                args: args![g.name("sunion"), g.keys(3)],
                order: SetOrder::Result,
                otherwise: Cmp::Unordered,
            };
        }
        27 => {
            let keys = g.keys(3);
            let first = keys[0].clone();
            return Step::SetReply {
                args: args![g.name("sdiff"), keys],
                order: SetOrder::First(first),
                otherwise: Cmp::Unordered,
            };
        }
        28 => return sscan(g),
        29..=31 => args![g.name("object"), "encoding", g.key()],
        32 => args![g.name_of(&["type", "exists", "del"]), g.key()],
        // Other types under the same keys.
        33 => args![g.name("set"), other_key(g), g.value()],
        34 if g.chance(50) => args![g.name("append"), other_key(g), "1"],
        34 => args![g.name("incr"), other_key(g)],
        35 => args![g.name("expire"), g.key(), g.ttl(100, 100_000)],
        36 => {
            return Step::with(args![g.name("ttl"), g.key()], Cmp::Near(1));
        }
        37 => args![
            g.name("config"),
            "set",
            "set-max-intset-entries",
            g.pick(&[
                "0", "1", "3", "8", "512", "512", "512", "512", "512", "512", "512"
            ])
        ],
        38 => args![g.name("copy"), g.key(), dest_key(g), "REPLACE"],
        39 => args![g.name("rename"), g.key(), dest_key(g)],
        // Arity errors; not mangled, as an added argument would make a
        // real SMEMBERS of a key whose order is the hash table's.
        40 => return Step::exact(args![g.name_of(&["smembers", "scard", "sismember"])]),
        _ => sintercard(g),
    };
    Step::exact(g.mangle(cmd))
}
