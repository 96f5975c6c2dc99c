//! ferredis: a Redis-compatible in-memory server with Redis's threading
//! model — one thread, one event loop, a keyspace no lock guards.
//!
//! The layers, from the socket inwards:
//! - [`server`]: the mio event loop, connections and the cron;
//! - [`protocol`]: RESP requests in, RESP replies out;
//! - [`commands`]: the command table and the engine that runs commands;
//! - [`db`]: the keyspace, its values, encodings and expiry;
//! - [`config`]: the directive table behind redis.conf, flags and CONFIG;
//! - [`persistence`]: the RDB format (snapshots, DUMP and RESTORE).

pub mod alloc;
pub mod commands;
pub mod config;
pub mod db;
pub mod logging;
pub mod persistence;
pub mod protocol;
pub mod server;
pub mod util;

/// jemalloc, the allocator Redis uses: its size classes carry no header
/// per allocation, which is most of the cost of millions of small keys
/// under glibc malloc. Wrapped to count what it hands out (see [`alloc`]),
/// which is INFO's used_memory and what maxmemory is checked against.
#[global_allocator]
static ALLOCATOR: alloc::CountingJemalloc = alloc::CountingJemalloc;

/// The Redis version ferredis is compatible with, reported where clients
/// look for Redis's version (INFO, HELLO).
pub const REDIS_VERSION: &str = "7.0.15";
