//! Stream entry IDs (`<ms>-<seq>`) and how commands spell them.

use std::fmt;

/// An entry ID: milliseconds, then a sequence number within them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub const fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next ID up, or None at the very top (Redis's streamIncrID).
    pub fn incr(self) -> Option<StreamId> {
        if self.seq == u64::MAX {
            if self.ms == u64::MAX {
                return None;
            }
            return Some(StreamId::new(self.ms + 1, 0));
        }
        Some(StreamId::new(self.ms, self.seq + 1))
    }

    /// The next ID down, or None at 0-0 (streamDecrID).
    pub fn decr(self) -> Option<StreamId> {
        if self.seq == 0 {
            if self.ms == 0 {
                return None;
            }
            return Some(StreamId::new(self.ms - 1, u64::MAX));
        }
        Some(StreamId::new(self.ms, self.seq - 1))
    }

    /// The text `<ms>-<seq>` into `buf`, without allocating.
    pub fn fmt_into(self, buf: &mut [u8; 41]) -> &[u8] {
        let mut a = [0u8; 20];
        let mut b = [0u8; 20];
        let ms = fmt_u64(self.ms, &mut a);
        let seq = fmt_u64(self.seq, &mut b);
        let n = ms.len();
        buf[..n].copy_from_slice(ms);
        buf[n] = b'-';
        buf[n + 1..n + 1 + seq.len()].copy_from_slice(seq);
        &buf[..n + 1 + seq.len()]
    }
}

fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// Redis's string2ull: string2ll's strict form for values that fit an
/// i64 (negative ones refused), otherwise strtoull's looser one, which
/// skips leading blanks and takes a sign (a `-` wraps around).
pub fn string2ull(s: &[u8]) -> Option<u64> {
    if let Some(n) = crate::util::parse_i64(s) {
        return u64::try_from(n).ok();
    }
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let digits = &s[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if neg { n.wrapping_neg() } else { n })
}

/// What an ID argument said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub id: StreamId,
    /// False for XADD's `<ms>-*`, whose sequence the stream picks.
    pub seq_given: bool,
}

/// Redis's streamParseID: `-`, `+` (unless `strict`), `<ms>`, `<ms>-<seq>`
/// and, when `allow_auto_seq`, `<ms>-*`. The argument is read as a C
/// string, so it ends at a NUL; longer than 127 bytes is invalid.
pub fn parse(arg: &[u8], missing_seq: u64, strict: bool, allow_auto_seq: bool) -> Option<Parsed> {
    if arg.len() > 127 {
        return None;
    }
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let s = &arg[..end];
    let given = |id| {
        Some(Parsed {
            id,
            seq_given: true,
        })
    };
    if s == b"-" || s == b"+" {
        if strict {
            return None;
        }
        return given(if s == b"-" {
            StreamId::MIN
        } else {
            StreamId::MAX
        });
    }
    let (ms, seq) = match s.iter().position(|&b| b == b'-') {
        Some(dash) => (&s[..dash], Some(&s[dash + 1..])),
        None => (s, None),
    };
    let ms = string2ull(ms)?;
    match seq {
        Some(b"*") if allow_auto_seq => Some(Parsed {
            id: StreamId::new(ms, 0),
            seq_given: false,
        }),
        Some(seq) => given(StreamId::new(ms, string2ull(seq)?)),
        None => given(StreamId::new(ms, missing_seq)),
    }
}
