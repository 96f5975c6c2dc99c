//! What a value holds on the heap, for MEMORY USAGE.
//!
//! Every block is counted as the jemalloc size class it is served from
//! ([`size_class`]), so the figures add up the way used_memory does. A
//! collection in a big encoding is sampled as Redis's objectComputeSize
//! samples: the structure itself is exact (its tables and nodes are known
//! from its length), and the first `samples` elements' own heap (0: all of
//! them) stands in for every element's. MEMORY USAGE on a collection of
//! millions thus stays as quick as in Redis, and allocates nothing.

use super::key::Key;
use crate::alloc::size_class;
use std::mem::{align_of, size_of};

/// Elements sampled when MEMORY USAGE names no SAMPLES (Redis's default).
pub const DEFAULT_SAMPLES: usize = 5;

/// Bytes of one boxed `T`.
pub fn boxed<T>() -> usize {
    size_class(size_of::<T>(), align_of::<T>())
}

/// Bytes of a heap array of `cap` `T`s (nothing when there is none).
pub fn array<T>(cap: usize) -> usize {
    match cap.saturating_mul(size_of::<T>()) {
        0 => 0,
        n => size_class(n, align_of::<T>()),
    }
}

/// Bytes a ThinVec of `cap` bytes holds: its two-word header and the data.
pub fn thin_vec(cap: usize) -> usize {
    size_class(2 * size_of::<usize>() + cap, size_of::<usize>())
}

/// Bytes a key holds beyond its own 16 (a long key's heap block).
pub fn key(k: &Key) -> usize {
    match k {
        Key::Inline { .. } => 0,
        Key::Heap(v) => thin_vec(v.capacity()),
    }
}

/// An ordered map's bytes per entry: B-tree nodes hold up to eleven
/// entries and run about two-thirds full.
pub fn btree_entry<K, V>() -> usize {
    (size_of::<K>() + size_of::<V>()) * 3 / 2
}

/// The heap of all `total` elements, estimated from the first `samples`
/// of `each` (every one when `samples` is 0), as Redis extrapolates.
pub fn sampled(each: impl Iterator<Item = usize>, total: usize, samples: usize) -> usize {
    let want = if samples == 0 {
        total
    } else {
        samples.min(total)
    };
    let (mut seen, mut sum) = (0usize, 0usize);
    for bytes in each.take(want) {
        seen += 1;
        sum = sum.saturating_add(bytes);
    }
    if seen == 0 {
        return 0;
    }
    let estimate = sum as u128 * total as u128 / seen as u128;
    usize::try_from(estimate).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_extrapolates_from_the_first_elements() {
        let sizes = [16usize, 32, 48, 1000, 1000];
        // Two samples of five: their mean stands for all five.
        assert_eq!(sampled(sizes.iter().copied(), 5, 2), 120);
        // 0 and anything past the length measure every element.
        assert_eq!(sampled(sizes.iter().copied(), 5, 0), 2096);
        assert_eq!(sampled(sizes.iter().copied(), 5, 50), 2096);
        assert_eq!(sampled(std::iter::empty(), 0, 5), 0);
    }

    #[test]
    fn keys_count_only_their_heap() {
        assert_eq!(key(&Key::new(b"short")), 0);
        // 16 bytes of header plus 20 of data: jemalloc's 48-byte class.
        assert_eq!(key(&Key::new(&[b'k'; 20])), 48);
    }
}
