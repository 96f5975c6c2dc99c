"""maxmemory as a cache, Redis and ferredis side by side.

Two measurements, both with `maxmemory 64mb` and the same eviction
settings on both servers (maxmemory-samples 5, lfu-log-factor 10,
lfu-decay-time 1, maxmemory-eviction-tenacity 10: Redis's defaults, given
explicitly so that neither server's defaults decide):

  * per policy, the cache workload of tools/loadgen (`loadgen ... cache`):
    each connection GETs a key drawn from Zipf(s = 1.0) over KEYS keys and
    SETs it on a miss (SET ... EX 3600 for the volatile-* policies, which
    may only evict keys with a TTL). KEYS and VALUE_SIZE make the whole
    key space about four times maxmemory on Redis. Every run starts a
    fresh server, fills it past the limit with SETs of the PREFILL most
    popular keys (redis-cli --pipe: the cache fills in seconds rather
    than over millions of misses), warms it with --warmup requests (one
    loadgen run, not counted) and then measures --requests requests (a second run with a
    different seed, the same for both servers). Reported: hit ratio,
    requests/s (a request is a GET and the SET its miss caused), server
    CPU ns per request (/proc/PID/schedstat), the highest used_memory seen
    (INFO, every 100 ms) over maxmemory, evicted_keys, and OOM replies
    (noeviction refuses SETs once full);
  * "fill": redis-benchmark writes about 1 GB of 1000-byte values under
    allkeys-lru while INFO is sampled every 100 ms: the highest
    used_memory over the limit, the final and peak RSS (VmHWM) and the
    SET throughput.

Rounds are interleaved (each policy: Redis, then ferredis) and medians
over the rounds are printed.

    python3 scripts/bench/cache.py --ferredis target/release/ferredis \
        --loadgen target/release/loadgen [--policies all|allkeys-lru,...] \
        [--fill] [--rounds 3] [--clients 50] [--requests N] [--warmup N] \
        [--redis-port P] [--ferredis-port P]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scale"))
from resp import Conn, encode  # noqa: E402  (the scale scripts' RESP client)
from host import Server, cpu_ns, free_port, vm_hwm  # noqa: E402

MAXMEMORY = 64 * 1024 * 1024
SETTINGS = ["--maxmemory", "64mb", "--maxmemory-samples", "5", "--lfu-log-factor", "10",
            "--lfu-decay-time", "1", "--maxmemory-eviction-tenacity", "10"]
# 1,420,000 keys `key:<rank>` with 100-byte values: loaded whole into an
# unlimited Redis 7.0.15 they take used_memory 267,685,648 bytes, 3.99 x
# 64 MB (measured on this machine).
KEYS = 1_420_000
VALUE_SIZE = 100
TTL = 3600
POLICIES = ["allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "allkeys-random",
            "volatile-random", "volatile-ttl", "noeviction"]
# Ranks 1..PREFILL take about 75 MB on Redis: the cache starts full.
PREFILL = 400_000
# Fill: 1,000,000 SETs of 1000 bytes over a key space far larger than that.
FILL_SETS = 1_000_000
FILL_SIZE = 1000


def info(conn: Conn, section: str) -> dict:
    text = conn.call("INFO", section).decode()
    return dict(line.split(":", 1) for line in text.split("\r\n") if ":" in line)


def start(binary, port, work, policy):
    """A fresh server with the cache settings."""
    return Server(binary, work, "--maxmemory-policy", policy, *SETTINGS, port=port)


class Sampler(threading.Thread):
    """INFO memory every 100 ms on its own connection: the highest
    used_memory and the latest RSS seen."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.conn = Conn(port)
        self.max_used = 0
        self.rss = 0
        self.done = threading.Event()

    def sample(self):
        m = info(self.conn, "memory")
        self.max_used = max(self.max_used, int(m["used_memory"]))
        self.rss = int(m["used_memory_rss"])

    def run(self):
        while not self.done.wait(0.1):
            self.sample()

    def finish(self):
        self.done.set()
        self.join()
        self.sample()
        self.conn.close()


def parse_csv(text: str) -> dict:
    lines = text.strip().splitlines()
    head = [h.strip('"') for h in lines[0].split(",")]
    vals = [v.strip('"') for v in lines[1].split(",")]
    return dict(zip(head, vals))


def prefill_file(work: str, ttl: bool) -> str:
    """The RESP file of the prefill's SETs (with EX TTL for volatile-*)."""
    path = os.path.join(work, f"prefill{'-ttl' if ttl else ''}.resp")
    if not os.path.exists(path):
        value = b"x" * VALUE_SIZE
        extra = [b"EX", b"%d" % TTL] if ttl else []
        with open(path, "wb") as f:
            for rank in range(1, PREFILL + 1):
                f.write(encode([b"SET", b"key:%d" % rank, value, *extra]))
    return path


def cache_run(args, name, binary, port, work, policy, round_no):
    server = start(binary, port, work, policy)
    try:
        # noeviction refuses the SETs past the limit: errors are expected.
        with open(prefill_file(work, policy.startswith("volatile-")), "rb") as data:
            subprocess.run(["redis-cli", "-p", str(port), "--pipe"], stdin=data,
                           capture_output=True)
        load = [args.loadgen, "-p", str(port), "-c", str(args.clients), "--keys", str(KEYS),
                "--value-size", str(VALUE_SIZE)]
        if policy.startswith("volatile-"):
            load += ["--ttl", str(TTL)]
        sampler = Sampler(port)
        sampler.start()
        # The warm-up and the measured run draw from different seeds (the
        # same for both servers), so the measured keys do not replay the
        # warm-up's.
        subprocess.run(load + ["-n", str(args.warmup), "--seed", str(round_no), "cache"],
                       check=True, capture_output=True, text=True)
        before = cpu_ns(server.proc.pid)
        out = subprocess.run(load + ["-n", str(args.requests), "--seed", str(1000 + round_no), "cache"],
                             check=True, capture_output=True, text=True).stdout
        cpu = cpu_ns(server.proc.pid) - before
        sampler.finish()
        r = parse_csv(out)
        c = Conn(port)
        evicted = int(info(c, "stats")["evicted_keys"])
        c.close()
        return {
            "hit": float(r["hit_ratio"]) * 100,
            "rps": float(r["rps"]),
            "ns": cpu / args.requests,
            "mem": sampler.max_used / MAXMEMORY,
            "evicted": evicted,
            "oom": int(r["oom_errors"]),
        }
    finally:
        server.stop()


def fill_run(args, name, binary, port, work):
    server = start(binary, port, work, "allkeys-lru")
    try:
        sampler = Sampler(port)
        sampler.start()
        before = cpu_ns(server.proc.pid)
        out = subprocess.run(
            ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", str(args.clients),
             "-n", str(FILL_SETS), "-d", str(FILL_SIZE), "-r", "100000000", "-t", "set", "--csv"],
            check=True, capture_output=True, text=True).stdout
        cpu = cpu_ns(server.proc.pid) - before
        sampler.finish()
        return {
            "ns": cpu / FILL_SETS,
            "mem": sampler.max_used / MAXMEMORY,
            "rss": sampler.rss / 2**20,
            "hwm": vm_hwm(server.proc.pid) / 2**20,
            "rps": float(parse_csv(out)["rps"]),
        }
    finally:
        server.stop()


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def ratio(a, b):
    return a / b if b else 0.0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--ferredis", required=True)
    p.add_argument("--redis", default="redis-server")
    p.add_argument("--loadgen", required=True)
    p.add_argument("--policies", default="all", help="all, none, or a comma-separated list")
    p.add_argument("--fill", action="store_true", help="also the 1 GB fill row")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--requests", type=int, default=300_000, help="measured requests per run")
    p.add_argument("--warmup", type=int, default=500_000, help="uncounted requests first")
    p.add_argument("--redis-port", type=int, default=0)
    p.add_argument("--ferredis-port", type=int, default=0)
    args = p.parse_args()
    policies = {"all": POLICIES, "none": []}.get(args.policies, None)
    if policies is None:
        policies = args.policies.split(",")
    servers = [("redis", args.redis, args.redis_port or free_port()),
               ("ferredis", args.ferredis, args.ferredis_port or free_port())]
    print(f"maxmemory 64mb ({' '.join(SETTINGS[2:])}); cache: Zipf s=1.0 over {KEYS} keys, "
          f"{VALUE_SIZE}-byte values, {args.clients} clients, prefill {PREFILL} keys, "
          f"{args.warmup} warm-up + "
          f"{args.requests} measured requests; medians of {args.rounds} rounds")
    cache = {(n, pol): [] for n, _, _ in servers for pol in policies}
    fill = {n: [] for n, _, _ in servers}
    with tempfile.TemporaryDirectory(prefix="ferredis-cache.") as work:
        for rnd in range(1, args.rounds + 1):
            for pol in policies:
                for name, binary, port in servers:
                    cache[name, pol].append(cache_run(args, name, binary, port, work, pol, rnd))
                print(f"round {rnd}/{args.rounds} {pol}: " + ", ".join(
                    f"{n} hit {cache[n, pol][-1]['hit']:.2f}% {cache[n, pol][-1]['rps']:.0f} rps"
                    for n, _, _ in servers), file=sys.stderr, flush=True)
            if args.fill:
                for name, binary, port in servers:
                    fill[name].append(fill_run(args, name, binary, port, work))
    if policies:
        print(f"\n{'policy':<16} {'hit% redis':>10} {'ferredis':>9} {'diff':>6} {'redis rps':>10} "
              f"{'ferr. rps':>10} {'ratio':>6} {'redis ns':>9} {'ferr. ns':>9} {'cpu':>6} "
              f"{'mem/limit r':>11} {'f':>6} {'evicted r':>10} {'f':>8} {'oom r':>7} {'f':>7}")
        for pol in policies:
            r, f = cache["redis", pol], cache["ferredis", pol]
            print(f"{pol:<16} {med(r, 'hit'):>10.2f} {med(f, 'hit'):>9.2f} "
                  f"{med(f, 'hit') - med(r, 'hit'):>+6.2f} {med(r, 'rps'):>10.0f} {med(f, 'rps'):>10.0f} "
                  f"{ratio(med(f, 'rps'), med(r, 'rps')):>6.3f} {med(r, 'ns'):>9.0f} {med(f, 'ns'):>9.0f} "
                  f"{ratio(med(f, 'ns'), med(r, 'ns')):>6.3f} {max(x['mem'] for x in r):>11.3f} "
                  f"{max(x['mem'] for x in f):>6.3f} {med(r, 'evicted'):>10.0f} {med(f, 'evicted'):>8.0f} "
                  f"{med(r, 'oom'):>7.0f} {med(f, 'oom'):>7.0f}")
    if args.fill:
        print(f"\nfill: {FILL_SETS} SETs of {FILL_SIZE} bytes (~1 GB), allkeys-lru")
        print(f"{'server':<10} {'max used/limit':>14} {'final RSS MB':>12} {'peak RSS MB':>11} "
              f"{'SET rps':>10} {'ns/SET':>8}")
        for name, _, _ in servers:
            runs = fill[name]
            print(f"{name:<10} {max(x['mem'] for x in runs):>14.3f} {med(runs, 'rss'):>12.1f} "
                  f"{med(runs, 'hwm'):>11.1f} {med(runs, 'rps'):>10.0f} {med(runs, 'ns'):>8.0f}")
        r, f = fill["redis"], fill["ferredis"]
        print(f"ferredis/redis: SET rps {ratio(med(f, 'rps'), med(r, 'rps')):.3f}, "
              f"CPU per SET {ratio(med(f, 'ns'), med(r, 'ns')):.3f}")


if __name__ == "__main__":
    sys.exit(main())
