"""Cache-aside with redis-py against ferredis (or any Redis).

Look the value up in the cache; on a miss, compute it the slow way and
store it with an expiry so the cache cannot serve stale data forever.

    REDIS_URL=redis://127.0.0.1:6379/0 python examples/cache_aside.py
"""

import os
import time

import redis

CACHE_TTL_SECONDS = 60


def slow_square(n: int) -> int:
    """Stands in for a database query or a remote call."""
    time.sleep(0.01)
    return n * n


def cached_square(r: redis.Redis, n: int) -> tuple[int, bool]:
    """Returns (value, was_cached)."""
    key = f"square:{n}"
    hit = r.get(key)
    if hit is not None:
        return int(hit), True
    value = slow_square(n)
    r.set(key, value, ex=CACHE_TTL_SECONDS)
    return value, False


def main() -> None:
    r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    r.delete(*[f"square:{n}" for n in range(10)])
    hits = misses = 0
    for n in [1, 2, 3, 1, 2, 3, 4, 1]:
        value, cached = cached_square(r, n)
        assert value == n * n
        if cached:
            hits += 1
        else:
            misses += 1
        print(f"square({n}) = {value:3} ({'hit' if cached else 'miss'})")
    print(f"hits={hits} misses={misses}")
    assert (hits, misses) == (4, 4), (hits, misses)
    ttl = r.ttl("square:1")
    assert 0 < ttl <= CACHE_TTL_SECONDS, ttl
    print(f"square:1 expires in {ttl}s")


if __name__ == "__main__":
    main()
