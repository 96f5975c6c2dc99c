//! maxmemory: before a command runs, keys are evicted until memory is
//! back under the limit (Redis's performEvictions), and when nothing can
//! be evicted, commands that may grow memory are refused with OOM.
//!
//! What counts is used_memory (crate::alloc's counter, so the check is a
//! load and a comparison) minus the memory Redis leaves out: the AOF
//! buffer, which is freed by writing it, not by evicting keys (replica
//! buffers would count here too; ferredis has no replicas). Client query
//! and output buffers count, as in Redis, but are never evicted as keys.
//!
//! One call evicts until enough is freed, checking the clock every 16
//! keys against the time maxmemory-eviction-tenacity allows; when time
//! runs out the rest is left to the event loop, which calls
//! [`Engine::eviction_proc`] on every turn until memory is under the
//! limit (Redis's evictionTimeProc).
//!
//! Under lazyfree-lazy-eviction a big value is handed to the lazyfree
//! thread, so the memory it holds comes back after the eviction, not
//! during it. Redis keeps evicting meanwhile (checking memory every 16
//! keys), which can evict many more keys than needed while one large
//! value is still being freed. ferredis instead waits for the value it
//! queued: briefly, within the call's time limit, then from the event
//! loop, picking no new victim until the thread has freed it.

use super::table::flag;
use super::{ClientState, CmdError, CmdResult, Engine};
use crate::db::evict::{Policy, Pool, Scoring};
use bytes::Bytes;
use std::time::{Duration, Instant};

pub const OOM: CmdError = CmdError::text("OOM command not allowed when used memory > 'maxmemory'.");

/// What one round of eviction achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Memory is under the limit.
    Ok,
    /// Time ran out; the event loop goes on evicting.
    Running,
    /// Over the limit with nothing (more) to evict.
    Fail,
}

/// Eviction's state between calls.
#[derive(Default)]
pub struct Eviction {
    /// The best candidates sampled so far, kept across calls.
    pool: Pool,
    /// Where the random policies look next.
    next_db: usize,
    /// INFO stats evicted_keys.
    pub evicted_keys: u64,
    /// Since when memory has been over the limit, if it is.
    exceeded_since: Option<Instant>,
    /// Microseconds spent over the limit before the current stretch.
    exceeded_total_us: u64,
    /// The event loop must keep evicting (a call ran out of time, or
    /// maxmemory was just lowered).
    pub running: bool,
    /// A lazyfree ticket (db::lazyfree) for the value eviction last
    /// queued, while the thread has not freed it yet.
    awaiting_lazyfree: Option<u64>,
}

impl Eviction {
    /// CONFIG RESETSTAT: the counters start over.
    pub fn reset_stats(&mut self) {
        self.evicted_keys = 0;
        self.exceeded_total_us = 0;
        if self.exceeded_since.is_some() {
            self.exceeded_since = Some(Instant::now());
        }
    }

    /// INFO's total and current eviction_exceeded_time, in ms.
    pub fn exceeded_ms(&self) -> (u64, u64) {
        let current = self
            .exceeded_since
            .map_or(0, |t| t.elapsed().as_micros() as u64);
        ((self.exceeded_total_us + current) / 1000, current / 1000)
    }
}

/// How long one call may evict (Redis's evictionTimeLimitUs): 50 µs per
/// tenacity step up to 10, then 15% more per step, unlimited at 100.
fn time_limit_us(tenacity: i64) -> u64 {
    match tenacity {
        ..=10 => 50 * tenacity.max(0) as u64,
        11..=99 => (500.0 * 1.15f64.powi((tenacity - 10) as i32)) as u64,
        _ => u64::MAX,
    }
}

/// The longest [`Engine::cant_free`] waits for the lazyfree thread.
const MAX_LAZYFREE_PAUSE_US: u64 = 10_000;

/// Waits, within the call's time limit, for the lazyfree thread to free
/// everything up to `ticket`; true if it did.
fn wait_for_lazyfree(ticket: u64, start: Instant, limit_us: u64) -> bool {
    let lazyfree = crate::db::lazyfree::global();
    loop {
        if lazyfree.is_done(ticket) {
            return true;
        }
        if start.elapsed().as_micros() as u64 >= limit_us {
            return false;
        }
        std::thread::sleep(Duration::from_micros(20));
    }
}

impl Engine {
    /// Memory maxmemory does not count (INFO mem_not_counted_for_evict).
    pub fn mem_not_counted_for_evict(&self) -> usize {
        self.aof.buf.capacity()
    }

    /// How many bytes must go to be under maxmemory; None when under it
    /// (Redis's getMaxmemoryState). The common case is one comparison.
    fn memory_to_free(&self) -> Option<usize> {
        let limit = usize::try_from(self.config.maxmemory).unwrap_or(usize::MAX);
        let used = crate::alloc::used_memory();
        if limit == 0 || used <= limit {
            return None;
        }
        let used = used.saturating_sub(self.mem_not_counted_for_evict());
        (used > limit).then(|| used - limit)
    }

    /// The maxmemory step of running a command (Redis's processCommand):
    /// evict as needed, then refuse a command that may use more memory if
    /// still over the limit. Inside MULTI every command but EXEC, DISCARD,
    /// QUIT and RESET counts as one, since queueing takes memory too.
    pub(super) fn check_maxmemory(
        &mut self,
        client: &mut ClientState,
        cmd: &super::table::Command,
        full_name: &str,
    ) -> CmdResult {
        if self.config.maxmemory == 0 {
            return Ok(());
        }
        let out_of_memory = self.perform_evictions() == Outcome::Fail;
        if !out_of_memory {
            return Ok(());
        }
        let exec = full_name == "exec";
        let denyoom =
            cmd.has(flag::DENYOOM) || (exec && self.any_flag(&client.queued, flag::DENYOOM));
        let queueing =
            client.in_multi && !matches!(full_name, "exec" | "discard" | "quit" | "reset");
        if !(denyoom || queueing) {
            return Ok(());
        }
        if exec && client.in_multi {
            // Redis's execCommandAbort: the transaction is discarded,
            // naming the reason.
            client.reset_multi();
            self.watches.unwatch_all(client.id);
            return Err(CmdError::msg(format!(
                "EXECABORT Transaction discarded because of: {}",
                String::from_utf8_lossy(OOM.as_bytes())
            )));
        }
        Err(OOM)
    }

    /// Evicts keys until memory is under maxmemory, the policy forbids
    /// it, nothing is left to evict or the time limit is reached.
    pub fn perform_evictions(&mut self) -> Outcome {
        // Loading an AOF replays what was there; nothing may go missing.
        if self.loading {
            return Outcome::Ok;
        }
        let Some(mut to_free) = self.memory_to_free() else {
            return self.eviction_metrics(Outcome::Ok);
        };
        let policy = Policy::from_name(self.config.maxmemory_policy);
        if policy == Policy::NoEviction {
            return self.eviction_metrics(Outcome::Fail);
        }
        let limit_us = time_limit_us(self.config.maxmemory_eviction_tenacity);
        let start = Instant::now();
        let lazyfree = crate::db::lazyfree::global();
        if let Some(ticket) = self.eviction.awaiting_lazyfree {
            if !lazyfree.is_done(ticket) {
                self.eviction.running = true;
                return self.eviction_metrics(Outcome::Running);
            }
            self.eviction.awaiting_lazyfree = None;
            // What the thread freed may be all that was missing.
            match self.memory_to_free() {
                Some(left) => to_free = left,
                None => return self.eviction_metrics(Outcome::Ok),
            }
        }
        let lazy = self.config.lazyfree_lazy_eviction;
        let (mut freed, mut keys) = (0usize, 0u64);
        while freed < to_free {
            let Some((db, key)) = self.pick_victim(policy) else {
                return self.cant_free(limit_us);
            };
            self.propagate_eviction(db, &key);
            let before = crate::alloc::used_memory();
            let sent = lazyfree.jobs_sent();
            self.keyspace.dbs[db].evict(&key);
            drop(key);
            freed += before.saturating_sub(crate::alloc::used_memory());
            self.eviction.evicted_keys += 1;
            keys += 1;
            if lazyfree.jobs_sent() != sent {
                let ticket = lazyfree.jobs_sent();
                if !wait_for_lazyfree(ticket, start, limit_us) {
                    self.eviction.awaiting_lazyfree = Some(ticket);
                    self.eviction.running = true;
                    break;
                }
                // Freed within the time limit: measure again from here.
                let Some(left) = self.memory_to_free() else {
                    break;
                };
                (to_free, freed) = (left, 0);
                continue;
            }
            if keys % 16 == 0 {
                // Other lazily freed values return memory all along
                // (Redis's check under lazyfree-lazy-eviction).
                if lazy && self.memory_to_free().is_none() {
                    break;
                }
                if start.elapsed().as_micros() as u64 > limit_us {
                    self.eviction.running = true;
                    break;
                }
            }
        }
        let outcome = if self.eviction.running {
            Outcome::Running
        } else {
            Outcome::Ok
        };
        self.eviction_metrics(outcome)
    }

    /// Nothing (more) to evict, still over the limit: values the lazyfree
    /// thread is freeing may be enough, so wait for them a moment, as
    /// Redis does, before refusing commands.
    fn cant_free(&mut self, limit_us: u64) -> Outcome {
        let lazyfree = crate::db::lazyfree::global();
        let mut outcome = Outcome::Fail;
        if lazyfree.pending() > 0 {
            // Redis sleeps the whole limit; unlimited tenacity gets a
            // bounded pause here rather than a hang.
            std::thread::sleep(Duration::from_micros(limit_us.min(MAX_LAZYFREE_PAUSE_US)));
            if self.memory_to_free().is_none() {
                outcome = Outcome::Ok;
            }
        }
        self.eviction_metrics(outcome)
    }

    /// Whether eviction waits for the lazyfree thread, so the event loop
    /// may poll with a short timeout instead of spinning.
    pub fn eviction_awaits_lazyfree(&self) -> bool {
        self.eviction.awaiting_lazyfree.is_some()
    }

    /// A new maxmemory (CONFIG SET): warn when it is already exceeded,
    /// and let the event loop evict down to it without waiting for a
    /// command (Redis's updateMaxmemory).
    pub fn maxmemory_changed(&mut self) {
        let limit = usize::try_from(self.config.maxmemory).unwrap_or(usize::MAX);
        if limit == 0 {
            return;
        }
        let used = crate::alloc::used_memory().saturating_sub(self.mem_not_counted_for_evict());
        if limit < used {
            log::warn!(
                "WARNING: the new maxmemory value set via CONFIG SET ({limit}) is smaller than the current memory usage ({used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy."
            );
        }
        self.eviction.running = true;
    }

    /// One turn of the event loop's eviction, while one is running; the
    /// keyspace events it recorded are the caller's to drain.
    pub fn eviction_proc(&mut self) {
        self.eviction.running = false;
        // Cleared first: the call sets it again if time runs out.
        self.perform_evictions();
    }

    /// Keeps the time spent over the limit (INFO
    /// total/current_eviction_exceeded_time).
    fn eviction_metrics(&mut self, outcome: Outcome) -> Outcome {
        let e = &mut self.eviction;
        match (outcome, e.exceeded_since) {
            (Outcome::Ok, Some(since)) => {
                e.exceeded_total_us += since.elapsed().as_micros() as u64;
                e.exceeded_since = None;
            }
            (Outcome::Running | Outcome::Fail, None) => e.exceeded_since = Some(Instant::now()),
            _ => {}
        }
        outcome
    }

    /// The next key to evict and its database, or None when the policy
    /// finds nothing to evict in any database.
    fn pick_victim(&mut self, policy: Policy) -> Option<(usize, Bytes)> {
        let volatile = policy.volatile();
        let dbs = self.keyspace.dbs.len();
        if !policy.uses_pool() {
            for _ in 0..dbs {
                self.eviction.next_db = (self.eviction.next_db + 1) % dbs;
                let db = &self.keyspace.dbs[self.eviction.next_db];
                if db.eviction_candidates(volatile) != 0 {
                    let key = db.random_candidate(volatile, &mut self.rng)?;
                    return Some((self.eviction.next_db, key));
                }
            }
            return None;
        }
        let scoring = Scoring {
            policy,
            now_ms: crate::util::now_ms(),
            decay_minutes: u32::try_from(self.config.lfu_decay_time).unwrap_or(0),
        };
        let samples = usize::try_from(self.config.maxmemory_samples).unwrap_or(5);
        loop {
            let mut total = 0;
            for (i, db) in self.keyspace.dbs.iter().enumerate() {
                let keys = db.eviction_candidates(volatile);
                if keys != 0 {
                    db.populate_pool(i, &mut self.eviction.pool, scoring, samples, &mut self.rng);
                    total += keys;
                }
            }
            if total == 0 {
                return None;
            }
            // Best first; keys deleted since they were pooled are skipped.
            while let Some(c) = self.eviction.pool.pop_best() {
                if self.keyspace.dbs[c.db].still_candidate(&c.key, volatile) {
                    return Some((c.db, c.key));
                }
            }
        }
    }

    /// An evicted key is a DEL (UNLINK with lazyfree-lazy-eviction) in
    /// the AOF, as Redis's propagateDeletion logs it.
    fn propagate_eviction(&mut self, db: usize, key: &[u8]) {
        if !self.aof.feeding() {
            return;
        }
        let lazy = self.config.lazyfree_lazy_eviction;
        let name: &[u8] = if lazy { b"UNLINK" } else { b"DEL" };
        self.propagate_expired();
        self.feed_op(db, &[name, key]);
    }

    /// Whether any of these commands (a transaction's queue) has `f`.
    fn any_flag(&self, commands: &[Vec<Bytes>], f: u32) -> bool {
        commands.iter().any(|args| {
            let id = self.commands.lookup_id(args).ok();
            id.and_then(|id| self.commands.entry(id))
                .is_some_and(|e| e.cmd.has(f))
        })
    }
}

#[cfg(test)]
mod tests;
