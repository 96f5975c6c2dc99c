#!/usr/bin/env bash
# The reverse of tests/rdb_fixtures.rs: ferredis loads each RDB fixture
# (written by Redis 7.0) and saves it with its own encoder; a real
# redis-server then loads ferredis's file beside one loading the original,
# and rdb_compare.py checks every key (type, encoding, expire time,
# value, DUMP bytes) between the two.
#
# Usage: scripts/compat/rdb_roundtrip.sh [first-port]  (two ports from it;
# default: free ones)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
mkdir -p "$work/ferredis" "$work/redis"
RDB_EXPORT_DIR="$work/ferredis" cargo test -q --test rdb_fixtures export_for_redis >/dev/null
status=0
for name in all_types.rdb plain_no_checksum.rdb; do
    cp "tests/fixtures/rdb/$name" "$work/redis/$name"
    if [ -n "${1:-}" ]; then pa=$1; pb=$(($1 + 1)); else pa=$(free_port); pb=$(free_port); fi
    for side in redis ferredis; do
        port=$pa; [ "$side" = ferredis ] && port=$pb
        redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "$work/$side" --dbfilename "$name" --logfile "$work/$side-$name.log" &
        pids+=($!)
    done
    for port in "$pa" "$pb"; do
        for _ in $(seq 100); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
    done
    echo "$name: Redis loading Redis's file (port $pa) vs Redis loading ferredis's (port $pb)"
    python3 scripts/compat/rdb_compare.py "$pa" "$pb" || status=1
    redis-cli -p "$pa" shutdown nosave >/dev/null 2>&1 || true
    redis-cli -p "$pb" shutdown nosave >/dev/null 2>&1 || true
    wait 2>/dev/null || true
    pids=()
done
exit $status
