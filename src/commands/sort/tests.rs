//! SORT and SORT_RO against replies read off redis-server 7.0.15 for the
//! same commands (the oracle's locale collates as C.UTF-8, byte order,
//! which is also what these tests get).

use crate::commands::testkit::Session;

#[test]
fn sort_orders_limits_patterns_and_errors() {
    let mut s = Session::new();
    // Numbers by value; equal values by their bytes; errors for non-numbers.
    s.check("rpush l 3 1 2 10 1.5 -2 1e1 0x10", b":8\r\n");
    s.check("sort l", b"*8\r\n$2\r\n-2\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$3\r\n1e1\r\n$4\r\n0x10\r\n");
    s.check("sort l desc", b"*8\r\n$4\r\n0x10\r\n$3\r\n1e1\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$3\r\n1.5\r\n$1\r\n1\r\n$2\r\n-2\r\n");
    s.check(
        "sort l limit 1 3",
        b"*3\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n",
    );
    s.check("sort l limit 0 0", b"*0\r\n");
    s.check("sort l limit -5 2", b"*2\r\n$2\r\n-2\r\n$1\r\n1\r\n");
    s.check("sort l limit 10 5", b"*0\r\n");
    s.check(
        "sort l limit 2 -1",
        b"*6\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$3\r\n1e1\r\n$4\r\n0x10\r\n",
    );
    s.check(
        "sort l limit 2 9223372036854775807",
        b"*6\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$3\r\n1e1\r\n$4\r\n0x10\r\n",
    );
    s.check("sort l limit 1", b"-ERR syntax error\r\n");
    s.check(
        "sort l limit a 1",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check("rpush bad 1 x 2", b":3\r\n");
    s.check(
        "sort bad",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
    s.check("sort bad alpha", b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nx\r\n");
    s.check(
        "sort bad store dst",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
    s.check("exists dst", b":0\r\n");
    s.check("rpush sp 01 +5 .5 5. -0", b":5\r\n");
    s.check(
        "sort sp",
        b"*5\r\n$2\r\n-0\r\n$2\r\n.5\r\n$2\r\n01\r\n$2\r\n+5\r\n$2\r\n5.\r\n",
    );
    s.check("rpush nan nan 1", b":2\r\n");
    s.check(
        "sort nan",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
    // ALPHA compares strings; STORE keeps the result as a list.
    s.check("rpush w banana apple cherry 10 9 Apple", b":6\r\n");
    s.check("sort w alpha", b"*6\r\n$2\r\n10\r\n$1\r\n9\r\n$5\r\nApple\r\n$5\r\napple\r\n$6\r\nbanana\r\n$6\r\ncherry\r\n");
    s.check(
        "sort w alpha desc limit 0 2",
        b"*2\r\n$6\r\ncherry\r\n$6\r\nbanana\r\n",
    );
    s.check("sort w alpha store out", b":6\r\n");
    s.check("lrange out 0 -1", b"*6\r\n$2\r\n10\r\n$1\r\n9\r\n$5\r\nApple\r\n$5\r\napple\r\n$6\r\nbanana\r\n$6\r\ncherry\r\n");
    s.check("object encoding out", b"$9\r\nquicklist\r\n");
    s.check("type out", b"+list\r\n");
    s.check("sort w alpha limit 100 1 store out", b":0\r\n");
    s.check("exists out", b":0\r\n");
    s.check("set out x", b"+OK\r\n");
    s.check("sort nosuch store out", b":0\r\n");
    s.check("exists out", b":0\r\n");
    // BY constant keeps the collection's order, reversed by DESC.
    s.check("sort w by nosort", b"*6\r\n$6\r\nbanana\r\n$5\r\napple\r\n$6\r\ncherry\r\n$2\r\n10\r\n$1\r\n9\r\n$5\r\nApple\r\n");
    s.check("sort w by nosort desc", b"*6\r\n$5\r\nApple\r\n$1\r\n9\r\n$2\r\n10\r\n$6\r\ncherry\r\n$5\r\napple\r\n$6\r\nbanana\r\n");
    s.check(
        "sort w by nosort limit 1 2",
        b"*2\r\n$5\r\napple\r\n$6\r\ncherry\r\n",
    );
    s.check(
        "sort w by nosort desc limit 1 2",
        b"*2\r\n$1\r\n9\r\n$2\r\n10\r\n",
    );
    s.check("sort w by nosort desc limit 10 2", b"*0\r\n");
    // BY pattern and GET patterns (strings and hash fields).
    s.check("rpush ids 1 2 3 4", b":4\r\n");
    s.check(
        "mset weight_1 30 weight_2 10 weight_3 20 name_1 one name_2 two name_3 three",
        b"+OK\r\n",
    );
    s.check("hset obj_1 w 3 n uno", b":2\r\n");
    s.check("hset obj_2 w 1 n dos", b":2\r\n");
    s.check("hset obj_4 w 2", b":1\r\n");
    s.check(
        "sort ids by weight_*",
        b"*4\r\n$1\r\n4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n",
    );
    s.check("sort ids by weight_* desc get name_* get #", b"*8\r\n$3\r\none\r\n$1\r\n1\r\n$5\r\nthree\r\n$1\r\n3\r\n$3\r\ntwo\r\n$1\r\n2\r\n$-1\r\n$1\r\n4\r\n");
    s.check("sort ids by obj_*->w get obj_*->n get # get nope", b"*12\r\n$-1\r\n$1\r\n3\r\n$-1\r\n$3\r\ndos\r\n$1\r\n2\r\n$-1\r\n$-1\r\n$1\r\n4\r\n$-1\r\n$3\r\nuno\r\n$1\r\n1\r\n$-1\r\n");
    s.check(
        "sort ids by obj_*->w alpha",
        b"*4\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n4\r\n$1\r\n1\r\n",
    );
    s.check(
        "sort ids by weight_* alpha desc",
        b"*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n4\r\n",
    );
    s.check(
        "sort ids by obj_*-> get obj_*->",
        b"*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n",
    );
    s.check("sort ids get name_* get # store names", b":8\r\n");
    s.check("lrange names 0 -1", b"*8\r\n$3\r\none\r\n$1\r\n1\r\n$3\r\ntwo\r\n$1\r\n2\r\n$5\r\nthree\r\n$1\r\n3\r\n$0\r\n\r\n$1\r\n4\r\n");
    s.check("sort ids by weight_* get obj_*->n store names2", b":4\r\n");
    s.check(
        "lrange names2 0 -1",
        b"*4\r\n$0\r\n\r\n$3\r\ndos\r\n$0\r\n\r\n$3\r\nuno\r\n",
    );
    s.check("set weight_4 notanumber", b"+OK\r\n");
    s.check(
        "sort ids by weight_*",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
    s.check(
        "sort ids by weight_* alpha",
        b"*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n4\r\n",
    );
    s.check(
        "sort ids by nosort get name_*",
        b"*4\r\n$3\r\none\r\n$3\r\ntwo\r\n$5\r\nthree\r\n$-1\r\n",
    );
    s.check(
        "sort ids by weight_* by nosort",
        b"*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n",
    );
    s.check("sort ids get", b"-ERR syntax error\r\n");
    s.check("sort ids by", b"-ERR syntax error\r\n");
    // Sets: ordered as integers, and a constant BY with STORE sorts anyway.
    s.check("sadd si 5 3 9 1", b":4\r\n");
    s.check(
        "sort si",
        b"*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n",
    );
    s.check(
        "sort si by nosort",
        b"*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n",
    );
    s.check("sort si desc limit 1 2", b"*2\r\n$1\r\n5\r\n$1\r\n3\r\n");
    s.check("sadd ss b a c", b":3\r\n");
    s.check("sort ss alpha", b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check("sort ss by nosort store sst", b":3\r\n");
    s.check(
        "lrange sst 0 -1",
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    // Sorted sets: by member value, or in score order with a constant BY.
    s.check("zadd z 3 c 1 a 2 b", b":3\r\n");
    s.check("sort z alpha", b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    s.check(
        "sort z by nosort",
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    s.check(
        "sort z by nosort desc limit 0 2",
        b"*2\r\n$1\r\nc\r\n$1\r\nb\r\n",
    );
    s.check("object encoding z", b"$8\r\nskiplist\r\n");
    s.check("zadd zn 1 10 2 9 3 8", b":3\r\n");
    s.check("sort zn", b"*3\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n");
    s.check("sort zn by nosort limit 1 1", b"*1\r\n$1\r\n9\r\n");
    // Errors and read-only.
    s.check("set str v", b"+OK\r\n");
    s.check(
        "sort str",
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    s.check("sort str foo", b"-ERR syntax error\r\n");
    s.check("sort nosuch", b"*0\r\n");
    s.check(
        "sort_ro ids by weight_* get name_*",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
    s.check("sort_ro ids store x", b"-ERR syntax error\r\n");
    s.check("sort l foo", b"-ERR syntax error\r\n");
    s.check("sort l asc desc asc", b"*8\r\n$2\r\n-2\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$3\r\n1e1\r\n$4\r\n0x10\r\n");
    // Last: Redis does not clear errno before this strtod, so after an
    // overflow every later numeric SORT of strings fails until some other
    // command clears it; ferredis does not copy that.
    s.check("rpush big 1e400 1", b":2\r\n");
    s.check(
        "sort big",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
    s.check("rpush tiny 1e-400 1", b":2\r\n");
    s.check(
        "sort tiny",
        b"-ERR One or more scores can't be converted into double\r\n",
    );
}

#[test]
fn sort_reads_numbers_and_strings_as_c_does() {
    let mut s = Session::new();
    // strtod takes leading spaces, reads "" as 0 and stops at a NUL.
    s.check_args(&[b"RPUSH", b"l", b" 2", b"", b"1\0x", b"-1"], b":4\r\n");
    s.check_args(
        &[b"SORT", b"l"],
        b"*4\r\n$2\r\n-1\r\n$0\r\n\r\n$3\r\n1\0x\r\n$2\r\n 2\r\n",
    );
    // Keywords too stop at a NUL.
    s.check_args(
        &[b"SORT", b"l", b"DESC\0junk", b"LIMIT", b"0", b"1"],
        b"*1\r\n$2\r\n 2\r\n",
    );
}

#[test]
fn sort_getkeys_finds_the_last_store() {
    let mut s = Session::new();
    s.check(
        "command getkeys sort k store a limit 0 1 store b get x by y",
        b"*2\r\n$1\r\nk\r\n$1\r\nb\r\n",
    );
    s.check("command getkeys sort k store", b"*1\r\n$1\r\nk\r\n");
    s.check(
        "command getkeys sort_ro k limit 0 1 get x",
        b"*1\r\n$1\r\nk\r\n",
    );
}
