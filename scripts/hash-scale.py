#!/usr/bin/env python3
"""Quick no-quadratic check of the hash commands on a 1,000,000-field hash.

Usage: scripts/hash-scale.py PORT [PORT...]   (servers on 127.0.0.1)

Prints the time of each phase, and for the growing/shrinking phases the
time of each tenth, which must stay roughly flat: a command that is
quadratic in the hash size shows up as tenths that keep growing. Run it
against redis-server too and compare. Not a test: it asserts only that the
replies make sense (counts, sizes), never a timing.
"""

import socket
import sys
import time

N = 1_000_000
BATCH = 1000  # fields per HSET / HDEL / HMGET


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    """A minimal RESP2 client; reads through an offset into its buffer so
    that a reply of millions of elements is parsed in linear time."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.pos = 0

    def _fill(self):
        chunk = self.s.recv(1 << 22)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0

    def _line(self):
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                line, self.pos = self.buf[self.pos:end], end + 2
                return line
            self._fill()

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return int(rest) if kind == b":" else rest
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) - self.pos < n + 2:
                self._fill()
            data = self.buf[self.pos:self.pos + n]
            self.pos += n + 2
            return data
        if kind == b"*":
            return [self.read() for _ in range(int(rest))]
        raise RuntimeError("unexpected reply %r" % line)

    def pipeline(self, cmds):
        self.s.sendall(b"".join(encode(c) for c in cmds))
        return [self.read() for _ in cmds]

    def call(self, *args):
        return self.pipeline([args])[0]


def tenths(label, conn, make_cmds):
    """Runs N/BATCH commands in ten timed groups; prints each group's time."""
    per = N // BATCH // 10
    times = []
    t0 = time.perf_counter()
    for tenth in range(10):
        t = time.perf_counter()
        start = tenth * per
        for b in range(start, start + per, 50):
            conn.pipeline([make_cmds(i) for i in range(b, min(b + 50, start + per))])
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - t0
    print("  %-28s %6.2fs  tenths: %s" % (label, total, " ".join("%.2f" % x for x in times)))


def fields(i):
    return [b"field:%d" % j for j in range(i * BATCH, (i + 1) * BATCH)]


def run(port):
    c = Conn(port)
    print("port %d:" % port)
    c.call("DEL", "big")

    def hset(i):
        cmd = ["HSET", "big"]
        for f in fields(i):
            cmd += [f, b"v" + f]
        return cmd

    tenths("HSET 1,000,000 fields", c, hset)
    assert c.call("HLEN", "big") == N
    print("  encoding:", c.call("OBJECT", "ENCODING", "big").decode())

    t = time.perf_counter()
    for b in range(0, 100_000, 1000):
        replies = c.pipeline([["HGET", "big", b"field:%d" % (i * 7 % N)] for i in range(b, b + 1000)])
        assert all(r is not None for r in replies)
    print("  %-28s %6.2fs" % ("100,000 HGET", time.perf_counter() - t))

    tenths("HMGET 1000 fields x1000", c, lambda i: ["HMGET", "big"] + fields(i))

    t = time.perf_counter()
    cursor, seen, calls = b"0", 0, 0
    while True:
        cursor, items = c.call("HSCAN", "big", cursor, "COUNT", "100")
        seen += len(items) // 2
        calls += 1
        if cursor == b"0":
            break
    assert seen >= N
    print("  %-28s %6.2fs  (%d calls, %d fields)" % ("HSCAN to completion", time.perf_counter() - t, calls, seen))

    for args in (["HRANDFIELD", "big", 1000], ["HRANDFIELD", "big", 300_000],
                 ["HRANDFIELD", "big", 900_000], ["HRANDFIELD", "big", 2_000_000],
                 ["HRANDFIELD", "big", -1_000_000], ["HRANDFIELD", "big", 500_000, "WITHVALUES"],
                 ["HRANDFIELD", "big", -500_000, "WITHVALUES"]):
        t = time.perf_counter()
        reply = c.call(*args)
        want = min(abs(args[2]), N) * (2 if len(args) > 3 else 1)
        assert len(reply) == want, (args, len(reply))
        print("  %-28s %6.2fs" % (" ".join(str(a) for a in args), time.perf_counter() - t))

    t = time.perf_counter()
    assert len(c.call("HGETALL", "big")) == 2 * N
    print("  %-28s %6.2fs" % ("HGETALL", time.perf_counter() - t))

    tenths("HDEL 1,000,000 fields", c, lambda i: ["HDEL", "big"] + fields(i))
    assert c.call("EXISTS", "big") == 0


if __name__ == "__main__":
    for p in sys.argv[1:] or ["6379"]:
        run(int(p))
