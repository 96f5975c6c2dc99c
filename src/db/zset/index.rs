//! The big sorted-set encoding (OBJECT ENCODING says `skiplist`, as in
//! Redis): a hash table from member to element, and an ordered index with
//! ranks, both threaded through one arena of nodes.
//!
//! Redis keeps a dict and a skip list whose nodes carry spans. Here each
//! element is one 40-byte [`Node`] in a `Vec`, named by its `u32` slot:
//! - the hash table is a power-of-two array of slots heading chains linked
//!   through `Node::next` (Redis's dict layout, with 4-byte links), which
//!   also gives ZSCAN its reverse-binary cursor;
//! - the ordered index is a treap linked through `left`/`right`, ordered by
//!   (score, member), with each node's subtree size for ranks. A node's heap
//!   priority is a keyed hash of its slot, so no field is spent on it and
//!   clients cannot shape the tree.
//!
//! Lookups by member are O(1); insert, delete, rank and element-by-rank are
//! O(log n) expected; a range of m elements is O(log n + m) (an explicit
//! stack walks the tree in order; deleting a rank range splits it off and
//! joins the rest). Members of up to 14 bytes live inside the node.

use super::range::{LexBound, cmp_lex};
use crate::db::dict::{FORCE_RESIZE_RATIO, hash_key, resize_allowed};
use crate::db::key::{INLINE_CAP, Key};
use std::cmp::Ordering;
use std::sync::OnceLock;

const NIL: u32 = u32::MAX;
const MIN_BUCKETS: usize = 4;

#[derive(Clone)]
struct Node {
    member: Key,
    score: f64,
    left: u32,
    right: u32,
    /// Elements in the subtree rooted here; 0 marks a free slot.
    size: u32,
    /// The next node in the same hash bucket, or the next free slot.
    next: u32,
}

/// What every out-of-range slot (and `NIL`) reads as: an empty subtree.
static VACANT: Node = Node {
    member: Key::Inline {
        len: 0,
        data: [0; INLINE_CAP],
    },
    score: 0.0,
    left: NIL,
    right: NIL,
    size: 0,
    next: NIL,
};

/// A slot's treap priority: a bijective mix of the slot and a per-process
/// random seed, so priorities are distinct and unpredictable.
fn priority(id: u32) -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    let mut z = u64::from(id) ^ *SEED.get_or_init(|| fastrand::u64(..));
    // splitmix64's finalizer.
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Orders (score, member) pairs as Redis's skip list does.
fn cmp_key(a_score: f64, a_member: &[u8], b_score: f64, b_member: &[u8]) -> Ordering {
    if a_score < b_score {
        Ordering::Less
    } else if a_score > b_score {
        Ordering::Greater
    } else {
        a_member.cmp(b_member)
    }
}

#[derive(Clone)]
pub struct Index {
    nodes: Vec<Node>,
    /// Head of the free-slot list (chained through `next`).
    free: u32,
    root: u32,
    buckets: Vec<u32>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Index({} elements)", self.len())
    }
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}

impl Index {
    pub fn new() -> Index {
        Index {
            nodes: Vec::new(),
            free: NIL,
            root: NIL,
            buckets: Vec::new(),
        }
    }

    /// Builds an index from elements already in order and distinct.
    pub fn from_sorted<M: AsRef<[u8]>>(elements: impl IntoIterator<Item = (M, f64)>) -> Index {
        let mut index = Index::new();
        for (member, score) in elements {
            index.nodes.push(Node {
                member: Key::new(member.as_ref()),
                score,
                ..VACANT.clone()
            });
        }
        index.check_capacity();
        index.build_tree();
        index.rehash(index.nodes.len().next_power_of_two());
        index
    }

    /// Heap bytes (MEMORY USAGE): the node array and buckets exactly, the
    /// members' own heap sampled from the first `samples` live nodes.
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use crate::db::usage;
        let members = self
            .nodes
            .iter()
            .filter(|n| n.size != 0)
            .map(|n| usage::key(&n.member));
        usage::array::<Node>(self.nodes.capacity())
            + usage::array::<u32>(self.buckets.capacity())
            + usage::sampled(members, self.len(), samples)
    }

    pub fn len(&self) -> usize {
        self.size(self.root) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.root == NIL
    }

    // Node access. Slots outside the arena read as VACANT and ignore
    // writes, so a broken link can never panic the server.

    fn n(&self, id: u32) -> &Node {
        self.nodes.get(id as usize).unwrap_or(&VACANT)
    }

    fn n_mut(&mut self, id: u32) -> Option<&mut Node> {
        self.nodes.get_mut(id as usize)
    }

    fn size(&self, id: u32) -> u32 {
        self.n(id).size
    }

    fn left(&self, id: u32) -> u32 {
        self.n(id).left
    }

    fn right(&self, id: u32) -> u32 {
        self.n(id).right
    }

    fn set_left(&mut self, id: u32, v: u32) {
        if let Some(n) = self.n_mut(id) {
            n.left = v;
        }
    }

    fn set_right(&mut self, id: u32, v: u32) {
        if let Some(n) = self.n_mut(id) {
            n.right = v;
        }
    }

    /// Recomputes a node's subtree size from its children.
    fn fix(&mut self, id: u32) {
        let size = self.size(self.left(id)) + self.size(self.right(id)) + 1;
        if let Some(n) = self.n_mut(id) {
            n.size = size;
        }
    }

    fn cmp_nodes(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (self.n(a), self.n(b));
        cmp_key(a.score, a.member.as_bytes(), b.score, b.member.as_bytes())
    }

    /// Slots are u32: four billion elements (160 GB of nodes) is where
    /// memory runs out, and it is handled as running out of memory.
    fn check_capacity(&self) {
        if self.nodes.len() >= NIL as usize {
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<Node>());
        }
    }

    fn alloc(&mut self, member: &[u8], score: f64) -> u32 {
        let node = Node {
            member: Key::new(member),
            score,
            size: 1,
            ..VACANT.clone()
        };
        if self.free != NIL {
            let id = self.free;
            self.free = self.n(id).next;
            if let Some(slot) = self.n_mut(id) {
                *slot = node;
            }
            return id;
        }
        self.check_capacity();
        self.nodes.push(node);
        (self.nodes.len() - 1) as u32
    }

    fn release(&mut self, id: u32) {
        let free = self.free;
        if let Some(slot) = self.n_mut(id) {
            *slot = Node {
                next: free,
                ..VACANT.clone()
            };
            self.free = id;
        }
    }

    // The hash table.

    fn bucket_of(&self, member: &[u8]) -> usize {
        hash_key(member) as usize & self.buckets.len().wrapping_sub(1)
    }

    fn find(&self, member: &[u8]) -> Option<u32> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut id = *self.buckets.get(self.bucket_of(member))?;
        while id != NIL {
            let node = self.n(id);
            if node.member.as_bytes() == member {
                return Some(id);
            }
            id = node.next;
        }
        None
    }

    fn link(&mut self, id: u32) {
        if self.buckets.is_empty() {
            self.buckets = vec![NIL; MIN_BUCKETS];
        }
        let b = self.bucket_of(self.n(id).member.as_bytes());
        if let Some(head) = self.buckets.get_mut(b) {
            let next = std::mem::replace(head, id);
            if let Some(n) = self.n_mut(id) {
                n.next = next;
            }
        }
    }

    fn unlink(&mut self, id: u32) {
        let b = self.bucket_of(self.n(id).member.as_bytes());
        let next = self.n(id).next;
        let Some(&head) = self.buckets.get(b) else {
            return;
        };
        if head == id {
            if let Some(h) = self.buckets.get_mut(b) {
                *h = next;
            }
            return;
        }
        let mut cur = head;
        while cur != NIL {
            let after = self.n(cur).next;
            if after == id {
                if let Some(n) = self.n_mut(cur) {
                    n.next = next;
                }
                return;
            }
            cur = after;
        }
    }

    /// Rebuilds the bucket array at `size` (a power of two) in one pass.
    fn rehash(&mut self, size: usize) {
        self.buckets = vec![NIL; size.max(MIN_BUCKETS)];
        for id in 0..self.nodes.len() as u32 {
            if self.size(id) > 0 {
                self.link(id);
            }
        }
    }

    /// Grows the table at a load factor of 1, as Redis's dict does, and
    /// while a forked child runs only past the dict's force ratio.
    fn grow_if_needed(&mut self) {
        let (len, size) = (self.len(), self.buckets.len());
        if len > size && (resize_allowed() || len / size.max(1) > FORCE_RESIZE_RATIO) {
            self.rehash((len + 1).next_power_of_two());
        }
    }

    /// After deletions: shrinks a table under 1/8 full and compacts an
    /// arena under 1/4 used, so memory follows the set down. Each costs
    /// O(n) and follows at least as many deletions.
    fn shrink_if_needed(&mut self) {
        // Both rewrite the whole index: not while a child shares its pages.
        if !resize_allowed() {
            return;
        }
        let len = self.len();
        if self.nodes.len() > 64 && len * 4 < self.nodes.len() {
            self.compact();
        } else if self.buckets.len() > MIN_BUCKETS && len * 8 < self.buckets.len() {
            self.rehash(len.next_power_of_two());
        }
    }

    /// Moves the live elements into a fresh arena in order.
    fn compact(&mut self) {
        let mut order = Vec::with_capacity(self.len());
        let mut it = self.iter_from(0, false);
        while let Some(id) = it.next_id() {
            order.push(id);
        }
        let mut nodes = Vec::with_capacity(order.len());
        for id in order {
            if let Some(old) = self.n_mut(id) {
                let member = std::mem::replace(&mut old.member, VACANT.member.clone());
                nodes.push(Node {
                    member,
                    score: old.score,
                    ..VACANT.clone()
                });
            }
        }
        self.nodes = nodes;
        self.free = NIL;
        self.build_tree();
        self.rehash(self.nodes.len().next_power_of_two());
    }

    /// Links the arena's nodes, which are in key order, into a treap in
    /// O(n): a Cartesian tree by priority built with a stack of the right
    /// spine. A node's subtree is final when it leaves the stack.
    fn build_tree(&mut self) {
        let mut spine: Vec<u32> = Vec::new();
        for i in 0..self.nodes.len() as u32 {
            let mut last = NIL;
            while let Some(&top) = spine.last() {
                if priority(top) > priority(i) {
                    break;
                }
                spine.pop();
                self.fix(top);
                last = top;
            }
            self.set_left(i, last);
            if let Some(&top) = spine.last() {
                self.set_right(top, i);
            }
            spine.push(i);
        }
        self.root = spine.first().copied().unwrap_or(NIL);
        while let Some(top) = spine.pop() {
            self.fix(top);
        }
    }

    // The treap.

    fn rotate_right(&mut self, t: u32) -> u32 {
        let l = self.left(t);
        self.set_left(t, self.right(l));
        self.set_right(l, t);
        self.fix(t);
        self.fix(l);
        l
    }

    fn rotate_left(&mut self, t: u32) -> u32 {
        let r = self.right(t);
        self.set_right(t, self.left(r));
        self.set_left(r, t);
        self.fix(t);
        self.fix(r);
        r
    }

    /// Inserts node `x` (a detached node of size 1) under `t`.
    fn insert_node(&mut self, t: u32, x: u32) -> u32 {
        if t == NIL {
            return x;
        }
        if let Some(n) = self.n_mut(t) {
            n.size += 1;
        }
        if self.cmp_nodes(x, t).is_lt() {
            let l = self.insert_node(self.left(t), x);
            self.set_left(t, l);
            if priority(l) > priority(t) {
                return self.rotate_right(t);
            }
        } else {
            let r = self.insert_node(self.right(t), x);
            self.set_right(t, r);
            if priority(r) > priority(t) {
                return self.rotate_left(t);
            }
        }
        t
    }

    /// Joins two treaps whose keys are all ordered `a` before `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if priority(a) > priority(b) {
            let r = self.merge(self.right(a), b);
            self.set_right(a, r);
            self.fix(a);
            a
        } else {
            let l = self.merge(a, self.left(b));
            self.set_left(b, l);
            self.fix(b);
            b
        }
    }

    /// Splits `t` into its first `k` elements and the rest.
    fn split(&mut self, t: u32, k: u32) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let ls = self.size(self.left(t));
        if k <= ls {
            let (a, b) = self.split(self.left(t), k);
            self.set_left(t, b);
            self.fix(t);
            (a, t)
        } else {
            let (a, b) = self.split(self.right(t), k - ls - 1);
            self.set_right(t, a);
            self.fix(t);
            (t, b)
        }
    }

    /// Detaches the node with this key from under `t`; returns the new
    /// subtree and the detached node (NIL if absent).
    fn detach(&mut self, t: u32, score: f64, member: &[u8]) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let node = self.n(t);
        match cmp_key(score, member, node.score, node.member.as_bytes()) {
            Ordering::Equal => (self.merge(node.left, node.right), t),
            Ordering::Less => {
                let (l, found) = self.detach(self.left(t), score, member);
                self.set_left(t, l);
                self.fix(t);
                (t, found)
            }
            Ordering::Greater => {
                let (r, found) = self.detach(self.right(t), score, member);
                self.set_right(t, r);
                self.fix(t);
                (t, found)
            }
        }
    }

    // The sorted-set operations.

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.find(member).map(|id| self.n(id).score)
    }

    /// Adds a member the caller knows is absent.
    pub fn insert(&mut self, member: &[u8], score: f64) {
        let id = self.alloc(member, score);
        self.root = self.insert_node(self.root, id);
        self.link(id);
        self.grow_if_needed();
    }

    /// Gives an existing member a new score; false if it is absent.
    pub fn update(&mut self, member: &[u8], score: f64) -> bool {
        let Some(id) = self.find(member) else {
            return false;
        };
        let old = self.n(id).score;
        let (root, found) = self.detach(self.root, old, member);
        self.root = root;
        if let Some(n) = self.n_mut(found) {
            n.score = score;
            n.left = NIL;
            n.right = NIL;
            n.size = 1;
        }
        self.root = self.insert_node(self.root, found);
        true
    }

    /// Removes a member; its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let id = self.find(member)?;
        let score = self.n(id).score;
        let (root, _) = self.detach(self.root, score, member);
        self.root = root;
        self.unlink(id);
        self.release(id);
        self.shrink_if_needed();
        Some(score)
    }

    /// The 0-based rank of a member (lowest score first) and its score.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        let id = self.find(member)?;
        let score = self.n(id).score;
        let (mut t, mut rank) = (self.root, 0usize);
        while t != NIL {
            let node = self.n(t);
            match cmp_key(score, member, node.score, node.member.as_bytes()) {
                Ordering::Less => t = node.left,
                Ordering::Greater => {
                    rank += self.size(node.left) as usize + 1;
                    t = node.right;
                }
                Ordering::Equal => return Some((rank + self.size(node.left) as usize, score)),
            }
        }
        None
    }

    fn id_at(&self, rank: usize) -> Option<u32> {
        let (mut t, mut k) = (self.root, rank);
        while t != NIL {
            let ls = self.size(self.left(t)) as usize;
            match k.cmp(&ls) {
                Ordering::Less => t = self.left(t),
                Ordering::Equal => return Some(t),
                Ordering::Greater => {
                    k -= ls + 1;
                    t = self.right(t);
                }
            }
        }
        None
    }

    /// The element at a 0-based rank.
    pub fn at(&self, rank: usize) -> Option<(&[u8], f64)> {
        let node = self.n(self.id_at(rank)?);
        Some((node.member.as_bytes(), node.score))
    }

    /// How many elements score below `v` (or at most `v` with `or_equal`).
    pub fn count_score_below(&self, v: f64, or_equal: bool) -> usize {
        let (mut t, mut n) = (self.root, 0usize);
        while t != NIL {
            let node = self.n(t);
            if node.score < v || (or_equal && node.score == v) {
                n += self.size(node.left) as usize + 1;
                t = node.right;
            } else {
                t = node.left;
            }
        }
        n
    }

    /// How many elements sort below a lex bound (or at most at it with
    /// `or_equal`), assuming members ordered as their scores are, which
    /// is what lex ranges are defined for (all scores equal).
    pub fn count_member_below(&self, bound: LexBound, or_equal: bool) -> usize {
        let (mut t, mut n) = (self.root, 0usize);
        while t != NIL {
            let node = self.n(t);
            let c = cmp_lex(node.member.as_bytes(), bound);
            if c.is_lt() || (or_equal && c.is_eq()) {
                n += self.size(node.left) as usize + 1;
                t = node.right;
            } else {
                t = node.left;
            }
        }
        n
    }

    /// Removes `count` elements from rank `start` on; returns how many.
    pub fn remove_ranks(&mut self, start: usize, count: usize) -> usize {
        let (start, count) = (clamp_u32(start), clamp_u32(count));
        let (before, rest) = self.split(self.root, start);
        let (doomed, after) = self.split(rest, count);
        self.root = self.merge(before, after);
        let removed = self.size(doomed) as usize;
        let mut stack = vec![doomed];
        while let Some(id) = stack.pop() {
            if id == NIL {
                continue;
            }
            stack.push(self.left(id));
            stack.push(self.right(id));
            self.unlink(id);
            self.release(id);
        }
        self.shrink_if_needed();
        removed
    }

    /// Walks the elements from a rank on, forwards or backwards.
    pub fn iter_from(&self, rank: usize, reverse: bool) -> Iter<'_> {
        let mut it = Iter {
            index: self,
            stack: Vec::with_capacity(48),
            reverse,
        };
        let (mut t, mut k) = (self.root, rank);
        while t != NIL {
            let ls = self.size(self.left(t)) as usize;
            match k.cmp(&ls) {
                Ordering::Less => {
                    if !reverse {
                        it.stack.push(t);
                    }
                    t = self.left(t);
                }
                Ordering::Equal => {
                    it.stack.push(t);
                    break;
                }
                Ordering::Greater => {
                    if reverse {
                        it.stack.push(t);
                    }
                    k -= ls + 1;
                    t = self.right(t);
                }
            }
        }
        it
    }

    /// One ZSCAN step over the hash table: the chain under `cursor`, then
    /// the next cursor (0 at the end), Redis's reverse-binary walk that
    /// survives the table growing or shrinking between calls.
    pub fn scan(&self, cursor: u64, f: &mut dyn FnMut(&[u8], f64)) -> u64 {
        if self.buckets.is_empty() {
            return 0;
        }
        let mask = (self.buckets.len() - 1) as u64;
        let mut id = self
            .buckets
            .get((cursor & mask) as usize)
            .copied()
            .unwrap_or(NIL);
        while id != NIL {
            let node = self.n(id);
            f(node.member.as_bytes(), node.score);
            id = node.next;
        }
        let v = cursor | !mask;
        v.reverse_bits().wrapping_add(1).reverse_bits()
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NIL)
}

/// An in-order walk holding the path still to visit.
pub struct Iter<'a> {
    index: &'a Index,
    stack: Vec<u32>,
    reverse: bool,
}

impl Iter<'_> {
    fn next_id(&mut self) -> Option<u32> {
        let id = self.stack.pop()?;
        let index = self.index;
        let mut t = if self.reverse {
            index.left(id)
        } else {
            index.right(id)
        };
        while t != NIL {
            self.stack.push(t);
            t = if self.reverse {
                index.right(t)
            } else {
                index.left(t)
            };
        }
        Some(id)
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        let node = self.index.n(self.next_id()?);
        Some((node.member.as_bytes(), node.score))
    }
}

#[cfg(test)]
mod tests;
