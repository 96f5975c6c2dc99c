//! The hash type: field/value pairs in a listpack while the hash is small
//! (`listpack`), a dict beyond hash-max-listpack-entries fields or once a
//! field or value is longer than hash-max-listpack-value (`hashtable`).
//!
//! The conversion happens once and one way, at the points where Redis's
//! t_hash.c makes it: before a write whose arguments are too long
//! ([`Hash::convert_for_args`], hashTypeTryConversion), and inside
//! [`Hash::set`] for a field or value too long (the HINCRBY* path) and
//! after an insert that passes the entry limit. A listpack keeps the
//! fields in insertion order, so HGETALL of a small hash lists them as
//! Redis does; a dict lists them in its own order.

mod thin;

use super::dict::{Dict, hash_key};
use super::key::Key;
use super::listpack::{self, Entry, EntryInput};
use bytes::Bytes;
use thin::{Blob, MAX_BYTES, Mut, Packed, Ref, Repr};

/// The encoding limits in force (hash-max-listpack-entries and
/// hash-max-listpack-value).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub entries: usize,
    pub value: usize,
}

impl Limits {
    /// The limits as configured (the settings are never negative).
    pub fn from_config(entries: i64, value: i64) -> Limits {
        Limits {
            entries: usize::try_from(entries).unwrap_or(0),
            value: usize::try_from(value).unwrap_or(0),
        }
    }
}

/// A field or value as stored: a listpack entry, or a dict value.
#[derive(Clone, Copy)]
pub enum Item<'a> {
    Entry(Entry<'a>),
    Blob(&'a Blob),
}

impl<'a> Item<'a> {
    fn key(key: &'a Key) -> Item<'a> {
        Item::Entry(Entry::Str(key.as_bytes()))
    }

    /// The bytes (numbers formatted into `buf`).
    pub fn as_bytes<'b>(&'b self, buf: &'b mut [u8; 32]) -> &'b [u8] {
        match self {
            Item::Entry(e) => e.as_bytes(buf),
            Item::Blob(b) => match buf.first_chunk_mut::<20>() {
                Some(digits) => b.as_bytes(digits),
                None => &[],
            },
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        let mut buf = [0u8; 32];
        self.as_bytes(&mut buf).to_vec()
    }

    /// Length in bytes (HSTRLEN).
    pub fn len(&self) -> usize {
        match self {
            Item::Entry(Entry::Str(s)) => s.len(),
            other => {
                let mut buf = [0u8; 32];
                other.as_bytes(&mut buf).len()
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The integer it reads as by Redis's string2ll rules (HINCRBY).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Item::Entry(Entry::Int(n)) | Item::Blob(Blob::Int(n)) => Some(*n),
            other => {
                let mut buf = [0u8; 32];
                crate::util::parse_i64(other.as_bytes(&mut buf))
            }
        }
    }

    /// The big buffer a value keeps, for replies that send it without
    /// copying.
    pub fn shared_bytes(&self) -> Option<&'a Bytes> {
        match self {
            Item::Blob(b) => b.shared_bytes(),
            Item::Entry(_) => None,
        }
    }
}

/// A value about to be stored.
#[derive(Clone, Copy)]
pub enum NewValue<'a> {
    /// A command argument (a big one is kept as the request's buffer).
    Arg(&'a Bytes),
    /// A computed number (HINCRBY).
    Int(i64),
    /// Computed text (HINCRBYFLOAT).
    Text(&'a [u8]),
}

impl NewValue<'_> {
    fn len(&self) -> usize {
        match self {
            NewValue::Arg(b) => b.len(),
            NewValue::Text(t) => t.len(),
            NewValue::Int(n) => {
                let mut buf = [0u8; 20];
                crate::util::fmt_i64(*n, &mut buf).len()
            }
        }
    }

    fn entry(&self) -> EntryInput<'_> {
        match self {
            NewValue::Arg(b) => EntryInput::Bytes(b),
            NewValue::Text(t) => EntryInput::Bytes(t),
            NewValue::Int(n) => EntryInput::Int(*n),
        }
    }

    fn to_blob(self) -> Blob {
        match self {
            NewValue::Arg(b) => Blob::from_arg(b),
            NewValue::Text(t) => Blob::from_slice(t),
            NewValue::Int(n) => Blob::Int(n),
        }
    }
}

/// The most entry bytes a listpack hash may hold.
pub const MAX_PACKED_BYTES: usize = MAX_BYTES;

/// Bytes a pair adds to a listpack beyond its field and value: tags,
/// string lengths and back-lengths, at most.
const PAIR_OVERHEAD: usize = 2 * (5 + 2);

/// A hash value. One word: see [`thin`].
#[derive(Clone)]
pub struct Hash {
    repr: Repr,
}

impl Default for Hash {
    fn default() -> Self {
        Hash::new()
    }
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hash({}, {} fields)", self.encoding(), self.len())
    }
}

impl Hash {
    /// An empty hash, listpack-encoded.
    pub fn new() -> Hash {
        Hash {
            repr: Repr::packed(Packed::with_bytes(&[], 0)),
        }
    }

    /// A listpack hash of these pairs in this order, whatever their
    /// lengths: a listpack read from an RDB stays as saved, as in Redis.
    /// The caller has checked that the fields are distinct and that the
    /// bytes stay within [`MAX_PACKED_BYTES`].
    pub fn from_packed_pairs<'a>(
        pairs: impl IntoIterator<Item = (EntryInput<'a>, EntryInput<'a>)>,
    ) -> Hash {
        let (mut bytes, mut count) = (Vec::new(), 0u32);
        for (field, value) in pairs {
            listpack::encode_entry(field, &mut bytes);
            listpack::encode_entry(value, &mut bytes);
            count = count.saturating_add(2);
        }
        Hash {
            repr: Repr::packed(Packed::with_bytes(&bytes, count)),
        }
    }

    /// A listpack hash of `count` entries already encoded in the
    /// listpack layout (an RDB listpack converted in bulk). The caller has
    /// checked the pairs as for [`from_packed_pairs`](Self::from_packed_pairs).
    pub fn from_packed_bytes(bytes: &[u8], count: usize) -> Hash {
        Hash {
            repr: Repr::packed(Packed::with_bytes(bytes, count as u32)),
        }
    }

    /// A listpack hash's bytes and entry count, for a writer that
    /// converts them in bulk; `None` for a dict.
    pub fn packed_bytes(&self) -> Option<(&[u8], usize)> {
        match self.repr.get() {
            Ref::Packed(p) => Some((p.bytes(), p.count())),
            _ => None,
        }
    }

    /// Makes a listpack hash a dict now (Redis's hashTypeConvert, which
    /// the RDB loader calls for a listpack above the entry limit).
    pub fn convert_to_table(&mut self) {
        self.convert();
    }

    /// Heap bytes (MEMORY USAGE); a table's fields and values are
    /// sampled, see [`crate::db::usage`].
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use super::usage;
        match self.repr.get() {
            Ref::Packed(p) => p.heap_bytes(),
            Ref::Table(d) => {
                let pairs = d.iter().map(|(k, v)| usage::key(k) + v.heap_bytes());
                usage::boxed::<Dict<Blob>>()
                    + d.table_bytes()
                    + usage::sampled(pairs, d.len(), samples)
            }
        }
    }

    pub fn len(&self) -> usize {
        match self.repr.get() {
            Ref::Packed(p) => p.count() / 2,
            Ref::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self.repr.get() {
            Ref::Packed(_) => "listpack",
            Ref::Table(_) => "hashtable",
        }
    }

    pub fn is_listpack(&self) -> bool {
        matches!(self.repr.get(), Ref::Packed(_))
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<Item<'_>> {
        match self.repr.get() {
            Ref::Packed(p) => {
                let bytes = p.bytes();
                let slot = find(bytes, field)?;
                listpack::decode_at(bytes, slot.value).map(|(v, _)| Item::Entry(v))
            }
            Ref::Table(d) => d.get(field).map(Item::Blob),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Redis's hashTypeTryConversion, before a write of these field and
    /// value arguments: a listpack becomes a dict if any of them is longer
    /// than the value limit, or if together they would take the listpack
    /// past its safety size.
    pub fn convert_for_args(&mut self, args: &[Bytes], limits: Limits) {
        let Ref::Packed(p) = self.repr.get() else {
            return;
        };
        let mut sum = p.bytes().len();
        for a in args {
            if a.len() > limits.value {
                return self.convert();
            }
            sum = sum.saturating_add(a.len());
        }
        if sum > MAX_BYTES {
            self.convert();
        }
    }

    /// Sets `field` to `value`; true if the field existed (an update).
    /// As Redis's hashTypeSet, a listpack turns into a dict first if the
    /// field or value is too long, and after an insert that takes it past
    /// the entry limit.
    pub fn set(&mut self, field: &[u8], value: NewValue, limits: Limits) -> bool {
        if let Ref::Packed(p) = self.repr.get() {
            let grown = p.bytes().len() + field.len() + value.len() + PAIR_OVERHEAD;
            if field.len() > limits.value || value.len() > limits.value || grown > MAX_BYTES {
                self.convert();
            }
        }
        match self.repr.get_mut() {
            Mut::Packed(p) => {
                let updated = packed_set(p, field, value);
                if p.count() / 2 > limits.entries {
                    self.convert();
                }
                updated
            }
            Mut::Table(d) => d
                .insert_hashed(hash_key(field), field, value.to_blob())
                .is_some(),
        }
    }

    /// Deletes `field`; true if it was there. A dict that became mostly
    /// empty starts shrinking, as Redis's hashTypeDelete resizes it.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self.repr.get_mut() {
            Mut::Packed(p) => match find(p.bytes(), field) {
                Some(slot) => {
                    p.splice(slot.field..slot.end, &[], -2);
                    true
                }
                None => false,
            },
            Mut::Table(d) => {
                let removed = d.remove(field).is_some();
                if removed {
                    d.shrink_if_needed();
                }
                removed
            }
        }
    }

    /// Turns a listpack into a dict sized for its fields (Redis's
    /// hashTypeConvert); a dict stays as it is.
    fn convert(&mut self) {
        let Ref::Packed(p) = self.repr.get() else {
            return;
        };
        let mut d = Dict::with_capacity(p.count() / 2);
        for (field, value) in PackedPairs::new(p.bytes()) {
            let mut buf = [0u8; 32];
            let field = field.as_bytes(&mut buf);
            let value = match value {
                Item::Entry(Entry::Int(n)) => Blob::Int(n),
                other => {
                    let mut buf = [0u8; 32];
                    Blob::from_slice(other.as_bytes(&mut buf))
                }
            };
            d.insert_new(hash_key(field), Key::new(field), value);
        }
        self.repr = Repr::table(Box::new(d));
    }

    /// Every pair: in insertion order for a listpack, in table order for
    /// a dict.
    pub fn pairs(&self) -> Pairs<'_> {
        match self.repr.get() {
            Ref::Packed(p) => Pairs::Packed(PackedPairs::new(p.bytes())),
            Ref::Table(d) => Pairs::Table(Box::new(d.iter())),
        }
    }

    /// A random pair, every field equally likely for a listpack (Redis's
    /// lpRandomPair), by the dict's bucket-then-chain pick otherwise.
    pub fn random_pair(&self, rng: &mut fastrand::Rng) -> Option<(Item<'_>, Item<'_>)> {
        match self.repr.get() {
            Ref::Packed(p) => {
                let n = p.count() / 2;
                if n == 0 {
                    return None;
                }
                PackedPairs::new(p.bytes()).nth(rng.usize(..n))
            }
            Ref::Table(d) => d
                .random_entry(rng)
                .map(|(k, v)| (Item::key(k), Item::Blob(v))),
        }
    }

    /// One HSCAN step over a dict: calls `f` for the pairs in the
    /// bucket(s) under `cursor` and returns the next cursor (see
    /// [`Dict::scan`]). A listpack has no cursor: it reports everything
    /// and returns 0.
    pub fn scan(&self, cursor: u64, f: &mut dyn FnMut(Item, Item)) -> u64 {
        match self.repr.get() {
            Ref::Packed(p) => {
                for (field, value) in PackedPairs::new(p.bytes()) {
                    f(field, value);
                }
                0
            }
            Ref::Table(d) => d.scan(cursor, &mut |k, v| f(Item::key(k), Item::Blob(v))),
        }
    }
}

/// Where a field's pair sits in listpack bytes: the field's offset, the
/// value's, and the end of the value.
struct Slot {
    field: usize,
    value: usize,
    end: usize,
}

/// Finds the pair of `field` (Redis's lpFind over fields only). Text that
/// reads as an integer is always stored as one, so an integer entry is
/// compared as a number and a string entry as bytes, without formatting.
fn find(bytes: &[u8], field: &[u8]) -> Option<Slot> {
    let as_int = if field.len() <= 20 {
        crate::util::parse_i64(field)
    } else {
        None
    };
    let mut pos = 0;
    while pos < bytes.len() {
        let (f, value) = listpack::decode_at(bytes, pos)?;
        let (_, end) = listpack::decode_at(bytes, value)?;
        let hit = match (f, as_int) {
            (Entry::Int(n), Some(m)) => n == m,
            (Entry::Str(s), None) => s == field,
            _ => false,
        };
        if hit {
            return Some(Slot {
                field: pos,
                value,
                end,
            });
        }
        pos = end;
    }
    None
}

/// Sets a pair in a listpack: the value replaced in place, or the pair
/// appended at the tail (Redis's order). True if the field existed.
fn packed_set(p: &mut Packed, field: &[u8], value: NewValue) -> bool {
    let mut enc = Vec::with_capacity(field.len() + value.len() + PAIR_OVERHEAD);
    match find(p.bytes(), field) {
        Some(slot) => {
            listpack::encode_entry(value.entry(), &mut enc);
            p.splice(slot.value..slot.end, &enc, 0);
            true
        }
        None => {
            listpack::encode_entry(EntryInput::Bytes(field), &mut enc);
            listpack::encode_entry(value.entry(), &mut enc);
            let end = p.bytes().len();
            p.splice(end..end, &enc, 2);
            false
        }
    }
}

/// The pairs of listpack bytes, front to back.
pub struct PackedPairs<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> PackedPairs<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        PackedPairs { bytes, pos: 0 }
    }
}

impl<'a> Iterator for PackedPairs<'a> {
    type Item = (Item<'a>, Item<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (field, value_at) = listpack::decode_at(self.bytes, self.pos)?;
        let (value, end) = listpack::decode_at(self.bytes, value_at)?;
        self.pos = end;
        Some((Item::Entry(field), Item::Entry(value)))
    }
}

/// The pairs of a hash (see [`Hash::pairs`]).
pub enum Pairs<'a> {
    Packed(PackedPairs<'a>),
    Table(Box<dyn Iterator<Item = (&'a Key, &'a Blob)> + 'a>),
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (Item<'a>, Item<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Pairs::Packed(p) => p.next(),
            Pairs::Table(t) => t.next().map(|(k, v)| (Item::key(k), Item::Blob(v))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        entries: 4,
        value: 8,
    };

    fn arg(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    fn set(h: &mut Hash, f: &str, v: &str) -> bool {
        h.set(f.as_bytes(), NewValue::Arg(&arg(v)), LIMITS)
    }

    fn dump(h: &Hash) -> Vec<(String, String)> {
        h.pairs()
            .map(|(f, v)| {
                (
                    String::from_utf8(f.to_vec()).unwrap(),
                    String::from_utf8(v.to_vec()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn one_word_and_value_stays_16_bytes() {
        assert_eq!(size_of::<Hash>(), 8);
        assert_eq!(size_of::<crate::db::Value>(), 16);
    }

    #[test]
    fn listpack_keeps_insertion_order() {
        let mut h = Hash::new();
        assert!(!set(&mut h, "b", "1"));
        assert!(!set(&mut h, "a", "x"));
        assert!(!set(&mut h, "10", "-5"));
        assert!(set(&mut h, "b", "two"));
        assert_eq!(
            dump(&h),
            [("b", "two"), ("a", "x"), ("10", "-5")].map(|(f, v)| (f.to_string(), v.to_string()))
        );
        assert_eq!(h.get(b"10").unwrap().as_i64(), Some(-5));
        assert!(h.get(b"010").is_none());
        assert!(h.get(b"c").is_none());
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert_eq!((h.len(), h.encoding()), (2, "listpack"));
    }

    #[test]
    fn converts_past_the_entry_limit() {
        let mut h = Hash::new();
        for f in ["a", "b", "c", "d"] {
            set(&mut h, f, "v");
        }
        assert_eq!(h.encoding(), "listpack");
        set(&mut h, "e", "v");
        assert_eq!((h.encoding(), h.len()), ("hashtable", 5));
        // One way: deleting does not bring the listpack back.
        for f in ["a", "b", "c", "d"] {
            assert!(h.remove(f.as_bytes()));
        }
        assert_eq!((h.encoding(), h.len()), ("hashtable", 1));
        assert_eq!(h.get(b"e").unwrap().to_vec(), b"v");
    }

    #[test]
    fn converts_for_long_fields_and_values() {
        let mut h = Hash::new();
        set(&mut h, "a", "12345678");
        assert_eq!(h.encoding(), "listpack");
        h.convert_for_args(&[arg("a"), arg("123456789")], LIMITS);
        assert_eq!(h.encoding(), "hashtable");
        let mut h = Hash::new();
        set(&mut h, "a", "1");
        assert!(!h.set(b"123456789", NewValue::Int(1), LIMITS));
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"a").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn random_pairs_and_scan() {
        let mut h = Hash::new();
        for f in ["a", "b", "c"] {
            set(&mut h, f, "v");
        }
        let mut rng = fastrand::Rng::with_seed(3);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100 {
            let (f, _) = h.random_pair(&mut rng).unwrap();
            seen.insert(f.to_vec());
        }
        assert_eq!(seen.len(), 3);
        let mut n = 0;
        assert_eq!(h.scan(0, &mut |_, _| n += 1), 0);
        assert_eq!(n, 3);
    }

    /// Random writes against a model that keeps insertion order: the
    /// listpack must list pairs exactly as the model, the dict the same
    /// set of pairs; values of every storage kind go through conversion.
    #[test]
    fn random_operations_match_a_model() {
        let mut rng = fastrand::Rng::with_seed(42);
        let fields = ["a", "b", "10", "-3", "012", "long-field-name-x", ""];
        let values = [
            "",
            "7",
            "-9223372036854775808",
            "x",
            "0123",
            "fifteen bytes!!",
        ];
        for round in 0..200 {
            let limits = Limits {
                entries: rng.usize(0..8),
                value: rng.usize(0..20),
            };
            let mut h = Hash::new();
            let mut model: Vec<(String, String)> = Vec::new();
            for _ in 0..60 {
                let f = fields[rng.usize(..fields.len())];
                if rng.u32(..4) == 0 {
                    let was = model.iter().position(|(mf, _)| mf == f);
                    assert_eq!(h.remove(f.as_bytes()), was.is_some(), "round {round}");
                    if let Some(i) = was {
                        model.remove(i);
                    }
                } else {
                    let v = match rng.u32(..3) {
                        0 => values[rng.usize(..values.len())].to_string(),
                        1 => rng.i64(..).to_string(),
                        _ => "y".repeat(rng.usize(0..40)),
                    };
                    let arg = Bytes::copy_from_slice(v.as_bytes());
                    let updated = h.set(f.as_bytes(), NewValue::Arg(&arg), limits);
                    match model.iter_mut().find(|(mf, _)| mf == f) {
                        Some(slot) => {
                            assert!(updated);
                            slot.1 = v;
                        }
                        None => {
                            assert!(!updated);
                            model.push((f.to_string(), v));
                        }
                    }
                }
                assert_eq!(h.len(), model.len());
                for (f, v) in &model {
                    assert_eq!(h.get(f.as_bytes()).unwrap().to_vec(), v.as_bytes());
                }
                let mut got = dump(&h);
                if h.is_listpack() {
                    assert!(model.len() <= limits.entries);
                    assert_eq!(got, model);
                } else {
                    let mut want = model.clone();
                    got.sort();
                    want.sort();
                    assert_eq!(got, want);
                }
            }
            // A copied dict may list its pairs in another order.
            let (mut copy, mut orig) = (dump(&h.clone()), dump(&h));
            copy.sort();
            orig.sort();
            assert_eq!(copy, orig);
        }
    }
}
