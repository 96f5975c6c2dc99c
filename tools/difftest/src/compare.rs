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
        Cmp::Subset => subset(a, raw_a, b, raw_b, &|_| false),
        // Resolved by the caller, which knows the encoding.
        Cmp::ExactIfCompact { .. } => raw_a == raw_b,
        Cmp::CommandEntries => match (a, b) {
            (Reply::Array(Some(x)), Reply::Array(Some(y))) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|(p, q)| command_entry(p) == command_entry(q))
            }
            _ => raw_a == raw_b,
        },
    }
}

/// Every element of `b` (ferredis) is in `a` (Redis), except those naming
/// a command `excused` says differs for a known reason. Elements are
/// command names, or command entries whose first item is the name.
pub fn subset(
    a: &Reply,
    raw_a: &[u8],
    b: &Reply,
    raw_b: &[u8],
    excused: &dyn Fn(&[u8]) -> bool,
) -> bool {
    match (a, b) {
        (Reply::Array(Some(x)), Reply::Array(Some(y))) => {
            let theirs: Vec<Vec<u8>> = x.iter().map(command_entry).collect();
            y.iter().all(|item| {
                let name = match item {
                    Reply::Bulk(Some(n)) => Some(n),
                    Reply::Array(Some(parts)) => match parts.first() {
                        Some(Reply::Bulk(Some(n))) => Some(n),
                        _ => None,
                    },
                    _ => None,
                };
                name.is_some_and(|n| excused(n)) || theirs.contains(&command_entry(item))
            })
        }
        _ => raw_a == raw_b,
    }
}

/// A COMMAND INFO entry encoded with its subcommands (the tenth item)
/// sorted; any other reply encoded as it is.
fn command_entry(r: &Reply) -> Vec<u8> {
    match r {
        Reply::Array(Some(items)) if items.len() == 10 => {
            let mut items = items.clone();
            if let Reply::Array(Some(subs)) = &mut items[9] {
                subs.sort_by_key(encoded);
            }
            encoded(&Reply::Array(Some(items)))
        }
        other => encoded(other),
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

/// Whether a random pick `sample` (ferredis's reply) comes from
/// `population` (ferredis's listing of the collection): each element, or
/// each field/value pair when `pairs` (flat in RESP2, nested in RESP3), is
/// in it, and at most once when `distinct`.
pub fn sample_ok(sample: &Reply, population: &Reply, pairs: bool, distinct: bool) -> bool {
    let Reply::Array(Some(pop)) = population else {
        return false;
    };
    let chunk = if pairs { 2 } else { 1 };
    let known: Vec<Vec<u8>> = pop.chunks(chunk).map(encoded_all).collect();
    let picked: Vec<Vec<u8>> = match sample {
        Reply::Bulk(None) | Reply::Other(b'_', _) => Vec::new(),
        Reply::Bulk(Some(_)) => vec![encoded(sample)],
        Reply::Array(Some(items)) if items.iter().all(|i| matches!(i, Reply::Array(Some(_)))) => {
            items
                .iter()
                .map(|i| match i {
                    Reply::Array(Some(pair)) => encoded_all(pair),
                    other => encoded(other),
                })
                .collect()
        }
        Reply::Array(Some(items)) => items.chunks(chunk).map(encoded_all).collect(),
        _ => return false,
    };
    if distinct {
        let mut seen = picked.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != picked.len() {
            return false;
        }
    }
    picked.iter().all(|p| known.contains(p))
}

fn encoded_all(items: &[Reply]) -> Vec<u8> {
    items.iter().flat_map(encoded).collect()
}

/// Same reply type; arrays of the same length (or both nil).
pub fn same_shape(a: &Reply, b: &Reply) -> bool {
    match (a, b) {
        (Reply::Array(Some(x)), Reply::Array(Some(y))) => x.len() == y.len(),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// For set-like comparisons, what one side has and the other lacks (the
/// full replies are too long to read).
pub fn describe(cmp: Cmp, a: &Reply, b: &Reply) -> Option<String> {
    let items = |r: &Reply| -> Option<Vec<Vec<u8>>> {
        match (cmp, r) {
            (Cmp::UnorderedPairs, _) => {
                sorted_pairs(r).map(|v| v.into_iter().map(|(k, v)| [k, v].concat()).collect())
            }
            (Cmp::Unordered, _) => sorted(r),
            (Cmp::Subset, Reply::Array(Some(v))) => Some(v.iter().map(command_entry).collect()),
            _ => None,
        }
    };
    let (x, y) = (items(a)?, items(b)?);
    let only = |p: &Vec<Vec<u8>>, q: &Vec<Vec<u8>>| {
        let missing: Vec<String> = p
            .iter()
            .filter(|i| !q.contains(i))
            .map(|i| crate::resp::show_bytes(i, 120))
            .collect();
        let shown = missing
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ");
        match missing.len() {
            n if n > 5 => format!("{shown} | ... {} more", n - 5),
            _ => shown,
        }
    };
    if cmp == Cmp::Subset {
        return Some(format!("only in ferredis: [{}]", only(&y, &x)));
    }
    Some(format!(
        "only in redis: [{}]; only in ferredis: [{}]",
        only(&x, &y),
        only(&y, &x)
    ))
}
