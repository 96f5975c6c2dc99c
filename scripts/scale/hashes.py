#!/usr/bin/env python3
"""Quick no-quadratic check of the hash commands on an N-field hash.

Usage: scripts/scale/hashes.py PORT [--n N] [--pid PID]   (N defaults to 1,000,000)

Prints the time of each phase, and for the growing/shrinking phases the
time of each tenth, which must stay roughly flat: a command that is
quadratic in the hash size shows up as tenths that keep growing. With
--pid the times are the server's CPU seconds. Run it against redis-server
too and compare. Not a test: it asserts only that the replies make sense
(counts, sizes), never a timing. It overwrites the key `big`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from resp import Conn, clock, options

BATCH = 1000  # fields per HSET / HDEL / HMGET


def main():
    opts = options(__doc__)
    n, pid = opts.n, opts.pid
    batches = -(-n // BATCH)  # the last one may be short
    c = Conn(opts.port)
    print("port %d (%s):" % (opts.port, "server CPU seconds" if pid else "wall seconds"))
    c.call("DEL", "big")

    def tenths(label, make_cmd):
        """Runs make_cmd(i) for each batch, 50 pipelined at a time, in ten
        timed groups; prints each group's time."""
        times = []
        t0 = clock(pid)
        for tenth in range(10):
            t = clock(pid)
            lo, hi = batches * tenth // 10, batches * (tenth + 1) // 10
            for b in range(lo, hi, 50):
                c.pipeline([make_cmd(i) for i in range(b, min(b + 50, hi))])
            times.append(clock(pid) - t)
        total = clock(pid) - t0
        print("  %-28s %6.2fs  tenths: %s" % (label, total, " ".join("%.2f" % x for x in times)))

    def fields(i):
        return [b"field:%d" % j for j in range(i * BATCH, min((i + 1) * BATCH, n))]

    def hset(i):
        cmd = ["HSET", "big"]
        for f in fields(i):
            cmd += [f, b"v" + f]
        return cmd

    tenths(f"HSET {n:,} fields", hset)
    assert c.call("HLEN", "big") == n
    print("  encoding:", c.call("OBJECT", "ENCODING", "big").decode())

    t = clock(pid)
    replies = c.pipeline([["HGET", "big", b"field:%d" % (i * 7 % n)] for i in range(n // 10)])
    assert all(r is not None for r in replies)
    print("  %-28s %6.2fs" % (f"{n // 10:,} HGET", clock(pid) - t))

    tenths(f"HMGET {BATCH} fields x{batches}", lambda i: ["HMGET", "big"] + fields(i))

    t = clock(pid)
    cursor, seen, calls = b"0", 0, 0
    while True:
        cursor, items = c.call("HSCAN", "big", cursor, "COUNT", "100")
        seen += len(items) // 2
        calls += 1
        if cursor == b"0":
            break
    assert seen >= n
    print("  %-28s %6.2fs  (%d calls, %d fields)" % ("HSCAN to completion", clock(pid) - t, calls, seen))

    for args in (["HRANDFIELD", "big", 1000], ["HRANDFIELD", "big", n * 3 // 10],
                 ["HRANDFIELD", "big", n * 9 // 10], ["HRANDFIELD", "big", 2 * n],
                 ["HRANDFIELD", "big", -n], ["HRANDFIELD", "big", n // 2, "WITHVALUES"],
                 ["HRANDFIELD", "big", -(n // 2), "WITHVALUES"]):
        t = clock(pid)
        reply = c.call(*args)
        want = min(abs(args[2]), n) * (2 if len(args) > 3 else 1)
        assert len(reply) == want, (args, len(reply))
        print("  %-28s %6.2fs" % (" ".join(str(a) for a in args), clock(pid) - t))

    t = clock(pid)
    assert len(c.call("HGETALL", "big")) == 2 * n
    print("  %-28s %6.2fs" % ("HGETALL", clock(pid) - t))

    tenths(f"HDEL {n:,} fields", lambda i: ["HDEL", "big"] + fields(i))
    assert c.call("EXISTS", "big") == 0


if __name__ == "__main__":
    main()
