//! SAVE, BGSAVE and the snapshot decisions the cron, SHUTDOWN and FLUSHALL
//! share: writing dump.rdb in the foreground, forking a child to write
//! it, collecting the child, save points, and refusing writes after a
//! failed background save (stop-writes-on-bgsave-error).

use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, Engine, is};
use crate::persistence::child::{self, Child, ChildKind, Exit};
use crate::persistence::file::write_atomically;
use crate::persistence::rdb::{LoadOptions, SaveOptions, load, save};
use bytes::Bytes;

pub static COMMANDS: &[Command] = &[
    Command::new("save", 1, save_command)
        .flags(flag::ADMIN | flag::NOSCRIPT | flag::NO_ASYNC_LOADING | flag::NO_MULTI)
        .acl(acl::ADMIN | acl::SLOW | acl::DANGEROUS)
        .doc(
            Group::Server,
            "1.0.0",
            "O(N) where N is the total number of keys in all databases",
            "Writes a snapshot of every database to disk, blocking until done.",
        ),
    Command::new("bgsave", -1, bgsave)
        .flags(flag::ADMIN | flag::NOSCRIPT | flag::NO_ASYNC_LOADING)
        .acl(acl::ADMIN | acl::SLOW | acl::DANGEROUS)
        .doc(
            Group::Server,
            "1.0.0",
            "O(1)",
            "Writes a snapshot of every database to disk from a background process.",
        )
        .history(&[("3.2.2", "Added the `SCHEDULE` option.")]),
];

/// The refusal of writes (and PING) while the last background save
/// failed and stop-writes-on-bgsave-error is on.
pub const MISCONF: CmdError = CmdError::text(
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
);

const IN_PROGRESS: CmdError = CmdError::text("ERR Background save already in progress");
const ANOTHER_CHILD: CmdError = CmdError::text(
    "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
);

/// Redis's shared.err: a failed save says no more than this.
const FAILED: CmdError = CmdError::text("ERR");

fn save_command(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    if ctx.engine.rdb.child.is_some() {
        return Err(IN_PROGRESS);
    }
    if ctx.engine.save_rdb() {
        ctx.reply.ok();
        Ok(())
    } else {
        Err(FAILED)
    }
}

/// BGSAVE [SCHEDULE]. Inside EXEC the save is scheduled for after it, as
/// Redis does (a fork mid-transaction would snapshot half of it).
fn bgsave(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    // SCHEDULE: while an AOF rewrite runs, save after it instead of
    // refusing.
    let schedule = match args {
        [_] => false,
        [_, a] if is(a, "schedule") => true,
        _ => return Err(CmdError::SYNTAX),
    };
    if ctx.engine.rdb.child.is_some() {
        return Err(IN_PROGRESS);
    }
    if ctx.engine.has_active_child() || ctx.client.in_exec {
        if !(schedule || ctx.client.in_exec) {
            return Err(ANOTHER_CHILD);
        }
        ctx.engine.rdb.scheduled = true;
        ctx.reply.simple("Background saving scheduled");
        return Ok(());
    }
    if ctx.engine.start_bgsave(ctx.now_ms) {
        ctx.reply.simple("Background saving started");
        Ok(())
    } else {
        Err(FAILED)
    }
}

impl Engine {
    /// SAVE: writes dump.rdb in the foreground. True on success.
    pub fn save_rdb(&mut self) -> bool {
        self.rdb.saves += 1;
        let now = crate::util::now_ms();
        match write_rdb(self, now) {
            Ok(()) => {
                log::info!("DB saved on disk");
                self.dirty = 0;
                self.lastsave = now / 1000;
                self.rdb.last_bgsave_ok = true;
                true
            }
            Err(e) => {
                log::warn!("{e}");
                false
            }
        }
    }

    /// Forks a child that writes dump.rdb (Redis's rdbSaveBackground).
    pub fn start_bgsave(&mut self, now_ms: i64) -> bool {
        self.rdb.saves += 1;
        self.rdb.dirty_at_fork = self.dirty;
        self.rdb.last_try_ms = now_ms;
        let engine: &Engine = self;
        let forked = child::fork(ChildKind::Rdb, || {
            crate::logging::set_child();
            match write_rdb(engine, crate::util::now_ms()) {
                Ok(()) => {
                    log::info!("DB saved on disk");
                    true
                }
                Err(e) => {
                    log::warn!("{e}");
                    false
                }
            }
        });
        match forked {
            Ok(forked) => {
                log::info!("Background saving started by pid {}", forked.pid);
                self.rdb.child = Some(Child {
                    pid: forked.pid,
                    kind: ChildKind::Rdb,
                    started_ms: now_ms,
                });
                self.child_forked(forked);
                true
            }
            Err(e) => {
                self.rdb.last_bgsave_ok = false;
                log::warn!("Can't save in background: fork: {e}");
                self.update_resize_policy();
                false
            }
        }
    }

    /// From the cron, in serverCron's order: a scheduled rewrite, then
    /// collecting a finished child or (with none running) save points and
    /// automatic rewrites, then AOF flushes that wait, then a scheduled
    /// BGSAVE. `second` is true once a second (retrying a failed write).
    pub fn persistence_cron(&mut self, now_ms: i64, second: bool) {
        self.aof_cron_start_scheduled(now_ms);
        if self.has_active_child() {
            if second {
                self.fork.receive();
            }
            if let Some(c) = self.rdb.child
                && let Some(exit) = child::reap(c.pid)
            {
                self.rdb.child = None;
                self.bgsave_done(c, exit, now_ms);
                self.child_reaped(exit);
            }
            if let Some(c) = self.aof.rewrite.child
                && let Some(exit) = child::reap(c.pid)
            {
                self.aof.rewrite.child = None;
                self.rewrite_done(c, exit, now_ms);
                self.child_reaped(exit);
            }
        } else {
            if let Some((seconds, changes)) =
                self.rdb
                    .due_save_point(&self.config.save, self.dirty, now_ms, self.lastsave)
            {
                log::info!("{changes} changes in {seconds} seconds. Saving...");
                self.start_bgsave(now_ms);
            }
            self.aof_cron_auto_rewrite(now_ms);
        }
        self.aof_cron_flush(second);
        let retry_ok = self.rdb.last_bgsave_ok
            || now_ms - self.rdb.last_try_ms > crate::persistence::BGSAVE_RETRY_DELAY_MS;
        if !self.has_active_child() && self.rdb.scheduled && retry_ok && self.start_bgsave(now_ms) {
            self.rdb.scheduled = false;
        }
    }

    /// Redis's backgroundSaveDoneHandlerDisk.
    fn bgsave_done(&mut self, c: Child, exit: Exit, now_ms: i64) {
        match exit {
            Exit::Code(0) => {
                log::info!("Background saving terminated with success");
                self.dirty = self.dirty.saturating_sub(self.rdb.dirty_at_fork);
                self.lastsave = now_ms / 1000;
                self.rdb.last_bgsave_ok = true;
            }
            Exit::Code(_) => {
                log::warn!("Background saving error");
                self.rdb.last_bgsave_ok = false;
            }
            Exit::Signal(sig) => {
                log::warn!("Background saving terminated by signal {sig}");
                let _ = std::fs::remove_file(self.data_dir.join(temp_name(c.pid)));
                // SIGUSR1 is how a child is stopped on purpose.
                if sig != libc::SIGUSR1 {
                    self.rdb.last_bgsave_ok = false;
                }
            }
        }
        self.rdb.last_bgsave_secs = (now_ms - c.started_ms) / 1000;
    }

    /// Stops a running snapshot child (SHUTDOWN, FLUSHALL, DEBUG RELOAD)
    /// and removes its temporary file.
    pub fn kill_rdb_child(&mut self) {
        if let Some(c) = self.rdb.child.take() {
            child::kill(c.pid);
            let _ = std::fs::remove_file(self.data_dir.join(temp_name(c.pid)));
            self.child_reaped(Exit::Signal(libc::SIGUSR1));
        }
    }

    /// The parent's bookkeeping right after a fork: fork statistics, the
    /// info pipe, and no more table resizing (Redis's redisFork).
    pub fn child_forked(&mut self, forked: child::Forked) {
        let keys: usize = self.keyspace.dbs.iter().map(|db| db.len()).sum();
        self.fork.forked(forked.info, keys as u64, forked.fork_usec);
        self.update_resize_policy();
    }

    /// After a child has been waited for: its last report if it succeeded,
    /// then the current figures reset and resizing allowed again (Redis's
    /// receiveChildInfo and resetChildState).
    pub fn child_reaped(&mut self, exit: Exit) {
        if exit.ok() {
            self.fork.receive();
        }
        self.fork.child_gone();
        self.update_resize_policy();
    }

    /// Redis's updateDictResizePolicy: hash tables keep their size while a
    /// child shares the parent's memory, so that rehashing does not copy
    /// every page of a table.
    pub fn update_resize_policy(&self) {
        crate::db::dict::set_resize_allowed(!self.has_active_child());
    }

    /// The MISCONF error writes get while the last background save
    /// failed or the AOF cannot be written (Redis's
    /// writeCommandsDeniedByDiskError).
    pub fn write_denial(&self) -> Option<CmdError> {
        if self.config.stop_writes_on_bgsave_error
            && !self.config.save.is_empty()
            && !self.rdb.last_bgsave_ok
        {
            return Some(MISCONF);
        }
        self.aof_write_denial()
    }
}

/// Redis's temporary snapshot name, by the pid of the process writing it.
fn temp_name(pid: libc::pid_t) -> String {
    format!("temp-{pid}.rdb")
}

/// Writes the keyspace to `dbfilename` in the data directory (the
/// working directory, where the `dir` directive chdirs as in Redis),
/// through a temporary file.
fn write_rdb(engine: &Engine, now_ms: i64) -> Result<(), String> {
    let name = &engine.config.dbfilename;
    let temp = temp_name(std::process::id() as libc::pid_t);
    let opts = SaveOptions::from_config(
        &engine.config,
        crate::commands::stats::used_memory() as u64,
        now_ms,
    );
    let dir = &engine.data_dir;
    let shown = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
    let cwd = shown.display();
    write_atomically(dir, name, &temp, &mut |w| {
        save(w, &engine.keyspace, &opts).map(|_| ())
    })
    .map_err(|e| format!("Failed saving the DB {name} (in server root dir {cwd}): {e}"))
}

/// How a load at start-up or by DEBUG RELOAD went.
pub enum Loaded {
    /// No dump file: an empty data set, as Redis starts.
    NoFile,
    Keys {
        loaded: u64,
        expired: u64,
    },
}

impl Engine {
    /// Redis's prepareForShutdown for RDB: stops a snapshot child, then
    /// saves when asked to or when save points are set (unless NOSAVE).
    /// False when that save failed and FORCE was not given.
    pub fn prepare_shutdown(&mut self, save: bool, nosave: bool, force: bool) -> bool {
        log::warn!("User requested shutdown...");
        if self.rdb.child.is_some() {
            log::warn!("There is a child saving an .rdb. Killing it!");
            self.kill_rdb_child();
        }
        if self.aof.state != crate::persistence::aof::AofState::Off {
            // The AOF we have holds the whole data set already; a rewrite
            // in progress is not needed, unless it is the first one.
            if self.aof.rewrite.child.is_some() {
                if self.aof.state == crate::persistence::aof::AofState::WaitRewrite {
                    if !force {
                        log::warn!("Writing initial AOF, can't exit.");
                        log::warn!(
                            "Errors trying to shut down the server. Check the logs for more information."
                        );
                        return false;
                    }
                    log::warn!("Writing initial AOF. Exit anyway.");
                }
                log::warn!("There is a child rewriting the AOF. Killing it!");
                self.kill_aof_child();
            }
            log::info!("Calling fsync() on the AOF file.");
            self.flush_aof(true);
            self.aof.fsync_now();
        }
        if (save || !self.config.save.is_empty()) && !nosave {
            log::info!("Saving the final RDB snapshot before exiting.");
            if !self.save_rdb() {
                if !force {
                    log::warn!("Error trying to save the DB, can't exit.");
                    log::warn!(
                        "Errors trying to shut down the server. Check the logs for more information."
                    );
                    return false;
                }
                log::warn!("Error trying to save the DB. Exit anyway.");
            }
        }
        true
    }

    /// Reads dump.rdb from the working directory into the (empty)
    /// keyspace. An error names the file and the byte offset.
    pub fn load_rdb(&mut self) -> Result<Loaded, String> {
        self.load_rdb_with(false)
    }

    /// `load_rdb`, with keys already present replaced by the file's when
    /// `replace_present` (DEBUG RELOAD MERGE), a failure otherwise.
    pub fn load_rdb_with(&mut self, replace_present: bool) -> Result<Loaded, String> {
        let name = self.config.dbfilename.clone();
        let data = match std::fs::read(self.data_dir.join(&name)) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::NoFile),
            Err(e) => return Err(format!("Fatal error loading the DB {name}: {e}")),
        };
        let mut opts = LoadOptions::from_config(&self.config, crate::util::now_ms());
        opts.replace_present = replace_present;
        let report = load(&data, &mut self.keyspace, &opts).map_err(|e| {
            format!(
                "Failed loading the DB {name}: {} at offset {}",
                e.reason, e.offset
            )
        })?;
        self.rdb.keys_loaded = report.keys_loaded;
        self.rdb.keys_expired = report.keys_expired;
        Ok(Loaded::Keys {
            loaded: report.keys_loaded,
            expired: report.keys_expired,
        })
    }
}
