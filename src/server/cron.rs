//! The time event: Redis's serverCron, run `hz` times a second from the
//! poll timeout (never from another thread).

use super::Server;
use std::time::{Duration, Instant};

/// Redis raises the cron frequency with many clients so that each tick
/// handles at most about this many (MAX_CLIENTS_PER_CLOCK_TICK).
const MAX_CLIENTS_PER_TICK: usize = 200;

#[derive(Default)]
pub struct CronState {
    loops: u64,
    last_sample_ms: i64,
    last_log_ms: i64,
    last_second: i64,
}

/// One cron tick; returns the time until the next.
pub fn run(server: &mut Server) -> Duration {
    let now = crate::util::now_ms();
    let hz = effective_hz(server);
    let period = Duration::from_millis((1000 / hz).max(1) as u64);
    server.cron.loops += 1;

    sample_ops(server, now);
    // The allocation counter costs a load, so the peak is tracked every
    // tick, as Redis's cronUpdateMemoryStats does.
    let used = crate::commands::stats::used_memory();
    server.engine.memory_peak = server.engine.memory_peak.max(used);
    clients_cron(server, now);
    databases_cron(server, now, period);
    let second = now / 1000 != server.cron.last_second;
    server.cron.last_second = now / 1000;
    server.engine.persistence_cron(now, second);

    if now - server.cron.last_log_ms >= 5000 {
        server.cron.last_log_ms = now;
        for (i, db) in server.engine.keyspace.dbs.iter().enumerate() {
            if !db.is_empty() {
                log::debug!("DB {i}: {} keys ({} volatile)", db.len(), db.expires_len());
            }
        }
        log::debug!("{} clients connected", server.client_count());
    }
    period
}

/// `hz`, doubled while there are many clients per tick (dynamic-hz).
fn effective_hz(server: &Server) -> i64 {
    let mut hz = server.engine.config.hz();
    if server.engine.config.dynamic_hz {
        while (server.client_count() / hz as usize) > MAX_CLIENTS_PER_TICK && hz < 500 {
            hz = (hz * 2).min(500);
        }
    }
    hz
}

/// Samples the command counter every 100 ms for instantaneous_ops_per_sec.
fn sample_ops(server: &mut Server, now: i64) {
    if now - server.cron.last_sample_ms < 100 {
        return;
    }
    server.cron.last_sample_ms = now;
    let stats = &mut server.engine.stats;
    stats
        .ops_samples
        .push_back((now, stats.total_commands_processed));
    while stats.ops_samples.len() > 16 {
        stats.ops_samples.pop_front();
    }
    let net = (
        now,
        stats.total_net_input_bytes,
        stats.total_net_output_bytes,
    );
    stats.net_samples.push_back(net);
    while stats.net_samples.len() > 16 {
        stats.net_samples.pop_front();
    }
}

/// Closes clients idle longer than `timeout` and gives back memory that
/// bursts left in reply buffers.
fn clients_cron(server: &mut Server, now: i64) {
    let timeout_ms = server.engine.config.timeout * 1000;
    let mut idle = Vec::new();
    for (token, slot) in server.clients.iter_mut() {
        let Some(c) = slot else { continue };
        if timeout_ms > 0 && now - c.state.last_interaction_ms > timeout_ms {
            idle.push(token);
            continue;
        }
        c.reply.shrink();
        if c.query.is_empty() && c.query.capacity() > 64 * 1024 && !c.parser.in_request() {
            c.query = bytes::BytesMut::new();
        }
    }
    for token in idle {
        log::debug!("Closing idle client");
        server.close_client(token);
    }
}

/// Active expiry, then incremental rehashing and table shrinking unless
/// a child runs.
fn databases_cron(server: &mut Server, now: i64, period: Duration) {
    let engine = &mut server.engine;
    // Redis gives the slow expire cycle 25% of the tick.
    let budget = period / 4;
    let expired = if engine.active_expire {
        crate::db::expire::active_expire_cycle(
            &mut engine.keyspace,
            now,
            budget,
            &mut engine.expire_next_db,
        )
    } else {
        0
    };
    engine.stats.expired_keys_active += expired;
    // Each key the cycle deleted is logged as a DEL of its own.
    engine.propagate_expired();
    if expired > 0 {
        let (engine, mut view) = server.split(crate::commands::ConnInfo::default(), usize::MAX);
        engine.drain_key_events(None, &mut view, now);
    }
    let engine = &mut server.engine;
    // No resizing or rehashing while a child shares the parent's pages
    // (Redis's databasesCron): each moved bucket would be a copied page.
    if engine.has_active_child() {
        return;
    }
    if engine.config.activerehashing {
        let start = Instant::now();
        for db in &mut engine.keyspace.dbs {
            // About a millisecond of rehashing per tick, as Redis.
            db.maintain_tables(100);
            if start.elapsed() > Duration::from_millis(1) {
                break;
            }
        }
    }
}
