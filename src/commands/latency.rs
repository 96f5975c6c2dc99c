//! Per-command latency histograms for INFO latencystats, laid out as
//! Redis's (an HdrHistogram from 1 ns to 1 s with two significant
//! digits), so the same calls report the same percentiles.

/// Values below this many get a bucket of their own (2 significant
/// digits: 2 * 10^2 rounded up to a power of two).
const SUB_BUCKET_COUNT: usize = 256;
const SUB_BUCKET_HALF_MAGNITUDE: u32 = 7;
const SUB_BUCKET_HALF: usize = 1 << SUB_BUCKET_HALF_MAGNITUDE;
/// Buckets needed to reach 1 s: 256 << 22 is the first power past 1e9.
const BUCKETS: usize = 23;
const COUNTS_LEN: usize = (BUCKETS + 1) * SUB_BUCKET_HALF;

/// Redis clamps recorded latencies to [1 ns, 1 s].
const MIN_NS: u64 = 1;
const MAX_NS: u64 = 1_000_000_000;

/// One command's latency distribution, in nanoseconds.
pub struct Histogram {
    counts: Box<[u64; COUNTS_LEN]>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: Box::new([0; COUNTS_LEN]),
            total: 0,
        }
    }
}

/// (bucket, sub-bucket) of a value: each bucket doubles the width of its
/// sub-buckets.
fn bucket_of(v: u64) -> (u32, u64) {
    let pow2ceiling = 64 - (v | (SUB_BUCKET_COUNT as u64 - 1)).leading_zeros();
    let bucket = pow2ceiling - (SUB_BUCKET_HALF_MAGNITUDE + 1);
    (bucket, v >> bucket)
}

fn counts_index(bucket: u32, sub: u64) -> usize {
    ((bucket as usize + 1) << SUB_BUCKET_HALF_MAGNITUDE) + sub as usize - SUB_BUCKET_HALF
}

/// The lowest value that lands in slot `index`.
fn value_at_index(index: usize) -> u64 {
    let bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) as i64 - 1;
    let sub = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF;
    if bucket < 0 {
        (sub - SUB_BUCKET_HALF) as u64
    } else {
        (sub as u64) << bucket
    }
}

/// The highest value counted as equal to `v`.
fn highest_equivalent(v: u64) -> u64 {
    let (bucket, sub) = bucket_of(v);
    let lowest = sub << bucket;
    let width_bucket = if sub as usize >= SUB_BUCKET_COUNT {
        bucket + 1
    } else {
        bucket
    };
    lowest + (1u64 << width_bucket) - 1
}

impl Histogram {
    /// Records one call that took `us` microseconds.
    pub fn record_us(&mut self, us: u64) {
        let ns = us.saturating_mul(1000).clamp(MIN_NS, MAX_NS);
        let (bucket, sub) = bucket_of(ns);
        if let Some(c) = self.counts.get_mut(counts_index(bucket, sub)) {
            *c += 1;
            self.total += 1;
        }
    }

    /// The value (ns) at a percentile, as hdr_value_at_percentile
    /// computes it.
    pub fn value_at_percentile(&self, percentile: f64) -> u64 {
        let p = percentile.min(100.0);
        let wanted = ((p / 100.0 * self.total as f64 + 0.5) as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= wanted {
                let v = value_at_index(i);
                return if percentile == 0.0 {
                    v
                } else {
                    highest_equivalent(v)
                };
            }
        }
        0
    }
}

/// `p50=6.015,p99=...`: each percentile as `%f` minus trailing zeros,
/// each value in microseconds with three decimals.
pub fn percentiles_line(h: &Histogram, percentiles: &[f64]) -> String {
    use crate::util::float::fmt_f64;
    percentiles
        .iter()
        .map(|&p| {
            let name = fmt_f64(c"%f", p);
            let name = name.trim_end_matches('0').trim_end_matches('.');
            let v = h.value_at_percentile(p) as f64 / 1000.0;
            format!("p{name}={}", fmt_f64(c"%.3f", v))
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(us: &[u64]) -> String {
        let mut h = Histogram::default();
        for &u in us {
            h.record_us(u);
        }
        percentiles_line(&h, &[50.0, 99.0, 99.9])
    }

    // Figures read off INFO latencystats on redis-server 7.0.15 for calls
    // whose usec totals were known.
    #[test]
    fn percentiles_like_redis() {
        assert_eq!(line(&[6]), "p50=6.015,p99=6.015,p99.9=6.015");
        assert_eq!(line(&[137]), "p50=137.215,p99=137.215,p99.9=137.215");
        assert_eq!(line(&[1]), "p50=1.003,p99=1.003,p99.9=1.003");
        assert_eq!(line(&[16]), "p50=16.063,p99=16.063,p99.9=16.063");
        assert_eq!(line(&[0]), "p50=0.001,p99=0.001,p99.9=0.001");
        // Two calls: the median is the faster one.
        let mut two = Histogram::default();
        two.record_us(620);
        two.record_us(1_500_000);
        assert_eq!(
            percentiles_line(&two, &[50.0, 99.0, 99.9]),
            "p50=622.591,p99=1002438.655,p99.9=1002438.655"
        );
        assert_eq!(
            line(&[2_000_000]),
            "p50=1002438.655,p99=1002438.655,p99.9=1002438.655"
        );
    }
}
