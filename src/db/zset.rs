//! The sorted set type: a listpack of member/score pairs in score order
//! while small (`listpack`, see [`small`]), a hash table plus an ordered
//! index with ranks beyond zset-max-listpack-entries/-value (`skiplist`,
//! see [`index`]). Conversion is one way, at the moment Redis converts:
//! when an insertion would pass either limit.
//!
//! Everything here is in terms of ranks (0 = lowest score), which both
//! encodings answer; what differs between them is only how fast. Lex
//! ranges on the small encoding are found by the same linear scans Redis
//! uses, so even sets whose scores differ (where lex order is undefined)
//! give Redis's answers.

pub mod index;
pub mod range;
mod small;

use super::listpack::{Entry, Listpack};
pub use index::Index;
pub use range::{LexBound, LexRange, ScoreRange, parse_score};

/// A sorted set value.
#[derive(Clone, Debug)]
pub enum ZSet {
    Listpack(Listpack),
    Skiplist(Box<Index>),
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet::Listpack(Listpack::new())
    }
}

/// zset-max-listpack-entries and zset-max-listpack-value.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub entries: usize,
    pub value: usize,
}

/// ZADD's options.
#[derive(Debug, Default, Clone, Copy)]
pub struct AddFlags {
    pub incr: bool,
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
}

/// What an add did (Redis's zsetAdd flags), with the resulting score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AddOutcome {
    /// The score (or the sum with INCR) is NaN; nothing changed.
    Nan,
    /// NX, XX, GT or LT said no.
    Nop,
    Added(f64),
    Updated(f64),
    /// Processed, but the score was already that.
    Unchanged(f64),
}

impl ZSet {
    /// The set ZADD creates for a new key: Redis 7.0 looks only at the
    /// first member's length (later ones convert as they are added).
    pub fn for_zadd(first_member_len: usize, limits: Limits) -> ZSet {
        if limits.entries == 0 || limits.value < first_member_len {
            ZSet::Skiplist(Box::default())
        } else {
            ZSet::default()
        }
    }

    /// A set holding `elements` (sorted, distinct), in the encoding their
    /// count and longest member call for: what the STORE commands make.
    pub fn from_sorted(elements: Vec<(Vec<u8>, f64)>, limits: Limits) -> ZSet {
        let longest = elements.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
        if elements.len() <= limits.entries && longest <= limits.value {
            let mut lp = Listpack::new();
            for (member, score) in &elements {
                small::push(&mut lp, member, *score);
            }
            ZSet::Listpack(lp)
        } else {
            ZSet::Skiplist(Box::new(Index::from_sorted(elements)))
        }
    }

    /// A listpack set of these pairs, already in order and distinct (a
    /// listpack read from an RDB stays as saved, as in Redis).
    pub fn from_listpack_pairs(elements: Vec<(Vec<u8>, f64)>) -> ZSet {
        let mut lp = Listpack::new();
        for (member, score) in &elements {
            small::push(&mut lp, member, *score);
        }
        ZSet::Listpack(lp)
    }

    /// What ZRANGESTORE builds. Redis adds the range's elements one by one
    /// in the order it selected them (`reverse` for REV) to a new listpack
    /// (a skip list when a rank range's length is known to pass the entry
    /// limit), converting when an element would pass a limit; the elements
    /// that went through the listpack lose the sign of a -0 score there.
    pub fn from_range(
        mut elements: Vec<(Vec<u8>, f64)>,
        reverse: bool,
        rank_len: Option<usize>,
        limits: Limits,
    ) -> ZSet {
        let converted_at = if rank_len.is_some_and(|n| n > limits.entries) {
            Some(0)
        } else {
            elements
                .iter()
                .enumerate()
                .position(|(i, (m, _))| i + 1 > limits.entries || m.len() > limits.value)
        };
        let through_listpack = converted_at.unwrap_or(elements.len());
        for (_, score) in elements.iter_mut().take(through_listpack) {
            if *score == 0.0 {
                *score = 0.0;
            }
        }
        if reverse {
            elements.reverse();
        }
        match converted_at {
            Some(_) => ZSet::Skiplist(Box::new(Index::from_sorted(elements))),
            None => {
                let mut lp = Listpack::new();
                for (member, score) in &elements {
                    small::push(&mut lp, member, *score);
                }
                ZSet::Listpack(lp)
            }
        }
    }

    /// Heap bytes beyond the boxed enum (MEMORY USAGE).
    pub fn heap_bytes(&self, samples: usize) -> usize {
        use super::usage;
        match self {
            ZSet::Listpack(lp) => usage::array::<u8>(lp.allocated()),
            ZSet::Skiplist(index) => usage::boxed::<Index>() + index.heap_bytes(samples),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ZSet::Listpack(lp) => small::len(lp),
            ZSet::Skiplist(ix) => ix.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            ZSet::Listpack(_) => "listpack",
            ZSet::Skiplist(_) => "skiplist",
        }
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            ZSet::Listpack(lp) => small::find(lp, member).map(|(_, s)| s),
            ZSet::Skiplist(ix) => ix.score(member),
        }
    }

    /// Converts a listpack to the big encoding (one way). SORT does this
    /// to any sorted set it reads, as Redis's does.
    pub fn convert(&mut self) {
        if let ZSet::Listpack(lp) = self {
            let index = Index::from_sorted(small::iter(lp).map(|(m, s)| (m.to_vec(), s)));
            *self = ZSet::Skiplist(Box::new(index));
        }
    }

    /// Adds or updates a member under ZADD's options (Redis's zsetAdd).
    pub fn add(
        &mut self,
        member: &[u8],
        score: f64,
        flags: AddFlags,
        limits: Limits,
    ) -> AddOutcome {
        if score.is_nan() {
            return AddOutcome::Nan;
        }
        let Some(current) = self.score(member) else {
            if flags.xx {
                return AddOutcome::Nop;
            }
            self.insert_new(member, score, limits);
            return AddOutcome::Added(score);
        };
        if flags.nx {
            return AddOutcome::Nop;
        }
        let mut score = score;
        if flags.incr {
            score += current;
            if score.is_nan() {
                return AddOutcome::Nan;
            }
        }
        if (flags.lt && score >= current) || (flags.gt && score <= current) {
            return AddOutcome::Nop;
        }
        if score == current {
            return AddOutcome::Unchanged(score);
        }
        match self {
            ZSet::Listpack(lp) => {
                if let Some((pos, _)) = small::find(lp, member) {
                    small::remove_at(lp, pos);
                    small::insert(lp, member, score);
                }
            }
            ZSet::Skiplist(ix) => {
                ix.update(member, score);
            }
        }
        AddOutcome::Updated(score)
    }

    /// Inserts an absent member, converting first if the listpack would
    /// pass a limit.
    fn insert_new(&mut self, member: &[u8], score: f64, limits: Limits) {
        if let ZSet::Listpack(lp) = self
            && (small::len(lp) + 1 > limits.entries || member.len() > limits.value)
        {
            self.convert();
        }
        match self {
            ZSet::Listpack(lp) => small::insert(lp, member, score),
            ZSet::Skiplist(ix) => ix.insert(member, score),
        }
    }

    /// Removes a member; whether it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            ZSet::Listpack(lp) => match small::find(lp, member) {
                Some((pos, _)) => {
                    small::remove_at(lp, pos);
                    true
                }
                None => false,
            },
            ZSet::Skiplist(ix) => ix.remove(member).is_some(),
        }
    }

    /// A member's 0-based rank (from the highest score with `reverse`)
    /// and its score.
    pub fn rank(&self, member: &[u8], reverse: bool) -> Option<(usize, f64)> {
        let (rank, score) = match self {
            ZSet::Listpack(lp) => small::iter(lp)
                .enumerate()
                .find(|(_, (m, _))| m.eq_bytes(member))
                .map(|(i, (_, s))| (i, s))?,
            ZSet::Skiplist(ix) => ix.rank(member)?,
        };
        Some(if reverse {
            (self.len() - 1 - rank, score)
        } else {
            (rank, score)
        })
    }

    /// Calls `f` for the elements from `rank` on, towards the end (or the
    /// start with `reverse`), until it returns false or they run out.
    pub fn walk<'s>(
        &'s self,
        rank: usize,
        reverse: bool,
        f: &mut dyn FnMut(Entry<'s>, f64) -> bool,
    ) {
        match self {
            ZSet::Listpack(lp) => {
                let mut pos = small::seek(lp, rank);
                while let Some(p) = pos {
                    let Some((member, score, next)) = small::pair(lp, p) else {
                        return;
                    };
                    if !f(member, score) {
                        return;
                    }
                    pos = if reverse {
                        small::prev_pair(lp, p)
                    } else {
                        next
                    };
                }
            }
            ZSet::Skiplist(ix) => {
                for (member, score) in ix.iter_from(rank, reverse) {
                    if !f(Entry::Str(member), score) {
                        return;
                    }
                }
            }
        }
    }

    /// Every element, lowest score first.
    pub fn for_each(&self, f: &mut dyn FnMut(Entry<'_>, f64)) {
        self.walk(0, false, &mut |m, s| {
            f(m, s);
            true
        });
    }

    /// The element at a rank.
    pub fn at(&self, rank: usize) -> Option<(Vec<u8>, f64)> {
        match self {
            ZSet::Listpack(lp) => {
                let (m, s, _) = small::pair(lp, small::seek(lp, rank)?)?;
                Some((m.to_vec(), s))
            }
            ZSet::Skiplist(ix) => ix.at(rank).map(|(m, s)| (m.to_vec(), s)),
        }
    }

    fn score_at(&self, rank: usize) -> Option<f64> {
        match self {
            ZSet::Listpack(lp) => small::pair(lp, small::seek(lp, rank)?).map(|(_, s, _)| s),
            ZSet::Skiplist(ix) => ix.at(rank).map(|(_, s)| s),
        }
    }

    /// Whether the member at `rank` satisfies `test`.
    fn member_at_is(&self, rank: usize, test: impl Fn(&[u8]) -> bool) -> bool {
        match self {
            ZSet::Listpack(lp) => small::seek(lp, rank)
                .and_then(|p| lp.get(p))
                .is_some_and(|m| test(m.as_bytes(&mut [0u8; 32]))),
            ZSet::Skiplist(ix) => ix.at(rank).is_some_and(|(m, _)| test(m)),
        }
    }

    /// How many elements score below `v` (or at most `v`).
    fn count_score_below(&self, v: f64, or_equal: bool) -> usize {
        match self {
            ZSet::Listpack(lp) => small::iter(lp)
                .take_while(|&(_, s)| s < v || (or_equal && s == v))
                .count(),
            ZSet::Skiplist(ix) => ix.count_score_below(v, or_equal),
        }
    }

    /// The rank of the first element in a score range (the last with
    /// `reverse`), as zzlFirstInRange / zslLastInRange find it.
    pub fn score_start(&self, r: &ScoreRange, reverse: bool) -> Option<usize> {
        let n = self.len();
        if n == 0 || r.is_empty() {
            return None;
        }
        if !r.gte_min(self.score_at(n - 1)?) || !r.lte_max(self.score_at(0)?) {
            return None;
        }
        if reverse {
            let k = self.count_score_below(r.max, !r.maxex);
            (k > 0 && r.gte_min(self.score_at(k - 1)?)).then(|| k - 1)
        } else {
            let k = self.count_score_below(r.min, r.minex);
            (k < n && r.lte_max(self.score_at(k)?)).then_some(k)
        }
    }

    /// How many elements a score range holds (ZCOUNT).
    pub fn count_in_score(&self, r: &ScoreRange) -> usize {
        match self.score_start(r, false) {
            Some(first) => self
                .count_score_below(r.max, !r.maxex)
                .saturating_sub(first),
            None => 0,
        }
    }

    /// The rank of the first element in a lex range (the last with
    /// `reverse`). Redis's checks first: a non-empty range, the last
    /// member not below min, the first not above max.
    pub fn lex_start(&self, r: &LexRange, reverse: bool) -> Option<usize> {
        let n = self.len();
        if n == 0 || r.is_empty() {
            return None;
        }
        if !self.member_at_is(n - 1, |m| r.gte_min(m)) || !self.member_at_is(0, |m| r.lte_max(m)) {
            return None;
        }
        match (self, reverse) {
            // The listpack is scanned from the end it starts at.
            (ZSet::Listpack(lp), false) => {
                let mut buf = [0u8; 32];
                let (k, (m, _)) = small::iter(lp)
                    .enumerate()
                    .find(|(_, (m, _))| r.gte_min(m.as_bytes(&mut buf)))?;
                r.lte_max(m.as_bytes(&mut buf)).then_some(k)
            }
            (ZSet::Listpack(lp), true) => {
                let mut buf = [0u8; 32];
                let mut k = n;
                let mut pos = small::seek(lp, n - 1);
                while let Some(p) = pos {
                    k -= 1;
                    let m = lp.get(p)?;
                    if r.lte_max(m.as_bytes(&mut buf)) {
                        return r.gte_min(m.as_bytes(&mut buf)).then_some(k);
                    }
                    pos = small::prev_pair(lp, p);
                }
                None
            }
            (ZSet::Skiplist(ix), false) => {
                let k = ix.count_member_below(r.min, r.minex);
                (k < n && self.member_at_is(k, |m| r.lte_max(m))).then_some(k)
            }
            (ZSet::Skiplist(ix), true) => {
                let k = ix.count_member_below(r.max, !r.maxex);
                (k > 0 && self.member_at_is(k - 1, |m| r.gte_min(m))).then(|| k - 1)
            }
        }
    }

    /// How many elements from `start` on stay at or below a lex max.
    fn lex_run(&self, start: usize, r: &LexRange) -> usize {
        let mut count = 0;
        self.walk(start, false, &mut |m, _| {
            let inside = r.lte_max(m.as_bytes(&mut [0u8; 32]));
            count += usize::from(inside);
            inside
        });
        count
    }

    /// How many elements a lex range holds (ZLEXCOUNT): counted from the
    /// first in range on the listpack, by the ranks of the first and last
    /// in range on the index, as Redis does.
    pub fn count_in_lex(&self, r: &LexRange) -> usize {
        let Some(first) = self.lex_start(r, false) else {
            return 0;
        };
        match self {
            ZSet::Listpack(_) => self.lex_run(first, r),
            ZSet::Skiplist(_) => {
                let after_last = match self.lex_start(r, true) {
                    Some(last) => self.len() - 1 - last,
                    None => 0,
                };
                (self.len() - first).saturating_sub(after_last)
            }
        }
    }

    /// Removes `count` elements from rank `start` on; returns how many.
    pub fn remove_ranks(&mut self, start: usize, count: usize) -> usize {
        match self {
            ZSet::Listpack(lp) => {
                let count = count.min(small::len(lp).saturating_sub(start));
                if let Some(pos) = small::seek(lp, start) {
                    lp.remove_range(pos, count * 2);
                }
                count
            }
            ZSet::Skiplist(ix) => ix.remove_ranks(start, count),
        }
    }

    /// Removes the elements in a score range (ZREMRANGEBYSCORE).
    pub fn remove_score_range(&mut self, r: &ScoreRange) -> usize {
        let count = self.count_in_score(r);
        match self.score_start(r, false) {
            Some(first) => self.remove_ranks(first, count),
            None => 0,
        }
    }

    /// Removes the elements in a lex range (ZREMRANGEBYLEX): from the first
    /// in range while they stay at or below max. The index starts where
    /// its ordered search lands, without the listpack's up-front checks,
    /// as Redis's skip list does.
    pub fn remove_lex_range(&mut self, r: &LexRange) -> usize {
        let first = match self {
            ZSet::Listpack(_) => self.lex_start(r, false),
            ZSet::Skiplist(ix) => Some(ix.count_member_below(r.min, r.minex)),
        };
        let Some(first) = first else {
            return 0;
        };
        let count = self.lex_run(first, r);
        self.remove_ranks(first, count)
    }

    /// Removes and returns the lowest element (highest with `max`).
    pub fn pop(&mut self, max: bool) -> Option<(Vec<u8>, f64)> {
        let rank = if max { self.len().checked_sub(1)? } else { 0 };
        let element = self.at(rank)?;
        self.remove_ranks(rank, 1);
        Some(element)
    }

    /// One ZSCAN step, giving each member with its score as ZSCAN prints
    /// it. The small encoding answers everything at once with cursor 0,
    /// scores as the listpack holds them (an integer, else `%.17g`); the
    /// index walks its hash table from `cursor` until about `count`
    /// elements were seen (Redis counts member and score as two, and gives
    /// up after ten buckets per COUNT), printing scores with `%.17g`.
    pub fn scan(&self, cursor: u64, count: u64, f: &mut dyn FnMut(&[u8], &[u8])) -> u64 {
        match self {
            ZSet::Listpack(lp) => {
                let mut entries = lp.iter().map(|(_, e)| e);
                while let (Some(member), Some(score)) = (entries.next(), entries.next()) {
                    let (mut mbuf, mut sbuf) = ([0u8; 32], [0u8; 32]);
                    f(member.as_bytes(&mut mbuf), score.as_bytes(&mut sbuf));
                }
                0
            }
            ZSet::Skiplist(ix) => {
                let mut cursor = cursor;
                let mut items = 0u64;
                let mut budget = count.saturating_mul(10);
                loop {
                    cursor = ix.scan(cursor, &mut |m, s| {
                        items += 2;
                        f(m, crate::util::float::fmt_f64(c"%.17g", s).as_bytes());
                    });
                    if cursor == 0 || budget == 0 || items >= count {
                        return cursor;
                    }
                    budget -= 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
