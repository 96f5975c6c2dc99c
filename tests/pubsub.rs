//! Publish/subscribe over real connections: frames as Redis sends them,
//! and a subscriber that stops reading is cut off at the pubsub output
//! buffer limit while the others keep receiving.

mod common;

use common::{PATIENCE, Server, resp};
use std::io::Read;
use std::time::Instant;

#[test]
fn messages_reach_channel_and_pattern_subscribers() {
    let server = Server::start(&[]);
    let mut sub = server.conn();
    sub.send(b"SUBSCRIBE news\r\nPSUBSCRIBE n*\r\n");
    sub.expect(
        b"*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n",
    );
    let mut publisher = server.conn();
    publisher.roundtrip(b"PUBLISH news hi\r\n", b":2\r\n");
    sub.expect(
        b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
    );
    // In RESP2 a subscribed client may only (un)subscribe, PING, QUIT, RESET.
    sub.roundtrip(
        b"GET k\r\n",
        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    sub.roundtrip(b"PING\r\n", b"*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    sub.roundtrip(b"RESET\r\n", b"+RESET\r\n");
    publisher.roundtrip(b"PUBLISH news hi\r\n", b":0\r\n");
}

#[test]
fn a_subscriber_that_never_reads_is_cut_off_and_others_keep_receiving() {
    let server = Server::start(&["--client-output-buffer-limit", "pubsub 8mb 4mb 60"]);
    let mut slow = server.conn();
    slow.send(b"SUBSCRIBE feed\r\n");
    slow.expect(b"*3\r\n$9\r\nsubscribe\r\n$4\r\nfeed\r\n:1\r\n");
    let mut fast = server.conn();
    fast.send(b"SUBSCRIBE feed\r\n");
    fast.expect(b"*3\r\n$9\r\nsubscribe\r\n$4\r\nfeed\r\n:1\r\n");

    // 80 MB of messages: far more than the kernel's socket buffers can
    // hide from the server, so the slow subscriber's backlog passes 8 MB.
    let payload = vec![b'x'; 4096];
    let one = resp(&[b"PUBLISH", b"feed", &payload]);
    let messages = 20_000;
    // One PUBLISH at a time, waiting for each reply, so the fast
    // subscriber's reading keeps pace whatever the machine's speed.
    let mut publisher = server.conn();
    let sender = std::thread::spawn(move || {
        let mut replies = Vec::new();
        for _ in 0..messages {
            publisher.send(&one);
            replies.push(publisher.read_n(4, PATIENCE).bytes);
        }
        replies
    });
    // The fast subscriber reads everything as it comes.
    let frame = format!(
        "*3\r\n$7\r\nmessage\r\n$4\r\nfeed\r\n$4096\r\n{}\r\n",
        "x".repeat(4096)
    );
    let mut received = 0usize;
    let mut buf = vec![0u8; 1 << 20];
    let mut pending = Vec::new();
    let deadline = Instant::now() + PATIENCE * 10;
    let mut fast_stream = fast.into_stream();
    while received < messages {
        assert!(
            Instant::now() < deadline,
            "only {received} of {messages} messages arrived"
        );
        let n = match fast_stream.read(&mut buf) {
            Ok(n) => n,
            // A read timeout: nothing yet, try again until the deadline.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) => panic!("fast subscriber read failed: {e}"),
        };
        assert!(n > 0, "fast subscriber was disconnected");
        pending.extend_from_slice(&buf[..n]);
        // Whole frames are checked in place and dropped once per read: a
        // drain per frame would move the buffer each time and let a slow
        // (debug, loaded) test fall behind until the server cuts it off.
        let mut at = 0;
        while pending.len() - at >= frame.len() {
            assert_eq!(&pending[at..at + frame.len()], frame.as_bytes());
            at += frame.len();
            received += 1;
        }
        pending.drain(..at);
    }
    let replies = sender.join().expect("publisher thread");
    // Early messages reached both subscribers; once the slow one was cut
    // off, only one.
    assert_eq!(replies.first().map(Vec::as_slice), Some(&b":2\r\n"[..]));
    assert_eq!(replies.last().map(Vec::as_slice), Some(&b":1\r\n"[..]));
    // The slow subscriber was closed: after whatever the kernel buffered,
    // the connection ends.
    let got = slow.read_to_close();
    assert!(got.closed, "slow subscriber still connected");
    assert!(
        server.wait_for_log("scheduled to be closed ASAP for overcoming of output buffer limits")
    );
}
