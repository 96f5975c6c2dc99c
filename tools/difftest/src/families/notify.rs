//! Writes from every family over a few shared keys, for comparing the
//! keyspace notifications they cause (see events.rs: a subscriber per
//! server, `notify-keyspace-events KEAnm`). Replies are compared too.
//! Commands whose reply or effect is random (SPOP of part of a set,
//! SRANDMEMBER) are left out, and TTLs are long or already past, so no
//! key expires between steps on one server and not the other.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

const KEYS: &[&str] = &["n1", "n2", "n3", "n4"];

fn key(g: &mut Gen) -> Vec<u8> {
    g.pick(KEYS).as_bytes().to_vec()
}

fn small(g: &mut Gen) -> Vec<u8> {
    g.pick(&["a", "b", "c", "1", "2", "3"]).as_bytes().to_vec()
}

fn members(g: &mut Gen) -> Vec<Vec<u8>> {
    (0..g.rng.usize(1..4)).map(|_| small(g)).collect()
}

fn stream_id(g: &mut Gen) -> String {
    format!("{}-{}", g.rng.u64(0..30), g.rng.u64(0..3))
}

fn group(g: &mut Gen) -> &'static str {
    g.pick(&["g1", "g2"])
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..56) {
        // Strings and bits.
        0 => args![g.name("set"), key(g), small(g)],
        // Options with TTLs of hours, or none (KEEPTTL, NX...,
        // whose extra argument is a syntax error).
        1 => {
            let opt = g.pick(&["EX", "PX", "KEEPTTL", "NX", "XX", "GET"]);
            let ttl = if opt == "PX" { "10000000" } else { "10000" };
            args![g.name("set"), key(g), small(g), opt, ttl]
        }
        2 => args![g.name_of(&["incr", "decr"]), key(g)],
        3 => args![g.name_of(&["incrby", "incrbyfloat"]), key(g), g.int(-3, 3)],
        4 => args![g.name("append"), key(g), small(g)],
        5 => args![
            g.name("setrange"),
            key(g),
            g.int(0, 4),
            g.pick(&["", "x", "yz"])
        ],
        6 => args![g.name("mset"), key(g), small(g), key(g), small(g)],
        7 => args![g.name_of(&["setnx", "getset", "msetnx"]), key(g), small(g)],
        8 => args![g.name_of(&["getdel", "get", "strlen"]), key(g)],
        9 => match g.rng.u32(..3) {
            0 => args![g.name("getex"), key(g), "EX", "10000"],
            1 => args![g.name("getex"), key(g), "PERSIST"],
            // Long past: deleted at once.
            _ => args![g.name("getex"), key(g), "PXAT", "1"],
        },
        10 => args![g.name("setbit"), key(g), g.int(0, 15), g.pick(&["0", "1"])],
        11 => args![
            g.name("bitfield"),
            key(g),
            "INCRBY",
            "u4",
            "0",
            g.int(-2, 2)
        ],
        12 => args![
            g.name("bitop"),
            g.pick(&["AND", "OR", "NOT"]),
            key(g),
            key(g)
        ],
        // Keys and expiry.
        13 => args![
            g.name_of(&["del", "unlink", "exists", "touch"]),
            key(g),
            key(g)
        ],
        14 => args![g.name_of(&["rename", "renamenx", "copy"]), key(g), key(g)],
        15 => args![g.name("move"), key(g), g.pick(&["1", "0"])],
        // Seconds for EXPIRE, milliseconds for PEXPIRE: both long or past,
        // since keys that expire during the run would be reported in each
        // server's own hash-table order.
        16 => match g.rng.u32(..2) {
            0 => args![
                g.name("expire"),
                key(g),
                g.pick(&["1000", "100000", "-1", "0"])
            ],
            _ => args![
                g.name("pexpire"),
                key(g),
                g.pick(&["1000000", "100000000", "-1", "0"])
            ],
        },
        17 => args![g.name_of(&["persist", "ttl", "type"]), key(g)],
        18 => args![g.name("select"), g.pick(&["0", "0", "0", "1"])],
        // Lists.
        19 | 20 => args![
            g.name_of(&["lpush", "rpush", "lpushx", "rpushx"]),
            key(g),
            members(g)
        ],
        21 => args![g.name_of(&["lpop", "rpop"]), key(g)],
        22 => args![g.name_of(&["lpop", "rpop"]), key(g), g.int(0, 3)],
        23 => args![
            g.name("lmove"),
            key(g),
            key(g),
            g.pick(&["LEFT", "RIGHT"]),
            g.pick(&["LEFT", "RIGHT"])
        ],
        24 => args![
            g.name("lmpop"),
            "2",
            key(g),
            key(g),
            g.pick(&["LEFT", "RIGHT"])
        ],
        25 => args![g.name("lset"), key(g), g.int(-2, 2), small(g)],
        26 => args![
            g.name("linsert"),
            key(g),
            g.pick(&["BEFORE", "AFTER"]),
            small(g),
            small(g)
        ],
        27 => args![g.name("lrem"), key(g), g.int(-1, 1), small(g)],
        28 => args![g.name("ltrim"), key(g), g.int(-2, 2), g.int(-2, 2)],
        29 => args![g.name("sort"), key(g), "ALPHA", "STORE", key(g)],
        // Hashes.
        30 => args![g.name_of(&["hset", "hsetnx"]), key(g), small(g), small(g)],
        31 => args![g.name("hdel"), key(g), members(g)],
        32 => args![
            g.name_of(&["hincrby", "hincrbyfloat"]),
            key(g),
            small(g),
            g.int(-2, 2)
        ],
        // Sets.
        33 | 34 => args![g.name_of(&["sadd", "srem"]), key(g), members(g)],
        35 => args![g.name("smove"), key(g), key(g), small(g)],
        36 => args![
            g.name_of(&["sinterstore", "sunionstore", "sdiffstore"]),
            key(g),
            key(g),
            key(g)
        ],
        // The whole set: which members is certain, their order is not.
        37 => {
            return Step::with(
                args![g.name("spop"), key(g), g.pick(&["0", "10"])],
                Cmp::Unordered,
            );
        }
        // Sorted sets.
        38 | 39 => {
            let mut a = args![g.name("zadd"), key(g)];
            if g.chance(30) {
                a.push(
                    g.pick(&["NX", "XX", "CH", "INCR", "GT"])
                        .as_bytes()
                        .to_vec(),
                );
            }
            a.extend(args![g.int(-2, 2), small(g)]);
            a
        }
        40 => args![g.name_of(&["zrem", "zincrby"]), key(g), small(g), small(g)],
        41 => args![g.name_of(&["zpopmin", "zpopmax"]), key(g), g.int(0, 2)],
        42 => args![
            g.name_of(&["zremrangebyrank", "zremrangebyscore"]),
            key(g),
            g.int(-1, 1),
            g.int(-1, 2)
        ],
        43 => args![g.name("zremrangebylex"), key(g), "-", g.pick(&["+", "[b"])],
        44 => args![
            g.name_of(&["zunionstore", "zinterstore", "zdiffstore"]),
            key(g),
            "2",
            key(g),
            key(g)
        ],
        45 => args![g.name("zrangestore"), key(g), key(g), "0", g.int(-1, 2)],
        // Blocking pops served at once (a key with data), or timing out.
        46 => args![g.name_of(&["blpop", "bzpopmin"]), key(g), "0.01"],
        // Streams, with explicit IDs (often too small: an error, no event)
        // so that both servers hold the same entries.
        47 | 48 => {
            let mut a = args![g.name("xadd"), key(g)];
            if g.chance(20) {
                a.push(g.name("nomkstream"));
            }
            if g.chance(30) {
                a.extend(args![g.name_of(&["maxlen", "minid"]), stream_id(g)]);
            }
            a.extend(args![stream_id(g), small(g), small(g)]);
            a
        }
        49 => args![
            g.name("xtrim"),
            key(g),
            g.name_of(&["maxlen", "minid"]),
            g.pick(&["~", "="]),
            stream_id(g)
        ],
        50 => args![g.name("xdel"), key(g), stream_id(g), stream_id(g)],
        51 => match g.rng.u32(..5) {
            0 => args![
                g.name("xgroup"),
                "CREATE",
                key(g),
                group(g),
                "0",
                "MKSTREAM"
            ],
            1 => args![g.name("xgroup"), "SETID", key(g), group(g), stream_id(g)],
            2 => args![g.name("xgroup"), "DESTROY", key(g), group(g)],
            3 => args![
                g.name("xgroup"),
                "CREATECONSUMER",
                key(g),
                group(g),
                small(g)
            ],
            _ => args![g.name("xgroup"), "DELCONSUMER", key(g), group(g), small(g)],
        },
        52 => {
            let mut a = args![g.name("xreadgroup"), "GROUP", group(g), small(g)];
            if g.chance(30) {
                a.push(g.name("noack"));
            }
            a.extend(args!["STREAMS", key(g), g.pick(&[">", "0"])]);
            a
        }
        53 => args![g.name("xack"), key(g), group(g), stream_id(g)],
        54 => match g.rng.u32(..3) {
            0 => args![
                g.name("xclaim"),
                key(g),
                group(g),
                small(g),
                "0",
                stream_id(g)
            ],
            1 => args![g.name("xautoclaim"), key(g), group(g), small(g), "0", "0"],
            _ => args![g.name("xsetid"), key(g), stream_id(g)],
        },
        _ => args![g.name_of(&["flushdb", "swapdb"]), "0", "1"],
    };
    Step::exact(cmd)
}
