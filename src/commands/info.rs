//! INFO: the server's state as `field:value` lines in sections, with
//! Redis 7.0's section names, field names and order. The values are
//! ferredis's own; what ferredis does not have yet (persistence,
//! replication, scripting) reports the values of an idle Redis.

use super::stats::{self, bytes_to_human, fmt2};
use super::{CmdResult, Ctx, client_list};
use bytes::Bytes;
use std::fmt::{Display, Write};

/// The sections plain `INFO` and `INFO default` show (`module_list` is
/// how Redis names the Modules section here).
const DEFAULT_SECTIONS: [&str; 11] = [
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "module_list",
    "errorstats",
    "cluster",
    "keyspace",
];

/// Which sections a call asked for.
struct Selection {
    names: Vec<String>,
    all: bool,
}

impl Selection {
    /// Redis 7.0's genInfoSectionDict: any number of section names,
    /// `default`, `all` (every section) and `everything` (all, plus the
    /// modules' own, of which ferredis has none). Names ignore case.
    fn parse(args: &[Bytes]) -> Selection {
        let mut sel = Selection {
            names: Vec::new(),
            all: false,
        };
        if args.is_empty() {
            sel.add_defaults();
        }
        for a in args {
            if super::is(a, "default") {
                sel.add_defaults();
            } else if super::is(a, "all") || super::is(a, "everything") {
                sel.all = true;
            } else {
                // Redis copies the name as a C string: it ends at a NUL.
                let name = String::from_utf8_lossy(super::c_str_prefix(a, usize::MAX))
                    .to_ascii_lowercase();
                sel.names.push(name);
            }
        }
        sel
    }

    fn add_defaults(&mut self) {
        self.names
            .extend(DEFAULT_SECTIONS.iter().map(|s| s.to_string()));
    }

    fn wants(&self, name: &str) -> bool {
        self.all || self.names.iter().any(|n| n == name)
    }
}

/// Writes one section's fields.
type Section = fn(&mut Ctx, &[Bytes], &mut Info);

/// The text being built: sections separated by an empty line.
struct Info {
    out: String,
    sections: usize,
}

impl Info {
    fn section(&mut self, title: &str) {
        if self.sections > 0 {
            self.out.push_str("\r\n");
        }
        self.sections += 1;
        let _ = write!(self.out, "# {title}\r\n");
    }

    fn field(&mut self, name: &str, value: impl Display) {
        let _ = write!(self.out, "{name}:{value}\r\n");
    }
}

pub fn info(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let sel = Selection::parse(&args[1..]);
    let mut info = Info {
        out: String::with_capacity(4096),
        sections: 0,
    };
    let sections: [(&str, &str, Section); 13] = [
        ("server", "Server", server),
        ("clients", "Clients", clients),
        ("memory", "Memory", memory),
        ("persistence", "Persistence", persistence),
        ("stats", "Stats", stats_section),
        ("replication", "Replication", replication),
        ("cpu", "CPU", cpu),
        ("modules", "Modules", |_, _, _| {}),
        ("commandstats", "Commandstats", commandstats),
        ("errorstats", "Errorstats", errorstats),
        ("latencystats", "Latencystats", latencystats),
        ("cluster", "Cluster", |_, _, i| {
            i.field("cluster_enabled", 0)
        }),
        ("keyspace", "Keyspace", keyspace),
    ];
    for (name, title, write) in sections {
        let wanted = sel.wants(name) || (name == "modules" && sel.wants("module_list"));
        if wanted {
            info.section(title);
            write(ctx, args, &mut info);
        }
    }
    ctx.reply.verbatim(info.out.as_bytes(), "txt");
    Ok(())
}

/// A stable build id: a hash of the package version, in hex.
fn build_id() -> String {
    let v = env!("CARGO_PKG_VERSION");
    let h = v.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{h:x}")
}

fn server(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let e = &*ctx.engine;
    let uptime = e.started.elapsed().as_secs();
    i.field("redis_version", crate::REDIS_VERSION);
    i.field("ferredis_version", env!("CARGO_PKG_VERSION"));
    i.field("redis_git_sha1", "00000000");
    i.field("redis_git_dirty", 0);
    i.field("redis_build_id", build_id());
    i.field("redis_mode", "standalone");
    i.field("os", stats::os_name());
    i.field("arch_bits", usize::BITS);
    i.field("monotonic_clock", "POSIX clock_gettime");
    i.field("multiplexing_api", "epoll");
    i.field("atomicvar_api", "c11-builtin");
    // Redis prints the C compiler's version; ferredis is not built by one.
    i.field("gcc_version", "0.0.0");
    i.field("process_id", std::process::id());
    i.field("process_supervised", "no");
    i.field("run_id", &e.run_id);
    i.field("tcp_port", e.tcp_port);
    i.field("server_time_usec", crate::util::now_us());
    i.field("uptime_in_seconds", uptime);
    i.field("uptime_in_days", uptime / 86400);
    i.field("hz", e.config.hz());
    i.field("configured_hz", e.config.hz);
    i.field("lru_clock", crate::db::value::lru_clock(ctx.now_ms));
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    i.field("executable", exe);
    let config_file = e
        .config
        .config_file
        .as_ref()
        .and_then(|f| std::path::absolute(f).ok())
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    i.field("config_file", config_file);
    i.field("io_threads_active", 0);
}

fn clients(ctx: &mut Ctx, args: &[Bytes], i: &mut Info) {
    let (mut max_in, mut max_out) = (0, 0);
    client_list::for_each_client(ctx, args, &mut |_, reply, conn| {
        max_in = max_in.max(conn.qbuf + conn.qbuf_free);
        max_out = max_out.max(reply.allocated());
    });
    i.field("connected_clients", ctx.clients.count());
    i.field("cluster_connections", 0);
    i.field("maxclients", ctx.engine.config.maxclients);
    i.field("client_recent_max_input_buffer", max_in);
    i.field("client_recent_max_output_buffer", max_out);
    let blocked = ctx.engine.blocking.count();
    i.field("blocked_clients", blocked);
    i.field("tracking_clients", 0);
    // Redis keeps every blocked client with a timeout in its timeout table.
    i.field(
        "clients_in_timeout_table",
        ctx.engine.blocking.with_timeout(),
    );
}

/// A directive's value as CONFIG GET shows it.
fn config_value(ctx: &mut Ctx, name: &str) -> String {
    match crate::config::lookup(name) {
        Some(d) => ctx.engine.config.get(d),
        None => String::new(),
    }
}

fn memory(ctx: &mut Ctx, args: &[Bytes], i: &mut Info) {
    let heap = stats::allocator_stats();
    let (allocated, active) = (heap.allocated, heap.active);
    let o = super::memory::Overhead::measure(ctx, args);
    let (used, peak, startup) = (o.used, o.peak, o.startup);
    let clients_mem = o.clients_normal;
    let (overhead, dataset) = (o.total, o.dataset);
    let rss = stats::rss();
    let net = used.saturating_sub(startup).max(1);
    let ratio = |a: usize, b: usize| fmt2(a as f64 / b.max(1) as f64);
    let diff = |a: usize, b: usize| a as i64 - b as i64;
    let total = stats::total_system_memory();
    let maxmemory = u64::try_from(ctx.engine.config.maxmemory).unwrap_or(0);

    i.field("used_memory", used);
    i.field("used_memory_human", bytes_to_human(used as u64));
    i.field("used_memory_rss", rss);
    i.field("used_memory_rss_human", bytes_to_human(rss as u64));
    i.field("used_memory_peak", peak);
    i.field("used_memory_peak_human", bytes_to_human(peak as u64));
    i.field(
        "used_memory_peak_perc",
        format!("{}%", fmt2(used as f64 * 100.0 / peak.max(1) as f64)),
    );
    i.field("used_memory_overhead", overhead);
    i.field("used_memory_startup", startup);
    i.field("used_memory_dataset", dataset);
    i.field(
        "used_memory_dataset_perc",
        format!("{}%", fmt2(dataset as f64 * 100.0 / net as f64)),
    );
    i.field("allocator_allocated", allocated);
    i.field("allocator_active", active);
    i.field("allocator_resident", heap.resident);
    i.field("total_system_memory", total);
    i.field("total_system_memory_human", bytes_to_human(total));
    // No scripting engine exists yet, so its memory is truly zero.
    i.field("used_memory_lua", 0);
    i.field("used_memory_vm_eval", 0);
    i.field("used_memory_lua_human", "0B");
    for name in [
        "used_memory_scripts_eval",
        "number_of_cached_scripts",
        "number_of_functions",
        "number_of_libraries",
        "used_memory_vm_functions",
        "used_memory_vm_total",
    ] {
        i.field(name, 0);
    }
    i.field("used_memory_vm_total_human", "0B");
    i.field("used_memory_functions", 0);
    i.field("used_memory_scripts", 0);
    i.field("used_memory_scripts_human", "0B");
    i.field("maxmemory", maxmemory);
    i.field("maxmemory_human", bytes_to_human(maxmemory));
    i.field("maxmemory_policy", ctx.engine.config.maxmemory_policy);
    i.field("allocator_frag_ratio", ratio(active, allocated));
    i.field("allocator_frag_bytes", diff(active, allocated));
    i.field("allocator_rss_ratio", ratio(heap.resident, active));
    i.field("allocator_rss_bytes", diff(heap.resident, active));
    i.field("rss_overhead_ratio", ratio(rss, heap.resident));
    i.field("rss_overhead_bytes", diff(rss, heap.resident));
    i.field("mem_fragmentation_ratio", ratio(rss, used));
    i.field("mem_fragmentation_bytes", diff(rss, used));
    i.field(
        "mem_not_counted_for_evict",
        ctx.engine.mem_not_counted_for_evict(),
    );
    for name in [
        "mem_replication_backlog",
        "mem_total_replication_buffers",
        "mem_clients_slaves",
    ] {
        i.field(name, 0);
    }
    i.field("mem_clients_normal", clients_mem);
    i.field("mem_cluster_links", 0);
    i.field("mem_aof_buffer", ctx.engine.aof.buf.capacity());
    i.field("mem_allocator", stats::allocator_name());
    i.field("active_defrag_running", 0);
    let lazyfree = crate::db::lazyfree::global();
    i.field("lazyfree_pending_objects", lazyfree.pending());
    i.field("lazyfreed_objects", lazyfree.freed());
}

/// RDB snapshots and the AOF as they stand, and what the running child
/// last reported (its copy-on-write, keys written).
fn persistence(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let now_s = ctx.now_ms / 1000;
    let e = &*ctx.engine;
    let rdb = &e.rdb;
    let fork = &e.fork;
    i.field("loading", 0);
    i.field("async_loading", 0);
    i.field("current_cow_peak", fork.current_cow_peak);
    i.field("current_cow_size", fork.current_cow_bytes);
    i.field("current_cow_size_age", fork.cow_age_secs(ctx.now_ms));
    i.field("current_fork_perc", fmt2(fork.progress_percent()));
    i.field("current_save_keys_processed", fork.current_keys_processed);
    i.field("current_save_keys_total", fork.current_keys_total);
    i.field("rdb_changes_since_last_save", e.dirty);
    i.field("rdb_bgsave_in_progress", i64::from(rdb.child.is_some()));
    i.field("rdb_last_save_time", e.lastsave);
    i.field(
        "rdb_last_bgsave_status",
        if rdb.last_bgsave_ok { "ok" } else { "err" },
    );
    i.field("rdb_last_bgsave_time_sec", rdb.last_bgsave_secs);
    i.field(
        "rdb_current_bgsave_time_sec",
        rdb.child.map_or(-1, |c| now_s - c.started_ms / 1000),
    );
    i.field("rdb_saves", rdb.saves);
    i.field("rdb_last_cow_size", fork.rdb_last_cow);
    i.field("rdb_last_load_keys_expired", rdb.keys_expired);
    i.field("rdb_last_load_keys_loaded", rdb.keys_loaded);
    let aof = &e.aof;
    let rw = &aof.rewrite;
    let enabled = aof.state != crate::persistence::aof::AofState::Off;
    i.field("aof_enabled", i64::from(enabled));
    i.field("aof_rewrite_in_progress", i64::from(rw.child.is_some()));
    i.field("aof_rewrite_scheduled", i64::from(rw.scheduled));
    i.field("aof_last_rewrite_time_sec", rw.last_secs);
    i.field(
        "aof_current_rewrite_time_sec",
        rw.child.map_or(-1, |c| now_s - c.started_ms / 1000),
    );
    i.field(
        "aof_last_bgrewrite_status",
        if rw.last_ok { "ok" } else { "err" },
    );
    i.field("aof_rewrites", rw.count);
    i.field("aof_rewrites_consecutive_failures", rw.consecutive_failures);
    let write_ok = aof.last_write_error.is_none() && aof.fsync_error().is_none();
    i.field("aof_last_write_status", if write_ok { "ok" } else { "err" });
    i.field("aof_last_cow_size", fork.aof_last_cow);
    i.field("module_fork_in_progress", 0);
    i.field("module_fork_last_cow_size", 0);
    if enabled {
        i.field("aof_current_size", aof.current_size);
        i.field("aof_base_size", aof.base_size);
        i.field("aof_pending_rewrite", i64::from(rw.scheduled));
        i.field("aof_buffer_length", aof.buf.len());
        i.field("aof_pending_bio_fsync", aof.pending_fsyncs());
        i.field("aof_delayed_fsync", aof.delayed_fsync);
    }
}

/// Input and output kilobytes per second over the recent samples.
fn instantaneous_kbps(s: &super::Stats) -> (f64, f64) {
    match (s.net_samples.front(), s.net_samples.back()) {
        (Some(&(t0, i0, o0)), Some(&(t1, i1, o1))) if t1 > t0 => {
            let secs = (t1 - t0) as f64 / 1000.0;
            let kbps = |a: u64, b: u64| b.saturating_sub(a) as f64 / 1024.0 / secs;
            (kbps(i0, i1), kbps(o0, o1))
        }
        _ => (0.0, 0.0),
    }
}

fn stats_section(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let e = &*ctx.engine;
    let s = &e.stats;
    let db = e.keyspace.stats();
    let (kin, kout) = instantaneous_kbps(s);
    i.field("total_connections_received", s.total_connections_received);
    i.field("total_commands_processed", s.total_commands_processed);
    i.field("instantaneous_ops_per_sec", s.instantaneous_ops());
    i.field("total_net_input_bytes", s.total_net_input_bytes);
    i.field("total_net_output_bytes", s.total_net_output_bytes);
    i.field("total_net_repl_input_bytes", 0);
    i.field("total_net_repl_output_bytes", 0);
    i.field("instantaneous_input_kbps", fmt2(kin));
    i.field("instantaneous_output_kbps", fmt2(kout));
    i.field("instantaneous_input_repl_kbps", "0.00");
    i.field("instantaneous_output_repl_kbps", "0.00");
    i.field("rejected_connections", s.rejected_connections);
    i.field("sync_full", 0);
    i.field("sync_partial_ok", 0);
    i.field("sync_partial_err", 0);
    i.field("expired_keys", db.expired + s.expired_keys_active);
    i.field("expired_stale_perc", "0.00");
    for name in [
        "expired_time_cap_reached_count",
        "expire_cycle_cpu_milliseconds",
    ] {
        i.field(name, 0);
    }
    let eviction = &ctx.engine.eviction;
    let (total_ms, current_ms) = eviction.exceeded_ms();
    i.field("evicted_keys", eviction.evicted_keys);
    i.field("evicted_clients", 0);
    i.field("total_eviction_exceeded_time", total_ms);
    i.field("current_eviction_exceeded_time", current_ms);
    i.field("keyspace_hits", db.hits);
    i.field("keyspace_misses", db.misses);
    let pubsub = &ctx.engine.pubsub;
    i.field("pubsub_channels", pubsub.channel_count());
    // Redis 7.0 counts distinct patterns here.
    i.field("pubsub_patterns", pubsub.distinct_patterns());
    i.field("pubsubshard_channels", pubsub.shard_channel_count());
    i.field("latest_fork_usec", e.fork.latest_fork_usec);
    i.field("total_forks", e.fork.total_forks);
    for name in [
        "migrate_cached_sockets",
        "slave_expires_tracked_keys",
        "active_defrag_hits",
        "active_defrag_misses",
        "active_defrag_key_hits",
        "active_defrag_key_misses",
        "total_active_defrag_time",
        "current_active_defrag_time",
        "tracking_total_keys",
        "tracking_total_items",
        "tracking_total_prefixes",
        "unexpected_error_replies",
    ] {
        i.field(name, 0);
    }
    i.field("total_error_replies", s.total_error_replies);
    i.field("dump_payload_sanitizations", 0);
    i.field("total_reads_processed", s.total_reads_processed);
    i.field("total_writes_processed", s.total_writes_processed);
    for name in [
        "io_threaded_reads_processed",
        "io_threaded_writes_processed",
        "reply_buffer_shrinks",
        "reply_buffer_expands",
    ] {
        i.field(name, 0);
    }
}

fn replication(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let backlog = config_value(ctx, "repl-backlog-size");
    i.field("role", "master");
    i.field("connected_slaves", 0);
    i.field("master_failover_state", "no-failover");
    i.field("master_replid", &ctx.engine.replid);
    i.field("master_replid2", "0".repeat(40));
    i.field("master_repl_offset", 0);
    i.field("second_repl_offset", -1);
    i.field("repl_backlog_active", 0);
    i.field("repl_backlog_size", backlog);
    i.field("repl_backlog_first_byte_offset", 0);
    i.field("repl_backlog_histlen", 0);
}

fn cpu(_: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let [own, children, thread] = stats::cpu_usage();
    i.field("used_cpu_sys", own.0);
    i.field("used_cpu_user", own.1);
    i.field("used_cpu_sys_children", children.0);
    i.field("used_cpu_user_children", children.1);
    i.field("used_cpu_sys_main_thread", thread.0);
    i.field("used_cpu_user_main_thread", thread.1);
}

/// One line per command that was called, rejected or failed, subcommands
/// under their full names.
fn commandstats(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let e = &*ctx.engine;
    for (id, entry) in e.commands.entries() {
        let Some(s) = e.cmd_stats.get(id).filter(|s| s.is_used()) else {
            continue;
        };
        // Redis divides in single precision.
        let per_call = if s.calls == 0 {
            0.0
        } else {
            f64::from(s.usec as f32 / s.calls as f32)
        };
        i.field(
            &format!("cmdstat_{}", entry.full_name),
            format_args!(
                "calls={},usec={},usec_per_call={},rejected_calls={},failed_calls={}",
                s.calls,
                s.usec,
                fmt2(per_call),
                s.rejected_calls,
                s.failed_calls
            ),
        );
    }
}

/// Percentiles of each command's latency, for the commands that ran
/// while latency-tracking was on.
fn latencystats(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    let e = &*ctx.engine;
    if !e.config.latency_tracking {
        return;
    }
    for (id, entry) in e.commands.entries() {
        if let Some(Some(h)) = e.cmd_latency.get(id) {
            i.field(
                &format!("latency_percentiles_usec_{}", entry.full_name),
                super::latency::percentiles_line(h, &e.config.latency_percentiles),
            );
        }
    }
}

fn errorstats(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    for (code, n) in &ctx.engine.stats.error_codes {
        i.field(&format!("errorstat_{code}"), format_args!("count={n}"));
    }
}

fn keyspace(ctx: &mut Ctx, _: &[Bytes], i: &mut Info) {
    for (n, db) in ctx.engine.keyspace.dbs.iter().enumerate() {
        if !db.is_empty() {
            i.field(
                &format!("db{n}"),
                format_args!(
                    "keys={},expires={},avg_ttl={}",
                    db.len(),
                    db.expires_len(),
                    db.avg_ttl
                ),
            );
        }
    }
}
