//! What the consumer-group commands log instead of themselves, so that a
//! replay rebuilds the same pending entries and group positions whatever
//! the clock says then (Redis's streamPropagateXCLAIM,
//! streamPropagateGroupID and streamPropagateConsumerCreation).

use crate::db::stream::{Group, Pending, StreamId};
use bytes::Bytes;

fn id_arg(id: StreamId) -> Bytes {
    Bytes::from(id.to_string())
}

/// `XCLAIM key group consumer 0 id TIME <ms> RETRYCOUNT <n> FORCE JUSTID
/// LASTID <group's last ID>`: one pending entry as it stands.
pub fn xclaim(key: &Bytes, group: &Bytes, id: Bytes, p: &Pending, g: &Group) -> Vec<Bytes> {
    vec![
        Bytes::from_static(b"XCLAIM"),
        key.clone(),
        group.clone(),
        Bytes::copy_from_slice(&p.consumer),
        Bytes::from_static(b"0"),
        id,
        Bytes::from_static(b"TIME"),
        Bytes::from(p.delivery_time.to_string()),
        Bytes::from_static(b"RETRYCOUNT"),
        Bytes::from(p.delivery_count.to_string()),
        Bytes::from_static(b"FORCE"),
        Bytes::from_static(b"JUSTID"),
        Bytes::from_static(b"LASTID"),
        id_arg(g.last_id),
    ]
}

/// `XCLAIM ...` for the entry `id` of group `g`, if it is pending.
pub fn xclaim_of(
    key: &Bytes,
    group: &Bytes,
    id: Bytes,
    sid: StreamId,
    g: &Group,
) -> Option<Vec<Bytes>> {
    g.pel.get(&sid).map(|p| xclaim(key, group, id, p, g))
}

/// `XGROUP SETID key group <last ID> ENTRIESREAD <n>`.
pub fn setid(key: &Bytes, group: &Bytes, g: &Group) -> Vec<Bytes> {
    vec![
        Bytes::from_static(b"XGROUP"),
        Bytes::from_static(b"SETID"),
        key.clone(),
        group.clone(),
        id_arg(g.last_id),
        Bytes::from_static(b"ENTRIESREAD"),
        Bytes::from(g.entries_read.to_string()),
    ]
}

/// `XGROUP CREATECONSUMER key group consumer`.
pub fn create_consumer(key: &Bytes, group: &Bytes, consumer: &Bytes) -> Vec<Bytes> {
    vec![
        Bytes::from_static(b"XGROUP"),
        Bytes::from_static(b"CREATECONSUMER"),
        key.clone(),
        group.clone(),
        consumer.clone(),
    ]
}

pub fn id_bytes(id: StreamId) -> Bytes {
    id_arg(id)
}
