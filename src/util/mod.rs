//! Small helpers shared by every layer: Redis's number parsing and printing
//! rules, the glob matcher, and the clock.

pub mod clock;
pub mod collate;
pub mod float;
pub mod glob;
pub mod split;

use std::time::{SystemTime, UNIX_EPOCH};

/// Parses an integer exactly as Redis's `string2ll`: optional `-`, no `+`,
/// no leading zeros, no spaces, no `-0`, and no overflow. Redis uses this
/// for every integer argument and for the multibulk and bulk headers, so
/// the same inputs are accepted and refused.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s {
        [] => return None,
        [b'0'] => return Some(0),
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    match digits {
        [] | [b'0', ..] => return None,
        _ if digits.len() > 19 => return None,
        _ => {}
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else {
        i64::try_from(v).ok()
    }
}

/// Parses an unsigned integer with the same rules as [`parse_i64`].
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    match s {
        [] => None,
        [b'0'] => Some(0),
        [b'0', ..] => None,
        _ if s.len() > 20 => None,
        _ => {
            let mut v: u64 = 0;
            for &c in s {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            }
            Some(v)
        }
    }
}

/// Writes `v` in decimal into `buf`, returning the digits (no allocation).
pub fn fmt_i64(v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// Quotes bytes as Redis's `sdscatrepr` does: in double quotes, with
/// `\n`, `\r`, `\t`, `\a`, `\b`, `\\`, `\"` escaped and other
/// unprintable bytes as `\xHH`.
pub fn repr(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    for &b in bytes {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0x07 => s.push_str("\\a"),
            0x08 => s.push_str("\\b"),
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}

/// Milliseconds since the Unix epoch, the unit of every expire time.
pub fn now_ms() -> i64 {
    now_us() / 1000
}

/// Microseconds since the Unix epoch.
pub fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Lowercases `src` into `buf` when it fits (command names are short),
/// the allocation-free way to look names up case-insensitively.
pub fn ascii_lower<'a>(src: &[u8], buf: &'a mut [u8; 32]) -> Option<&'a [u8]> {
    let dst = buf.get_mut(..src.len())?;
    for (d, s) in dst.iter_mut().zip(src) {
        *d = s.to_ascii_lowercase();
    }
    Some(dst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string2ll_rules() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"+1",
            b"01",
            b"-0",
            b" 1",
            b"1 ",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"1a",
            b"99999999999999999999",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn repr_quotes_like_redis() {
        assert_eq!(repr(b"abc"), "\"abc\"");
        assert_eq!(repr(b"a\"b\\\n\x01"), "\"a\\\"b\\\\\\n\\x01\"");
    }

    #[test]
    fn formats_integers() {
        let mut b = [0u8; 20];
        assert_eq!(fmt_i64(0, &mut b), b"0");
        assert_eq!(fmt_i64(-42, &mut b), b"-42");
        assert_eq!(fmt_i64(i64::MIN, &mut b), b"-9223372036854775808");
        assert_eq!(fmt_i64(i64::MAX, &mut b), b"9223372036854775807");
    }
}
