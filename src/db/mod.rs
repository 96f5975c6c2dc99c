//! The keyspace: `databases` numbered dictionaries of keys, each with a
//! table of expire times, and the lookups every command goes through.
//!
//! Commands never touch a dict directly. They ask a [`Db`] for a key, and
//! the lookup applies lazy expiry (a key past its time is deleted the
//! moment anyone looks at it, as Redis's expireIfNeeded), keeps hit/miss
//! statistics and the access clock. Writes go through the same few
//! methods, which is where watched-key invalidation and keyspace
//! notifications hook in.

pub mod access;
pub mod dict;
pub mod evict;
pub mod expire;
pub mod hash;
pub mod intset;
pub mod key;
pub mod lazyfree;
pub mod list;
pub mod listpack;
pub mod set;
pub mod stream;
pub mod usage;
pub mod value;
pub mod zset;

pub use access::{AccessClock, AccessPolicy};
pub use dict::Dict;
pub use key::Key;
pub use lazyfree::Deletion;
pub use value::{Object, Str, Value};

use bytes::Bytes;
use dict::hash_key;
use value::flags;

/// One numbered database (SELECT n).
#[derive(Default)]
pub struct Db {
    dict: Dict<Object>,
    /// Absolute expire times in Unix milliseconds, only for keys that have
    /// one; the entry in `dict` carries HAS_EXPIRE so most lookups never
    /// touch this table.
    expires: Dict<i64>,
    /// Where the active expire cycle resumes in `expires`.
    pub(crate) expire_cursor: usize,
    /// Running average TTL of sampled keys, for INFO keyspace.
    pub avg_ttl: i64,
    pub stats: DbStats,
    /// How lookups stamp the access clock; set for every database at once
    /// by [`Keyspace::set_access_policy`].
    access: AccessPolicy,
    /// Which deletions hand big values to the lazyfree thread; set for
    /// every database at once by [`Keyspace::set_lazyfree_policy`].
    lazy: lazyfree::Policy,
    /// Keys created while clients are blocked on keys of this database;
    /// `None` while nobody is. Creation is what can make a waited-on key
    /// ready, since clients only block on missing keys (Redis's dbAdd
    /// calling signalKeyAsReady); the engine drains this after each
    /// command.
    created: Option<Vec<Bytes>>,
    /// Which [`KeyEvent`]s to record (bits of `KeyEvent as u8`); zero,
    /// the usual case, records nothing.
    event_mask: u8,
    /// Events the keyspace caused on its own, oldest first, for the
    /// engine to turn into notifications and WATCH invalidation.
    events: Vec<(KeyEvent, Bytes)>,
    /// Keys deleted by expiry since the engine last looked, while an AOF
    /// is written (each becomes a DEL in it, as Redis propagates them).
    expired_log: Option<Vec<Bytes>>,
    /// Nothing expires while an AOF is being loaded: its commands must
    /// meet the keys exactly as they were (Redis's keyIsExpired while
    /// loading).
    expiry_paused: bool,
}

/// What happened to a key inside a lookup or a store, rather than in a
/// command: a lazy or active expiry, a read miss, a key created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEvent {
    Expired = 1,
    Miss = 2,
    New = 4,
    /// Deleted to bring memory under maxmemory (db::evict).
    Evicted = 8,
}

/// The keys of a database taken out of it; dropping this frees them.
pub struct KeysOnly {
    _dict: Dict<Object>,
    _expires: Dict<i64>,
}

/// Counters INFO stats reports, summed over databases.
#[derive(Default, Clone, Copy)]
pub struct DbStats {
    pub hits: u64,
    pub misses: u64,
    pub expired: u64,
}

impl Db {
    pub fn new() -> Db {
        Db::default()
    }

    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    pub fn expires_len(&self) -> usize {
        self.expires.len()
    }

    /// Deletes `key` if its time has passed; true if it was deleted.
    /// Like Redis, a database without volatile keys skips the probe.
    fn expire_if_needed(&mut self, hash: u64, key: &[u8], now_ms: i64) -> bool {
        if self.expires.is_empty() || self.expiry_paused {
            return false;
        }
        match self.expires.get_hashed(hash, key) {
            Some(&when) if when <= now_ms => {
                if let Some(obj) = self.dict.remove_hashed(hash, key) {
                    self.release(obj, Deletion::Expire);
                }
                self.expires.remove_hashed(hash, key);
                self.stats.expired += 1;
                self.log_event(KeyEvent::Expired, key);
                if let Some(log) = &mut self.expired_log {
                    log.push(Bytes::copy_from_slice(key));
                }
                true
            }
            _ => false,
        }
    }

    /// Looks a key up for reading: applies lazy expiry, counts a hit or a
    /// miss, and refreshes the access clock (Redis's lookupKeyRead).
    pub fn get(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            self.stats.misses += 1;
            self.log_event(KeyEvent::Miss, key);
            return None;
        }
        match self.dict.get_mut_hashed(hash, key) {
            Some(obj) => {
                self.stats.hits += 1;
                self.access.touch(obj, now_ms);
                Some(obj)
            }
            None => {
                self.stats.misses += 1;
                if self.event_mask & KeyEvent::Miss as u8 != 0 {
                    self.events
                        .push((KeyEvent::Miss, Bytes::copy_from_slice(key)));
                }
                None
            }
        }
    }

    /// Looks a key up for writing: lazy expiry and the access clock, but no
    /// hit/miss counting (Redis's lookupKeyWrite).
    pub fn get_mut(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Object> {
        self.lookup(key, now_ms)
    }

    /// Looks a key up for reading without touching its access clock, but
    /// counting the hit or miss: Redis's LOOKUP_NOTOUCH, which TYPE,
    /// EXISTS, TTL and OBJECT use so inspecting a key does not make it
    /// look recently used.
    pub fn get_notouch(&mut self, key: &[u8], now_ms: i64) -> Option<&Object> {
        self.lookup_notouch(key, now_ms, true)
    }

    /// [`get_notouch`](Self::get_notouch) that records no keymiss:
    /// Redis's LOOKUP_NONOTIFY as well, which OBJECT adds (an expiry is
    /// still an event).
    pub fn get_notouch_nonotify(&mut self, key: &[u8], now_ms: i64) -> Option<&Object> {
        self.lookup_notouch(key, now_ms, false)
    }

    fn lookup_notouch(&mut self, key: &[u8], now_ms: i64, notify_miss: bool) -> Option<&Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            self.stats.misses += 1;
            if notify_miss {
                self.log_event(KeyEvent::Miss, key);
            }
            return None;
        }
        let found = self.dict.get_hashed(hash, key);
        match found {
            Some(_) => self.stats.hits += 1,
            None => {
                self.stats.misses += 1;
                if notify_miss && self.event_mask & KeyEvent::Miss as u8 != 0 {
                    self.events
                        .push((KeyEvent::Miss, Bytes::copy_from_slice(key)));
                }
            }
        }
        found
    }

    /// Lookup without touching the access clock or the statistics.
    pub fn peek(&mut self, key: &[u8], now_ms: i64) -> Option<&Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            return None;
        }
        self.dict.get_hashed(hash, key)
    }

    /// [`peek`](Self::peek) for changing the value: for a command's
    /// second visit to a key it already looked up, so the access clock
    /// and statistics count one lookup, as in Redis.
    pub fn peek_mut(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            return None;
        }
        self.dict.get_mut_hashed(hash, key)
    }

    /// Looks a key up through a shared borrow: no expiry, no statistics,
    /// no clock. For commands that hold several values at once (ZUNION's
    /// inputs) after looking each one up with [`Db::get`], which already
    /// applied lazy expiry and counted the access.
    pub fn get_ref(&self, key: &[u8]) -> Option<&Object> {
        self.dict.get(key)
    }

    fn lookup(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            return None;
        }
        let obj = self.dict.get_mut_hashed(hash, key)?;
        self.access.touch(obj, now_ms);
        Some(obj)
    }

    /// A key's value with no side effects at all (no expiry, statistics
    /// or access clock): for a command's second look at keys it already
    /// looked up, e.g. to hold several sets at once for SINTER.
    pub fn find(&self, key: &[u8]) -> Option<&Object> {
        self.dict.get(key)
    }

    /// Like [`find`](Self::find), for changing the value.
    pub fn find_mut(&mut self, key: &[u8]) -> Option<&mut Object> {
        self.dict.get_mut(key)
    }

    /// Whether the key exists (after lazy expiry).
    pub fn contains(&mut self, key: &[u8], now_ms: i64) -> bool {
        self.peek(key, now_ms).is_some()
    }

    /// Sets a key to a new value, as SET does: any previous value is
    /// replaced and its expire time dropped unless `keep_ttl`.
    pub fn set(&mut self, key: &[u8], obj: Object, keep_ttl: bool) {
        self.set_hashed(hash_key(key), key, obj, keep_ttl, crate::util::now_ms());
    }

    /// Sets a key as Redis's setKey does when it has not looked the key up
    /// yet: a value past its expire time is deleted first (so KEEPTTL never
    /// keeps a dead key's TTL and the expired-keys count stays right), then
    /// the key is replaced or added, all with one hash of the key.
    pub fn set_live(&mut self, key: &[u8], obj: Object, keep_ttl: bool, now_ms: i64) {
        let hash = hash_key(key);
        self.expire_if_needed(hash, key, now_ms);
        self.set_hashed(hash, key, obj, keep_ttl, now_ms);
    }

    fn set_hashed(&mut self, hash: u64, key: &[u8], mut obj: Object, keep_ttl: bool, now_ms: i64) {
        self.prepare_new(&mut obj);
        if let Some(old) = self.dict.get_mut_hashed(hash, key) {
            let had_expire = old.has_flag(flags::HAS_EXPIRE);
            // Redis's setKey looks the key up for writing first, which
            // counts as an access (visible when the old value is a shared
            // integer); under LFU, dbOverwrite then hands the counter on,
            // as the access frequency belongs to the key.
            self.access.touch(old, now_ms);
            if matches!(self.access.clock, AccessClock::Lfu { .. }) {
                obj.set_clock(old.clock());
            }
            let was_stream = matches!(old.value, Value::Stream(_));
            if keep_ttl {
                obj.set_flag(flags::HAS_EXPIRE, had_expire);
            }
            let previous = std::mem::replace(old, obj);
            if !keep_ttl && had_expire {
                self.expires.remove_hashed(hash, key);
            }
            // Redis's dbOverwrite frees the old value lazily under
            // lazyfree-lazy-server-del.
            self.release(previous, Deletion::ServerDel);
            // An overwritten stream is a deleted one to its XREADGROUP
            // waiters (Redis's dbSetValue signals it).
            if was_stream {
                self.note_ready(key);
            }
        } else {
            self.note_created(key);
            self.dict.insert_new(hash, Key::new(key), obj);
        }
    }

    /// Adds a key that the caller knows is absent (after a lookup), with a
    /// value just created.
    pub fn add(&mut self, key: &[u8], mut obj: Object) {
        self.prepare_new(&mut obj);
        self.note_created(key);
        self.dict.insert_new(hash_key(key), Key::new(key), obj);
    }

    /// Sizes an empty database's tables for the keys a file says it holds
    /// (the RDB RESIZEDB opcode, Redis's dictExpand), so loading does not
    /// grow them step by step.
    pub fn reserve_for_load(&mut self, keys: usize, expires: usize) {
        if self.dict.is_empty() {
            self.dict = Dict::with_capacity(keys);
        }
        if self.expires.is_empty() {
            self.expires = Dict::with_capacity(expires);
        }
    }

    /// Adds a key read from a file, with its expire time and the access
    /// clock its hint gives (else a new key's), hashing the key once for
    /// the duplicate check and both inserts; a key already present is
    /// left alone and the object handed back.
    pub fn add_loaded(
        &mut self,
        key: &[u8],
        mut obj: Object,
        expire: Option<i64>,
        clock: Option<u32>,
    ) -> Result<(), Object> {
        let hash = hash_key(key);
        if self.dict.get_hashed(hash, key).is_some() {
            return Err(obj);
        }
        self.prepare_new(&mut obj);
        if let Some(clock) = clock {
            obj.set_clock(clock);
        }
        obj.set_flag(flags::HAS_EXPIRE, expire.is_some());
        self.note_created(key);
        self.dict.insert_new(hash, Key::new(key), obj);
        if let Some(when) = expire {
            self.expires.insert_hashed(hash, key, when);
        }
        Ok(())
    }

    /// Adds a key known to be absent with a value taken from another key
    /// (RENAME, MOVE): the value keeps its access clock and sharing, as
    /// Redis moves the very same object. Any expire time is the caller's
    /// to set again.
    pub fn add_moved(&mut self, key: &[u8], mut obj: Object) {
        obj.set_flag(flags::HAS_EXPIRE, false);
        self.note_created(key);
        self.dict.insert_new(hash_key(key), Key::new(key), obj);
    }

    fn note_created(&mut self, key: &[u8]) {
        self.log_event(KeyEvent::New, key);
        self.note_ready(key);
    }

    /// Records `key` for blocked clients to look at, while anyone waits.
    fn note_ready(&mut self, key: &[u8]) {
        if let Some(created) = &mut self.created {
            created.push(Bytes::copy_from_slice(key));
        }
    }

    fn log_event(&mut self, event: KeyEvent, key: &[u8]) {
        if self.event_mask & event as u8 != 0 {
            self.events.push((event, Bytes::copy_from_slice(key)));
        }
    }

    /// Chooses which [`KeyEvent`]s to record from now on (a mask of them).
    pub fn record_events(&mut self, mask: u8) {
        self.event_mask = mask;
        if mask == 0 {
            self.events = Vec::new();
        }
    }

    /// Whether any recorded events wait to be taken.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The events recorded since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<(KeyEvent, Bytes)> {
        std::mem::take(&mut self.events)
    }

    /// Starts or stops logging keys deleted by expiry (see `expired_log`).
    pub fn log_expired(&mut self, on: bool) {
        match (on, &self.expired_log) {
            (true, None) => self.expired_log = Some(Vec::new()),
            (false, Some(_)) => self.expired_log = None,
            _ => {}
        }
    }

    /// Whether expired keys wait to be taken.
    pub fn has_expired(&self) -> bool {
        self.expired_log.as_ref().is_some_and(|l| !l.is_empty())
    }

    /// The keys deleted by expiry since the last call, oldest first.
    pub fn take_expired(&mut self) -> Vec<Bytes> {
        match &mut self.expired_log {
            Some(log) => std::mem::take(log),
            None => Vec::new(),
        }
    }

    /// Stops or restarts expiry (while an AOF is loaded).
    pub fn pause_expiry(&mut self, paused: bool) {
        self.expiry_paused = paused;
    }

    /// Starts or stops recording created keys (see `created`).
    pub fn track_created(&mut self, on: bool) {
        match (on, &self.created) {
            (true, None) => self.created = Some(Vec::new()),
            (false, Some(_)) => self.created = None,
            _ => {}
        }
    }

    /// The keys created since the last call, oldest first.
    pub fn take_created(&mut self) -> Vec<Bytes> {
        match &mut self.created {
            Some(created) => std::mem::take(created),
            None => Vec::new(),
        }
    }

    /// What a value that was just created needs before it is stored: no
    /// stale expire flag, and the clock and sharing of the access policy.
    /// The default policy stamps nothing, the creator already did.
    fn prepare_new(&self, obj: &mut Object) {
        obj.set_flag(flags::HAS_EXPIRE, false);
        if self.access != AccessPolicy::default() {
            self.access.stamp_new(obj, crate::util::now_ms());
        }
    }

    /// The access policy lookups apply (set for all databases at once).
    pub fn access_policy(&self) -> AccessPolicy {
        self.access
    }

    /// Deletes a key the way DEL does: a key past its expire time is
    /// expired first (counted as such) and then was not there to delete.
    /// The value is freed as a server-side deletion (Redis's dbDelete).
    pub fn delete(&mut self, key: &[u8], now_ms: i64) -> bool {
        self.delete_for(key, now_ms, Deletion::ServerDel)
    }

    /// [`delete`](Self::delete) for a given reason, which decides whether
    /// the value may be freed on the lazyfree thread (DEL, UNLINK).
    pub fn delete_for(&mut self, key: &[u8], now_ms: i64, why: Deletion) -> bool {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            return false;
        }
        match self.dict.remove_hashed(hash, key) {
            Some(obj) => {
                if obj.has_flag(flags::HAS_EXPIRE) {
                    self.expires.remove_hashed(hash, key);
                }
                self.note_deleted_stream(key, &obj);
                self.release(obj, why);
                true
            }
            None => false,
        }
    }

    /// Deletes a key whether or not it is past its expire time (the
    /// caller looked it up already) and frees its value as `why` allows:
    /// RENAME's or COPY's target, RESTORE REPLACE, an expire time set in
    /// the past. True if the key existed.
    pub fn discard(&mut self, key: &[u8], why: Deletion) -> bool {
        match self.remove(key) {
            Some(obj) => {
                self.release(obj, why);
                true
            }
            None => false,
        }
    }

    /// Frees a value the keyspace let go of, on the lazyfree thread when
    /// the policy allows it for `why` (and the value is big enough).
    fn release(&self, obj: Object, why: Deletion) {
        lazyfree::release(obj, self.lazy.lazy(why));
    }

    /// Expires the key if its time has passed (Redis's expireIfNeeded);
    /// true if it was deleted.
    pub fn expire_if_due(&mut self, key: &[u8], now_ms: i64) -> bool {
        self.expire_if_needed(hash_key(key), key, now_ms)
    }

    /// Whether a stored entry is past its expire time, without deleting it
    /// (Redis's keyIsExpired, which KEYS uses while it iterates).
    pub fn is_expired(&self, key: &Key, obj: &Object, now_ms: i64) -> bool {
        obj.has_flag(flags::HAS_EXPIRE)
            && self
                .expires
                .get(key.as_bytes())
                .is_some_and(|&when| when <= now_ms)
    }

    /// Deletes a key; returns its value if it existed (expired or not).
    pub fn remove(&mut self, key: &[u8]) -> Option<Object> {
        let hash = hash_key(key);
        let obj = self.dict.remove_hashed(hash, key)?;
        if obj.has_flag(flags::HAS_EXPIRE) {
            self.expires.remove_hashed(hash, key);
        }
        self.note_deleted_stream(key, &obj);
        Some(obj)
    }

    /// A deleted stream is signalled like a created key (but is no "new"
    /// event): XREADGROUP waiters on it get an error (Redis's
    /// signalDeletedKeyAsReady).
    fn note_deleted_stream(&mut self, key: &[u8], obj: &Object) {
        if matches!(obj.value, Value::Stream(_)) {
            self.note_ready(key);
        }
    }

    /// The key's absolute expire time in ms, if it has one.
    pub fn expire_time(&self, key: &[u8]) -> Option<i64> {
        self.expires.get(key).copied()
    }

    /// Sets the expire time of an existing key; false if there is no key.
    pub fn set_expire(&mut self, key: &[u8], when_ms: i64) -> bool {
        let hash = hash_key(key);
        let Some(obj) = self.dict.get_mut_hashed(hash, key) else {
            return false;
        };
        obj.set_flag(flags::HAS_EXPIRE, true);
        self.expires.insert_hashed(hash, key, when_ms);
        true
    }

    /// Removes the expire time; true if the key had one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        let hash = hash_key(key);
        let Some(obj) = self.dict.get_mut_hashed(hash, key) else {
            return false;
        };
        if !obj.has_flag(flags::HAS_EXPIRE) {
            return false;
        }
        obj.set_flag(flags::HAS_EXPIRE, false);
        self.expires.remove_hashed(hash, key);
        true
    }

    /// Empties the database.
    pub fn clear(&mut self) {
        drop(self.take_keys());
    }

    /// Empties the database and hands back its keys as a detached value,
    /// so a caller can free a large one elsewhere (FLUSHALL ASYNC). The
    /// database keeps its statistics and access policy.
    pub fn take_keys(&mut self) -> KeysOnly {
        self.expire_cursor = 0;
        self.avg_ttl = 0;
        KeysOnly {
            _dict: std::mem::take(&mut self.dict),
            _expires: std::mem::take(&mut self.expires),
        }
    }

    /// One SCAN step over the keys; see [`Dict::scan`].
    pub fn scan(&self, cursor: u64, f: &mut dyn FnMut(&Key, &Object)) -> u64 {
        self.dict.scan(cursor, f)
    }

    /// Every key (KEYS); expired keys are included and filtered by callers.
    pub fn for_each(&self, f: &mut dyn FnMut(&Key, &Object)) {
        self.dict.for_each(f)
    }

    /// Every entry, expired or not, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Object)> {
        self.dict.iter()
    }

    /// A random key that is not expired (RANDOMKEY). Expired keys met on
    /// the way are deleted, as Redis does on a master; every round either
    /// returns or deletes a key, so a database of expired keys ends empty
    /// rather than spinning.
    pub fn random_key(&mut self, now_ms: i64, rng: &mut fastrand::Rng) -> Option<Key> {
        loop {
            let (key, obj) = self.dict.random_entry(rng)?;
            let key = key.clone();
            if !obj.has_flag(flags::HAS_EXPIRE) {
                return Some(key);
            }
            let hash = hash_key(key.as_bytes());
            if !self.expire_if_needed(hash, key.as_bytes(), now_ms) {
                return Some(key);
            }
        }
    }

    /// Bytes the key and expire tables take beyond the keys and values
    /// themselves (MEMORY STATS overhead.hashtable.main / .expires): a
    /// pointer per bucket and one boxed entry per key, value inline.
    pub fn table_overhead(&self) -> (usize, usize) {
        let word = std::mem::size_of::<usize>();
        let entry = |value: usize| {
            crate::alloc::size_class(word + std::mem::size_of::<Key>() + value, word)
        };
        let buckets = |d: (usize, usize)| (d.0 + d.1) * word;
        (
            self.dict.len() * entry(std::mem::size_of::<Object>()) + buckets(self.dict.sizes()),
            self.expires.len() * entry(std::mem::size_of::<i64>()) + buckets(self.expires.sizes()),
        )
    }

    /// Whether the key table is being rehashed (grown or shrunk).
    pub fn is_rehashing(&self) -> bool {
        self.dict.is_rehashing()
    }

    /// Incremental rehashing and shrinking, from the cron.
    pub fn maintain_tables(&mut self, rehash_buckets: usize) {
        self.dict.shrink_if_needed();
        self.expires.shrink_if_needed();
        self.dict.rehash(rehash_buckets);
        self.expires.rehash(rehash_buckets);
    }
}

/// All databases of the server.
pub struct Keyspace {
    pub dbs: Vec<Db>,
    /// The configuration generation the access policy was derived from,
    /// so the engine re-derives it only after the configuration changed.
    pub access_generation: Option<u64>,
}

impl Keyspace {
    pub fn new(databases: usize) -> Keyspace {
        Keyspace {
            dbs: (0..databases.max(1)).map(|_| Db::new()).collect(),
            access_generation: None,
        }
    }

    /// Applies an access policy to every database.
    pub fn set_access_policy(&mut self, policy: AccessPolicy) {
        for db in &mut self.dbs {
            db.access = policy;
        }
    }

    pub fn access_policy(&self) -> AccessPolicy {
        self.dbs.first().map(|d| d.access).unwrap_or_default()
    }

    /// Applies the lazyfree-lazy-* directives to every database.
    pub fn set_lazyfree_policy(&mut self, policy: lazyfree::Policy) {
        for db in &mut self.dbs {
            db.lazy = policy;
        }
    }

    pub fn stats(&self) -> DbStats {
        self.dbs.iter().fold(DbStats::default(), |a, d| DbStats {
            hits: a.hits + d.stats.hits,
            misses: a.misses + d.stats.misses,
            expired: a.expired + d.stats.expired,
        })
    }

    pub fn reset_stats(&mut self) {
        for db in &mut self.dbs {
            db.stats = DbStats::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn string(n: i64) -> Object {
        Object::string(Str::Int(n), 0)
    }

    #[test]
    fn lookups_count_statistics_as_redis() {
        let mut db = Db::new();
        db.add(b"a", string(1));
        db.add(b"x", string(2));
        db.set_expire(b"x", 10);
        assert!(db.get_notouch(b"a", 100).is_some());
        assert!(db.get_notouch(b"zz", 100).is_none());
        // An expired key is a miss, and is gone afterwards.
        assert!(db.get_notouch(b"x", 100).is_none());
        assert_eq!(
            (db.stats.hits, db.stats.misses, db.stats.expired),
            (1, 2, 1)
        );
        assert!(db.get_mut(b"a", 100).is_some());
        assert!(db.peek(b"a", 100).is_some());
        assert_eq!((db.stats.hits, db.stats.misses), (1, 2));
        assert_eq!(db.len(), 1);
    }

    #[test]
    fn delete_expires_first() {
        let mut db = Db::new();
        db.add(b"a", string(1));
        db.add(b"x", string(2));
        db.set_expire(b"x", 10);
        db.set_expire(b"a", 1000);
        assert!(!db.delete(b"x", 100));
        assert_eq!(db.stats.expired, 1);
        assert!(db.delete(b"a", 100));
        assert!(!db.delete(b"a", 100));
        assert_eq!((db.len(), db.expires_len()), (0, 0));
    }

    #[test]
    fn is_expired_does_not_delete() {
        let mut db = Db::new();
        db.add(b"x", string(2));
        db.set_expire(b"x", 10);
        let expired: Vec<bool> = db.iter().map(|(k, o)| db.is_expired(k, o, 100)).collect();
        assert_eq!(expired, [true]);
        assert_eq!(db.len(), 1);
        assert!(db.expire_if_due(b"x", 100));
        assert_eq!(db.len(), 0);
    }

    #[test]
    fn moved_values_drop_their_expire_flag() {
        let mut db = Db::new();
        db.add(b"a", string(1));
        db.set_expire(b"a", 1000);
        let obj = db.remove(b"a").unwrap();
        db.add_moved(b"b", obj);
        assert_eq!(db.expire_time(b"b"), None);
        // Without the flag, PERSIST has nothing to remove.
        assert!(!db.persist(b"b"));
        assert_eq!(db.expires_len(), 0);
    }

    #[test]
    fn lfu_overwrite_keeps_the_counter() {
        let mut ks = Keyspace::new(1);
        ks.set_access_policy(AccessPolicy {
            clock: AccessClock::Lfu {
                log_factor: 0,
                decay_minutes: 0,
            },
            share_integers: true,
        });
        let db = &mut ks.dbs[0];
        // Integers from 10,000 up: smaller ones share Redis's clock.
        db.set(b"k", string(100_001), false);
        let now = crate::util::now_ms();
        for _ in 0..3 {
            db.get(b"k", now);
        }
        let freq = |db: &mut Db| access::lfu_counter(db.peek(b"k", now).unwrap().clock(), 0, now);
        assert_eq!(freq(db), 8);
        // The overwrite's own lookup counts once; the counter carries over.
        db.set(b"k", string(100_002), false);
        assert_eq!(freq(db), 9);
        db.remove(b"k");
        db.add(b"k", string(100_003));
        assert_eq!(freq(db), access::LFU_INIT_VAL);
    }

    #[test]
    fn random_key_deletes_expired_keys_it_meets() {
        let mut db = Db::new();
        let mut rng = fastrand::Rng::with_seed(1);
        for i in 0..20 {
            let k = format!("k{i}");
            db.add(k.as_bytes(), string(i));
            db.set_expire(k.as_bytes(), 10);
        }
        db.add(b"live", string(0));
        assert_eq!(db.random_key(100, &mut rng), Some(Key::new(b"live")));
        db.remove(b"live");
        assert_eq!(db.random_key(100, &mut rng), None);
        assert!(db.is_empty());
    }

    /// SCAN's guarantee at the keyspace level: keys present throughout are
    /// returned while the table grows (mid-rehash) and shrinks again.
    #[test]
    fn scan_survives_rehashing() {
        let mut db = Db::new();
        for i in 0..300 {
            db.add(format!("keep{i}").as_bytes(), string(i));
        }
        let mut seen = HashSet::new();
        let (mut cursor, mut steps, mut mid_rehash) = (0, 0, 0);
        loop {
            mid_rehash += usize::from(db.is_rehashing());
            cursor = db.scan(cursor, &mut |k, _| {
                seen.insert(k.as_bytes().to_vec());
            });
            steps += 1;
            if steps == 3 {
                for i in 0..3000 {
                    db.add(format!("tmp{i}").as_bytes(), string(i));
                }
            }
            if steps == 60 {
                for i in 0..3000 {
                    db.remove(format!("tmp{i}").as_bytes());
                }
            }
            db.maintain_tables(1);
            if cursor == 0 {
                break;
            }
        }
        assert!(mid_rehash > 0);
        for i in 0..300 {
            assert!(seen.contains(format!("keep{i}").as_bytes()), "keep{i}");
        }
    }
}
