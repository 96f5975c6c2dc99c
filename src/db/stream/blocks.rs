//! The blocks of a stream in master-ID order. Redis keeps them in a radix
//! tree; here a double-ended array does, because blocks are only ever
//! added at the end (IDs grow) and trimmed mostly from the front, and an
//! array costs one slot per block where a B-tree filled in order leaves
//! its nodes half empty. It grows by an eighth at a time for the same
//! reason.

use crate::db::listpack::Listpack;
use std::collections::VecDeque;

use super::StreamId;

#[derive(Clone, Debug, Default)]
pub struct Blocks(VecDeque<(StreamId, Listpack)>);

impl Blocks {
    /// Heap bytes: the block ring exactly, the listpacks sampled.
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use crate::db::usage;
        let lps = self
            .0
            .iter()
            .map(|(_, lp)| usage::array::<u8>(lp.allocated()));
        usage::array::<(StreamId, Listpack)>(self.0.capacity())
            + usage::sampled(lps, self.0.len(), samples)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &(StreamId, Listpack)> {
        self.0.iter()
    }

    pub fn last(&self) -> Option<&(StreamId, Listpack)> {
        self.0.back()
    }

    pub fn last_mut(&mut self) -> Option<&mut (StreamId, Listpack)> {
        self.0.back_mut()
    }

    pub fn first(&self) -> Option<&(StreamId, Listpack)> {
        self.0.front()
    }

    pub fn get(&self, i: usize) -> Option<&(StreamId, Listpack)> {
        self.0.get(i)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut (StreamId, Listpack)> {
        self.0.get_mut(i)
    }

    /// Adds a block after every other (its master ID is the highest).
    pub fn push(&mut self, master: StreamId, lp: Listpack) {
        if self.0.len() == self.0.capacity() {
            self.0.reserve_exact((self.0.len() / 8).max(4));
        }
        self.0.push_back((master, lp));
    }

    /// Index of the block holding `id` if any does: the last one whose
    /// master ID is at or below it.
    pub fn index_of(&self, id: StreamId) -> Option<usize> {
        self.0.partition_point(|(m, _)| *m <= id).checked_sub(1)
    }

    pub fn remove(&mut self, i: usize) {
        if i == 0 {
            self.0.pop_front();
        } else {
            self.0.remove(i);
        }
    }
}
