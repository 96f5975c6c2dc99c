//! DUMP and RESTORE against bytes read off redis-server 7.0.15.

use crate::commands::testkit::Session;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn bulk(bytes: &[u8]) -> Vec<u8> {
    [format!("${}\r\n", bytes.len()).as_bytes(), bytes, b"\r\n"].concat()
}

/// Payloads Redis 7.0.15 DUMPed for values built by the same commands.
#[test]
fn dump_payloads_equal_redis() {
    let mut s = Session::new();
    let long = "a".repeat(50);
    let setup: &[&[&str]] = &[
        &["set", "s", "hello"],
        &["set", "i", "12345"],
        &["set", "big", "9999999999999"],
        &["set", "long", &long],
        &["rpush", "l", "a", "b", "1", "300"],
        &["sadd", "si", "1", "2", "3"],
        &["hset", "h", "f", "v", "n", "12"],
        &["zadd", "z", "1", "a", "2.5", "b"],
        &["xadd", "x", "1-1", "f", "v"],
    ];
    for cmd in setup {
        s.call(cmd);
    }
    let want = [
        ("s", "000568656c6c6f0a006372df766534200a"),
        ("i", "00c139300a009d94ea2793fc08b9"),
        ("big", "000d393939393939393939393939390a006d9e3c261b31ccd4"),
        ("long", "00c30932016161e025000161610a0009ac48b9ab15fbc9"),
        (
            "l",
            "120102121200000004008161028162020101c12c02ff0a008c3329e5019a61e5",
        ),
        ("si", "0b0e02000000030000000100020003000a00a5025ce26d6e4d1b"),
        (
            "h",
            "1012120000000400816602817602816e020c01ff0a0001369481d35b8974",
        ),
        (
            "z",
            "1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7",
        ),
        (
            "x",
            "130110000000000000000100000000000000011d1d0000000a0001010001010181660200010201000100018176020401ff0101010101000001000a00ff55ab626ac035db",
        ),
    ];
    for (key, payload) in want {
        s.check(&format!("dump {key}"), &bulk(&hex(payload)));
    }
    s.check("dump missing", b"$-1\r\n");
}

#[test]
fn restore_errors_come_in_redis_order() {
    let mut s = Session::new();
    s.call(&["set", "s", "hello"]);
    let p = hex("000568656c6c6f0a006372df766534200a");
    let mut bad_crc = p.clone();
    *bad_crc.last_mut().unwrap() ^= 1;
    let mut newer = hex("00056865");
    newer.extend_from_slice(&[0x0b, 0x00]);
    newer.extend_from_slice(&[0; 8]);
    let cases: &[(&[&[u8]], &[u8])] = &[
        (&[b"restore", b"k", b"0", &p], b"+OK\r\n"),
        (
            &[b"restore", b"k", b"0", &p],
            b"-BUSYKEY Target key name already exists.\r\n",
        ),
        (
            &[b"restore", b"k", b"-1", &p],
            b"-BUSYKEY Target key name already exists.\r\n",
        ),
        (
            &[b"restore", b"k", b"abc", &p, b"bad"],
            b"-ERR syntax error\r\n",
        ),
        (&[b"restore", b"k", b"0", &p, b"replace"], b"+OK\r\n"),
        (
            &[b"restore", b"k2", b"-1", &p],
            b"-ERR Invalid TTL value, must be >= 0\r\n",
        ),
        (
            &[b"restore", b"k2", b"abc", &p],
            b"-ERR value is not an integer or out of range\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", b"garbage"],
            b"-ERR DUMP payload version or checksum are wrong\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &bad_crc],
            b"-ERR DUMP payload version or checksum are wrong\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &newer],
            b"-ERR DUMP payload version or checksum are wrong\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &p, b"foo"],
            b"-ERR syntax error\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &p, b"idletime"],
            b"-ERR syntax error\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &p, b"idletime", b"-1"],
            b"-ERR Invalid IDLETIME value, must be >= 0\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &p, b"idletime", b"x"],
            b"-ERR value is not an integer or out of range\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &p, b"freq", b"256"],
            b"-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n",
        ),
        (
            &[b"restore", b"k2", b"0", &p, b"freq", b"-1"],
            b"-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n",
        ),
        (
            &[
                b"restore",
                b"k2",
                b"0",
                &p,
                b"freq",
                b"1",
                b"idletime",
                b"5",
            ],
            b"-ERR syntax error\r\n",
        ),
        (
            &[
                b"restore",
                b"k2",
                b"0",
                &p,
                b"idletime",
                b"5",
                b"freq",
                b"1",
            ],
            b"-ERR syntax error\r\n",
        ),
        (
            &[b"restore", b"k"],
            b"-ERR wrong number of arguments for 'restore' command\r\n",
        ),
        (
            &[b"dump", b"s", b"x"],
            b"-ERR wrong number of arguments for 'dump' command\r\n",
        ),
    ];
    for (args, want) in cases {
        s.check_args(args, want);
    }
}

#[test]
fn restore_ttls_and_access_hints() {
    let mut s = Session::new();
    let p = hex("000568656c6c6f0a006372df766534200a");
    s.check_args(&[b"restore", b"a", b"1000", &p], b"+OK\r\n");
    s.ttl("a", 1000);
    // An absolute time in the past, or a relative one so large that
    // adding now wraps: OK, and no key.
    s.check_args(&[b"restore", b"b", b"1", &p, b"absttl"], b"+OK\r\n");
    s.check_args(&[b"restore", b"c", b"9223372036854775807", &p], b"+OK\r\n");
    s.check("exists b c", b":0\r\n");
    s.dirty(1);
    // REPLACE of a key with a past TTL deletes it: a change.
    s.check_args(
        &[b"restore", b"a", b"1", &p, b"absttl", b"replace"],
        b"+OK\r\n",
    );
    s.check("exists a", b":0\r\n");
    s.dirty(1);
    s.check_args(
        &[b"restore", b"d", b"0", &p, b"idletime", b"1000"],
        b"+OK\r\n",
    );
    s.check("object idletime d", b":1000\r\n");
    s.check_args(
        &[
            b"restore",
            b"e",
            b"0",
            &p,
            b"idletime",
            b"9223372036854775807",
        ],
        b"+OK\r\n",
    );
    s.check("object idletime e", b":16777214\r\n");
    s.check("object encoding d", b"$6\r\nembstr\r\n");
}

/// Payloads in encodings Redis 7.0 no longer writes (built by hand and
/// accepted by redis-server 7.0.15), and what Redis DUMPs after loading
/// each: both servers convert them the same way.
#[test]
fn older_encodings_load_as_redis_converts_them() {
    let cases = [
        (
            "list1",
            "0103016102313201630a00d2e8e5d3fe561931",
            "1201020f0f00000003008161020c01816302ff0a00917a3a28df4dc71a",
            "quicklist",
        ),
        (
            "set2",
            "020301310135022d330a003845dc0daf7e23e7",
            "0b0e0200000003000000fdff010005000a007e2b589563748fa4",
            "intset",
        ),
        (
            "set2str",
            "0202017801350a00bd0a5367f76d1511",
            "0202c00501780a00556e117970f85806",
            "hashtable",
        ),
        (
            "zset3",
            "0303016103312e350162fe0163022d320a00b0cfa1d0c4367a32",
            "111d1d0000000600816302dffe0281610283312e350481620283696e6604ff0a006d8ea46ad5a7ed90",
            "listpack",
        ),
        (
            "hash4",
            "0402026631027631026632033330300a00fd46ba8dc3942707",
            "1016160000000400826631038276310382663203c12c02ff0a00f8152cbdbe4577b5",
            "listpack",
        ),
        (
            "zipmap9",
            "091402046e616d650300616e6e0361676502003330ff0a00d943f6bcea70f0ff",
            "1019190000000400846e616d650583616e6e0483616765041e01ff0a0027057a2354ab2cdd",
            "listpack",
        ),
        (
            "zllist10",
            "0a407070000000260000000600000568656c6c6f07f602c038ff04f070110105e000f2052a010000000a404678787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878ff0a0031526a88fabf711c",
            "120102c32b406b1c6b00000006008568656c6c6f060501df3802f270110104f400f2052a01201b0309e04678e03c000148ff0a004d25949144457572",
            "quicklist",
        ),
        (
            "zlzset12",
            "0c1f1f0000001a000000060000016103f20201620303322e3505016303c02c01ff0a00f1f571ea3e1c9e75",
            "111a1a0000000600816102010181620283322e3504816302c12c02ff0a001da5c3608ac10b1b",
            "listpack",
        ),
        (
            "zlhash13",
            "0d181800000012000000040000016603f2020167030376616cff0a007a60d6de6ad40263",
            "101414000000040081660201018167028376616c04ff0a0002bb0fe418925be9",
            "listpack",
        ),
        (
            "quicklist14",
            "0e02131300000010000000030000016103016203f4ff10100000000c000000020000f5020165ff0a00c4ef52dcc4dbc847",
            "1202020f0f00000003008161028162020301ff020c0c00000002000401816502ff0a00d354ce82f4666f41",
            "quicklist",
        ),
    ];
    let mut s = Session::new();
    for (key, payload, dumped, encoding) in cases {
        s.check_args(
            &[b"restore", key.as_bytes(), b"0", &hex(payload)],
            b"+OK\r\n",
        );
        s.enc(key, encoding);
        // A table's order is the hash function's: compare contents only.
        if encoding != "hashtable" {
            s.check(&format!("dump {key}"), &bulk(&hex(dumped)));
        }
    }
    s.check(
        "lrange zllist10 0 3",
        b"*4\r\n$5\r\nhello\r\n$1\r\n5\r\n$4\r\n-200\r\n$5\r\n70000\r\n",
    );
    s.check(
        "zrange zset3 0 -1 withscores",
        b"*6\r\n$1\r\nc\r\n$2\r\n-2\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nb\r\n$3\r\ninf\r\n",
    );
    s.check("scard set2str", b":2\r\n");
}

#[test]
fn corrupt_payloads_are_bad_data_format() {
    let mut s = Session::new();
    let body = hex("120102121200000004008161028162020101c12c02ff");
    let mut refused = 0;
    for i in 0..body.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut b = body.clone();
            b[i] ^= flip;
            b.extend_from_slice(&[0x0a, 0x00]);
            let crc = crate::persistence::rdb::crc64(&b);
            b.extend_from_slice(&crc.to_le_bytes());
            let got = s.run_args(&[b"restore", b"k", b"0", &b, b"replace"]);
            assert!(
                got == b"+OK\r\n" || got == b"-ERR Bad data format\r\n",
                "{got:?}"
            );
            refused += usize::from(got != b"+OK\r\n");
        }
    }
    assert!(refused > body.len());
    // An empty collection is refused like any corrupt payload.
    let mut empty = hex("0200");
    empty.extend_from_slice(&[0x0a, 0x00]);
    let crc = crate::persistence::rdb::crc64(&empty);
    empty.extend_from_slice(&crc.to_le_bytes());
    s.check_args(
        &[b"restore", b"e", b"0", &empty],
        b"-ERR Bad data format\r\n",
    );
}
