#!/usr/bin/env python3
"""No-quadratic check for sorted sets: loads a 1,000,000-member set with
spread scores (bigz) and one with all scores 0 (lexz), then times rank,
range, count, removal and pop commands in the middle of them. Run it
against ferredis and redis-server alike and compare: every per-command
time should stay flat (no command may cost O(n) where Redis's is O(log n)).

Usage: scripts/zset-scale-check.py PORT   (the server's data is flushed)
"""
import socket, sys, time
port = int(sys.argv[1])
N = 1_000_000
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
def enc(args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
def read():
    l = f.readline(); t = l[:1]
    if t in b"$":
        n = int(l[1:-2]); return l if n < 0 else l + f.read(n + 2)
    if t in b"*":
        n = int(l[1:-2]); return l + b"".join(read() for _ in range(max(n, 0)))
    return l
def timed(name, cmds):
    t = time.perf_counter()
    s.sendall(b"".join(enc([a.encode() if isinstance(a, str) else a for a in c]) for c in cmds))
    last = None
    for _ in cmds: last = read()
    dt = time.perf_counter() - t
    print(f"{name:45s} {len(cmds):7d} cmds {dt*1000:9.1f} ms  {dt/len(cmds)*1e6:8.1f} us/cmd  last={last[:40]!r}")
timed("FLUSHALL", [["FLUSHALL"]])
for key, score in (("bigz", lambda i: b"%d" % ((i * 7919) % 1000003)), ("lexz", lambda i: b"0")):
    cmds = []
    for start in range(0, N, 100):
        c = [b"ZADD", key.encode()]
        for i in range(start, start + 100):
            c += [score(i), b"member:%07d" % i]
        cmds.append(c)
    timed(f"load {key}: ZADD 100 members x{len(cmds)}", cmds)
timed("ZCARD", [["ZCARD", "bigz"]])
timed("ZRANK 1000 members", [["ZRANK", "bigz", "member:%07d" % (i * 997 % 1000000)] for i in range(1000)])
timed("ZSCORE 1000 members", [["ZSCORE", "bigz", "member:%07d" % (i * 997 % 1000000)] for i in range(1000)])
timed("ZRANGE rank window 500000..500099 x100", [["ZRANGE", "bigz", "500000", "500099", "WITHSCORES"]] * 100)
timed("ZRANGE BYSCORE mid LIMIT 0 100 x100", [["ZRANGE", "bigz", "500000", "+inf", "BYSCORE", "LIMIT", "0", "100"]] * 100)
timed("ZRANGE BYSCORE REV mid LIMIT 0 100 x100", [["ZRANGE", "bigz", "500000", "-inf", "BYSCORE", "REV", "LIMIT", "0", "100"]] * 100)
timed("ZCOUNT mid x100", [["ZCOUNT", "bigz", "250000", "750000"]] * 100)
timed("ZRANGE BYLEX mid LIMIT 0 100 x100", [["ZRANGE", "lexz", "[member:0500000", "+", "BYLEX", "LIMIT", "0", "100"]] * 100)
timed("ZLEXCOUNT mid x100", [["ZLEXCOUNT", "lexz", "[member:0250000", "(member:0750000"]] * 100)
timed("ZREVRANK 1000", [["ZREVRANK", "lexz", "member:%07d" % (i * 991 % 1000000)] for i in range(1000)])
timed("ZREMRANGEBYRANK 400000..400999", [["ZREMRANGEBYRANK", "bigz", "400000", "400999"]])
timed("ZREMRANGEBYSCORE 600000..601000", [["ZREMRANGEBYSCORE", "bigz", "600000", "601000"]])
timed("ZREMRANGEBYLEX 1000 mid", [["ZREMRANGEBYLEX", "lexz", "[member:0600000", "(member:0601000"]])
timed("ZADD 100000 new members", [["ZADD", "bigz", str(i), "new:%d" % i] for i in range(100000)])
timed("ZINCRBY 100000", [["ZINCRBY", "bigz", "1.5", "member:%07d" % i] for i in range(0, 1000000, 10)])
timed("ZPOPMIN loop 100000", [["ZPOPMIN", "bigz"]] * 100000)
timed("ZPOPMAX loop 100000", [["ZPOPMAX", "lexz"]] * 100000)
timed("ZREM 100000", [["ZREM", "lexz", "member:%07d" % i] for i in range(100000)])
timed("ZCARD", [["ZCARD", "bigz"]])
