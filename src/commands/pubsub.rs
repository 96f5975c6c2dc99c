//! Publish/subscribe: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNs,
//! PUBLISH, SPUBLISH and PUBSUB.
//!
//! Fire and forget: a message goes to the clients subscribed at the moment
//! it is published (their reply buffers; the loop writes them out) and is
//! not kept. A client subscribed to a channel and to a pattern matching it
//! gets the message once for each. Shard channels (SSUBSCRIBE) are a
//! namespace of their own; ferredis runs standalone, so they behave as in
//! a single-node Redis.

use super::table::{Command, Group, KeySpec, acl, flag};
use super::{ClientState, CmdError, CmdResult, Ctx};
use crate::protocol::{Protocol, ReplyBuffer};
use crate::util::glob;
use bytes::Bytes;
use std::collections::HashMap;

/// Who is subscribed to what.
#[derive(Default)]
pub struct PubSub {
    channels: HashMap<Bytes, Vec<u64>>,
    shard_channels: HashMap<Bytes, Vec<u64>>,
    /// Patterns in the order they were first subscribed, with their
    /// subscribers: PUBLISH tries them in this order.
    patterns: Vec<(Bytes, Vec<u64>)>,
}

/// A client's subscriptions, as its state keeps them.
#[derive(Default, Debug, Clone)]
pub struct Subscriptions {
    pub channels: Vec<Bytes>,
    pub patterns: Vec<Bytes>,
    pub shard_channels: Vec<Bytes>,
}

impl Subscriptions {
    /// Channel and pattern subscriptions (what SUBSCRIBE replies count).
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0 && self.shard_channels.is_empty()
    }
}

/// The three kinds of subscription.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Channel,
    Pattern,
    Shard,
}

impl Kind {
    fn subscribe_word(self) -> &'static [u8] {
        match self {
            Kind::Channel => b"subscribe",
            Kind::Pattern => b"psubscribe",
            Kind::Shard => b"ssubscribe",
        }
    }

    fn unsubscribe_word(self) -> &'static [u8] {
        match self {
            Kind::Channel => b"unsubscribe",
            Kind::Pattern => b"punsubscribe",
            Kind::Shard => b"sunsubscribe",
        }
    }

    fn mine(self, subs: &mut Subscriptions) -> &mut Vec<Bytes> {
        match self {
            Kind::Channel => &mut subs.channels,
            Kind::Pattern => &mut subs.patterns,
            Kind::Shard => &mut subs.shard_channels,
        }
    }

    /// The count a (un)subscribe confirmation carries: shard channels are
    /// counted apart from the others.
    fn count(self, subs: &Subscriptions) -> usize {
        match self {
            Kind::Shard => subs.shard_channels.len(),
            _ => subs.count(),
        }
    }
}

impl PubSub {
    fn subscribers(&mut self, kind: Kind, name: &Bytes) -> &mut Vec<u64> {
        match kind {
            Kind::Channel => self.channels.entry(name.clone()).or_default(),
            Kind::Shard => self.shard_channels.entry(name.clone()).or_default(),
            Kind::Pattern => {
                let i = match self.patterns.iter().position(|(p, _)| p == name) {
                    Some(i) => i,
                    None => {
                        self.patterns.push((name.clone(), Vec::new()));
                        self.patterns.len() - 1
                    }
                };
                &mut self.patterns[i].1
            }
        }
    }

    fn remove(&mut self, kind: Kind, name: &Bytes, id: u64) {
        match kind {
            Kind::Channel | Kind::Shard => {
                let map = if kind == Kind::Channel {
                    &mut self.channels
                } else {
                    &mut self.shard_channels
                };
                if let Some(subs) = map.get_mut(name) {
                    subs.retain(|&c| c != id);
                    if subs.is_empty() {
                        map.remove(name);
                    }
                }
            }
            Kind::Pattern => {
                if let Some(i) = self.patterns.iter().position(|(p, _)| p == name) {
                    self.patterns[i].1.retain(|&c| c != id);
                    if self.patterns[i].1.is_empty() {
                        self.patterns.remove(i);
                    }
                }
            }
        }
    }

    /// Forgets every subscription of a client (disconnect, RESET).
    pub fn forget(&mut self, state: &mut ClientState) {
        let subs = std::mem::take(&mut state.subscriptions);
        for (kind, names) in [
            (Kind::Channel, &subs.channels),
            (Kind::Pattern, &subs.patterns),
            (Kind::Shard, &subs.shard_channels),
        ] {
            for name in names {
                self.remove(kind, name, state.id);
            }
        }
    }

    /// Number of pattern subscriptions (PUBSUB NUMPAT).
    pub fn pattern_count(&self) -> usize {
        self.patterns.iter().map(|(_, s)| s.len()).sum()
    }

    /// Channels with subscribers (INFO pubsub_channels).
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }

    pub fn shard_channel_count(&self) -> usize {
        self.shard_channels.len()
    }

    /// Patterns with subscribers (INFO pubsub_patterns).
    pub fn distinct_patterns(&self) -> usize {
        self.patterns.len()
    }
}

const PUBSUB: u32 = flag::PUBSUB | flag::NOSCRIPT | flag::LOADING | flag::STALE;
const SHARD_KEYS: &[KeySpec] = &[KeySpec {
    notes: None,
    flags: &["not_key"],
    ..KeySpec::range(&[], 1, -1, 1)
}];

static PUBSUB_SUBCOMMANDS: &[Command] = &[
    Command::new("channels", -2, pubsub_channels)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(
            Group::Pubsub,
            "2.8.0",
            "O(N) where N is the number of active channels",
            "Lists the channels that have subscribers.",
        ),
    Command::new("numpat", 2, pubsub_numpat)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(
            Group::Pubsub,
            "2.8.0",
            "O(1)",
            "Counts the pattern subscriptions.",
        ),
    Command::new("numsub", -2, pubsub_numsub)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(
            Group::Pubsub,
            "2.8.0",
            "O(N) for the number of requested channels",
            "Counts the subscribers of channels.",
        ),
    Command::new("shardchannels", -2, pubsub_shardchannels)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(
            Group::Pubsub,
            "7.0.0",
            "O(N) where N is the number of active shard channels",
            "Lists the shard channels that have subscribers.",
        ),
    Command::new("shardnumsub", -2, pubsub_shardnumsub)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(
            Group::Pubsub,
            "7.0.0",
            "O(N) for the number of requested shard channels",
            "Counts the subscribers of shard channels.",
        ),
    Command::new("help", 2, pubsub_help)
        .flags(flag::LOADING | flag::STALE)
        .acl(acl::SLOW)
        .doc(
            Group::Pubsub,
            "6.2.0",
            "O(1)",
            "Lists the PUBSUB subcommands.",
        ),
];

pub static COMMANDS: &[Command] = &[
    Command::new("subscribe", -2, subscribe)
        .flags(PUBSUB)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(Group::Pubsub, "2.0.0", "O(N) where N is the number of channels to subscribe to.", "Listens for messages published to channels."),
    Command::new("unsubscribe", -1, unsubscribe)
        .flags(PUBSUB)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(Group::Pubsub, "2.0.0", "O(N) where N is the number of clients already subscribed to a channel.", "Stops listening to channels (all of them without arguments)."),
    Command::new("psubscribe", -2, psubscribe)
        .flags(PUBSUB)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(Group::Pubsub, "2.0.0", "O(N) where N is the number of patterns the client is already subscribed to.", "Listens for messages published to channels matching patterns."),
    Command::new("punsubscribe", -1, punsubscribe)
        .flags(PUBSUB)
        .acl(acl::PUBSUB | acl::SLOW)
        .doc(Group::Pubsub, "2.0.0", "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).", "Stops listening to patterns (all of them without arguments)."),
    Command::new("ssubscribe", -2, ssubscribe)
        .flags(PUBSUB)
        .acl(acl::PUBSUB | acl::SLOW)
        .keys(1, -1, 1, SHARD_KEYS)
        .doc(Group::Pubsub, "7.0.0", "O(N) where N is the number of shard channels to subscribe to.", "Listens for messages published to shard channels."),
    Command::new("sunsubscribe", -1, sunsubscribe)
        .flags(PUBSUB)
        .acl(acl::PUBSUB | acl::SLOW)
        .keys(1, -1, 1, SHARD_KEYS)
        .doc(Group::Pubsub, "7.0.0", "O(N) where N is the number of clients already subscribed to a shard channel.", "Stops listening to shard channels (all of them without arguments)."),
    Command::new("publish", 3, publish)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE | flag::FAST)
        .acl(acl::PUBSUB | acl::FAST)
        .doc(Group::Pubsub, "2.0.0", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).", "Sends a message to the subscribers of a channel."),
    Command::new("spublish", 3, spublish)
        .flags(flag::PUBSUB | flag::LOADING | flag::STALE | flag::FAST)
        .acl(acl::PUBSUB | acl::FAST)
        .keys(1, 1, 1, &[KeySpec {
            notes: None,
            flags: &["not_key"],
            ..KeySpec::range(&[], 1, 0, 1)
        }])
        .doc(Group::Pubsub, "7.0.0", "O(N) where N is the number of clients subscribed to the receiving shard channel.", "Sends a message to the subscribers of a shard channel."),
    Command::container("pubsub", -2, PUBSUB_SUBCOMMANDS)
        .acl(acl::SLOW)
        .doc(Group::Pubsub, "2.8.0", "Depends on subcommand.", "A container for Pub/Sub introspection commands."),
];

/// Commands a RESP2 client may run while subscribed.
pub fn allowed_while_subscribed(name: &str) -> bool {
    matches!(
        name,
        "ping"
            | "subscribe"
            | "ssubscribe"
            | "unsubscribe"
            | "sunsubscribe"
            | "psubscribe"
            | "punsubscribe"
            | "quit"
            | "reset"
    )
}

/// A (un)subscribe confirmation: `[word, name or nil, count]`.
fn confirm(reply: &mut ReplyBuffer, word: &[u8], name: Option<&[u8]>, count: usize) {
    reply.push(3);
    reply.bulk(word);
    match name {
        Some(n) => reply.bulk(n),
        None => reply.null(),
    }
    reply.int(count as i64);
}

fn do_subscribe(ctx: &mut Ctx, kind: Kind, names: &[Bytes]) -> CmdResult {
    for name in names {
        let name = Bytes::copy_from_slice(name);
        let id = ctx.client.id;
        let mine = kind.mine(&mut ctx.client.subscriptions);
        if !mine.contains(&name) {
            mine.push(name.clone());
            ctx.engine.pubsub.subscribers(kind, &name).push(id);
        }
        let count = kind.count(&ctx.client.subscriptions);
        confirm(ctx.reply, kind.subscribe_word(), Some(&name), count);
    }
    Ok(())
}

fn do_unsubscribe(ctx: &mut Ctx, kind: Kind, names: &[Bytes]) -> CmdResult {
    let names: Vec<Bytes> = if names.is_empty() {
        kind.mine(&mut ctx.client.subscriptions).clone()
    } else {
        names.iter().map(|n| Bytes::copy_from_slice(n)).collect()
    };
    if names.is_empty() {
        // Nothing to leave: one confirmation with a nil name.
        let count = kind.count(&ctx.client.subscriptions);
        confirm(ctx.reply, kind.unsubscribe_word(), None, count);
        return Ok(());
    }
    for name in names {
        let id = ctx.client.id;
        let mine = kind.mine(&mut ctx.client.subscriptions);
        if let Some(i) = mine.iter().position(|n| *n == name) {
            mine.remove(i);
            ctx.engine.pubsub.remove(kind, &name, id);
        }
        let count = kind.count(&ctx.client.subscriptions);
        confirm(ctx.reply, kind.unsubscribe_word(), Some(&name), count);
    }
    Ok(())
}

fn subscribe(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    do_subscribe(ctx, Kind::Channel, &args[1..])
}

fn psubscribe(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    do_subscribe(ctx, Kind::Pattern, &args[1..])
}

fn ssubscribe(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    do_subscribe(ctx, Kind::Shard, &args[1..])
}

fn unsubscribe(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    do_unsubscribe(ctx, Kind::Channel, &args[1..])
}

fn punsubscribe(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    do_unsubscribe(ctx, Kind::Pattern, &args[1..])
}

fn sunsubscribe(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    do_unsubscribe(ctx, Kind::Shard, &args[1..])
}

/// One message frame: `[message, channel, payload]`, or with the pattern
/// (`pmessage`) or for a shard channel (`smessage`).
fn write_message(
    reply: &mut ReplyBuffer,
    kind: &[u8],
    pattern: Option<&[u8]>,
    channel: &[u8],
    payload: &Bytes,
) {
    reply.push(if pattern.is_some() { 4 } else { 3 });
    reply.bulk(kind);
    if let Some(p) = pattern {
        reply.bulk(p);
    }
    reply.bulk(channel);
    // Large payloads are shared by every subscriber's buffer, not copied.
    reply.bulk_shared(payload);
}

/// Delivers a message to every subscriber of `channel` (and, for plain
/// channels, of matching patterns); returns how many deliveries were made.
pub fn publish_message(ctx: &mut Ctx, shard: bool, channel: &[u8], payload: &[u8]) -> usize {
    let current = Some((&mut *ctx.client, &mut *ctx.reply));
    let limits = ctx.engine.config.obuf_limits[2];
    let (n, _) = deliver(
        &ctx.engine.pubsub,
        limits,
        current,
        ctx.clients,
        ctx.now_ms,
        shard,
        channel,
        payload,
    );
    n
}

/// Delivers a message to every subscriber of `channel` and of the patterns
/// matching it. `current` is the client running a command, if any: it is
/// not in the loop's table while it runs. Returns the number of
/// deliveries and the subscribers that could not be reached from here
/// (a blocked client being served sees no other client), with the pattern
/// each was subscribed by, for the caller to deliver later.
#[allow(clippy::too_many_arguments)]
pub fn deliver(
    pubsub: &PubSub,
    limits: crate::config::ObufLimit,
    mut current: Option<(&mut ClientState, &mut ReplyBuffer)>,
    clients: &mut dyn super::Clients,
    now: i64,
    shard: bool,
    channel: &[u8],
    payload: &[u8],
) -> (usize, Vec<(u64, Option<Bytes>)>) {
    let payload = Bytes::copy_from_slice(payload);
    let mut deliveries: Vec<(u64, Option<Bytes>)> = Vec::new();
    let map = if shard {
        &pubsub.shard_channels
    } else {
        &pubsub.channels
    };
    if let Some(subs) = map.get(channel) {
        deliveries.extend(subs.iter().map(|&id| (id, None)));
    }
    if !shard {
        for (pattern, subs) in &pubsub.patterns {
            if glob::matches(pattern, channel) {
                deliveries.extend(subs.iter().map(|&id| (id, Some(pattern.clone()))));
            }
        }
    }
    let kind: &[u8] = if shard { b"smessage" } else { b"message" };
    let mut unreached = Vec::new();
    for (id, pattern) in &deliveries {
        let frame_kind: &[u8] = if pattern.is_some() { b"pmessage" } else { kind };
        let mut deliver = |state: &mut ClientState, reply: &mut ReplyBuffer| {
            write_message(reply, frame_kind, pattern.as_deref(), channel, &payload);
            super::obuf::check_limit(state, reply, limits, now);
        };
        match &mut current {
            Some((state, reply)) if state.id == *id => deliver(state, reply),
            _ => {
                if !clients.with_client(*id, &mut deliver) {
                    unreached.push((*id, pattern.clone()));
                }
            }
        }
    }
    (deliveries.len(), unreached)
}

/// Writes one message frame to a subscriber found later (see [`deliver`]).
pub fn write_late(
    reply: &mut ReplyBuffer,
    state: &mut ClientState,
    limits: crate::config::ObufLimit,
    now: i64,
    pattern: Option<&[u8]>,
    channel: &[u8],
    payload: &Bytes,
) {
    let kind: &[u8] = if pattern.is_some() {
        b"pmessage"
    } else {
        b"message"
    };
    write_message(reply, kind, pattern, channel, payload);
    super::obuf::check_limit(state, reply, limits, now);
}

fn publish(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let n = publish_message(ctx, false, &args[1], &args[2]);
    ctx.reply.int(n as i64);
    Ok(())
}

fn spublish(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let n = publish_message(ctx, true, &args[1], &args[2]);
    ctx.reply.int(n as i64);
    Ok(())
}

/// PUBSUB subcommands take at most one pattern.
fn too_many(args: &[Bytes], max: usize) -> Result<(), CmdError> {
    if args.len() > max {
        return Err(CmdError::quoting(
            "ERR unknown subcommand or wrong number of arguments for '",
            &args[1],
            "'. Try PUBSUB HELP.",
        ));
    }
    Ok(())
}

fn list_channels(ctx: &mut Ctx, args: &[Bytes], shard: bool) -> CmdResult {
    too_many(args, 3)?;
    let pattern = args.get(2);
    let map = if shard {
        &ctx.engine.pubsub.shard_channels
    } else {
        &ctx.engine.pubsub.channels
    };
    let names: Vec<&Bytes> = map
        .keys()
        .filter(|c| pattern.is_none_or(|p| glob::matches(p, c)))
        .collect();
    ctx.reply.array(names.len());
    for n in names {
        ctx.reply.bulk(n);
    }
    Ok(())
}

fn pubsub_channels(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    list_channels(ctx, args, false)
}

fn pubsub_shardchannels(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    list_channels(ctx, args, true)
}

fn count_subscribers(ctx: &mut Ctx, args: &[Bytes], shard: bool) -> CmdResult {
    let map = if shard {
        &ctx.engine.pubsub.shard_channels
    } else {
        &ctx.engine.pubsub.channels
    };
    ctx.reply.map(args.len() - 2);
    for ch in &args[2..] {
        ctx.reply.bulk(ch);
        ctx.reply.int(map.get(ch).map_or(0, Vec::len) as i64);
    }
    Ok(())
}

fn pubsub_numsub(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    count_subscribers(ctx, args, false)
}

fn pubsub_shardnumsub(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    count_subscribers(ctx, args, true)
}

fn pubsub_numpat(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    let n = ctx.engine.pubsub.pattern_count();
    ctx.reply.int(n as i64);
    Ok(())
}

fn pubsub_help(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    super::server::reply_help(
        ctx,
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    );
    Ok(())
}

/// The reply to PING of a RESP2 client in subscribed mode: an array, as
/// Redis answers there.
pub fn subscribed_ping(reply: &mut ReplyBuffer, msg: Option<&[u8]>) {
    reply.array(2);
    reply.bulk(b"pong");
    reply.bulk(msg.unwrap_or(b""));
}

/// Whether a client is in RESP2's subscribed mode.
pub fn in_subscribed_mode(state: &ClientState, reply: &ReplyBuffer) -> bool {
    reply.proto == Protocol::Resp2 && !state.subscriptions.is_empty()
}
