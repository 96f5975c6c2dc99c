//! Reading one value (rdbLoadObject): every type Redis 7.0 reads, turned
//! into ferredis's encodings at the points Redis's loader converts.
//!
//! Redis keeps a listpack it loads as it was saved and converts it only
//! when it holds more entries than the configured limit; a value saved as
//! a plain collection is built up and converted by the same rules the
//! commands follow. Where Redis checks a payload only in its deep
//! sanitization mode (duplicate fields, intset order), ferredis always
//! checks, because its own structures rely on those properties.

use super::packed::{self, Invalid};
use super::read::Reader;
use super::{RdbError, ty};
use crate::config::Config;
use crate::db::dict::Dict;
use crate::db::hash::{self, Hash, NewValue};
use crate::db::intset::IntSet;
use crate::db::list::{End, List};
use crate::db::listpack::{Entry, EntryInput, Listpack};
use crate::db::set::{Set, intset_limit};
use crate::db::zset::{self, Index, ZSet};
use crate::db::{Str, Value};
use std::borrow::Cow;
use std::collections::HashSet;

type Result<T> = std::result::Result<T, RdbError>;

/// The encoding limits conversions follow (the *-max-* directives).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub hash: hash::Limits,
    pub zset: zset::Limits,
    pub set_max_intset: usize,
    pub list_fill: i64,
}

impl Limits {
    pub fn from_config(c: &Config) -> Limits {
        let size = |v: i64| usize::try_from(v).unwrap_or(0);
        Limits {
            hash: hash::Limits::from_config(c.hash_max_listpack_entries, c.hash_max_listpack_value),
            zset: zset::Limits {
                entries: size(c.zset_max_listpack_entries),
                value: size(c.zset_max_listpack_value),
            },
            set_max_intset: intset_limit(c.set_max_intset_entries),
            list_fill: c.list_max_listpack_size,
        }
    }
}

/// Redis's LISTPACK_MAX_SAFETY_SIZE, past which a small encoding converts.
const LISTPACK_SAFETY: usize = 1 << 30;

fn invalid(r: &Reader, what: Invalid) -> RdbError {
    r.error(what)
}

/// Reads a value of type `t`; `Ok(None)` for an empty collection, which
/// Redis skips when loading a file and refuses in RESTORE.
pub fn object(r: &mut Reader, t: u8, limits: &Limits) -> Result<Option<Value>> {
    let value = match t {
        ty::STRING => Value::Str(string_value(r.string()?)),
        ty::LIST => {
            let n = r.count(1)?;
            let mut list = List::new(limits.list_fill);
            for _ in 0..n {
                list.push(End::Tail, EntryInput::Bytes(&r.string()?));
            }
            Value::List(Box::new(list))
        }
        ty::LIST_QUICKLIST | ty::LIST_QUICKLIST_2 => quicklist(r, t, limits)?,
        ty::LIST_ZIPLIST => {
            let blob = r.string()?;
            let entries = packed::read_ziplist(&blob).map_err(|e| invalid(r, e))?;
            let mut list = List::new(limits.list_fill);
            for e in entries {
                list.push(End::Tail, EntryInput::from(e));
            }
            Value::List(Box::new(list))
        }
        ty::SET => set(r, limits)?,
        ty::SET_INTSET => {
            let blob = r.string()?;
            let (width, values) = packed::read_intset(&blob).map_err(|e| invalid(r, e))?;
            Value::Set(Box::new(intset(width, values, limits.set_max_intset)))
        }
        ty::ZSET | ty::ZSET_2 => zset_plain(r, t == ty::ZSET_2, limits)?,
        ty::ZSET_ZIPLIST | ty::ZSET_LISTPACK => {
            let blob = r.string()?;
            let entries = if t == ty::ZSET_LISTPACK {
                packed::read_listpack(&blob)
            } else {
                packed::read_ziplist(&blob)
            }
            .map_err(|e| invalid(r, e))?;
            zset_packed(r, &entries, limits)?
        }
        ty::HASH => hash_plain(r, limits)?,
        ty::HASH_ZIPMAP => {
            let blob = r.string()?;
            let pairs = packed::read_zipmap(&blob).map_err(|e| invalid(r, e))?;
            let longest = pairs.iter().map(|(f, v)| f.len().max(v.len())).max();
            let pairs: Vec<_> = pairs
                .into_iter()
                .map(|(f, v)| (Entry::Str(f), Entry::Str(v)))
                .collect();
            if has_duplicates(pairs.iter().map(|(f, _)| f)) {
                return Err(r.error("Hash with dup elements"));
            }
            let mut h = hash_packed(r, pairs)?;
            if h.len() > limits.hash.entries || longest > Some(limits.hash.value) {
                h.convert_to_table();
            }
            Value::Hash(h)
        }
        ty::HASH_LISTPACK => {
            let blob = r.string()?;
            let mut entries = Vec::new();
            let lp = packed::read_listpack_native(&blob, Some(&mut entries))
                .map_err(|e| invalid(r, e))?;
            check_pairs(r, &entries)?;
            if lp.bytes_len() > hash::MAX_PACKED_BYTES {
                return Err(r.error("packed hash too large"));
            }
            let mut h = Hash::from_packed_bytes(lp.encoded(), lp.len());
            if h.len() > limits.hash.entries {
                h.convert_to_table();
            }
            Value::Hash(h)
        }
        ty::HASH_ZIPLIST => {
            let blob = r.string()?;
            let entries = packed::read_ziplist(&blob).map_err(|e| invalid(r, e))?;
            let mut h = hash_packed(r, pairs_of(r, &entries)?)?;
            if h.len() > limits.hash.entries {
                h.convert_to_table();
            }
            Value::Hash(h)
        }
        ty::STREAM_LISTPACKS | ty::STREAM_LISTPACKS_2 => {
            Value::Stream(Box::new(super::stream::read(r, t)?))
        }
        ty::MODULE | ty::MODULE_2 => {
            return Err(
                r.error("The RDB file contains module data I can't load: no matching module type")
            );
        }
        other => return Err(r.error(format!("unknown RDB type {other}"))),
    };
    Ok(match &value {
        Value::Str(_) => Some(value),
        Value::List(l) if l.is_empty() => None,
        Value::Set(s) if s.is_empty() => None,
        Value::ZSet(z) if z.is_empty() => None,
        Value::Hash(h) if h.is_empty() => None,
        _ => Some(value),
    })
}

/// A string as tryObjectEncoding leaves it: an integer when it reads as
/// one, else its bytes.
fn string_value(s: Cow<[u8]>) -> Str {
    if s.len() <= 20
        && let Some(n) = crate::util::parse_i64(&s)
    {
        return Str::Int(n);
    }
    match s {
        Cow::Borrowed(b) => Str::from_slice(b),
        Cow::Owned(v) => Str::from_vec(v),
    }
}

/// QUICKLIST (ziplist nodes) and QUICKLIST_2 (listpack or plain nodes):
/// the nodes are kept as saved, empty ones skipped.
fn quicklist(r: &mut Reader, t: u8, limits: &Limits) -> Result<Value> {
    const PLAIN: u64 = 1;
    const PACKED: u64 = 2;
    let n = r.count(2)?;
    let mut nodes = std::collections::VecDeque::new();
    for _ in 0..n {
        let container = if t == ty::LIST_QUICKLIST_2 {
            r.length()?
        } else {
            PACKED
        };
        if container != PLAIN && container != PACKED {
            return Err(r.error("Quicklist integrity check failed."));
        }
        let blob = r.string()?;
        if blob.is_empty() {
            return Err(r.error("empty quicklist node"));
        }
        let mut node = Listpack::new();
        if container == PLAIN {
            node.push_back(EntryInput::Bytes(&blob));
        } else if t == ty::LIST_QUICKLIST_2 {
            node = packed::read_listpack_native(&blob, None).map_err(|e| invalid(r, e))?;
        } else {
            let entries = packed::read_ziplist(&blob).map_err(|e| invalid(r, e))?;
            for e in entries {
                node.push_back(EntryInput::from(e));
            }
        }
        if !node.is_empty() {
            node.shrink_to_fit();
            nodes.push_back(node);
        }
    }
    Ok(Value::List(Box::new(List::from_nodes(
        limits.list_fill,
        nodes,
    ))))
}

/// An intset as saved, or a table when it holds more than the limit.
fn intset(width: usize, values: Vec<i64>, max: usize) -> Set {
    if values.len() > max {
        let mut d = Dict::with_capacity(values.len());
        let mut buf = [0u8; 20];
        for v in values {
            d.insert(crate::util::fmt_i64(v, &mut buf), ());
        }
        return Set::Table(Box::new(d));
    }
    // Narrowing cannot fail: every value was read at this width.
    Set::Intset(match width {
        2 => IntSet::W16(values.into_iter().map(|v| v as i16).collect()),
        4 => IntSet::W32(values.into_iter().map(|v| v as i32).collect()),
        _ => IntSet::W64(values),
    })
}

/// SET: an intset while the count allows one and the members are
/// integers, else a table.
fn set(r: &mut Reader, limits: &Limits) -> Result<Value> {
    let n = r.count(1)?;
    let mut set = if n > limits.set_max_intset {
        Set::Table(Box::new(Dict::with_capacity(n)))
    } else {
        Set::Intset(IntSet::new())
    };
    for _ in 0..n {
        let member = r.string()?;
        if !set.add(&member, limits.set_max_intset) {
            return Err(r.error("Duplicate set members detected"));
        }
    }
    Ok(Value::Set(Box::new(set)))
}

/// Sorts (score, member) as a sorted set orders them; -0 equals 0.
fn sort_elements(elements: &mut [(Vec<u8>, f64)]) {
    elements.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
}

/// ZSET (text scores) and ZSET_2 (binary scores): loaded in any order,
/// then a listpack if small enough, as Redis converts after loading.
fn zset_plain(r: &mut Reader, binary: bool, limits: &Limits) -> Result<Value> {
    let n = r.count(2)?;
    let mut elements = Vec::with_capacity(n);
    let mut seen = HashSet::with_capacity(n);
    let mut total = 0usize;
    for _ in 0..n {
        let member = r.string()?.into_owned();
        let score = if binary {
            r.binary_double()?
        } else {
            r.text_double()?
        };
        if score.is_nan() {
            return Err(r.error("Zset with NAN score detected"));
        }
        if !seen.insert(member.clone()) {
            return Err(r.error("Duplicate zset fields detected"));
        }
        total = total.saturating_add(member.len());
        elements.push((member, score));
    }
    sort_elements(&mut elements);
    let longest = elements.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
    let z = if n <= limits.zset.entries && longest <= limits.zset.value && total <= LISTPACK_SAFETY
    {
        ZSet::from_listpack_pairs(elements)
    } else {
        ZSet::Skiplist(Box::new(Index::from_sorted(elements)))
    };
    Ok(Value::ZSet(Box::new(z)))
}

/// The entries of a small hash or sorted set as pairs: an even number,
/// the first of each pair distinct.
fn pairs_of<'e>(r: &Reader, entries: &[Entry<'e>]) -> Result<Vec<(Entry<'e>, Entry<'e>)>> {
    if !entries.len().is_multiple_of(2) {
        return Err(r.error("odd number of entries in pairs"));
    }
    let pairs: Vec<_> = entries.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    if has_duplicates(pairs.iter().map(|(f, _)| f)) {
        return Err(r.error("duplicate field in a packed encoding"));
    }
    Ok(pairs)
}

/// Checks that packed entries make pairs whose first members are
/// distinct, as [`pairs_of`] does without collecting the pairs.
fn check_pairs(r: &Reader, entries: &[Entry]) -> Result<()> {
    if !entries.len().is_multiple_of(2) {
        return Err(r.error("odd number of entries in pairs"));
    }
    if has_duplicates(entries.iter().step_by(2)) {
        return Err(r.error("duplicate field in a packed encoding"));
    }
    Ok(())
}

/// An entry as its text compares: a string that reads as an integer is
/// that integer, so "12" and 12 are one field.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum FieldKey<'e> {
    Int(i64),
    Str(&'e [u8]),
    Text(Vec<u8>),
}

impl<'e> FieldKey<'e> {
    fn of(e: &Entry<'e>) -> FieldKey<'e> {
        match *e {
            Entry::Int(n) => FieldKey::Int(n),
            Entry::Str(s) if s.len() <= 20 => {
                crate::util::parse_i64(s).map_or(FieldKey::Str(s), FieldKey::Int)
            }
            Entry::Str(s) => FieldKey::Str(s),
            // Redis's packed encodings hold no floats; only ferredis's own.
            Entry::Float(_) => FieldKey::Text(e.to_vec()),
        }
    }
}

/// Whether two of `fields` are equal as text: sorted, with no hashing or
/// copying, as a packed value holds a few fields.
fn has_duplicates<'e, 'a>(fields: impl Iterator<Item = &'a Entry<'e>>) -> bool
where
    'e: 'a,
{
    let mut keys: Vec<FieldKey> = fields.map(FieldKey::of).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

/// The length of an entry's text, without building it.
fn text_len(e: &Entry) -> usize {
    let mut buf = [0u8; 32];
    e.as_bytes(&mut buf).len()
}

/// A listpack or ziplist sorted set: kept as saved (scores as Redis's
/// zzlGetScore reads them), a skiplist when it holds too many.
fn zset_packed(r: &Reader, entries: &[Entry], limits: &Limits) -> Result<Value> {
    let pairs = pairs_of(r, entries)?;
    let elements: Vec<(Vec<u8>, f64)> = pairs
        .iter()
        .map(|(m, s)| {
            let score = match s {
                Entry::Int(n) => *n as f64,
                Entry::Float(f) => *f,
                Entry::Str(text) => {
                    crate::util::float::strtod_prefix(text).map_or(0.0, |p| p.value)
                }
            };
            (m.to_vec(), score)
        })
        .collect();
    if elements.iter().any(|(_, s)| s.is_nan()) {
        return Err(r.error("Zset with NAN score detected"));
    }
    let ordered = elements.windows(2).all(|w| {
        let (a, b) = (&w[0], &w[1]);
        a.1 < b.1 || (a.1 == b.1 && a.0 < b.0)
    });
    if !ordered {
        return Err(r.error("sorted set listpack out of order"));
    }
    let z = if elements.len() > limits.zset.entries {
        ZSet::Skiplist(Box::new(Index::from_sorted(elements)))
    } else {
        ZSet::from_listpack_pairs(elements)
    };
    Ok(Value::ZSet(Box::new(z)))
}

/// A listpack hash of pairs kept in their order (fields already checked
/// to be distinct).
fn hash_packed(r: &Reader, pairs: Vec<(Entry, Entry)>) -> Result<Hash> {
    let bytes: usize = pairs.iter().map(|(f, v)| text_len(f) + text_len(v)).sum();
    if bytes > hash::MAX_PACKED_BYTES {
        return Err(r.error("packed hash too large"));
    }
    Ok(Hash::from_packed_pairs(
        pairs
            .into_iter()
            .map(|(f, v)| (EntryInput::from(f), EntryInput::from(v))),
    ))
}

/// HASH: a table from the start past the entry limit, else a listpack
/// until a field or value passes the value limit.
fn hash_plain(r: &mut Reader, limits: &Limits) -> Result<Value> {
    let n = r.count(2)?;
    let mut pairs = Vec::with_capacity(n);
    let mut table = n > limits.hash.entries;
    let mut total = 0usize;
    for _ in 0..n {
        let field = r.string()?;
        let value = r.string()?;
        total = total.saturating_add(field.len() + value.len());
        table |= field.len() > limits.hash.value
            || value.len() > limits.hash.value
            || total > LISTPACK_SAFETY;
        pairs.push((field, value));
    }
    const DUPLICATE: &str = "Duplicate hash fields detected";
    let h = if table {
        // The table finds a repeated field itself (an update).
        let mut h = Hash::new();
        h.convert_to_table();
        for (f, v) in &pairs {
            if h.set(f, NewValue::Text(v), limits.hash) {
                return Err(r.error(DUPLICATE));
            }
        }
        h
    } else {
        let mut fields: Vec<&[u8]> = pairs.iter().map(|(f, _)| &f[..]).collect();
        fields.sort_unstable();
        if fields.windows(2).any(|w| w[0] == w[1]) {
            return Err(r.error(DUPLICATE));
        }
        Hash::from_packed_pairs(
            pairs
                .iter()
                .map(|(f, v)| (EntryInput::Bytes(f), EntryInput::Bytes(v))),
        )
    };
    Ok(Value::Hash(h))
}
