//! The command engine: takes a client's arguments, runs the command
//! against the keyspace and writes the reply. It knows nothing about
//! sockets; the event loop hands it a [`ClientState`], a [`ReplyBuffer`]
//! and a view of the other clients ([`Clients`]), which is also how tests
//! can drive it without a network.

pub mod aof;
pub mod aof_load;
mod bits;
pub mod blocking;
pub mod client;
mod client_list;
mod cmd_client;
mod cmd_command;
mod cmd_config;
mod command_docs;
mod connection;
mod debug;
mod dump;
pub mod evict;
pub mod expire;
mod hashes;
mod info;
mod key_specs;
pub mod keyevents;
mod keys;
pub mod latency;
mod lists;
mod memory;
mod object;
mod obuf;
pub mod persist;
pub mod propagate;
pub mod pubsub;
mod scan;
mod server;
mod sets;
mod sort;
pub mod stats;
mod streams;
mod strings;
pub mod table;
#[cfg(test)]
pub(crate) mod testkit;
mod tx;
pub mod watch;
mod zsets;

pub use client::{ClientState, Clients, ConnInfo, NoClients};
pub use object::access_policy;

use crate::config::Config;
use crate::db::{Db, Keyspace};
use crate::protocol::ReplyBuffer;
use bytes::Bytes;
use stats::CmdStat;
use std::borrow::Cow;
use table::{CommandTable, LookupError, flag};

/// A command's failure: the exact error reply Redis gives (code included).
/// Bytes rather than text, because Redis quotes arguments into some
/// messages as they are, binary or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdError(pub Cow<'static, [u8]>);

impl CmdError {
    pub const WRONG_TYPE: CmdError =
        CmdError::text("WRONGTYPE Operation against a key holding the wrong kind of value");
    pub const NOT_INTEGER: CmdError = CmdError::text("ERR value is not an integer or out of range");
    pub const NOT_FLOAT: CmdError = CmdError::text("ERR value is not a valid float");
    pub const SYNTAX: CmdError = CmdError::text("ERR syntax error");
    pub const OVERFLOW: CmdError = CmdError::text("ERR increment or decrement would overflow");
    pub const NO_SUCH_KEY: CmdError = CmdError::text("ERR no such key");
    pub const DB_INDEX: CmdError = CmdError::text("ERR DB index is out of range");
    pub const OUT_OF_RANGE: CmdError = CmdError::text("ERR index out of range");
    pub const NO_AUTH: CmdError = CmdError::text("NOAUTH Authentication required.");

    pub const fn text(s: &'static str) -> CmdError {
        CmdError(Cow::Borrowed(s.as_bytes()))
    }

    pub fn msg(s: String) -> CmdError {
        CmdError(Cow::Owned(s.into_bytes()))
    }

    /// `before` + an argument as `%s` prints it (up to a NUL) + `after`:
    /// the shape of every Redis error that quotes what the client sent.
    /// Like Redis's addReplyErrorFormat, CR and LF at either end of the
    /// message are trimmed away (inside it they become spaces later).
    pub fn quoting(before: &str, arg: &[u8], after: &str) -> CmdError {
        let arg = c_str_prefix(arg, usize::MAX);
        let msg = [before.as_bytes(), arg, after.as_bytes()].concat();
        let is_newline = |b: &u8| *b == b'\r' || *b == b'\n';
        let start = msg.iter().position(|b| !is_newline(b)).unwrap_or(msg.len());
        let end = msg
            .iter()
            .rposition(|b| !is_newline(b))
            .map_or(start, |i| i + 1);
        CmdError(Cow::Owned(msg[start..end].to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// `ERR wrong number of arguments for 'name' command`.
    pub fn arity(full_name: &str) -> CmdError {
        CmdError::msg(format!(
            "ERR wrong number of arguments for '{full_name}' command"
        ))
    }

    /// `ERR unknown subcommand 'x'. Try NAME HELP.`
    pub fn unknown_subcommand(sub: &[u8], container: &[u8]) -> CmdError {
        let container = c_str_prefix(container, usize::MAX).to_ascii_uppercase();
        CmdError(Cow::Owned(
            [
                b"ERR unknown subcommand '",
                c_str_prefix(sub, 128),
                b"'. Try ",
                &container,
                b" HELP.",
            ]
            .concat(),
        ))
    }
}

/// What `%.Ns` prints of an argument: up to `max` bytes, stopping at a NUL.
pub fn c_str_prefix(b: &[u8], max: usize) -> &[u8] {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len()).min(max);
    &b[..end]
}

pub type CmdResult = Result<(), CmdError>;

/// How SHUTDOWN asked the server to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shutdown {
    Default,
    Save,
    NoSave,
}

/// Server-wide counters reported by INFO.
#[derive(Default)]
pub struct Stats {
    pub total_connections_received: u64,
    pub total_commands_processed: u64,
    pub rejected_connections: u64,
    pub total_net_input_bytes: u64,
    pub total_net_output_bytes: u64,
    pub total_error_replies: u64,
    pub expired_keys_active: u64,
    /// Recent (time ms, commands processed) samples for instantaneous ops/sec.
    pub ops_samples: std::collections::VecDeque<(i64, u64)>,
    /// Recent (time ms, net input bytes, net output bytes) samples for
    /// the instantaneous kbps figures.
    pub net_samples: std::collections::VecDeque<(i64, u64, u64)>,
    /// Error replies by error code (INFO errorstats), sorted as Redis's
    /// radix tree lists them.
    pub error_codes: std::collections::BTreeMap<String, u64>,
    pub total_reads_processed: u64,
    pub total_writes_processed: u64,
}

impl Stats {
    /// Commands per second over the recent samples (instantaneous_ops_per_sec).
    pub fn instantaneous_ops(&self) -> u64 {
        match (self.ops_samples.front(), self.ops_samples.back()) {
            (Some(&(t0, c0)), Some(&(t1, c1))) if t1 > t0 => {
                c1.saturating_sub(c0) * 1000 / (t1 - t0) as u64
            }
            _ => 0,
        }
    }
}

/// Everything the commands operate on: the keyspace, the configuration,
/// the statistics and the command table. Owned by the event loop's
/// thread alone, so nothing here needs a lock.
pub struct Engine {
    pub keyspace: Keyspace,
    pub config: Config,
    pub stats: Stats,
    pub commands: CommandTable,
    pub rng: fastrand::Rng,
    /// Unix ms at start-up, and a monotonic clock for uptime.
    pub start_ms: i64,
    pub started: std::time::Instant,
    /// 40 hex characters identifying this run (INFO run_id).
    pub run_id: String,
    next_client_id: u64,
    /// Set by SHUTDOWN; the event loop stops when it sees it.
    pub shutdown: Option<Shutdown>,
    /// Changes since the last save (INFO rdb_changes_since_last_save).
    pub dirty: u64,
    /// Where the active expire cycle resumes.
    pub expire_next_db: usize,
    /// Time of the last successful save (LASTSAVE).
    pub lastsave: i64,
    pub tcp_port: u16,
    /// Calls, time and failures per command, indexed by command id.
    pub cmd_stats: Vec<CmdStat>,
    /// Latency histograms per command id, made at a command's first call.
    pub cmd_latency: Vec<Option<Box<latency::Histogram>>>,
    /// The replication id a master reports (INFO replication).
    pub replid: String,
    /// Memory in use right after start-up, and the highest seen since.
    pub memory_startup: usize,
    pub memory_peak: usize,
    /// Clients blocked on keys.
    pub blocking: blocking::Blocking,
    /// Channel and pattern subscriptions.
    pub pubsub: pubsub::PubSub,
    /// Watched keys (WATCH) and the clients whose EXEC will fail.
    pub watches: watch::Watches,
    /// RDB snapshots: the child writing one, the last outcome.
    pub rdb: crate::persistence::RdbState,
    /// Where dump.rdb lives: the working directory, which the `dir`
    /// directive sets as in Redis (engine tests point it elsewhere).
    pub data_dir: std::path::PathBuf,
    /// The append-only file: its state, buffer and rewrite child.
    pub aof: crate::persistence::aof::Aof,
    /// Fork counts and what the running child reports (copy-on-write).
    pub fork: crate::persistence::child_info::ForkStats,
    /// The execution unit being propagated (see propagate).
    prop: propagate::Propagation,
    /// An AOF is being loaded: nothing expires, nothing is propagated.
    pub loading: bool,
    /// The cron deletes expired keys (DEBUG SET-ACTIVE-EXPIRE turns it off).
    pub active_expire: bool,
    /// Which keyspace-caused events the databases record (see keyevents).
    key_event_mask: u8,
    /// Keyspace messages waiting for a subscriber out of reach.
    undelivered: Vec<keyevents::Undelivered>,
    /// maxmemory's eviction: candidate pool, statistics, a run in progress.
    pub eviction: evict::Eviction,
    /// Times commands; a command of a pipelined batch starts when the
    /// previous one ended. The loop starts a new batch after each read or
    /// wait (`new_batch`).
    clock: crate::util::clock::CommandClock,
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        let databases = usize::try_from(config.databases).unwrap_or(16);
        let mut rng = fastrand::Rng::new();
        let mut hex40 = || -> String {
            (0..40)
                .map(|_| char::from_digit(rng.u32(..16), 16).unwrap_or('0'))
                .collect()
        };
        let run_id = hex40();
        let replid = hex40();
        let now = crate::util::now_ms();
        let commands = CommandTable::new(&[
            strings::COMMANDS,
            bits::COMMANDS,
            lists::COMMANDS,
            sets::COMMANDS,
            keys::COMMANDS,
            expire::COMMANDS,
            scan::COMMANDS,
            hashes::COMMANDS,
            sort::COMMANDS,
            object::COMMANDS,
            connection::COMMANDS,
            server::COMMANDS,
            cmd_client::COMMANDS,
            cmd_config::COMMANDS,
            cmd_command::COMMANDS,
            tx::COMMANDS,
            watch::COMMANDS,
            pubsub::COMMANDS,
            persist::COMMANDS,
            zsets::COMMANDS,
            streams::COMMANDS,
            dump::COMMANDS,
            aof::COMMANDS,
            memory::COMMANDS,
        ]);
        let memory_startup = stats::used_memory();
        let mut engine = Engine {
            keyspace: Keyspace::new(databases),
            tcp_port: u16::try_from(config.port).unwrap_or(0),
            config,
            stats: Stats::default(),
            cmd_stats: vec![CmdStat::default(); commands.id_count()],
            cmd_latency: (0..commands.id_count()).map(|_| None).collect(),
            commands,
            rng,
            start_ms: now,
            started: std::time::Instant::now(),
            run_id,
            next_client_id: 1,
            shutdown: None,
            dirty: 0,
            expire_next_db: 0,
            lastsave: now / 1000,
            replid,
            memory_startup,
            memory_peak: memory_startup,
            blocking: blocking::Blocking::default(),
            pubsub: pubsub::PubSub::default(),
            watches: watch::Watches::default(),
            rdb: crate::persistence::RdbState::default(),
            data_dir: std::path::PathBuf::from("."),
            aof: crate::persistence::aof::Aof::default(),
            fork: crate::persistence::child_info::ForkStats::default(),
            prop: propagate::Propagation::default(),
            loading: false,
            active_expire: true,
            key_event_mask: 0,
            undelivered: Vec::new(),
            eviction: evict::Eviction::default(),
            clock: crate::util::clock::CommandClock::new(),
        };
        object::sync_access_policy(&mut engine);
        let shared_clock = engine.keyspace.access_policy().new_clock(now);
        crate::db::value::reset_shared_clocks(shared_clock);
        engine
    }

    /// The loop is about to run a freshly read batch of requests: the
    /// next command reads the wall clock for its start.
    pub fn new_batch(&mut self) {
        self.clock.new_batch();
    }

    /// A new client's state, with the next client id.
    pub fn new_client(&mut self, addr: String, laddr: String, now_ms: i64) -> ClientState {
        let id = self.next_client_id;
        self.next_client_id += 1;
        self.stats.total_connections_received += 1;
        let mut client = ClientState::new(id, addr, laddr, now_ms);
        // As Redis's default user: a client is authenticated from the start
        // unless a password is required at the time it connects.
        client.authenticated = self.config.requirepass.is_empty();
        client
    }

    /// Runs one command for a client and writes its reply. Never fails:
    /// every error becomes an error reply.
    pub fn execute(
        &mut self,
        client: &mut ClientState,
        reply: &mut ReplyBuffer,
        clients: &mut dyn Clients,
        args: &[Bytes],
    ) {
        reply.muted = client.reply_off || client.reply_skip;
        self.unit_enter();
        let result = self.dispatch(client, reply, clients, args);
        // Expiries and misses of the command's lookups that no event of
        // its own flushed yet; before an error reply, as Redis publishes
        // them at the lookup that preceded it.
        if self.key_event_mask != 0 {
            let now = crate::util::now_ms();
            self.drain_key_events(Some((&mut *client, &mut *reply)), clients, now);
        }
        if let Err(e) = result {
            reply.error(&e.0);
            self.stats.count_error_code(&e.0);
        }
        self.sync_key_event_mask();
        self.stats.total_error_replies += reply.take_error_count();
        // A CONFIG SET may have changed what lookups do to the access clock.
        object::sync_access_policy(self);
        // CLIENT REPLY SKIP silences exactly the next command.
        client.reply_skip = std::mem::take(&mut client.reply_skip_next);
        reply.muted = client.reply_off || client.reply_skip;
        self.unit_leave();
    }

    fn dispatch(
        &mut self,
        client: &mut ClientState,
        reply: &mut ReplyBuffer,
        clients: &mut dyn Clients,
        args: &[Bytes],
    ) -> CmdResult {
        let found = self.commands.lookup_id(args);
        let entry = found.as_ref().ok().and_then(|&id| self.commands.entry(id));
        // As Redis, the last command is recorded at lookup, before any
        // check, so CLIENT LIST shows what a rejected client tried.
        client.last_cmd = Cow::Borrowed(entry.map_or("NULL", |e| e.full_name));
        // A command refused while queueing dooms the transaction.
        let doom = |client: &mut ClientState| {
            if client.in_multi {
                client.multi_error = true;
            }
        };
        let (id, entry) = match (found, entry) {
            (Ok(id), Some(entry)) => (id, entry),
            (Err(LookupError::UnknownSubcommand), _) => {
                doom(client);
                return Err(CmdError::unknown_subcommand(&args[1], &args[0]));
            }
            _ => {
                doom(client);
                return Err(unknown_command(args));
            }
        };
        let cmd = entry.cmd;
        if let Err(e) = self.check_command(client, cmd, entry.full_name, args.len()) {
            if let Some(s) = self.cmd_stats.get_mut(id) {
                s.rejected_calls += 1;
            }
            doom(client);
            return Err(e);
        }
        if let Err(e) = self.check_maxmemory(client, cmd, entry.full_name) {
            if let Some(s) = self.cmd_stats.get_mut(id) {
                s.rejected_calls += 1;
            }
            doom(client);
            return Err(e);
        }
        // After a failed background save or AOF write, writes (and PING,
        // so monitoring notices) are refused, as Redis's processCommand
        // does.
        if (cmd.has(flag::WRITE)
            || entry.full_name == "ping"
            || (entry.full_name == "exec" && self.any_write(&client.queued)))
            && let Some(denial) = self.write_denial()
        {
            doom(client);
            return Err(denial);
        }
        if pubsub::in_subscribed_mode(client, reply) {
            let top = entry.full_name.split('|').next().unwrap_or("");
            if !pubsub::allowed_while_subscribed(top) {
                doom(client);
                return Err(CmdError::msg(format!(
                    "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                    entry.full_name
                )));
            }
        }
        if client.in_multi {
            if cmd.has(flag::NO_MULTI) {
                doom(client);
                return Err(CmdError::text(
                    "ERR Command not allowed inside a transaction",
                ));
            }
            let top = entry.full_name.split('|').next().unwrap_or("");
            if !tx::runs_inside_multi(top) {
                client.queued.push(args.to_vec());
                reply.simple("QUEUED");
                return Ok(());
            }
        }
        self.stats.total_commands_processed += 1;
        let start = self.clock.start();
        let errors_before = reply.error_count();
        let dirty_before = self.dirty;
        let mut ctx = Ctx {
            engine: self,
            client,
            reply,
            clients,
            now_ms: start.unix_us / 1000,
        };
        let result = (cmd.handler)(&mut ctx, args);
        // A command that blocked has done nothing yet; EXEC's commands
        // logged themselves.
        let not_itself = client.blocked.is_some() || entry.full_name == "exec";
        self.after_command(client.db, args, dirty_before, not_itself);
        if client.blocked.is_some() {
            // Counted once, when the blocked client is finally served.
            self.stats.total_commands_processed -= 1;
            self.clock.new_batch();
            return result;
        }
        let failed = result.is_err() || reply.error_count() > errors_before;
        let us = self.clock.finish(start);
        if let Some(s) = self.cmd_stats.get_mut(id) {
            s.record(us, failed);
        }
        if self.config.latency_tracking
            && let Some(h) = self.cmd_latency.get_mut(id)
        {
            h.get_or_insert_with(Default::default)
                .record_us(u64::try_from(us).unwrap_or(0));
        }
        result
    }

    /// Whether any of these commands (a transaction's queue) writes.
    fn any_write(&self, commands: &[Vec<Bytes>]) -> bool {
        commands.iter().any(|args| {
            let id = self.commands.lookup_id(args).ok();
            id.and_then(|id| self.commands.entry(id))
                .is_some_and(|e| e.cmd.has(flag::WRITE))
        })
    }

    /// The checks Redis's processCommand makes before running a command,
    /// in its order: arity, protected commands, authentication.
    fn check_command(
        &self,
        client: &ClientState,
        cmd: &table::Command,
        full_name: &str,
        argc: usize,
    ) -> CmdResult {
        if !cmd.arity_ok(argc) {
            return Err(CmdError::arity(full_name));
        }
        if cmd.has(flag::PROTECTED) && !self.protected_allowed(client) {
            return Err(DEBUG_NOT_ALLOWED);
        }
        if !client.authenticated && !self.config.requirepass.is_empty() && !cmd.has(flag::NO_AUTH) {
            return Err(CmdError::NO_AUTH);
        }
        Ok(())
    }

    /// Whether a protected command (DEBUG is the only one ferredis has)
    /// may run for this client: `yes`, or `local` and the client is on
    /// the loopback.
    fn protected_allowed(&self, client: &ClientState) -> bool {
        match self.config.enable_debug_command {
            "yes" => true,
            "local" => client.is_local(),
            _ => false,
        }
    }
}

/// Redis's refusal of DEBUG while enable-debug-command does not allow it.
const DEBUG_NOT_ALLOWED: CmdError = CmdError::text(
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.",
);

/// `ERR unknown command 'foo', with args beginning with: 'a' 'b' ` built as
/// Redis builds it: each argument quoted and cut so the list stays near
/// 128 bytes, `%s` stopping at NUL bytes.
fn unknown_command(args: &[Bytes]) -> CmdError {
    let mut list = Vec::new();
    for a in args.iter().skip(1) {
        if list.len() >= 128 {
            break;
        }
        let room = 128 - list.len();
        list.push(b'\'');
        list.extend_from_slice(c_str_prefix(a, room));
        list.extend_from_slice(b"' ");
    }
    let name = args
        .first()
        .map(|a| c_str_prefix(a, 128))
        .unwrap_or_default();
    CmdError(Cow::Owned(
        [
            b"ERR unknown command '",
            name,
            b"', with args beginning with: ",
            &list,
        ]
        .concat(),
    ))
}

/// What a command handler works with: the engine, the calling client, its
/// reply buffer, the other clients, and the time the command started
/// (every expiry check in one command sees the same instant, as in Redis).
pub struct Ctx<'a> {
    pub engine: &'a mut Engine,
    pub client: &'a mut ClientState,
    pub reply: &'a mut ReplyBuffer,
    pub clients: &'a mut dyn Clients,
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// The client's selected database.
    pub fn db(&mut self) -> &mut Db {
        let idx = self.client.db;
        &mut self.engine.keyspace.dbs[idx]
    }

    /// The selected database and the reply buffer at once, for commands
    /// that reply with data they are reading (no copy in between).
    pub fn db_and_reply(&mut self) -> (&mut Db, &mut ReplyBuffer) {
        let idx = self.client.db;
        (&mut self.engine.keyspace.dbs[idx], &mut *self.reply)
    }

    /// Records `n` changes to the dataset (for INFO and save points).
    pub fn dirty(&mut self, n: u64) {
        self.engine.dirty += n;
    }
}

/// Parses an integer argument with Redis's rules, or the standard error.
pub fn arg_i64(arg: &[u8]) -> Result<i64, CmdError> {
    crate::util::parse_i64(arg).ok_or(CmdError::NOT_INTEGER)
}

/// Whether an argument equals a keyword, ignoring case. Like Redis's
/// `strcasecmp` on its NUL-terminated arguments, the comparison stops at
/// a NUL byte.
pub fn is(arg: &[u8], keyword: &str) -> bool {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    arg[..end].eq_ignore_ascii_case(keyword.as_bytes())
}

/// An argument as text, for messages and names.
pub fn text(arg: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(arg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory for the snapshots an engine test writes, so none
    /// lands in the working directory. One per engine: tests run in
    /// parallel, and two saves in one directory would share
    /// `temp-<pid>.rdb`.
    pub(crate) fn test_data_dir() -> std::path::PathBuf {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = std::env::temp_dir()
            .join(format!("ferredis-unit-{}", std::process::id()))
            .join(n.to_string());
        let _ = std::fs::create_dir_all(&d);
        d
    }

    /// An engine with default settings and one client (from 127.0.0.1:1000).
    pub(crate) fn setup() -> (Engine, ClientState) {
        let mut e = Engine::new(Config::defaults());
        e.data_dir = test_data_dir();
        let c = e.new_client("127.0.0.1:1000".into(), "127.0.0.1:6379".into(), 0);
        (e, c)
    }

    /// Runs commands through the engine without a network and returns the
    /// raw reply bytes.
    pub(crate) fn run(engine: &mut Engine, client: &mut ClientState, cmd: &[&[u8]]) -> Vec<u8> {
        run_with(engine, client, &mut NoClients, cmd)
    }

    /// Like [`run`], with other clients connected.
    pub(crate) fn run_with(
        engine: &mut Engine,
        client: &mut ClientState,
        clients: &mut dyn Clients,
        cmd: &[&[u8]],
    ) -> Vec<u8> {
        let mut reply = ReplyBuffer::new();
        let args: Vec<Bytes> = cmd.iter().map(|a| Bytes::copy_from_slice(a)).collect();
        engine.execute(client, &mut reply, clients, &args);
        reply.pending_to_vec()
    }

    /// Other clients for engine tests: CLIENT KILL removes them.
    #[derive(Default)]
    pub(crate) struct TestClients {
        pub others: Vec<(ClientState, ReplyBuffer, ConnInfo)>,
    }

    impl TestClients {
        pub fn add(&mut self, engine: &mut Engine, addr: &str) -> u64 {
            let c = engine.new_client(addr.into(), "127.0.0.1:6379".into(), 0);
            let id = c.id;
            let conn = ConnInfo {
                fd: 10 + id as i32,
                events: "r",
                ..ConnInfo::default()
            };
            self.others.push((c, ReplyBuffer::new(), conn));
            id
        }
    }

    impl Clients for TestClients {
        fn count(&self) -> usize {
            self.others.len() + 1
        }
        fn for_each_other(&self, f: &mut dyn FnMut(&ClientState, &ReplyBuffer, &ConnInfo)) {
            for (c, r, i) in &self.others {
                f(c, r, i);
            }
        }
        fn current_conn(&self) -> ConnInfo {
            NoClients.current_conn()
        }
        fn kill(&mut self, pred: &mut dyn FnMut(&ClientState, &ConnInfo) -> bool) -> usize {
            let before = self.others.len();
            self.others.retain(|(c, _, i)| !pred(c, i));
            before - self.others.len()
        }
        fn rebind(&mut self, _: &[String], _: u16) -> Result<(), String> {
            Ok(())
        }
        fn with_client(
            &mut self,
            id: u64,
            f: &mut dyn FnMut(&mut ClientState, &mut ReplyBuffer),
        ) -> bool {
            match self.others.iter_mut().find(|(c, _, _)| c.id == id) {
                Some((c, r, _)) => {
                    f(c, r);
                    true
                }
                None => false,
            }
        }
    }

    #[test]
    fn unknown_and_arity_errors() {
        let mut e = Engine::new(Config::defaults());
        e.data_dir = test_data_dir();
        let mut c = e.new_client("127.0.0.1:1".into(), "127.0.0.1:2".into(), 0);
        assert_eq!(
            run(&mut e, &mut c, &[b"foo", b"a", b"b"]),
            b"-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"GET"]),
            b"-ERR wrong number of arguments for 'get' command\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"config", b"get"]),
            b"-ERR wrong number of arguments for 'config|get' command\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"foo"]),
            b"-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client"]),
            b"-ERR wrong number of arguments for 'client' command\r\n"
        );
        assert_eq!(run(&mut e, &mut c, &[b"PING"]), b"+PONG\r\n");
    }
}
