//! The RDB format: Redis's snapshot of the keyspace, byte-compatible with
//! Redis 7.0 in both directions (version 10).
//!
//! A file is `REDIS0010`, a few AUX fields (who wrote it and when), then
//! for each non-empty database a SELECTDB and a RESIZEDB opcode followed
//! by its keys — each an optional expire time (and LRU/LFU hint), a type
//! byte, the key and the value — then EOF and a CRC64 of everything
//! before it. A DUMP payload is one value of that (type byte and value)
//! with the RDB version and a CRC64 as its footer.
//!
//! The encoder ([`write`]) writes values in the encodings Redis 7.0 picks
//! for the same objects, so DUMP payloads and files compare equal to
//! Redis's wherever Redis's own output is deterministic. The decoder
//! ([`read`], [`load`]) reads everything Redis 7.0 reads, the encodings
//! of older versions included, and turns each value into ferredis's
//! encodings with the thresholds the commands use. Neither touches a
//! socket or the event loop: the encoder only reads the keyspace through
//! shared references (a forked child can run it), the decoder only builds
//! values.

mod file;
mod load;
pub mod lzf;
pub mod packed;
mod read;
mod stream;
mod write;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_corrupt;

pub use file::{LoadOptions, LoadReport, SaveOptions, key_delay, load, save};
pub use load::Limits;
pub use read::Reader;
pub use write::Encoder;

use crate::db::Value;
use std::borrow::Cow;
use std::fmt;

/// The version this encoder writes and the newest the decoder reads.
pub const RDB_VERSION: u16 = 10;

/// Value types (the byte before a key).
pub mod ty {
    pub const STRING: u8 = 0;
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const ZSET: u8 = 3;
    pub const HASH: u8 = 4;
    pub const ZSET_2: u8 = 5;
    pub const MODULE: u8 = 6;
    pub const MODULE_2: u8 = 7;
    pub const HASH_ZIPMAP: u8 = 9;
    pub const LIST_ZIPLIST: u8 = 10;
    pub const SET_INTSET: u8 = 11;
    pub const ZSET_ZIPLIST: u8 = 12;
    pub const HASH_ZIPLIST: u8 = 13;
    pub const LIST_QUICKLIST: u8 = 14;
    pub const STREAM_LISTPACKS: u8 = 15;
    pub const HASH_LISTPACK: u8 = 16;
    pub const ZSET_LISTPACK: u8 = 17;
    pub const LIST_QUICKLIST_2: u8 = 18;
    pub const STREAM_LISTPACKS_2: u8 = 19;

    /// Redis's rdbIsObjectType for version 10.
    pub fn is_object(t: u8) -> bool {
        t <= 7 || (9..=19).contains(&t)
    }
}

/// Opcodes that are not value types.
pub mod op {
    pub const FUNCTION2: u8 = 245;
    /// The library format of Redis 7.0's release candidates.
    pub const FUNCTION: u8 = 246;
    pub const MODULE_AUX: u8 = 247;
    pub const IDLE: u8 = 248;
    pub const FREQ: u8 = 249;
    pub const AUX: u8 = 250;
    pub const RESIZEDB: u8 = 251;
    pub const EXPIRETIME_MS: u8 = 252;
    pub const EXPIRETIME: u8 = 253;
    pub const SELECTDB: u8 = 254;
    pub const EOF: u8 = 255;
}

/// Length and string encodings: the top two bits of a length's first
/// byte, and the special string encodings under `ENCVAL`.
mod enc {
    pub const LEN_6BIT: u8 = 0;
    pub const LEN_14BIT: u8 = 1;
    pub const LEN_32BIT: u8 = 0x80;
    pub const LEN_64BIT: u8 = 0x81;
    pub const ENCVAL: u8 = 3;
    pub const INT8: u8 = 0;
    pub const INT16: u8 = 1;
    pub const INT32: u8 = 2;
    pub const LZF: u8 = 3;
}

/// Why an RDB or a payload could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdbError {
    /// Byte offset in the input where reading failed.
    pub offset: usize,
    pub reason: Cow<'static, str>,
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.reason, self.offset)
    }
}

impl std::error::Error for RdbError {}

/// Redis's crc64 (Jones polynomial, reflected), as the `crc` crate
/// catalogues it. Sixteen tables (slicing by 16, 32 KiB) rather than
/// one: a byte at a time the checksum alone took as long as encoding a
/// file of large values, on save and again on load.
type Crc64Impl = crc::Table<16>;
static CRC64: crc::Crc<u64, Crc64Impl> = crc::Crc::<u64, Crc64Impl>::new(&crc::CRC_64_REDIS);

pub fn crc64(bytes: &[u8]) -> u64 {
    CRC64.checksum(bytes)
}

/// DUMP's payload for a value: its type byte and encoding, the RDB
/// version (2 bytes) and a CRC64 of all that (8 bytes), little-endian.
pub fn dump_payload(value: &Value, compress: bool) -> Vec<u8> {
    let mut enc = Encoder::new(Vec::new(), compress);
    // Writing into a Vec cannot fail.
    let _ = enc.object(value);
    let mut out = enc.into_inner();
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Whether a payload's footer holds a version this decoder reads and a
/// matching CRC64 (Redis's verifyDumpPayload).
pub fn verify_payload(payload: &[u8]) -> bool {
    let Some(body_len) = payload.len().checked_sub(10) else {
        return false;
    };
    let version = u16::from_le_bytes([payload[body_len], payload[body_len + 1]]);
    if version > RDB_VERSION {
        return false;
    }
    let (body, crc) = payload.split_at(body_len + 2);
    crc64(body).to_le_bytes() == crc
}

/// The value of a payload that passed [`verify_payload`]; `Ok(None)` for
/// an empty collection, which Redis refuses like any corrupt payload.
pub fn restore_payload(payload: &[u8], limits: &Limits) -> Result<Option<Value>, RdbError> {
    let body = payload
        .get(..payload.len().saturating_sub(10))
        .unwrap_or(&[]);
    let mut r = Reader::new(body);
    let t = r.byte()?;
    if !ty::is_object(t) {
        return Err(r.error("not an object type"));
    }
    load::object(&mut r, t, limits)
}
