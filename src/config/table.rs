//! The table of config directives: one entry per directive, naming its
//! type, default, flags and (for the ones ferredis acts on) the field of
//! [`Config`] that holds it. Adding a directive is one entry here, plus a
//! field when the server reads it.
//!
//! Names, aliases, defaults and ranges are Redis 7.0's, so a redis.conf
//! loads unchanged and CONFIG GET answers as Redis does. Directives marked
//! `passive` are validated and stored but have no effect in ferredis yet;
//! start-up logs a warning when one is set away from its default.

use super::{Directive, Kind, Slot, special};

const I32: i64 = i32::MAX as i64;
const I64: i64 = i64::MAX;

/// Not settable with CONFIG SET.
pub const IMMUTABLE: u8 = 1;
/// Settable only when enable-protected-configs allows it.
pub const PROTECTED: u8 = 2;
/// Takes several arguments on one line (save, bind, ...).
pub const MULTI_ARG: u8 = 4;
/// For tests: CONFIG GET finds it by its exact name only, not by pattern.
pub const HIDDEN: u8 = 8;

const YES_NO: Kind = Kind::Bool;

macro_rules! d {
    ($name:literal, $kind:expr, $default:literal, $slot:expr) => {
        Directive {
            name: $name,
            alias: None,
            kind: $kind,
            default: $default,
            flags: 0,
            slot: $slot,
        }
    };
    ($name:literal / $alias:literal, $kind:expr, $default:literal, $slot:expr) => {
        Directive {
            name: $name,
            alias: Some($alias),
            kind: $kind,
            default: $default,
            flags: 0,
            slot: $slot,
        }
    };
}

macro_rules! flags {
    ($d:expr, $flags:expr) => {
        Directive {
            flags: $flags,
            ..$d
        }
    };
}

const fn int(min: i64, max: i64) -> Kind {
    Kind::Int { min, max }
}

const fn mem(max: i64) -> Kind {
    Kind::Memory { min: 0, max }
}

/// A memory directive with a lower bound above zero.
const fn mem_from(min: i64, max: i64) -> Kind {
    Kind::Memory { min, max }
}

/// Redis refuses protocol buffer limits below 1 MB.
const ONE_MB: i64 = 1024 * 1024;

const PASSIVE: Slot = Slot::Passive;

pub static DIRECTIVES: &[Directive] = &[
    // Network and clients: the event loop reads these.
    flags!(
        // Redis compiles in "* -::*"; ferredis defaults to loopback, as the
        // redis.conf Redis ships does, so a bare start exposes nothing.
        d!(
            "bind",
            Kind::Str,
            "127.0.0.1 -::1",
            Slot::Special(special::parse_bind, special::format_bind)
        ),
        MULTI_ARG
    ),
    d!("port", int(0, 65535), "6379", Slot::Int(|c| &mut c.port)),
    flags!(
        d!(
            "tcp-backlog",
            int(0, I32),
            "511",
            Slot::Int(|c| &mut c.tcp_backlog)
        ),
        IMMUTABLE
    ),
    d!("timeout", int(0, I32), "0", Slot::Int(|c| &mut c.timeout)),
    d!(
        "tcp-keepalive",
        int(0, I32),
        "300",
        Slot::Int(|c| &mut c.tcp_keepalive)
    ),
    d!(
        "maxclients",
        int(1, u32::MAX as i64),
        "10000",
        Slot::Int(|c| &mut c.maxclients)
    ),
    d!(
        "proto-max-bulk-len",
        mem_from(ONE_MB, I64),
        "536870912",
        Slot::Int(|c| &mut c.proto_max_bulk_len)
    ),
    d!(
        "client-query-buffer-limit",
        mem_from(ONE_MB, I64),
        "1073741824",
        Slot::Int(|c| &mut c.client_query_buffer_limit)
    ),
    d!(
        "requirepass",
        Kind::Str,
        "",
        Slot::Str(|c| &mut c.requirepass)
    ),
    d!(
        "protected-mode",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.protected_mode)
    ),
    flags!(
        d!(
            "enable-debug-command",
            Kind::Enum(&["no", "yes", "local"]),
            "no",
            Slot::Enum(|c| &mut c.enable_debug_command)
        ),
        IMMUTABLE
    ),
    // General.
    flags!(
        d!(
            "databases",
            int(1, I32),
            "16",
            Slot::Int(|c| &mut c.databases)
        ),
        IMMUTABLE
    ),
    d!("hz", int(0, I32), "10", Slot::Int(|c| &mut c.hz)),
    d!(
        "dynamic-hz",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.dynamic_hz)
    ),
    d!(
        "loglevel",
        Kind::Enum(&["debug", "verbose", "notice", "warning"]),
        "notice",
        Slot::Enum(|c| &mut c.loglevel)
    ),
    flags!(
        d!("logfile", Kind::Str, "", Slot::Str(|c| &mut c.logfile)),
        IMMUTABLE
    ),
    flags!(
        d!("pidfile", Kind::Str, "", Slot::Str(|c| &mut c.pidfile)),
        IMMUTABLE
    ),
    flags!(d!("daemonize", YES_NO, "no", PASSIVE), IMMUTABLE),
    flags!(
        d!(
            "supervised",
            Kind::Enum(&["upstart", "systemd", "auto", "no"]),
            "no",
            PASSIVE
        ),
        IMMUTABLE
    ),
    d!(
        "activerehashing",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.activerehashing)
    ),
    d!(
        "active-expire-effort",
        int(1, 10),
        "1",
        Slot::Int(|c| &mut c.active_expire_effort)
    ),
    flags!(
        d!(
            "dir",
            Kind::Str,
            "",
            Slot::Special(special::parse_dir, special::format_dir)
        ),
        PROTECTED
    ),
    // Persistence (acted on by the persistence module).
    flags!(
        d!(
            "save",
            Kind::Str,
            "3600 1 300 100 60 10000",
            Slot::Special(special::parse_save, special::format_save)
        ),
        MULTI_ARG
    ),
    flags!(
        d!(
            "dbfilename",
            Kind::Str,
            "dump.rdb",
            Slot::Str(|c| &mut c.dbfilename)
        ),
        PROTECTED
    ),
    d!(
        "rdbcompression",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.rdbcompression)
    ),
    flags!(
        d!(
            "rdbchecksum",
            YES_NO,
            "yes",
            Slot::Bool(|c| &mut c.rdbchecksum)
        ),
        IMMUTABLE
    ),
    d!("rdb-del-sync-files", YES_NO, "no", PASSIVE),
    // Microseconds a background save or rewrite waits after each key,
    // to make it slow on purpose in tests.
    flags!(
        d!(
            "rdb-key-save-delay",
            int(i32::MIN as i64, I32),
            "0",
            Slot::Int(|c| &mut c.rdb_key_save_delay)
        ),
        HIDDEN
    ),
    d!("rdb-save-incremental-fsync", YES_NO, "yes", PASSIVE),
    d!(
        "stop-writes-on-bgsave-error",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.stop_writes_on_bgsave_error)
    ),
    // The append-only file (acted on by persistence::aof).
    d!(
        "appendonly",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.appendonly)
    ),
    flags!(
        d!(
            "appendfilename",
            Kind::Str,
            "appendonly.aof",
            Slot::Special(
                special::parse_appendfilename,
                special::format_appendfilename
            )
        ),
        IMMUTABLE
    ),
    flags!(
        d!(
            "appenddirname",
            Kind::Str,
            "appendonlydir",
            Slot::Special(special::parse_appenddirname, special::format_appenddirname)
        ),
        IMMUTABLE
    ),
    d!(
        "appendfsync",
        Kind::Enum(&["everysec", "always", "no"]),
        "everysec",
        Slot::Enum(|c| &mut c.appendfsync)
    ),
    d!(
        "no-appendfsync-on-rewrite",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.no_appendfsync_on_rewrite)
    ),
    d!(
        "auto-aof-rewrite-percentage",
        int(0, I32),
        "100",
        Slot::Int(|c| &mut c.auto_aof_rewrite_percentage)
    ),
    d!(
        "auto-aof-rewrite-min-size",
        mem(I64),
        "67108864",
        Slot::Int(|c| &mut c.auto_aof_rewrite_min_size)
    ),
    d!(
        "aof-load-truncated",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.aof_load_truncated)
    ),
    d!(
        "aof-use-rdb-preamble",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.aof_use_rdb_preamble)
    ),
    d!(
        "aof-rewrite-incremental-fsync",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.aof_rewrite_incremental_fsync)
    ),
    d!(
        "aof-timestamp-enabled",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.aof_timestamp_enabled)
    ),
    d!(
        "aof-disable-auto-gc",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.aof_disable_auto_gc)
    ),
    d!(
        "sanitize-dump-payload",
        Kind::Enum(&["no", "yes", "clients"]),
        "no",
        PASSIVE
    ),
    // Memory and eviction.
    d!("maxmemory", mem(I64), "0", Slot::Int(|c| &mut c.maxmemory)),
    d!(
        "maxmemory-policy",
        Kind::Enum(&[
            "volatile-lru",
            "volatile-lfu",
            "volatile-random",
            "volatile-ttl",
            "allkeys-lru",
            "allkeys-lfu",
            "allkeys-random",
            "noeviction"
        ]),
        "noeviction",
        Slot::Enum(|c| &mut c.maxmemory_policy)
    ),
    d!(
        "maxmemory-samples",
        int(1, I32),
        "5",
        Slot::Int(|c| &mut c.maxmemory_samples)
    ),
    d!(
        "maxmemory-eviction-tenacity",
        int(0, 100),
        "10",
        Slot::Int(|c| &mut c.maxmemory_eviction_tenacity)
    ),
    d!("maxmemory-clients", Kind::MemoryOrPercent, "0", PASSIVE),
    d!(
        "lfu-log-factor",
        int(0, I32),
        "10",
        Slot::Int(|c| &mut c.lfu_log_factor)
    ),
    d!(
        "lfu-decay-time",
        int(0, I32),
        "1",
        Slot::Int(|c| &mut c.lfu_decay_time)
    ),
    d!(
        "lazyfree-lazy-eviction",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.lazyfree_lazy_eviction)
    ),
    d!(
        "lazyfree-lazy-expire",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.lazyfree_lazy_expire)
    ),
    d!(
        "lazyfree-lazy-server-del",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.lazyfree_lazy_server_del)
    ),
    d!(
        "lazyfree-lazy-user-del",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.lazyfree_lazy_user_del)
    ),
    d!(
        "lazyfree-lazy-user-flush",
        YES_NO,
        "no",
        Slot::Bool(|c| &mut c.lazyfree_lazy_user_flush)
    ),
    d!("activedefrag", YES_NO, "no", PASSIVE),
    d!(
        "active-defrag-ignore-bytes",
        mem_from(1, I64),
        "104857600",
        PASSIVE
    ),
    d!("active-defrag-threshold-lower", int(0, 1000), "10", PASSIVE),
    d!(
        "active-defrag-threshold-upper",
        int(0, 1000),
        "100",
        PASSIVE
    ),
    d!("active-defrag-cycle-min", int(1, 99), "1", PASSIVE),
    d!("active-defrag-cycle-max", int(1, 99), "25", PASSIVE),
    d!(
        "active-defrag-max-scan-fields",
        int(1, I64),
        "1000",
        PASSIVE
    ),
    d!(
        "jemalloc-bg-thread",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.jemalloc_bg_thread)
    ),
    // Encodings of the collection types.
    d!(
        "hash-max-listpack-entries" / "hash-max-ziplist-entries",
        int(0, I64),
        "512",
        Slot::Int(|c| &mut c.hash_max_listpack_entries)
    ),
    d!(
        "hash-max-listpack-value" / "hash-max-ziplist-value",
        mem(I64),
        "64",
        Slot::Int(|c| &mut c.hash_max_listpack_value)
    ),
    d!(
        "list-max-listpack-size" / "list-max-ziplist-size",
        int(i32::MIN as i64, I32),
        "-2",
        Slot::Int(|c| &mut c.list_max_listpack_size)
    ),
    d!("list-compress-depth", int(0, I32), "0", PASSIVE),
    d!(
        "set-max-intset-entries",
        int(0, I64),
        "512",
        Slot::Int(|c| &mut c.set_max_intset_entries)
    ),
    d!(
        "zset-max-listpack-entries" / "zset-max-ziplist-entries",
        int(0, I64),
        "128",
        Slot::Int(|c| &mut c.zset_max_listpack_entries)
    ),
    d!(
        "zset-max-listpack-value" / "zset-max-ziplist-value",
        mem(I64),
        "64",
        Slot::Int(|c| &mut c.zset_max_listpack_value)
    ),
    d!("hll-sparse-max-bytes", mem(I64), "3000", PASSIVE),
    d!(
        "stream-node-max-bytes",
        mem(I64),
        "4096",
        Slot::Int(|c| &mut c.stream_node_max_bytes)
    ),
    d!(
        "stream-node-max-entries",
        int(0, I64),
        "100",
        Slot::Int(|c| &mut c.stream_node_max_entries)
    ),
    // Events, monitoring and limits.
    d!(
        "notify-keyspace-events",
        Kind::Str,
        "",
        Slot::Special(special::parse_notify, special::format_notify)
    ),
    flags!(
        d!(
            "client-output-buffer-limit",
            Kind::Str,
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
            Slot::Special(special::parse_obuf_limits, special::format_obuf_limits)
        ),
        MULTI_ARG
    ),
    d!("slowlog-log-slower-than", int(-1, I64), "10000", PASSIVE),
    d!("slowlog-max-len", int(0, I64), "128", PASSIVE),
    d!("latency-monitor-threshold", int(0, I64), "0", PASSIVE),
    d!(
        "latency-tracking",
        YES_NO,
        "yes",
        Slot::Bool(|c| &mut c.latency_tracking)
    ),
    flags!(
        d!(
            "latency-tracking-info-percentiles",
            Kind::Str,
            "50 99 99.9",
            Slot::Special(special::parse_percentiles, special::format_percentiles)
        ),
        MULTI_ARG
    ),
    d!(
        "busy-reply-threshold" / "lua-time-limit",
        int(0, I64),
        "5000",
        PASSIVE
    ),
    d!("tracking-table-max-keys", int(0, I64), "1000000", PASSIVE),
    d!("acllog-max-len", int(0, I64), "128", PASSIVE),
    flags!(d!("aclfile", Kind::Str, "", PASSIVE), IMMUTABLE),
    d!(
        "acl-pubsub-default",
        Kind::Enum(&["allchannels", "resetchannels"]),
        "resetchannels",
        PASSIVE
    ),
    d!("shutdown-timeout", int(0, I32), "10", PASSIVE),
    d!(
        "shutdown-on-sigint",
        Kind::Enum(&["default", "save", "nosave", "now", "force"]),
        "default",
        PASSIVE
    ),
    d!(
        "shutdown-on-sigterm",
        Kind::Enum(&["default", "save", "nosave", "now", "force"]),
        "default",
        PASSIVE
    ),
    d!("crash-log-enabled", YES_NO, "yes", PASSIVE),
    d!("crash-memcheck-enabled", YES_NO, "yes", PASSIVE),
    flags!(d!("always-show-logo", YES_NO, "no", PASSIVE), IMMUTABLE),
    flags!(d!("set-proc-title", YES_NO, "yes", PASSIVE), IMMUTABLE),
    d!(
        "proc-title-template",
        Kind::Str,
        "{title} {listen-addr} {server-mode}",
        PASSIVE
    ),
    flags!(d!("syslog-enabled", YES_NO, "no", PASSIVE), IMMUTABLE),
    flags!(d!("syslog-ident", Kind::Str, "redis", PASSIVE), IMMUTABLE),
    flags!(
        d!(
            "syslog-facility",
            Kind::Enum(&[
                "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
                "local7"
            ]),
            "local0",
            PASSIVE
        ),
        IMMUTABLE
    ),
    flags!(d!("disable-thp", YES_NO, "yes", PASSIVE), IMMUTABLE),
    d!(
        "oom-score-adj",
        Kind::Enum(&["no", "yes", "relative", "absolute"]),
        "no",
        PASSIVE
    ),
    flags!(
        d!(
            "oom-score-adj-values",
            Kind::Str,
            "0 200 800",
            Slot::Special(special::parse_oom_values, special::format_oom_values)
        ),
        MULTI_ARG
    ),
    d!("ignore-warnings", Kind::Str, "", PASSIVE),
    flags!(
        d!(
            "enable-protected-configs",
            Kind::Enum(&["no", "yes", "local"]),
            "no",
            PASSIVE
        ),
        IMMUTABLE
    ),
    flags!(
        d!(
            "enable-module-command",
            Kind::Enum(&["no", "yes", "local"]),
            "no",
            PASSIVE
        ),
        IMMUTABLE
    ),
    d!(
        "propagation-error-behavior",
        Kind::Enum(&["ignore", "panic", "panic-on-replicas"]),
        "ignore",
        PASSIVE
    ),
    flags!(d!("io-threads", int(1, 128), "1", PASSIVE), IMMUTABLE),
    flags!(d!("io-threads-do-reads", YES_NO, "no", PASSIVE), IMMUTABLE),
    flags!(d!("unixsocket", Kind::Str, "", PASSIVE), IMMUTABLE),
    flags!(d!("unixsocketperm", int(0, 0o777), "0", PASSIVE), IMMUTABLE),
    flags!(
        d!("socket-mark-id", int(0, u32::MAX as i64), "0", PASSIVE),
        IMMUTABLE
    ),
    d!("bind-source-addr", Kind::Str, "", PASSIVE),
    flags!(d!("server_cpulist", Kind::Str, "", PASSIVE), IMMUTABLE),
    flags!(d!("bio_cpulist", Kind::Str, "", PASSIVE), IMMUTABLE),
    flags!(d!("aof_rewrite_cpulist", Kind::Str, "", PASSIVE), IMMUTABLE),
    flags!(d!("bgsave_cpulist", Kind::Str, "", PASSIVE), IMMUTABLE),
    // Replication.
    flags!(
        d!("replicaof" / "slaveof", Kind::Str, "", PASSIVE),
        IMMUTABLE | MULTI_ARG
    ),
    d!("masterauth", Kind::Str, "", PASSIVE),
    d!("masteruser", Kind::Str, "", PASSIVE),
    d!(
        "replica-serve-stale-data" / "slave-serve-stale-data",
        YES_NO,
        "yes",
        PASSIVE
    ),
    d!(
        "replica-read-only" / "slave-read-only",
        YES_NO,
        "yes",
        PASSIVE
    ),
    d!(
        "replica-ignore-maxmemory" / "slave-ignore-maxmemory",
        YES_NO,
        "yes",
        PASSIVE
    ),
    d!(
        "replica-lazy-flush" / "slave-lazy-flush",
        YES_NO,
        "no",
        PASSIVE
    ),
    d!(
        "replica-priority" / "slave-priority",
        int(0, I32),
        "100",
        PASSIVE
    ),
    d!(
        "replica-announce-ip" / "slave-announce-ip",
        Kind::Str,
        "",
        PASSIVE
    ),
    d!(
        "replica-announce-port" / "slave-announce-port",
        int(0, 65535),
        "0",
        PASSIVE
    ),
    d!("replica-announced", YES_NO, "yes", PASSIVE),
    d!("replica-ignore-disk-write-errors", YES_NO, "no", PASSIVE),
    d!(
        "repl-ping-replica-period" / "repl-ping-slave-period",
        int(1, I32),
        "10",
        PASSIVE
    ),
    d!("repl-timeout", int(1, I32), "60", PASSIVE),
    d!("repl-backlog-size", mem_from(1, I64), "1048576", PASSIVE),
    d!("repl-backlog-ttl", int(0, I64), "3600", PASSIVE),
    d!("repl-disable-tcp-nodelay", YES_NO, "no", PASSIVE),
    d!("repl-diskless-sync", YES_NO, "yes", PASSIVE),
    d!("repl-diskless-sync-delay", int(0, I32), "5", PASSIVE),
    d!("repl-diskless-sync-max-replicas", int(0, I32), "0", PASSIVE),
    d!(
        "repl-diskless-load",
        Kind::Enum(&["disabled", "on-empty-db", "swapdb"]),
        "disabled",
        PASSIVE
    ),
    d!(
        "min-replicas-to-write" / "min-slaves-to-write",
        int(0, I32),
        "0",
        PASSIVE
    ),
    d!(
        "min-replicas-max-lag" / "min-slaves-max-lag",
        int(0, I32),
        "10",
        PASSIVE
    ),
    // Cluster (ferredis runs standalone).
    flags!(d!("cluster-enabled", YES_NO, "no", PASSIVE), IMMUTABLE),
    flags!(
        d!("cluster-config-file", Kind::Str, "nodes.conf", PASSIVE),
        IMMUTABLE
    ),
    flags!(d!("cluster-port", int(0, 65535), "0", PASSIVE), IMMUTABLE),
    d!("cluster-node-timeout", int(0, I64), "15000", PASSIVE),
    d!(
        "cluster-replica-validity-factor" / "cluster-slave-validity-factor",
        int(0, I32),
        "10",
        PASSIVE
    ),
    d!("cluster-migration-barrier", int(0, I32), "1", PASSIVE),
    d!("cluster-allow-replica-migration", YES_NO, "yes", PASSIVE),
    d!("cluster-require-full-coverage", YES_NO, "yes", PASSIVE),
    d!(
        "cluster-replica-no-failover" / "cluster-slave-no-failover",
        YES_NO,
        "no",
        PASSIVE
    ),
    d!("cluster-allow-reads-when-down", YES_NO, "no", PASSIVE),
    d!(
        "cluster-allow-pubsubshard-when-down",
        YES_NO,
        "yes",
        PASSIVE
    ),
    d!("cluster-announce-ip", Kind::Str, "", PASSIVE),
    d!("cluster-announce-hostname", Kind::Str, "", PASSIVE),
    d!("cluster-announce-port", int(0, 65535), "0", PASSIVE),
    d!("cluster-announce-bus-port", int(0, 65535), "0", PASSIVE),
    d!("cluster-announce-tls-port", int(0, 65535), "0", PASSIVE),
    d!("cluster-link-sendbuf-limit", mem(I64), "0", PASSIVE),
    d!(
        "cluster-preferred-endpoint-type",
        Kind::Enum(&["ip", "hostname", "unknown-endpoint"]),
        "ip",
        PASSIVE
    ),
    // TLS (ferredis serves plain TCP only).
    d!("tls-port", int(0, 65535), "0", PASSIVE),
    d!("tls-cert-file", Kind::Str, "", PASSIVE),
    d!("tls-key-file", Kind::Str, "", PASSIVE),
    d!("tls-key-file-pass", Kind::Str, "", PASSIVE),
    d!("tls-client-cert-file", Kind::Str, "", PASSIVE),
    d!("tls-client-key-file", Kind::Str, "", PASSIVE),
    d!("tls-client-key-file-pass", Kind::Str, "", PASSIVE),
    d!("tls-dh-params-file", Kind::Str, "", PASSIVE),
    d!("tls-ca-cert-file", Kind::Str, "", PASSIVE),
    d!("tls-ca-cert-dir", Kind::Str, "", PASSIVE),
    d!("tls-protocols", Kind::Str, "", PASSIVE),
    d!("tls-ciphers", Kind::Str, "", PASSIVE),
    d!("tls-ciphersuites", Kind::Str, "", PASSIVE),
    d!("tls-prefer-server-ciphers", YES_NO, "no", PASSIVE),
    d!("tls-session-caching", YES_NO, "yes", PASSIVE),
    d!("tls-session-cache-size", int(0, I32), "20480", PASSIVE),
    d!("tls-session-cache-timeout", int(0, I32), "300", PASSIVE),
    d!("tls-cluster", YES_NO, "no", PASSIVE),
    d!("tls-replication", YES_NO, "no", PASSIVE),
    d!(
        "tls-auth-clients",
        Kind::Enum(&["no", "yes", "optional"]),
        "yes",
        PASSIVE
    ),
];
