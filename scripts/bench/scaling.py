"""How ferredis and Redis 7.0 scale: with the number of keys, and with the
number of connections.

  keys         for N in 10^4 .. 10^7: a fresh server of each is loaded
               with N keys `key:NNNNNNNNNNNN` (redis-benchmark's -r key
               names) -> 10-byte values with redis-cli --pipe, giving the
               RSS bytes per key, then redis-benchmark -c 50 -r N runs GET
               and SET over those keys: requests/s and CPU per request.
  connections  for C in 1 .. 10,000: a fresh server of each (maxclients
               11000), redis-benchmark -c C -t get: requests/s, and the peak
               RSS (VmHWM) the connections cost over the idle server's.

Every step runs Redis, then ferredis; with --rounds the medians are shown.

    python3 scripts/bench/scaling.py --ferredis target/release/ferredis \
        [--only keys,connections] [--rounds 1] [--max-keys 10000000]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from host import Server, cpu_ns, rss, vm_hwm
from memory import load, resp

CONNECTIONS = [1, 10, 100, 1000, 10000]


def load_file(work, keys):
    path = os.path.join(work, f"keys-{keys}.resp")
    with open(path, "wb") as f:
        for lo in range(0, keys, 10_000):
            f.write(b"".join(resp(b"SET", b"key:%012d" % i, b"v" * 10) for i in range(lo, min(keys, lo + 10_000))))
    return path


def benchmark(server, *flags):
    """requests/s and server CPU ns per request of one redis-benchmark run."""
    requests = int(flags[flags.index("-n") + 1])
    before = cpu_ns(server.pid)
    out = subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "--csv", *flags],
                         capture_output=True, text=True)
    spent = cpu_ns(server.pid) - before
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or len(lines) < 2:
        raise SystemExit(f"redis-benchmark {' '.join(flags)} failed: {out.stderr.strip()}")
    return float(lines[-1].split('","')[1]), spent / requests


def keys_step(binary, path, keys, work):
    with Server(binary, work) as server:
        per_key = load(server, path) / keys
        get = benchmark(server, "-c", "50", "-n", "500000", "-r", str(keys), "-t", "get")
        set_ = benchmark(server, "-c", "50", "-n", "500000", "-r", str(keys), "-t", "set")
        return {"B/key": per_key, "GET": get[0], "GET ns": get[1], "SET": set_[0], "SET ns": set_[1]}


def connections_step(binary, clients, work):
    with Server(binary, work, "--maxclients", "11000") as server:
        idle = rss(server.pid)
        requests = max(200_000, clients * 20)
        rps, ns = benchmark(server, "-c", str(clients), "-n", str(requests), "-t", "get")
        return {"GET": rps, "GET ns": ns, "peak MB": (vm_hwm(server.pid) - idle) / 2**20}


def med(results, key):
    return statistics.median(r[key] for r in results)


def show(title, columns, steps, results):
    """One line per step: each column's Redis and ferredis medians and ratio."""
    head = f"{title:>10}"
    for col, _ in columns:
        head += f" {'redis ' + col:>14} {'ferredis':>10} {'ratio':>6}"
    print(head)
    for step in steps:
        line = f"{step:>10,}"
        for col, fmt in columns:
            r, f = med(results["redis"][step], col), med(results["ferredis"][step], col)
            line += f" {fmt.format(r):>14} {fmt.format(f):>10} {f / r if r else 0:>6.3f}"
        print(line, flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ferredis", required=True)
    p.add_argument("--only", default="keys,connections")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--max-keys", type=int, default=10_000_000)
    args = p.parse_args()
    servers = (("redis", "redis-server"), ("ferredis", args.ferredis))
    with tempfile.TemporaryDirectory() as work:
        if "keys" in args.only.split(","):
            steps = [10 ** e for e in range(4, 8) if 10 ** e <= args.max_keys]
            results = {name: {n: [] for n in steps} for name, _ in servers}
            for n in steps:
                print(f"  keys: {n:,}", file=sys.stderr, flush=True)
                path = load_file(work, n)
                for _ in range(args.rounds):
                    for name, binary in servers:
                        results[name][n].append(keys_step(binary, path, n, work))
                os.remove(path)
            show("keys", [("GET", "{:.0f}"), ("SET", "{:.0f}"), ("GET ns", "{:.0f}"), ("B/key", "{:.1f}")],
                 steps, results)
            print()
        if "connections" in args.only.split(","):
            results = {name: {c: [] for c in CONNECTIONS} for name, _ in servers}
            for c in CONNECTIONS:
                print(f"  connections: {c:,}", file=sys.stderr, flush=True)
                for _ in range(args.rounds):
                    for name, binary in servers:
                        results[name][c].append(connections_step(binary, c, work))
            show("clients", [("GET", "{:.0f}"), ("GET ns", "{:.0f}"), ("peak MB", "{:.1f}")],
                 CONNECTIONS, results)


if __name__ == "__main__":
    sys.exit(main())
