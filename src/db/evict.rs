//! Choosing which keys to evict when memory passes maxmemory, as Redis's
//! evict.c approximates it: no key is ever ordered by access, instead a
//! few keys are sampled from every database (maxmemory-samples each) and
//! scored, and the best candidates seen so far wait in a small pool kept
//! across evictions, which makes the approximation close to true LRU
//! (or LFU, or nearest expiry) at the cost of a handful of lookups.
//!
//! The score says how much a key deserves eviction, higher first: idle
//! milliseconds under LRU, 255 minus the decayed counter under LFU, and
//! under volatile-ttl the distance of its expire time from the end of
//! time, so the nearest expiry scores highest.

use super::access::lfu_counter;
use super::{Db, KeyEvent};
use bytes::Bytes;

/// maxmemory-policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    NoEviction,
    AllKeysLru,
    VolatileLru,
    AllKeysLfu,
    VolatileLfu,
    AllKeysRandom,
    VolatileRandom,
    VolatileTtl,
}

impl Policy {
    /// The policy a config value names (the table accepts only these).
    pub fn from_name(name: &str) -> Policy {
        match name {
            "allkeys-lru" => Policy::AllKeysLru,
            "volatile-lru" => Policy::VolatileLru,
            "allkeys-lfu" => Policy::AllKeysLfu,
            "volatile-lfu" => Policy::VolatileLfu,
            "allkeys-random" => Policy::AllKeysRandom,
            "volatile-random" => Policy::VolatileRandom,
            "volatile-ttl" => Policy::VolatileTtl,
            _ => Policy::NoEviction,
        }
    }

    /// Whether only keys with an expire time may be evicted.
    pub fn volatile(self) -> bool {
        matches!(
            self,
            Policy::VolatileLru
                | Policy::VolatileLfu
                | Policy::VolatileRandom
                | Policy::VolatileTtl
        )
    }

    /// Whether candidates are scored through the pool (all but random).
    pub fn uses_pool(self) -> bool {
        !matches!(
            self,
            Policy::NoEviction | Policy::AllKeysRandom | Policy::VolatileRandom
        )
    }
}

/// How many candidates the pool keeps (Redis's EVPOOL_SIZE).
pub const POOL_SIZE: usize = 16;

/// One candidate: a key, its database and its score when sampled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub score: u64,
    pub db: usize,
    pub key: Bytes,
}

/// The best candidates sampled so far, in ascending order of score: the
/// next key to evict is the last.
#[derive(Default)]
pub struct Pool {
    entries: Vec<Candidate>,
}

impl Pool {
    /// Offers a sampled key. A full pool takes it only if it beats the
    /// weakest entry, which then leaves; ties go before existing entries
    /// of the same score, as Redis's insertion does.
    /// The key is read only once it is known to enter: a long key's bytes
    /// are a cache miss away, and most samples don't beat a full pool.
    pub fn offer(&mut self, score: u64, db: usize, key: impl AsRef<[u8]>) {
        let at = self.entries.partition_point(|c| c.score < score);
        if at == 0 && self.entries.len() == POOL_SIZE {
            return;
        }
        self.entries.insert(
            at,
            Candidate {
                score,
                db,
                key: Bytes::copy_from_slice(key.as_ref()),
            },
        );
        if self.entries.len() > POOL_SIZE {
            self.entries.remove(0);
        }
    }

    /// Takes the best candidate out.
    pub fn pop_best(&mut self) -> Option<Candidate> {
        self.entries.pop()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What scoring a key needs to know besides the key.
#[derive(Debug, Clone, Copy)]
pub struct Scoring {
    pub policy: Policy,
    pub now_ms: i64,
    /// lfu-decay-time, for the LFU counter's decay.
    pub decay_minutes: u32,
}

impl Db {
    /// How many keys the policy may evict here: every key, or only those
    /// with an expire time.
    pub fn eviction_candidates(&self, volatile: bool) -> usize {
        if volatile {
            self.expires.len()
        } else {
            self.dict.len()
        }
    }

    /// Samples `samples` keys of this database (database number `db`)
    /// and offers each to the pool with its score (Redis's
    /// evictionPoolPopulate).
    pub fn populate_pool(
        &self,
        db: usize,
        pool: &mut Pool,
        scoring: Scoring,
        samples: usize,
        rng: &mut fastrand::Rng,
    ) {
        let now = scoring.now_ms;
        let lfu = matches!(scoring.policy, Policy::AllKeysLfu | Policy::VolatileLfu);
        let score = |obj: &super::Object| {
            if lfu {
                255 - u64::from(lfu_counter(obj.clock(), scoring.decay_minutes, now))
            } else {
                obj.idle_ms(now) as u64
            }
        };
        match scoring.policy {
            Policy::VolatileTtl => {
                self.expires.sample(samples, rng, &mut |key, &when| {
                    pool.offer(u64::MAX - when as u64, db, key);
                });
            }
            // The expires table holds only deadlines: the key's clock is
            // in the main table, one lookup away (as in Redis).
            Policy::VolatileLru | Policy::VolatileLfu => {
                self.expires.sample(samples, rng, &mut |key, _| {
                    if let Some(obj) = self.dict.get(key.as_bytes()) {
                        pool.offer(score(obj), db, key);
                    }
                });
            }
            _ => {
                self.dict.sample(samples, rng, &mut |key, obj| {
                    pool.offer(score(obj), db, key);
                });
            }
        }
    }

    /// Whether a pooled key is still here to evict (it may have been
    /// deleted, or lost its expire time, since it was sampled).
    pub fn still_candidate(&self, key: &[u8], volatile: bool) -> bool {
        if volatile {
            self.expires.contains_key(key)
        } else {
            self.dict.contains_key(key)
        }
    }

    /// A random key for the random policies (Redis's dictGetRandomKey on
    /// the keys or the expires).
    pub fn random_candidate(&self, volatile: bool, rng: &mut fastrand::Rng) -> Option<Bytes> {
        let key = if volatile {
            self.expires.random_entry(rng).map(|(k, _)| k)
        } else {
            self.dict.random_entry(rng).map(|(k, _)| k)
        };
        key.map(|k| Bytes::copy_from_slice(k.as_bytes()))
    }

    /// Deletes a key chosen for eviction and records the `evicted` event,
    /// which the engine turns into WATCH invalidation and the keyspace
    /// notification like every other keyspace event. The value is freed
    /// here (or handed to the lazyfree thread under
    /// lazyfree-lazy-eviction), so the caller can measure what it freed.
    pub fn evict(&mut self, key: &[u8]) -> bool {
        let found = self.discard(key, super::Deletion::Eviction);
        if found {
            self.log_event(KeyEvent::Evicted, key);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Object, Str};

    fn scores(pool: &Pool) -> Vec<u64> {
        pool.entries.iter().map(|c| c.score).collect()
    }

    #[test]
    fn pool_keeps_the_sixteen_best_in_order() {
        let mut pool = Pool::default();
        for s in [5, 1, 9, 3] {
            pool.offer(s, 0, format!("k{s}").as_bytes());
        }
        assert_eq!(scores(&pool), [1, 3, 5, 9]);
        for s in 100..120 {
            pool.offer(s, 0, b"x");
        }
        assert_eq!(pool.len(), POOL_SIZE);
        assert_eq!(scores(&pool), (104..120).collect::<Vec<_>>());
        // Weaker than the weakest of a full pool: not taken.
        pool.offer(50, 0, b"weak");
        assert_eq!(scores(&pool)[0], 104);
        // A better one pushes the weakest out.
        pool.offer(110, 1, b"mid");
        assert_eq!(scores(&pool)[0], 105);
        assert_eq!(pool.pop_best().map(|c| c.score), Some(119));
    }

    #[test]
    fn lru_sampling_finds_the_idlest_keys() {
        let mut db = Db::new();
        let now = 1_000_000_000;
        for i in 0..1000i64 {
            // Idle time grows with i: key 999 was touched longest ago.
            db.add(
                format!("k{i}").as_bytes(),
                Object::string(Str::Int(100_000 + i), now - i * 1000),
            );
        }
        let scoring = Scoring {
            policy: Policy::AllKeysLru,
            now_ms: now,
            decay_minutes: 1,
        };
        let mut pool = Pool::default();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..40 {
            db.populate_pool(0, &mut pool, scoring, 5, &mut rng);
        }
        // 200 samples of 1000 keys: the best is among the idlest tenth.
        let best = pool.pop_best().unwrap();
        assert!(best.score >= 900_000, "{best:?}");
        assert!(db.still_candidate(&best.key, false));
        assert!(db.evict(&best.key));
        assert!(!db.still_candidate(&best.key, false));
    }

    #[test]
    fn volatile_policies_sample_only_keys_with_a_ttl() {
        let mut db = Db::new();
        for i in 0..100i64 {
            db.add(format!("p{i}").as_bytes(), Object::string(Str::Int(i), 0));
        }
        for i in 0..3i64 {
            let k = format!("v{i}");
            db.add(k.as_bytes(), Object::string(Str::Int(i), 0));
            db.set_expire(k.as_bytes(), 5_000 + i);
        }
        assert_eq!(db.eviction_candidates(true), 3);
        let scoring = Scoring {
            policy: Policy::VolatileTtl,
            now_ms: 0,
            decay_minutes: 1,
        };
        let mut pool = Pool::default();
        let mut rng = fastrand::Rng::with_seed(1);
        db.populate_pool(0, &mut pool, scoring, 50, &mut rng);
        // The nearest expiry scores highest.
        assert_eq!(pool.pop_best().map(|c| c.key), Some(Bytes::from("v0")));
        while let Some(c) = pool.pop_best() {
            assert!(c.key.starts_with(b"v"));
        }
        for _ in 0..20 {
            let k = db.random_candidate(true, &mut rng).unwrap();
            assert!(k.starts_with(b"v"));
        }
    }
}
