//! The set type: an intset (sorted integers) while every member is an
//! integer and there are at most set-max-intset-entries (`intset`), a
//! dict otherwise (`hashtable`).
//!
//! As in Redis the conversion happens once and one way: the first member
//! that is not an integer by string2ll's rules ("12" is, "012", "+1" and
//! "-0" are not), or the member past the limit, moves every member into a
//! hash table, and the set stays one even if it shrinks again.

use super::dict::Dict;
use super::intset::IntSet;
use super::key::Key;
use crate::util::{fmt_i64, parse_i64};

/// A set value.
#[derive(Clone, Debug)]
pub enum Set {
    Intset(IntSet),
    Table(Box<Dict<()>>),
}

impl Default for Set {
    fn default() -> Self {
        Set::Intset(IntSet::new())
    }
}

/// A member as the set holds it: an integer in an intset, bytes in a
/// table. Within one set all members are of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Member<'a> {
    Int(i64),
    Bytes(&'a [u8]),
}

impl Member<'_> {
    /// The member as bytes (an integer formatted into `buf`).
    pub fn as_bytes<'b>(&'b self, buf: &'b mut [u8; 20]) -> &'b [u8] {
        match self {
            Member::Int(n) => fmt_i64(*n, buf),
            Member::Bytes(b) => b,
        }
    }

    /// The member as an integer, if it reads as one (string2ll).
    fn as_int(&self) -> Option<i64> {
        match self {
            Member::Int(n) => Some(*n),
            Member::Bytes(b) => parse_i64(b),
        }
    }
}

/// A member taken out of a set (SPOP).
#[derive(Clone, Debug)]
pub enum OwnedMember {
    Int(i64),
    Bytes(Key),
}

impl OwnedMember {
    pub fn as_member(&self) -> Member<'_> {
        match self {
            OwnedMember::Int(n) => Member::Int(*n),
            OwnedMember::Bytes(k) => Member::Bytes(k.as_bytes()),
        }
    }
}

/// The intset size limit in effect: set-max-intset-entries, capped at 2^30
/// as Redis caps it (the intset's own length field).
pub fn intset_limit(config_value: i64) -> usize {
    usize::try_from(config_value.clamp(0, 1 << 30)).unwrap_or(0)
}

impl Set {
    /// An empty set that suits its first member, as Redis's setTypeCreate:
    /// an intset for an integer, a table otherwise.
    pub fn for_first(member: &[u8]) -> Set {
        Set::for_member(Member::Bytes(member))
    }

    pub fn for_member(member: Member) -> Set {
        if member.as_int().is_some() {
            Set::Intset(IntSet::new())
        } else {
            Set::Table(Box::default())
        }
    }

    /// Heap bytes beyond the boxed enum (MEMORY USAGE); a table's
    /// members are sampled, see [`super::usage`].
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use super::usage;
        match self {
            Set::Intset(s) => usage::array::<u8>(s.allocated()),
            Set::Table(d) => {
                let members = d.iter().map(|(k, _)| usage::key(k));
                usage::boxed::<Dict<()>>()
                    + d.table_bytes()
                    + usage::sampled(members, d.len(), samples)
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Set::Intset(s) => s.len(),
            Set::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Intset(_) => "intset",
            Set::Table(_) => "hashtable",
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.contains_member(Member::Bytes(member))
    }

    pub fn contains_member(&self, member: Member) -> bool {
        match self {
            Set::Intset(s) => member.as_int().is_some_and(|n| s.contains(n)),
            Set::Table(d) => {
                let mut buf = [0u8; 20];
                d.contains_key(member.as_bytes(&mut buf))
            }
        }
    }

    /// Adds a member; false if it was already there. `max_intset` is the
    /// intset size limit ([`intset_limit`]).
    pub fn add(&mut self, member: &[u8], max_intset: usize) -> bool {
        self.add_member(Member::Bytes(member), max_intset)
    }

    pub fn add_member(&mut self, member: Member, max_intset: usize) -> bool {
        let mut buf = [0u8; 20];
        match self {
            Set::Intset(s) => match member.as_int() {
                Some(n) => {
                    if !s.insert(n) {
                        return false;
                    }
                    if s.len() > max_intset {
                        self.convert_to_table();
                    }
                    true
                }
                None => {
                    // Not an integer, so certainly not a member yet.
                    self.convert_to_table()
                        .insert(member.as_bytes(&mut buf), ());
                    true
                }
            },
            Set::Table(d) => d.insert(member.as_bytes(&mut buf), ()).is_none(),
        }
    }

    /// Moves every member into a hash table sized for them up front.
    fn convert_to_table(&mut self) -> &mut Dict<()> {
        if let Set::Intset(s) = self {
            let mut d = Dict::with_capacity(s.len());
            let mut buf = [0u8; 20];
            for n in s.iter() {
                d.insert(fmt_i64(n, &mut buf), ());
            }
            *self = Set::Table(Box::new(d));
        }
        match self {
            Set::Table(d) => d,
            // Converted just above.
            Set::Intset(_) => unreachable!("set converted to a table"),
        }
    }

    /// Removes a member; false if it was not there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        self.remove_member(Member::Bytes(member))
    }

    pub fn remove_member(&mut self, member: Member) -> bool {
        match self {
            Set::Intset(s) => member.as_int().is_some_and(|n| s.remove(n)),
            Set::Table(d) => {
                let mut buf = [0u8; 20];
                let removed = d.remove(member.as_bytes(&mut buf)).is_some();
                // Redis shrinks a set's table as soon as it is mostly
                // empty, which also keeps random picks (SPOP) quick.
                if removed {
                    d.shrink_if_needed();
                }
                removed
            }
        }
    }

    /// The members: an intset's in ascending order, a table's in bucket
    /// order.
    pub fn iter(&self) -> impl Iterator<Item = Member<'_>> + '_ {
        let (ints, table) = match self {
            Set::Intset(s) => (Some(s.iter().map(Member::Int)), None),
            Set::Table(d) => (
                None,
                Some(d.iter().map(|(k, _)| Member::Bytes(k.as_bytes()))),
            ),
        };
        ints.into_iter()
            .flatten()
            .chain(table.into_iter().flatten())
    }

    /// A random member (None only for an empty set).
    pub fn random(&self, rng: &mut fastrand::Rng) -> Option<Member<'_>> {
        match self {
            Set::Intset(s) => s.random(rng).map(Member::Int),
            Set::Table(d) => d
                .random_entry(rng)
                .map(|(k, _)| Member::Bytes(k.as_bytes())),
        }
    }

    /// Removes and returns a random member.
    pub fn pop_random(&mut self, rng: &mut fastrand::Rng) -> Option<OwnedMember> {
        let popped = match self {
            Set::Intset(s) => {
                let len = s.len();
                if len == 0 {
                    return None;
                }
                return s.remove_index(rng.usize(..len)).map(OwnedMember::Int);
            }
            Set::Table(d) => {
                // Redis's random pick moves a rehash along too. Without it
                // a shrink started by earlier pops crawls, and picks keep
                // probing the old, ever sparser table: popping a big set
                // to empty one member at a time goes quadratic.
                d.rehash(1);
                d.random_entry(rng).map(|(k, _)| k.clone())?
            }
        };
        self.remove(popped.as_bytes());
        Some(OwnedMember::Bytes(popped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        let mut buf = [0u8; 20];
        s.iter().map(|m| m.as_bytes(&mut buf).to_vec()).collect()
    }

    #[test]
    fn integers_stay_in_an_intset_until_the_limit() {
        let mut s = Set::for_first(b"3");
        assert!(s.add(b"3", 3) && s.add(b"-1", 3) && s.add(b"2", 3));
        assert!(!s.add(b"2", 3));
        assert_eq!(s.encoding(), "intset");
        assert_eq!(members(&s), [&b"-1"[..], b"2", b"3"]);
        // One past the limit converts.
        assert!(s.add(b"10", 3));
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 4);
        assert!(s.contains(b"10") && s.contains(b"-1"));
        // And it stays a table after shrinking.
        for m in [&b"10"[..], b"-1", b"2"] {
            assert!(s.remove(m));
        }
        assert_eq!(s.encoding(), "hashtable");
    }

    #[test]
    fn non_integers_convert() {
        for odd in [
            &b"-0"[..],
            b"+1",
            b"01",
            b" 1",
            b"1.0",
            b"",
            b"9223372036854775808",
        ] {
            let mut s = Set::for_first(b"1");
            s.add(b"1", 512);
            assert!(s.add(odd, 512));
            assert_eq!(s.encoding(), "hashtable", "{odd:?}");
            assert!(s.contains(odd) && s.contains(b"1"));
            assert!(!s.contains(b"2"));
        }
        assert_eq!(Set::for_first(b"x").encoding(), "hashtable");
        assert_eq!(Set::for_first(b"-9223372036854775808").encoding(), "intset");
    }

    #[test]
    fn members_compare_across_kinds() {
        let mut ints = Set::for_first(b"5");
        ints.add(b"5", 512);
        assert!(ints.contains_member(Member::Bytes(b"5")));
        assert!(!ints.contains_member(Member::Bytes(b"05")));
        let mut table = Set::for_first(b"a");
        table.add(b"a", 512);
        table.add(b"5", 512);
        assert!(table.contains_member(Member::Int(5)));
        assert!(table.remove_member(Member::Int(5)));
        assert!(!table.contains(b"5"));
    }

    #[test]
    fn pop_until_empty() {
        let mut rng = fastrand::Rng::with_seed(3);
        for first in [&b"1"[..], b"a"] {
            let mut s = Set::for_first(first);
            for i in 0..100 {
                s.add(i.to_string().as_bytes(), 512);
            }
            let mut seen = std::collections::HashSet::new();
            while let Some(m) = s.pop_random(&mut rng) {
                let mut buf = [0u8; 20];
                assert!(seen.insert(m.as_member().as_bytes(&mut buf).to_vec()));
            }
            assert_eq!(seen.len(), 100);
            assert!(s.is_empty() && s.random(&mut rng).is_none());
        }
    }

    #[test]
    fn limit_is_capped() {
        assert_eq!(intset_limit(-1), 0);
        assert_eq!(intset_limit(512), 512);
        assert_eq!(intset_limit(i64::MAX), 1 << 30);
    }
}
