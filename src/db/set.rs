//! The set type: an intset (sorted integers) while every member is an
//! integer and there are at most set-max-intset-entries (`intset`), a
//! dict otherwise (`hashtable`).

use super::dict::Dict;

/// A set value.
#[derive(Clone, Debug)]
pub enum Set {
    /// Sorted, distinct integers.
    Intset(Vec<i64>),
    Table(Box<Dict<()>>),
}

impl Default for Set {
    fn default() -> Self {
        Set::Intset(Vec::new())
    }
}

impl Set {
    pub fn len(&self) -> usize {
        match self {
            Set::Intset(v) => v.len(),
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
}
