//! Persistence: the RDB snapshot format, which DUMP and RESTORE share.
//! Saving to disk (SAVE, BGSAVE, save points) and loading at start-up
//! build on it.

pub mod rdb;
