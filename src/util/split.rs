//! Splitting a line into arguments with the quoting rules of Redis's
//! `sdssplitargs`: inline requests (`SET "a b" 'c'`, which redis-cli and
//! telnet users rely on) and config file lines alike.

/// Splits one line into arguments; `None` means unbalanced quotes (or a
/// closing quote not followed by a space), which Redis answers with
/// "Protocol error: unbalanced quotes in request".
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut args = Vec::new();
    let mut p = 0;
    // Redis walks a NUL-terminated string: a NUL byte ends the line.
    let line = match line.iter().position(|&b| b == 0) {
        Some(n) => &line[..n],
        None => line,
    };
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    loop {
        while p < line.len() && is_space(line[p]) {
            p += 1;
        }
        if p >= line.len() {
            return Some(args);
        }
        let mut current = Vec::new();
        let mut in_double = false;
        let mut in_single = false;
        loop {
            let c = at(p);
            if in_double {
                if c == b'\\'
                    && at(p + 1) == b'x'
                    && at(p + 2).is_ascii_hexdigit()
                    && at(p + 3).is_ascii_hexdigit()
                {
                    current.push(hex(at(p + 2)) * 16 + hex(at(p + 3)));
                    p += 3;
                } else if c == b'\\' && p + 1 < line.len() {
                    p += 1;
                    current.push(match line[p] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    // The closing quote must be followed by a space or the end.
                    if p + 1 < line.len() && !is_space(line[p + 1]) {
                        return None;
                    }
                    p += 1;
                    break;
                } else if p >= line.len() {
                    return None;
                } else {
                    current.push(c);
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if p + 1 < line.len() && !is_space(line[p + 1]) {
                        return None;
                    }
                    p += 1;
                    break;
                } else if p >= line.len() {
                    return None;
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    _ if p >= line.len() => break,
                    b' ' | b'\n' | b'\r' | b'\t' => break,
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    _ => current.push(c),
                }
            }
            p += 1;
        }
        args.push(current);
    }
}

/// `isspace` in the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.to_ascii_lowercase().wrapping_sub(b'a').wrapping_add(10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<Vec<String>> {
        split_args(s.as_bytes()).map(|v| {
            v.into_iter()
                .map(|a| String::from_utf8_lossy(&a).into_owned())
                .collect()
        })
    }

    #[test]
    fn plain_and_quoted() {
        assert_eq!(split("set a b").unwrap(), ["set", "a", "b"]);
        assert_eq!(split("  set   a  ").unwrap(), ["set", "a"]);
        assert_eq!(split("set \"a b\" 'c d'").unwrap(), ["set", "a b", "c d"]);
        assert_eq!(split("echo \"\\x41\\n\\t\"").unwrap(), ["echo", "A\n\t"]);
        assert_eq!(split("echo 'it\\'s'").unwrap(), ["echo", "it's"]);
        assert_eq!(split("echo \"\"").unwrap(), ["echo", ""]);
        assert_eq!(
            split("a\"b\"").unwrap(),
            ["ab"],
            "quotes may start mid-word"
        );
        assert_eq!(split("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn unbalanced() {
        assert!(split("set \"a").is_none());
        assert!(split("set 'a").is_none());
        assert!(split("echo \"a\"b").is_none());
        assert!(split("echo 'a'b").is_none());
    }
}
