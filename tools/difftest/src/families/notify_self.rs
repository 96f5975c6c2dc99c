//! The notify family's writes on a connection subscribed to its own
//! keyspace events (RESP3 only, see events.rs): each step's reply and the
//! push messages it causes arrive on one stream, and their interleaving
//! (a push before, after or inside the reply) must be Redis's.
//!
//! Now and then the steps are wrapped in MULTI ... EXEC, where the pushes
//! land between the results inside EXEC's array.

use crate::args;
use crate::generate::{Cmp, Gen, Step};

pub fn step(g: &mut Gen) -> Step {
    match g.rng.u32(..40) {
        0 | 1 => {
            g.in_multi = true;
            return Step::exact(args![g.name("multi")]);
        }
        2 | 3 => {
            g.in_multi = false;
            return Step::exact(args![g.name_of(&["exec", "exec", "discard"])]);
        }
        _ => {}
    }
    loop {
        let step = super::notify::step(g);
        // A reply compared loosely (SPOP of a whole set, in hash order)
        // could not be inside EXEC's array, which is compared exactly.
        let loose = matches!(&step, Step::One { cmp, .. } if *cmp != Cmp::Exact);
        if !(g.in_multi && loose) {
            return step;
        }
    }
}
