//! The CLIENT LIST / CLIENT INFO line of a client, and the facts about
//! clients that CLIENT KILL and INFO share with it.

use super::{ClientState, ConnInfo, Ctx};
use crate::protocol::{Protocol, ReplyBuffer};
use std::fmt::Write;

/// Redis's client types, as CLIENT LIST TYPE and CLIENT KILL TYPE name
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    Normal,
    Replica,
    Pubsub,
    Master,
}

impl ClientType {
    /// Redis's getClientTypeByName: `slave` is the old name of `replica`.
    pub fn by_name(name: &[u8]) -> Option<ClientType> {
        use super::is;
        match () {
            _ if is(name, "normal") => Some(ClientType::Normal),
            _ if is(name, "slave") || is(name, "replica") => Some(ClientType::Replica),
            _ if is(name, "pubsub") => Some(ClientType::Pubsub),
            _ if is(name, "master") => Some(ClientType::Master),
            _ => None,
        }
    }
}

/// A client's type. ferredis has no replication or Pub/Sub yet, so every
/// client is a normal one.
pub fn client_type(_: &ClientState) -> ClientType {
    ClientType::Normal
}

/// Calls `f` for every connected client, the caller first. `args` are
/// the arguments of the command running: the caller's `argv-mem`, as
/// Redis counts them while the command runs.
pub fn for_each_client(
    ctx: &Ctx,
    args: &[bytes::Bytes],
    f: &mut dyn FnMut(&ClientState, &ReplyBuffer, &ConnInfo),
) {
    f(ctx.client, ctx.reply, &current_conn(ctx, args));
    ctx.clients.for_each_other(f);
}

/// The caller's connection facts while it runs a command with `args`.
pub fn current_conn(ctx: &Ctx, args: &[bytes::Bytes]) -> ConnInfo {
    ConnInfo {
        argv_mem: args.iter().map(|a| a.len()).sum(),
        ..ctx.clients.current_conn()
    }
}

/// What a client costs in memory (CLIENT LIST `tot-mem`, INFO
/// mem_clients_normal): its state, query buffer, pending arguments and
/// output.
pub fn client_memory(state: &ClientState, reply: &ReplyBuffer, conn: &ConnInfo) -> usize {
    std::mem::size_of::<ClientState>()
        + state.name.len()
        + conn.qbuf
        + conn.qbuf_free
        + conn.argv_mem
        + reply.allocated()
}

/// `%s` of a C string: the bytes up to a NUL.
fn c_str(b: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(super::c_str_prefix(b, usize::MAX))
}

/// Appends a client's line, without the trailing newline, with Redis
/// 7.0's fields in its order and 7.2's lib-name and lib-ver at the end.
pub fn write_line(
    out: &mut String,
    c: &ClientState,
    reply: &ReplyBuffer,
    conn: &ConnInfo,
    now_ms: i64,
) {
    let now_s = now_ms / 1000;
    // Redis's flag letters, in its order: x in MULTI, b blocked, c close
    // after reply; N when there are none.
    let mut flags = String::new();
    if c.in_multi {
        flags.push('x');
    }
    if c.blocked.is_some() {
        flags.push('b');
    }
    if !c.subscriptions.is_empty() {
        flags.push('P');
    }
    if c.close_after_reply {
        flags.push('c');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let (obl, oll, omem) = reply.list_stats();
    let rbs = reply.buffer_capacity();
    // Queued commands (-1 outside MULTI) and the bytes of their arguments.
    let multi = if c.in_multi {
        c.queued.len() as i64
    } else {
        -1
    };
    let multi_mem: usize = c.queued.iter().flatten().map(|a| a.len()).sum();
    let resp = match reply.proto {
        Protocol::Resp2 => 2,
        Protocol::Resp3 => 3,
    };
    let _ = write!(
        out,
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={flags} \
         db={} sub={} psub={} ssub={} multi={multi} qbuf={} qbuf-free={} argv-mem={} \
         multi-mem={multi_mem} rbs={rbs} rbp={rbs} obl={obl} oll={oll} omem={omem} \
         tot-mem={} events={} cmd={} user=default redir=-1 resp={resp} \
         lib-name={} lib-ver={}",
        c.id,
        c.addr,
        c.laddr,
        conn.fd,
        c_str(&c.name),
        now_s - c.created_ms / 1000,
        now_s - c.last_interaction_ms / 1000,
        c.db,
        c.subscriptions.channels.len(),
        c.subscriptions.patterns.len(),
        c.subscriptions.shard_channels.len(),
        conn.qbuf,
        conn.qbuf_free,
        conn.argv_mem,
        client_memory(c, reply, conn),
        conn.events,
        c.last_cmd,
        c_str(&c.lib_name),
        c_str(&c.lib_ver),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_has_redis_fields_in_order() {
        let c = ClientState::new(7, "127.0.0.1:5000".into(), "127.0.0.1:6379".into(), 10_000);
        let mut out = String::new();
        let conn = ConnInfo {
            fd: 9,
            events: "r",
            ..ConnInfo::default()
        };
        write_line(&mut out, &c, &ReplyBuffer::new(), &conn, 12_500);
        let names: Vec<&str> = out
            .split(' ')
            .map(|f| f.split_once('=').map_or(f, |(n, _)| n))
            .collect();
        assert_eq!(
            names,
            [
                "id",
                "addr",
                "laddr",
                "fd",
                "name",
                "age",
                "idle",
                "flags",
                "db",
                "sub",
                "psub",
                "ssub",
                "multi",
                "qbuf",
                "qbuf-free",
                "argv-mem",
                "multi-mem",
                "rbs",
                "rbp",
                "obl",
                "oll",
                "omem",
                "tot-mem",
                "events",
                "cmd",
                "user",
                "redir",
                "resp",
                "lib-name",
                "lib-ver"
            ]
        );
        assert!(out.starts_with(
            "id=7 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=9 name= age=2 idle=2 flags=N db=0 \
             sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 "
        ));
        assert!(
            out.ends_with(" events=r cmd=NULL user=default redir=-1 resp=2 lib-name= lib-ver=")
        );
    }
}
