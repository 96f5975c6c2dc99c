"""Helpers shared by the AOF scripts beside this file: a small RESP client,
starting and stopping servers (redis-server or ferredis) in a directory of
their own, and a canonical dump of a whole data set for comparing two
servers key by key."""

import atexit
import os
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


# The RESP client is the scale scripts' (scripts/scale/resp.py).
sys.path.insert(0, os.path.join(ROOT, "scripts", "scale"))
from resp import Conn as _Conn, ReplyError, encode  # noqa: E402


class Conn(_Conn):
    """The shared client with a socket timeout, and pipelines that return
    error replies as values (interop.py tolerates BUSYGROUP among them)."""

    def __init__(self, port, timeout=10):
        super().__init__(port, timeout=timeout)

    def pipeline(self, cmds):
        self.sock.sendall(b"".join(encode(c) for c in cmds))
        return [self.read() for _ in cmds]

    def call(self, *args):
        r = self.pipeline([args])[0]
        if isinstance(r, ReplyError):
            raise r
        return r


_next_in_range = [None]


def free_port():
    """A port nobody listens on: from AOF_PORTS (`first-last`) when set,
    in turn, else one the kernel picks."""
    spec = os.environ.get("AOF_PORTS")
    if spec:
        first, last = (int(x) for x in spec.split("-"))
        if _next_in_range[0] is None:
            _next_in_range[0] = first
        for _ in range(last - first + 1):
            port = _next_in_range[0]
            _next_in_range[0] = first + (port + 1 - first) % (last - first + 1)
            probe = socket.socket()
            # As the servers' listeners do: connections of an earlier
            # server left in TIME_WAIT do not make the port busy.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
            finally:
                probe.close()
        raise RuntimeError("no free port in AOF_PORTS=" + spec)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ferredis_bin():
    return os.environ.get("FERREDIS_BIN") or os.path.join(ROOT, "target", "release", "ferredis")


_started = []


@atexit.register
def _stop_leftovers():
    """A script that fails half way leaves no server of its own running."""
    for s in _started:
        if s.proc.poll() is None:
            s.kill()


class Server:
    """A server process in `dir`, killed by its own pid when stopped."""

    def __init__(self, kind, dir, *flags, port=None):
        self.kind, self.dir = kind, dir
        self.port = port or free_port()
        os.makedirs(dir, exist_ok=True)
        binary = "redis-server" if kind == "redis" else ferredis_bin()
        self.log = os.path.join(dir, kind + ".log")
        cmd = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
               "--dir", dir, "--logfile", self.log] + list(flags)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _started.append(self)
        deadline = time.time() + 30
        while True:
            try:
                c = Conn(self.port)
                if c.call("PING") == b"PONG":
                    c.close()
                    break
            except (OSError, ReplyError, ConnectionError):
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited during start-up:\n%s" % (kind, self.log_text()))
            if time.time() > deadline:
                raise RuntimeError("%s did not start" % kind)
            time.sleep(0.05)

    def log_text(self):
        try:
            return open(self.log).read()
        except OSError:
            return ""

    def conn(self):
        return Conn(self.port)

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        self.proc.wait()

    def shutdown(self):
        try:
            self.conn().call("SHUTDOWN")
        except (OSError, ConnectionError, ReplyError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def dump_dataset(c, databases=16):
    """Every key of every database, canonically: type, value, absolute
    expire time. Stream groups are described without idle times."""
    out = {}
    for db in range(databases):
        c.call("SELECT", db)
        cursor = b"0"
        keys = set()
        while True:
            cursor, batch = c.call("SCAN", cursor, "COUNT", 1000)
            keys.update(batch)
            if cursor == b"0":
                break
        for k in sorted(keys):
            t = c.call("TYPE", k)
            if t == b"string":
                v = c.call("GET", k)
            elif t == b"list":
                v = c.call("LRANGE", k, 0, -1)
            elif t == b"set":
                v = sorted(c.call("SMEMBERS", k))
            elif t == b"zset":
                v = c.call("ZRANGE", k, 0, -1, "WITHSCORES")
            elif t == b"hash":
                flat = c.call("HGETALL", k)
                v = sorted(zip(flat[::2], flat[1::2]))
            elif t == b"stream":
                info = c.call("XINFO", "STREAM", k)
                fields = dict(zip(info[::2], info[1::2]))
                groups = []
                for g in c.call("XINFO", "GROUPS", k):
                    gd = dict(zip(g[::2], g[1::2]))
                    pel = c.call("XPENDING", k, gd[b"name"], "-", "+", 100000)
                    consumers = [
                        (dict(zip(x[::2], x[1::2]))[b"name"], dict(zip(x[::2], x[1::2]))[b"pending"])
                        for x in c.call("XINFO", "CONSUMERS", k, gd[b"name"])
                    ]
                    groups.append((gd[b"name"], gd[b"last-delivered-id"], gd.get(b"entries-read"),
                                   [(p[0], p[1], p[3]) for p in pel], consumers))
                v = (c.call("XRANGE", k, "-", "+"), fields[b"last-generated-id"],
                     fields.get(b"entries-added"), fields.get(b"max-deleted-entry-id"), groups)
            else:
                v = None
            out[(db, k)] = (t, v, c.call("PEXPIRETIME", k))
    c.call("SELECT", 0)
    return out


def diff_datasets(a, b, names=("a", "b"), limit=10):
    """Lines describing where two dumps differ (empty when equal)."""
    lines = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            lines.append("%r: %s=%r %s=%r" % (key, names[0], a.get(key), names[1], b.get(key)))
            if len(lines) >= limit:
                lines.append("...")
                break
    return lines


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)
