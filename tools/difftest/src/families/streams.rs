//! Streams: every X command and option on two streams with explicit IDs,
//! so both servers hold the same entries. `*` IDs go to a key of their
//! own whose replies are compared by shape only, as are replies carrying
//! times (idle times, delivery and seen times in XPENDING, XINFO
//! CONSUMERS and XINFO STREAM FULL). Idle thresholds are 0 or an
//! hour, so no comparison races the clock. XSETID works on a stream of
//! its own (see below).

use crate::args;
use crate::generate::{Cmp, Gen, Step};

const STREAMS: &[&str] = &["x1", "x2"];
/// Keys of other types and missing keys, for WRONGTYPE and NOGROUP.
const OTHERS: &[&str] = &["xstr", "xnone"];
const GROUPS: &[&str] = &["g1", "g2", "g3"];
const CONSUMERS: &[&str] = &["c1", "c2", "c3", ""];

const COMMANDS: &[&str] = &[
    "xadd",
    "xlen",
    "xrange",
    "xrevrange",
    "xdel",
    "xtrim",
    "xread",
    "xreadgroup",
    "xack",
    "xpending",
    "xclaim",
    "xautoclaim",
    "xsetid",
];

fn key(g: &mut Gen) -> &'static str {
    if g.chance(10) {
        g.pick(OTHERS)
    } else {
        g.pick(STREAMS)
    }
}

/// An ID in one of the forms commands read, valid mostly.
fn id(g: &mut Gen) -> String {
    let ms = g.rng.u64(0..40);
    match g.rng.u32(..20) {
        0..=11 => format!("{ms}-{}", g.rng.u64(0..4)),
        12 | 13 => ms.to_string(),
        14 => g.pick(&["-", "+"]).to_string(),
        15 => format!("({ms}-{}", g.rng.u64(0..3)),
        16 => g
            .pick(&[
                "18446744073709551615-18446744073709551615",
                "18446744073709551616",
                "0-0",
                "-1",
                "1-x",
                "abc",
                "",
                " 5",
                "+5-1",
                "(",
                "(-",
                "(+",
            ])
            .to_string(),
        _ => format!("{ms}-*"),
    }
}

fn fields(g: &mut Gen) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // Same fields as the block's master entry often, so SAMEFIELDS comes up.
    if g.chance(50) {
        return args!["a", g.value(), "b", g.int(-5, 5)];
    }
    for _ in 0..g.rng.usize(1..4) {
        out.push(g.pick(&["a", "b", "c", "1", "", "x y"]).as_bytes().to_vec());
        out.push(g.value());
    }
    out
}

fn trim_opts(g: &mut Gen, a: &mut Vec<Vec<u8>>) {
    if g.chance(50) {
        a.push(g.name("maxlen"));
        if g.chance(50) {
            a.push(g.pick(&["~", "="]).as_bytes().to_vec());
        }
        a.push(g.int(0, 30));
    } else {
        a.push(g.name("minid"));
        if g.chance(50) {
            a.push(g.pick(&["~", "="]).as_bytes().to_vec());
        }
        a.push(id(g).into_bytes());
    }
    if g.chance(20) {
        a.extend(args![g.name("limit"), g.int(0, 20)]);
    }
}

fn xadd(g: &mut Gen) -> Step {
    let auto = g.chance(8);
    let k = if g.chance(8) { "xset" } else { key(g) };
    let mut a = args![g.name("xadd"), if auto { "xauto" } else { k }];
    if g.chance(10) {
        a.push(g.name("nomkstream"));
    }
    if g.chance(25) {
        trim_opts(g, &mut a);
    }
    if auto {
        // Emptied at once: the IDs differ between the servers.
        a.extend(args!["MAXLEN", "0", "*"]);
        a.extend(fields(g));
        return Step::with(a, Cmp::Shape);
    }
    a.push(id(g).into_bytes());
    a.extend(fields(g));
    if g.chance(3) {
        a.pop();
    }
    Step::exact(g.mangle(a))
}

fn range(g: &mut Gen) -> Step {
    let rev = g.chance(40);
    let mut a = args![g.name(if rev { "xrevrange" } else { "xrange" }), key(g)];
    let (lo, hi) = (id(g), id(g));
    if rev {
        a.extend(args![hi, lo]);
    } else {
        a.extend(args![lo, hi]);
    }
    if g.chance(40) {
        a.extend(args![g.name("count"), g.int(-1, 5)]);
    }
    Step::exact(g.mangle(a))
}

fn read_opts(g: &mut Gen, a: &mut Vec<Vec<u8>>) {
    if g.chance(40) {
        a.extend(args![g.name("count"), g.int(-1, 4)]);
    }
    if g.chance(5) {
        // Only forms that answer at once: a bad timeout or data to serve.
        a.extend(args![g.name("block"), g.pick(&["-1", "abc", "1.5"])]);
    }
}

fn xread(g: &mut Gen) -> Step {
    let mut a = args![g.name("xread")];
    read_opts(g, &mut a);
    a.push(g.name("streams"));
    let n = g.rng.usize(1..3);
    let keys: Vec<_> = (0..n).map(|_| key(g)).collect();
    for k in &keys {
        a.push(k.as_bytes().to_vec());
    }
    for _ in 0..n {
        // `$` would block or be empty; an explicit ID mostly.
        a.push(if g.chance(10) { "$".to_string() } else { id(g) }.into_bytes());
    }
    Step::exact(g.mangle(a))
}

fn xreadgroup(g: &mut Gen) -> Step {
    let mut a = args![
        g.name("xreadgroup"),
        g.name("group"),
        g.pick(GROUPS),
        g.pick(CONSUMERS)
    ];
    read_opts(g, &mut a);
    if g.chance(20) {
        a.push(g.name("noack"));
    }
    a.push(g.name("streams"));
    a.push(key(g).as_bytes().to_vec());
    a.push(if g.chance(60) { ">".to_string() } else { id(g) }.into_bytes());
    Step::exact(g.mangle(a))
}

fn xgroup(g: &mut Gen) -> Step {
    let k = key(g);
    let grp = g.pick(GROUPS);
    let a = match g.rng.u32(..7) {
        0 | 1 => {
            let mut a = args![g.name("xgroup"), g.name("create"), k, grp];
            a.push(if g.chance(30) { "$".to_string() } else { id(g) }.into_bytes());
            if g.chance(30) {
                a.push(g.name("mkstream"));
            }
            if g.chance(20) {
                a.extend(args![g.name("entriesread"), g.int(-2, 10)]);
            }
            a
        }
        2 => {
            let mut a = args![g.name("xgroup"), g.name("setid"), k, grp];
            a.push(if g.chance(30) { "$".to_string() } else { id(g) }.into_bytes());
            if g.chance(30) {
                a.extend(args![g.name("entriesread"), g.int(-2, 10)]);
            }
            a
        }
        3 => args![g.name("xgroup"), g.name("destroy"), k, grp],
        4 => args![
            g.name("xgroup"),
            g.name("createconsumer"),
            k,
            grp,
            g.pick(CONSUMERS)
        ],
        5 => args![
            g.name("xgroup"),
            g.name("delconsumer"),
            k,
            grp,
            g.pick(CONSUMERS)
        ],
        _ => args![g.name("xgroup"), g.name_of(&["help", "nosuch"])],
    };
    Step::exact(g.mangle(a))
}

fn idle(g: &mut Gen) -> &'static str {
    g.pick(&["0", "3600000", "-5", "abc"])
}

fn claim(g: &mut Gen) -> Step {
    let k = key(g);
    let grp = g.pick(GROUPS);
    let who = g.pick(CONSUMERS);
    if g.chance(50) {
        let mut a = args![g.name("xautoclaim"), k, grp, who, idle(g), id(g)];
        if g.chance(40) {
            a.extend(args![g.name("count"), g.int(0, 5)]);
        }
        if g.chance(30) {
            a.push(g.name("justid"));
        }
        return Step::exact(g.mangle(a));
    }
    let mut a = args![g.name("xclaim"), k, grp, who, idle(g)];
    for _ in 0..g.rng.usize(1..4) {
        a.push(id(g).into_bytes());
    }
    for _ in 0..g.rng.usize(0..3) {
        match g.rng.u32(..6) {
            0 => a.extend(args![g.name("idle"), idle(g)]),
            1 => a.extend(args![g.name("time"), g.pick(&["0", "1", "abc"])]),
            2 => a.extend(args![g.name("retrycount"), g.int(0, 5)]),
            3 => a.push(g.name("force")),
            4 => a.push(g.name("justid")),
            _ => a.extend(args![g.name("lastid"), id(g)]),
        }
    }
    Step::exact(g.mangle(a))
}

fn pending(g: &mut Gen) -> Step {
    let mut a = args![g.name("xpending"), key(g), g.pick(GROUPS)];
    if g.chance(40) {
        return Step::exact(g.mangle(a));
    }
    if g.chance(30) {
        a.extend(args![g.name("idle"), idle(g)]);
    }
    a.extend(args![id(g), id(g), g.int(-1, 5)]);
    if g.chance(40) {
        a.push(g.pick(CONSUMERS).as_bytes().to_vec());
    }
    // Each row carries an idle time.
    Step::with(g.mangle(a), Cmp::Shape)
}

fn info(g: &mut Gen) -> Step {
    let k = key(g);
    match g.rng.u32(..5) {
        0 => Step::exact(args![g.name("xinfo"), g.name("groups"), k]),
        1 => Step::with(
            args![g.name("xinfo"), g.name("consumers"), k, g.pick(GROUPS)],
            Cmp::Shape,
        ),
        2 => Step::exact(args![g.name("xinfo"), g.name_of(&["help", "nosuch"])]),
        3 => {
            let mut a = args![g.name("xinfo"), g.name("stream"), k, g.name("full")];
            if g.chance(50) {
                a.extend(args![g.name("count"), g.int(-1, 3)]);
            }
            Step::with(a, Cmp::Shape)
        }
        _ => Step::exact(args![g.name("xinfo"), g.name("stream"), k]),
    }
}

pub fn step(g: &mut Gen) -> Step {
    let cmd = match g.rng.u32(..40) {
        0..=9 => return xadd(g),
        10..=13 => return range(g),
        14..=16 => return xread(g),
        17..=20 => return xreadgroup(g),
        21..=23 => return xgroup(g),
        24..=26 => return claim(g),
        27 | 28 => return pending(g),
        29 | 30 => return info(g),
        31 => {
            let mut a = args![g.name("xtrim"), key(g)];
            trim_opts(g, &mut a);
            a
        }
        32 => {
            let mut a = args![g.name("xdel"), key(g)];
            for _ in 0..g.rng.usize(1..4) {
                a.push(id(g).into_bytes());
            }
            a
        }
        33 => {
            let mut a = args![g.name("xack"), key(g), g.pick(GROUPS)];
            for _ in 0..g.rng.usize(1..4) {
                a.push(id(g).into_bytes());
            }
            a
        }
        34 => args![
            g.name("xlen"),
            g.pick(&["x1", "x2", "xauto", "xstr", "xnone"])
        ],
        35 => {
            // Never on a stream with groups: moving the last ID back lets
            // XADD bring back IDs still pending, which crashes Redis 7.0.15
            // ("NACK half-created") on the next XREADGROUP.
            let k = g.pick(&["xset", "xstr", "xnone"]);
            let mut a = args![g.name("xsetid"), k, id(g)];
            if g.chance(30) {
                a.extend(args![g.name("entriesadded"), g.int(-1, 50)]);
            }
            if g.chance(30) {
                a.extend(args![g.name("maxdeletedid"), id(g)]);
            }
            a
        }
        36 => args![g.name("set"), "xstr", g.value()],
        37 => args![g.name("del"), g.pick(&["x1", "x2", "xauto"])],
        38 => {
            return Step::with(
                args![g.name("command"), "info", g.pick(COMMANDS)],
                Cmp::CommandEntries,
            );
        }
        // Redis 7.0.15 corrupts a stream (and crashes in XINFO FULL) when
        // stream-node-max-bytes drops below a block's size to a few bytes
        // and an entry follows, so byte limits stay at 100 and above.
        _ if g.chance(50) => args![
            g.name("config"),
            "set",
            "stream-node-max-entries",
            g.pick(&["0", "2", "5", "100", "4096"])
        ],
        _ => args![
            g.name("config"),
            "set",
            "stream-node-max-bytes",
            g.pick(&["0", "100", "200", "4096"])
        ],
    };
    Step::exact(g.mangle(cmd))
}
