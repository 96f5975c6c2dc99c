//! One generator per command family.

pub mod keys;
pub mod server;
pub mod strings;
pub mod zsets;

use crate::generate::{Gen, Step};

pub type StepFn = fn(&mut Gen) -> Step;

/// Every family, by name.
pub const ALL: &[(&str, StepFn)] = &[
    ("strings", strings::step),
    ("keys", keys::step),
    ("server", server::step),
    ("zsets", zsets::step),
];
