//! Storing and reading back entries, walking both ways, and edits.

use super::*;

fn values(lp: &Listpack) -> Vec<Vec<u8>> {
    lp.iter().map(|(_, e)| e.to_vec()).collect()
}

#[test]
fn round_trips_strings_and_integers() {
    let mut lp = Listpack::new();
    let long = vec![b'x'; 300];
    let items: Vec<&[u8]> = vec![
        b"",
        b"0",
        b"127",
        b"128",
        b"-1",
        b"32767",
        b"-32769",
        b"2147483648",
        b"9223372036854775807",
        b"-9223372036854775808",
        b"01",
        b"1.5",
        b"abc",
        &long,
    ];
    for i in &items {
        lp.push_back(*i);
    }
    assert_eq!(lp.len(), items.len());
    assert_eq!(
        values(&lp),
        items.iter().map(|i| i.to_vec()).collect::<Vec<_>>()
    );
    let rev: Vec<Vec<u8>> = lp.iter_rev().map(|(_, e)| e.to_vec()).collect();
    let mut want: Vec<Vec<u8>> = items.iter().map(|i| i.to_vec()).collect();
    want.reverse();
    assert_eq!(rev, want);
    assert!(matches!(lp.get(0), Some(Entry::Str(b""))));
    assert_eq!(lp.get(lp.seek(1).unwrap()), Some(Entry::Int(0)));
    assert_eq!(lp.get(lp.seek(-1).unwrap()).unwrap().to_vec(), long);
    assert_eq!(lp.seek(items.len() as i64), None);
    assert_eq!(lp.seek(-(items.len() as i64) - 1), None);
}

#[test]
fn small_integers_take_one_byte() {
    let mut lp = Listpack::new();
    lp.push_back(&b"7"[..]);
    assert_eq!(lp.bytes_len(), 2);
    lp.push_back(&b"hello"[..]);
    assert_eq!(lp.bytes_len(), 2 + 7);
}

#[test]
fn edits() {
    let mut lp = Listpack::new();
    for v in ["a", "b", "c", "d"] {
        lp.push_back(v.as_bytes());
    }
    lp.push_front(&b"z"[..]);
    let c = lp.find(b"c", 1).unwrap();
    lp.insert_at(c, &b"bb"[..]);
    assert_eq!(values(&lp), [&b"z"[..], b"a", b"b", b"bb", b"c", b"d"]);
    let b = lp.find(b"b", 1).unwrap();
    lp.replace_at(b, &b"a long replacement value"[..]);
    let next = lp.remove_at(lp.find(b"a", 1).unwrap()).unwrap();
    assert_eq!(lp.get(next).unwrap().to_vec(), b"a long replacement value");
    lp.remove_range(lp.first().unwrap(), 2);
    assert_eq!(values(&lp), [&b"bb"[..], b"c", b"d"]);
    let mut tail = lp.split_off(lp.seek(1).unwrap());
    assert_eq!((lp.len(), tail.len()), (1, 2));
    lp.append(&mut tail);
    assert_eq!(values(&lp), [&b"bb"[..], b"c", b"d"]);
    assert!(tail.is_empty());
    // find with a step of 2 looks at every other entry only.
    assert_eq!(lp.find(b"c", 2), None);
    assert_eq!(lp.find(b"d", 2), lp.seek(2));
}

#[test]
fn integer_entries_compare_as_text() {
    let mut lp = Listpack::new();
    lp.push_back(&b"100"[..]);
    lp.push_back(EntryInput::Float(1.5));
    assert!(lp.get(0).unwrap().eq_bytes(b"100"));
    assert!(!lp.get(0).unwrap().eq_bytes(b"0100"));
    assert_eq!(lp.get(lp.seek(1).unwrap()), Some(Entry::Float(1.5)));
    assert_eq!(lp.get(lp.seek(1).unwrap()).unwrap().to_vec(), b"1.5");
}

#[test]
fn long_entries_walk_backwards() {
    let mut lp = Listpack::new();
    let big = vec![b'y'; 1000];
    lp.push_back(&big[..]);
    lp.push_back(&b"x"[..]);
    lp.push_back(&big[..]);
    let back: Vec<usize> = lp.iter_rev().map(|(_, e)| e.to_vec().len()).collect();
    assert_eq!(back, [1000, 1, 1000]);
}
