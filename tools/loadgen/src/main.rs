//! A load generator for workloads whose next request depends on the last
//! reply, which redis-benchmark cannot express. Like redis-benchmark it
//! is one thread driving every connection from a poll loop, so the
//! client's own cost stays small and equal for every server it measures.
//!
//! Workloads:
//! - `stream-ack`: consumer-group round trips. The stream is filled with
//!   one entry per request first (not timed); then each connection loops
//!   XREADGROUP GROUP g <its own consumer> COUNT 1 STREAMS s > and XACK of
//!   the ID it got. One round trip is one request. At the end the group's
//!   pending list must be empty.
//!
//! - `cache`: a cache in front of a slower store. Each connection loops
//!   GET k and, when the reply is nil, SET k <value> (with EX when
//!   `--ttl` is given), k drawn from a Zipf distribution (s = 1.0) over
//!   `--keys` keys; see cache.rs.
//!
//! Output is redis-benchmark's `--csv` shape: a header, then
//! `"<test>","<requests per second>"`. `--setup-only` and `--skip-setup`
//! split the preparation from the timed run, so that a caller measuring
//! the server's CPU time can leave the preparation out.
//!
//!     loadgen --port 6379 [--host 127.0.0.1] [-c 50] [-n 100000]
//!             [--setup-only|--skip-setup] stream-ack
//!     loadgen --port 6379 [-c 50] [-n 100000] [--keys N] [--value-size B]
//!             [--ttl SECONDS] [--seed S] [--warmup REQUESTS] cache

mod cache;
mod resp;

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use resp::Value;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::Instant;

const STREAM: &[u8] = b"loadgen:stream";
const GROUP: &[u8] = b"loadgen";

struct Options {
    addr: SocketAddr,
    clients: usize,
    requests: u64,
    workload: String,
    setup: bool,
    run: bool,
    cache: cache::Params,
}

fn parse_options() -> Result<Options, String> {
    let mut host = "127.0.0.1".to_string();
    let mut port = None;
    let mut clients = 50;
    let mut requests = 100_000;
    let mut workload = None;
    let (mut setup, mut run) = (true, true);
    let mut cache = cache::Params::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--host" | "-h" => host = value()?,
            "--port" | "-p" => port = Some(value()?.parse().map_err(|_| "bad port")?),
            "--clients" | "-c" => clients = value()?.parse().map_err(|_| "bad client count")?,
            "--requests" | "-n" => requests = value()?.parse().map_err(|_| "bad request count")?,
            "--setup-only" => run = false,
            "--skip-setup" => setup = false,
            "--keys" => cache.keys = value()?.parse().map_err(|_| "bad key count")?,
            "--value-size" => cache.value_size = value()?.parse().map_err(|_| "bad value size")?,
            "--ttl" => cache.ttl = value()?.parse().map_err(|_| "bad ttl")?,
            "--seed" => cache.seed = value()?.parse().map_err(|_| "bad seed")?,
            "--warmup" => cache.warmup = value()?.parse().map_err(|_| "bad warm-up count")?,
            w if !w.starts_with('-') => workload = Some(w.to_string()),
            _ => return Err(format!("unknown option {a}")),
        }
    }
    let port: u16 = port.ok_or("--port is required")?;
    let addr = format!("{host}:{port}")
        .parse()
        .map_err(|_| format!("bad address {host}:{port}"))?;
    let workload = workload.ok_or("name a workload (stream-ack, cache)")?;
    if clients == 0 || requests == 0 || cache.keys == 0 {
        return Err("clients, requests and keys must be positive".into());
    }
    Ok(Options {
        addr,
        clients,
        requests,
        workload,
        setup,
        run,
        cache,
    })
}

/// Sends `commands` on a blocking connection and returns their replies.
fn call(addr: SocketAddr, commands: &[Vec<&[u8]>]) -> io::Result<Vec<Value>> {
    let mut s = std::net::TcpStream::connect(addr)?;
    let mut out = Vec::new();
    for c in commands {
        resp::command(&mut out, c);
    }
    s.write_all(&out)?;
    let mut buf = Vec::new();
    let mut replies = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    while replies.len() < commands.len() {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::other("server closed the connection"));
        }
        buf.extend_from_slice(&chunk[..n]);
        while let Some((v, used)) = resp::parse(&buf) {
            replies.push(v);
            buf.drain(..used);
        }
    }
    Ok(replies)
}

fn fail_on_error(replies: &[Value], what: &str) -> Result<(), String> {
    match replies.iter().find(|v| matches!(v, Value::Error(_))) {
        Some(Value::Error(e)) => Err(format!("{what}: {}", String::from_utf8_lossy(e))),
        _ => Ok(()),
    }
}

/// One entry per round trip, and the group reading from the start.
fn setup_stream(o: &Options) -> Result<(), String> {
    let io = |e: io::Error| format!("setup: {e}");
    let r = call(
        o.addr,
        &[
            vec![b"DEL", STREAM],
            vec![b"XGROUP", b"CREATE", STREAM, GROUP, b"$", b"MKSTREAM"],
        ],
    )
    .map_err(io)?;
    fail_on_error(&r, "setup")?;
    let batch = 1000;
    let mut left = o.requests;
    while left > 0 {
        let n = left.min(batch);
        let cmds: Vec<Vec<&[u8]>> = (0..n)
            .map(|_| vec![&b"XADD"[..], STREAM, b"*", b"field", b"xxx"])
            .collect();
        fail_on_error(&call(o.addr, &cmds).map_err(io)?, "filling the stream")?;
        left -= n;
    }
    Ok(())
}

/// Where a connection is in its chain of requests.
#[derive(Clone, Copy, PartialEq)]
enum Await {
    ReadGroup,
    Ack,
    Idle,
}

struct Conn {
    sock: TcpStream,
    consumer: Vec<u8>,
    out: Vec<u8>,
    written: usize,
    input: Vec<u8>,
    state: Await,
}

impl Conn {
    fn send(&mut self, args: &[&[u8]]) {
        resp::command(&mut self.out, args);
    }

    fn flush(&mut self) -> io::Result<()> {
        while self.written < self.out.len() {
            match self.sock.write(&self.out[self.written..]) {
                Ok(0) => return Err(io::Error::other("server stopped reading")),
                Ok(n) => self.written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.out.clear();
        self.written = 0;
        Ok(())
    }
}

/// The ID in an XREADGROUP reply holding one entry of one stream.
fn entry_id(v: &Value) -> Option<Vec<u8>> {
    let Value::Array(streams) = v else {
        return None;
    };
    let Value::Array(pair) = streams.first()? else {
        return None;
    };
    let Value::Array(entries) = pair.get(1)? else {
        return None;
    };
    let Value::Array(entry) = entries.first()? else {
        return None;
    };
    match entry.first()? {
        Value::Bulk(id) => Some(id.clone()),
        _ => None,
    }
}

/// `o.clients` non-blocking connections, connection i registered as Token(i).
fn connect_all(o: &Options, poll: &Poll) -> Result<Vec<Conn>, String> {
    let mut conns = Vec::with_capacity(o.clients);
    for i in 0..o.clients {
        let std_sock = std::net::TcpStream::connect(o.addr).map_err(|e| format!("connect: {e}"))?;
        std_sock.set_nodelay(true).map_err(|e| e.to_string())?;
        std_sock.set_nonblocking(true).map_err(|e| e.to_string())?;
        let mut sock = TcpStream::from_std(std_sock);
        poll.registry()
            .register(&mut sock, Token(i), Interest::READABLE | Interest::WRITABLE)
            .map_err(|e| e.to_string())?;
        conns.push(Conn {
            sock,
            consumer: format!("c{i}").into_bytes(),
            out: Vec::new(),
            written: 0,
            input: Vec::new(),
            state: Await::Idle,
        });
    }
    Ok(conns)
}

/// Reads what `c` has into its input buffer, until the socket would block
/// (mio's readiness is edge-triggered: drain it).
fn fill_input(c: &mut Conn, chunk: &mut [u8]) -> Result<(), String> {
    loop {
        match c.sock.read(chunk) {
            Ok(0) => return Err("the server closed a connection".into()),
            Ok(n) => c.input.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn run_stream_ack(o: &Options) -> Result<f64, String> {
    let mut poll = Poll::new().map_err(|e| e.to_string())?;
    let mut conns = connect_all(o, &poll)?;
    let read_group = |c: &mut Conn| {
        let consumer = c.consumer.clone();
        c.send(&[
            b"XREADGROUP",
            b"GROUP",
            GROUP,
            &consumer,
            b"COUNT",
            b"1",
            b"STREAMS",
            STREAM,
            b">",
        ]);
        c.state = Await::ReadGroup;
    };
    let start = Instant::now();
    let mut started = 0u64;
    let mut done = 0u64;
    for c in conns.iter_mut() {
        if started < o.requests {
            read_group(c);
            started += 1;
        }
    }
    let mut events = Events::with_capacity(1024);
    let mut chunk = vec![0u8; 64 * 1024];
    while done < o.requests {
        poll.poll(&mut events, None).map_err(|e| e.to_string())?;
        for ev in events.iter() {
            let Some(c) = conns.get_mut(ev.token().0) else {
                continue;
            };
            if ev.is_readable() {
                fill_input(c, &mut chunk)?;
                let mut at = 0;
                while let Some((reply, used)) = resp::parse(&c.input[at..]) {
                    at += used;
                    match (c.state, reply) {
                        (Await::ReadGroup, v) => {
                            let id = entry_id(&v)
                                .ok_or_else(|| format!("unexpected XREADGROUP reply {v:?}"))?;
                            c.send(&[b"XACK", STREAM, GROUP, &id]);
                            c.state = Await::Ack;
                        }
                        (Await::Ack, Value::Int(1)) => {
                            done += 1;
                            c.state = Await::Idle;
                            if started < o.requests {
                                read_group(c);
                                started += 1;
                            }
                        }
                        (_, v) => return Err(format!("unexpected reply {v:?}")),
                    }
                }
                c.input.drain(..at);
            }
            c.flush().map_err(|e| e.to_string())?;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let pending = call(o.addr, &[vec![b"XPENDING", STREAM, GROUP]]).map_err(|e| e.to_string())?;
    match pending.first() {
        Some(Value::Array(summary)) if summary.first() == Some(&Value::Int(0)) => {}
        other => return Err(format!("entries left pending: {other:?}")),
    }
    Ok(o.requests as f64 / secs)
}

fn main() {
    let result = parse_options().and_then(|o| match o.workload.as_str() {
        "stream-ack" => {
            if o.setup {
                setup_stream(&o)?;
            }
            if o.run {
                let rps = run_stream_ack(&o)?;
                println!("\"test\",\"rps\"");
                println!("\"XREADGROUP+XACK\",\"{rps:.2}\"");
            }
            Ok(())
        }
        "cache" => {
            if o.run {
                let r = cache::run(&o)?;
                println!("\"test\",\"rps\",\"hits\",\"misses\",\"hit_ratio\",\"oom_errors\"");
                println!(
                    "\"CACHE\",\"{:.2}\",\"{}\",\"{}\",\"{:.6}\",\"{}\"",
                    r.rps,
                    r.hits,
                    r.misses,
                    r.hit_ratio(),
                    r.oom
                );
            }
            Ok(())
        }
        w => Err(format!("unknown workload {w} (stream-ack, cache)")),
    });
    if let Err(e) = result {
        eprintln!("loadgen: {e}");
        std::process::exit(1);
    }
}
