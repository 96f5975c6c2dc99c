//! Iterating the keyspace: KEYS (all at once) and SCAN (a cursor).
//!
//! SCAN's cursor is the dict's reverse-binary bucket cursor (see
//! db::dict), so every key present for a whole iteration is returned at
//! least once even if the table grows or shrinks between calls; keys may
//! be returned more than once. Each call walks buckets until about COUNT
//! keys were collected, then filters them by MATCH, TYPE and expiry, so a
//! call can return fewer keys than COUNT, or none, with a non-zero cursor.

use super::keys::type_name;
use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, is};
use crate::db::Key;
use crate::util::glob;
use bytes::Bytes;

pub static COMMANDS: &[Command] = &[
    Command::new("keys", 2, keys)
        .flags(flag::READONLY)
        .acl(acl::KEYSPACE | acl::READ | acl::SLOW | acl::DANGEROUS)
        .tips(&["request_policy:all_shards", "nondeterministic_output_order"])
        .doc(
            Group::Generic,
            "1.0.0",
            "O(N) in the keys of the database.",
            "Lists every key matching a glob pattern, in one reply.",
        ),
    Command::new("scan", -2, scan)
        .flags(flag::READONLY)
        .acl(acl::KEYSPACE | acl::READ | acl::SLOW)
        .tips(&["nondeterministic_output", "request_policy:special"])
        .doc(
            Group::Generic,
            "2.8.0",
            "O(1) per call; O(N) for a full iteration over N keys.",
            "Iterates the keys of the database a few at a time with a cursor.",
        ),
];

/// A lone `*` matches every key: Redis skips matching for it, which also
/// makes it match the empty key (stringmatchlen would not).
fn matches_all(pattern: &[u8]) -> bool {
    pattern == b"*"
}

/// KEYS: logically expired keys are left out but not deleted (Redis's
/// keyIsExpired), so KEYS never changes the dataset.
fn keys(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let pattern = &args[1][..];
    let all = matches_all(pattern);
    let now = ctx.now_ms;
    let (db, reply) = ctx.db_and_reply();
    let found: Vec<&[u8]> = db
        .iter()
        .filter(|(key, _)| all || glob::matches(pattern, key.as_bytes()))
        .filter(|(key, obj)| !db.is_expired(key, obj, now))
        .map(|(key, _)| key.as_bytes())
        .collect();
    reply.array(found.len());
    for key in found {
        reply.bulk(key);
    }
    Ok(())
}

/// Reads a SCAN cursor as Redis's strtoul-based parser: an optional sign
/// (a minus negates modulo 2^64), decimal digits, nothing after but a NUL,
/// no leading space, no overflow. An empty cursor reads as 0.
pub fn parse_cursor(arg: &[u8]) -> Result<u64, CmdError> {
    let invalid = CmdError::text("ERR invalid cursor");
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let text = &arg[..end];
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if text.is_empty() {
        return Ok(0);
    }
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(invalid);
    }
    let mut n: u64 = 0;
    for &d in digits {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or_else(|| invalid.clone())?;
    }
    Ok(if negative { n.wrapping_neg() } else { n })
}

/// The options of the SCAN family (Redis's scanGenericCommand serves all
/// four): COUNT (a hint, at least 1), MATCH, and for SCAN alone TYPE.
pub struct ScanOptions<'a> {
    pub count: i64,
    /// None when matching is off (no MATCH, or MATCH `*`).
    pub pattern: Option<&'a [u8]>,
    pub type_filter: Option<&'a [u8]>,
}

/// What HSCAN, SSCAN and ZSCAN answer for a missing key.
pub const EMPTY_SCAN: &[u8] = b"*2\r\n$1\r\n0\r\n*0\r\n";

impl<'a> ScanOptions<'a> {
    /// Parses `COUNT n`, `MATCH pattern` and (with `with_type`) `TYPE
    /// name` in any order, the last of each winning; a keyword without its
    /// value, or one the command does not take, is a syntax error.
    pub fn parse(opts: &'a [Bytes], with_type: bool) -> Result<ScanOptions<'a>, CmdError> {
        let mut o = ScanOptions {
            count: 10,
            pattern: None,
            type_filter: None,
        };
        let mut i = 0;
        while i < opts.len() {
            let (opt, value) = match opts.get(i + 1) {
                Some(value) => (&opts[i], &value[..]),
                None => return Err(CmdError::SYNTAX),
            };
            if is(opt, "count") {
                o.count = super::arg_i64(value)?;
                if o.count < 1 {
                    return Err(CmdError::SYNTAX);
                }
            } else if is(opt, "match") {
                o.pattern = (!matches_all(value)).then_some(value);
            } else if with_type && is(opt, "type") {
                o.type_filter = Some(value);
            } else {
                return Err(CmdError::SYNTAX);
            }
            i += 2;
        }
        Ok(o)
    }
}

fn scan(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut cursor = parse_cursor(&args[1])?;
    let opts = ScanOptions::parse(&args[2..], true)?;
    let now = ctx.now_ms;
    let db = ctx.db();

    // Walk buckets until enough keys were gathered, giving up after ten
    // times COUNT buckets so a sparse table cannot stall the server.
    let mut found: Vec<Key> = Vec::new();
    let mut budget = opts.count.wrapping_mul(10);
    loop {
        cursor = db.scan(cursor, &mut |key, _| found.push(key.clone()));
        let exhausted = budget == 0;
        budget = budget.wrapping_sub(1);
        if cursor == 0 || exhausted || found.len() as u64 >= opts.count as u64 {
            break;
        }
    }

    // Filters in Redis's order. The TYPE check is a real lookup (counting
    // a hit or miss, expiring the key); an expired key then reads as type
    // "none", so `TYPE none` lets it through.
    found.retain(|key| {
        let key = key.as_bytes();
        if let Some(pattern) = opts.pattern
            && !glob::matches(pattern, key)
        {
            return false;
        }
        if let Some(wanted) = opts.type_filter
            && !is(wanted, type_name(db.get_notouch(key, now)))
        {
            return false;
        }
        !db.expire_if_due(key, now)
    });

    ctx.flush_key_events();
    let reply = &mut *ctx.reply;
    reply.array(2);
    let mut digits = [0u8; 20];
    reply.bulk(fmt_u64(cursor, &mut digits));
    reply.array(found.len());
    for key in &found {
        reply.bulk(key.as_bytes());
    }
    Ok(())
}

/// Decimal digits of an unsigned cursor.
fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;
    use crate::commands::testkit::Session;
    use std::collections::HashSet;

    const SYNTAX: &str = "-ERR syntax error\r\n";
    const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";
    const BAD_CURSOR: &str = "-ERR invalid cursor\r\n";

    /// Splits a SCAN reply into its cursor and keys.
    fn parse_reply(reply: &[u8]) -> (u64, Vec<Vec<u8>>) {
        let text = reply.to_vec();
        let mut lines = text
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
        let mut next = || lines.next().unwrap_or_default().to_vec();
        assert_eq!(next(), b"*2");
        next();
        let cursor = String::from_utf8(next()).unwrap().parse().unwrap();
        let n: usize = String::from_utf8(next()[1..].to_vec())
            .unwrap()
            .parse()
            .unwrap();
        let keys = (0..n)
            .map(|_| {
                next();
                next()
            })
            .collect();
        (cursor, keys)
    }

    #[test]
    fn cursor_parsing_follows_strtoul() {
        for (arg, want) in [
            (&b""[..], Some(0)),
            (b"0", Some(0)),
            (b"-0", Some(0)),
            (b"+0", Some(0)),
            (b"007", Some(7)),
            (b"18446744073709551615", Some(u64::MAX)),
            (b"-1", Some(u64::MAX)),
            (b"-18446744073709551615", Some(1)),
            (b"5\0abc", Some(5)),
            (b"\0", Some(0)),
            (b"18446744073709551616", None),
            (b"-18446744073709551616", None),
            (b"-", None),
            (b"+", None),
            (b" 0", None),
            (b"0 ", None),
            (b"\t1", None),
            (b"0x", None),
            (b"abc", None),
            (b"+-1", None),
            (b"--1", None),
        ] {
            assert_eq!(
                parse_cursor(arg).ok(),
                want,
                "{:?}",
                String::from_utf8_lossy(arg)
            );
        }
    }

    #[test]
    fn option_errors() {
        let mut s = Session::new();
        s.call(&["set", "a", "1"]);
        let one = "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n";
        let none = "*2\r\n$1\r\n0\r\n*0\r\n";
        s.expect(&[
            (&["scan", ""], one),
            (&["scan", "-0"], one),
            (&["scan", "abc"], BAD_CURSOR),
            (&["scan", "x", "count", "0"], BAD_CURSOR),
            (&["scan", "0", "count"], SYNTAX),
            (&["scan", "0", "count", "0"], SYNTAX),
            (&["scan", "0", "count", "-1"], SYNTAX),
            (&["scan", "0", "count", "abc"], NOT_INT),
            (&["scan", "0", "count", "1.5"], NOT_INT),
            (&["scan", "0", "count", " 1"], NOT_INT),
            (&["scan", "0", "count", "9223372036854775808"], NOT_INT),
            (&["scan", "0", "count", "9223372036854775807"], one),
            (&["scan", "0", "count", "0", "count", "abc"], SYNTAX),
            (&["scan", "0", "count", "abc", "foo"], NOT_INT),
            (&["scan", "0", "match"], SYNTAX),
            (&["scan", "0", "type"], SYNTAX),
            (&["scan", "0", "foo"], SYNTAX),
            (&["scan", "0", "foo", "bar"], SYNTAX),
            (&["scan", "0", "match", "b"], none),
            (&["scan", "0", "match", "b", "match", "a"], one),
            (
                &["scan", "0", "MATCH", "a", "COUNT", "5", "TYPE", "string"],
                one,
            ),
            (&["scan", "0", "TYPE", "STRING"], one),
            (&["scan", "0", "type", "list"], none),
            (&["scan", "0", "type", "foo"], none),
            (&["scan", "0", "type", "none"], none),
            (
                &["scan"],
                "-ERR wrong number of arguments for 'scan' command\r\n",
            ),
            (
                &["keys"],
                "-ERR wrong number of arguments for 'keys' command\r\n",
            ),
            (
                &["keys", "a", "b"],
                "-ERR wrong number of arguments for 'keys' command\r\n",
            ),
        ]);
        // The last bucket of the table: the cursor wraps to 0 (whether `a`
        // is in that bucket depends on the hash seed).
        for cursor in ["18446744073709551615", "-1"] {
            assert_eq!(parse_reply(s.call(&["scan", cursor]).as_bytes()).0, 0);
        }
        assert_eq!(s.run_args(&[b"scan", b"0\0abc"]), one.as_bytes());
        assert_eq!(
            s.run_args(&[b"scan", b"0", b"type", b"string\0x"]),
            one.as_bytes()
        );
        assert_eq!(
            s.run_args(&[b"scan", b"0", b"count\0x", b"5"]),
            one.as_bytes()
        );
    }

    #[test]
    fn patterns_and_the_empty_key() {
        let mut s = Session::new();
        s.call(&["set", "", "e"]);
        // Only the lone `*` is special-cased to match the empty key.
        s.expect(&[
            (&["keys", "*"], "*1\r\n$0\r\n\r\n"),
            (
                &["scan", "0", "match", "*"],
                "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n",
            ),
            (&["keys", "**"], "*0\r\n"),
            (&["scan", "0", "match", "**"], "*2\r\n$1\r\n0\r\n*0\r\n"),
            (&["keys", ""], "*1\r\n$0\r\n\r\n"),
            (
                &["scan", "0", "match", ""],
                "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n",
            ),
            (&["del", ""], ":1\r\n"),
            (&["set", "a", "1"], "+OK\r\n"),
            (&["keys", "?"], "*1\r\n$1\r\na\r\n"),
            (&["keys", "[a]"], "*1\r\n$1\r\na\r\n"),
            (&["keys", "\\a"], "*1\r\n$1\r\na\r\n"),
            (&["keys", "*a*"], "*1\r\n$1\r\na\r\n"),
            (&["keys", "b*"], "*0\r\n"),
            (
                &["scan", "0", "match", "?"],
                "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n",
            ),
        ]);
        let mut k = Session::new();
        assert_eq!(k.call(&["keys", "*"]), "*0\r\n");
        assert_eq!(k.call(&["scan", "5"]), "*2\r\n$1\r\n0\r\n*0\r\n");
    }

    #[test]
    fn expired_keys_are_filtered() {
        let mut s = Session::new();
        s.call(&["set", "a", "1"]);
        s.call(&["set", "x", "1"]);
        s.make_expired(0, "x");
        // KEYS hides the key but leaves it to be expired later.
        assert_eq!(s.call(&["keys", "*"]), "*1\r\n$1\r\na\r\n");
        assert_eq!(s.db(0).len(), 2);
        // SCAN expires what it returns, but only keys that pass MATCH.
        assert_eq!(
            s.call(&["scan", "0", "match", "a"]),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"
        );
        assert_eq!(s.db(0).len(), 2);
        assert_eq!(s.call(&["scan", "0"]), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
        assert_eq!(s.db(0).len(), 1);
        assert_eq!(s.db(0).stats.expired, 1);
        // TYPE looks the key up (a hit or a miss), which expires it: it
        // then has type "none", so `TYPE none` returns it.
        s.call(&["set", "x", "1"]);
        s.make_expired(0, "x");
        let before = s.hits_misses();
        assert_eq!(
            s.call(&["scan", "0", "type", "none"]),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n"
        );
        assert_eq!(s.hits_misses(), (before.0 + 1, before.1 + 1));
        assert_eq!(s.call(&["exists", "x"]), ":0\r\n");
        // KEYS and plain SCAN do not count hits or misses.
        let before = s.hits_misses();
        s.call(&["keys", "*"]);
        s.call(&["scan", "0", "match", "*"]);
        assert_eq!(s.hits_misses(), before);
    }

    /// Each call walks buckets until COUNT keys were gathered or 10*COUNT
    /// more buckets were walked, as Redis's loop does. The expectation is
    /// computed from the dict's own one-bucket steps.
    #[test]
    fn count_bounds_the_buckets_walked() {
        let mut s = Session::new();
        for i in 0..1000 {
            s.call(&["set", &format!("key:{i}"), "v"]);
        }
        // Leave a sparse table (no cron here to shrink it).
        for i in 10..1000 {
            s.call(&["del", &format!("key:{i}")]);
        }
        while s.db(0).is_rehashing() {
            s.db(0).maintain_tables(100);
        }
        for count in [1u64, 3, 10] {
            let mut cursor = 0;
            let mut seen = HashSet::new();
            loop {
                let (mut want_cursor, mut gathered, mut walked) = (cursor, 0u64, 0u64);
                loop {
                    want_cursor = s.db(0).scan(want_cursor, &mut |_, _| gathered += 1);
                    walked += 1;
                    if want_cursor == 0 || walked > 10 * count || gathered >= count {
                        break;
                    }
                }
                let reply = s.call(&["scan", &cursor.to_string(), "count", &count.to_string()]);
                let (next, keys) = parse_reply(reply.as_bytes());
                assert_eq!((next, keys.len() as u64), (want_cursor, gathered));
                seen.extend(keys);
                cursor = next;
                if cursor == 0 {
                    break;
                }
            }
            assert_eq!(seen.len(), 10);
        }
        let all = s.call(&["scan", "0", "count", "100000"]);
        assert_eq!(parse_reply(all.as_bytes()).1.len(), 10);
    }

    /// The guarantee, through the command: keys present for the whole
    /// iteration are returned even though the table doubles several times
    /// and then shrinks between calls, with calls landing mid-rehash.
    #[test]
    fn iteration_survives_growth_and_shrinking() {
        let mut s = Session::new();
        for i in 0..500 {
            s.call(&["set", &format!("keep:{i}"), "v"]);
        }
        let (mut cursor, mut calls, mut mid_rehash) = (0u64, 0, 0);
        let mut seen = HashSet::new();
        loop {
            if s.db(0).is_rehashing() {
                mid_rehash += 1;
            }
            let reply = s.call(&["scan", &cursor.to_string(), "count", "5"]);
            let (next, keys) = parse_reply(reply.as_bytes());
            seen.extend(keys);
            cursor = next;
            calls += 1;
            match calls {
                5..=7 => {
                    for i in 0..2000 {
                        s.call(&["set", &format!("tmp:{calls}:{i}"), "v"]);
                    }
                }
                30 => {
                    let tmp: Vec<String> = (5..8)
                        .flat_map(|c| (0..2000).map(move |i| format!("tmp:{c}:{i}")))
                        .collect();
                    for k in &tmp {
                        s.call(&["del", k]);
                    }
                    s.db(0).maintain_tables(1);
                }
                _ => s.db(0).maintain_tables(2),
            }
            if cursor == 0 {
                break;
            }
        }
        assert!(mid_rehash > 0, "some calls ran while rehashing");
        for i in 0..500 {
            assert!(
                seen.contains(format!("keep:{i}").as_bytes()),
                "keep:{i} missed"
            );
        }
    }
}
