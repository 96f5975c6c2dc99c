//! Comparisons of set replies that depend on the servers' state.
//!
//! Redis lists an intset's members in ascending order, which ferredis must
//! reproduce; a hash table's order comes from the hash function, which
//! differs, so those replies are compared as sets. Whether a reply came
//! from an intset is asked of the servers (OBJECT ENCODING, SCARD, CONFIG
//! GET) right after the command.
//!
//! SPOP and SRANDMEMBER pick at random: their replies must agree in type,
//! size, membership and repeats, not in the members picked. When the two
//! servers popped different members, the key is made equal again on both
//! (deleted and rebuilt from Redis's members) so later commands meet the
//! same data.
//!
//! Every probe goes to both servers, so both count the same lookups.

use crate::Pair;
use crate::compare;
use crate::generate::{Cmp, SetOrder};
use crate::resp::Reply;
use std::collections::HashSet;

/// Sends a read-only command to both servers; Redis's reply.
fn probe(pair: &mut Pair, args: &[&[u8]]) -> Reply {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
    pair.both(&args).0.0
}

fn is_intset(pair: &mut Pair, key: &[u8]) -> bool {
    matches!(probe(pair, &[b"OBJECT", b"ENCODING", key]), Reply::Bulk(Some(e)) if e == b"intset")
}

/// The size of a set; `None` for a missing key or another type.
fn card(pair: &mut Pair, key: &[u8]) -> Option<i64> {
    match probe(pair, &[b"SCARD", key]) {
        Reply::Int(n) if n > 0 => Some(n),
        _ => None,
    }
}

fn intset_limit(pair: &mut Pair) -> i64 {
    match probe(pair, &[b"CONFIG", b"GET", b"set-max-intset-entries"]) {
        Reply::Array(Some(v)) => match v.get(1) {
            Some(Reply::Bulk(Some(n))) => String::from_utf8_lossy(n).parse().unwrap_or(512),
            _ => 512,
        },
        _ => 512,
    }
}

/// Redis's string2ll: whether a member would go in an intset.
pub fn is_int(b: &[u8]) -> bool {
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if b == b"0" {
        return true;
    }
    !digits.is_empty()
        && digits.len() <= 19
        && digits[0] != b'0'
        && digits.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(b).is_ok_and(|t| t.parse::<i64>().is_ok())
}

/// Whether Redis's reply to the command lists an intset's members, in
/// its ascending order.
fn in_intset_order(pair: &mut Pair, order: &SetOrder, redis: &Reply) -> bool {
    match order {
        // (A missing key gives an empty reply: nothing to order.)
        SetOrder::Intset(key) => card(pair, key).is_none() || is_intset(pair, key),
        SetOrder::Smallest(keys) => {
            let cards: Vec<Option<i64>> = keys.iter().map(|k| card(pair, k)).collect();
            if cards.iter().any(Option::is_none) {
                return true;
            }
            let mut smallest = 0;
            for (i, c) in cards.iter().enumerate() {
                if c < &cards[smallest] {
                    smallest = i;
                }
            }
            is_intset(pair, &keys[smallest])
        }
        SetOrder::Result => match redis {
            Reply::Array(Some(items)) => {
                items.len() as i64 <= intset_limit(pair)
                    && items
                        .iter()
                        .all(|i| matches!(i, Reply::Bulk(Some(b)) if is_int(b)))
            }
            _ => true,
        },
        SetOrder::First(key) => match card(pair, key) {
            Some(n) => n <= intset_limit(pair) && is_intset(pair, key),
            None => true,
        },
    }
}

/// The outcome of a state-dependent comparison.
pub struct Outcome {
    pub ok: bool,
    pub redis: Reply,
    pub ferredis: Reply,
    /// How the replies were compared, for the report.
    pub how: String,
}

/// Sends a set-listing command and compares the replies exactly when
/// Redis's are in intset order, else under `otherwise`. The reply type
/// (`*` or RESP3's `~`) must agree either way.
pub fn set_reply(pair: &mut Pair, args: &[Vec<u8>], order: &SetOrder, otherwise: Cmp) -> Outcome {
    let ((ra, raw_a), (rb, raw_b)) = pair.both(args);
    let exact = in_intset_order(pair, order, &ra);
    let cmp = if exact { Cmp::Exact } else { otherwise };
    let ok = raw_a.first() == raw_b.first() && compare::agree(cmp, &ra, &raw_a, &rb, &raw_b);
    Outcome {
        ok,
        redis: ra,
        ferredis: rb,
        how: format!("compared {cmp:?}"),
    }
}

/// The members a reply names: a bulk, or the bulks of an array.
fn elements(r: &Reply) -> Vec<Vec<u8>> {
    match r {
        Reply::Bulk(Some(b)) => vec![b.clone()],
        Reply::Array(Some(items)) => items
            .iter()
            .filter_map(|i| match i {
                Reply::Bulk(Some(b)) => Some(b.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn members_of(pair: &mut Pair, key: &[u8]) -> Vec<Vec<u8>> {
    elements(&probe(pair, &[b"SMEMBERS", key]))
}

/// Sends SPOP or SRANDMEMBER and checks both replies against the set as
/// it was before.
pub fn random_members(
    pair: &mut Pair,
    args: &[Vec<u8>],
    key: &[u8],
    pops: bool,
    unique: bool,
) -> Outcome {
    let before: HashSet<Vec<u8>> = members_of(pair, key).into_iter().collect();
    let ((ra, raw_a), (rb, raw_b)) = pair.both(args);
    let (ea, eb) = (elements(&ra), elements(&rb));
    let valid = |e: &[Vec<u8>]| {
        e.iter().all(|m| before.contains(m))
            && (!unique || e.iter().collect::<HashSet<_>>().len() == e.len())
    };
    let ok = if ra.is_error() || rb.is_error() {
        raw_a == raw_b
    } else {
        raw_a.first() == raw_b.first()
            && compare::same_shape(&ra, &rb)
            && ea.len() == eb.len()
            && valid(&ea)
            && valid(&eb)
    };
    let (mut sa, mut sb) = (ea, eb);
    sa.sort();
    sb.sort();
    if pops && sa != sb {
        let after = members_of(pair, key);
        pair.both(&[b"DEL".to_vec(), key.to_vec()]);
        if !after.is_empty() {
            let mut sadd = vec![b"SADD".to_vec(), key.to_vec()];
            sadd.extend(after);
            pair.both(&sadd);
        }
    }
    Outcome {
        ok,
        redis: ra,
        ferredis: rb,
        how: format!(
            "compared by type, size and membership{}",
            if unique { ", no repeats" } else { "" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::is_int;

    #[test]
    fn string2ll() {
        for yes in [
            "0",
            "-1",
            "12",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert!(is_int(yes.as_bytes()), "{yes}");
        }
        for no in [
            "",
            "-",
            "-0",
            "+1",
            "01",
            " 1",
            "1 ",
            "1.0",
            "9223372036854775808",
            "a",
        ] {
            assert!(!is_int(no.as_bytes()), "{no}");
        }
    }
}
