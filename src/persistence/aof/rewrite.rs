//! The base file of an AOF in command form (`aof-use-rdb-preamble no`):
//! the shortest commands that rebuild every key, as Redis's
//! rewriteAppendOnlyFileRio writes them — SET for strings, RPUSH, SADD,
//! ZADD and HMSET with at most 64 elements each, XADD/XSETID/XGROUP/XCLAIM
//! for streams, and a PEXPIREAT after each key with an expire time.
//!
//! Like the RDB encoder, it only reads the keyspace through shared
//! references, so a forked child can run it.

use super::{encode_command, encode_select};
use crate::db::listpack::Entry;
use crate::db::stream::{Stream, StreamId};
use crate::db::value::flags;
use crate::db::{Keyspace, Value};
use std::io::{self, Write};

/// Redis's AOF_REWRITE_ITEMS_PER_CMD.
const ITEMS_PER_CMD: usize = 64;

/// A command being built: its arguments as owned bytes.
#[derive(Default)]
struct Cmd(Vec<Vec<u8>>);

impl Cmd {
    fn new(name: &str, key: &[u8]) -> Cmd {
        Cmd(vec![name.as_bytes().to_vec(), key.to_vec()])
    }
    fn arg(&mut self, a: &[u8]) -> &mut Cmd {
        self.0.push(a.to_vec());
        self
    }
    fn int(&mut self, n: i64) -> &mut Cmd {
        self.0.push(n.to_string().into_bytes());
        self
    }
    fn id(&mut self, id: StreamId) -> &mut Cmd {
        self.0.push(id.to_string().into_bytes());
        self
    }
}

/// Writes commands rebuilding the whole keyspace to `out`; with
/// `timestamp`, a `#TS:` annotation first (aof-timestamp-enabled).
pub fn write_commands<W: Write + ?Sized>(
    out: &mut W,
    keyspace: &Keyspace,
    timestamp: Option<i64>,
    key_delay_us: i64,
) -> io::Result<()> {
    if let Some(ts) = timestamp {
        write!(out, "#TS:{ts}\r\n")?;
    }
    let mut buf = Vec::with_capacity(64 * 1024);
    for (index, db) in keyspace.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        encode_select(&mut buf, index);
        for (key, obj) in db.iter() {
            let key = key.as_bytes();
            match &obj.value {
                Value::Str(s) => {
                    let mut digits = [0u8; 20];
                    encode_command(&mut buf, &[&b"SET"[..], key, s.as_bytes(&mut digits)]);
                }
                Value::List(l) => {
                    let items: Vec<Vec<u8>> = l.iter().map(|e| entry_bytes(&e)).collect();
                    variadic(&mut buf, "RPUSH", key, &items, 1);
                }
                Value::Set(s) => {
                    let items: Vec<Vec<u8>> = s
                        .iter()
                        .map(|m| m.as_bytes(&mut [0u8; 20]).to_vec())
                        .collect();
                    variadic(&mut buf, "SADD", key, &items, 1);
                }
                Value::ZSet(z) => {
                    let mut items = Vec::with_capacity(z.len() * 2);
                    z.for_each(&mut |member, score| {
                        items.push(fmt_score(score));
                        items.push(entry_bytes(&member));
                    });
                    variadic(&mut buf, "ZADD", key, &items, 2);
                }
                Value::Hash(h) => {
                    let mut items = Vec::with_capacity(h.len() * 2);
                    for (f, v) in h.pairs() {
                        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
                        items.push(f.as_bytes(&mut a).to_vec());
                        items.push(v.as_bytes(&mut b).to_vec());
                    }
                    variadic(&mut buf, "HMSET", key, &items, 2);
                }
                Value::Stream(s) => stream(&mut buf, key, s),
            }
            if obj.has_flag(flags::HAS_EXPIRE)
                && let Some(when) = db.expire_time(key)
            {
                Cmd::new("PEXPIREAT", key).int(when).emit(&mut buf);
            }
            if buf.len() >= 32 * 1024 {
                out.write_all(&buf)?;
                buf.clear();
            }
            crate::persistence::rdb::key_delay(key_delay_us);
        }
    }
    out.write_all(&buf)
}

impl Cmd {
    fn emit(&self, out: &mut Vec<u8>) {
        encode_command(out, &self.0);
    }
}

/// `name key item...` in commands of at most 64 elements (`per` items to
/// an element: 2 for ZADD's score and member and HMSET's pairs).
fn variadic(out: &mut Vec<u8>, name: &str, key: &[u8], items: &[Vec<u8>], per: usize) {
    for chunk in items.chunks(ITEMS_PER_CMD * per) {
        let mut cmd = Cmd::new(name, key);
        for item in chunk {
            cmd.arg(item);
        }
        cmd.emit(out);
    }
}

fn entry_bytes(e: &Entry) -> Vec<u8> {
    e.as_bytes(&mut [0u8; 32]).to_vec()
}

/// A score as Redis's rioWriteBulkDouble prints it (`%.17g`).
fn fmt_score(score: f64) -> Vec<u8> {
    crate::util::float::fmt_f64(c"%.17g", score).into_bytes()
}

/// A stream: its entries, its last ID and counters, its groups with their
/// pending entries (XCLAIM ... JUSTID FORCE) and idle consumers.
fn stream(out: &mut Vec<u8>, key: &[u8], s: &Stream) {
    if s.is_empty() {
        // XADD MAXLEN 0 makes an empty stream.
        Cmd::new("XADD", key)
            .arg(b"MAXLEN")
            .arg(b"0")
            .id(StreamId { ms: 0, seq: 1 })
            .arg(b"x")
            .arg(b"y")
            .emit(out);
    } else {
        s.range(StreamId::MIN, StreamId::MAX, false, &mut |id, fields| {
            let mut cmd = Cmd::new("XADD", key);
            cmd.id(id);
            for f in fields {
                cmd.arg(&entry_bytes(f));
            }
            cmd.emit(out);
            true
        });
    }
    Cmd::new("XSETID", key)
        .id(s.last_id)
        .arg(b"ENTRIESADDED")
        .int(i64::try_from(s.entries_added).unwrap_or(i64::MAX))
        .arg(b"MAXDELETEDID")
        .id(s.max_deleted)
        .emit(out);
    for (name, g) in &s.groups {
        let mut create = Cmd(vec![b"XGROUP".to_vec(), b"CREATE".to_vec(), key.to_vec()]);
        create
            .arg(name)
            .id(g.last_id)
            .arg(b"ENTRIESREAD")
            .int(g.entries_read)
            .emit(out);
        for (cname, c) in &g.consumers {
            if c.pel.is_empty() {
                Cmd(vec![
                    b"XGROUP".to_vec(),
                    b"CREATECONSUMER".to_vec(),
                    key.to_vec(),
                ])
                .arg(name)
                .arg(cname)
                .emit(out);
                continue;
            }
            for id in &c.pel {
                let Some(p) = g.pel.get(id) else { continue };
                Cmd::new("XCLAIM", key)
                    .arg(name)
                    .arg(cname)
                    .arg(b"0")
                    .id(*id)
                    .arg(b"TIME")
                    .int(p.delivery_time)
                    .arg(b"RETRYCOUNT")
                    .int(i64::try_from(p.delivery_count).unwrap_or(i64::MAX))
                    .arg(b"JUSTID")
                    .arg(b"FORCE")
                    .emit(out);
            }
        }
    }
}
