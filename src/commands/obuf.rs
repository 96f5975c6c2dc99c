//! Client output buffer limits (client-output-buffer-limit): a client
//! whose unsent replies pass its class's hard limit, or stay above the
//! soft limit for longer than the soft seconds, is closed at once, so a
//! subscriber that never reads cannot exhaust memory.

use super::{ClientState, Engine};
use crate::config::ObufLimit;
use crate::protocol::ReplyBuffer;

/// Checks `reply`'s pending bytes against `limit` (Redis's
/// checkClientOutputBufferLimits) and marks the client to be closed
/// when it is over.
pub fn check_limit(state: &mut ClientState, reply: &ReplyBuffer, limit: ObufLimit, now_ms: i64) {
    if state.close_asap || (limit.hard == 0 && limit.soft == 0) {
        return;
    }
    let used = i64::try_from(reply.pending_bytes()).unwrap_or(i64::MAX);
    let hard = limit.hard > 0 && used >= limit.hard;
    let mut soft = limit.soft > 0 && used >= limit.soft;
    if soft {
        match state.obuf_soft_since {
            None => {
                state.obuf_soft_since = Some(now_ms);
                soft = false;
            }
            Some(since) => soft = now_ms - since > limit.soft_seconds * 1000,
        }
    } else {
        state.obuf_soft_since = None;
    }
    if hard || soft {
        log::warn!(
            "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
            state.id,
            state.addr
        );
        state.close_asap = true;
    }
}

impl Engine {
    /// Applies the output limit of the client's class: `pubsub` while it
    /// is subscribed, `normal` otherwise.
    pub fn check_output_limit(&self, state: &mut ClientState, reply: &ReplyBuffer, now_ms: i64) {
        let class = if state.subscriptions.is_empty() { 0 } else { 2 };
        check_limit(state, reply, self.config.obuf_limits[class], now_ms);
    }
}
