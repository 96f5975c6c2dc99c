//! Active expiry: Redis's activeExpireCycle, run from the cron.
//!
//! Lazy expiry alone would leave keys that nobody reads in memory forever,
//! so every cron tick walks a few buckets of each database's expires table
//! (resuming where the previous tick stopped), deletes what is due, and
//! repeats while more than 10% of the sampled keys were expired, within a
//! time budget of 25% of the tick.

use super::{Db, Keyspace, hash_key};
use std::time::{Duration, Instant};

/// Keys sampled per round and database (ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP).
const KEYS_PER_LOOP: usize = 20;
/// Keep going while more than this percentage of the sample was expired.
const ACCEPTABLE_STALE_PERCENT: usize = 10;

/// Runs one slow cycle over every database, starting after the one where
/// the previous call stopped. Returns the number of keys deleted.
pub fn active_expire_cycle(
    keyspace: &mut Keyspace,
    now_ms: i64,
    budget: Duration,
    next_db: &mut usize,
) -> u64 {
    let start = Instant::now();
    let n = keyspace.dbs.len();
    let mut total = 0;
    for _ in 0..n {
        let idx = *next_db % n;
        *next_db = (idx + 1) % n;
        let (expired, out_of_time) = expire_db(&mut keyspace.dbs[idx], now_ms, start, budget);
        total += expired;
        if out_of_time {
            break;
        }
    }
    total
}

/// Returns (keys expired, whether the time budget ran out).
fn expire_db(db: &mut Db, now_ms: i64, start: Instant, budget: Duration) -> (u64, bool) {
    let mut total = 0;
    let mut iteration = 0u32;
    let mut due = Vec::new();
    loop {
        let num = db.expires.len();
        if num == 0 {
            db.avg_ttl = 0;
            return (total, false);
        }
        iteration += 1;
        let num = num.min(KEYS_PER_LOOP);
        let max_buckets = num * 20;
        let (mut sampled, mut checked) = (0usize, 0usize);
        let (mut ttl_sum, mut ttl_samples) = (0i64, 0i64);
        due.clear();
        while sampled < num && checked < max_buckets {
            db.expires
                .visit_bucket(db.expire_cursor, &mut |key, &when| {
                    let ttl = when - now_ms;
                    if ttl <= 0 {
                        due.push(key.clone());
                    } else {
                        ttl_sum += ttl;
                        ttl_samples += 1;
                    }
                    sampled += 1;
                });
            checked += 1;
            db.expire_cursor = db.expire_cursor.wrapping_add(1);
        }
        let expired = due.len();
        for key in &due {
            let key = key.as_bytes();
            db.expire_if_needed(hash_key(key), key, now_ms);
        }
        total += expired as u64;
        if ttl_samples > 0 {
            let avg = ttl_sum / ttl_samples;
            db.avg_ttl = if db.avg_ttl == 0 {
                avg
            } else {
                (db.avg_ttl / 50) * 49 + avg / 50
            };
        }
        if iteration.is_multiple_of(16) && start.elapsed() > budget {
            return (total, true);
        }
        if sampled != 0 && expired * 100 / sampled <= ACCEPTABLE_STALE_PERCENT {
            return (total, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Object, Str};

    #[test]
    fn deletes_due_keys_and_keeps_the_rest() {
        let mut ks = Keyspace::new(2);
        let db = &mut ks.dbs[1];
        for i in 0..1000 {
            let key = format!("k{i}");
            db.set(key.as_bytes(), Object::string(Str::Int(i), 0), false);
            // Even keys are due, odd keys live for an hour.
            let when = if i % 2 == 0 { 500 } else { 3_600_000 };
            db.set_expire(key.as_bytes(), when);
        }
        let mut next = 0;
        let mut deleted = 0;
        for _ in 0..100 {
            deleted += active_expire_cycle(&mut ks, 1000, Duration::from_secs(1), &mut next);
        }
        assert_eq!(deleted, 500);
        assert_eq!(ks.dbs[1].len(), 500);
        assert_eq!(ks.dbs[1].expires_len(), 500);
        assert_eq!(ks.dbs[1].stats.expired, 500);
        assert!(ks.dbs[1].avg_ttl > 0);
    }
}
