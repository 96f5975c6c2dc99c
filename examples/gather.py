"""Many concurrent asyncio tasks sharing counters, with redis.asyncio.

1,000 tasks run at once through one blocking connection pool (tasks wait
for one of its 100 connections rather than failing when all are busy);
each pipelines an INCR of a shared counter with a GET of it. INCR is
atomic on the server, so the final totals are exact no matter how the
tasks interleave.

    REDIS_URL=redis://127.0.0.1:6379/0 python examples/gather.py
"""

import asyncio
import os

import redis.asyncio as redis

TASKS = 1000
COUNTERS = ["counter:a", "counter:b", "counter:c"]


async def worker(r: redis.Redis, i: int) -> int:
    key = COUNTERS[i % len(COUNTERS)]
    async with r.pipeline(transaction=False) as pipe:
        pipe.incr(key)
        pipe.get(key)
        after_incr, read_back = await pipe.execute()
    # Another task may have incremented in between, never decremented.
    assert int(read_back) >= after_incr
    return after_incr


async def main() -> None:
    pool = redis.BlockingConnectionPool.from_url(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), max_connections=100
    )
    r = redis.Redis(connection_pool=pool)
    await r.delete(*COUNTERS)
    results = await asyncio.gather(*(worker(r, i) for i in range(TASKS)))
    totals = {k: int(await r.get(k)) for k in COUNTERS}
    print("totals:", totals)
    expected = {k: len(range(i, TASKS, len(COUNTERS))) for i, k in enumerate(COUNTERS)}
    assert totals == expected, (totals, expected)
    # Every INCR saw a distinct value per counter: 1..n each.
    for i, k in enumerate(COUNTERS):
        seen = sorted(results[i::len(COUNTERS)])
        assert seen == list(range(1, expected[k] + 1)), k
    print(f"{TASKS} concurrent tasks, totals exact")
    await r.aclose()


if __name__ == "__main__":
    asyncio.run(main())
