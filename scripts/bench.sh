#!/usr/bin/env bash
# Compares ferredis with a real redis-server under redis-benchmark.
#
# Both servers run on this machine, on loopback, with persistence off, and
# get exactly the same redis-benchmark flags. Rounds are interleaved
# (redis, ferredis, redis, ferredis, ...) so that drift in machine load
# affects both alike. For each test the script prints the median
# requests/sec of each server over the rounds and the ratio ferredis/redis.
#
# Usage: scripts/bench.sh [-t tests] [-P pipeline] [-c clients] [-n requests]
#                         [-d datasize] [-r keyspace] [-R rounds] [-M sets]
#   -t  comma-separated redis-benchmark tests (default: $DEFAULT_TESTS below)
#   -P, -c, -n, -d, -r  passed to redis-benchmark as they are
#   -R  rounds per server (default 3)
#   -M  memory instead of throughput: bytes per element of each data set
#       (all, or a list of strings,list,hash,set,zset,small_hashes), each
#       server loaded fresh; see scripts/bench/memory.py
# Environment: REDIS_PORT / FERREDIS_PORT pick the ports (default: free
# loopback ports); FERREDIS_BIN skips the release build and uses that binary.

set -euo pipefail

# redis-benchmark's default tests (-t names; lrange_* fill their list with
# LPUSH first, as redis-benchmark does).
DEFAULT_TESTS="ping_inline,ping_mbulk,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_300,lrange_500,lrange_600,mset"

tests=$DEFAULT_TESTS
rounds=3
pipeline=1
clients=50
requests=100000
datasize=3
keyspace=""
memory=""

usage() {
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while getopts "t:P:c:n:d:r:R:M:h" opt; do
    case $opt in
        t) tests=$OPTARG ;;
        P) pipeline=$OPTARG ;;
        c) clients=$OPTARG ;;
        n) requests=$OPTARG ;;
        d) datasize=$OPTARG ;;
        r) keyspace=$OPTARG ;;
        R) rounds=$OPTARG ;;
        M) memory=$OPTARG ;;
        h) usage 0 ;;
        *) usage 1 ;;
    esac
done

root=$(cd "$(dirname "$0")/.." && pwd)

# Debian's packages are the reference Redis; install them if missing.
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    echo "Installing redis-server and redis-tools..." >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server redis-tools >/dev/null
fi

if [ -n "${FERREDIS_BIN:-}" ]; then
    ferredis=$FERREDIS_BIN
else
    echo "Building ferredis (release)..." >&2
    (cd "$root" && cargo build --release --quiet)
    ferredis="${CARGO_TARGET_DIR:-$root/target}/release/ferredis"
fi

if [ -n "$memory" ]; then
    [ "$memory" = all ] && memory=strings,list,hash,set,zset,small_hashes
    exec python3 "$root/scripts/bench/memory.py" --ferredis "$ferredis" --only "$memory"
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
redis_port=${REDIS_PORT:-$(free_port)}
ferredis_port=${FERREDIS_PORT:-$(free_port)}
while [ "$ferredis_port" = "$redis_port" ]; do ferredis_port=$(free_port); done

work=$(mktemp -d "${TMPDIR:-/tmp}/ferredis-bench.XXXXXX")
redis_pid=""
ferredis_pid=""

# Stop exactly the two servers this script started, whatever happens.
cleanup() {
    for pid in $redis_pid $ferredis_pid; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $redis_pid $ferredis_pid; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
"$ferredis" --port "$ferredis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$work" --logfile "$work/ferredis.log" &
ferredis_pid=$!

wait_ready() {
    local name=$1 port=$2 pid=$3
    for _ in $(seq 100); do
        if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$name exited during start-up; its log:" >&2
            cat "$work/$name.log" >&2 || true
            exit 1
        fi
        sleep 0.1
    done
    echo "$name did not answer PING on port $port" >&2
    exit 1
}
wait_ready redis "$redis_port" "$redis_pid"
wait_ready ferredis "$ferredis_port" "$ferredis_pid"

bench_flags=(-h 127.0.0.1 -t "$tests" -P "$pipeline" -c "$clients" -n "$requests" -d "$datasize" --csv)
[ -n "$keyspace" ] && bench_flags+=(-r "$keyspace")

echo "redis-benchmark ${bench_flags[*]}  (rounds: $rounds, interleaved)"
echo "redis:    $(redis-server --version | head -1)  port $redis_port"
echo "ferredis: $("$ferredis" --version | head -1)  port $ferredis_port"
echo "machine:  $(nproc) cores, $(uname -sr)"
echo

for round in $(seq "$rounds"); do
    for name in redis ferredis; do
        if [ "$name" = redis ]; then port=$redis_port; else port=$ferredis_port; fi
        echo "round $round/$rounds: $name" >&2
        redis-benchmark -p "$port" "${bench_flags[@]}" >"$work/$name.$round.csv"
    done
done

# Each CSV row is "TEST","rps",...; collect (server, test, rps) and report
# the per-test medians in the order the tests ran.
for name in redis ferredis; do
    for round in $(seq "$rounds"); do
        awk -F'","' -v server="$name" 'NR > 1 { sub(/^"/, "", $1); print server "\t" $1 "\t" $2 }' \
            "$work/$name.$round.csv"
    done
done | awk -F'\t' '
    function median(list,   n, v, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++) {
            t = v[i] + 0
            for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]
            v[j + 1] = t
        }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    {
        if (!(($2) in seen)) { seen[$2] = 1; order[++count] = $2 }
        rps[$1, $2] = rps[$1, $2] " " $3
    }
    END {
        printf "%-36s %14s %14s %9s\n", "test", "redis rps", "ferredis rps", "ratio"
        for (i = 1; i <= count; i++) {
            t = order[i]
            r = median(rps["redis", t]); f = median(rps["ferredis", t])
            printf "%-36s %14.2f %14.2f %9.3f\n", t, r, f, (r > 0 ? f / r : 0)
        }
    }'
