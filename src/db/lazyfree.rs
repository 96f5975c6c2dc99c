//! Lazy freeing: large values the keyspace lets go of are freed on one
//! long-lived background thread, as Redis's bio lazyfree thread does, so
//! deleting a collection of ten million elements costs the event loop a
//! channel send instead of ten million frees.
//!
//! Why a thread rather than freeing in bounded steps from the cron: a
//! value handed over is already unreachable (the key is gone at once, as
//! UNLINK promises), freeing needs no access to the keyspace, and the
//! counting allocator's relaxed atomics keep used_memory right whichever
//! thread frees. Steps would need a queue of half-freed values that every
//! collection type knows how to shrink a little at a time.
//!
//! Only values whose "free effort" (the allocations freeing them takes)
//! is above [`LAZYFREE_THRESHOLD`] go to the thread; freeing a small value
//! inline is cheaper than the send (Redis's lazyfreeGetFreeEffort). A
//! flushed database always goes, whatever its size, and is counted in
//! keys, as Redis's emptyDbAsync counts it.

use super::KeysOnly;
use super::set::Set;
use super::value::{Object, Value};
use super::zset::ZSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, OnceLock};

/// Values that take more allocations than this to free go to the thread
/// (Redis's LAZYFREE_THRESHOLD).
pub const LAZYFREE_THRESHOLD: usize = 64;

// Values cross to the lazyfree thread, so they must be Send: checked here
// at compile time rather than discovered at a call site.
const _: () = {
    const fn send<T: Send>() {}
    send::<Object>();
    send::<KeysOnly>();
};

/// Why a key's value is being let go of, which decides, with
/// [`Policy`], whether it may be freed lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    /// DEL and GETDEL: lazyfree-lazy-user-del.
    UserDel,
    /// UNLINK: always lazily.
    Unlink,
    /// A value a command deletes or overwrites on its own (SET over a
    /// key, RENAME's target, an empty STORE result; Redis's dbDelete and
    /// dbOverwrite): lazyfree-lazy-server-del.
    ServerDel,
    /// Lazy or active expiry, or an expire time already past:
    /// lazyfree-lazy-expire.
    Expire,
    /// maxmemory eviction: lazyfree-lazy-eviction.
    Eviction,
}

/// The lazyfree-lazy-* directives the keyspace applies on its own (the
/// flush directive is the FLUSH commands' to read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub user_del: bool,
    pub server_del: bool,
    pub expire: bool,
    pub eviction: bool,
}

impl Policy {
    /// Whether a value let go of for this reason may go to the thread.
    pub fn lazy(self, why: Deletion) -> bool {
        match why {
            Deletion::UserDel => self.user_del,
            Deletion::Unlink => true,
            Deletion::ServerDel => self.server_del,
            Deletion::Expire => self.expire,
            Deletion::Eviction => self.eviction,
        }
    }
}

/// How many allocations freeing the value takes, in ferredis's own
/// representations: a list's nodes (each a listpack, as Redis counts a
/// quicklist's nodes), a hashtable set's or hash's entries, a skiplist
/// zset's members, a stream's blocks plus its groups times the first
/// group's PEL (Redis's own estimate, which stays O(1) by looking at one
/// group). A string, listpack or intset is one block: 1.
pub fn free_effort(obj: &Object) -> usize {
    match &obj.value {
        Value::Str(_) => 1,
        Value::List(list) => list.nodes().len(),
        Value::Hash(hash) if hash.is_listpack() => 1,
        Value::Hash(hash) => hash.len(),
        Value::Set(set) => match &**set {
            Set::Intset(_) => 1,
            Set::Table(table) => table.len(),
        },
        Value::ZSet(zset) => match &**zset {
            ZSet::Listpack(_) => 1,
            ZSet::Skiplist(index) => index.len(),
        },
        Value::Stream(stream) => {
            let groups = stream.groups.len();
            let pel = stream.groups.values().next().map_or(0, |g| g.pel.len());
            stream
                .node_count()
                .saturating_add(groups.saturating_mul(1 + pel))
        }
    }
}

/// What the thread is asked to free.
enum Job {
    Value(Object),
    /// A flushed database and its key count.
    Keys(KeysOnly, usize),
}

/// The counters INFO reports, shared with the thread.
#[derive(Default)]
struct Counters {
    /// Objects handed over and not freed yet (lazyfree_pending_objects).
    pending: AtomicUsize,
    /// Objects freed by the thread (lazyfreed_objects; RESETSTAT zeroes it).
    freed: AtomicU64,
    /// Jobs the thread finished; jobs finish in the order they were
    /// sent, so eviction can wait for the ones it queued (see
    /// [`LazyFree::jobs_sent`]).
    jobs_done: AtomicU64,
}

/// The background thread and its counters.
pub struct LazyFree {
    /// `None` when no thread could be started: everything is then freed
    /// inline, and nothing counts as lazily freed.
    tx: Option<Sender<Job>>,
    counters: Arc<Counters>,
    /// Jobs sent so far. Only the event loop's thread sends, but the
    /// handle is shared, hence an atomic.
    jobs_sent: AtomicU64,
}

impl LazyFree {
    /// Starts the thread (or, if it cannot be had, an inline freer).
    pub fn start() -> LazyFree {
        let counters = Arc::new(Counters::default());
        let (tx, rx) = channel::<Job>();
        let shared = Arc::clone(&counters);
        let worker = move || {
            for job in rx {
                let objects = match job {
                    Job::Value(obj) => {
                        drop(obj);
                        1
                    }
                    Job::Keys(keys, n) => {
                        drop(keys);
                        n
                    }
                };
                shared.pending.fetch_sub(objects, Ordering::Relaxed);
                shared.freed.fetch_add(objects as u64, Ordering::Relaxed);
                shared.jobs_done.fetch_add(1, Ordering::Release);
            }
        };
        let started = std::thread::Builder::new()
            .name("lazyfree".into())
            .spawn(worker)
            .is_ok();
        if !started {
            log::warn!("Could not start the lazyfree thread: values are freed inline");
        }
        LazyFree {
            tx: started.then_some(tx),
            counters,
            jobs_sent: AtomicU64::new(0),
        }
    }

    /// Frees the value on the thread if it is worth it, else right here
    /// (Redis's freeObjAsync).
    pub fn free_object(&self, obj: Object) {
        if free_effort(&obj) > LAZYFREE_THRESHOLD {
            self.send(Job::Value(obj), 1);
        }
    }

    /// Frees a flushed database's keys on the thread (Redis's
    /// emptyDbAsync); an empty one is simply dropped.
    pub fn free_keys(&self, keys: KeysOnly, count: usize) {
        if count > 0 {
            self.send(Job::Keys(keys, count), count);
        }
    }

    fn send(&self, job: Job, objects: usize) {
        let Some(tx) = &self.tx else {
            return;
        };
        // Counted before the send, so the thread never subtracts first.
        self.counters.pending.fetch_add(objects, Ordering::Relaxed);
        match tx.send(job) {
            Ok(()) => {
                self.jobs_sent.fetch_add(1, Ordering::Relaxed);
            }
            // The thread is gone: the job comes back and is dropped here.
            Err(returned) => {
                self.counters.pending.fetch_sub(objects, Ordering::Relaxed);
                drop(returned);
            }
        }
    }

    /// lazyfree_pending_objects.
    pub fn pending(&self) -> usize {
        self.counters.pending.load(Ordering::Relaxed)
    }

    /// lazyfreed_objects.
    pub fn freed(&self) -> u64 {
        self.counters.freed.load(Ordering::Relaxed)
    }

    /// CONFIG RESETSTAT (Redis's lazyfreeResetStats).
    pub fn reset_stats(&self) {
        self.counters.freed.store(0, Ordering::Relaxed);
    }

    /// How many jobs were sent so far: a ticket that
    /// [`is_done`](Self::is_done) answers for once the thread has freed
    /// everything sent up to it.
    pub fn jobs_sent(&self) -> u64 {
        self.jobs_sent.load(Ordering::Relaxed)
    }

    /// Whether every job up to `ticket` (a [`jobs_sent`](Self::jobs_sent)
    /// value) has been freed.
    pub fn is_done(&self, ticket: u64) -> bool {
        self.counters.jobs_done.load(Ordering::Acquire) >= ticket
    }
}

/// The server's one lazyfree thread, started on first use.
pub fn global() -> &'static LazyFree {
    static LAZYFREE: OnceLock<LazyFree> = OnceLock::new();
    LAZYFREE.get_or_init(LazyFree::start)
}

/// Lets go of a value: to the thread when `lazy` and it is big enough,
/// otherwise freed right here.
pub fn release(obj: Object, lazy: bool) {
    if lazy {
        global().free_object(obj);
    } else {
        drop(obj);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, Str};

    fn table_set(members: usize) -> Object {
        let mut set = Set::for_first(b"m");
        for i in 0..members {
            set.add(format!("m{i}").as_bytes(), 512);
        }
        Object::new(Value::Set(Box::new(set)), 0)
    }

    fn wait_done(lf: &LazyFree) {
        let ticket = lf.jobs_sent();
        for _ in 0..10_000 {
            if lf.is_done(ticket) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        panic!("lazyfree thread did not finish");
    }

    #[test]
    fn effort_counts_allocations_of_each_encoding() {
        assert_eq!(free_effort(&Object::string(Str::Int(5), 0)), 1);
        assert_eq!(free_effort(&table_set(65)), 65);
        let ints = Set::for_first(b"1");
        assert_eq!(free_effort(&Object::new(Value::Set(Box::new(ints)), 0)), 1);
    }

    #[test]
    fn only_values_above_the_threshold_go_to_the_thread() {
        let lf = LazyFree::start();
        // 64 is not above the threshold: freed inline, as Redis does.
        lf.free_object(table_set(64));
        lf.free_object(Object::string(Str::Int(1), 0));
        assert_eq!(lf.jobs_sent(), 0);
        lf.free_object(table_set(65));
        assert_eq!(lf.jobs_sent(), 1);
        wait_done(&lf);
        assert_eq!((lf.pending(), lf.freed()), (0, 1));
        lf.reset_stats();
        assert_eq!(lf.freed(), 0);
    }

    #[test]
    fn flushed_databases_count_their_keys() {
        let lf = LazyFree::start();
        let mut db = Db::new();
        for i in 0..3 {
            db.add(format!("k{i}").as_bytes(), Object::string(Str::Int(i), 0));
        }
        lf.free_keys(db.take_keys(), 3);
        lf.free_keys(Db::new().take_keys(), 0);
        wait_done(&lf);
        assert_eq!((lf.pending(), lf.freed(), lf.jobs_sent()), (0, 3, 1));
    }
}
