//! The event loop: one thread, one `mio::Poll`, every socket non-blocking.
//!
//! The listeners and every client are registered with the poll; a client's
//! token is its key in the slab of clients. Each turn of the loop:
//!
//! 1. `before_sleep` writes pending replies straight to the sockets (most
//!    replies leave here, with no need to wait for writability);
//! 2. `poll` waits for readiness, at most until the next cron tick;
//! 3. readable clients are read until the socket is drained (mio is
//!    edge-triggered: rule one of mio is to drain readiness), every
//!    complete command in the buffer is executed in order, and the replies
//!    are queued for step 1;
//! 4. the cron (Redis's serverCron, `hz` times a second) expires keys,
//!    closes idle clients and samples statistics.
//!
//! Rule two of mio, spurious events happen, is honoured by treating every
//! event as a hint: a read that would block or a client that is gone is
//! simply skipped.

pub mod client;
mod cron;
mod listen;

use crate::commands::{ClientState, Clients, ConnInfo, Engine};
use crate::protocol::ReplyBuffer;
use client::Client;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook_mio::v1_0::Signals;
use slab::Slab;
use std::collections::HashMap;
use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const SIGNAL_TOKEN: Token = Token(usize::MAX);
/// Listener `i` has token `LISTENER_BASE + i`; clients use slab keys below.
const LISTENER_BASE: usize = usize::MAX - 64;

/// Bytes asked of the kernel per read (Redis's PROTO_IOBUF_LEN), and at
/// most this much for the rest of a big bulk.
const IOBUF_LEN: usize = 16 * 1024;
const MAX_READ_LEN: usize = 1024 * 1024;
/// Bytes read from one client per turn before others get theirs. Small,
/// as Redis reads 16 KiB per event: the replies (and the messages a
/// PUBLISH fans out) of one burst then go out before the next is read,
/// instead of piling up in other clients' buffers.
const MAX_READ_PER_TURN: usize = 64 * 1024;
/// Bytes written to one client per turn (Redis's NET_MAX_WRITES_PER_EVENT),
/// so one huge reply cannot starve the other clients.
const MAX_WRITE_PER_TURN: usize = 64 * 1024;

/// Why a client is being disconnected.
enum Close {
    /// The peer closed or the socket failed.
    Gone,
    /// The query buffer passed client-query-buffer-limit.
    QueryLimit,
}

/// A client slot: `None` while the client is taken out to run commands
/// (so the engine can still see all the other clients).
type Slot = Option<Box<Client>>;

pub struct Server {
    poll: Poll,
    listeners: Vec<TcpListener>,
    clients: Slab<Slot>,
    pub engine: Engine,
    signals: Signals,
    /// Clients with replies to write before the next poll.
    pending_write: Vec<usize>,
    /// Clients whose input was not drained this turn (read budget), or
    /// that have requests waiting since they were unblocked.
    pending_read: Vec<usize>,
    /// Client id to slab key, for reaching a client by id (a blocked
    /// client being served or released).
    ids: HashMap<u64, usize>,
    /// Clients to close without writing what is left (over an output
    /// buffer limit).
    to_close: Vec<usize>,
    next_cron: Instant,
    cron: cron::CronState,
    /// Where ordinary reads land before being copied to a query buffer:
    /// zeroed once, where growing the query buffer by 16 KiB zeroed it
    /// on every read, a cost larger than a small command itself.
    read_buf: Box<[u8]>,
}

impl Server {
    /// Binds the listeners and prepares the loop.
    pub fn new(engine: Engine) -> Result<Server, String> {
        let poll = Poll::new().map_err(|e| format!("Failed creating the event loop: {e}"))?;
        let port = u16::try_from(engine.config.port).unwrap_or(0);
        let backlog = i32::try_from(engine.config.tcp_backlog).unwrap_or(511);
        let mut listeners = listen::bind_all(&engine.config.bind, port, backlog)?;
        for (i, l) in listeners.iter_mut().enumerate() {
            poll.registry()
                .register(l, Token(LISTENER_BASE + i), Interest::READABLE)
                .map_err(|e| format!("Failed registering listener: {e}"))?;
        }
        let mut signals = Signals::new([SIGINT, SIGTERM])
            .map_err(|e| format!("Failed installing signal handlers: {e}"))?;
        poll.registry()
            .register(&mut signals, SIGNAL_TOKEN, Interest::READABLE)
            .map_err(|e| format!("Failed registering signals: {e}"))?;
        Ok(Server {
            poll,
            listeners,
            clients: Slab::new(),
            engine,
            signals,
            pending_write: Vec::new(),
            pending_read: Vec::new(),
            ids: HashMap::new(),
            to_close: Vec::new(),
            next_cron: Instant::now(),
            cron: cron::CronState::default(),
            read_buf: vec![0; IOBUF_LEN].into_boxed_slice(),
        })
    }

    /// The addresses actually listened on.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    /// Runs until SHUTDOWN or a termination signal.
    pub fn run(&mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        while self.engine.shutdown.is_none() {
            self.before_sleep();
            let idle = self.pending_read.is_empty()
                && self.pending_write.is_empty()
                && !self.engine.eviction.running;
            let timeout = if idle {
                self.sleep_time()
            } else if self.pending_read.is_empty()
                && self.pending_write.is_empty()
                && self.engine.eviction_awaits_lazyfree()
            {
                // Eviction waits for the lazyfree thread: polling at once
                // would only spin against it.
                self.sleep_time().min(Duration::from_millis(1))
            } else {
                Duration::ZERO
            };
            match self.poll.poll(&mut events, Some(timeout)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            self.engine.new_batch();
            for event in events.iter() {
                match event.token() {
                    SIGNAL_TOKEN => self.handle_signals(),
                    Token(t) if t >= LISTENER_BASE => self.accept(t - LISTENER_BASE),
                    Token(t) => {
                        // Replies wait for the AOF write of what they
                        // acknowledge, which happens in before_sleep.
                        if event.is_writable() {
                            if self.engine.aof_pending() {
                                self.defer_write(t);
                            } else {
                                self.write_client(t);
                            }
                        }
                        if event.is_readable() || event.is_read_closed() || event.is_error() {
                            // A hang-up must be read through to its end
                            // of stream: no later edge would announce it.
                            let drain = event.is_read_closed() || event.is_error();
                            self.read_client(t, drain);
                        }
                    }
                }
            }
            self.expire_blocked();
            for t in std::mem::take(&mut self.pending_read) {
                if let Some(Some(c)) = self.clients.get_mut(t) {
                    c.queued_read = false;
                    self.read_client(t, true);
                }
            }
            if self.engine.eviction.running {
                self.eviction_proc();
            }
            if Instant::now() >= self.next_cron {
                let period = cron::run(self);
                self.next_cron = Instant::now() + period;
            }
        }
        Ok(())
    }

    /// How long the loop may sleep: until the next cron tick or the next
    /// blocked client's timeout, whichever comes first.
    fn sleep_time(&self) -> Duration {
        let cron = self.next_cron.saturating_duration_since(Instant::now());
        match self.engine.blocking.next_deadline() {
            Some(when) => {
                let ms = (when - crate::util::now_ms()).max(0) as u64;
                cron.min(Duration::from_millis(ms))
            }
            None => cron,
        }
    }

    /// Replies to blocked clients whose timeout has passed.
    fn expire_blocked(&mut self) {
        let now = crate::util::now_ms();
        if self
            .engine
            .blocking
            .next_deadline()
            .is_some_and(|when| when <= now)
        {
            let (engine, mut view) = self.split(ConnInfo::default(), usize::MAX);
            engine.expire_blocked(now, &mut view);
        }
    }

    /// Evicts on with no command waiting, after a call ran out of time
    /// or maxmemory was lowered, and publishes what it evicted.
    fn eviction_proc(&mut self) {
        self.engine.eviction_proc();
        let now = crate::util::now_ms();
        let (engine, mut view) = self.split(ConnInfo::default(), usize::MAX);
        engine.drain_key_events(None, &mut view, now);
    }

    /// The engine and a view of the clients for it, borrowed together;
    /// `current_token` is the client running commands (out of the slab).
    fn split(&mut self, current: ConnInfo, current_token: usize) -> (&mut Engine, ClientsView<'_>) {
        let view = ClientsView {
            clients: &mut self.clients,
            listeners: &mut self.listeners,
            registry: self.poll.registry(),
            tcp_backlog: i32::try_from(self.engine.config.tcp_backlog).unwrap_or(511),
            pending_write: &mut self.pending_write,
            pending_read: &mut self.pending_read,
            to_close: &mut self.to_close,
            ids: &self.ids,
            current,
            current_token,
        };
        (&mut self.engine, view)
    }

    fn handle_signals(&mut self) {
        for sig in self.signals.pending() {
            let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
            log::warn!("Received {name} scheduling shutdown...");
            if self.engine.prepare_shutdown(false, false, false) {
                self.engine.shutdown = Some(crate::commands::Shutdown::Default);
            } else {
                log::warn!(
                    "{name} received but errors trying to shut down the server, check the logs for more information"
                );
            }
        }
    }

    /// Accepts every pending connection on listener `idx`.
    fn accept(&mut self, idx: usize) {
        loop {
            let Some(listener) = self.listeners.get(idx) else {
                return;
            };
            match listener.accept() {
                Ok((stream, peer)) => self.add_client(stream, peer),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    log::warn!("Accepting client connection: {e}");
                    return;
                }
            }
        }
    }

    fn add_client(&mut self, mut stream: TcpStream, peer: SocketAddr) {
        let max = usize::try_from(self.engine.config.maxclients).unwrap_or(usize::MAX);
        if self.clients.len() >= max {
            // Best effort, as Redis: one write of the error, then close.
            let _ = io::Write::write(&mut stream, b"-ERR max number of clients reached\r\n");
            self.engine.stats.rejected_connections += 1;
            return;
        }
        if self.engine.config.protected_mode
            && self.engine.config.requirepass.is_empty()
            && !peer.ip().is_loopback()
        {
            let _ = io::Write::write(&mut stream, PROTECTED_MODE_DENIED);
            self.engine.stats.rejected_connections += 1;
            return;
        }
        listen::tune_accepted(&stream, self.engine.config.tcp_keepalive);
        let local = stream
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let now = crate::util::now_ms();
        let state = self.engine.new_client(peer.to_string(), local, now);
        let entry = self.clients.vacant_entry();
        let token = Token(entry.key());
        if let Err(e) = self
            .poll
            .registry()
            .register(&mut stream, token, Interest::READABLE)
        {
            log::warn!("Error registering fd event for the new client: {e}");
            return;
        }
        log::debug!("Accepted {peer}");
        self.ids.insert(state.id, token.0);
        entry.insert(Some(Box::new(Client::new(stream, state))));
    }

    /// Reads what a client sent and runs every complete command in it.
    /// With `drain`, reading goes on until the socket would block; without,
    /// it stops after a short read, which on a stream socket means the
    /// kernel had nothing more: data arriving later raises a new
    /// edge-triggered event, so the read that would only say "would
    /// block" is saved.
    fn read_client(&mut self, token: usize, drain: bool) {
        let Some(mut client) = self.clients.get_mut(token).and_then(Option::take) else {
            return;
        };
        let outcome = self.read_and_process(&mut client, token, drain);
        let now = crate::util::now_ms();
        self.engine
            .check_output_limit(&mut client.state, &client.reply, now);
        let done = client.done() || client.state.close_asap;
        if let Some(slot) = self.clients.get_mut(token) {
            *slot = Some(client);
        }
        match outcome {
            Err(Close::Gone) => self.close_client(token),
            Err(Close::QueryLimit) => {
                log::warn!("Closing client that reached max query buffer length");
                self.close_client(token);
            }
            Ok(()) if done => self.close_client(token),
            Ok(()) => self.queue_write(token),
        }
        if !self.engine.config.changed.is_empty() {
            self.apply_config_changes();
        }
    }

    /// Reacts to directives changed by CONFIG SET that the loop owns.
    fn apply_config_changes(&mut self) {
        for name in std::mem::take(&mut self.engine.config.changed) {
            if name == "loglevel" && !crate::logging::env_overrides() {
                log::set_max_level(crate::logging::level_filter(self.engine.config.loglevel));
            }
        }
    }

    fn read_and_process(
        &mut self,
        client: &mut Client,
        token: usize,
        drain: bool,
    ) -> Result<(), Close> {
        // Requests that arrived while the client was blocked run first.
        if !client.query.is_empty() && client.state.blocked.is_none() {
            self.process_input(client, token);
        }
        let mut read_this_turn = 0;
        loop {
            if client.state.close_after_reply {
                // After QUIT or a protocol error nothing more is read.
                return Ok(());
            }
            if read_this_turn >= MAX_READ_PER_TURN {
                if !client.queued_read {
                    client.queued_read = true;
                    self.pending_read.push(token);
                }
                return Ok(());
            }
            let want = client
                .parser
                .bulk_bytes_wanted(client.query.len())
                .filter(|&n| n > IOBUF_LEN)
                .map_or(IOBUF_LEN, |n| n.min(MAX_READ_LEN));
            unpin_partial_args(&mut client.args);
            let asked = if want <= self.read_buf.len() {
                self.read_buf.len()
            } else {
                want
            };
            let result = if want <= self.read_buf.len() {
                let result = client.socket.read(&mut self.read_buf);
                let n = *result.as_ref().unwrap_or(&0);
                client
                    .query
                    .extend_from_slice(self.read_buf.get(..n).unwrap_or_default());
                result
            } else {
                // The rest of a big bulk goes straight into place.
                read_into_spare(&client.socket, &mut client.query, want)
            };
            match result {
                // The end of the client's stream: what it sent before is
                // still answered (Redis writes those replies before it
                // reads the end), then the connection closes.
                Ok(0) => {
                    client.state.close_after_reply = true;
                    return Ok(());
                }
                Ok(n) => {
                    read_this_turn += n;
                    self.engine.stats.total_reads_processed += 1;
                    self.engine.stats.total_net_input_bytes += n as u64;
                    client.state.last_interaction_ms = crate::util::now_ms();
                    let limit = usize::try_from(self.engine.config.client_query_buffer_limit)
                        .unwrap_or(usize::MAX);
                    // Only unparsed bytes count, as in Redis: arguments
                    // already split off the buffer are not included.
                    if client.query.len() > limit {
                        return Err(Close::QueryLimit);
                    }
                    self.process_input(client, token);
                    if n < asked && !drain {
                        return Ok(());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    log::debug!("Reading from client: {e}");
                    return Err(Close::Gone);
                }
            }
        }
    }

    /// Parses and executes every complete command in the query buffer, in
    /// order (pipelining); replies accumulate in the reply buffer.
    fn process_input(&mut self, client: &mut Client, token: usize) {
        let (engine, mut view) = self.split(client.conn_info(), token);
        engine.new_batch();
        // A blocked client's further requests wait until it is served.
        while !client.state.close_after_reply
            && engine.shutdown.is_none()
            && client.state.blocked.is_none()
        {
            // Read per request: the command before may have authenticated
            // the client or changed the limit.
            let config = &engine.config;
            let max_bulk = config.proto_max_bulk_len;
            client.parser.auth_required =
                !client.state.authenticated && !config.requirepass.is_empty();
            match client
                .parser
                .parse(&mut client.query, &mut client.args, max_bulk)
            {
                Ok(true) => {
                    engine.execute(
                        &mut client.state,
                        &mut client.reply,
                        &mut view,
                        &client.args,
                    );
                    client.args.clear();
                    engine.serve_ready_keys(&mut view);
                }
                Ok(false) => break,
                Err(e) => {
                    let msg = e.message();
                    log::debug!(
                        "Protocol error ({}) from client: id={} addr={}",
                        msg.trim_start_matches("ERR Protocol error: "),
                        client.state.id,
                        client.state.addr
                    );
                    client.reply.error(&msg);
                    engine.stats.total_error_replies += client.reply.take_error_count();
                    engine.stats.count_error_code(msg.as_bytes());
                    client.state.close_after_reply = true;
                }
            }
        }
    }

    /// Leaves a writable client's output for before_sleep.
    fn defer_write(&mut self, token: usize) {
        if let Some(Some(c)) = self.clients.get_mut(token)
            && !c.queued_write
        {
            c.queued_write = true;
            self.pending_write.push(token);
        }
    }

    fn queue_write(&mut self, token: usize) {
        if let Some(Some(c)) = self.clients.get_mut(token)
            && c.reply.has_pending()
            && !c.queued_write
            && !c.wants_writable
        {
            c.queued_write = true;
            self.pending_write.push(token);
        }
    }

    /// Redis's beforeSleep: write replies directly, in the hope that the
    /// socket takes them without ever waiting for writability. The last
    /// client queued is written first, as Redis does: after a PUBLISH that
    /// is the publisher, whose next request can then be on its way while
    /// the subscribers' messages go out.
    fn before_sleep(&mut self) {
        for t in std::mem::take(&mut self.to_close) {
            self.close_client(t);
        }
        // The AOF first: a reply leaves only once the write it
        // acknowledges is in the file (and on disk with appendfsync
        // always), as Redis's beforeSleep orders it.
        self.engine.flush_aof(false);
        for t in std::mem::take(&mut self.pending_write).into_iter().rev() {
            if let Some(Some(c)) = self.clients.get_mut(t) {
                c.queued_write = false;
                self.write_client(t);
            }
        }
    }

    /// Writes as much pending output as the socket takes (up to the per
    /// turn cap) and adjusts WRITABLE interest to match.
    fn write_client(&mut self, token: usize) {
        let Some(Some(c)) = self.clients.get_mut(token) else {
            return;
        };
        match c.reply.write_to(&mut c.socket, MAX_WRITE_PER_TURN) {
            Ok((n, blocked)) => {
                self.engine.stats.total_writes_processed += 1;
                self.engine.stats.total_net_output_bytes += n as u64;
                let pending = c.reply.has_pending();
                let interest = if pending && blocked {
                    Some(Interest::READABLE | Interest::WRITABLE)
                } else if c.wants_writable && !pending {
                    Some(Interest::READABLE)
                } else {
                    None
                };
                if let Some(interest) = interest {
                    c.wants_writable = pending;
                    if let Err(e) =
                        self.poll
                            .registry()
                            .reregister(&mut c.socket, Token(token), interest)
                    {
                        log::warn!("Error updating fd events: {e}");
                        self.close_client(token);
                        return;
                    }
                }
                if pending && !blocked && !c.queued_write {
                    // Stopped at the cap, not at a full socket: no event
                    // will come, so come back next turn.
                    c.queued_write = true;
                    self.pending_write.push(token);
                }
                if c.done() {
                    self.close_client(token);
                }
            }
            Err(e) => {
                log::debug!("Error writing to client: {e}");
                self.close_client(token);
            }
        }
    }

    fn close_client(&mut self, token: usize) {
        if let Some(Some(mut c)) = self.clients.try_remove(token) {
            let _ = self.poll.registry().deregister(&mut c.socket);
            self.ids.remove(&c.state.id);
            self.engine.client_gone(&mut c.state);
            log::debug!(
                "Client closed connection id={} addr={}",
                c.state.id,
                c.state.addr
            );
        }
    }

    /// Number of connected clients.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }
}

/// Reads up to `want` bytes onto the end of `buf` without zero-filling
/// them first. A big bulk arrives in many reads, and clearing what was
/// still missing before each one cost more than the reads themselves for
/// a 1 MB value (Redis's sdsMakeRoomFor does not clear either).
fn read_into_spare(
    socket: &TcpStream,
    buf: &mut bytes::BytesMut,
    want: usize,
) -> io::Result<usize> {
    buf.reserve(want);
    let spare = buf.spare_capacity_mut();
    let want = want.min(spare.len());
    let n = socket2::SockRef::from(socket).recv(&mut spare[..want])?;
    let n = n.min(want);
    // SAFETY: recv initialized the first `n` bytes of the spare capacity,
    // which follow the buffer's current end.
    unsafe { buf.set_len(buf.len() + n) };
    Ok(n)
}

/// Gives the arguments of a half-received command buffers of their own.
/// They are slices of the query buffer, and while any is alive the buffer
/// cannot be reused in place: the next read would move the buffer to a
/// fresh allocation, and under a pipelined load (redis-cli --pipe) that
/// happens on most reads, leaving holes between the values stored
/// meanwhile. Copying the few small arguments is far cheaper. Arguments
/// copied on an earlier read (unique already) and big ones, which own
/// their allocation, are left alone, so a command spanning many reads is
/// copied once.
fn unpin_partial_args(args: &mut [bytes::Bytes]) {
    for arg in args.iter_mut() {
        if arg.len() < crate::protocol::parser::BIG_ARG && !arg.is_unique() {
            *arg = bytes::Bytes::copy_from_slice(arg);
        }
    }
}

/// What a non-loopback client gets while protected mode applies.
const PROTECTED_MODE_DENIED: &[u8] = b"-DENIED ferredis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. To accept connections from other hosts, set a password (requirepass), or disable protected mode with 'CONFIG SET protected-mode no' from the loopback interface or '--protected-mode no' at start-up, making sure the server is not reachable from the internet.\r\n";

/// The engine's window on the other clients while one client runs
/// commands (that one is out of the slab for the duration).
struct ClientsView<'a> {
    clients: &'a mut Slab<Slot>,
    listeners: &'a mut Vec<TcpListener>,
    registry: &'a mio::Registry,
    tcp_backlog: i32,
    pending_write: &'a mut Vec<usize>,
    pending_read: &'a mut Vec<usize>,
    to_close: &'a mut Vec<usize>,
    ids: &'a HashMap<u64, usize>,
    current: ConnInfo,
    current_token: usize,
}

impl Clients for ClientsView<'_> {
    fn count(&self) -> usize {
        self.clients.len()
    }

    fn for_each_other(&self, f: &mut dyn FnMut(&ClientState, &ReplyBuffer, &ConnInfo)) {
        for (t, slot) in self.clients.iter() {
            if let (Some(c), false) = (slot, t == self.current_token) {
                f(&c.state, &c.reply, &c.conn_info());
            }
        }
    }

    fn current_conn(&self) -> ConnInfo {
        self.current
    }

    fn kill(&mut self, pred: &mut dyn FnMut(&ClientState, &ConnInfo) -> bool) -> usize {
        let mut n = 0;
        for (t, slot) in self.clients.iter_mut() {
            if let (Some(c), false) = (slot, t == self.current_token) {
                let info = c.conn_info();
                if pred(&c.state, &info) {
                    // Closed from before_sleep, once this command is done
                    // (Redis frees killed clients asynchronously too).
                    c.state.close_after_reply = true;
                    c.reply.clear();
                    if !c.queued_write {
                        c.queued_write = true;
                        self.pending_write.push(t);
                    }
                    n += 1;
                }
            }
        }
        n
    }

    fn rebind(&mut self, bind: &[String], port: u16) -> Result<(), String> {
        // As Redis's changeBindAddr: the old listeners close first (the
        // new set may reuse their addresses), then the new ones open.
        for mut old in self.listeners.drain(..) {
            let _ = self.registry.deregister(&mut old);
        }
        let mut fresh = listen::bind_all(bind, port, self.tcp_backlog)?;
        for (i, l) in fresh.iter_mut().enumerate() {
            self.registry
                .register(l, Token(LISTENER_BASE + i), Interest::READABLE)
                .map_err(|e| e.to_string())?;
        }
        *self.listeners = fresh;
        Ok(())
    }

    fn with_client(
        &mut self,
        id: u64,
        f: &mut dyn FnMut(&mut ClientState, &mut ReplyBuffer),
    ) -> bool {
        let Some(&token) = self.ids.get(&id) else {
            return false;
        };
        let Some(Some(c)) = self.clients.get_mut(token) else {
            return false;
        };
        f(&mut c.state, &mut c.reply);
        if c.state.close_asap {
            self.to_close.push(token);
            return true;
        }
        if c.reply.has_pending() && !c.queued_write && !c.wants_writable {
            c.queued_write = true;
            self.pending_write.push(token);
        }
        // Unblocked: what it sent meanwhile can run now.
        if c.state.blocked.is_none() && !c.query.is_empty() && !c.queued_read {
            c.queued_read = true;
            self.pending_read.push(token);
        }
        true
    }
}
