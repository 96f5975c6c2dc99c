"""RDB persistence, Redis and ferredis side by side: SAVE time, file size
and start-up load time.

For each data set and round (interleaved: Redis, then ferredis), each
server is started fresh in a directory of its own (`--save ''
--appendonly no`, default rdbcompression) and the data loaded with
`redis-cli --pipe`. Then:

  * SAVE: the wall time the client waits for +OK, the server's CPU time
    across it (/proc/PID/schedstat, first field: the main thread, which
    runs SAVE in both servers) and the size of dump.rdb;
  * the server is stopped with SIGTERM (with save '' it writes nothing
    more: the file must be unchanged) and started again on the same
    directory; load time is from spawn until PING answers PONG (LOADING
    means not yet), with the main thread's CPU time up to then (steadier
    on a busy machine), and the server's own "DB loaded from disk: N
    seconds" log line is read too; DBSIZE must be what was loaded.

Medians over the rounds are printed per data set with the ratios
ferredis/redis, and a summary of the worst ratios.

    python3 scripts/bench/persistence.py --ferredis target/release/ferredis \
        [--only strings,large] [--rounds 3] [--redis-port P] [--ferredis-port P]
"""

import argparse
import hashlib
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memory  # noqa: E402  (the data-set generators are shared)
from memory import resp  # noqa: E402
from host import cpu_ns, free_port  # noqa: E402

LARGE_N = 100_000
WORDS = [b"alpha", b"bravo", b"charlie", b"delta", b"echo", b"foxtrot", b"golf", b"hotel",
         b"india", b"juliet", b"kilo", b"lima", b"mike", b"november", b"oscar", b"papa"]


def large_value(rng: random.Random, i: int) -> bytes:
    # A JSON-like record of about 300 bytes: some repetition for LZF to
    # find, as real values have, but not a constant.
    bio = b" ".join(rng.choice(WORDS) for _ in range(30))
    return (b'{"id":%d,"name":"user%07d","email":"user%07d@example.com",'
            b'"score":%d,"tags":["%s","%s"],"bio":"%s"}'
            % (i, i, i, rng.randrange(1_000_000), rng.choice(WORDS), rng.choice(WORDS), bio))


def large(f):
    """A list, a hash, a set and a sorted set of LARGE_N ~300-byte elements."""
    rng = random.Random(6)
    for i in range(0, LARGE_N, 100):
        batch = [large_value(rng, j) for j in range(i, i + 100)]
        f.write(resp(b"RPUSH", b"big:list", *batch))
        f.write(resp(b"SADD", b"big:set", *batch))
        args = []
        for j, v in zip(range(i, i + 100), batch):
            args += [b"field:%07d" % j, v]
        f.write(resp(b"HSET", b"big:hash", *args))
        args = []
        for j, v in zip(range(i, i + 100), batch):
            args += [b"%d" % (j * 7 % LARGE_N), v]
        f.write(resp(b"ZADD", b"big:zset", *args))
    return 4 * LARGE_N


DATA = dict(memory.DATA)
DATA["large"] = ("4 collections of 100,000 ~300-byte items", large)
# Keys each data set leaves, which DBSIZE must show after the load and
# after the restart.
KEYS = {"strings": memory.N, "list": 1, "hash": 1, "set": 1, "zset": 1,
        "small_hashes": 100_000, "stream": 1, "large": 4}


class Conn:
    """A minimal RESP client: one command, one reply line or bulk."""

    def __init__(self, port: int, timeout: float = 600.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.sock.close()

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def call(self, *args: bytes) -> bytes:
        self.sock.sendall(resp(*args))
        return self.line()


class Failure(Exception):
    pass


class Server:
    def __init__(self, name: str, binary: str, port: int, work: str):
        self.name, self.binary, self.port = name, binary, port
        self.dir = os.path.join(work, name)
        self.log = os.path.join(self.dir, "server.log")
        self.proc = None

    def spawn(self) -> float:
        """Starts the server; returns the perf_counter time of the spawn."""
        os.makedirs(self.dir, exist_ok=True)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--logfile", self.log],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return t0

    def wait_pong(self, deadline_s: float = 600.0) -> float:
        """Polls PING until PONG; returns the perf_counter time it came."""
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise Failure(f"{self.name} exited during start-up: {self.tail_log()}")
            try:
                c = Conn(self.port, timeout=5)
            except OSError:
                time.sleep(0.001)
                continue
            try:
                while time.monotonic() < end:
                    reply = c.call(b"PING")
                    if reply == b"+PONG":
                        return time.perf_counter()
                    if not reply.startswith(b"-LOADING"):
                        raise Failure(f"{self.name}: PING answered {reply!r}")
                    time.sleep(0.001)
            except OSError:
                time.sleep(0.001)
            finally:
                c.close()
        raise Failure(f"{self.name} did not answer PING on port {self.port}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def tail_log(self) -> str:
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-5:])
        except OSError:
            return "(no log)"

    def log_load_seconds(self) -> float:
        """The last "DB loaded from disk: N seconds" line of the log."""
        with open(self.log, errors="replace") as f:
            found = re.findall(r"DB loaded from disk: ([0-9.]+) seconds", f.read())
        if not found:
            raise Failure(f"{self.name}: no 'DB loaded from disk' line in {self.log}")
        return float(found[-1])


def file_digest(path: str):
    st = os.stat(path)
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return st.st_size, st.st_mtime_ns, h.hexdigest()


def dbsize(port: int) -> int:
    c = Conn(port)
    try:
        reply = c.call(b"DBSIZE")
    finally:
        c.close()
    if not reply.startswith(b":"):
        raise Failure(f"DBSIZE answered {reply!r}")
    return int(reply[1:])


def one_round(server: Server, data_path: str, keys: int) -> dict:
    """Load, SAVE, restart: the figures of one server in one round."""
    for stale in ("dump.rdb", "server.log"):
        try:
            os.remove(os.path.join(server.dir, stale))
        except FileNotFoundError:
            pass
    try:
        server.spawn()
        server.wait_pong()
        with open(data_path, "rb") as data:
            out = subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], stdin=data,
                                 capture_output=True, text=True)
        if "errors: 0" not in out.stdout:
            raise Failure(f"loading into {server.name} failed: {out.stdout} {out.stderr}")
        n = dbsize(server.port)
        if n != keys:
            raise Failure(f"{server.name}: DBSIZE {n} after loading, expected {keys}")

        c = Conn(server.port)
        try:
            before = cpu_ns(server.proc.pid)
            t0 = time.perf_counter()
            reply = c.call(b"SAVE")
            save_s = time.perf_counter() - t0
            save_cpu = cpu_ns(server.proc.pid) - before
        finally:
            c.close()
        if reply != b"+OK":
            raise Failure(f"{server.name}: SAVE answered {reply!r}")
        rdb = os.path.join(server.dir, "dump.rdb")
        saved = file_digest(rdb)
        server.stop()
        if file_digest(rdb) != saved:
            raise Failure(f"{server.name}: dump.rdb changed on shutdown (save '' must not write)")

        t0 = server.spawn()
        t1 = server.wait_pong()
        load_cpu = cpu_ns(server.proc.pid)
        load_s = t1 - t0
        log_s = server.log_load_seconds()
        n = dbsize(server.port)
        if n != keys:
            raise Failure(f"{server.name}: DBSIZE {n} after loading dump.rdb, expected {keys}")
        return {"save_ms": save_s * 1e3, "save_cpu_ms": save_cpu / 1e6, "bytes": saved[0],
                "load_ms": load_s * 1e3, "load_cpu_ms": load_cpu / 1e6, "log_load_ms": log_s * 1e3}
    finally:
        server.stop()


ROWS = [
    ("save ms", "save_ms", "{:.1f}"),
    ("save cpu ms", "save_cpu_ms", "{:.1f}"),
    ("file bytes", "bytes", "{:.0f}"),
    ("load ms (to PONG)", "load_ms", "{:.1f}"),
    ("load cpu ms", "load_cpu_ms", "{:.1f}"),
    ("load ms (own log)", "log_load_ms", "{:.0f}"),
]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--ferredis", required=True)
    p.add_argument("--redis", default="redis-server")
    p.add_argument("--only", default=",".join(DATA))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--redis-port", type=int, default=0)
    p.add_argument("--ferredis-port", type=int, default=0)
    args = p.parse_args()
    names = args.only.split(",")
    unknown = [n for n in names if n not in DATA]
    if unknown:
        raise SystemExit(f"unknown data set(s) {', '.join(unknown)}; known: {', '.join(DATA)}")
    rport = args.redis_port or free_port()
    fport = args.ferredis_port or free_port()
    while fport == rport:
        fport = free_port()

    print(f"redis:    {subprocess.run([args.redis, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"ferredis: {subprocess.run([args.ferredis, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"machine:  {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
          f"rounds: {args.rounds}, interleaved (redis, then ferredis)\n", flush=True)
    worst_time, worst_size = 0.0, 0.0
    worst_time_at = worst_size_at = ""
    with tempfile.TemporaryDirectory(prefix="ferredis-pbench.") as work:
        servers = [Server("redis", args.redis, rport, work),
                   Server("ferredis", args.ferredis, fport, work)]
        for name in names:
            title, gen = DATA[name]
            path = os.path.join(work, name + ".resp")
            with open(path, "wb") as f:
                gen(f)
            results = {s.name: [] for s in servers}
            for r in range(args.rounds):
                print(f"  {name}: round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
                for s in servers:
                    try:
                        results[s.name].append(one_round(s, path, KEYS[name]))
                    except Failure as e:
                        print(f"FAILED: {e}", file=sys.stderr)
                        return 1
            os.remove(path)
            print(f"{name}: {title}")
            print(f"  {'':<20} {'redis':>12} {'ferredis':>12} {'ratio':>7}")
            for label, key, fmt in ROWS:
                rv = statistics.median(x[key] for x in results["redis"])
                fv = statistics.median(x[key] for x in results["ferredis"])
                ratio = fv / rv if rv > 0 else 0.0
                print(f"  {label:<20} {fmt.format(rv):>12} {fmt.format(fv):>12} {ratio:>7.3f}")
                if key == "bytes":
                    if ratio > worst_size:
                        worst_size, worst_size_at = ratio, name
                elif key != "log_load_ms" and ratio > worst_time:
                    worst_time, worst_time_at = ratio, f"{name} {label}"
            print(flush=True)
    print(f"max time ratio {worst_time:.3f} ({worst_time_at}), "
          f"max size ratio {worst_size:.3f} ({worst_size_at}); "
          f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
