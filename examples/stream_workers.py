"""A consumer group sharing a stream of jobs, surviving a worker's death.

A producer adds 100,000 messages to a stream; three worker processes in
one consumer group read them with XREADGROUP, record each job in a set
and acknowledge it with XACK. Midway one worker is killed with SIGKILL,
so the messages it had read but not acknowledged stay in the group's
pending entries list. The survivors, once the stream has nothing new for
them, take those over with XAUTOCLAIM (claiming entries idle for a
second) and finish them. At the end every message must have been
processed at least once and acknowledged, and XPENDING must be empty;
the script exits non-zero otherwise.

    REDIS_URL=redis://127.0.0.1:6379/0 python examples/stream_workers.py
"""

import multiprocessing as mp
import os
import signal
import sys
import time

import redis

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
STREAM = "jobs"
GROUP = "workers"
DONE = "jobs:processed"
PRODUCED = "jobs:produced"
MESSAGES = 100_000
WORKERS = 3
MIN_IDLE_MS = 1000


def handle(r: redis.Redis, entries) -> None:
    """Processes entries (records them) and acknowledges them."""
    if not entries:
        return
    pipe = r.pipeline(transaction=False)
    for _, fields in entries:
        if fields is not None:
            pipe.sadd(DONE, fields[b"n"])
    pipe.xack(STREAM, GROUP, *[msg_id for msg_id, _ in entries])
    pipe.execute()


def worker(name: str, slow: bool) -> None:
    r = redis.Redis.from_url(URL)
    while True:
        reply = r.xreadgroup(GROUP, name, {STREAM: ">"}, count=100, block=200)
        if reply:
            entries = reply[0][1]
            if slow:
                # The victim holds its batch a while before acknowledging,
                # so the kill leaves messages pending.
                time.sleep(0.05)
            handle(r, entries)
            continue
        if not r.exists(PRODUCED):
            continue
        # Nothing new: take over what a dead consumer left pending.
        cursor, claimed = "0-0", 0
        while True:
            cursor, entries, _deleted = r.xautoclaim(
                STREAM, GROUP, name, MIN_IDLE_MS, cursor, count=100
            )
            handle(r, entries)
            claimed += len(entries)
            if cursor in (b"0-0", "0-0"):
                break
        if claimed == 0 and r.xpending(STREAM, GROUP)["pending"] == 0:
            return
        if claimed == 0:
            time.sleep(0.2)


def produce(r: redis.Redis) -> None:
    pipe = r.pipeline(transaction=False)
    for i in range(MESSAGES):
        pipe.xadd(STREAM, {"n": i})
        if i % 1000 == 999:
            pipe.execute()
    pipe.execute()
    r.set(PRODUCED, 1)


def main() -> int:
    r = redis.Redis.from_url(URL)
    r.delete(STREAM, DONE, PRODUCED)
    r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    procs = [
        mp.Process(target=worker, args=(f"worker-{i}", i == 0)) for i in range(WORKERS)
    ]
    for p in procs:
        p.start()
    producer = mp.Process(target=produce, args=(redis.Redis.from_url(URL),))
    producer.start()

    victim = procs[0]
    while r.scard(DONE) < MESSAGES // 3:
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.join()
    left = r.xpending_range(STREAM, GROUP, "-", "+", 1000, consumername="worker-0")
    print(f"killed worker-0 with {len(left)} messages pending")

    producer.join()
    for p in procs[1:]:
        p.join(timeout=300)
        if p.is_alive() or p.exitcode != 0:
            print(f"{p.name} did not finish cleanly", file=sys.stderr)
            return 1

    processed = r.scard(DONE)
    pending = r.xpending(STREAM, GROUP)["pending"]
    print(f"stream length {r.xlen(STREAM)}, processed {processed}, pending {pending}")
    if processed != MESSAGES or pending != 0 or not left:
        print("FAILED: not every message was processed and acknowledged", file=sys.stderr)
        return 1
    r.delete(STREAM, DONE, PRODUCED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
