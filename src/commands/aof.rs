//! BGREWRITEAOF and the life of the append-only file while the server
//! runs: rewriting it in a forked child (which writes a new base while
//! the parent appends to a fresh incremental file), installing the result
//! through the manifest, turning the AOF on and off with CONFIG SET, and
//! the cron's part (scheduled and automatic rewrites, retrying a failed
//! write). Start-up loading is in `aof_load`.

use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, Engine};
use crate::persistence::aof::manifest::{self, Manifest};
use crate::persistence::aof::{AofState, FsyncPolicy, open_append, os_error_text, rewrite};
use crate::persistence::child::{self, Child, ChildKind, Exit};
use crate::persistence::file::{sync_dir, write_atomically};
use crate::persistence::rdb::{SaveOptions, save};
use bytes::Bytes;
use std::path::PathBuf;

pub static COMMANDS: &[Command] = &[Command::new("bgrewriteaof", 1, bgrewriteaof)
    .flags(flag::ADMIN | flag::NOSCRIPT | flag::NO_ASYNC_LOADING)
    .acl(acl::ADMIN | acl::SLOW | acl::DANGEROUS)
    .doc(
        Group::Server,
        "1.0.0",
        "O(1)",
        "Rewrites the append-only file from a background process.",
    )];

const IN_PROGRESS: CmdError =
    CmdError::text("ERR Background append only file rewriting already in progress");
const CANT_REWRITE: CmdError = CmdError::text(
    "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
);

/// BGREWRITEAOF: starts a rewrite now, or schedules it while another
/// child runs (or inside EXEC, where a fork would capture half of it).
fn bgrewriteaof(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    if ctx.engine.aof.rewrite.child.is_some() {
        return Err(IN_PROGRESS);
    }
    if ctx.engine.has_active_child() || ctx.client.in_exec {
        ctx.engine.aof.rewrite.scheduled = true;
        // Asked for by hand: the back-off after failures does not apply.
        ctx.engine.aof.rewrite.consecutive_failures = 0;
        ctx.reply
            .simple("Background append only file rewriting scheduled");
        return Ok(());
    }
    if ctx.engine.start_rewrite(ctx.now_ms) {
        ctx.reply
            .simple("Background append only file rewriting started");
        Ok(())
    } else {
        Err(CANT_REWRITE)
    }
}

/// Redis's temporary names for a rewrite child's base file: written as
/// the first, renamed to the second when complete.
fn temp_rewrite_names(pid: libc::pid_t) -> (String, String) {
    (
        format!("temp-rewriteaof-{pid}.aof"),
        format!("temp-rewriteaof-bg-{pid}.aof"),
    )
}

impl Engine {
    /// The AOF directory: `appenddirname` inside `dir`.
    pub fn aof_dir(&self) -> PathBuf {
        self.data_dir.join(&self.config.appenddirname)
    }

    pub fn fsync_policy(&self) -> FsyncPolicy {
        FsyncPolicy::from_config(self.config.appendfsync)
    }

    /// Whether a snapshot or rewrite child runs (one at a time, as Redis).
    pub fn has_active_child(&self) -> bool {
        self.rdb.child.is_some() || self.aof.rewrite.child.is_some()
    }

    /// Writes the AOF buffer out (Redis's flushAppendOnlyFile), from
    /// beforeSleep and the cron; `force` writes even while an fsync runs.
    pub fn flush_aof(&mut self, force: bool) {
        if self.aof.state == AofState::Off && !self.aof.has_file() {
            return;
        }
        if !self.aof.buf.is_empty() {
            self.prop.buffer_flushed();
        }
        let skip_fsync = self.config.no_appendfsync_on_rewrite && self.has_active_child();
        let policy = self.fsync_policy();
        self.aof
            .flush(force, crate::util::now_ms(), policy, skip_fsync);
    }

    /// Whether the AOF buffer holds data not yet written: replies must not
    /// leave before it is.
    pub fn aof_pending(&self) -> bool {
        !self.aof.buf.is_empty()
    }

    /// Replaces the manifest on disk (temporary file, fsync, rename,
    /// directory fsync).
    pub fn persist_manifest(&self, m: &Manifest) -> Result<(), String> {
        let name = manifest::manifest_name(&self.config.appendfilename);
        let temp = manifest::temp_manifest_name(&self.config.appendfilename);
        let text = m.to_text();
        write_atomically(&self.aof_dir(), &name, &temp, &mut |w| {
            w.write_all(text.as_bytes())
        })
        .map_err(|e| {
            let msg = format!(
                "Error trying to write the AOF manifest file {name}: {}",
                os_error_text(&e)
            );
            log::warn!("{msg}");
            msg
        })
    }

    /// Opens the incremental file a rewrite's writes go to: a new one in
    /// the manifest, or the temporary one while the AOF is being turned
    /// on (Redis's openNewIncrAofForAppend).
    fn open_new_incr_for_append(&mut self, now_ms: i64) -> bool {
        let filename = self.config.appendfilename.clone();
        let mut temp_manifest = None;
        let name = match self.aof.state {
            AofState::Off => return true,
            AofState::WaitRewrite => manifest::temp_incr_name(&filename),
            AofState::On => {
                let mut m = self.aof.manifest.clone();
                let name = m.new_incr(&filename);
                temp_manifest = Some(m);
                name
            }
        };
        let file = match open_append(&self.aof_dir().join(&name), true) {
            Ok(f) => f,
            Err(e) => {
                log::warn!(
                    "Can't open the append-only file {name}: {}",
                    os_error_text(&e)
                );
                return false;
            }
        };
        if let Some(m) = &temp_manifest
            && self.persist_manifest(m).is_err()
        {
            return false;
        }
        log::info!("Creating AOF incr file {name} on background rewrite");
        self.aof.switch_file(file, now_ms);
        if let Some(m) = temp_manifest {
            self.aof.manifest = m;
        }
        true
    }

    /// Forks a child writing a new base file (Redis's
    /// rewriteAppendOnlyFileBackground). True if it started.
    pub fn start_rewrite(&mut self, now_ms: i64) -> bool {
        if self.has_active_child() {
            return false;
        }
        let dir = self.aof_dir();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            log::warn!(
                "Can't open or create append-only dir {}: {}",
                self.config.appenddirname,
                os_error_text(&e)
            );
            self.aof.rewrite.last_ok = false;
            return false;
        }
        // The new incremental file starts with a SELECT.
        self.aof.selected_db = None;
        self.flush_aof(true);
        if !self.open_new_incr_for_append(now_ms) {
            self.aof.rewrite.last_ok = false;
            return false;
        }
        self.aof.rewrite.count += 1;
        let rdb_preamble = self.config.aof_use_rdb_preamble;
        let engine: &Engine = self;
        let forked = child::fork(ChildKind::Aof { rdb_preamble }, || {
            crate::logging::set_child();
            let pid = std::process::id() as libc::pid_t;
            let (temp, done) = temp_rewrite_names(pid);
            match write_base(engine, &engine.data_dir, &done, &temp, rdb_preamble) {
                Ok(()) => {
                    log::info!("Successfully created the temporary AOF base file {done}");
                    true
                }
                Err(e) => {
                    log::warn!("Write error writing append only file on disk: {e}");
                    false
                }
            }
        });
        match forked {
            Ok(forked) => {
                log::info!(
                    "Background append only file rewriting started by pid {}",
                    forked.pid
                );
                self.aof.rewrite.scheduled = false;
                self.aof.rewrite.child = Some(Child {
                    pid: forked.pid,
                    kind: ChildKind::Aof { rdb_preamble },
                    started_ms: now_ms,
                });
                self.child_forked(forked);
                self.sync_expired_logging();
                true
            }
            Err(e) => {
                self.aof.rewrite.last_ok = false;
                log::warn!("Can't rewrite append only file in background: fork: {e}");
                self.update_resize_policy();
                false
            }
        }
    }

    /// Stops a running rewrite child and removes its temporary files.
    pub fn kill_aof_child(&mut self) {
        if let Some(c) = self.aof.rewrite.child.take() {
            log::info!("Killing running AOF rewrite child: {}", c.pid);
            child::kill(c.pid);
            self.remove_rewrite_temp_files(c.pid);
            self.child_reaped(Exit::Signal(libc::SIGUSR1));
            self.sync_expired_logging();
        }
    }

    fn remove_rewrite_temp_files(&self, pid: libc::pid_t) {
        let (temp, done) = temp_rewrite_names(pid);
        let _ = std::fs::remove_file(self.data_dir.join(temp));
        let _ = std::fs::remove_file(self.data_dir.join(done));
    }

    /// A rewrite child exited (Redis's backgroundRewriteDoneHandler).
    pub fn rewrite_done(&mut self, c: Child, exit: Exit, now_ms: i64) {
        let rdb_preamble = matches!(c.kind, ChildKind::Aof { rdb_preamble: true });
        match exit {
            Exit::Code(0) => {
                log::info!("Background AOF rewrite terminated with success");
                if self.install_rewrite(c.pid, rdb_preamble) {
                    self.aof.rewrite.last_ok = true;
                    self.aof.rewrite.consecutive_failures = 0;
                    log::info!("Background AOF rewrite finished successfully");
                    if self.aof.state == AofState::WaitRewrite {
                        self.aof.state = AofState::On;
                    }
                } else {
                    self.aof.rewrite.last_ok = false;
                    self.aof.rewrite.consecutive_failures += 1;
                }
            }
            Exit::Code(_) => {
                self.aof.rewrite.last_ok = false;
                self.aof.rewrite.consecutive_failures += 1;
                log::warn!("Background AOF rewrite terminated with error");
            }
            Exit::Signal(sig) => {
                // SIGUSR1 is how a child is stopped on purpose.
                if sig != libc::SIGUSR1 {
                    self.aof.rewrite.last_ok = false;
                    self.aof.rewrite.consecutive_failures += 1;
                }
                log::warn!("Background AOF rewrite terminated by signal {sig}");
            }
        }
        self.remove_rewrite_temp_files(c.pid);
        if self.aof.state == AofState::WaitRewrite {
            // Turning the AOF on failed this time: what was gathered is
            // dropped and the next rewrite starts over.
            self.aof.buf = Vec::new();
            let temp = manifest::temp_incr_name(&self.config.appendfilename);
            log::info!("Removing the temp incr aof file {temp} in the background");
            let _ = std::fs::remove_file(self.aof_dir().join(temp));
            self.aof.rewrite.scheduled = true;
        }
        self.aof.rewrite.last_secs = (now_ms - c.started_ms) / 1000;
        self.sync_expired_logging();
    }

    /// Moves the child's base file into place and records it, with the
    /// incremental files it covers, in a new manifest. False on failure
    /// (the old manifest stays in force).
    fn install_rewrite(&mut self, pid: libc::pid_t, rdb_preamble: bool) -> bool {
        let (_, temp) = temp_rewrite_names(pid);
        let dir = self.aof_dir();
        let filename = self.config.appendfilename.clone();
        let mut m = self.aof.manifest.clone();
        let base = m.new_base(&filename, rdb_preamble);
        let base_path = dir.join(&base);
        if let Err(e) = std::fs::rename(self.data_dir.join(&temp), &base_path) {
            log::warn!(
                "Error trying to rename the temporary AOF base file {temp} into {}: {}",
                base_path.display(),
                os_error_text(&e)
            );
            return false;
        }
        log::info!("Successfully renamed the temporary AOF base file {temp} into {base}");
        let mut new_incr = None;
        if self.aof.state == AofState::WaitRewrite {
            let temp_incr = manifest::temp_incr_name(&filename);
            let incr = m.new_incr(&filename);
            if let Err(e) = std::fs::rename(dir.join(&temp_incr), dir.join(&incr)) {
                log::warn!(
                    "Error trying to rename the temporary AOF incr file {} into {}: {}",
                    dir.join(&temp_incr).display(),
                    dir.join(&incr).display(),
                    os_error_text(&e)
                );
                let _ = std::fs::remove_file(&base_path);
                return false;
            }
            log::info!("Successfully renamed the temporary AOF incr file {temp_incr} into {incr}");
            new_incr = Some(incr);
        }
        m.mark_rewritten_incr_as_history(self.aof.has_file());
        if self.persist_manifest(&m).is_err() {
            let _ = std::fs::remove_file(&base_path);
            if let Some(incr) = new_incr {
                let _ = std::fs::remove_file(dir.join(incr));
            }
            return false;
        }
        self.aof.manifest = m;
        if self.aof.state != AofState::Off {
            let base_len = std::fs::metadata(&base_path).map_or(0, |md| md.len());
            self.aof.current_size = base_len + self.aof.last_incr_size;
            self.aof.base_size = self.aof.current_size;
        }
        self.delete_history_files();
        true
    }

    /// Deletes the files a rewrite made history (unless
    /// aof-disable-auto-gc), off the event loop, and drops them from the
    /// manifest.
    pub fn delete_history_files(&mut self) {
        if self.config.aof_disable_auto_gc || self.aof.manifest.history.is_empty() {
            return;
        }
        let dir = self.aof_dir();
        let mut paths = Vec::new();
        for f in std::mem::take(&mut self.aof.manifest.history) {
            log::info!("Removing the history file {} in the background", f.name);
            paths.push(dir.join(f.name));
        }
        // Unlinking a large file can take a while: a thread does it, as
        // Redis's bio thread does.
        let spawned = std::thread::Builder::new()
            .name("aof-unlink".into())
            .spawn({
                let paths = paths.clone();
                move || {
                    for p in paths {
                        let _ = std::fs::remove_file(p);
                    }
                }
            });
        if spawned.is_err() {
            for p in paths {
                let _ = std::fs::remove_file(p);
            }
        }
        let m = self.aof.manifest.clone();
        let _ = self.persist_manifest(&m);
    }

    /// `appendonly yes` at run time: a rewrite makes the first base, and
    /// writes gather in a temporary incremental file meanwhile (Redis's
    /// startAppendOnly). False if the rewrite could not start.
    pub fn start_append_only(&mut self, in_exec: bool, now_ms: i64) -> bool {
        self.aof.state = AofState::WaitRewrite;
        if self.rdb.child.is_some() {
            self.aof.rewrite.scheduled = true;
            log::info!(
                "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible."
            );
        } else if in_exec {
            self.aof.rewrite.scheduled = true;
            log::info!(
                "AOF was enabled during a transaction. An AOF background was scheduled to start when possible."
            );
        } else {
            if self.aof.rewrite.child.is_some() {
                log::info!(
                    "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now."
                );
                self.kill_aof_child();
            }
            if !self.start_rewrite(now_ms) {
                self.aof.state = AofState::Off;
                log::warn!(
                    "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error."
                );
                return false;
            }
        }
        self.aof.last_fsync_ms = now_ms;
        if self.aof.fsync_error().is_some() {
            log::warn!("AOF reopen, just ignore the AOF fsync error in bio job");
            self.aof.clear_fsync_error();
        }
        if self.aof.last_write_error.take().is_some() {
            log::warn!("AOF reopen, just ignore the last error.");
        }
        true
    }

    /// `appendonly no` at run time (Redis's stopAppendOnly).
    pub fn stop_append_only(&mut self, now_ms: i64) {
        let policy = self.fsync_policy();
        self.aof.stop(now_ms, policy);
        self.kill_aof_child();
        self.sync_expired_logging();
    }

    /// The error writes get while the AOF cannot be written (Redis's
    /// writeCommandsDeniedByDiskError, AOF case).
    pub fn aof_write_denial(&self) -> Option<CmdError> {
        if self.aof.state == AofState::Off {
            return None;
        }
        let reason = self
            .aof
            .last_write_error
            .clone()
            .or_else(|| self.aof.fsync_error())?;
        Some(CmdError::msg(format!(
            "MISCONF Errors writing to the AOF file: {reason}"
        )))
    }

    /// The cron's AOF duties that come before collecting children: a
    /// rewrite scheduled while another child ran.
    pub fn aof_cron_start_scheduled(&mut self, now_ms: i64) {
        if !self.has_active_child()
            && self.aof.rewrite.scheduled
            && !self.aof.rewrite.limited(now_ms / 1000)
        {
            self.start_rewrite(now_ms);
        }
    }

    /// With no child running: a rewrite when the AOF grew by
    /// auto-aof-rewrite-percentage since the last one.
    pub fn aof_cron_auto_rewrite(&mut self, now_ms: i64) {
        let perc = self.config.auto_aof_rewrite_percentage;
        let min = u64::try_from(self.config.auto_aof_rewrite_min_size).unwrap_or(0);
        if self.aof.state != AofState::On
            || self.has_active_child()
            || perc == 0
            || self.aof.current_size <= min
        {
            return;
        }
        let base = self.aof.base_size.max(1);
        let growth = (self.aof.current_size.saturating_mul(100) / base) as i64 - 100;
        if growth >= perc && !self.aof.rewrite.limited(now_ms / 1000) {
            log::info!("Starting automatic rewriting of AOF on {growth}% growth");
            self.start_rewrite(now_ms);
        }
    }

    /// After collecting children: a flush postponed for a slow fsync, and
    /// (once a second) another try after a failed write.
    pub fn aof_cron_flush(&mut self, retry_failed_write: bool) {
        if self.aof.state == AofState::Off {
            return;
        }
        if self.aof.flush_postponed() || (retry_failed_write && self.aof.last_write_error.is_some())
        {
            self.flush_aof(false);
        }
    }
}

/// Writes the base file `done` in `dir` through `temp`: an RDB marked as
/// an AOF base, or commands (aof-use-rdb-preamble no).
fn write_base(
    engine: &Engine,
    dir: &std::path::Path,
    done: &str,
    temp: &str,
    rdb_preamble: bool,
) -> Result<(), String> {
    let now_ms = crate::util::now_ms();
    let timestamp = engine.config.aof_timestamp_enabled.then_some(now_ms / 1000);
    let result = if rdb_preamble {
        let mut opts = SaveOptions::from_config(
            &engine.config,
            crate::commands::stats::used_memory() as u64,
            now_ms,
        );
        opts.aof_base = true;
        write_atomically(dir, done, temp, &mut |w| {
            save(w, &engine.keyspace, &opts).map(|_| ())
        })
    } else {
        write_atomically(dir, done, temp, &mut |w| {
            rewrite::write_commands(
                w,
                &engine.keyspace,
                timestamp,
                engine.config.rdb_key_save_delay,
            )
        })
    };
    result.map_err(|e| os_error_text(&e))?;
    sync_dir(dir).map_err(|e| os_error_text(&e))
}

/// Writes a base file synchronously (start-up with an empty data set).
pub fn write_base_now(engine: &Engine, base: &str) -> Result<(), String> {
    let dir = engine.aof_dir();
    let temp = format!("temp-rewriteaof-{}.aof", std::process::id());
    write_base(
        engine,
        &dir,
        base,
        &temp,
        engine.config.aof_use_rdb_preamble,
    )
}
