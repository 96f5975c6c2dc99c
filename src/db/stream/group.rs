//! Consumer groups: where a group has read up to, the entries it
//! delivered but nobody acknowledged yet (the pending entries list, PEL),
//! and its consumers, each with its own share of the PEL.

use super::StreamId;
use std::collections::{BTreeMap, BTreeSet};

/// A delivered, unacknowledged entry.
#[derive(Clone, Debug)]
pub struct Pending {
    pub consumer: Box<[u8]>,
    /// Unix ms of the last delivery.
    pub delivery_time: i64,
    pub delivery_count: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Consumer {
    /// Unix ms the consumer was last seen by a command naming it.
    pub seen_time: i64,
    pub pel: BTreeSet<StreamId>,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub last_id: StreamId,
    /// Entries read counted from the first ever added; -1 when unknown.
    pub entries_read: i64,
    pub pel: BTreeMap<StreamId, Pending>,
    pub consumers: BTreeMap<Box<[u8]>, Consumer>,
}

impl Group {
    pub fn new(last_id: StreamId, entries_read: i64) -> Group {
        Group {
            last_id,
            entries_read,
            pel: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    /// The named consumer, made if missing (true when made; a new one's
    /// seen time starts at `now`).
    pub fn consumer(&mut self, name: &[u8], now: i64) -> (&mut Consumer, bool) {
        let created = !self.consumers.contains_key(name);
        let c = self.consumers.entry(name.into()).or_default();
        if created {
            c.seen_time = now;
        }
        (c, created)
    }

    /// The named consumer acting now (made if missing): true if made.
    pub fn see_consumer(&mut self, name: &[u8], now: i64) -> bool {
        let (c, created) = self.consumer(name, now);
        c.seen_time = now;
        created
    }

    /// Whether `id` is pending and was delivered less than `min_idle` ms
    /// ago, which XCLAIM and XAUTOCLAIM leave alone.
    pub fn delivered_within(&self, id: StreamId, now: i64, min_idle: i64) -> bool {
        min_idle > 0
            && self
                .pel
                .get(&id)
                .is_some_and(|p| now - p.delivery_time < min_idle)
    }

    /// Records a delivery of `id` to `consumer`, taking it from whoever
    /// held it (a new delivery of a pending entry counts once more).
    pub fn deliver(&mut self, id: StreamId, consumer: &[u8], now: i64, count_it: bool) {
        let prev = self.pel.get(&id).map(|p| p.consumer.clone());
        if let Some(prev) = prev
            && let Some(c) = self.consumers.get_mut(&prev)
        {
            c.pel.remove(&id);
        }
        let p = self.pel.entry(id).or_insert(Pending {
            consumer: consumer.into(),
            delivery_time: now,
            delivery_count: 0,
        });
        p.consumer = consumer.into();
        p.delivery_time = now;
        if count_it {
            p.delivery_count += 1;
        }
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pel.insert(id);
        }
    }

    /// Acknowledges `id`; false if it was not pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        let Some(p) = self.pel.remove(&id) else {
            return false;
        };
        if let Some(c) = self.consumers.get_mut(&p.consumer) {
            c.pel.remove(&id);
        }
        true
    }

    /// Deletes a consumer and its pending entries; how many it had.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let c = self.consumers.remove(name)?;
        for id in &c.pel {
            self.pel.remove(id);
        }
        Some(c.pel.len())
    }
}
