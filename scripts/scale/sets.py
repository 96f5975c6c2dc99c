#!/usr/bin/env python3
"""Times the set commands that touch many members, at two sizes, to show
none of them is accidentally quadratic: going from N/4 to N members should
cost about 4x (a little more for cache misses), not 16x.

Usage: scripts/scale/sets.py PORT [--n N] [--pid PID]   (N defaults to 1,000,000)

With the server's PID (same machine) the times are the server's CPU time
(user + system, from /proc), which neither this client's own parsing nor
other load on the machine inflates; without it they are wall-clock times.

Run it against ferredis and against redis-server alike and compare. Not a
timed test: nothing is asserted about the times. It overwrites the keys
scale:* on the server at 127.0.0.1:PORT.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from resp import CPU_TICK, Conn, clock, options


def load(c, key, members, per_cmd=1000):
    c.call("DEL", key)
    cmds = [
        ["SADD", key] + members[i : i + per_cmd]
        for i in range(0, len(members), per_cmd)
    ]
    c.pipeline(cmds, batch=20)


def run(c, n, pid):
    r = {}

    def timed(label, f):
        t = clock(pid)
        f()
        r[label] = clock(pid) - t
        print(f"  {label}: {r[label]:.3f}s", file=sys.stderr, flush=True)

    ints = [str(i) for i in range(n)]
    strs = [f"m:{i}" for i in range(n)]
    # Members shared by the two string sets: every other one.
    other = [f"m:{i}" for i in range(0, 2 * n, 2)]

    timed("SADD n strings (1000 a command)", lambda: load(c, "scale:a", strs))
    timed("SADD n integers (1000 a command)", lambda: load(c, "scale:i", ints))
    timed("SADD n/4 one at a time", lambda: c.pipeline([["SADD", "scale:one", m] for m in strs[: n // 4]]))
    load(c, "scale:b", other)
    timed("SINTER a b", lambda: c.call("SINTER", "scale:a", "scale:b"))
    timed("SINTERCARD 2 a b", lambda: c.call("SINTERCARD", 2, "scale:a", "scale:b"))
    timed("SUNIONSTORE u a b", lambda: c.call("SUNIONSTORE", "scale:u", "scale:a", "scale:b"))
    timed("SDIFFSTORE d a b", lambda: c.call("SDIFFSTORE", "scale:d", "scale:a", "scale:b"))
    timed("SMEMBERS a", lambda: c.call("SMEMBERS", "scale:a"))
    timed("SRANDMEMBER a n/2", lambda: c.call("SRANDMEMBER", "scale:a", n // 2))
    timed("SRANDMEMBER a 9n/10", lambda: c.call("SRANDMEMBER", "scale:a", n * 9 // 10))
    timed("SRANDMEMBER a -n", lambda: c.call("SRANDMEMBER", "scale:a", -n))

    def sscan_all():
        cursor, seen = b"0", 0
        while True:
            cursor, items = c.call("SSCAN", "scale:a", cursor, "COUNT", 100)
            seen += len(items)
            if cursor == b"0":
                break
        assert seen >= n, seen

    timed("SSCAN a to completion (COUNT 100)", sscan_all)
    c.call("COPY", "scale:a", "scale:p1", "REPLACE")
    c.call("COPY", "scale:a", "scale:p2", "REPLACE")
    timed("SPOP copy n/10", lambda: c.call("SPOP", "scale:p1", n // 10))
    timed("SPOP copy 9n/10", lambda: c.call("SPOP", "scale:p2", n * 9 // 10))

    def pop_all():
        c.pipeline([["SPOP", "scale:a"] for _ in range(n)])
        assert c.call("EXISTS", "scale:a") == 0

    timed("SPOP one at a time until empty", pop_all)

    def pop_ints():
        c.pipeline([["SPOP", "scale:i"] for _ in range(n)])
        assert c.call("EXISTS", "scale:i") == 0

    timed("SPOP integers one at a time until empty", pop_ints)
    c.call("DEL", "scale:a", "scale:b", "scale:i", "scale:one", "scale:u", "scale:d", "scale:p1", "scale:p2")
    return r


def main():
    opts = options(__doc__)
    n, pid = opts.n, opts.pid
    c = Conn(opts.port)
    small, big = run(c, n // 4, pid), run(c, n, pid)
    unit = "cpu s" if pid else "s"
    # A ratio treats a CPU time under one tick (it reads as 0) as that tick.
    floor = CPU_TICK if pid else 1e-9
    print(f"{'operation':44} {'N/4 ' + unit:>9} {'N ' + unit:>9} {'ratio':>6}")
    for label, t in big.items():
        s = small[label]
        print(f"{label:44} {s:9.2f} {t:9.2f} {max(t, floor) / max(s, floor):6.1f}")


if __name__ == "__main__":
    main()
