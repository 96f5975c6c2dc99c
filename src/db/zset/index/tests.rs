//! The index alone: tree invariants after every kind of change, ranks
//! against a model, range removal, compaction and the scan cursor.

use super::*;

fn member(i: usize) -> Vec<u8> {
    format!("m{i:06}").into_bytes()
}

/// Checks sizes, order and heap order everywhere, and the hash table.
fn check(index: &Index) {
    fn walk(ix: &Index, t: u32) -> u32 {
        if t == NIL {
            return 0;
        }
        let (l, r) = (ix.left(t), ix.right(t));
        for c in [l, r] {
            assert!(c == NIL || priority(c) < priority(t), "heap order");
        }
        assert!(l == NIL || ix.cmp_nodes(l, t).is_lt());
        assert!(r == NIL || ix.cmp_nodes(t, r).is_lt());
        let size = walk(ix, l) + walk(ix, r) + 1;
        assert_eq!(ix.size(t), size);
        size
    }
    walk(index, index.root);
    let all: Vec<_> = index.iter_from(0, false).collect();
    assert_eq!(all.len(), index.len());
    for w in all.windows(2) {
        assert!(cmp_key(w[0].1, w[0].0, w[1].1, w[1].0).is_lt());
    }
    for (m, s) in &all {
        assert_eq!(index.score(m), Some(*s));
    }
}

#[test]
fn insert_update_remove_rank() {
    let mut ix = Index::new();
    let mut rng = fastrand::Rng::with_seed(3);
    let mut model = std::collections::BTreeMap::new();
    for i in 0..3000 {
        let s = rng.i32(-50..50) as f64;
        ix.insert(&member(i), s);
        model.insert(member(i), s);
    }
    check(&ix);
    for i in (0..3000).step_by(3) {
        let s = rng.i32(-50..50) as f64;
        assert!(ix.update(&member(i), s));
        model.insert(member(i), s);
    }
    for i in (1..3000).step_by(4) {
        assert_eq!(ix.remove(&member(i)), model.remove(&member(i)));
    }
    assert_eq!(ix.remove(b"nope"), None);
    check(&ix);
    let mut sorted: Vec<(Vec<u8>, f64)> = model.into_iter().collect();
    sorted.sort_by(|a, b| cmp_key(a.1, &a.0, b.1, &b.0));
    for (rank, (m, s)) in sorted.iter().enumerate() {
        assert_eq!(ix.rank(m), Some((rank, *s)));
        assert_eq!(ix.at(rank), Some((&m[..], *s)));
    }
    assert_eq!(ix.at(sorted.len()), None);
    let back: Vec<_> = ix
        .iter_from(sorted.len() - 1, true)
        .map(|(m, _)| m.to_vec())
        .collect();
    let want: Vec<_> = sorted.iter().rev().map(|(m, _)| m.clone()).collect();
    assert_eq!(back, want);
    let mid: Vec<_> = ix
        .iter_from(100, false)
        .take(5)
        .map(|(m, _)| m.to_vec())
        .collect();
    assert_eq!(
        mid,
        sorted[100..105]
            .iter()
            .map(|(m, _)| m.clone())
            .collect::<Vec<_>>()
    );
    let below = sorted.iter().filter(|(_, s)| *s < 0.0).count();
    assert_eq!(ix.count_score_below(0.0, false), below);
    let at_most = sorted.iter().filter(|(_, s)| *s <= 0.0).count();
    assert_eq!(ix.count_score_below(0.0, true), at_most);
}

#[test]
fn range_removal_and_compaction() {
    let elements: Vec<(Vec<u8>, f64)> = (0..5000).map(|i| (member(i), i as f64)).collect();
    let mut ix = Index::from_sorted(elements.iter().map(|(m, s)| (m, *s)));
    check(&ix);
    assert_eq!(ix.remove_ranks(10, 20), 20);
    assert_eq!(ix.at(10).map(|(m, _)| m.to_vec()), Some(member(30)));
    assert_eq!(ix.remove_ranks(4000, 10_000), 980);
    check(&ix);
    // Most of the set goes: the arena and the table follow it down.
    assert_eq!(ix.remove_ranks(100, 3800), 3800);
    check(&ix);
    assert_eq!(ix.len(), 200);
    assert!(
        ix.nodes.len() <= 800 && ix.buckets.len() <= 256,
        "compacted"
    );
    assert_eq!(ix.count_member_below(LexBound::Value(b"m000005"), true), 6);
    assert_eq!(ix.count_member_below(LexBound::PosInf, false), 200);
    assert_eq!(ix.count_member_below(LexBound::NegInf, true), 0);
}

#[test]
fn scan_visits_everything_once_per_cycle() {
    let mut ix = Index::new();
    for i in 0..1000 {
        ix.insert(&member(i), 0.0);
    }
    let mut seen = std::collections::HashSet::new();
    let mut cursor = 0;
    loop {
        cursor = ix.scan(cursor, &mut |m, _| {
            assert!(seen.insert(m.to_vec()));
        });
        if cursor == 0 {
            break;
        }
    }
    assert_eq!(seen.len(), 1000);
}

#[test]
fn node_is_compact() {
    assert_eq!(std::mem::size_of::<Node>(), 40);
}
