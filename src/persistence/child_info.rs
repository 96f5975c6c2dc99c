//! Redis's child info pipe: how a forked child tells the parent how far
//! it got and how much memory copy-on-write has cost so far.
//!
//! After fork every page is shared; a page the parent writes is copied,
//! and the child's old copy becomes private to it. So the child's
//! Private_Dirty memory (from /proc/self/smaps_rollup) is what the parent
//! dirtied since the fork, plus the child's own small buffers. The child
//! measures it about once a second while it writes ("current" info, with
//! the keys written so far) and once at the end, and sends each reading
//! as one fixed-size message over a non-blocking pipe: a message is far
//! below PIPE_BUF, so it is written whole or not at all, and neither side
//! ever waits on the other.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// What a message reports (Redis's childInfoType).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoKind {
    /// Progress while the child writes.
    Current,
    /// The final reading of a snapshot child.
    RdbCowSize,
    /// The final reading of an AOF rewrite child.
    AofCowSize,
}

/// One message, as it travels: kind, keys written, copy-on-write bytes and
/// the Unix ms they were measured at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: InfoKind,
    pub keys: u64,
    pub cow: u64,
    pub cow_updated_ms: i64,
}

const MESSAGE_LEN: usize = 32;

impl Message {
    fn encode(&self) -> [u8; MESSAGE_LEN] {
        let mut b = [0u8; MESSAGE_LEN];
        b[0] = match self.kind {
            InfoKind::Current => 0,
            InfoKind::RdbCowSize => 1,
            InfoKind::AofCowSize => 2,
        };
        b[8..16].copy_from_slice(&self.keys.to_le_bytes());
        b[16..24].copy_from_slice(&self.cow.to_le_bytes());
        b[24..32].copy_from_slice(&self.cow_updated_ms.to_le_bytes());
        b
    }

    fn decode(b: &[u8; MESSAGE_LEN]) -> Option<Message> {
        let kind = match b[0] {
            0 => InfoKind::Current,
            1 => InfoKind::RdbCowSize,
            2 => InfoKind::AofCowSize,
            _ => return None,
        };
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            w
        };
        Some(Message {
            kind,
            keys: u64::from_le_bytes(word(8)),
            cow: u64::from_le_bytes(word(16)),
            cow_updated_ms: i64::from_le_bytes(word(24)),
        })
    }
}

/// Opens the pipe before a fork: the read end for the parent, the write
/// end for the child. Both ends are non-blocking and close on exec.
pub fn open_pipe() -> io::Result<(File, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into `fds`.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    Ok(unsafe { (File::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Reads every whole message waiting in the pipe, without waiting.
pub fn receive(pipe: &mut File) -> Vec<Message> {
    let mut out = Vec::new();
    // Every write is one whole message, so the pipe always holds a
    // multiple of MESSAGE_LEN bytes and a read of that size gets one.
    let mut buf = [0u8; MESSAGE_LEN];
    while let Ok(MESSAGE_LEN) = pipe.read(&mut buf) {
        out.extend(Message::decode(&buf));
    }
    out
}

/// Redis's CHILD_COW_DUTY_CYCLE: reading smaps walks the page tables, so
/// a "current" reading waits at least this many times as long as the last
/// one took.
const COW_DUTY_CYCLE: u64 = 100;

/// The child's side: the pipe and the readings so far.
struct Reporter {
    fd: OwnedFd,
    /// How logs name the job: "RDB" or "AOF rewrite".
    name: &'static str,
    keys: u64,
    last_sent_ms: Option<i64>,
    cow: u64,
    peak: u64,
    sum: u64,
    readings: u64,
    measured: Option<(std::time::Instant, std::time::Duration)>,
    measured_ms: i64,
}

// The child runs on the one thread that forked; like Redis's global pipe
// descriptor this is set only there, so the save loops need no handle.
thread_local! {
    static REPORTER: RefCell<Option<Reporter>> = const { RefCell::new(None) };
}

/// In a freshly forked child: report over `fd`, naming the job `name`.
pub fn start_reporting(fd: OwnedFd, name: &'static str) {
    REPORTER.with(|r| {
        *r.borrow_mut() = Some(Reporter {
            fd,
            name,
            keys: 0,
            last_sent_ms: None,
            cow: 0,
            peak: 0,
            sum: 0,
            readings: 0,
            measured: None,
            measured_ms: 0,
        })
    });
}

/// Called by the save loops after each key. Every 1024 keys it looks at
/// the clock, and sends current info when a second has passed since the
/// last (Redis's rdbSaveRio and rewriteAppendOnlyFileRio do the same, the
/// first time at the first key). Does nothing outside a child.
pub fn key_written() {
    REPORTER.with(|r| {
        let mut r = r.borrow_mut();
        let Some(rep) = r.as_mut() else { return };
        rep.keys += 1;
        if (rep.keys - 1) & 1023 != 0 {
            return;
        }
        let now = crate::util::now_ms();
        if rep.last_sent_ms.is_none_or(|t| now - t >= 1000) {
            rep.last_sent_ms = Some(now);
            rep.send(InfoKind::Current);
        }
    });
}

/// At the end of a successful job: the final reading.
pub fn send_final(kind: InfoKind) {
    REPORTER.with(|r| {
        if let Some(rep) = r.borrow_mut().as_mut() {
            rep.send(kind);
        }
    });
}

impl Reporter {
    /// Measures (unless a current reading would come too soon after the
    /// last), logs the reading as Redis's sendChildInfoGeneric does, and
    /// writes the message; a full pipe drops it (the parent reads once a
    /// second, the child writes once a second).
    fn send(&mut self, kind: InfoKind) {
        let due = match self.measured {
            None => true,
            Some((at, cost)) => {
                kind != InfoKind::Current
                    || at.elapsed() > cost.saturating_mul(COW_DUTY_CYCLE as u32)
            }
        };
        if due {
            let start = std::time::Instant::now();
            self.cow = private_dirty();
            self.measured = Some((std::time::Instant::now(), start.elapsed()));
            self.measured_ms = crate::util::now_ms();
            self.peak = self.peak.max(self.cow);
            self.sum = self.sum.saturating_add(self.cow);
            self.readings += 1;
            let line = || {
                format!(
                    "Fork CoW for {}: current {} MB, peak {} MB, average {} MB",
                    self.name,
                    self.cow >> 20,
                    self.peak >> 20,
                    (self.sum / self.readings) >> 20
                )
            };
            // The final reading is a notice; current ones are verbose, and
            // only once there is something to say.
            if kind != InfoKind::Current {
                log::info!("{}", line());
            } else if self.cow != 0 {
                log::debug!("{}", line());
            }
        }
        let msg = Message {
            kind,
            keys: self.keys,
            cow: self.cow,
            cow_updated_ms: self.measured_ms,
        }
        .encode();
        // SAFETY: writes from a live buffer to a descriptor this reporter
        // owns; a short or failed write is ignored (the reader drops
        // anything that is not a whole message).
        unsafe {
            libc::write(self.fd.as_raw_fd(), msg.as_ptr().cast(), msg.len());
        }
    }
}

/// This process's private dirty memory in bytes: the sum of the
/// Private_Dirty lines of smaps_rollup (or of smaps, on kernels before
/// 4.14), 0 if neither can be read.
pub fn private_dirty() -> u64 {
    let text = std::fs::read_to_string("/proc/self/smaps_rollup")
        .or_else(|_| std::fs::read_to_string("/proc/self/smaps"))
        .unwrap_or_default();
    sum_private_dirty(&text)
}

fn sum_private_dirty(smaps: &str) -> u64 {
    smaps
        .lines()
        .filter_map(|l| l.strip_prefix("Private_Dirty:"))
        .filter_map(|rest| rest.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .sum()
}

/// The parent's side: what INFO persistence and INFO stats report about
/// forks (Redis's stat_current_cow_*, stat_rdb_cow_bytes, ...).
#[derive(Debug, Default)]
pub struct ForkStats {
    /// The running child's read end, if the pipe could be opened.
    pipe: Option<File>,
    pub current_cow_peak: u64,
    pub current_cow_bytes: u64,
    /// Unix ms of the child's last reading (0: none yet).
    pub current_cow_updated_ms: i64,
    pub current_keys_processed: u64,
    /// Keys in all databases at the fork.
    pub current_keys_total: u64,
    pub rdb_last_cow: u64,
    pub aof_last_cow: u64,
    pub total_forks: u64,
    pub latest_fork_usec: u64,
}

impl ForkStats {
    /// A child was forked with `keys_total` keys in the data set.
    pub fn forked(&mut self, pipe: Option<File>, keys_total: u64, fork_usec: u64) {
        self.pipe = pipe;
        self.total_forks += 1;
        self.latest_fork_usec = fork_usec;
        self.current_cow_peak = 0;
        self.current_cow_bytes = 0;
        self.current_cow_updated_ms = 0;
        self.current_keys_processed = 0;
        self.current_keys_total = keys_total;
    }

    /// Takes in what the child sent since the last call (Redis's
    /// receiveChildInfo): from the cron once a second, and once more
    /// when a child exits successfully.
    pub fn receive(&mut self) {
        let Some(pipe) = &mut self.pipe else { return };
        for m in receive(pipe) {
            self.current_cow_peak = self.current_cow_peak.max(m.cow);
            match m.kind {
                InfoKind::Current => {
                    self.current_cow_bytes = m.cow;
                    self.current_cow_updated_ms = m.cow_updated_ms;
                    self.current_keys_processed = m.keys;
                }
                // The size a job reports is the peak of its readings.
                InfoKind::RdbCowSize => self.rdb_last_cow = self.current_cow_peak,
                InfoKind::AofCowSize => self.aof_last_cow = self.current_cow_peak,
            }
        }
    }

    /// The child is gone: the current figures go back to zero and the
    /// pipe is closed (Redis's resetChildState).
    pub fn child_gone(&mut self) {
        self.pipe = None;
        self.current_cow_peak = 0;
        self.current_cow_bytes = 0;
        self.current_cow_updated_ms = 0;
        self.current_keys_processed = 0;
        self.current_keys_total = 0;
    }

    /// current_fork_perc: keys written out of those at the fork.
    pub fn progress_percent(&self) -> f64 {
        if self.current_keys_total == 0 {
            return 0.0;
        }
        self.current_keys_processed as f64 / self.current_keys_total as f64 * 100.0
    }

    /// current_cow_size_age: whole seconds since the last reading.
    pub fn cow_age_secs(&self, now_ms: i64) -> i64 {
        if self.current_cow_updated_ms == 0 {
            return 0;
        }
        (now_ms - self.current_cow_updated_ms).max(0) / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_the_parent_keeps_the_peak() {
        let (mut read, write) = open_pipe().unwrap();
        assert!(receive(&mut read).is_empty(), "empty pipe, no wait");
        let send = |kind, keys, cow| {
            let m = Message {
                kind,
                keys,
                cow,
                cow_updated_ms: 1_000_000 + keys as i64,
            }
            .encode();
            // SAFETY: a write from a live buffer to an open pipe.
            unsafe { libc::write(write.as_raw_fd(), m.as_ptr().cast(), m.len()) };
        };
        send(InfoKind::Current, 1, 4096);
        send(InfoKind::Current, 1025, 8192);
        send(InfoKind::Current, 2049, 6000);
        let mut stats = ForkStats::default();
        stats.forked(Some(read), 4000, 120);
        stats.receive();
        assert_eq!(stats.current_cow_bytes, 6000);
        assert_eq!(stats.current_cow_peak, 8192);
        assert_eq!(stats.current_keys_processed, 2049);
        assert_eq!(stats.cow_age_secs(1_002_049 + 2500), 2);
        assert_eq!(format!("{:.2}", stats.progress_percent()), "51.23");
        send(InfoKind::RdbCowSize, 4000, 5000);
        stats.receive();
        assert_eq!(stats.rdb_last_cow, 8192, "the peak, not the last");
        assert_eq!(stats.aof_last_cow, 0);
        stats.child_gone();
        assert_eq!((stats.current_cow_peak, stats.current_keys_total), (0, 0));
        assert_eq!(stats.cow_age_secs(5_000_000), 0);
        assert_eq!((stats.total_forks, stats.latest_fork_usec), (1, 120));
    }

    #[test]
    fn private_dirty_sums_every_mapping() {
        let smaps =
            "Rss:  100 kB\nPrivate_Dirty:  12 kB\nShared_Dirty: 4 kB\nPrivate_Dirty: 3 kB\n";
        assert_eq!(sum_private_dirty(smaps), 15 * 1024);
        // This process has written its own heap and stack.
        assert!(private_dirty() > 0);
    }
}
