//! The commands this branch implements — PING, ECHO, SELECT, SWAPDB,
//! RESET, HELLO, GET, SET — over a real connection, exact bytes.
//!
//! Each case is a pipeline sent on a fresh connection; the expected bytes
//! are what Redis 7.0.15 answered to the same pipeline.

mod common;

use common::Server;

const CASES: &[(&[u8], &[u8])] = &[
    (
        b"PING\r\nPING hello\r\nPING \"\"\r\nPING a b\r\nping\r\n",
        b"+PONG\r\n$5\r\nhello\r\n$0\r\n\r\n-ERR wrong number of arguments for 'ping' command\r\n+PONG\r\n",
    ),
    (
        b"ECHO hi\r\nECHO \"\"\r\nECHO\r\nECHO a b\r\n",
        b"$2\r\nhi\r\n$0\r\n\r\n-ERR wrong number of arguments for 'echo' command\r\n-ERR wrong number of arguments for 'echo' command\r\n",
    ),
    (
        b"*2\r\n$4\r\nECHO\r\n$5\r\na\r\nb\0\r\n",
        b"$5\r\na\r\nb\0\r\n",
    ),
    (
        b"SELECT 1\r\nSET t:sel v\r\nGET t:sel\r\nSELECT 0\r\nGET t:sel\r\nSELECT 15\r\nSELECT 16\r\nSELECT -1\r\nSELECT x\r\nSELECT 015\r\nSELECT \" 1\"\r\nSELECT 9999999999\r\nSELECT -2147483649\r\nSELECT 0 1\r\n",
        b"+OK\r\n+OK\r\n$1\r\nv\r\n+OK\r\n$-1\r\n+OK\r\n-ERR DB index is out of range\r\n-ERR DB index is out of range\r\n-ERR value is not an integer or out of range\r\n-ERR value is not an integer or out of range\r\n-ERR value is not an integer or out of range\r\n-ERR value is out of range, value must between -2147483648 and 2147483647\r\n-ERR value is out of range, value must between -2147483648 and 2147483647\r\n-ERR wrong number of arguments for 'select' command\r\n",
    ),
    (
        b"SELECT 2\r\nSET t:swap two\r\nSELECT 3\r\nSET t:swap three\r\nSWAPDB 2 3\r\nGET t:swap\r\nSELECT 2\r\nGET t:swap\r\nSWAPDB 3 3\r\nGET t:swap\r\n",
        b"+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n$3\r\ntwo\r\n+OK\r\n$5\r\nthree\r\n+OK\r\n$5\r\nthree\r\n",
    ),
    (
        b"SWAPDB 0 16\r\nSWAPDB x 1\r\nSWAPDB 0 x\r\nSWAPDB -1 0\r\nSWAPDB 9999999999 0\r\nSWAPDB 0 -9999999999\r\nSWAPDB 1\r\n",
        b"-ERR DB index is out of range\r\n-ERR invalid first DB index\r\n-ERR invalid second DB index\r\n-ERR DB index is out of range\r\n-ERR invalid first DB index\r\n-ERR invalid second DB index\r\n-ERR wrong number of arguments for 'swapdb' command\r\n",
    ),
    (
        b"SELECT 4\r\nSET t:reset 1\r\nRESET\r\nGET t:reset\r\nSELECT 4\r\nGET t:reset\r\nRESET x\r\n",
        b"+OK\r\n+OK\r\n+RESET\r\n$-1\r\n+OK\r\n$1\r\n1\r\n-ERR wrong number of arguments for 'reset' command\r\n",
    ),
    (
        b"HELLO 4\r\nHELLO 1\r\nHELLO x\r\nHELLO 2 SETNAME a b\r\nHELLO 2 FOO\r\nHELLO 2 AUTH default\r\n",
        b"-NOPROTO unsupported protocol version\r\n-NOPROTO unsupported protocol version\r\n-ERR Protocol version is not an integer or out of range\r\n-ERR Syntax error in HELLO option 'b'\r\n-ERR Syntax error in HELLO option 'FOO'\r\n-ERR Syntax error in HELLO option 'AUTH'\r\n",
    ),
    (
        b"SET t:s hello\r\nGET t:s\r\nSET t:s world GET\r\nGET t:s\r\nSET t:none v XX\r\nGET t:none\r\nSET t:s x NX\r\nSET t:s x NX GET\r\nSET t:new x NX GET\r\nGET t:new\r\n",
        b"+OK\r\n$5\r\nhello\r\n$5\r\nhello\r\n$5\r\nworld\r\n$-1\r\n$-1\r\n$-1\r\n$5\r\nworld\r\n$-1\r\n$1\r\nx\r\n",
    ),
    (
        b"SET t:n 12345\r\nGET t:n\r\nSET t:n -9223372036854775808\r\nGET t:n\r\nSET t:n 9223372036854775808\r\nGET t:n\r\n",
        b"+OK\r\n$5\r\n12345\r\n+OK\r\n$20\r\n-9223372036854775808\r\n+OK\r\n$19\r\n9223372036854775808\r\n",
    ),
    (
        b"SET t:e v EX 0\r\nSET t:e v PX -1\r\nSET t:e v EX abc\r\nSET t:e v EX 9223372036854775807\r\nSET t:e v PX 9223372036854775807\r\nSET t:e v NX XX\r\nSET t:e v KEEPTTL EX 10\r\nSET t:e v EX 10 PX 10\r\nSET t:e v FOO\r\nSET t:e v EX\r\nGET t:e\r\n",
        b"-ERR invalid expire time in 'set' command\r\n-ERR invalid expire time in 'set' command\r\n-ERR value is not an integer or out of range\r\n-ERR invalid expire time in 'set' command\r\n-ERR invalid expire time in 'set' command\r\n-ERR syntax error\r\n-ERR syntax error\r\n-ERR syntax error\r\n-ERR syntax error\r\n-ERR syntax error\r\n$-1\r\n",
    ),
    (
        b"SET t:x v EX 100\r\nGET t:x\r\nSET t:x v PXAT 1\r\nGET t:x\r\nSET t:x v EXAT 1\r\nGET t:x\r\n",
        b"+OK\r\n$1\r\nv\r\n+OK\r\n$-1\r\n+OK\r\n$-1\r\n",
    ),
    (
        b"get\r\nGeT t:missing\r\nset a\r\nGET a b\r\nFOO bar\r\n*1\r\n$3\r\nFOO\r\n",
        b"-ERR wrong number of arguments for 'get' command\r\n$-1\r\n-ERR wrong number of arguments for 'set' command\r\n-ERR wrong number of arguments for 'get' command\r\n-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n-ERR unknown command 'FOO', with args beginning with: \r\n",
    ),
];

#[test]
fn pipelines_answer_as_redis_does() {
    let server = Server::start(&[]);
    for (request, reply) in CASES {
        let mut c = server.conn();
        c.roundtrip(request, reply);
        c.expect_silence(std::time::Duration::from_millis(20));
    }
}

/// HELLO's map, in RESP2: everything but the client id is fixed.
fn hello_reply(id: u64) -> Vec<u8> {
    format!(
        "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n\
         $5\r\nproto\r\n:2\r\n$2\r\nid\r\n:{id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n\
         $4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
    )
    .into_bytes()
}

/// Reads one HELLO reply and returns the client id in it.
fn read_hello(c: &mut common::Conn) -> u64 {
    let prefix_len = hello_reply(0).len() - 1;
    let got = c.read_n(prefix_len, common::PATIENCE);
    let text = String::from_utf8_lossy(&got.bytes).into_owned();
    let id: u64 = text
        .split("$2\r\nid\r\n:")
        .nth(1)
        .and_then(|rest| rest.split("\r\n").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no id in HELLO reply {text:?}"));
    let rest = hello_reply(id).len() - got.bytes.len();
    let more = c.read_n(rest, common::PATIENCE);
    assert_eq!([got.bytes, more.bytes].concat(), hello_reply(id));
    id
}

#[test]
fn hello_describes_the_server_and_the_client() {
    let server = Server::start(&[]);
    let mut a = server.conn();
    a.send(b"HELLO\r\n");
    let first = read_hello(&mut a);
    a.send(b"HELLO 2\r\n");
    assert_eq!(read_hello(&mut a), first);
    // Client ids grow with each connection.
    let mut b = server.conn();
    b.send(b"HELLO 2 SETNAME someone\r\n");
    assert!(read_hello(&mut b) > first);
}

#[test]
fn hello_authenticates() {
    let server = Server::start(&["--requirepass", "s3cret"]);
    let mut c = server.conn();
    c.roundtrip(
        b"HELLO\r\n",
        b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n",
    );
    c.roundtrip(
        b"HELLO 2 AUTH default wrong\r\n",
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n",
    );
    c.roundtrip(b"GET k\r\n", b"-NOAUTH Authentication required.\r\n");
    c.send(b"HELLO 2 AUTH default s3cret\r\n");
    read_hello(&mut c);
    c.roundtrip(b"GET k\r\n", b"$-1\r\n");
}
