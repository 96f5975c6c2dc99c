//! One generator per command family.

pub mod blocking;
pub mod dump;
pub mod hashes;
pub mod keys;
pub mod lists;
pub mod notify;
pub mod notify_self;
pub mod server;
pub mod sets;
pub mod sort;
pub mod streams;
pub mod strings;
pub mod tx;
pub mod zsets;

use crate::generate::{Gen, Step};

pub type StepFn = fn(&mut Gen) -> Step;

/// Every family, by name.
pub const ALL: &[(&str, StepFn)] = &[
    ("strings", strings::step),
    ("keys", keys::step),
    ("server", server::step),
    ("lists", lists::step),
    ("sets", sets::step),
    ("hashes", hashes::step),
    ("zsets", zsets::step),
    ("sort", sort::step),
    ("blocking", blocking::step),
    ("streams", streams::step),
    ("notify", notify::step),
    ("notify_self", notify_self::step),
    ("tx", tx::step),
    ("dump", dump::step),
];
