//! Keyspace notifications and WATCH over real connections: a second
//! client's write aborts a watcher's EXEC, and a subscriber receives the
//! keyspace and keyevent messages in Redis's order, including those of
//! the cron's active expiry. Frames as redis-server 7.0.15 sends them.

mod common;

use common::{PATIENCE, Server};

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
