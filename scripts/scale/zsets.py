#!/usr/bin/env python3
"""No-quadratic check for sorted sets: loads an N-member set with
spread scores (bigz) and one with all scores 0 (lexz), then times rank,
range, count, removal and pop commands in the middle of them. Run it
against ferredis and redis-server alike and compare: every per-command
time should stay flat (no command may cost O(n) where Redis's is O(log n)).
With --pid the times are the server's CPU time. Not a timed test: nothing
is asserted about the times.

Usage: scripts/scale/zsets.py PORT [--n N] [--pid PID]   (N defaults to 1,000,000)
The server's data is flushed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from resp import Conn, clock, options


def main():
    opts = options(__doc__)
    n, pid = opts.n, opts.pid
    c = Conn(opts.port)
    unit = "cpu ms" if pid else "ms"

    def timed(name, cmds):
        t = clock(pid)
        last = c.pipeline(cmds)[-1]
        dt = clock(pid) - t
        print(f"{name:45s} {len(cmds):7d} cmds {dt*1000:9.1f} {unit:6s} {dt/len(cmds)*1e6:8.1f} us/cmd  last={last!r:.40}")

    def m(i):
        return "member:%07d" % i

    # Scores spread over 0..1,000,002 whatever N is, so the score windows
    # below are always mid-set.
    timed("FLUSHALL", [["FLUSHALL"]])
    for key, score in (("bigz", lambda i: (i * 7919) % 1000003), ("lexz", lambda i: 0)):
        cmds = []
        for start in range(0, n, 100):
            cmd = ["ZADD", key]
            for i in range(start, min(start + 100, n)):
                cmd += [score(i), m(i)]
            cmds.append(cmd)
        timed(f"load {key}: ZADD 100 members x{len(cmds)}", cmds)
    mid, tenth = n // 2, n // 10
    timed("ZCARD", [["ZCARD", "bigz"]])
    timed("ZRANK 1000 members", [["ZRANK", "bigz", m(i * 997 % n)] for i in range(1000)])
    timed("ZSCORE 1000 members", [["ZSCORE", "bigz", m(i * 997 % n)] for i in range(1000)])
    timed(f"ZRANGE rank window {mid}..{mid + 99} x100", [["ZRANGE", "bigz", mid, mid + 99, "WITHSCORES"]] * 100)
    timed("ZRANGE BYSCORE mid LIMIT 0 100 x100", [["ZRANGE", "bigz", "500000", "+inf", "BYSCORE", "LIMIT", "0", "100"]] * 100)
    timed("ZRANGE BYSCORE REV mid LIMIT 0 100 x100", [["ZRANGE", "bigz", "500000", "-inf", "BYSCORE", "REV", "LIMIT", "0", "100"]] * 100)
    timed("ZCOUNT mid x100", [["ZCOUNT", "bigz", "250000", "750000"]] * 100)
    timed("ZRANGE BYLEX mid LIMIT 0 100 x100", [["ZRANGE", "lexz", "[" + m(mid), "+", "BYLEX", "LIMIT", "0", "100"]] * 100)
    timed("ZLEXCOUNT mid x100", [["ZLEXCOUNT", "lexz", "[" + m(n // 4), "(" + m(n * 3 // 4)]] * 100)
    timed("ZREVRANK 1000", [["ZREVRANK", "lexz", m(i * 991 % n)] for i in range(1000)])
    timed(f"ZREMRANGEBYRANK {4 * tenth}..{4 * tenth + 999}", [["ZREMRANGEBYRANK", "bigz", 4 * tenth, 4 * tenth + 999]])
    timed("ZREMRANGEBYSCORE 600000..601000", [["ZREMRANGEBYSCORE", "bigz", "600000", "601000"]])
    timed("ZREMRANGEBYLEX 1000 mid", [["ZREMRANGEBYLEX", "lexz", "[" + m(6 * tenth), "(" + m(6 * tenth + 1000)]])
    timed(f"ZADD {tenth} new members", [["ZADD", "bigz", i, "new:%d" % i] for i in range(tenth)])
    timed(f"ZINCRBY {tenth}", [["ZINCRBY", "bigz", "1.5", m(i)] for i in range(0, n, 10)])
    timed(f"ZPOPMIN loop {tenth}", [["ZPOPMIN", "bigz"]] * tenth)
    timed(f"ZPOPMAX loop {tenth}", [["ZPOPMAX", "lexz"]] * tenth)
    timed(f"ZREM {tenth}", [["ZREM", "lexz", m(i)] for i in range(tenth)])
    timed("ZCARD", [["ZCARD", "bigz"]])


if __name__ == "__main__":
    main()
