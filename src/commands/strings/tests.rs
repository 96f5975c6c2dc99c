//! Tests of GET, SET and their variants, GETEX, GETDEL, MGET, MSET and
//! MSETNX. Every expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// GET/SET round trips, binary values, and the encoding SET picks.
#[test]
fn get_and_set_basics() {
    let mut h = Session::new();
    h.check("GET k", b"$-1\r\n");
    h.check("SET k hello", b"+OK\r\n");
    h.check("GET k", b"$5\r\nhello\r\n");
    h.enc("k", "embstr");
    h.dirty(1);
    h.check_args(&[b"SET", b"bin", b"a\r\nb\0c"], b"+OK\r\n");
    h.check("GET bin", b"$6\r\na\r\nb\0c\r\n");
    h.check_args(&[b"SET", b"empty", b""], b"+OK\r\n");
    h.check("GET empty", b"$0\r\n\r\n");
    h.enc("empty", "embstr");
    h.check("SET n 12345", b"+OK\r\n");
    h.check("GET n", b"$5\r\n12345\r\n");
    h.enc("n", "int");
    h.check("SET n -9223372036854775808", b"+OK\r\n");
    h.check("GET n", b"$20\r\n-9223372036854775808\r\n");
    h.enc("n", "int");
    h.check("SET n 9223372036854775808", b"+OK\r\n");
    h.enc("n", "embstr");
    h.check("SET n 01", b"+OK\r\n");
    h.enc("n", "embstr");
    h.check("SET n -0", b"+OK\r\n");
    h.enc("n", "embstr");
    h.check("SET n +1", b"+OK\r\n");
    h.enc("n", "embstr");
    h.check("SET n 12345678901234567890", b"+OK\r\n");
    h.enc("n", "embstr");
    h.check("SET n 1234567890123456789", b"+OK\r\n");
    h.enc("n", "int");
    h.check(
        "SET s xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        b"+OK\r\n",
    );
    h.enc("s", "embstr");
    h.check(
        "SET s xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        b"+OK\r\n",
    );
    h.enc("s", "raw");
    h.check(
        "GET s",
        b"$45\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n",
    );
    h.dirty(12);
    h.check(
        "GET",
        b"-ERR wrong number of arguments for 'get' command\r\n",
    );
    h.check(
        "GET a b",
        b"-ERR wrong number of arguments for 'get' command\r\n",
    );
    h.check(
        "SET k",
        b"-ERR wrong number of arguments for 'set' command\r\n",
    );
}

/// NX, XX and GET, alone and together (7.0 allows NX with GET).
#[test]
fn set_conditions() {
    let mut h = Session::new();
    h.check("SET k v1 NX", b"+OK\r\n");
    h.check("SET k v2 NX", b"$-1\r\n");
    h.check("GET k", b"$2\r\nv1\r\n");
    h.check("SET k v3 XX", b"+OK\r\n");
    h.check("GET k", b"$2\r\nv3\r\n");
    h.check("SET other v XX", b"$-1\r\n");
    h.check("GET other", b"$-1\r\n");
    h.dirty(2);
    h.check("SET k v4 GET", b"$2\r\nv3\r\n");
    h.check("SET fresh v GET", b"$-1\r\n");
    h.check("GET fresh", b"$1\r\nv\r\n");
    h.check("SET k v5 NX GET", b"$2\r\nv4\r\n");
    h.check("GET k", b"$2\r\nv4\r\n");
    h.check("SET none v XX GET", b"$-1\r\n");
    h.check("GET none", b"$-1\r\n");
    h.check("SET k v6 xx get", b"$2\r\nv4\r\n");
    h.check("SET k v7 GET GET", b"$2\r\nv6\r\n");
    h.check("SET k v8 NX NX", b"$-1\r\n");
    h.check("SET k v9 XX XX", b"+OK\r\n");
    h.dirty(5);
    h.check("SET k v NX XX", b"-ERR syntax error\r\n");
    h.check("SET k v XX NX", b"-ERR syntax error\r\n");
    h.check("SET k v PERSIST", b"-ERR syntax error\r\n");
    h.check("SET k v FOO", b"-ERR syntax error\r\n");
    h.check("SET k v EX", b"-ERR syntax error\r\n");
    h.check("GET k", b"$2\r\nv9\r\n");
    h.check_args(&[b"SET", b"k", b"nul", b"xx\0junk"], b"+OK\r\n");
    h.check("GET k", b"$3\r\nnul\r\n");
    h.check_args(&[b"SET", b"k", b"nul", b"x\0x"], b"-ERR syntax error\r\n");
    h.dirty(1);
}

/// EX/PX/EXAT/PXAT/KEEPTTL: which combinations parse, and expire validation.
#[test]
fn set_expire_options() {
    let mut h = Session::new();
    h.check("SET k v EX 100", b"+OK\r\n");
    h.ttl("k", 100000);
    h.check("SET k v PX 50000", b"+OK\r\n");
    h.ttl("k", 50000);
    h.check("SET k v EXAT 99999999999", b"+OK\r\n");
    h.expire_at("k", 99999999999000);
    h.check("SET k v PXAT 99999999998765", b"+OK\r\n");
    h.expire_at("k", 99999999998765);
    h.check("SET k v EX 10 EX 100", b"+OK\r\n");
    h.ttl("k", 100000);
    h.check("SET k v PX 10 PX 20000", b"+OK\r\n");
    h.ttl("k", 20000);
    h.check("SET k v EX 10 PX 10", b"-ERR syntax error\r\n");
    h.check("SET k v PX 10 EXAT 10", b"-ERR syntax error\r\n");
    h.check("SET k v KEEPTTL EX 10", b"-ERR syntax error\r\n");
    h.check("SET k v EX 10 KEEPTTL", b"-ERR syntax error\r\n");
    h.check("SET k v KEEPTTL KEEPTTL", b"+OK\r\n");
    h.ttl("k", 20000);
    h.check(
        "SET k v EX 0",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check(
        "SET k v EX -1",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check(
        "SET k v PX 0",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check(
        "SET k v EXAT 0",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check(
        "SET k v EX abc",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "SET k v EX 1.5",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("SET k v EX abc NX XX", b"-ERR syntax error\r\n");
    h.check(
        "SET k v EX 9223372036854775",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check(
        "SET k v PX 9223372036854775807",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check("SET k v EXAT 9223372036854775", b"+OK\r\n");
    h.check(
        "SET k v EXAT 9223372036854776",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.check("SET k v PXAT 9223372036854775807", b"+OK\r\n");
    h.check(
        "SET k v PXAT -1",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    h.dirty(9);
    h.check("SET k v PXAT 1", b"+OK\r\n");
    h.check("GET k", b"$-1\r\n");
    h.ttl("k", -2);
}

/// A plain SET drops the TTL, KEEPTTL keeps it, and a dead key leaves no TTL to keep.
#[test]
fn set_keepttl_and_ttl_reset() {
    let mut h = Session::new();
    h.check("SET k v EX 100", b"+OK\r\n");
    h.check("SET k v2 KEEPTTL", b"+OK\r\n");
    h.ttl("k", 100000);
    h.check("GET k", b"$2\r\nv2\r\n");
    h.check("SET k v3", b"+OK\r\n");
    h.ttl("k", -1);
    h.check("SET k v EX 100", b"+OK\r\n");
    h.check("SET k v2 NX", b"$-1\r\n");
    h.ttl("k", 100000);
    h.check("SET k v3 XX", b"+OK\r\n");
    h.ttl("k", -1);
    h.check("SET d v PXAT 1", b"+OK\r\n");
    h.check("SET d v2 KEEPTTL", b"+OK\r\n");
    h.ttl("d", -1);
    h.check("GET d", b"$2\r\nv2\r\n");
    h.check("SET d v PXAT 1", b"+OK\r\n");
    h.check("SET d v2 XX", b"$-1\r\n");
    h.check("GET d", b"$-1\r\n");
    h.check("SET d v3 NX", b"+OK\r\n");
    h.check("GET d", b"$2\r\nv3\r\n");
    h.dirty(9);
}

#[test]
fn setnx_setex_psetex() {
    let mut h = Session::new();
    h.check("SETNX k a", b":1\r\n");
    h.check("SETNX k b", b":0\r\n");
    h.check("GET k", b"$1\r\na\r\n");
    h.check("SETNX n 42", b":1\r\n");
    h.enc("n", "int");
    h.dirty(2);
    h.check("SETEX k 100 v", b"+OK\r\n");
    h.ttl("k", 100000);
    h.check("GET k", b"$1\r\nv\r\n");
    h.check("PSETEX k 100000 w", b"+OK\r\n");
    h.ttl("k", 100000);
    h.check("GET k", b"$1\r\nw\r\n");
    h.check("SETEX i 100 7", b"+OK\r\n");
    h.enc("i", "int");
    h.dirty(3);
    h.check(
        "SETEX k 0 v",
        b"-ERR invalid expire time in 'setex' command\r\n",
    );
    h.check(
        "SETEX k -1 v",
        b"-ERR invalid expire time in 'setex' command\r\n",
    );
    h.check(
        "SETEX k abc v",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "SETEX k 9223372036854775 v",
        b"-ERR invalid expire time in 'setex' command\r\n",
    );
    h.check(
        "PSETEX k 0 v",
        b"-ERR invalid expire time in 'psetex' command\r\n",
    );
    h.check(
        "PSETEX k 1.5 v",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "PSETEX k 9223372036854775807 v",
        b"-ERR invalid expire time in 'psetex' command\r\n",
    );
    h.check(
        "SETEX k 10",
        b"-ERR wrong number of arguments for 'setex' command\r\n",
    );
    h.check(
        "PSETEX k 10 v x",
        b"-ERR wrong number of arguments for 'psetex' command\r\n",
    );
    h.check(
        "SETNX k",
        b"-ERR wrong number of arguments for 'setnx' command\r\n",
    );
    h.dirty(0);
    h.check("SET e v PXAT 1", b"+OK\r\n");
    h.check("SETNX e v2", b":1\r\n");
    h.check("GET e", b"$2\r\nv2\r\n");
}

#[test]
fn getset_getdel() {
    let mut h = Session::new();
    h.check("GETSET k a", b"$-1\r\n");
    h.check("GETSET k b", b"$1\r\na\r\n");
    h.check("GET k", b"$1\r\nb\r\n");
    h.check("GETSET k 12", b"$1\r\nb\r\n");
    h.enc("k", "int");
    h.dirty(3);
    h.check("SET t v EX 100", b"+OK\r\n");
    h.check("GETSET t w", b"$1\r\nv\r\n");
    h.ttl("t", -1);
    h.check("GETDEL k", b"$2\r\n12\r\n");
    h.check("GETDEL k", b"$-1\r\n");
    h.check("GET k", b"$-1\r\n");
    h.dirty(3);
    h.check("SET e v PXAT 1", b"+OK\r\n");
    h.check("GETDEL e", b"$-1\r\n");
    h.dirty(1);
    h.check(
        "GETSET k",
        b"-ERR wrong number of arguments for 'getset' command\r\n",
    );
    h.check(
        "GETDEL",
        b"-ERR wrong number of arguments for 'getdel' command\r\n",
    );
    h.check(
        "GETDEL a b",
        b"-ERR wrong number of arguments for 'getdel' command\r\n",
    );
}

/// GETEX: option parsing, nil before expire validation, PERSIST, past absolute times.
#[test]
fn getex_options() {
    let mut h = Session::new();
    h.check("GETEX k", b"$-1\r\n");
    h.check("GETEX k EX -1", b"$-1\r\n");
    h.check("GETEX k EX abc", b"$-1\r\n");
    h.check("GETEX k FOO", b"-ERR syntax error\r\n");
    h.check("SET k v", b"+OK\r\n");
    h.check("GETEX k", b"$1\r\nv\r\n");
    h.ttl("k", -1);
    h.dirty(1);
    h.check("GETEX k EX 100", b"$1\r\nv\r\n");
    h.ttl("k", 100000);
    h.check("GETEX k PX 50000", b"$1\r\nv\r\n");
    h.ttl("k", 50000);
    h.check("GETEX k EXAT 99999999999", b"$1\r\nv\r\n");
    h.expire_at("k", 99999999999000);
    h.check("GETEX k PXAT 99999999999123", b"$1\r\nv\r\n");
    h.expire_at("k", 99999999999123);
    h.dirty(4);
    h.check("GETEX k PERSIST", b"$1\r\nv\r\n");
    h.ttl("k", -1);
    h.check("GETEX k PERSIST", b"$1\r\nv\r\n");
    h.dirty(1);
    h.check("GETEX k EX 1 EX 100", b"$1\r\nv\r\n");
    h.ttl("k", 100000);
    h.check("GETEX k EX 1 PX 100", b"-ERR syntax error\r\n");
    h.check("GETEX k PERSIST EX 10", b"-ERR syntax error\r\n");
    h.check("GETEX k EX 10 PERSIST", b"-ERR syntax error\r\n");
    h.check("GETEX k PERSIST PERSIST", b"$1\r\nv\r\n");
    h.check("GETEX k KEEPTTL", b"-ERR syntax error\r\n");
    h.check("GETEX k NX", b"-ERR syntax error\r\n");
    h.check("GETEX k XX", b"-ERR syntax error\r\n");
    h.check("GETEX k GET", b"-ERR syntax error\r\n");
    h.check("GETEX k EX", b"-ERR syntax error\r\n");
    h.check(
        "GETEX k EX 0",
        b"-ERR invalid expire time in 'getex' command\r\n",
    );
    h.check(
        "GETEX k EX 1.5",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "GETEX k EX 9223372036854775",
        b"-ERR invalid expire time in 'getex' command\r\n",
    );
    h.check("GETEX k EXAT 9223372036854775", b"$1\r\nv\r\n");
    h.expire_at("k", 9223372036854775000);
    h.dirty(3);
    h.check("GETEX k PXAT 1", b"$1\r\nv\r\n");
    h.check("GET k", b"$-1\r\n");
    h.ttl("k", -2);
    h.dirty(1);
    h.check("SET k 10", b"+OK\r\n");
    h.check("GETEX k EXAT 1", b"$2\r\n10\r\n");
    h.dirty(2);
    h.check(
        "GETEX",
        b"-ERR wrong number of arguments for 'getex' command\r\n",
    );
    // encodings are untouched
    h.check("SET n 123", b"+OK\r\n");
    h.check("GETEX n EX 100", b"$3\r\n123\r\n");
    h.enc("n", "int");
}

/// MSET/MSETNX write all or nothing; MGET answers nil for missing keys.
#[test]
fn mget_mset_msetnx() {
    let mut h = Session::new();
    h.check("MGET a b", b"*2\r\n$-1\r\n$-1\r\n");
    h.check("MSET a 1 b 2", b"+OK\r\n");
    h.check("MGET a b c", b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
    h.enc("a", "int");
    h.dirty(2);
    h.check("MSET a x a y", b"+OK\r\n");
    h.check("GET a", b"$1\r\ny\r\n");
    h.dirty(2);
    h.check(
        "MSET a",
        b"-ERR wrong number of arguments for 'mset' command\r\n",
    );
    h.check(
        "MSET a 1 b",
        b"-ERR wrong number of arguments for 'mset' command\r\n",
    );
    h.check(
        "MSETNX a",
        b"-ERR wrong number of arguments for 'msetnx' command\r\n",
    );
    h.check(
        "MSETNX a 1 b",
        b"-ERR wrong number of arguments for 'msetnx' command\r\n",
    );
    h.check(
        "MGET",
        b"-ERR wrong number of arguments for 'mget' command\r\n",
    );
    h.check("MSETNX a 1 c 3", b":0\r\n");
    h.check("MGET a b c", b"*3\r\n$1\r\ny\r\n$1\r\n2\r\n$-1\r\n");
    h.check("MSETNX c 3 d 4", b":1\r\n");
    h.check("MGET c d", b"*2\r\n$1\r\n3\r\n$1\r\n4\r\n");
    h.dirty(2);
    h.check("MSETNX e 1 e 2", b":1\r\n");
    h.check("GET e", b"$1\r\n2\r\n");
    h.dirty(2);
    h.check("SET t v EX 100", b"+OK\r\n");
    h.check("MSET t w", b"+OK\r\n");
    h.ttl("t", -1);
    h.check("SET x v PXAT 1", b"+OK\r\n");
    h.check("MSETNX x 1 y 2", b":1\r\n");
    h.check("MGET x y", b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    h.dirty(5);
    h.check_args(
        &[
            b"MSET",
            b"bin",
            b"\0\r\n",
            b"long",
            b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ],
        b"+OK\r\n",
    );
    h.check(
        "MGET bin long",
        b"*2\r\n$3\r\n\0\r\n\r\n$50\r\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n",
    );
    h.enc("long", "raw");
}

/// The nil replies in RESP3.
#[test]
fn resp3_nulls() {
    let mut h = Session::new();
    h.resp3();
    h.check("GET nokey", b"_\r\n");
    h.check("MGET a nokey", b"*2\r\n_\r\n_\r\n");
    h.check("SET a x", b"+OK\r\n");
    h.check("MGET a nokey", b"*2\r\n$1\r\nx\r\n_\r\n");
    h.check("SET k v NX GET", b"_\r\n");
    h.check("SET k v XX", b"+OK\r\n");
    h.check("SET q v XX GET", b"_\r\n");
    h.check("GETEX nokey", b"_\r\n");
    h.check("GETDEL nokey", b"_\r\n");
}
