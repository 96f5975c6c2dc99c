//! DUMP and RESTORE: values of every type in small and large encodings,
//! DUMPed on both servers and compared byte for byte (except hash
//! tables, whose order is each server's hash function), each server then
//! RESTOREs the other's payload (the data-set comparison checks the
//! result); and RESTORE of fixed payloads, valid and corrupt, with every
//! option.

use crate::args;
use crate::generate::{Gen, Step};

/// Payloads from redis-server 7.0.15 (and hand-made corrupt ones,
/// checksummed so they reach the decoder), with their names for reports.
/// A listpack whose header count is wrong is left out: Redis accepts it
/// unless sanitize-dump-payload is on, ferredis always refuses it.
const PAYLOADS: &[(&str, &str)] = &[
    ("str", "000568656c6c6f0a006372df766534200a"),
    (
        "list",
        "120102121200000004008161028162020101c12c02ff0a008c3329e5019a61e5",
    ),
    (
        "intset",
        "0b0e02000000030000000100020003000a00a5025ce26d6e4d1b",
    ),
    (
        "hash",
        "1012120000000400816602817602816e020c01ff0a0001369481d35b8974",
    ),
    (
        "zset",
        "1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7",
    ),
    (
        "stream",
        "130110000000000000000100000000000000011d1d0000000a0001010001010181660200010201000100018176020401ff0101010101000001000a00ff55ab626ac035db",
    ),
    ("truncated", "12010212120000000400810a00a7cf8827e42d0c01"),
    ("empty-set", "02000a003ace39009b8939e8"),
    ("unknown-type", "15000a00c66a5217b568f28c"),
    ("module", "07010a004c3fcac2f95dfdf5"),
    ("dup-set", "0202016101610a0057be762fc2d6523a"),
    ("zset-nan", "05010161000000000000f87f0a00f0f929a906545927"),
    ("bad-crc", "000568656c6c6f0a006372df766534200b"),
    ("version-11", "000568656c6c6f0b000aad620598abc983"),
    ("version-9", "000568656c6c6f0900b3808eba31b243bb"),
];

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect()
}

/// The keys this family writes: the shared ones, plus `restored`, where
/// each server puts the other's payload.
fn key(g: &mut Gen) -> Vec<u8> {
    g.key()
}

fn member(g: &mut Gen, long: bool) -> Vec<u8> {
    match g.rng.u32(..4) {
        0 => g.rng.i64(-100_000..100_000).to_string().into_bytes(),
        1 if long => vec![b'm'; g.rng.usize(60..80)],
        _ => format!("m{}", g.rng.u32(..1000)).into_bytes(),
    }
}

/// A write that builds a value, now and then past its compact encoding.
fn populate(g: &mut Gen) -> Vec<Vec<u8>> {
    let many = if g.chance(20) { 200 } else { 5 };
    let long = g.chance(10);
    let k = key(g);
    match g.rng.u32(..7) {
        0 => args![g.name("set"), k, g.value()],
        1 => {
            let mut a = args![g.name_of(&["rpush", "lpush"]), k];
            for _ in 0..g.rng.usize(1..many) {
                a.push(if g.chance(10) {
                    vec![b'v'; g.rng.usize(0..3000)]
                } else {
                    member(g, long)
                });
            }
            a
        }
        2 => {
            let mut a = args![g.name("sadd"), k];
            let ints = g.chance(50);
            for _ in 0..g.rng.usize(1..many * 3) {
                a.push(if ints {
                    g.rng.i64(-1 << 40..1 << 40).to_string().into_bytes()
                } else {
                    member(g, long)
                });
            }
            a
        }
        3 => {
            let mut a = args![g.name("hset"), k];
            for _ in 0..g.rng.usize(1..many) {
                let (f, v) = (member(g, long), member(g, long));
                a.extend(args![f, v]);
            }
            a
        }
        4 => {
            let mut a = args![g.name("zadd"), k];
            for _ in 0..g.rng.usize(1..many) {
                let score = g.float();
                let m = member(g, long);
                a.extend(args![score, m]);
            }
            a
        }
        5 => {
            // Explicit IDs, so both servers store the same entries.
            let ms = g.rng.u64(1..1_000_000);
            args![
                g.name("xadd"),
                k,
                format!("{ms}-{}", g.rng.u32(..3)),
                "f",
                member(g, false),
                "n",
                member(g, false)
            ]
        }
        _ => args![
            g.name_of(&["del", "pexpire"]),
            k,
            g.rng.i64(100_000..10_000_000).to_string()
        ],
    }
}

pub fn step(g: &mut Gen) -> Step {
    match g.rng.u32(..10) {
        0..=3 => Step::exact(populate(g)),
        4..=6 => {
            let k = key(g);
            Step::CrossRestore {
                args: args![g.name("dump"), k],
            }
        }
        _ => {
            let (_, payload) = PAYLOADS[g.rng.usize(..PAYLOADS.len())];
            let ttl = match g.rng.u32(..6) {
                0 => g.rng.i64(100_000..10_000_000).to_string(),
                1 => g
                    .pick(&["-1", "abc", "", "9223372036854775807"])
                    .to_string(),
                _ => "0".to_string(),
            };
            let mut a = args![g.name("restore"), key(g), ttl, unhex(payload)];
            for _ in 0..g.rng.usize(0..3) {
                match g.rng.u32(..7) {
                    0 | 1 => a.push(b"REPLACE".to_vec()),
                    2 => a.push(b"ABSTTL".to_vec()),
                    3 => a.extend(args!["IDLETIME", g.pick(&["0", "100", "-1", "x"])]),
                    4 => a.extend(args!["FREQ", g.pick(&["0", "5", "256", "-1"])]),
                    5 => a.push(b"replace".to_vec()),
                    _ => a.push(b"bogus".to_vec()),
                }
            }
            Step::exact(g.mangle(a))
        }
    }
}
