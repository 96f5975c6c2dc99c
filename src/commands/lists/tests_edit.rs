//! Tests for reading and editing in place. Every expected reply and
//! dirty count here was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// LLEN, LRANGE, LINDEX and LPOS with every option and edge index.
#[test]
fn reads_llen_lrange_lindex_lpos() {
    let mut s = Session::new();
    s.check("rpush l a b c 1 2 3 a b c", b":9\r\n");
    s.check("llen l", b":9\r\n");
    // LRANGE: negative indexes from the tail, clamped ends, empty ranges.
    s.check("lrange l 0 -1", b"*9\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check("lrange l -3 -1", b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check("lrange l 2 4", b"*3\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\n2\r\n");
    s.check("lrange l -100 1", b"*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    s.check("lrange l 7 100", b"*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check("lrange l 5 4", b"*0\r\n");
    s.check("lrange l 9 9", b"*0\r\n");
    s.check("lrange l -1 -2", b"*0\r\n");
    s.check("lrange l 0 -10", b"*0\r\n");
    s.check("lrange l 0 -9", b"*1\r\n$1\r\na\r\n");
    s.check("lrange l -9223372036854775808 9223372036854775807", b"*9\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check(
        "lrange l 9223372036854775807 -9223372036854775808",
        b"*0\r\n",
    );
    s.check(
        "lrange l a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "lrange l 0 1.0",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "lrange nokey x 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check_args(
        &[b"lrange", b"l", b"", b"1"],
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("set s v", b"+OK\r\n");
    s.check(
        "lrange s 0 -1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lrange s x 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    // LINDEX: the key before the index.
    s.check("lindex l 0", b"$1\r\na\r\n");
    s.check("lindex l 8", b"$1\r\nc\r\n");
    s.check("lindex l 9", b"$-1\r\n");
    s.check("lindex l -1", b"$1\r\nc\r\n");
    s.check("lindex l -9", b"$1\r\na\r\n");
    s.check("lindex l -10", b"$-1\r\n");
    s.check("lindex l 3", b"$1\r\n1\r\n");
    s.check("lindex l -9223372036854775808", b"$-1\r\n");
    s.check(
        "lindex l x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("lindex nokey x", b"$-1\r\n");
    s.check(
        "lindex s x",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "llen s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check("llen nokey", b":0\r\n");
    s.check(
        "llen l extra",
        b"-ERR wrong number of arguments for 'llen' command\r\n",
    );
    // LPOS: RANK, COUNT, MAXLEN in any order and case.
    s.check("lpos l a", b":0\r\n");
    s.check("lpos l c", b":2\r\n");
    s.check("lpos l 3", b":5\r\n");
    s.check("lpos l 03", b"$-1\r\n");
    s.check("lpos l nosuch", b"$-1\r\n");
    s.check("lpos l a rank 2", b":6\r\n");
    s.check("lpos l a rank 3", b"$-1\r\n");
    s.check("lpos l a rank -1", b":6\r\n");
    s.check("lpos l a rank -2", b":0\r\n");
    s.check("lpos l a count 0", b"*2\r\n:0\r\n:6\r\n");
    s.check("lpos l a count 1", b"*1\r\n:0\r\n");
    s.check("lpos l a count 5 rank -1", b"*2\r\n:6\r\n:0\r\n");
    s.check("lpos l a COUNT 0 MAXLEN 5", b"*1\r\n:0\r\n");
    s.check("lpos l a count 0 maxlen 6", b"*1\r\n:0\r\n");
    s.check("lpos l c RANK -1 MAXLEN 1", b":8\r\n");
    s.check("lpos l c RANK -1 MAXLEN 2 COUNT 0", b"*1\r\n:8\r\n");
    s.check("lpos l a RANK 2 COUNT 0", b"*1\r\n:6\r\n");
    s.check("lpos l b RANK -9223372036854775808", b":7\r\n");
    s.check(
        "lpos l b RANK -9223372036854775808 COUNT 1",
        b"*2\r\n:7\r\n:1\r\n",
    );
    s.check("lpos l b RANK 9223372036854775807 COUNT 0", b"*0\r\n");
    s.check("lpos l a rank 0", b"-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    s.check(
        "lpos l a rank x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("lpos l a count -1", b"-ERR COUNT can't be negative\r\n");
    s.check("lpos l a count x", b"-ERR COUNT can't be negative\r\n");
    s.check("lpos l a maxlen -1", b"-ERR MAXLEN can't be negative\r\n");
    s.check("lpos l a maxlen x", b"-ERR MAXLEN can't be negative\r\n");
    s.check("lpos l a rank", b"-ERR syntax error\r\n");
    s.check("lpos l a count", b"-ERR syntax error\r\n");
    s.check("lpos l a foo 1", b"-ERR syntax error\r\n");
    s.check("lpos l a rank 1 rank 0", b"-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    s.check("lpos nokey a", b"$-1\r\n");
    s.check("lpos nokey a count 2", b"*0\r\n");
    s.check("lpos nokey a rank 0", b"-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    s.check(
        "lpos s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check("lpos s a rank 0", b"-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    s.check(
        "lpos s a count 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    assert_eq!(s.hits_misses(), (47, 4));
    s.resp3();
    s.check("lpos nokey a", b"_\r\n");
    s.check("lpos l nosuch", b"_\r\n");
    s.check("lindex l 100", b"_\r\n");
    s.check("lrange nokey 0 1", b"*0\r\n");
}

/// LSET, LINSERT, LREM and LTRIM, their errors and dirty counts.
#[test]
fn edits_lset_linsert_lrem_ltrim() {
    let mut s = Session::new();
    s.check("rpush l a b c 1 2 3", b":6\r\n");
    // LSET: the key, then the index; negative indexes from the tail.
    s.check("lset l 0 A", b"+OK\r\n");
    s.check("lset l -1 THREE", b"+OK\r\n");
    s.check("lset l 3 100000", b"+OK\r\n");
    s.dirty(9);
    s.check(
        "lrange l 0 -1",
        b"*6\r\n$1\r\nA\r\n$1\r\nb\r\n$1\r\nc\r\n$6\r\n100000\r\n$1\r\n2\r\n$5\r\nTHREE\r\n",
    );
    s.check("lset l 6 x", b"-ERR index out of range\r\n");
    s.check("lset l -7 x", b"-ERR index out of range\r\n");
    s.check(
        "lset l x x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("lset nokey 0 x", b"-ERR no such key\r\n");
    s.check("lset nokey x x", b"-ERR no such key\r\n");
    s.check("set s v", b"+OK\r\n");
    s.check(
        "lset s 0 x",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lset s x x",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.dirty(1);
    // LINSERT: the first pivot from the head, integers compare as text.
    s.check("linsert l before A first", b":7\r\n");
    s.check("linsert l after THREE last", b":8\r\n");
    s.check("linsert l BEFORE 100000 mid", b":9\r\n");
    s.check("linsert l after 0100000 x", b":-1\r\n");
    s.check("linsert l after nosuch x", b":-1\r\n");
    s.dirty(3);
    s.check("lrange l 0 -1", b"*9\r\n$5\r\nfirst\r\n$1\r\nA\r\n$1\r\nb\r\n$1\r\nc\r\n$3\r\nmid\r\n$6\r\n100000\r\n$1\r\n2\r\n$5\r\nTHREE\r\n$4\r\nlast\r\n");
    s.check("linsert l middle A x", b"-ERR syntax error\r\n");
    s.check("linsert nokey middle A x", b"-ERR syntax error\r\n");
    s.check("linsert nokey before A x", b":0\r\n");
    s.check(
        "linsert s before A x",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check("linsert s middle A x", b"-ERR syntax error\r\n");
    // LREM: 0 removes all, N the first N, -N the last N.
    s.check("rpush r a b a c a b a", b":7\r\n");
    s.check("lrem r 1 a", b":1\r\n");
    s.check(
        "lrange r 0 -1",
        b"*6\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\na\r\n",
    );
    s.check("lrem r -1 a", b":1\r\n");
    s.check(
        "lrange r 0 -1",
        b"*5\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n",
    );
    s.check("lrem r 0 b", b":2\r\n");
    s.check("lrange r 0 -1", b"*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\na\r\n");
    s.check("lrem r 0 nosuch", b":0\r\n");
    s.dirty(11);
    s.check("lrem r -9223372036854775808 a", b":2\r\n");
    s.check("exists r", b":1\r\n");
    s.check("lrem r 0 a", b":0\r\n");
    s.check(
        "lrem r x a",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "lrem nokey x a",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("lrem nokey 0 a", b":0\r\n");
    s.check(
        "lrem s 0 a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lrem s x a",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("rpush n 1 01 1 -0 0", b":5\r\n");
    s.check("lrem n 0 1", b":2\r\n");
    s.check(
        "lrange n 0 -1",
        b"*3\r\n$2\r\n01\r\n$2\r\n-0\r\n$1\r\n0\r\n",
    );
    s.check("lrem n 0 0", b":1\r\n");
    s.check("lrange n 0 -1", b"*2\r\n$2\r\n01\r\n$2\r\n-0\r\n");
    s.dirty(10);
    // LTRIM: keeps what LRANGE would give; dirty counts removed elements.
    s.check("rpush t 0 1 2 3 4 5 6 7 8 9", b":10\r\n");
    s.check("ltrim t 1 -2", b"+OK\r\n");
    s.check("lrange t 0 -1", b"*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n");
    s.dirty(12);
    s.check("ltrim t 0 -1", b"+OK\r\n");
    s.check("ltrim t -100 100", b"+OK\r\n");
    s.dirty(0);
    s.check("ltrim t -3 -2", b"+OK\r\n");
    s.check("lrange t 0 -1", b"*2\r\n$1\r\n6\r\n$1\r\n7\r\n");
    s.dirty(6);
    s.check("ltrim t 5 2", b"+OK\r\n");
    s.check("exists t", b":0\r\n");
    s.dirty(2);
    s.check("ltrim t 0 1", b"+OK\r\n");
    s.check(
        "ltrim nokey x 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "ltrim t x 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "ltrim s 0 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "ltrim s x 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("rpush t2 a b c", b":3\r\n");
    s.check(
        "ltrim t2 -9223372036854775808 9223372036854775807",
        b"+OK\r\n",
    );
    s.check(
        "ltrim t2 9223372036854775807 -9223372036854775808",
        b"+OK\r\n",
    );
    s.check("exists t2", b":0\r\n");
    s.dirty(6);
}
