//! LZF, the compression Redis applies to strings in RDB files.
//!
//! The format is liblzf's: a control byte below 32 starts a run of that
//! many plus one literal bytes; otherwise its top three bits are a match
//! length (7 means "add the next byte"), its low five bits and the next
//! byte an offset back into the output. Decompressing needs nothing more.
//!
//! Compressing is written here rather than taken from a crate because the
//! output must be the very bytes Redis's liblzf (HLOG 16, VERY_FAST) makes,
//! so that DUMP payloads and RDB files compare equal byte for byte: the
//! same hash of three bytes, the same match search and the same give-up
//! points when the output would not be smaller (liblzf 3.6, which Redis
//! 7.0 bundles).

/// Hash table size, as liblzf's HLOG.
const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
/// Longest literal run, farthest offset and longest match.
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);

/// liblzf's IDX under VERY_FAST: only the last three bytes folded into
/// `h` matter, the arithmetic wraps as C's unsigned int does.
fn slot(h: u32) -> usize {
    ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

/// A reusable compressor. Its table remembers where each three-byte hash
/// was last seen; entries are stored relative to a base that moves past
/// every input, so entries from an earlier input read as empty without
/// clearing 64 Ki slots per string (liblzf starts from an empty table).
pub struct Compressor {
    table: Box<[u32]>,
    base: u32,
}

impl Default for Compressor {
    fn default() -> Self {
        Compressor {
            table: vec![0u32; HSIZE].into_boxed_slice(),
            base: 0,
        }
    }
}

impl Compressor {
    /// Compresses `input` into `out` (cleared first) unless the result
    /// would take more than `limit` bytes; returns whether it did (Redis
    /// asks for at least four bytes saved and stores the string plainly
    /// otherwise).
    pub fn compress(&mut self, input: &[u8], limit: usize, out: &mut Vec<u8>) -> bool {
        out.clear();
        if input.is_empty() || limit == 0 || input.len() >= u32::MAX as usize / 2 {
            return false;
        }
        let span = input.len() as u32 + 1;
        if self
            .base
            .checked_add(span)
            .is_none_or(|b| b >= u32::MAX / 2)
        {
            self.table.fill(0);
            self.base = 0;
        }
        let base = self.base;
        self.base += span;
        // One byte past the limit, as Redis allocates it: the closing
        // run header may land there before it is dropped.
        out.resize(limit + 1, 0);
        match compress_into(&mut self.table, base, input, out, limit) {
            Some(n) => {
                out.truncate(n);
                true
            }
            None => {
                out.clear();
                false
            }
        }
    }
}

/// liblzf's lzf_compress over `out[..=limit]`; `None` where it returns 0.
fn compress_into(
    table: &mut [u32],
    base: u32,
    input: &[u8],
    out: &mut [u8],
    limit: usize,
) -> Option<usize> {
    let n = input.len();
    let at = |i: usize| input.get(i).copied().map_or(0, u32::from);
    // Positions are stored as base + position + 1 (0: never seen).
    let stamp = |ip: usize| base + ip as u32 + 1;
    let put = |out: &mut [u8], i: usize, b: u8| -> Option<()> {
        *out.get_mut(i)? = b;
        Some(())
    };
    let (mut ip, mut op, mut lit) = (0usize, 1usize, 0usize);
    let mut hval = (at(0) << 8) | at(1);
    while ip + 2 < n {
        hval = (hval << 8) | at(ip + 2);
        let s = slot(hval);
        let seen = table.get(s).copied().unwrap_or(0);
        if let Some(t) = table.get_mut(s) {
            *t = stamp(ip);
        }
        // A reference must lie after the first byte (liblzf's
        // `ref > in_data`) and within reach.
        let reference = seen
            .checked_sub(base + 1)
            .map(|r| r as usize)
            .filter(|&r| r > 0 && r < ip && ip - r - 1 < MAX_OFF)
            .filter(|&r| input.get(r..r + 3) == input.get(ip..ip + 3));
        let Some(r) = reference else {
            if op >= limit {
                return None;
            }
            lit += 1;
            put(out, op, *input.get(ip)?)?;
            op += 1;
            ip += 1;
            if lit == MAX_LIT {
                put(out, op - lit - 1, (lit - 1) as u8)?;
                lit = 0;
                op += 1;
            }
            continue;
        };
        let off = ip - r - 1;
        let maxlen = (n - ip - 2).min(MAX_REF);
        // Room for the longest back reference, counted as liblzf 3.6
        // does: after a literal run header that is about to be dropped.
        if op - usize::from(lit == 0) + 3 + 1 >= limit {
            return None;
        }
        // Close the literal run; with none open, drop its header slot.
        put(out, op - lit - 1, (lit as u8).wrapping_sub(1))?;
        if lit == 0 {
            op -= 1;
        }
        let same = |k: usize| input.get(r + k).is_some() && input.get(r + k) == input.get(ip + k);
        let mut len = 2;
        // liblzf checks the first sixteen bytes unrolled when the match
        // may be long, which lets a match run up to the input's end.
        let mut done = false;
        if maxlen > 16 {
            for _ in 0..16 {
                len += 1;
                if !same(len) {
                    done = true;
                    break;
                }
            }
        }
        if !done {
            loop {
                len += 1;
                if !(len < maxlen && same(len)) {
                    break;
                }
            }
        }
        len -= 2;
        ip += 1;
        if len < 7 {
            put(out, op, ((off >> 8) + (len << 5)) as u8)?;
            op += 1;
        } else {
            put(out, op, ((off >> 8) + (7 << 5)) as u8)?;
            put(out, op + 1, (len - 7) as u8)?;
            op += 2;
        }
        put(out, op, off as u8)?;
        op += 2;
        lit = 0;
        ip += len + 1;
        if ip + 2 >= n {
            break;
        }
        // VERY_FAST: hash the two positions before the resume point.
        ip -= 2;
        hval = (at(ip) << 8) | at(ip + 1);
        for _ in 0..2 {
            hval = (hval << 8) | at(ip + 2);
            if let Some(t) = table.get_mut(slot(hval)) {
                *t = stamp(ip);
            }
            ip += 1;
        }
    }
    if op + 3 > limit {
        return None;
    }
    while ip < n {
        lit += 1;
        put(out, op, *input.get(ip)?)?;
        op += 1;
        ip += 1;
        if lit == MAX_LIT {
            put(out, op - lit - 1, (lit - 1) as u8)?;
            lit = 0;
            op += 1;
        }
    }
    put(out, op - lit - 1, (lit as u8).wrapping_sub(1))?;
    if lit == 0 {
        op -= 1;
    }
    Some(op)
}

/// Decompresses `input`, which must expand to exactly `expected` bytes
/// (the length the RDB records); `None` for anything malformed.
pub fn decompress(input: &[u8], expected: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(expected);
    let mut ip = 0;
    while let Some(&c) = input.get(ip) {
        let ctrl = usize::from(c);
        ip += 1;
        if ctrl < 32 {
            let run = input.get(ip..ip + ctrl + 1)?;
            if out.len() + run.len() > expected {
                return None;
            }
            out.extend_from_slice(run);
            ip += ctrl + 1;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += usize::from(*input.get(ip)?);
                ip += 1;
            }
            let back = ((ctrl & 0x1f) << 8) + usize::from(*input.get(ip)?) + 1;
            ip += 1;
            if out.len() + len + 2 > expected {
                return None;
            }
            let from = out.len().checked_sub(back)?;
            // Byte by byte: a match may overlap what it produces.
            for k in 0..len + 2 {
                let b = *out.get(from + k)?;
                out.push(b);
            }
        }
    }
    (out.len() == expected).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compress(input: &[u8]) -> Option<Vec<u8>> {
        let mut c = Compressor::default();
        let mut out = Vec::new();
        c.compress(input, input.len().saturating_sub(4), &mut out)
            .then_some(out)
    }

    #[test]
    fn matches_redis_output() {
        // DUMP of "a" x 50 on redis-server 7.0.15: 9 compressed bytes.
        let out = compress(&[b'a'; 50]).unwrap();
        assert_eq!(out, [0x01, 0x61, 0x61, 0xe0, 0x25, 0x00, 0x01, 0x61, 0x61]);
        assert_eq!(decompress(&out, 50).unwrap(), vec![b'a'; 50]);
    }

    #[test]
    fn incompressible_input_is_refused() {
        let input: Vec<u8> = (0..200u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(compress(&input).is_none());
    }

    #[test]
    fn round_trips_and_reuses_the_table() {
        let mut c = Compressor::default();
        let mut out = Vec::new();
        for round in 0..50u32 {
            let text: Vec<u8> = (0..(round * 97 + 64))
                .map(|i| b"the quick brown fox "[(i % 20) as usize] ^ (round as u8 & 1))
                .collect();
            assert!(c.compress(&text, text.len() - 4, &mut out));
            assert_eq!(decompress(&out, text.len()).unwrap(), text);
        }
    }

    #[test]
    fn malformed_input_is_rejected() {
        assert!(decompress(&[0x05, b'a'], 6).is_none());
        assert!(decompress(&[0x20, 0x00], 2).is_none());
        assert!(decompress(&[0x00, b'a'], 2).is_none());
        assert_eq!(decompress(&[0x00, b'a', 0x20, 0x00], 4).unwrap(), b"aaaa");
        assert!(decompress(&[0xe0], 10).is_none());
    }
}
