//! CONFIG GET, SET, RESETSTAT and HELP, over the directive table in
//! crate::config.

use super::table::{Command, Group, acl, flag};
use super::{CmdError, CmdResult, Ctx, text};
use bytes::Bytes;

const ADMIN: u32 = flag::ADMIN | flag::NOSCRIPT | flag::LOADING | flag::STALE;
const ADMIN_ACL: u32 = acl::ADMIN | acl::SLOW | acl::DANGEROUS;

static SUBCOMMANDS: &[Command] = &[
    Command::new("get", -3, config_get)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            Group::Server,
            "2.0.0",
            "O(N) when N is the number of configuration parameters provided",
            "Returns the values of configuration directives.",
        ),
    Command::new("set", -4, config_set)
        .flags(ADMIN | flag::MAY_REPLICATE)
        .acl(ADMIN_ACL)
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc(
            Group::Server,
            "2.0.0",
            "O(N) when N is the number of configuration parameters provided",
            "Sets configuration directives at run time.",
        ),
    Command::new("resetstat", 2, config_resetstat)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            Group::Server,
            "2.0.0",
            "O(1)",
            "Resets the server's statistics.",
        ),
    Command::new("help", 2, config_help)
        .flags(flag::LOADING | flag::STALE)
        .acl(acl::SLOW)
        .doc(
            Group::Server,
            "5.0.0",
            "O(1)",
            "Lists the CONFIG subcommands.",
        ),
];

pub static COMMANDS: &[Command] = &[Command::container("config", -2, SUBCOMMANDS)
    .acl(acl::SLOW)
    .doc(
        Group::Server,
        "2.0.0",
        "Depends on subcommand.",
        "A container for configuration commands.",
    )];

fn config_get(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let patterns: Vec<String> = args[2..].iter().map(|a| text(a).into_owned()).collect();
    let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let pairs = ctx.engine.config.config_get(&patterns);
    ctx.reply.map(pairs.len());
    for (name, value) in pairs {
        ctx.reply.bulk(name.as_bytes());
        ctx.reply.bulk(value.as_bytes());
    }
    Ok(())
}

fn config_set(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    // A name without its value (past the arity check) is a syntax error.
    if !args.len().is_multiple_of(2) {
        return Err(CmdError::SYNTAX);
    }
    let owned: Vec<(String, String)> = args[2..]
        .chunks(2)
        .map(|p| (text(&p[0]).into_owned(), text(&p[1]).into_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let config = &mut ctx.engine.config;
    let (old_bind, old_port) = (config.bind.clone(), config.port);
    let (old_maxmemory, old_bg_thread) = (config.maxmemory, config.jemalloc_bg_thread);
    config.config_set(&pairs).map_err(CmdError::msg)?;
    if config.jemalloc_bg_thread != old_bg_thread {
        crate::alloc::set_background_thread(config.jemalloc_bg_thread);
    }
    if config.maxmemory != old_maxmemory {
        ctx.engine.maxmemory_changed();
    }
    let config = &mut ctx.engine.config;
    if config.bind != old_bind || config.port != old_port {
        // Redis moves its listeners at once, and undoes the whole CONFIG
        // SET when the new address cannot be bound.
        let port = u16::try_from(config.port).unwrap_or(0);
        if let Err(why) = ctx.clients.rebind(&config.bind, port) {
            log::warn!("Failed to bind: {why}");
            let (arg, msg) = if config.port != old_port {
                ("port", "Unable to listen on this port. Check server logs.")
            } else {
                ("bind", "Failed to bind to specified addresses.")
            };
            config.bind = old_bind;
            config.port = old_port;
            let old_port = u16::try_from(old_port).unwrap_or(0);
            if let Err(why) = ctx.clients.rebind(&config.bind, old_port) {
                log::warn!("Failed to listen again on the previous addresses: {why}");
            }
            return Err(CmdError::msg(format!(
                "ERR CONFIG SET failed (possibly related to argument '{arg}') - {msg}"
            )));
        }
        ctx.engine.tcp_port = port;
    }
    apply_appendonly(ctx)?;
    ctx.reply.ok();
    Ok(())
}

/// Turns the AOF on or off to match `appendonly` (Redis's
/// updateAppendonly); failing to start the first rewrite undoes the set.
fn apply_appendonly(ctx: &mut Ctx) -> CmdResult {
    use crate::persistence::aof::AofState;
    let (enabled, state) = (ctx.engine.config.appendonly, ctx.engine.aof.state);
    if !enabled && state != AofState::Off {
        ctx.engine.stop_append_only(ctx.now_ms);
    } else if enabled
        && state == AofState::Off
        && !ctx.engine.start_append_only(ctx.client.in_exec, ctx.now_ms)
    {
        ctx.engine.config.appendonly = false;
        return Err(CmdError::text(
            "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
        ));
    }
    Ok(())
}

fn config_resetstat(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    let engine = &mut *ctx.engine;
    // As Redis's resetServerStats, the instantaneous samples start over
    // too (a sample from before would make the rates negative).
    engine.stats = super::Stats::default();
    engine.keyspace.reset_stats();
    engine.cmd_stats.fill(Default::default());
    engine.cmd_latency.fill_with(|| None);
    engine.memory_peak = super::stats::used_memory();
    engine.eviction.reset_stats();
    crate::db::lazyfree::global().reset_stats();
    ctx.reply.ok();
    Ok(())
}

fn config_help(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    super::server::reply_help(
        ctx,
        "CONFIG",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
        ],
    );
    Ok(())
}
