"""Runs examples/fastapi_cache.py under a real uvicorn server and checks it
through HTTP: one request, then 200 concurrent ones."""

import asyncio
import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def hammer(base: str, n: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        responses = await asyncio.gather(*(client.get("/") for _ in range(n)))
    bad = [r for r in responses if r.status_code != 200 or r.json() != {"foo": "bar"}]
    assert not bad, f"{len(bad)} bad responses, first: {bad[0].status_code} {bad[0].text}"


def main() -> None:
    port = free_port()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "examples.fastapi_cache:app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=repo,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                r = httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("uvicorn did not start")
        assert r.status_code == 200 and r.json() == {"foo": "bar"}, (r.status_code, r.text)
        print("GET / ->", r.json())
        asyncio.run(hammer(base, 200))
        print("200 concurrent requests: all {'foo': 'bar'}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
