#!/usr/bin/env python3
"""Checks that list commands do not slow down with the length of the list.

Builds a list of 1,000 and one of 1,000,000 elements on a running server,
times commands that Redis runs in O(1) or O(S) near the ends or on a small
window (LINDEX/LSET near both ends, LRANGE of a small window in the middle,
an LPUSH/RPOP loop, LMOVE between the two ends, LLEN), and prints the time
per call on each list. A command whose cost grows with the list shows up
as a large ratio; anything over RATIO_LIMIT is reported.

This is a quick look at complexity, not a timed test: run it against
ferredis and against redis-server and compare the columns.

Usage: scripts/list-scaling.py [-p PORT] [-H HOST]
"""

import argparse
import socket
import time

SMALL, BIG = 1_000, 1_000_000
# LRANGE in the middle walks nodes from the nearer end in Redis too; only a
# cost per element would be out of line.
RATIO_LIMIT = 20.0


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            data = self.sock.recv(1 << 20)
            if not data:
                raise EOFError("server closed the connection")
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind = line[:1]
        if kind == b"-":
            raise RuntimeError(line.decode(errors="replace"))
        if kind == b"$" and line != b"$-1":
            n = int(line[1:])
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 20)
            value, self.buf = self.buf[:n], self.buf[n + 2:]
            return value
        if kind == b"*" and line != b"*-1":
            return [self._reply() for _ in range(int(line[1:]))]
        return line

    def call(self, *args):
        self.sock.sendall(encode(args))
        return self._reply()

    def pipeline(self, commands):
        self.sock.sendall(b"".join(encode(c) for c in commands))
        return [self._reply() for _ in commands]


def fill(conn, key, n):
    conn.call("DEL", key)
    batch = 1000
    commands = []
    for start in range(0, n, batch):
        commands.append(["RPUSH", key] + ["e%d" % i for i in range(start, min(n, start + batch))])
        if len(commands) == 100:
            conn.pipeline(commands)
            commands = []
    if commands:
        conn.pipeline(commands)
    assert int(conn.call("LLEN", key)[1:]) == n


def per_call(conn, commands, rounds=2000):
    """Microseconds per call, pipelined in groups so network time stays small."""
    start = time.perf_counter()
    for i in range(0, rounds, 100):
        conn.pipeline([commands(j) for j in range(i, i + 100)])
    return (time.perf_counter() - start) / rounds * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-p", "--port", type=int, default=6379)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    opts = parser.parse_args()
    conn = Conn(opts.host, opts.port)

    # In order: LINSERT first, while its pivot e0 is still at the head.
    checks = {
        "LINSERT near head": lambda k, n: lambda j: (
            ["LINSERT", k, "BEFORE", "e0", "i"] if j % 2 == 0 else ["LREM", k, 1, "i"]
        ),
        "LINDEX 0": lambda k, n: lambda j: ["LINDEX", k, j % 5],
        "LINDEX -1": lambda k, n: lambda j: ["LINDEX", k, -1 - j % 5],
        "LINDEX 100": lambda k, n: lambda j: ["LINDEX", k, 100 + j % 5],
        "LINDEX -100": lambda k, n: lambda j: ["LINDEX", k, -100 - j % 5],
        "LSET 1": lambda k, n: lambda j: ["LSET", k, 1, "s%d" % j],
        "LSET -2": lambda k, n: lambda j: ["LSET", k, -2, "s%d" % j],
        "LRANGE mid 10": lambda k, n: lambda j: ["LRANGE", k, n // 2, n // 2 + 9],
        "LRANGE 0 9": lambda k, n: lambda j: ["LRANGE", k, 0, 9],
        "LRANGE -10 -1": lambda k, n: lambda j: ["LRANGE", k, -10, -1],
        "LPUSH+RPOP": lambda k, n: lambda j: ["LPUSH", k, "p%d" % j] if j % 2 == 0 else ["RPOP", k],
        "RPUSH+LPOP": lambda k, n: lambda j: ["RPUSH", k, "p%d" % j] if j % 2 == 0 else ["LPOP", k],
        "LMOVE k k LEFT RIGHT": lambda k, n: lambda j: ["LMOVE", k, k, "LEFT", "RIGHT"],
        "LLEN": lambda k, n: lambda j: ["LLEN", k],
    }
    keys = {SMALL: "scaling:small", BIG: "scaling:big"}
    for n, key in keys.items():
        fill(conn, key, n)

    print(f"{'command':24} {'us/call @1e3':>14} {'us/call @1e6':>14} {'ratio':>8}")
    worst = []
    for name, make in checks.items():
        small = per_call(conn, make(keys[SMALL], SMALL))
        big = per_call(conn, make(keys[BIG], BIG))
        ratio = big / small if small > 0 else float("inf")
        flag = "  <-- grows with the list" if ratio > RATIO_LIMIT else ""
        print(f"{name:24} {small:14.2f} {big:14.2f} {ratio:8.2f}{flag}")
        if flag:
            worst.append(name)
    conn.call("DEL", *keys.values())
    if worst:
        print("suspect:", ", ".join(worst))
        raise SystemExit(1)
    print("no command grew with the list length beyond", RATIO_LIMIT, "x")


if __name__ == "__main__":
    main()
