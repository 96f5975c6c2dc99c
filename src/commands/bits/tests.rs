//! Tests of SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD. Every
//! expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// SETBIT/GETBIT: bit order, growth, errors, dirty only on a real change.
#[test]
fn setbit_getbit() {
    let mut h = Session::new();
    h.check("GETBIT k 0", b":0\r\n");
    h.check("SETBIT k 1 1", b":0\r\n");
    h.check("GET k", b"$1\r\n@\r\n");
    h.enc("k", "raw");
    h.check("SETBIT k 7 1", b":0\r\n");
    h.check("GET k", b"$1\r\nA\r\n");
    h.check("GETBIT k 1", b":1\r\n");
    h.check("GETBIT k 2", b":0\r\n");
    h.check("GETBIT k 100", b":0\r\n");
    h.dirty(2);
    h.check("SETBIT k 1 1", b":1\r\n");
    h.dirty(0);
    h.check("SETBIT k 1 0", b":1\r\n");
    h.dirty(1);
    h.check("SETBIT k 100 0", b":0\r\n");
    h.check("STRLEN k", b":13\r\n");
    h.dirty(1);
    h.check("SETBIT k 0 0", b":0\r\n");
    h.dirty(0);
    h.check(
        "SETBIT k -1 1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k abc 1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k 4294967296 1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k 1.5 1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k #1 1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "GETBIT k -1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "GETBIT k 4294967296",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k 0 2",
        b"-ERR bit is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k 0 -1",
        b"-ERR bit is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k 0 abc",
        b"-ERR bit is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k 0 01",
        b"-ERR bit is not an integer or out of range\r\n",
    );
    h.check_args(
        &[b"SETBIT", b"k", b"0", b""],
        b"-ERR bit is not an integer or out of range\r\n",
    );
    h.check(
        "SETBIT k -1 2",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.dirty(0);
    h.check("SET n 12", b"+OK\r\n");
    h.enc("n", "int");
    h.check("GETBIT n 2", b":1\r\n");
    h.check("GETBIT n 3", b":1\r\n");
    h.check("GETBIT n 10", b":1\r\n");
    h.check("GETBIT n 16", b":0\r\n");
    h.check("SETBIT n 0 0", b":0\r\n");
    h.enc("n", "raw");
    h.check("GET n", b"$2\r\n12\r\n");
    h.dirty(1);
    h.check("SET t a EX 100", b"+OK\r\n");
    h.check("SETBIT t 0 1", b":0\r\n");
    h.ttl("t", 100000);
    h.check("SET x a PXAT 1", b"+OK\r\n");
    h.check("SETBIT x 0 1", b":0\r\n");
    h.check("GET x", b"$1\r\n\x80\r\n");
    h.check(
        "SETBIT k 1",
        b"-ERR wrong number of arguments for 'setbit' command\r\n",
    );
    h.check(
        "GETBIT k",
        b"-ERR wrong number of arguments for 'getbit' command\r\n",
    );
}

/// BITCOUNT: whole string, BYTE and BIT ranges, and the order of its checks.
#[test]
fn bitcount_ranges() {
    let mut h = Session::new();
    h.check("BITCOUNT k", b":0\r\n");
    h.check("BITCOUNT k a b", b":0\r\n");
    h.check("BITCOUNT k 1", b":0\r\n");
    h.check("SET k foobar", b"+OK\r\n");
    h.check("BITCOUNT k", b":26\r\n");
    h.check("BITCOUNT k 0 0", b":4\r\n");
    h.check("BITCOUNT k 1 1", b":6\r\n");
    h.check("BITCOUNT k 1 -2", b":18\r\n");
    h.check("BITCOUNT k 0 -1 BYTE", b":26\r\n");
    h.check("BITCOUNT k 5 30 BIT", b":17\r\n");
    h.check("BITCOUNT k 0 -1 bit", b":26\r\n");
    h.check("BITCOUNT k -3 -1 BIT", b":1\r\n");
    h.check("BITCOUNT k 7 7 BIT", b":0\r\n");
    h.check("BITCOUNT k 1 6 BIT", b":4\r\n");
    h.check("BITCOUNT k -100 100", b":26\r\n");
    h.check("BITCOUNT k -1 -2", b":0\r\n");
    h.check("BITCOUNT k -100 -101", b":0\r\n");
    h.check("BITCOUNT k 100 200", b":0\r\n");
    h.check("BITCOUNT k 3 2", b":0\r\n");
    h.check("BITCOUNT k 1", b"-ERR syntax error\r\n");
    h.check(
        "BITCOUNT k a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("BITCOUNT k 0 1 bits", b"-ERR syntax error\r\n");
    h.check("BITCOUNT k -1 -2 bits", b":0\r\n");
    h.check("BITCOUNT k 0 1 BIT x", b"-ERR syntax error\r\n");
    h.check(
        "BITCOUNT k -9223372036854775808 9223372036854775807",
        b":26\r\n",
    );
    h.check(
        "BITCOUNT k -9223372036854775808 9223372036854775807 BIT",
        b":26\r\n",
    );
    h.check("SET n 12", b"+OK\r\n");
    h.check("BITCOUNT n", b":6\r\n");
    h.check("BITCOUNT n 1 1", b":3\r\n");
    h.check_args(&[b"SET", b"e", b""], b"+OK\r\n");
    h.check("BITCOUNT e", b":0\r\n");
    h.check("BITCOUNT e 0 -1", b":0\r\n");
    h.check("BITCOUNT e 0 -1 BIT", b":0\r\n");
    h.check(
        "BITCOUNT",
        b"-ERR wrong number of arguments for 'bitcount' command\r\n",
    );
    h.check_args(
        &[b"SET", b"f", b"\xff\xf0\0\xff\xff\xff\xff\xff\xff\xff\x0f"],
        b"+OK\r\n",
    );
    h.check("BITCOUNT f", b":72\r\n");
    h.check("BITCOUNT f 3 85 BIT", b":67\r\n");
    h.check("BITCOUNT f 12 12 BIT", b":0\r\n");
    h.check("BITCOUNT f 1 9", b":60\r\n");
}

/// BITPOS: zero padding without an end, -1 with one, BYTE and BIT ranges.
#[test]
fn bitpos_search() {
    let mut h = Session::new();
    h.check("BITPOS k 0", b":0\r\n");
    h.check("BITPOS k 1", b":-1\r\n");
    h.check("BITPOS k 2", b"-ERR The bit argument must be 1 or 0.\r\n");
    h.check(
        "BITPOS k x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("BITPOS k 1 a", b":-1\r\n");
    h.check_args(&[b"SET", b"k", b"\xff\xf0\0"], b"+OK\r\n");
    h.check("BITPOS k 0", b":12\r\n");
    h.check("BITPOS k 1", b":0\r\n");
    h.check("BITPOS k 1 2", b":-1\r\n");
    h.check("BITPOS k 0 1", b":12\r\n");
    h.check("BITPOS k 0 -1", b":16\r\n");
    h.check("BITPOS k 1 2 -1", b":-1\r\n");
    h.check("BITPOS k 0 7 15 BIT", b":12\r\n");
    h.check("BITPOS k 1 12 23 BIT", b":-1\r\n");
    h.check("BITPOS k 1 3 5 BIT", b":3\r\n");
    h.check("BITPOS k 0 0 0", b":-1\r\n");
    h.check("BITPOS k 0 0 0 BIT", b":-1\r\n");
    h.check("BITPOS k 1 100", b":-1\r\n");
    h.check("BITPOS k 0 -100 -101", b":-1\r\n");
    h.check("BITPOS k 1 -100 -101", b":0\r\n");
    h.check("BITPOS k 0 2 1", b":-1\r\n");
    h.check(
        "BITPOS k 1 a",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "BITPOS k 1 0 a",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("BITPOS k 1 0 1 bitx", b"-ERR syntax error\r\n");
    h.check(
        "BITPOS k 1 a 1 bitx",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("BITPOS k 1 0 x bitx", b"-ERR syntax error\r\n");
    h.check("BITPOS k 0 0 1 2 3", b"-ERR syntax error\r\n");
    h.check_args(&[b"SET", b"f", b"\xff\xff\xff"], b"+OK\r\n");
    h.check("BITPOS f 0", b":24\r\n");
    h.check("BITPOS f 0 0", b":24\r\n");
    h.check("BITPOS f 0 0 -1", b":-1\r\n");
    h.check("BITPOS f 0 1 2 BYTE", b":-1\r\n");
    h.check("BITPOS f 1 0 -1 BIT", b":0\r\n");
    h.check_args(&[b"SET", b"z", b"\0\0\0"], b"+OK\r\n");
    h.check("BITPOS z 1", b":-1\r\n");
    h.check("BITPOS z 0 1", b":8\r\n");
    h.check("BITPOS z 1 0 -1 BIT", b":-1\r\n");
    h.check_args(&[b"SET", b"e", b""], b"+OK\r\n");
    h.check("BITPOS e 0", b":-1\r\n");
    h.check("BITPOS e 1", b":-1\r\n");
    h.check("BITPOS e 0 0 -1", b":-1\r\n");
    h.check("SET n 10", b"+OK\r\n");
    h.check("BITPOS n 1", b":2\r\n");
    h.check("BITPOS n 0 1", b":8\r\n");
    h.check(
        "BITPOS",
        b"-ERR wrong number of arguments for 'bitpos' command\r\n",
    );
}

/// BITOP: zero padding of short inputs, NOT, deletion of the target, raw results.
#[test]
fn bitop_operations() {
    let mut h = Session::new();
    h.check_args(
        &[b"MSET", b"a", b"\xff\x0f", b"b", b"\xf0", b"c", b"abc"],
        b"+OK\r\n",
    );
    h.check("BITOP AND d a b", b":2\r\n");
    h.check("GET d", b"$2\r\n\xf0\0\r\n");
    h.enc("d", "raw");
    h.check("BITOP OR d a b", b":2\r\n");
    h.check("GET d", b"$2\r\n\xff\x0f\r\n");
    h.check("BITOP XOR d a b c", b":3\r\n");
    h.check("GET d", b"$3\r\nnmc\r\n");
    h.check("BITOP NOT d a", b":2\r\n");
    h.check("GET d", b"$2\r\n\0\xf0\r\n");
    h.check("BITOP AND d a nokey", b":2\r\n");
    h.check("GET d", b"$2\r\n\0\0\r\n");
    h.check("BITOP OR d nokey a", b":2\r\n");
    h.check("GET d", b"$2\r\n\xff\x0f\r\n");
    h.dirty(9);
    h.check("BITOP NOT d nokey", b":0\r\n");
    h.check("GET d", b"$-1\r\n");
    h.dirty(1);
    h.check("BITOP AND d nokey", b":0\r\n");
    h.dirty(0);
    h.check("BITOP or d a", b":2\r\n");
    h.check("GET d", b"$2\r\n\xff\x0f\r\n");
    h.check(
        "BITOP NOT d a b",
        b"-ERR BITOP NOT must be called with a single source key.\r\n",
    );
    h.check("BITOP NAND d a", b"-ERR syntax error\r\n");
    h.check(
        "BITOP AND d",
        b"-ERR wrong number of arguments for 'bitop' command\r\n",
    );
    h.check_args(&[b"BITOP", b"and\0x", b"d", b"a"], b":2\r\n");
    h.check("GET d", b"$2\r\n\xff\x0f\r\n");
    h.check("SET n 12", b"+OK\r\n");
    h.check("BITOP NOT d n", b":2\r\n");
    h.check("GET d", b"$2\r\n\xce\xcd\r\n");
    h.check("BITOP AND a a b", b":2\r\n");
    h.check("GET a", b"$2\r\n\xf0\0\r\n");
    h.check("SET d x EX 100", b"+OK\r\n");
    h.check("BITOP OR d c", b":3\r\n");
    h.ttl("d", -1);
    h.check("SET x abc PXAT 1", b"+OK\r\n");
    h.check("BITOP OR d x", b":0\r\n");
    h.check("GET d", b"$-1\r\n");
    h.dirty(9);
}

/// BITFIELD: field types, # offsets, reads past the end, the result of SET and INCRBY.
#[test]
fn bitfield_get_set_incr() {
    let mut h = Session::new();
    h.check("BITFIELD k", b"*0\r\n");
    h.check("BITFIELD k GET u8 0", b"*1\r\n:0\r\n");
    h.check(
        "BITFIELD k SET u8 0 255 GET u8 0 GET i8 0",
        b"*3\r\n:0\r\n:255\r\n:-1\r\n",
    );
    h.check("GET k", b"$1\r\n\xff\r\n");
    h.enc("k", "raw");
    h.dirty(1);
    h.check(
        "BITFIELD k SET i5 3 -3 GET i5 3 GET u5 3",
        b"*3\r\n:-1\r\n:-3\r\n:29\r\n",
    );
    h.check(
        "BITFIELD k INCRBY u2 100 1 INCRBY u2 100 1 GET u2 100",
        b"*3\r\n:1\r\n:2\r\n:2\r\n",
    );
    h.check("STRLEN k", b":13\r\n");
    h.check(
        "BITFIELD k SET u8 #1 200 GET u8 #1 GET u8 8",
        b"*3\r\n:0\r\n:200\r\n:200\r\n",
    );
    h.check(
        "BITFIELD k GET i64 0 GET u63 1 GET i64 #2",
        b"*3\r\n:-159877786771652608\r\n:9063494250083123200\r\n:0\r\n",
    );
    h.check(
        "BITFIELD k set u8 0 255 set u8 0 255",
        b"*2\r\n:253\r\n:255\r\n",
    );
    h.dirty(5);
    h.check("SET n 5", b"+OK\r\n");
    h.check("BITFIELD n GET u8 0", b"*1\r\n:53\r\n");
    h.enc("n", "int");
    h.check("BITFIELD n INCRBY u8 0 1", b"*1\r\n:54\r\n");
    h.enc("n", "raw");
    h.check("GET n", b"$1\r\n6\r\n");
    h.check("BITFIELD k GET u64 0", b"-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n");
    h.check("BITFIELD k GET i65 0", b"-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n");
    h.check("BITFIELD k GET i0 0", b"-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n");
    h.check("BITFIELD k GET I8 0", b"-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n");
    h.check("BITFIELD k GET x8 0", b"-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n");
    h.check_args(
        &[b"BITFIELD", b"k", b"GET", b"i8\0zz", b"0"],
        b"*1\r\n:-1\r\n",
    );
    h.check(
        "BITFIELD k GET u8 -1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "BITFIELD k GET u8 #-1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "BITFIELD k GET u8 ##1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "BITFIELD k GET u8 4294967296",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "BITFIELD k GET u8 #536870912",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check("BITFIELD k GET u8 #2305843009213693953", b"*1\r\n:200\r\n");
    h.check(
        "BITFIELD k SET u8 0 abc",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "BITFIELD k INCRBY u8 0 1.5",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("BITFIELD k GET", b"-ERR syntax error\r\n");
    h.check("BITFIELD k GET u8", b"-ERR syntax error\r\n");
    h.check("BITFIELD k SET u8 0", b"-ERR syntax error\r\n");
    h.check("BITFIELD k FOO", b"-ERR syntax error\r\n");
    h.check("BITFIELD k GET u8 0 extra", b"-ERR syntax error\r\n");
    h.dirty(2);
    h.check("SET t a EX 100", b"+OK\r\n");
    h.check("BITFIELD t SET u8 0 66", b"*1\r\n:97\r\n");
    h.ttl("t", 100000);
    h.check("GET t", b"$1\r\nB\r\n");
}

/// OVERFLOW WRAP, SAT and FAIL for signed and unsigned fields.
#[test]
fn bitfield_overflow() {
    let mut h = Session::new();
    h.check("BITFIELD k SET u2 0 1 INCRBY u2 0 5 OVERFLOW SAT INCRBY u2 0 5 INCRBY u2 0 -10 OVERFLOW FAIL INCRBY u2 0 5 GET u2 0", b"*6\r\n:0\r\n:2\r\n:3\r\n:0\r\n$-1\r\n:0\r\n");
    h.dirty(4);
    h.check("BITFIELD k OVERFLOW WRAP SET i8 8 127 INCRBY i8 8 1 OVERFLOW SAT INCRBY i8 8 -1000 INCRBY i8 8 1000", b"*4\r\n:0\r\n:-128\r\n:-128\r\n:127\r\n");
    h.dirty(4);
    h.check("BITFIELD k OVERFLOW FAIL SET i8 8 200 SET u8 8 -1 OVERFLOW SAT SET u8 8 -1 SET i8 8 -9223372036854775808", b"*4\r\n$-1\r\n$-1\r\n:127\r\n:-1\r\n");
    h.dirty(2);
    h.check("BITFIELD k OVERFLOW WRAP SET i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 -1 INCRBY i64 0 -9223372036854775808", b"*4\r\n:35747322042253312\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n");
    h.check("BITFIELD k OVERFLOW SAT SET u63 0 9223372036854775807 INCRBY u63 0 1 OVERFLOW WRAP INCRBY u63 0 1", b"*3\r\n:4611686018427387904\r\n:9223372036854775807\r\n:0\r\n");
    h.dirty(6);
    h.check(
        "BITFIELD k OVERFLOW bad GET u8 0",
        b"-ERR Invalid OVERFLOW type specified\r\n",
    );
    h.check("BITFIELD k OVERFLOW", b"-ERR syntax error\r\n");
    h.check("BITFIELD k overflow sat get u8 0", b"*1\r\n:0\r\n");
    h.check("BITFIELD k SET u8 0 1 OVERFLOW", b"-ERR syntax error\r\n");
    h.check("BITFIELD new OVERFLOW FAIL SET u4 0 100", b"*1\r\n$-1\r\n");
    h.check("GET new", b"$1\r\n\0\r\n");
    h.dirty(0);
}

/// BITFIELD_RO takes only GET, and never creates the key.
#[test]
fn bitfield_ro() {
    let mut h = Session::new();
    h.check("BITFIELD_RO k GET u8 0", b"*1\r\n:0\r\n");
    h.check("BITFIELD_RO k", b"*0\r\n");
    h.check(
        "BITFIELD_RO k SET u8 0 1",
        b"-ERR BITFIELD_RO only supports the GET subcommand\r\n",
    );
    h.check(
        "BITFIELD_RO k INCRBY u8 0 1",
        b"-ERR BITFIELD_RO only supports the GET subcommand\r\n",
    );
    h.check(
        "BITFIELD_RO k SET u8 0 x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("BITFIELD_RO k OVERFLOW SAT GET u8 0", b"*1\r\n:0\r\n");
    h.check("GET k", b"$-1\r\n");
    h.check("SET k AB", b"+OK\r\n");
    h.check(
        "BITFIELD_RO k GET u8 0 GET i16 0 GET u4 #3",
        b"*3\r\n:65\r\n:16706\r\n:2\r\n",
    );
    h.dirty(1);
    h.check(
        "BITFIELD_RO",
        b"-ERR wrong number of arguments for 'bitfield_ro' command\r\n",
    );
    h.resp3();
    h.check("BITFIELD k OVERFLOW FAIL SET u2 0 9", b"*1\r\n_\r\n");
}

/// proto-max-bulk-len bounds bit offsets as well.
#[test]
fn bit_limits_follow_config() {
    let mut h = Session::new();
    h.check("CONFIG SET proto-max-bulk-len 1048576", b"+OK\r\n");
    h.check("SETBIT k 8388607 1", b":0\r\n");
    h.check(
        "SETBIT k 8388608 1",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check("STRLEN k", b":1048576\r\n");
    h.check(
        "GETBIT k 8388608",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.check(
        "BITFIELD k SET u8 #1048575 1 GET u8 #1048575",
        b"*2\r\n:1\r\n:1\r\n",
    );
    h.check("BITFIELD k GET u8 8388601", b"*1\r\n:2\r\n");
    h.check(
        "BITFIELD k GET u8 #1048576",
        b"-ERR bit offset is not an integer or out of range\r\n",
    );
    h.dirty(1);
}
