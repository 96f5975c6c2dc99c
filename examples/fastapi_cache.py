"""A FastAPI app that talks to ferredis (or any Redis) through redis.asyncio.

GET / stores foo=bar and returns what it reads back: {"foo": "bar"}.

    REDIS_URL=redis://127.0.0.1:6379/0 uvicorn examples.fastapi_cache:app
"""

import os
from contextlib import asynccontextmanager

import redis.asyncio as redis
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    # One client (and connection pool) for the whole app.
    app.state.redis = redis.Redis.from_url(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), decode_responses=True
    )
    yield
    await app.state.redis.aclose()


app = FastAPI(lifespan=lifespan)


@app.get("/")
async def root() -> dict:
    r = app.state.redis
    await r.set("foo", "bar")
    return {"foo": await r.get("foo")}
