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
///
/// Every access is checked (`?`), though the loop conditions keep them in
/// bounds; the table is indexed by a hash masked to its size. This loop
/// is most of the time a save takes, so it reads each byte once and
/// compares matches eight bytes at a time.
fn compress_into(
    table: &mut [u32],
    base: u32,
    input: &[u8],
    out: &mut [u8],
    limit: usize,
) -> Option<usize> {
    let table: &mut [u32; HSIZE] = table.try_into().ok()?;
    let out = out.get_mut(..=limit)?;
    let n = input.len();
    // Positions are stored as base + position + 1 (0: never seen).
    let stamp = |ip: usize| base + ip as u32 + 1;
    let (mut ip, mut op, mut lit) = (0usize, 1usize, 0usize);
    let mut hval = match input {
        [a, b, ..] => (u32::from(*a) << 8) | u32::from(*b),
        _ => 0,
    };
    while ip + 2 < n {
        let next3 = input.get(ip..ip + 3)?;
        hval = (hval << 8) | u32::from(next3[2]);
        let s = slot(hval);
        let seen = table[s];
        table[s] = stamp(ip);
        // A reference must lie after the first byte (liblzf's
        // `ref > in_data`) and within reach.
        let r = seen.wrapping_sub(base + 1) as usize;
        let found = seen > base && r > 0 && r < ip && ip - r - 1 < MAX_OFF;
        if !found || input.get(r..r + 3) != Some(next3) {
            if op >= limit {
                return None;
            }
            lit += 1;
            *out.get_mut(op)? = *next3.first()?;
            op += 1;
            ip += 1;
            if lit == MAX_LIT {
                *out.get_mut(op - lit - 1)? = (lit - 1) as u8;
                lit = 0;
                op += 1;
            }
            continue;
        }
        let off = ip - r - 1;
        let maxlen = (n - ip - 2).min(MAX_REF);
        // Room for the longest back reference, counted as liblzf 3.6
        // does: after a literal run header that is about to be dropped.
        if op - usize::from(lit == 0) + 3 + 1 >= limit {
            return None;
        }
        // Close the literal run; with none open, drop its header slot.
        *out.get_mut(op - lit - 1)? = (lit as u8).wrapping_sub(1);
        if lit == 0 {
            op -= 1;
        }
        let len = match_end(input, r, ip, maxlen)? - 2;
        ip += 1;
        if len < 7 {
            *out.get_mut(op)? = ((off >> 8) + (len << 5)) as u8;
            op += 1;
        } else {
            *out.get_mut(op)? = ((off >> 8) + (7 << 5)) as u8;
            *out.get_mut(op + 1)? = (len - 7) as u8;
            op += 2;
        }
        *out.get_mut(op)? = off as u8;
        op += 2;
        lit = 0;
        ip += len + 1;
        if ip + 2 >= n {
            break;
        }
        // VERY_FAST: hash the two positions before the resume point.
        ip -= 2;
        let [a, b, c, d] = *input.get(ip..ip + 4)?.first_chunk::<4>()?;
        hval = (u32::from(a) << 8) | u32::from(b);
        for next in [c, d] {
            hval = (hval << 8) | u32::from(next);
            table[slot(hval)] = stamp(ip);
            ip += 1;
        }
    }
    if op + 3 > limit {
        return None;
    }
    for &b in input.get(ip.min(n)..)? {
        lit += 1;
        *out.get_mut(op)? = b;
        op += 1;
        if lit == MAX_LIT {
            *out.get_mut(op - lit - 1)? = (lit - 1) as u8;
            lit = 0;
            op += 1;
        }
    }
    *out.get_mut(op - lit - 1)? = (lit as u8).wrapping_sub(1);
    if lit == 0 {
        op -= 1;
    }
    Some(op)
}

/// Where a match of the three bytes at `r` and `ip` ends, as liblzf's
/// search leaves its `len`: the first index that differs, but the first
/// sixteen checked unrolled when `maxlen > 16` (which may carry a match
/// past `maxlen`, up to the input's end), the rest only below `maxlen`.
fn match_end(input: &[u8], r: usize, ip: usize, maxlen: usize) -> Option<usize> {
    let same = |from: usize, to: usize| {
        let a = input.get(r + from..r + to)?;
        let b = input.get(ip + from..ip + to)?;
        Some(from + common_prefix(a, b))
    };
    if maxlen > 16 {
        let k = same(3, 19)?;
        if k < 19 || maxlen <= 19 {
            return Some(k);
        }
        same(19, maxlen)
    } else if maxlen <= 3 {
        Some(3)
    } else {
        same(3, maxlen)
    }
}

/// How many leading bytes `a` and `b` (of equal length) share, compared
/// eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut done = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let x = u64::from_le_bytes(x.try_into().unwrap_or_default());
        let y = u64::from_le_bytes(y.try_into().unwrap_or_default());
        let diff = x ^ y;
        if diff != 0 {
            return done + (diff.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let tail = a.iter().zip(b).skip(done);
    done + tail.take_while(|(x, y)| x == y).count()
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
            let count = len + 2;
            if back >= count {
                out.extend_from_within(from..from + count);
            } else {
                // The match overlaps what it produces (a run): byte by
                // byte, each copy reading bytes the previous ones wrote.
                for k in 0..count {
                    let b = *out.get(from + k)?;
                    out.push(b);
                }
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

    fn unhex(h: &str) -> Vec<u8> {
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn long_matches_end_as_in_redis() {
        // The compressed bytes of redis-server 7.0.15's DUMP of each
        // string: matches that run to the input's end, runs longer than
        // one back reference, a JSON-like value.
        let json =
            br#"{"id":1,"name":"user0000001","bio":"alpha bravo alpha bravo charlie delta"}"#;
        let cases: [(Vec<u8>, &str); 5] = [
            (
                [&b"abcdefghij".repeat(3)[..], b"abcdefghijklmnopqrs"].concat(),
                "0a6162636465666768696a61e01409086b6c6d6e6f70717273",
            ),
            (
                b"0123456789abcdefghijklmnopqrstuv0123456789abcdefghij".to_vec(),
                "1f303132333435363738396162636465666768696a6b6c6d6e6f707172737475760030e00a1f",
            ),
            (
                [b"xyz", &[b'q'; 17][..], b"xyz", &[b'q'; 17][..]].concat(),
                "0378797a71e007000078e00a13",
            ),
            (
                json.to_vec(),
                "147b226964223a312c226e616d65223a22757365723060000631222c2262696f20130b616c70686120627261766f20e0030b0e636861726c69652064656c7461227d",
            ),
            (
                [[b'a'; 300], [b'b'; 300]].concat(),
                "016161e0ff00e019000062e0ff00e01800016262",
            ),
        ];
        for (input, want) in cases {
            let out = compress(&input).unwrap();
            assert_eq!(out, unhex(want), "{}", String::from_utf8_lossy(&input));
            assert_eq!(decompress(&out, input.len()).unwrap(), input);
        }
    }
}
