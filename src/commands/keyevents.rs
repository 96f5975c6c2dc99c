//! The one call every write makes: "this key changed". It does what
//! Redis's signalModifiedKey and notifyKeyspaceEvent do together, so a
//! command cannot invalidate WATCH and forget the notification or the
//! other way round:
//!
//! - watchers of the key are marked dirty (their EXEC will fail);
//! - if `notify-keyspace-events` enables the event's class, a message goes
//!   to `__keyspace@<db>__:<key>` (payload: the event) and/or
//!   `__keyevent@<db>__:<event>` (payload: the key), through Pub/Sub.
//!
//! Events the keyspace causes by itself (a lazy or active expiry, a read
//! miss, a new key) are recorded by the [`Db`](crate::db::Db) while
//! anyone can observe them, and turned into the same two effects before
//! the command's own events, where the command's reply starts
//! ([`Ctx::flush_key_events`]), before an error reply and after each
//! command, so they keep Redis's order. With notifications off and
//! nothing watched, each call is two flag checks.
//!
//! Delivery happens at the call, into the current client's reply buffer
//! too: a RESP3 client subscribed to its own events sees each push where
//! Redis puts it among the reply bytes, so handlers publish before or
//! after (or in the middle of) their reply exactly where Redis's command
//! calls notifyKeyspaceEvent.
//!
//! Eviction (commands/evict.rs) deletes keys outside any command; the
//! database records each as an `evicted` event, drained like an expiry.

use super::{ClientState, Clients, Ctx, Engine};
use crate::db::KeyEvent;
use crate::protocol::ReplyBuffer;
use bytes::Bytes;

pub use crate::config::special::notify as class;

impl Ctx<'_> {
    /// A command changed `key` in the selected database: WATCH
    /// invalidation and the `event` notification of `class`.
    pub fn key_changed(&mut self, class: u32, event: &str, key: &[u8]) {
        let db = self.client.db;
        self.key_changed_in(db, class, event, key);
    }

    /// [`key_changed`](Self::key_changed) in another database (MOVE, COPY
    /// with DB).
    pub fn key_changed_in(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
        self.signal_modified_in(db, key);
        self.notify_in(db, class, event, key);
    }

    /// WATCH invalidation alone, for a change Redis signals without an
    /// event (e.g. a store of an empty result onto a missing key).
    pub fn signal_modified(&mut self, key: &[u8]) {
        let db = self.client.db;
        self.signal_modified_in(db, key);
    }

    pub fn signal_modified_in(&mut self, db: usize, key: &[u8]) {
        if self.engine.watches.is_empty() {
            return;
        }
        let exists = self
            .engine
            .keyspace
            .dbs
            .get(db)
            .is_some_and(|d| d.find(key).is_some());
        self.engine.watches.touch(db, key, exists);
    }

    /// Publishes what this command's lookups and additions recorded so far
    /// (keymiss, expired, new). Redis publishes those inside the lookup, so
    /// a handler calls this where its reply starts: a client subscribed to
    /// its own events (RESP3) then gets them before the reply, as there.
    pub fn flush_key_events(&mut self) {
        if self.engine.key_event_mask == 0 {
            return;
        }
        let now = self.now_ms;
        self.engine.drain_key_events(
            Some((&mut *self.client, &mut *self.reply)),
            self.clients,
            now,
        );
    }

    /// The notification alone, for events Redis sends without a
    /// modification signal of their own.
    pub fn notify(&mut self, class: u32, event: &str, key: &[u8]) {
        let db = self.client.db;
        self.notify_in(db, class, event, key);
    }

    pub fn notify_in(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
        if !self.engine.notify_enabled(class) {
            return;
        }
        let now = self.now_ms;
        // What the lookups of this command recorded comes first.
        self.engine.drain_key_events(
            Some((&mut *self.client, &mut *self.reply)),
            self.clients,
            now,
        );
        self.engine.publish_event(
            Some((&mut *self.client, &mut *self.reply)),
            self.clients,
            now,
            db,
            class,
            event.as_bytes(),
            key,
        );
    }
}

/// A keyspace message a subscriber could not be given yet (see
/// [`super::pubsub::deliver`]): subscriber, pattern, channel, payload.
pub type Undelivered = (u64, Option<Bytes>, Bytes, Bytes);

impl Engine {
    /// Whether events of `class` are published at all.
    pub fn notify_enabled(&self, class: u32) -> bool {
        let f = self.config.notify_keyspace_events;
        f & class != 0 && f & (class::KEYSPACE | class::KEYEVENT) != 0
    }

    /// Publishes one event on the channels its configuration asks for.
    #[allow(clippy::too_many_arguments)]
    fn publish_event(
        &mut self,
        mut current: Option<(&mut ClientState, &mut ReplyBuffer)>,
        clients: &mut dyn Clients,
        now: i64,
        db: usize,
        class: u32,
        event: &[u8],
        key: &[u8],
    ) {
        if !self.notify_enabled(class) {
            return;
        }
        let flags = self.config.notify_keyspace_events;
        let limits = self.config.obuf_limits[2];
        let mut channel = Vec::with_capacity(24 + key.len().max(event.len()));
        for (wanted, prefix, name, payload) in [
            (class::KEYSPACE, &b"__keyspace@"[..], key, event),
            (class::KEYEVENT, &b"__keyevent@"[..], event, key),
        ] {
            if flags & wanted == 0 {
                continue;
            }
            channel.clear();
            channel.extend_from_slice(prefix);
            let mut digits = [0u8; 20];
            channel.extend_from_slice(crate::util::fmt_i64(db as i64, &mut digits));
            channel.extend_from_slice(b"__:");
            channel.extend_from_slice(name);
            let cur = current.as_mut().map(|(c, r)| (&mut **c, &mut **r));
            let (_, unreached) = super::pubsub::deliver(
                &self.pubsub,
                limits,
                cur,
                clients,
                now,
                false,
                &channel,
                payload,
            );
            for (id, pattern) in unreached {
                self.undelivered.push((
                    id,
                    pattern,
                    Bytes::copy_from_slice(&channel),
                    Bytes::copy_from_slice(payload),
                ));
            }
        }
    }

    /// Turns what the databases recorded on their own (expiries, misses,
    /// new keys) into WATCH invalidation and notifications, oldest first.
    pub fn drain_key_events(
        &mut self,
        mut current: Option<(&mut ClientState, &mut ReplyBuffer)>,
        clients: &mut dyn Clients,
        now: i64,
    ) {
        if self.key_event_mask == 0 {
            return;
        }
        for db in 0..self.keyspace.dbs.len() {
            if !self.keyspace.dbs[db].has_events() {
                continue;
            }
            for (event, key) in self.keyspace.dbs[db].take_events() {
                let cur = current.as_mut().map(|(c, r)| (&mut **c, &mut **r));
                let (class, name): (u32, &[u8]) = match event {
                    KeyEvent::Expired => {
                        if !self.watches.is_empty() {
                            let exists = self.keyspace.dbs[db].find(&key).is_some();
                            self.watches.touch(db, &key, exists);
                        }
                        (class::EXPIRED, b"expired")
                    }
                    KeyEvent::Evicted => {
                        // The key is gone: watchers see it deleted.
                        self.watches.touch(db, &key, false);
                        (class::EVICTED, b"evicted")
                    }
                    KeyEvent::Miss => (class::KEY_MISS, b"keymiss"),
                    KeyEvent::New => (class::NEW, b"new"),
                };
                self.publish_event(cur, clients, now, db, class, name, &key);
            }
        }
    }

    /// Keeps the databases recording exactly the events someone can
    /// observe; run after every command (CONFIG SET and WATCH change it).
    pub fn sync_key_event_mask(&mut self) {
        let f = self.config.notify_keyspace_events;
        let on = f & (class::KEYSPACE | class::KEYEVENT) != 0;
        let mut mask = 0;
        if (on && f & class::EXPIRED != 0) || !self.watches.is_empty() {
            mask |= KeyEvent::Expired as u8;
        }
        if (on && f & class::EVICTED != 0) || !self.watches.is_empty() {
            mask |= KeyEvent::Evicted as u8;
        }
        if on && f & class::KEY_MISS != 0 {
            mask |= KeyEvent::Miss as u8;
        }
        if on && f & class::NEW != 0 {
            mask |= KeyEvent::New as u8;
        }
        if mask != self.key_event_mask {
            self.key_event_mask = mask;
            for db in &mut self.keyspace.dbs {
                db.record_events(mask);
            }
        }
    }

    /// Gives subscribers the keyspace messages that could not reach them
    /// while a blocked client was served.
    pub fn deliver_late(&mut self, clients: &mut dyn Clients, now: i64) {
        if self.undelivered.is_empty() {
            return;
        }
        let limits = self.config.obuf_limits[2];
        for (id, pattern, channel, payload) in std::mem::take(&mut self.undelivered) {
            clients.with_client(id, &mut |state, reply| {
                super::pubsub::write_late(
                    reply,
                    state,
                    limits,
                    now,
                    pattern.as_deref(),
                    &channel,
                    &payload,
                );
            });
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_self;
