//! A session against an engine without a network, for the key command
//! families' tests: commands in, exact reply bytes out.

use super::{ClientState, Engine};
use crate::config::Config;
use crate::db::Db;

pub struct Session {
    pub engine: Engine,
    pub client: ClientState,
}

impl Session {
    pub fn new() -> Session {
        let mut engine = Engine::new(Config::defaults());
        let client = engine.new_client("127.0.0.1:1".into(), "127.0.0.1:2".into(), 0);
        Session { engine, client }
    }

    /// Runs a command given as text arguments; the reply as text (every
    /// reply these tests check is ASCII).
    pub fn call(&mut self, args: &[&str]) -> String {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        String::from_utf8_lossy(&self.raw(&args)).into_owned()
    }

    pub fn raw(&mut self, args: &[&[u8]]) -> Vec<u8> {
        super::tests::run(&mut self.engine, &mut self.client, args)
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
}
