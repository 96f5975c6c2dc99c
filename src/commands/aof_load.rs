//! Start-up with an append-only file: the manifest is read, a pre-7
//! single `appendonly.aof` is moved into the AOF directory as its base
//! (Redis's upgrade), then the base and the incremental files are
//! replayed in manifest order, each command run as a client would run it.
//! A file that ends inside a command is cut back to the last complete one
//! when it is the last file and aof-load-truncated allows it; any other
//! damage stops start-up, naming the file and the offset.

use super::{ClientState, Engine, NoClients};
use crate::persistence::aof::manifest::{self, AofFile, Manifest};
use crate::persistence::aof::read::{CommandReader, ReadError};
use crate::persistence::aof::{AofState, open_append, os_error_text};
use crate::persistence::rdb::{LoadOptions, load};
use crate::protocol::ReplyBuffer;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::time::Instant;

/// How loading one file or the whole AOF went (Redis's AOF_* codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AofLoad {
    Ok,
    /// No AOF at all: the data set starts empty.
    NotExist,
    Empty,
    /// Loaded after cutting an incomplete last command.
    Truncated,
    OpenErr,
    Failed,
}

impl AofLoad {
    pub fn failed(self) -> bool {
        matches!(self, AofLoad::OpenErr | AofLoad::Failed)
    }
}

/// Statistics replaying commands must not change: Redis runs them without
/// call(), so they count in no command statistics.
struct SavedStats {
    commands: u64,
    errors: u64,
    codes: std::collections::BTreeMap<String, u64>,
    cmd_stats: Vec<super::stats::CmdStat>,
}

impl Engine {
    /// Reads the manifest, if the AOF directory has one (whether or not
    /// the AOF is on, as Redis does). Err: the lines to log before exiting.
    pub fn load_manifest_from_disk(&mut self) -> Result<(), Vec<String>> {
        let name = manifest::manifest_name(&self.config.appendfilename);
        let path = self.aof_dir().join(&name);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(vec![format!(
                    "Fatal error: can't open the AOF manifest file {} for reading: {}",
                    path.display(),
                    os_error_text(&e)
                )]);
            }
        };
        self.aof.manifest = Manifest::parse(&text).map_err(|e| e.log_lines())?;
        Ok(())
    }

    /// Creates the append-only directory; Err is Redis's fatal message.
    fn create_aof_dir(&self, dir: &std::path::Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "Can't open or create append-only dir {}: {}",
                self.config.appenddirname,
                os_error_text(&e)
            )
        })
    }

    /// A single `appendonly.aof` in `dir` from before Redis 7 becomes the
    /// base of a new manifest (Redis's aofUpgradePrepare). Err: fatal.
    fn upgrade_old_aof(&mut self) -> Result<(), String> {
        let filename = self.config.appendfilename.clone();
        let old = self.data_dir.join(&filename);
        if !old.is_file() {
            return Ok(());
        }
        let dir = self.aof_dir();
        let m = &self.aof.manifest;
        let upgrade = !dir.is_dir()
            || (m.base.is_none() && m.incr.is_empty())
            || (m.incr.is_empty()
                && m.base.as_ref().is_some_and(|b| b.name == filename)
                && !dir.join(&filename).exists());
        if !upgrade {
            return Ok(());
        }
        self.create_aof_dir(&dir)?;
        let mut m = Manifest {
            base: Some(AofFile {
                name: filename.clone(),
                seq: 1,
                kind: manifest::FileType::Base,
            }),
            base_seq: 1,
            ..self.aof.manifest.clone()
        };
        m.history.clear();
        self.persist_manifest(&m)?;
        self.aof.manifest = m;
        std::fs::rename(&old, dir.join(&filename)).map_err(|e| {
            format!(
                "Error trying to move the old AOF file {filename} into dir {}: {}",
                self.config.appenddirname,
                os_error_text(&e)
            )
        })?;
        log::info!(
            "Successfully migrated an old-style AOF file ({filename}) into the AOF directory ({}).",
            self.config.appenddirname
        );
        Ok(())
    }

    /// Replays the AOF's files into the (empty) keyspace (Redis's
    /// loadAppendOnlyFiles). Failures are logged; the caller exits.
    pub fn load_append_only_files(&mut self) -> AofLoad {
        if let Err(e) = self.upgrade_old_aof() {
            log::warn!("{e}");
            return AofLoad::Failed;
        }
        let files: Vec<AofFile> = self.aof.manifest.live_files().cloned().collect();
        if files.is_empty() {
            return AofLoad::NotExist;
        }
        let dir = self.aof_dir();
        let mut total = 0u64;
        for f in &files {
            match std::fs::metadata(dir.join(&f.name)) {
                Ok(md) => total += md.len(),
                Err(e) => {
                    log::warn!(
                        "Unable to obtain the AOF file {} length. stat: {}",
                        f.name,
                        os_error_text(&e)
                    );
                    return AofLoad::Failed;
                }
            }
        }
        if total == 0 {
            return AofLoad::Empty;
        }
        let saved = self.begin_loading();
        let mut result = AofLoad::Ok;
        let mut base_size = 0;
        for (i, f) in files.iter().enumerate() {
            let last = i + 1 == files.len();
            let is_base = f.kind == manifest::FileType::Base;
            if is_base {
                base_size = std::fs::metadata(dir.join(&f.name)).map_or(0, |m| m.len());
            }
            let start = Instant::now();
            let mut ret = self.load_single_file(&f.name);
            if ret == AofLoad::Ok || (ret == AofLoad::Truncated && last) {
                log::info!(
                    "DB loaded from {} file {}: {:.3} seconds",
                    if is_base { "base" } else { "incr" },
                    f.name,
                    start.elapsed().as_secs_f64()
                );
            }
            // An empty incremental file is fine once something had data.
            if ret == AofLoad::Empty {
                ret = AofLoad::Ok;
            }
            if ret == AofLoad::Truncated && !last {
                log::warn!("Fatal error: the truncated file is not the last file");
                ret = AofLoad::Failed;
            }
            if ret.failed() {
                result = ret;
                break;
            }
            if ret == AofLoad::Truncated {
                result = ret;
            }
        }
        self.end_loading(saved);
        if !result.failed() {
            self.aof.current_size = total;
            self.aof.base_size = base_size;
        }
        result
    }

    /// Enters loading: no expiry, no propagation, statistics put aside.
    fn begin_loading(&mut self) -> SavedStats {
        self.loading = true;
        for db in &mut self.keyspace.dbs {
            db.pause_expiry(true);
        }
        SavedStats {
            commands: self.stats.total_commands_processed,
            errors: self.stats.total_error_replies,
            codes: self.stats.error_codes.clone(),
            cmd_stats: self.cmd_stats.clone(),
        }
    }

    fn end_loading(&mut self, saved: SavedStats) {
        self.loading = false;
        for db in &mut self.keyspace.dbs {
            db.pause_expiry(false);
        }
        self.stats.total_commands_processed = saved.commands;
        self.stats.total_error_replies = saved.errors;
        self.stats.error_codes = saved.codes;
        self.cmd_stats = saved.cmd_stats;
        for h in &mut self.cmd_latency {
            *h = None;
        }
    }

    /// Replays one file of the AOF (Redis's loadSingleAppendOnlyFile).
    fn load_single_file(&mut self, name: &str) -> AofLoad {
        let path = self.aof_dir().join(name);
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                log::warn!(
                    "The append log file {name} doesn't exist: {}",
                    os_error_text(&e)
                );
                return AofLoad::NotExist;
            }
            Err(e) => {
                log::warn!(
                    "Fatal error: can't open the append log file {name} for reading: {}",
                    os_error_text(&e)
                );
                return AofLoad::OpenErr;
            }
        };
        if file.metadata().is_ok_and(|m| m.len() == 0) {
            return AofLoad::Empty;
        }
        // The AOF is off while its own commands run, so EXEC and the rest
        // log nothing into it.
        let state = std::mem::replace(&mut self.aof.state, AofState::Off);
        let result = self.replay(&mut file, name);
        self.aof.state = state;
        result
    }

    fn replay(&mut self, file: &mut std::fs::File, name: &str) -> AofLoad {
        let mut sig = [0u8; 5];
        let is_rdb = file.read_exact(&mut sig).is_ok() && &sig == b"REDIS";
        let mut offset = 0u64;
        if is_rdb {
            let old_style = name == self.config.appendfilename;
            if old_style {
                log::info!("Reading RDB preamble from AOF file...");
            } else {
                log::info!("Reading RDB base file on AOF loading...");
            }
            match self.load_rdb_part(file) {
                Ok(n) => offset = n,
                Err(e) => {
                    log::warn!("{e}");
                    if old_style {
                        log::warn!(
                            "Error reading the RDB preamble of the AOF file {name}, AOF loading aborted"
                        );
                    } else {
                        log::warn!("Error reading the RDB base file {name}, AOF loading aborted");
                    }
                    return AofLoad::Failed;
                }
            }
            if old_style {
                log::info!("Reading the remaining AOF tail...");
            }
        }
        if file.seek(SeekFrom::Start(offset)).is_err() {
            log::warn!("Unrecoverable error reading the append only file {name}");
            return AofLoad::Failed;
        }
        let mut reader = CommandReader::new(BufReader::with_capacity(64 * 1024, &*file), offset);
        let mut client = ClientState::new(0, String::new(), String::new(), 0);
        client.authenticated = true;
        client.deny_blocking = true;
        client.reply_off = true;
        let mut reply = ReplyBuffer::new();
        let (mut valid_up_to, mut valid_before_multi) = (offset, offset);
        let truncated = loop {
            let at = reader.offset();
            let args = match reader.next_command() {
                Ok(Some(args)) => args,
                Ok(None) => {
                    if client.in_multi {
                        log::warn!("Revert incomplete MULTI/EXEC transaction in AOF file {name}");
                        valid_up_to = valid_before_multi;
                        break true;
                    }
                    return AofLoad::Ok;
                }
                Err(ReadError::Truncated) => break true,
                Err(ReadError::Format { offset }) => {
                    log::warn!(
                        "Bad file format reading the append only file {name} at offset {offset}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
                    );
                    return AofLoad::Failed;
                }
                Err(ReadError::Io(e)) => {
                    log::warn!(
                        "Unrecoverable error reading the append only file {name}: {}",
                        os_error_text(&e)
                    );
                    return AofLoad::Failed;
                }
            };
            let found = self.commands.lookup_id(&args).ok();
            let Some(entry) = found.and_then(|id| self.commands.entry(id)) else {
                log::warn!(
                    "Unknown command '{}' reading the append only file {name} at offset {at}",
                    String::from_utf8_lossy(super::c_str_prefix(&args[0], usize::MAX))
                );
                return AofLoad::Failed;
            };
            if entry.full_name == "multi" {
                valid_before_multi = valid_up_to;
            }
            self.execute(&mut client, &mut reply, &mut NoClients, &args);
            reply.clear();
            valid_up_to = reader.offset();
        };
        if !truncated {
            return AofLoad::Ok;
        }
        self.handle_truncated(name, valid_up_to)
    }

    /// Reads the RDB at the start of `file`; returns where it ended.
    fn load_rdb_part(&mut self, file: &mut std::fs::File) -> Result<u64, String> {
        let mut data = Vec::new();
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_end(&mut data))
            .map_err(|e| os_error_text(&e))?;
        let mut opts = LoadOptions::from_config(&self.config, crate::util::now_ms());
        // The incremental files were written against these very keys,
        // expired or not (Redis loads an AOF preamble the same way).
        opts.skip_expired = false;
        let report = load(&data, &mut self.keyspace, &opts)
            .map_err(|e| format!("{} at offset {}", e.reason, e.offset))?;
        let aux = |k: &str| {
            report
                .aux
                .iter()
                .find(|(key, _)| key == k.as_bytes())
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        };
        if let Some(v) = aux("redis-ver") {
            log::info!("Loading RDB produced by version {v}");
        }
        if let Some(ctime) = aux("ctime").and_then(|c| c.parse::<i64>().ok()) {
            let age = (crate::util::now_ms() / 1000 - ctime).max(0);
            log::info!("RDB age {age} seconds");
        }
        if let Some(mem) = aux("used-mem").and_then(|m| m.parse::<u64>().ok()) {
            log::info!(
                "RDB memory usage when created {:.2} Mb",
                mem as f64 / (1024.0 * 1024.0)
            );
        }
        if aux("aof-base").as_deref() == Some("1") {
            log::info!("RDB is base AOF");
        }
        log::info!(
            "Done loading RDB, keys loaded: {}, keys expired: {}.",
            report.keys_loaded,
            report.keys_expired
        );
        self.rdb.keys_loaded = report.keys_loaded;
        self.rdb.keys_expired = report.keys_expired;
        Ok(report.bytes_read as u64)
    }

    /// A file that ends inside a command: cut it back to the last complete
    /// one if aof-load-truncated allows, else fail.
    fn handle_truncated(&mut self, name: &str, valid_up_to: u64) -> AofLoad {
        if self.config.aof_load_truncated {
            log::warn!("!!! Warning: short read while loading the AOF file {name}!!!");
            log::warn!("!!! Truncating the AOF {name} at offset {valid_up_to} !!!");
            let cut = std::fs::OpenOptions::new()
                .write(true)
                .open(self.aof_dir().join(name))
                .and_then(|f| f.set_len(valid_up_to));
            match cut {
                Ok(()) => {
                    log::warn!("AOF {name} loaded anyway because aof-load-truncated is enabled");
                    return AofLoad::Truncated;
                }
                Err(e) => log::warn!(
                    "Error truncating the AOF file {name}: {}",
                    os_error_text(&e)
                ),
            }
        }
        log::warn!(
            "Unexpected end of file reading the append only file {name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."
        );
        AofLoad::Failed
    }

    /// After loading, with the AOF on: makes the directory, a base file
    /// if there is none yet (an empty data set), opens the last
    /// incremental file for appending or creates one, and saves the
    /// manifest (Redis's aofOpenIfNeededOnServerStart). Err: fatal.
    pub fn open_aof_on_start(&mut self) -> Result<(), String> {
        if self.aof.state != AofState::On {
            return Ok(());
        }
        let dir = self.aof_dir();
        self.create_aof_dir(&dir)?;
        let before = self.aof.manifest.clone();
        let filename = self.config.appendfilename.clone();
        let had_incr = !self.aof.manifest.incr.is_empty();
        if self.aof.manifest.base.is_none() && !had_incr {
            let base = self
                .aof
                .manifest
                .new_base(&filename, self.config.aof_use_rdb_preamble);
            super::aof::write_base_now(self, &base)?;
            log::info!("Creating AOF base file {base} on server start");
        }
        let name = self.aof.manifest.last_incr_or_new(&filename);
        let file = open_append(&dir.join(&name), false).map_err(|e| {
            format!(
                "Can't open the append-only file {name}: {}",
                os_error_text(&e)
            )
        })?;
        let size = file.metadata().map_or(0, |m| m.len());
        let manifest_missing = !dir.join(manifest::manifest_name(&filename)).exists();
        if self.aof.manifest != before || manifest_missing {
            let m = self.aof.manifest.clone();
            self.persist_manifest(&m)?;
        }
        let now = crate::util::now_ms();
        self.aof.switch_file(file, now);
        self.aof.opened_with_size(size);
        self.aof.last_fsync_ms = now;
        if had_incr {
            log::info!("Opening AOF incr file {name} on server start");
        } else {
            log::info!("Creating AOF incr file {name} on server start");
        }
        self.sync_expired_logging();
        Ok(())
    }
}
