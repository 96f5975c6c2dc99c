//! Just enough RESP2 to read a server's replies: one complete value off
//! the front of a buffer, or None while it is still arriving.

#[derive(Debug, PartialEq)]
pub enum Value {
    Simple(Vec<u8>),
    Error(Vec<u8>),
    Int(i64),
    Bulk(Vec<u8>),
    Array(Vec<Value>),
    Null,
}

/// Parses one value from `buf`: the value and the bytes it took.
pub fn parse(buf: &[u8]) -> Option<(Value, usize)> {
    let end = buf.windows(2).position(|w| w == b"\r\n")?;
    let line = &buf[1..end];
    let after = end + 2;
    let int = || -> Option<i64> { std::str::from_utf8(line).ok()?.parse().ok() };
    match buf.first()? {
        b'+' => Some((Value::Simple(line.to_vec()), after)),
        b'-' => Some((Value::Error(line.to_vec()), after)),
        b':' => Some((Value::Int(int()?), after)),
        b'$' => {
            let n = int()?;
            if n < 0 {
                return Some((Value::Null, after));
            }
            let n = n as usize;
            if buf.len() < after + n + 2 {
                return None;
            }
            Some((Value::Bulk(buf[after..after + n].to_vec()), after + n + 2))
        }
        b'*' => {
            let n = int()?;
            if n < 0 {
                return Some((Value::Null, after));
            }
            let mut at = after;
            let mut items = Vec::with_capacity(n as usize);
            for _ in 0..n {
                let (v, used) = parse(&buf[at..])?;
                items.push(v);
                at += used;
            }
            Some((Value::Array(items), at))
        }
        _ => None,
    }
}

/// A command in RESP, appended to `out`.
pub fn command(out: &mut Vec<u8>, args: &[&[u8]]) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_and_partial_replies() {
        let reply = b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*-1\r\n";
        let (v, used) = parse(reply).unwrap();
        assert_eq!(used, reply.len());
        let Value::Array(outer) = v else { panic!() };
        assert_eq!(outer.len(), 1);
        for cut in 0..reply.len() {
            assert!(parse(&reply[..cut]).is_none(), "cut at {cut}");
        }
        assert_eq!(parse(b":12\r\n+x"), Some((Value::Int(12), 5)));
        assert_eq!(parse(b"$-1\r\n"), Some((Value::Null, 5)));
    }
}
