//! Test harness for the black-box tests: runs the real `ferredis` binary on
//! a free loopback port and talks to it over TCP, either byte by byte (to
//! check exact replies and when the server closes a connection) or through
//! the `redis` crate's sync client.
//!
//! Every expected reply in these tests was first checked against a real
//! Redis 7.0.15 server by sending it the same bytes.

// Each test binary uses its own subset of the helpers.
#![allow(dead_code)]

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a test waits for something that should happen promptly (a
/// reply, a close, start-up). Generous, so a loaded machine does not make
/// tests flaky; a passing test never waits this long.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The line ferredis logs (at the default `notice` level) once its
/// listeners are bound, as Redis logs "Ready to accept connections".
const READY_LINE: &str = "Ready to accept connections";

/// The bind failure that means another process took our port between the
/// probe and the start: worth another try on a fresh port.
const BIND_FAILED: &str = "Could not create server TCP listening socket";

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory that is removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("ferredis-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create scratch dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` to `name` inside the directory; returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write scratch file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A port nobody listens on right now: the kernel picks one for a
/// throwaway listener, which is closed before the server binds it. With
/// FERREDIS_TEST_PORTS=<first>-<last> set, the port is taken from that
/// range instead (for machines where tests must keep to assigned ports).
pub fn free_port() -> u16 {
    if let Some((first, last)) = std::env::var("FERREDIS_TEST_PORTS").ok().and_then(|r| {
        let (a, b) = r.split_once('-')?;
        Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?))
    }) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let span = usize::from(last.saturating_sub(first)) + 1;
        let start = std::process::id() as usize;
        for _ in 0..span {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let port = first + ((start + n) % span) as u16;
            if TcpListener::bind(("127.0.0.1", port)).is_ok() {
                return port;
            }
        }
        panic!("no free port in FERREDIS_TEST_PORTS");
    }
    let l = TcpListener::bind("127.0.0.1:0").expect("bind probe listener");
    l.local_addr().expect("probe address").port()
}

/// Everything the server wrote to stdout and stderr, collected by two
/// threads so the pipes never fill up and block the server.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<String>>);

impl Output {
    fn drain(&self, mut from: impl Read + Send + 'static) -> thread::JoinHandle<()> {
        let out = self.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = from.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]);
                out.0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&text);
            }
        })
    }

    fn text(&self) -> String {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A running ferredis, killed (by its own PID) when dropped.
pub struct Server {
    child: Child,
    port: u16,
    output: Output,
    /// The threads collecting `output`; they end when the process does.
    readers: Vec<thread::JoinHandle<()>>,
    /// The server's working directory, removed after the server is gone.
    dir: TempDir,
}

impl Server {
    /// Starts ferredis with `--port <free> --bind 127.0.0.1` and `flags`.
    pub fn start(flags: &[&str]) -> Server {
        Server::start_with(None, flags)
    }

    /// Starts ferredis reading the config file `config` (given first on
    /// the command line, as redis-server wants), then the port and `flags`.
    pub fn start_with_config(config: &Path, flags: &[&str]) -> Server {
        Server::start_with(Some(config), flags)
    }

    fn start_with(config: Option<&Path>, flags: &[&str]) -> Server {
        let mut last_output = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut args: Vec<String> = Vec::new();
            if let Some(c) = config {
                args.push(c.display().to_string());
            }
            args.extend(["--port".into(), port.to_string()]);
            args.extend(["--bind".into(), "127.0.0.1".into()]);
            args.extend(flags.iter().map(|f| f.to_string()));
            match Server::spawn(&args, port) {
                Ok(server) => return server,
                Err(output) if output.contains(BIND_FAILED) => last_output = output,
                Err(output) => panic!("ferredis failed to start with {args:?}:\n{output}"),
            }
        }
        panic!("ferredis could not bind a free port after 5 tries:\n{last_output}");
    }

    /// Spawns the binary and waits for it to be ready; on an early exit,
    /// returns what it printed.
    fn spawn(args: &[String], port: u16) -> Result<Server, String> {
        let dir = TempDir::new();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ferredis"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ferredis");
        let output = Output::default();
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            readers.push(output.drain(out));
        }
        if let Some(err) = child.stderr.take() {
            readers.push(output.drain(err));
        }
        let mut server = Server {
            child,
            port,
            output,
            readers,
            dir,
        };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if server.output.text().contains(READY_LINE) {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                server.join_readers();
                return Err(format!("exited with {status}:\n{}", server.output.text()));
            }
            if Instant::now() > deadline {
                panic!(
                    "ferredis not ready after {PATIENCE:?}:\n{}",
                    server.output.text()
                );
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server has logged so far (stdout and stderr).
    pub fn log(&self) -> String {
        self.output.text()
    }

    /// Waits until the log contains `text`; false if it never does.
    pub fn wait_for_log(&self, text: &str) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.log().contains(text) {
                return true;
            }
            thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// A raw TCP connection to the server.
    pub fn conn(&self) -> Conn {
        Conn::connect(self.port)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A `redis` crate connection (sync API).
    pub fn client(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection_with_timeout(PATIENCE))
            .expect("redis client connects")
    }

    /// The server's resident set size in bytes, from /proc/<pid>/statm
    /// (the second field counts resident pages).
    pub fn rss_bytes(&self) -> u64 {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.pid()))
            .expect("read /proc/<pid>/statm");
        let pages: u64 = statm
            .split_whitespace()
            .nth(1)
            .and_then(|f| f.parse().ok())
            .expect("resident pages in statm");
        pages * page_size()
    }

    /// Sends `signal` (a name such as "TERM") to the server's own PID.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args(["-s", signal, &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -s {signal} failed");
    }

    /// Waits for the server to exit by itself (and for its last output);
    /// panics if it does not.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.join_readers();
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "ferredis did not exit:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until everything the exited process wrote has been collected.
    fn join_readers(&mut self) {
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Child::kill sends SIGKILL to this child's PID only.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The memory page size, as the kernel reports it for this process (the
/// AT_PAGESZ entry of the auxiliary vector), 4096 if unreadable.
fn page_size() -> u64 {
    const AT_PAGESZ: u64 = 6;
    let Ok(auxv) = std::fs::read("/proc/self/auxv") else {
        return 4096;
    };
    auxv.chunks_exact(16)
        .map(|e| {
            let word = |b: &[u8]| u64::from_ne_bytes(b.try_into().unwrap_or([0; 8]));
            (word(&e[..8]), word(&e[8..]))
        })
        .find(|&(key, _)| key == AT_PAGESZ)
        .map_or(4096, |(_, v)| v)
}

/// Runs the binary with `args` to completion (for start-up failures):
/// exit status, stdout, stderr.
pub fn run_to_exit(args: &[&str]) -> (ExitStatus, String, String) {
    let dir = TempDir::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferredis"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ferredis");
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ferredis {args:?} did not exit");
        }
        thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("collect output");
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a read collected: the bytes, and whether the server closed the
/// connection (EOF or a reset) before the read stopped.
#[derive(Debug, PartialEq, Eq)]
pub struct Received {
    pub bytes: Vec<u8>,
    pub closed: bool,
}

/// Bytes shown readably in assertion messages (long ones cut short).
pub fn show(b: &[u8]) -> String {
    let s = b.escape_ascii().to_string();
    if s.len() > 300 {
        format!("{}... ({} bytes)", &s[..300], b.len())
    } else {
        s
    }
}

/// A raw TCP connection for exact-bytes tests.
pub struct Conn {
    stream: TcpStream,
}

impl Conn {
    pub fn connect(port: u16) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to ferredis");
        stream.set_nodelay(true).expect("nodelay");
        Conn { stream }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send to ferredis");
    }

    /// Like `send`, for writes the server may refuse by closing.
    pub fn try_send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// A second handle on the same socket (for a writer thread).
    pub fn try_clone(&self) -> Conn {
        Conn {
            stream: self.stream.try_clone().expect("clone socket"),
        }
    }

    /// The socket itself, for tests that read at their own pace.
    pub fn into_stream(self) -> TcpStream {
        self.stream
    }

    /// Closes our side completely.
    pub fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    /// Reads until `stop` says enough, the server closes, or `deadline`.
    fn read_while(
        &mut self,
        deadline: Instant,
        mut stop: impl FnMut(&[u8], Instant) -> bool,
    ) -> Received {
        let mut bytes = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut last_data = Instant::now();
        loop {
            let now = Instant::now();
            if stop(&bytes, last_data) || now >= deadline {
                return Received {
                    bytes,
                    closed: false,
                };
            }
            let wait = (deadline - now).min(Duration::from_millis(20));
            self.stream
                .set_read_timeout(Some(wait.max(Duration::from_millis(1))))
                .expect("set read timeout");
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    return Received {
                        bytes,
                        closed: true,
                    };
                }
                Ok(n) => {
                    bytes.extend_from_slice(&buf[..n]);
                    last_data = Instant::now();
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                    ) =>
                {
                    return Received {
                        bytes,
                        closed: true,
                    };
                }
                Err(e) => panic!("reading from ferredis: {e}"),
            }
        }
    }

    /// Reads until `n` bytes arrived, the server closed, or `timeout`.
    pub fn read_n(&mut self, n: usize, timeout: Duration) -> Received {
        self.read_while(Instant::now() + timeout, |b, _| b.len() >= n)
    }

    /// Reads until nothing arrives for `quiet`, or the server closes.
    pub fn read_quiet(&mut self, quiet: Duration) -> Received {
        self.read_while(Instant::now() + PATIENCE, |_, last| last.elapsed() >= quiet)
    }

    /// Reads until the server closes the connection (or `PATIENCE`).
    pub fn read_to_close(&mut self) -> Received {
        self.read_while(Instant::now() + PATIENCE, |_, _| false)
    }

    /// Reads exactly `expected.len()` bytes and asserts they are `expected`.
    pub fn expect(&mut self, expected: &[u8]) {
        let got = self.read_n(expected.len(), PATIENCE);
        assert!(
            got.bytes == expected,
            "expected {}\n     got {} (closed: {})",
            show(expected),
            show(&got.bytes),
            got.closed
        );
    }

    /// Sends `request` and asserts the reply is exactly `reply`.
    pub fn roundtrip(&mut self, request: &[u8], reply: &[u8]) {
        self.send(request);
        self.expect(reply);
    }

    /// Asserts that the server sends exactly `expected` and then closes.
    pub fn expect_then_close(&mut self, expected: &[u8]) {
        let got = self.read_to_close();
        assert!(
            got.bytes == expected && got.closed,
            "expected {} then close\n     got {} (closed: {})",
            show(expected),
            show(&got.bytes),
            got.closed
        );
    }

    /// Asserts that nothing arrives for `quiet` and the connection stays open.
    pub fn expect_silence(&mut self, quiet: Duration) {
        let got = self.read_quiet(quiet);
        assert!(
            got.bytes.is_empty() && !got.closed,
            "expected silence, got {} (closed: {})",
            show(&got.bytes),
            got.closed
        );
    }
}

/// A RESP multibulk request from its arguments.
pub fn resp(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A RESP bulk string reply.
pub fn bulk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("${}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// Waits until the server counts `n` blocked clients, so that the next
/// step surely happens after the blocking command ran.
pub fn wait_blocked(ctl: &mut Conn, n: usize) {
    let want = format!("blocked_clients:{n}\r\n");
    let deadline = Instant::now() + PATIENCE;
    loop {
        ctl.send(&resp(&[b"INFO", b"clients"]));
        let got = ctl.read_quiet(Duration::from_millis(20));
        if String::from_utf8_lossy(&got.bytes).contains(&want) {
            return;
        }
        assert!(Instant::now() < deadline, "never saw {want:?}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Sends a command from a new connection and waits until it blocked
/// (`blocked_before` clients were blocked already).
pub fn blocked_client(
    server: &Server,
    ctl: &mut Conn,
    blocked_before: usize,
    cmd: &[&[u8]],
) -> Conn {
    let mut c = server.conn();
    c.send(&resp(cmd));
    wait_blocked(ctl, blocked_before + 1);
    c
}

/// One field of an INFO section, as text ("" when the section lacks it).
pub fn info_field(con: &mut redis::Connection, section: &str, name: &str) -> String {
    let info: String = redis::cmd("INFO")
        .arg(section)
        .query(con)
        .expect("INFO answers");
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_default()
        .to_string()
}

/// An INFO field that holds a number.
pub fn info_int(con: &mut redis::Connection, section: &str, name: &str) -> i64 {
    let v = info_field(con, section, name);
    v.trim()
        .parse()
        .unwrap_or_else(|_| panic!("INFO {section} {name} is not a number: {v:?}"))
}

/// CONFIG SET of one directive, which must succeed.
pub fn config_set(con: &mut redis::Connection, name: &str, value: &str) {
    let () = redis::cmd("CONFIG")
        .arg("SET")
        .arg(name)
        .arg(value)
        .query(con)
        .expect("CONFIG SET succeeds");
}

pub fn exists(con: &mut redis::Connection, key: &str) -> bool {
    let n: i64 = redis::cmd("EXISTS")
        .arg(key)
        .query(con)
        .expect("EXISTS answers");
    n == 1
}
