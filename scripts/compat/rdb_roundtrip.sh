#!/usr/bin/env bash
# RDB interop between the real binaries, both ways, for each fixture that
# Redis 7.0 wrote (tests/fixtures/rdb, made by make_rdb_fixtures.sh):
#   1. ferredis starts on the fixture; rdb_compare.py checks every key
#      (type, encoding, expire time, value, DUMP bytes) against a
#      redis-server started on the same file;
#   2. ferredis SAVEs it with its own encoder, a second redis-server
#      starts on ferredis's file, and every key is compared again.
#
# Usage: scripts/compat/rdb_roundtrip.sh   (FERREDIS_BIN: the binary,
# default target/release/ferredis; servers on free loopback ports)
set -euo pipefail
cd "$(dirname "$0")/../.."
ferredis=${FERREDIS_BIN:-target/release/ferredis}
work=$(mktemp -d)
pids=()
stop_all() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_ready() {
    for _ in $(seq 100); do
        redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    echo "server on port $1 did not start; logs:" >&2
    cat "$work"/*.log >&2 || true
    exit 1
}
# start <redis-server|ferredis> <dir> <file> <port>
start() {
    local bin=$1
    [ "$bin" = ferredis ] && bin=$ferredis
    "$bin" --port "$4" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$2" --dbfilename "$3" --logfile "$work/$(basename "$2")-$3.log" &
    pids+=($!)
    wait_ready "$4"
}

status=0
for name in all_types.rdb plain_no_checksum.rdb; do
    mkdir -p "$work/redis" "$work/ferredis" "$work/back"
    cp "tests/fixtures/rdb/$name" "$work/redis/$name"
    cp "tests/fixtures/rdb/$name" "$work/ferredis/$name"
    pr=$(free_port); pf=$(free_port); pb=$(free_port)
    start redis-server "$work/redis" "$name" "$pr"
    start ferredis "$work/ferredis" "$name" "$pf"
    echo "$name: Redis's file in Redis (port $pr) and in ferredis (port $pf)"
    python3 scripts/compat/rdb_compare.py "$pr" "$pf" || status=1
    # ferredis's own encoding of the same data, loaded by Redis.
    [ "$(redis-cli -p "$pf" save)" = OK ] || { echo "ferredis SAVE failed" >&2; exit 1; }
    cp "$work/ferredis/$name" "$work/back/$name"
    start redis-server "$work/back" "$name" "$pb"
    echo "$name: Redis's file in Redis (port $pr) and ferredis's file in Redis (port $pb)"
    python3 scripts/compat/rdb_compare.py "$pr" "$pb" || status=1
    stop_all
    rm -rf "$work/redis" "$work/ferredis" "$work/back"
done
exit $status
