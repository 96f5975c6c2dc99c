//! The small sorted-set encoding (OBJECT ENCODING `listpack`): member,
//! score, member, score... in one listpack, in (score, member) order.
//!
//! A score that is a whole number within ±2^62 is stored as an integer
//! entry, anything else as a float entry: the same values Redis keeps
//! (it writes integers as integers and other scores as their `%.17g`
//! text), so a ZSCAN of a small set prints scores as Redis does, and
//! -0 becomes 0 here exactly as it does in Redis's listpacks.

use crate::db::listpack::{Entry, EntryInput, Listpack};
use std::cmp::Ordering;

/// The score an entry holds.
pub fn score_of(e: Entry) -> f64 {
    match e {
        Entry::Int(n) => n as f64,
        Entry::Float(f) => f,
        Entry::Str(s) => super::range::parse_score(s).unwrap_or(0.0),
    }
}

/// Redis's double2ll: a whole number within ±2^62 as an integer.
fn as_integer(d: f64) -> Option<i64> {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if !(-LIMIT..=LIMIT).contains(&d) {
        return None;
    }
    let n = d as i64;
    (n as f64 == d).then_some(n)
}

fn score_input(score: f64) -> EntryInput<'static> {
    match as_integer(score) {
        Some(n) => EntryInput::Int(n),
        None => EntryInput::Float(score),
    }
}

/// Compares a stored member with bytes (integers compare as their text).
pub fn cmp_member(e: Entry, member: &[u8]) -> Ordering {
    let mut buf = [0u8; 32];
    e.as_bytes(&mut buf).cmp(member)
}

pub fn len(lp: &Listpack) -> usize {
    lp.len() / 2
}

/// The member at `pos`, its score, and the offset of the next pair.
pub fn pair(lp: &Listpack, pos: usize) -> Option<(Entry<'_>, f64, Option<usize>)> {
    let member = lp.get(pos)?;
    let score_pos = lp.next(pos)?;
    let score = score_of(lp.get(score_pos)?);
    Some((member, score, lp.next(score_pos)))
}

/// The offset of the pair before the one at `pos`.
pub fn prev_pair(lp: &Listpack, pos: usize) -> Option<usize> {
    lp.prev(lp.prev(pos)?)
}

/// The offset of the pair at a 0-based rank.
pub fn seek(lp: &Listpack, rank: usize) -> Option<usize> {
    lp.seek(i64::try_from(rank.checked_mul(2)?).ok()?)
}

/// Pairs front to back.
pub fn iter(lp: &Listpack) -> impl Iterator<Item = (Entry<'_>, f64)> {
    let mut pos = lp.first();
    std::iter::from_fn(move || {
        let (member, score, next) = pair(lp, pos?)?;
        pos = next;
        Some((member, score))
    })
}

/// The offset of a member's pair and its score.
pub fn find(lp: &Listpack, member: &[u8]) -> Option<(usize, f64)> {
    let pos = lp.find(member, 2)?;
    Some((pos, score_of(lp.get(lp.next(pos)?)?)))
}

/// Inserts a member the caller knows is absent, in order.
pub fn insert(lp: &mut Listpack, member: &[u8], score: f64) {
    let mut pos = lp.first();
    while let Some(p) = pos {
        let Some((m, s, next)) = pair(lp, p) else {
            break;
        };
        if s > score || (s == score && cmp_member(m, member).is_gt()) {
            break;
        }
        pos = next;
    }
    let at = pos.unwrap_or(lp.bytes_len());
    lp.insert_pair_at(at, member, score_input(score));
}

/// Removes the pair at `pos`.
pub fn remove_at(lp: &mut Listpack, pos: usize) {
    lp.remove_range(pos, 2);
}

/// Appends a pair; the caller keeps the order.
pub fn push(lp: &mut Listpack, member: &[u8], score: f64) {
    lp.push_back(member);
    lp.push_back(score_input(score));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_stored_as_redis_stores_them() {
        assert_eq!(as_integer(-0.0), Some(0));
        assert_eq!(as_integer(1.5), None);
        assert_eq!(as_integer(4611686018427387904.0), Some(1 << 62));
        assert_eq!(as_integer(9223372036854775807.0), None);
        assert_eq!(as_integer(f64::INFINITY), None);
        let mut lp = Listpack::new();
        insert(&mut lp, b"b", 2.0);
        insert(&mut lp, b"a", 2.0);
        insert(&mut lp, b"10", -0.0);
        insert(&mut lp, b"z", 0.5);
        let got: Vec<(Vec<u8>, f64)> = iter(&lp).map(|(m, s)| (m.to_vec(), s)).collect();
        let want: Vec<(Vec<u8>, f64)> = vec![
            (b"10".to_vec(), 0.0),
            (b"z".to_vec(), 0.5),
            (b"a".to_vec(), 2.0),
            (b"b".to_vec(), 2.0),
        ];
        assert_eq!(got, want);
        // -0 was stored as the integer 0.
        assert!(iter(&lp).next().unwrap().1.is_sign_positive());
        assert_eq!(find(&lp, b"a").map(|(_, s)| s), Some(2.0));
        assert_eq!(find(&lp, b"2"), None);
        let (pos, _) = find(&lp, b"z").unwrap();
        remove_at(&mut lp, pos);
        assert_eq!(len(&lp), 3);
        let last = seek(&lp, 2).unwrap();
        assert!(pair(&lp, last).unwrap().0.eq_bytes(b"b"));
        assert_eq!(prev_pair(&lp, last), seek(&lp, 1));
        assert_eq!(prev_pair(&lp, seek(&lp, 0).unwrap()), None);
    }
}
