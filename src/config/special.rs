//! Parsers and formatters for the directives whose values are more than
//! one scalar (save points, bind addresses, buffer limits, ...), with
//! Redis 7.0's validation rules and error texts.

use super::{Config, ObufLimit, parse_memory};

/// Parses like C's `strtoll(s, &end, 10)` and requires `*end == '\0'`
/// (leading spaces and a sign are allowed, as in Redis's save parser).
fn strtoll_whole(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() {
        // strtoll consumed nothing: the value is 0 and the end is the start.
        return if s.is_empty() { Some(0) } else { None };
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(t.parse::<i64>().unwrap_or(if t.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

pub fn parse_save(c: &mut Config, args: &[String]) -> Result<(), String> {
    const ERR: &str = "Invalid save parameters";
    let args = if args.len() == 1 && args[0].is_empty() {
        &[][..]
    } else {
        args
    };
    if !args.len().is_multiple_of(2) {
        return Err(ERR.into());
    }
    let mut points = Vec::new();
    for pair in args.chunks(2) {
        match (strtoll_whole(&pair[0]), strtoll_whole(&pair[1])) {
            (Some(secs), Some(changes)) if secs >= 1 && changes >= 0 => {
                points.push((secs, changes))
            }
            _ => return Err(ERR.into()),
        }
    }
    if c.loading_file && !c.save_seen_in_file {
        // The first save line of a file replaces the defaults; later lines add.
        c.save_seen_in_file = true;
        c.save.clear();
    } else if !c.loading_file {
        c.save.clear();
    }
    c.save.extend(points);
    Ok(())
}

pub fn format_save(c: &Config) -> String {
    c.save
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Redis's CONFIG_BINDADDR_MAX.
const MAX_BIND: usize = 16;

pub fn parse_bind(c: &mut Config, args: &[String]) -> Result<(), String> {
    if args.len() > MAX_BIND {
        return Err("Too many bind addresses specified.".into());
    }
    let args = if args.len() == 1 && args[0].is_empty() {
        &[][..]
    } else {
        args
    };
    c.bind = args.to_vec();
    Ok(())
}

pub fn format_bind(c: &Config) -> String {
    c.bind.join(" ")
}

pub fn parse_dir(c: &mut Config, args: &[String]) -> Result<(), String> {
    let [dir] = args else {
        return Err("wrong number of arguments".into());
    };
    std::env::set_current_dir(dir).map_err(|e| {
        // Redis reports strerror(errno): drop Rust's " (os error N)".
        let text = e.to_string();
        text.split(" (os error").next().unwrap_or(&text).to_string()
    })?;
    c.dir_set = true;
    Ok(())
}

pub fn format_dir(_c: &Config) -> String {
    std::env::current_dir()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// appendfilename and appenddirname name entries of `dir`, never paths
/// (Redis's isValidAOFfilename / isValidAOFdirname).
fn aof_name(args: &[String], what: &str, kind: &str) -> Result<String, String> {
    let [name] = args else {
        return Err("wrong number of arguments".into());
    };
    if name.is_empty() {
        return Err(format!("{what} can't be empty"));
    }
    if name.contains(['/', '\\']) {
        return Err(format!("{what} can't be a path, just a {kind}"));
    }
    Ok(name.clone())
}

pub fn parse_appendfilename(c: &mut Config, args: &[String]) -> Result<(), String> {
    c.appendfilename = aof_name(args, "appendfilename", "filename")?;
    Ok(())
}

pub fn format_appendfilename(c: &Config) -> String {
    c.appendfilename.clone()
}

pub fn parse_appenddirname(c: &mut Config, args: &[String]) -> Result<(), String> {
    c.appenddirname = aof_name(args, "appenddirname", "dirname")?;
    Ok(())
}

pub fn format_appenddirname(c: &Config) -> String {
    c.appenddirname.clone()
}

/// Keyspace notification classes (Redis's NOTIFY_* flags).
pub mod notify {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const KEYEVENT: u32 = 1 << 1;
    pub const GENERIC: u32 = 1 << 2;
    pub const STRING: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const SET: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const ZSET: u32 = 1 << 7;
    pub const EXPIRED: u32 = 1 << 8;
    pub const EVICTED: u32 = 1 << 9;
    pub const STREAM: u32 = 1 << 10;
    pub const KEY_MISS: u32 = 1 << 11;
    pub const MODULE: u32 = 1 << 13;
    pub const NEW: u32 = 1 << 14;
    /// `A`: every class except key-miss and new-key events.
    pub const ALL: u32 =
        GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
}

pub fn parse_notify(c: &mut Config, args: &[String]) -> Result<(), String> {
    use notify::*;
    let [classes] = args else {
        return Err("wrong number of arguments".into());
    };
    let mut flags = 0;
    for ch in classes.chars() {
        flags |= match ch {
            'A' => ALL,
            'g' => GENERIC,
            '$' => STRING,
            'l' => LIST,
            's' => SET,
            'h' => HASH,
            'z' => ZSET,
            'x' => EXPIRED,
            'e' => EVICTED,
            'K' => KEYSPACE,
            'E' => KEYEVENT,
            't' => STREAM,
            'm' => KEY_MISS,
            'd' => MODULE,
            'n' => NEW,
            _ => return Err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into()),
        };
    }
    c.notify_keyspace_events = flags;
    Ok(())
}

pub fn format_notify(c: &Config) -> String {
    use notify::*;
    let f = c.notify_keyspace_events;
    let mut s = String::new();
    if f & ALL == ALL {
        s.push('A');
    } else {
        for (bit, ch) in [
            (GENERIC, 'g'),
            (STRING, '$'),
            (LIST, 'l'),
            (SET, 's'),
            (HASH, 'h'),
            (ZSET, 'z'),
            (EXPIRED, 'x'),
            (EVICTED, 'e'),
            (STREAM, 't'),
            (MODULE, 'd'),
            (NEW, 'n'),
        ] {
            if f & bit != 0 {
                s.push(ch);
            }
        }
    }
    for (bit, ch) in [(KEYSPACE, 'K'), (KEYEVENT, 'E'), (KEY_MISS, 'm')] {
        if f & bit != 0 {
            s.push(ch);
        }
    }
    s
}

/// Client classes with output buffer limits, in CONFIG GET's order.
pub const OBUF_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

fn obuf_class(name: &str) -> Option<usize> {
    match name.to_ascii_lowercase().as_str() {
        "normal" => Some(0),
        "slave" | "replica" => Some(1),
        "pubsub" => Some(2),
        _ => None,
    }
}

pub fn parse_obuf_limits(c: &mut Config, args: &[String]) -> Result<(), String> {
    if args.is_empty() || !args.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    if args.chunks(4).any(|g| obuf_class(&g[0]).is_none()) {
        return Err("Invalid client class specified in buffer limit configuration.".into());
    }
    for g in args.chunks(4) {
        let hard = parse_memory(&g[1]);
        let soft = parse_memory(&g[2]);
        let secs = strtoll_whole(&g[3]).filter(|s| !g[3].is_empty() && *s >= 0);
        let (Some(hard), Some(soft), Some(secs), Some(class)) =
            (hard, soft, secs, obuf_class(&g[0]))
        else {
            return Err(
                "Error in hard, soft or soft_seconds setting in buffer limit configuration.".into(),
            );
        };
        c.obuf_limits[class] = ObufLimit {
            hard,
            soft,
            soft_seconds: secs,
        };
    }
    Ok(())
}

pub fn format_obuf_limits(c: &Config) -> String {
    OBUF_CLASSES
        .iter()
        .zip(&c.obuf_limits)
        .map(|(name, l)| format!("{name} {} {} {}", l.hard, l.soft, l.soft_seconds))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn parse_oom_values(c: &mut Config, args: &[String]) -> Result<(), String> {
    if args.len() != 3 {
        return Err("wrong number of arguments".into());
    }
    let mut values = [0i64; 3];
    for (v, a) in values.iter_mut().zip(args) {
        *v = match strtoll_whole(a) {
            Some(n) if !a.is_empty() && (-2000..=2000).contains(&n) => n,
            _ => {
                return Err(
                    "Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into(),
                );
            }
        };
    }
    c.oom_score_adj_values = values;
    Ok(())
}

pub fn format_oom_values(c: &Config) -> String {
    let [a, b, d] = c.oom_score_adj_values;
    format!("{a} {b} {d}")
}

pub fn parse_percentiles(c: &mut Config, args: &[String]) -> Result<(), String> {
    let args = if args.len() == 1 && args[0].is_empty() {
        &[][..]
    } else {
        args
    };
    let mut out = Vec::new();
    for a in args {
        match crate::util::float::parse_f64(a.as_bytes()) {
            Some(p) if (0.0..=100.0).contains(&p) => out.push(p),
            _ => return Err("Invalid latency-tracking-info-percentiles parameters".into()),
        }
    }
    c.latency_percentiles = out;
    Ok(())
}

pub fn format_percentiles(c: &Config) -> String {
    c.latency_percentiles
        .iter()
        .map(|p| crate::util::float::fmt_f64(c"%g", *p))
        .collect::<Vec<_>>()
        .join(" ")
}
