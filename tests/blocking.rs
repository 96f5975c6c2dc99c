//! Blocking list commands over real connections: clients wait inside the
//! event loop and are served in the order they blocked, time out with the
//! null reply, can be unblocked, and leave nothing behind when they go.
//! Every expected reply was read off Redis 7.0.15 running the same steps.

mod common;

use common::{Server, blocked_client, wait_blocked};
use std::time::{Duration, Instant};

#[test]
fn waiters_are_served_in_the_order_they_blocked() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut first = blocked_client(&server, &mut ctl, 0, &[b"BRPOP", b"q", b"0"]);
    let mut second = blocked_client(&server, &mut ctl, 1, &[b"BRPOP", b"q", b"0"]);
    let mut third = blocked_client(&server, &mut ctl, 2, &[b"BRPOP", b"q", b"0"]);
    ctl.roundtrip(b"RPUSH q 1 2\r\n", b":2\r\n");
    first.expect(b"*2\r\n$1\r\nq\r\n$1\r\n2\r\n");
    second.expect(b"*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
    wait_blocked(&mut ctl, 1);
    ctl.roundtrip(b"RPUSH q 3\r\n", b":1\r\n");
    third.expect(b"*2\r\n$1\r\nq\r\n$1\r\n3\r\n");
    // Everything pushed was handed out: nothing is left in the list.
    ctl.roundtrip(b"EXISTS q\r\n", b":0\r\n");
}

#[test]
fn a_client_is_served_from_the_key_that_became_ready() {
    // Redis 7.0 pops from the key that received data, even when an
    // earlier key of the same BLPOP got data in the same transaction.
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut waiter = blocked_client(&server, &mut ctl, 0, &[b"BLPOP", b"a", b"b", b"0"]);
    ctl.roundtrip(
        b"MULTI\r\nRPUSH b x\r\nRPUSH a y\r\nEXEC\r\n",
        b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:1\r\n:1\r\n",
    );
    waiter.expect(b"*2\r\n$1\r\nb\r\n$1\r\nx\r\n");
    ctl.roundtrip(b"LLEN a\r\n", b":1\r\n");
}

#[test]
fn requests_behind_a_blocked_command_wait_for_it() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut c = server.conn();
    c.send(b"BLPOP k 0\r\nPING\r\n");
    wait_blocked(&mut ctl, 1);
    assert!(c.read_quiet(Duration::from_millis(100)).bytes.is_empty());
    ctl.roundtrip(b"LPUSH k v\r\n", b":1\r\n");
    c.expect(b"*2\r\n$1\r\nk\r\n$1\r\nv\r\n+PONG\r\n");
}

#[test]
fn timeouts_have_sub_second_precision_and_reply_null() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    let start = Instant::now();
    c.roundtrip(b"BLPOP none 0.2\r\n", b"*-1\r\n");
    assert!(
        start.elapsed() >= Duration::from_millis(190),
        "{:?}",
        start.elapsed()
    );
    // BLMOVE too times out with the null array, as in Redis 7.0; RESP3
    // gives the null type.
    c.roundtrip(b"BLMOVE none d LEFT LEFT 0.05\r\n", b"*-1\r\n");
    c.send(b"HELLO 3\r\n");
    c.read_quiet(Duration::from_millis(50));
    c.roundtrip(b"BRPOP none 0.05\r\n", b"_\r\n");
    c.roundtrip(b"BLPOP none -1\r\n", b"-ERR timeout is negative\r\n");
    c.roundtrip(
        b"BLPOP none x\r\n",
        b"-ERR timeout is not a float or out of range\r\n",
    );
}

#[test]
fn a_client_that_disconnects_while_blocked_leaves_nothing_behind() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let gone = blocked_client(&server, &mut ctl, 0, &[b"BLPOP", b"k", b"0"]);
    let mut stays = blocked_client(&server, &mut ctl, 1, &[b"BLPOP", b"other", b"0"]);
    gone.close();
    wait_blocked(&mut ctl, 1);
    // The push is not handed to the departed client: it stays in the list.
    ctl.roundtrip(b"RPUSH k v\r\nLLEN k\r\n", b":1\r\n:1\r\n");
    ctl.roundtrip(b"RPUSH other w\r\n", b":1\r\n");
    stays.expect(b"*2\r\n$5\r\nother\r\n$1\r\nw\r\n");
    wait_blocked(&mut ctl, 0);
}

#[test]
fn pushes_inside_exec_wake_waiters_after_it() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut waiter = blocked_client(&server, &mut ctl, 0, &[b"BLPOP", b"k", b"0"]);
    // Pushed and popped within one EXEC: the waiter sees nothing.
    ctl.roundtrip(
        b"MULTI\r\nLPUSH k a\r\nLPOP k\r\nEXEC\r\n",
        b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:1\r\n$1\r\na\r\n",
    );
    assert!(
        waiter
            .read_quiet(Duration::from_millis(100))
            .bytes
            .is_empty()
    );
    wait_blocked(&mut ctl, 1);
    ctl.roundtrip(
        b"MULTI\r\nLPUSH k b\r\nLPUSH k c\r\nEXEC\r\n",
        b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:1\r\n:2\r\n",
    );
    waiter.expect(b"*2\r\n$1\r\nk\r\n$1\r\nc\r\n");
    ctl.roundtrip(b"LRANGE k 0 -1\r\n", b"*1\r\n$1\r\nb\r\n");
}

#[test]
fn blocking_commands_inside_multi_answer_at_once() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    c.roundtrip(
        b"MULTI\r\nBLPOP l 0\r\nBLMOVE l d LEFT LEFT 0\r\nBRPOPLPUSH l d 0\r\nBLMPOP 0 1 l LEFT\r\nBZPOPMIN z 0\r\nBZMPOP 0 1 z MAX\r\nEXEC\r\n",
        b"+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*6\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n*-1\r\n",
    );
}

#[test]
fn blmove_into_a_waited_on_list_wakes_that_waiter_in_turn() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut mover = blocked_client(
        &server,
        &mut ctl,
        0,
        &[b"BLMOVE", b"src", b"dst", b"LEFT", b"RIGHT", b"0"],
    );
    let mut popper = blocked_client(&server, &mut ctl, 1, &[b"BLPOP", b"dst", b"0"]);
    ctl.roundtrip(b"LPUSH src v\r\n", b":1\r\n");
    mover.expect(b"$1\r\nv\r\n");
    popper.expect(b"*2\r\n$3\r\ndst\r\n$1\r\nv\r\n");
    ctl.roundtrip(b"EXISTS src dst\r\n", b":0\r\n");
    wait_blocked(&mut ctl, 0);
}

#[test]
fn client_unblock_with_timeout_or_error() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut c = server.conn();
    c.send(b"CLIENT ID\r\n");
    let reply = c.read_quiet(Duration::from_millis(50)).bytes;
    let id = String::from_utf8_lossy(&reply)
        .trim_start_matches(':')
        .trim_end()
        .to_string();
    let unblock = |how: &str| format!("CLIENT UNBLOCK {id} {how}\r\n").into_bytes();
    c.send(b"BLMPOP 0 1 x LEFT\r\n");
    wait_blocked(&mut ctl, 1);
    ctl.roundtrip(&unblock("ERROR"), b":1\r\n");
    c.expect(b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    c.send(b"BLPOP x 0\r\n");
    wait_blocked(&mut ctl, 1);
    ctl.roundtrip(&unblock("TIMEOUT"), b":1\r\n");
    c.expect(b"*-1\r\n");
    // Not blocked any more: nothing to unblock.
    ctl.roundtrip(&unblock(""), b":0\r\n");
}

#[test]
fn a_waiter_whose_destination_has_the_wrong_type_gets_wrongtype() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut mover = blocked_client(
        &server,
        &mut ctl,
        0,
        &[b"BLMOVE", b"s1", b"str", b"LEFT", b"LEFT", b"0"],
    );
    ctl.roundtrip(b"SET str x\r\nRPUSH s1 a\r\n", b"+OK\r\n:1\r\n");
    mover.expect(b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    // The element stays where it was.
    ctl.roundtrip(b"LRANGE s1 0 -1\r\n", b"*1\r\n$1\r\na\r\n");
}

#[test]
fn swapdb_serves_clients_waiting_on_keys_the_swap_brings() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut waiter = blocked_client(&server, &mut ctl, 0, &[b"BLPOP", b"k", b"0"]);
    ctl.roundtrip(b"SELECT 1\r\nRPUSH k v\r\n", b"+OK\r\n:1\r\n");
    ctl.roundtrip(b"SWAPDB 0 1\r\n", b"+OK\r\n");
    waiter.expect(b"*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
}

#[test]
fn sorted_set_waiters_are_served_in_order_by_any_write_that_creates_the_key() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    let mut min = blocked_client(&server, &mut ctl, 0, &[b"BZPOPMIN", b"za", b"zb", b"0"]);
    let mut max = blocked_client(&server, &mut ctl, 1, &[b"BZPOPMAX", b"zb", b"0"]);
    let mut many = blocked_client(
        &server,
        &mut ctl,
        2,
        &[b"BZMPOP", b"0", b"1", b"zb", b"MIN", b"COUNT", b"10"],
    );
    ctl.roundtrip(b"ZADD zb 1 a 2 b 3 c\r\n", b":3\r\n");
    min.expect(b"*3\r\n$2\r\nzb\r\n$1\r\na\r\n$1\r\n1\r\n");
    max.expect(b"*3\r\n$2\r\nzb\r\n$1\r\nc\r\n$1\r\n3\r\n");
    many.expect(b"*2\r\n$2\r\nzb\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    // A store command creating the key wakes a waiter too.
    let mut stored = blocked_client(&server, &mut ctl, 0, &[b"BZPOPMIN", b"dst", b"0"]);
    ctl.roundtrip(
        b"ZADD src 5 m\r\nZUNIONSTORE dst 1 src\r\n",
        b":1\r\n:1\r\n",
    );
    stored.expect(b"*3\r\n$3\r\ndst\r\n$1\r\nm\r\n$1\r\n5\r\n");
    // A list waiter is not served by a sorted set under its key.
    let mut lister = blocked_client(&server, &mut ctl, 0, &[b"BLPOP", b"mixed", b"0"]);
    ctl.roundtrip(b"ZADD mixed 1 x\r\n", b":1\r\n");
    assert!(
        lister
            .read_quiet(Duration::from_millis(100))
            .bytes
            .is_empty()
    );
    ctl.roundtrip(b"DEL mixed\r\nRPUSH mixed y\r\n", b":1\r\n:1\r\n");
    lister.expect(b"*2\r\n$5\r\nmixed\r\n$1\r\ny\r\n");
}
