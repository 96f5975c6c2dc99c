//! WATCH and UNWATCH: optimistic locking for MULTI/EXEC.
//!
//! A client watches keys; any change to one of them (a write from any
//! client, the watcher included, an expiry, a flush) marks the client
//! "dirty", and its next EXEC answers the null array instead of running
//! the queue. The registry lives in the engine rather than in the clients,
//! so the code that changes a key can mark watchers without reaching into
//! other connections.

use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, Engine};
use crate::db::Db;
use bytes::Bytes;
use std::collections::{HashMap, HashSet};

const TX: u32 = acl::TRANSACTION;
const WATCH_FLAGS: u32 =
    flag::NOSCRIPT | flag::LOADING | flag::STALE | flag::FAST | flag::ALLOW_BUSY;

pub static COMMANDS: &[Command] = &[
    Command::new("watch", -2, watch)
        .flags(WATCH_FLAGS)
        .acl(acl::FAST | TX)
        .keys(1, -1, 1, &[KeySpec::range(&["RO"], 1, -1, 1)])
        .doc(
            Group::Transactions,
            "2.2.0",
            "O(1) for every key.",
            "Watches keys so that a later EXEC runs only if none of them changed.",
        ),
    Command::new("unwatch", 1, unwatch)
        .flags(WATCH_FLAGS)
        .acl(acl::FAST | TX)
        .doc(
            Group::Transactions,
            "2.2.0",
            "O(1)",
            "Forgets every key the client watches.",
        ),
];

/// One client's watch on one key.
struct Watcher {
    client: u64,
    /// The key was already past its expire time when WATCH ran: its lazy
    /// deletion is then no logical change (Redis's watchedKey.expired).
    expired: bool,
}

/// Who watches which key, per database.
#[derive(Default)]
pub struct Watches {
    by_key: HashMap<(usize, Bytes), Vec<Watcher>>,
    by_client: HashMap<u64, Vec<(usize, Bytes)>>,
    /// Clients whose watched keys changed: their EXEC fails.
    dirty: HashSet<u64>,
}

impl Watches {
    /// Whether nobody watches anything: the check every write makes first.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    fn add(&mut self, db: usize, key: &[u8], client: u64, expired: bool) {
        let mine = self.by_client.entry(client).or_default();
        if mine.iter().any(|(d, k)| *d == db && k == key) {
            return;
        }
        let key = Bytes::copy_from_slice(key);
        mine.push((db, key.clone()));
        self.by_key
            .entry((db, key))
            .or_default()
            .push(Watcher { client, expired });
    }

    /// Drops every watch of a client and its dirty mark (UNWATCH, EXEC,
    /// DISCARD, RESET, disconnect).
    pub fn unwatch_all(&mut self, client: u64) {
        self.dirty.remove(&client);
        self.forget_keys(client);
    }

    fn forget_keys(&mut self, client: u64) {
        let Some(keys) = self.by_client.remove(&client) else {
            return;
        };
        for k in keys {
            if let Some(list) = self.by_key.get_mut(&k) {
                list.retain(|w| w.client != client);
                if list.is_empty() {
                    self.by_key.remove(&k);
                }
            }
        }
    }

    /// Marks the watchers of a key dirty (Redis's touchWatchedKey).
    /// `exists` says whether the key is in the database now: a watcher
    /// that saw the key already expired is not disturbed by its deletion.
    pub fn touch(&mut self, db: usize, key: &[u8], exists: bool) {
        let Some(list) = self.by_key.get_mut(&(db, Bytes::copy_from_slice(key))) else {
            return;
        };
        let mut hit = Vec::new();
        for w in list.iter_mut() {
            if w.expired && !exists {
                w.expired = false;
            } else {
                hit.push(w.client);
            }
        }
        for client in hit {
            self.mark_dirty(client);
        }
    }

    /// Once dirty, a client's watches serve no purpose until EXEC; Redis
    /// drops them at once to save the work on later writes.
    fn mark_dirty(&mut self, client: u64) {
        self.dirty.insert(client);
        self.forget_keys(client);
    }

    /// A database was emptied or swapped (Redis's touchAllWatchedKeysInDb):
    /// watchers of keys that existed in `emptied`, or that exist in what
    /// replaces it, are dirty, with the same care for keys watched while
    /// already expired.
    pub fn touch_db(&mut self, db: usize, emptied: &Db, replaced_with: Option<&Db>, now_ms: i64) {
        let mut hit = Vec::new();
        for ((d, key), list) in self.by_key.iter_mut() {
            if *d != db {
                continue;
            }
            let in_emptied = emptied.find(key).is_some();
            let in_new = replaced_with.is_some_and(|r| r.find(key).is_some());
            if !in_emptied && !in_new {
                continue;
            }
            let new_expired = replaced_with.is_some_and(|r| key_is_expired(r, key, now_ms));
            for w in list.iter_mut() {
                if w.expired {
                    if !in_new {
                        w.expired = false;
                        continue;
                    } else if new_expired {
                        continue;
                    }
                } else if !in_emptied && new_expired {
                    w.expired = true;
                    continue;
                }
                hit.push(w.client);
            }
        }
        for client in hit {
            self.mark_dirty(client);
        }
    }

    /// Whether EXEC must fail: a watched key changed, or one that was
    /// alive at WATCH time has since reached its expire time, even if
    /// nobody looked at it (Redis 7.0's isWatchedKeyExpired).
    pub fn exec_fails(&self, client: u64, dbs: &[Db], now_ms: i64) -> bool {
        if self.dirty.contains(&client) {
            return true;
        }
        let Some(keys) = self.by_client.get(&client) else {
            return false;
        };
        keys.iter().any(|(db, key)| {
            let was_expired = self
                .by_key
                .get(&(*db, key.clone()))
                .and_then(|l| l.iter().find(|w| w.client == client))
                .is_some_and(|w| w.expired);
            !was_expired && dbs.get(*db).is_some_and(|d| key_is_expired(d, key, now_ms))
        })
    }
}

/// Whether a key is stored but past its expire time (Redis's keyIsExpired).
fn key_is_expired(db: &Db, key: &[u8], now_ms: i64) -> bool {
    db.expire_time(key).is_some_and(|when| when <= now_ms)
}

fn watch(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    if ctx.client.in_multi {
        return Err(CmdError::text("ERR WATCH inside MULTI is not allowed"));
    }
    let id = ctx.client.id;
    // A dirty client's EXEC fails whatever it watches now.
    if !ctx.engine.watches.dirty.contains(&id) {
        let db = ctx.client.db;
        let now = ctx.now_ms;
        for key in &args[1..] {
            let expired = key_is_expired(&ctx.engine.keyspace.dbs[db], key, now);
            ctx.engine.watches.add(db, key, id, expired);
        }
    }
    ctx.reply.ok();
    Ok(())
}

fn unwatch(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    ctx.engine.watches.unwatch_all(ctx.client.id);
    ctx.reply.ok();
    Ok(())
}

impl Engine {
    /// Database `db` is about to be emptied (FLUSHDB, FLUSHALL).
    pub fn watched_db_flushed(&mut self, db: usize, now_ms: i64) {
        if self.watches.is_empty() {
            return;
        }
        if let Some(d) = self.keyspace.dbs.get(db) {
            self.watches.touch_db(db, d, None, now_ms);
        }
    }

    /// Databases `a` and `b` are about to swap contents (SWAPDB).
    pub fn watched_dbs_swapped(&mut self, a: usize, b: usize, now_ms: i64) {
        if self.watches.is_empty() {
            return;
        }
        let dbs = &self.keyspace.dbs;
        if let (Some(da), Some(db)) = (dbs.get(a), dbs.get(b)) {
            self.watches.touch_db(a, da, Some(db), now_ms);
            self.watches.touch_db(b, db, Some(da), now_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Session;

    // Outcomes read off redis-server 7.0.15 with the same sequences.
    #[test]
    fn a_change_by_anyone_aborts_exec() {
        let mut s = Session::new();
        let other = s.connect();
        s.expect(&[(&["watch", "a"], "+OK\r\n")]);
        s.run_as(other, &["set", "a", "1"]);
        s.expect(&[
            (&["multi"], "+OK\r\n"),
            (&["get", "a"], "+QUEUED\r\n"),
            (&["exec"], "*-1\r\n"),
            // EXEC unwatched: the same transaction now runs.
            (&["watch", "a"], "+OK\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["get", "a"], "+QUEUED\r\n"),
            (&["exec"], "*1\r\n$1\r\n1\r\n"),
            // The watcher's own write counts too.
            (&["watch", "a"], "+OK\r\n"),
            (&["set", "a", "2"], "+OK\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["exec"], "*-1\r\n"),
        ]);
    }

    /// Whether another client's `cmd` makes a watcher of `key` fail.
    fn touches(s: &mut Session, other: u64, key: &str, cmd: &[&str]) -> bool {
        s.expect(&[(&["watch", key], "+OK\r\n")]);
        s.run_as(other, cmd);
        s.expect(&[(&["multi"], "+OK\r\n")]);
        s.call(&["exec"]) == "*-1\r\n"
    }

    // Redis 7.0 signals entry changes and new streams to watchers, but
    // not consumer-group changes or XSETID.
    #[test]
    fn stream_writes() {
        let mut s = Session::new();
        let other = s.connect();
        let cases: &[(&[&str], bool)] = &[
            (&["xadd", "x", "1-1", "f", "v"], true),
            (&["xadd", "x", "nomkstream", "2-1", "f", "v"], true),
            (&["xtrim", "x", "maxlen", "5"], false),
            (&["xgroup", "create", "x", "g", "0"], false),
            (
                &["xreadgroup", "group", "g", "c", "streams", "x", ">"],
                false,
            ),
            (&["xack", "x", "g", "1-1"], false),
            (&["xsetid", "x", "5-1"], false),
            (&["xdel", "x", "2-1"], true),
            (&["xtrim", "x", "maxlen", "0"], true),
            (&["xgroup", "create", "y", "g", "$", "mkstream"], true),
        ];
        for (cmd, dirty) in cases {
            let key = match cmd[0] {
                "xgroup" => cmd[2],
                "xreadgroup" => cmd[5],
                _ => cmd[1],
            };
            assert_eq!(touches(&mut s, other, key, cmd), *dirty, "{cmd:?}");
        }
    }

    #[test]
    fn unwatch_discard_and_errors() {
        let mut s = Session::new();
        let other = s.connect();
        s.expect(&[(&["watch", "b"], "+OK\r\n"), (&["unwatch"], "+OK\r\n")]);
        s.run_as(other, &["set", "b", "1"]);
        s.expect(&[
            (&["multi"], "+OK\r\n"),
            (
                &["watch", "b"],
                "-ERR WATCH inside MULTI is not allowed\r\n",
            ),
            // The refused WATCH does not doom the transaction.
            (&["exec"], "*0\r\n"),
            (&["watch", "x"], "+OK\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["discard"], "+OK\r\n"),
        ]);
        s.run_as(other, &["set", "x", "1"]);
        s.expect(&[
            (&["multi"], "+OK\r\n"),
            (&["exec"], "*0\r\n"),
            (
                &["watch"],
                "-ERR wrong number of arguments for 'watch' command\r\n",
            ),
            // EXECABORT wins over a touched key.
            (&["watch", "x"], "+OK\r\n"),
            (&["set", "x", "2"], "+OK\r\n"),
            (&["multi"], "+OK\r\n"),
            (
                &["nosuch"],
                "-ERR unknown command 'nosuch', with args beginning with: \r\n",
            ),
            (
                &["exec"],
                "-EXECABORT Transaction discarded because of previous errors.\r\n",
            ),
        ]);
    }

    #[test]
    fn expiry_counts_unless_already_expired_at_watch() {
        let mut s = Session::new();
        s.expect(&[
            (&["set", "e", "1", "px", "100000"], "+OK\r\n"),
            (&["watch", "e"], "+OK\r\n"),
        ]);
        // Past its time at EXEC, looked at or not.
        s.make_expired(0, "e");
        s.expect(&[(&["multi"], "+OK\r\n"), (&["exec"], "*-1\r\n")]);
        s.expect(&[
            (&["set", "e", "1", "px", "100000"], "+OK\r\n"),
            (&["watch", "e"], "+OK\r\n"),
        ]);
        s.make_expired(0, "e");
        s.expect(&[
            (&["get", "e"], "$-1\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["exec"], "*-1\r\n"),
        ]);
        // Already expired when watched: its deletion changes nothing.
        s.expect(&[(&["set", "e", "1", "px", "100000"], "+OK\r\n")]);
        s.make_expired(0, "e");
        s.expect(&[
            (&["watch", "e"], "+OK\r\n"),
            (&["get", "e"], "$-1\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["exec"], "*0\r\n"),
        ]);
    }

    #[test]
    fn flush_and_swapdb_touch_existing_keys_only() {
        let mut s = Session::new();
        let other = s.connect();
        s.expect(&[
            (&["set", "a", "1"], "+OK\r\n"),
            (&["watch", "a", "b"], "+OK\r\n"),
        ]);
        s.run_as(other, &["flushdb"]);
        s.expect(&[(&["multi"], "+OK\r\n"), (&["exec"], "*-1\r\n")]);
        // Nothing watched existed: FLUSHALL changes nothing for us.
        s.expect(&[(&["watch", "a", "b"], "+OK\r\n")]);
        s.run_as(other, &["flushall"]);
        s.expect(&[(&["multi"], "+OK\r\n"), (&["exec"], "*0\r\n")]);
        s.expect(&[
            (&["set", "a", "1"], "+OK\r\n"),
            (&["watch", "a"], "+OK\r\n"),
        ]);
        s.run_as(other, &["swapdb", "0", "1"]);
        s.expect(&[(&["multi"], "+OK\r\n"), (&["exec"], "*-1\r\n")]);
        s.expect(&[(&["watch", "zz"], "+OK\r\n")]);
        s.run_as(other, &["swapdb", "0", "1"]);
        s.expect(&[(&["multi"], "+OK\r\n"), (&["exec"], "*0\r\n")]);
    }

    #[test]
    fn resp3_abort_is_the_null() {
        let mut s = Session::new();
        s.resp3();
        s.expect(&[
            (&["watch", "a"], "+OK\r\n"),
            (&["set", "a", "1"], "+OK\r\n"),
            (&["multi"], "+OK\r\n"),
            (&["exec"], "_\r\n"),
        ]);
    }
}
