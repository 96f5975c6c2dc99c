//! Values stored in the keyspace and their encodings.
//!
//! A string is kept the way that costs least: a 64-bit integer when it is
//! one (Redis's `int` encoding), inline bytes when it is short, one heap
//! block otherwise, and for large values the very buffer the request
//! arrived in, which replies can then send without copying.

use super::access::SHARED_INTEGERS;
use super::hash::Hash;
use super::list::List;
use super::set::Set;
use super::stream::Stream;
use super::zset::ZSet;
use bytes::Bytes;
use std::sync::atomic::{AtomicU32, Ordering};
use thin_vec::ThinVec;

/// Longest string kept inline in the value itself.
pub const INLINE_STR_CAP: usize = 14;
/// Strings at least this long keep the request's own allocation (the
/// parser hands arguments of this size out as buffers of their own), as
/// Redis reuses the query buffer for PROTO_MBULK_BIG_ARG arguments.
pub const SHARED_STR_MIN: usize = crate::protocol::parser::BIG_ARG;
/// Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: the longest string reported as
/// `embstr`.
pub const EMBSTR_MAX: usize = 44;

/// A value of the string type.
#[derive(Clone)]
pub enum Str {
    Int(i64),
    Inline { len: u8, data: [u8; INLINE_STR_CAP] },
    Heap(ThinVec<u8>),
    Shared(Box<Bytes>),
}

impl Str {
    /// Stores a command argument the way Redis's `tryObjectEncoding` would:
    /// as an integer when it reads as one (at most 20 characters, strict
    /// syntax), otherwise as bytes.
    pub fn from_arg(arg: &Bytes) -> Str {
        if arg.len() <= 20
            && let Some(n) = crate::util::parse_i64(arg)
        {
            return Str::Int(n);
        }
        Str::from_bytes_arg(arg)
    }

    /// Stores bytes without trying the integer encoding.
    pub fn from_bytes_arg(arg: &Bytes) -> Str {
        if arg.len() >= SHARED_STR_MIN {
            Str::Shared(Box::new(arg.clone()))
        } else {
            Str::from_slice(arg)
        }
    }

    pub fn from_slice(bytes: &[u8]) -> Str {
        if bytes.len() <= INLINE_STR_CAP {
            let mut data = [0u8; INLINE_STR_CAP];
            data[..bytes.len()].copy_from_slice(bytes);
            Str::Inline {
                len: bytes.len() as u8,
                data,
            }
        } else {
            Str::Heap(super::key::thin_copy(bytes))
        }
    }

    pub fn from_vec(bytes: Vec<u8>) -> Str {
        if bytes.len() >= SHARED_STR_MIN {
            Str::Shared(Box::new(Bytes::from(bytes)))
        } else {
            Str::from_slice(&bytes)
        }
    }

    /// The bytes of the string; integers are formatted into `buf`.
    pub fn as_bytes<'a>(&'a self, buf: &'a mut [u8; 20]) -> &'a [u8] {
        match self {
            Str::Int(n) => crate::util::fmt_i64(*n, buf),
            Str::Inline { len, data } => &data[..usize::from(*len)],
            Str::Heap(v) => v,
            Str::Shared(b) => b,
        }
    }

    /// Copies the bytes out (for commands that need an owned copy).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut buf = [0u8; 20];
        self.as_bytes(&mut buf).to_vec()
    }

    pub fn len(&self) -> usize {
        match self {
            Str::Int(n) => {
                let mut buf = [0u8; 20];
                crate::util::fmt_i64(*n, &mut buf).len()
            }
            Str::Inline { len, .. } => usize::from(*len),
            Str::Heap(v) => v.len(),
            Str::Shared(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value as an integer, if it is one (INCR and friends).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Str::Int(n) => Some(*n),
            other => {
                let mut buf = [0u8; 20];
                let b = other.as_bytes(&mut buf);
                if b.len() > 20 {
                    return None;
                }
                crate::util::parse_i64(b)
            }
        }
    }

    /// Turns the string into a growable buffer for in-place edits (APPEND,
    /// SETRANGE, SETBIT): Redis's dbUnshareStringValue, which makes it `raw`.
    pub fn make_mut(&mut self) -> &mut ThinVec<u8> {
        if !matches!(self, Str::Heap(_)) {
            let mut buf = [0u8; 20];
            let v = super::key::thin_copy(self.as_bytes(&mut buf));
            *self = Str::Heap(v);
        }
        match self {
            Str::Heap(v) => v,
            // Just converted above.
            _ => unreachable!("string converted to a heap buffer"),
        }
    }

    /// The buffer of a large string, which replies send without copying.
    pub fn shared_bytes(&self) -> Option<&Bytes> {
        match self {
            Str::Shared(b) => Some(b),
            _ => None,
        }
    }
}

/// Every type of value a key can hold (streams join as they are
/// implemented). Collections are boxed so a value stays 16 bytes; a hash
/// is one word of its own (db::hash), so a small one is one allocation.
#[derive(Clone)]
pub enum Value {
    Str(Str),
    List(Box<List>),
    Hash(Hash),
    Set(Box<Set>),
    ZSet(Box<ZSet>),
    Stream(Box<Stream>),
}

impl Value {
    /// The name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }
}

/// Flag bits kept beside each value.
pub mod flags {
    /// The key has an entry in its database's expires table.
    pub const HAS_EXPIRE: u8 = 1;
    /// The string was edited in place: OBJECT ENCODING says `raw` whatever
    /// its length, as Redis's unshared strings are.
    pub const RAW: u8 = 2;
    /// A small integer that is not one of Redis's shared objects (a COPY,
    /// or created while the eviction policy disables sharing): OBJECT
    /// REFCOUNT says 1 instead of the shared objects' INT_MAX.
    pub const UNSHARED: u8 = 4;
}

/// A value plus the per-key metadata Redis keeps in its `robj` header:
/// the access clock for OBJECT IDLETIME (and later LRU/LFU eviction) and a
/// few flags. 24 bytes in all.
#[derive(Clone)]
pub struct Object {
    pub value: Value,
    /// Seconds-resolution access clock, 24 bits as Redis's LRU field.
    lru: u32,
    flags: u8,
}

/// Redis keeps one shared object for each integer below 10,000 and stores
/// it under every key holding that number; the access clock lives in that
/// object, so all those keys share it (OBJECT IDLETIME and FREQ show it).
/// This table stands in for those objects' clocks. The keyspace belongs to
/// one thread; the atomics only make the static sound, Relaxed is enough.
static SHARED_INT_CLOCKS: [AtomicU32; SHARED_INTEGERS as usize] =
    [const { AtomicU32::new(0) }; SHARED_INTEGERS as usize];

/// Sets every shared integer's clock, as Redis creates its shared objects
/// at start-up.
pub fn reset_shared_clocks(clock: u32) {
    for c in &SHARED_INT_CLOCKS {
        c.store(clock & LRU_CLOCK_MAX, Ordering::Relaxed);
    }
}

/// Redis's LRU clock: seconds, wrapping at 24 bits.
pub const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;

pub fn lru_clock(now_ms: i64) -> u32 {
    ((now_ms / 1000) as u32) & LRU_CLOCK_MAX
}

impl Object {
    pub fn new(value: Value, now_ms: i64) -> Object {
        Object {
            value,
            lru: lru_clock(now_ms),
            flags: 0,
        }
    }

    pub fn string(s: Str, now_ms: i64) -> Object {
        Object::new(Value::Str(s), now_ms)
    }

    pub fn has_flag(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub fn set_flag(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }

    /// The access clock as stored (DEBUG OBJECT `lru`).
    pub fn lru(&self) -> u32 {
        self.clock()
    }

    pub fn touch(&mut self, now_ms: i64) {
        self.set_clock(lru_clock(now_ms));
    }

    /// The index of Redis's shared integer object this value would be.
    fn shared_int(&self) -> Option<usize> {
        match self.value {
            Value::Str(Str::Int(n))
                if (0..SHARED_INTEGERS).contains(&n) && !self.has_flag(flags::UNSHARED) =>
            {
                usize::try_from(n).ok()
            }
            _ => None,
        }
    }

    /// The raw 24-bit access clock (LRU seconds or LFU data; see
    /// db::access), the shared one for a shared integer.
    pub fn clock(&self) -> u32 {
        match self.shared_int().and_then(|n| SHARED_INT_CLOCKS.get(n)) {
            Some(shared) => shared.load(Ordering::Relaxed),
            None => self.lru,
        }
    }

    pub fn set_clock(&mut self, clock: u32) {
        match self.shared_int().and_then(|n| SHARED_INT_CLOCKS.get(n)) {
            Some(shared) => shared.store(clock & LRU_CLOCK_MAX, Ordering::Relaxed),
            None => self.lru = clock & LRU_CLOCK_MAX,
        }
    }

    /// After the value was replaced in place (a command that Redis makes
    /// put a new object under the key), gives it the clock the key had,
    /// which the lookup just refreshed: a new object's clock is "now"
    /// under LRU and the inherited counter under LFU. A shared integer
    /// keeps its own clock, except that LFU's overwrite writes into it.
    pub fn carry_clock(&mut self, clock: u32, lfu: bool) {
        if self.shared_int().is_none() {
            self.lru = clock & LRU_CLOCK_MAX;
        } else if lfu {
            self.set_clock(clock);
        }
    }

    /// Stamps a value that was just created. A shared integer is an old
    /// object in Redis, so its clock is left as it is.
    pub fn stamp_new(&mut self, clock: u32) {
        if self.shared_int().is_none() {
            self.lru = clock & LRU_CLOCK_MAX;
        }
    }

    /// Seconds since the last access, as OBJECT IDLETIME reports.
    pub fn idle_ms(&self, now_ms: i64) -> i64 {
        let now = lru_clock(now_ms);
        let lru = self.clock();
        let secs = if now >= lru {
            now - lru
        } else {
            (LRU_CLOCK_MAX - lru) + now
        };
        i64::from(secs) * 1000
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match &self.value {
            Value::Str(Str::Int(_)) => "int",
            Value::Str(s) => {
                if !self.has_flag(flags::RAW) && s.len() <= EMBSTR_MAX {
                    "embstr"
                } else {
                    "raw"
                }
            }
            Value::List(l) => l.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(_) => "stream",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_sizes() {
        assert_eq!(std::mem::size_of::<Str>(), 16);
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Object>(), 24);
    }

    #[test]
    fn string_encodings() {
        let s = |b: &[u8]| Str::from_arg(&Bytes::copy_from_slice(b));
        assert!(matches!(s(b"12345"), Str::Int(12345)));
        assert!(matches!(s(b"-9223372036854775808"), Str::Int(i64::MIN)));
        assert!(matches!(s(b"0123"), Str::Inline { .. }));
        assert!(matches!(s(b"9223372036854775808"), Str::Heap(_)));
        assert!(matches!(s(b"hello"), Str::Inline { .. }));
        assert!(matches!(s(&[b'x'; 40]), Str::Heap(_)));
        let mut buf = [0u8; 20];
        assert_eq!(s(b"-42").as_bytes(&mut buf), b"-42");
        let mut v = s(b"12");
        v.make_mut().extend_from_slice(b"3");
        assert_eq!(v.as_bytes(&mut buf), b"123");
    }
}
