#!/usr/bin/env python3
"""Crash test of ferredis's AOF: acknowledged writes survive SIGKILL.

Clients send INCRs and SETs and record every acknowledged reply while the
server is killed with SIGKILL at a random moment, then restarted on the
same directory, again and again:

  always          appendfsync always: after every restart each acknowledged
                  write must be there (an INCR counter is at least its last
                  acknowledged value, at most one more; every acknowledged
                  SET holds its value);
  always+rewrite  the same, each kill landing while a BGREWRITEAOF child
                  is writing a new base (rdb-key-save-delay slows it);
  always+bgsave   the same, each kill landing while a BGSAVE child writes
                  dump.rdb;
  everysec        reports how many acknowledged writes were lost per crash
                  (Redis promises at most about one second's worth);
  everysec+rewrite, everysec+bgsave  the same with a child at the kill.

Usage: scripts/aof/crash.py [--rounds N] [--clients N] [--only MODE]
(AOF_PORTS=first-last keeps the servers on those ports; FERREDIS_BIN
overrides target/release/ferredis). Exits non-zero if an acknowledged
write is missing under appendfsync always.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Server, fail  # noqa: E402


class Writer(threading.Thread):
    """One client: INCR c:<id>, then SET s:<id>:<n> <n>, until stopped or
    the connection breaks; records what was acknowledged."""

    def __init__(self, port, ident, acked_incr, acked_sets, start_n):
        super().__init__(daemon=True)
        self.port, self.client_no = port, ident
        self.acked_incr = acked_incr
        self.acked_sets = acked_sets
        self.n = start_n
        self.stop = threading.Event()
        self.count = 0

    def run(self):
        from common import Conn

        try:
            c = Conn(self.port, timeout=5)
            while not self.stop.is_set():
                v = c.call("INCR", "c:%d" % self.client_no)
                self.acked_incr[self.client_no] = v
                key = "s:%d:%d" % (self.client_no, self.n)
                c.call("SET", key, str(self.n))
                self.acked_sets[key] = str(self.n).encode()
                self.n += 1
                self.count += 2
        except Exception:  # noqa: BLE001 - the kill breaks connections
            pass


def verify(c, acked_incr, acked_sets):
    """(lost counter increments, missing or wrong SETs, over-counted)."""
    lost = missing = over = 0
    for ident, want in acked_incr.items():
        got = c.call("GET", "c:%d" % ident)
        got = int(got) if got is not None else 0
        if got < want:
            lost += want - got
        elif got > want + 1:
            over += 1
    keys = list(acked_sets)
    for i in range(0, len(keys), 1000):
        batch = keys[i : i + 1000]
        for k, v in zip(batch, c.call("MGET", *batch)):
            if v != acked_sets[k]:
                missing += 1
    return lost, missing, over


# The child a mode keeps running at the kill: the command that starts it
# and the INFO persistence line that says it runs.
CHILDREN = {
    "rewrite": ("BGREWRITEAOF", b"aof_rewrite_in_progress:1"),
    "bgsave": ("BGSAVE", b"rdb_bgsave_in_progress:1"),
}
MODES = ["always", "always+rewrite", "always+bgsave", "everysec", "everysec+rewrite", "everysec+bgsave"]


def wait_child_running(c, running, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if running in c.call("INFO", "persistence"):
            return True
        time.sleep(0.01)
    return False


def run_mode(mode, args, work):
    servers = []
    try:
        run_rounds(mode, args, work, servers)
    finally:
        # Whatever happened, no server of ours is left running.
        for s in servers:
            s.kill()


def run_rounds(mode, args, work, servers):
    policy, _, child_kind = mode.partition("+")
    child = CHILDREN.get(child_kind)
    d = os.path.join(work, mode.replace("+", "-"))
    flags = ["--appendonly", "yes", "--appendfsync", policy]
    if child:
        # About a second per rewrite or save over the preloaded keys.
        flags += ["--rdb-key-save-delay", "50"]
    rnd = random.Random(args.seed)
    s = Server("ferredis", d, *flags)
    servers.append(s)
    if child:
        c = s.conn()
        c.pipeline([["SET", "pre:%d" % i, "x" * 20] for i in range(20000)])
        c.close()
    acked_incr, acked_sets = {}, {}
    next_n = {i: 0 for i in range(args.clients)}
    total_acked = 0
    losses = []
    elapsed_total = 0.0
    for r in range(args.rounds):
        writers = [Writer(s.port, i, acked_incr, acked_sets, next_n[i]) for i in range(args.clients)]
        t0 = time.time()
        for w in writers:
            w.start()
        time.sleep(rnd.uniform(0.2, 0.8))
        if child:
            start, running = child
            ctl = s.conn()
            ctl.call(start)
            if not wait_child_running(ctl, running):
                fail("%s round %d: the %s did not start" % (mode, r, start))
            time.sleep(rnd.uniform(0.0, 0.3))
            if running not in ctl.call("INFO", "persistence"):
                fail("%s round %d: the %s ended before the kill; slow it down" % (mode, r, start))
            ctl.close()
        s.kill()
        elapsed_total += time.time() - t0
        for w in writers:
            w.stop.set()
            w.join(timeout=10)
            next_n[w.client_no] = w.n
            total_acked += w.count
        s = Server("ferredis", d, *flags)
        servers.append(s)
        c = s.conn()
        lost, missing, over = verify(c, acked_incr, acked_sets)
        c.close()
        if over:
            fail("%s round %d: %d counters beyond acknowledged+1" % (mode, r, over))
        if policy == "always" and (lost or missing):
            fail("%s round %d: %d acknowledged INCRs and %d SETs lost\n%s" % (
                mode, r, lost, missing, s.log_text()[-2000:]))
        losses.append(lost + missing)
        if lost or missing:
            # Forget what was lost, so the next round measures only its own.
            c = s.conn()
            for ident in acked_incr:
                got = c.call("GET", "c:%d" % ident)
                acked_incr[ident] = int(got) if got is not None else 0
            for k in [k for k, v in acked_sets.items() if c.call("GET", k) != v]:
                del acked_sets[k]
            c.close()
    s.shutdown()
    rate = total_acked / elapsed_total if elapsed_total else 0
    if policy == "always":
        print("ok  %-16s %d SIGKILLs, %d acknowledged writes (%.0f/s), none lost" % (
            mode, args.rounds, total_acked, rate))
    else:
        print("    %-16s %d SIGKILLs, %d acknowledged writes (%.0f/s); lost per crash: max %d, mean %.1f (%.2f s of writes at most)" % (
            mode, args.rounds, total_acked, rate, max(losses), sum(losses) / len(losses),
            max(losses) / rate if rate else 0))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", choices=MODES)
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="ferredis-aof-crash-")
    try:
        for mode in MODES:
            if args.only in (None, mode):
                run_mode(mode, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
