//! A session against an engine without a network, for the command
//! families' tests: commands in, exact reply bytes out, plus what OBJECT
//! ENCODING, the TTL and the dirty counter would say. Expected bytes in
//! the tests were read off redis-server 7.0.15.

use super::tests::TestClients;
use super::{ClientState, Engine, NoClients};
use crate::config::Config;
use crate::db::Db;
use crate::protocol::{Protocol, ReplyBuffer};
use bytes::Bytes;

pub struct Session {
    pub engine: Engine,
    pub client: ClientState,
    proto: Protocol,
    dirty_seen: u64,
    /// Other clients: a keyspace subscriber, watchers (see
    /// [`Session::run_as`]).
    pub others: TestClients,
}

impl Session {
    pub fn new() -> Session {
        let mut engine = Engine::new(Config::defaults());
        engine.data_dir = crate::commands::tests::test_data_dir();
        let client = engine.new_client("127.0.0.1:1".into(), "127.0.0.1:2".into(), 0);
        Session {
            engine,
            client,
            proto: Protocol::Resp2,
            dirty_seen: 0,
            others: TestClients::default(),
        }
    }

    /// Replies from now on use RESP3 (as after HELLO 3).
    pub fn resp3(&mut self) {
        self.proto = Protocol::Resp3;
    }

    /// Runs a command and returns the raw reply bytes.
    pub fn run_args(&mut self, args: &[&[u8]]) -> Vec<u8> {
        let mut reply = ReplyBuffer::new();
        reply.proto = self.proto;
        let args: Vec<Bytes> = args.iter().map(|a| Bytes::copy_from_slice(a)).collect();
        self.engine
            .execute(&mut self.client, &mut reply, &mut self.others, &args);
        reply.pending_to_vec()
    }

    /// Connects another client; returns its id for [`Session::run_as`].
    pub fn connect(&mut self) -> u64 {
        self.others.add(&mut self.engine, "127.0.0.1:3")
    }

    /// Runs a command as another client and returns what its reply
    /// buffer holds afterwards (then empties it).
    pub fn run_as(&mut self, id: u64, args: &[&str]) -> String {
        let Some(i) = self.others.others.iter().position(|(c, _, _)| c.id == id) else {
            panic!("no client {id}");
        };
        let (mut c, mut r, info) = self.others.others.remove(i);
        let args: Vec<Bytes> = args
            .iter()
            .map(|a| Bytes::copy_from_slice(a.as_bytes()))
            .collect();
        self.engine.execute(&mut c, &mut r, &mut NoClients, &args);
        let out = String::from_utf8_lossy(&r.pending_to_vec()).into_owned();
        r.clear();
        self.others.others.insert(i, (c, r, info));
        out
    }

    /// Turns keyspace notifications on with `classes` and connects a
    /// client subscribed to every keyspace and keyevent channel; returns
    /// its id for [`Session::events`].
    pub fn subscribe_events(&mut self, classes: &str) -> u64 {
        self.expect(&[(
            &["config", "set", "notify-keyspace-events", classes],
            "+OK\r\n",
        )]);
        let id = self.connect();
        self.run_as(id, &["psubscribe", "__key*__:*"]);
        id
    }

    /// The messages a subscriber received since the last call, as
    /// "channel payload" lines.
    pub fn events(&mut self, id: u64) -> Vec<String> {
        let Some((_, r, _)) = self.others.others.iter_mut().find(|(c, _, _)| c.id == id) else {
            return Vec::new();
        };
        let bytes = r.pending_to_vec();
        r.clear();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // pmessage frames: *4, kind, pattern, channel, payload; the bulk
        // headers alternate with their contents.
        let lines: Vec<&str> = text.split("\r\n").collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i + 8 < lines.len() {
            if lines[i] == "*4" && lines[i + 2] == "pmessage" {
                out.push(format!("{} {}", lines[i + 6], lines[i + 8]));
                i += 9;
            } else {
                i += 1;
            }
        }
        out
    }

    /// Runs a command given as text arguments; the reply as text (every
    /// reply these tests check is ASCII).
    pub fn call(&mut self, args: &[&str]) -> String {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        String::from_utf8_lossy(&self.run_args(&args)).into_owned()
    }

    /// Runs each command and checks its reply.
    pub fn expect(&mut self, script: &[(&[&str], &str)]) {
        for (args, want) in script {
            assert_eq!(self.call(args), *want, "reply to {args:?}");
        }
    }

    pub fn db(&mut self, idx: usize) -> &mut Db {
        &mut self.engine.keyspace.dbs[idx]
    }

    /// Gives a key an expire time in the past without deleting it, as if
    /// its time had run out while nobody looked.
    pub fn make_expired(&mut self, idx: usize, key: &str) {
        assert!(self.db(idx).set_expire(key.as_bytes(), 1));
    }

    /// (keyspace hits, misses) summed over databases.
    pub fn hits_misses(&self) -> (u64, u64) {
        let s = self.engine.keyspace.stats();
        (s.hits, s.misses)
    }

    /// Runs a command given as space-separated words.
    pub fn run(&mut self, line: &str) -> Vec<u8> {
        let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        self.run_args(&args)
    }

    #[track_caller]
    pub fn check(&mut self, line: &str, want: &[u8]) {
        let got = self.run(line);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want),
            "{line}"
        );
        assert_eq!(got, want, "{line}");
    }

    #[track_caller]
    pub fn check_args(&mut self, args: &[&[u8]], want: &[u8]) {
        let got = self.run_args(args);
        assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&args.concat()));
    }

    /// What OBJECT ENCODING would report (`None`: no such key).
    pub fn encoding(&mut self, key: &str) -> Option<&'static str> {
        let now = crate::util::now_ms();
        self.engine.keyspace.dbs[0]
            .peek(key.as_bytes(), now)
            .map(|o| o.encoding())
    }

    #[track_caller]
    pub fn enc(&mut self, key: &str, want: &str) {
        assert_eq!(self.encoding(key), Some(want), "encoding of {key}");
    }

    /// Checks the changes counted since the last call.
    #[track_caller]
    pub fn dirty(&mut self, want: u64) {
        let now = self.engine.dirty;
        assert_eq!(now - self.dirty_seen, want, "dirty changes");
        self.dirty_seen = now;
    }

    /// Checks a key's TTL as PTTL reports it: -2 no key, -1 no expire,
    /// else within two seconds of `want_ms`.
    #[track_caller]
    pub fn ttl(&mut self, key: &str, want_ms: i64) {
        let now = crate::util::now_ms();
        let db = &mut self.engine.keyspace.dbs[0];
        let got = match db.peek(key.as_bytes(), now) {
            None => -2,
            Some(_) => db.expire_time(key.as_bytes()).map_or(-1, |t| t - now),
        };
        if want_ms < 0 {
            assert_eq!(got, want_ms, "ttl of {key}");
        } else {
            assert!((got - want_ms).abs() <= 2000, "ttl of {key}: {got}");
        }
    }

    /// Feeds the AOF buffer from now on, as `appendonly yes` does (no file
    /// is written; [`Session::aof`] reads the buffer).
    pub fn aof_on(&mut self) {
        self.engine.config.appendonly = true;
        self.engine.aof.state = crate::persistence::aof::AofState::On;
        self.engine.sync_expired_logging();
    }

    /// What the commands since the last call appended to the AOF.
    pub fn aof(&mut self) -> String {
        let bytes = std::mem::take(&mut self.engine.aof.buf);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Checks a key's absolute expire time, as PEXPIRETIME reports it.
    #[track_caller]
    pub fn expire_at(&mut self, key: &str, want_ms: i64) {
        let got = self.engine.keyspace.dbs[0].expire_time(key.as_bytes());
        assert_eq!(got, Some(want_ms), "expire time of {key}");
    }
}
