#!/usr/bin/env bash
# Writes the RDB fixtures under tests/fixtures/rdb/ with a real
# redis-server 7.0 (the tests in tests/rdb_fixtures.rs load them and
# check every key). Rerun it only to change the fixtures; the data is
# deterministic, the files differ run to run only in AUX times, the
# order of keys and of hash-table members, and stream delivery times.
#
# Usage: scripts/compat/make_rdb_fixtures.sh [port]   (default: a free one)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fixtures/rdb
mkdir -p "$out"
port=${1:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
work=$(mktemp -d)
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

start() { # start <rdbcompression> <rdbchecksum>, from an empty dataset
    rm -f "$work/dump.rdb"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$work" --dbfilename dump.rdb --rdbcompression "$1" --rdbchecksum "$2" \
        --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
    for _ in $(seq 50); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return; sleep 0.1; done
    echo "redis-server did not start" >&2; exit 1
}
stop() {
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 50); do [ -e "$work/redis.pid" ] || return 0; sleep 0.1; done
}
cli() { redis-cli -p "$port" "$@" >/dev/null; }

# Every type in its small and large encodings, TTLs far in the future,
# a second database, a stream with a consumer group and pending entries.
populate_all() {
    cli set str hello
    cli set int 12345
    cli set negint -7
    cli set bigint 9223372036854775807
    cli set long "$(printf 'abc%.0s' $(seq 40))"
    cli set empty ""
    cli rpush list a b 1 300 -70000 5000000000
    cli sadd intset 1 2 3 -40000 5000000000
    cli sadd set a b c
    cli hset hash f v n 12
    cli zadd zset 1 a 2.5 b -0 c inf d
    {
        for i in $(seq 0 299); do
            echo "RPUSH biglist item-$i $i"
            echo "HSET bighash field-$i value-$i"
            echo "SADD bigset member-$i"
            echo "SADD bigintset $((i * 1000))"
            echo "ZADD bigzset $i.5 member-$i"
            echo "XADD bigstream $((i + 1))-0 n $i"
        done
    } | redis-cli -p "$port" >/dev/null
    cli xdel bigstream 5-0
    cli xadd stream 1-1 f v
    cli xadd stream 1-2 f w g x
    cli xgroup create stream grp 0
    cli xreadgroup group grp alice count 1 streams stream '>'
    cli xgroup createconsumer stream grp bob
    cli xgroup create stream late '$'
    cli expireat str 4102444800
    cli pexpireat list 4102444800123
    cli -n 3 set other-db value
}

start yes yes
populate_all
cli save
cp "$work/dump.rdb" "$out/all_types.rdb"
stop

# The same small keys without compression or checksum.
start no no
cli set str hello
cli set long "$(printf 'abc%.0s' $(seq 40))"
cli rpush list a b c
cli hset hash f v
cli save
cp "$work/dump.rdb" "$out/plain_no_checksum.rdb"
stop
ls -l "$out"
