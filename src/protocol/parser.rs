//! The request parser: RESP2 multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`)
//! and inline (`GET k\r\n`) requests, parsed incrementally.
//!
//! A request may arrive split anywhere. The parser consumes what it can
//! from the front of the query buffer and remembers where it stopped (how
//! many bulks are left, the length of the bulk being read), so a 500 MB
//! bulk arriving in pieces is never re-scanned: each read only checks
//! whether enough bytes are there yet. Arguments are handed out as `Bytes`
//! split off the query buffer, without copying.
//!
//! The accepted syntax and every error text follow Redis 7.0's
//! networking.c (processMultibulkBuffer and processInlineBuffer), quirks
//! included: a header line ends at `\r` and the byte after it is skipped
//! unread, a bulk's trailing two bytes are skipped unread, and counts
//! follow `string2ll` (no `+`, no leading zeros).

use crate::util::parse_i64;
use crate::util::split::split_args;
use bytes::{Buf, Bytes, BytesMut};

/// Longest inline request, and longest header line (PROTO_INLINE_MAX_SIZE).
pub const INLINE_MAX: usize = 64 * 1024;
/// Bulks at least this long get a buffer of their own
/// (PROTO_MBULK_BIG_ARG), so storing them needs no copy.
pub const BIG_ARG: usize = 32 * 1024;
/// Largest multibulk count Redis 7.0 accepts (INT_MAX).
const MAX_MULTIBULK: i64 = i32::MAX as i64;
/// Before a client authenticates, Redis caps what it may announce, so an
/// unauthenticated client cannot make the server buffer much.
const UNAUTH_MAX_MULTIBULK: usize = 10;
const UNAUTH_MAX_BULK: usize = 16 * 1024;

/// A malformed request. Redis answers each with `-ERR Protocol error: ...`
/// and closes the connection once the reply is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    TooBigInline,
    UnbalancedQuotes,
    TooBigMultibulkCount,
    InvalidMultibulkLength,
    TooBigBulkCount,
    ExpectedDollar(u8),
    InvalidBulkLength,
    UnauthenticatedMultibulkLength,
    UnauthenticatedBulkLength,
}

impl ParseError {
    /// The error reply, exactly as Redis words it.
    pub fn message(&self) -> String {
        let what = match self {
            ParseError::TooBigInline => "too big inline request".to_string(),
            ParseError::UnbalancedQuotes => "unbalanced quotes in request".to_string(),
            ParseError::TooBigMultibulkCount => "too big mbulk count string".to_string(),
            ParseError::InvalidMultibulkLength => "invalid multibulk length".to_string(),
            ParseError::TooBigBulkCount => "too big bulk count string".to_string(),
            ParseError::ExpectedDollar(c) => format!("expected '$', got '{}'", char::from(*c)),
            ParseError::InvalidBulkLength => "invalid bulk length".to_string(),
            ParseError::UnauthenticatedMultibulkLength => {
                "unauthenticated multibulk length".to_string()
            }
            ParseError::UnauthenticatedBulkLength => "unauthenticated bulk length".to_string(),
        };
        format!("ERR Protocol error: {what}")
    }
}

/// What the parser is in the middle of.
#[derive(Debug, Default)]
enum State {
    /// Between requests.
    #[default]
    Idle,
    /// Reading a multibulk request: bulks still to read, and the length of
    /// the current bulk once its header is parsed.
    Multibulk {
        remaining: usize,
        bulk: Option<usize>,
    },
}

/// Per-connection parser state.
#[derive(Debug, Default)]
pub struct Parser {
    state: State,
    /// Bytes of arguments collected so far for the request in progress
    /// (Redis's argv_len_sum, reported by CLIENT LIST as argv-mem).
    pub args_len: usize,
    /// The client still has to authenticate: announced sizes are capped
    /// (set by the server before each request is parsed).
    pub auth_required: bool,
}

/// Finds the end of a header line as Redis's `strchr(p, '\r')` does on its
/// NUL-terminated buffer: a NUL byte before any `\r` means "not found".
fn find_cr(buf: &[u8]) -> Option<usize> {
    buf.iter()
        .position(|&b| b == b'\r' || b == 0)
        .filter(|&i| buf[i] == b'\r')
}

fn find_lf(buf: &[u8]) -> Option<usize> {
    buf.iter()
        .position(|&b| b == b'\n' || b == 0)
        .filter(|&i| buf[i] == b'\n')
}

/// The usual header line, a prefix byte then 1 to 18 digits without a
/// leading zero, then `\r` and one more byte, read in one pass: the number
/// and the length of the line. Anything else (a sign, a leading zero, a
/// line not yet complete) gives `None` and goes the general way
/// (`find_cr` then `parse_i64`), which reads what this accepts the same.
#[inline]
fn quick_header(buf: &[u8]) -> Option<(usize, usize)> {
    match buf.get(1..4)? {
        [b'0', b'\r', _] => return Some((0, 4)),
        [b'1'..=b'9', ..] => {}
        _ => return None,
    }
    let mut n = 0usize;
    let mut i = 1;
    // At most 18 digits, so the number cannot overflow.
    while i < 20 {
        match buf.get(i)? {
            &b @ b'0'..=b'9' if i < 19 => n = n * 10 + usize::from(b - b'0'),
            b'\r' if i + 2 <= buf.len() => return Some((n, i + 2)),
            _ => return None,
        }
        i += 1;
    }
    None
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// True while a request is partly received (the next bytes belong to it).
    pub fn in_request(&self) -> bool {
        !matches!(self.state, State::Idle)
    }

    /// How many bytes the parser is waiting for to finish the current
    /// bulk, if it is inside one; lets the reader size its next read so a
    /// big bulk lands in one contiguous buffer.
    pub fn bulk_bytes_wanted(&self, buffered: usize) -> Option<usize> {
        match self.state {
            State::Multibulk {
                bulk: Some(len), ..
            } => Some((len + 2).saturating_sub(buffered)),
            _ => None,
        }
    }

    /// Parses the next complete request from the front of `buf` into
    /// `args`. Returns `Ok(true)` when `args` holds a whole command,
    /// `Ok(false)` when more bytes are needed (what was parsed so far is
    /// kept in `args` and in the parser's state). Empty requests (`*0`,
    /// `*-1`, blank inline lines) are skipped, as Redis skips them.
    pub fn parse(
        &mut self,
        buf: &mut BytesMut,
        args: &mut Vec<Bytes>,
        max_bulk_len: i64,
    ) -> Result<bool, ParseError> {
        loop {
            if let State::Idle = self.state {
                if buf.is_empty() {
                    return Ok(false);
                }
                args.clear();
                self.args_len = 0;
                if buf[0] != b'*' {
                    match self.parse_inline(buf, args)? {
                        None => return Ok(false),
                        Some(true) => return Ok(true),
                        Some(false) => continue,
                    }
                }
                match self.parse_multibulk_header(buf)? {
                    None => return Ok(false),
                    Some(0) => continue,
                    Some(n) => {
                        // Never trust the count for an allocation: a client
                        // may announce two billion arguments and send none.
                        args.reserve(n.min(1024));
                        self.state = State::Multibulk {
                            remaining: n,
                            bulk: None,
                        };
                    }
                }
            }
            return self.parse_bulks(buf, args, max_bulk_len);
        }
    }

    /// An inline request. `None`: no full line yet; `Some(false)`: a blank
    /// line was skipped; `Some(true)`: `args` holds the command.
    fn parse_inline(
        &mut self,
        buf: &mut BytesMut,
        args: &mut Vec<Bytes>,
    ) -> Result<Option<bool>, ParseError> {
        // Only a line still without its end can be too big: once the
        // newline is in, Redis takes the line whatever its length.
        let Some(lf) = find_lf(buf) else {
            if buf.len() > INLINE_MAX {
                return Err(ParseError::TooBigInline);
            }
            return Ok(None);
        };
        let end = if lf > 0 && buf[lf - 1] == b'\r' {
            lf - 1
        } else {
            lf
        };
        let words = split_args(&buf[..end]).ok_or(ParseError::UnbalancedQuotes)?;
        buf.advance(lf + 1);
        if words.is_empty() {
            return Ok(Some(false));
        }
        args.extend(words.into_iter().map(Bytes::from));
        Ok(Some(true))
    }

    /// The `*<count>\r\n` line. `None`: incomplete; `Some(0)`: an empty or
    /// null request to skip.
    fn parse_multibulk_header(&mut self, buf: &mut BytesMut) -> Result<Option<usize>, ParseError> {
        if let Some((count, line)) = quick_header(buf)
            && count <= MAX_MULTIBULK as usize
            && !(self.auth_required && count > UNAUTH_MAX_MULTIBULK)
        {
            buf.advance(line);
            return Ok(Some(count));
        }
        let Some(cr) = find_cr(buf) else {
            if buf.len() > INLINE_MAX {
                return Err(ParseError::TooBigMultibulkCount);
            }
            return Ok(None);
        };
        // Redis wants one more byte (the `\n`) before it reads the line.
        if cr + 2 > buf.len() {
            return Ok(None);
        }
        let count = match parse_i64(&buf[1..cr]) {
            Some(n) if n <= MAX_MULTIBULK => usize::try_from(n).unwrap_or(0),
            _ => return Err(ParseError::InvalidMultibulkLength),
        };
        if self.auth_required && count > UNAUTH_MAX_MULTIBULK {
            return Err(ParseError::UnauthenticatedMultibulkLength);
        }
        buf.advance(cr + 2);
        Ok(Some(count))
    }

    fn parse_bulks(
        &mut self,
        buf: &mut BytesMut,
        args: &mut Vec<Bytes>,
        max_bulk_len: i64,
    ) -> Result<bool, ParseError> {
        let State::Multibulk {
            mut remaining,
            mut bulk,
        } = self.state
        else {
            return Ok(false);
        };
        // The two bytes after a bulk's data are skipped unread, as Redis
        // does; they are skipped together with the next header.
        let mut skip = 0;
        while remaining > 0 {
            let len = match bulk {
                Some(len) => len,
                None => {
                    let quick = match buf.get(skip) {
                        Some(b'$') => quick_header(&buf[skip..]),
                        _ => None,
                    };
                    let (parsed, line) = match quick {
                        Some((n, line)) => (i64::try_from(n).ok(), line),
                        None => {
                            buf.advance(skip);
                            skip = 0;
                            let Some(cr) = find_cr(buf) else {
                                if buf.len() > INLINE_MAX {
                                    return Err(ParseError::TooBigBulkCount);
                                }
                                break;
                            };
                            if cr + 2 > buf.len() {
                                break;
                            }
                            if buf[0] != b'$' {
                                return Err(ParseError::ExpectedDollar(buf[0]));
                            }
                            (parse_i64(&buf[1..cr]), cr + 2)
                        }
                    };
                    let len = match parsed {
                        Some(n) if n >= 0 && n <= max_bulk_len => n as usize,
                        _ => return Err(ParseError::InvalidBulkLength),
                    };
                    if self.auth_required && len > UNAUTH_MAX_BULK {
                        return Err(ParseError::UnauthenticatedBulkLength);
                    }
                    buf.advance(skip + line);
                    skip = 0;
                    if len >= BIG_ARG && buf.len() <= len + 2 {
                        // Give the big bulk a buffer of its own, sized for
                        // it, so the argument owns its allocation.
                        let mut own = BytesMut::with_capacity(len + 2);
                        own.extend_from_slice(buf);
                        *buf = own;
                    }
                    bulk = Some(len);
                    len
                }
            };
            if buf.len() < len + 2 {
                break;
            }
            let arg = if len >= BIG_ARG && buf.len() > len + 2 {
                // The big bulk shares the buffer with what follows it: copy
                // it out so it does not pin the rest of the buffer.
                let arg = Bytes::copy_from_slice(&buf[..len]);
                buf.advance(len);
                arg
            } else {
                buf.split_to(len).freeze()
            };
            skip = 2;
            self.args_len += len;
            args.push(arg);
            bulk = None;
            remaining -= 1;
        }
        buf.advance(skip);
        if remaining == 0 {
            self.state = State::Idle;
            return Ok(true);
        }
        self.state = State::Multibulk { remaining, bulk };
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: i64 = 512 * 1024 * 1024;

    /// Feeds `input` to a fresh parser in pieces of `step` bytes and
    /// collects the commands (or the first error).
    fn parse_all(input: &[u8], step: usize) -> Result<Vec<Vec<Vec<u8>>>, ParseError> {
        let mut p = Parser::new();
        let mut buf = BytesMut::new();
        let mut args = Vec::new();
        let mut out = Vec::new();
        for chunk in input.chunks(step.max(1)) {
            buf.extend_from_slice(chunk);
            while p.parse(&mut buf, &mut args, MAX)? {
                out.push(args.iter().map(|a| a.to_vec()).collect());
            }
        }
        Ok(out)
    }

    fn cmd(parts: &[&str]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    #[test]
    fn multibulk_in_any_split() {
        let input = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n";
        for step in 1..input.len() {
            assert_eq!(
                parse_all(input, step).unwrap(),
                vec![cmd(&["SET", "k", "hello"]), cmd(&["PING"])],
                "step {step}"
            );
        }
    }

    #[test]
    fn inline_requests() {
        let input = b"PING\r\nset a \"b c\"\nECHO 'x y'\r\n\r\n   \r\n";
        for step in 1..input.len() {
            assert_eq!(
                parse_all(input, step).unwrap(),
                vec![
                    cmd(&["PING"]),
                    cmd(&["set", "a", "b c"]),
                    cmd(&["ECHO", "x y"])
                ]
            );
        }
    }

    #[test]
    fn empty_and_null_multibulk_are_skipped() {
        let input = b"*0\r\n*-1\r\n*-7\r\n*1\r\n$4\r\nPING\r\n";
        for step in 1..input.len() {
            assert_eq!(parse_all(input, step).unwrap(), vec![cmd(&["PING"])]);
        }
    }

    #[test]
    fn binary_and_empty_bulks() {
        let input = b"*3\r\n$0\r\n\r\n$4\r\n\r\n\0\n\r\n$1\r\n\0\r\n";
        assert_eq!(
            parse_all(input, 3).unwrap(),
            vec![vec![b"".to_vec(), b"\r\n\0\n".to_vec(), b"\0".to_vec()]]
        );
    }

    #[test]
    fn redis_quirks() {
        // The byte after `\r` and the two after a bulk are not checked.
        assert_eq!(
            parse_all(b"*1\rX$4\r\nPINGxy", 100).unwrap(),
            vec![cmd(&["PING"])]
        );
    }

    #[test]
    fn protocol_errors() {
        let err = |input: &[u8]| parse_all(input, 1000).unwrap_err();
        assert_eq!(err(b"*x\r\n"), ParseError::InvalidMultibulkLength);
        assert_eq!(err(b"*+1\r\n"), ParseError::InvalidMultibulkLength);
        assert_eq!(err(b"*01\r\n"), ParseError::InvalidMultibulkLength);
        assert_eq!(err(b"*-0\r\n"), ParseError::InvalidMultibulkLength);
        assert_eq!(err(b"*2147483648\r\n"), ParseError::InvalidMultibulkLength);
        assert_eq!(err(b"*1\r\nx\r\n"), ParseError::ExpectedDollar(b'x'));
        assert_eq!(err(b"*1\r\n$-1\r\n"), ParseError::InvalidBulkLength);
        assert_eq!(err(b"*1\r\n$536870913\r\n"), ParseError::InvalidBulkLength);
        assert_eq!(err(b"*1\r\n$04\r\n"), ParseError::InvalidBulkLength);
        assert_eq!(err(b"set \"a\r\n"), ParseError::UnbalancedQuotes);
        assert_eq!(err(&[b'a'; 70_000]), ParseError::TooBigInline);
        // A long line whose end arrives before it passes the limit is fine.
        let mut long = vec![b'a'; INLINE_MAX];
        long.extend(b"\r\n");
        assert_eq!(parse_all(&long, 16 * 1024).unwrap().len(), 1);
        let mut big = b"*".to_vec();
        big.extend([b'1'; 70_000]);
        assert_eq!(err(&big), ParseError::TooBigMultibulkCount);
        let mut big = b"*1\r\n$".to_vec();
        big.extend([b'1'; 70_000]);
        assert_eq!(err(&big), ParseError::TooBigBulkCount);
        assert_eq!(
            ParseError::ExpectedDollar(b'x').message(),
            "ERR Protocol error: expected '$', got 'x'"
        );
    }

    #[test]
    fn unauthenticated_clients_announce_little() {
        let parse = |input: &[u8]| {
            let mut p = Parser::new();
            p.auth_required = true;
            p.parse(&mut BytesMut::from(input), &mut Vec::new(), MAX)
        };
        assert_eq!(
            parse(b"*11\r\n"),
            Err(ParseError::UnauthenticatedMultibulkLength)
        );
        assert_eq!(parse(b"*10\r\n"), Ok(false));
        assert_eq!(
            parse(b"*1\r\n$16385\r\n"),
            Err(ParseError::UnauthenticatedBulkLength)
        );
        assert_eq!(parse(b"*1\r\n$16384\r\n"), Ok(false));
        // The general checks come first.
        assert_eq!(
            parse(b"*2147483648\r\n"),
            Err(ParseError::InvalidMultibulkLength)
        );
        assert_eq!(
            parse(b"*1\r\n$536870913\r\n"),
            Err(ParseError::InvalidBulkLength)
        );
    }

    #[test]
    fn a_huge_count_allocates_nothing_up_front() {
        assert!(
            parse_all(b"*2147483647\r\n$1\r\na\r\n", 5)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn quick_headers_read_as_the_general_path_does() {
        // Whatever the one-pass reader accepts, find_cr + parse_i64 must
        // read the same way: same number, same line length.
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet = b"0123456789012345678901234567890-+\r\n\0x ";
        let mut accepted = 0;
        for round in 0..200_000 {
            let len = rng.usize(1..24);
            let mut buf = vec![b'$'];
            buf.extend((0..len).map(|_| alphabet[rng.usize(..alphabet.len())]));
            if round % 2 == 0 {
                // Mostly well-formed lines, so both answers get compared.
                let digits = rng.usize(1..21);
                buf.truncate(1);
                buf.extend((0..digits).map(|_| b'0' + rng.u8(0..10)));
                buf.extend(b"\r\n");
                buf.truncate(rng.usize(1..buf.len() + 1));
            }
            if let Some((n, line)) = quick_header(&buf) {
                accepted += 1;
                let cr = find_cr(&buf).expect("a line the quick reader took");
                assert_eq!(line, cr + 2, "{buf:?}");
                assert!(line <= buf.len());
                assert_eq!(parse_i64(&buf[1..cr]), Some(n as i64), "{buf:?}");
            }
        }
        assert!(accepted > 10_000, "{accepted}");
        assert_eq!(quick_header(b"$0\r\n"), Some((0, 4)));
        assert_eq!(quick_header(b"$0\r"), None);
        assert_eq!(quick_header(b"$01\r\n"), None);
        assert_eq!(
            quick_header(b"$123456789012345678\r\n"),
            Some((123456789012345678, 21))
        );
        assert_eq!(quick_header(b"$1234567890123456789\r\n"), None);
        assert_eq!(quick_header(b"$\r\n"), None);
    }

    #[test]
    fn big_bulks_own_their_buffer() {
        let len = BIG_ARG * 2;
        let mut input = format!("*2\r\n$3\r\nSET\r\n${len}\r\n").into_bytes();
        input.extend(std::iter::repeat_n(b'v', len));
        input.extend(b"\r\n*1\r\n$4\r\nPING\r\n");
        for step in [7, 1000, 40_000, input.len()] {
            let got = parse_all(&input, step).unwrap();
            assert_eq!(got.len(), 2);
            assert_eq!(got[0][1].len(), len);
            assert_eq!(got[1], cmd(&["PING"]));
        }
    }
}
