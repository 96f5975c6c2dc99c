//! Keyspace notifications and WATCH over real connections: a second
//! client's write aborts a watcher's EXEC, and a subscriber receives the
//! keyspace and keyevent messages in Redis's order, including those of
//! the cron's active expiry; a RESP3 client subscribed to its own events
//! gets each push where Redis puts it among its replies. Frames as
//! redis-server 7.0.15 sends them.

mod common;

use common::{Conn, PATIENCE, Server};
use std::time::{Duration, Instant};

/// The two pmessage frames Redis sends for one event (KEA).
fn event(db: u32, key: &str, name: &str) -> Vec<u8> {
    let frame = |channel: String, payload: &str| {
        format!(
            "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n${}\r\n{}\r\n${}\r\n{}\r\n",
            channel.len(),
            channel,
            payload.len(),
            payload
        )
    };
    let mut out = frame(format!("__keyspace@{db}__:{key}"), name);
    out += &frame(format!("__keyevent@{db}__:{name}"), key);
    out.into_bytes()
}

fn events(list: &[(u32, &str, &str)]) -> Vec<u8> {
    list.iter()
        .flat_map(|(db, k, e)| event(*db, k, e))
        .collect()
}

#[test]
fn a_write_from_another_client_aborts_exec() {
    let server = Server::start(&[]);
    let mut watcher = server.conn();
    let mut other = server.conn();
    watcher.roundtrip(b"WATCH k\r\n", b"+OK\r\n");
    other.roundtrip(b"SET k v\r\n", b"+OK\r\n");
    watcher.roundtrip(b"MULTI\r\n", b"+OK\r\n");
    watcher.roundtrip(b"INCR n\r\n", b"+QUEUED\r\n");
    watcher.roundtrip(b"EXEC\r\n", b"*-1\r\n");
    // Unwatched by EXEC: the retry runs.
    watcher.roundtrip(b"WATCH k\r\n", b"+OK\r\n");
    watcher.roundtrip(b"MULTI\r\n", b"+OK\r\n");
    watcher.roundtrip(b"INCR n\r\n", b"+QUEUED\r\n");
    watcher.roundtrip(b"EXEC\r\n", b"*1\r\n:1\r\n");
    // A watcher that disconnects leaves nothing behind for others.
    watcher.roundtrip(b"WATCH k\r\n", b"+OK\r\n");
    watcher.close();
    other.roundtrip(b"SET k w\r\n", b"+OK\r\n");
}

#[test]
fn a_subscriber_gets_keyspace_and_keyevent_messages_in_order() {
    let server = Server::start(&[]);
    let mut sub = server.conn();
    let mut c = server.conn();
    c.roundtrip(b"CONFIG SET notify-keyspace-events KEA\r\n", b"+OK\r\n");
    sub.send(b"PSUBSCRIBE __key*__:*\r\n");
    sub.expect(b"*3\r\n$10\r\npsubscribe\r\n$10\r\n__key*__:*\r\n:1\r\n");
    c.roundtrip(b"SET a 1 EX 100\r\n", b"+OK\r\n");
    sub.expect(&events(&[(0, "a", "set"), (0, "a", "expire")]));
    c.roundtrip(b"RPUSH l x\r\n", b":1\r\n");
    c.roundtrip(b"LMOVE l m LEFT RIGHT\r\n", b"$1\r\nx\r\n");
    sub.expect(&events(&[
        (0, "l", "rpush"),
        (0, "m", "rpush"),
        (0, "l", "lpop"),
        (0, "l", "del"),
    ]));
    c.roundtrip(b"RENAME a b\r\n", b"+OK\r\n");
    sub.expect(&events(&[(0, "a", "rename_from"), (0, "b", "rename_to")]));
    // Nobody reads it: the cron's active expiry deletes it and says so.
    c.roundtrip(b"SET gone 1 PX 20\r\n", b"+OK\r\n");
    let want = events(&[
        (0, "gone", "set"),
        (0, "gone", "expire"),
        (0, "gone", "expired"),
    ]);
    assert_eq!(sub.read_n(want.len(), PATIENCE).bytes, want);
}

#[test]
fn notifications_off_send_nothing() {
    let server = Server::start(&[]);
    let mut sub = server.conn();
    let mut c = server.conn();
    sub.send(b"PSUBSCRIBE *\r\n");
    sub.expect(b"*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n");
    c.roundtrip(b"SET a 1\r\n", b"+OK\r\n");
    c.roundtrip(b"DEL a\r\n", b":1\r\n");
    sub.expect_silence(std::time::Duration::from_millis(100));
}

/// The two push frames (RESP3) Redis sends a client of its own for one
/// event (KEA, database 0, pattern `__key*__:*`).
fn push(key: &str, name: &str) -> Vec<u8> {
    let frame = |channel: String, payload: &str| {
        format!(
            ">4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n${}\r\n{}\r\n${}\r\n{}\r\n",
            channel.len(),
            channel,
            payload.len(),
            payload
        )
    };
    let mut out = frame(format!("__keyspace@0__:{key}"), name);
    out += &frame(format!("__keyevent@0__:{name}"), key);
    out.into_bytes()
}

/// Bytes and push frames, in order.
fn seq(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Waits until the server counts `n` blocked clients.
fn wait_blocked(ctl: &mut Conn, n: usize) {
    let want = format!("blocked_clients:{n}\r\n");
    let deadline = Instant::now() + PATIENCE;
    loop {
        ctl.send(b"INFO clients\r\n");
        let got = ctl.read_quiet(Duration::from_millis(20));
        if String::from_utf8_lossy(&got.bytes).contains(&want) {
            return;
        }
        assert!(Instant::now() < deadline, "never saw {want:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_resp3_client_subscribed_to_its_own_events_gets_them_where_redis_puts_them() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    let mut other = server.conn();
    other.roundtrip(b"CONFIG SET notify-keyspace-events KEA\r\n", b"+OK\r\n");
    c.send(b"HELLO 3\r\n");
    c.read_quiet(Duration::from_millis(50));
    c.roundtrip(
        b"PSUBSCRIBE __key*__:*\r\n",
        b">3\r\n$10\r\npsubscribe\r\n$10\r\n__key*__:*\r\n:1\r\n",
    );
    // The reply, then the event.
    c.roundtrip(b"RPUSH l a b\r\n", &seq(&[b":2\r\n", &push("l", "rpush")]));
    c.roundtrip(b"ZADD z 1 a\r\n", &seq(&[b":1\r\n", &push("z", "zadd")]));
    c.roundtrip(
        b"EXPIRE l 100\r\n",
        &seq(&[b":1\r\n", &push("l", "expire")]),
    );
    // The pop's event inside the reply, after the array header.
    c.roundtrip(
        b"ZPOPMIN z\r\n",
        &seq(&[
            b"*2\r\n",
            &push("z", "zpopmin"),
            b"$1\r\na\r\n,1\r\n",
            &push("z", "del"),
        ]),
    );
    // The push, the element, the pop.
    c.roundtrip(
        b"LMOVE l m LEFT RIGHT\r\n",
        &seq(&[&push("m", "rpush"), b"$1\r\na\r\n", &push("l", "lpop")]),
    );
    // Inside EXEC's array, between the results.
    c.roundtrip(
        b"MULTI\r\nINCRBYFLOAT n 1.5\r\nLSET l 0 q\r\nEXEC\r\n",
        &seq(&[
            b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n",
            &push("n", "incrbyfloat"),
            b"$3\r\n1.5\r\n+OK\r\n",
            &push("l", "lset"),
        ]),
    );
    // Served once another client pushed: that push's event, the reply,
    // then the pop's events.
    c.send(b"BLPOP q 0\r\n");
    wait_blocked(&mut other, 1);
    other.roundtrip(b"RPUSH q x\r\n", b":1\r\n");
    c.expect(&seq(&[
        &push("q", "rpush"),
        b"*2\r\n$1\r\nq\r\n$1\r\nx\r\n",
        &push("q", "lpop"),
        &push("q", "del"),
    ]));
    // A group reader served once woken: its new consumer before the reply.
    other.roundtrip(
        b"XADD x 1-1 f v\r\nXGROUP CREATE x g $\r\n",
        b"$3\r\n1-1\r\n+OK\r\n",
    );
    c.expect(&seq(&[&push("x", "xadd"), &push("x", "xgroup-create")]));
    c.send(b"XREADGROUP GROUP g c BLOCK 0 STREAMS x >\r\n");
    wait_blocked(&mut other, 1);
    other.roundtrip(b"XADD x 2-1 f v\r\n", b"$3\r\n2-1\r\n");
    c.expect(&seq(&[
        &push("x", "xadd"),
        &push("x", "xgroup-createconsumer"),
        b"%1\r\n$1\r\nx\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
    ]));
}
