//! The reply buffer: RESP encoding of replies into a client's output, and
//! writing that output to a socket with as few copies and syscalls as
//! possible.
//!
//! Small replies are appended to one growable buffer (Redis's static reply
//! buffer). A large bulk that is already a `Bytes` (a big stored value) is
//! queued as its own chunk instead of being copied, and the writer sends
//! everything queued with one vectored write.
//!
//! Every method encodes for the client's protocol version: RESP2 today,
//! with the RESP3 forms (null, map, set, double, push) ready for HELLO 3.

use bytes::Bytes;
use std::collections::VecDeque;
use std::io::{self, IoSlice, Write};

/// RESP version a client speaks (HELLO 2 / HELLO 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    #[default]
    Resp2,
    Resp3,
}

/// Bulks at least this long that are already shared buffers are queued by
/// reference rather than copied into the output buffer.
const ZERO_COPY_MIN: usize = 16 * 1024;
/// At most this many slices per vectored write.
const MAX_IOV: usize = 64;

/// A client's pending output.
#[derive(Default)]
pub struct ReplyBuffer {
    pub proto: Protocol,
    /// Replies are dropped while set (CLIENT REPLY OFF / SKIP).
    pub muted: bool,
    /// Queued chunks, written before `buf`.
    chunks: VecDeque<Bytes>,
    /// Bytes of the first pending piece (front chunk, else `buf`) already
    /// written to the socket.
    sent: usize,
    buf: Vec<u8>,
    /// Error replies written since the last call to `take_error_count`.
    errors: u64,
}

impl ReplyBuffer {
    pub fn new() -> ReplyBuffer {
        ReplyBuffer::default()
    }

    /// Appends already-encoded RESP.
    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        if !self.muted {
            self.buf.extend_from_slice(bytes);
        }
    }

    fn header(&mut self, prefix: u8, n: i64) {
        if self.muted {
            return;
        }
        let mut digits = [0u8; 20];
        self.buf.push(prefix);
        self.buf
            .extend_from_slice(crate::util::fmt_i64(n, &mut digits));
        self.buf.extend_from_slice(b"\r\n");
    }

    /// `+OK`
    pub fn ok(&mut self) {
        self.raw(b"+OK\r\n");
    }

    /// A status reply (`+text`); `text` must not contain CR or LF.
    pub fn simple(&mut self, text: &str) {
        if self.muted {
            return;
        }
        self.buf.push(b'+');
        self.buf.extend_from_slice(text.as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// An error reply. `msg` starts with the error code (`ERR ...`,
    /// `WRONGTYPE ...`); CR and LF become spaces, as Redis sanitizes error
    /// texts so a reply can never break the protocol.
    pub fn error(&mut self, msg: impl AsRef<[u8]>) {
        self.errors += 1;
        if self.muted {
            return;
        }
        self.buf.push(b'-');
        self.buf.extend(
            msg.as_ref()
                .iter()
                .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
        self.buf.extend_from_slice(b"\r\n");
    }

    /// Number of error replies since the last call (for INFO's
    /// total_error_replies).
    pub fn take_error_count(&mut self) -> u64 {
        std::mem::take(&mut self.errors)
    }

    /// Error replies written since the count was last taken, leaving it.
    pub fn error_count(&self) -> u64 {
        self.errors
    }

    pub fn int(&mut self, n: i64) {
        self.header(b':', n);
    }

    pub fn bulk(&mut self, data: &[u8]) {
        if self.muted {
            return;
        }
        self.header(b'$', data.len() as i64);
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk from a shared buffer: large ones are queued without copying.
    pub fn bulk_shared(&mut self, data: &Bytes) {
        if data.len() < ZERO_COPY_MIN || self.muted {
            return self.bulk(data);
        }
        self.header(b'$', data.len() as i64);
        if !self.buf.is_empty() {
            let pending = std::mem::take(&mut self.buf);
            self.chunks.push_back(Bytes::from(pending));
        }
        self.chunks.push_back(data.clone());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk holding the decimal form of `n`.
    pub fn bulk_int(&mut self, n: i64) {
        let mut digits = [0u8; 20];
        self.bulk(crate::util::fmt_i64(n, &mut digits));
    }

    /// The null bulk: `$-1` in RESP2, `_` in RESP3.
    pub fn null(&mut self) {
        match self.proto {
            Protocol::Resp2 => self.raw(b"$-1\r\n"),
            Protocol::Resp3 => self.raw(b"_\r\n"),
        }
    }

    /// The null array: `*-1` in RESP2, `_` in RESP3.
    pub fn null_array(&mut self) {
        match self.proto {
            Protocol::Resp2 => self.raw(b"*-1\r\n"),
            Protocol::Resp3 => self.raw(b"_\r\n"),
        }
    }

    pub fn array(&mut self, len: usize) {
        self.header(b'*', len as i64);
    }

    /// A map of `len` key/value pairs: a flat array of 2*len in RESP2.
    pub fn map(&mut self, len: usize) {
        match self.proto {
            Protocol::Resp2 => self.header(b'*', 2 * len as i64),
            Protocol::Resp3 => self.header(b'%', len as i64),
        }
    }

    /// A set: an array in RESP2.
    pub fn set(&mut self, len: usize) {
        match self.proto {
            Protocol::Resp2 => self.header(b'*', len as i64),
            Protocol::Resp3 => self.header(b'~', len as i64),
        }
    }

    /// An out-of-band push message: an array in RESP2.
    pub fn push(&mut self, len: usize) {
        match self.proto {
            Protocol::Resp2 => self.header(b'*', len as i64),
            Protocol::Resp3 => self.header(b'>', len as i64),
        }
    }

    /// A double, formatted as Redis's addReplyDouble (`%.17g`, `inf`).
    pub fn double(&mut self, d: f64) {
        // %.17g prints an integral double below 2^53 as its plain integer
        // digits (-0 aside), so most scores skip printf and the String.
        if d.fract() == 0.0
            && d.abs() < 9_007_199_254_740_992.0
            && !(d == 0.0 && d.is_sign_negative())
        {
            let mut buf = [0u8; 20];
            let digits = crate::util::fmt_i64(d as i64, &mut buf);
            return self.double_text(digits);
        }
        let text = if d.is_infinite() {
            if d > 0.0 { "inf".into() } else { "-inf".into() }
        } else {
            crate::util::float::fmt_f64(c"%.17g", d)
        };
        self.double_text(text.as_bytes());
    }

    fn double_text(&mut self, text: &[u8]) {
        match self.proto {
            Protocol::Resp2 => self.bulk(text),
            Protocol::Resp3 => {
                self.raw(b",");
                self.raw(text);
                self.raw(b"\r\n");
            }
        }
    }

    /// A boolean: `:1`/`:0` in RESP2.
    pub fn bool(&mut self, b: bool) {
        match (self.proto, b) {
            (Protocol::Resp2, true) => self.raw(b":1\r\n"),
            (Protocol::Resp2, false) => self.raw(b":0\r\n"),
            (Protocol::Resp3, true) => self.raw(b"#t\r\n"),
            (Protocol::Resp3, false) => self.raw(b"#f\r\n"),
        }
    }

    /// A verbatim string (`=len\r\ntxt:...` in RESP3, a bulk in RESP2).
    pub fn verbatim(&mut self, text: &[u8], format: &str) {
        match self.proto {
            Protocol::Resp2 => self.bulk(text),
            Protocol::Resp3 => {
                self.header(b'=', (text.len() + 4) as i64);
                self.raw(format.as_bytes());
                self.raw(b":");
                self.raw(text);
                self.raw(b"\r\n");
            }
        }
    }

    /// Whether anything is waiting to be written.
    pub fn has_pending(&self) -> bool {
        !self.chunks.is_empty() || self.sent < self.buf.len()
    }

    /// Bytes waiting to be written.
    pub fn pending_bytes(&self) -> usize {
        self.chunks.iter().map(Bytes::len).sum::<usize>() + self.buf.len() - self.sent
    }

    /// Sizes CLIENT LIST reports: (obl, oll, omem).
    pub fn list_stats(&self) -> (usize, usize, usize) {
        let omem = self.chunks.iter().map(Bytes::len).sum::<usize>();
        (self.buf.len(), self.chunks.len(), omem)
    }

    /// Capacity of the reply buffer proper (CLIENT LIST `rbs`).
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Capacity held by the buffer, for memory reporting.
    pub fn allocated(&self) -> usize {
        self.buf.capacity() + self.chunks.iter().map(Bytes::len).sum::<usize>()
    }

    /// Drops unused capacity after a burst (from the cron).
    pub fn shrink(&mut self) {
        if !self.has_pending() && self.buf.capacity() > 64 * 1024 {
            self.buf = Vec::new();
        }
    }

    /// Writes pending output to `w` until it is all written, `w` would
    /// block, or about `limit` bytes went out (so one client with a huge
    /// reply cannot hold up the others). Returns the bytes written and
    /// whether `w` would block.
    pub fn write_to(&mut self, w: &mut impl Write, limit: usize) -> io::Result<(usize, bool)> {
        let mut total = 0;
        while self.has_pending() && total < limit {
            let result = if self.chunks.is_empty() {
                w.write(&self.buf[self.sent..])
            } else {
                let mut iov = [IoSlice::new(&[]); MAX_IOV];
                let mut n = 0;
                for (i, c) in self.chunks.iter().take(MAX_IOV - 1).enumerate() {
                    iov[n] = IoSlice::new(if i == 0 { &c[self.sent..] } else { c });
                    n += 1;
                }
                if self.chunks.len() < MAX_IOV && !self.buf.is_empty() {
                    iov[n] = IoSlice::new(&self.buf);
                    n += 1;
                }
                w.write_vectored(&iov[..n])
            };
            match result {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.consume(n);
                    total += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok((total, true)),
                Err(e) => return Err(e),
            }
        }
        Ok((total, false))
    }

    fn consume(&mut self, mut n: usize) {
        while n > 0 {
            let Some(front) = self.chunks.front() else {
                self.sent += n;
                break;
            };
            let left = front.len() - self.sent;
            if n >= left {
                n -= left;
                self.chunks.pop_front();
                self.sent = 0;
            } else {
                self.sent += n;
                n = 0;
            }
        }
        if self.chunks.is_empty() && self.sent >= self.buf.len() {
            self.buf.clear();
            self.sent = 0;
        }
    }

    /// Everything pending, as one vector (tests and inspection).
    pub fn pending_to_vec(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut skip = self.sent;
        for c in &self.chunks {
            out.extend_from_slice(&c[skip..]);
            skip = 0;
        }
        out.extend_from_slice(&self.buf[skip..]);
        out
    }

    /// Discards all pending output.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.buf.clear();
        self.sent = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_resp2_and_resp3() {
        let mut r = ReplyBuffer::new();
        r.ok();
        r.int(-5);
        r.bulk(b"hi");
        r.null();
        r.null_array();
        r.map(2);
        r.double(0.1);
        r.double(f64::NEG_INFINITY);
        r.error("ERR bad\r\nthing");
        assert_eq!(
            r.pending_to_vec(),
            b"+OK\r\n:-5\r\n$2\r\nhi\r\n$-1\r\n*-1\r\n*4\r\n$19\r\n0.10000000000000001\r\n$4\r\n-inf\r\n-ERR bad  thing\r\n"
        );
        let mut r = ReplyBuffer {
            proto: Protocol::Resp3,
            ..Default::default()
        };
        r.null();
        r.map(2);
        r.double(1.5);
        r.bool(true);
        assert_eq!(r.pending_to_vec(), b"_\r\n%2\r\n,1.5\r\n#t\r\n");
    }

    /// The integral fast path prints what %.17g prints.
    #[test]
    fn doubles_match_printf() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            -7.0,
            1e15,
            1e16,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            -9_007_199_254_740_993.0,
            1e17,
            2.5,
            f64::INFINITY,
        ];
        for d in cases {
            let mut r = ReplyBuffer {
                proto: Protocol::Resp3,
                ..Default::default()
            };
            r.double(d);
            let want = if d.is_infinite() {
                "inf".to_string()
            } else {
                crate::util::float::fmt_f64(c"%.17g", d)
            };
            assert_eq!(r.pending_to_vec(), format!(",{want}\r\n").into_bytes());
        }
    }

    /// A writer that takes at most `step` bytes per call.
    struct Trickle {
        out: Vec<u8>,
        step: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let n = b.len().min(self.step);
            self.out.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn partial_writes_resume_in_order() {
        let big = Bytes::from(vec![b'x'; ZERO_COPY_MIN * 2]);
        let mut r = ReplyBuffer::new();
        r.bulk(b"first");
        r.bulk_shared(&big);
        r.int(7);
        let want = r.pending_to_vec();
        let mut w = Trickle {
            out: Vec::new(),
            step: 1000,
        };
        while r.has_pending() {
            r.write_to(&mut w, 1500).unwrap();
        }
        assert_eq!(w.out, want);
        assert_eq!(r.pending_bytes(), 0);
    }

    #[test]
    fn muted_output_is_dropped() {
        let mut r = ReplyBuffer::new();
        r.muted = true;
        r.bulk(b"x");
        r.error("ERR x");
        assert!(!r.has_pending());
        assert_eq!(r.take_error_count(), 1);
    }
}
