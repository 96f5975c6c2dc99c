//! Glob-style matching with Redis's `stringmatchlen` rules, used by KEYS,
//! SCAN MATCH, CONFIG GET and (later) PSUBSCRIBE.
//!
//! `*` any run, `?` one byte, `[abc]`, `[^a-z]`, `\x` a literal `x`. Edge
//! cases follow Redis rather than a textbook: an unterminated `[` set ends
//! at the pattern's end, `[z-a]` is the same range as `[a-z]`, and a `*`
//! that failed to match the rest stops every earlier `*` from trying
//! longer matches (so abusive patterns cannot take exponential time).

/// Does `string` match `pattern`?
pub fn matches(pattern: &[u8], string: &[u8]) -> bool {
    matches_impl(pattern, string, false)
}

/// Case-insensitive variant, as CONFIG GET uses.
pub fn matches_nocase(pattern: &[u8], string: &[u8]) -> bool {
    matches_impl(pattern, string, true)
}

fn matches_impl(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_from(pattern, string, nocase, &mut skip_longer, 0)
}

/// Patterns nest one level per `*`; past this depth the match fails rather
/// than risking the stack on a hostile pattern.
const MAX_NESTING: usize = 1000;

fn eq(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

fn match_from(pat: &[u8], s: &[u8], nocase: bool, skip_longer: &mut bool, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    // Redis walks NUL-terminated buffers: reading one past the end yields 0.
    let at = |i: usize| pat.get(i).copied().unwrap_or(0);
    let (mut p, mut i) = (0usize, 0usize);
    while p < pat.len() && i < s.len() {
        match pat[p] {
            b'*' => {
                while p + 1 < pat.len() && pat[p + 1] == b'*' {
                    p += 1;
                }
                if p + 1 == pat.len() {
                    return true;
                }
                while i < s.len() {
                    if match_from(&pat[p + 1..], &s[i..], nocase, skip_longer, depth + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    i += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => i += 1,
            b'[' => {
                p += 1;
                let negate = at(p) == b'^';
                if negate {
                    p += 1;
                }
                let c = s[i];
                let mut matched = false;
                loop {
                    let left = pat.len().saturating_sub(p);
                    if at(p) == b'\\' && left >= 2 {
                        p += 1;
                        if at(p) == c {
                            matched = true;
                        }
                    } else if at(p) == b']' {
                        break;
                    } else if left == 0 {
                        // Unterminated set: step back so the `p += 1` below
                        // lands exactly on the end of the pattern.
                        p -= 1;
                        break;
                    } else if left >= 3 && at(p + 1) == b'-' {
                        // Redis compares signed chars here.
                        let (mut lo, mut hi) = (at(p) as i8, at(p + 2) as i8);
                        let mut ch = c as i8;
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        if nocase {
                            lo = (lo as u8).to_ascii_lowercase() as i8;
                            hi = (hi as u8).to_ascii_lowercase() as i8;
                            ch = (ch as u8).to_ascii_lowercase() as i8;
                        }
                        p += 2;
                        if ch >= lo && ch <= hi {
                            matched = true;
                        }
                    } else if eq(at(p), c, nocase) {
                        matched = true;
                    }
                    p += 1;
                }
                if matched == negate {
                    return false;
                }
                i += 1;
            }
            b'\\' => {
                if pat.len() - p >= 2 {
                    p += 1;
                }
                if !eq(pat[p], s[i], nocase) {
                    return false;
                }
                i += 1;
            }
            c => {
                if !eq(c, s[i], nocase) {
                    return false;
                }
                i += 1;
            }
        }
        p += 1;
        if i == s.len() {
            while p < pat.len() && pat[p] == b'*' {
                p += 1;
            }
            break;
        }
    }
    p >= pat.len() && i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn basics() {
        // Redis returns no match here; KEYS and SCAN special-case a lone `*`.
        assert!(!m("*", ""));
        assert!(m("*", "abc"));
        assert!(m("a*", "abc"));
        assert!(!m("a*", "bac"));
        assert!(m("*c", "abc"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"), "reversed ranges are ranges");
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(!m("a", ""));
        assert!(m("a**", "a"));
    }

    #[test]
    fn redis_edge_cases() {
        // An unterminated set takes the rest of the pattern.
        assert!(m("[abc", "a"));
        assert!(!m("[abc", "d"));
        // A trailing backslash matches itself.
        assert!(m("a\\", "a\\"));
        // Escapes inside sets.
        assert!(m("[\\]]", "]"));
        assert!(m("[a-]", "a"));
        assert!(matches_nocase(b"MAX*", b"maxmemory"));
        assert!(!matches(b"MAX*", b"maxmemory"));
    }

    #[test]
    fn hostile_patterns_finish() {
        let p = "a*".repeat(5000) + "b";
        let s = "a".repeat(5000);
        assert!(!m(&p, &s));
    }
}
