//! The append-only file: every write the data set sees, logged as the
//! command that replays it, so a restart can rebuild the data set.
//!
//! Writes are gathered in [`Aof::buf`] while commands run, then written
//! with one write(2) just before the event loop writes replies
//! ([`Aof::flush`], from beforeSleep), so a client never sees the reply to
//! a write that is not in the file. Whether the data also reaches the
//! disk before the reply depends on `appendfsync`: `always` fsyncs right
//! there; `everysec` hands an fsync to a background thread at most once a
//! second (the loop never waits on the disk; if the previous fsync is
//! still running, the write is postponed for up to two seconds, as
//! Redis's flushAppendOnlyFile does); `no` leaves it to the kernel.
//!
//! The file is Redis 7's multi-part AOF (see [`manifest`]): a base
//! snapshot plus incremental files, in a directory of their own. A
//! rewrite (BGREWRITEAOF) forks a child that writes a new base while the
//! parent goes on appending to a new incremental file, so nothing written
//! meanwhile needs to be buffered for the child.

pub mod manifest;
pub mod read;
pub mod rewrite;

use crate::persistence::child::Child;
use manifest::Manifest;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// Whether the AOF is being written (Redis's aof_state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AofState {
    Off,
    On,
    /// Turned on at run time: writes go to a temporary incremental file
    /// until the first rewrite has produced a base.
    WaitRewrite,
}

/// The `appendfsync` policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsyncPolicy {
    Always,
    EverySec,
    No,
}

impl FsyncPolicy {
    pub fn from_config(name: &str) -> FsyncPolicy {
        match name {
            "always" => FsyncPolicy::Always,
            "no" => FsyncPolicy::No,
            _ => FsyncPolicy::EverySec,
        }
    }
}

/// Appends one command in RESP (a multibulk of bulk strings), as Redis's
/// catAppendOnlyGenericCommand writes it.
pub fn encode_command<A: AsRef<[u8]>>(out: &mut Vec<u8>, args: &[A]) {
    let mut digits = [0u8; 20];
    out.push(b'*');
    out.extend_from_slice(crate::util::fmt_i64(args.len() as i64, &mut digits));
    out.extend_from_slice(b"\r\n");
    for a in args {
        let a = a.as_ref();
        out.push(b'$');
        out.extend_from_slice(crate::util::fmt_i64(a.len() as i64, &mut digits));
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

/// The SELECT Redis writes when the next command targets another database.
pub fn encode_select(out: &mut Vec<u8>, db: usize) {
    let mut digits = [0u8; 20];
    encode_command(
        out,
        &[&b"SELECT"[..], crate::util::fmt_i64(db as i64, &mut digits)],
    );
}

/// Where BGREWRITEAOF stands (INFO's aof_rewrite_* fields).
#[derive(Debug)]
pub struct RewriteState {
    pub child: Option<Child>,
    /// Asked for while another child ran (or inside EXEC).
    pub scheduled: bool,
    pub last_ok: bool,
    /// Seconds the last rewrite took (-1: none yet).
    pub last_secs: i64,
    /// Rewrites started since start-up.
    pub count: u64,
    pub consecutive_failures: u64,
    /// Automatic rewrites back off after repeated failures.
    pub next_delay_minutes: i64,
    pub next_allowed_s: i64,
}

impl Default for RewriteState {
    fn default() -> RewriteState {
        RewriteState {
            child: None,
            scheduled: false,
            last_ok: true,
            last_secs: -1,
            count: 0,
            consecutive_failures: 0,
            next_delay_minutes: 0,
            next_allowed_s: 0,
        }
    }
}

/// Redis's AOF_REWRITE_LIMITE_THRESHOLD and _MAX_MINUTES: after three
/// failures in a row, automatic rewrites wait 1, 2, 4 ... up to 60 minutes.
const LIMIT_THRESHOLD: u64 = 3;
const LIMIT_MAX_MINUTES: i64 = 60;

impl RewriteState {
    /// Whether automatic (and scheduled) rewrites must wait after repeated
    /// failures (Redis's aofRewriteLimited).
    pub fn limited(&mut self, now_s: i64) -> bool {
        if self.consecutive_failures < LIMIT_THRESHOLD {
            self.next_delay_minutes = 0;
            self.next_allowed_s = 0;
            return false;
        }
        if self.next_allowed_s != 0 {
            if now_s < self.next_allowed_s {
                return true;
            }
            self.next_allowed_s = 0;
            return false;
        }
        self.next_delay_minutes = if self.next_delay_minutes == 0 {
            1
        } else {
            (self.next_delay_minutes * 2).min(LIMIT_MAX_MINUTES)
        };
        self.next_allowed_s = now_s + self.next_delay_minutes * 60;
        log::warn!(
            "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in {} minutes",
            self.next_delay_minutes
        );
        true
    }
}

/// fsyncs handed off the event loop, one at a time, in order (Redis's
/// BIO_AOF_FSYNC job queue).
struct FsyncThread {
    jobs: mpsc::Sender<(Arc<File>, bool)>,
    pending: Arc<AtomicUsize>,
    /// Whether the last fsync failed (checked before every write
    /// command), and why.
    failed: Arc<AtomicBool>,
    error: Arc<Mutex<Option<String>>>,
}

impl FsyncThread {
    fn spawn() -> io::Result<FsyncThread> {
        let (jobs, rx) = mpsc::channel::<(Arc<File>, bool)>();
        let pending = Arc::new(AtomicUsize::new(0));
        let error = Arc::new(Mutex::new(None));
        let failed = Arc::new(AtomicBool::new(false));
        let (p, e, f) = (pending.clone(), error.clone(), failed.clone());
        std::thread::Builder::new()
            .name("aof-fsync".into())
            .spawn(move || {
                for (file, closing) in rx {
                    let result = file.sync_data();
                    if let Ok(mut slot) = e.lock() {
                        match result {
                            Err(err) => {
                                log::warn!("Fail to fsync the AOF file: {err}");
                                *slot = Some(os_error_text(&err));
                                f.store(true, Ordering::Release);
                            }
                            // A successful fsync of the live file clears
                            // the error, as Redis's bio thread does.
                            Ok(()) if !closing => {
                                *slot = None;
                                f.store(false, Ordering::Release);
                            }
                            Ok(()) => {}
                        }
                    }
                    drop(file);
                    p.fetch_sub(1, Ordering::Release);
                }
            })?;
        Ok(FsyncThread {
            jobs,
            pending,
            failed,
            error,
        })
    }
}

/// Everything about the AOF the event loop's thread keeps.
pub struct Aof {
    pub state: AofState,
    /// Commands waiting for the next flush (Redis's aof_buf).
    pub buf: Vec<u8>,
    /// The incremental file being appended to.
    file: Option<Arc<File>>,
    /// The database the file's last SELECT chose (`None`: write one).
    pub selected_db: Option<usize>,
    pub manifest: Manifest,
    /// Bytes of base and incremental files (aof_current_size), the size
    /// after the last rewrite (aof_base_size), the incremental file's
    /// size and how much of it is known to be fsynced.
    pub current_size: u64,
    pub base_size: u64,
    pub last_incr_size: u64,
    last_incr_fsync_offset: u64,
    pub last_fsync_ms: i64,
    /// When a flush was first postponed for a running fsync (0: none).
    flush_postponed_start: i64,
    /// Writes done without waiting for a slow fsync (aof_delayed_fsync).
    pub delayed_fsync: u64,
    /// The last write(2) failed: writes are refused until one succeeds.
    pub last_write_error: Option<String>,
    last_write_error_log_s: i64,
    /// The unix second of the last `#TS:` annotation (aof-timestamp-enabled).
    pub last_timestamp_s: i64,
    pub rewrite: RewriteState,
    fsync: Option<FsyncThread>,
}

impl Default for Aof {
    fn default() -> Aof {
        Aof {
            state: AofState::Off,
            buf: Vec::new(),
            file: None,
            selected_db: None,
            manifest: Manifest::default(),
            current_size: 0,
            base_size: 0,
            last_incr_size: 0,
            last_incr_fsync_offset: 0,
            last_fsync_ms: 0,
            flush_postponed_start: 0,
            delayed_fsync: 0,
            last_write_error: None,
            last_write_error_log_s: 0,
            last_timestamp_s: 0,
            rewrite: RewriteState::default(),
            fsync: None,
        }
    }
}

/// `strerror` text of an I/O error, without Rust's "(os error N)".
pub fn os_error_text(e: &io::Error) -> String {
    let text = e.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_string()
}

/// Opens an incremental file for appending (created if missing).
pub fn open_append(path: &Path, truncate: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.create(true);
    if truncate {
        o.write(true).truncate(true);
    } else {
        o.append(true);
    }
    o.open(path)
}

impl Aof {
    /// Whether commands are fed to the buffer now (Redis feeds while on,
    /// and while waiting for the first rewrite once its child runs).
    pub fn feeding(&self) -> bool {
        match self.state {
            AofState::On => true,
            AofState::WaitRewrite => self.rewrite.child.is_some(),
            AofState::Off => false,
        }
    }

    /// Whether an fsync handed to the background thread is still running.
    pub fn fsync_in_progress(&self) -> bool {
        self.fsync
            .as_ref()
            .is_some_and(|t| t.pending.load(Ordering::Acquire) > 0)
    }

    /// Background fsyncs queued or running (aof_pending_bio_fsync).
    pub fn pending_fsyncs(&self) -> usize {
        self.fsync
            .as_ref()
            .map_or(0, |t| t.pending.load(Ordering::Acquire))
    }

    /// The error of the last background fsync, if it failed.
    pub fn fsync_error(&self) -> Option<String> {
        let t = self.fsync.as_ref()?;
        if !t.failed.load(Ordering::Acquire) {
            return None;
        }
        t.error.lock().ok()?.clone()
    }

    /// Forgets a background fsync error (AOF turned on again).
    pub fn clear_fsync_error(&self) {
        if let Some(t) = &self.fsync
            && let Ok(mut e) = t.error.lock()
        {
            *e = None;
            t.failed.store(false, Ordering::Release);
        }
    }

    fn background_fsync(&mut self, file: Arc<File>, closing: bool) {
        if self.fsync.is_none() {
            match FsyncThread::spawn() {
                Ok(t) => self.fsync = Some(t),
                Err(e) => {
                    log::warn!("Can't create the AOF fsync thread: {e}");
                    let _ = file.sync_data();
                    return;
                }
            }
        }
        if let Some(t) = &self.fsync {
            t.pending.fetch_add(1, Ordering::Release);
            if let Err(mpsc::SendError((file, _))) = t.jobs.send((file, closing)) {
                t.pending.fetch_sub(1, Ordering::Release);
                let _ = file.sync_data();
            }
        }
    }

    /// Starts appending to `file`; the previous file, if any, is fsynced
    /// and closed in the background.
    pub fn switch_file(&mut self, file: File, now_ms: i64) {
        if let Some(old) = self.file.take() {
            self.background_fsync(old, true);
            self.last_fsync_ms = now_ms;
        }
        self.file = Some(Arc::new(file));
        self.last_incr_size = 0;
        self.last_incr_fsync_offset = 0;
    }

    /// Sets the sizes after opening an existing incremental file.
    pub fn opened_with_size(&mut self, size: u64) {
        self.last_incr_size = size;
        self.last_incr_fsync_offset = size;
    }

    /// Closes the file after a final write and fsync (appendonly no,
    /// shutdown).
    pub fn close(&mut self, now_ms: i64) {
        if let Some(f) = self.file.take() {
            match f.sync_data() {
                Ok(()) => self.last_fsync_ms = now_ms,
                Err(e) => log::warn!("Fail to fsync the AOF file: {e}"),
            }
        }
    }

    /// fsyncs the file now (shutdown: "Calling fsync() on the AOF file.").
    pub fn fsync_now(&mut self) {
        if let Some(f) = &self.file {
            let _ = f.sync_data();
        }
    }

    pub fn has_file(&self) -> bool {
        self.file.is_some()
    }

    /// Whether a write waits for a slow background fsync.
    pub fn flush_postponed(&self) -> bool {
        self.flush_postponed_start != 0
    }

    /// Writes the buffer to the file, then fsyncs as the policy says
    /// (Redis's flushAppendOnlyFile). `force` writes even while a
    /// background fsync runs. Only an `always` write or fsync failure is
    /// fatal, as in Redis: the acknowledged-write promise cannot be kept.
    pub fn flush(&mut self, force: bool, now_ms: i64, policy: FsyncPolicy, skip_fsync: bool) {
        let Some(file) = self.file.clone() else {
            return;
        };
        let mut sync_in_progress = false;
        if self.buf.is_empty() {
            // Nothing new, but data written before may still wait for its
            // fsync: everysec must not leave it in the page cache for long.
            if self.last_incr_fsync_offset == self.last_incr_size {
                return;
            }
            let due = match policy {
                FsyncPolicy::EverySec => {
                    sync_in_progress = self.fsync_in_progress();
                    now_ms - self.last_fsync_ms >= 1000 && !sync_in_progress
                }
                FsyncPolicy::Always => true,
                FsyncPolicy::No => false,
            };
            if due {
                self.try_fsync(&file, now_ms, policy, skip_fsync, sync_in_progress);
            }
            return;
        }
        if policy == FsyncPolicy::EverySec {
            sync_in_progress = self.fsync_in_progress();
        }
        if policy == FsyncPolicy::EverySec && !force && sync_in_progress {
            // write(2) would wait for the running fsync anyway: wait up
            // to two seconds without blocking the loop.
            if self.flush_postponed_start == 0 {
                self.flush_postponed_start = now_ms;
                return;
            } else if now_ms - self.flush_postponed_start < 2000 {
                return;
            }
            self.delayed_fsync += 1;
            log::info!(
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis."
            );
        }
        let written = write_all_counted(&file, &self.buf);
        self.flush_postponed_start = 0;
        match written {
            Ok(()) => {
                if self.last_write_error.take().is_some() {
                    log::info!("AOF write error looks solved, Redis can write again.");
                }
                let n = self.buf.len() as u64;
                self.current_size += n;
                self.last_incr_size += n;
                if self.buf.capacity() < 4000 {
                    self.buf.clear();
                } else {
                    self.buf = Vec::new();
                }
            }
            Err((n, e)) => {
                self.write_failed(&file, n, &e, now_ms, policy);
                return;
            }
        }
        self.try_fsync(&file, now_ms, policy, skip_fsync, sync_in_progress);
    }

    fn try_fsync(
        &mut self,
        file: &Arc<File>,
        now_ms: i64,
        policy: FsyncPolicy,
        skip_fsync: bool,
        sync_in_progress: bool,
    ) {
        // no-appendfsync-on-rewrite: no fsync while a child does disk I/O.
        if skip_fsync {
            return;
        }
        match policy {
            FsyncPolicy::Always => {
                if let Err(e) = file.sync_data() {
                    log::warn!(
                        "Can't persist AOF for fsync error when the AOF fsync policy is 'always': {}. Exiting...",
                        os_error_text(&e)
                    );
                    std::process::exit(1);
                }
                self.last_incr_fsync_offset = self.last_incr_size;
                self.last_fsync_ms = now_ms;
            }
            FsyncPolicy::EverySec if now_ms - self.last_fsync_ms >= 1000 => {
                if !sync_in_progress {
                    self.background_fsync(file.clone(), false);
                    self.last_incr_fsync_offset = self.last_incr_size;
                }
                self.last_fsync_ms = now_ms;
            }
            _ => {}
        }
    }

    /// A failed or short write: undo the partial write if possible and
    /// keep the buffer for the next try (everysec, no), or exit (always).
    fn write_failed(
        &mut self,
        file: &File,
        written: usize,
        e: &io::Error,
        now_ms: i64,
        policy: FsyncPolicy,
    ) {
        let now_s = now_ms / 1000;
        let can_log = now_s - self.last_write_error_log_s > 30;
        if can_log {
            self.last_write_error_log_s = now_s;
        }
        let mut kept = written;
        let reason = if written == 0 {
            if can_log {
                log::warn!("Error writing to the AOF file: {}", os_error_text(e));
            }
            os_error_text(e)
        } else {
            if can_log {
                log::warn!(
                    "Short write while writing to the AOF file: (nwritten={written}, expected={})",
                    self.buf.len()
                );
            }
            match file.set_len(self.last_incr_size) {
                Ok(()) => kept = 0,
                Err(te) => {
                    if can_log {
                        log::warn!(
                            "Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: {}",
                            os_error_text(&te)
                        );
                    }
                }
            }
            "No space left on device".to_string()
        };
        if policy == FsyncPolicy::Always {
            log::warn!(
                "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting..."
            );
            std::process::exit(1);
        }
        self.last_write_error = Some(reason);
        if kept > 0 {
            self.current_size += kept as u64;
            self.last_incr_size += kept as u64;
            self.buf.drain(..kept);
        }
    }

    /// Turns the AOF off: last flush and fsync, file closed, state reset
    /// (Redis's stopAppendOnly, minus killing the child, which the caller
    /// does).
    pub fn stop(&mut self, now_ms: i64, policy: FsyncPolicy) {
        self.flush(true, now_ms, policy, false);
        self.close(now_ms);
        self.selected_db = None;
        self.state = AofState::Off;
        self.rewrite.scheduled = false;
        self.last_incr_size = 0;
        self.last_incr_fsync_offset = 0;
        self.buf = Vec::new();
    }
}

/// write(2) until everything is written, retrying short writes and
/// interruptions (Redis's aofWrite); on failure, how much was written.
fn write_all_counted(mut file: &File, mut buf: &[u8]) -> Result<(), (usize, io::Error)> {
    let mut total = 0;
    while !buf.is_empty() {
        match file.write(buf) {
            Ok(0) => {
                return Err((
                    total,
                    io::Error::new(io::ErrorKind::WriteZero, "short write"),
                ));
            }
            Ok(n) => {
                total += n;
                buf = &buf[n..];
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err((total, e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_encoded_as_redis_writes_them() {
        let mut out = Vec::new();
        encode_select(&mut out, 0);
        encode_command(&mut out, &[&b"set"[..], b"k", b""]);
        assert_eq!(
            out,
            b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\nk\r\n$0\r\n\r\n"
        );
    }

    #[test]
    fn rewrites_back_off_after_repeated_failures() {
        let mut r = RewriteState {
            consecutive_failures: 2,
            ..Default::default()
        };
        assert!(!r.limited(1000));
        r.consecutive_failures = 3;
        assert!(r.limited(1000));
        assert!(r.limited(1059));
        assert!(!r.limited(1060));
        // The next limit doubles the wait.
        assert!(r.limited(1061));
        assert_eq!(r.next_allowed_s, 1061 + 120);
    }
}
