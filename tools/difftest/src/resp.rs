//! A minimal RESP client: send one request, read one reply, keep both the
//! parsed reply and its exact bytes.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A reply as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Simple(Vec<u8>),
    Error(Vec<u8>),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
    /// RESP3 types, kept as their type byte and raw payload.
    Other(u8, Vec<u8>),
    /// The server closed the connection instead of replying.
    Closed,
    /// No reply within the timeout.
    Timeout,
}

impl Reply {
    /// Encodes back to RESP2 bytes (used for display and normalised
    /// comparison; the raw bytes are compared separately).
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Simple(s) => {
                out.push(b'+');
                out.extend_from_slice(s);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Int(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
            Reply::Bulk(None) => out.extend_from_slice(b"$-1\r\n"),
            Reply::Bulk(Some(b)) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Array(None) => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(Some(items)) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for i in items {
                    i.encode(out);
                }
            }
            Reply::Other(t, raw) => {
                out.push(*t);
                if matches!(t, b'=' | b'!') {
                    out.extend_from_slice(format!("{}\r\n", raw.len()).as_bytes());
                }
                out.extend_from_slice(raw);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Closed => out.extend_from_slice(b"<closed>"),
            Reply::Timeout => out.extend_from_slice(b"<timeout>"),
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// A short printable form for reports.
    pub fn show(&self) -> String {
        let mut raw = Vec::new();
        self.encode(&mut raw);
        show_bytes(&raw, 300)
    }
}

/// Printable, escaped, cut to `max` characters.
pub fn show_bytes(b: &[u8], max: usize) -> String {
    let mut s = String::new();
    for &c in b {
        match c {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            0x20..=0x7e => s.push(char::from(c)),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
        if s.len() > max {
            s.push_str("...");
            break;
        }
    }
    s
}

/// Encodes a request as a RESP multibulk.
pub fn encode_request(args: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// One connection to a server.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    pos: usize,
    closed: bool,
}

impl Conn {
    pub fn connect(addr: &str) -> io::Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        // Generous: replies of several hundred megabytes take seconds.
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            stream,
            buf: Vec::new(),
            pos: 0,
            closed: false,
        })
    }

    pub fn set_timeout(&self, t: Duration) {
        let _ = self.stream.set_read_timeout(Some(t));
    }

    /// Sends a request and reads its reply with the exact bytes received.
    pub fn request(&mut self, args: &[Vec<u8>]) -> (Reply, Vec<u8>) {
        if self.send_raw(&encode_request(args)).is_err() {
            return (Reply::Closed, Vec::new());
        }
        self.read_reply()
    }

    pub fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        self.stream.write_all(bytes)
    }

    /// Reads one whole reply.
    pub fn read_reply(&mut self) -> (Reply, Vec<u8>) {
        let start = self.pos;
        let reply = self.parse();
        let raw = self.buf[start..self.pos].to_vec();
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        (reply, raw)
    }

    /// Whether the server has closed the connection (reads until EOF or a
    /// short timeout; any data read is kept).
    pub fn is_closed(&mut self) -> bool {
        if self.closed {
            return true;
        }
        self.set_timeout(Duration::from_millis(200));
        let _ = self.fill();
        self.set_timeout(Duration::from_secs(30));
        self.closed
    }

    fn fill(&mut self) -> Result<(), Reply> {
        let mut chunk = [0u8; 65536];
        match self.stream.read(&mut chunk) {
            Ok(0) => {
                self.closed = true;
                Err(Reply::Closed)
            }
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(Reply::Timeout)
            }
            Err(_) => {
                self.closed = true;
                Err(Reply::Closed)
            }
        }
    }

    fn line(&mut self) -> Result<Vec<u8>, Reply> {
        loop {
            if let Some(i) = self.buf[self.pos..].windows(2).position(|w| w == b"\r\n") {
                let line = self.buf[self.pos..self.pos + i].to_vec();
                self.pos += i + 2;
                return Ok(line);
            }
            self.fill()?;
        }
    }

    fn exact(&mut self, n: usize) -> Result<Vec<u8>, Reply> {
        while self.buf.len() - self.pos < n {
            self.fill()?;
        }
        let out = self.buf[self.pos..self.pos + n].to_vec();
        self.pos += n;
        Ok(out)
    }

    fn parse(&mut self) -> Reply {
        match self.parse_inner() {
            Ok(r) => r,
            Err(r) => r,
        }
    }

    fn parse_inner(&mut self) -> Result<Reply, Reply> {
        let line = self.line()?;
        let (t, rest) = match line.split_first() {
            Some((t, rest)) => (*t, rest.to_vec()),
            None => return Ok(Reply::Other(b'?', line)),
        };
        let num = || String::from_utf8_lossy(&rest).parse::<i64>().unwrap_or(-1);
        Ok(match t {
            b'+' => Reply::Simple(rest),
            b'-' => Reply::Error(rest),
            b':' => Reply::Int(num()),
            b'$' if num() < 0 => Reply::Bulk(None),
            b'$' => {
                let data = self.exact(num() as usize + 2)?;
                Reply::Bulk(Some(data[..data.len() - 2].to_vec()))
            }
            b'*' | b'~' | b'>' if num() < 0 => Reply::Array(None),
            b'*' | b'~' | b'>' => {
                let mut items = Vec::new();
                for _ in 0..num() {
                    items.push(self.parse_inner()?);
                }
                Reply::Array(Some(items))
            }
            // RESP3 verbatim strings and blob errors carry a payload.
            b'=' | b'!' if num() >= 0 => {
                let data = self.exact(num() as usize + 2)?;
                Reply::Other(t, data[..data.len() - 2].to_vec())
            }
            b'%' => {
                let mut items = Vec::new();
                for _ in 0..num() * 2 {
                    items.push(self.parse_inner()?);
                }
                Reply::Array(Some(items))
            }
            other => Reply::Other(other, rest),
        })
    }
}
