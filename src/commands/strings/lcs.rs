//! LCS: the longest common subsequence of two strings, by the classic
//! dynamic-programming table, with the matched ranges on request.

use super::as_str;
use crate::commands::{CmdError, CmdResult, Ctx, arg_i64, is};
use bytes::Bytes;

/// One run of consecutive matching bytes: inclusive ranges in each string.
struct Match {
    a: (u32, u32),
    b: (u32, u32),
}

pub(super) fn lcs(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let now = ctx.now_ms;
    // Both keys are looked up (and their types checked) before any option.
    let a = string_of(ctx, &args[1], now)?;
    let b = string_of(ctx, &args[2], now)?;
    let (mut want_len, mut want_idx, mut with_len, mut min_len) = (false, false, false, 0i64);
    let mut j = 3;
    while let Some(opt) = args.get(j) {
        if is(opt, "idx") {
            want_idx = true;
        } else if is(opt, "len") {
            want_len = true;
        } else if is(opt, "withmatchlen") {
            with_len = true;
        } else if let (true, Some(n)) = (is(opt, "minmatchlen"), args.get(j + 1)) {
            min_len = arg_i64(n)?.max(0);
            j += 1;
        } else {
            return Err(CmdError::SYNTAX);
        }
        j += 1;
    }
    if want_idx && want_len {
        return Err(CmdError::text(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    let table = Table::build(&a, &b, ctx.engine.config.proto_max_bulk_len)?;
    let total = table.at(a.len(), b.len());
    ctx.flush_key_events();
    let reply = &mut *ctx.reply;
    if want_len {
        reply.int(i64::from(total));
        return Ok(());
    }
    let (common, matches) = table.walk(&a, &b);
    if !want_idx {
        reply.bulk(&common);
        return Ok(());
    }
    let shown: Vec<&Match> = matches
        .iter()
        .filter(|m| i64::from(m.a.1 - m.a.0 + 1) >= min_len)
        .collect();
    reply.map(2);
    reply.bulk(b"matches");
    reply.array(shown.len());
    for m in shown {
        reply.array(if with_len { 3 } else { 2 });
        for (from, to) in [m.a, m.b] {
            reply.array(2);
            reply.int(i64::from(from));
            reply.int(i64::from(to));
        }
        if with_len {
            reply.int(i64::from(m.a.1 - m.a.0 + 1));
        }
    }
    reply.bulk(b"len");
    reply.int(i64::from(total));
    Ok(())
}

/// The bytes of a key's string ("" when missing), or LCS's own type error.
fn string_of(ctx: &mut Ctx, key: &[u8], now: i64) -> Result<Vec<u8>, CmdError> {
    match ctx.db().get(key, now) {
        None => Ok(Vec::new()),
        Some(obj) => as_str(&obj.value).map(|s| s.to_vec()).ok_or(CmdError::text(
            "ERR The specified keys must contain string values",
        )),
    }
}

/// LCS lengths of every pair of prefixes: cell (i, j) holds the length for
/// a[..i] and b[..j].
struct Table {
    cells: Vec<u32>,
    width: usize,
}

impl Table {
    fn build(a: &[u8], b: &[u8], max_bulk: i64) -> Result<Table, CmdError> {
        // Lengths and indexes are 32-bit, as in Redis.
        if a.len() >= u32::MAX as usize - 1 || b.len() >= u32::MAX as usize - 1 {
            return Err(CmdError::text("ERR String too long for LCS"));
        }
        let width = b.len() + 1;
        let cells_len = (a.len() + 1) as u128 * width as u128;
        if cells_len * 4 > u128::try_from(max_bulk).unwrap_or(0) {
            return Err(CmdError::text(
                "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
            ));
        }
        let failed = || {
            CmdError::text("ERR Insufficient memory, failed allocating transient memory for LCS")
        };
        let cells_len = usize::try_from(cells_len).map_err(|_| failed())?;
        let mut cells = Vec::new();
        cells.try_reserve_exact(cells_len).map_err(|_| failed())?;
        cells.resize(cells_len, 0);
        // Row i from row i-1: a match extends the diagonal, otherwise the
        // longer of the cell above and the cell to the left.
        for (i, &x) in a.iter().enumerate() {
            let (before, rest) = cells.split_at_mut((i + 1) * width);
            let prev = before.get(i * width..).unwrap_or_default();
            let mut left = 0;
            for ((cell, pair), &y) in rest.iter_mut().skip(1).zip(prev.windows(2)).zip(b) {
                if let [diag, up] = *pair {
                    left = if x == y { diag + 1 } else { up.max(left) };
                }
                *cell = left;
            }
        }
        Ok(Table { cells, width })
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells.get(i * self.width + j).copied().unwrap_or(0)
    }

    /// Walks back from the end: the common subsequence itself and the runs
    /// of consecutive matches, last run first (Redis's order). Where both
    /// directions keep the same length, the walk moves along `b`, which
    /// decides which of several equally long answers is reported.
    fn walk(&self, a: &[u8], b: &[u8]) -> (Vec<u8>, Vec<Match>) {
        let mut common = Vec::with_capacity(self.at(a.len(), b.len()) as usize);
        let mut matches = Vec::new();
        let mut run: Option<Match> = None;
        let (mut i, mut j) = (a.len(), b.len());
        while i > 0 && j > 0 {
            let (Some(&x), Some(&y)) = (a.get(i - 1), b.get(j - 1)) else {
                break;
            };
            let (ai, bj) = ((i - 1) as u32, (j - 1) as u32);
            if x == y {
                common.push(x);
                match &mut run {
                    Some(m) if m.a.0 == ai + 1 && m.b.0 == bj + 1 => {
                        m.a.0 = ai;
                        m.b.0 = bj;
                    }
                    Some(_) => matches.extend(run.take()),
                    None => {
                        run = Some(Match {
                            a: (ai, ai),
                            b: (bj, bj),
                        })
                    }
                }
                i -= 1;
                j -= 1;
                // A run touching the start of either string is complete.
                if run.as_ref().is_some_and(|m| m.a.0 == 0 || m.b.0 == 0) {
                    matches.extend(run.take());
                }
            } else {
                if self.at(i - 1, j) > self.at(i, j - 1) {
                    i -= 1;
                } else {
                    j -= 1;
                }
                matches.extend(run.take());
            }
        }
        common.reverse();
        (common, matches)
    }
}
