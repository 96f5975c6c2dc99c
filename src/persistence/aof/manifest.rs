//! The manifest of Redis 7's multi-part AOF: which files in the AOF
//! directory make up the data set, in load order.
//!
//! One line per file, `file <name> seq <n> type <b|h|i>`: at most one base
//! (a snapshot, `appendonly.aof.<n>.base.rdb` or `.base.aof`), then the
//! history files a finished rewrite left for deletion, then the
//! incremental files (`appendonly.aof.<n>.incr.aof`) holding the writes
//! since that snapshot, oldest first. The manifest is always replaced as a
//! whole (temporary file, fsync, rename, directory fsync), so a crash
//! leaves either the old list of files or the new one.

use crate::util::split::split_args;

/// What a manifest line says a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Base,
    History,
    Incr,
}

impl FileType {
    fn letter(self) -> char {
        match self {
            FileType::Base => 'b',
            FileType::History => 'h',
            FileType::Incr => 'i',
        }
    }
}

/// One file of the AOF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AofFile {
    pub name: String,
    pub seq: i64,
    pub kind: FileType,
}

/// The files of the AOF and the sequence numbers the next ones take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub base: Option<AofFile>,
    pub history: Vec<AofFile>,
    pub incr: Vec<AofFile>,
    pub base_seq: i64,
    pub incr_seq: i64,
}

/// Why a manifest could not be read: Redis's message, and the line it
/// was on (number and text) when there was one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    pub line: Option<(usize, String)>,
    pub reason: &'static str,
}

impl ManifestError {
    /// The lines Redis logs before exiting.
    pub fn log_lines(&self) -> Vec<String> {
        let mut out = vec!["\n*** FATAL AOF MANIFEST FILE ERROR ***\n".to_string()];
        if let Some((n, text)) = &self.line {
            out.push(format!("Reading the manifest file, at line {n}\n"));
            out.push(format!(">>> '{text}'\n"));
        }
        out.push(format!("{}\n", self.reason));
        out
    }
}

/// Redis reads manifest lines with a 1024-byte buffer.
const MAX_LINE: usize = 1024;

/// The name of the manifest of `filename` (appendonly.aof.manifest).
pub fn manifest_name(filename: &str) -> String {
    format!("{filename}.manifest")
}

/// The temporary name a manifest is written under before the rename.
pub fn temp_manifest_name(filename: &str) -> String {
    format!("temp-{filename}.manifest")
}

/// The temporary incremental file written while `appendonly` is being
/// turned on (it gets its real name when the first rewrite succeeds).
pub fn temp_incr_name(filename: &str) -> String {
    format!("temp-{filename}.incr")
}

impl Manifest {
    /// Parses a manifest with Redis's checks (aofLoadManifestFromFile).
    pub fn parse(text: &[u8]) -> Result<Manifest, ManifestError> {
        let mut m = Manifest::default();
        let mut max_incr_seq = 0;
        let mut rest = text;
        let mut linenum = 0;
        while !rest.is_empty() {
            // fgets: up to a newline or the buffer size, whichever first.
            let take = match rest.iter().position(|&b| b == b'\n') {
                Some(i) if i < MAX_LINE => i + 1,
                _ => rest.len().min(MAX_LINE),
            };
            let (raw, tail) = rest.split_at(take);
            rest = tail;
            linenum += 1;
            if raw.first() == Some(&b'#') {
                continue;
            }
            let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
            let start = raw.iter().position(|b| !is_space(b)).unwrap_or(raw.len());
            let end = raw
                .iter()
                .rposition(|b| !is_space(b))
                .map_or(start, |i| i + 1);
            let line = &raw[start..end];
            let shown = String::from_utf8_lossy(line).into_owned();
            let fail = |reason| ManifestError {
                line: Some((linenum, shown.clone())),
                reason,
            };
            if !raw.contains(&b'\n') {
                return Err(fail("The AOF manifest file contains too long line"));
            }
            if line.is_empty() {
                return Err(fail("Invalid AOF manifest file format"));
            }
            let words = split_args(line)
                .filter(|w| w.len() >= 6 && w.len() % 2 == 0)
                .ok_or_else(|| fail("Invalid AOF manifest file format"))?;
            let (mut name, mut seq, mut kind) = (None, 0i64, None);
            for pair in words.chunks(2) {
                let (key, value) = (&pair[0], &pair[1]);
                if key.eq_ignore_ascii_case(b"file") {
                    if value.contains(&b'/') || value.contains(&b'\\') {
                        return Err(fail("File can't be a path, just a filename"));
                    }
                    name = Some(String::from_utf8_lossy(value).into_owned());
                } else if key.eq_ignore_ascii_case(b"seq") {
                    seq = atoll(value);
                } else if key.eq_ignore_ascii_case(b"type") {
                    kind = value.first().copied();
                }
            }
            let (Some(name), true, Some(kind)) = (name, seq != 0, kind.filter(|&k| k != 0)) else {
                return Err(fail("Invalid AOF manifest file format"));
            };
            match kind {
                b'b' => {
                    if m.base.is_some() {
                        return Err(fail("Found duplicate base file information"));
                    }
                    m.base_seq = seq;
                    m.base = Some(AofFile {
                        name,
                        seq,
                        kind: FileType::Base,
                    });
                }
                b'h' => m.history.push(AofFile {
                    name,
                    seq,
                    kind: FileType::History,
                }),
                b'i' => {
                    if seq <= max_incr_seq {
                        return Err(fail("Found a non-monotonic sequence number"));
                    }
                    max_incr_seq = seq;
                    m.incr_seq = seq;
                    m.incr.push(AofFile {
                        name,
                        seq,
                        kind: FileType::Incr,
                    });
                }
                _ => return Err(fail("Unknown AOF file type")),
            }
        }
        if linenum == 0 {
            return Err(ManifestError {
                line: None,
                reason: "Found an empty AOF manifest",
            });
        }
        Ok(m)
    }

    /// The manifest's text: base first, then history, then incremental.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in self.base.iter().chain(&self.history).chain(&self.incr) {
            let name = if needs_repr(f.name.as_bytes()) {
                crate::util::repr(f.name.as_bytes())
            } else {
                f.name.clone()
            };
            out.push_str(&format!(
                "file {name} seq {} type {}\n",
                f.seq,
                f.kind.letter()
            ));
        }
        out
    }

    /// Base and incremental files, in load order.
    pub fn live_files(&self) -> impl Iterator<Item = &AofFile> {
        self.base.iter().chain(&self.incr)
    }

    /// Names a new base file (`<filename>.<seq>.base.rdb` or `.aof`) and
    /// makes the current one history.
    pub fn new_base(&mut self, filename: &str, rdb: bool) -> String {
        if let Some(mut old) = self.base.take() {
            old.kind = FileType::History;
            self.history.insert(0, old);
        }
        self.base_seq += 1;
        let suffix = if rdb { "rdb" } else { "aof" };
        let name = format!("{filename}.{}.base.{suffix}", self.base_seq);
        self.base = Some(AofFile {
            name: name.clone(),
            seq: self.base_seq,
            kind: FileType::Base,
        });
        name
    }

    /// Names a new incremental file and appends it to the list.
    pub fn new_incr(&mut self, filename: &str) -> String {
        self.incr_seq += 1;
        let name = format!("{filename}.{}.incr.aof", self.incr_seq);
        self.incr.push(AofFile {
            name: name.clone(),
            seq: self.incr_seq,
            kind: FileType::Incr,
        });
        name
    }

    /// The incremental file writes go to: the last one, or a new one.
    pub fn last_incr_or_new(&mut self, filename: &str) -> String {
        match self.incr.last() {
            Some(f) => f.name.clone(),
            None => self.new_incr(filename),
        }
    }

    /// After a successful rewrite the incremental files it covers become
    /// history; with the AOF on, the last one (being written) stays.
    pub fn mark_rewritten_incr_as_history(&mut self, keep_last: bool) {
        let keep = if keep_last { self.incr.pop() } else { None };
        for mut f in std::mem::take(&mut self.incr).into_iter().rev() {
            f.kind = FileType::History;
            self.history.insert(0, f);
        }
        self.incr.extend(keep);
    }
}

/// C's atoll: optional spaces and sign, then digits up to the first
/// non-digit (0 when there are none).
fn atoll(s: &[u8]) -> i64 {
    let s = String::from_utf8_lossy(s);
    let t = s.trim_start();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
    let v = digits.parse::<i64>().unwrap_or(0);
    if neg { -v } else { v }
}

/// Redis's sdsneedsrepr: whether a name must be quoted in the manifest.
fn needs_repr(s: &[u8]) -> bool {
    s.iter()
        .any(|&b| matches!(b, b'\\' | b'"') || !(0x21..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_redis_layout() {
        // Written by redis-server 7.0.15 during a rewrite, and after it
        // with aof-disable-auto-gc yes.
        let text = "file appendonly.aof.5.base.rdb seq 5 type b\nfile appendonly.aof.5.incr.aof seq 5 type i\nfile appendonly.aof.6.incr.aof seq 6 type i\n";
        let mut m = Manifest::parse(text.as_bytes()).unwrap();
        assert_eq!(m.to_text(), text);
        assert_eq!((m.base_seq, m.incr_seq), (5, 6));
        assert_eq!(
            m.new_base("appendonly.aof", true),
            "appendonly.aof.6.base.rdb"
        );
        m.mark_rewritten_incr_as_history(true);
        assert_eq!(
            m.to_text(),
            "file appendonly.aof.6.base.rdb seq 6 type b\nfile appendonly.aof.5.incr.aof seq 5 type h\nfile appendonly.aof.5.base.rdb seq 5 type h\nfile appendonly.aof.6.incr.aof seq 6 type i\n"
        );
        m.history.clear();
        assert_eq!(
            m.to_text(),
            "file appendonly.aof.6.base.rdb seq 6 type b\nfile appendonly.aof.6.incr.aof seq 6 type i\n"
        );
    }

    #[test]
    fn names_needing_quotes_are_quoted() {
        let mut m = Manifest::default();
        m.new_incr("my aof");
        assert_eq!(m.to_text(), "file \"my aof.1.incr.aof\" seq 1 type i\n");
        assert_eq!(Manifest::parse(m.to_text().as_bytes()).unwrap(), m);
    }

    #[test]
    fn errors_match_redis() {
        let err = |t: &str| Manifest::parse(t.as_bytes()).unwrap_err();
        assert_eq!(err("").reason, "Found an empty AOF manifest");
        assert_eq!(
            err("file a seq 1 type b").reason,
            "The AOF manifest file contains too long line"
        );
        assert_eq!(err("\n").reason, "Invalid AOF manifest file format");
        assert_eq!(
            err("file a seq 1\n").reason,
            "Invalid AOF manifest file format"
        );
        assert_eq!(
            err("file a seq 0 type b\n").reason,
            "Invalid AOF manifest file format"
        );
        assert_eq!(
            err("file a/b seq 1 type b\n").reason,
            "File can't be a path, just a filename"
        );
        assert_eq!(
            err("file a seq 1 type b\nfile b seq 2 type b\n").reason,
            "Found duplicate base file information"
        );
        assert_eq!(
            err("file a seq 2 type i\nfile b seq 2 type i\n").reason,
            "Found a non-monotonic sequence number"
        );
        let e = err("# comment\nfile a seq 1 type x\n");
        assert_eq!(e.reason, "Unknown AOF file type");
        assert_eq!(e.line, Some((2, "file a seq 1 type x".into())));
        // Comments and extra keys are fine.
        let m = Manifest::parse(b"# hi\nfile a seq 3 type i startoffset 0\n").unwrap();
        assert_eq!(m.incr_seq, 3);
    }
}
