//! The access clock kept in every value's 24-bit clock field, read by
//! OBJECT IDLETIME and OBJECT FREQ (and, later, by eviction).
//!
//! Redis keeps one field for two meanings, chosen by maxmemory-policy:
//! with an LRU (or no) policy it holds the last access in seconds; with an
//! LFU policy it holds the last decrement time in minutes (16 bits) above
//! a logarithmic access counter (8 bits). Switching policy at run time
//! reinterprets whatever is stored, exactly as Redis does, which is why
//! its OBJECT errors warn that the data takes time to adjust.

use super::dict::resize_allowed;
use super::value::{LRU_CLOCK_MAX, Object, Str, Value, flags, lru_clock};

/// The counter a value starts with under LFU (Redis's LFU_INIT_VAL), so a
/// new key is not evicted before it had a chance to be accessed.
pub const LFU_INIT_VAL: u32 = 5;
/// Integers below this are Redis's shared objects (OBJ_SHARED_INTEGERS).
pub const SHARED_INTEGERS: i64 = 10_000;

/// What a value's clock field means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessClock {
    /// Seconds of the last access (every policy but the LFU ones).
    #[default]
    Lru,
    /// Minutes of the last decrement and a log counter (`*-lfu`).
    Lfu {
        /// lfu-log-factor: how slowly the counter climbs.
        log_factor: u32,
        /// lfu-decay-time: minutes per counter decrement (0: never).
        decay_minutes: u32,
    },
}

/// The keyspace behaviour maxmemory-policy and maxmemory decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessPolicy {
    pub clock: AccessClock,
    /// Whether new small integers are Redis's shared objects; Redis stops
    /// sharing them when an LRU/LFU policy must track each key alone.
    pub share_integers: bool,
}

impl Default for AccessPolicy {
    fn default() -> Self {
        AccessPolicy {
            clock: AccessClock::Lru,
            share_integers: true,
        }
    }
}

/// Minutes on Redis's 16-bit LFU time scale.
fn lfu_minutes(now_ms: i64) -> u32 {
    ((now_ms / 60_000) as u32) & 0xFFFF
}

/// Minutes since `ldt`, wrapping as Redis's LFUTimeElapsed.
fn lfu_elapsed(ldt: u32, now_ms: i64) -> u32 {
    let now = lfu_minutes(now_ms);
    if now >= ldt {
        now - ldt
    } else {
        65535 - ldt + now
    }
}

/// The LFU counter of a clock field after the decay owed since its last
/// decrement (Redis's LFUDecrAndReturn); OBJECT FREQ reports this.
pub fn lfu_counter(clock: u32, decay_minutes: u32, now_ms: i64) -> u32 {
    let counter = clock & 0xFF;
    let periods = match decay_minutes {
        0 => 0,
        d => lfu_elapsed(clock >> 8, now_ms) / d,
    };
    counter.saturating_sub(periods)
}

/// One probabilistic increment: the higher the counter, the less likely
/// (Redis's LFULogIncr), so 255 stands for about a million accesses.
fn lfu_log_incr(counter: u32, log_factor: u32) -> u32 {
    if counter >= 255 {
        return 255;
    }
    let base = f64::from(counter.saturating_sub(LFU_INIT_VAL));
    let p = 1.0 / (base * f64::from(log_factor) + 1.0);
    if fastrand::f64() < p {
        counter + 1
    } else {
        counter
    }
}

impl AccessPolicy {
    /// Records an access by a lookup that touches the key, except while a
    /// fork child runs: as Redis's lookupKey, since writing the clock of
    /// every key read would copy every page read (resizing is off exactly
    /// while a child exists).
    pub fn touch(&self, obj: &mut Object, now_ms: i64) {
        if !resize_allowed() {
            return;
        }
        match self.clock {
            AccessClock::Lru => obj.touch(now_ms),
            AccessClock::Lfu {
                log_factor,
                decay_minutes,
            } => {
                let counter = lfu_counter(obj.clock(), decay_minutes, now_ms);
                let counter = lfu_log_incr(counter, log_factor);
                obj.set_clock((lfu_minutes(now_ms) << 8) | counter);
            }
        }
    }

    /// Prepares a value that was just created for insertion: the clock a
    /// new object gets, and whether a small integer is a shared one.
    pub fn stamp_new(&self, obj: &mut Object, now_ms: i64) {
        if !self.share_integers
            && let Value::Str(Str::Int(n)) = obj.value
            && (0..SHARED_INTEGERS).contains(&n)
        {
            obj.set_flag(flags::UNSHARED, true);
        }
        obj.stamp_new(self.new_clock(now_ms));
    }

    /// The clock an access hint gives a value (RESTORE's IDLETIME and
    /// FREQ, an RDB's IDLE and FREQ opcodes), as Redis's
    /// objectSetLRUOrLFU: the frequency under LFU, the idle seconds
    /// otherwise; `None` when the hint that counts is absent. An idle time
    /// reaching before the clock's start becomes half a clock cycle ago.
    pub fn clock_from_hint(
        &self,
        idle_secs: Option<i64>,
        freq: Option<u8>,
        now_ms: i64,
    ) -> Option<u32> {
        match self.clock {
            AccessClock::Lfu { .. } => freq.map(|f| (lfu_minutes(now_ms) << 8) | u32::from(f)),
            AccessClock::Lru => idle_secs.map(|idle| {
                let now = i64::from(lru_clock(now_ms));
                // Redis scales by 1000/1000 in 64-bit arithmetic that wraps.
                let idle = idle.wrapping_mul(1000) / 1000;
                let abs = now.wrapping_sub(idle);
                if abs < 0 {
                    ((now + i64::from(LRU_CLOCK_MAX / 2)) % i64::from(LRU_CLOCK_MAX)) as u32
                } else {
                    abs as u32
                }
            }),
        }
    }

    pub fn is_lfu(&self) -> bool {
        matches!(self.clock, AccessClock::Lfu { .. })
    }

    /// The clock a newly created object starts with (Redis's createObject).
    pub fn new_clock(&self, now_ms: i64) -> u32 {
        match self.clock {
            AccessClock::Lru => lru_clock(now_ms),
            AccessClock::Lfu { .. } => (lfu_minutes(now_ms) << 8) | LFU_INIT_VAL,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LFU: AccessPolicy = AccessPolicy {
        clock: AccessClock::Lfu {
            log_factor: 10,
            decay_minutes: 1,
        },
        share_integers: false,
    };

    #[test]
    fn lfu_starts_at_init_and_first_access_always_counts() {
        let now = 1_700_000_000_000;
        let mut obj = Object::string(Str::Int(5), now);
        LFU.stamp_new(&mut obj, now);
        assert_eq!(lfu_counter(obj.clock(), 1, now), LFU_INIT_VAL);
        assert!(obj.has_flag(flags::UNSHARED));
        LFU.touch(&mut obj, now);
        assert_eq!(lfu_counter(obj.clock(), 1, now), LFU_INIT_VAL + 1);
        // One period of decay per idle minute; never below zero.
        assert_eq!(lfu_counter(obj.clock(), 1, now + 3 * 60_000), 3);
        assert_eq!(lfu_counter(obj.clock(), 1, now + 60 * 60_000), 0);
        assert_eq!(lfu_counter(obj.clock(), 0, now + 60 * 60_000), 6);
    }

    #[test]
    fn no_access_is_recorded_while_a_child_runs() {
        // As on Redis 7.0.15: a GET during BGSAVE leaves OBJECT IDLETIME
        // (and FREQ) as they were; the first one after it resets them.
        let then = 1_700_000_000_000;
        let now = then + 5000;
        let lru = AccessPolicy::default();
        let mut obj = Object::string(Str::Int(50_000), then);
        lru.stamp_new(&mut obj, then);
        let mut counted = Object::string(Str::Int(50_000), then);
        LFU.stamp_new(&mut counted, then);
        crate::db::dict::set_resize_allowed(false);
        lru.touch(&mut obj, now);
        LFU.touch(&mut counted, now);
        assert_eq!(obj.idle_ms(now) / 1000, 5);
        assert_eq!(lfu_counter(counted.clock(), 1, then), LFU_INIT_VAL);
        crate::db::dict::set_resize_allowed(true);
        lru.touch(&mut obj, now);
        LFU.touch(&mut counted, now);
        assert_eq!(obj.idle_ms(now), 0);
        assert_eq!(lfu_counter(counted.clock(), 1, now), LFU_INIT_VAL + 1);
    }

    #[test]
    fn lfu_counter_saturates() {
        let mut n = 250;
        for _ in 0..1_000_000 {
            n = lfu_log_incr(n, 0);
        }
        assert_eq!(n, 255);
    }

    #[test]
    fn lru_policy_shares_small_integers() {
        let mut obj = Object::string(Str::Int(42), 0);
        AccessPolicy::default().stamp_new(&mut obj, 5000);
        assert!(!obj.has_flag(flags::UNSHARED));
        // A new value stamps its own clock...
        let mut big = Object::string(Str::Int(123_456), 0);
        AccessPolicy::default().stamp_new(&mut big, 5000);
        assert_eq!(big.clock(), 5);
        // ...while every key holding a shared integer shares one clock.
        let mut other = Object::string(Str::Int(42), 0);
        other.set_clock(777);
        assert_eq!(obj.clock(), 777);
    }
}
