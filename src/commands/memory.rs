//! MEMORY: what a key costs (USAGE), where the server's memory goes
//! (STATS), a plain-words diagnosis (DOCTOR), and the allocator's own
//! report and page purge (MALLOC-STATS, PURGE).
//!
//! The figures are ferredis's own: used_memory is the allocation counter
//! (crate::alloc), and a key's usage is what its entry, key and value
//! really hold in jemalloc's size classes, so they differ from Redis's
//! where the structures differ.

use super::client_list;
use super::stats;
use super::table::{Command, Group, KeySpec, acl, flag};
use super::{CmdError, CmdResult, Ctx, arg_i64, is};
use crate::alloc::size_class;
use crate::db::list::List;
use crate::db::set::Set;
use crate::db::stream::Stream;
use crate::db::zset::ZSet;
use crate::db::{Object, Str, Value};
use bytes::Bytes;

const ALL_SHARDS: &[&str] = &[
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
];

static SUBCOMMANDS: &[Command] = &[
    Command::new("doctor", 2, memory_doctor)
        .acl(acl::SLOW)
        .tips(ALL_SHARDS)
        .doc(
            Group::Server,
            "4.0.0",
            "O(1)",
            "Reports memory problems in plain words.",
        ),
    Command::new("help", 2, memory_help)
        .flags(flag::LOADING | flag::STALE)
        .acl(acl::SLOW)
        .doc(
            Group::Server,
            "4.0.0",
            "O(1)",
            "Lists the MEMORY subcommands.",
        ),
    Command::new("malloc-stats", 2, memory_malloc_stats)
        .acl(acl::SLOW)
        .tips(ALL_SHARDS)
        .doc(
            Group::Server,
            "4.0.0",
            "Depends on how much memory is allocated, could be slow",
            "Returns the allocator's own statistics report.",
        ),
    Command::new("purge", 2, memory_purge)
        .acl(acl::SLOW)
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            Group::Server,
            "4.0.0",
            "Depends on how much memory is allocated, could be slow",
            "Asks the allocator to return dirty pages to the system.",
        ),
    Command::new("stats", 2, memory_stats)
        .acl(acl::SLOW)
        .tips(ALL_SHARDS)
        .doc(
            Group::Server,
            "4.0.0",
            "O(1)",
            "Breaks the server's memory use down.",
        ),
    Command::new("usage", -3, memory_usage)
        .flags(flag::READONLY)
        .acl(acl::READ | acl::SLOW)
        .keys(2, 2, 1, &[KeySpec::range(&["RO"], 2, 0, 1)])
        .doc(
            Group::Server,
            "4.0.0",
            "O(N) where N is the number of samples.",
            "Reports the bytes a key and its value take.",
        ),
];

pub static COMMANDS: &[Command] = &[Command::container("memory", -2, SUBCOMMANDS)
    .acl(acl::SLOW)
    .doc(
        Group::Server,
        "4.0.0",
        "Depends on subcommand.",
        "A container for memory diagnostics commands.",
    )];

fn memory_help(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    super::server::reply_help(
        ctx,
        "MEMORY",
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ],
    );
    Ok(())
}

/// What a value holds on the heap, beyond the dict entry it sits in;
/// collections sample `samples` elements (0: all), see [`crate::db::usage`].
pub fn value_usage(obj: &Object, samples: usize) -> usize {
    use crate::db::usage::{boxed, thin_vec};
    match &obj.value {
        Value::Str(Str::Int(_) | Str::Inline { .. }) => 0,
        Value::Str(Str::Heap(v)) => thin_vec(v.capacity()),
        Value::Str(Str::Shared(b)) => boxed::<Bytes>() + size_class(b.len(), 1),
        Value::List(l) => boxed::<List>() + l.heap_bytes(samples),
        Value::Hash(h) => h.heap_bytes(samples),
        Value::Set(s) => boxed::<Set>() + s.heap_bytes(samples),
        Value::ZSet(z) => boxed::<ZSet>() + z.heap_bytes(samples),
        Value::Stream(x) => boxed::<Stream>() + x.heap_bytes(samples),
    }
}

/// A key's whole cost: its dict entry (key and value header inline), a
/// key too long to be inline, and the value's heap.
pub fn key_usage(key: &[u8], obj: &Object, samples: usize) -> usize {
    let word = std::mem::size_of::<usize>();
    let entry = size_class(
        word + std::mem::size_of::<crate::db::Key>() + std::mem::size_of::<Object>(),
        word,
    );
    let key_heap = if key.len() > crate::db::key::INLINE_CAP {
        crate::db::usage::thin_vec(key.len())
    } else {
        0
    };
    entry + key_heap + value_usage(obj, samples)
}

fn memory_usage(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    // Redis checks the options before it looks for the key.
    // The last SAMPLES given counts.
    let mut samples = crate::db::usage::DEFAULT_SAMPLES;
    let mut rest = args[3..].iter();
    while let Some(opt) = rest.next() {
        match rest.next() {
            Some(n) if is(opt, "samples") => {
                samples = usize::try_from(arg_i64(n)?).map_err(|_| CmdError::SYNTAX)?;
            }
            _ => return Err(CmdError::SYNTAX),
        }
    }
    // No expiry and no statistics: Redis reads the dict directly.
    match ctx.db().find(&args[2]) {
        Some(obj) => {
            let n = key_usage(&args[2], obj, samples);
            ctx.reply.int(n as i64);
        }
        None => ctx.reply.null(),
    }
    Ok(())
}

/// Where the memory goes, as Redis's getMemoryOverheadData breaks it down.
pub struct Overhead {
    pub used: usize,
    pub peak: usize,
    pub startup: usize,
    pub clients_normal: usize,
    pub aof_buffer: usize,
    /// (database, main table, expires table) for databases with keys.
    pub dbs: Vec<(usize, usize, usize)>,
    pub total: usize,
    pub keys: usize,
    pub dataset: usize,
}

impl Overhead {
    pub fn measure(ctx: &mut Ctx, args: &[Bytes]) -> Overhead {
        let used = crate::alloc::used_memory();
        let mut clients_normal = 0;
        client_list::for_each_client(ctx, args, &mut |state, reply, conn| {
            clients_normal += client_list::client_memory(state, reply, conn);
        });
        let e = &mut *ctx.engine;
        e.memory_peak = e.memory_peak.max(used);
        let aof_buffer = e.aof.buf.capacity();
        let mut total = e.memory_startup + clients_normal + aof_buffer;
        let (mut dbs, mut keys) = (Vec::new(), 0);
        for (i, db) in e.keyspace.dbs.iter().enumerate() {
            if db.is_empty() {
                continue;
            }
            let (main, expires) = db.table_overhead();
            total += main + expires;
            keys += db.len();
            dbs.push((i, main, expires));
        }
        Overhead {
            used,
            peak: e.memory_peak,
            startup: e.memory_startup,
            clients_normal,
            aof_buffer,
            dbs,
            total,
            keys,
            dataset: used.saturating_sub(total),
        }
    }

    /// Memory in use beyond what start-up took (at least 1).
    fn net(&self) -> usize {
        self.used.saturating_sub(self.startup).max(1)
    }
}

/// Redis computes these ratios in single precision.
fn ratio(a: usize, b: usize) -> f64 {
    f64::from(a as f32 / b.max(1) as f32)
}

fn memory_stats(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let o = Overhead::measure(ctx, args);
    let heap = stats::allocator_stats();
    let rss = stats::rss();
    let diff = |a: usize, b: usize| a as i64 - b as i64;
    let r = &mut *ctx.reply;
    r.map(27 + o.dbs.len());
    let int = |r: &mut crate::protocol::ReplyBuffer, name: &str, v: i64| {
        r.bulk(name.as_bytes());
        r.int(v);
    };
    int(r, "peak.allocated", o.peak as i64);
    int(r, "total.allocated", o.used as i64);
    int(r, "startup.allocated", o.startup as i64);
    int(r, "replication.backlog", 0);
    int(r, "clients.slaves", 0);
    int(r, "clients.normal", o.clients_normal as i64);
    int(r, "cluster.links", 0);
    int(r, "aof.buffer", o.aof_buffer as i64);
    int(r, "lua.caches", 0);
    int(r, "functions.caches", 0);
    for &(db, main, expires) in &o.dbs {
        r.bulk(format!("db.{db}").as_bytes());
        r.map(3);
        int(r, "overhead.hashtable.main", main as i64);
        int(r, "overhead.hashtable.expires", expires as i64);
        int(r, "overhead.hashtable.slot-to-keys", 0);
    }
    int(r, "overhead.total", o.total as i64);
    int(r, "keys.count", o.keys as i64);
    int(
        r,
        "keys.bytes-per-key",
        o.net().checked_div(o.keys).unwrap_or(0) as i64,
    );
    int(r, "dataset.bytes", o.dataset as i64);
    let double = |r: &mut crate::protocol::ReplyBuffer, name: &str, v: f64| {
        r.bulk(name.as_bytes());
        r.double(v);
    };
    double(
        r,
        "dataset.percentage",
        f64::from(o.dataset as f32 * 100.0 / o.net() as f32),
    );
    double(
        r,
        "peak.percentage",
        f64::from(o.used as f32 * 100.0 / o.peak.max(1) as f32),
    );
    int(r, "allocator.allocated", heap.allocated as i64);
    int(r, "allocator.active", heap.active as i64);
    int(r, "allocator.resident", heap.resident as i64);
    double(
        r,
        "allocator-fragmentation.ratio",
        ratio(heap.active, heap.allocated),
    );
    int(
        r,
        "allocator-fragmentation.bytes",
        diff(heap.active, heap.allocated),
    );
    double(r, "allocator-rss.ratio", ratio(heap.resident, heap.active));
    int(r, "allocator-rss.bytes", diff(heap.resident, heap.active));
    double(r, "rss-overhead.ratio", ratio(rss, heap.resident));
    int(r, "rss-overhead.bytes", diff(rss, heap.resident));
    double(r, "fragmentation", ratio(rss, o.used));
    int(r, "fragmentation.bytes", diff(rss, o.used));
    Ok(())
}

fn memory_doctor(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let o = Overhead::measure(ctx, args);
    let heap = stats::allocator_stats();
    let rss = stats::rss();
    let clients = ctx.clients.count().max(1);
    let over = |a: usize, b: usize, r: f32| a as f32 / b.max(1) as f32 > r && a > b + (10 << 20);
    let mut found: Vec<&str> = Vec::new();
    let empty = o.used < 5 << 20;
    if !empty {
        if o.peak as f32 / o.used.max(1) as f32 > 1.5 {
            found.push(BIG_PEAK);
        }
        if over(rss, o.used, 1.4) {
            found.push(HIGH_FRAG);
        }
        if over(heap.active, heap.allocated, 1.1) {
            found.push(HIGH_ALLOC_FRAG);
        }
        if over(heap.resident, heap.active, 1.1) {
            found.push(HIGH_ALLOC_RSS);
        }
        if over(rss, heap.resident, 1.1) {
            found.push(HIGH_PROC_RSS);
        }
        if o.clients_normal / clients > 200 * 1024 {
            found.push(BIG_CLIENT_BUF);
        }
    }
    let report = if empty {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n".to_string()
    } else if found.is_empty() {
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n".to_string()
    } else {
        let mut s = String::from(
            "Sam, I detected a few issues in this Redis instance memory implants:\n\n",
        );
        for f in found {
            s.push_str(&f.replace("%s", &stats::allocator_name()));
            s.push_str("\n\n");
        }
        s.push_str("I'm here to keep you safe, Sam. I want to help you.\n");
        s
    };
    ctx.reply.verbatim(report.as_bytes(), "txt");
    Ok(())
}

const BIG_PEAK: &str = " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.";
const HIGH_FRAG: &str = " * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is \"%s\".";
const HIGH_ALLOC_FRAG: &str = " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.";
const HIGH_ALLOC_RSS: &str = " * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it.";
const HIGH_PROC_RSS: &str = " * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.";
const BIG_CLIENT_BUF: &str = " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.";

fn memory_malloc_stats(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    extern "C" fn write_cb(out: *mut std::ffi::c_void, msg: *const std::ffi::c_char) {
        // SAFETY: `out` is the Vec passed below; jemalloc hands a C string.
        unsafe {
            let out = &mut *(out as *mut Vec<u8>);
            out.extend_from_slice(std::ffi::CStr::from_ptr(msg).to_bytes());
        }
    }
    let mut out: Vec<u8> = Vec::new();
    // SAFETY: the callback only appends to `out`, which outlives the call.
    unsafe {
        tikv_jemalloc_sys::malloc_stats_print(
            Some(write_cb),
            &mut out as *mut Vec<u8> as *mut std::ffi::c_void,
            std::ptr::null(),
        );
    }
    ctx.reply.verbatim(&out, "txt");
    Ok(())
}

fn memory_purge(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    // Every arena (MALLCTL_ARENAS_ALL is 4096), as Redis's jemalloc_purge;
    // a failure is not reported to the client, as in Redis.
    // SAFETY: a NUL-terminated name and no values, as the control takes.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
    ctx.reply.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::tests::{run, setup};

    /// Replies checked against redis-server 7.0.15.
    #[test]
    fn usage_options_and_missing_keys() {
        let (mut e, mut c) = setup();
        let cases: &[(&[&[u8]], &[u8])] = &[
            (&[b"MEMORY", b"USAGE", b"nokey"], b"$-1\r\n"),
            (
                &[b"MEMORY", b"USAGE"],
                b"-ERR wrong number of arguments for 'memory|usage' command\r\n",
            ),
            (
                &[b"MEMORY", b"USAGE", b"a", b"samples"],
                b"-ERR syntax error\r\n",
            ),
            (
                &[b"MEMORY", b"USAGE", b"a", b"samples", b"x"],
                b"-ERR value is not an integer or out of range\r\n",
            ),
            (
                &[b"MEMORY", b"USAGE", b"a", b"samples", b"-1"],
                b"-ERR syntax error\r\n",
            ),
            (
                &[b"MEMORY", b"USAGE", b"a", b"foo", b"1"],
                b"-ERR syntax error\r\n",
            ),
            (
                &[b"MEMORY", b"USAGE", b"a", b"samples", b"1", b"x"],
                b"-ERR syntax error\r\n",
            ),
            (&[b"SET", b"a", b"1"], b"+OK\r\n"),
            // An integer in the entry itself: the entry alone, as Redis's 48.
            (
                &[
                    b"MEMORY", b"USAGE", b"a", b"samples", b"1", b"samples", b"0",
                ],
                b":48\r\n",
            ),
            (
                &[b"MEMORY", b"DOCTOR", b"x"],
                b"-ERR wrong number of arguments for 'memory|doctor' command\r\n",
            ),
            (&[b"MEMORY", b"PURGE"], b"+OK\r\n"),
        ];
        for (cmd, want) in cases {
            assert_eq!(run(&mut e, &mut c, cmd), *want, "{:?}", cmd);
        }
        let help = run(&mut e, &mut c, &[b"MEMORY", b"HELP"]);
        assert!(help.starts_with(b"*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n"));
        let stats = run(&mut e, &mut c, &[b"MEMORY", b"STATS"]);
        assert!(stats.starts_with(b"*56\r\n$14\r\npeak.allocated\r\n:"));
    }
}
