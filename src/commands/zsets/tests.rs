//! Tests of ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK and
//! encodings. Every expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// ZADD's flags alone and combined, CH and INCR replies, and the errors in Redis's order.
#[test]
fn zadd_options_and_errors() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c", b":3\r\n");
    h.check("ZADD z 1 a", b":0\r\n");
    h.check("ZADD z CH 5 a 2 b 9 d", b":2\r\n");
    h.check("ZADD z NX 10 a 11 e", b":1\r\n");
    h.check("ZADD z XX 10 a 11 f", b":0\r\n");
    h.check("ZADD z XX CH 20 a 11 f", b":1\r\n");
    h.check("ZADD z GT 5 a", b":0\r\n");
    h.check("ZADD z GT CH 25 a", b":1\r\n");
    h.check("ZADD z LT CH 1 a 30 b", b":1\r\n");
    h.check(
        "ZADD z GT LT 1 a",
        b"-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
    );
    h.check(
        "ZADD z NX XX 1 a",
        b"-ERR XX and NX options at the same time are not compatible\r\n",
    );
    h.check(
        "ZADD z NX GT 1 a",
        b"-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
    );
    h.check(
        "ZADD z NX LT 1 a",
        b"-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
    );
    h.check("ZADD z XX GT CH 100 a 100 zz", b":1\r\n");
    h.check(
        "ZADD z INCR 1 a 2 b",
        b"-ERR INCR option supports a single increment-element pair\r\n",
    );
    h.check("ZADD z INCR 1.5 a", b"$5\r\n101.5\r\n");
    h.check("ZADD z INCR NX 1 a", b"$-1\r\n");
    h.check("ZADD z INCR XX 1 nope", b"$-1\r\n");
    h.check("ZADD z INCR GT -1000 a", b"$-1\r\n");
    h.check("ZADD z INCR LT -1 a", b"$5\r\n100.5\r\n");
    h.check(
        "ZADD z 1",
        b"-ERR wrong number of arguments for 'zadd' command\r\n",
    );
    h.check(
        "ZADD z",
        b"-ERR wrong number of arguments for 'zadd' command\r\n",
    );
    h.check("ZADD z 1 a 2", b"-ERR syntax error\r\n");
    h.check("ZADD z x a", b"-ERR value is not a valid float\r\n");
    h.check("ZADD z nan a", b"-ERR value is not a valid float\r\n");
    h.check("ZADD z 1 a nan b", b"-ERR value is not a valid float\r\n");
    h.check(
        "ZADD z NX",
        b"-ERR wrong number of arguments for 'zadd' command\r\n",
    );
    h.check("ZADD z ch 1 x", b":1\r\n");
    h.check("ZADD z xx nx", b"-ERR syntax error\r\n");
    h.check("ZADD z INCR inf a", b"$3\r\ninf\r\n");
    h.check(
        "ZADD z INCR -inf a",
        b"-ERR resulting score is not a number (NaN)\r\n",
    );
    h.check("ZRANGE z 0 -1 WITHSCORES", b"*12\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n9\r\n$1\r\ne\r\n$2\r\n11\r\n$1\r\na\r\n$3\r\ninf\r\n");
    h.check("SET s v", b"+OK\r\n");
    h.check(
        "ZADD s 1 a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "ZADD s NX XX 1 a",
        b"-ERR XX and NX options at the same time are not compatible\r\n",
    );
    h.check("ZADD s x a", b"-ERR value is not a valid float\r\n");
    h.check("ZCARD z", b":6\r\n");
    h.check("ZCARD nokey", b":0\r\n");
    h.check(
        "ZCARD s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check("ZADD n 0x10 a", b":1\r\n");
    h.check("ZADD n 1e400 a", b"-ERR value is not a valid float\r\n");
    h.check("ZADD n 1e-400 a", b"-ERR value is not a valid float\r\n");
    h.check("ZADD n '' a", b"-ERR value is not a valid float\r\n");
    h.check("ZADD n -0 b", b":1\r\n");
    h.check(
        "ZRANGE n 0 -1 WITHSCORES",
        b"*4\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\na\r\n$2\r\n16\r\n",
    );
    h.check("ZSCORE n b", b"$1\r\n0\r\n");
}

/// Scores print as Redis prints doubles: %.17g, integral values short, inf spelled out; RESP3 doubles.
#[test]
fn score_formatting() {
    let mut h = Session::new();
    h.check("ZADD z 0.1 a 1e20 b 123456789012345678 c -0.0 d 3.0 e 1.5e-7 f inf g -inf h 2.5 i 1e15 j 1e17 k 0.3333333333333333 l", b":12\r\n");
    h.check("ZRANGE z 0 -1 WITHSCORES", b"*24\r\n$1\r\nh\r\n$4\r\n-inf\r\n$1\r\nd\r\n$1\r\n0\r\n$1\r\nf\r\n$22\r\n1.4999999999999999e-07\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nl\r\n$19\r\n0.33333333333333331\r\n$1\r\ni\r\n$3\r\n2.5\r\n$1\r\ne\r\n$1\r\n3\r\n$1\r\nj\r\n$16\r\n1000000000000000\r\n$1\r\nk\r\n$5\r\n1e+17\r\n$1\r\nc\r\n$22\r\n1.2345678901234568e+17\r\n$1\r\nb\r\n$5\r\n1e+20\r\n$1\r\ng\r\n$3\r\ninf\r\n");
    h.check("ZSCORE z a", b"$19\r\n0.10000000000000001\r\n");
    h.check("ZSCORE z g", b"$3\r\ninf\r\n");
    h.check("ZSCORE z h", b"$4\r\n-inf\r\n");
    h.check("ZSCORE z d", b"$1\r\n0\r\n");
    h.check("ZSCORE z nope", b"$-1\r\n");
    h.check("ZSCORE nokey a", b"$-1\r\n");
    h.check(
        "ZMSCORE z a nope g",
        b"*3\r\n$19\r\n0.10000000000000001\r\n$-1\r\n$3\r\ninf\r\n",
    );
    h.check("ZMSCORE nokey a b", b"*2\r\n$-1\r\n$-1\r\n");
    h.check(
        "ZMSCORE z",
        b"-ERR wrong number of arguments for 'zmscore' command\r\n",
    );
    h.check("ZINCRBY z 0.2 a", b"$19\r\n0.30000000000000004\r\n");
    h.check("ZINCRBY z 1 new", b"$1\r\n1\r\n");
    h.check("ZINCRBY z x a", b"-ERR value is not a valid float\r\n");
    h.check("ZINCRBY z nan a", b"-ERR value is not a valid float\r\n");
    h.check(
        "ZINCRBY z -inf g",
        b"-ERR resulting score is not a number (NaN)\r\n",
    );
    h.check(
        "ZINCRBY z 1",
        b"-ERR wrong number of arguments for 'zincrby' command\r\n",
    );
    h.check(
        "ZINCRBY z 1 a b",
        b"-ERR wrong number of arguments for 'zincrby' command\r\n",
    );
    h.resp3();
    h.check("ZSCORE z a", b",0.30000000000000004\r\n");
    h.check("ZSCORE z g", b",inf\r\n");
    h.check("ZSCORE z h", b",-inf\r\n");
    h.check("ZSCORE z nope", b"_\r\n");
    h.check("ZMSCORE z a nope", b"*2\r\n,0.30000000000000004\r\n_\r\n");
    h.check("ZINCRBY z 1 e", b",4\r\n");
    h.check("ZRANGE z 0 2 WITHSCORES", b"*3\r\n*2\r\n$1\r\nh\r\n,-inf\r\n*2\r\n$1\r\nd\r\n,0\r\n*2\r\n$1\r\nf\r\n,1.4999999999999999e-07\r\n");
    h.check("ZADD z INCR 1 e", b",5\r\n");
    h.check("ZADD z INCR NX 1 e", b"_\r\n");
    h.check("ZRANK z a", b":3\r\n");
}

/// ZRANK/ZREVRANK, ZREM and the key going away when the set empties.
#[test]
fn rank_and_remove() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c 3 d", b":4\r\n");
    h.check("ZRANK z a", b":0\r\n");
    h.check("ZRANK z d", b":3\r\n");
    h.check("ZREVRANK z a", b":3\r\n");
    h.check("ZREVRANK z d", b":0\r\n");
    h.check("ZRANK z nope", b"$-1\r\n");
    h.check("ZRANK nokey a", b"$-1\r\n");
    h.check(
        "ZRANK z",
        b"-ERR wrong number of arguments for 'zrank' command\r\n",
    );
    h.check("ZREM z a nope a", b":1\r\n");
    h.check("ZREM z b c d", b":3\r\n");
    h.check("EXISTS z", b":0\r\n");
    h.check("ZREM z a", b":0\r\n");
    h.check("ZREM nokey a", b":0\r\n");
    h.check("SET s v", b"+OK\r\n");
    h.check(
        "ZRANK s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "ZREM s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "ZSCORE s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "ZMSCORE s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "ZINCRBY s 1 a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
}

/// listpack to skiplist when the entries or value limit is crossed, one way, as Redis does.
#[test]
fn encoding_conversion() {
    let mut h = Session::new();
    h.check("CONFIG SET zset-max-listpack-entries 3", b"+OK\r\n");
    h.check("CONFIG SET zset-max-listpack-value 5", b"+OK\r\n");
    h.check("ZADD z 1 a 2 b 3 c", b":3\r\n");
    h.enc("z", "listpack");
    h.check("ZADD z 4 d", b":1\r\n");
    h.enc("z", "skiplist");
    h.check("ZREM z a b c", b":3\r\n");
    h.enc("z", "skiplist");
    h.check("ZRANGE z 0 -1 WITHSCORES", b"*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    h.check("ZADD y 1 abcde", b":1\r\n");
    h.enc("y", "listpack");
    h.check("ZADD y 1 abcdef", b":1\r\n");
    h.enc("y", "skiplist");
    h.check("ZADD x 1 abcdef", b":1\r\n");
    h.enc("x", "skiplist");
    h.check("ZADD w 1 a 2 b 3 c 4 d", b":4\r\n");
    h.enc("w", "skiplist");
    h.check("ZINCRBY v 1 toolongmember", b"$1\r\n1\r\n");
    h.enc("v", "skiplist");
    h.check("CONFIG SET zset-max-listpack-entries 0", b"+OK\r\n");
    h.check("ZADD u 1 a", b":1\r\n");
    h.enc("u", "skiplist");
    h.check("CONFIG SET zset-max-listpack-entries 128", b"+OK\r\n");
    h.check("ZUNIONSTORE dst 2 z w", b":4\r\n");
    h.enc("dst", "listpack");
    h.check("ZRANGESTORE d2 w 0 1", b":2\r\n");
    h.enc("d2", "listpack");
    h.check("ZRANGE w 0 -1 WITHSCORES", b"*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    h.check("ZRANGE x 0 -1", b"*1\r\n$6\r\nabcdef\r\n");
}

/// What each write adds to the dirty counter (read off INFO persistence's
/// rdb_changes_since_last_save): changed elements, one per STORE.
#[test]
fn dirty_counts() {
    let mut h = Session::new();
    h.check("ZADD z 1 a 2 b 3 c", b":3\r\n");
    h.dirty(3);
    h.check("ZADD z 1 a 5 b 9 d", b":1\r\n");
    h.dirty(2);
    h.check("ZADD z NX 1 a 2 e", b":1\r\n");
    h.dirty(1);
    h.check("ZADD z XX CH 7 a 7 nope", b":1\r\n");
    h.dirty(1);
    h.check("ZADD z INCR 1 a", b"$1\r\n8\r\n");
    h.dirty(1);
    h.check("ZADD z GT 0 a", b":0\r\n");
    h.dirty(0);
    h.check("ZINCRBY z 0 a", b"$1\r\n8\r\n");
    h.dirty(0);
    h.check("ZINCRBY z 1 q", b"$1\r\n1\r\n");
    h.dirty(1);
    h.check("ZREM z a nope b", b":2\r\n");
    h.dirty(2);
    h.check("ZREM z nope", b":0\r\n");
    h.dirty(0);
    h.check(
        "ZPOPMIN z 2",
        b"*4\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\ne\r\n$1\r\n2\r\n",
    );
    h.dirty(2);
    h.check("ZPOPMIN z 0", b"*0\r\n");
    h.dirty(0);
    h.check("ZPOPMAX nokey", b"*0\r\n");
    h.dirty(0);
    h.check(
        "ZMPOP 1 z MAX COUNT 10",
        b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nd\r\n$1\r\n9\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    h.dirty(2);
    h.check("ZADD z 1 a 2 b 3 c 4 d 0 x 0 y", b":6\r\n");
    h.dirty(6);
    h.check("ZREMRANGEBYRANK z 0 1", b":2\r\n");
    h.dirty(2);
    h.check("ZREMRANGEBYRANK z 10 20", b":0\r\n");
    h.dirty(0);
    h.check("ZREMRANGEBYSCORE z 3 3", b":1\r\n");
    h.dirty(1);
    h.check("ZREMRANGEBYLEX z - +", b":3\r\n");
    h.dirty(3);
    h.check("ZADD z 1 a 2 b 3 c", b":3\r\n");
    h.dirty(3);
    h.check("ZADD w 5 b 6 x", b":2\r\n");
    h.dirty(2);
    h.check("ZUNIONSTORE d 2 z w", b":4\r\n");
    h.dirty(1);
    h.check("ZINTERSTORE d 2 z w", b":1\r\n");
    h.dirty(1);
    h.check("ZINTERSTORE d 2 z nokey", b":0\r\n");
    h.dirty(1);
    h.check("ZINTERSTORE d 2 z nokey", b":0\r\n");
    h.dirty(0);
    h.check("ZDIFFSTORE d 2 z w", b":2\r\n");
    h.dirty(1);
    h.check("ZRANGESTORE d2 z 0 -1", b":3\r\n");
    h.dirty(1);
    h.check("ZRANGESTORE d2 z 5 10", b":0\r\n");
    h.dirty(1);
    h.check("ZRANGESTORE d2 nokey 0 -1", b":0\r\n");
    h.dirty(0);
    h.check("ZADD z 1 a", b":0\r\n");
    h.dirty(0);
    h.check("ZADD z CH 1 a", b":0\r\n");
    h.dirty(0);
    h.check("ZREMRANGEBYSCORE nokey 0 1", b":0\r\n");
    h.dirty(0);
}
