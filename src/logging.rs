//! Logging in Redis's format: `pid:role dd Mon yyyy hh:mm:ss.mmm <level> text`,
//! with `.` debug, `-` verbose, `*` notice and `#` warning, to stdout or to
//! `logfile`. RUST_LOG, when set, overrides `loglevel`.

use log::{Level, LevelFilter};
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// Redis's levels onto the log crate's: debug is trace, verbose is debug,
/// notice is info, warning is warn.
pub fn level_filter(loglevel: &str) -> LevelFilter {
    match loglevel {
        "debug" => LevelFilter::Trace,
        "verbose" => LevelFilter::Debug,
        "warning" => LevelFilter::Warn,
        _ => LevelFilter::Info,
    }
}

fn level_char(level: Level) -> char {
    match level {
        Level::Trace => '.',
        Level::Debug => '-',
        Level::Info => '*',
        Level::Warn | Level::Error => '#',
    }
}

/// Whether RUST_LOG decides the level (then CONFIG SET loglevel does not).
pub fn env_overrides() -> bool {
    std::env::var_os("RUST_LOG").is_some()
}

/// The role letter of each line: `M` for the server, `C` in a forked
/// child (a background save), as Redis writes them.
static ROLE: AtomicU8 = AtomicU8::new(b'M');

/// Marks this process as a forked child in every line it logs from now on.
pub fn set_child() {
    ROLE.store(b'C', Ordering::Relaxed);
}

/// Installs the logger. Fails only if the log file cannot be opened.
pub fn init(loglevel: &str, logfile: &str) -> std::io::Result<()> {
    let mut builder = env_logger::Builder::new();
    builder.filter_level(level_filter(loglevel));
    if env_overrides() {
        builder.parse_env("RUST_LOG");
    }
    if logfile.is_empty() {
        builder.target(env_logger::Target::Stdout);
    } else {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(logfile)?;
        builder.target(env_logger::Target::Pipe(Box::new(file)));
    }
    builder.format(move |buf, record| {
        writeln!(
            buf,
            "{}:{} {} {} {}",
            std::process::id(),
            char::from(ROLE.load(Ordering::Relaxed)),
            timestamp(crate::util::now_ms()),
            level_char(record.level()),
            record.args()
        )
    });
    // A second init (tests) keeps the first logger.
    let _ = builder.try_init();
    Ok(())
}

/// `22 Nov 2026 07:51:38.123` (UTC) for a Unix time in ms.
pub fn timestamp(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{d:02} {} {y} {:02}:{:02}:{:02}.{:03}",
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(timestamp(0), "01 Jan 1970 00:00:00.000");
        assert_eq!(timestamp(1_795_334_400_123), "22 Nov 2026 08:00:00.123");
        assert_eq!(timestamp(951_782_400_000), "29 Feb 2000 00:00:00.000");
    }
}
