//! The sorted set type: a listpack of member/score pairs in score order
//! while small (`listpack`), a dict from member to score plus an ordered
//! index beyond zset-max-listpack-entries/-value (`skiplist`).

use super::listpack::Listpack;

/// A sorted set value.
#[derive(Clone, Debug)]
pub enum ZSet {
    Listpack(Listpack),
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet::Listpack(Listpack::new())
    }
}

impl ZSet {
    pub fn len(&self) -> usize {
        match self {
            ZSet::Listpack(lp) => lp.len() / 2,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            ZSet::Listpack(_) => "listpack",
        }
    }
}
