//! The quicklist against a plain model (a VecDeque of byte strings) under
//! random operations, for several fills, checking the node invariants
//! after every step.

use super::*;
use std::collections::VecDeque;

fn contents(list: &List) -> Vec<Vec<u8>> {
    list.iter().map(|e| e.to_vec()).collect()
}

/// No empty nodes, lengths add up, and every node within its entry
/// count unless it holds a single element. (Its byte cap is not an
/// invariant: Redis 7.0's LSET replaces in place whatever the size.)
fn check_invariants(list: &List) {
    let total: usize = list.nodes.iter().map(Listpack::len).sum();
    assert_eq!(total, list.len);
    for node in &list.nodes {
        assert!(!node.is_empty(), "empty node");
        if node.len() > 1 && list.fill > 0 {
            assert!(node.len() <= list.fill as usize, "node over its count");
        }
    }
}

fn value(rng: &mut fastrand::Rng) -> Vec<u8> {
    match rng.u32(..6) {
        0 => rng.i64(-100_000..100_000).to_string().into_bytes(),
        1 => vec![b'b'; rng.usize(0..3000)],
        2 => vec![b'x'; 9000],
        _ => format!("v{}", rng.u32(..20)).into_bytes(),
    }
}

#[test]
fn behaves_like_a_deque_for_every_fill() {
    for fill in [-1i64, -2, -5, 1, 2, 5, 128, 0] {
        let mut rng = fastrand::Rng::with_seed(fill.unsigned_abs());
        let mut list = List::new(fill);
        let mut model: VecDeque<Vec<u8>> = VecDeque::new();
        for step in 0..3000 {
            let len = model.len() as i64;
            match rng.u32(..11) {
                0..=2 => {
                    let v = value(&mut rng);
                    if rng.bool() {
                        list.push(End::Head, &v[..]);
                        model.push_front(v);
                    } else {
                        list.push(End::Tail, &v[..]);
                        model.push_back(v);
                    }
                }
                3 => {
                    let end = if rng.bool() { End::Head } else { End::Tail };
                    let got = list.pop_with(end, |e| e.to_vec());
                    let want = match end {
                        End::Head => model.pop_front(),
                        End::Tail => model.pop_back(),
                    };
                    assert_eq!(got, want);
                }
                4 => {
                    let end = if rng.bool() { End::Head } else { End::Tail };
                    let n = rng.usize(0..40);
                    let mut out = Listpack::new();
                    let popped = list.pop_into(end, n, &mut out);
                    let want: Vec<Vec<u8>> = (0..n)
                        .map_while(|_| match end {
                            End::Head => model.pop_front(),
                            End::Tail => model.pop_back(),
                        })
                        .collect();
                    assert_eq!(popped, want.len());
                    let got: Vec<Vec<u8>> = out.iter().map(|(_, e)| e.to_vec()).collect();
                    assert_eq!(got, want);
                }
                5 => {
                    let i = rng.i64(-len - 2..len + 2);
                    let v = value(&mut rng);
                    let ok = list.set(i, &v);
                    let idx = if i < 0 { len + i } else { i };
                    assert_eq!(ok, (0..len).contains(&idx), "set {i}");
                    if ok {
                        model[idx as usize] = v;
                    }
                }
                6 => {
                    let pivot = value(&mut rng);
                    let v = value(&mut rng);
                    let after = rng.bool();
                    let ok = list.insert(&pivot, &v, after);
                    match model.iter().position(|e| *e == pivot) {
                        Some(p) => {
                            assert!(ok);
                            model.insert(if after { p + 1 } else { p }, v);
                        }
                        None => assert!(!ok),
                    }
                }
                7 => {
                    let target = format!("v{}", rng.u32(..20)).into_bytes();
                    let count = rng.i64(-3..4);
                    let removed = list.remove(&target, count);
                    let mut want = 0;
                    let limit = if count == 0 {
                        usize::MAX
                    } else {
                        count.unsigned_abs() as usize
                    };
                    if count >= 0 {
                        let mut i = 0;
                        while i < model.len() && want < limit {
                            if model[i] == target {
                                model.remove(i);
                                want += 1;
                            } else {
                                i += 1;
                            }
                        }
                    } else {
                        let mut i = model.len();
                        while i > 0 && want < limit {
                            i -= 1;
                            if model[i] == target {
                                model.remove(i);
                                want += 1;
                            }
                        }
                    }
                    assert_eq!(removed, want);
                }
                8 => {
                    let n = rng.usize(0..30);
                    let end = if rng.bool() { End::Head } else { End::Tail };
                    list.remove_from(end, n);
                    for _ in 0..n {
                        match end {
                            End::Head => model.pop_front(),
                            End::Tail => model.pop_back(),
                        };
                    }
                }
                9 => {
                    let i = rng.i64(-len - 2..len + 2);
                    let idx = if i < 0 { len + i } else { i };
                    let want = usize::try_from(idx).ok().and_then(|i| model.get(i));
                    assert_eq!(list.get(i).map(|e| e.to_vec()).as_ref(), want);
                }
                _ => {
                    if len > 0 {
                        let start = rng.usize(..model.len());
                        let fwd: Vec<Vec<u8>> = list.iter_from(start).map(|e| e.to_vec()).collect();
                        let want: Vec<Vec<u8>> = model.iter().skip(start).cloned().collect();
                        assert_eq!(fwd, want);
                        let back: Vec<Vec<u8>> =
                            list.iter_rev_from(start).map(|e| e.to_vec()).collect();
                        let want: Vec<Vec<u8>> =
                            model.iter().take(start + 1).rev().cloned().collect();
                        assert_eq!(back, want);
                    }
                }
            }
            check_invariants(&list);
            assert_eq!(list.len(), model.len(), "fill {fill} step {step}");
        }
        assert_eq!(contents(&list), model.iter().cloned().collect::<Vec<_>>());
    }
}

#[test]
fn small_elements_share_nodes_and_big_ones_do_not() {
    let mut list = List::new(-2);
    for i in 0..10_000 {
        list.push(End::Tail, format!("{i}").as_bytes());
    }
    // 8 KiB nodes of entries of 3 to 5 bytes.
    assert!(list.nodes.len() < 10, "{} nodes", list.nodes.len());
    let big = vec![b'x'; 10_000];
    list.push(End::Tail, &big[..]);
    list.push(End::Tail, &b"after"[..]);
    let n = list.nodes.len();
    assert_eq!(list.nodes[n - 2].len(), 1);
    assert_eq!(list.nodes[n - 1].len(), 1);
    // LSET of a big value in the middle of a full node keeps it there,
    // past the cap, as Redis 7.0 does.
    let nodes = list.nodes.len();
    assert!(list.set(5, &big));
    check_invariants(&list);
    assert_eq!(list.nodes.len(), nodes);
    assert!(list.nodes[0].bytes_len() > list.node_limit());
    assert_eq!(list.get(5).map(|e| e.to_vec()), Some(big));
    assert_eq!(list.get(6).map(|e| e.to_vec()), Some(b"6".to_vec()));
}

#[test]
fn positive_fill_counts_entries_and_fill_is_clamped() {
    let mut list = List::new(3);
    for i in 0..10 {
        list.push(End::Head, format!("{i}").as_bytes());
    }
    let sizes: Vec<usize> = list.nodes.iter().map(Listpack::len).collect();
    assert_eq!(sizes, [1, 3, 3, 3]);
    assert_eq!(List::new(-100).fill, -5);
    assert_eq!(List::new(1 << 40).fill, i16::MAX);
    // Fill 0 gives every element a node of its own, as in Redis.
    let mut one = List::new(0);
    for _ in 0..3 {
        one.push(End::Tail, &b"a"[..]);
    }
    assert_eq!(one.nodes.len(), 3);
}

#[test]
fn full_nodes_hold_little_spare_room() {
    let mut list = List::new(-2);
    for i in 0..100_000 {
        list.push(End::Tail, format!("v{i:06}").as_bytes());
    }
    let used: usize = list.nodes.iter().map(Listpack::bytes_len).sum();
    let held: usize = list.nodes.iter().map(Listpack::capacity).sum();
    assert!(held < used + used / 50, "held {held} for {used}");
}
