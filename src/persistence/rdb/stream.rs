//! Streams in RDB form (STREAM_LISTPACKS_2, the type Redis 7.0 writes;
//! the first version, without first ID, tombstone and offsets, is read
//! too).
//!
//! The blocks go out as they are — the master ID as 16 big-endian bytes,
//! then the block's listpack in Redis's layout — followed by the length,
//! the last, first and largest deleted IDs, the count of entries ever
//! added, and each consumer group: name, last delivered ID, entries read,
//! the group's pending entries (ID, delivery time and count) and its
//! consumers (name, seen time, the IDs of their pending entries).
//!
//! Reading checks each block as Redis's deep sanitization does (the
//! master entry, every entry's shape and closing count, the live and
//! deleted counts), and that IDs only grow, since the stream commands
//! search blocks by ID.

use super::packed;
use super::read::Reader;
use super::write::Encoder;
use super::{RdbError, ty};
use crate::db::listpack::Entry;
use crate::db::stream::{Consumer, Group, Pending, Stream, StreamId};
use std::collections::BTreeMap;
use std::io::{self, Write};

type Result<T> = std::result::Result<T, RdbError>;

const FLAG_DELETED: i64 = 1;
const FLAG_SAMEFIELDS: i64 = 2;

fn raw_id(id: StreamId) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&id.ms.to_be_bytes());
    b[8..].copy_from_slice(&id.seq.to_be_bytes());
    b
}

fn id_from_raw(b: &[u8]) -> Option<StreamId> {
    Some(StreamId {
        ms: u64::from_be_bytes(b.get(..8)?.try_into().ok()?),
        seq: u64::from_be_bytes(b.get(8..16)?.try_into().ok()?),
    })
}

pub fn write<W: Write>(enc: &mut Encoder<W>, s: &Stream) -> io::Result<()> {
    enc.len(s.node_count() as u64)?;
    for (master, lp) in s.blocks() {
        enc.string(&raw_id(*master))?;
        enc.native_listpack(lp)?;
    }
    enc.len(s.len())?;
    for id in [s.last_id, s.first_id, s.max_deleted] {
        enc.len(id.ms)?;
        enc.len(id.seq)?;
    }
    enc.len(s.entries_added)?;
    enc.len(s.groups.len() as u64)?;
    for (name, g) in &s.groups {
        enc.string(name)?;
        enc.len(g.last_id.ms)?;
        enc.len(g.last_id.seq)?;
        // -1 (unknown) is saved as its 64-bit pattern, as Redis does.
        enc.len(g.entries_read as u64)?;
        enc.len(g.pel.len() as u64)?;
        for (id, p) in &g.pel {
            enc.raw(&raw_id(*id))?;
            enc.millis(p.delivery_time)?;
            enc.len(p.delivery_count)?;
        }
        enc.len(g.consumers.len() as u64)?;
        for (cname, c) in &g.consumers {
            enc.string(cname)?;
            enc.millis(c.seen_time)?;
            enc.len(c.pel.len() as u64)?;
            for id in &c.pel {
                enc.raw(&raw_id(*id))?;
            }
        }
    }
    Ok(())
}

fn int(e: Option<&Entry>) -> Option<i64> {
    match e {
        Some(Entry::Int(n)) => Some(*n),
        _ => None,
    }
}

/// Checks one block's entries (Redis's streamValidateListpackIntegrity,
/// deep) and returns its live entries and the ID of its last entry.
fn check_block(
    entries: &[Entry],
    master: StreamId,
    after: Option<StreamId>,
) -> std::result::Result<(u64, StreamId), &'static str> {
    const BAD: &str = "Stream listpack integrity check failed.";
    let count = int(entries.first()).filter(|&n| n >= 0).ok_or(BAD)?;
    let deleted = int(entries.get(1)).filter(|&n| n >= 0).ok_or(BAD)?;
    let fields = int(entries.get(2))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(BAD)?;
    let mut p = 3usize.checked_add(fields).ok_or(BAD)?;
    if int(entries.get(p)) != Some(0) {
        return Err(BAD);
    }
    p += 1;
    let (mut live, mut dead, mut last) = (0i64, 0i64, after);
    while p < entries.len() {
        let flags = int(entries.get(p)).ok_or(BAD)?;
        let ms = int(entries.get(p + 1)).ok_or(BAD)?;
        let seq = int(entries.get(p + 2)).ok_or(BAD)?;
        let id = StreamId {
            ms: master.ms.wrapping_add(ms as u64),
            seq: master.seq.wrapping_add(seq as u64),
        };
        if id < master || last.is_some_and(|l| id <= l) {
            return Err("Stream IDs out of order");
        }
        last = Some(id);
        p += 3;
        let values = if flags & FLAG_SAMEFIELDS != 0 {
            fields
        } else {
            let n = int(entries.get(p))
                .and_then(|n| usize::try_from(n).ok())
                .ok_or(BAD)?;
            p += 1;
            n.checked_mul(2).ok_or(BAD)?
        };
        let lp_count = if flags & FLAG_SAMEFIELDS != 0 {
            fields + 3
        } else {
            values + 4
        };
        p = p.checked_add(values).ok_or(BAD)?;
        if p >= entries.len() || int(entries.get(p)) != i64::try_from(lp_count).ok() {
            return Err(BAD);
        }
        p += 1;
        if flags & FLAG_DELETED != 0 {
            dead += 1;
        } else {
            live += 1;
        }
    }
    if live != count || dead != deleted {
        return Err(BAD);
    }
    Ok((live as u64, last.unwrap_or(master)))
}

fn id_pair(r: &mut Reader) -> Result<StreamId> {
    Ok(StreamId {
        ms: r.length()?,
        seq: r.length()?,
    })
}

fn raw_id_at(r: &mut Reader) -> Result<StreamId> {
    let b = r.take(16)?;
    id_from_raw(b).ok_or_else(|| r.error("bad stream ID"))
}

pub fn read(r: &mut Reader, t: u8) -> Result<Stream> {
    let n = r.count(2)?;
    let mut blocks = Vec::with_capacity(n);
    // Blocks come in ID order from Redis, so each is checked while its
    // entries are at hand, against the block before; out of order, all
    // are checked again below once sorted.
    let mut in_order = true;
    for _ in 0..n {
        let key = r.string()?;
        let master = id_from_raw(&key)
            .filter(|_| key.len() == 16)
            .ok_or_else(|| r.error("Stream node key entry is not the size of a stream ID"))?;
        let blob = r.string()?;
        let mut entries = Vec::new();
        let mut lp =
            packed::read_listpack_native(&blob, Some(&mut entries)).map_err(|e| r.error(e))?;
        if lp.is_empty() {
            return Err(r.error("Empty listpack inside stream"));
        }
        lp.shrink_to_fit();
        let before: Option<&(StreamId, _, _)> = blocks.last();
        in_order &= before.is_none_or(|(m, _, _)| *m < master);
        let checked = match before {
            _ if !in_order => None,
            None => Some(check_block(&entries, master, None)),
            Some((_, _, Some(Ok((_, end))))) => Some(check_block(&entries, master, Some(*end))),
            Some(_) => None,
        };
        blocks.push((master, lp, checked));
    }
    // A radix tree orders its keys; blocks are kept in that order.
    blocks.sort_by_key(|(m, _, _)| *m);
    let (mut live, mut last) = (0u64, None);
    for (master, lp, checked) in &blocks {
        if last.is_some_and(|l| *master <= l) {
            return Err(r.error("Listpack re-added with existing key"));
        }
        let checked = match checked {
            Some(done) if in_order => *done,
            _ => {
                let entries: Vec<Entry> = lp.iter().map(|(_, e)| e).collect();
                check_block(&entries, *master, last)
            }
        };
        let (n, end) = checked.map_err(|e| r.error(e))?;
        live += n;
        last = Some(end);
    }
    let length = r.length()?;
    if length != live {
        return Err(r.error("Stream length inconsistent with its entries"));
    }
    let blocks = blocks.into_iter().map(|(m, lp, _)| (m, lp)).collect();
    let mut s = Stream::from_blocks(blocks, length);
    s.last_id = id_pair(r)?;
    if last.is_some_and(|l| l > s.last_id) {
        return Err(r.error("Stream entry above the last ID"));
    }
    if t == ty::STREAM_LISTPACKS_2 {
        s.first_id = id_pair(r)?;
        s.max_deleted = id_pair(r)?;
        s.entries_added = r.length()?;
    } else {
        // Before 7.0 none of these were saved: Redis derives them.
        s.entries_added = length;
        s.first_id = s.edge_id(false).unwrap_or_default();
    }
    let groups = r.count(4)?;
    for _ in 0..groups {
        let name = r.string()?.into_owned();
        let last_id = id_pair(r)?;
        let entries_read = if t == ty::STREAM_LISTPACKS_2 {
            r.length()? as i64
        } else {
            s.estimate_distance(last_id).unwrap_or(-1)
        };
        let group = read_group(r, last_id, entries_read)?;
        if s.groups.insert(name.into_boxed_slice(), group).is_some() {
            return Err(r.error("Duplicated consumer group name"));
        }
    }
    Ok(s)
}

/// A group's PEL and consumers; every pending entry must belong to a
/// consumer that lists it.
fn read_group(r: &mut Reader, last_id: StreamId, entries_read: i64) -> Result<Group> {
    let mut g = Group::new(last_id, entries_read);
    let pending = r.count(17)?;
    let mut owners: BTreeMap<StreamId, Option<Box<[u8]>>> = BTreeMap::new();
    let mut times = Vec::with_capacity(pending);
    for _ in 0..pending {
        let id = raw_id_at(r)?;
        let delivery_time = r.millis()?;
        let delivery_count = r.length()?;
        if owners.insert(id, None).is_some() {
            return Err(r.error("Duplicated global PEL entry loading stream consumer group"));
        }
        times.push((id, delivery_time, delivery_count));
    }
    let consumers = r.count(10)?;
    for _ in 0..consumers {
        let name: Box<[u8]> = r.string()?.into_owned().into_boxed_slice();
        let seen_time = r.millis()?;
        let mut c = Consumer {
            seen_time,
            ..Consumer::default()
        };
        let ids = r.count(16)?;
        for _ in 0..ids {
            let id = raw_id_at(r)?;
            match owners.get_mut(&id) {
                Some(owner @ None) => *owner = Some(name.clone()),
                Some(Some(_)) => {
                    return Err(
                        r.error("Duplicated consumer PEL entry  loading a stream consumer group")
                    );
                }
                None => return Err(r.error("Consumer entry not found in group global PEL")),
            }
            c.pel.insert(id);
        }
        if g.consumers.insert(name, c).is_some() {
            return Err(r.error("Duplicate stream consumer detected."));
        }
    }
    for (id, delivery_time, delivery_count) in times {
        let consumer = owners
            .remove(&id)
            .flatten()
            .ok_or_else(|| r.error("Stream CG PEL entry without consumer"))?;
        g.pel.insert(
            id,
            Pending {
                consumer,
                delivery_time,
                delivery_count,
            },
        );
    }
    Ok(g)
}
