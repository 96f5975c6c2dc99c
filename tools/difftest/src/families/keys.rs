//! Generic key commands and expiry.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..30) {
        // Keep the key space populated with a few types of value.
        0..=3 => args![g.name("set"), g.key(), g.value()],
        4 => args![g.name_of(&["del", "unlink"]), g.keys(3)],
        5 => args![g.name("exists"), g.keys(4)],
        6 => args![g.name("type"), g.key()],
        7 => {
            return Step::with(
                args![
                    g.name("keys"),
                    g.pick(&["*", "k*", "k[0-2]", "k?", "*key*", "", "[", "\\k0", "[^k]*"])
                ],
                Cmp::Unordered,
            );
        }
        8 => {
            let mut a = args![g.name("scan"), "0"];
            if g.chance(50) {
                a.extend(args!["MATCH", g.pick(&["*", "k*", "k[1-3]", "*e*"])]);
            }
            if g.chance(50) {
                a.extend(args!["COUNT", g.pick(&["1", "2", "10", "1000"])]);
            }
            if g.chance(30) {
                a.extend(args!["TYPE", g.pick(&["string", "list", "none", "hash"])]);
            }
            return Step::ScanAll {
                args: a,
                cursor_at: 1,
            };
        }
        // Odd cursors and options: errors must match exactly; which keys a
        // cursor lands on depends on the hash function, so only the shape.
        // IDLETIME is seconds since the last access: 0 here, on both.
        9 if g.chance(30) => {
            return Step::with(args![g.name("object"), "idletime", g.key()], Cmp::Near(1));
        }
        9 => {
            return Step::with(
                args![
                    g.name("scan"),
                    g.pick(&["abc", "-1", "18446744073709551616", "0", "+5", " 1", ""]),
                    g.pick(&["COUNT", "MATCH", "TYPE", "count"]),
                    g.pick(&["0", "-1", "x", "5"])
                ],
                Cmp::Shape,
            );
        }
        10 => {
            return Step::with(args![g.name("randomkey")], Cmp::Shape);
        }
        11 => args![g.name_of(&["rename", "renamenx"]), g.key(), g.key()],
        12 => {
            let mut a = args![g.name("copy"), g.key(), g.key()];
            if g.chance(40) {
                a.extend(args!["DB", g.int(0, 16)]);
            }
            if g.chance(40) {
                a.push(b"REPLACE".to_vec());
            }
            a
        }
        13 => args![g.name("move"), g.key(), g.int(0, 16)],
        14 => args![g.name("touch"), g.keys(3)],
        15 => args![
            g.name("object"),
            g.pick(&["ENCODING", "REFCOUNT", "FREQ", "encoding", "help", "foo"]),
            g.key()
        ],
        16..=18 => {
            let unit = g.pick(&["expire", "pexpire", "expireat", "pexpireat"]);
            let when = match unit {
                "expire" => g.ttl(100, 100_000),
                "pexpire" => g.ttl(100_000, 10_000_000),
                "expireat" => super::strings::future_or_past(g, 1),
                _ => super::strings::future_or_past(g, 1000),
            };
            let mut a = args![g.name(unit), g.key(), when];
            for _ in 0..g.rng.usize(0..3) {
                a.push(
                    g.pick(&["NX", "XX", "GT", "LT", "nx", "bad"])
                        .as_bytes()
                        .to_vec(),
                );
            }
            a
        }
        19 => args![
            g.name_of(&["expire", "pexpire"]),
            g.key(),
            g.pick(&[
                "0",
                "-1",
                "-100",
                "9223372036854775807",
                "9223372036854775806",
                "-9223372036854775808"
            ])
        ],
        20 => {
            return Step::with(
                args![g.name_of(&["ttl", "expiretime"]), g.key()],
                Cmp::Near(1),
            );
        }
        21 => {
            return Step::with(
                args![g.name_of(&["pttl", "pexpiretime"]), g.key()],
                Cmp::Near(crate::generate::MS_TTL_SLACK),
            );
        }
        22 => args![g.name("persist"), g.key()],
        23 => args![g.name("dbsize")],
        24 => args![g.name("select"), g.pick(&["0", "1", "0", "16", "-1", "x"])],
        25 => args![g.name("incr"), g.key()],
        26 => args![g.name("append"), g.key(), g.value()],
        27 => args![g.name("get"), g.key()],
        28 => args![g.name("setex"), g.key(), g.ttl(100, 1000), g.value()],
        _ => args![g.name("object"), "encoding", g.key()],
    };
    Step::exact(g.mangle(cmd))
}
