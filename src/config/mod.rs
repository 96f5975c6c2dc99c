//! Configuration: one table of directives (see [`table`]) read from a
//! redis.conf-style file, from `--name value` flags, and by CONFIG GET/SET.
//!
//! Start-up follows redis-server: the file's lines come first, then each
//! `--name value ...` flag becomes one more line, and a bad line stops
//! start-up with Redis's "FATAL CONFIG FILE ERROR" message naming it.

pub mod special;
pub mod table;

use crate::util::glob;
use crate::util::split::split_args;
use std::collections::HashMap;
use table::{DIRECTIVES, HIDDEN, IMMUTABLE, MULTI_ARG, PROTECTED};

/// The type of a directive's value, which decides how it is parsed.
pub enum Kind {
    /// `yes` or `no`.
    Bool,
    /// A decimal integer within a range.
    Int { min: i64, max: i64 },
    /// A byte count with optional unit (`100mb`, `1gb`, `5k`), within a range.
    Memory { min: i64, max: i64 },
    /// A byte count or a percentage (`10%`).
    MemoryOrPercent,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// Any string.
    Str,
}

/// Where a directive's value lives.
pub enum Slot {
    /// Validated and kept as text: ferredis does not act on it yet.
    Passive,
    Bool(fn(&mut Config) -> &mut bool),
    Int(fn(&mut Config) -> &mut i64),
    Enum(fn(&mut Config) -> &mut &'static str),
    Str(fn(&mut Config) -> &mut String),
    /// A value with its own parser (taking every argument of the line) and
    /// formatter.
    Special(
        fn(&mut Config, &[String]) -> Result<(), String>,
        fn(&Config) -> String,
    ),
}

/// One config directive.
pub struct Directive {
    pub name: &'static str,
    pub alias: Option<&'static str>,
    pub kind: Kind,
    pub default: &'static str,
    pub flags: u8,
    pub slot: Slot,
}

/// Output buffer limits for one class of clients.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObufLimit {
    pub hard: i64,
    pub soft: i64,
    pub soft_seconds: i64,
}

/// The values of every directive. Fields are the ones the server reads;
/// passive directives are kept as text in `passive`.
#[derive(Default)]
pub struct Config {
    pub bind: Vec<String>,
    pub port: i64,
    pub tcp_backlog: i64,
    pub timeout: i64,
    pub tcp_keepalive: i64,
    pub maxclients: i64,
    pub proto_max_bulk_len: i64,
    pub client_query_buffer_limit: i64,
    pub requirepass: String,
    pub protected_mode: bool,
    pub enable_debug_command: &'static str,
    pub databases: i64,
    pub hz: i64,
    pub dynamic_hz: bool,
    pub loglevel: &'static str,
    pub logfile: String,
    pub pidfile: String,
    pub activerehashing: bool,
    pub active_expire_effort: i64,
    pub save: Vec<(i64, i64)>,
    /// RDB snapshots: file name (in `dir`), LZF, CRC64 trailer, and
    /// whether a failed background save makes writes fail (MISCONF).
    pub dbfilename: String,
    pub rdbcompression: bool,
    pub rdbchecksum: bool,
    pub stop_writes_on_bgsave_error: bool,
    /// rdb-key-save-delay: a pause per key in background saves (tests).
    pub rdb_key_save_delay: i64,
    /// The append-only file: on or off, its fsync policy, where it lives
    /// (`appenddirname` in `dir`, files named after `appendfilename`),
    /// automatic rewrites, and how a damaged tail is loaded.
    pub appendonly: bool,
    pub appendfsync: &'static str,
    pub appendfilename: String,
    pub appenddirname: String,
    pub no_appendfsync_on_rewrite: bool,
    pub auto_aof_rewrite_percentage: i64,
    pub auto_aof_rewrite_min_size: i64,
    pub aof_load_truncated: bool,
    pub aof_use_rdb_preamble: bool,
    pub aof_rewrite_incremental_fsync: bool,
    pub aof_timestamp_enabled: bool,
    pub aof_disable_auto_gc: bool,
    pub notify_keyspace_events: u32,
    pub obuf_limits: [ObufLimit; 3],
    pub oom_score_adj_values: [i64; 3],
    pub latency_percentiles: Vec<f64>,
    /// Encodings of small collections (listpack, intset) and their limits.
    pub hash_max_listpack_entries: i64,
    pub hash_max_listpack_value: i64,
    pub list_max_listpack_size: i64,
    pub set_max_intset_entries: i64,
    pub zset_max_listpack_entries: i64,
    pub zset_max_listpack_value: i64,
    pub stream_node_max_bytes: i64,
    pub stream_node_max_entries: i64,
    /// Per-command latency histograms for INFO latencystats.
    pub latency_tracking: bool,
    /// The memory limit (0: none) and how keys are chosen for eviction
    /// when it is reached, with the knobs of the LRU/LFU approximation.
    pub maxmemory: i64,
    pub maxmemory_policy: &'static str,
    pub maxmemory_samples: i64,
    pub maxmemory_eviction_tenacity: i64,
    pub lfu_log_factor: i64,
    pub lfu_decay_time: i64,
    /// Which deletions free big values on the lazyfree thread (db::lazyfree).
    pub lazyfree_lazy_eviction: bool,
    pub lazyfree_lazy_expire: bool,
    pub lazyfree_lazy_server_del: bool,
    pub lazyfree_lazy_user_del: bool,
    pub lazyfree_lazy_user_flush: bool,
    /// jemalloc purges freed pages on its own threads (crate::alloc).
    pub jemalloc_bg_thread: bool,
    passive: HashMap<&'static str, String>,
    /// Counts stored values, so state derived from the configuration can
    /// tell when to derive it again.
    generation: u64,
    /// The config file given at start-up, if any.
    pub config_file: Option<String>,
    /// Directives changed by CONFIG SET since the server last looked, so it
    /// can react (rebind listeners, change the log level).
    pub changed: Vec<&'static str>,
    loading_file: bool,
    save_seen_in_file: bool,
    dir_set: bool,
}

/// Redis's CONFIG_MIN_HZ and CONFIG_MAX_HZ.
const HZ_RANGE: (i64, i64) = (1, 500);

/// Parses a byte count as Redis's `memtoull`: digits then an optional unit
/// (b, k, kb, m, mb, g, gb, any case); `k` is 1000, `kb` is 1024.
pub fn parse_memory(s: &str) -> Option<i64> {
    if s.starts_with('-') {
        return None;
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let mul: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    // strtoull on no digits yields 0 without an error, as in Redis.
    let n: u64 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let v = n.checked_mul(mul)?;
    // Redis keeps these in signed fields for the ranges it checks.
    i64::try_from(v).ok()
}

/// Finds a directive by name or alias, ignoring case.
pub fn lookup(name: &str) -> Option<&'static Directive> {
    DIRECTIVES.iter().find(|d| {
        d.name.eq_ignore_ascii_case(name) || d.alias.is_some_and(|a| a.eq_ignore_ascii_case(name))
    })
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A start-up failure: the text to print before exiting.
#[derive(Debug)]
pub struct StartupError(pub String);

impl Config {
    /// Every directive at its default value.
    pub fn defaults() -> Config {
        let mut c = Config::default();
        for d in DIRECTIVES {
            let args = default_args(d);
            // Defaults are constants of the table, checked by a unit test.
            let _ = c.apply(d, &args);
        }
        c
    }

    /// Parses and stores one directive's arguments (validating them as
    /// Redis does); the error is Redis's text for the failure.
    pub fn apply(&mut self, d: &'static Directive, args: &[String]) -> Result<(), String> {
        if !matches!(d.slot, Slot::Special(..)) && args.len() != 1 && d.flags & MULTI_ARG == 0 {
            return Err("wrong number of arguments".into());
        }
        let value = args.first().map(String::as_str).unwrap_or("");
        self.generation += 1;
        let canonical = match &d.kind {
            _ if matches!(d.slot, Slot::Special(..)) => String::new(),
            Kind::Bool => match value.to_ascii_lowercase().as_str() {
                "yes" => "yes".to_string(),
                "no" => "no".to_string(),
                _ => return Err("argument must be 'yes' or 'no'".into()),
            },
            Kind::Int { min, max } => {
                let n = crate::util::parse_i64(value.as_bytes())
                    .ok_or("argument couldn't be parsed into an integer")?;
                if n < *min || n > *max {
                    return Err(format!(
                        "argument must be between {min} and {max} inclusive"
                    ));
                }
                n.to_string()
            }
            Kind::Memory { min, max } => {
                let n = parse_memory(value).ok_or("argument must be a memory value")?;
                if n < *min || n > *max {
                    return Err(format!(
                        "argument must be between {min} and {max} inclusive"
                    ));
                }
                n.to_string()
            }
            Kind::MemoryOrPercent => match value.strip_suffix('%') {
                Some(p) => match crate::util::parse_i64(p.as_bytes()) {
                    Some(n) if n >= 0 => format!("{n}%"),
                    _ => return Err("argument must be a memory or percent value".into()),
                },
                None => parse_memory(value)
                    .ok_or("argument must be a memory or percent value")?
                    .to_string(),
            },
            Kind::Enum(names) => match names.iter().find(|n| n.eq_ignore_ascii_case(value)) {
                Some(n) => n.to_string(),
                None => {
                    return Err(format!(
                        "argument(s) must be one of the following: {}",
                        names.join(", ")
                    ));
                }
            },
            Kind::Str => value.to_string(),
        };
        match &d.slot {
            Slot::Passive => {
                let stored = if d.flags & MULTI_ARG != 0 {
                    args.join(" ")
                } else {
                    canonical
                };
                self.passive.insert(d.name, stored);
            }
            Slot::Bool(f) => *f(self) = canonical == "yes",
            Slot::Int(f) => *f(self) = canonical.parse().unwrap_or(0),
            Slot::Enum(f) => {
                let Kind::Enum(names) = d.kind else {
                    return Err("argument must be a known value".into());
                };
                *f(self) = names
                    .iter()
                    .find(|n| **n == canonical)
                    .copied()
                    .unwrap_or("");
            }
            Slot::Str(f) => *f(self) = canonical,
            Slot::Special(parse, _) => parse(self, args)?,
        }
        if d.name == "hz" {
            self.hz = self.hz.clamp(HZ_RANGE.0, HZ_RANGE.1);
        }
        Ok(())
    }

    /// The value as CONFIG GET shows it.
    pub fn get(&mut self, d: &'static Directive) -> String {
        match &d.slot {
            Slot::Passive => self.passive.get(d.name).cloned().unwrap_or_default(),
            Slot::Bool(f) => yes_no(*f(self)).to_string(),
            Slot::Int(f) => f(self).to_string(),
            Slot::Enum(f) => f(self).to_string(),
            Slot::Str(f) => f(self).clone(),
            Slot::Special(_, format) => format(self),
        }
    }

    /// Reads the command line the way redis-server does: an optional config
    /// file (or `-` for stdin) followed by `--name value ...` flags.
    pub fn from_args(args: &[String]) -> Result<Config, StartupError> {
        let mut rest = args;
        let mut text = String::new();
        let mut file = None;
        if let Some(first) = rest.first()
            && !first.starts_with("--")
        {
            if first == "-" {
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .map_err(|e| StartupError(format!("Error reading config from stdin: {e}")))?;
            } else {
                text = std::fs::read_to_string(first).map_err(|e| {
                    StartupError(format!(
                        "Fatal error, can't open config file '{first}': {}",
                        os_error_text(&e)
                    ))
                })?;
                file = Some(first.clone());
            }
            rest = &rest[1..];
        }
        let (options, stdin_last) = flags_to_lines(rest);
        if stdin_last {
            // A trailing `-` reads more config from stdin, after the file.
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| StartupError(format!("Error reading config from stdin: {e}")))?;
        }
        if !options.is_empty() {
            text.push('\n');
            text.push_str(&options);
        }
        let mut config = Config::defaults();
        config.config_file = file;
        config.load_text(&text)?;
        Ok(config)
    }

    /// Applies the lines of a config text; the error names the bad line.
    pub fn load_text(&mut self, text: &str) -> Result<(), StartupError> {
        self.loading_file = true;
        let result = self.load_lines(text);
        self.loading_file = false;
        result
    }

    fn load_lines(&mut self, text: &str) -> Result<(), StartupError> {
        for (i, raw) in text.split('\n').enumerate() {
            let line = raw.trim_matches([' ', '\t', '\r', '\n']);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |msg: &str| {
                StartupError(format!(
                    "\n*** FATAL CONFIG FILE ERROR (ferredis {}) ***\nReading the configuration file, at line {}\n>>> '{}'\n{}",
                    env!("CARGO_PKG_VERSION"),
                    i + 1,
                    line,
                    msg
                ))
            };
            let Some(words) = split_args(line.as_bytes()) else {
                return Err(fail("Unbalanced quotes in configuration line"));
            };
            let words: Vec<String> = words
                .into_iter()
                .map(|w| String::from_utf8_lossy(&w).into_owned())
                .collect();
            let Some((name, args)) = words.split_first() else {
                continue;
            };
            if name.eq_ignore_ascii_case("include") {
                let [path] = args else {
                    return Err(fail("wrong number of arguments"));
                };
                let text = std::fs::read_to_string(path).map_err(|e| {
                    fail(&format!(
                        "Error reading included file '{path}': {}",
                        os_error_text(&e)
                    ))
                })?;
                self.load_lines(&text)?;
                continue;
            }
            let Some(d) = lookup(name) else {
                return Err(fail("Bad directive or wrong number of arguments"));
            };
            if args.is_empty() || (args.len() > 1 && d.flags & MULTI_ARG == 0) {
                return Err(fail("wrong number of arguments"));
            }
            // A multi-argument directive given as one quoted argument
            // (`--save "3600 1"`) is split on spaces, as Redis does.
            let args = match args {
                [one] if d.flags & MULTI_ARG != 0 => split_value(d, one),
                _ => args.to_vec(),
            };
            self.apply(d, &args).map_err(|e| fail(&e))?;
        }
        Ok(())
    }

    /// Directives set away from their defaults that ferredis does not act
    /// on, for a start-up warning.
    pub fn passive_overrides(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = DIRECTIVES
            .iter()
            .filter(|d| matches!(d.slot, Slot::Passive))
            .filter(|d| {
                let default = Config::defaults_text(d);
                self.passive.get(d.name).is_some_and(|v| *v != default)
            })
            .map(|d| d.name)
            .collect();
        out.sort_unstable();
        out
    }

    fn defaults_text(d: &'static Directive) -> String {
        let mut c = Config::default();
        let _ = c.apply(d, &default_args(d));
        c.get(d)
    }

    /// CONFIG SET with any number of name/value pairs: all or nothing, with
    /// Redis 7.0's checks in Redis's order. The error is the reply text.
    pub fn config_set(&mut self, pairs: &[(&str, &str)]) -> Result<(), String> {
        let mut found: Vec<&'static Directive> = Vec::with_capacity(pairs.len());
        let mut problem: Option<(String, &str)> = None;
        for (name, _) in pairs {
            let Some(d) = lookup(name) else {
                return Err(format!(
                    "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
                ));
            };
            if problem.is_none() {
                if d.flags & IMMUTABLE != 0 {
                    problem = Some((name.to_string(), "can't set immutable config"));
                } else if d.flags & PROTECTED != 0 {
                    problem = Some((name.to_string(), "can't set protected config"));
                } else if found.iter().any(|f| std::ptr::eq(*f, d)) {
                    problem = Some((name.to_string(), "duplicate parameter"));
                }
            }
            found.push(d);
        }
        if let Some((name, why)) = problem {
            return Err(format!(
                "ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"
            ));
        }
        let backup: Vec<Vec<String>> = found.iter().map(|d| split_value(d, &self.get(d))).collect();
        for (i, (d, (_, value))) in found.iter().zip(pairs).enumerate() {
            if let Err(why) = self.apply(d, &split_value(d, value)) {
                for (d, old) in found.iter().zip(&backup).take(i + 1) {
                    let _ = self.apply(d, old);
                }
                return Err(format!(
                    "ERR CONFIG SET failed (possibly related to argument '{}') - {why}",
                    d.name
                ));
            }
        }
        self.changed.extend(found.iter().map(|d| d.name));
        Ok(())
    }

    /// CONFIG GET: names without glob characters are looked up exactly
    /// (and echoed as given); patterns match names and aliases, ignoring
    /// case. Returns (name, value) pairs, each directive once.
    pub fn config_get(&mut self, patterns: &[&str]) -> Vec<(String, String)> {
        let mut seen: Vec<(String, &'static Directive)> = Vec::new();
        for pattern in patterns {
            if !pattern.contains(['[', '*', '?']) {
                if let Some(d) = lookup(pattern)
                    && !seen.iter().any(|(n, _)| n.eq_ignore_ascii_case(pattern))
                {
                    seen.push((pattern.to_string(), d));
                }
                continue;
            }
            for d in DIRECTIVES.iter().filter(|d| d.flags & HIDDEN == 0) {
                for name in std::iter::once(d.name).chain(d.alias) {
                    if glob::matches_nocase(pattern.as_bytes(), name.as_bytes())
                        && !seen.iter().any(|(n, _)| n == name)
                    {
                        seen.push((name.to_string(), d));
                    }
                }
            }
        }
        seen.into_iter().map(|(n, d)| (n, self.get(d))).collect()
    }

    /// The stored text of a passive directive (one ferredis validates and
    /// reports but has no field for), e.g. `maxmemory-policy`.
    pub fn passive_value(&self, name: &str) -> Option<&str> {
        self.passive.get(name).map(String::as_str)
    }

    /// Changes whenever any directive's value is stored (start-up, CONFIG
    /// SET), so derived state can be refreshed only when needed.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The hz the cron runs at.
    pub fn hz(&self) -> i64 {
        self.hz.clamp(HZ_RANGE.0, HZ_RANGE.1)
    }

    /// Whether `dir` was set by the configuration (else the cwd is used).
    pub fn dir_was_set(&self) -> bool {
        self.dir_set
    }
}

/// Turns `--name value ...` flags into config lines appended after the
/// file, values quoted, exactly as redis-server builds them (so error
/// messages show the same line). Also says whether the last argument is
/// `-` (config from stdin).
///
/// As in Redis, an option name given alone takes the next argument as its
/// value even if that starts with `--` (`--requirepass --x`), except that
/// `--save` followed by another option or by nothing means `save ""`.
fn flags_to_lines(args: &[String]) -> (String, bool) {
    let mut options = String::new();
    let mut stdin_last = false;
    let mut name_has_value = true;
    for (i, a) in args.iter().enumerate() {
        let next = args.get(i + 1);
        if a == "-" && next.is_none() {
            stdin_last = true;
        } else if name_has_value && let Some(name) = a.strip_prefix("--") {
            if !options.is_empty() {
                options.push('\n');
            }
            options.push_str(name);
            options.push(' ');
            // "--port 6380" as one argument carries its own value.
            name_has_value = split_args(a.as_bytes()).is_none_or(|w| w.len() != 1);
            if !name_has_value
                && a.eq_ignore_ascii_case("--save")
                && next.is_none_or(|n| n.starts_with("--"))
            {
                options.push_str("\"\"");
                name_has_value = true;
            }
        } else {
            options.push_str(&crate::util::repr(a.as_bytes()));
            options.push(' ');
            name_has_value = true;
        }
    }
    (options, stdin_last)
}

fn default_args(d: &Directive) -> Vec<String> {
    split_value(d, d.default)
}

/// Splits a CONFIG SET value into arguments: multi-argument directives
/// take space-separated words, the rest take the value whole.
fn split_value(d: &Directive, value: &str) -> Vec<String> {
    if d.flags & MULTI_ARG == 0 {
        return vec![value.to_string()];
    }
    let words: Vec<String> = value
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        vec![String::new()]
    } else {
        words
    }
}

/// `strerror` text of an I/O error, without Rust's "(os error N)" suffix.
fn os_error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_parses() {
        for d in DIRECTIVES {
            let mut c = Config::default();
            if d.name == "dir" {
                continue;
            }
            assert!(
                c.apply(d, &default_args(d)).is_ok(),
                "default of {}",
                d.name
            );
            assert_eq!(c.get(d), d.default, "default of {} round-trips", d.name);
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = DIRECTIVES
            .iter()
            .flat_map(|d| std::iter::once(d.name).chain(d.alias))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory("100"), Some(100));
        assert_eq!(parse_memory("5KB"), Some(5120));
        assert_eq!(parse_memory("5k"), Some(5000));
        assert_eq!(parse_memory("1gb"), Some(1 << 30));
        assert_eq!(parse_memory(""), Some(0));
        assert_eq!(parse_memory("-1"), None);
        assert_eq!(parse_memory("1x"), None);
        assert_eq!(parse_memory("1 mb"), None);
    }

    #[test]
    fn config_set_errors_match_redis() {
        let mut c = Config::defaults();
        assert_eq!(c.config_set(&[("hz", "20")]), Ok(()));
        assert_eq!(c.hz, 20);
        assert_eq!(
            c.config_set(&[("hz", "10"), ("foo", "1")]).unwrap_err(),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
        );
        assert_eq!(
            c.config_set(&[("HZ", "abc")]).unwrap_err(),
            "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"
        );
        assert_eq!(
            c.config_set(&[("databases", "3")]).unwrap_err(),
            "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"
        );
        assert_eq!(
            c.config_set(&[("hz", "1"), ("hz", "2")]).unwrap_err(),
            "ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter"
        );
        // All or nothing: the first pair is rolled back.
        assert!(c.config_set(&[("hz", "30"), ("maxmemory", "1x")]).is_err());
        assert_eq!(c.hz, 20);
        assert_eq!(c.config_set(&[("hz", "1000")]), Ok(()));
        assert_eq!(c.hz, 500);
        assert_eq!(c.config_set(&[("save", "10 1 20 2")]), Ok(()));
        assert_eq!(
            c.config_get(&["save"]),
            vec![("save".into(), "10 1 20 2".into())]
        );
        assert_eq!(c.config_set(&[("notify-keyspace-events", "KEA")]), Ok(()));
        assert_eq!(c.config_get(&["notify-keyspace-events"])[0].1, "AKE");
        assert_eq!(
            c.config_set(&[("proto-max-bulk-len", "1000")]).unwrap_err(),
            "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive"
        );
        assert_eq!(
            c.config_set(&[("repl-backlog-size", "0")]).unwrap_err(),
            "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"
        );
        assert_eq!(c.config_set(&[("maxmemory", "5KB")]), Ok(()));
        assert_eq!(c.config_get(&["maxmemory"])[0].1, "5120");
    }

    #[test]
    fn flags_become_lines_as_in_redis() {
        let lines = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            flags_to_lines(&args)
        };
        assert_eq!(
            lines(&["--port", "7", "--save", "1", "2"]),
            ("port \"7\" \nsave \"1\" \"2\" ".into(), false)
        );
        assert_eq!(
            lines(&["--save", "--hz", "5"]),
            ("save \"\"\nhz \"5\" ".into(), false)
        );
        assert_eq!(lines(&["--SAVE"]), ("SAVE \"\"".into(), false));
        assert_eq!(
            lines(&["--requirepass", "--x", "--hz", "5"]),
            ("requirepass \"--x\" \nhz \"5\" ".into(), false)
        );
        assert_eq!(lines(&["--port 7", "--hz"]), ("port 7 \nhz ".into(), false));
        assert_eq!(lines(&["--hz", "5", "-"]), ("hz \"5\" ".into(), true));
    }

    #[test]
    fn config_file_errors_name_the_line() {
        let mut c = Config::defaults();
        let err = c.load_text("port 0\n\nhz 10 11\n").unwrap_err().0;
        assert!(
            err.contains("at line 3\n>>> 'hz 10 11'\nwrong number of arguments"),
            "{err}"
        );
        let err = c.load_text("\nfoo \"bar\"").unwrap_err().0;
        assert!(
            err.contains(
                "at line 2\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments"
            )
        );
        let err = c.load_text("loglevel x").unwrap_err().0;
        assert!(err.ends_with(
            "argument(s) must be one of the following: debug, verbose, notice, warning"
        ));
        c.load_text("save 100 1\nsave 200 2\n# comment\n  timeout 5  \n")
            .unwrap();
        assert_eq!(c.save, vec![(100, 1), (200, 2)]);
        assert_eq!(c.timeout, 5);
    }
}
