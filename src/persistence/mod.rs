//! Keeping the data set across restarts. `rdb` is the file format (the
//! whole keyspace at one instant; DUMP and RESTORE share its encoding of
//! one value); this module decides when snapshots are taken and how they
//! reach disk: in the foreground (SAVE, SHUTDOWN) or from a forked child
//! (BGSAVE, save points), always through a temporary file renamed over
//! the live one ([`file`]).

pub mod aof;
pub mod child;
pub mod child_info;
pub mod file;
pub mod rdb;

use child::Child;

/// Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed background save,
/// save points wait this long before trying again.
pub const BGSAVE_RETRY_DELAY_MS: i64 = 5000;

/// Where RDB snapshotting stands (INFO persistence's rdb_* fields).
#[derive(Debug)]
pub struct RdbState {
    /// The child writing a snapshot, if one runs.
    pub child: Option<Child>,
    /// The change counter when the child forked: what its success clears.
    pub dirty_at_fork: u64,
    /// Whether the last background save (or SAVE) succeeded.
    pub last_bgsave_ok: bool,
    /// Seconds the last background save took (-1: none yet).
    pub last_bgsave_secs: i64,
    /// Unix ms of the last background save attempt.
    pub last_try_ms: i64,
    /// Snapshots attempted since start-up (rdb_saves).
    pub saves: u64,
    /// BGSAVE asked for inside EXEC: the cron starts it.
    pub scheduled: bool,
    /// What the last load found (rdb_last_load_keys_*).
    pub keys_loaded: u64,
    pub keys_expired: u64,
}

impl Default for RdbState {
    fn default() -> RdbState {
        RdbState {
            child: None,
            dirty_at_fork: 0,
            last_bgsave_ok: true,
            last_bgsave_secs: -1,
            last_try_ms: 0,
            saves: 0,
            scheduled: false,
            keys_loaded: 0,
            keys_expired: 0,
        }
    }
}

impl RdbState {
    /// The save point (`save <seconds> <changes>`) that asks for a
    /// snapshot now, as serverCron checks them: enough changes, enough
    /// time since the last save, and, after a failure, the retry delay.
    pub fn due_save_point(
        &self,
        points: &[(i64, i64)],
        dirty: u64,
        now_ms: i64,
        lastsave_s: i64,
    ) -> Option<(i64, i64)> {
        if self.child.is_some() {
            return None;
        }
        let now_s = now_ms / 1000;
        let retry_ok = self.last_bgsave_ok || now_ms - self.last_try_ms > BGSAVE_RETRY_DELAY_MS;
        points.iter().copied().find(|&(seconds, changes)| {
            dirty >= u64::try_from(changes).unwrap_or(u64::MAX)
                && now_s - lastsave_s > seconds
                && retry_ok
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_points_need_changes_time_and_the_retry_delay() {
        let points = [(3600, 1), (300, 100), (60, 10000)];
        let mut s = RdbState::default();
        let t0 = 1_000_000; // lastsave, seconds
        let at = |secs: i64| (t0 + secs) * 1000;
        assert_eq!(s.due_save_point(&points, 0, at(4000), t0), None);
        assert_eq!(s.due_save_point(&points, 1, at(3600), t0), None);
        assert_eq!(s.due_save_point(&points, 1, at(3601), t0), Some((3600, 1)));
        assert_eq!(
            s.due_save_point(&points, 100, at(301), t0),
            Some((300, 100))
        );
        assert_eq!(
            s.due_save_point(&points, 10000, at(61), t0),
            Some((60, 10000))
        );
        assert_eq!(s.due_save_point(&points, 9999, at(61), t0), None);
        assert_eq!(s.due_save_point(&[], 10000, at(99999), t0), None);
        // A failed save waits out the retry delay.
        s.last_bgsave_ok = false;
        s.last_try_ms = at(400);
        assert_eq!(s.due_save_point(&points, 100, at(404), t0), None);
        assert_eq!(
            s.due_save_point(&points, 100, at(406), t0),
            Some((300, 100))
        );
    }
}
