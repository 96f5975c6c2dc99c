//! Float parsing and printing with Redis's exact rules, backed by the C
//! functions in csrc/numconv.c (strtod/strtold syntax, `long double` sums,
//! printf formats).

use std::ffi::c_char;

unsafe extern "C" {
    fn ferredis_ld_add(
        base: *const c_char,
        base_len: usize,
        incr: *const c_char,
        incr_len: usize,
        out: *mut c_char,
        cap: usize,
    ) -> std::ffi::c_long;
    fn ferredis_strtod(s: *const c_char, len: usize, out: *mut f64) -> i32;
    fn ferredis_timeout_ms(s: *const c_char, len: usize, ms: *mut std::ffi::c_longlong) -> i32;
    fn ferredis_strtod_prefix(
        s: *const c_char,
        len: usize,
        out: *mut f64,
        erange: *mut i32,
    ) -> std::ffi::c_long;
    fn ferredis_fmt_double(
        fmt: *const c_char,
        v: f64,
        out: *mut c_char,
        cap: usize,
    ) -> std::ffi::c_long;
}

/// Why a `long double` increment failed.
#[derive(Debug, PartialEq, Eq)]
pub enum LdAddError {
    /// The stored value is not a float.
    BadBase,
    /// The increment is not a float.
    BadIncrement,
    /// The sum is NaN or infinite.
    NanOrInfinity,
}

/// `base + incr` computed as Redis's INCRBYFLOAT does: both parsed with
/// strtold, added in `long double`, printed with `%.17Lf` minus trailing
/// zeros.
pub fn ld_add(base: &[u8], incr: &[u8]) -> Result<Vec<u8>, LdAddError> {
    // Redis formats into a 5 KiB buffer; a result that does not fit yields
    // an empty string there, and the same here.
    let mut out = vec![0u8; 5 * 1024];
    // SAFETY: every pointer comes with its length, and `out` is writable
    // for `out.len()` bytes; the C side never writes past `cap`.
    let n = unsafe {
        ferredis_ld_add(
            base.as_ptr().cast(),
            base.len(),
            incr.as_ptr().cast(),
            incr.len(),
            out.as_mut_ptr().cast(),
            out.len(),
        )
    };
    match n {
        -1 => Err(LdAddError::BadBase),
        -2 => Err(LdAddError::BadIncrement),
        -3 => Err(LdAddError::NanOrInfinity),
        n => {
            out.truncate(usize::try_from(n).unwrap_or(0));
            Ok(out)
        }
    }
}

/// Parses a whole argument with C's strtod, as Redis's `string2d` does
/// (so `1e3`, `0x10`, `inf` and `-inf` are accepted, spaces are not).
/// NaN is returned as NaN; callers decide whether it is allowed.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    let mut v = 0f64;
    // SAFETY: `s` is read for `s.len()` bytes, `v` is a valid out pointer.
    let ok = unsafe { ferredis_strtod(s.as_ptr().cast(), s.len(), &mut v) };
    (ok == 1).then_some(v)
}

/// A timeout argument in seconds converted to milliseconds exactly as
/// Redis converts it (a long double, times 1000, cast to a 64-bit
/// integer); `None` if it is not a float.
pub fn timeout_ms(s: &[u8]) -> Option<i64> {
    let mut ms: std::ffi::c_longlong = 0;
    // SAFETY: `s` is read for `s.len()` bytes, `ms` is a valid out pointer.
    let ok = unsafe { ferredis_timeout_ms(s.as_ptr().cast(), s.len(), &mut ms) };
    (ok == 0).then_some(ms)
}

/// What C's strtod made of the C string an argument holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrtodPrefix {
    pub value: f64,
    /// Bytes consumed; strtod stops at the first byte it cannot use, and
    /// at a NUL, as the C string ends there.
    pub consumed: usize,
    /// strtod set errno to ERANGE (overflow or underflow).
    pub erange: bool,
}

/// Runs strtod on `s` (read as a C string, so up to its first NUL) and
/// reports how far it got, for callers whose rules differ from
/// [`parse_f64`]'s whole-string parse (Redis's score range bounds accept
/// leading spaces and an empty string). `None` only if out of memory.
pub fn strtod_prefix(s: &[u8]) -> Option<StrtodPrefix> {
    let mut value = 0f64;
    let mut erange = 0i32;
    // SAFETY: `s` is read for `s.len()` bytes; both out pointers are valid.
    let n = unsafe { ferredis_strtod_prefix(s.as_ptr().cast(), s.len(), &mut value, &mut erange) };
    Some(StrtodPrefix {
        value,
        consumed: usize::try_from(n).ok()?,
        erange: erange != 0,
    })
}

/// Formats `v` with a printf format taking one double, e.g. `c"%.17g"`.
pub fn fmt_f64(fmt: &std::ffi::CStr, v: f64) -> String {
    let mut out = [0u8; 512];
    // SAFETY: `fmt` is NUL-terminated and takes exactly one double; `out`
    // is writable for its length and snprintf never writes past it.
    let n = unsafe { ferredis_fmt_double(fmt.as_ptr(), v, out.as_mut_ptr().cast(), out.len()) };
    usize::try_from(n)
        .ok()
        .and_then(|n| out.get(..n))
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_double_sums_print_like_redis() {
        assert_eq!(ld_add(b"1", b"0.1").unwrap(), b"1.1");
        assert_eq!(ld_add(b"10.5", b"0.1").unwrap(), b"10.6");
        assert_eq!(ld_add(b"0", b"0x10").unwrap(), b"16");
        assert_eq!(ld_add(b"1.5e10", b"0").unwrap(), b"15000000000");
        assert_eq!(ld_add(b"0", b"-0").unwrap(), b"0");
        assert_eq!(ld_add(b"a", b"1"), Err(LdAddError::BadBase));
        assert_eq!(ld_add(b"1", b" 1"), Err(LdAddError::BadIncrement));
        assert_eq!(ld_add(b"1", b"inf"), Err(LdAddError::NanOrInfinity));
        assert_eq!(ld_add(b"1", b"1\0"), Err(LdAddError::BadIncrement));
        assert_eq!(ld_add(b"1\0x", b"1"), Err(LdAddError::BadBase));
    }

    #[test]
    fn timeouts_convert_like_redis() {
        assert_eq!(timeout_ms(b"0.1"), Some(100));
        assert_eq!(timeout_ms(b"0x10"), Some(16_000));
        assert_eq!(timeout_ms(b"-1"), Some(-1000));
        assert!(timeout_ms(b"1e400").is_some_and(|ms| ms < 0));
        assert_eq!(timeout_ms(b"abc"), None);
    }

    #[test]
    fn strtod_syntax() {
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b" 1"), None);
        assert_eq!(parse_f64(b""), None);
        assert_eq!(parse_f64(b"1\0"), None);
        assert_eq!(fmt_f64(c"%.17g", 0.1), "0.10000000000000001");
    }

    #[test]
    fn strtod_prefix_reports_progress() {
        let p = strtod_prefix(b" 1.5x").unwrap();
        assert_eq!((p.value, p.consumed, p.erange), (1.5, 4, false));
        assert_eq!(strtod_prefix(b"").unwrap().consumed, 0);
        assert_eq!(strtod_prefix(b"2\0junk").unwrap().consumed, 1);
        assert!(strtod_prefix(b"1e400").unwrap().erange);
        let long = [b"1".as_slice(), &[b'0'; 300]].concat();
        assert_eq!(strtod_prefix(&long).unwrap().consumed, 301);
    }
}
