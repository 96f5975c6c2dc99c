#!/usr/bin/env python3
"""AOF interoperability with Redis 7.0 in both directions.

For each writer (redis-server, ferredis) and each base format
(aof-use-rdb-preamble yes and no): the writer, with appendonly yes, gets
every type of value (binary and large ones included, several databases,
expire times), through commands whose AOF form is rewritten (SET EX,
INCRBYFLOAT, SPOP, LMPOP, XREADGROUP, ...), then a BGREWRITEAOF, then more
writes that land in the incremental file. Its appendonlydir is then
copied to a fresh directory for each reader (redis-server, ferredis),
which starts with appendonly yes; the reader's data set must equal the
writer's key by key (type, value, absolute expire time, stream groups;
the groups' entries-read counter excepted, which Redis 7.0's own XCLAIM
propagation does not carry), and the two readers' data sets must be
equal to each other exactly.
A pre-7 single appendonly.aof (commands alone, and after an RDB preamble)
is also loaded by both (the upgrade path).

Usage: scripts/aof/interop.py [--keys N]   (AOF_PORTS=first-last keeps
the servers on those ports; FERREDIS_BIN overrides the binary,
target/release/ferredis by default)
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Server, diff_datasets, dump_dataset, fail  # noqa: E402

HOUR_MS = 3600 * 1000


def writes(c, rnd, n, tag):
    """n rounds of writes of every type, some with expire times."""
    now_ms = int(time.time() * 1000)
    cmds = []
    for i in range(n):
        k = "%s:%d" % (tag, i)
        blob = bytes(rnd.randrange(256) for _ in range(rnd.choice([1, 8, 40])))
        cmds += [
            ["SELECT", i % 3],
            ["SET", k + ":s", blob],
            ["SET", k + ":ex", "v%d" % i, "EX", 3600 + i],
            ["SET", k + ":int", i * 1000003],
            ["INCRBYFLOAT", k + ":f", "%d.25" % i],
            ["APPEND", k + ":s", b"\r\n\x00tail"],
            ["RPUSH", k + ":l"] + ["e%d" % j for j in range(i % 7 + 1)] + [blob],
            ["LMPOP", "1", k + ":l", "LEFT", "COUNT", "1"],
            ["SADD", k + ":set"] + [str(j * 7) for j in range(i % 9 + 2)],
            ["SADD", k + ":sset"] + ["m%d" % j for j in range(i % 5 + 3)],
            ["SPOP", k + ":sset"],
            ["ZADD", k + ":z"] + sum([[str(j * 1.5), "z%d" % j] for j in range(i % 6 + 1)], []),
            ["ZINCRBY", k + ":z", "0.1", "z0"],
            ["HSET", k + ":h", "a", blob, "b", str(i)],
            ["HINCRBYFLOAT", k + ":h", "c", "1.5"],
            ["PEXPIREAT", k + ":h", now_ms + 2 * HOUR_MS + i],
            ["EXPIRE", k + ":z", 7200],
            ["XADD", k + ":x", "*", "f", "v%d" % i, "g", blob],
            ["XADD", k + ":x", "MAXLEN", "~", "1000", "*", "f", "w"],
        ]
        if i % 10 == 0:
            cmds += [
                ["SET", k + ":big", ("%d-" % i) * 5000],
                ["RPUSH", k + ":bigl"] + ["x%d" % j for j in range(300)],
                ["HSET", k + ":bigh"] + sum([["f%d" % j, "v" * (j % 80)] for j in range(200)], []),
                ["ZADD", k + ":bigz"] + sum([[str(j), "m%d" % j] for j in range(200)], []),
                ["SADD", k + ":bigs"] + ["member-%d" % j for j in range(600)],
            ]
        if i % 25 == 0:
            cmds += [
                ["XGROUP", "CREATE", k + ":x", "g1", "0"],
                ["XGROUP", "CREATE", k + ":x", "g2", "0"],
                ["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "1", "STREAMS", k + ":x", ">"],
                ["XREADGROUP", "GROUP", "g2", "bob", "NOACK", "STREAMS", k + ":x", ">"],
                ["XGROUP", "CREATECONSUMER", k + ":x", "g1", "carol"],
                ["XADD", k + ":x2", "MAXLEN", "0", "1-1", "a", "b"],
            ]
    cmds.append(["SELECT", 0])
    for r in c.pipeline(cmds):
        if isinstance(r, Exception) and "BUSYGROUP" not in str(r):
            fail("write failed: %s" % r)


def without_entries_read(dataset):
    """The dump with stream groups' entries-read left out."""
    out = {}
    for key, (t, v, ttl) in dataset.items():
        if t == b"stream":
            entries, last, added, maxdel, groups = v
            v = (entries, last, added, maxdel, [(g[0], g[1], None, g[3], g[4]) for g in groups])
        out[key] = (t, v, ttl)
    return out


def wait_rewrite(c):
    for _ in range(600):
        info = c.call("INFO", "persistence").decode()
        if "aof_rewrite_in_progress:0" in info and "aof_rewrite_scheduled:0" in info:
            return
        time.sleep(0.05)
    fail("BGREWRITEAOF did not finish")


def run(args):
    work = tempfile.mkdtemp(prefix="ferredis-aof-interop-")
    checks = 0
    try:
        for writer in ("redis", "ferredis"):
            for preamble in ("yes", "no"):
                wdir = os.path.join(work, "w-%s-%s" % (writer, preamble))
                s = Server(writer, wdir, "--appendonly", "yes", "--aof-use-rdb-preamble", preamble)
                c = s.conn()
                rnd = random.Random(7)
                writes(c, rnd, args.keys, "a")
                c.call("BGREWRITEAOF")
                wait_rewrite(c)
                writes(c, rnd, args.keys // 2, "b")
                expected = dump_dataset(c)
                c.close()
                s.shutdown()
                files = sorted(os.listdir(os.path.join(wdir, "appendonlydir")))
                loaded = {}
                for reader in ("redis", "ferredis"):
                    rdir = os.path.join(work, "r-%s-%s-%s" % (writer, preamble, reader))
                    shutil.copytree(os.path.join(wdir, "appendonlydir"), os.path.join(rdir, "appendonlydir"))
                    r = Server(reader, rdir, "--appendonly", "yes")
                    got = dump_dataset(r.conn())
                    r.shutdown()
                    loaded[reader] = got
                    lines = diff_datasets(without_entries_read(expected), without_entries_read(got), (writer, reader))
                    if lines:
                        fail("%s -> %s (preamble %s) differ:\n  %s" % (writer, reader, preamble, "\n  ".join(lines)))
                    checks += 1
                    print("ok  %-8s -> %-8s preamble=%-3s  %d keys  files %s" % (
                        writer, reader, preamble, len(expected), " ".join(files)))
                lines = diff_datasets(loaded["redis"], loaded["ferredis"], ("redis", "ferredis"))
                if lines:
                    fail("redis and ferredis load %s's AOF (preamble %s) differently:\n  %s" % (
                        writer, preamble, "\n  ".join(lines)))
                checks += 1
                print("ok  redis and ferredis load %s's files (preamble %s) identically" % (writer, preamble))
        # A pre-7 single appendonly.aof in `dir` is moved into the AOF
        # directory and loaded: commands only, and an RDB preamble (made by
        # Redis's SAVE) followed by commands.
        tail = b"".join(
            b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n" % (len(k), k)
            for k in (b"old:%d" % i for i in range(100)))
        tail += b"*3\r\n$9\r\nPEXPIREAT\r\n$5\r\nold:1\r\n$13\r\n%d\r\n" % (int(time.time() * 1000) + HOUR_MS)
        tail += b"*2\r\n$4\r\nINCR\r\n$3\r\nrdb\r\n"
        sdir = os.path.join(work, "preamble")
        s = Server("redis", sdir)
        c = s.conn()
        c.call("SET", "rdb", "41")
        writes(c, random.Random(3), 20, "p")
        c.call("SAVE")
        c.close()
        s.shutdown()
        preamble = open(os.path.join(sdir, "dump.rdb"), "rb").read()
        for label, old in (("commands", tail), ("RDB preamble", preamble + tail)):
            results = {}
            for reader in ("redis", "ferredis"):
                rdir = os.path.join(work, "old-%s-%s" % (reader, len(old)))
                os.makedirs(rdir)
                open(os.path.join(rdir, "appendonly.aof"), "wb").write(old)
                r = Server(reader, rdir, "--appendonly", "yes")
                results[reader] = dump_dataset(r.conn())
                r.shutdown()
                manifest = open(os.path.join(rdir, "appendonlydir", "appendonly.aof.manifest")).read()
                results[reader + "-manifest"] = manifest
            lines = diff_datasets(results["redis"], results["ferredis"], ("redis", "ferredis"))
            if lines or results["redis-manifest"] != results["ferredis-manifest"]:
                fail("old-style AOF (%s) loads differently:\n  %s\n%r\n%r" % (
                    label, "\n  ".join(lines), results["redis-manifest"], results["ferredis-manifest"]))
            checks += 1
            print("ok  pre-7 appendonly.aof (%s) upgraded alike: %d keys, manifest %r" % (
                label, len(results["redis"]), results["redis-manifest"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("interop: %d checks passed" % checks)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--keys", type=int, default=200)
    run(p.parse_args())
