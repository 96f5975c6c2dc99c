#!/usr/bin/env bash
# Checks ferredis against the real Redis 7.0 and the clients people use
# with it. Installs what it needs (Debian's redis-server and redis-tools,
# a Python virtual environment under target/ with redis-py, FastAPI, httpx
# and uvicorn), builds ferredis in release mode, starts Redis and ferredis
# on free loopback ports, and runs:
#   1. difftest: seeded random commands to both servers, replies compared;
#   2. redis-cli end to end (stdin session, --pipe, --scan, -r, --csv, --bigkeys);
#   3. redis-benchmark smoke, with and without pipelining;
#   4. the redis-py examples (sync, asyncio, a stream consumer group that
#      survives a killed worker, FastAPI under uvicorn);
#   5. RDB interop both ways between the real binaries (rdb_roundtrip.sh);
#   6. the append-only file: difftest's commands logged as Redis logs them
#      (scripts/aof/propagation.py), files written by Redis load in ferredis
#      and the other way round (scripts/aof/interop.py), and acknowledged
#      writes survive SIGKILL (scripts/aof/crash.py).
# Exits non-zero on any failure. Environment knobs: COMPAT_SEEDS (default
# 1,2,3, plus one random seed that is printed), COMPAT_COUNT (commands per
# family and seed, default 7000), COMPAT_COUNT_RESP3 (the same for the
# RESP3 pass, default 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/compat"
# Where cargo puts the binaries (CARGO_TARGET_DIR moves them).
release="${CARGO_TARGET_DIR:-$root/target}/release"
mkdir -p "$work"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

step() { printf '\n==> %s\n' "$*"; }

step "Installing what is missing"
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null \
    || ! command -v redis-benchmark >/dev/null; then
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server redis-tools
fi
redis-server --version
venv="$root/target/compat-venv"
if ! "$venv/bin/python" -c 'import redis, fastapi, httpx, uvicorn' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q redis fastapi httpx uvicorn
fi
"$venv/bin/python" -c 'import redis; print("redis-py", redis.__version__)'

step "Building ferredis and difftest (release)"
cargo build --release --workspace

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_ready() {
    for _ in $(seq 100); do
        redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    echo "server on port $1 did not start" >&2
    exit 1
}

redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$work/redis" --logfile "$work/redis.log" &
redis_pid=$!
ferredis_port=$(free_port)
mkdir -p "$work/ferredis"
"$release/ferredis" --port "$ferredis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$work/ferredis" --logfile "$work/ferredis.log" &
ferredis_pid=$!
trap 'kill "$redis_pid" "$ferredis_pid" 2>/dev/null || true' EXIT
wait_ready "$redis_port"
wait_ready "$ferredis_port"
echo "redis on $redis_port (pid $redis_pid), ferredis on $ferredis_port (pid $ferredis_pid)"

step "difftest: replies compared with Redis (RESP2)"
"$release/difftest" --redis "127.0.0.1:$redis_port" --ferredis "127.0.0.1:$ferredis_port" \
    --seeds "${COMPAT_SEEDS:-1,2,3}" --random-seed --count "${COMPAT_COUNT:-7000}" \
    --allowlist "$root/scripts/compat-allowlist.txt"

step "difftest: the same over RESP3 (HELLO 3), fewer commands"
"$release/difftest" --redis "127.0.0.1:$redis_port" --ferredis "127.0.0.1:$ferredis_port" \
    --seeds 11 --random-seed --count "${COMPAT_COUNT_RESP3:-2000}" --protocol 3 \
    --allowlist "$root/scripts/compat-allowlist.txt"

step "redis-cli end to end"
scripts/compat/redis_cli.sh "$ferredis_port" "$work"

step "redis-benchmark smoke"
scripts/compat/benchmark_smoke.sh "$ferredis_port" ping,set,get,incr,mset

step "redis-py examples"
export REDIS_URL="redis://127.0.0.1:$ferredis_port/0"
"$venv/bin/python" examples/cache_aside.py
"$venv/bin/python" examples/gather.py
"$venv/bin/python" examples/stream_workers.py
"$venv/bin/python" scripts/compat/fastapi_check.py

step "RDB files both ways: ferredis loads Redis-made fixtures, Redis loads ferredis's saves"
FERREDIS_BIN="$release/ferredis" scripts/compat/rdb_roundtrip.sh
step "AOF: what each command appends, compared with Redis's file"
FERREDIS_BIN="$release/ferredis" python3 scripts/aof/propagation.py "$release/difftest"

step "AOF: files written by Redis 7.0 and by ferredis load alike in both"
FERREDIS_BIN="$release/ferredis" python3 scripts/aof/interop.py

step "AOF: acknowledged writes survive SIGKILL (always), losses under everysec, also with a BGSAVE or BGREWRITEAOF running"
FERREDIS_BIN="$release/ferredis" python3 scripts/aof/crash.py

step "Checking ferredis is still up and stopping both servers"
redis-cli -h 127.0.0.1 -p "$ferredis_port" PING | grep -q PONG
kill "$ferredis_pid" "$redis_pid"
wait "$ferredis_pid" || { echo "ferredis exited with an error on SIGTERM" >&2; exit 1; }
trap - EXIT
echo
echo "compat: all checks passed"
