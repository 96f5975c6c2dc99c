//! The clock commands are timed with.
//!
//! Every command's duration feeds INFO commandstats and the latency
//! histograms, and every command needs the current time for expiry. Redis
//! 7.0 times commands with a TSC-based monotonic clock (`getMonotonicUs`).
//! A system-clock read costs ~50 ns on a VM, a large share of a pipelined
//! GET, so ferredis does the same through `quanta`, which calibrates the
//! TSC and falls back to the OS clock where the TSC is not usable.
//!
//! The wall clock is read once per batch of requests; a command's Unix
//! time is that reading plus the TSC time elapsed since, and a command
//! starts when the previous one of the same batch ended.

/// Times the commands of one batch of requests after another.
pub struct CommandClock {
    tsc: quanta::Clock,
    batch: Option<Batch>,
}

#[derive(Clone, Copy)]
struct Batch {
    /// Unix µs and TSC reading taken together when the batch began.
    wall_us: i64,
    raw0: u64,
    /// When the last command of the batch ended (TSC).
    last: u64,
}

/// When a command started: a TSC reading and its Unix µs.
#[derive(Clone, Copy)]
pub struct Start {
    raw: u64,
    pub unix_us: i64,
}

impl CommandClock {
    pub fn new() -> CommandClock {
        CommandClock {
            tsc: quanta::Clock::new(),
            batch: None,
        }
    }

    /// A new batch (just read, or after a wait): the next command reads
    /// the wall clock again, so it never starts at a time from before.
    pub fn new_batch(&mut self) {
        self.batch = None;
    }

    /// A command starts: when the previous one ended, or now if it is the
    /// first of its batch.
    pub fn start(&mut self) -> Start {
        match self.batch {
            Some(b) => Start {
                raw: b.last,
                unix_us: b.wall_us + self.micros(b.raw0, b.last),
            },
            None => {
                let raw = self.tsc.raw();
                let unix_us = super::now_us();
                self.batch = Some(Batch {
                    wall_us: unix_us,
                    raw0: raw,
                    last: raw,
                });
                Start { raw, unix_us }
            }
        }
    }

    /// The command that began at `start` ended: its duration in µs. The
    /// next command of the batch starts now.
    pub fn finish(&mut self, start: Start) -> i64 {
        let raw = self.tsc.raw();
        if let Some(b) = &mut self.batch {
            b.last = raw;
        }
        self.micros(start.raw, raw)
    }

    fn micros(&self, from: u64, to: u64) -> i64 {
        i64::try_from(self.tsc.delta_as_nanos(from, to) / 1000).unwrap_or(i64::MAX)
    }
}

impl Default for CommandClock {
    fn default() -> Self {
        CommandClock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_of_a_batch_follow_one_another() {
        let mut clock = CommandClock::new();
        let before = crate::util::now_us();
        let first = clock.start();
        assert!(first.unix_us >= before);
        std::thread::sleep(std::time::Duration::from_millis(3));
        let took = clock.finish(first);
        assert!((3_000..1_000_000).contains(&took), "{took}");
        // The next command starts when the first ended, by the wall clock
        // too, within the rounding to whole µs.
        let second = clock.start();
        assert!((second.unix_us - first.unix_us - took).abs() <= 1);
        assert!(second.unix_us <= crate::util::now_us() + 100);
        // A new batch reads the wall clock again.
        std::thread::sleep(std::time::Duration::from_millis(2));
        clock.new_batch();
        let third = clock.start();
        assert!(third.unix_us >= second.unix_us + 2_000);
    }
}
