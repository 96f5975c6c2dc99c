//! Tests for pushing, popping and moving. Every expected reply, dirty
//! count and hit/miss count here was read off redis-server 7.0.15.

use crate::commands::testkit::Session;

/// LPUSH/RPUSH/LPUSHX/RPUSHX, binary elements, arity and type errors.
#[test]
fn pushes_answer_the_new_length() {
    let mut s = Session::new();
    // Pushes answer the new length; X variants leave a missing key alone.
    s.check("lpush l a b c", b":3\r\n");
    s.dirty(3);
    s.check("rpush l 1 -2 9223372036854775807", b":6\r\n");
    s.dirty(3);
    s.check("lrange l 0 -1", b"*6\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\n-2\r\n$19\r\n9223372036854775807\r\n");
    s.check("lpushx nokey a b", b":0\r\n");
    s.check("rpushx nokey a", b":0\r\n");
    s.dirty(0);
    s.check("exists nokey", b":0\r\n");
    s.check("lpushx l x y", b":8\r\n");
    s.check("rpushx l z", b":9\r\n");
    s.dirty(3);
    s.check("lrange l 0 -1", b"*9\r\n$1\r\ny\r\n$1\r\nx\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\n-2\r\n$19\r\n9223372036854775807\r\n$1\r\nz\r\n");
    s.check("set s v", b"+OK\r\n");
    s.check(
        "lpush s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "rpushx s a",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lpush",
        b"-ERR wrong number of arguments for 'lpush' command\r\n",
    );
    s.check(
        "rpush l",
        b"-ERR wrong number of arguments for 'rpush' command\r\n",
    );
    s.check(
        "lpushx l",
        b"-ERR wrong number of arguments for 'lpushx' command\r\n",
    );
    // Binary-safe elements, empty ones, and integers that only look like integers.
    s.check_args(
        &[
            b"rpush",
            b"b",
            b"",
            b"\x00",
            b"a\r\nb",
            b"01",
            b"-0",
            b"+1",
            b" 1",
            b"9223372036854775808",
            b"-9223372036854775808",
        ],
        b":9\r\n",
    );
    s.check("lrange b 0 -1", b"*9\r\n$0\r\n\r\n$1\r\n\x00\r\n$4\r\na\r\nb\r\n$2\r\n01\r\n$2\r\n-0\r\n$2\r\n+1\r\n$2\r\n 1\r\n$19\r\n9223372036854775808\r\n$20\r\n-9223372036854775808\r\n");
    s.check("lpop b 9", b"*9\r\n$0\r\n\r\n$1\r\n\x00\r\n$4\r\na\r\nb\r\n$2\r\n01\r\n$2\r\n-0\r\n$2\r\n+1\r\n$2\r\n 1\r\n$19\r\n9223372036854775808\r\n$20\r\n-9223372036854775808\r\n");
    s.check("lrange b 0 -1", b"*0\r\n");
    s.check("exists b", b":0\r\n");
}

/// LPOP/RPOP: bulk or array, count edge values, RESP3 nulls.
#[test]
fn pops_with_and_without_count() {
    let mut s = Session::new();
    s.check("rpush l a b c d e f g", b":7\r\n");
    s.enc("l", "quicklist");
    s.check("lpop l", b"$1\r\na\r\n");
    s.check("rpop l", b"$1\r\ng\r\n");
    s.dirty(9);
    s.check("lpop l 2", b"*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check("rpop l 2", b"*2\r\n$1\r\nf\r\n$1\r\ne\r\n");
    s.dirty(4);
    s.check("lpop l 0", b"*0\r\n");
    s.check("rpop l 0", b"*0\r\n");
    s.dirty(0);
    s.check("lrange l 0 -1", b"*1\r\n$1\r\nd\r\n");
    s.check("rpop l 5", b"*1\r\n$1\r\nd\r\n");
    s.dirty(1);
    s.check("exists l", b":0\r\n");
    s.check("lpop l", b"$-1\r\n");
    s.check("lpop l 1", b"*-1\r\n");
    s.check("rpop l 0", b"*-1\r\n");
    // The count is checked before the key; any bad count has one message.
    s.check(
        "lpop l -1",
        b"-ERR value is out of range, must be positive\r\n",
    );
    s.check(
        "rpop l abc",
        b"-ERR value is out of range, must be positive\r\n",
    );
    s.check(
        "lpop l 1.5",
        b"-ERR value is out of range, must be positive\r\n",
    );
    s.check(
        "lpop l 9223372036854775808",
        b"-ERR value is out of range, must be positive\r\n",
    );
    s.check_args(
        &[b"lpop", b"l", b" 1"],
        b"-ERR value is out of range, must be positive\r\n",
    );
    s.check("set s v", b"+OK\r\n");
    s.check(
        "lpop s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "rpop s 2",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lpop s -1",
        b"-ERR value is out of range, must be positive\r\n",
    );
    s.check(
        "lpop l 1 2",
        b"-ERR wrong number of arguments for 'lpop' command\r\n",
    );
    s.check(
        "rpop",
        b"-ERR wrong number of arguments for 'rpop' command\r\n",
    );
    s.resp3();
    s.check("lpop l", b"_\r\n");
    s.check("lpop l 1", b"_\r\n");
    s.check("rpush l x", b":1\r\n");
    s.check("lpop l 0", b"*0\r\n");
    s.check("lpop l 5", b"*1\r\n$1\r\nx\r\n");
}

/// LMPOP: numkeys, direction, COUNT and their errors, in Redis's order.
#[test]
fn lmpop_takes_the_first_list() {
    let mut s = Session::new();
    s.check("rpush a 1 2 3", b":3\r\n");
    s.check("rpush b x y", b":2\r\n");
    s.check("set s v", b"+OK\r\n");
    s.check(
        "lmpop 2 nokey a LEFT",
        b"*2\r\n$1\r\na\r\n*1\r\n$1\r\n1\r\n",
    );
    s.dirty(7);
    s.check(
        "lmpop 2 nokey a right count 5",
        b"*2\r\n$1\r\na\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n",
    );
    s.dirty(2);
    s.check("exists a", b":0\r\n");
    s.check("lmpop 1 a left", b"*-1\r\n");
    s.check(
        "lmpop 3 a nokey b RIGHT COUNT 1",
        b"*2\r\n$1\r\nb\r\n*1\r\n$1\r\ny\r\n",
    );
    s.check(
        "lmpop 2 s b left",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check("lmpop 2 b s left", b"*2\r\n$1\r\nb\r\n*1\r\n$1\r\nx\r\n");
    s.check(
        "lmpop 1 s left",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lmpop 0 a left",
        b"-ERR numkeys should be greater than 0\r\n",
    );
    s.check(
        "lmpop -1 a left",
        b"-ERR numkeys should be greater than 0\r\n",
    );
    s.check(
        "lmpop abc a left",
        b"-ERR numkeys should be greater than 0\r\n",
    );
    s.check("lmpop 9223372036854775807 a left", b"-ERR syntax error\r\n");
    s.check("lmpop 3 a b left", b"-ERR syntax error\r\n");
    s.check("lmpop 2 a b", b"-ERR syntax error\r\n");
    s.check("lmpop 1 a up", b"-ERR syntax error\r\n");
    s.check("lmpop 1 a left count", b"-ERR syntax error\r\n");
    s.check(
        "lmpop 1 a left count 0",
        b"-ERR count should be greater than 0\r\n",
    );
    s.check(
        "lmpop 1 a left count -3",
        b"-ERR count should be greater than 0\r\n",
    );
    s.check(
        "lmpop 1 a left count x",
        b"-ERR count should be greater than 0\r\n",
    );
    s.check("lmpop 1 a left count 2 count 2", b"-ERR syntax error\r\n");
    s.check("lmpop 1 a left other", b"-ERR syntax error\r\n");
    s.check("lmpop 1 b LeFt CoUnT 9223372036854775807", b"*-1\r\n");
    s.check(
        "lmpop 1 a",
        b"-ERR wrong number of arguments for 'lmpop' command\r\n",
    );
    s.resp3();
    s.check("lmpop 1 nokey left", b"_\r\n");
    s.check("rpush a 1", b":1\r\n");
    s.check(
        "lmpop 1 a left count 3",
        b"*2\r\n$1\r\na\r\n*1\r\n$1\r\n1\r\n",
    );
}

/// LMOVE/RPOPLPUSH: every direction, rotation, wrong types, missing keys.
#[test]
fn lmove_and_rpoplpush() {
    let mut s = Session::new();
    s.check("rpush src a b c", b":3\r\n");
    s.check("lmove src dst left right", b"$1\r\na\r\n");
    s.check("lmove src dst RIGHT LEFT", b"$1\r\nc\r\n");
    s.dirty(5);
    s.check("lrange dst 0 -1", b"*2\r\n$1\r\nc\r\n$1\r\na\r\n");
    s.check("lrange src 0 -1", b"*1\r\n$1\r\nb\r\n");
    s.check("rpoplpush src dst", b"$1\r\nb\r\n");
    s.dirty(1);
    s.check("exists src", b":0\r\n");
    s.check(
        "lrange dst 0 -1",
        b"*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n",
    );
    s.check("lmove src dst left left", b"$-1\r\n");
    s.check("rpoplpush src dst", b"$-1\r\n");
    s.dirty(0);
    // A list moved onto itself rotates, and survives with one element.
    s.check("lmove dst dst left right", b"$1\r\nb\r\n");
    s.check(
        "lrange dst 0 -1",
        b"*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n",
    );
    s.check("rpoplpush dst dst", b"$1\r\nb\r\n");
    s.check(
        "lrange dst 0 -1",
        b"*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n",
    );
    s.check("rpush one x", b":1\r\n");
    s.check("lmove one one right left", b"$1\r\nx\r\n");
    s.check("lrange one 0 -1", b"*1\r\n$1\r\nx\r\n");
    s.dirty(4);
    s.check("set s v", b"+OK\r\n");
    s.check(
        "lmove s dst left left",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lmove dst s left left",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "rpoplpush dst s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lrange dst 0 -1",
        b"*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n",
    );
    // No source: no error about the destination.
    s.check("lmove nokey s left left", b"$-1\r\n");
    s.check("rpoplpush nokey s", b"$-1\r\n");
    s.check("lmove dst s up left", b"-ERR syntax error\r\n");
    s.check("lmove dst s left down", b"-ERR syntax error\r\n");
    s.check("lmove nokey s up left", b"-ERR syntax error\r\n");
    s.check(
        "lmove s s left right",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "rpoplpush s s",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "lmove a b left",
        b"-ERR wrong number of arguments for 'lmove' command\r\n",
    );
    s.check(
        "rpoplpush a",
        b"-ERR wrong number of arguments for 'rpoplpush' command\r\n",
    );
    s.resp3();
    s.check("lmove nokey x left left", b"_\r\n");
    s.check("rpoplpush nokey x", b"_\r\n");
}

/// Which lookups count as hits or misses, dirty counts, expired keys.
#[test]
fn lookups_dirty_counts_and_expiry() {
    let mut s = Session::new();
    s.check("rpush l a b c", b":3\r\n");
    s.check("rpush t x", b":1\r\n");
    assert_eq!(s.hits_misses(), (0, 0));
    // Reads count hits and misses; writes do not (lookupKeyWrite).
    s.check("llen l", b":3\r\n");
    s.check("llen nokey", b":0\r\n");
    s.check("lrange l 0 0", b"*1\r\n$1\r\na\r\n");
    s.check("lrange nokey 0 0", b"*0\r\n");
    s.check("lindex l 0", b"$1\r\na\r\n");
    s.check("lindex nokey 0", b"$-1\r\n");
    s.check("lpos l a", b":0\r\n");
    s.check("lpos nokey a", b"$-1\r\n");
    assert_eq!(s.hits_misses(), (4, 4));
    s.check("lpop nokey", b"$-1\r\n");
    s.check("lset nokey 0 x", b"-ERR no such key\r\n");
    s.check("linsert nokey before a b", b":0\r\n");
    s.check("lrem nokey 0 a", b":0\r\n");
    s.check("ltrim nokey 0 1", b"+OK\r\n");
    s.check("lmove nokey l left left", b"$-1\r\n");
    s.check("lmpop 2 nokey nokey2 left", b"*-1\r\n");
    s.check("lpushx nokey a", b":0\r\n");
    assert_eq!(s.hits_misses(), (4, 4));
    s.check("lpop t", b"$1\r\nx\r\n");
    s.check("lmove l t left left", b"$1\r\na\r\n");
    assert_eq!(s.hits_misses(), (4, 4));
    s.dirty(6);
    // An expired list is gone for every command; an expired destination is replaced.
    s.dirty(0);
    s.make_expired(0, "l");
    s.check("llen l", b":0\r\n");
    s.check("lrange l 0 -1", b"*0\r\n");
    assert_eq!(s.hits_misses(), (4, 6));
    s.check("rpush l a b", b":2\r\n");
    s.check("rpush d old", b":1\r\n");
    s.dirty(3);
    s.make_expired(0, "d");
    s.check("lmove l d left left", b"$1\r\na\r\n");
    s.check("lrange d 0 -1", b"*1\r\n$1\r\na\r\n");
    s.dirty(1);
}

/// A RESP array of bulks, as Redis sends LRANGE's reply.
fn bulks(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", items.len()).into_bytes();
    for i in items {
        out.extend_from_slice(format!("${}\r\n", i.len()).as_bytes());
        out.extend_from_slice(i);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Elements far bigger than a node (40 KiB and 70 KiB) among small ones:
/// every command reads and edits across the nodes they sit in alone.
#[test]
fn big_elements_among_small_ones() {
    let mut s = Session::new();
    let big = vec![b'x'; 40 * 1024];
    let huge = vec![b'y'; 70 * 1024];
    let mut model: Vec<Vec<u8>> = Vec::new();
    for i in 0..50 {
        let v = match i % 10 {
            3 => big.clone(),
            7 => huge.clone(),
            _ => format!("e{i}").into_bytes(),
        };
        s.check_args(&[b"rpush", b"l", &v], format!(":{}\r\n", i + 1).as_bytes());
        model.push(v);
    }
    s.enc("l", "quicklist");
    s.check_args(&[b"lrange", b"l", b"0", b"-1"], &bulks(&model));
    s.check_args(&[b"lindex", b"l", b"-3"], &bulks(&model[47..48])[4..]);
    s.check_args(&[b"lset", b"l", b"25", &huge], b"+OK\r\n");
    model[25] = huge.clone();
    s.check_args(&[b"linsert", b"l", b"before", b"e26", &big], b":51\r\n");
    model.insert(26, big.clone());
    s.check_args(&[b"lrange", b"l", b"20", b"30"], &bulks(&model[20..=30]));
    s.check_args(&[b"lrem", b"l", b"-2", &big], b":2\r\n");
    let last_two: Vec<usize> = (0..model.len())
        .rev()
        .filter(|&i| model[i] == big)
        .take(2)
        .collect();
    for i in last_two {
        model.remove(i);
    }
    s.check_args(&[b"ltrim", b"l", b"2", b"-3"], b"+OK\r\n");
    model = model[2..model.len() - 2].to_vec();
    s.check_args(&[b"lrange", b"l", b"0", b"-1"], &bulks(&model));
    s.check_args(
        &[b"rpop", b"l", b"4"],
        &bulks(&model.iter().rev().take(4).cloned().collect::<Vec<_>>()),
    );
    model.truncate(model.len() - 4);
    s.check_args(
        &[b"lmove", b"l", b"m", b"left", b"right"],
        &bulks(&model[..1])[4..],
    );
    s.check_args(
        &[b"llen", b"l"],
        format!(":{}\r\n", model.len() - 1).as_bytes(),
    );
}

/// The operations the blocking commands call, used directly on a
/// database.
#[test]
fn operations_for_the_blocking_commands() {
    use super::{End, lmove, pop_from, push_to};
    use crate::commands::CmdError;
    let mut s = Session::new();
    s.check("set str v", b"+OK\r\n");
    let now = crate::util::now_ms();
    let db = s.db(0);
    let three: [&[u8]; 3] = [b"1", b"2", b"3"];
    assert_eq!(
        push_to(db, b"a", End::Tail, three, false, -2, now),
        Ok(Some(3))
    );
    assert_eq!(
        push_to(db, b"none", End::Head, three, true, -2, now),
        Ok(None)
    );
    assert_eq!(
        push_to(db, b"str", End::Head, three, false, -2, now),
        Err(CmdError::WRONG_TYPE)
    );
    let popped = pop_from(db, b"a", End::Tail, 2, now).unwrap().unwrap();
    let popped: Vec<Vec<u8>> = popped.iter().map(|(_, e)| e.to_vec()).collect();
    assert_eq!(popped, [b"3".to_vec(), b"2".to_vec()]);
    assert_eq!(
        lmove(db, b"a", b"str", End::Head, End::Tail, -2, now),
        Err(CmdError::WRONG_TYPE)
    );
    assert_eq!(
        lmove(db, b"a", b"b", End::Head, End::Tail, -2, now),
        Ok(Some(b"1".to_vec()))
    );
    assert!(!db.contains(b"a", now));
    assert_eq!(pop_from(db, b"a", End::Head, 1, now), Ok(None));
    assert_eq!(
        lmove(db, b"a", b"b", End::Head, End::Tail, -2, now),
        Ok(None)
    );
    assert_eq!(
        pop_from(db, b"str", End::Head, 1, now),
        Err(CmdError::WRONG_TYPE)
    );
    s.check("lrange b 0 -1", b"*1\r\n$1\r\n1\r\n");
}
