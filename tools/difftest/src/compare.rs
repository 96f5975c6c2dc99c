//! Deciding whether two replies agree, under the comparison rule of the
//! command that produced them.

use crate::generate::Cmp;
use crate::resp::Reply;

/// Whether `a` (Redis) and `b` (ferredis) agree under `cmp`; `raw_*` are
/// the exact bytes each server sent.
pub fn agree(cmp: Cmp, a: &Reply, raw_a: &[u8], b: &Reply, raw_b: &[u8]) -> bool {
    match cmp {
        Cmp::Exact => raw_a == raw_b && a == b,
        // An error is compared exactly whatever the rule.
        _ if a.is_error() || b.is_error() => raw_a == raw_b,
        Cmp::Unordered => sorted(a) == sorted(b),
        Cmp::UnorderedPairs => sorted_pairs(a) == sorted_pairs(b),
        Cmp::Near(tolerance) => match (a, b) {
            (Reply::Int(x), Reply::Int(y)) if *x < 0 || *y < 0 => x == y,
            (Reply::Int(x), Reply::Int(y)) => (x - y).abs() <= tolerance,
            _ => raw_a == raw_b,
        },
        Cmp::Shape => same_shape(a, b),
    }
}

fn encoded(r: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    r.encode(&mut out);
    out
}

fn sorted(r: &Reply) -> Option<Vec<Vec<u8>>> {
    match r {
        Reply::Array(Some(items)) => {
            let mut v: Vec<Vec<u8>> = items.iter().map(encoded).collect();
            v.sort();
            Some(v)
        }
        _ => None,
    }
}

fn sorted_pairs(r: &Reply) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    match r {
        Reply::Array(Some(items)) if items.len() % 2 == 0 => {
            let mut v: Vec<(Vec<u8>, Vec<u8>)> = items
                .chunks(2)
                .map(|p| (encoded(&p[0]), encoded(&p[1])))
                .collect();
            v.sort();
            Some(v)
        }
        _ => None,
    }
}

/// Same reply type; arrays of the same length (or both nil).
pub fn same_shape(a: &Reply, b: &Reply) -> bool {
    match (a, b) {
        (Reply::Array(Some(x)), Reply::Array(Some(y))) => x.len() == y.len(),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}
