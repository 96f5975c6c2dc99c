#!/usr/bin/env python3
"""Checks that list commands do not slow down with the length of the list.

Builds a list of 1,000 and one of N elements on a running server,
times commands that Redis runs in O(1) or O(S) near the ends or on a small
window (LINDEX/LSET near both ends, LRANGE of a small window in the middle,
an LPUSH/RPOP loop, LMOVE between the two ends, LLEN), and prints the time
per call on each list. A command whose cost grows with the list shows up
as a large ratio; anything over RATIO_LIMIT is reported.

This is a quick look at complexity, not a timed test: run it against
ferredis and against redis-server and compare the columns. With --pid the
times are the server's CPU time. It overwrites the keys scaling:*.

Usage: scripts/scale/lists.py PORT [--n N] [--pid PID]   (N defaults to 1,000,000)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from resp import CPU_TICK, Conn, clock, options

SMALL = 1_000
# LRANGE in the middle walks nodes from the nearer end in Redis too; only a
# cost per element would be out of line.
RATIO_LIMIT = 20.0


def fill(conn, key, n):
    conn.call("DEL", key)
    conn.pipeline(
        [["RPUSH", key] + ["e%d" % i for i in range(start, min(n, start + 1000))] for start in range(0, n, 1000)],
        batch=100,
    )
    assert conn.call("LLEN", key) == n


def per_call(conn, commands, rounds, pid):
    """Microseconds per call, pipelined in groups so network time stays small."""
    start = clock(pid)
    for i in range(0, rounds, 100):
        conn.pipeline([commands(j) for j in range(i, i + 100)])
    return (clock(pid) - start) / rounds * 1e6


def main():
    opts = options(__doc__)
    big, pid = opts.n, opts.pid
    conn = Conn(opts.port)
    # The server's CPU time counts in 10 ms ticks: more calls are needed to
    # see anything, and a ratio treats a time under one tick as that tick.
    rounds = 20_000 if pid else 2_000
    floor = CPU_TICK / rounds * 1e6 if pid else 1e-9

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
    keys = {SMALL: "scaling:small", big: "scaling:big"}
    for n, key in keys.items():
        fill(conn, key, n)

    unit = "cpu us/call" if pid else "us/call"
    print(f"{'command':24} {f'{unit} @{SMALL}':>20} {f'{unit} @{big}':>20} {'ratio':>8}")
    worst = []
    for name, make in checks.items():
        t_small = per_call(conn, make(keys[SMALL], SMALL), rounds, pid)
        t_big = per_call(conn, make(keys[big], big), rounds, pid)
        ratio = max(t_big, floor) / max(t_small, floor)
        flag = "  <-- grows with the list" if ratio > RATIO_LIMIT else ""
        print(f"{name:24} {t_small:20.2f} {t_big:20.2f} {ratio:8.2f}{flag}")
        if flag:
            worst.append(name)
    conn.call("DEL", *keys.values())
    if worst:
        print("suspect:", ", ".join(worst))
        raise SystemExit(1)
    print("no command grew with the list length beyond", RATIO_LIMIT, "x")


if __name__ == "__main__":
    main()
