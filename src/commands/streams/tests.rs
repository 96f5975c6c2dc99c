//! Stream commands against bytes read off redis-server 7.0.15.

use crate::commands::testkit::Session;

#[test]
fn add_range_delete_trim_setid_and_their_errors() {
    let mut s = Session::new();
    s.check("xadd s 1-1 a 1", b"$3\r\n1-1\r\n");
    s.check(
        "xadd s 1-1 a 1",
        b"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
    );
    s.check(
        "xadd s 0-0 a 1",
        b"-ERR The ID specified in XADD must be greater than 0-0\r\n",
    );
    s.check(
        "xadd s2 0-0 a 1",
        b"-ERR The ID specified in XADD must be greater than 0-0\r\n",
    );
    s.check("xadd s 1-* a 1", b"$3\r\n1-2\r\n");
    s.check(
        "xadd s 1 a 1",
        b"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
    );
    s.check(
        "xadd s + a 1",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xadd s - a 1",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xadd s maxlen 5 a",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xadd s maxlen ~ 5 limit 10 * a",
        b"-ERR wrong number of arguments for 'xadd' command\r\n",
    );
    s.check(
        "xadd s maxlen 5 limit 10 5-0 a 1",
        b"-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n",
    );
    s.check(
        "xadd s maxlen -1 5-0 a 1",
        b"-ERR The MAXLEN argument must be >= 0.\r\n",
    );
    s.check(
        "xadd s minid abc 5-0 a 1",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xadd s minid - 5-0 a 1",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xadd s minid 2 limit -1 5-0 a 1",
        b"-ERR The LIMIT argument must be >= 0.\r\n",
    );
    s.check(
        "xadd s maxlen x 5-0 a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "xadd s nomkstream maxlen 1 minid 1 5-0 a 1",
        b"-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n",
    );
    s.check("xadd nokey nomkstream 1-1 a 1", b"$-1\r\n");
    s.check(
        "xadd s limit 5 6-0 a 1",
        b"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
    );
    s.check("xadd s 2-1 a 1 b 2", b"$3\r\n2-1\r\n");
    s.check("xadd s 2-2 b 1 a 2", b"$3\r\n2-2\r\n");
    s.check("xadd s 2-3 a 1", b"$3\r\n2-3\r\n");
    s.check("xadd s 3-0 a 1 b 2 c 3", b"$3\r\n3-0\r\n");
    s.check("xadd s +5-1 x y", b"$3\r\n5-1\r\n");
    s.check(
        "xadd s 6-18446744073709551615 x y",
        b"$22\r\n6-18446744073709551615\r\n",
    );
    s.check(
        "xadd s 6-* x y",
        b"-ERR Elements are too large to be stored\r\n",
    );
    s.check(
        "xadd s 7-18446744073709551616 x y",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("xadd s 00008-01 x y", b"$3\r\n8-1\r\n");
    s.check("xrange s - +", b"*9\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-2\r\n*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n*2\r\n$3\r\n2-3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$22\r\n6-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    s.check("xrevrange s + -", b"*9\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$22\r\n6-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n3-0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-2\r\n*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    s.check("xrange s - + count 2", b"*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    s.check("xrevrange s + - count 2", b"*2\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$22\r\n6-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    s.check("xrange s 2 2", b"*3\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-2\r\n*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n*2\r\n$3\r\n2-3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    s.check("xrange s (2-1 (3-0", b"*2\r\n*2\r\n$3\r\n2-2\r\n*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n*2\r\n$3\r\n2-3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    s.check("xrevrange s (3-0 (2-1", b"*2\r\n*2\r\n$3\r\n2-3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-2\r\n*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n");
    s.check(
        "xrange s (18446744073709551615-18446744073709551615 +",
        b"-ERR invalid start ID for the interval\r\n",
    );
    s.check(
        "xrange s - (0-0",
        b"-ERR invalid end ID for the interval\r\n",
    );
    s.check("xrange s 2-2 1", b"*0\r\n");
    s.check("xrange s 2-2 2-2 count", b"-ERR syntax error\r\n");
    s.check("xrange s 2-2 2-2 foo 1", b"-ERR syntax error\r\n");
    s.check("xrange s - + count 0", b"*-1\r\n");
    s.check("xrange s - + count -1", b"*-1\r\n");
    s.check(
        "xrange s - + count abc",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("xrange nokey - + count 0", b"*0\r\n");
    s.check("xlen s", b":9\r\n");
    s.check("xlen nokey", b":0\r\n");
    s.check("xdel s 2-2 2-2 9-9", b":1\r\n");
    s.check(
        "xdel s bad",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("xdel nokey bad", b":0\r\n");
    s.check("xdel nokey 1-1", b":0\r\n");
    s.check("xrange s - +", b"*8\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$22\r\n6-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    s.check("xtrim s maxlen 3", b":5\r\n");
    s.check("xtrim s maxlen = 3", b":0\r\n");
    s.check("xtrim s minid 7", b":2\r\n");
    s.check(
        "xtrim s",
        b"-ERR wrong number of arguments for 'xtrim' command\r\n",
    );
    s.check(
        "xtrim nokey foo",
        b"-ERR wrong number of arguments for 'xtrim' command\r\n",
    );
    s.check("xtrim s foo 1", b"-ERR syntax error\r\n");
    s.check("xtrim s maxlen ~ 1 limit 1", b":0\r\n");
    s.check(
        "xtrim s maxlen 1 limit 1",
        b"-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n",
    );
    s.check(
        "xtrim s limit 1",
        b"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
    );
    s.check(
        "xrange s - +",
        b"*1\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n",
    );
    s.check(
        "xadd s 18446744073709551615-18446744073709551615 a 1",
        b"$41\r\n18446744073709551615-18446744073709551615\r\n",
    );
    s.check(
        "xsetid s 1-1",
        b"-ERR The ID specified in XSETID is smaller than the target stream top item\r\n",
    );
    s.check(
        "xsetid s 18446744073709551615-18446744073709551615 entriesadded 5",
        b"+OK\r\n",
    );
    s.check(
        "xsetid s 18446744073709551615-18446744073709551615 entriesadded 0",
        b"-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n",
    );
    s.check(
        "xsetid s 18446744073709551615-18446744073709551615 entriesadded -1",
        b"-ERR entries_added must be positive\r\n",
    );
    s.check(
        "xsetid s 18446744073709551615-18446744073709551615 maxdeletedid 1",
        b"+OK\r\n",
    );
    s.check(
        "xsetid s 5-5 maxdeletedid 9-9",
        b"-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n",
    );
    s.check(
        "xsetid s 18446744073709551615-18446744073709551615 foo",
        b"-ERR syntax error\r\n",
    );
    s.check("xsetid s2 1-1", b"-ERR no such key\r\n");
    // As redis-server 7.0.15: the last ID may go below the stream's
    // max_deleted_entry_id when no MAXDELETEDID is given.
    s.check("xadd s2 5-0 a 1", b"$3\r\n5-0\r\n");
    s.check("xsetid s2 100-0 maxdeletedid 50-0", b"+OK\r\n");
    s.check("xsetid s2 10-0", b"+OK\r\n");
    s.check(
        "xadd s2 9-0 a 1",
        b"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
    );
    s.check("xadd s2 11-0 a 1", b"$4\r\n11-0\r\n");
    s.check("xsetid nokey 1-1", b"-ERR no such key\r\n");
    s.check(
        "xsetid nokey bad",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("set str x", b"+OK\r\n");
    s.check(
        "xadd str * a 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "xlen str",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "xrange str - +",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "xtrim str maxlen 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "xdel str 1-1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check(
        "xsetid str 1",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check("xadd e 5-0 f v", b"$3\r\n5-0\r\n");
    s.check("xdel e 5-0", b":1\r\n");
    s.check("xlen e", b":0\r\n");
    s.check("exists e", b":1\r\n");
    s.check("xrange e - +", b"*0\r\n");
    s.check("xadd e 5-1 f v", b"$3\r\n5-1\r\n");
    s.check("type e", b"+stream\r\n");
    s.check("object encoding e", b"$6\r\nstream\r\n");
}
#[test]
fn xtrim_reads_its_options_before_the_key_and_xread_lists_must_pair() {
    let mut s = Session::new();
    s.check("set xstr a", b"+OK\r\n");
    s.check(
        "xtrim xstr maxlen abc",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "xtrim nokey maxlen abc",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("xtrim nokey foo bar", b"-ERR syntax error\r\n");
    s.check(
        "xtrim nokey limit 5",
        b"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
    );
    s.check("xtrim nokey maxlen 1", b":0\r\n");
    s.check(
        "xreadgroup group g c streams x1 > x2",
        b"-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n",
    );
}

/// XINFO STREAM's radix-tree-nodes for blocks of one entry each, as Redis
/// 7.0.15 counted them for the same IDs.
#[test]
fn radix_tree_nodes_follow_redis_for_the_master_ids() {
    let cases: &[(&[&str], &str)] = &[
        (&["1-1"], "2"),
        (&["1-1", "1-2"], "4"),
        (&["1-1", "1000000000-2"], "6"),
        (&["1-1", "1-2", "1-3"], "5"),
    ];
    let nodes = |s: &mut Session| {
        let info = s.call(&["xinfo", "stream", "s"]);
        let at = info.find("radix-tree-nodes\r\n:").map(|i| i + 19);
        at.and_then(|i| info[i..].split("\r\n").next().map(str::to_string))
    };
    for (ids, want) in cases {
        let mut s = Session::new();
        s.check("config set stream-node-max-entries 1", b"+OK\r\n");
        for id in *ids {
            s.call(&["xadd", "s", id, "a", "1"]);
        }
        assert_eq!(nodes(&mut s).as_deref(), Some(*want), "{ids:?}");
    }
    let mut s = Session::new();
    s.check("config set stream-node-max-entries 1", b"+OK\r\n");
    for ms in 1..=300 {
        s.call(&["xadd", "s", &format!("{ms}-0"), "a", "1"]);
    }
    assert_eq!(nodes(&mut s).as_deref(), Some("604"));
    s.call(&["xtrim", "s", "maxlen", "0"]);
    assert_eq!(nodes(&mut s).as_deref(), Some("1"));
}
