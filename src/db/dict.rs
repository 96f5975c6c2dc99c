//! The hash table behind every keyspace: Redis's `dict`, in Rust.
//!
//! Separate chaining in power-of-two tables with incremental rehashing:
//! when the table fills up (or empties out) a second table is allocated and
//! buckets move over a few at a time, on each write and from the cron, so
//! no single command pays for moving ten million keys. Power-of-two sizes
//! are also what make SCAN's reverse-binary cursor work: a key in bucket
//! `i` of a table of size `2^n` lands in bucket `i` or `i + 2^n` of the
//! doubled table, so a cursor that increments its *reversed* bits visits
//! every bucket of any size exactly once per cycle of the smallest size.
//!
//! Each entry is one allocation holding the chain link, the key (inline
//! when short) and the value; the table holds one pointer per bucket.

use super::key::Key;
use ahash::RandomState;
use std::sync::OnceLock;
#[cfg(not(test))]
use std::sync::atomic::{AtomicBool, Ordering};

/// The process-wide hash seed: random per start-up, as Redis seeds its
/// SipHash, so clients cannot aim many keys at one bucket.
fn hasher() -> &'static RandomState {
    static HASHER: OnceLock<RandomState> = OnceLock::new();
    HASHER.get_or_init(RandomState::new)
}

/// Hashes a key; every dict uses the same seed, so one hash serves the
/// keyspace and its expires table alike.
#[inline]
pub fn hash_key(key: &[u8]) -> u64 {
    hasher().hash_one(key)
}

/// Redis's dict_can_resize: false while a forked child (BGSAVE,
/// BGREWRITEAOF) shares the parent's pages, since growing or shrinking a
/// table rewrites all of it and the kernel then copies every page it
/// touches. One flag for the process, read with a plain load where a
/// table is full anyway.
#[cfg(not(test))]
static RESIZE_ALLOWED: AtomicBool = AtomicBool::new(true);

// Each unit test runs on a thread of its own: a per-thread flag lets one
// test turn resizing off without changing the tables of the others.
#[cfg(test)]
thread_local! {
    static RESIZE_ALLOWED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Allows or forbids resizing tables (Redis's dictEnableResize and
/// dictDisableResize).
pub fn set_resize_allowed(allowed: bool) {
    #[cfg(not(test))]
    RESIZE_ALLOWED.store(allowed, Ordering::Relaxed);
    #[cfg(test)]
    RESIZE_ALLOWED.with(|a| a.set(allowed));
}

pub fn resize_allowed() -> bool {
    #[cfg(not(test))]
    return RESIZE_ALLOWED.load(Ordering::Relaxed);
    #[cfg(test)]
    return RESIZE_ALLOWED.with(|a| a.get());
}

/// Redis 7.0's dict_force_resize_ratio: with resizing forbidden a table
/// still grows once it holds more than this many entries per bucket, as
/// chains that long would cost more than the copied pages.
pub const FORCE_RESIZE_RATIO: usize = 5;

/// Whether a table of `size` buckets holding `used` entries grows: at a
/// load factor of 1, or past [`FORCE_RESIZE_RATIO`] while resizing is
/// forbidden. The flag is read only once the table is full.
#[inline]
pub fn should_grow(used: usize, size: usize) -> bool {
    used >= size && (resize_allowed() || used / size.max(1) > FORCE_RESIZE_RATIO)
}

const INITIAL_SIZE: usize = 4;
/// Below this fill (percent) the cron shrinks a table, as Redis's
/// HASHTABLE_MIN_FILL.
const MIN_FILL_PERCENT: usize = 10;

struct Entry<V> {
    next: Option<Box<Entry<V>>>,
    key: Key,
    value: V,
}

type Bucket<V> = Option<Box<Entry<V>>>;

struct Table<V> {
    buckets: Vec<Bucket<V>>,
    used: usize,
}

impl<V> Table<V> {
    fn empty() -> Self {
        Table {
            buckets: Vec::new(),
            used: 0,
        }
    }

    fn with_size(size: usize) -> Self {
        let mut buckets = Vec::with_capacity(size);
        buckets.resize_with(size, || None);
        Table { buckets, used: 0 }
    }

    fn mask(&self) -> usize {
        self.buckets.len().wrapping_sub(1)
    }
}

/// A hash table from binary keys to `V`.
pub struct Dict<V> {
    tables: [Table<V>; 2],
    /// While rehashing, the next bucket of `tables[0]` to move.
    rehash_idx: Option<usize>,
}

impl<V: Clone> Clone for Dict<V> {
    /// A deep copy (COPY of a large collection), sized for its entries up
    /// front so it is built without rehashing.
    fn clone(&self) -> Self {
        let mut copy = Dict::with_capacity(self.len());
        self.for_each(&mut |k, v| copy.insert_new(hash_key(k.as_bytes()), k.clone(), v.clone()));
        copy
    }
}

impl<V> std::fmt::Debug for Dict<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dict({} entries)", self.len())
    }
}

impl<V> Default for Dict<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> Dict<V> {
    pub fn new() -> Self {
        Dict {
            tables: [Table::empty(), Table::empty()],
            rehash_idx: None,
        }
    }

    /// An empty dict with room for `n` entries before it grows.
    pub fn with_capacity(n: usize) -> Self {
        let mut d = Dict::new();
        if n > 0 {
            d.tables[0] = Table::with_size(n.max(INITIAL_SIZE).next_power_of_two());
        }
        d
    }

    pub fn len(&self) -> usize {
        self.tables[0].used + self.tables[1].used
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of buckets in each table (the second is non-zero only while
    /// rehashing).
    pub fn sizes(&self) -> (usize, usize) {
        (self.tables[0].buckets.len(), self.tables[1].buckets.len())
    }

    /// Bytes of the tables and their entries, without what keys and
    /// values hold beyond the entry (MEMORY USAGE adds that).
    pub fn table_bytes(&self) -> usize {
        let entry = super::usage::boxed::<Entry<V>>();
        self.tables
            .iter()
            .map(|t| super::usage::array::<Bucket<V>>(t.buckets.capacity()) + t.used * entry)
            .sum()
    }

    pub fn is_rehashing(&self) -> bool {
        self.rehash_idx.is_some()
    }

    fn tables_in_use(&self) -> usize {
        if self.is_rehashing() { 2 } else { 1 }
    }

    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.get_hashed(hash_key(key), key)
    }

    pub fn get_hashed(&self, hash: u64, key: &[u8]) -> Option<&V> {
        for t in &self.tables[..self.tables_in_use()] {
            if t.buckets.is_empty() {
                continue;
            }
            let mut e = t.buckets[hash as usize & t.mask()].as_deref();
            while let Some(entry) = e {
                if entry.key.as_bytes() == key {
                    return Some(&entry.value);
                }
                e = entry.next.as_deref();
            }
        }
        None
    }

    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        self.get_mut_hashed(hash_key(key), key)
    }

    /// Looks a key up for modification; like Redis's dictFind it also moves
    /// one bucket along if a rehash is in progress.
    pub fn get_mut_hashed(&mut self, hash: u64, key: &[u8]) -> Option<&mut V> {
        self.rehash_step();
        let n = self.tables_in_use();
        for t in &mut self.tables[..n] {
            if t.buckets.is_empty() {
                continue;
            }
            let mask = t.mask();
            let mut e = t.buckets[hash as usize & mask].as_deref_mut();
            while let Some(entry) = e {
                if entry.key.as_bytes() == key {
                    return Some(&mut entry.value);
                }
                e = entry.next.as_deref_mut();
            }
        }
        None
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        self.insert_hashed(hash_key(key), key, value)
    }

    pub fn insert_hashed(&mut self, hash: u64, key: &[u8], value: V) -> Option<V> {
        if let Some(slot) = self.get_mut_hashed(hash, key) {
            return Some(std::mem::replace(slot, value));
        }
        self.insert_new(hash, Key::new(key), value);
        None
    }

    /// Adds a key known to be absent, at the head of its chain (in the new
    /// table while rehashing, so the old one only ever shrinks).
    pub fn insert_new(&mut self, hash: u64, key: Key, value: V) {
        // Each add moves the rehash along, as Redis's dictAddRaw does: a
        // run of adds with no lookups between them (loading a file) must
        // not pile every key onto the new table's first chains.
        self.rehash_step();
        self.expand_if_needed();
        let t = if self.is_rehashing() {
            &mut self.tables[1]
        } else {
            &mut self.tables[0]
        };
        let idx = hash as usize & t.mask();
        let next = t.buckets[idx].take();
        t.buckets[idx] = Some(Box::new(Entry { next, key, value }));
        t.used += 1;
    }

    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        self.remove_hashed(hash_key(key), key)
    }

    pub fn remove_hashed(&mut self, hash: u64, key: &[u8]) -> Option<V> {
        self.rehash_step();
        let n = self.tables_in_use();
        for t in &mut self.tables[..n] {
            if t.buckets.is_empty() {
                continue;
            }
            let mask = t.mask();
            let mut cur = &mut t.buckets[hash as usize & mask];
            loop {
                match cur {
                    None => break,
                    Some(e) if e.key.as_bytes() == key => {
                        let mut removed = cur.take()?;
                        *cur = removed.next.take();
                        t.used -= 1;
                        return Some(removed.value);
                    }
                    Some(e) => cur = &mut e.next,
                }
            }
        }
        None
    }

    /// Drops every entry and the tables themselves.
    pub fn clear(&mut self) {
        *self = Dict::new();
    }

    /// Grows when the table holds as many keys as buckets (Redis's load
    /// factor of 1; see [`should_grow`] while a child runs), to the next
    /// power of two above the key count.
    fn expand_if_needed(&mut self) {
        if self.is_rehashing() {
            return;
        }
        let t0 = &self.tables[0];
        if t0.buckets.is_empty() {
            self.tables[0] = Table::with_size(INITIAL_SIZE);
        } else if should_grow(t0.used, t0.buckets.len()) {
            self.resize_to(t0.used + 1);
        }
    }

    fn resize_to(&mut self, min: usize) {
        let size = min.max(INITIAL_SIZE).next_power_of_two();
        if self.is_rehashing() || size == self.tables[0].buckets.len() {
            return;
        }
        if self.tables[0].used == 0 {
            self.tables[0] = Table::with_size(size);
            return;
        }
        self.tables[1] = Table::with_size(size);
        self.rehash_idx = Some(0);
    }

    /// Starts shrinking a table that is mostly empty (from the cron, as
    /// Redis's tryResizeHashTables); never while a child runs (Redis's
    /// dictResize refuses then).
    pub fn shrink_if_needed(&mut self) {
        let t0 = &self.tables[0];
        let size = t0.buckets.len();
        if !self.is_rehashing()
            && size > INITIAL_SIZE
            && t0.used * 100 / size < MIN_FILL_PERCENT
            && resize_allowed()
        {
            self.resize_to(t0.used);
        }
    }

    fn rehash_step(&mut self) {
        if self.is_rehashing() {
            self.rehash(1);
        }
    }

    /// Moves up to `n` non-empty buckets to the new table (visiting at most
    /// ten times as many empty ones); returns whether work remains.
    pub fn rehash(&mut self, mut n: usize) -> bool {
        let Some(mut idx) = self.rehash_idx else {
            return false;
        };
        let mut empty_visits = n * 10;
        let [t0, t1] = &mut self.tables;
        let mask1 = t1.mask();
        while n > 0 && t0.used != 0 {
            while t0.buckets.get(idx).is_some_and(|b| b.is_none()) {
                idx += 1;
                empty_visits -= 1;
                if empty_visits == 0 {
                    self.rehash_idx = Some(idx);
                    return true;
                }
            }
            let Some(bucket) = t0.buckets.get_mut(idx) else {
                break;
            };
            let mut chain = bucket.take();
            while let Some(mut e) = chain {
                chain = e.next.take();
                let dst = hash_key(e.key.as_bytes()) as usize & mask1;
                e.next = t1.buckets[dst].take();
                t1.buckets[dst] = Some(e);
                t0.used -= 1;
                t1.used += 1;
            }
            idx += 1;
            n -= 1;
        }
        if t0.used == 0 {
            self.tables[0] = std::mem::replace(&mut self.tables[1], Table::empty());
            self.rehash_idx = None;
            return false;
        }
        self.rehash_idx = Some(idx);
        true
    }

    /// One SCAN step: calls `f` for every entry of the bucket(s) under
    /// `cursor` and returns the next cursor (0 when the iteration is
    /// complete). Keys present for the whole iteration are reported at least
    /// once even if the table grows or shrinks in between.
    pub fn scan(&self, cursor: u64, f: &mut dyn FnMut(&Key, &V)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let mut v = cursor;
        if !self.is_rehashing() {
            let t = &self.tables[0];
            let m0 = t.mask() as u64;
            visit_chain(&t.buckets[(v & m0) as usize], f);
            v |= !m0;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
        } else {
            let (small, big) = if self.tables[0].buckets.len() <= self.tables[1].buckets.len() {
                (&self.tables[0], &self.tables[1])
            } else {
                (&self.tables[1], &self.tables[0])
            };
            let (m0, m1) = (small.mask() as u64, big.mask() as u64);
            visit_chain(&small.buckets[(v & m0) as usize], f);
            // Then every bucket of the bigger table that expands this one.
            loop {
                visit_chain(&big.buckets[(v & m1) as usize], f);
                v |= !m1;
                v = v.reverse_bits().wrapping_add(1).reverse_bits();
                if v & (m0 ^ m1) == 0 {
                    break;
                }
            }
        }
        v
    }

    /// Calls `f` for the entries in bucket `cursor` (masked to each table's
    /// size): the unit the active expire cycle walks.
    pub fn visit_bucket(&self, cursor: usize, f: &mut dyn FnMut(&Key, &V)) {
        for t in &self.tables[..self.tables_in_use()] {
            if !t.buckets.is_empty() {
                visit_chain(&t.buckets[cursor & t.mask()], f);
            }
        }
    }

    /// Up to `count` entries from a random spot, for eviction's sampling
    /// (Redis's dictGetSomeKeys): consecutive buckets from a random one,
    /// in both tables while rehashing, giving up after `count * 10`
    /// buckets. Far cheaper than `count` random picks, since adjacent
    /// buckets share cache lines and no chain is walked twice; the picks
    /// are not uniform, which eviction's pool does not need. Returns how
    /// many entries `f` saw.
    pub fn sample(
        &self,
        count: usize,
        rng: &mut fastrand::Rng,
        f: &mut dyn FnMut(&Key, &V),
    ) -> usize {
        let count = count.min(self.len());
        let tables = &self.tables[..self.tables_in_use()];
        let Some(mask) = tables
            .iter()
            .map(Table::mask)
            .filter(|&m| m != usize::MAX)
            .max()
        else {
            return 0;
        };
        let (mut found, mut empty_run) = (0, 0);
        let mut i = rng.usize(..=mask);
        // Stretches of buckets already walked (start, length): a jump or
        // the wrap-around must not walk a chain twice. A fixed array, as
        // this runs for every eviction; a sample that would need more
        // stretches than it holds ends early.
        let mut stretches = [(i, 0usize); 32];
        let mut n_stretches = 1;
        let mut buckets_left = mask + 1;
        for _ in 0..count.saturating_mul(10) {
            if buckets_left == 0 {
                break;
            }
            let mut empty = true;
            for t in tables {
                // The smaller table while rehashing has no bucket `i`.
                let Some(bucket) = t.buckets.get(i) else {
                    continue;
                };
                let mut e = bucket.as_deref();
                while let Some(entry) = e {
                    empty = false;
                    f(&entry.key, &entry.value);
                    found += 1;
                    if found == count {
                        return found;
                    }
                    e = entry.next.as_deref();
                }
            }
            buckets_left -= 1;
            let walked = &mut stretches[..n_stretches];
            if let Some(last) = walked.last_mut() {
                last.1 += 1;
            }
            empty_run = if empty { empty_run + 1 } else { 0 };
            let mut next = (i + 1) & mask;
            if empty_run >= 5 && empty_run > count {
                // A long empty stretch: jump elsewhere, as Redis does.
                next = rng.usize(..=mask);
                empty_run = 0;
            }
            // Step over stretches already walked (each at most once, so
            // this ends even when few buckets are left).
            for _ in 0..walked.len() {
                match walked
                    .iter()
                    .find(|&&(s, len)| next.wrapping_sub(s) & mask < len)
                {
                    Some(&(s, len)) => next = (s + len) & mask,
                    None => break,
                }
            }
            let continues = walked
                .last()
                .is_some_and(|&(s, len)| (s + len) & mask == next);
            if !continues {
                let Some(slot) = stretches.get_mut(n_stretches) else {
                    break;
                };
                *slot = (next, 0);
                n_stretches += 1;
            }
            i = next;
        }
        found
    }

    /// A random entry: a random non-empty bucket, then a random link of its
    /// chain (Redis's dictGetRandomKey).
    pub fn random_entry(&self, rng: &mut fastrand::Rng) -> Option<(&Key, &V)> {
        if self.is_empty() {
            return None;
        }
        let bucket = loop {
            let b = match self.rehash_idx {
                Some(start) => {
                    let (s0, s1) = self.sizes();
                    let i = rng.usize(start..s0 + s1);
                    if i >= s0 {
                        &self.tables[1].buckets[i - s0]
                    } else {
                        &self.tables[0].buckets[i]
                    }
                }
                None => &self.tables[0].buckets[rng.usize(..self.tables[0].buckets.len())],
            };
            if b.is_some() {
                break b;
            }
        };
        let mut len = 0;
        let mut e = bucket.as_deref();
        while let Some(entry) = e {
            len += 1;
            e = entry.next.as_deref();
        }
        let mut e = bucket.as_deref();
        for _ in 0..rng.usize(..len) {
            e = e.and_then(|x| x.next.as_deref());
        }
        e.map(|x| (&x.key, &x.value))
    }

    /// Calls `f` for every entry (KEYS, FLUSHALL accounting, tests).
    pub fn for_each(&self, f: &mut dyn FnMut(&Key, &V)) {
        for t in &self.tables[..self.tables_in_use()] {
            for b in &t.buckets {
                visit_chain(b, f);
            }
        }
    }

    /// Every entry, table by table, bucket by bucket.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &V)> {
        self.tables[..self.tables_in_use()]
            .iter()
            .flat_map(|t| t.buckets.iter())
            .flat_map(|b| {
                std::iter::successors(b.as_deref(), |e| e.next.as_deref())
                    .map(|e| (&e.key, &e.value))
            })
    }
}

fn visit_chain<V>(bucket: &Bucket<V>, f: &mut dyn FnMut(&Key, &V)) {
    let mut e = bucket.as_deref();
    while let Some(entry) = e {
        f(&entry.key, &entry.value);
        e = entry.next.as_deref();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn key(i: usize) -> Vec<u8> {
        format!("key:{i}").into_bytes()
    }

    #[test]
    fn sample_gives_distinct_entries_in_and_out_of_rehashing() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut d = Dict::new();
        let mut seen = Vec::new();
        assert_eq!(d.sample(5, &mut rng, &mut |_, &v| seen.push(v)), 0);
        for i in 0..3 {
            d.insert(&key(i), i);
        }
        // Fewer entries than asked for: all of them.
        assert_eq!(d.sample(5, &mut rng, &mut |_, &v| seen.push(v)), 3);
        seen.sort();
        assert_eq!(seen, [0, 1, 2]);
        for i in 3..5000 {
            d.insert(&key(i), i);
        }
        let mut rehashing_seen = false;
        for round in 0..200 {
            // Inserting grows the table now and then; rehash steps follow.
            d.insert(&key(5000 + round), 5000 + round);
            rehashing_seen |= d.is_rehashing();
            let mut got = HashSet::new();
            let n = d.sample(5, &mut rng, &mut |k, &v| {
                assert_eq!(k.as_bytes(), key(v).as_slice());
                assert!(got.insert(v), "entry {v} sampled twice");
            });
            assert_eq!(n, got.len());
            assert!(n <= 5);
        }
        assert!(rehashing_seen);
    }

    #[test]
    fn insert_get_remove_across_rehashing() {
        let mut d = Dict::new();
        for i in 0..10_000 {
            assert!(d.insert(&key(i), i).is_none());
        }
        assert_eq!(d.len(), 10_000);
        assert_eq!(d.insert(&key(5), 55), Some(5));
        for i in 0..10_000 {
            let want = if i == 5 { 55 } else { i };
            assert_eq!(d.get(&key(i)), Some(&want));
        }
        for i in 0..9_990 {
            assert!(d.remove(&key(i)).is_some());
        }
        assert_eq!(d.remove(&key(0)), None);
        d.shrink_if_needed();
        while d.rehash(100) {}
        assert_eq!(d.len(), 10);
        assert!(d.sizes().0 <= 16, "shrunk: {:?}", d.sizes());
        for i in 9_990..10_000 {
            assert_eq!(d.get(&key(i)), Some(&i));
        }
    }

    fn full_scan(d: &Dict<usize>) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut cursor = 0;
        loop {
            cursor = d.scan(cursor, &mut |_, v| {
                seen.insert(*v);
            });
            if cursor == 0 {
                return seen;
            }
        }
    }

    #[test]
    fn scan_visits_everything() {
        let mut d = Dict::new();
        for i in 0..1000 {
            d.insert(&key(i), i);
        }
        assert_eq!(full_scan(&d).len(), 1000);
    }

    #[test]
    fn scan_survives_growth_and_shrinking_midway() {
        let mut d = Dict::new();
        for i in 0..500 {
            d.insert(&key(i), i);
        }
        while d.rehash(100) {}
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut steps = 0;
        loop {
            cursor = d.scan(cursor, &mut |_, v| {
                seen.insert(*v);
            });
            steps += 1;
            // Grow a lot, then shrink, while iterating; keys < 500 stay.
            if steps == 10 {
                for i in 500..5000 {
                    d.insert(&key(i), i);
                }
            }
            if steps == 40 {
                for i in 500..5000 {
                    d.remove(&key(i));
                }
                d.shrink_if_needed();
            }
            if steps % 7 == 0 {
                d.rehash(3);
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..500 {
            assert!(seen.contains(&i), "key {i} missed");
        }
    }

    #[test]
    fn a_child_running_holds_tables_at_their_size_until_the_force_ratio() {
        let mut d = Dict::new();
        for i in 0..16 {
            d.insert(&key(i), i);
        }
        while d.rehash(100) {}
        assert_eq!(d.sizes(), (16, 0));
        // Resizing allowed: the 17th key (load factor 1) grows the table.
        let mut grown = d.clone();
        grown.insert(&key(16), 16);
        assert_eq!(grown.sizes(), (16, 32));

        set_resize_allowed(false);
        // Up to 6 keys a bucket (96 / 16 = 6 > 5 only once 96 are in).
        for i in 16..96 {
            d.insert(&key(i), i);
        }
        assert_eq!(d.sizes(), (16, 0), "no growth at ratio 5");
        assert!(!d.is_rehashing());
        d.insert(&key(96), 96);
        assert_eq!(d.sizes(), (16, 128), "grows past ratio 5");
        while d.rehash(100) {}
        // Nor does a mostly empty table shrink.
        for i in 0..97 {
            if i != 3 {
                d.remove(&key(i));
            }
        }
        d.shrink_if_needed();
        assert_eq!(d.sizes(), (128, 0));

        set_resize_allowed(true);
        d.shrink_if_needed();
        while d.rehash(100) {}
        assert_eq!(d.sizes(), (4, 0));
        assert_eq!(d.get(&key(3)), Some(&3));
    }

    #[test]
    fn random_entries_cover_the_table() {
        let mut d = Dict::new();
        for i in 0..20 {
            d.insert(&key(i), i);
        }
        let mut rng = fastrand::Rng::with_seed(7);
        let mut seen = HashSet::new();
        for _ in 0..2000 {
            seen.insert(*d.random_entry(&mut rng).unwrap().1);
        }
        assert_eq!(seen.len(), 20);
        assert!(Dict::<usize>::new().random_entry(&mut rng).is_none());
    }
}
