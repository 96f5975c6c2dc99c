//! Corrupt and truncated input: every case must end in an error or in
//! values the commands can use — never a panic, a runaway allocation or
//! a loop that does not end. Valid files and payloads are cut at every
//! offset and mutated at random (seeded); whatever still loads is then
//! read back through the commands.

use super::file::AccessHint;
use super::*;
use crate::commands::testkit::Session;
use crate::db::Keyspace;

/// A small keyspace with every type and encoding, legacy ones included
/// (loaded from hand-built payloads Redis 7.0.15 accepts).
fn small() -> Session {
    let mut s = Session::new();
    for line in [
        "set str hello",
        "set int 12345",
        "set long abcabcabcabcabcabcabcabcabcabcabcabc",
        "rpush list a b 1 300 -70000 5000000000",
        "sadd intset 1 2 3",
        "sadd set a b c",
        "hset hash f v n 12",
        "zadd zset 1 a 2.5 b",
        "config set zset-max-listpack-entries 0",
        "zadd bigzset 1 a 2 b",
        "config set zset-max-listpack-entries 128",
        "config set hash-max-listpack-entries 0",
        "hset bighash f v g w",
        "config set hash-max-listpack-entries 512",
        "xadd stream 1-1 f v",
        "xadd stream 1-2 f w g x",
        "xdel stream 1-1",
        "xgroup create stream grp 0",
        "xreadgroup group grp alice count 1 streams stream >",
        "expire str 1000",
    ] {
        s.run(line);
    }
    s
}

fn opts() -> SaveOptions {
    SaveOptions {
        compression: true,
        checksum: true,
        ctime: 0,
        used_mem: 0,
        aof_base: false,
        hint: AccessHint::None,
        now_ms: 0,
        key_delay_us: 0,
    }
}

fn load_opts() -> LoadOptions {
    let mut o = LoadOptions::from_config(&crate::config::Config::defaults(), crate::util::now_ms());
    // Mutations would almost all stop at the checksum otherwise.
    o.verify_checksum = false;
    o
}

/// Reads every loaded key back through the commands that walk its value.
fn exercise(ks: Keyspace) {
    let mut s = Session::new();
    s.engine.keyspace = ks;
    for db in 0..16 {
        s.run(&format!("select {db}"));
        let keys: Vec<Vec<u8>> = s.engine.keyspace.dbs[db]
            .iter()
            .map(|(k, _)| k.as_bytes().to_vec())
            .collect();
        for k in keys {
            for cmd in [
                &b"dump"[..],
                b"type",
                b"strlen",
                b"llen",
                b"scard",
                b"zcard",
                b"hlen",
                b"xlen",
                b"smembers",
                b"hgetall",
            ] {
                s.run_args(&[cmd, &k]);
            }
            s.run_args(&[b"lrange", &k, b"0", b"-1"]);
            s.run_args(&[b"zrange", &k, b"0", b"-1", b"withscores"]);
            s.run_args(&[b"xrange", &k, b"-", b"+"]);
            s.run_args(&[b"xinfo", b"stream", &k, b"full"]);
            s.run_args(&[b"rpush", &k, b"x"]);
            s.run_args(&[b"zadd", &k, b"1", b"x"]);
            s.run_args(&[b"xadd", &k, b"*", b"f", b"v"]);
        }
    }
}

#[test]
fn every_truncation_of_a_file_is_an_error() {
    let bytes = tests::save_to_vec(&small().engine.keyspace, &opts());
    for cut in 0..bytes.len() {
        let mut ks = Keyspace::new(16);
        assert!(
            load(&bytes[..cut], &mut ks, &load_opts()).is_err(),
            "cut at {cut} of {}",
            bytes.len()
        );
    }
    assert!(load(&bytes, &mut Keyspace::new(16), &load_opts()).is_ok());
    eprintln!("{} truncations refused", bytes.len());
}

#[test]
fn mutated_files_never_panic() {
    let bytes = tests::save_to_vec(&small().engine.keyspace, &opts());
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let (mut loaded, mut refused) = (0, 0);
    // RDB_FUZZ_CASES runs more cases than a routine test run affords.
    let cases = std::env::var("RDB_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    for _ in 0..cases {
        let mut b = bytes.clone();
        for _ in 0..rng.usize(1..4) {
            let at = rng.usize(9..b.len());
            match rng.u32(..4) {
                0 => b[at] = rng.u8(..),
                1 => b[at] ^= 1 << rng.u32(..8),
                2 => b.insert(at, rng.u8(..)),
                _ => {
                    b.remove(at);
                }
            }
        }
        let mut ks = Keyspace::new(16);
        match load(&b, &mut ks, &load_opts()) {
            Ok(_) => {
                loaded += 1;
                exercise(ks);
            }
            Err(e) => {
                assert!(e.offset <= b.len(), "{e}");
                refused += 1;
            }
        }
    }
    eprintln!("{cases} mutated files: {loaded} loaded, {refused} refused");
    assert!(
        loaded > 0 && refused > 0,
        "{loaded} loaded, {refused} refused"
    );
}

#[test]
fn mutated_payloads_never_panic() {
    let s = small();
    let limits = Limits::from_config(&crate::config::Config::defaults());
    let mut rng = fastrand::Rng::with_seed(7);
    let mut cases = 0;
    for (_, obj) in s.engine.keyspace.dbs[0].iter() {
        let payload = dump_payload(&obj.value, true);
        assert!(verify_payload(&payload));
        let body = &payload[..payload.len() - 10];
        for _ in 0..400 {
            let mut b = body.to_vec();
            for _ in 0..rng.usize(1..3) {
                let at = rng.usize(..b.len());
                match rng.u32(..3) {
                    0 => b[at] = rng.u8(..),
                    1 => b.truncate(at),
                    _ => b.insert(at, rng.u8(..)),
                }
                if b.is_empty() {
                    break;
                }
            }
            b.extend_from_slice(&RDB_VERSION.to_le_bytes());
            let crc = crc64(&b);
            b.extend_from_slice(&crc.to_le_bytes());
            if let Ok(Some(v)) = restore_payload(&b, &limits) {
                dump_payload(&v, true);
            }
            cases += 1;
        }
    }
    eprintln!("{cases} mutated payloads");
    assert!(cases >= 4000, "{cases}");
}

#[test]
fn absurd_lengths_are_refused_without_allocating() {
    let limits = Limits::from_config(&crate::config::Config::defaults());
    // A list claiming 2^64-1 elements, a string claiming 4 GiB, an LZF
    // string claiming to expand 1000 times.
    let cases: [&[u8]; 4] = [
        &[
            ty::LIST,
            0x81,
            0xff,
            0xff,
            0xff,
            0xff,
            0xff,
            0xff,
            0xff,
            0xff,
        ],
        &[ty::STRING, 0x80, 0xff, 0xff, 0xff, 0xff, b'a'],
        &[ty::STRING, 0xc3, 1, 0x80, 0, 0, 0x03, 0xe8, 0],
        &[ty::SET, 0x80, 0x7f, 0xff, 0xff, 0xff],
    ];
    for body in cases {
        match restore_payload(&[body, &[0; 10]].concat(), &limits) {
            Err(err) => assert!(err.offset <= body.len(), "{err}"),
            Ok(_) => panic!("accepted {body:?}"),
        }
    }
}
