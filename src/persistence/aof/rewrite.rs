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

/// Where commands go: a buffer written out whenever it passes 32 KiB, so
/// even a huge collection needs little memory in the child.
struct Emitter<'w> {
    out: &'w mut dyn Write,
    buf: Vec<u8>,
}

impl Emitter<'_> {
    fn cmd(&mut self, c: &Cmd) -> io::Result<()> {
        encode_command(&mut self.buf, &c.0);
        self.flush_if_big()
    }

    fn flush_if_big(&mut self) -> io::Result<()> {
        if self.buf.len() >= 32 * 1024 {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// `name key item...` in commands of at most 64 elements (`per` items to
/// an element: 2 for ZADD's score and member and HMSET's pairs).
struct Batch<'k> {
    name: &'static str,
    key: &'k [u8],
    per: usize,
    cmd: Option<Cmd>,
}

impl<'k> Batch<'k> {
    fn new(name: &'static str, key: &'k [u8], per: usize) -> Batch<'k> {
        Batch {
            name,
            key,
            per,
            cmd: None,
        }
    }

    fn push(&mut self, e: &mut Emitter, item: &[u8]) -> io::Result<()> {
        let cmd = self
            .cmd
            .get_or_insert_with(|| Cmd::new(self.name, self.key));
        cmd.arg(item);
        if cmd.0.len() - 2 == ITEMS_PER_CMD * self.per {
            self.finish(e)?;
        }
        Ok(())
    }

    fn finish(&mut self, e: &mut Emitter) -> io::Result<()> {
        match self.cmd.take() {
            Some(c) => e.cmd(&c),
            None => Ok(()),
        }
    }
}

/// Writes commands rebuilding the whole keyspace to `out`; with
/// `timestamp`, a `#TS:` annotation first (aof-timestamp-enabled).
pub fn write_commands(
    out: &mut dyn Write,
    keyspace: &Keyspace,
    timestamp: Option<i64>,
    key_delay_us: i64,
) -> io::Result<()> {
    if let Some(ts) = timestamp {
        write!(out, "#TS:{ts}\r\n")?;
    }
    let mut e = Emitter {
        out,
        buf: Vec::with_capacity(64 * 1024),
    };
    for (index, db) in keyspace.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        encode_select(&mut e.buf, index);
        for (key, obj) in db.iter() {
            let key = key.as_bytes();
            match &obj.value {
                Value::Str(s) => {
                    let mut digits = [0u8; 20];
                    e.cmd(&Cmd(vec![
                        b"SET".to_vec(),
                        key.to_vec(),
                        s.as_bytes(&mut digits).to_vec(),
                    ]))?;
                }
                Value::List(l) => {
                    let mut b = Batch::new("RPUSH", key, 1);
                    for item in l.iter() {
                        b.push(&mut e, item.as_bytes(&mut [0u8; 32]))?;
                    }
                    b.finish(&mut e)?;
                }
                Value::Set(s) => {
                    let mut b = Batch::new("SADD", key, 1);
                    for m in s.iter() {
                        b.push(&mut e, m.as_bytes(&mut [0u8; 20]))?;
                    }
                    b.finish(&mut e)?;
                }
                Value::ZSet(z) => {
                    let mut b = Batch::new("ZADD", key, 2);
                    let mut result = Ok(());
                    z.for_each(&mut |member, score| {
                        if result.is_ok() {
                            result = b
                                .push(&mut e, &fmt_score(score))
                                .and_then(|_| b.push(&mut e, member.as_bytes(&mut [0u8; 32])));
                        }
                    });
                    result?;
                    b.finish(&mut e)?;
                }
                Value::Hash(h) => {
                    let mut b = Batch::new("HMSET", key, 2);
                    for (f, v) in h.pairs() {
                        b.push(&mut e, f.as_bytes(&mut [0u8; 32]))?;
                        b.push(&mut e, v.as_bytes(&mut [0u8; 32]))?;
                    }
                    b.finish(&mut e)?;
                }
                Value::Stream(s) => {
                    stream(&mut e.buf, key, s);
                    e.flush_if_big()?;
                }
            }
            if obj.has_flag(flags::HAS_EXPIRE)
                && let Some(when) = db.expire_time(key)
            {
                e.cmd(Cmd::new("PEXPIREAT", key).int(when))?;
            }
            crate::persistence::rdb::key_delay(key_delay_us);
            crate::persistence::child_info::key_written();
        }
    }
    e.out.write_all(&e.buf)
}

impl Cmd {
    fn emit(&self, out: &mut Vec<u8>) {
        encode_command(out, &self.0);
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
