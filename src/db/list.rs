//! The list type: a quicklist, a deque of listpack nodes, as Redis 7.0
//! keeps every list (OBJECT ENCODING reports `quicklist`).

use super::listpack::Listpack;
use std::collections::VecDeque;

/// A list value.
#[derive(Clone, Default, Debug)]
pub struct List {
    nodes: VecDeque<Listpack>,
    len: usize,
}

impl List {
    pub fn new() -> List {
        List::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    pub fn nodes(&self) -> &VecDeque<Listpack> {
        &self.nodes
    }
}
