//! The hash type: a listpack of field/value pairs while small
//! (`listpack`), a dict beyond hash-max-listpack-entries/-value
//! (`hashtable`).

use super::dict::Dict;
use super::listpack::Listpack;
use super::value::Str;

/// A hash value.
#[derive(Clone, Debug)]
pub enum Hash {
    Listpack(Listpack),
    Table(Box<Dict<Str>>),
}

impl Default for Hash {
    fn default() -> Self {
        Hash::Listpack(Listpack::new())
    }
}

impl Hash {
    pub fn len(&self) -> usize {
        match self {
            Hash::Listpack(lp) => lp.len() / 2,
            Hash::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Hash::Listpack(_) => "listpack",
            Hash::Table(_) => "hashtable",
        }
    }
}
