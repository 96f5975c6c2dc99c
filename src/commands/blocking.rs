//! Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), served inside
//! the event loop without a thread and without polling.
//!
//! A blocking command that finds nothing to take records, in the client's
//! state, which keys it waits on, until when, and its own arguments; the
//! client joins the back of each key's queue and the event loop stops
//! reading its requests. Clients only wait on missing keys, so a key
//! becomes ready when it is created: the keyspace records creations while
//! anyone is blocked (as Redis's dbAdd signals), and SWAPDB signals every
//! waited-on key. After every command the engine serves ready keys: it
//! runs each waiting client's command again, restricted to the ready key,
//! in the order they blocked, for as long as the key has data — a served
//! BLMOVE may create another key and wake its waiters in turn. Deadlines are kept in order so the loop can sleep
//! exactly until the next one (timeouts have millisecond precision).

use super::{ClientState, Clients, CmdError, Ctx, Engine, NoClients};
use crate::protocol::ReplyBuffer;
use bytes::Bytes;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// What a blocked client waits for: which type of value makes its keys
/// ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    List,
    ZSet,
    /// XREAD/XREADGROUP: the key usually exists already, so XADD (and
    /// XGROUP DESTROY) signal it; whether the waiter can be served depends
    /// on the ID it waits for, kept in its arguments.
    Stream,
}

/// A blocked client's command, kept until it can be served.
#[derive(Debug, Clone)]
pub struct BlockedOn {
    pub kind: BlockKind,
    pub db: usize,
    pub keys: Vec<Bytes>,
    /// Unix ms when it times out; `None` waits forever (timeout 0).
    pub deadline: Option<i64>,
    /// The command, run again once a key has data.
    pub args: Vec<Bytes>,
}

type DbKey = (usize, Bytes);

/// Every blocked client, by key and by deadline.
#[derive(Default)]
pub struct Blocking {
    /// Client ids waiting on each key, in the order they blocked.
    waiting: HashMap<DbKey, VecDeque<u64>>,
    /// Keys given data while clients wait on them, oldest first.
    ready: VecDeque<DbKey>,
    ready_set: HashSet<DbKey>,
    /// (deadline, client id) of the clients that can time out.
    deadlines: BTreeSet<(i64, u64)>,
    blocked: usize,
    /// Whether the databases record created keys (while anyone blocks).
    tracking: bool,
}

impl Blocking {
    /// Number of blocked clients (INFO blocked_clients).
    pub fn count(&self) -> usize {
        self.blocked
    }

    fn register(&mut self, id: u64, b: &BlockedOn) {
        for key in &b.keys {
            self.waiting
                .entry((b.db, key.clone()))
                .or_default()
                .push_back(id);
        }
        if let Some(when) = b.deadline {
            self.deadlines.insert((when, id));
        }
        self.blocked += 1;
    }

    /// Forgets a client that is no longer blocked (served, timed out,
    /// unblocked or disconnected).
    pub fn unregister(&mut self, id: u64, b: &BlockedOn) {
        for key in &b.keys {
            let k = (b.db, key.clone());
            if let Some(queue) = self.waiting.get_mut(&k) {
                queue.retain(|&c| c != id);
                if queue.is_empty() {
                    self.waiting.remove(&k);
                }
            }
        }
        if let Some(when) = b.deadline {
            self.deadlines.remove(&(when, id));
        }
        self.blocked = self.blocked.saturating_sub(1);
    }

    /// Notes that `key` received data, if anyone waits on it (Redis's
    /// signalKeyAsReady). Cheap when nobody is blocked at all.
    pub fn signal_ready(&mut self, db: usize, key: &[u8]) {
        if self.waiting.is_empty() {
            return;
        }
        let k = (db, Bytes::copy_from_slice(key));
        if self.waiting.contains_key(&k) && self.ready_set.insert(k.clone()) {
            self.ready.push_back(k);
        }
    }

    /// Signals every key waited on in database `db`; serving checks which
    /// of them really hold data (after SWAPDB changed them all at once).
    pub fn signal_waited_in(&mut self, db: usize) {
        let keys: Vec<DbKey> = self.waiting.keys().filter(|k| k.0 == db).cloned().collect();
        for k in keys {
            if self.ready_set.insert(k.clone()) {
                self.ready.push_back(k);
            }
        }
    }

    fn pop_ready(&mut self) -> Option<DbKey> {
        let k = self.ready.pop_front()?;
        self.ready_set.remove(&k);
        Some(k)
    }

    fn first_waiter(&self, key: &DbKey) -> Option<u64> {
        self.waiting.get(key).and_then(|q| q.front().copied())
    }

    /// Blocked clients that can time out (INFO clients_in_timeout_table).
    pub fn with_timeout(&self) -> usize {
        self.deadlines.len()
    }

    /// The earliest deadline, for the event loop's sleep.
    pub fn next_deadline(&self) -> Option<i64> {
        self.deadlines.first().map(|&(when, _)| when)
    }

    fn due(&self, now_ms: i64) -> Vec<u64> {
        self.deadlines
            .iter()
            .take_while(|&&(when, _)| when <= now_ms)
            .map(|&(_, id)| id)
            .collect()
    }
}

/// Parses a blocking command's timeout (seconds, fractions allowed) into
/// an absolute deadline, with Redis's errors; `None` means wait forever.
pub fn parse_timeout(arg: &[u8], now_ms: i64) -> Result<Option<i64>, CmdError> {
    let ms = crate::util::float::timeout_ms(arg)
        .ok_or(CmdError::text("ERR timeout is not a float or out of range"))?;
    if ms < 0 {
        return Err(CmdError::text("ERR timeout is negative"));
    }
    if ms == 0 {
        return Ok(None);
    }
    ms.checked_add(now_ms)
        .map(Some)
        .ok_or(CmdError::text("ERR timeout is out of range"))
}

/// The keys a blocking command looks at: all of `keys`, or only the one
/// that woke the client when it is being served (Redis 7.0 pops from the
/// key that became ready, not from the first of its keys).
pub fn keys_to_try<'k>(keys: &'k [Bytes], woken: Option<&'k Bytes>) -> &'k [Bytes] {
    match woken {
        Some(k) if keys.contains(k) => std::slice::from_ref(k),
        _ => keys,
    }
}

impl Ctx<'_> {
    /// Whether the command may block: not inside a transaction (where
    /// blocking commands answer at once, as if they had timed out).
    pub fn may_block(&self) -> bool {
        !self.client.in_multi && !self.client.in_exec && !self.client.deny_blocking
    }

    /// Blocks the calling client on `keys` until one of them has data of
    /// `kind` or `deadline` passes; the command (`args`) runs again then.
    /// Nothing is replied now.
    pub fn block(
        &mut self,
        kind: BlockKind,
        keys: &[Bytes],
        deadline: Option<i64>,
        args: &[Bytes],
    ) {
        let blocked = BlockedOn {
            kind,
            db: self.client.db,
            // Copies: the arguments are slices of the query buffer.
            keys: keys.iter().map(|k| Bytes::copy_from_slice(k)).collect(),
            deadline,
            args: args.iter().map(|a| Bytes::copy_from_slice(a)).collect(),
        };
        self.engine.blocking.register(self.client.id, &blocked);
        self.client.blocked = Some(blocked);
        if !self.engine.blocking.tracking {
            self.engine.blocking.tracking = true;
            for db in &mut self.engine.keyspace.dbs {
                db.track_created(true);
            }
        }
    }

    /// Tells waiters on `key` (in the client's database) that it may now
    /// serve them although it existed before: a stream given an entry or
    /// losing a group (Redis's signalKeyAsReady).
    pub fn signal_ready(&mut self, key: &[u8]) {
        let db = self.client.db;
        self.engine.blocking.signal_ready(db, key);
    }

    /// Blocks as [`block`](Self::block) does, or, inside a transaction,
    /// answers with the null array at once (what most blocking commands
    /// reply on timeout).
    pub fn block_or_null(
        &mut self,
        kind: BlockKind,
        keys: &[Bytes],
        deadline: Option<i64>,
        args: &[Bytes],
    ) {
        if self.may_block() {
            self.block(kind, keys, deadline, args);
        } else {
            self.flush_key_events();
            self.reply.null_array();
        }
    }
}

/// How a blocked client is let go without being served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Its timeout passed (or CLIENT UNBLOCK ... TIMEOUT): the null reply.
    Timeout,
    /// CLIENT UNBLOCK ... ERROR.
    Error,
}

impl Engine {
    /// Serves clients blocked on keys that received data, in the order
    /// they blocked, until no key is ready (Redis's
    /// handleClientsBlockedOnKeys).
    pub fn serve_ready_keys(&mut self, clients: &mut dyn Clients) {
        if self.blocking.count() == 0 {
            self.stop_tracking();
            return;
        }
        self.collect_created();
        while let Some(key) = self.blocking.pop_ready() {
            while let Some(id) = self.blocking.first_waiter(&key) {
                let mut served = false;
                let found = clients.with_client(id, &mut |state, reply| {
                    let Some(blocked) = &state.blocked else {
                        return;
                    };
                    if !self.has_data(blocked.kind, key.0, &key.1, &blocked.args) {
                        return;
                    }
                    if let Some(blocked) = state.blocked.take() {
                        self.blocking.unregister(id, &blocked);
                        // Redis 7.0 serves a client from the key that
                        // became ready, not from the first of its keys.
                        state.woken_by = Some(key.1.clone());
                        self.rerun(state, reply, &blocked.args);
                        state.woken_by = None;
                        served = true;
                    }
                });
                self.deliver_late(clients, crate::util::now_ms());
                if !found {
                    // The client is gone; its queue entries must not stay.
                    self.forget_client(id, &key);
                } else if !served {
                    // No data for the first waiter: the rest keep their
                    // places until the key is signalled again.
                    break;
                }
                // A served BLMOVE may have created the key others wait on.
                self.collect_created();
            }
        }
        if self.blocking.count() == 0 {
            self.stop_tracking();
        }
    }

    /// Stops recording created keys once nobody is blocked (however the
    /// last one left: served, timed out, unblocked or gone), so the
    /// records cannot pile up.
    fn stop_tracking(&mut self) {
        if std::mem::take(&mut self.blocking.tracking) {
            for db in &mut self.keyspace.dbs {
                db.track_created(false);
            }
        }
    }

    /// Signals the keys created since the last look, in every database.
    fn collect_created(&mut self) {
        for (i, db) in self.keyspace.dbs.iter_mut().enumerate() {
            for key in db.take_created() {
                self.blocking.signal_ready(i, &key);
            }
        }
    }

    /// Whether `key` holds a non-empty value of the kind a client waits for.
    fn has_data(&mut self, kind: BlockKind, db: usize, key: &[u8], args: &[Bytes]) -> bool {
        let now = crate::util::now_ms();
        let Some(db) = self.keyspace.dbs.get_mut(db) else {
            return false;
        };
        if kind == BlockKind::Stream {
            return super::streams::can_serve(db, key, args, now);
        }
        match (kind, db.peek(key, now).map(|o| &o.value)) {
            (BlockKind::List, Some(crate::db::Value::List(l))) => !l.is_empty(),
            (BlockKind::ZSet, Some(crate::db::Value::ZSet(z))) => !z.is_empty(),
            _ => false,
        }
    }

    /// Runs a blocked client's command again, now that it can be served.
    fn rerun(&mut self, state: &mut ClientState, reply: &mut ReplyBuffer, args: &[Bytes]) {
        // Other clients are not reachable from here; a blocking command
        // never needs them.
        self.execute(state, reply, &mut NoClients, args);
    }

    fn forget_client(&mut self, id: u64, key: &DbKey) {
        if let Some(queue) = self.blocking.waiting.get_mut(key) {
            queue.retain(|&c| c != id);
            if queue.is_empty() {
                self.blocking.waiting.remove(key);
            }
        }
    }

    /// Releases clients whose timeout has passed.
    pub fn expire_blocked(&mut self, now_ms: i64, clients: &mut dyn Clients) {
        for id in self.blocking.due(now_ms) {
            if !self.release(id, Release::Timeout, clients) {
                // Gone without telling us: drop its deadline at least.
                self.blocking.deadlines.retain(|&(_, c)| c != id);
            }
        }
    }

    /// Lets a blocked client go with a timeout reply or an error; false if
    /// there is no such blocked client.
    pub fn release(&mut self, id: u64, how: Release, clients: &mut dyn Clients) -> bool {
        let mut released = false;
        clients.with_client(id, &mut |state, reply| {
            let Some(blocked) = state.blocked.take() else {
                return;
            };
            self.blocking.unregister(id, &blocked);
            match how {
                Release::Timeout => reply.null_array(),
                Release::Error => reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK"),
            }
            released = true;
        });
        released
    }

    /// Forgets a client that disconnected: its blocking and subscriptions.
    pub fn client_gone(&mut self, state: &mut ClientState) {
        if let Some(blocked) = state.blocked.take() {
            self.blocking.unregister(state.id, &blocked);
        }
        self.pubsub.forget(state);
        self.watches.unwatch_all(state.id);
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::NoClients;
    use crate::commands::testkit::Session;

    #[test]
    fn created_keys_are_recorded_only_while_someone_waits() {
        let mut s = Session::new();
        s.check("set before 1", b"+OK\r\n");
        assert!(s.db(0).take_created().is_empty());
        s.check("blpop k 0", b"");
        assert!(s.client.blocked.is_some());
        s.check("set during 1", b"+OK\r\n");
        assert_eq!(
            s.db(0).take_created(),
            vec![bytes::Bytes::from_static(b"during")]
        );
        // The waiter leaves without being served (a disconnect here); the
        // next pass over ready keys turns the records off.
        s.engine.client_gone(&mut s.client);
        s.engine.serve_ready_keys(&mut NoClients);
        s.check("set after 1", b"+OK\r\n");
        assert!(s.db(0).take_created().is_empty());
    }
}
