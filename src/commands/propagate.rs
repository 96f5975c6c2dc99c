//! Propagation: what a command writes to the AOF, decided in one place.
//!
//! Redis's rule is that a command that changed the data set (the dirty
//! counter moved) is logged as it was called, once it has run. A few
//! commands log something else instead, so that replaying the log gives
//! the same data set later, whatever the clock and the random numbers say
//! then: relative expire times become absolute (PEXPIREAT, SET ... PXAT),
//! a blocking pop becomes the plain pop it did, SPOP names the members it
//! removed, INCRBYFLOAT stores its result. A handler asks for that with
//! [`Ctx::propagate_as`] (Redis's rewriteClientCommandVector), or logs
//! several commands of its own with [`Ctx::also_propagate`] and
//! [`Ctx::prevent_propagation`]; everything else is logged by
//! [`Engine::after_command`] without the handler's involvement.
//!
//! Everything one client's request causes is one *execution unit*: the
//! command (or EXEC's whole queue), the keys its lookups found expired
//! (each logged as a DEL before the command), and the extra commands it
//! logged. A unit of more than one command is wrapped in MULTI/EXEC, as
//! Redis 7.0's propagatePendingCommands does, so a replay never sees half
//! of it. A blocked client served later, and keys the cron expires, are
//! units of their own.
//!
//! Commands are encoded straight into the AOF buffer; a SELECT goes
//! before a command whose database differs from the last one logged.
//! With the AOF off, all of this is one branch per command.

use super::{Ctx, Engine};
use crate::persistence::aof::{encode_command, encode_select};
use bytes::Bytes;

/// What the running command asked for.
#[derive(Default)]
pub struct CommandProp {
    /// Log these arguments instead of the command's own.
    replace: Option<Vec<Bytes>>,
    /// Log nothing for the command itself.
    prevent: bool,
    /// Log the command even though nothing changed (FLUSHALL on an empty
    /// data set).
    force: bool,
}

/// The execution unit in progress.
#[derive(Default)]
pub struct Propagation {
    /// Nesting of `execute` (EXEC runs its queue through it): the unit
    /// ends when the outermost call returns.
    depth: u32,
    /// Commands logged in this unit so far.
    ops: usize,
    /// Where the unit's first command starts in the AOF buffer: a MULTI
    /// goes there once a second command joins (None: already flushed).
    first_op_at: Option<usize>,
    /// A MULTI was written: the unit ends with EXEC.
    wrapped: bool,
    cmd: CommandProp,
    /// Whether the databases log expired keys (kept equal to "the AOF is
    /// being fed").
    logging_expired: bool,
}

const MULTI: &[&[u8]] = &[b"MULTI"];
const EXEC: &[&[u8]] = &[b"EXEC"];

impl Propagation {
    /// The buffer was written out in the middle of a unit (a rewrite
    /// started inside it): a MULTI can no longer go before its first
    /// command.
    pub fn buffer_flushed(&mut self) {
        self.first_op_at = None;
    }
}

impl Ctx<'_> {
    /// Whether what this command propagates is used at all (the AOF is
    /// on): handlers build rewritten arguments only then.
    pub fn propagating(&self) -> bool {
        self.engine.aof.feeding()
    }

    /// Logs `args` instead of the command's own arguments, if it changed
    /// the data set (Redis's rewriteClientCommandVector).
    pub fn propagate_as(&mut self, args: Vec<Bytes>) {
        if self.propagating() {
            self.engine.prop.cmd.replace = Some(args);
        }
    }

    /// Logs `args` now, in the client's database, before whatever the
    /// command itself logs (Redis's alsoPropagate).
    pub fn also_propagate<A: AsRef<[u8]>>(&mut self, args: &[A]) {
        if self.propagating() {
            let db = self.client.db;
            self.engine.propagate_expired();
            self.engine.feed_op(db, args);
        }
    }

    /// Logs nothing for the command itself (what it changed was logged
    /// with [`also_propagate`](Self::also_propagate)).
    pub fn prevent_propagation(&mut self) {
        self.engine.prop.cmd.prevent = true;
    }

    /// Logs the command even if the dirty counter did not move.
    pub fn force_propagation(&mut self) {
        self.engine.prop.cmd.force = true;
    }
}

impl Engine {
    /// Called as `execute` starts.
    pub(super) fn unit_enter(&mut self) {
        self.prop.depth += 1;
    }

    /// Called as `execute` returns: the outermost call ends the unit.
    pub(super) fn unit_leave(&mut self) {
        self.prop.depth = self.prop.depth.saturating_sub(1);
        if self.prop.depth == 0 {
            self.propagate_expired();
            self.end_unit();
            self.sync_expired_logging();
        }
    }

    /// Logs the command that just ran, as Redis's call() does after the
    /// handler: its replacement or its own arguments, if it changed the
    /// data set and did not block.
    pub(super) fn after_command(
        &mut self,
        db: usize,
        args: &[Bytes],
        dirty_before: u64,
        not_itself: bool,
    ) {
        let cmd = std::mem::take(&mut self.prop.cmd);
        if !self.aof.feeding() {
            return;
        }
        // Keys its lookups expired come first, as Redis logs them when
        // they are deleted.
        self.propagate_expired();
        if cmd.prevent || not_itself || !(cmd.force || self.dirty > dirty_before) {
            return;
        }
        match cmd.replace {
            Some(v) => self.feed_op(db, &v),
            None => self.feed_op(db, args),
        }
    }

    /// Logs a DEL (UNLINK with lazyfree-lazy-expire) for every key an
    /// expiry deleted since the last look.
    pub fn propagate_expired(&mut self) {
        if !self.prop.logging_expired {
            return;
        }
        for db in 0..self.keyspace.dbs.len() {
            if !self.keyspace.dbs[db].has_expired() {
                continue;
            }
            let lazy = self.config.lazyfree_lazy_expire;
            let name: &[u8] = if lazy { b"UNLINK" } else { b"DEL" };
            for key in self.keyspace.dbs[db].take_expired() {
                self.feed_op(db, &[name, &key[..]]);
            }
        }
    }

    /// Keeps the databases' expired-key logs on exactly while the AOF is
    /// fed, so they cannot pile up unread.
    pub fn sync_expired_logging(&mut self) {
        let on = self.aof.feeding();
        if on != self.prop.logging_expired {
            self.prop.logging_expired = on;
            for db in &mut self.keyspace.dbs {
                db.log_expired(on);
            }
        }
    }

    /// Appends one command to the AOF buffer, as part of the unit in
    /// progress (outside any unit, as a unit of its own).
    pub fn feed_op<A: AsRef<[u8]>>(&mut self, db: usize, args: &[A]) {
        if !self.aof.feeding() {
            return;
        }
        if self.prop.depth > 0 && self.prop.ops == 1 {
            // A second command: the unit becomes a transaction.
            if let Some(at) = self.prop.first_op_at.filter(|&at| at <= self.aof.buf.len()) {
                let mut multi = Vec::with_capacity(16);
                encode_command(&mut multi, MULTI);
                self.aof.buf.splice(at..at, multi);
                self.prop.wrapped = true;
            }
        }
        self.feed_prefix(db);
        if self.prop.depth > 0 {
            if self.prop.ops == 0 {
                self.prop.first_op_at = Some(self.aof.buf.len());
            }
            self.prop.ops += 1;
        }
        encode_command(&mut self.aof.buf, args);
    }

    /// What goes before a command: a `#TS:` annotation when the second
    /// changed (aof-timestamp-enabled) and a SELECT when the database did.
    fn feed_prefix(&mut self, db: usize) {
        self.feed_timestamp();
        if self.aof.selected_db != Some(db) {
            encode_select(&mut self.aof.buf, db);
            self.aof.selected_db = Some(db);
        }
    }

    /// `#TS:<unix seconds>` before the first record of each second, with
    /// aof-timestamp-enabled (Redis's genAofTimestampAnnotationIfNeeded).
    fn feed_timestamp(&mut self) {
        if !self.config.aof_timestamp_enabled {
            return;
        }
        let now_s = crate::util::now_ms() / 1000;
        if now_s > self.aof.last_timestamp_s {
            self.aof.last_timestamp_s = now_s;
            self.aof
                .buf
                .extend_from_slice(format!("#TS:{now_s}\r\n").as_bytes());
        }
    }

    /// Closes the unit: EXEC after a MULTI.
    fn end_unit(&mut self) {
        if self.prop.wrapped && self.aof.feeding() {
            self.feed_timestamp();
            encode_command(&mut self.aof.buf, EXEC);
        }
        self.prop.ops = 0;
        self.prop.first_op_at = None;
        self.prop.wrapped = false;
    }
}

#[cfg(test)]
mod tests;
