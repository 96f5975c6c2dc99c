//! SORT and SORT_RO: the elements of a list, set or sorted set, sorted
//! numerically or (ALPHA) as strings, possibly by the values of other
//! keys (BY pattern, `*` standing for the element, `->field` reading a
//! hash field), cut by LIMIT, mapped through GET patterns, and replied or
//! stored as a list (STORE).
//!
//! The order is Redis's to the byte: numbers compare by value and, when
//! equal, by their bytes; strings compare with strcoll (or bytewise when
//! storing); a BY with no `*` skips sorting and keeps the collection's own
//! order. Elements and looked-up values are read as C strings where Redis
//! reads them so (up to a NUL), which is why they are kept NUL-terminated.

use super::table::{Command, Group, KeyRef, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::db::list::{End, List};
use crate::db::{Db, Object, Value};
use crate::util::collate::collate;
use crate::util::float::strtod_prefix;
use bytes::Bytes;
use std::cmp::Ordering;
use std::ffi::CStr;

const SORT_KEYS: &[KeySpec] = &[
    KeySpec::range(&["RO", "access"], 1, 0, 1),
    KeySpec::unknown(
        &["RO", "access"],
        "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
    ),
    KeySpec::unknown(
        &["OW", "update"],
        "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
    ),
];

const SORT_RO_KEYS: &[KeySpec] = SORT_KEYS.split_at(2).0;

const COMPLEXITY: &str = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
const CATEGORIES: u32 = acl::SET | acl::SORTEDSET | acl::LIST | acl::SLOW | acl::DANGEROUS;

pub static COMMANDS: &[Command] = &[
    Command::new("sort", -2, sort)
        .flags(flag::WRITE | flag::DENYOOM | flag::MOVABLEKEYS)
        .acl(acl::WRITE | CATEGORIES)
        .keys(1, 1, 1, SORT_KEYS)
        .getkeys(sort_keys)
        .doc(
            Group::Generic,
            "1.0.0",
            COMPLEXITY,
            "Sorts the elements of a list, set or sorted set, optionally storing the result.",
        ),
    Command::new("sort_ro", -2, sort_ro)
        .flags(flag::READONLY | flag::MOVABLEKEYS)
        .acl(acl::READ | CATEGORIES)
        .keys(1, 1, 1, SORT_RO_KEYS)
        .getkeys(sort_ro_keys)
        .doc(
            Group::Generic,
            "7.0.0",
            COMPLEXITY,
            "Sorts the elements of a list, set or sorted set without storing anything.",
        ),
];

/// The sorted key and the last STORE target, skipping the arguments of
/// LIMIT, GET and BY as Redis's sortGetKeys does.
fn sort_keys(args: &[Bytes]) -> Vec<KeyRef> {
    let mut keys = vec![KeyRef {
        pos: 1,
        flags: &["RO", "access"],
    }];
    let mut store = None;
    let mut i = 2;
    while i < args.len() {
        let a = &args[i];
        if is(a, "limit") {
            i += 2;
        } else if is(a, "get") || is(a, "by") {
            i += 1;
        } else if is(a, "store") && i + 1 < args.len() {
            store = Some(i + 1);
        }
        i += 1;
    }
    if let Some(pos) = store {
        keys.push(KeyRef {
            pos,
            flags: &["OW", "update"],
        });
    }
    keys
}

/// SORT_RO names only the key it sorts (its patterns' keys are unknown).
fn sort_ro_keys(_: &[Bytes]) -> Vec<KeyRef> {
    vec![KeyRef {
        pos: 1,
        flags: &["RO", "access"],
    }]
}

fn sort(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    run(ctx, args, false)
}

fn sort_ro(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    run(ctx, args, true)
}

/// What the options ask for.
struct Options<'a> {
    desc: bool,
    alpha: bool,
    limit: Option<(i64, i64)>,
    by: Option<&'a [u8]>,
    /// A BY pattern without `*` was given: keep the collection's order.
    dontsort: bool,
    gets: Vec<&'a [u8]>,
    store: Option<&'a [u8]>,
}

/// Reads the options in order; the first bad one is a syntax error (or
/// the integer error for LIMIT's numbers). SORT_RO knows no STORE.
fn parse(args: &[Bytes], readonly: bool) -> Result<Options<'_>, CmdError> {
    let mut o = Options {
        desc: false,
        alpha: false,
        limit: None,
        by: None,
        dontsort: false,
        gets: Vec::new(),
        store: None,
    };
    let mut j = 2;
    while j < args.len() {
        let left = args.len() - j - 1;
        let a = &args[j];
        if is(a, "asc") {
            o.desc = false;
        } else if is(a, "desc") {
            o.desc = true;
        } else if is(a, "alpha") {
            o.alpha = true;
        } else if is(a, "limit") && left >= 2 {
            o.limit = Some((arg_i64(&args[j + 1])?, arg_i64(&args[j + 2])?));
            j += 2;
        } else if is(a, "store") && left >= 1 && !readonly {
            o.store = Some(&args[j + 1]);
            j += 1;
        } else if is(a, "by") && left >= 1 {
            let pattern = &args[j + 1][..];
            // Once a constant BY was seen, a later one does not undo it.
            if !c_str(pattern).contains(&b'*') {
                o.dontsort = true;
            }
            o.by = Some(pattern);
            j += 1;
        } else if is(a, "get") && left >= 1 {
            o.gets.push(&args[j + 1]);
            j += 1;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    Ok(o)
}

/// The bytes up to the first NUL, as C string functions see them.
fn c_str(b: &[u8]) -> &[u8] {
    b.iter().position(|&c| c == 0).map_or(b, |i| &b[..i])
}

/// A number as SORT reads it: strtod over the C string, which must be
/// wholly consumed (so leading spaces pass and the empty string is 0), and
/// neither overflow, underflow nor be NaN.
fn score_of(b: &[u8]) -> Option<f64> {
    let c = c_str(b);
    let p = strtod_prefix(c)?;
    (p.consumed == c.len() && !p.erange && !p.value.is_nan()).then_some(p.value)
}

/// Byte strings stored back to back, each followed by a NUL so that the
/// C conversions can read them in place.
#[derive(Default)]
struct Strings {
    buf: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Strings {
    fn push(&mut self, b: &[u8]) -> usize {
        self.spans.push((self.buf.len(), b.len()));
        self.buf.extend_from_slice(b);
        self.buf.push(0);
        self.spans.len() - 1
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        self.spans
            .get(i)
            .and_then(|&(at, len)| self.buf.get(at..at + len))
            .unwrap_or(&[])
    }

    /// The string as C sees it (up to its first NUL).
    fn c(&self, i: usize) -> &CStr {
        self.spans
            .get(i)
            .and_then(|&(at, _)| self.buf.get(at..))
            .and_then(|rest| CStr::from_bytes_until_nul(rest).ok())
            .unwrap_or(c"")
    }
}

/// An element with what it sorts by.
struct Item {
    elem: usize,
    score: f64,
    /// The BY value in `Strings` of the by-values (ALPHA with BY).
    by: Option<usize>,
}

fn run(ctx: &mut Ctx, args: &[Bytes], readonly: bool) -> CmdResult {
    let mut o = parse(args, readonly)?;
    let now = ctx.now_ms;
    let write = o.store.is_some();
    let db = ctx.db();
    // Redis 7.0 looks the key up for reading even with STORE: a miss is
    // counted (and notified) as one.
    let mut found = db.get(&args[1], now);
    if let Some(obj) = found.as_deref_mut()
        && let Value::ZSet(z) = &mut obj.value
    {
        z.convert();
    }
    let value = match found.map(|obj| &obj.value) {
        None => None,
        Some(v @ (Value::List(_) | Value::Set(_) | Value::ZSet(_))) => Some(v),
        Some(_) => return Err(CmdError::WRONG_TYPE),
    };
    // A set's own order is its hash order; storing it (or replicating it)
    // must not depend on that, so Redis sorts it as strings instead.
    if o.dontsort && write && matches!(value, Some(Value::Set(_))) {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }
    let len = value.map_or(0, |v| match v {
        Value::List(l) => l.len(),
        Value::Set(s) => s.len(),
        Value::ZSet(z) => z.len(),
        _ => 0,
    });
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let (start, end) = window(o.limit, len);
    let mut elems = Strings::default();
    let ordered = matches!(value, None | Some(Value::List(_) | Value::ZSet(_)));
    let (start, end) = if o.dontsort && ordered {
        // The collection's own order, from the right end for DESC, only
        // the window asked for.
        if end >= start {
            let from = usize::try_from(start).unwrap_or(0);
            let n = usize::try_from(end - start + 1).unwrap_or(0);
            load_window(value, from, n, o.desc, &mut elems);
        }
        (0, end - start)
    } else {
        load_all(value, &mut elems);
        (start, end)
    };

    let mut items: Vec<Item> = (0..elems.len())
        .map(|elem| Item {
            elem,
            score: 0.0,
            by: None,
        })
        .collect();
    let mut by_values = Strings::default();
    let mut scratch = Lookup::default();
    if !o.dontsort {
        let mut not_a_number = false;
        let db = ctx.db();
        for item in &mut items {
            let number: &[u8] = match o.by {
                Some(pattern) => {
                    let e = elems.get(item.elem);
                    let Some(found) = scratch.find(db, pattern, e, now) else {
                        continue;
                    };
                    if o.alpha {
                        item.by = Some(by_values.push(found));
                        continue;
                    }
                    found
                }
                None if o.alpha => continue,
                None => elems.get(item.elem),
            };
            match score_of(number) {
                Some(s) => item.score = s,
                None => not_a_number = true,
            }
        }
        if not_a_number {
            return Err(CmdError::text(
                "ERR One or more scores can't be converted into double",
            ));
        }
        let by = o.by.is_some();
        items.sort_by(|a, b| {
            let cmp = compare(a, b, &elems, &by_values, o.alpha, by, write);
            if o.desc { cmp.reverse() } else { cmp }
        });
    }

    let picked = match (usize::try_from(start), usize::try_from(end)) {
        (Ok(s), Ok(e)) if e >= s => items.get(s..=e).unwrap_or(&[]),
        _ => &[],
    };
    let per_elem = o.gets.len().max(1);
    let out_len = picked.len() * per_elem;
    let fill = ctx.engine.config.list_max_listpack_size;
    let mut dirty = 0;
    let mut stored = None;
    // The misses of BY lookups come before the reply, those of GET
    // lookups between its elements, as Redis publishes them.
    ctx.flush_key_events();
    match o.store {
        None => {
            ctx.reply.array(out_len);
            for item in picked {
                let e = elems.get(item.elem);
                if o.gets.is_empty() {
                    ctx.reply.bulk(e);
                }
                for pattern in &o.gets {
                    let (db, reply) = ctx.db_and_reply();
                    match scratch.find(db, pattern, e, now) {
                        Some(v) => reply.bulk(v),
                        None => {
                            ctx.flush_key_events();
                            ctx.reply.null();
                        }
                    }
                }
            }
        }
        Some(dst) => {
            let db = ctx.db();
            let mut list = List::new(fill);
            for item in picked {
                let e = elems.get(item.elem);
                if o.gets.is_empty() {
                    list.push(End::Tail, e);
                }
                for pattern in &o.gets {
                    // A missing value is stored as an empty string.
                    let v = scratch.find(db, pattern, e, now).unwrap_or_default();
                    list.push(End::Tail, v);
                }
            }
            if out_len > 0 {
                db.set_live(
                    dst,
                    Object::new(Value::List(Box::new(list)), now),
                    false,
                    now,
                );
                dirty = out_len as u64;
                stored = Some((crate::commands::keyevents::class::LIST, "sortstore", dst));
            } else if db.delete(dst, now) {
                dirty = 1;
                stored = Some((crate::commands::keyevents::class::GENERIC, "del", dst));
            }
        }
    }
    ctx.dirty(dirty);
    if let Some((class, event, dst)) = stored {
        ctx.key_changed(class, event, dst);
    }
    if o.store.is_some() {
        // After the store's events, as Redis replies.
        ctx.flush_key_events();
        ctx.reply.int(out_len as i64);
    }
    Ok(())
}

/// LIMIT offset count turned into an inclusive window of indexes, as
/// Redis computes it (an empty window is `end < start`).
fn window(limit: Option<(i64, i64)>, len: i64) -> (i64, i64) {
    let (offset, count) = limit.unwrap_or((0, -1));
    let mut start = offset.max(0);
    let mut end = if count < 0 {
        len - 1
    } else {
        start.saturating_add(count).saturating_sub(1)
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    (start, end.min(len - 1))
}

/// Every element, in the collection's own order.
fn load_all(value: Option<&Value>, out: &mut Strings) {
    let mut buf = [0u8; 32];
    match value {
        Some(Value::List(l)) => l.iter().for_each(|e| {
            out.push(e.as_bytes(&mut buf));
        }),
        Some(Value::Set(s)) => {
            let mut digits = [0u8; 20];
            s.iter().for_each(|m| {
                out.push(m.as_bytes(&mut digits));
            });
        }
        Some(Value::ZSet(z)) => z.for_each(&mut |m, _| {
            out.push(m.as_bytes(&mut buf));
        }),
        _ => {}
    }
}

/// `n` elements of a list or sorted set from index `from`, counted from
/// the tail (and walking towards the head) when `desc`.
fn load_window(value: Option<&Value>, from: usize, n: usize, desc: bool, out: &mut Strings) {
    let mut buf = [0u8; 32];
    match value {
        Some(Value::List(l)) => {
            let Some(at) = position(l.len(), from, desc) else {
                return;
            };
            if desc {
                l.iter_rev_from(at).take(n).for_each(|e| {
                    out.push(e.as_bytes(&mut buf));
                });
            } else {
                l.iter_from(at).take(n).for_each(|e| {
                    out.push(e.as_bytes(&mut buf));
                });
            }
        }
        Some(Value::ZSet(z)) => {
            let Some(at) = position(z.len(), from, desc) else {
                return;
            };
            let mut left = n;
            z.walk(at, desc, &mut |m, _| {
                out.push(m.as_bytes(&mut buf));
                left -= 1;
                left > 0
            });
        }
        _ => {}
    }
}

/// The index `from` places from the head, or from the tail when `desc`.
fn position(len: usize, from: usize, desc: bool) -> Option<usize> {
    if from >= len {
        None
    } else if desc {
        Some(len - 1 - from)
    } else {
        Some(from)
    }
}

/// Redis's sortCompare: numbers by value then bytes; ALPHA by the BY
/// value (missing first) or the element, with strcoll unless storing.
fn compare(
    a: &Item,
    b: &Item,
    elems: &Strings,
    by_values: &Strings,
    alpha: bool,
    by: bool,
    storing: bool,
) -> Ordering {
    let strings = |x: &Strings, i: usize, j: usize| {
        if storing {
            x.get(i).cmp(x.get(j))
        } else {
            collate(x.c(i), x.c(j))
        }
    };
    if !alpha {
        return match a.score.partial_cmp(&b.score) {
            Some(Ordering::Equal) | None => elems.get(a.elem).cmp(elems.get(b.elem)),
            Some(o) => o,
        };
    }
    if !by {
        return strings(elems, a.elem, b.elem);
    }
    match (a.by, b.by) {
        (Some(x), Some(y)) => strings(by_values, x, y),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
    }
}

/// Looks up what a BY or GET pattern names for one element (Redis's
/// lookupKeyByPattern), reusing its buffers across elements.
#[derive(Default)]
struct Lookup {
    key: Vec<u8>,
    value: Vec<u8>,
}

impl Lookup {
    /// `#` is the element itself; otherwise the first `*` is replaced by
    /// the element and the key read as a string, or, with `->field` after
    /// the `*`, as a hash whose field is read. `None` when there is no
    /// `*`, no such key, or it holds another type.
    fn find(&mut self, db: &mut Db, pattern: &[u8], elem: &[u8], now: i64) -> Option<&[u8]> {
        self.value.clear();
        if c_str(pattern) == b"#" {
            self.value.extend_from_slice(elem);
        } else {
            self.find_key(db, pattern, elem, now)?;
        }
        let len = self.value.len();
        self.value.push(0);
        self.value.get(..len)
    }

    fn find_key(&mut self, db: &mut Db, pattern: &[u8], elem: &[u8], now: i64) -> Option<()> {
        let c = c_str(pattern);
        let star = c.iter().position(|&b| b == b'*')?;
        // The field starts after the first "->" following the star (as C
        // finds it) and runs to the end of the pattern; it may not be empty.
        let arrow = c[star + 1..]
            .windows(2)
            .position(|w| w == b"->")
            .map(|i| star + 1 + i)
            .filter(|&i| c.len() > i + 2);
        let (postfix_end, field) = match arrow {
            Some(i) => (i, Some(&pattern[i + 2..])),
            None => (pattern.len(), None),
        };
        self.key.clear();
        self.key.extend_from_slice(&pattern[..star]);
        self.key.extend_from_slice(elem);
        self.key.extend_from_slice(&pattern[star + 1..postfix_end]);
        let obj = db.get(&self.key, now).map(|o| &*o);
        match (&obj?.value, field) {
            (Value::Str(s), None) => {
                let mut digits = [0u8; 20];
                self.value.extend_from_slice(s.as_bytes(&mut digits));
            }
            (Value::Hash(h), Some(field)) => {
                let mut buf = [0u8; 32];
                self.value
                    .extend_from_slice(h.get(field)?.as_bytes(&mut buf));
            }
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;
