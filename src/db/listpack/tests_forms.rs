//! The entry forms shared with Redis's listpack, long back-lengths, and
//! the edits lists use.

use super::*;

fn values(lp: &Listpack) -> Vec<Vec<u8>> {
    lp.iter().map(|(_, e)| e.to_vec()).collect()
}

#[test]
fn every_integer_form_round_trips() {
    let mut lp = Listpack::new();
    let edges: Vec<i64> = vec![
        0,
        127,
        128,
        -1,
        -4096,
        4095,
        4096,
        -4097,
        32767,
        -32768,
        32768,
        -32769,
        (1 << 23) - 1,
        -(1 << 23),
        1 << 23,
        -(1 << 23) - 1,
        i64::from(i32::MAX),
        i64::from(i32::MIN),
        i64::from(i32::MAX) + 1,
        i64::MAX,
        i64::MIN,
    ];
    for n in &edges {
        lp.push_back(n.to_string().as_bytes());
    }
    let back: Vec<Entry> = lp.iter().map(|(_, e)| e).collect();
    assert_eq!(
        back,
        edges.iter().map(|&n| Entry::Int(n)).collect::<Vec<_>>()
    );
    let rev = lp.iter_rev().count();
    assert_eq!(rev, edges.len());
    // The sizes Redis's listpack gives these: 13-bit and 24-bit forms.
    assert_eq!(entry_size(EntryInput::Int(-4096)), 3);
    assert_eq!(entry_size(EntryInput::Int(1_000_000)), 5);
    assert_eq!(entry_size(EntryInput::Bytes(&[b'a'; 100])), 103);
}

#[test]
fn tags_and_back_lengths_are_redis_s() {
    let mut lp = Listpack::new();
    for v in [&b"5"[..], b"-1", b"30000", b"100000", b"3000000000", b"ab"] {
        lp.push_back(v);
    }
    lp.push_back(&[b'c'; 100][..]);
    let tags: Vec<u8> = lp.iter().map(|(p, _)| lp.encoded()[p]).collect();
    assert_eq!(tags, [0x05, 0xdf, 0xf1, 0xf2, 0xf4, 0x82, 0xe0]);
    // lpEncodeBacklen's bounds are one below a power of 128: an entry of
    // 16382 bytes has a two-byte back-length, one of 16383 three.
    assert_eq!(entry_size(EntryInput::Bytes(&[b'a'; 16_377])), 16_382 + 2);
    assert_eq!(entry_size(EntryInput::Bytes(&[b'a'; 16_378])), 16_383 + 3);
    assert_eq!(entry_size(EntryInput::Bytes(&[b'a'; 125])), 127 + 1);
    assert_eq!(entry_size(EntryInput::Bytes(&[b'a'; 126])), 128 + 2);
    lp.push_back(&[b'd'; 16_378][..]);
    lp.push_back(&b"e"[..]);
    assert_eq!(lp.iter_rev().count(), 9);
}

#[test]
fn large_entries_have_long_back_lengths() {
    let mut lp = Listpack::new();
    let sizes = [63, 64, 125, 4095, 4096, 16_380, 40 * 1024, 3 << 20];
    for &n in &sizes {
        lp.push_back(&vec![b'z'; n][..]);
        lp.push_back(&b"1"[..]);
    }
    let back: Vec<usize> = lp.iter_rev().map(|(_, e)| e.to_vec().len()).collect();
    let mut want: Vec<usize> = sizes.iter().flat_map(|&n| [n, 1]).collect();
    want.reverse();
    assert_eq!(back, want);
    let mut lens = Vec::new();
    let mut pos = lp.last();
    while let Some(p) = pos {
        lens.push(lp.entry_size_at(p));
        pos = lp.prev(p);
    }
    assert_eq!(lens.iter().sum::<usize>(), lp.bytes_len());
}

#[test]
fn remove_matching_from_either_end() {
    let mut lp = Listpack::new();
    for v in ["a", "1", "a", "b", "a", "1", "a"] {
        lp.push_back(v.as_bytes());
    }
    let mut front = lp.clone();
    assert_eq!(front.remove_matching(b"a", 2, false), 2);
    assert_eq!(values(&front), [&b"1"[..], b"b", b"a", b"1", b"a"]);
    let mut back = lp.clone();
    assert_eq!(back.remove_matching(b"a", 3, true), 3);
    assert_eq!(values(&back), [&b"a"[..], b"1", b"b", b"1"]);
    assert_eq!(lp.remove_matching(b"1", usize::MAX, false), 2);
    assert_eq!(lp.len(), 5);
    assert_eq!(lp.iter_rev().count(), 5);
    lp.replace_at(lp.seek(1).unwrap(), &[b'q'; 5000][..]);
    lp.replace_at(lp.seek(1).unwrap(), &b"7"[..]);
    assert_eq!(values(&lp), [&b"a"[..], b"7", b"b", b"a", b"a"]);
}
