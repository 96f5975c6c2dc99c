//! Tests of the hash commands' replies, errors, dirty counts and
//! encodings. Every expected reply was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// HSET/HGET/HMGET/HLEN/HSTRLEN/HEXISTS/HDEL round trips; the hash goes
/// when its last field does; HSET counts every pair as a change.
#[test]
fn set_get_and_delete() {
    let mut h = Session::new();
    h.check("hset h a 1 b 2 c 3", b":3\r\n");
    h.check("hset h a 10 d 4", b":1\r\n");
    h.dirty(5);
    h.check("hget h a", b"$2\r\n10\r\n");
    h.check("hget h zz", b"$-1\r\n");
    h.check("hget nokey a", b"$-1\r\n");
    h.check("hmget h a zz d", b"*3\r\n$2\r\n10\r\n$-1\r\n$1\r\n4\r\n");
    h.check("hmget nokey a b", b"*2\r\n$-1\r\n$-1\r\n");
    h.check("hlen h", b":4\r\n");
    h.check("hlen nokey", b":0\r\n");
    h.check("hstrlen h a", b":2\r\n");
    h.check("hstrlen h zz", b":0\r\n");
    h.check("hstrlen nokey a", b":0\r\n");
    h.check("hexists h d", b":1\r\n");
    h.check("hexists h zz", b":0\r\n");
    h.check("hexists nokey a", b":0\r\n");
    h.check("hgetall h", b"*8\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    h.check(
        "hkeys h",
        b"*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n",
    );
    h.check(
        "hvals h",
        b"*4\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n",
    );
    h.check("hgetall nokey", b"*0\r\n");
    h.check("hkeys nokey", b"*0\r\n");
    h.check("hvals nokey", b"*0\r\n");
    h.check("hdel h zz", b":0\r\n");
    h.dirty(0);
    h.check("hdel h a a zz b", b":2\r\n");
    h.dirty(2);
    h.check("hdel nokey a", b":0\r\n");
    h.check("hdel h c d", b":2\r\n");
    h.dirty(2);
    h.check("exists h", b":0\r\n");
    h.check("hmset h2 f v g w", b"+OK\r\n");
    h.check("hmset h2 f v2", b"+OK\r\n");
    h.dirty(3);
    h.check(
        "hgetall h2",
        b"*4\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\ng\r\n$1\r\nw\r\n",
    );
    h.check("hset h2 f v2 f v3 g w2", b":0\r\n");
    h.check(
        "hgetall h2",
        b"*4\r\n$1\r\nf\r\n$2\r\nv3\r\n$1\r\ng\r\n$2\r\nw2\r\n",
    );
    h.dirty(3);
}

/// Empty and binary fields and values; fields that read as integers are
/// stored as integers in a listpack but keep their text ("01", "-0" do
/// not read as integers and stay distinct).
#[test]
fn binary_and_integer_fields() {
    let mut h = Session::new();
    h.check_args(
        &[b"hset", b"b", b"", b"", b"a\0b", b"\r\n", b"\xff", b"x y"],
        b":3\r\n",
    );
    h.check_args(&[b"hget", b"b", b""], b"$0\r\n\r\n");
    h.check_args(&[b"hget", b"b", b"a\0b"], b"$2\r\n\r\n\r\n");
    h.check_args(&[b"hstrlen", b"b", b"\xff"], b":3\r\n");
    h.check(
        "hgetall b",
        b"*6\r\n$0\r\n\r\n$0\r\n\r\n$3\r\na\0b\r\n$2\r\n\r\n\r\n$1\r\n\xff\r\n$3\r\nx y\r\n",
    );
    h.check(
        "hset n 1 2 -1 -2 100000 200000 9223372036854775807 -9223372036854775808 01 02 -0 x",
        b":6\r\n",
    );
    h.check("hset n 9223372036854775808 big 1.0 f 0 zero", b":3\r\n");
    h.check("hgetall n", b"*18\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n-1\r\n$2\r\n-2\r\n$6\r\n100000\r\n$6\r\n200000\r\n$19\r\n9223372036854775807\r\n$20\r\n-9223372036854775808\r\n$2\r\n01\r\n$2\r\n02\r\n$2\r\n-0\r\n$1\r\nx\r\n$19\r\n9223372036854775808\r\n$3\r\nbig\r\n$3\r\n1.0\r\n$1\r\nf\r\n$1\r\n0\r\n$4\r\nzero\r\n");
    h.check("hget n 01", b"$2\r\n02\r\n");
    h.check("hget n 1", b"$1\r\n2\r\n");
    h.check("hget n -0", b"$1\r\nx\r\n");
    h.check("hget n 0", b"$4\r\nzero\r\n");
    h.check("hstrlen n -9223372036854775808", b":0\r\n");
    h.check("hstrlen n 100000", b":6\r\n");
    h.check("hdel n 1 01 0", b":3\r\n");
    h.check("hgetall n", b"*12\r\n$2\r\n-1\r\n$2\r\n-2\r\n$6\r\n100000\r\n$6\r\n200000\r\n$19\r\n9223372036854775807\r\n$20\r\n-9223372036854775808\r\n$2\r\n-0\r\n$1\r\nx\r\n$19\r\n9223372036854775808\r\n$3\r\nbig\r\n$3\r\n1.0\r\n$1\r\nf\r\n");
    h.enc("n", "listpack");
}

/// Every command against a string key, and the arity errors (HSET's odd
/// pair count is checked before the key is looked at).
#[test]
fn wrong_types_and_arity() {
    let mut h = Session::new();
    h.check("set s x", b"+OK\r\n");
    h.check(
        "hset s a 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hmset s a 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hsetnx s a 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hget s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hmget s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hdel s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hlen s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hstrlen s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hexists s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hkeys s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hvals s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hgetall s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hincrby s a 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hincrbyfloat s a 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hrandfield s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hrandfield s 2",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hscan s 0",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    h.check(
        "hset s a 1 b",
        b"-ERR wrong number of arguments for 'hset' command\r\n",
    );
    h.check(
        "hset nokey a 1 b",
        b"-ERR wrong number of arguments for 'hset' command\r\n",
    );
    h.check(
        "hmset s a 1 b",
        b"-ERR wrong number of arguments for 'hmset' command\r\n",
    );
    h.check(
        "hset h",
        b"-ERR wrong number of arguments for 'hset' command\r\n",
    );
    h.check(
        "hset h a",
        b"-ERR wrong number of arguments for 'hset' command\r\n",
    );
    h.check(
        "hmset h a",
        b"-ERR wrong number of arguments for 'hmset' command\r\n",
    );
    h.check(
        "hsetnx h a",
        b"-ERR wrong number of arguments for 'hsetnx' command\r\n",
    );
    h.check(
        "hsetnx h a b c",
        b"-ERR wrong number of arguments for 'hsetnx' command\r\n",
    );
    h.check(
        "hget h",
        b"-ERR wrong number of arguments for 'hget' command\r\n",
    );
    h.check(
        "hmget h",
        b"-ERR wrong number of arguments for 'hmget' command\r\n",
    );
    h.check(
        "hdel h",
        b"-ERR wrong number of arguments for 'hdel' command\r\n",
    );
    h.check(
        "hlen",
        b"-ERR wrong number of arguments for 'hlen' command\r\n",
    );
    h.check(
        "hlen a b",
        b"-ERR wrong number of arguments for 'hlen' command\r\n",
    );
    h.check(
        "hstrlen h",
        b"-ERR wrong number of arguments for 'hstrlen' command\r\n",
    );
    h.check(
        "hexists h",
        b"-ERR wrong number of arguments for 'hexists' command\r\n",
    );
    h.check(
        "hkeys",
        b"-ERR wrong number of arguments for 'hkeys' command\r\n",
    );
    h.check(
        "hvals h x",
        b"-ERR wrong number of arguments for 'hvals' command\r\n",
    );
    h.check(
        "hgetall",
        b"-ERR wrong number of arguments for 'hgetall' command\r\n",
    );
    h.check(
        "hincrby h a",
        b"-ERR wrong number of arguments for 'hincrby' command\r\n",
    );
    h.check(
        "hincrbyfloat h a",
        b"-ERR wrong number of arguments for 'hincrbyfloat' command\r\n",
    );
    h.check(
        "hrandfield",
        b"-ERR wrong number of arguments for 'hrandfield' command\r\n",
    );
    h.check(
        "hscan h",
        b"-ERR wrong number of arguments for 'hscan' command\r\n",
    );
    h.dirty(1);
    h.check("exists h nokey", b":0\r\n");
    h.check("get s", b"$1\r\nx\r\n");
}

/// HSETNX: 1 and a change when the field is new, 0 otherwise; a long
/// value converts the hash only if it is written.
#[test]
fn hsetnx_sets_only_new_fields() {
    let mut h = Session::new();
    h.check("hsetnx h a 1", b":1\r\n");
    h.check("hsetnx h a 2", b":0\r\n");
    h.dirty(1);
    h.check("hget h a", b"$1\r\n1\r\n");
    h.check(
        "hsetnx h a aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        b":0\r\n",
    );
    h.enc("h", "listpack");
    h.check(
        "hsetnx h b aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        b":1\r\n",
    );
    h.enc("h", "hashtable");
    h.check("hsetnx h b x", b":0\r\n");
    h.check("hsetnx h c y", b":1\r\n");
    h.dirty(2);
    h.check(
        "hget h b",
        b"$65\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
    );
    h.check("hlen h", b":3\r\n");
}

/// HSCAN on a dict stops once COUNT fields were gathered: Redis 7.0
/// replies about 100 fields (not 50 pairs' worth) to COUNT 100.
#[test]
fn hscan_count_counts_fields() {
    let mut h = Session::new();
    let mut args: Vec<Vec<u8>> = vec![b"hset".to_vec(), b"h".to_vec()];
    for i in 0..1000 {
        args.push(format!("f{i}").into_bytes());
        args.push(b"v".to_vec());
    }
    let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
    h.check_args(&refs, b":1000\r\n");
    h.enc("h", "hashtable");
    let reply = h.run("hscan h 0 count 100");
    let text = String::from_utf8_lossy(&reply);
    // The second array header gives fields and values together.
    let items: usize = text
        .split("\r\n")
        .filter_map(|l| l.strip_prefix('*'))
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((200..=260).contains(&items), "{items} items in {text:.80}");
}
