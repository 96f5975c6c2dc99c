//! Keyspace notifications compared: one subscriber connection per server,
//! subscribed to every `__keyspace@*__` and `__keyevent@*__` channel.
//! After each step both are drained and what they received since the
//! last step must be the same bytes, frame for frame and in order.
//!
//! Draining needs no timeout: a PING sent on the subscriber is answered
//! after every message already published to it, so reading up to the
//! PING's reply collects exactly what the step (and anything before it)
//! caused.

use crate::resp::{Conn, Reply, encode_request};
use crate::{Options, Pair};

/// The classes the `notify` family turns on: every class, key misses and
/// new keys included.
pub const CLASSES: &[u8] = b"KEAnm";

pub struct Subscribers(Pair);

impl Subscribers {
    pub fn open(o: &Options) -> Result<Subscribers, String> {
        let mut pair = Pair::open(o)?;
        let sub = vec![b"PSUBSCRIBE".to_vec(), b"__key*__:*".to_vec()];
        let ((a, _), (b, _)) = pair.both(&sub);
        if a.is_error() || b.is_error() {
            return Err(format!(
                "PSUBSCRIBE refused: redis {} ferredis {}",
                a.show(),
                b.show()
            ));
        }
        Ok(Subscribers(pair))
    }

    /// What each subscriber received since the last call.
    pub fn drain(&mut self) -> (Vec<u8>, Vec<u8>) {
        (drain(&mut self.0.redis), drain(&mut self.0.ferredis))
    }
}

fn drain(conn: &mut Conn) -> Vec<u8> {
    let mut out = Vec::new();
    if conn.send_raw(&encode_request(&[b"PING".to_vec()])).is_err() {
        return b"<closed>".to_vec();
    }
    loop {
        let (reply, raw) = conn.read_reply();
        match reply {
            // RESP2 answers PING in subscribed mode with ["pong", ""],
            // RESP3 with +PONG.
            Reply::Simple(s) if s == b"PONG" => break,
            Reply::Array(Some(parts))
                if parts.first() == Some(&Reply::Bulk(Some(b"pong".to_vec()))) =>
            {
                break;
            }
            Reply::Closed | Reply::Timeout => {
                out.extend_from_slice(b"<closed>");
                break;
            }
            _ => out.extend_from_slice(&raw),
        }
    }
    out
}
