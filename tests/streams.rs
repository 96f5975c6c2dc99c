//! Blocking stream reads over real connections: XREAD and XREADGROUP
//! with BLOCK wait inside the event loop, are served by XADD in the order
//! they blocked, time out with the null array, read `$` as the end of the
//! stream when they blocked, and get an error when their group goes.
//! Every expected reply was read off Redis 7.0.15 running the same steps.

mod common;

use common::{Server, blocked_client, resp, wait_blocked};
use std::time::{Duration, Instant};

const ENTRY_2_1: &[u8] =
    b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n";

#[test]
fn xread_dollar_waits_for_the_next_entry_and_serves_every_waiter() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"1-1", b"f", b"v"]),
        b"$3\r\n1-1\r\n",
    );
    let xread: &[&[u8]] = &[b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"];
    let mut first = blocked_client(&server, &mut ctl, 0, xread);
    let mut second = blocked_client(
        &server,
        &mut ctl,
        1,
        &[
            b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"nokey", b"$", b"$",
        ],
    );
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"2-1", b"g", b"w"]),
        b"$3\r\n2-1\r\n",
    );
    first.expect(ENTRY_2_1);
    second.expect(ENTRY_2_1);
    wait_blocked(&mut ctl, 0);
}

#[test]
fn xread_times_out_with_the_null_array() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    c.roundtrip(
        &resp(&[b"XADD", b"s", b"1-1", b"f", b"v"]),
        b"$3\r\n1-1\r\n",
    );
    let start = Instant::now();
    c.roundtrip(
        &resp(&[b"XREAD", b"BLOCK", b"100", b"STREAMS", b"s", b"$"]),
        b"*-1\r\n",
    );
    assert!(start.elapsed() >= Duration::from_millis(90));
    // Inside MULTI a blocking read answers at once.
    c.roundtrip(b"MULTI\r\n", b"+OK\r\n");
    c.roundtrip(
        &resp(&[b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"]),
        b"+QUEUED\r\n",
    );
    c.roundtrip(b"EXEC\r\n", b"*1\r\n*-1\r\n");
}

#[test]
fn xreadgroup_waiters_share_new_entries_in_fifo_order() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"1-1", b"f", b"v"]),
        b"$3\r\n1-1\r\n",
    );
    ctl.roundtrip(
        &resp(&[b"XGROUP", b"CREATE", b"s", b"grp", b"$"]),
        b"+OK\r\n",
    );
    let read = |name: &'static [u8]| -> Vec<&'static [u8]> {
        vec![
            b"XREADGROUP",
            b"GROUP",
            b"grp",
            name,
            b"BLOCK",
            b"0",
            b"STREAMS",
            b"s",
            b">",
        ]
    };
    let mut c1 = blocked_client(&server, &mut ctl, 0, &read(b"c1"));
    let mut c2 = blocked_client(&server, &mut ctl, 1, &read(b"c2"));
    // A consumer is made only when it is served, as in Redis 7.0.
    ctl.roundtrip(&resp(&[b"XINFO", b"CONSUMERS", b"s", b"grp"]), b"*0\r\n");
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"3-1", b"h", b"x"]),
        b"$3\r\n3-1\r\n",
    );
    c1.expect(b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nh\r\n$1\r\nx\r\n");
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"4-1", b"h", b"y"]),
        b"$3\r\n4-1\r\n",
    );
    c2.expect(b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nh\r\n$1\r\ny\r\n");
    ctl.roundtrip(
        &resp(&[b"XPENDING", b"s", b"grp"]),
        b"*4\r\n:2\r\n$3\r\n3-1\r\n$3\r\n4-1\r\n*2\r\n*2\r\n$2\r\nc1\r\n$1\r\n1\r\n*2\r\n$2\r\nc2\r\n$1\r\n1\r\n",
    );
    // Destroying the group wakes its waiter with an error.
    let mut c3 = blocked_client(&server, &mut ctl, 0, &read(b"c3"));
    ctl.roundtrip(&resp(&[b"XGROUP", b"DESTROY", b"s", b"grp"]), b":1\r\n");
    c3.expect(b"-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
}

#[test]
fn a_waiter_on_an_explicit_id_is_served_from_past_it() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut w = blocked_client(
        &server,
        &mut ctl,
        0,
        &[
            b"XREAD", b"COUNT", b"5", b"BLOCK", b"0", b"STREAMS", b"s", b"1-5",
        ],
    );
    // Entries at or below the ID do not wake it.
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"1-5", b"a", b"1"]),
        b"$3\r\n1-5\r\n",
    );
    w.expect_silence(Duration::from_millis(100));
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"1-6", b"a", b"2"]),
        b"$3\r\n1-6\r\n",
    );
    w.expect(b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-6\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n");
}

#[test]
fn deleting_the_stream_unblocks_group_readers_with_an_error_but_not_plain_readers() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    ctl.roundtrip(
        &resp(&[b"XGROUP", b"CREATE", b"s", b"g", b"$", b"MKSTREAM"]),
        b"+OK\r\n",
    );
    let mut group_reader = blocked_client(
        &server,
        &mut ctl,
        0,
        &[
            b"XREADGROUP",
            b"GROUP",
            b"g",
            b"c",
            b"BLOCK",
            b"0",
            b"STREAMS",
            b"s",
            b">",
        ],
    );
    let mut reader = blocked_client(
        &server,
        &mut ctl,
        1,
        &[b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"],
    );
    ctl.roundtrip(&resp(&[b"DEL", b"s"]), b":1\r\n");
    group_reader.expect(b"-UNBLOCKED the stream key no longer exists\r\n");
    wait_blocked(&mut ctl, 1);
    ctl.roundtrip(
        &resp(&[b"XADD", b"s", b"1-1", b"f", b"v"]),
        b"$3\r\n1-1\r\n",
    );
    reader.expect(b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
}

#[test]
fn overwriting_or_flushing_the_stream_unblocks_group_readers() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let wait_group = [
        &b"XREADGROUP"[..],
        b"GROUP",
        b"g",
        b"c",
        b"BLOCK",
        b"0",
        b"STREAMS",
        b"s",
        b">",
    ];
    let set: &[&[u8]] = &[b"SET", b"s", b"x"];
    let flushall: &[&[u8]] = &[b"FLUSHALL"];
    for replace in [set, flushall] {
        ctl.roundtrip(&resp(&[b"FLUSHALL"]), b"+OK\r\n");
        ctl.roundtrip(
            &resp(&[b"XGROUP", b"CREATE", b"s", b"g", b"$", b"MKSTREAM"]),
            b"+OK\r\n",
        );
        let mut reader = blocked_client(&server, &mut ctl, 0, &wait_group);
        ctl.roundtrip(&resp(replace), b"+OK\r\n");
        reader.expect(b"-UNBLOCKED the stream key no longer exists\r\n");
        wait_blocked(&mut ctl, 0);
    }
}
