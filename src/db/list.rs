//! The list type: a quicklist, a deque of listpack nodes, as Redis 7.0
//! keeps every list (OBJECT ENCODING reports `quicklist`).
//!
//! Each node is a [`Listpack`] filled up to the list's fill factor
//! (list-max-listpack-size when the list was created): a negative fill
//! caps a node's bytes (-1..-5: 4, 8, 16, 32, 64 KiB), a positive one its
//! entries (and 8 KiB regardless). So a small element costs its bytes plus
//! one or two, a push or pop at either end touches one node, and an
//! element too big to share a node gets one of its own. Work that spans
//! many elements goes node by node: LTRIM and popping many drop whole
//! nodes, LREM compacts each node in one pass, indexes walk node lengths
//! from the nearer end before looking inside one node.

use super::listpack::{self, Entry, EntryInput, Listpack};
use std::collections::VecDeque;

/// An end of a list: Redis's LIST_HEAD and LIST_TAIL, which commands
/// call LEFT and RIGHT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Head,
    Tail,
}

/// Node size caps for fills -1..-5 (Redis's optimization_level).
const SIZE_LEVELS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// The byte cap of a node under a positive (entry count) fill.
const SIZE_SAFETY_LIMIT: usize = 8192;
/// A Redis listpack's header and end byte, which its node size counts.
const LP_OVERHEAD: usize = 7;
/// Redis's SIZE_ESTIMATE_OVERHEAD: what an element's encoding may add.
const SIZE_ESTIMATE_OVERHEAD: usize = 8;
/// Redis keeps the fill in 16 signed bits and clamps it to -5..=32767.
const FILL_MIN: i64 = -5;
const FILL_MAX: i64 = i16::MAX as i64;

/// A list value.
#[derive(Clone, Debug)]
pub struct List {
    nodes: VecDeque<Listpack>,
    len: usize,
    fill: i16,
}

impl Default for List {
    fn default() -> Self {
        List::new(-2)
    }
}

impl List {
    /// An empty list whose nodes follow `fill` (list-max-listpack-size).
    pub fn new(fill: i64) -> List {
        List {
            nodes: VecDeque::new(),
            len: 0,
            fill: fill.clamp(FILL_MIN, FILL_MAX) as i16,
        }
    }

    /// A list of these nodes as they are (an RDB keeps a list's nodes,
    /// and Redis loads them without refilling); empty nodes are dropped.
    pub fn from_nodes(fill: i64, nodes: VecDeque<Listpack>) -> List {
        let mut list = List::new(fill);
        list.nodes = nodes;
        list.nodes.retain(|n| !n.is_empty());
        list.len = list.nodes.iter().map(Listpack::len).sum();
        list
    }

    /// Heap bytes beyond the boxed list (MEMORY USAGE): the node ring
    /// exactly, the nodes' listpacks sampled as Redis samples quicklist
    /// nodes.
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use super::usage;
        let nodes = self
            .nodes
            .iter()
            .map(|lp| usage::array::<u8>(lp.allocated()));
        usage::array::<Listpack>(self.nodes.capacity())
            + usage::sampled(nodes, self.nodes.len(), samples)
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

    /// The most bytes a node may hold (unless it holds one big element).
    fn node_limit(&self) -> usize {
        match usize::try_from(-i64::from(self.fill) - 1) {
            Ok(level) => SIZE_LEVELS.get(level).copied().unwrap_or(SIZE_SAFETY_LIMIT),
            Err(_) => SIZE_SAFETY_LIMIT,
        }
    }

    /// Whether `node` may take one more element `len` bytes long (Redis
    /// 7.0's _quicklistNodeAllowInsert): the node's listpack size (header
    /// and end byte included) plus the element's length plus an 8-byte
    /// allowance for its encoding stays within the byte cap, and under a
    /// positive fill the entry count stays within it. Measuring as Redis
    /// does puts node boundaries where Redis puts them, which DUMP and
    /// RDB files show.
    fn allows(&self, node: &Listpack, len: usize) -> bool {
        node.bytes_len() + LP_OVERHEAD + len + SIZE_ESTIMATE_OVERHEAD <= self.node_limit()
            && (self.fill < 0 || node.len() < self.fill as usize)
    }

    /// Makes room for `size` more bytes in `node`: doubling, but never
    /// past the node cap, so a node that fills up wastes at most about
    /// one entry rather than the half a plain doubling vector can.
    fn reserve(node: &mut Listpack, size: usize, limit: usize) {
        let need = node.bytes_len() + size;
        if need > node.capacity() {
            let target = (node.capacity() * 2).max(16).clamp(need, limit.max(need));
            node.reserve_exact(target - node.bytes_len());
        }
    }

    fn end_node(&self, end: End) -> Option<&Listpack> {
        match end {
            End::Head => self.nodes.front(),
            End::Tail => self.nodes.back(),
        }
    }

    fn end_node_mut(&mut self, end: End) -> Option<&mut Listpack> {
        match end {
            End::Head => self.nodes.front_mut(),
            End::Tail => self.nodes.back_mut(),
        }
    }

    /// Adds a node at `end` (a one-node list allocates room for exactly
    /// one node, which is all most small lists ever need).
    fn new_end_node(&mut self, end: End) {
        if self.nodes.capacity() == 0 {
            self.nodes.reserve_exact(1);
        }
        match end {
            End::Head => self.nodes.push_front(Listpack::new()),
            End::Tail => self.nodes.push_back(Listpack::new()),
        }
    }

    /// Pushes one element onto `end`.
    pub fn push<'a>(&mut self, end: End, value: impl Into<EntryInput<'a>>) {
        let value = value.into();
        let size = listpack::entry_size(value);
        let len = element_len(value);
        let fits = self.end_node(end).is_some_and(|n| self.allows(n, len));
        if !fits {
            // The old end node is done growing: give back its spare room.
            // A list growing at this end will likely fill the new node as
            // it filled the old one, so the new node starts at that size
            // rather than doubling its way up through reallocations that
            // leave holes in the heap.
            let room = match self.end_node_mut(end) {
                Some(full) => {
                    full.shrink_to_fit();
                    full.bytes_len().min(self.node_limit())
                }
                None => 0,
            };
            self.new_end_node(end);
            if let Some(node) = self.end_node_mut(end) {
                node.reserve_exact(room.max(size));
            }
        }
        let limit = self.node_limit();
        if let Some(node) = self.end_node_mut(end) {
            Self::reserve(node, size, limit);
            match end {
                End::Head => node.push_front(value),
                End::Tail => node.push_back(value),
            }
            self.len += 1;
        }
    }

    /// Pops the element at `end`, handing it to `f` before it is removed
    /// (so it can be replied or copied without an intermediate copy).
    pub fn pop_with<R>(&mut self, end: End, f: impl FnOnce(Entry<'_>) -> R) -> Option<R> {
        let node = self.end_node_mut(end)?;
        let pos = match end {
            End::Head => node.first()?,
            End::Tail => node.last()?,
        };
        let result = f(node.get(pos)?);
        node.remove_at(pos);
        if node.is_empty() {
            match end {
                End::Head => self.nodes.pop_front(),
                End::Tail => self.nodes.pop_back(),
            };
        }
        self.len -= 1;
        Some(result)
    }

    /// Moves up to `count` elements off `end` into `out`, in the order
    /// they come off; returns how many.
    pub fn pop_into(&mut self, end: End, count: usize, out: &mut Listpack) -> usize {
        let n = count.min(self.len);
        if n == 0 {
            return 0;
        }
        match end {
            End::Head => self.iter().take(n).for_each(|e| out.push_back(e)),
            End::Tail => self
                .iter_rev_from(self.len - 1)
                .take(n)
                .for_each(|e| out.push_back(e)),
        }
        self.remove_from(end, n);
        n
    }

    /// Removes `n` elements from `end`, dropping whole nodes while it can
    /// and cutting the last one touched once.
    pub fn remove_from(&mut self, end: End, n: usize) {
        let mut n = n.min(self.len);
        self.len -= n;
        while n > 0 {
            let Some(node) = self.end_node_mut(end) else {
                break;
            };
            if node.len() <= n {
                n -= node.len();
                match end {
                    End::Head => self.nodes.pop_front(),
                    End::Tail => self.nodes.pop_back(),
                };
                continue;
            }
            let from = match end {
                End::Head => Some(0),
                End::Tail => node.seek(-(n as i64)),
            };
            if let Some(pos) = from {
                node.remove_range(pos, n);
            }
            n = 0;
        }
    }

    /// The position from the head of `index` (negative counts from the
    /// tail), if it is inside the list.
    pub fn resolve(&self, index: i64) -> Option<usize> {
        // len fits an i64 and index is negative there: no overflow.
        let i = if index < 0 {
            self.len as i64 + index
        } else {
            index
        };
        usize::try_from(i).ok().filter(|&i| i < self.len)
    }

    /// The node holding element `i` and the element's index inside it,
    /// found by walking node lengths from the nearer end.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.len {
            return None;
        }
        if i < self.len / 2 {
            let mut before = 0;
            for (n, node) in self.nodes.iter().enumerate() {
                if i < before + node.len() {
                    return Some((n, i - before));
                }
                before += node.len();
            }
        } else {
            let mut from = self.len;
            for (n, node) in self.nodes.iter().enumerate().rev() {
                from -= node.len();
                if i >= from {
                    return Some((n, i - from));
                }
            }
        }
        None
    }

    /// The node and byte offset of element `i`.
    fn position(&self, i: usize) -> Option<(usize, usize)> {
        let (n, within) = self.locate(i)?;
        let pos = self.nodes.get(n)?.seek(within as i64)?;
        Some((n, pos))
    }

    /// The element at `index` (negative counts from the tail).
    pub fn get(&self, index: i64) -> Option<Entry<'_>> {
        let (n, pos) = self.position(self.resolve(index)?)?;
        self.nodes.get(n)?.get(pos)
    }

    /// Replaces the element at `index`; false if there is none. The node
    /// keeps it whatever its size, as Redis 7.0's quicklistReplaceEntry
    /// does for any element below the 1 GB plain-node threshold (so LSET
    /// can leave a node above its cap, which DUMP shows).
    pub fn set(&mut self, index: i64, value: &[u8]) -> bool {
        let Some((n, pos)) = self.resolve(index).and_then(|i| self.position(i)) else {
            return false;
        };
        let Some(node) = self.nodes.get_mut(n) else {
            return false;
        };
        node.replace_at(pos, value);
        true
    }

    /// Inserts `value` before (or `after`) the first element equal to
    /// `pivot`, scanning from the head; false if none is equal.
    pub fn insert(&mut self, pivot: &[u8], value: &[u8], after: bool) -> bool {
        let found = self
            .nodes
            .iter()
            .enumerate()
            .find_map(|(n, node)| node.find(pivot, 1).map(|pos| (n, pos)));
        let Some((n, pos)) = found else {
            return false;
        };
        let Some(node) = self.nodes.get(n) else {
            return false;
        };
        let at = if after {
            node.next(pos).unwrap_or(node.bytes_len())
        } else {
            pos
        };
        self.insert_in_node(n, at, value);
        true
    }

    /// Inserts at byte offset `at` of node `n`. A full node passes the
    /// element to a neighbour with room when it goes at one of its ends,
    /// else to a new node there; in its middle, the node is split at `at`
    /// (Redis's _quicklistInsert), so an insert never moves more than one
    /// node's bytes.
    fn insert_in_node(&mut self, n: usize, at: usize, value: &[u8]) {
        let size = listpack::entry_size(value.into());
        let Some(node) = self.nodes.get(n) else {
            return;
        };
        let node_end = node.bytes_len();
        if self.allows(node, value.len()) {
            self.put(n, at, value, size);
        } else if at == node_end {
            let next_has_room = self
                .nodes
                .get(n + 1)
                .is_some_and(|x| self.allows(x, value.len()));
            if next_has_room {
                self.put(n + 1, 0, value, size);
            } else {
                self.put_new_node(n + 1, value);
            }
        } else if at == 0 {
            let prev_has_room = n
                .checked_sub(1)
                .and_then(|p| self.nodes.get(p))
                .is_some_and(|x| self.allows(x, value.len()));
            match n.checked_sub(1) {
                Some(p) if prev_has_room => {
                    let end = self.nodes.get(p).map_or(0, Listpack::bytes_len);
                    self.put(p, end, value, size);
                }
                _ => self.put_new_node(n, value),
            }
        } else {
            let Some(node) = self.nodes.get_mut(n) else {
                return;
            };
            let right = node.split_off(at);
            node.shrink_to_fit();
            self.nodes.insert(n + 1, right);
            let left_has_room = self
                .nodes
                .get(n)
                .is_some_and(|x| self.allows(x, value.len()));
            let right_has_room = self
                .nodes
                .get(n + 1)
                .is_some_and(|x| self.allows(x, value.len()));
            if left_has_room {
                self.put(n, at, value, size);
            } else if right_has_room {
                self.put(n + 1, 0, value, size);
            } else {
                self.put_new_node(n + 1, value);
            }
        }
    }

    /// Inserts into node `n` at byte offset `at`, which has room.
    fn put(&mut self, n: usize, at: usize, value: &[u8], size: usize) {
        let limit = self.node_limit();
        if let Some(node) = self.nodes.get_mut(n) {
            Self::reserve(node, size, limit);
            node.insert_at(at, value);
            self.len += 1;
        }
    }

    /// Inserts a new node holding just `value` at node index `n`.
    fn put_new_node(&mut self, n: usize, value: &[u8]) {
        let mut node = Listpack::new();
        node.push_back(value);
        node.shrink_to_fit();
        self.nodes.insert(n, node);
        self.len += 1;
    }

    /// Removes elements equal to `value` (LREM's count: 0 all, N > 0 the
    /// first N, N < 0 the last |N|); returns how many.
    pub fn remove(&mut self, value: &[u8], count: i64) -> usize {
        let limit = match count {
            0 => usize::MAX,
            c => usize::try_from(c.unsigned_abs()).unwrap_or(usize::MAX),
        };
        let from_back = count < 0;
        let mut removed = 0;
        let nodes = self.nodes.len();
        for k in 0..nodes {
            if removed == limit {
                break;
            }
            let n = if from_back { nodes - 1 - k } else { k };
            if let Some(node) = self.nodes.get_mut(n) {
                let r = node.remove_matching(value, limit - removed, from_back);
                if r > 0 && node.capacity() > 2 * node.bytes_len() + 64 {
                    node.shrink_to_fit();
                }
                removed += r;
            }
        }
        if removed > 0 {
            self.nodes.retain(|n| !n.is_empty());
            self.len -= removed;
        }
        removed
    }

    /// Elements from the head.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0)
    }

    /// Elements from index `start` towards the tail.
    pub fn iter_from(&self, start: usize) -> Iter<'_> {
        match self.position(start) {
            Some((n, pos)) => Iter {
                nodes: &self.nodes,
                node: n,
                inner: self.nodes.get(n).map(|node| node.iter_at(pos)),
            },
            None => Iter {
                nodes: &self.nodes,
                node: self.nodes.len(),
                inner: None,
            },
        }
    }

    /// Elements from index `start` towards the head.
    pub fn iter_rev_from(&self, start: usize) -> RevIter<'_> {
        match self.position(start) {
            Some((n, pos)) => RevIter {
                nodes: &self.nodes,
                node: n,
                inner: self.nodes.get(n).map(|node| node.iter_rev_at(pos)),
            },
            None => RevIter {
                nodes: &self.nodes,
                node: 0,
                inner: None,
            },
        }
    }
}

/// The length of an element as the string Redis pushes.
fn element_len(value: EntryInput) -> usize {
    match value {
        EntryInput::Bytes(b) => b.len(),
        EntryInput::Int(n) => {
            let mut buf = [0u8; 20];
            crate::util::fmt_i64(n, &mut buf).len()
        }
        EntryInput::Float(f) => crate::util::float::fmt_f64(c"%.17g", f).len(),
    }
}

/// Elements towards the tail, across nodes.
pub struct Iter<'a> {
    nodes: &'a VecDeque<Listpack>,
    node: usize,
    inner: Option<listpack::Iter<'a>>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        loop {
            if let Some((_, e)) = self.inner.as_mut()?.next() {
                return Some(e);
            }
            self.node += 1;
            self.inner = Some(self.nodes.get(self.node)?.iter());
        }
    }
}

/// Elements towards the head, across nodes.
pub struct RevIter<'a> {
    nodes: &'a VecDeque<Listpack>,
    node: usize,
    inner: Option<listpack::RevIter<'a>>,
}

impl<'a> Iterator for RevIter<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        loop {
            if let Some((_, e)) = self.inner.as_mut()?.next() {
                return Some(e);
            }
            self.node = self.node.checked_sub(1)?;
            self.inner = Some(self.nodes.get(self.node)?.iter_rev());
        }
    }
}

#[cfg(test)]
mod tests;
