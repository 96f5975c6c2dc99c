//! RDB files written by redis-server 7.0.15 (tests/fixtures/rdb, made by
//! scripts/compat/make_rdb_fixtures.sh) loaded into ferredis's keyspace
//! and read back through the commands; and ferredis's own save of them,
//! which scripts/compat/rdb_roundtrip.sh hands to a real Redis.

use bytes::Bytes;
use ferredis::commands::{ClientState, Engine, NoClients};
use ferredis::config::Config;
use ferredis::db::Keyspace;
use ferredis::persistence::rdb::{self, LoadOptions, SaveOptions};
use ferredis::protocol::ReplyBuffer;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/rdb/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An engine whose keyspace is the fixture, and a client on it.
struct Loaded {
    engine: Engine,
    client: ClientState,
    report: rdb::LoadReport,
}

impl Loaded {
    fn new(name: &str) -> Loaded {
        let config = Config::defaults();
        let now = ferredis::util::now_ms();
        let mut ks = Keyspace::new(16);
        let report = rdb::load(
            &fixture(name),
            &mut ks,
            &LoadOptions::from_config(&config, now),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut engine = Engine::new(config);
        engine.keyspace = ks;
        let client = engine.new_client("127.0.0.1:1".into(), "127.0.0.1:2".into(), now);
        Loaded {
            engine,
            client,
            report,
        }
    }

    fn run(&mut self, line: &str) -> String {
        let args: Vec<Bytes> = line
            .split(' ')
            .map(|a| Bytes::copy_from_slice(a.as_bytes()))
            .collect();
        let mut reply = ReplyBuffer::new();
        self.engine
            .execute(&mut self.client, &mut reply, &mut NoClients, &args);
        String::from_utf8_lossy(&reply.pending_to_vec()).into_owned()
    }

    fn check(&mut self, line: &str, want: &str) {
        assert_eq!(self.run(line), want, "{line}");
    }

    /// The elements of an array reply, sorted (for unordered replies).
    fn sorted(&mut self, line: &str) -> Vec<String> {
        let reply = self.run(line);
        let mut items: Vec<String> = reply
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.starts_with('$') && !l.is_empty())
            .map(str::to_string)
            .collect();
        items.sort();
        items
    }
}

fn bulk_array(items: &[String]) -> String {
    let mut out = format!("*{}\r\n", items.len());
    for i in items {
        out.push_str(&format!("${}\r\n{i}\r\n", i.len()));
    }
    out
}

#[test]
fn redis_file_with_every_type_loads() {
    let mut l = Loaded::new("all_types.rdb");
    assert_eq!(l.report.version, 10);
    assert_eq!(l.report.keys_loaded, 19);
    assert_eq!(l.report.aux[0], (b"redis-ver".to_vec(), b"7.0.15".to_vec()));
    l.check("dbsize", ":18\r\n");
    l.check("get str", "$5\r\nhello\r\n");
    l.check("pexpiretime str", ":4102444800000\r\n");
    l.check("pexpiretime list", ":4102444800123\r\n");
    l.check("get int", "$5\r\n12345\r\n");
    l.check("object encoding int", "$3\r\nint\r\n");
    l.check("get negint", "$2\r\n-7\r\n");
    l.check("get bigint", "$19\r\n9223372036854775807\r\n");
    l.check("strlen long", ":120\r\n");
    l.check("get empty", "$0\r\n\r\n");
    l.check(
        "lrange list 0 -1",
        "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n1\r\n$3\r\n300\r\n$6\r\n-70000\r\n$10\r\n5000000000\r\n",
    );
    l.check(
        "smembers intset",
        "*5\r\n$6\r\n-40000\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$10\r\n5000000000\r\n",
    );
    l.check("object encoding intset", "$6\r\nintset\r\n");
    assert_eq!(l.sorted("smembers set"), ["a", "b", "c"]);
    l.check(
        "hgetall hash",
        "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nn\r\n$2\r\n12\r\n",
    );
    l.check(
        "zrange zset 0 -1 withscores",
        "*8\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nd\r\n$3\r\ninf\r\n",
    );
    for (key, encoding, len) in [
        ("biglist", "quicklist", "llen"),
        ("bighash", "listpack", "hlen"),
        ("bigset", "hashtable", "scard"),
        ("bigintset", "intset", "scard"),
        ("bigzset", "skiplist", "zcard"),
    ] {
        l.check(
            &format!("object encoding {key}"),
            &format!("${}\r\n{encoding}\r\n", encoding.len()),
        );
        let n = if key == "biglist" { 600 } else { 300 };
        l.check(&format!("{len} {key}"), &format!(":{n}\r\n"));
    }
    l.check("lindex biglist 598", "$8\r\nitem-299\r\n");
    l.check("hget bighash field-150", "$9\r\nvalue-150\r\n");
    l.check("sismember bigset member-299", ":1\r\n");
    l.check("sismember bigintset 299000", ":1\r\n");
    l.check("zscore bigzset member-7", "$3\r\n7.5\r\n");
    l.check("zrank bigzset member-299", ":299\r\n");
    l.check("xlen bigstream", ":299\r\n");
    l.check("xrange bigstream 4 6", "*2\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nn\r\n$1\r\n3\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nn\r\n$1\r\n5\r\n");
    l.check("xlen stream", ":2\r\n");
    // Group `grp` delivered 1-1 to alice; bob has nothing pending; `late`
    // starts at the end.
    l.check(
        "xpending stream grp",
        "*4\r\n:1\r\n$3\r\n1-1\r\n$3\r\n1-1\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n",
    );
    let groups = l.run("xinfo groups stream");
    assert!(
        groups.contains("$3\r\ngrp\r\n") && groups.contains("$4\r\nlate\r\n"),
        "{groups}"
    );
    assert!(groups.contains("$9\r\nconsumers\r\n:2\r\n"), "{groups}");
    l.check("select 3", "+OK\r\n");
    l.check("get other-db", "$5\r\nvalue\r\n");
}

#[test]
fn redis_file_without_compression_or_checksum_loads() {
    let mut l = Loaded::new("plain_no_checksum.rdb");
    assert!(l.report.checksum_absent);
    assert_eq!(l.report.keys_loaded, 4);
    l.check("strlen long", ":120\r\n");
    l.check(
        "lrange list 0 -1",
        "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
    );
    l.check("hget hash f", "$1\r\nv\r\n");
}

/// Every value in the fixture DUMPs to the very bytes Redis DUMPs for it,
/// except where Redis's own output depends on its hash function (hash
/// tables) or on the time (a stream's delivery and seen times).
#[test]
fn dumps_of_loaded_values_are_redis_encodings() {
    let mut l = Loaded::new("all_types.rdb");
    // Saving the loaded keyspace with ferredis's encoder and loading that
    // again gives the same keys and values.
    let opts = SaveOptions::from_config(&Config::defaults(), 0, ferredis::util::now_ms());
    let bytes = rdb::save(Vec::new(), &l.engine.keyspace, &opts).unwrap();
    let mut again = Keyspace::new(16);
    let report = rdb::load(
        &bytes,
        &mut again,
        &LoadOptions::from_config(&Config::defaults(), 0),
    )
    .unwrap();
    assert_eq!(report.keys_loaded, 19);
    for (key, obj) in l.engine.keyspace.dbs[0].iter() {
        let other = again.dbs[0].find(key.as_bytes()).unwrap();
        if obj.encoding() != "hashtable" {
            assert_eq!(
                rdb::dump_payload(&obj.value, true),
                rdb::dump_payload(&other.value, true),
                "{}",
                String::from_utf8_lossy(key.as_bytes())
            );
        }
    }
    assert_eq!(bulk_array(&[]), "*0\r\n");
    l.check("dump nosuchkey", "$-1\r\n");
}
