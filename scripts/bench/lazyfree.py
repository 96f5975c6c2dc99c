"""How long deleting one huge collection stalls the event loop, Redis and
ferredis side by side.

For each collection type and each way of deleting it, a fresh server is
started (persistence off), one key of N elements is loaded with
`redis-cli --pipe`, and then, while a second connection sends PING in a
tight loop and records every round trip, the key is deleted:

    del      DEL (synchronous, the reference)
    unlink   UNLINK
    flush    FLUSHALL ASYNC
    evict    maxmemory set 1 MB below used_memory with
             lazyfree-lazy-eviction yes, then one SET that makes the
             server evict the key

The figure reported is the longest PING round trip while the deletion and
the background freeing ran (until lazyfree_pending_objects is back to 0
and used_memory has dropped). With --rounds R each figure is the median
of R runs.

    python3 scripts/bench/lazyfree.py --ferredis target/release/ferredis \\
        [--n 10000000] [--only set,hash] [--ops del,unlink,flush,evict] [--rounds 1]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scale"))
from resp import Conn, ReplyError, encode  # noqa: E402
from host import free_port  # noqa: E402

BATCH = 1000
OPS = ("del", "unlink", "flush", "evict")


def members(prefix, lo, hi):
    return [b"%s:%09d" % (prefix, i) for i in range(lo, hi)]


def set_(f, n):
    for lo in range(0, n, BATCH):
        f.write(encode([b"SADD", b"big"] + members(b"member", lo, min(lo + BATCH, n))))


def hash_(f, n):
    for lo in range(0, n, BATCH):
        args = [b"HSET", b"big"]
        for m in members(b"field", lo, min(lo + BATCH, n)):
            args += [m, b"v"]
        f.write(encode(args))


def zset(f, n):
    for lo in range(0, n, BATCH):
        args = [b"ZADD", b"big"]
        for i, m in enumerate(members(b"member", lo, min(lo + BATCH, n)), lo):
            args += [b"%d" % i, m]
        f.write(encode(args))


TYPES = {"set": set_, "hash": hash_, "zset": zset}


def info(conn):
    text = conn.call("INFO").decode()
    return dict(line.split(":", 1) for line in text.split("\r\n") if ":" in line)


class Pinger(threading.Thread):
    """PING in a tight loop on its own connection, keeping the longest
    round trip seen since the last reset."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.conn = Conn(port)
        self.longest = 0.0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            t = time.perf_counter()
            self.conn.call("PING")
            self.longest = max(self.longest, time.perf_counter() - t)


def wait_freed(conn, used_before, timeout=120):
    """Until the background thread is idle and memory went down."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        i = info(conn)
        if int(i.get("lazyfree_pending_objects", 0)) == 0 and int(i["used_memory"]) < used_before // 2:
            return
        time.sleep(0.01)
    raise SystemExit("memory was not freed in time")


def run_op(conn, op):
    if op == "del":
        conn.call("DEL", "big")
    elif op == "unlink":
        conn.call("UNLINK", "big")
    elif op == "flush":
        conn.call("FLUSHALL", "ASYNC")
    else:
        used = int(info(conn)["used_memory"])
        conn.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
        conn.call("CONFIG", "SET", "lazyfree-lazy-eviction", "yes")
        conn.call("CONFIG", "SET", "maxmemory", str(used - (1 << 20)))
        # Redis may refuse the write with OOM: the key it evicted is still
        # being freed when it rechecks. The eviction happened either way.
        try:
            conn.call("SET", "probe", "1")
        except ReplyError:
            pass


def measure(binary, data_path, op, work, port):
    """The longest PING stall, in ms, while `op` deletes the loaded key."""
    port = port or free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", work, "--logfile", os.path.join(work, "server.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                conn = Conn(port)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"{binary} did not start")
        with open(data_path, "rb") as data:
            out = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], stdin=data,
                                 capture_output=True, text=True)
        if "errors: 0" not in out.stdout:
            raise SystemExit(f"loading into {binary} failed: {out.stdout} {out.stderr}")
        used = int(info(conn)["used_memory"])
        pinger = Pinger(port)
        pinger.start()
        time.sleep(0.2)
        pinger.longest = 0.0
        run_op(conn, op)
        wait_freed(conn, used)
        time.sleep(0.05)
        pinger.stop.set()
        pinger.join()
        if conn.call("EXISTS", "big") != 0:
            raise SystemExit(f"{op} left the key in place on {binary}")
        return pinger.longest * 1000
    finally:
        proc.terminate()
        proc.wait()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ferredis", required=True)
    p.add_argument("--redis", default="redis-server")
    p.add_argument("--n", type=int, default=10_000_000, help="elements in the key (default 10,000,000)")
    p.add_argument("--only", default="set,hash", help=f"types, of {','.join(TYPES)}")
    p.add_argument("--ops", default=",".join(OPS), help=f"deletions, of {','.join(OPS)}")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--port", type=int, default=0, help="port for every server (default: a free one)")
    args = p.parse_args()
    print(f"longest PING stall (ms) while deleting one key of {args.n:,} elements"
          + (f", median of {args.rounds}" if args.rounds > 1 else ""))
    print(f"{'type':<6} {'op':<8} {'redis':>10} {'ferredis':>10} {'ratio':>7}", flush=True)
    with tempfile.TemporaryDirectory() as work:
        for name in args.only.split(","):
            path = os.path.join(work, name + ".resp")
            with open(path, "wb") as f:
                TYPES[name](f, args.n)
            for op in args.ops.split(","):
                r = statistics.median(measure(args.redis, path, op, work, args.port)
                                      for _ in range(args.rounds))
                fe = statistics.median(measure(args.ferredis, path, op, work, args.port)
                                       for _ in range(args.rounds))
                ratio = fe / r if r > 0 else 0.0
                print(f"{name:<6} {op:<8} {r:>10.1f} {fe:>10.1f} {ratio:>7.2f}", flush=True)
            os.remove(path)


if __name__ == "__main__":
    sys.exit(main())
