//! The request protocol over real sockets: how requests may be split and
//! pipelined, every protocol error Redis 7.0 reports (exact text, then the
//! connection is closed), inline syntax, and that no client — one that
//! vanishes, announces a huge bulk, never reads, or floods the query
//! buffer — can stop the server from serving the others.
//!
//! Every expected byte string here was checked against Redis 7.0.15.

mod common;

use common::{PATIENCE, Server, bulk, resp, show};
use std::io::{Read, Write};
use std::thread;
use std::time::Duration;

/// Long enough to be sure a reply is not coming, short enough to keep the
/// suite fast.
const QUIET: Duration = Duration::from_millis(150);

/// Checks the server still answers a fresh client.
fn assert_serving(server: &Server) {
    server.conn().roundtrip(b"PING\r\n", b"+PONG\r\n");
}

#[test]
fn a_command_split_into_one_byte_writes() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    let set = resp(&[b"SET", b"k", b"hello"]);
    let (head, last) = set.split_at(set.len() - 1);
    for b in head {
        c.send(&[*b]);
        thread::sleep(Duration::from_millis(1));
    }
    // Everything but the final byte is there: still no command to run.
    c.expect_silence(QUIET);
    c.send(last);
    c.expect(b"+OK\r\n");
    for b in b"GET k\r\n" {
        c.send(&[*b]);
        thread::sleep(Duration::from_millis(1));
    }
    c.expect(b"$5\r\nhello\r\n");
    c.expect_silence(QUIET);
}

#[test]
fn ten_thousand_pipelined_commands_in_one_write() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    let mut request = Vec::new();
    let mut expected = Vec::new();
    for i in 0..10_000u32 {
        let n = i.to_string();
        match i % 4 {
            0 => {
                request.extend(resp(&[b"SET", format!("k{i}").as_bytes(), n.as_bytes()]));
                expected.extend(b"+OK\r\n");
            }
            1 => {
                request.extend(resp(&[b"GET", format!("k{}", i - 1).as_bytes()]));
                expected.extend(bulk((i - 1).to_string().as_bytes()));
            }
            2 => {
                request.extend(format!("ECHO {n}\r\n").as_bytes());
                expected.extend(bulk(n.as_bytes()));
            }
            _ => {
                request.extend(b"PING\r\n");
                expected.extend(b"+PONG\r\n");
            }
        }
    }
    // One write from another thread, so replies are read while it runs.
    let mut writer = c.try_clone();
    let sender = thread::spawn(move || writer.send(&request));
    let got = c.read_n(expected.len(), PATIENCE);
    sender.join().expect("writer thread");
    assert!(!got.closed);
    assert_eq!(got.bytes.len(), expected.len());
    assert!(got.bytes == expected, "replies out of order or wrong");
    c.expect_silence(QUIET);
}

/// Requests that are protocol errors, with the reply Redis gives before
/// closing the connection.
const PROTOCOL_ERRORS: &[(&[u8], &[u8])] = &[
    (
        b"*x\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*+1\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*01\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*-0\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*2147483648\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*1 \r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    // A header line ends at `\r`: a bare `\n` leaves junk in the count.
    (
        b"*1\n$4\nPING\r\n",
        b"-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*1\r\nx\r\n",
        b"-ERR Protocol error: expected '$', got 'x'\r\n",
    ),
    (
        b"*2\r\n$4\r\nECHO\r\n:1\r\n",
        b"-ERR Protocol error: expected '$', got ':'\r\n",
    ),
    (
        b"*1\r\n$-1\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"*1\r\n$-0\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"*1\r\n$04\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"*1\r\n$+4\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"*1\r\n$\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"*1\r\n$x\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"*1\r\n$536870913\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    ),
    (
        b"set \"a\r\n",
        b"-ERR Protocol error: unbalanced quotes in request\r\n",
    ),
    (
        b"set 'a\r\n",
        b"-ERR Protocol error: unbalanced quotes in request\r\n",
    ),
    (
        b"set \"a\"b\r\n",
        b"-ERR Protocol error: unbalanced quotes in request\r\n",
    ),
    (
        b"ECHO 'a'b\r\n",
        b"-ERR Protocol error: unbalanced quotes in request\r\n",
    ),
    // Replies to the commands before the bad one still go out, in order.
    (
        b"PING\r\n*x\r\n",
        b"+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n",
    ),
    (
        b"*1\r\n$4\r\nPING\r\n*1\r\n$-1\r\n",
        b"+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
    ),
];

#[test]
fn protocol_errors_reply_then_close() {
    let server = Server::start(&[]);
    for (request, reply) in PROTOCOL_ERRORS {
        let mut c = server.conn();
        c.send(request);
        let got = c.read_to_close();
        assert!(
            got.bytes == *reply && got.closed,
            "request {}\nexpected {} then close\n     got {} (closed: {})",
            show(request),
            show(reply),
            show(&got.bytes),
            got.closed
        );
    }
    assert_serving(&server);
}

/// Before it authenticates, a client may announce at most 10 arguments
/// and bulks of at most 16 KiB.
#[test]
fn unauthenticated_clients_are_limited() {
    let server = Server::start(&["--requirepass", "s3cret"]);
    let cases: &[(&[u8], &[u8])] = &[
        (b"*11\r\n", b"-ERR Protocol error: unauthenticated multibulk length\r\n"),
        (b"*1\r\n$16385\r\n", b"-ERR Protocol error: unauthenticated bulk length\r\n"),
        (
            b"PING\r\n*12\r\n",
            b"-NOAUTH Authentication required.\r\n-ERR Protocol error: unauthenticated multibulk length\r\n",
        ),
        // The general checks come first.
        (b"*2147483648\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    ];
    for (request, reply) in cases {
        let mut c = server.conn();
        c.send(request);
        c.expect_then_close(reply);
    }
    // At the limits, or once authenticated (even in the same write), fine.
    for at_limit in [b"*10\r\n".as_slice(), b"*1\r\n$16384\r\n"] {
        let mut c = server.conn();
        c.send(at_limit);
        c.expect_silence(QUIET);
    }
    let value = vec![b'v'; 20_000];
    let mut request = b"AUTH s3cret\r\n".to_vec();
    request.extend(resp(&[b"SET", b"k", &value]));
    request.extend(resp(&[b"ECHO".as_slice(); 11]));
    request.extend(b"GET k\r\n");
    let mut c = server.conn();
    c.roundtrip(
        &request,
        &[
            b"+OK\r\n+OK\r\n-ERR wrong number of arguments for 'echo' command\r\n".as_slice(),
            &bulk(&value),
        ]
        .concat(),
    );
}

/// The three size limits on lines: 64 KiB (PROTO_INLINE_MAX_SIZE) of
/// inline request, multibulk count line or bulk length line without its
/// end. Exactly 64 KiB is still accepted; one byte more is an error.
#[test]
fn too_big_lines_reply_then_close() {
    let server = Server::start(&[]);
    let limit = 64 * 1024;
    let cases: [(Vec<u8>, &[u8]); 3] = [
        (
            vec![b'a'; limit + 1],
            b"-ERR Protocol error: too big inline request\r\n",
        ),
        (
            [b"*".as_slice(), &vec![b'1'; limit]].concat(),
            b"-ERR Protocol error: too big mbulk count string\r\n",
        ),
        (
            [b"*1\r\n$".as_slice(), &vec![b'1'; limit]].concat(),
            b"-ERR Protocol error: too big bulk count string\r\n",
        ),
    ];
    for (request, reply) in &cases {
        let mut c = server.conn();
        c.send(request);
        c.expect_then_close(reply);
    }

    // At the limit: no error yet; the line ends up invalid once complete.
    let mut c = server.conn();
    c.send(&[b"*".as_slice(), &vec![b'1'; limit - 1]].concat());
    c.expect_silence(QUIET);
    c.send(b"\r\n");
    c.expect_then_close(b"-ERR Protocol error: invalid multibulk length\r\n");

    let mut c = server.conn();
    c.send(&[b"*1\r\n$".as_slice(), &vec![b'1'; limit - 1]].concat());
    c.expect_silence(QUIET);
    c.send(b"\r\n");
    c.expect_then_close(b"-ERR Protocol error: invalid bulk length\r\n");

    // Once its end is in, a line of any length is a request.
    let mut c = server.conn();
    c.send(&vec![b'a'; limit]);
    c.expect_silence(QUIET);
    c.send(b"\r\n");
    let name = "a".repeat(128);
    c.expect(format!("-ERR unknown command '{name}', with args beginning with: \r\n").as_bytes());
    c.roundtrip(b"PING\r\n", b"+PONG\r\n");
}

#[test]
fn proto_max_bulk_len_bounds_bulks() {
    let server = Server::start(&["--proto-max-bulk-len", "1mb"]);
    let mut c = server.conn();
    c.send(b"*1\r\n$1048577\r\n");
    c.expect_then_close(b"-ERR Protocol error: invalid bulk length\r\n");

    let value = vec![b'z'; 1024 * 1024];
    let mut c = server.conn();
    let mut request = resp(&[b"SET", b"k", &value]);
    request.extend(resp(&[b"GET", b"k"]));
    let mut writer = c.try_clone();
    let sender = thread::spawn(move || writer.send(&request));
    c.expect(&[b"+OK\r\n".as_slice(), &bulk(&value)].concat());
    sender.join().expect("writer thread");
}

#[test]
fn empty_requests_are_skipped() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    c.send(b"*0\r\n*-1\r\n*-5\r\n\r\n   \r\n\n\t\r\n");
    c.expect_silence(QUIET);
    c.roundtrip(b"*0\r\nPING\r\n", b"+PONG\r\n");
    c.expect_silence(QUIET);
}

#[test]
fn inline_quotes_and_escapes() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    let cases: &[(&[u8], &[u8])] = &[
        (
            b"SET k \"a\\x41\\n\\\"b\\tc\"\r\nGET k\r\n",
            b"+OK\r\n$7\r\naA\n\"b\tc\r\n",
        ),
        // In single quotes only \' is an escape.
        (b"SET k 'c\\'d\\n'\r\nGET k\r\n", b"+OK\r\n$5\r\nc'd\\n\r\n"),
        (b"SET k \"\"\r\nGET k\r\n", b"+OK\r\n$0\r\n\r\n"),
        (
            b"SET k \"a\\r\\b\\a\\z\"\r\nGET k\r\n",
            b"+OK\r\n$5\r\na\r\x08\x07z\r\n",
        ),
        // An incomplete or invalid \x escape is kept as a plain `x`.
        (b"SET k \"\\x4\"\r\nGET k\r\n", b"+OK\r\n$2\r\nx4\r\n"),
        (b"ECHO \"\\xzz\"\r\n", b"$3\r\nxzz\r\n"),
        (b"  ECHO   hello   \r\n", b"$5\r\nhello\r\n"),
        (
            b"ECHO a\tb\r\n",
            b"-ERR wrong number of arguments for 'echo' command\r\n",
        ),
        (b"ECHO a\r\r\n", b"$1\r\na\r\n"),
        (
            b"ECHO \"x y\" 'z'\r\n",
            b"-ERR wrong number of arguments for 'echo' command\r\n",
        ),
        (b"ECHO \"x y\"\r\n", b"$3\r\nx y\r\n"),
    ];
    for (request, reply) in cases {
        c.roundtrip(request, reply);
    }
    c.expect_silence(QUIET);
}

#[test]
fn a_bare_newline_ends_an_inline_request() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    c.roundtrip(b"PING\n", b"+PONG\r\n");
    c.roundtrip(b"\n\n\nECHO hi\n", b"$2\r\nhi\r\n");
    c.roundtrip(b"SET k v\nGET k\n", b"+OK\r\n$1\r\nv\r\n");
    // In a multibulk request the two bytes after a bulk are not checked.
    c.roundtrip(b"*1\r\n$4\r\nPING\n\n", b"+PONG\r\n");
}

#[test]
fn binary_safe_bulks() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    let key = b"k\0\n";
    let value = b"\r\n\0ab\xff";
    let mut request = resp(&[b"SET", key, value]);
    request.extend(resp(&[b"GET", key]));
    request.extend(resp(&[b"SET", b"", b""]));
    request.extend(resp(&[b"GET", b""]));
    c.roundtrip(&request, b"+OK\r\n$6\r\n\r\n\0ab\xff\r\n+OK\r\n$0\r\n\r\n");
}

#[test]
fn a_client_vanishing_mid_command_does_not_disturb_others() {
    let server = Server::start(&[]);
    let mut other = server.conn();
    other.roundtrip(b"PING\r\n", b"+PONG\r\n");
    for partial in [
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhel".as_slice(),
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\nabc",
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5",
        b"SET k abc",
    ] {
        let mut c = server.conn();
        c.send(partial);
        c.expect_silence(Duration::from_millis(20));
        c.close();
        other.roundtrip(b"GET k\r\n", b"$-1\r\n");
    }
    other.roundtrip(b"PING\r\n", b"+PONG\r\n");
    assert_serving(&server);
}

/// A client announces a 512 MB bulk (and two billion arguments) and never
/// sends the data: others are served, and the server does not commit
/// memory for what was only announced.
#[test]
fn huge_announced_sizes_are_not_preallocated() {
    let server = Server::start(&[]);
    let mut other = server.conn();
    other.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let rss_before = server.rss_bytes();

    let mut big_bulk = server.conn();
    big_bulk.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n");
    big_bulk.send(&vec![b'x'; 100_000]);
    let mut big_count = server.conn();
    big_count.send(b"*2147483647\r\n$4\r\nPING\r\n");
    let mut both = server.conn();
    both.send(b"*2147483647\r\n$536870912\r\nabc");

    for _ in 0..20 {
        other.roundtrip(b"GET k\r\n", b"$-1\r\n");
    }
    big_bulk.expect_silence(QUIET);
    big_count.expect_silence(Duration::ZERO);
    both.expect_silence(Duration::ZERO);
    let rss_after = server.rss_bytes();
    let grown = rss_after.saturating_sub(rss_before);
    assert!(
        grown < 32 * 1024 * 1024,
        "RSS grew by {grown} bytes ({rss_before} -> {rss_after})"
    );
}

/// A client pipelines requests for megabytes of replies, keeps sending
/// more, and never reads: its replies wait in its output buffer while
/// others are served.
#[test]
fn a_client_that_never_reads_does_not_block_others() {
    let server = Server::start(&[]);
    let value = vec![b'v'; 64 * 1024];
    let mut setup = server.conn();
    setup.roundtrip(&resp(&[b"SET", b"big", &value]), b"+OK\r\n");

    const GETS: usize = 500;
    const PINGS: usize = 500_000;
    let mut greedy = server.conn();
    let mut writer = greedy.try_clone();
    let sender = thread::spawn(move || {
        writer.send(&b"GET big\r\n".repeat(GETS));
        // 3 MB more, in 64 KB writes, while the replies pile up unread.
        for chunk in b"PING\r\n".repeat(PINGS).chunks(64 * 1024) {
            writer.send(chunk);
        }
    });

    // A server stuck on the greedy client would never answer: each
    // roundtrip fails after PATIENCE. No tighter bound is asserted, as
    // how long the greedy client's own work takes depends on the
    // machine's load.
    let mut other = server.conn();
    for i in 0..50 {
        let n = i.to_string();
        other.roundtrip(format!("ECHO {n}\r\n").as_bytes(), &bulk(n.as_bytes()));
    }
    other.roundtrip(b"GET big\r\n", &bulk(&value));
    sender.join().expect("writer thread");
    // Every reply owed to the greedy client is still delivered, in order.
    let one = bulk(&value);
    let total = one.len() * GETS + b"+PONG\r\n".len() * PINGS;
    let all = greedy.read_n(total, PATIENCE);
    assert_eq!(all.bytes.len(), total);
    let (gets, pings) = all.bytes.split_at(one.len() * GETS);
    assert!(gets.chunks(one.len()).all(|r| r == one));
    assert!(pings.chunks(7).all(|r| r == b"+PONG\r\n"));
    greedy.expect_silence(QUIET);
}

#[test]
fn client_query_buffer_limit_closes_the_client() {
    let server = Server::start(&["--client-query-buffer-limit", "1mb"]);
    let mut other = server.conn();
    other.roundtrip(b"PING\r\n", b"+PONG\r\n");

    // Under the limit: accepted.
    let value = vec![b'x'; 900_000];
    let mut c = server.conn();
    let mut request = resp(&[b"SET", b"k", &value]);
    request.extend(b"GET k\r\n");
    let mut writer = c.try_clone();
    let sender = thread::spawn(move || writer.send(&request));
    c.expect(&[b"+OK\r\n".as_slice(), &bulk(&value)].concat());
    sender.join().expect("writer thread");

    // Past it: closed without a reply, nothing stored.
    let mut c = server.conn();
    let mut request = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n".to_vec();
    request.extend(vec![b'y'; 1_100_000]);
    // The server may close while we are still writing.
    let _ = c.try_send(&request);
    let got = c.read_to_close();
    assert!(
        got.bytes.is_empty() && got.closed,
        "got {}",
        show(&got.bytes)
    );
    assert!(server.wait_for_log("Closing client that reached max query buffer length"));

    other.roundtrip(b"GET k\r\n", &bulk(&value));

    // Arguments already parsed out of the buffer do not count: two bulks
    // of 600 KB, or 150,000 small ones, pass a 1 MB limit.
    let big = vec![b'x'; 600_000];
    let mut request = resp(&[b"SET", b"k", &big, &big]);
    let mut small: Vec<&[u8]> = vec![b"SET", b"k", b"v"];
    small.extend(std::iter::repeat_n(b"0123456789".as_slice(), 150_000));
    request.extend(resp(&small));
    let mut c = server.conn();
    let mut writer = c.try_clone();
    let sender = thread::spawn(move || writer.send(&request));
    c.expect(b"-ERR syntax error\r\n-ERR syntax error\r\n");
    sender.join().expect("writer thread");

    // Lowered at run time, the limit applies to the next read.
    other.roundtrip(b"CONFIG SET client-query-buffer-limit 2mb\r\n", b"+OK\r\n");
    let mut c = server.conn();
    let mut request = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n".to_vec();
    request.extend(vec![b'y'; 2_200_000]);
    let _ = c.try_send(&request);
    let got = c.read_to_close();
    assert!(
        got.bytes.is_empty() && got.closed,
        "got {}",
        show(&got.bytes)
    );
    assert_serving(&server);
}

/// A client that sends its requests and at once shuts its sending side
/// gets every reply, and the server then closes the connection rather
/// than keep it open forever: the end of stream arriving with the data
/// must still be read.
#[test]
fn a_client_that_sends_and_hangs_up_is_answered_and_closed() {
    let server = Server::start(&[]);
    let mut ctl = server.conn();
    for _ in 0..20 {
        let c = server.conn();
        let mut stream = c.into_stream();
        stream
            .write_all(b"SET k v\r\nPING\r\n")
            .expect("send requests");
        stream
            .shutdown(std::net::Shutdown::Write)
            .expect("half-close");
        let mut got = Vec::new();
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("read timeout");
        stream
            .read_to_end(&mut got)
            .expect("read until the server closes");
        assert_eq!(got, b"+OK\r\n+PONG\r\n");
    }
    ctl.send(b"INFO clients\r\n");
    let info = String::from_utf8_lossy(&ctl.read_quiet(QUIET).bytes).into_owned();
    assert!(info.contains("connected_clients:1\r\n"), "{info}");
}
