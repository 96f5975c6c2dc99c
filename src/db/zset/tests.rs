//! The two encodings must answer every question alike: the same elements
//! go into a listpack and into the big index, and ranks, ranges, counts,
//! removals and pops are compared, with a plain sorted Vec as the model.

use super::*;

const SMALL: Limits = Limits {
    entries: usize::MAX,
    value: usize::MAX,
};
const BIG: Limits = Limits {
    entries: 0,
    value: 0,
};

fn members(set: &ZSet) -> Vec<(Vec<u8>, f64)> {
    let mut out = Vec::new();
    set.for_each(&mut |m, s| out.push((m.as_bytes(&mut [0u8; 32]).to_vec(), s)));
    out
}

/// Random members (numbers too, which a listpack stores as integers) with
/// scores from a narrow range, so ties are ordered by member.
fn both(seed: u64, n: usize, same_score: bool) -> (ZSet, ZSet) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut small, mut big) = (ZSet::default(), ZSet::for_zadd(1, BIG));
    for _ in 0..n {
        let member = match rng.u32(..3) {
            0 => rng.i64(-300..300).to_string().into_bytes(),
            1 => format!("m{}", rng.u32(..500)).into_bytes(),
            _ => vec![b'x'; rng.usize(0..20)],
        };
        let score = if same_score {
            0.0
        } else {
            f64::from(rng.i32(-5..5)) / 2.0
        };
        let flags = AddFlags::default();
        let a = small.add(&member, score, flags, SMALL);
        assert_eq!(big.add(&member, score, flags, BIG), a);
    }
    assert_eq!((small.encoding(), big.encoding()), ("listpack", "skiplist"));
    (small, big)
}

#[test]
fn ranks_and_walks_agree() {
    let (small, big) = both(1, 300, false);
    let all = members(&small);
    assert_eq!(all, members(&big));
    for w in all.windows(2) {
        assert!(w[0].1 < w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0));
    }
    for (rank, (m, s)) in all.iter().enumerate() {
        for set in [&small, &big] {
            assert_eq!(set.rank(m, false), Some((rank, *s)));
            assert_eq!(set.rank(m, true), Some((all.len() - 1 - rank, *s)));
            assert_eq!(set.at(rank), Some((m.clone(), *s)));
        }
    }
    let mut back = Vec::new();
    big.walk(all.len() - 1, true, &mut |m, _| {
        back.push(m.as_bytes(&mut [0u8; 32]).to_vec());
        true
    });
    assert_eq!(back.len(), all.len());
    assert_eq!(back.first(), all.last().map(|(m, _)| m));
}

#[test]
fn score_ranges_agree() {
    let (small, big) = both(2, 200, false);
    let all = members(&small);
    let bounds = [
        "-inf", "+inf", "0", "(0", "1.5", "(1.5", "-2", "(-2.5", "2", "(2", "-3", "3",
    ];
    for min in bounds {
        for max in bounds {
            let Some(r) = ScoreRange::parse(min.as_bytes(), max.as_bytes()) else {
                panic!("{min} {max}");
            };
            let inside: Vec<usize> = (0..all.len())
                .filter(|&i| r.gte_min(all[i].1) && r.lte_max(all[i].1))
                .collect();
            for set in [&small, &big] {
                assert_eq!(set.count_in_score(&r), inside.len(), "{min} {max}");
                assert_eq!(set.score_start(&r, false), inside.first().copied());
                assert_eq!(set.score_start(&r, true), inside.last().copied());
            }
        }
    }
}

#[test]
fn lex_ranges_agree() {
    let (small, big) = both(3, 200, true);
    let all = members(&small);
    let bounds = ["-", "+", "[m1", "(m1", "[x", "(xxxx", "[", "(", "[5", "(-1"];
    for min in bounds {
        for max in bounds {
            let Some(r) = LexRange::parse(min.as_bytes(), max.as_bytes()) else {
                panic!("{min} {max}");
            };
            let inside: Vec<usize> = (0..all.len())
                .filter(|&i| r.gte_min(&all[i].0) && r.lte_max(&all[i].0))
                .collect();
            for set in [&small, &big] {
                assert_eq!(set.count_in_lex(&r), inside.len(), "{min} {max}");
                assert_eq!(set.lex_start(&r, false), inside.first().copied());
                assert_eq!(set.lex_start(&r, true), inside.last().copied());
            }
        }
    }
}

#[test]
fn removals_and_pops_agree() {
    let (mut small, mut big) = both(4, 300, false);
    assert_eq!(small.remove_ranks(10, 25), big.remove_ranks(10, 25));
    assert_eq!(small.remove_ranks(1000, 5), 0);
    let r = ScoreRange::parse(b"(-1", b"1").unwrap_or_else(|| panic!("range"));
    assert_eq!(small.remove_score_range(&r), big.remove_score_range(&r));
    assert_eq!(small.count_in_score(&r), 0);
    assert_eq!(members(&small), members(&big));
    for max in [false, true, true, false] {
        assert_eq!(small.pop(max), big.pop(max));
    }
    let mut rest = members(&small);
    assert_eq!(rest, members(&big));
    for (m, _) in rest.drain(..5) {
        assert!(small.remove(&m) && big.remove(&m));
        assert!(!small.remove(&m) && !big.remove(&m));
    }
    assert_eq!(members(&small), members(&big));
    while let Some(e) = small.pop(false) {
        assert_eq!(big.pop(false), Some(e));
    }
    assert!(big.is_empty() && big.pop(true).is_none());
}

#[test]
fn conversion_is_one_way_and_keeps_order() {
    let limits = Limits {
        entries: 3,
        value: 4,
    };
    let mut z = ZSet::for_zadd(1, limits);
    for (m, s) in [("c", 3.0), ("a", 1.0), ("b", 2.0)] {
        z.add(m.as_bytes(), s, AddFlags::default(), limits);
    }
    assert_eq!(z.encoding(), "listpack");
    z.add(b"d", 0.5, AddFlags::default(), limits);
    assert_eq!(z.encoding(), "skiplist");
    assert!(z.remove(b"a") && z.remove(b"b") && z.remove(b"c"));
    assert_eq!(z.encoding(), "skiplist");
    assert_eq!(members(&z), vec![(b"d".to_vec(), 0.5)]);
    // A long first member makes ZADD start with the big encoding.
    assert_eq!(ZSet::for_zadd(5, limits).encoding(), "skiplist");
    let long = ZSet::from_sorted(vec![(b"abcde".to_vec(), 1.0)], limits);
    assert_eq!(long.encoding(), "skiplist");
    let short = ZSet::from_sorted(vec![(b"abcd".to_vec(), 1.0)], limits);
    assert_eq!(short.encoding(), "listpack");
}
