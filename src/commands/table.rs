//! The command table as data: every command's name, arity, flags, ACL
//! categories, key positions and a one-line summary, next to the function
//! that runs it.
//!
//! Each family file (strings.rs, keys.rs, ...) lists its commands in a
//! `COMMANDS` slice; [`CommandTable::new`] gathers them into one lookup.
//! COMMAND, COMMAND INFO/DOCS/COUNT/LIST/GETKEYS, arity checks and
//! redis-cli's hints all read from these entries, so adding a command is
//! one entry plus its handler.

use super::{CmdResult, Ctx};
use bytes::Bytes;
use std::collections::HashMap;

/// The function that executes a command.
pub type Handler = fn(&mut Ctx, &[Bytes]) -> CmdResult;

/// Command flags, in the order COMMAND INFO lists them (Redis's
/// COMMAND_FLAG_NAMES order).
pub mod flag {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const MODULE: u32 = 1 << 3;
    pub const ADMIN: u32 = 1 << 4;
    pub const PUBSUB: u32 = 1 << 5;
    pub const NOSCRIPT: u32 = 1 << 6;
    pub const BLOCKING: u32 = 1 << 7;
    pub const LOADING: u32 = 1 << 8;
    pub const STALE: u32 = 1 << 9;
    pub const SKIP_MONITOR: u32 = 1 << 10;
    pub const SKIP_SLOWLOG: u32 = 1 << 11;
    pub const ASKING: u32 = 1 << 12;
    pub const FAST: u32 = 1 << 13;
    pub const NO_AUTH: u32 = 1 << 14;
    pub const MAY_REPLICATE: u32 = 1 << 15;
    pub const SENTINEL: u32 = 1 << 16;
    pub const ONLY_SENTINEL: u32 = 1 << 17;
    pub const NO_MANDATORY_KEYS: u32 = 1 << 18;
    pub const PROTECTED: u32 = 1 << 19;
    pub const MODULE_GETKEYS: u32 = 1 << 20;
    pub const MODULE_NO_CLUSTER: u32 = 1 << 21;
    pub const NO_ASYNC_LOADING: u32 = 1 << 22;
    pub const NO_MULTI: u32 = 1 << 23;
    pub const MOVABLEKEYS: u32 = 1 << 24;
    pub const ALLOW_BUSY: u32 = 1 << 25;

    pub const NAMES: [&str; 26] = [
        "write",
        "readonly",
        "denyoom",
        "module",
        "admin",
        "pubsub",
        "noscript",
        "blocking",
        "loading",
        "stale",
        "skip_monitor",
        "skip_slowlog",
        "asking",
        "fast",
        "no_auth",
        "may_replicate",
        "sentinel",
        "only_sentinel",
        "no_mandatory_keys",
        "protected",
        "module_getkeys",
        "module_no_cluster",
        "no_async_loading",
        "no_multi",
        "movablekeys",
        "allow_busy",
    ];

    /// Flags COMMAND INFO leaves out: Redis keeps these for its own
    /// bookkeeping and hides them on purpose.
    pub const HIDDEN: u32 =
        MAY_REPLICATE | SENTINEL | ONLY_SENTINEL | PROTECTED | MODULE_GETKEYS | MODULE_NO_CLUSTER;
}

/// ACL categories, in the order COMMAND INFO lists them.
pub mod acl {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const READ: u32 = 1 << 1;
    pub const WRITE: u32 = 1 << 2;
    pub const SET: u32 = 1 << 3;
    pub const SORTEDSET: u32 = 1 << 4;
    pub const LIST: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const STRING: u32 = 1 << 7;
    pub const BITMAP: u32 = 1 << 8;
    pub const HYPERLOGLOG: u32 = 1 << 9;
    pub const GEO: u32 = 1 << 10;
    pub const STREAM: u32 = 1 << 11;
    pub const PUBSUB: u32 = 1 << 12;
    pub const ADMIN: u32 = 1 << 13;
    pub const FAST: u32 = 1 << 14;
    pub const SLOW: u32 = 1 << 15;
    pub const BLOCKING: u32 = 1 << 16;
    pub const DANGEROUS: u32 = 1 << 17;
    pub const CONNECTION: u32 = 1 << 18;
    pub const TRANSACTION: u32 = 1 << 19;
    pub const SCRIPTING: u32 = 1 << 20;

    pub const NAMES: [&str; 21] = [
        "keyspace",
        "read",
        "write",
        "set",
        "sortedset",
        "list",
        "hash",
        "string",
        "bitmap",
        "hyperloglog",
        "geo",
        "stream",
        "pubsub",
        "admin",
        "fast",
        "slow",
        "blocking",
        "dangerous",
        "connection",
        "transaction",
        "scripting",
    ];

    /// The category bit for a name (`read`, not `@read`), compared as
    /// Redis's strcasecmp does (ignoring case, ending at a NUL).
    pub fn by_name(name: &[u8]) -> Option<u32> {
        NAMES
            .iter()
            .position(|n| crate::commands::is(name, n))
            .map(|i| 1 << i)
    }

    /// The categories Redis adds from a command's flags
    /// (setImplicitACLCategories): write, read, admin+dangerous, pubsub,
    /// fast, blocking, and slow for whatever is not fast.
    pub fn implied(flags: u32, acl: u32) -> u32 {
        use super::flag;
        let mut acl = acl;
        let pairs = [
            (flag::WRITE, WRITE),
            (flag::ADMIN, ADMIN | DANGEROUS),
            (flag::PUBSUB, PUBSUB),
            (flag::FAST, FAST),
            (flag::BLOCKING, BLOCKING),
        ];
        for (f, a) in pairs {
            if flags & f != 0 {
                acl |= a;
            }
        }
        if flags & flag::READONLY != 0 && acl & SCRIPTING == 0 {
            acl |= READ;
        }
        if acl & FAST == 0 {
            acl |= SLOW;
        }
        acl
    }
}

/// Where a key spec starts looking for keys.
#[derive(Debug, Clone, Copy)]
pub enum BeginSearch {
    /// At a fixed argument index.
    Index(i32),
    /// After a keyword, searching from `startfrom` (negative: from the end).
    Keyword {
        keyword: &'static str,
        startfrom: i32,
    },
    Unknown,
}

/// How a key spec finds its keys once it has begun.
#[derive(Debug, Clone, Copy)]
pub enum FindKeys {
    /// Keys up to `lastkey` (relative; -1 the last argument), every `step`;
    /// `limit` > 1 means only 1/limit of the remaining arguments.
    Range {
        lastkey: i32,
        step: i32,
        limit: i32,
    },
    /// The number of keys is an argument (at `keynumidx`), keys start at
    /// `firstkey`, every `step`.
    Keynum {
        keynumidx: i32,
        firstkey: i32,
        step: i32,
    },
    Unknown,
}

/// A key specification (Redis 7's key-specs), as COMMAND INFO reports it
/// and COMMAND GETKEYS uses it.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    pub notes: Option<&'static str>,
    pub flags: &'static [&'static str],
    pub begin: BeginSearch,
    pub find: FindKeys,
}

impl KeySpec {
    /// Whether the spec carries a flag (`RO`, `incomplete`, ...).
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    /// The common case: keys from `first` to `last` (negative counts from
    /// the end) every `step`.
    pub const fn range(
        flags: &'static [&'static str],
        first: i32,
        last: i32,
        step: i32,
    ) -> KeySpec {
        KeySpec {
            notes: None,
            flags,
            begin: BeginSearch::Index(first),
            find: FindKeys::Range {
                lastkey: last,
                step,
                limit: 0,
            },
        }
    }
}

impl KeySpec {
    /// Keys the specs cannot locate (SORT's BY/GET patterns and STORE),
    /// with Redis's note saying why.
    pub const fn unknown(flags: &'static [&'static str], notes: &'static str) -> KeySpec {
        KeySpec {
            notes: Some(notes),
            flags,
            begin: BeginSearch::Unknown,
            find: FindKeys::Unknown,
        }
    }
}

/// The command groups COMMAND DOCS reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Generic,
    String,
    List,
    Set,
    SortedSet,
    Hash,
    Pubsub,
    Transactions,
    Connection,
    Server,
    Scripting,
    Hyperloglog,
    Cluster,
    Sentinel,
    Geo,
    Stream,
    Bitmap,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Generic => "generic",
            Group::String => "string",
            Group::List => "list",
            Group::Set => "set",
            Group::SortedSet => "sorted-set",
            Group::Hash => "hash",
            Group::Pubsub => "pubsub",
            Group::Transactions => "transactions",
            Group::Connection => "connection",
            Group::Server => "server",
            Group::Scripting => "scripting",
            Group::Hyperloglog => "hyperloglog",
            Group::Cluster => "cluster",
            Group::Sentinel => "sentinel",
            Group::Geo => "geo",
            Group::Stream => "stream",
            Group::Bitmap => "bitmap",
        }
    }
}

/// A key a command's arguments name: its position and the key-spec flags
/// that describe the access (COMMAND GETKEYSANDFLAGS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef {
    pub pos: usize,
    pub flags: &'static [&'static str],
}

/// A command's own key finder, for commands whose key specs cannot tell
/// the whole story (Redis's getkeys_proc): SET's key flags depend on GET,
/// SORT's STORE target is a keyword anywhere. An empty result means the
/// arguments name no keys.
pub type GetKeys = fn(&[Bytes]) -> Vec<KeyRef>;

/// Documentation flags (COMMAND DOCS `doc_flags`).
pub mod doc_flag {
    pub const DEPRECATED: u8 = 1;
    pub const SYSCMD: u8 = 2;
}

/// One command (or subcommand) of the table.
#[derive(Clone, Copy)]
pub struct Command {
    /// Lowercase name; for a subcommand, the part after the container.
    pub name: &'static str,
    pub handler: Handler,
    /// Redis's convention: N means exactly N arguments including the
    /// name, -N means at least N.
    pub arity: i32,
    pub flags: u32,
    pub acl: u32,
    /// Legacy key positions (first, last, step) for COMMAND INFO.
    pub first_key: i32,
    pub last_key: i32,
    pub key_step: i32,
    pub key_specs: &'static [KeySpec],
    pub tips: &'static [&'static str],
    pub group: Group,
    pub since: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
    /// (version, what changed) pairs, oldest first (COMMAND DOCS `history`).
    pub history: &'static [(&'static str, &'static str)],
    pub doc_flags: u8,
    /// Version that deprecated the command and what replaces it; empty
    /// when not deprecated.
    pub deprecated_since: &'static str,
    pub replaced_by: &'static str,
    pub getkeys: Option<GetKeys>,
    pub subcommands: &'static [Command],
}

/// A handler for containers, which never run themselves (a lone `CLIENT`
/// fails the arity check first).
fn container_handler(_: &mut Ctx, _: &[Bytes]) -> CmdResult {
    Err(super::CmdError::SYNTAX)
}

impl Command {
    /// A command with no flags, no keys and no subcommands; chain the
    /// builder methods below to fill in the rest.
    pub const fn new(name: &'static str, arity: i32, handler: Handler) -> Command {
        Command {
            name,
            handler,
            arity,
            flags: 0,
            acl: 0,
            first_key: 0,
            last_key: 0,
            key_step: 0,
            key_specs: &[],
            tips: &[],
            group: Group::Generic,
            since: "1.0.0",
            summary: "",
            complexity: "",
            history: &[],
            doc_flags: 0,
            deprecated_since: "",
            replaced_by: "",
            getkeys: None,
            subcommands: &[],
        }
    }

    /// A container command (CLIENT, CONFIG, ...) holding subcommands.
    pub const fn container(
        name: &'static str,
        arity: i32,
        subcommands: &'static [Command],
    ) -> Command {
        Command::new(name, arity, container_handler).subcommands(subcommands)
    }

    /// Gives a command subcommands while keeping its own handler, for
    /// containers that also run alone (plain `COMMAND`).
    pub const fn subcommands(mut self, subcommands: &'static [Command]) -> Command {
        self.subcommands = subcommands;
        self
    }

    pub const fn history(mut self, history: &'static [(&'static str, &'static str)]) -> Command {
        self.history = history;
        self
    }

    /// Marks a command meant for administrators and tests, not
    /// applications (DEBUG).
    pub const fn syscmd(mut self) -> Command {
        self.doc_flags |= doc_flag::SYSCMD;
        self
    }

    pub const fn deprecated(mut self, since: &'static str, replaced_by: &'static str) -> Command {
        self.doc_flags |= doc_flag::DEPRECATED;
        self.deprecated_since = since;
        self.replaced_by = replaced_by;
        self
    }

    pub const fn getkeys(mut self, f: GetKeys) -> Command {
        self.getkeys = Some(f);
        self
    }

    pub const fn flags(mut self, flags: u32) -> Command {
        self.flags = flags;
        self
    }

    pub const fn acl(mut self, acl: u32) -> Command {
        self.acl = acl;
        self
    }

    /// Legacy key positions and the key specs.
    pub const fn keys(
        mut self,
        first: i32,
        last: i32,
        step: i32,
        specs: &'static [KeySpec],
    ) -> Command {
        self.first_key = first;
        self.last_key = last;
        self.key_step = step;
        self.key_specs = specs;
        self
    }

    pub const fn tips(mut self, tips: &'static [&'static str]) -> Command {
        self.tips = tips;
        self
    }

    /// Documentation: group, version introduced, complexity, summary.
    pub const fn doc(
        mut self,
        group: Group,
        since: &'static str,
        complexity: &'static str,
        summary: &'static str,
    ) -> Command {
        self.group = group;
        self.since = since;
        self.complexity = complexity;
        self.summary = summary;
        self
    }

    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }

    pub fn is_container(&self) -> bool {
        !self.subcommands.is_empty()
    }

    /// Flags as COMMAND INFO shows them: the hidden ones left out, and
    /// `movablekeys` added when a key spec is not a plain index and range
    /// (Redis's populateCommandMovableKeys).
    pub fn visible_flags(&self) -> u32 {
        let movable = self.key_specs.iter().any(|s| {
            !matches!(
                (s.begin, s.find),
                (BeginSearch::Index(_), FindKeys::Range { .. })
            )
        });
        let mut f = self.flags & !flag::HIDDEN;
        if movable {
            f |= flag::MOVABLEKEYS;
        }
        f
    }

    /// ACL categories with the ones implied by the flags.
    pub fn acl_categories(&self) -> u32 {
        acl::implied(self.flags, self.acl)
    }

    /// Whether the command has keys at all (Redis's doesCommandHaveKeys):
    /// its own key finder, or a key spec that names real keys.
    pub fn has_keys(&self) -> bool {
        self.getkeys.is_some() || self.key_specs.iter().any(|s| !s.has_flag("not_key"))
    }

    /// Checks the argument count against the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = i64::from(self.arity);
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }
}

/// Why a request names no runnable command.
pub enum LookupError {
    UnknownCommand,
    UnknownSubcommand,
}

/// Every command, by lowercase name, and every command and subcommand by
/// a small id (its index in `by_id`), which is what per-command
/// statistics are kept under, so counting a call costs an index, not a
/// hash.
pub struct CommandTable {
    /// ahash rather than std's SipHash: names come from clients, but the
    /// table is fixed at start-up, so no input can flood it, and the
    /// lookup runs once per command.
    by_name: HashMap<&'static [u8], (&'static Command, usize), ahash::RandomState>,
    by_id: Vec<Entry>,
    /// Ids of the top-level commands, in table order.
    top: Vec<usize>,
}

/// One command or subcommand of the table.
#[derive(Clone, Copy)]
pub struct Entry {
    pub cmd: &'static Command,
    pub parent: Option<&'static Command>,
    /// `get`, or `config|get` for a subcommand.
    pub full_name: &'static str,
}

impl CommandTable {
    /// Gathers the families' commands. A subcommand's id follows its
    /// container's: container id + 1 + its index among the subcommands.
    pub fn new(families: &[&'static [Command]]) -> CommandTable {
        let mut table = CommandTable {
            by_name: HashMap::default(),
            by_id: Vec::new(),
            top: Vec::new(),
        };
        for family in families {
            for cmd in family.iter() {
                let id = table.by_id.len();
                table.by_name.insert(cmd.name.as_bytes(), (cmd, id));
                table.top.push(id);
                table.by_id.push(Entry {
                    cmd,
                    parent: None,
                    full_name: cmd.name,
                });
                for sub in cmd.subcommands {
                    // Leaked once per table: a few dozen short names that
                    // live as long as the server, so that recording the
                    // last command run never allocates.
                    let full_name: &'static str = Box::leak(full_name(sub, Some(cmd)).into());
                    table.by_id.push(Entry {
                        cmd: sub,
                        parent: Some(cmd),
                        full_name,
                    });
                }
            }
        }
        table
    }

    /// Finds a top-level command by name, ignoring case.
    pub fn get(&self, name: &[u8]) -> Option<&'static Command> {
        self.get_with_id(name).map(|(c, _)| c)
    }

    fn get_with_id(&self, name: &[u8]) -> Option<(&'static Command, usize)> {
        let mut buf = [0u8; 32];
        let lower = crate::util::ascii_lower(name, &mut buf)?;
        self.by_name.get(lower).copied()
    }

    /// Resolves a request: the command, or its subcommand when it is a
    /// container called with at least one argument (Redis's
    /// lookupCommand). Returns the parent too, for the full name.
    pub fn lookup(
        &self,
        args: &[Bytes],
    ) -> Result<(&'static Command, Option<&'static Command>), LookupError> {
        self.lookup_id(args).map(|id| {
            let e = self.by_id[id];
            (e.cmd, e.parent)
        })
    }

    /// Like [`lookup`](Self::lookup), giving the command's id.
    pub fn lookup_id(&self, args: &[Bytes]) -> Result<usize, LookupError> {
        let Some(name) = args.first() else {
            return Err(LookupError::UnknownCommand);
        };
        let (cmd, id) = self.get_with_id(name).ok_or(LookupError::UnknownCommand)?;
        if !cmd.is_container() || args.len() < 2 {
            return Ok(id);
        }
        match find_subcommand_index(cmd, &args[1]) {
            Some(i) => Ok(id + 1 + i),
            None => Err(LookupError::UnknownSubcommand),
        }
    }

    /// A command by the name COMMAND INFO and DOCS take: `get` or
    /// `config|get` (Redis's lookupCommandBySds: one level of `|`, and a
    /// container's own name is the container).
    pub fn by_full_name(&self, name: &[u8]) -> Option<Entry> {
        let mut parts = name.split(|&b| b == b'|');
        let (cmd, id) = self.get_with_id(parts.next()?)?;
        match (parts.next(), parts.next()) {
            (None, _) => Some(self.by_id[id]),
            (Some(sub), None) => {
                let i = find_subcommand_index(cmd, sub)?;
                Some(self.by_id[id + 1 + i])
            }
            _ => None,
        }
    }

    /// The command with this id.
    pub fn entry(&self, id: usize) -> Option<Entry> {
        self.by_id.get(id).copied()
    }

    /// Every command and subcommand, each with its id, in table order (a
    /// container right before its subcommands).
    pub fn entries(&self) -> impl Iterator<Item = (usize, Entry)> + '_ {
        self.by_id.iter().copied().enumerate()
    }

    /// The top-level commands in table order.
    pub fn top_level(&self) -> impl Iterator<Item = Entry> + '_ {
        self.top.iter().map(|&id| self.by_id[id])
    }

    /// All top-level commands, sorted by name.
    pub fn all(&self) -> Vec<&'static Command> {
        let mut v: Vec<_> = self.top_level().map(|e| e.cmd).collect();
        v.sort_by_key(|c| c.name);
        v
    }

    /// Number of top-level commands (COMMAND COUNT).
    pub fn len(&self) -> usize {
        self.top.len()
    }

    /// Number of ids, subcommands included (the size of per-command
    /// statistics).
    pub fn id_count(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.top.is_empty()
    }
}

/// The subcommand of `parent` named `name`, ignoring case.
pub fn find_subcommand(parent: &'static Command, name: &[u8]) -> Option<&'static Command> {
    find_subcommand_index(parent, name).map(|i| &parent.subcommands[i])
}

fn find_subcommand_index(parent: &Command, name: &[u8]) -> Option<usize> {
    parent
        .subcommands
        .iter()
        .position(|s| s.name.as_bytes().eq_ignore_ascii_case(name))
}

/// The name Redis prints for a command: `get`, or `client|list`.
pub fn full_name(cmd: &Command, parent: Option<&Command>) -> String {
    match parent {
        Some(p) => format!("{}|{}", p.name, cmd.name),
        None => cmd.name.to_string(),
    }
}
