//! Whole RDB files: [`save`] writes every database of a keyspace,
//! [`load`] reads a file into one.

use super::load::{Limits, object};
use super::read::Reader;
use super::write::{Encoder, type_of};
use super::{CRC64, Crc64Impl, RDB_VERSION, RdbError, crc64, op};
use crate::config::Config;
use crate::db::access::lfu_counter;
use crate::db::value::flags;
use crate::db::{AccessClock, AccessPolicy, Keyspace, Object};
use std::io::{self, Write};

/// What a save writes besides the keys.
#[derive(Debug, Clone)]
pub struct SaveOptions {
    /// rdbcompression: LZF for strings that shrink.
    pub compression: bool,
    /// rdbchecksum: a CRC64 trailer (zero when off).
    pub checksum: bool,
    /// The `ctime` AUX field, Unix seconds.
    pub ctime: i64,
    /// The `used-mem` AUX field.
    pub used_mem: u64,
    /// The `aof-base` AUX field: the file starts an AOF.
    pub aof_base: bool,
    /// Which access hint precedes each key, by maxmemory-policy.
    pub hint: AccessHint,
    /// The time idle times and LFU decay are computed at.
    pub now_ms: i64,
    /// rdb-key-save-delay: microseconds to wait after each key.
    pub key_delay_us: i64,
}

/// Redis saves each key's idle time under an LRU eviction policy and
/// its access frequency under an LFU one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessHint {
    None,
    Idle,
    Freq { decay_minutes: u32 },
}

impl SaveOptions {
    pub fn from_config(c: &Config, used_mem: u64, now_ms: i64) -> SaveOptions {
        let policy = c.maxmemory_policy;
        let hint = match crate::commands::access_policy(c).clock {
            AccessClock::Lfu { decay_minutes, .. } => AccessHint::Freq { decay_minutes },
            AccessClock::Lru if policy.ends_with("-lru") => AccessHint::Idle,
            AccessClock::Lru => AccessHint::None,
        };
        SaveOptions {
            compression: c.rdbcompression,
            checksum: c.rdbchecksum,
            ctime: now_ms / 1000,
            used_mem,
            aof_base: false,
            hint,
            now_ms,
            key_delay_us: c.rdb_key_save_delay,
        }
    }
}

/// Redis's debugDelay: a positive delay sleeps that many microseconds, a
/// negative one sleeps one microsecond once in `-delay` calls on average.
pub fn key_delay(us: i64) {
    let us = if us < 0 {
        i64::from(fastrand::i64(..).rem_euclid(-us) == 0)
    } else {
        us
    };
    if us > 0 {
        std::thread::sleep(std::time::Duration::from_micros(us as u64));
    }
}

/// Bytes gathered between the encoder and the checksum.
const SAVE_CHUNK: usize = 64 * 1024;

/// A writer that feeds a CRC64 with everything written through it.
struct Checksummed<W: Write> {
    inner: W,
    digest: Option<crc::Digest<'static, u64, Crc64Impl>>,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(d) = &mut self.digest {
            d.update(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the whole keyspace as an RDB file into `out` (buffer it: many
/// small writes go through) and hands `out` back. Reads the keyspace
/// through a shared reference only, so a forked child can run it.
pub fn save<W: Write>(out: W, keyspace: &Keyspace, opts: &SaveOptions) -> io::Result<W> {
    let sink = Checksummed {
        inner: out,
        digest: opts.checksum.then(|| CRC64.digest()),
    };
    // The encoder writes a few bytes at a time; the checksum is fastest
    // over long runs, so they are gathered before it sees them.
    let sink = io::BufWriter::with_capacity(SAVE_CHUNK, sink);
    let mut enc = Encoder::new(sink, opts.compression);
    enc.raw(format!("REDIS{RDB_VERSION:04}").as_bytes())?;
    let aux = |enc: &mut Encoder<_>, key: &str, value: &[u8]| -> io::Result<()> {
        enc.byte(op::AUX)?;
        enc.string(key.as_bytes())?;
        enc.string(value)
    };
    aux(&mut enc, "redis-ver", crate::REDIS_VERSION.as_bytes())?;
    aux(&mut enc, "redis-bits", b"64")?;
    aux(&mut enc, "ctime", opts.ctime.to_string().as_bytes())?;
    aux(&mut enc, "used-mem", opts.used_mem.to_string().as_bytes())?;
    aux(
        &mut enc,
        "aof-base",
        if opts.aof_base { b"1" } else { b"0" },
    )?;
    for (index, db) in keyspace.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        enc.byte(op::SELECTDB)?;
        enc.len(index as u64)?;
        enc.byte(op::RESIZEDB)?;
        enc.len(db.len() as u64)?;
        enc.len(db.expires_len() as u64)?;
        for (key, obj) in db.iter() {
            if obj.has_flag(flags::HAS_EXPIRE)
                && let Some(when) = db.expire_time(key.as_bytes())
            {
                enc.byte(op::EXPIRETIME_MS)?;
                enc.millis(when)?;
            }
            match opts.hint {
                AccessHint::None => {}
                AccessHint::Idle => {
                    enc.byte(op::IDLE)?;
                    enc.len((obj.idle_ms(opts.now_ms) / 1000) as u64)?;
                }
                AccessHint::Freq { decay_minutes } => {
                    let freq = lfu_counter(obj.clock(), decay_minutes, opts.now_ms);
                    enc.raw(&[op::FREQ, freq.min(255) as u8])?;
                }
            }
            enc.byte(type_of(&obj.value))?;
            enc.string(key.as_bytes())?;
            enc.value(&obj.value)?;
            key_delay(opts.key_delay_us);
            crate::persistence::child_info::key_written();
        }
    }
    enc.byte(op::EOF)?;
    let mut sink = enc.into_inner().into_inner().map_err(|e| e.into_error())?;
    let crc = sink.digest.take().map_or(0, |d| d.finalize());
    sink.inner.write_all(&crc.to_le_bytes())?;
    Ok(sink.inner)
}

/// How a file is loaded.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub limits: Limits,
    pub now_ms: i64,
    /// Drop keys whose expire time has passed (a master does).
    pub skip_expired: bool,
    /// rdbchecksum: verify the trailer unless it is zero.
    pub verify_checksum: bool,
    /// How IDLE and FREQ hints become access clocks.
    pub access: AccessPolicy,
    /// A key already present is replaced by the file's (DEBUG RELOAD
    /// MERGE); otherwise it makes the load fail.
    pub replace_present: bool,
}

impl LoadOptions {
    pub fn from_config(c: &Config, now_ms: i64) -> LoadOptions {
        LoadOptions {
            limits: Limits::from_config(c),
            now_ms,
            skip_expired: true,
            verify_checksum: c.rdbchecksum,
            access: crate::commands::access_policy(c),
            replace_present: false,
        }
    }
}

/// What a load found besides the keys.
#[derive(Debug, Default, Clone)]
pub struct LoadReport {
    pub version: u16,
    pub keys_loaded: u64,
    pub keys_expired: u64,
    /// Empty collections, which Redis skips with a warning.
    pub empty_keys_skipped: u64,
    /// Function libraries: ferredis has no functions, so they are read
    /// and left out.
    pub functions_skipped: u64,
    pub aux: Vec<(Vec<u8>, Vec<u8>)>,
    /// The trailer was zero (saved with rdbchecksum no).
    pub checksum_absent: bool,
    /// Bytes the file took, trailer included: an old AOF with an RDB
    /// preamble goes on with commands after them.
    pub bytes_read: usize,
}

/// The format version in a `REDIS0010` header, read as C's atoi reads it.
fn header_version(header: &[u8]) -> Option<u16> {
    let digits = header.strip_prefix(b"REDIS")?;
    let n = digits
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0u16, |n, &b| {
            n.saturating_mul(10).saturating_add(u16::from(b - b'0'))
        });
    Some(n)
}

/// Loads an RDB file into `keyspace` (whose databases must be empty of
/// the keys it holds: a duplicate is an error, as in Redis).
pub fn load(
    data: &[u8],
    keyspace: &mut Keyspace,
    opts: &LoadOptions,
) -> Result<LoadReport, RdbError> {
    let mut r = Reader::new(data);
    let header = r.take(9)?;
    let version = header_version(header).ok_or_else(|| RdbError {
        offset: 0,
        reason: "Wrong signature trying to load DB from file".into(),
    })?;
    if !(1..=RDB_VERSION).contains(&version) {
        return Err(RdbError {
            offset: 5,
            reason: format!("Can't handle RDB format version {version}").into(),
        });
    }
    let mut report = LoadReport {
        version,
        ..LoadReport::default()
    };
    let mut db = 0usize;
    let (mut expire, mut idle, mut freq) = (None, None, None);
    loop {
        let t = r.byte()?;
        match t {
            op::EXPIRETIME => expire = Some(i64::from(r.secs()?) * 1000),
            op::EXPIRETIME_MS => expire = Some(r.millis()?),
            op::FREQ => freq = Some(r.byte()?),
            op::IDLE => idle = Some(r.length()? as i64),
            op::EOF => break,
            op::SELECTDB => {
                let n = r.length()?;
                db = usize::try_from(n)
                    .ok()
                    .filter(|&n| n < keyspace.dbs.len())
                    .ok_or_else(|| {
                        r.error(format!(
                            "Data file was created with a Redis server configured to handle more than {} databases",
                            keyspace.dbs.len()
                        ))
                    })?;
            }
            op::RESIZEDB => {
                // Sizes come from the file: no more keys than it has
                // bytes left (each takes three at least).
                let most = r.remaining() / 3;
                let keys = usize::try_from(r.length()?).unwrap_or(usize::MAX).min(most);
                let expires = usize::try_from(r.length()?).unwrap_or(usize::MAX).min(keys);
                if let Some(target) = keyspace.dbs.get_mut(db) {
                    target.reserve_for_load(keys, expires);
                }
            }
            op::AUX => {
                let key = r.string()?.into_owned();
                let value = r.string()?.into_owned();
                report.aux.push((key, value));
            }
            op::MODULE_AUX => {
                return Err(r.error("The RDB file contains AUX module data I can't load"));
            }
            op::FUNCTION2 => {
                r.string()?;
                report.functions_skipped += 1;
            }
            op::FUNCTION => {
                // Name, engine, an optional description, the code.
                r.string()?;
                r.string()?;
                if r.length()? != 0 {
                    r.string()?;
                }
                r.string()?;
                report.functions_skipped += 1;
            }
            t => {
                let key = r.string()?;
                let at = r.offset();
                let value = object(&mut r, t, &opts.limits)?;
                let (when, idle, freq) = (expire.take(), idle.take(), freq.take());
                let Some(value) = value else {
                    report.empty_keys_skipped += 1;
                    continue;
                };
                if opts.skip_expired && when.is_some_and(|w| w < opts.now_ms) {
                    report.keys_expired += 1;
                    continue;
                }
                let Some(target) = keyspace.dbs.get_mut(db) else {
                    return Err(r.error("no such database"));
                };
                let obj = Object::new(value, opts.now_ms);
                let clock = opts.access.clock_from_hint(idle, freq, opts.now_ms);
                if let Err(obj) = target.add_loaded(&key, obj, when, clock) {
                    if !opts.replace_present {
                        return Err(RdbError {
                            offset: at,
                            reason: "Duplicated key found in RDB file".into(),
                        });
                    }
                    target.remove(&key);
                    // Absent now: the key was just removed.
                    let _ = target.add_loaded(&key, obj, when, clock);
                }
                report.keys_loaded += 1;
            }
        }
    }
    if version >= 5 {
        let body = r.offset();
        let stored = u64::from_le_bytes(
            r.take(8)?
                .try_into()
                .map_err(|_| r.error("short checksum"))?,
        );
        report.checksum_absent = stored == 0;
        if opts.verify_checksum && stored != 0 && crc64(&data[..body]) != stored {
            return Err(RdbError {
                offset: body,
                reason: "RDB CRC error".into(),
            });
        }
    }
    report.bytes_read = r.offset();
    Ok(report)
}
