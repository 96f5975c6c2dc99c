//! The keyspace: `databases` numbered dictionaries of keys, each with a
//! table of expire times, and the lookups every command goes through.
//!
//! Commands never touch a dict directly. They ask a [`Db`] for a key, and
//! the lookup applies lazy expiry (a key past its time is deleted the
//! moment anyone looks at it, as Redis's expireIfNeeded), keeps hit/miss
//! statistics and the access clock. Writes go through the same few
//! methods, which is where watched-key invalidation and keyspace
//! notifications hook in.

pub mod dict;
pub mod expire;
pub mod key;
pub mod value;

pub use dict::Dict;
pub use key::Key;
pub use value::{Object, Str, Value};

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
        if self.expires.is_empty() {
            return false;
        }
        match self.expires.get_hashed(hash, key) {
            Some(&when) if when <= now_ms => {
                self.dict.remove_hashed(hash, key);
                self.expires.remove_hashed(hash, key);
                self.stats.expired += 1;
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
            return None;
        }
        match self.dict.get_mut_hashed(hash, key) {
            Some(obj) => {
                self.stats.hits += 1;
                obj.touch(now_ms);
                Some(obj)
            }
            None => {
                self.stats.misses += 1;
                None
            }
        }
    }

    /// Looks a key up for writing: lazy expiry and the access clock, but no
    /// hit/miss counting (Redis's lookupKeyWrite).
    pub fn get_mut(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Object> {
        self.lookup(key, now_ms)
    }

    /// Lookup without touching the access clock or the statistics, for
    /// commands that inspect keys (TYPE, OBJECT, TTL use Redis's
    /// LOOKUP_NOTOUCH).
    pub fn peek(&mut self, key: &[u8], now_ms: i64) -> Option<&Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            return None;
        }
        self.dict.get_hashed(hash, key)
    }

    fn lookup(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Object> {
        let hash = hash_key(key);
        if self.expire_if_needed(hash, key, now_ms) {
            return None;
        }
        let obj = self.dict.get_mut_hashed(hash, key)?;
        obj.touch(now_ms);
        Some(obj)
    }

    /// Whether the key exists (after lazy expiry).
    pub fn contains(&mut self, key: &[u8], now_ms: i64) -> bool {
        self.peek(key, now_ms).is_some()
    }

    /// Sets a key to a new value, as SET does: any previous value is
    /// replaced and its expire time dropped unless `keep_ttl`.
    pub fn set(&mut self, key: &[u8], obj: Object, keep_ttl: bool) {
        self.set_hashed(hash_key(key), key, obj, keep_ttl);
    }

    /// Sets a key as Redis's setKey does when it has not looked the key up
    /// yet: a value past its expire time is deleted first (so KEEPTTL never
    /// keeps a dead key's TTL and the expired-keys count stays right), then
    /// the key is replaced or added, all with one hash of the key.
    pub fn set_live(&mut self, key: &[u8], obj: Object, keep_ttl: bool, now_ms: i64) {
        let hash = hash_key(key);
        self.expire_if_needed(hash, key, now_ms);
        self.set_hashed(hash, key, obj, keep_ttl);
    }

    fn set_hashed(&mut self, hash: u64, key: &[u8], mut obj: Object, keep_ttl: bool) {
        if let Some(old) = self.dict.get_mut_hashed(hash, key) {
            let had_expire = old.has_flag(flags::HAS_EXPIRE);
            if keep_ttl {
                obj.set_flag(flags::HAS_EXPIRE, had_expire);
                *old = obj;
            } else {
                *old = obj;
                if had_expire {
                    self.expires.remove_hashed(hash, key);
                }
            }
        } else {
            self.dict.insert_new(hash, Key::new(key), obj);
        }
    }

    /// Adds a key that the caller knows is absent (after a lookup).
    pub fn add(&mut self, key: &[u8], obj: Object) {
        self.dict.insert_new(hash_key(key), Key::new(key), obj);
    }

    /// Deletes a key; returns its value if it existed (expired or not).
    pub fn remove(&mut self, key: &[u8]) -> Option<Object> {
        let hash = hash_key(key);
        let obj = self.dict.remove_hashed(hash, key)?;
        if obj.has_flag(flags::HAS_EXPIRE) {
            self.expires.remove_hashed(hash, key);
        }
        Some(obj)
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
        self.dict.clear();
        self.expires.clear();
        self.expire_cursor = 0;
        self.avg_ttl = 0;
    }

    /// One SCAN step over the keys; see [`Dict::scan`].
    pub fn scan(&self, cursor: u64, f: &mut dyn FnMut(&Key, &Object)) -> u64 {
        self.dict.scan(cursor, f)
    }

    /// Every key (KEYS); expired keys are included and filtered by callers.
    pub fn for_each(&self, f: &mut dyn FnMut(&Key, &Object)) {
        self.dict.for_each(f)
    }

    /// A random key that is not expired (RANDOMKEY). Expired keys met on
    /// the way are deleted, as Redis does; if every key sampled so far has
    /// a TTL, give up after a while so a database full of keys that are
    /// all expired cannot spin forever.
    pub fn random_key(&mut self, now_ms: i64, rng: &mut fastrand::Rng) -> Option<Key> {
        let mut tries = 0;
        loop {
            let (key, obj) = self.dict.random_entry(rng)?;
            let key = key.clone();
            if !obj.has_flag(flags::HAS_EXPIRE) {
                return Some(key);
            }
            tries += 1;
            let when = self
                .expires
                .get(key.as_bytes())
                .copied()
                .unwrap_or(i64::MAX);
            if when > now_ms {
                return Some(key);
            }
            if tries > 100 && self.expires.len() == self.dict.len() {
                // Redis returns such a key rather than looping.
                return Some(key);
            }
            self.expire_if_needed(hash_key(key.as_bytes()), key.as_bytes(), now_ms);
        }
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
}

impl Keyspace {
    pub fn new(databases: usize) -> Keyspace {
        Keyspace {
            dbs: (0..databases.max(1)).map(|_| Db::new()).collect(),
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
