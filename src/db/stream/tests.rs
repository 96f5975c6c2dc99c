use super::*;

const LIMITS: NodeLimits = NodeLimits {
    entries: 100,
    bytes: 4096,
};

fn fields(pairs: &[&str]) -> Vec<Bytes> {
    pairs
        .iter()
        .map(|s| Bytes::copy_from_slice(s.as_bytes()))
        .collect()
}

fn ids(s: &Stream, rev: bool) -> Vec<StreamId> {
    let mut out = Vec::new();
    s.range(StreamId::MIN, StreamId::MAX, rev, &mut |id, _| {
        out.push(id);
        true
    });
    out
}

#[test]
fn blocks_split_at_the_entry_limit_and_deltas_round_trip() {
    let mut s = Stream::new();
    for i in 1..=250u64 {
        let f = if i % 3 == 0 {
            fields(&["a", "1", "b", "x"])
        } else {
            fields(&["a", "2"])
        };
        s.append(StreamId::new(i * 1000, i), &f, LIMITS);
    }
    assert_eq!(s.len(), 250);
    assert_eq!(s.node_count(), 3);
    let fwd = ids(&s, false);
    assert_eq!(fwd.len(), 250);
    assert_eq!(fwd[2], StreamId::new(3000, 3));
    let mut rev = ids(&s, true);
    rev.reverse();
    assert_eq!(fwd, rev);
    let mut got = Vec::new();
    s.range(
        StreamId::new(3000, 3),
        StreamId::new(3000, 3),
        false,
        &mut |_, f| {
            got = f.iter().map(|e| e.to_vec()).collect();
            true
        },
    );
    assert_eq!(
        got,
        vec![b"a".to_vec(), b"1".to_vec(), b"b".to_vec(), b"x".to_vec()]
    );
}

#[test]
fn delete_drops_empty_blocks_and_trim_keeps_whole_blocks_when_approximate() {
    let mut s = Stream::new();
    for i in 1..=250u64 {
        s.append(StreamId::new(i, 0), &fields(&["f", "v"]), LIMITS);
    }
    let approx = Trim {
        to: TrimTo::MaxLen(120),
        approx: true,
        limit: 0,
    };
    assert_eq!(s.trim(approx), 100);
    assert_eq!(s.len(), 150);
    assert_eq!(s.first_id, StreamId::new(101, 0));
    let exact = Trim {
        approx: false,
        ..approx
    };
    assert_eq!(s.trim(exact), 30);
    assert_eq!(s.first_id, StreamId::new(131, 0));
    assert!(s.delete(StreamId::new(131, 0)));
    assert!(!s.delete(StreamId::new(131, 0)));
    assert_eq!(s.len(), 119);
}
