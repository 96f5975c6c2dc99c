//! An intset: the distinct integers of a small set, sorted, in one array
//! whose element width is the narrowest that holds them all (16, 32 or 64
//! bits), as Redis's intset.c keeps them.
//!
//! A set of small numbers thus costs two bytes a member. Adding a value
//! too wide for the array widens every element once ("upgrade"); the
//! array never narrows again, as in Redis. Lookups are binary searches,
//! inserts and removals move the tail, which is why the set turns into a
//! hash table past set-max-intset-entries.

/// Sorted, distinct integers at the narrowest width that holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntSet {
    W16(Vec<i16>),
    W32(Vec<i32>),
    W64(Vec<i64>),
}

impl Default for IntSet {
    fn default() -> Self {
        IntSet::W16(Vec::new())
    }
}

/// Where a value is, or would go, in a sorted array (binary search);
/// `None` when it cannot be stored at that width at all.
fn search<T: Ord + TryFrom<i64>>(v: &[T], value: i64) -> Option<Result<usize, usize>> {
    T::try_from(value).ok().map(|x| v.binary_search(&x))
}

/// Inserts into a sorted array unless present. The array grows by exactly
/// one element, as Redis reallocates its intset per insert: these arrays
/// are small and memory is what they exist to save.
fn insert_sorted<T: Ord + Copy>(v: &mut Vec<T>, x: T) -> bool {
    match v.binary_search(&x) {
        Ok(_) => false,
        Err(i) => {
            v.reserve_exact(1);
            v.insert(i, x);
            true
        }
    }
}

/// Removes the element at `i`, giving memory back once the array is
/// mostly empty.
fn remove_at<T>(v: &mut Vec<T>, i: usize) {
    v.remove(i);
    if v.capacity() > 2 * v.len() + 8 {
        v.shrink_to_fit();
    }
}

fn widen<T: Copy + Into<i64>, U: TryFrom<i64> + Copy>(v: &[T]) -> Vec<U> {
    v.iter()
        .filter_map(|&x| U::try_from(x.into()).ok())
        .collect()
}

impl IntSet {
    pub fn new() -> IntSet {
        IntSet::default()
    }

    pub fn len(&self) -> usize {
        match self {
            IntSet::W16(v) => v.len(),
            IntSet::W32(v) => v.len(),
            IntSet::W64(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes per element (2, 4 or 8).
    pub fn width(&self) -> usize {
        match self {
            IntSet::W16(_) => 2,
            IntSet::W32(_) => 4,
            IntSet::W64(_) => 8,
        }
    }

    fn position(&self, value: i64) -> Option<Result<usize, usize>> {
        match self {
            IntSet::W16(v) => search(v, value),
            IntSet::W32(v) => search(v, value),
            IntSet::W64(v) => search(v, value),
        }
    }

    pub fn contains(&self, value: i64) -> bool {
        matches!(self.position(value), Some(Ok(_)))
    }

    /// The element at `i` in ascending order.
    pub fn get(&self, i: usize) -> Option<i64> {
        match self {
            IntSet::W16(v) => v.get(i).map(|&x| i64::from(x)),
            IntSet::W32(v) => v.get(i).map(|&x| i64::from(x)),
            IntSet::W64(v) => v.get(i).copied(),
        }
    }

    /// Adds a value; false if it was already there. A value wider than
    /// the array widens the whole array first.
    pub fn insert(&mut self, value: i64) -> bool {
        let needed = if i16::try_from(value).is_ok() {
            2
        } else if i32::try_from(value).is_ok() {
            4
        } else {
            8
        };
        if needed > self.width() {
            *self = match (std::mem::take(self), needed) {
                (IntSet::W16(v), 4) => IntSet::W32(widen(&v)),
                (IntSet::W16(v), _) => IntSet::W64(widen(&v)),
                (IntSet::W32(v), _) => IntSet::W64(widen(&v)),
                (wide, _) => wide,
            };
        }
        // The value fits the width now, so each conversion succeeds.
        match self {
            IntSet::W16(v) => i16::try_from(value).is_ok_and(|x| insert_sorted(v, x)),
            IntSet::W32(v) => i32::try_from(value).is_ok_and(|x| insert_sorted(v, x)),
            IntSet::W64(v) => insert_sorted(v, value),
        }
    }

    /// Removes a value; false if it was not there.
    pub fn remove(&mut self, value: i64) -> bool {
        let Some(Ok(i)) = self.position(value) else {
            return false;
        };
        self.remove_index(i);
        true
    }

    /// Removes and returns the element at `i`.
    pub fn remove_index(&mut self, i: usize) -> Option<i64> {
        let value = self.get(i)?;
        match self {
            IntSet::W16(v) => remove_at(v, i),
            IntSet::W32(v) => remove_at(v, i),
            IntSet::W64(v) => remove_at(v, i),
        }
        Some(value)
    }

    /// The elements in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// A uniformly random element.
    pub fn random(&self, rng: &mut fastrand::Rng) -> Option<i64> {
        match self.len() {
            0 => None,
            n => self.get(rng.usize(..n)),
        }
    }

    /// Heap bytes held (for memory accounting and tests).
    pub fn allocated(&self) -> usize {
        match self {
            IntSet::W16(v) => v.capacity() * 2,
            IntSet::W32(v) => v.capacity() * 4,
            IntSet::W64(v) => v.capacity() * 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_distinct_and_widening() {
        let mut s = IntSet::new();
        for v in [5, -3, 5, 100, 0, -3] {
            s.insert(v);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), [-3, 0, 5, 100]);
        assert_eq!(s.width(), 2);
        // A 32-bit value widens the array; a negative one lands first.
        assert!(s.insert(-70_000));
        assert_eq!(s.width(), 4);
        assert!(s.insert(i64::MAX));
        assert_eq!(s.width(), 8);
        assert!(s.insert(i64::MIN));
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [i64::MIN, -70_000, -3, 0, 5, 100, i64::MAX]
        );
        // Removing the wide values does not narrow the array again.
        assert!(s.remove(i64::MAX) && s.remove(i64::MIN) && s.remove(-70_000));
        assert!(!s.remove(-70_000));
        assert_eq!(s.width(), 8);
        assert!(s.contains(100) && !s.contains(101));
    }

    #[test]
    fn values_wider_than_the_array_are_not_members() {
        let mut s = IntSet::new();
        s.insert(1);
        assert!(!s.contains(1 << 40));
        assert!(!s.remove(1 << 40));
        assert_eq!(s.remove_index(0), Some(1));
        assert_eq!(s.remove_index(0), None);
        assert!(s.is_empty());
    }

    #[test]
    fn small_sets_are_compact() {
        let mut s = IntSet::new();
        for v in 0..512 {
            s.insert(v);
        }
        assert_eq!(s.allocated(), 1024);
    }
}
