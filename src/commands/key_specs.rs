//! Finding the keys of a command line from the command's key specs, as
//! Redis's getKeysFromCommandWithSpecs does (COMMAND GETKEYS, and later
//! anything that needs to know which arguments are keys).

use super::table::{BeginSearch, Command, FindKeys, KeyRef};
use bytes::Bytes;

impl Command {
    /// The keys a full command line (`args[0]` is the command's name, then
    /// a subcommand's name if any) names, as Redis's
    /// getKeysFromCommandWithSpecs finds them: from the key specs when
    /// their flags are reliable, else from the command's own key finder.
    /// Empty when there are none or the arguments do not fit the specs.
    pub fn get_keys(&self, args: &[Bytes]) -> Vec<KeyRef> {
        let has_spec = self.key_specs.iter().any(|s| !s.has_flag("not_key"));
        let variable = self.key_specs.iter().any(|s| s.has_flag("variable_flags"));
        if has_spec
            && !variable
            && let Some(keys) = self.keys_from_specs(args)
        {
            return keys;
        }
        self.getkeys.map(|f| f(args)).unwrap_or_default()
    }

    /// Redis's getKeysUsingKeySpecs; `None` when a spec cannot be followed
    /// (unknown search, bad key count, out of range, or incomplete).
    fn keys_from_specs(&self, args: &[Bytes]) -> Option<Vec<KeyRef>> {
        // Redis does this arithmetic in C ints; i64 holds every value it
        // can reach without overflow.
        let argc = args.len() as i64;
        let mut keys = Vec::new();
        for spec in self.key_specs {
            if spec.has_flag("not_key") {
                continue;
            }
            let first = match spec.begin {
                BeginSearch::Index(pos) => i64::from(pos),
                BeginSearch::Keyword { keyword, startfrom } => {
                    match find_keyword(args, keyword, i64::from(startfrom)) {
                        Some(i) => i + 1,
                        None => continue,
                    }
                }
                BeginSearch::Unknown => return None,
            };
            let (first, last, step) = match spec.find {
                FindKeys::Range {
                    lastkey,
                    step,
                    limit,
                } => {
                    let lastkey = i64::from(lastkey);
                    let last = if lastkey >= 0 {
                        first + lastkey
                    } else if limit == 0 {
                        argc + lastkey
                    } else {
                        first + ((argc - first) / i64::from(limit) + lastkey)
                    };
                    (first, last, i64::from(step))
                }
                FindKeys::Keynum {
                    keynumidx,
                    firstkey,
                    step,
                } => {
                    let idx = first + i64::from(keynumidx);
                    if i64::from(keynumidx) >= argc - first {
                        return None;
                    }
                    let numkeys = usize::try_from(idx)
                        .ok()
                        .and_then(|i| args.get(i))
                        .and_then(|a| crate::util::parse_i64(a))
                        .filter(|&n| n >= 0)?;
                    let first = first + i64::from(firstkey);
                    // Redis narrows the count to an int before adding.
                    let last = first + i64::from(numkeys as i32) - 1;
                    (first, last, i64::from(step))
                }
                FindKeys::Unknown => return None,
            };
            if last >= argc || last < first || first >= argc {
                return None;
            }
            let mut i = first;
            while i <= last {
                if let Ok(pos) = usize::try_from(i) {
                    keys.push(KeyRef {
                        pos,
                        flags: spec.flags,
                    });
                }
                i += step.max(1);
            }
            if spec.has_flag("incomplete") {
                return None;
            }
        }
        Some(keys)
    }
}

/// Where a keyword begin-search finds its keyword: scanning forwards from
/// `startfrom`, or backwards from `argc + startfrom` when it is negative,
/// never looking at the last argument forwards nor the first backwards
/// (a keyword there could not be followed by a key).
fn find_keyword(args: &[Bytes], keyword: &str, startfrom: i64) -> Option<i64> {
    let argc = args.len() as i64;
    let (start, end) = if startfrom > 0 {
        (startfrom, argc - 1)
    } else {
        (argc + startfrom, 1)
    };
    let mut i = start;
    while i != end {
        let arg = usize::try_from(i).ok().filter(|&i| i >= 1)?;
        if super::is(args.get(arg)?, keyword) {
            return Some(i);
        }
        i += if start <= end { 1 } else { -1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::table::{KeySpec, flag};
    use crate::commands::{CmdResult, Ctx};

    fn nothing(_: &mut Ctx, _: &[Bytes]) -> CmdResult {
        Ok(())
    }

    const RO: &[&str] = &["RO", "access"];
    const OW: &[&str] = &["OW", "update"];

    /// The key specs of Redis's ZUNIONSTORE, XREAD, EVAL and MSET.
    static ZUNIONSTORE: Command = Command::new("zunionstore", -4, nothing).keys(
        1,
        1,
        1,
        &[
            KeySpec::range(OW, 1, 0, 1),
            KeySpec {
                notes: None,
                flags: RO,
                begin: BeginSearch::Index(2),
                find: FindKeys::Keynum {
                    keynumidx: 0,
                    firstkey: 1,
                    step: 1,
                },
            },
        ],
    );
    static XREAD: Command = Command::new("xread", -4, nothing).keys(
        0,
        0,
        0,
        &[KeySpec {
            notes: None,
            flags: RO,
            begin: BeginSearch::Keyword {
                keyword: "STREAMS",
                startfrom: 1,
            },
            find: FindKeys::Range {
                lastkey: -1,
                step: 1,
                limit: 2,
            },
        }],
    );
    static EVAL: Command = Command::new("eval", -3, nothing)
        .flags(flag::NO_MANDATORY_KEYS)
        .keys(
            0,
            0,
            0,
            &[KeySpec {
                notes: None,
                flags: RO,
                begin: BeginSearch::Index(2),
                find: FindKeys::Keynum {
                    keynumidx: 0,
                    firstkey: 1,
                    step: 1,
                },
            }],
        );
    static MSET: Command =
        Command::new("mset", -3, nothing).keys(1, -1, 2, &[KeySpec::range(OW, 1, -1, 2)]);

    fn keys(cmd: &Command, line: &[&str]) -> Vec<String> {
        let args: Vec<Bytes> = line.iter().map(|a| Bytes::from(a.to_string())).collect();
        cmd.get_keys(&args)
            .into_iter()
            .map(|k| format!("{}:{}", line[k.pos], k.flags[0]))
            .collect()
    }

    // Each expectation was checked with COMMAND GETKEYSANDFLAGS on
    // redis-server 7.0.15.
    #[test]
    fn keynum_specs() {
        let z = &ZUNIONSTORE;
        assert_eq!(
            keys(z, &["zunionstore", "d", "2", "a", "b", "weights", "1", "2"]),
            ["d:OW", "a:RO", "b:RO"]
        );
        for bad in ["3", "-1", "x"] {
            assert!(keys(z, &["zunionstore", "d", bad, "a", "b"]).is_empty());
        }
        assert_eq!(
            keys(&EVAL, &["eval", "x", "2", "k1", "k2", "a"]),
            ["k1:RO", "k2:RO"]
        );
        assert!(keys(&EVAL, &["eval", "x", "0"]).is_empty());
        assert!(keys(&EVAL, &["eval", "x", "3", "k1"]).is_empty());
        // A key count past what an int holds is narrowed as Redis does.
        assert!(keys(&EVAL, &["eval", "x", "4294967297", "k1"]).len() <= 1);
    }

    #[test]
    fn keyword_and_range_specs() {
        let x = &XREAD;
        assert_eq!(
            keys(x, &["xread", "count", "2", "streams", "s1", "s2", "0", "0"]),
            ["s1:RO", "s2:RO"]
        );
        assert_eq!(keys(x, &["xread", "streams", "s1", "s2", "0"]), ["s1:RO"]);
        assert_eq!(
            keys(x, &["xread", "streams", "streams", "a", "0"]),
            ["streams:RO"]
        );
        assert!(keys(x, &["xread", "count", "1", "s1"]).is_empty());
        assert_eq!(keys(&MSET, &["mset", "a", "1", "b"]), ["a:OW", "b:OW"]);
        assert_eq!(keys(&MSET, &["mset", "a", "1", "b", "2"]), ["a:OW", "b:OW"]);
    }
}
