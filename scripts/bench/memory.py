"""Memory per element, Redis and ferredis side by side.

For each data set, each server is started fresh (persistence off), its RSS
read from /proc, the data loaded with `redis-cli --pipe`, and its RSS read
again: (after - before) / elements is the figure reported. A fresh process
per data set keeps one load's freed memory out of the next one's figure.

    python3 scripts/bench/memory.py --ferredis target/release/ferredis [--only list,hash] [--port P]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from host import Server, rss  # noqa: E402  (shared with the other bench scripts)

N = 1_000_000


def resp(*args: bytes) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def strings(f):
    for i in range(N):
        f.write(resp(b"SET", b"key:%08d" % i, b"v" * 10))
    return N


def list_(f):
    for i in range(0, N, 100):
        f.write(resp(b"RPUSH", b"list", *[b"element:%07d" % j for j in range(i, i + 100)]))
    return N


def hash_(f):
    for i in range(0, N, 100):
        args = []
        for j in range(i, i + 100):
            args += [b"field:%07d" % j, b"value:%07d" % j]
        f.write(resp(b"HSET", b"hash", *args))
    return N


def set_(f):
    for i in range(0, N, 100):
        f.write(resp(b"SADD", b"set", *[b"member:%07d" % j for j in range(i, i + 100)]))
    return N


def zset(f):
    for i in range(0, N, 100):
        args = []
        for j in range(i, i + 100):
            args += [b"%d" % (j * 7 % N), b"member:%07d" % j]
        f.write(resp(b"ZADD", b"zset", *args))
    return N


def small_hashes(f):
    for i in range(100_000):
        args = []
        for j in range(10):
            args += [b"field%d" % j, b"value%d" % (i * 10 + j)]
        f.write(resp(b"HSET", b"user:%06d" % i, *args))
    return 1_000_000


def stream(f):
    # Entries of three fields; one stream, so the blocks (listpack nodes)
    # dominate. IDs are given, ten per millisecond as a busy producer's
    # XADD * makes them: with `*` the IDs, and so the bytes each entry
    # takes, would depend on how fast each server ran the load.
    t0 = 1_700_000_000_000
    for i in range(N):
        f.write(resp(b"XADD", b"stream", b"%d-%d" % (t0 + i // 10, i % 10), b"name", b"user:%07d" % i,
                     b"score", b"%d" % (i * 7 % 1000), b"ok", b"1"))
    return N


DATA = {
    "strings": ("1,000,000 keys, 10-byte values", strings),
    "list": ("one list of 1,000,000 elements", list_),
    "hash": ("one hash of 1,000,000 fields", hash_),
    "set": ("one set of 1,000,000 members", set_),
    "zset": ("one sorted set of 1,000,000 members", zset),
    "small_hashes": ("100,000 hashes of 10 fields", small_hashes),
    "stream": ("one stream of 1,000,000 3-field entries", stream),
}


def measure(binary: str, data_path: str, elements: int, work: str, port: int = 0) -> float:
    """Loads the data into a fresh server: RSS bytes it added per element."""
    with Server(binary, work, port=port) as server:
        return load(server, data_path) / elements


def load(server: Server, data_path: str) -> int:
    """Pipes a file of commands into a running server with redis-cli
    --pipe: the RSS it added, in bytes."""
    before = rss(server.pid)
    with open(data_path, "rb") as data:
        out = subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], stdin=data,
                             capture_output=True, text=True)
    if "errors: 0" not in out.stdout:
        raise SystemExit(f"loading into port {server.port} failed: {out.stdout} {out.stderr}")
    time.sleep(0.2)
    return rss(server.pid) - before


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--ferredis", required=True)
    p.add_argument("--redis", default="redis-server")
    p.add_argument("--only", default=",".join(DATA))
    p.add_argument("--port", type=int, default=0, help="port for every server (default: a free one)")
    args = p.parse_args()
    print(f"{'data set':<40} {'redis B/elem':>13} {'ferredis B/elem':>16} {'ratio':>7}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as work:
        for name in args.only.split(","):
            title, gen = DATA[name]
            path = os.path.join(work, name + ".resp")
            with open(path, "wb") as f:
                elements = gen(f)
            r = measure(args.redis, path, elements, work, args.port)
            fe = measure(args.ferredis, path, elements, work, args.port)
            ratio = fe / r if r > 0 else 0.0
            worst = max(worst, ratio)
            print(f"{title:<40} {r:>13.1f} {fe:>16.1f} {ratio:>7.3f}", flush=True)
    print(f"memory ratio (worst): {worst:.3f}")


if __name__ == "__main__":
    sys.exit(main())
