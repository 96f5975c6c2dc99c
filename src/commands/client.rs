//! What the engine knows about a client: Redis's `client` struct minus
//! the socket and buffers, which stay in the event loop.

use crate::protocol::ReplyBuffer;
use std::borrow::Cow;

/// One client's state as commands see it.
pub struct ClientState {
    /// Unique, increasing id (CLIENT ID).
    pub id: u64,
    /// Selected database (SELECT).
    pub db: usize,
    /// CLIENT SETNAME; empty when unset.
    pub name: Vec<u8>,
    /// CLIENT SETINFO LIB-NAME / LIB-VER.
    pub lib_name: Vec<u8>,
    pub lib_ver: Vec<u8>,
    /// Peer and local addresses, `ip:port`.
    pub addr: String,
    pub laddr: String,
    pub created_ms: i64,
    /// Last time the client sent something (for idle time and `timeout`).
    pub last_interaction_ms: i64,
    pub authenticated: bool,
    /// Close the connection once pending replies are written (QUIT,
    /// protocol errors, CLIENT KILL of oneself).
    pub close_after_reply: bool,
    /// CLIENT REPLY OFF.
    pub reply_off: bool,
    /// CLIENT REPLY SKIP: the next command's reply is dropped...
    pub reply_skip_next: bool,
    /// ...which is this one.
    pub reply_skip: bool,
    /// Name of the last command run (CLIENT LIST `cmd=`).
    pub last_cmd: Cow<'static, str>,
    /// What the client is blocked on (BLPOP ...); its further requests
    /// wait in the query buffer until it is served or times out.
    pub blocked: Option<super::blocking::BlockedOn>,
    /// While a blocked client is served: the key whose data woke it.
    pub woken_by: Option<bytes::Bytes>,
    /// Inside MULTI: commands are queued.
    pub in_multi: bool,
    /// The commands queued since MULTI.
    pub queued: Vec<Vec<bytes::Bytes>>,
    /// A queued command was refused: EXEC will abort.
    pub multi_error: bool,
    /// Running the queue of EXEC (blocking commands answer at once).
    pub in_exec: bool,
    /// Never blocks (the client replaying an AOF, as Redis's
    /// CLIENT_DENY_BLOCKING): blocking commands answer at once.
    pub deny_blocking: bool,
    /// Channels, patterns and shard channels subscribed to.
    pub subscriptions: super::pubsub::Subscriptions,
    /// Since when the output has been over the soft limit.
    pub obuf_soft_since: Option<i64>,
    /// Over an output buffer limit: closed without writing what is left.
    pub close_asap: bool,
}

impl ClientState {
    /// Leaves MULTI, dropping whatever was queued.
    pub fn reset_multi(&mut self) {
        self.in_multi = false;
        self.queued.clear();
        self.multi_error = false;
    }

    pub fn new(id: u64, addr: String, laddr: String, now_ms: i64) -> ClientState {
        ClientState {
            id,
            db: 0,
            name: Vec::new(),
            lib_name: Vec::new(),
            lib_ver: Vec::new(),
            addr,
            laddr,
            created_ms: now_ms,
            last_interaction_ms: now_ms,
            authenticated: false,
            close_after_reply: false,
            reply_off: false,
            reply_skip_next: false,
            reply_skip: false,
            last_cmd: Cow::Borrowed("NULL"),
            blocked: None,
            woken_by: None,
            in_multi: false,
            queued: Vec::new(),
            multi_error: false,
            in_exec: false,
            deny_blocking: false,
            subscriptions: Default::default(),
            obuf_soft_since: None,
            close_asap: false,
        }
    }

    /// The peer's IP address, without the port (and without the brackets
    /// of an IPv6 address).
    pub fn ip(&self) -> &str {
        let ip = self.addr.rsplit_once(':').map_or("", |(ip, _)| ip);
        ip.trim_start_matches('[').trim_end_matches(']')
    }

    /// Whether the client connects from the loopback address, as Redis's
    /// islocalClient decides it (exactly 127.0.0.1 or ::1).
    pub fn is_local(&self) -> bool {
        matches!(self.ip(), "127.0.0.1" | "::1")
    }
}

/// Facts about a client's connection that only the event loop knows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConnInfo {
    pub fd: i32,
    /// Bytes in the query buffer, and its free capacity.
    pub qbuf: usize,
    pub qbuf_free: usize,
    /// Bytes of arguments of a partly received command.
    pub argv_mem: usize,
    /// Readiness the loop waits for: "r" or "rw".
    pub events: &'static str,
}

/// The engine's view of the other connected clients, provided by the
/// event loop (CLIENT LIST, CLIENT KILL, INFO clients).
pub trait Clients {
    /// Connected clients, the caller included.
    fn count(&self) -> usize;
    /// Calls `f` for every client other than the caller.
    fn for_each_other(&self, f: &mut dyn FnMut(&ClientState, &ReplyBuffer, &ConnInfo));
    /// The caller's own connection facts.
    fn current_conn(&self) -> ConnInfo;
    /// Closes every other client for which `pred` holds; returns how many.
    fn kill(&mut self, pred: &mut dyn FnMut(&ClientState, &ConnInfo) -> bool) -> usize;
    /// Listens on new addresses instead of the current ones (CONFIG SET
    /// bind/port); on failure the old listeners stay. The listeners belong
    /// to the event loop, as the client sockets do.
    fn rebind(&mut self, bind: &[String], port: u16) -> Result<(), String>;
    /// Runs `f` on another client's state and reply buffer (serving or
    /// releasing a blocked client); false if there is no such client.
    /// The event loop then writes what `f` replied and, once the client is
    /// no longer blocked, runs the requests it sent meanwhile.
    fn with_client(
        &mut self,
        id: u64,
        f: &mut dyn FnMut(&mut ClientState, &mut ReplyBuffer),
    ) -> bool;
}

/// No other clients: for running the engine without a network.
pub struct NoClients;

impl Clients for NoClients {
    fn count(&self) -> usize {
        1
    }
    fn for_each_other(&self, _: &mut dyn FnMut(&ClientState, &ReplyBuffer, &ConnInfo)) {}
    fn current_conn(&self) -> ConnInfo {
        ConnInfo {
            fd: -1,
            events: "r",
            ..ConnInfo::default()
        }
    }
    fn kill(&mut self, _: &mut dyn FnMut(&ClientState, &ConnInfo) -> bool) -> usize {
        0
    }
    fn rebind(&mut self, _: &[String], _: u16) -> Result<(), String> {
        Ok(())
    }
    fn with_client(
        &mut self,
        _: u64,
        _: &mut dyn FnMut(&mut ClientState, &mut ReplyBuffer),
    ) -> bool {
        false
    }
}
