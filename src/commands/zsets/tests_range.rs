//! Tests of ZRANGE in all its forms, ZCOUNT, ZLEXCOUNT, ZRANGESTORE and
//! ZREMRANGEBY*. Every expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// ZRANGE by rank: negative and out-of-range indexes, REV, WITHSCORES, ZREVRANGE, argument errors.
#[test]
fn range_by_rank() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c 4 d 5 e", b":5\r\n");
    h.check(
        "ZRANGE z 0 -1",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check(
        "ZRANGE z -2 -1 WITHSCORES",
        b"*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n",
    );
    h.check(
        "ZRANGE z 1 100",
        b"*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check("ZRANGE z 3 1", b"*0\r\n");
    h.check("ZRANGE z -100 1", b"*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    h.check("ZRANGE z 5 10", b"*0\r\n");
    h.check("ZRANGE z 0 0 REV", b"*1\r\n$1\r\ne\r\n");
    h.check(
        "ZRANGE z 0 1 REV WITHSCORES",
        b"*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n",
    );
    h.check(
        "ZREVRANGE z 0 -1",
        b"*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n",
    );
    h.check(
        "ZREVRANGE z 1 2 WITHSCORES",
        b"*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    h.check("ZRANGE z 0 -1 LIMIT 0 1", b"-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
    h.check(
        "ZRANGE z a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("ZRANGE z 0 1 WITHSCORES x", b"-ERR syntax error\r\n");
    h.check(
        "ZRANGE z 0",
        b"-ERR wrong number of arguments for 'zrange' command\r\n",
    );
    h.check("ZRANGE nokey 0 -1", b"*0\r\n");
    h.check(
        "ZRANGE z 0 9223372036854775807",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check("ZRANGE z -9223372036854775808 0", b"*1\r\n$1\r\na\r\n");
    h.check("ZRANGE z 0 1 BYSCORE BYLEX", b"-ERR syntax error\r\n");
    h.check("ZREVRANGE z 0 1 REV", b"-ERR syntax error\r\n");
    h.resp3();
    h.check(
        "ZRANGE z 0 1 WITHSCORES",
        b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n",
    );
    h.check(
        "ZREVRANGE z 0 0 WITHSCORES",
        b"*1\r\n*2\r\n$1\r\ne\r\n,5\r\n",
    );
}

/// Score ranges: exclusive bounds, infinities, LIMIT, REV, and Redis's bound parsing errors.
#[test]
fn range_by_score() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c 4 d 5 e -inf m inf p", b":7\r\n");
    h.check(
        "ZRANGE z 2 4 BYSCORE",
        b"*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n",
    );
    h.check(
        "ZRANGE z (2 4 BYSCORE WITHSCORES",
        b"*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
    );
    h.check("ZRANGE z (2 (4 BYSCORE", b"*1\r\n$1\r\nc\r\n");
    h.check(
        "ZRANGE z -inf +inf BYSCORE",
        b"*7\r\n$1\r\nm\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\np\r\n",
    );
    h.check(
        "ZRANGE z 4 2 BYSCORE REV",
        b"*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n",
    );
    h.check("ZRANGE z (4 2 BYSCORE REV", b"*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
    h.check(
        "ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2",
        b"*2\r\n$1\r\ne\r\n$1\r\nd\r\n",
    );
    h.check(
        "ZRANGE z -inf +inf BYSCORE LIMIT 2 -1",
        b"*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\np\r\n",
    );
    h.check("ZRANGE z -inf +inf BYSCORE LIMIT -1 2", b"*0\r\n");
    h.check("ZRANGE z -inf +inf BYSCORE LIMIT 0 0", b"*0\r\n");
    h.check("ZRANGEBYSCORE z 2 3", b"*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    h.check(
        "ZRANGEBYSCORE z 2 3 WITHSCORES LIMIT 1 1",
        b"*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    h.check("ZREVRANGEBYSCORE z 3 2", b"*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
    h.check(
        "ZREVRANGEBYSCORE z +inf (4 WITHSCORES",
        b"*4\r\n$1\r\np\r\n$3\r\ninf\r\n$1\r\ne\r\n$1\r\n5\r\n",
    );
    h.check("ZRANGEBYSCORE z x 3", b"-ERR min or max is not a float\r\n");
    h.check(
        "ZRANGEBYSCORE z 1 (x",
        b"-ERR min or max is not a float\r\n",
    );
    h.check(
        "ZRANGEBYSCORE z nan 3",
        b"-ERR min or max is not a float\r\n",
    );
    h.check(
        "ZRANGEBYSCORE z ( 3",
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    h.check("ZRANGEBYSCORE z 1 3 LIMIT 1", b"-ERR syntax error\r\n");
    h.check(
        "ZRANGEBYSCORE z 1 3 LIMIT a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("ZRANGEBYSCORE z 1 3 FOO", b"-ERR syntax error\r\n");
    h.check("ZRANGEBYSCORE z 1 3 REV", b"-ERR syntax error\r\n");
    h.check("ZCOUNT z 2 4", b":3\r\n");
    h.check("ZCOUNT z (2 +inf", b":4\r\n");
    h.check("ZCOUNT z -inf +inf", b":7\r\n");
    h.check("ZCOUNT z 4 2", b":0\r\n");
    h.check("ZCOUNT z x 1", b"-ERR min or max is not a float\r\n");
    h.check("ZCOUNT nokey 1 2", b":0\r\n");
    h.check(
        "ZRANGEBYSCORE z 0x1 3",
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    h.check("ZRANGEBYSCORE z 1e400 3", b"*0\r\n");
    h.check(
        "ZRANGEBYSCORE z -inf inf",
        b"*7\r\n$1\r\nm\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\np\r\n",
    );
    h.check(
        "ZRANGEBYSCORE z (-inf (inf",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check("ZRANGE z 2 4 LIMIT 0 1", b"-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
    h.check(
        "ZRANGE z (1 4 BYSCORE LIMIT 0 1 WITHSCORES",
        b"*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
}

/// Lex ranges: [ ( - + bounds, invalid bounds, LIMIT, REV, ZLEXCOUNT.
#[test]
fn range_by_lex() {
    let mut h = Session::new();
    h.check("ZADD z 0 a 0 b 0 c 0 d 0 e", b":5\r\n");
    h.check(
        "ZRANGE z [b [d BYLEX",
        b"*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n",
    );
    h.check("ZRANGE z (b (d BYLEX", b"*1\r\n$1\r\nc\r\n");
    h.check(
        "ZRANGE z - + BYLEX",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check(
        "ZRANGE z + - BYLEX REV",
        b"*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n",
    );
    h.check(
        "ZRANGE z [d [b BYLEX REV LIMIT 1 5",
        b"*2\r\n$1\r\nc\r\n$1\r\nb\r\n",
    );
    h.check(
        "ZRANGE z - + BYLEX LIMIT 1 2",
        b"*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    h.check(
        "ZRANGEBYLEX z - [c",
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    h.check("ZRANGEBYLEX z (c +", b"*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    h.check(
        "ZREVRANGEBYLEX z [c -",
        b"*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n",
    );
    h.check(
        "ZRANGEBYLEX z a c",
        b"-ERR min or max not valid string range item\r\n",
    );
    h.check(
        "ZRANGEBYLEX z [a c",
        b"-ERR min or max not valid string range item\r\n",
    );
    h.check(
        "ZRANGEBYLEX z - + WITHSCORES",
        b"-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n",
    );
    h.check(
        "ZRANGE z - + BYLEX WITHSCORES",
        b"-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n",
    );
    h.check("ZLEXCOUNT z - +", b":5\r\n");
    h.check("ZLEXCOUNT z [b (d", b":2\r\n");
    h.check(
        "ZLEXCOUNT z x +",
        b"-ERR min or max not valid string range item\r\n",
    );
    h.check("ZLEXCOUNT z + -", b":0\r\n");
    h.check("ZLEXCOUNT nokey - +", b":0\r\n");
    h.check(
        "ZRANGEBYLEX z [ +",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check(
        "ZRANGEBYLEX z ( +",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check(
        "ZRANGEBYLEX z - + LIMIT 0 -1",
        b"*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    h.check("ZRANGEBYLEX z - + LIMIT 2", b"-ERR syntax error\r\n");
    h.check("ZRANGEBYLEX nokey - +", b"*0\r\n");
    h.check(
        "ZRANGEBYLEX z +a +",
        b"-ERR min or max not valid string range item\r\n",
    );
}

/// ZRANGESTORE's reply and destination, ZREMRANGEBY* by rank, score and lex.
#[test]
fn rangestore_and_removal() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c 4 d 5 e", b":5\r\n");
    h.check("ZRANGESTORE d z 1 3", b":3\r\n");
    h.check(
        "ZRANGE d 0 -1 WITHSCORES",
        b"*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
    );
    h.check("ZRANGESTORE d z 10 20", b":0\r\n");
    h.check("EXISTS d", b":0\r\n");
    h.check("ZRANGESTORE d z (1 3 BYSCORE REV", b":0\r\n");
    h.check("ZRANGESTORE d z 3 (1 BYSCORE REV", b":2\r\n");
    h.check(
        "ZRANGE d 0 -1 WITHSCORES",
        b"*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    h.check("ZRANGESTORE d z - + BYLEX LIMIT 1 1", b":1\r\n");
    h.check("ZRANGESTORE d z 0 -1 WITHSCORES", b"-ERR syntax error\r\n");
    h.check("ZRANGESTORE d nokey 0 -1", b":0\r\n");
    h.check("EXISTS d", b":0\r\n");
    h.check("SET s v", b"+OK\r\n");
    h.check("ZRANGESTORE s z 0 0", b":1\r\n");
    h.check("TYPE s", b"+zset\r\n");
    h.check("ZRANGESTORE d s 0 0", b":1\r\n");
    h.check("ZREMRANGEBYRANK z 1 2", b":2\r\n");
    h.check("ZRANGE z 0 -1", b"*3\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n");
    h.check("ZREMRANGEBYRANK z 5 10", b":0\r\n");
    h.check("ZREMRANGEBYRANK z -1 -1", b":1\r\n");
    h.check(
        "ZREMRANGEBYRANK z a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    h.check("ZADD z 0 x 0 y 0 zz", b":3\r\n");
    h.check("ZREMRANGEBYSCORE z (0 4", b":2\r\n");
    h.check("ZRANGE z 0 -1", b"*3\r\n$1\r\nx\r\n$1\r\ny\r\n$2\r\nzz\r\n");
    h.check(
        "ZREMRANGEBYSCORE z x 1",
        b"-ERR min or max is not a float\r\n",
    );
    h.check("ZREMRANGEBYLEX z [x (zz", b":2\r\n");
    h.check("ZRANGE z 0 -1", b"*1\r\n$2\r\nzz\r\n");
    h.check(
        "ZREMRANGEBYLEX z a b",
        b"-ERR min or max not valid string range item\r\n",
    );
    h.check("ZREMRANGEBYLEX z - +", b":1\r\n");
    h.check("EXISTS z", b":0\r\n");
    h.check("ZREMRANGEBYRANK nokey 0 -1", b":0\r\n");
    h.check("ZREMRANGEBYSCORE s 0 1", b":1\r\n");
}
