//! Scores and ranges as sorted-set commands read them: a score argument
//! (ZADD, ZINCRBY, WEIGHTS), a score range (`(1.5`, `-inf`, `+inf`) and a
//! lex range (`[a`, `(b`, `-`, `+`), each with Redis's exact rules.

use crate::util::float::strtod_prefix;
use std::cmp::Ordering;

/// C's isspace in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// A score or weight argument, as Redis's getDoubleFromObject reads it:
/// the whole argument must be a strtod number (no leading space, no NUL
/// inside), neither NaN nor out of range (`1e400`, `1e-400` are refused;
/// a denormal like `1e-310` is fine). Unlike the shared float parser it
/// has no length cap, as Redis has none.
pub fn parse_score(arg: &[u8]) -> Option<f64> {
    if arg.first().is_none_or(|&b| is_c_space(b)) {
        return None;
    }
    let p = strtod_prefix(arg)?;
    let overflow = p.erange && (p.value.is_infinite() || p.value == 0.0);
    (p.consumed == arg.len() && !overflow && !p.value.is_nan()).then_some(p.value)
}

/// One bound of a score range as zslParseRange reads it: plain strtod on
/// the argument as a C string, so leading spaces, an empty string (0) and
/// anything after a NUL are accepted, overflow gives an infinity, and only
/// NaN or trailing junk is refused.
fn parse_bound(arg: &[u8]) -> Option<f64> {
    let c_len = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let p = strtod_prefix(arg)?;
    (p.consumed == c_len && !p.value.is_nan()).then_some(p.value)
}

/// A score interval; `(` makes a bound exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

impl ScoreRange {
    /// Parses `min` and `max`; `None` means Redis's "min or max is not a
    /// float".
    pub fn parse(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
        let side = |arg: &[u8]| match arg.split_first() {
            Some((b'(', rest)) => parse_bound(rest).map(|v| (v, true)),
            _ => parse_bound(arg).map(|v| (v, false)),
        };
        let (min, minex) = side(min)?;
        let (max, maxex) = side(max)?;
        Some(ScoreRange {
            min,
            max,
            minex,
            maxex,
        })
    }

    pub fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    pub fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }

    /// A range no score can fall in (min above max, or a single point
    /// with an exclusive end).
    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// One end of a lex range: `-` and `+` are below and above every string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexBound<'a> {
    NegInf,
    PosInf,
    Value(&'a [u8]),
}

/// A member interval; `(` makes a bound exclusive, `[` inclusive, and
/// `-`/`+` count as exclusive, as in Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexRange<'a> {
    pub min: LexBound<'a>,
    pub max: LexBound<'a>,
    pub minex: bool,
    pub maxex: bool,
}

/// Compares a member with a bound (Redis's sdscmplex).
pub fn cmp_lex(value: &[u8], bound: LexBound) -> Ordering {
    match bound {
        LexBound::NegInf => Ordering::Greater,
        LexBound::PosInf => Ordering::Less,
        LexBound::Value(b) => value.cmp(b),
    }
}

impl<'a> LexRange<'a> {
    /// Parses `min` and `max`; `None` means Redis's "min or max not valid
    /// string range item". `-` and `+` must stand alone, up to a NUL (the
    /// check looks at the byte after them as a C string would).
    pub fn parse(min: &'a [u8], max: &'a [u8]) -> Option<LexRange<'a>> {
        let item = |arg: &'a [u8]| match arg.split_first() {
            Some((b'+', rest)) if rest.first().is_none_or(|&b| b == 0) => {
                Some((LexBound::PosInf, true))
            }
            Some((b'-', rest)) if rest.first().is_none_or(|&b| b == 0) => {
                Some((LexBound::NegInf, true))
            }
            Some((b'(', rest)) => Some((LexBound::Value(rest), true)),
            Some((b'[', rest)) => Some((LexBound::Value(rest), false)),
            _ => None,
        };
        let (min, minex) = item(min)?;
        let (max, maxex) = item(max)?;
        Some(LexRange {
            min,
            max,
            minex,
            maxex,
        })
    }

    pub fn gte_min(&self, member: &[u8]) -> bool {
        let c = cmp_lex(member, self.min);
        if self.minex { c.is_gt() } else { c.is_ge() }
    }

    pub fn lte_max(&self, member: &[u8]) -> bool {
        let c = cmp_lex(member, self.max);
        if self.maxex { c.is_lt() } else { c.is_le() }
    }

    /// A range no member can fall in. Two identical `-` (or `+`) bounds
    /// compare equal, as Redis compares its shared sentinels by address.
    pub fn is_empty(&self) -> bool {
        let c = match (self.min, self.max) {
            (LexBound::NegInf, LexBound::NegInf) | (LexBound::PosInf, LexBound::PosInf) => {
                Ordering::Equal
            }
            (LexBound::NegInf, _) | (_, LexBound::PosInf) => Ordering::Less,
            (LexBound::PosInf, _) | (_, LexBound::NegInf) => Ordering::Greater,
            (LexBound::Value(a), LexBound::Value(b)) => a.cmp(b),
        };
        c.is_gt() || (c.is_eq() && (self.minex || self.maxex))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_string2d() {
        assert_eq!(parse_score(b"1.5"), Some(1.5));
        assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_score(b"0x10"), Some(16.0));
        assert!(parse_score(b"1e-310").is_some());
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"nan",
            b"1e400",
            b"1e-400",
            b"1\0",
            b"abc",
        ] {
            assert_eq!(parse_score(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn score_ranges_follow_zsl_parse_range() {
        let r = ScoreRange::parse(b"(1", b"+inf").unwrap();
        assert!(r.minex && !r.maxex && r.min == 1.0 && r.max.is_infinite());
        // Leading spaces, the empty string, a lone `(` and text after a NUL
        // all pass; overflow is an infinity.
        assert_eq!(ScoreRange::parse(b"", b" 2").unwrap().max, 2.0);
        assert_eq!(ScoreRange::parse(b"(", b"1\0x").unwrap().min, 0.0);
        assert!(ScoreRange::parse(b"1e400", b"1").unwrap().min.is_infinite());
        assert!(ScoreRange::parse(b" ", b"1").is_none());
        assert!(ScoreRange::parse(b"nan", b"1").is_none());
        assert!(ScoreRange::parse(b"1", b"(x").is_none());
        assert!(ScoreRange::parse(b"2", b"1").unwrap().is_empty());
        assert!(ScoreRange::parse(b"(1", b"1").unwrap().is_empty());
        assert!(!ScoreRange::parse(b"1", b"1").unwrap().is_empty());
    }

    #[test]
    fn lex_ranges() {
        let r = LexRange::parse(b"[a", b"(c").unwrap();
        assert!(r.gte_min(b"a") && r.lte_max(b"b") && !r.lte_max(b"c"));
        assert!(LexRange::parse(b"-", b"+").is_some());
        assert!(LexRange::parse(b"-\0x", b"+").is_some());
        for (min, max) in [
            (&b"a"[..], &b"+"[..]),
            (b"", b"+"),
            (b"-x", b"+"),
            (b"-", b"+a"),
        ] {
            assert!(LexRange::parse(min, max).is_none());
        }
        let empty = |a: &[u8], b: &[u8]| LexRange::parse(a, b).unwrap().is_empty();
        assert!(empty(b"-", b"-") && empty(b"+", b"+") && empty(b"+", b"-"));
        assert!(empty(b"+", b"[a") && empty(b"[b", b"[a") && empty(b"(a", b"[a"));
        assert!(!empty(b"-", b"+") && !empty(b"[a", b"[a") && !empty(b"[", b"["));
    }
}
