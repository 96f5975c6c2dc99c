//! Keyspace notifications compared: one subscriber connection per server,
//! subscribed to every `__keyspace@*__` and `__keyevent@*__` channel.
//! After each step both are drained and what they received since the
//! last step must be the same bytes, frame for frame and in order.
//!
//! Draining needs no timeout: a PING sent on the subscriber is answered
//! after every message already published to it, so reading up to the
//! PING's reply collects exactly what the step (and anything before it)
//! caused.
//!
//! The `notify_self` family instead subscribes the connection that runs
//! the commands (RESP3 allows that), so each reply and the pushes the
//! command causes share one stream and are compared as one byte sequence.

use crate::compare;
use crate::generate::Cmp;
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

/// The family whose main connection subscribes to its own events.
pub const SELF_FAMILY: &str = "notify_self";

/// Turns notifications on and subscribes the pair's own connections to
/// every keyspace channel (RESP3, where a subscribed client may go on
/// running commands).
pub fn subscribe_self(pair: &mut Pair) -> Result<(), String> {
    let on = vec![
        b"CONFIG".to_vec(),
        b"SET".to_vec(),
        b"notify-keyspace-events".to_vec(),
        CLASSES.to_vec(),
    ];
    pair.both(&on);
    let sub = vec![b"PSUBSCRIBE".to_vec(), b"__key*__:*".to_vec()];
    let ((a, _), (b, _)) = pair.both(&sub);
    if a.is_error() || b.is_error() {
        return Err(format!(
            "PSUBSCRIBE refused: redis {} ferredis {}",
            a.show(),
            b.show()
        ));
    }
    Ok(())
}

/// The notify_self family's pair of connections: whether each is inside
/// MULTI, as its replies showed.
#[derive(Default)]
pub struct OwnEvents {
    multi: (bool, bool),
}

/// One request's outcome on a self-subscribed pair.
pub struct OwnOutcome {
    pub ok: bool,
    /// What each server sent: reply and pushes, in order.
    pub redis: Vec<u8>,
    pub ferredis: Vec<u8>,
    /// A connection closed or went silent: open a new pair.
    pub lost: bool,
}

impl OwnEvents {
    /// Sends `args` to both servers and compares the two streams.
    pub fn request(&mut self, pair: &mut Pair, args: &[Vec<u8>], cmp: Cmp) -> OwnOutcome {
        let a = request_with_pushes(&mut pair.redis, args, &mut self.multi.0);
        let b = request_with_pushes(&mut pair.ferredis, args, &mut self.multi.1);
        let joined = |frames: &[(Reply, Vec<u8>)]| -> Vec<u8> {
            frames.iter().flat_map(|(_, raw)| raw.clone()).collect()
        };
        let lost = |frames: &[(Reply, Vec<u8>)]| {
            frames
                .iter()
                .any(|(r, _)| matches!(r, Reply::Closed | Reply::Timeout))
        };
        OwnOutcome {
            ok: frames_agree(cmp, &a, &b),
            redis: joined(&a),
            ferredis: joined(&b),
            lost: lost(&a) || lost(&b),
        }
    }

    /// A fresh pair, reset and subscribed, outside MULTI.
    pub fn reopen(&mut self, o: &Options) -> Result<Pair, String> {
        let mut pair = Pair::open(o)?;
        crate::reset(&mut pair);
        subscribe_self(&mut pair)?;
        self.multi = (false, false);
        Ok(pair)
    }
}

/// Every frame one request brings on a self-subscribed connection: its
/// reply and the pushes around (or inside) it, in the order received, up
/// to the reply of a PING sent right behind it. The server answers the
/// PING only after the request, and after any push queued before it, so
/// no timing is involved.
///
/// Inside MULTI the PING would be queued too, so there a request is sent
/// alone and its one reply read: queueing runs nothing, so it causes no
/// push. `in_multi` follows the connection's state from the replies seen.
fn request_with_pushes(
    conn: &mut Conn,
    args: &[Vec<u8>],
    in_multi: &mut bool,
) -> Vec<(Reply, Vec<u8>)> {
    let name = args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    let ends_multi = name == b"exec" || name == b"discard";
    if name == b"multi" || (*in_multi && !ends_multi) {
        let (reply, raw) = conn.request(args);
        if name == b"multi" && reply == Reply::Simple(b"OK".to_vec()) {
            *in_multi = true;
        }
        return vec![(reply, raw)];
    }
    if ends_multi {
        *in_multi = false;
    }
    let mut bytes = encode_request(args);
    bytes.extend_from_slice(&encode_request(&[b"PING".to_vec()]));
    if conn.send_raw(&bytes).is_err() {
        return vec![(Reply::Closed, Vec::new())];
    }
    let mut frames = Vec::new();
    loop {
        let (reply, raw) = conn.read_reply();
        match reply {
            Reply::Simple(s) if s == b"PONG" => break,
            Reply::Closed | Reply::Timeout => {
                frames.push((reply, raw));
                break;
            }
            _ => frames.push((reply, raw)),
        }
    }
    frames
}

/// Whether two such frame sequences agree: byte for byte under `Exact`;
/// otherwise frame for frame, pushes exactly and replies under `cmp`.
fn frames_agree(cmp: Cmp, a: &[(Reply, Vec<u8>)], b: &[(Reply, Vec<u8>)]) -> bool {
    if cmp == Cmp::Exact {
        return a
            .iter()
            .flat_map(|(_, raw)| raw)
            .eq(b.iter().flat_map(|(_, raw)| raw));
    }
    let is_push = |raw: &[u8]| raw.first() == Some(&b'>');
    a.len() == b.len()
        && a.iter().zip(b).all(|((ra, xa), (rb, xb))| {
            if is_push(xa) || is_push(xb) {
                xa == xb
            } else {
                compare::agree(cmp, ra, xa, rb, xb)
            }
        })
}
