//! Tests of the counters, APPEND, STRLEN, GETRANGE, SETRANGE and LCS.
//! Every expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// INCR and friends: bounds, syntax of the stored value, encodings, TTL kept.
#[test]
fn incr_decr() {
    let mut h = Session::new();
    h.check("INCR k", b":1\r\n");
    h.check("INCR k", b":2\r\n");
    h.check("DECR k", b":1\r\n");
    h.check("INCRBY k 10", b":11\r\n");
    h.check("DECRBY k 20", b":-9\r\n");
    h.check("GET k", b"$2\r\n-9\r\n");
    h.enc("k", "int");
    h.dirty(5);
    h.check("SET k 9223372036854775806", b"+OK\r\n");
    h.check("INCR k", b":9223372036854775807\r\n");
    h.check("INCR k", b"-ERR increment or decrement would overflow\r\n");
    h.check("GET k", b"$19\r\n9223372036854775807\r\n");
    h.check("SET k -9223372036854775807", b"+OK\r\n");
    h.check("DECR k", b":-9223372036854775808\r\n");
    h.check("DECR k", b"-ERR increment or decrement would overflow\r\n");
    h.check(
        "INCRBY k -1",
        b"-ERR increment or decrement would overflow\r\n",
    );
    h.check("INCRBY k 9223372036854775807", b":-1\r\n");
    h.check(
        "DECRBY k -9223372036854775808",
        b"-ERR decrement would overflow\r\n",
    );
    h.check("DECRBY k 9223372036854775807", b":-9223372036854775808\r\n");
    h.check("GET k", b"$20\r\n-9223372036854775808\r\n");
    h.dirty(6);
    h.check("SET k 0", b"+OK\r\n");
    h.check(
        "INCRBY k -9223372036854775808",
        b":-9223372036854775808\r\n",
    );
    h.check("DECRBY k -1", b":-9223372036854775807\r\n");
    h.check("GET k", b"$20\r\n-9223372036854775807\r\n");
    h.check("SET k abc", b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("SET k 1.0", b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("SET k 01", b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("SET k -0", b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("SET k 9223372036854775808", b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check_args(&[b"SET", b"k", b" 1"], b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check_args(&[b"SET", b"k", b"1 "], b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check_args(&[b"SET", b"k", b""], b"+OK\r\n");
    h.check(
        "INCR k",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.dirty(11);
    h.check(
        "INCRBY k abc",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "INCRBY k 1.5",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check_args(
        &[b"INCRBY", b"k", b""],
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "DECRBY k 0x10",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "INCR",
        b"-ERR wrong number of arguments for 'incr' command\r\n",
    );
    h.check(
        "INCRBY k",
        b"-ERR wrong number of arguments for 'incrby' command\r\n",
    );
    h.check("SET k 10", b"+OK\r\n");
    h.check("APPEND k 0", b":3\r\n");
    h.enc("k", "raw");
    h.check("INCR k", b":101\r\n");
    h.enc("k", "int");
    h.check("GET k", b"$3\r\n101\r\n");
    h.check("SET t 5 EX 100", b"+OK\r\n");
    h.check("INCR t", b":6\r\n");
    h.ttl("t", 100000);
    h.check("SET e 5 PXAT 1", b"+OK\r\n");
    h.check("INCR e", b":1\r\n");
    h.ttl("e", -1);
    h.dirty(7);
}

/// INCRBYFLOAT: long double sums, %.17Lf output, invalid floats, and the encoding (never int).
#[test]
fn incrbyfloat() {
    let mut h = Session::new();
    h.check("INCRBYFLOAT k 10.5", b"$4\r\n10.5\r\n");
    h.check("INCRBYFLOAT k 0.1", b"$4\r\n10.6\r\n");
    h.check("INCRBYFLOAT k -5", b"$3\r\n5.6\r\n");
    h.check("GET k", b"$3\r\n5.6\r\n");
    h.enc("k", "embstr");
    h.dirty(3);
    h.check("SET k 5.0e3", b"+OK\r\n");
    h.check("INCRBYFLOAT k 2.0e2", b"$4\r\n5200\r\n");
    h.check("SET k 1", b"+OK\r\n");
    h.check("INCRBYFLOAT k 1", b"$1\r\n2\r\n");
    h.enc("k", "embstr");
    h.check("INCRBYFLOAT k 0x10", b"$2\r\n18\r\n");
    h.check("INCRBYFLOAT k -0", b"$2\r\n18\r\n");
    h.check("INCRBYFLOAT z 1e-20", b"$1\r\n0\r\n");
    h.check("INCRBYFLOAT z 3", b"$1\r\n3\r\n");
    h.check(
        "INCRBYFLOAT big 1e30",
        b"$31\r\n1000000000000000000024696061952\r\n",
    );
    h.enc("big", "embstr");
    h.check(
        "INCRBYFLOAT big 1e40",
        b"$41\r\n10000000001000000000073757053179303821312\r\n",
    );
    h.enc("big", "embstr");
    h.check(
        "INCRBYFLOAT k inf",
        b"-ERR increment would produce NaN or Infinity\r\n",
    );
    h.check(
        "INCRBYFLOAT k -inf",
        b"-ERR increment would produce NaN or Infinity\r\n",
    );
    h.check("INCRBYFLOAT k nan", b"-ERR value is not a valid float\r\n");
    h.check("INCRBYFLOAT k abc", b"-ERR value is not a valid float\r\n");
    h.check_args(
        &[b"INCRBYFLOAT", b"k", b" 1"],
        b"-ERR value is not a valid float\r\n",
    );
    h.check_args(
        &[b"INCRBYFLOAT", b"k", b"1 "],
        b"-ERR value is not a valid float\r\n",
    );
    h.check_args(
        &[b"INCRBYFLOAT", b"k", b""],
        b"-ERR value is not a valid float\r\n",
    );
    h.check_args(
        &[b"INCRBYFLOAT", b"k", b"1\0"],
        b"-ERR value is not a valid float\r\n",
    );
    h.check("INCRBYFLOAT m 1.5e308", b"$309\r\n149999999999999999999901476489468468031016840965060944967133685421180106066691046036756664728216022031902928370522024964340854582506645209487860806577896175175227643677561112877760303256738896516844124921428435196017215141331511736789270744288327321353040504243421434090049846615188904452633296864511849922560\r\n");
    h.check("INCRBYFLOAT m 1.5e308", b"$309\r\n299999999999999999999802952978936936062033681930121889934267370842360212133382092073513329456432044063805856741044049928681709165013290418975721613155792350350455287355122225755520606513477793033688249842856870392034430282663023473578541488576654642706081008486842868180099693230377808905266593729023699845120\r\n");
    h.check("GET m", b"$309\r\n299999999999999999999802952978936936062033681930121889934267370842360212133382092073513329456432044063805856741044049928681709165013290418975721613155792350350455287355122225755520606513477793033688249842856870392034430282663023473578541488576654642706081008486842868180099693230377808905266593729023699845120\r\n");
    h.check("SET s abc", b"+OK\r\n");
    h.check("INCRBYFLOAT s 1", b"-ERR value is not a valid float\r\n");
    h.check_args(&[b"SET", b"s", b""], b"+OK\r\n");
    h.check("INCRBYFLOAT s 1", b"-ERR value is not a valid float\r\n");
    h.check_args(&[b"SET", b"s", b"1\0x"], b"+OK\r\n");
    h.check("INCRBYFLOAT s 1", b"-ERR value is not a valid float\r\n");
    h.dirty(15);
    h.check("SET t 1 EX 100", b"+OK\r\n");
    h.check("INCRBYFLOAT t 1", b"$1\r\n2\r\n");
    h.ttl("t", 100000);
    h.check(
        "INCRBYFLOAT",
        b"-ERR wrong number of arguments for 'incrbyfloat' command\r\n",
    );
    h.dirty(2);
}

/// APPEND creates like SET, then edits in place and the value turns raw.
#[test]
fn append_and_strlen() {
    let mut h = Session::new();
    h.check("STRLEN k", b":0\r\n");
    h.check("APPEND k 12", b":2\r\n");
    h.enc("k", "int");
    h.check("APPEND k 3", b":3\r\n");
    h.enc("k", "raw");
    h.check("GET k", b"$3\r\n123\r\n");
    h.check("STRLEN k", b":3\r\n");
    h.dirty(2);
    h.check_args(&[b"APPEND", b"e", b""], b":0\r\n");
    h.check("GET e", b"$0\r\n\r\n");
    h.check("STRLEN e", b":0\r\n");
    h.enc("e", "embstr");
    h.check_args(&[b"APPEND", b"e", b""], b":0\r\n");
    h.enc("e", "raw");
    h.dirty(2);
    h.check("SET n 1234567890123", b"+OK\r\n");
    h.check_args(&[b"APPEND", b"n", b""], b":13\r\n");
    h.enc("n", "raw");
    h.check("STRLEN n", b":13\r\n");
    h.check("SET s hello", b"+OK\r\n");
    h.check(
        "APPEND s aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        b":55\r\n",
    );
    h.check("STRLEN s", b":55\r\n");
    h.check("GETRANGE s 0 6", b"$7\r\nhelloaa\r\n");
    h.enc("s", "raw");
    h.check_args(&[b"APPEND", b"b", b"\0\r\n"], b":3\r\n");
    h.check_args(&[b"APPEND", b"b", b"\xff"], b":4\r\n");
    h.check("GET b", b"$4\r\n\0\r\n\xff\r\n");
    h.check("STRLEN b", b":4\r\n");
    h.check("SET t v EX 100", b"+OK\r\n");
    h.check("APPEND t w", b":2\r\n");
    h.ttl("t", 100000);
    h.check("SET x v PXAT 1", b"+OK\r\n");
    h.check("APPEND x w", b":1\r\n");
    h.check("GET x", b"$1\r\nw\r\n");
    h.ttl("x", -1);
    h.dirty(10);
    h.check("SET i -42", b"+OK\r\n");
    h.check("STRLEN i", b":3\r\n");
    h.check(
        "APPEND k",
        b"-ERR wrong number of arguments for 'append' command\r\n",
    );
    h.check(
        "STRLEN",
        b"-ERR wrong number of arguments for 'strlen' command\r\n",
    );
    h.check(
        "STRLEN a b",
        b"-ERR wrong number of arguments for 'strlen' command\r\n",
    );
}

/// GETRANGE/SUBSTR offsets: negative, reversed, clamped, huge, on int-encoded values.
#[test]
fn getrange_offsets() {
    let mut h = Session::new();
    h.check("GETRANGE k 0 -1", b"$0\r\n\r\n");
    h.check("SET k Hello", b"+OK\r\n");
    h.check("GETRANGE k 0 -1", b"$5\r\nHello\r\n");
    h.check("GETRANGE k 1 3", b"$3\r\nell\r\n");
    h.check("GETRANGE k -3 -1", b"$3\r\nllo\r\n");
    h.check("GETRANGE k -1 -2", b"$0\r\n\r\n");
    h.check("GETRANGE k -100 -101", b"$0\r\n\r\n");
    h.check("GETRANGE k -100 100", b"$5\r\nHello\r\n");
    h.check("GETRANGE k 4 100", b"$1\r\no\r\n");
    h.check("GETRANGE k 5 100", b"$0\r\n\r\n");
    h.check("GETRANGE k 3 2", b"$0\r\n\r\n");
    h.check("GETRANGE k -1 0", b"$0\r\n\r\n");
    h.check(
        "GETRANGE k -9223372036854775808 9223372036854775807",
        b"$5\r\nHello\r\n",
    );
    h.check("GETRANGE k 9223372036854775807 -1", b"$0\r\n\r\n");
    h.check("SUBSTR k 1 -2", b"$3\r\nell\r\n");
    h.check("SUBSTR k -2 -1", b"$2\r\nlo\r\n");
    h.check(
        "GETRANGE k a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "GETRANGE k 1 a",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "GETRANGE k -0 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "GETRANGE nokey a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("GETRANGE nokey 0 5", b"$0\r\n\r\n");
    h.check("SET n -12345", b"+OK\r\n");
    h.check("GETRANGE n 0 1", b"$2\r\n-1\r\n");
    h.check("GETRANGE n -3 -1", b"$3\r\n345\r\n");
    h.check_args(&[b"SET", b"e", b""], b"+OK\r\n");
    h.check("GETRANGE e 0 -1", b"$0\r\n\r\n");
    h.check("GETRANGE e -1 0", b"$0\r\n\r\n");
    h.check(
        "GETRANGE k 1",
        b"-ERR wrong number of arguments for 'getrange' command\r\n",
    );
    h.check(
        "SUBSTR k 1 2 3",
        b"-ERR wrong number of arguments for 'substr' command\r\n",
    );
}

/// SETRANGE: zero padding, empty writes, offset and size limits, encodings.
#[test]
fn setrange_writes() {
    let mut h = Session::new();
    h.check("SETRANGE k 0 hello", b":5\r\n");
    h.check("GET k", b"$5\r\nhello\r\n");
    h.enc("k", "raw");
    h.check("SETRANGE k 3 XYZW", b":7\r\n");
    h.check("GET k", b"$7\r\nhelXYZW\r\n");
    h.check("SETRANGE k 9 end", b":12\r\n");
    h.check("GET k", b"$12\r\nhelXYZW\0\0end\r\n");
    h.dirty(3);
    h.check_args(&[b"SETRANGE", b"k", b"0", b""], b":12\r\n");
    h.check_args(&[b"SETRANGE", b"k", b"1000", b""], b":12\r\n");
    h.check_args(&[b"SETRANGE", b"nokey", b"5", b""], b":0\r\n");
    h.check("GET nokey", b"$-1\r\n");
    h.dirty(0);
    h.check("SETRANGE pad 3 ab", b":5\r\n");
    h.check("GET pad", b"$5\r\n\0\0\0ab\r\n");
    h.enc("pad", "raw");
    h.check("SET n 12345", b"+OK\r\n");
    h.check_args(&[b"SETRANGE", b"n", b"0", b""], b":5\r\n");
    h.enc("n", "int");
    h.check("SETRANGE n 0 9", b":5\r\n");
    h.enc("n", "raw");
    h.check("GET n", b"$5\r\n92345\r\n");
    h.check("SETRANGE k -1 x", b"-ERR offset is out of range\r\n");
    h.check(
        "SETRANGE k abc x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "SETRANGE k 1.5 x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check(
        "SETRANGE k 536870912 x",
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    h.check(
        "SETRANGE k 9223372036854775807 x",
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    h.check(
        "SETRANGE new 536870912 x",
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    h.check(
        "SETRANGE k 1",
        b"-ERR wrong number of arguments for 'setrange' command\r\n",
    );
    h.dirty(3);
    h.check("SET t v EX 100", b"+OK\r\n");
    h.check("SETRANGE t 0 w", b":1\r\n");
    h.ttl("t", 100000);
    h.check("SET x abc PXAT 1", b"+OK\r\n");
    h.check("SETRANGE x 1 z", b":2\r\n");
    h.check("GET x", b"$2\r\n\0z\r\n");
    h.dirty(4);
}

/// proto-max-bulk-len bounds APPEND and SETRANGE.
#[test]
fn size_limit_follows_config() {
    let mut h = Session::new();
    h.check("CONFIG SET proto-max-bulk-len 1048576", b"+OK\r\n");
    h.check("SETRANGE k 1048575 x", b":1048576\r\n");
    h.check(
        "SETRANGE k 1048576 x",
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    h.check(
        "APPEND k y",
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    h.check("STRLEN k", b":1048576\r\n");
    h.check("SETRANGE k 1048574 xy", b":1048576\r\n");
    h.check(
        "SETRANGE k 1048575 xy",
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    h.check("SET small abc", b"+OK\r\n");
    h.check("APPEND small x", b":4\r\n");
    h.dirty(4);
}

/// LCS: plain, LEN, IDX with MINMATCHLEN and WITHMATCHLEN, and its errors.
#[test]
fn lcs_variants() {
    let mut h = Session::new();
    h.check("MSET a ohmytext b mynewtext", b"+OK\r\n");
    h.check("LCS a b", b"$6\r\nmytext\r\n");
    h.check("LCS a b LEN", b":6\r\n");
    h.check("LCS a b IDX", b"*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
    h.check("LCS a b IDX MINMATCHLEN 4", b"*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n");
    h.check("LCS a b IDX WITHMATCHLEN", b"*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
    h.check("LCS a b idx minmatchlen -5 withmatchlen", b"*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
    h.check("LCS b a IDX", b"*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:5\r\n:8\r\n*2\r\n:4\r\n:7\r\n*2\r\n*2\r\n:0\r\n:1\r\n*2\r\n:2\r\n:3\r\n$3\r\nlen\r\n:6\r\n");
    h.check("LCS a nokey", b"$0\r\n\r\n");
    h.check(
        "LCS a nokey IDX",
        b"*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n",
    );
    h.check("LCS nokey nokey2 LEN", b":0\r\n");
    h.check(
        "LCS a b LEN IDX",
        b"-ERR If you want both the length and indexes, please just use IDX.\r\n",
    );
    h.check("LCS a b MINMATCHLEN", b"-ERR syntax error\r\n");
    h.check(
        "LCS a b MINMATCHLEN x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("LCS a b FOO", b"-ERR syntax error\r\n");
    h.check("LCS a b LEN LEN", b":6\r\n");
    h.check(
        "LCS a",
        b"-ERR wrong number of arguments for 'lcs' command\r\n",
    );
    h.check("MSET x 12345 y 2x4", b"+OK\r\n");
    h.check("LCS x y IDX WITHMATCHLEN", b"*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:3\r\n:3\r\n*2\r\n:2\r\n:2\r\n:1\r\n*3\r\n*2\r\n:1\r\n:1\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:2\r\n");
    h.check("MSET x aaaa y aa", b"+OK\r\n");
    h.check("LCS x y IDX", b"*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:2\r\n");
    h.check("LCS x x IDX", b"*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:0\r\n:3\r\n*2\r\n:0\r\n:3\r\n$3\r\nlen\r\n:4\r\n");
    h.check(
        "MSET x ACCGGTCGAGTGCGCGGAAGCCGGCCGAA y GTCGTTCGGAATGCCGTTGCTCTGTAAA",
        b"+OK\r\n",
    );
    h.check("LCS x y", b"$20\r\nGTCGTCGGAAGCCGGCCGAA\r\n");
    h.check("LCS x y IDX MINMATCHLEN 3 WITHMATCHLEN", b"*4\r\n$7\r\nmatches\r\n*3\r\n*3\r\n*2\r\n:19\r\n:22\r\n*2\r\n:12\r\n:15\r\n:4\r\n*3\r\n*2\r\n:14\r\n:18\r\n*2\r\n:6\r\n:10\r\n:5\r\n*3\r\n*2\r\n:4\r\n:6\r\n*2\r\n:0\r\n:2\r\n:3\r\n$3\r\nlen\r\n:20\r\n");
    h.check("CONFIG SET proto-max-bulk-len 1048576", b"+OK\r\n");
    h.check("SET x xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", b"+OK\r\n");
    h.check("SET y yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", b"+OK\r\n");
    h.check(
        "LCS x y LEN",
        b"-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n",
    );
    h.check(
        "LCS x y LEN IDX",
        b"-ERR If you want both the length and indexes, please just use IDX.\r\n",
    );
    h.dirty(10);
    h.resp3();
    h.check("LCS a b IDX WITHMATCHLEN", b"%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
}
