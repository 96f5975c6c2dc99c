//! difftest: sends the same seeded random command sequences to a real
//! Redis and to ferredis and compares every reply byte for byte.
//!
//! For each command family and seed it opens one connection to each
//! server, flushes both, generates commands over a small shared key space
//! (see gen.rs), sends each to both servers and compares the replies under
//! the command's rule (exact by default). Every 100 commands, and at the
//! end, it compares the whole data set too. Then it sends protocol edge
//! cases on raw sockets. It prints, per family, how many commands were
//! sent, identical and different, with the first differing examples, and
//! exits non-zero on any difference not excused by the allowlist.
//!
//! Usage: difftest --redis HOST:PORT --ferredis HOST:PORT
//!                 [--seeds 1,2,3] [--random-seed] [--count N]
//!                 [--families strings,keys,server] [--allowlist FILE]
//!                 [--protocol 2|3] [--trace]

mod compare;
mod events;
mod families;
mod generate;
mod protocol;
mod resp;
mod set_checks;

use generate::{Cmp, Gen, Step};
use resp::{Conn, Reply};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

pub fn unix_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

struct Options {
    redis: String,
    ferredis: String,
    seeds: Vec<u64>,
    count: usize,
    families: Vec<String>,
    allowlist: Option<String>,
    /// RESP version to speak (HELLO 3 switches both servers to RESP3).
    protocol: u8,
    /// Print every command sent (to find what led to a difference).
    trace: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut o = Options {
        redis: String::new(),
        ferredis: String::new(),
        seeds: vec![1, 2, 3],
        count: 20_000,
        families: families::ALL.iter().map(|(n, _)| n.to_string()).collect(),
        allowlist: None,
        protocol: 2,
        trace: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--redis" => o.redis = value()?,
            "--ferredis" => o.ferredis = value()?,
            "--seeds" => {
                o.seeds = value()?
                    .split(',')
                    .map(|s| s.parse().map_err(|_| format!("bad seed {s}")))
                    .collect::<Result<_, _>>()?
            }
            "--random-seed" => {
                let seed = fastrand::u64(..);
                println!("random seed: {seed} (reproduce with --seeds {seed})");
                o.seeds.push(seed);
            }
            "--count" => o.count = value()?.parse().map_err(|_| "bad --count")?,
            "--families" => o.families = value()?.split(',').map(str::to_string).collect(),
            "--allowlist" => o.allowlist = Some(value()?),
            "--trace" => o.trace = true,
            "--protocol" => {
                o.protocol = match value()?.as_str() {
                    "2" => 2,
                    "3" => 3,
                    other => return Err(format!("bad --protocol {other}")),
                }
            }
            _ => return Err(format!("unknown option {a}")),
        }
    }
    if o.redis.is_empty() || o.ferredis.is_empty() {
        return Err("--redis and --ferredis are required".into());
    }
    Ok(o)
}

/// Commands whose differences are expected: the first words of the
/// command (e.g. `command docs`) and why.
struct Allowlist(Vec<(String, String)>);

impl Allowlist {
    fn load(path: Option<&str>) -> Result<Allowlist, String> {
        let Some(path) = path else {
            return Ok(Allowlist(Vec::new()));
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let mut entries = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (cmd, why) = line
                .split_once(" -- ")
                .ok_or(format!("allowlist line without ' -- reason': {line}"))?;
            if why.trim().is_empty() {
                return Err(format!("allowlist entry without a reason: {line}"));
            }
            entries.push((cmd.trim().to_ascii_lowercase(), why.trim().to_string()));
        }
        Ok(Allowlist(entries))
    }

    /// Whether an entry covers this request: the entry's words are the
    /// request's first words (case-insensitive).
    fn excuses(&self, args: &[Vec<u8>]) -> bool {
        let words: Vec<String> = args
            .iter()
            .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
            .collect();
        self.0.iter().any(|(entry, _)| {
            let want: Vec<&str> = entry.split_whitespace().collect();
            want.len() <= words.len() && want.iter().zip(&words).all(|(w, a)| w == a)
        })
    }
}

#[derive(Default)]
struct FamilyReport {
    sent: usize,
    identical: usize,
    allowed: usize,
    different: usize,
    examples: Vec<(String, String)>,
    commands: BTreeMap<String, usize>,
}

impl FamilyReport {
    fn record(&mut self, name: &str, ok: bool, allowed: bool, example: impl FnOnce() -> String) {
        self.sent += 1;
        *self.commands.entry(name.to_string()).or_default() += 1;
        if ok {
            self.identical += 1;
        } else if allowed {
            self.allowed += 1;
        } else {
            self.different += 1;
            // The first example of each command, up to a dozen in all.
            let first_of_its_kind = !self.examples.iter().any(|(n, _)| n == name);
            if first_of_its_kind && self.examples.len() < 12 {
                self.examples.push((name.to_string(), example()));
            }
        }
    }
}

/// A pair of connections, one to each server.
struct Pair {
    redis: Conn,
    ferredis: Conn,
}

impl Pair {
    fn open(o: &Options) -> Result<Pair, String> {
        let mut pair = Pair {
            redis: Conn::connect(&o.redis).map_err(|e| format!("redis {}: {e}", o.redis))?,
            ferredis: Conn::connect(&o.ferredis)
                .map_err(|e| format!("ferredis {}: {e}", o.ferredis))?,
        };
        if o.protocol == 3 {
            let ((a, _), (b, _)) = pair.both(&args(&[b"HELLO", b"3"]));
            if a.is_error() || b.is_error() {
                return Err(format!(
                    "HELLO 3 refused: redis {} ferredis {}",
                    a.show(),
                    b.show()
                ));
            }
        }
        Ok(pair)
    }

    fn both(&mut self, args: &[Vec<u8>]) -> ((Reply, Vec<u8>), (Reply, Vec<u8>)) {
        (self.redis.request(args), self.ferredis.request(args))
    }
}

fn args(parts: &[&[u8]]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.to_vec()).collect()
}

/// Brings both servers to the same empty state and default settings.
fn reset(pair: &mut Pair) {
    for cmd in [
        args(&[b"FLUSHALL"]),
        args(&[
            b"CONFIG",
            b"SET",
            b"hz",
            b"10",
            b"timeout",
            b"0",
            b"maxmemory",
            b"0",
            b"loglevel",
            b"notice",
            b"save",
            b"",
            b"hash-max-listpack-entries",
            b"512",
            b"hash-max-listpack-value",
            b"64",
        ]),
        args(&[b"SELECT", b"0"]),
        args(&[b"CONFIG", b"SET", b"set-max-intset-entries", b"512"]),
        args(&[b"CONFIG", b"SET", b"notify-keyspace-events", b""]),
    ] {
        pair.both(&cmd);
    }
}

/// Runs a cursor loop on one server and returns every element seen.
fn scan_all(
    conn: &mut Conn,
    template: &[Vec<u8>],
    cursor_at: usize,
) -> Result<Vec<Vec<u8>>, Reply> {
    let mut args = template.to_vec();
    let mut seen = Vec::new();
    for _ in 0..10_000 {
        let (reply, _) = conn.request(&args);
        let Reply::Array(Some(parts)) = reply else {
            return Err(reply);
        };
        match (parts.first(), parts.get(1)) {
            (Some(Reply::Bulk(Some(cursor))), Some(Reply::Array(Some(items)))) => {
                for i in items {
                    if let Reply::Bulk(Some(b)) = i {
                        seen.push(b.clone());
                    }
                }
                if cursor == b"0" {
                    seen.sort();
                    seen.dedup();
                    return Ok(seen);
                }
                args[cursor_at] = cursor.clone();
            }
            _ => return Err(Reply::Array(Some(parts))),
        }
    }
    Err(Reply::Other(b'!', b"scan did not finish".to_vec()))
}

/// Everything a key holds, for comparing data sets.
fn dump_key(conn: &mut Conn, key: &[u8]) -> Vec<String> {
    let (ty, _) = conn.request(&args(&[b"TYPE", key]));
    let mut out = vec![ty.show()];
    let value_cmd: Option<Vec<Vec<u8>>> = match &ty {
        Reply::Simple(t) if t == b"string" => Some(args(&[b"GET", key])),
        Reply::Simple(t) if t == b"list" => Some(args(&[b"LRANGE", key, b"0", b"-1"])),
        Reply::Simple(t) if t == b"zset" => {
            Some(args(&[b"ZRANGE", key, b"0", b"-1", b"WITHSCORES"]))
        }
        Reply::Simple(t) if t == b"stream" => Some(args(&[b"XRANGE", key, b"-", b"+"])),
        _ => None,
    };
    if let Some(cmd) = value_cmd {
        out.push(conn.request(&cmd).0.show());
    }
    let unordered: Option<Vec<Vec<u8>>> = match &ty {
        Reply::Simple(t) if t == b"set" => Some(args(&[b"SMEMBERS", key])),
        Reply::Simple(t) if t == b"hash" => Some(args(&[b"HGETALL", key])),
        _ => None,
    };
    if let Some(cmd) = unordered {
        let (r, _) = conn.request(&cmd);
        let mut items: Vec<String> = match (&r, &ty) {
            (Reply::Array(Some(v)), Reply::Simple(t)) if t == b"hash" => v
                .chunks(2)
                .map(|p| p.iter().map(Reply::show).collect::<Vec<_>>().join("="))
                .collect(),
            (Reply::Array(Some(v)), _) => v.iter().map(Reply::show).collect(),
            _ => vec![r.show()],
        };
        items.sort();
        out.push(items.join(","));
    }
    out
}

/// A key's TTL, to the second: both servers set TTLs a few microseconds
/// apart.
fn dump_ttl(conn: &mut Conn, key: &[u8]) -> String {
    match conn.request(&args(&[b"PTTL", key])).0 {
        Reply::Int(ms) if ms > 0 => format!("ttl~{}", (ms + 500) / 1000),
        other => other.show(),
    }
}

/// Compares the whole data set of databases 0..16; returns a description
/// of the first difference.
fn compare_state(pair: &mut Pair) -> Option<String> {
    for db in 0..16 {
        let sel = args(&[b"SELECT", db.to_string().as_bytes()]);
        pair.both(&sel);
        let keys_a = scan_all(
            &mut pair.redis,
            &args(&[b"SCAN", b"0", b"COUNT", b"100"]),
            1,
        );
        let keys_b = scan_all(
            &mut pair.ferredis,
            &args(&[b"SCAN", b"0", b"COUNT", b"100"]),
            1,
        );
        let (keys_a, keys_b) = match (keys_a, keys_b) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => {
                let show = |r: Result<Vec<Vec<u8>>, Reply>| match r {
                    Ok(_) => "ok".to_string(),
                    Err(reply) => reply.show(),
                };
                return Some(format!(
                    "db {db}: SCAN failed: redis {} ferredis {}",
                    show(a),
                    show(b)
                ));
            }
        };
        if keys_a != keys_b {
            let show = |k: &Vec<Vec<u8>>| {
                k.iter()
                    .map(|k| resp::show_bytes(k, 40))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            return Some(format!(
                "db {db}: keys differ: redis [{}] ferredis [{}]",
                show(&keys_a),
                show(&keys_b)
            ));
        }
        for key in &keys_a {
            // The TTLs first and back to back: reading a large value takes
            // long enough to make the two servers' TTLs drift apart.
            let ttl_a = dump_ttl(&mut pair.redis, key);
            let ttl_b = dump_ttl(&mut pair.ferredis, key);
            let mut a = dump_key(&mut pair.redis, key);
            let mut b = dump_key(&mut pair.ferredis, key);
            a.push(ttl_a);
            b.push(ttl_b);
            // A TTL that rounds differently by one second is not a difference.
            let near = a.len() == b.len()
                && a.iter().zip(&b).all(|(x, y)| {
                    x == y
                        || matches!((x.strip_prefix("ttl~"), y.strip_prefix("ttl~")),
                            (Some(p), Some(q)) if (p.parse::<i64>().unwrap_or(0) - q.parse::<i64>().unwrap_or(0)).abs() <= 1)
                });
            if !near {
                return Some(format!(
                    "db {db} key {}: redis {a:?} ferredis {b:?}",
                    resp::show_bytes(key, 40)
                ));
            }
        }
    }
    None
}

fn run_family(
    o: &Options,
    allow: &Allowlist,
    name: &str,
    step_fn: families::StepFn,
    seed: u64,
    report: &mut FamilyReport,
) -> Result<(), String> {
    let mut pair = Pair::open(o)?;
    reset(&mut pair);
    let family_salt: u64 = name
        .bytes()
        .fold(0, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut g = Gen::new(seed ^ family_salt);
    // The notify family compares what a keyspace subscriber receives.
    let mut subs = None;
    if name == "notify" {
        let on = args(&[
            b"CONFIG",
            b"SET",
            b"notify-keyspace-events",
            events::CLASSES,
        ]);
        pair.both(&on);
        subs = Some(events::Subscribers::open(o)?);
    }
    // The notify_self family runs the commands on a connection subscribed
    // to their own events.
    let self_subscribed = name == events::SELF_FAMILY;
    let mut own = events::OwnEvents::default();
    if self_subscribed {
        events::subscribe_self(&mut pair)?;
    }
    // A second client, for steps addressed to `@other` (tx family).
    let mut other: Option<Pair> = None;
    for i in 0..o.count {
        let step = step_fn(&mut g);
        let cmd_name = step.name();
        let allowed = allow.excuses(step.args());
        if o.trace {
            let shown: Vec<String> = step
                .args()
                .iter()
                .map(|a| resp::show_bytes(a, 40))
                .collect();
            println!("#{i} {}", shown.join(" "));
        }
        match &step {
            Step::One { args, cmp } if self_subscribed => {
                let out = own.request(&mut pair, args, *cmp);
                report.record(&cmd_name, out.ok, allowed, || {
                    format!(
                        "seed {seed} #{i}: {}\n      redis:    {}\n      ferredis: {}",
                        args.iter()
                            .map(|a| resp::show_bytes(a, 60))
                            .collect::<Vec<_>>()
                            .join(" "),
                        resp::show_bytes(&out.redis, 600),
                        resp::show_bytes(&out.ferredis, 600)
                    )
                });
                if out.lost {
                    pair = own.reopen(o)?;
                    g.in_multi = false;
                }
            }
            Step::One { args, cmp } => {
                let ((ra, raw_a), (rb, raw_b)) = match args.split_first() {
                    Some((to, rest)) if to == b"@other" => {
                        if other.is_none() {
                            other = Some(Pair::open(o)?);
                        }
                        match &mut other {
                            Some(p) => p.both(rest),
                            None => pair.both(args),
                        }
                    }
                    _ => pair.both(args),
                };
                let cmp = &resolve(&mut pair, args, *cmp);
                let ok = match cmp {
                    // Entries of commands the allowlist excuses may differ.
                    Cmp::Subset => compare::subset(&ra, &raw_a, &rb, &raw_b, &|name| {
                        allow.excuses(&[b"command".to_vec(), b"info".to_vec(), name.to_vec()])
                    }),
                    _ => compare::agree(*cmp, &ra, &raw_a, &rb, &raw_b),
                };
                report.record(&cmd_name, ok, allowed, || {
                    let mut e = format!(
                        "seed {seed} #{i}: {}\n      redis:    {}\n      ferredis: {}",
                        args.iter()
                            .map(|a| resp::show_bytes(a, 60))
                            .collect::<Vec<_>>()
                            .join(" "),
                        ra.show(),
                        rb.show()
                    );
                    if let Some(d) = compare::describe(*cmp, &ra, &rb) {
                        e.push_str(&format!("\n      {d}"));
                    }
                    e
                });
                if matches!(ra, Reply::Closed | Reply::Timeout)
                    || matches!(rb, Reply::Closed | Reply::Timeout)
                {
                    pair = Pair::open(o)?;
                }
            }
            Step::SetReply {
                args,
                order,
                otherwise,
            } => {
                let out = set_checks::set_reply(&mut pair, args, order, *otherwise);
                record_outcome(report, &cmd_name, allowed, seed, i, args, &out);
            }
            Step::RandomMembers {
                args,
                key,
                pops,
                unique,
            } => {
                let out = set_checks::random_members(&mut pair, args, key, *pops, *unique);
                record_outcome(report, &cmd_name, allowed, seed, i, args, &out);
            }
            Step::Sample {
                args,
                population,
                pairs,
                distinct,
            } => {
                let ((ra, raw_a), (rb, raw_b)) = pair.both(args);
                // Both servers list the collection, so their statistics
                // stay alike; ferredis's listing is the population.
                let (_, (pop, _)) = pair.both(population);
                let ok = if ra.is_error() || rb.is_error() {
                    raw_a == raw_b
                } else {
                    compare::same_shape(&ra, &rb)
                        && compare::sample_ok(&rb, &pop, *pairs, *distinct)
                };
                report.record(&cmd_name, ok, allowed, || {
                    format!(
                        "seed {seed} #{i}: {}\n      redis:    {}\n      ferredis: {}\n      population: {}",
                        args.iter()
                            .map(|a| resp::show_bytes(a, 60))
                            .collect::<Vec<_>>()
                            .join(" "),
                        ra.show(),
                        rb.show(),
                        pop.show()
                    )
                });
            }
            Step::CrossRestore { args } => {
                let out = cross_restore(&mut pair, args);
                record_outcome(report, &cmd_name, allowed, seed, i, args, &out);
            }
            Step::ScanAll { args, cursor_at } => {
                let a = scan_all(&mut pair.redis, args, *cursor_at);
                let b = scan_all(&mut pair.ferredis, args, *cursor_at);
                let ok = match (&a, &b) {
                    (Ok(x), Ok(y)) => x == y,
                    (Err(x), Err(y)) => x == y,
                    _ => false,
                };
                report.record(&cmd_name, ok, allowed, || {
                    format!(
                        "seed {seed} #{i}: full {} iteration\n      redis:    {:?}\n      ferredis: {:?}",
                        args.iter().map(|a| resp::show_bytes(a, 60)).collect::<Vec<_>>().join(" "),
                        a.map(|v| v.iter().map(|k| resp::show_bytes(k, 30)).collect::<Vec<_>>()),
                        b.map(|v| v.iter().map(|k| resp::show_bytes(k, 30)).collect::<Vec<_>>())
                    )
                });
            }
        }
        if let Some(subs) = &mut subs {
            let (a, b) = subs.drain();
            report.record("(events)", a == b, false, || {
                format!(
                    "seed {seed} after #{i}: {}\n      redis:    {}\n      ferredis: {}",
                    step.args()
                        .iter()
                        .map(|a| resp::show_bytes(a, 60))
                        .collect::<Vec<_>>()
                        .join(" "),
                    resp::show_bytes(&a, 400),
                    resp::show_bytes(&b, 400)
                )
            });
        }
        if i % 100 == 99 || i + 1 == o.count {
            // A fresh connection each time: the commands under test may
            // have set a `timeout` that closes idle ones.
            let mut inspector = Pair::open(o)?;
            if let Some(diff) = compare_state(&mut inspector) {
                report.record("(data set)", false, false, || {
                    format!("seed {seed} after #{i}: {diff}")
                });
                // Start again from equal states so one divergence is
                // reported once, not after every later command.
                if self_subscribed {
                    // Pushes may be pending on the subscribed connection:
                    // a fresh one reads no stale frame as a reply.
                    pair = own.reopen(o)?;
                    g.in_multi = false;
                } else {
                    reset(&mut pair);
                }
                if subs.is_some() {
                    // reset turned notifications off.
                    pair.both(&args(&[
                        b"CONFIG",
                        b"SET",
                        b"notify-keyspace-events",
                        events::CLASSES,
                    ]));
                }
            } else {
                report.record("(data set)", true, false, String::new);
            }
        }
    }
    Ok(())
}

/// Records the outcome of a comparison that depended on the servers'
/// state (set_checks.rs).
fn record_outcome(
    report: &mut FamilyReport,
    cmd_name: &str,
    allowed: bool,
    seed: u64,
    i: usize,
    args: &[Vec<u8>],
    out: &set_checks::Outcome,
) {
    report.record(cmd_name, out.ok, allowed, || {
        format!(
            "seed {seed} #{i}: {} ({})\n      redis:    {}\n      ferredis: {}",
            args.iter()
                .map(|a| resp::show_bytes(a, 60))
                .collect::<Vec<_>>()
                .join(" "),
            out.how,
            out.redis.show(),
            out.ferredis.show()
        )
    });
}

/// DUMP on both servers: the payloads must be equal unless Redis holds
/// the value in a hash table (whose order is its hash function's); then
/// each server RESTOREs the other's payload under `restored`.
fn cross_restore(pair: &mut Pair, args: &[Vec<u8>]) -> set_checks::Outcome {
    let ((ra, raw_a), (rb, raw_b)) = pair.both(args);
    let key = args.get(1).cloned().unwrap_or_default();
    let ((encoding, _), _) = pair.both(&[b"OBJECT".to_vec(), b"ENCODING".to_vec(), key]);
    let table = matches!(&encoding, Reply::Bulk(Some(e)) if e == b"hashtable");
    let mut ok = if table {
        compare::same_shape(&ra, &rb)
    } else {
        raw_a == raw_b
    };
    let mut how = if table { "shape (hash table)" } else { "exact" }.to_string();
    if let (Reply::Bulk(Some(pa)), Reply::Bulk(Some(pb))) = (&ra, &rb) {
        let restore = |p: &Vec<u8>| {
            vec![
                b"RESTORE".to_vec(),
                b"restored".to_vec(),
                b"0".to_vec(),
                p.clone(),
                b"REPLACE".to_vec(),
            ]
        };
        let (x, _) = pair.ferredis.request(&restore(pa));
        let (y, _) = pair.redis.request(&restore(pb));
        if x != y || x.is_error() {
            ok = false;
            how = format!(
                "cross RESTORE: ferredis took Redis's payload with {}, Redis took ferredis's with {}",
                x.show(),
                y.show()
            );
        }
    }
    set_checks::Outcome {
        ok,
        how,
        redis: ra,
        ferredis: rb,
    }
}

/// The comparison rule for a reply just received: ExactIfCompact asks
/// both servers for the key's encoding (so their statistics stay alike)
/// and goes by Redis's.
fn resolve(pair: &mut Pair, args: &[Vec<u8>], cmp: Cmp) -> Cmp {
    let Cmp::ExactIfCompact { key_at, otherwise } = cmp else {
        return cmp;
    };
    let Some(key) = args.get(key_at) else {
        return Cmp::Exact;
    };
    let ((encoding, _), _) = pair.both(&[b"OBJECT".to_vec(), b"ENCODING".to_vec(), key.clone()]);
    match encoding {
        Reply::Bulk(Some(e)) if e == b"hashtable" => *otherwise,
        _ => Cmp::Exact,
    }
}

/// Sends each protocol edge case to both servers on fresh connections.
fn run_protocol(o: &Options, report: &mut FamilyReport) -> Result<(), String> {
    for (name, bytes, step) in protocol::cases() {
        let mut outcome = Vec::new();
        for addr in [&o.redis, &o.ferredis] {
            let mut c = Conn::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
            let sent = if step == 0 {
                c.send_raw(&bytes)
            } else {
                bytes.chunks(step).try_for_each(|chunk| {
                    std::thread::sleep(Duration::from_micros(50));
                    c.send_raw(chunk)
                })
            };
            let mut got = Vec::new();
            // Read replies until the server closes or goes quiet.
            c.set_timeout(Duration::from_millis(300));
            loop {
                match c.read_reply() {
                    (Reply::Closed, _) => break,
                    (Reply::Timeout, _) => break,
                    (_, raw) => got.extend_from_slice(&raw),
                }
            }
            let closed = c.is_closed() || sent.is_err();
            outcome.push((got, closed));
        }
        let ok = outcome[0] == outcome[1];
        report.record(&format!("protocol: {name}"), ok, false, || {
            format!(
                "{name}\n      redis:    {} closed={}\n      ferredis: {} closed={}",
                resp::show_bytes(&outcome[0].0, 200),
                outcome[0].1,
                resp::show_bytes(&outcome[1].0, 200),
                outcome[1].1
            )
        });
    }
    Ok(())
}

fn main() -> ExitCode {
    let o = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("difftest: {e}");
            return ExitCode::from(2);
        }
    };
    let allow = match Allowlist::load(o.allowlist.as_deref()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("difftest: {e}");
            return ExitCode::from(2);
        }
    };
    let mut reports: BTreeMap<String, FamilyReport> = BTreeMap::new();
    for (name, step_fn) in families::ALL {
        if !o.families.iter().any(|f| f == name) {
            continue;
        }
        if *name == events::SELF_FAMILY && o.protocol != 3 {
            // A RESP2 client in subscribed mode may run no other command.
            println!("{name}: RESP3 only, skipped (run with --protocol 3)");
            continue;
        }
        let report = reports.entry(name.to_string()).or_default();
        for &seed in &o.seeds {
            if let Err(e) = run_family(&o, &allow, name, *step_fn, seed, report) {
                eprintln!("difftest: {name} seed {seed}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let protocol = reports.entry("protocol".to_string()).or_default();
    if let Err(e) = run_protocol(&o, protocol) {
        eprintln!("difftest: protocol: {e}");
        return ExitCode::from(2);
    }
    let mut failed = false;
    let mut distinct = std::collections::BTreeSet::new();
    println!(
        "{:<10} {:>8} {:>10} {:>10} {:>8} {:>9}",
        "family", "sent", "identical", "different", "allowed", "agreement"
    );
    for (name, r) in &reports {
        let agreement = if r.sent == 0 {
            100.0
        } else {
            100.0 * (r.identical + r.allowed) as f64 / r.sent as f64
        };
        println!(
            "{name:<10} {:>8} {:>10} {:>10} {:>8} {:>8.2}%",
            r.sent, r.identical, r.different, r.allowed, agreement
        );
        distinct.extend(
            r.commands
                .keys()
                .filter(|c| !c.starts_with('(') && !c.starts_with("protocol"))
                .cloned(),
        );
    }
    // Which of ferredis's own commands (and subcommands) were exercised.
    let implemented: Vec<String> =
        match Conn::connect(&o.ferredis).map(|mut c| c.request(&args(&[b"COMMAND", b"LIST"])).0) {
            Ok(Reply::Array(Some(names))) => names
                .iter()
                .filter_map(|n| match n {
                    Reply::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).replace('|', " ")),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
    let covered = implemented.iter().filter(|n| distinct.contains(*n)).count();
    println!(
        "ferredis commands exercised: {covered} of {} (COMMAND LIST, subcommands counted)",
        implemented.len()
    );
    let mut missed: Vec<&String> = implemented
        .iter()
        .filter(|n| !distinct.contains(*n))
        .collect();
    missed.sort();
    if !missed.is_empty() {
        println!(
            "not exercised: {}",
            missed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for (name, r) in &reports {
        if r.different > 0 {
            failed = true;
            println!("\n{name}: first differences:");
            for (_, e) in &r.examples {
                println!("  - {e}");
            }
        }
    }
    if failed {
        println!("\nFAILED: differences not in the allowlist");
        ExitCode::FAILURE
    } else {
        println!("\nOK: every reply agrees with Redis (or is allowlisted with a reason)");
        ExitCode::SUCCESS
    }
}
