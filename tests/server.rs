//! The server as a process: start-up from a config file and flags, fatal
//! config errors, clean exit on signals, connection life (QUIT, idle
//! timeout, maxclients), authentication, and CONFIG through a real client.
//!
//! Every expected reply and message here was checked against Redis 7.0.15.

mod common;

use common::{PATIENCE, Server, TempDir, run_to_exit};
use redis::Commands;
use std::collections::HashMap;
use std::thread;
use std::time::{Duration, Instant};

const QUIET: Duration = Duration::from_millis(150);

/// CONFIG GET through the redis crate, as a map: Redis 7.0 orders the
/// pairs by its internal dict, which varies from run to run.
fn config_get(con: &mut redis::Connection, names: &[&str]) -> HashMap<String, String> {
    redis::cmd("CONFIG")
        .arg("GET")
        .arg(names)
        .query(con)
        .expect("CONFIG GET")
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn starts_from_a_config_file_and_flags() {
    let dir = TempDir::new();
    let extra = dir.write("extra.conf", "databases 4\n");
    let config = dir.write(
        "ferredis.conf",
        &format!(
            "# a comment\ntimeout 7\n\n  hz 20  \nmaxclients 50\ninclude {}\n\
             proto-max-bulk-len 2mb\nsave \"\"\nappendonly no\n",
            extra.display()
        ),
    );
    // Flags come after the file's lines, so --hz wins over `hz 20`.
    let server = Server::start_with_config(&config, &["--hz", "25", "--tcp-keepalive", "60"]);
    let mut con = server.client();
    assert_eq!(
        config_get(
            &mut con,
            &[
                "timeout",
                "hz",
                "maxclients",
                "databases",
                "proto-max-bulk-len",
                "save",
                "tcp-keepalive",
                "port",
                "bind"
            ]
        ),
        map(&[
            ("timeout", "7"),
            ("hz", "25"),
            ("maxclients", "50"),
            ("databases", "4"),
            ("proto-max-bulk-len", "2097152"),
            ("save", ""),
            ("tcp-keepalive", "60"),
            ("port", &server.port().to_string()),
            ("bind", "127.0.0.1"),
        ])
    );
    // The database count took effect, not just its value.
    let mut c = server.conn();
    c.roundtrip(b"SELECT 3\r\n", b"+OK\r\n");
    c.roundtrip(b"SELECT 4\r\n", b"-ERR DB index is out of range\r\n");
}

/// A failed start: exit status 1, the message on stderr, and no panic.
fn assert_fatal(args: &[&str], stderr_expected: &str) {
    let (status, stdout, stderr) = run_to_exit(args);
    assert_eq!(
        status.code(),
        Some(1),
        "{args:?}: stdout {stdout} stderr {stderr}"
    );
    assert_eq!(stderr, stderr_expected, "{args:?}");
    assert!(
        !stdout.contains("panicked") && !stderr.contains("panicked"),
        "{stdout}{stderr}"
    );
}

/// Redis's fatal config error, with ferredis's name and version where
/// Redis prints its own.
fn fatal(line: usize, text: &str, reason: &str) -> String {
    format!(
        "\n*** FATAL CONFIG FILE ERROR (ferredis {}) ***\n\
         Reading the configuration file, at line {line}\n>>> '{text}'\n{reason}\n",
        env!("CARGO_PKG_VERSION")
    )
}

#[test]
fn a_bad_config_line_stops_start_up() {
    let dir = TempDir::new();
    let bad = dir.write("bad.conf", "# comment\n\ntimeout 5\nhz abc\n");
    assert_fatal(
        &[bad.to_str().unwrap_or_default()],
        &fatal(4, "hz abc", "argument couldn't be parsed into an integer"),
    );
    let quotes = dir.write("quotes.conf", "timeout 5\nrequirepass \"unterminated\n");
    assert_fatal(
        &[quotes.to_str().unwrap_or_default()],
        &fatal(
            2,
            "requirepass \"unterminated",
            "Unbalanced quotes in configuration line",
        ),
    );
    let unknown = dir.write("unknown.conf", "nosuch 1\n");
    assert_fatal(
        &[unknown.to_str().unwrap_or_default()],
        &fatal(1, "nosuch 1", "Bad directive or wrong number of arguments"),
    );
    // Flags are lines after the file's (and a blank one), values quoted.
    let good = dir.write("good.conf", "timeout 5\nhz 10\n");
    assert_fatal(
        &[
            good.to_str().unwrap_or_default(),
            "--port",
            "0",
            "--hz",
            "abc",
        ],
        &fatal(
            5,
            "hz \"abc\"",
            "argument couldn't be parsed into an integer",
        ),
    );
}

#[test]
fn a_bad_flag_stops_start_up() {
    let cases: &[(&[&str], String)] = &[
        (
            &["--port", "0", "--nosuch", "1"],
            fatal(
                3,
                "nosuch \"1\"",
                "Bad directive or wrong number of arguments",
            ),
        ),
        (
            &["--port", "0", "--timeout", "1", "2"],
            fatal(3, "timeout \"1\" \"2\"", "wrong number of arguments"),
        ),
        (
            &["--port", "0", "--hz"],
            fatal(3, "hz", "wrong number of arguments"),
        ),
        (
            &["--maxclients", "0"],
            fatal(
                2,
                "maxclients \"0\"",
                "argument must be between 1 and 4294967295 inclusive",
            ),
        ),
        (
            &["--proto-max-bulk-len", "1000"],
            fatal(
                2,
                "proto-max-bulk-len \"1000\"",
                "argument must be between 1048576 and 9223372036854775807 inclusive",
            ),
        ),
        (
            &["--loglevel", "loud"],
            fatal(
                2,
                "loglevel \"loud\"",
                "argument(s) must be one of the following: debug, verbose, notice, warning",
            ),
        ),
        // A name given alone takes the next argument as its value, even
        // one that starts with `--`; `--save` alone means `save ""`.
        (
            &["--port", "0", "--requirepass", "--foo", "--hz", "abc"],
            fatal(
                4,
                "hz \"abc\"",
                "argument couldn't be parsed into an integer",
            ),
        ),
        (
            &["--port", "0", "--save", "--hz", "abc"],
            fatal(
                4,
                "hz \"abc\"",
                "argument couldn't be parsed into an integer",
            ),
        ),
        (
            &["--port", "0", "--maxclients", "--5"],
            fatal(
                3,
                "maxclients \"--5\"",
                "argument couldn't be parsed into an integer",
            ),
        ),
    ];
    for (args, stderr) in cases {
        assert_fatal(args, stderr);
    }
    let (status, stdout, stderr) = run_to_exit(&["/nonexistent/ferredis.conf"]);
    assert_eq!(status.code(), Some(1));
    assert!(
        (stdout.clone() + &stderr).contains(
            "Fatal error, can't open config file '/nonexistent/ferredis.conf': No such file or directory"
        ),
        "{stdout}{stderr}"
    );
}

#[test]
fn save_flag_without_a_value_means_no_snapshots() {
    for flags in [&["--save"][..], &["--save", "--hz", "5"], &["--SAVE"]] {
        let server = Server::start(flags);
        let mut con = server.client();
        assert_eq!(
            config_get(&mut con, &["save"]),
            map(&[("save", "")]),
            "{flags:?}"
        );
    }
}

/// SIGTERM and SIGINT: a clean shutdown, exit status 0, pidfile removed.
#[test]
fn signals_shut_down_cleanly() {
    for signal in ["TERM", "INT"] {
        let dir = TempDir::new();
        let pidfile = dir.path().join("ferredis.pid");
        let mut server = Server::start(&["--pidfile", pidfile.to_str().unwrap_or_default()]);
        let written = std::fs::read_to_string(&pidfile).expect("pidfile written at start-up");
        assert_eq!(written.trim(), server.pid().to_string());
        let mut c = server.conn();
        c.roundtrip(b"PING\r\n", b"+PONG\r\n");

        server.signal(signal);
        let status = server.wait_exit();
        assert_eq!(status.code(), Some(0), "SIG{signal}: {}", server.log());
        assert!(!pidfile.exists(), "pidfile left behind after SIG{signal}");
        assert!(
            server
                .log()
                .contains(&format!("Received SIG{signal} scheduling shutdown")),
            "{}",
            server.log()
        );
        // The client's connection went away with the server.
        assert!(c.read_to_close().closed);
    }
}

#[test]
fn quit_replies_then_closes() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    c.send(b"QUIT\r\n");
    c.expect_then_close(b"+OK\r\n");
    // Commands pipelined after QUIT are not run.
    let mut c = server.conn();
    c.send(b"PING\r\nQUIT\r\nSET k v\r\nPING\r\n");
    c.expect_then_close(b"+PONG\r\n+OK\r\n");
    let mut c = server.conn();
    c.roundtrip(b"GET k\r\n", b"$-1\r\n");
    // Arguments are ignored, as in Redis.
    c.send(b"QUIT now please\r\n");
    c.expect_then_close(b"+OK\r\n");
}

#[test]
fn requirepass_and_auth() {
    let server = Server::start(&["--requirepass", "s3cret"]);
    let noauth = b"-NOAUTH Authentication required.\r\n";
    let wrongpass = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    let mut c = server.conn();
    c.roundtrip(b"GET k\r\n", noauth);
    c.roundtrip(b"PING\r\n", noauth);
    c.roundtrip(b"SELECT 1\r\n", noauth);
    c.roundtrip(b"CONFIG GET port\r\n", noauth);
    c.roundtrip(b"AUTH wrong\r\n", wrongpass);
    c.roundtrip(b"AUTH default wrong\r\n", wrongpass);
    c.roundtrip(b"AUTH nobody s3cret\r\n", wrongpass);
    c.roundtrip(b"AUTH a b c\r\n", b"-ERR syntax error\r\n");
    c.roundtrip(
        b"AUTH\r\n",
        b"-ERR wrong number of arguments for 'auth' command\r\n",
    );
    c.roundtrip(b"HELLO 2 AUTH default wrong\r\n", wrongpass);
    c.roundtrip(b"GET k\r\n", noauth);
    c.roundtrip(b"AUTH s3cret\r\n", b"+OK\r\n");
    c.roundtrip(b"PING\r\n", b"+PONG\r\n");
    c.roundtrip(b"GET k\r\n", b"$-1\r\n");
    // RESET forgets the authentication.
    c.roundtrip(b"RESET\r\n", b"+RESET\r\n");
    c.roundtrip(b"GET k\r\n", noauth);
    c.roundtrip(b"AUTH default s3cret\r\n", b"+OK\r\n");
    c.roundtrip(b"GET k\r\n", b"$-1\r\n");
    // QUIT needs no authentication.
    let mut c = server.conn();
    c.send(b"QUIT\r\n");
    c.expect_then_close(b"+OK\r\n");

    // Through the redis crate: the password in the URL authenticates.
    let url = format!("redis://:s3cret@127.0.0.1:{}/", server.port());
    let mut con = redis::Client::open(url)
        .and_then(|c| c.get_connection_with_timeout(PATIENCE))
        .expect("authenticated connection");
    let _: () = con.set("k", "v").expect("SET");
    let v: String = con.get("k").expect("GET");
    assert_eq!(v, "v");
    let url = format!("redis://:wrong@127.0.0.1:{}/", server.port());
    let refused = redis::Client::open(url).and_then(|c| c.get_connection_with_timeout(PATIENCE));
    assert!(refused.is_err());
}

#[test]
fn auth_without_requirepass() {
    let server = Server::start(&[]);
    let mut c = server.conn();
    c.roundtrip(
        b"AUTH foo\r\n",
        b"-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n",
    );
    // The default user has no password: any password is accepted.
    c.roundtrip(b"AUTH default foo\r\n", b"+OK\r\n");
    // Setting a password at run time leaves connected clients logged in,
    // and new ones must authenticate.
    c.roundtrip(b"CONFIG SET requirepass abc\r\n", b"+OK\r\n");
    c.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let mut d = server.conn();
    d.roundtrip(b"PING\r\n", b"-NOAUTH Authentication required.\r\n");
    d.roundtrip(b"AUTH abc\r\n", b"+OK\r\n");
    d.roundtrip(b"CONFIG SET requirepass \"\"\r\n", b"+OK\r\n");
    server.conn().roundtrip(b"PING\r\n", b"+PONG\r\n");
}

#[test]
fn config_set_and_get_round_trip() {
    let server = Server::start(&[]);
    let mut con = server.client();
    let ok: String = redis::cmd("CONFIG")
        .arg(&["SET", "timeout", "30", "hz", "20", "maxmemory", "5kb"])
        .query(&mut con)
        .expect("CONFIG SET");
    assert_eq!(ok, "OK");
    assert_eq!(
        config_get(&mut con, &["timeout", "hz", "maxmemory"]),
        map(&[("timeout", "30"), ("hz", "20"), ("maxmemory", "5120")])
    );
    let _: () = redis::cmd("CONFIG")
        .arg(&["SET", "save", "100 1 200 2"])
        .query(&mut con)
        .expect("CONFIG SET save");
    assert_eq!(
        config_get(&mut con, &["save"]),
        map(&[("save", "100 1 200 2")])
    );
    // Glob patterns match names, ignoring case.
    assert_eq!(
        config_get(&mut con, &["MAXMEMORY-POLIC?"]),
        map(&[("maxmemory-policy", "noeviction")])
    );
    assert_eq!(config_get(&mut con, &["nosuch"]), map(&[]));
    let ok: String = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query(&mut con)
        .expect("CONFIG RESETSTAT");
    assert_eq!(ok, "OK");

    // Errors, exactly; a failed multi-pair SET changes nothing.
    let mut c = server.conn();
    let cases: &[(&[u8], &[u8])] = &[
        (
            b"CONFIG SET foo 1\r\n",
            b"-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n",
        ),
        (
            b"CONFIG SET databases 4\r\n",
            b"-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n",
        ),
        (
            b"CONFIG SET timeout 5 hz x\r\n",
            b"-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n",
        ),
        (
            b"CONFIG SET hz 1 hz 2\r\n",
            b"-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n",
        ),
        (
            b"CONFIG SET hz\r\n",
            b"-ERR wrong number of arguments for 'config|set' command\r\n",
        ),
        (
            b"CONFIG GET\r\n",
            b"-ERR wrong number of arguments for 'config|get' command\r\n",
        ),
        (
            b"CONFIG RESETSTAT x\r\n",
            b"-ERR wrong number of arguments for 'config|resetstat' command\r\n",
        ),
        (
            b"CONFIG SET proto-max-bulk-len 1048575\r\n",
            b"-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n",
        ),
        (
            b"CONFIG SET client-query-buffer-limit 1000\r\n",
            b"-ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n",
        ),
        (
            b"CONFIG SET client-query-buffer-limit -1\r\n",
            b"-ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be a memory value\r\n",
        ),
        (b"CONFIG SET proto-max-bulk-len 1mb\r\n", b"+OK\r\n"),
        (b"CONFIG GET timeout\r\n", b"*2\r\n$7\r\ntimeout\r\n$2\r\n30\r\n"),
    ];
    for (request, reply) in cases {
        c.roundtrip(request, reply);
    }
}

/// With `timeout 1`, a client idle for more than a second is closed
/// (silently), while one that keeps talking is not.
#[test]
fn idle_clients_are_closed_after_timeout() {
    let server = Server::start(&["--timeout", "1"]);
    let mut idle = server.conn();
    let mut busy = server.conn();
    idle.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let since = Instant::now();
    // `busy` talks every 200 ms while `idle` waits to be closed.
    let closed_after = loop {
        busy.roundtrip(b"PING\r\n", b"+PONG\r\n");
        let got = idle.read_quiet(Duration::from_millis(200));
        assert!(got.bytes.is_empty(), "idle client got {got:?}");
        if got.closed {
            break since.elapsed();
        }
        assert!(
            since.elapsed() < Duration::from_secs(3),
            "idle client never closed"
        );
    };
    assert!(
        closed_after >= Duration::from_millis(900),
        "closed after only {closed_after:?}"
    );
    busy.roundtrip(b"CONFIG SET timeout 0\r\n", b"+OK\r\n");
    thread::sleep(Duration::from_millis(1200));
    busy.roundtrip(b"PING\r\n", b"+PONG\r\n");
}

#[test]
fn maxclients_rejects_extra_connections() {
    let server = Server::start(&["--maxclients", "2"]);
    let mut a = server.conn();
    a.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let mut b = server.conn();
    b.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let mut c = server.conn();
    c.expect_then_close(b"-ERR max number of clients reached\r\n");
    a.close();
    // Once the server has seen `a` go, there is room again.
    let deadline = Instant::now() + PATIENCE;
    let _d = loop {
        let mut d = server.conn();
        d.send(b"PING\r\n");
        let got = d.read_n(7, PATIENCE);
        if !got.bytes.starts_with(b"-ERR max number of clients reached") {
            assert_eq!(got.bytes, b"+PONG\r\n");
            break d;
        }
        assert!(Instant::now() < deadline, "slot never freed");
        thread::sleep(Duration::from_millis(20));
    };
    b.roundtrip(b"CONFIG SET maxclients 3\r\n", b"+OK\r\n");
    let mut e = server.conn();
    e.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let mut f = server.conn();
    f.expect_then_close(b"-ERR max number of clients reached\r\n");
    e.expect_silence(QUIET);
}

#[test]
fn config_set_port_moves_the_listener() {
    let server = Server::start(&[]);
    let mut a = server.conn();
    let refused: &[u8] = b"-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n";
    // A test running alongside may take the free port before the server
    // binds it: then it is refused, and another port is tried.
    let mut moved_to = None;
    for _ in 0..5 {
        let port = common::free_port();
        a.send(format!("CONFIG SET port {port}\r\n").as_bytes());
        let got = a.read_n(5, Duration::from_secs(10)).bytes;
        if got == b"+OK\r\n" {
            moved_to = Some(port);
            break;
        }
        let rest = a.read_n(refused.len() - 5, Duration::from_secs(10)).bytes;
        assert_eq!([got, rest].concat(), refused);
    }
    let new_port = moved_to.expect("the server moved to a free port within five tries");
    // Connected clients stay; new ones find the server on the new port only.
    a.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let mut b = common::Conn::connect(new_port);
    b.roundtrip(b"PING\r\n", b"+PONG\r\n");
    assert!(std::net::TcpStream::connect(("127.0.0.1", server.port())).is_err());
    // A port that is taken is refused, and the server keeps the one it has.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port to occupy");
    let taken_port = taken.local_addr().expect("local address").port();
    b.roundtrip(
        format!("CONFIG SET port {taken_port}\r\n").as_bytes(),
        refused,
    );
    b.roundtrip(
        b"CONFIG GET port\r\n",
        format!(
            "*2\r\n$4\r\nport\r\n${}\r\n{new_port}\r\n",
            new_port.to_string().len()
        )
        .as_bytes(),
    );
    common::Conn::connect(new_port).roundtrip(b"PING\r\n", b"+PONG\r\n");
}
