//! The `cache` workload: the read-through cache pattern under maxmemory.
//!
//! Each connection loops: GET k; if the reply is nil (a miss), SET k to a
//! value of `value_size` bytes (SET k v EX ttl when a ttl is given, so
//! the volatile-* policies have keys to evict) and go on. One request is
//! one GET together with the SET its miss caused: requests per second
//! count what the application asked for, and a server that misses more
//! pays for its extra SETs in that figure.
//!
//! Keys are `key:<rank>`, the rank drawn from Zipf(keys, s = 1.0) with
//! rand_distr's rejection-inversion sampler (constant time per draw, no
//! table of `keys` weights). Connection i draws from its own generator
//! seeded with `seed + i`, so every server measured with the same seed
//! sees the same sequence of keys on each connection.
//!
//! `warmup` requests run first and are not counted (the cache fills and
//! eviction reaches its steady state); then `requests` are measured.
//! A SET refused with OOM (noeviction, once full) is counted, not fatal.

use crate::resp::{self, Value};
use crate::{Conn, Options, connect_all, fill_input};
use mio::{Events, Poll};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Zipf};
use std::time::Instant;

/// The workload's own options.
pub struct Params {
    pub keys: u64,
    pub value_size: usize,
    /// Seconds; 0 means SET without an expire time.
    pub ttl: u64,
    pub seed: u64,
    pub warmup: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            keys: 1_000_000,
            value_size: 100,
            ttl: 0,
            seed: 1,
            warmup: 0,
        }
    }
}

/// What the measured requests saw.
#[derive(Default)]
pub struct Report {
    pub rps: f64,
    pub hits: u64,
    pub misses: u64,
    pub oom: u64,
}

impl Report {
    pub fn hit_ratio(&self) -> f64 {
        let all = self.hits + self.misses;
        if all == 0 {
            0.0
        } else {
            self.hits as f64 / all as f64
        }
    }
}

/// One connection's place in its GET-then-SET loop.
struct Session {
    rng: StdRng,
    key: Vec<u8>,
    awaiting_set: bool,
    busy: bool,
}

/// Runs the warm-up, then the measured requests, on the same connections
/// and key sequences.
pub fn run(o: &Options) -> Result<Report, String> {
    let p = &o.cache;
    let zipf = Zipf::new(p.keys as f64, 1.0).map_err(|e| e.to_string())?;
    let mut poll = Poll::new().map_err(|e| e.to_string())?;
    let mut conns = connect_all(o, &poll)?;
    let mut sessions: Vec<Session> = (0..conns.len())
        .map(|i| Session {
            rng: StdRng::seed_from_u64(p.seed.wrapping_add(i as u64)),
            key: Vec::new(),
            awaiting_set: false,
            busy: false,
        })
        .collect();
    let value = vec![b'x'; p.value_size];
    let ttl = p.ttl.to_string();
    let mut phase = Phase {
        poll: &mut poll,
        conns: &mut conns,
        sessions: &mut sessions,
        zipf: &zipf,
        value: &value,
        ttl: (p.ttl > 0).then_some(ttl.as_bytes()),
    };
    if p.warmup > 0 {
        phase.run(p.warmup)?;
    }
    let start = Instant::now();
    let mut report = phase.run(o.requests)?;
    report.rps = o.requests as f64 / start.elapsed().as_secs_f64();
    Ok(report)
}

struct Phase<'a> {
    poll: &'a mut Poll,
    conns: &'a mut [Conn],
    sessions: &'a mut [Session],
    zipf: &'a Zipf<f64>,
    value: &'a [u8],
    ttl: Option<&'a [u8]>,
}

impl Phase<'_> {
    /// Runs `requests` requests to completion, every connection keeping
    /// one in flight, and counts their outcomes.
    fn run(&mut self, requests: u64) -> Result<Report, String> {
        let mut report = Report::default();
        let (mut started, mut done) = (0u64, 0u64);
        for i in 0..self.conns.len() {
            if started < requests {
                self.get(i);
                started += 1;
            }
            self.conns[i].flush().map_err(|e| e.to_string())?;
        }
        let mut events = Events::with_capacity(1024);
        let mut chunk = vec![0u8; 64 * 1024];
        while done < requests {
            self.poll
                .poll(&mut events, None)
                .map_err(|e| e.to_string())?;
            for ev in events.iter() {
                let i = ev.token().0;
                let Some(c) = self.conns.get_mut(i) else {
                    continue;
                };
                if ev.is_readable() {
                    fill_input(c, &mut chunk)?;
                    let mut at = 0;
                    while let Some((reply, used)) = resp::parse(&self.conns[i].input[at..]) {
                        at += used;
                        if self.on_reply(i, reply, &mut report)? {
                            done += 1;
                            if started < requests {
                                self.get(i);
                                started += 1;
                            }
                        }
                    }
                    self.conns[i].input.drain(..at);
                }
                self.conns[i].flush().map_err(|e| e.to_string())?;
            }
        }
        Ok(report)
    }

    /// Starts a request on connection i: GET of the next key of its
    /// sequence.
    fn get(&mut self, i: usize) {
        let s = &mut self.sessions[i];
        let rank = self.zipf.sample(&mut s.rng) as u64;
        s.key.clear();
        s.key.extend_from_slice(format!("key:{rank}").as_bytes());
        s.awaiting_set = false;
        s.busy = true;
        self.conns[i].send(&[b"GET", &s.key]);
    }

    /// Handles a reply on connection i; true when it ended a request.
    fn on_reply(&mut self, i: usize, reply: Value, r: &mut Report) -> Result<bool, String> {
        let s = &mut self.sessions[i];
        if !s.busy {
            return Err(format!("reply {reply:?} to no request"));
        }
        if s.awaiting_set {
            match reply {
                Value::Simple(_) => {}
                Value::Error(e) if e.starts_with(b"OOM") => r.oom += 1,
                v => return Err(format!("unexpected SET reply {v:?}")),
            }
            s.busy = false;
            return Ok(true);
        }
        match reply {
            Value::Bulk(_) => {
                r.hits += 1;
                s.busy = false;
                Ok(true)
            }
            Value::Null => {
                r.misses += 1;
                s.awaiting_set = true;
                let key = std::mem::take(&mut s.key);
                match self.ttl {
                    Some(ttl) => self.conns[i].send(&[b"SET", &key, self.value, b"EX", ttl]),
                    None => self.conns[i].send(&[b"SET", &key, self.value]),
                }
                self.sessions[i].key = key;
                Ok(false)
            }
            v => Err(format!("unexpected GET reply {v:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_keys_and_a_zipf_head() {
        let zipf = Zipf::new(1_000_000.0, 1.0).unwrap();
        let draw = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            (0..10_000)
                .map(|_| zipf.sample(&mut rng) as u64)
                .collect::<Vec<_>>()
        };
        let a = draw(7);
        assert_eq!(a, draw(7));
        assert_ne!(a, draw(8));
        assert!(a.iter().all(|&k| (1..=1_000_000).contains(&k)));
        // P(rank 1) = 1/H(1e6) ~ 0.069 under s = 1.
        let ones = a.iter().filter(|&&k| k == 1).count();
        assert!((500..900).contains(&ones), "{ones}");
    }
}
