//! The stream type, stored as Redis stores it: listpack blocks of up to
//! stream-node-max-entries entries (and about stream-node-max-bytes
//! bytes), kept in order of their master IDs (see [`blocks`]).
//!
//! A block opens with its master entry — `count, deleted, num-fields,
//! field.., 0` — taken from the first entry added to it. Each entry then
//! takes `flags, ms-delta, seq-delta`, the values alone when its fields
//! are the master's (flag SAMEFIELDS) or `num-fields, field, value..`
//! otherwise, and an `lp-count` closing it. IDs are deltas against the
//! master ID, so an entry of three small fields costs a few dozen bytes
//! and no allocation of its own. XDEL only flags an entry deleted; a block
//! goes away when its last live entry does, as in Redis, which is also
//! why `~` trimming can only drop whole blocks.
//!
//! Consumer groups live in [`group`].

mod blocks;
pub mod group;
pub mod id;

use super::listpack::{Entry, Listpack};
use blocks::Blocks;
use bytes::Bytes;
pub use group::{Consumer, Group, Pending};
pub use id::StreamId;
use std::collections::BTreeMap;

/// Flag bits of an entry.
const FLAG_DELETED: i64 = 1;
const FLAG_SAMEFIELDS: i64 = 2;
/// A listpack's header and end byte, which Redis's byte limit counts.
const LP_OVERHEAD: usize = 7;
/// Redis's STREAM_LISTPACK_MAX_SIZE: the byte limit when none is set.
const NODE_MAX_SIZE: usize = 1 << 30;

/// stream-node-max-entries and stream-node-max-bytes.
#[derive(Debug, Clone, Copy)]
pub struct NodeLimits {
    pub entries: i64,
    pub bytes: i64,
}

/// How XADD and XTRIM trim (Redis's streamAddTrimArgs).
#[derive(Debug, Clone, Copy)]
pub enum TrimTo {
    MaxLen(u64),
    MinId(StreamId),
}

#[derive(Debug, Clone, Copy)]
pub struct Trim {
    pub to: TrimTo,
    /// `~`: only whole blocks go.
    pub approx: bool,
    /// Most entries removed (0: no limit).
    pub limit: i64,
}

/// A stream value.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    nodes: Blocks,
    length: u64,
    pub last_id: StreamId,
    pub first_id: StreamId,
    pub max_deleted: StreamId,
    pub entries_added: u64,
    /// By name, in byte order as Redis's radix tree lists them.
    pub groups: BTreeMap<Box<[u8]>, Group>,
}

fn int(e: Option<Entry>) -> i64 {
    match e {
        Some(Entry::Int(n)) => n,
        _ => 0,
    }
}

/// The fixed part of an entry starting at its flags at `pos`: its ID and
/// flags, where its fields (values alone under SAMEFIELDS) begin, and how
/// many elements they take before the closing lp-count.
#[derive(Clone, Copy)]
struct Head {
    id: StreamId,
    flags: i64,
    body: usize,
    elems: usize,
}

fn read_head(lp: &Listpack, pos: usize, master: StreamId, master_count: usize) -> Option<Head> {
    let flags = int(lp.get(pos));
    let mut p = lp.next(pos)?;
    let ms = master.ms.wrapping_add(int(lp.get(p)) as u64);
    p = lp.next(p)?;
    let seq = master.seq.wrapping_add(int(lp.get(p)) as u64);
    p = lp.next(p)?;
    let elems = if flags & FLAG_SAMEFIELDS != 0 {
        master_count
    } else {
        let n = usize::try_from(int(lp.get(p))).unwrap_or(0);
        p = lp.next(p)?;
        n * 2
    };
    Some(Head {
        id: StreamId { ms, seq },
        flags,
        body: p,
        elems,
    })
}

/// Where the entry after `h` starts: past its fields and its lp-count,
/// without decoding them (how Redis skips entries below a range's start).
fn skip_entry(lp: &Listpack, h: &Head) -> Option<usize> {
    let mut p = h.body;
    for _ in 0..h.elems {
        p = lp.next(p)?;
    }
    lp.next(p)
}

/// Decodes the fields and values of `h` into `out` (interleaved; master
/// fields supply the names under SAMEFIELDS) and returns where the next
/// entry starts.
fn read_body<'a>(
    lp: &'a Listpack,
    h: &Head,
    master_fields: &[Entry<'a>],
    out: &mut Vec<Entry<'a>>,
) -> Option<Option<usize>> {
    out.clear();
    let mut p = h.body;
    if h.flags & FLAG_SAMEFIELDS != 0 {
        for f in master_fields {
            out.push(*f);
            out.push(lp.get(p)?);
            p = lp.next(p)?;
        }
    } else {
        for _ in 0..h.elems {
            out.push(lp.get(p)?);
            p = lp.next(p)?;
        }
    }
    // `p` is the lp-count closing the entry.
    Some(lp.next(p))
}

/// Reads one entry of a block starting at its flags at `pos`: its ID, its
/// flags, its fields and values (interleaved into `out`) and where the
/// next entry starts.
fn read_entry<'a>(
    lp: &'a Listpack,
    pos: usize,
    master: StreamId,
    master_fields: &[Entry<'a>],
    out: &mut Vec<Entry<'a>>,
) -> Option<(StreamId, i64, Option<usize>)> {
    let h = read_head(lp, pos, master, master_fields.len())?;
    let next = read_body(lp, &h, master_fields, out)?;
    Some((h.id, h.flags, next))
}

/// The flags position of the entry whose lp-count is at `count_pos`: the
/// lp-count says how many elements precede it, which is what lets a
/// block be walked backwards without reading it from the start.
fn entry_before(lp: &Listpack, count_pos: usize) -> Option<usize> {
    let n = int(lp.get(count_pos));
    let mut p = count_pos;
    for _ in 0..n {
        p = lp.prev(p)?;
    }
    Some(p)
}

/// The flags positions of a block's entries from the last to the first
/// (`first` being the first entry's, from [`master_fields`]).
fn entries_rev(lp: &Listpack, first: usize) -> impl Iterator<Item = usize> + '_ {
    let mut count_pos = lp.last();
    std::iter::from_fn(move || {
        let c = count_pos.filter(|&c| c > first)?;
        let pos = entry_before(lp, c).filter(|&p| p >= first)?;
        count_pos = lp.prev(pos);
        Some(pos)
    })
}

/// A block's master fields and the position of its first entry.
fn master_fields(lp: &Listpack) -> (Vec<Entry<'_>>, Option<usize>) {
    let mut fields = Vec::new();
    let mut p = lp.first().and_then(|p| lp.next(p)).and_then(|p| lp.next(p));
    let n = p.map_or(0, |p| int(lp.get(p)));
    for _ in 0..n {
        p = p.and_then(|p| lp.next(p));
        if let Some(e) = p.and_then(|p| lp.get(p)) {
            fields.push(e);
        }
    }
    // Skip the last field and the master entry's zero terminator.
    let first = p.and_then(|p| lp.next(p)).and_then(|p| lp.next(p));
    (fields, first)
}

/// The live entries of one block, as (flags position, ID).
fn live_entries(master: StreamId, lp: &Listpack) -> Vec<(usize, StreamId)> {
    let (fields, mut p) = master_fields(lp);
    let mut out = Vec::new();
    while let Some(pos) = p {
        let Some(h) = read_head(lp, pos, master, fields.len()) else {
            break;
        };
        if h.flags & FLAG_DELETED == 0 {
            out.push((pos, h.id));
        }
        p = skip_entry(lp, &h);
    }
    out
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    /// Heap bytes beyond the boxed stream (MEMORY USAGE): blocks and
    /// groups sampled, each group's pending entries and consumers counted
    /// at their map's per-entry cost.
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use super::usage;
        use group::{Consumer, Pending};
        let blocks = self.nodes.heap_bytes(samples);
        let groups = self.groups.iter().map(|(name, g)| {
            let consumers: usize = g
                .consumers
                .iter()
                .map(|(name, c)| {
                    usage::array::<u8>(name.len())
                        + c.pel.len() * usage::btree_entry::<StreamId, ()>()
                })
                .sum();
            usage::array::<u8>(name.len())
                + usage::btree_entry::<Box<[u8]>, Group>()
                + g.pel.len() * usage::btree_entry::<StreamId, Pending>()
                + g.consumers.len() * usage::btree_entry::<Box<[u8]>, Consumer>()
                + consumers
        });
        blocks + usage::sampled(groups, self.groups.len(), samples)
    }

    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// A stream of these blocks (master ID, entries), in order, holding
    /// `length` live entries: how an RDB rebuilds one. The other fields
    /// are public and set by the caller.
    pub fn from_blocks(blocks: Vec<(StreamId, Listpack)>, length: u64) -> Stream {
        let mut s = Stream {
            length,
            ..Stream::default()
        };
        for (master, lp) in blocks {
            s.nodes.push(master, lp);
        }
        s
    }

    /// The blocks (master ID, entries), in order.
    pub fn blocks(&self) -> impl Iterator<Item = &(StreamId, Listpack)> {
        self.nodes.iter()
    }

    /// Number of blocks (XINFO's radix-tree-keys).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The master IDs of the blocks, in order.
    pub fn masters(&self) -> impl Iterator<Item = StreamId> + '_ {
        self.nodes.iter().map(|(id, _)| *id)
    }

    /// Bytes held by the blocks (MEMORY USAGE and the like).
    pub fn allocated(&self) -> usize {
        self.nodes.iter().map(|(_, lp)| lp.allocated() + 48).sum()
    }

    /// Appends an entry with `id` (already checked to be above the last
    /// ID) and `fields` (field, value, ...), opening a new block when the
    /// last one is full by Redis's rule: its bytes plus the new payload
    /// reach the byte limit, or its entries (deleted ones included) reach
    /// the entry limit.
    pub fn append(&mut self, id: StreamId, fields: &[Bytes], limits: NodeLimits) {
        let numfields = (fields.len() / 2) as i64;
        let payload: usize = fields.iter().map(|f| f.len()).sum();
        let max_bytes = match usize::try_from(limits.bytes) {
            Ok(0) | Err(_) => NODE_MAX_SIZE,
            Ok(n) => n.min(NODE_MAX_SIZE),
        };
        let mut last = self.nodes.last().map(|(k, _)| *k);
        let mut full_size = 0;
        if let Some((_, lp)) = self.nodes.last() {
            let full = if lp.bytes_len() + LP_OVERHEAD + payload >= max_bytes {
                true
            } else if limits.entries > 0 {
                let count = int(lp.get(0)) + lp.next(0).map_or(0, |p| int(lp.get(p)));
                count >= limits.entries
            } else {
                false
            };
            if full {
                // The block is done growing: give back the buffer's slack,
                // as Redis shrinks a full listpack to fit.
                if let Some((_, lp)) = self.nodes.last_mut() {
                    lp.shrink_to_fit();
                    full_size = lp.bytes_len();
                }
                last = None;
            }
        }
        let mut flags = 0;
        let master = match last.and_then(|_| self.nodes.last_mut()) {
            Some((master, lp)) => {
                let master = *master;
                let count = int(lp.get(0));
                lp.replace_at(0, Entry::Int(count + 1));
                let (mf, _) = master_fields(lp);
                let same = mf.len() as i64 == numfields
                    && mf
                        .iter()
                        .zip(fields.iter().step_by(2))
                        .all(|(m, f)| m.eq_bytes(f));
                if same {
                    flags |= FLAG_SAMEFIELDS;
                }
                master
            }
            None => {
                let mut lp = Listpack::new();
                // Likely as big as the block before it: one allocation of
                // the right size instead of doublings and a final shrink.
                lp.reserve_exact(full_size);
                lp.push_back(Entry::Int(1));
                lp.push_back(Entry::Int(0));
                lp.push_back(Entry::Int(numfields));
                for f in fields.iter().step_by(2) {
                    lp.push_back(&f[..]);
                }
                lp.push_back(Entry::Int(0));
                self.nodes.push(id, lp);
                flags |= FLAG_SAMEFIELDS;
                id
            }
        };
        let Some((_, lp)) = self.nodes.last_mut() else {
            return;
        };
        lp.push_back(Entry::Int(flags));
        lp.push_back(Entry::Int(id.ms.wrapping_sub(master.ms) as i64));
        lp.push_back(Entry::Int(id.seq.wrapping_sub(master.seq) as i64));
        let mut lp_count = numfields + 3;
        if flags & FLAG_SAMEFIELDS != 0 {
            for v in fields.iter().skip(1).step_by(2) {
                lp.push_back(&v[..]);
            }
        } else {
            lp.push_back(Entry::Int(numfields));
            for f in fields {
                lp.push_back(&f[..]);
            }
            lp_count += numfields + 1;
        }
        lp.push_back(Entry::Int(lp_count));
        if self.length == 0 {
            self.first_id = id;
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
    }

    /// Calls `f` with each live entry whose ID is within `start..=end`, in
    /// order (or reversed), until it returns false.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
        f: &mut dyn FnMut(StreamId, &[Entry]) -> bool,
    ) {
        if start > end || self.length == 0 || self.nodes.is_empty() {
            return;
        }
        // The block holding `start` begins at or before it.
        let from = self.nodes.index_of(start).unwrap_or(0);
        let to = self.nodes.index_of(end).map_or(0, |i| i + 1);
        let mut buf = Vec::new();
        if !rev {
            for &(master, ref lp) in (from..to).filter_map(|i| self.nodes.get(i)) {
                if master > end {
                    return;
                }
                let (fields, mut p) = master_fields(lp);
                while let Some(pos) = p {
                    let Some(h) = read_head(lp, pos, master, fields.len()) else {
                        break;
                    };
                    if h.id > end {
                        return;
                    }
                    if h.flags & FLAG_DELETED != 0 || h.id < start {
                        p = skip_entry(lp, &h);
                        continue;
                    }
                    let Some(next) = read_body(lp, &h, &fields, &mut buf) else {
                        break;
                    };
                    p = next;
                    if !f(h.id, &buf) {
                        return;
                    }
                }
            }
        } else {
            for &(master, ref lp) in (from..to).rev().filter_map(|i| self.nodes.get(i)) {
                if master > end {
                    continue;
                }
                let (fields, first) = master_fields(lp);
                let Some(first) = first else {
                    continue;
                };
                for pos in entries_rev(lp, first) {
                    let Some(h) = read_head(lp, pos, master, fields.len()) else {
                        break;
                    };
                    if h.flags & FLAG_DELETED != 0 || h.id > end {
                        continue;
                    }
                    if h.id < start {
                        return;
                    }
                    if read_body(lp, &h, &fields, &mut buf).is_some() && !f(h.id, &buf) {
                        return;
                    }
                }
            }
        }
    }

    /// Whether a live entry has this ID.
    pub fn contains(&self, id: StreamId) -> bool {
        let mut found = false;
        self.range(id, id, false, &mut |_, _| {
            found = true;
            false
        });
        found
    }

    /// The first or last live entry's ID.
    pub fn edge_id(&self, last: bool) -> Option<StreamId> {
        let mut out = None;
        self.range(StreamId::MIN, StreamId::MAX, last, &mut |id, _| {
            out = Some(id);
            false
        });
        out
    }

    /// The first entry's ID, deleted or not (Redis's streamGetEdgeID
    /// without skipping tombstones); the largest ID when there is none.
    pub fn first_entry_id(&self) -> StreamId {
        if let Some(&(master, ref lp)) = self.nodes.first() {
            let (fields, first) = master_fields(lp);
            if let Some(h) = first.and_then(|pos| read_head(lp, pos, master, fields.len())) {
                return h.id;
            }
        }
        StreamId::MAX
    }

    /// Flags the entry deleted (dropping its block when it was the last
    /// live one there); false if there is no such live entry.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some(index) = self.nodes.index_of(id) else {
            return false;
        };
        let Some(&mut (master, ref mut lp)) = self.nodes.get_mut(index) else {
            return false;
        };
        let Some(pos) = live_entries(master, lp)
            .into_iter()
            .find(|&(_, e)| e == id)
            .map(|(p, _)| p)
        else {
            return false;
        };
        let flags = int(lp.get(pos));
        lp.replace_at(pos, Entry::Int(flags | FLAG_DELETED));
        let count = int(lp.get(0));
        if count <= 1 {
            self.nodes.remove(index);
        } else {
            lp.replace_at(0, Entry::Int(count - 1));
            if let Some(p) = lp.next(0) {
                let deleted = int(lp.get(p));
                lp.replace_at(p, Entry::Int(deleted + 1));
            }
        }
        self.length -= 1;
        true
    }

    /// Sets first_id after entries went from the front.
    pub fn refresh_first_id(&mut self) {
        self.first_id = if self.length == 0 {
            StreamId::MIN
        } else {
            self.edge_id(false).unwrap_or(StreamId::MIN)
        };
    }

    /// Removes entries from the front as Redis's streamTrim does; returns
    /// how many went. Whole blocks go while they fit the target (and the
    /// limit); then, unless approximate, entries inside the next block are
    /// flagged deleted.
    pub fn trim(&mut self, t: Trim) -> u64 {
        let mut deleted: u64 = 0;
        loop {
            if let TrimTo::MaxLen(max) = t.to
                && self.length <= max
            {
                break;
            }
            let Some(&(master, ref lp)) = self.nodes.first() else {
                break;
            };
            let entries = int(lp.get(0)) as u64;
            if t.limit > 0 && deleted + entries > t.limit as u64 {
                break;
            }
            let remove_node = match t.to {
                TrimTo::MaxLen(max) => self.length - entries >= max,
                // Redis compares the block's last entry, deleted or not.
                TrimTo::MinId(min) => last_entry_id(master, lp).is_some_and(|id| id < min),
            };
            if remove_node {
                self.nodes.remove(0);
                self.length -= entries;
                deleted += entries;
                continue;
            }
            if t.approx {
                break;
            }
            let Some((_, lp)) = self.nodes.get_mut(0) else {
                break;
            };
            let mut from_lp = 0;
            let (fields, mut p) = master_fields(lp);
            let mut marks = Vec::new();
            let mut buf = Vec::new();
            let mut length = self.length;
            while let Some(pos) = p {
                let Some((id, flags, next)) = read_entry(lp, pos, master, &fields, &mut buf) else {
                    break;
                };
                let stop = match t.to {
                    TrimTo::MaxLen(max) => length <= max,
                    TrimTo::MinId(min) => id >= min,
                };
                if stop {
                    break;
                }
                if flags & FLAG_DELETED == 0 {
                    marks.push((pos, flags | FLAG_DELETED));
                    from_lp += 1;
                    length -= 1;
                }
                p = next;
            }
            drop(fields);
            for (pos, flags) in marks {
                lp.replace_at(pos, Entry::Int(flags));
            }
            let count = int(lp.get(0)) - from_lp;
            lp.replace_at(0, Entry::Int(count));
            if let Some(p) = lp.next(0) {
                let d = int(lp.get(p));
                lp.replace_at(p, Entry::Int(d + from_lp));
            }
            self.length = length;
            deleted += from_lp as u64;
            break;
        }
        if deleted > 0 {
            self.refresh_first_id();
        }
        deleted
    }

    /// Whether XDEL left a hole at or after `start` that ID arithmetic
    /// cannot see (Redis's streamRangeHasTombstones with an open end).
    pub fn has_tombstones_from(&self, start: StreamId) -> bool {
        if self.length == 0 || self.max_deleted == StreamId::MIN {
            return false;
        }
        if self.first_id > self.max_deleted {
            return false;
        }
        start <= self.max_deleted
    }

    /// The logical position of `id` counted from the first entry ever
    /// added, or None when it cannot be known (Redis's
    /// streamEstimateDistanceFromFirstEverEntry).
    pub fn estimate_distance(&self, id: StreamId) -> Option<i64> {
        let added = self.entries_added as i64;
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.length == 0 && id <= self.last_id {
            return Some(added);
        }
        if id == self.last_id {
            return Some(added);
        }
        if id > self.last_id {
            return None;
        }
        if self.max_deleted == StreamId::MIN || self.max_deleted < self.first_id {
            if id < self.first_id {
                return Some(added - self.length as i64);
            }
            if id == self.first_id {
                return Some(added - self.length as i64 + 1);
            }
        }
        None
    }

    /// A group's lag, when it can be known.
    pub fn lag(&self, g: &Group) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if g.entries_read >= 0 && !self.has_tombstones_from(g.last_id) {
            return Some(self.entries_added as i64 - g.entries_read);
        }
        self.estimate_distance(g.last_id)
            .map(|read| self.entries_added as i64 - read)
    }

    /// Records that a group delivered `id` (XREADGROUP `>`): moves its
    /// last ID and keeps its entries-read counter as Redis does.
    pub fn advance_group(&mut self, name: &[u8], id: StreamId) {
        let tomb = self.has_tombstones_from(id);
        let estimate = self.estimate_distance(id);
        let added = self.entries_added;
        if let Some(g) = self.groups.get_mut(name)
            && id > g.last_id
        {
            if g.entries_read >= 0 && !tomb {
                g.entries_read += 1;
            } else if added > 0 {
                g.entries_read = estimate.unwrap_or(-1);
            }
            g.last_id = id;
        }
    }
}

/// The ID of a block's last entry, deleted or not.
fn last_entry_id(master: StreamId, lp: &Listpack) -> Option<StreamId> {
    let (fields, first) = master_fields(lp);
    let pos = entries_rev(lp, first?).next()?;
    read_head(lp, pos, master, fields.len()).map(|h| h.id)
}

#[cfg(test)]
mod tests;
