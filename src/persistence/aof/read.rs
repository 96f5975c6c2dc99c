//! Reading an AOF file back: the commands it holds, in RESP, one at a
//! time, with the byte offset after each, parsed as Redis's
//! loadSingleAppendOnlyFile parses them (line reads of at most 1024
//! bytes, `#` annotation lines skipped, the CRLF after a bulk not checked).
//!
//! Running out of bytes anywhere inside a command is a truncation (what a
//! crash in the middle of a write leaves); anything else that is not a
//! command is a format error. The caller decides what each means.

use bytes::Bytes;
use std::io::{self, BufRead, Read};

/// Redis's AOF_ANNOTATION_LINE_MAX_LEN: the fgets buffer.
const LINE_MAX: usize = 1024;

/// Why reading stopped before the end of the file.
#[derive(Debug)]
pub enum ReadError {
    /// The file ends inside a command.
    Truncated,
    /// Bytes that are not a command, at this offset.
    Format { offset: u64 },
    /// The file could not be read.
    Io(io::Error),
}

/// A cursor over an AOF file's commands.
pub struct CommandReader<R> {
    inner: R,
    offset: u64,
    line: Vec<u8>,
}

impl<R: BufRead> CommandReader<R> {
    /// Reads from `inner`, which is positioned at byte `offset` of the
    /// file (after an RDB preamble, say).
    pub fn new(inner: R, offset: u64) -> CommandReader<R> {
        CommandReader {
            inner,
            offset,
            line: Vec::with_capacity(64),
        }
    }

    /// Bytes consumed so far: after a command, the offset just past it.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// C's fgets: up to a newline (kept) or LINE_MAX - 1 bytes; false when
    /// nothing at all was left.
    fn fgets(&mut self) -> io::Result<bool> {
        self.line.clear();
        while self.line.len() < LINE_MAX - 1 {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let room = LINE_MAX - 1 - self.line.len();
            let window = &available[..available.len().min(room)];
            let (take, done) = match window.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (window.len(), false),
            };
            self.line.extend_from_slice(&window[..take]);
            self.inner.consume(take);
            self.offset += take as u64;
            if done {
                break;
            }
        }
        Ok(!self.line.is_empty())
    }

    /// Reads exactly `n` bytes; false if the file ends first.
    fn read_exact(&mut self, out: &mut [u8]) -> io::Result<bool> {
        let mut filled = 0;
        while filled < out.len() {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                return Ok(false);
            }
            let n = available.len().min(out.len() - filled);
            out[filled..filled + n].copy_from_slice(&available[..n]);
            self.inner.consume(n);
            self.offset += n as u64;
            filled += n;
        }
        Ok(true)
    }

    /// The next command, or `None` at a clean end of file.
    pub fn next_command(&mut self) -> Result<Option<Vec<Bytes>>, ReadError> {
        loop {
            let start = self.offset;
            if !self.fgets().map_err(ReadError::Io)? {
                return Ok(None);
            }
            if self.line[0] == b'#' {
                continue;
            }
            if self.line[0] != b'*' {
                return Err(ReadError::Format { offset: start });
            }
            if self.line.len() == 1 {
                return Err(ReadError::Truncated);
            }
            let argc = atol(&self.line[1..]);
            if argc < 1 {
                return Err(ReadError::Format { offset: start });
            }
            let mut args = Vec::with_capacity(usize::try_from(argc.min(1024)).unwrap_or(1));
            for _ in 0..argc {
                let at = self.offset;
                if !self.fgets().map_err(ReadError::Io)? {
                    return Err(ReadError::Truncated);
                }
                if self.line[0] != b'$' {
                    return Err(ReadError::Format { offset: at });
                }
                let len = atol(&self.line[1..]);
                let Ok(len) = usize::try_from(len) else {
                    return Err(ReadError::Format { offset: at });
                };
                // A length beyond what the file holds is a truncation;
                // `take` reads what is there without zeroing a buffer of
                // the claimed size first.
                let mut arg = Vec::with_capacity(len.min(1 << 20));
                let n = (&mut self.inner)
                    .take(len as u64)
                    .read_to_end(&mut arg)
                    .map_err(ReadError::Io)?;
                self.offset += n as u64;
                if n < len {
                    return Err(ReadError::Truncated);
                }
                let mut crlf = [0u8; 2];
                if !self.read_exact(&mut crlf).map_err(ReadError::Io)? {
                    return Err(ReadError::Truncated);
                }
                args.push(Bytes::from(arg));
            }
            return Ok(Some(args));
        }
    }
}

/// C's atoi/strtol on a header: optional spaces and sign, then digits up
/// to the first other byte (0 when there are none), saturating.
fn atol(s: &[u8]) -> i64 {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t') {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let mut v: i64 = 0;
    while let Some(d) = s.get(i).filter(|d| d.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(i64::from(d - b'0'));
        i += 1;
    }
    if neg { -v } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: &[u8]) -> (Vec<Vec<Bytes>>, Option<ReadError>, u64) {
        let mut r = CommandReader::new(data, 0);
        let mut out = Vec::new();
        let mut last_ok = 0;
        loop {
            match r.next_command() {
                Ok(Some(c)) => {
                    out.push(c);
                    last_ok = r.offset();
                }
                Ok(None) => return (out, None, last_ok),
                Err(e) => return (out, Some(e), last_ok),
            }
        }
    }

    #[test]
    fn commands_annotations_and_offsets() {
        let data = b"#TS:1700000000\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n";
        let (cmds, err, end) = read_all(data);
        assert!(err.is_none());
        assert_eq!(end, data.len() as u64);
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[1][2], Bytes::from_static(b"a\r\nb"));
    }

    #[test]
    fn truncation_and_format_errors() {
        let good = b"*2\r\n$3\r\ndel\r\n$1\r\nk\r\n";
        for cut in 1..good.len() {
            let mut data = good.to_vec();
            data.extend_from_slice(&good[..cut]);
            let (cmds, err, end) = read_all(&data);
            assert_eq!(cmds.len(), 1, "cut {cut}");
            assert!(matches!(err, Some(ReadError::Truncated)), "cut {cut}");
            assert_eq!(end, good.len() as u64);
        }
        let (_, err, _) = read_all(b"*2\r\n$3\r\ndel\r\n$1\r\nk\r\nxELECT\r\n");
        assert!(matches!(err, Some(ReadError::Format { offset: 20 })));
        let (_, err, _) = read_all(b"*0\r\n");
        assert!(matches!(err, Some(ReadError::Format { offset: 0 })));
        let (_, err, _) = read_all(b"*1\r\n+OK\r\n");
        assert!(matches!(err, Some(ReadError::Format { offset: 4 })));
        // A huge length is only a truncation: the bytes are not there.
        let (_, err, _) = read_all(b"*1\r\n$99999999999\r\nabc");
        assert!(matches!(err, Some(ReadError::Truncated)));
    }
}
