//! Tests of the set operations, pops, ZRANDMEMBER and ZSCAN. Every
//! expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// ZUNION/ZINTER/ZDIFF with WEIGHTS, AGGREGATE and WITHSCORES; NaN from inf*0; numkeys errors.
#[test]
fn union_inter_diff() {
    let mut h = Session::new();
    h.check("ZADD a 1 x 2 y 3 z", b":3\r\n");
    h.check("ZADD b 10 y 20 z 30 w", b":3\r\n");
    h.check("ZUNION 2 a b WITHSCORES", b"*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n");
    h.check(
        "ZINTER 2 a b WITHSCORES",
        b"*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n",
    );
    h.check("ZDIFF 2 a b WITHSCORES", b"*2\r\n$1\r\nx\r\n$1\r\n1\r\n");
    h.check("ZDIFF 1 a", b"*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n");
    h.check("ZUNION 2 a b WEIGHTS 2 0.5 WITHSCORES", b"*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n9\r\n$1\r\nw\r\n$2\r\n15\r\n$1\r\nz\r\n$2\r\n16\r\n");
    h.check("ZUNION 2 a b AGGREGATE MIN WITHSCORES", b"*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$2\r\n30\r\n");
    h.check(
        "ZINTER 2 a b AGGREGATE MAX WITHSCORES",
        b"*4\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n",
    );
    h.check(
        "ZUNION 0 a",
        b"-ERR at least 1 input key is needed for 'zunion' command\r\n",
    );
    h.check(
        "ZUNION -1 a",
        b"-ERR at least 1 input key is needed for 'zunion' command\r\n",
    );
    h.check("ZUNION 3 a b", b"-ERR syntax error\r\n");
    h.check("ZUNION 2 a b WEIGHTS 1", b"-ERR syntax error\r\n");
    h.check(
        "ZUNION 2 a b WEIGHTS 1 x",
        b"-ERR weight value is not a float\r\n",
    );
    h.check("ZUNION 2 a b AGGREGATE foo", b"-ERR syntax error\r\n");
    h.check("ZUNION 2 a b FOO", b"-ERR syntax error\r\n");
    h.check("ZDIFF 2 a b WEIGHTS 1 2", b"-ERR syntax error\r\n");
    h.check("ZDIFF 2 a b AGGREGATE SUM", b"-ERR syntax error\r\n");
    h.check("ZADD i inf x", b":1\r\n");
    h.check(
        "ZUNION 2 a i WEIGHTS 0 1 WITHSCORES",
        b"*6\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nx\r\n$3\r\ninf\r\n",
    );
    h.check("ZADD ni -inf x", b":1\r\n");
    h.check("ZUNION 2 i ni WITHSCORES", b"*2\r\n$1\r\nx\r\n$1\r\n0\r\n");
    h.check(
        "ZUNION 2 nokey a WITHSCORES",
        b"*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n",
    );
    h.check("ZINTER 2 nokey a", b"*0\r\n");
    h.check("SET str v", b"+OK\r\n");
    h.check(
        "ZUNION 2 a str",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check("ZINTERCARD 2 a b", b":2\r\n");
    h.check("ZINTERCARD 2 a b LIMIT 1", b":1\r\n");
    h.check("ZINTERCARD 2 a b LIMIT 0", b":2\r\n");
    h.check(
        "ZINTERCARD 2 a b LIMIT -1",
        b"-ERR LIMIT can't be negative\r\n",
    );
    h.check(
        "ZINTERCARD 0 a",
        b"-ERR at least 1 input key is needed for 'zintercard' command\r\n",
    );
    h.check("ZINTERCARD 2 a", b"-ERR syntax error\r\n");
    h.check("ZINTERCARD 1 a FOO", b"-ERR syntax error\r\n");
    h.check(
        "ZINTERCARD 1 str",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.resp3();
    h.check("ZUNION 2 a b WITHSCORES", b"*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n*2\r\n$1\r\nw\r\n,30\r\n");
    h.check("ZDIFF 2 a b", b"*1\r\n$1\r\nx\r\n");
}

/// ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE replies, empty results deleting the destination, WRONGTYPE.
#[test]
fn store_forms() {
    let mut h = Session::new();
    h.check("ZADD a 1 x 2 y 3 z", b":3\r\n");
    h.check("ZADD b 10 y 20 z 30 w", b":3\r\n");
    h.check("ZUNIONSTORE d 2 a b WEIGHTS 1 2 AGGREGATE MAX", b":4\r\n");
    h.check("ZRANGE d 0 -1 WITHSCORES", b"*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n20\r\n$1\r\nz\r\n$2\r\n40\r\n$1\r\nw\r\n$2\r\n60\r\n");
    h.check("ZINTERSTORE d 2 a b", b":2\r\n");
    h.check(
        "ZRANGE d 0 -1 WITHSCORES",
        b"*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n",
    );
    h.check("ZDIFFSTORE d 2 a b", b":1\r\n");
    h.check("ZRANGE d 0 -1 WITHSCORES", b"*2\r\n$1\r\nx\r\n$1\r\n1\r\n");
    h.check("ZINTERSTORE d 2 a nokey", b":0\r\n");
    h.check("EXISTS d", b":0\r\n");
    h.check(
        "ZUNIONSTORE d 0 a",
        b"-ERR at least 1 input key is needed for 'zunionstore' command\r\n",
    );
    h.check(
        "ZDIFFSTORE d 0 a",
        b"-ERR at least 1 input key is needed for 'zdiffstore' command\r\n",
    );
    h.check("ZINTERSTORE d 1 a WITHSCORES", b"-ERR syntax error\r\n");
    h.check("ZUNIONSTORE a 2 a b", b":4\r\n");
    h.check("ZRANGE a 0 -1 WITHSCORES", b"*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n");
    h.check("SET str v", b"+OK\r\n");
    h.check("ZUNIONSTORE str 1 b", b":3\r\n");
    h.check("TYPE str", b"+zset\r\n");
    h.check("ZDIFFSTORE d 1 str", b":3\r\n");
}

/// ZPOPMIN/ZPOPMAX/ZMPOP counts and replies in both protocols; ZRANDMEMBER argument errors.
#[test]
fn pops_and_random() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c 4 d 5 e", b":5\r\n");
    h.check("ZPOPMIN z", b"*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    h.check("ZPOPMAX z", b"*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    h.check(
        "ZPOPMIN z 2",
        b"*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    h.check("ZPOPMIN z 0", b"*0\r\n");
    h.check(
        "ZPOPMIN z -1",
        b"-ERR value is out of range, must be positive\r\n",
    );
    h.check(
        "ZPOPMIN z x",
        b"-ERR value is out of range, must be positive\r\n",
    );
    h.check("ZPOPMIN nokey", b"*0\r\n");
    h.check("ZPOPMIN nokey 2", b"*0\r\n");
    h.check("ZPOPMAX z 10", b"*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    h.check("EXISTS z", b":0\r\n");
    h.check("ZADD z 1 a 2 b 3 c", b":3\r\n");
    h.check(
        "ZMPOP 1 z MIN",
        b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    h.check(
        "ZMPOP 2 nokey z MAX COUNT 5",
        b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
    h.check("ZMPOP 1 z MIN", b"*-1\r\n");
    h.check(
        "ZMPOP 0 z MIN",
        b"-ERR numkeys should be greater than 0\r\n",
    );
    h.check(
        "ZMPOP 1 z",
        b"-ERR wrong number of arguments for 'zmpop' command\r\n",
    );
    h.check(
        "ZMPOP 1 z MIN COUNT 0",
        b"-ERR count should be greater than 0\r\n",
    );
    h.check("ZMPOP 1 z FOO", b"-ERR syntax error\r\n");
    h.check(
        "ZMPOP 1 z MIN COUNT -1",
        b"-ERR count should be greater than 0\r\n",
    );
    h.check("ZMPOP 1 z MIN COUNT 1 COUNT 2", b"-ERR syntax error\r\n");
    h.check("ZMPOP 2 z MIN", b"-ERR syntax error\r\n");
    h.check("ZADD z 1 a", b":1\r\n");
    h.check("ZRANDMEMBER z", b"$1\r\na\r\n");
    h.check(
        "ZRANDMEMBER z 1 WITHSCORES",
        b"*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    h.check(
        "ZRANDMEMBER z -2 WITHSCORES",
        b"*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    h.check("ZRANDMEMBER z 0", b"*0\r\n");
    h.check("ZRANDMEMBER nokey", b"$-1\r\n");
    h.check("ZRANDMEMBER nokey 5", b"*0\r\n");
    h.check(
        "ZRANDMEMBER z x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("ZRANDMEMBER z 1 FOO", b"-ERR syntax error\r\n");
    h.check("ZRANDMEMBER z -9223372036854775808", b"-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n");
    h.check(
        "ZRANDMEMBER z -4611686018427387904 WITHSCORES",
        b"-ERR value is out of range\r\n",
    );
    h.resp3();
    h.check("ZADD z 1 a 2 b 3 c", b":2\r\n");
    h.check("ZPOPMIN z", b"*2\r\n$1\r\na\r\n,1\r\n");
    h.check("ZPOPMIN z 1", b"*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
    h.check("ZPOPMAX z 5", b"*1\r\n*2\r\n$1\r\nc\r\n,3\r\n");
    h.check("ZPOPMIN nokey", b"*0\r\n");
    h.check("ZADD z 1 a", b":1\r\n");
    h.check(
        "ZMPOP 1 z MAX",
        b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n",
    );
    h.check("ZMPOP 1 z MAX", b"_\r\n");
    h.check("ZADD z 1 a", b":1\r\n");
    h.check(
        "ZRANDMEMBER z 1 WITHSCORES",
        b"*1\r\n*2\r\n$1\r\na\r\n,1\r\n",
    );
    h.check("ZRANDMEMBER z 2", b"*1\r\n$1\r\na\r\n");
    h.check("ZRANDMEMBER nokey 1", b"*0\r\n");
}

/// ZSCAN on a listpack returns everything with cursor 0; MATCH, COUNT and cursor errors.
#[test]
fn zscan_small_and_errors() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c", b":3\r\n");
    h.check("ZSCAN z 0", b"*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    h.check(
        "ZSCAN z 0 MATCH a*",
        b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    h.check("ZSCAN z 0 COUNT 1", b"*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    h.check("ZSCAN z 0 COUNT 0", b"-ERR syntax error\r\n");
    h.check("ZSCAN z x", b"-ERR invalid cursor\r\n");
    h.check("ZSCAN z 0 FOO", b"-ERR syntax error\r\n");
    h.check("ZSCAN nokey 0", b"*2\r\n$1\r\n0\r\n*0\r\n");
    h.check("ZSCAN z 0 MATCH", b"-ERR syntax error\r\n");
    h.check("SET s v", b"+OK\r\n");
    h.check(
        "ZSCAN s 0",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.resp3();
    h.check("ZSCAN z 0", b"*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
}
