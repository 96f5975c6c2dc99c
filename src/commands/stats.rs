//! What INFO reports about the process beyond the engine's counters:
//! per-command statistics, error codes, memory and CPU.

use super::Stats;

/// One command's statistics (INFO commandstats).
#[derive(Debug, Clone, Copy, Default)]
pub struct CmdStat {
    pub calls: u64,
    /// Total time spent in the command, in microseconds.
    pub usec: u64,
    /// Refused before running (arity, authentication, ...).
    pub rejected_calls: u64,
    /// Ran and replied with an error.
    pub failed_calls: u64,
}

impl CmdStat {
    pub fn record(&mut self, usec: i64, failed: bool) {
        self.calls += 1;
        // A wall clock step backwards must not make time negative.
        self.usec += u64::try_from(usec).unwrap_or(0);
        if failed {
            self.failed_calls += 1;
        }
    }

    /// Whether INFO lists the command at all.
    pub fn is_used(&self) -> bool {
        self.calls > 0 || self.rejected_calls > 0 || self.failed_calls > 0
    }
}

/// Redis looks for the error code's end in the first 32 bytes of `-CODE
/// message`; without a space there the error counts as `ERR`.
const ERROR_CODE_SEARCH: usize = 31;

impl Stats {
    /// Counts an error reply under its code, the first word of the text.
    pub fn count_error_code(&mut self, msg: &[u8]) {
        let window = &msg[..msg.len().min(ERROR_CODE_SEARCH)];
        let code = match window.iter().position(|&b| b == b' ') {
            Some(end) => String::from_utf8_lossy(&msg[..end]),
            None => "ERR".into(),
        };
        match self.error_codes.get_mut(code.as_ref()) {
            Some(n) => *n += 1,
            None => {
                self.error_codes.insert(code.into_owned(), 1);
            }
        }
    }
}

/// Heap bytes in use: what jemalloc has handed out, in its size classes,
/// counted as it happens (Redis's zmalloc_used_memory; see crate::alloc).
pub fn used_memory() -> usize {
    crate::alloc::used_memory()
}

/// jemalloc's figures for INFO memory's allocator_* fields.
pub struct AllocatorStats {
    /// Bytes in live allocations.
    pub allocated: usize,
    /// Bytes of the pages those allocations occupy.
    pub active: usize,
    /// Bytes of the allocator's memory that are resident.
    pub resident: usize,
}

/// Reads jemalloc's statistics, refreshed first (they are cached until
/// the epoch advances).
pub fn allocator_stats() -> AllocatorStats {
    use tikv_jemalloc_ctl::{epoch, stats};
    let _ = epoch::advance();
    AllocatorStats {
        allocated: stats::allocated::read().unwrap_or(0),
        active: stats::active::read().unwrap_or(0),
        resident: stats::resident::read().unwrap_or(0),
    }
}

/// INFO's mem_allocator: `jemalloc-5.3.0`, as Redis names it.
pub fn allocator_name() -> String {
    let version = tikv_jemalloc_ctl::version::read().unwrap_or("");
    format!("jemalloc-{}", version.split('-').next().unwrap_or(""))
}

/// Resident set size, from /proc/self/statm as Redis reads it.
pub fn rss() -> usize {
    // SAFETY: sysconf only reads a system constant.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * page)
}

/// Physical memory of the machine (INFO total_system_memory).
pub fn total_system_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("MemTotal:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb * 1024)
}

/// CPU time as (system, user) seconds, for the process, its children and
/// the main thread, each as Redis prints them (`%ld.%06ld`).
pub fn cpu_usage() -> [(String, String); 3] {
    let who = [
        libc::RUSAGE_SELF,
        libc::RUSAGE_CHILDREN,
        libc::RUSAGE_THREAD,
    ];
    who.map(|w| {
        // SAFETY: rusage is plain data; getrusage fills it or fails, and on
        // failure the zeroed value is reported.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(w, &mut ru) };
        let fmt = |t: libc::timeval| format!("{}.{:06}", t.tv_sec, t.tv_usec);
        (fmt(ru.ru_stime), fmt(ru.ru_utime))
    })
}

/// The kernel's name, release and machine, as Redis's `os` field
/// (uname's sysname, release, machine).
pub fn os_name() -> String {
    // SAFETY: utsname is plain data that uname fills.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    if unsafe { libc::uname(&mut u) } != 0 {
        return String::new();
    }
    let field = |f: &[libc::c_char]| {
        let bytes: Vec<u8> = f
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    format!(
        "{} {} {}",
        field(&u.sysname),
        field(&u.release),
        field(&u.machine)
    )
}

/// `%.2f`, as Redis prints ratios and percentages.
pub fn fmt2(v: f64) -> String {
    crate::util::float::fmt_f64(c"%.2f", v)
}

/// Bytes as Redis's bytesToHuman prints them: `B`, then K, M, G, T, P
/// with two decimals.
pub fn bytes_to_human(n: u64) -> String {
    let d = n as f64;
    const UNITS: [(f64, &str); 5] = [
        (1024.0, "K"),
        (1024.0 * 1024.0, "M"),
        (1024.0 * 1024.0 * 1024.0, "G"),
        (1024.0 * 1024.0 * 1024.0 * 1024.0, "T"),
        (1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0, "P"),
    ];
    if d < 1024.0 {
        return format!("{n}B");
    }
    for (i, (unit, name)) in UNITS.iter().enumerate() {
        let next = UNITS.get(i + 1).map_or(f64::INFINITY, |u| u.0);
        if d < next {
            return format!("{}{name}", fmt2(d / unit));
        }
    }
    format!("{n}B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_take_the_first_word() {
        let mut s = Stats::default();
        s.count_error_code(b"ERR syntax error");
        s.count_error_code(b"WRONGTYPE Operation against a key");
        s.count_error_code(b"ERR x");
        s.count_error_code(b"NOSPACEINTHEFIRSTTHIRTYONEBYTESATALL x");
        let got: Vec<_> = s
            .error_codes
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(got, [("ERR", 3), ("WRONGTYPE", 1)]);
    }

    #[test]
    fn human_bytes() {
        assert_eq!(bytes_to_human(0), "0B");
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(1212768), "1.16M");
        assert_eq!(bytes_to_human(32768), "32.00K");
        assert_eq!(bytes_to_human(25276510208), "23.54G");
    }
}
