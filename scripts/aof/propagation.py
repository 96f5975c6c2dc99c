#!/usr/bin/env python3
"""What ferredis appends to the AOF, compared with Redis 7.0 byte for byte.

Runs difftest (seeded random commands of each family, replies compared)
against a redis-server and a ferredis that both have appendonly yes, then
compares their incremental AOF files record by record. Absolute times
near the present (expire times, stream IDs and delivery times the clock
chose) are masked; everything else must be equal: how each command is
logged, SELECTs, MULTI/EXEC around transactions and around the
expirations a command caused, blocked clients served later. The sets
family is left out: SPOP logs the members it chose at random. Keys with
short TTLs may expire a moment apart on the two servers, so places where
the files differ only by expiry DELs (and the MULTI/EXEC around them)
are counted and reported, not failed.

Usage: scripts/aof/propagation.py DIFFTEST [--seeds 1,2] [--count N]
(AOF_PORTS=first-last keeps the servers on those ports; FERREDIS_BIN
overrides target/release/ferredis).
"""

import argparse
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, Server, fail  # noqa: E402

FAMILIES = ["strings", "keys", "server", "lists", "hashes", "zsets", "sort",
            "blocking", "streams", "notify", "tx"]


def records(dir):
    """The incremental file's commands, clock-chosen times masked."""
    path = sorted(glob.glob(os.path.join(dir, "appendonlydir", "*.incr.aof")))[-1]
    data = open(path, "rb").read()
    now = int(time.time() * 1000)
    data = re.sub(rb"\d{13}", lambda m: b"<T>" if abs(int(m.group(0)) - now) < 10**8 else m.group(0), data)
    # An ID the clock chose: its sequence depends on whether the previous
    # one fell in the same millisecond.
    data = re.sub(rb"<T>-\d+", b"<T>-<seq>", data)
    return [r for r in re.split(rb"(?=\*\d+\r\n\$)", data) if r]


EXPIRY_RECORDS = (b"*2\r\n$3\r\nDEL\r\n", b"*2\r\n$6\r\nUNLINK\r\n",
                  b"*1\r\n$5\r\nMULTI\r\n", b"*1\r\n$4\r\nEXEC\r\n")


def expiry_timing(records):
    """Whether these records are all expiry deletions or MULTI/EXEC."""
    return all(r.startswith(EXPIRY_RECORDS) for r in records)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("difftest")
    p.add_argument("--seeds", default="1")
    p.add_argument("--count", type=int, default=2000)
    args = p.parse_args()
    allowlist = os.path.join(ROOT, "scripts", "compat-allowlist.txt")
    work = tempfile.mkdtemp(prefix="ferredis-aof-propagation-")
    total = 0
    try:
        for seed in args.seeds.split(","):
            # One run over every family: difftest flushes between them, and
            # its protocol checks cost a fixed time per run.
            flags = ["--appendonly", "yes", "--appendfsync", "no"]
            r = Server("redis", os.path.join(work, "redis-" + seed), *flags)
            f = Server("ferredis", os.path.join(work, "ferredis-" + seed), *flags)
            try:
                out = subprocess.run(
                    [args.difftest, "--redis", "127.0.0.1:%d" % r.port,
                     "--ferredis", "127.0.0.1:%d" % f.port, "--seeds", seed,
                     "--count", str(args.count), "--families", ",".join(FAMILIES),
                     "--allowlist", allowlist],
                    capture_output=True, text=True)
                if out.returncode != 0:
                    fail("difftest seed %s failed:\n%s" % (seed, out.stdout[-3000:]))
                time.sleep(0.2)
                a, b = records(r.dir), records(f.dir)
            finally:
                r.kill()
                f.kill()
            blocks = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                      if op[0] != "equal"]
            timing = [op for op in blocks if expiry_timing(a[op[1]:op[2]] + b[op[3]:op[4]])]
            blocks = [op for op in blocks if op not in timing]
            if blocks:
                _, i1, i2, j1, j2 = blocks[0]
                fail("seed %s: the AOFs differ (%d places), first, after %r:\n  redis:    %r\n  ferredis: %r" % (
                    seed, len(blocks), b"".join(a[max(0, i1 - 3):i1])[-300:],
                    b"".join(a[i1:i2])[:600], b"".join(b[j1:j2])[:600]))
            total += len(a)
            print("ok  seed %s: %d records identical (%s)%s" % (
                seed, len(a), ",".join(FAMILIES),
                "; %d places differ by expiry timing only" % len(timing) if timing else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("propagation: %d AOF records identical to Redis's" % total)


if __name__ == "__main__":
    main()
