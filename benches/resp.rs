//! Micro-benchmarks for the two ends of every request: the RESP parser
//! (bytes in, arguments out) and the reply encoder (replies in, bytes
//! out), each reported in bytes per second. They run in-process with no
//! sockets, so they move only when the code they measure does.
//!
//!     cargo bench --bench resp

use bytes::{Bytes, BytesMut};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use ferredis::protocol::parser::Parser;
use ferredis::protocol::reply::ReplyBuffer;

fn main() {
    divan::main();
}

/// No bulk limit beyond Redis's default proto-max-bulk-len (512 MB).
const MAX_BULK: i64 = 512 * 1024 * 1024;

/// `n` requests `SET key:NNNNNNNN <value>` as a client pipelines them.
fn set_pipeline(n: usize, value_len: usize) -> Vec<u8> {
    let value = "x".repeat(value_len);
    let mut out = Vec::new();
    for i in 0..n {
        let key = format!("key:{i:08}");
        out.extend_from_slice(
            format!(
                "*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n${}\r\n{value}\r\n",
                key.len(),
                value.len()
            )
            .as_bytes(),
        );
    }
    out
}

/// Parses every request in `input`, as the loop does after one read.
fn parse_all(bencher: Bencher, input: Vec<u8>, expected: usize) {
    bencher
        .counter(BytesCount::new(input.len()))
        .with_inputs(|| BytesMut::from(&input[..]))
        .bench_local_values(|mut buf| {
            let mut parser = Parser::new();
            let mut args: Vec<Bytes> = Vec::with_capacity(8);
            let mut commands = 0;
            while let Ok(true) = parser.parse(&mut buf, &mut args, MAX_BULK) {
                commands += 1;
                black_box(&args);
            }
            assert_eq!(commands, expected);
        });
}

/// Pipelined small SETs: the `-P 16` shape, header parsing dominates.
#[divan::bench(args = [16, 1000])]
fn parse_set_pipeline(bencher: Bencher, n: usize) {
    parse_all(bencher, set_pipeline(n, 3), n);
}

/// One SET of a large value: the bulk is taken from the buffer whole.
#[divan::bench(args = [1024, 65536, 1 << 20])]
fn parse_set_large_value(bencher: Bencher, value_len: usize) {
    parse_all(bencher, set_pipeline(1, value_len), 1);
}

/// Inline commands, as redis-benchmark's PING_INLINE sends them.
#[divan::bench]
fn parse_inline_pings(bencher: Bencher) {
    parse_all(bencher, b"PING\r\n".repeat(1000), 1000);
}

/// Encodes with `write` and takes the bytes, as the loop does per reply.
fn encode(bencher: Bencher, write: impl Fn(&mut ReplyBuffer)) {
    let mut probe = ReplyBuffer::new();
    write(&mut probe);
    let len = probe.pending_bytes();
    let mut reply = ReplyBuffer::new();
    bencher.counter(BytesCount::new(len)).bench_local(|| {
        write(&mut reply);
        black_box(reply.pending_bytes());
        reply.clear();
    });
}

/// A thousand `+OK` and integer replies: a pipeline of SETs and INCRs.
#[divan::bench]
fn encode_ok_and_ints(bencher: Bencher) {
    encode(bencher, |r| {
        for i in 0..1000 {
            r.ok();
            r.int(i * 7919);
        }
    });
}

/// LRANGE 0 99 of small elements: one array header and 100 bulks.
#[divan::bench]
fn encode_lrange_100(bencher: Bencher) {
    encode(bencher, |r| {
        r.array(100);
        for _ in 0..100 {
            r.bulk(b"xxx");
        }
    });
}

/// GET of a large value, kept as shared bytes rather than copied.
#[divan::bench(args = [1024, 65536, 1 << 20])]
fn encode_large_bulk(bencher: Bencher, len: usize) {
    let value = Bytes::from(vec![b'x'; len]);
    encode(bencher, |r| r.bulk_shared(&value));
}
