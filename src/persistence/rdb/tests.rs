//! Whole files: a keyspace of every type and encoding saved and loaded
//! back, compared key by key through DUMP (the encoder is checked against
//! Redis's bytes in commands/dump/tests.rs and tests/rdb_fixtures.rs).

use super::file::AccessHint;
use super::*;
use crate::commands::testkit::Session;
use crate::db::Keyspace;

/// A session whose keyspace holds every type in its small and large
/// encodings, in two databases, some keys with TTLs.
pub(super) fn populated() -> Session {
    let mut s = Session::new();
    let mut run = |line: &str| {
        s.run(line);
    };
    run("set str hello");
    run("set int 12345");
    run("set bigint 9223372036854775807");
    run(&format!("set long {}", "abc".repeat(40)));
    run("rpush list a b 1 300 -70000 5000000000");
    run("sadd intset 1 2 3 -40000 5000000000");
    run("sadd set a b c");
    run("hset hash f v n 12");
    run("zadd zset 1 a 2.5 b -0 c inf d");
    run("xadd stream 1-1 f v");
    run("xadd stream 1-2 f w g x");
    run("xgroup create stream grp 0");
    run("xreadgroup group grp alice count 1 streams stream >");
    run("xgroup createconsumer stream grp bob");
    for i in 0..300 {
        run(&format!("rpush biglist item-{i} {i}"));
        run(&format!("hset bighash field-{i} value-{i}"));
        run(&format!("sadd bigset member-{i}"));
        run(&format!("sadd bigintset {}", i * 1000));
        run(&format!("zadd bigzset {i}.5 member-{i}"));
        run(&format!("xadd bigstream {}-0 n {i}", i + 1));
    }
    run("xdel bigstream 5-0");
    run("expire str 1000");
    run("pexpire list 5000000");
    run("select 3");
    run("set other-db value");
    run("select 0");
    s
}

fn save_opts() -> SaveOptions {
    SaveOptions {
        compression: true,
        checksum: true,
        ctime: 1_700_000_000,
        used_mem: 1_000_000,
        aof_base: false,
        hint: AccessHint::None,
        now_ms: crate::util::now_ms(),
        key_delay_us: 0,
    }
}

pub(super) fn save_to_vec(ks: &Keyspace, opts: &SaveOptions) -> Vec<u8> {
    save(Vec::new(), ks, opts).unwrap()
}

fn load_opts() -> LoadOptions {
    LoadOptions::from_config(&crate::config::Config::defaults(), crate::util::now_ms())
}

/// A value as comparable bytes: its DUMP payload, except for hash
/// tables, whose order is the table's, so their sorted contents.
fn canonical(value: &crate::db::Value) -> Vec<u8> {
    use crate::db::Value;
    use crate::db::set::Set;
    let mut items: Vec<Vec<u8>> = match value {
        Value::Set(s) if matches!(**s, Set::Table(_)) => s
            .iter()
            .map(|m| {
                let mut buf = [0u8; 20];
                m.as_bytes(&mut buf).to_vec()
            })
            .collect(),
        Value::Hash(h) if !h.is_listpack() => h
            .pairs()
            .map(|(f, v)| [f.to_vec(), b"=".to_vec(), v.to_vec()].concat())
            .collect(),
        other => return dump_payload(other, true),
    };
    items.sort();
    items.join(&b","[..])
}

/// One key as compared: (db, key, value, expire time).
type KeyState = (usize, Vec<u8>, Vec<u8>, Option<i64>);

/// Every key of every database.
fn snapshot(ks: &Keyspace) -> Vec<KeyState> {
    let mut out = Vec::new();
    for (i, db) in ks.dbs.iter().enumerate() {
        for (key, obj) in db.iter() {
            let k = key.as_bytes().to_vec();
            out.push((i, k.clone(), canonical(&obj.value), db.expire_time(&k)));
        }
    }
    out.sort();
    out
}

/// Compares two snapshots key by key, naming the first that differs.
fn assert_same(a: &[KeyState], b: &[KeyState]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!(x == y, "key {} differs", String::from_utf8_lossy(&x.1));
    }
}

#[test]
fn a_saved_keyspace_loads_back_identical() {
    let s = populated();
    let bytes = save_to_vec(&s.engine.keyspace, &save_opts());
    assert_eq!(&bytes[..9], b"REDIS0010");
    let mut ks = Keyspace::new(16);
    let report = load(&bytes, &mut ks, &load_opts()).unwrap();
    assert_eq!(report.version, 10);
    assert_eq!(report.keys_loaded, 17);
    assert!(!report.checksum_absent);
    let aux: Vec<&[u8]> = report.aux.iter().map(|(k, _)| &k[..]).collect();
    assert_eq!(
        aux,
        [
            &b"redis-ver"[..],
            b"redis-bits",
            b"ctime",
            b"used-mem",
            b"aof-base"
        ]
    );
    assert_eq!(report.aux[0].1, b"7.0.15");
    let before = snapshot(&s.engine.keyspace);
    assert_same(&before, &snapshot(&ks));
    // Encodings survive too.
    for (db, key, _, _) in &before {
        let a = s.engine.keyspace.dbs[*db].find(key).unwrap().encoding();
        let b = ks.dbs[*db].find(key).unwrap().encoding();
        assert_eq!(a, b, "{}", String::from_utf8_lossy(key));
    }
}

#[test]
fn checksum_off_writes_zero_and_a_bad_checksum_is_refused() {
    let s = populated();
    let mut opts = save_opts();
    opts.checksum = false;
    let bytes = save_to_vec(&s.engine.keyspace, &opts);
    assert_eq!(&bytes[bytes.len() - 8..], &[0; 8]);
    let mut ks = Keyspace::new(16);
    assert!(load(&bytes, &mut ks, &load_opts()).unwrap().checksum_absent);

    let mut bytes = save_to_vec(&s.engine.keyspace, &save_opts());
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    let err = load(&bytes, &mut Keyspace::new(16), &load_opts()).unwrap_err();
    assert_eq!(err.reason, "RDB CRC error");
    assert_eq!(err.offset, n - 8);
}

#[test]
fn expired_keys_are_dropped_and_duplicates_refused() {
    let mut s = Session::new();
    s.run("set gone x");
    s.run("set kept y");
    s.make_expired(0, "gone");
    let bytes = save_to_vec(&s.engine.keyspace, &save_opts());
    let mut ks = Keyspace::new(16);
    let report = load(&bytes, &mut ks, &load_opts()).unwrap();
    assert_eq!((report.keys_loaded, report.keys_expired), (1, 1));
    // Loading the same file again into the same keyspace: a duplicate.
    let err = load(&bytes, &mut ks, &load_opts()).unwrap_err();
    assert_eq!(err.reason, "Duplicated key found in RDB file");
    // A file for more databases than configured is refused.
    let err = load(
        &save_to_vec(&populated().engine.keyspace, &save_opts()),
        &mut Keyspace::new(2),
        &load_opts(),
    )
    .unwrap_err();
    assert!(err.reason.contains("more than 2 databases"), "{err}");
}

#[test]
fn idle_and_freq_hints_round_trip() {
    let mut s = Session::new();
    s.run("set k v");
    s.run("set n 123456");
    let now = crate::util::now_ms();
    let mut opts = save_opts();
    opts.hint = AccessHint::Idle;
    let bytes = save_to_vec(&s.engine.keyspace, &opts);
    // IDLE opcode before each key's type byte.
    assert!(bytes.windows(2).any(|w| w == [op::IDLE, 0]));
    let mut lo = load_opts();
    lo.now_ms = now + 50_000;
    let mut ks = Keyspace::new(16);
    load(&bytes, &mut ks, &lo).unwrap();
    let idle = ks.dbs[0].find(b"k").unwrap().idle_ms(now + 50_000);
    assert!(idle <= 1000, "{idle}");

    opts.hint = AccessHint::Freq { decay_minutes: 1 };
    let bytes = save_to_vec(&s.engine.keyspace, &opts);
    assert!(bytes.windows(2).any(|w| w[0] == op::FREQ));
    let mut lo = load_opts();
    lo.access = crate::db::AccessPolicy {
        clock: crate::db::AccessClock::Lfu {
            log_factor: 10,
            decay_minutes: 1,
        },
        share_integers: false,
    };
    let mut ks = Keyspace::new(16);
    load(&bytes, &mut ks, &lo).unwrap();
    assert_eq!(ks.dbs[0].len(), 2);
}

#[test]
fn functions_are_skipped_and_module_data_refused() {
    let mut file = b"REDIS0010".to_vec();
    file.push(op::FUNCTION2);
    file.extend_from_slice(b"\x0f#!lua name=lib1");
    file.push(op::EOF);
    file.extend_from_slice(&[0; 8]);
    let mut ks = Keyspace::new(16);
    let report = load(&file, &mut ks, &load_opts()).unwrap();
    assert_eq!(report.functions_skipped, 1);

    let mut file = b"REDIS0009".to_vec();
    file.extend_from_slice(&[ty::MODULE_2, 1, b'k', 5]);
    let err = load(&file, &mut ks, &load_opts()).unwrap_err();
    assert!(err.reason.contains("module"), "{err}");
    assert!(load(b"REDIS0011\xff", &mut ks, &load_opts()).is_err());
    assert!(load(b"RADIS0010\xff", &mut ks, &load_opts()).is_err());
}

#[test]
fn old_versions_and_second_expire_times_load() {
    // Version 3: no checksum trailer before version 5; EXPIRETIME in
    // seconds, far in the future.
    let mut file = b"REDIS0003".to_vec();
    file.push(op::SELECTDB);
    file.push(0);
    file.push(op::EXPIRETIME);
    file.extend_from_slice(&2_000_000_000i32.to_le_bytes());
    file.extend_from_slice(&[ty::STRING, 1, b'k', 2, b'h', b'i']);
    file.push(op::EOF);
    let mut ks = Keyspace::new(16);
    let report = load(&file, &mut ks, &load_opts()).unwrap();
    assert_eq!(report.keys_loaded, 1);
    assert_eq!(ks.dbs[0].expire_time(b"k"), Some(2_000_000_000_000));
}
