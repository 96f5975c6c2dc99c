#!/usr/bin/env bash
# Compares ferredis with a real redis-server under redis-benchmark.
#
# Both servers run on this machine, on loopback, with persistence off, and
# get exactly the same redis-benchmark flags. Rounds are interleaved
# (each test: redis, then ferredis) so that drift in machine load affects
# both alike. For each test the script prints the median requests/sec of
# each server over the rounds, the server CPU time per request (from
# /proc/PID/schedstat, the steadier figure on a shared machine) and the
# ratios ferredis/redis.
#
# Usage: scripts/bench.sh                      (the full target table, below)
#        scripts/bench.sh -T groups [-R rounds] [-s scale] [-o dir]
#        scripts/bench.sh -K keys,connections [-R rounds]
#        scripts/bench.sh [-t tests] [-P pipeline] [-c clients] [-n requests]
#                         [-d datasize] [-r keyspace] [-R rounds] [-M sets]
#                         [-S subscribers] [-x command]... [-L workload]...
#                         [-A fsync-policy] [-D sets] [-Z types] [-C policies]
#   -T  the performance targets (all, or a list of default,pipelined,
#       random keys,latency,connections,values,memory): each row with both
#       servers' figures, the ratio, its target and whether it holds, then
#       `min throughput ratio ..., memory ratio ..., targets met n/m`.
#       Written to -o (default target/bench/) as targets.csv, rounds.csv,
#       targets.txt and a targets.png chart (gnuplot, installed if
#       missing); -s scales every request count. With no option other
#       than -R, -s and -o the script runs `-T all`. See scripts/bench/targets.py
#   -K  scaling instead (keys, connections or both): GET/SET throughput,
#       CPU per request and RSS per key from 10^4 to 10^7 keys, and GET
#       throughput and peak RSS from 1 to 10,000 connections, -R rounds
#       (default 1 here); see scripts/bench/scaling.py
#   -t  comma-separated redis-benchmark tests (default: $DEFAULT_TESTS below;
#       -t '' with -x or -L runs only those)
#   -x  also benchmark an arbitrary command, e.g. -x "XADD s * f v" (may be
#       repeated; redis-benchmark runs it as given, `__rand_int__` and all)
#   -L  also run a tools/loadgen workload (may be repeated): stream-ack,
#       XREADGROUP+XACK round trips, each a request; -c and -n apply
#   -P, -c, -n, -d, -r  passed to redis-benchmark as they are
#   -R  rounds per server (default 3)
#   -A  both servers write an AOF (appendonly yes) with this appendfsync
#       policy (always, everysec or no), each in a directory of its own;
#       e.g. -A everysec -t set
#   -S  Pub/Sub instead of the tests: PUBLISH to 1 channel with each count
#       of subscribers in a comma-separated list (e.g. 1,100), messages
#       delivered per second (publishes/s x subscribers); -d sets the size
#   -M  memory instead of throughput: bytes per element of each data set
#       (all, or a list of strings,list,hash,set,zset,small_hashes,stream), each
#       server loaded fresh; see scripts/bench/memory.py
#   -D  disk instead of throughput: SAVE time, dump.rdb size and start-up
#       load time of each data set (all, or a list of the -M sets and
#       large), -R rounds; see scripts/bench/persistence.py
#   -Z  lazy freeing instead of throughput: the longest PING stall while
#       one key of 10,000,000 elements is deleted with DEL, UNLINK,
#       FLUSHALL ASYNC and lazy eviction, for each type (all, or a list of
#       set,hash,zset), medians of -R rounds (default 1 here); see
#       scripts/bench/lazyfree.py
#   -C  maxmemory 64mb as a cache instead of throughput: per policy (all,
#       or a list of the eight maxmemory-policy names) a Zipf GET, SET-on-
#       miss workload over a key space 4x the limit (tools/loadgen cache):
#       hit ratios, requests/s, CPU per request, max used_memory/limit,
#       evicted keys; `fill` in the list (all includes it) also writes ~1 GB
#       of 1000-byte values and reports memory, RSS and throughput. -R
#       rounds, -c clients, -n measured requests (default 300000); see
#       scripts/bench/cache.py
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
pubsub=""
commands=()
workloads=()
aof=""
disk=""
lazyfree=""
cache=""
targets=""
scaling=""
scale=1
outdir=""
# Set by every option that picks something else to run than the targets.
custom=""

usage() {
    sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

rounds_given=""
while getopts "t:P:c:n:d:r:R:M:S:x:L:A:D:Z:C:T:K:s:o:h" opt; do
    case $opt in
        t) custom=1; tests=$OPTARG ;;
        P) custom=1; pipeline=$OPTARG ;;
        c) custom=1; clients=$OPTARG ;;
        n) custom=1; requests=$OPTARG; requests_given=1 ;;
        d) custom=1; datasize=$OPTARG ;;
        r) custom=1; keyspace=$OPTARG ;;
        R) rounds=$OPTARG rounds_given=1 ;;
        M) custom=1; memory=$OPTARG ;;
        S) custom=1; pubsub=$OPTARG ;;
        x) custom=1; commands+=("$OPTARG") ;;
        L) custom=1; workloads+=("$OPTARG") ;;
        A) custom=1; aof=$OPTARG ;;
        D) custom=1; disk=$OPTARG ;;
        Z) custom=1; lazyfree=$OPTARG ;;
        C) custom=1; cache=$OPTARG ;;
        T) custom=1; targets=$OPTARG ;;
        K) custom=1; scaling=$OPTARG ;;
        s) scale=$OPTARG ;;
        o) outdir=$OPTARG ;;
        h) usage 0 ;;
        *) usage 1 ;;
    esac
done

# Only -R, -s and -o given (or nothing): the full target table.
[ -z "$custom" ] && [ -z "$targets" ] && targets=all

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
loadgen="${CARGO_TARGET_DIR:-$root/target}/release/loadgen"
if [ ${#workloads[@]} -gt 0 ] || [ -n "$cache" ]; then
    (cd "$root" && cargo build --release --quiet -p loadgen)
fi

if [ -n "$targets" ]; then
    # The chart is drawn by gnuplot: Debian's package, installed like Redis.
    if ! command -v gnuplot >/dev/null && command -v apt-get >/dev/null; then
        echo "Installing gnuplot-nox (for the chart)..." >&2
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gnuplot-nox >/dev/null; } ||
            echo "gnuplot-nox could not be installed: no chart" >&2
    fi
    [ "$targets" = all ] && targets="default,pipelined,random keys,latency,connections,values,memory"
    exec python3 "$root/scripts/bench/targets.py" --ferredis "$ferredis" --only "$targets" \
        --rounds "$rounds" --scale "$scale" --out "${outdir:-${CARGO_TARGET_DIR:-$root/target}/bench}"
fi

if [ -n "$scaling" ]; then
    [ -n "$rounds_given" ] || rounds=1
    exec python3 "$root/scripts/bench/scaling.py" --ferredis "$ferredis" --only "$scaling" --rounds "$rounds"
fi

if [ -n "$memory" ]; then
    [ "$memory" = all ] && memory=strings,list,hash,set,zset,small_hashes,stream
    exec python3 "$root/scripts/bench/memory.py" --ferredis "$ferredis" --only "$memory"
fi

if [ -n "$disk" ]; then
    [ "$disk" = all ] && disk=strings,list,hash,set,zset,small_hashes,stream,large
    exec python3 "$root/scripts/bench/persistence.py" --ferredis "$ferredis" --only "$disk" \
        --rounds "$rounds" --redis-port "${REDIS_PORT:-0}" --ferredis-port "${FERREDIS_PORT:-0}"
fi

if [ -n "$lazyfree" ]; then
    # Each run loads ten million elements: one round unless asked.
    [ "$lazyfree" = all ] && lazyfree=set,hash,zset
    [ -n "$rounds_given" ] || rounds=1
    exec python3 "$root/scripts/bench/lazyfree.py" --ferredis "$ferredis" --only "$lazyfree" \
        --rounds "$rounds" --port "${FERREDIS_PORT:-0}"
fi

if [ -n "$cache" ]; then
    policies=${cache//fill/}
    policies=$(echo "$policies" | sed 's/,,*/,/g; s/^,//; s/,$//')
    fill=()
    [[ $cache =~ (^|,)(fill|all)(,|$) ]] && fill=(--fill)
    [ -z "$policies" ] && policies=none
    cache_flags=(--rounds "$rounds" --clients "$clients")
    [ -n "${requests_given:-}" ] && cache_flags+=(--requests "$requests")
    exec python3 "$root/scripts/bench/cache.py" --ferredis "$ferredis" --loadgen "$loadgen" \
        --policies "$policies" "${fill[@]}" "${cache_flags[@]}" \
        --redis-port "${REDIS_PORT:-0}" --ferredis-port "${FERREDIS_PORT:-0}"
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

# Persistence off, or the same AOF flags for both (each its own directory).
persistence=(--appendonly no)
[ -n "$aof" ] && persistence=(--appendonly yes --appendfsync "$aof")
mkdir -p "$work/redis-data" "$work/ferredis-data"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' "${persistence[@]}" \
    --dir "$work/redis-data" --logfile "$work/redis.log" &
redis_pid=$!
"$ferredis" --port "$ferredis_port" --bind 127.0.0.1 --save '' "${persistence[@]}" \
    --dir "$work/ferredis-data" --logfile "$work/ferredis.log" &
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

bench_flags=(-h 127.0.0.1 -P "$pipeline" -c "$clients" -n "$requests" -d "$datasize" --csv)
[ -n "$keyspace" ] && bench_flags+=(-r "$keyspace")

echo "redis-benchmark ${bench_flags[*]} -t <each of $tests>  (rounds: $rounds, interleaved by test)"
echo "redis:    $(redis-server --version | head -1)  port $redis_port"
echo "ferredis: $("$ferredis" --version | head -1)  port $ferredis_port"
echo "machine:  $(nproc) cores, $(uname -sr)"
[ -n "$aof" ] && echo "both:     appendonly yes, appendfsync $aof"
echo

# Server CPU time in nanoseconds (first field of /proc/PID/schedstat):
# steadier than requests per second on a shared machine.
cpu_ns() {
    awk '{ print $1 }' "/proc/$1/schedstat"
}

# Pub/Sub: redis-cli subscribers (C, so they keep up) on one channel, and
# redis-benchmark publishing to it; a round counts only if every
# subscriber is still subscribed at its end (none was cut off by the
# pubsub output buffer limit).
if [ -n "$pubsub" ]; then
    payload=$(head -c "$datasize" /dev/zero | tr '\0' x)
    for subs in ${pubsub//,/ }; do
        for round in $(seq "$rounds"); do
            for name in redis ferredis; do
                if [ "$name" = redis ]; then port=$redis_port; pid=$redis_pid; else port=$ferredis_port; pid=$ferredis_pid; fi
                sub_pids=()
                for _ in $(seq "$subs"); do
                    redis-cli -h 127.0.0.1 -p "$port" subscribe bench-channel >/dev/null 2>&1 &
                    sub_pids+=($!)
                done
                for _ in $(seq 200); do
                    n=$(redis-cli -h 127.0.0.1 -p "$port" pubsub numsub bench-channel | tail -1)
                    [ "$n" = "$subs" ] && break
                    sleep 0.05
                done
                before=$(cpu_ns "$pid")
                rps=$(redis-benchmark -h 127.0.0.1 -p "$port" -c "$clients" -n "$requests" -P "$pipeline" --csv \
                    PUBLISH bench-channel "$payload" | awk -F'","' 'NR == 2 { print $2 }')
                after=$(cpu_ns "$pid")
                left=$(redis-cli -h 127.0.0.1 -p "$port" pubsub numsub bench-channel | tail -1)
                kill "${sub_pids[@]}" 2>/dev/null || true
                wait "${sub_pids[@]}" 2>/dev/null || true
                if [ "$left" != "$subs" ]; then
                    echo "$name: only $left of $subs subscribers left after round $round" >&2
                    exit 1
                fi
                echo -e "$name\t$subs\t$rps\t$(( (after - before) / (requests * subs) ))" >>"$work/pubsub.tsv"
            done
        done
    done
    awk -F'\t' '
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
            d[$1, $2] = d[$1, $2] " " $3 * $2
            c[$1, $2] = c[$1, $2] " " $4
        }
        END {
            printf "%-24s %14s %14s %7s %10s %10s %7s\n", "PUBLISH", "redis msg/s", "ferredis msg/s", "ratio", "redis ns", "ferr. ns", "cpu"
            for (i = 1; i <= count; i++) {
                s = order[i]
                r = median(d["redis", s]); f = median(d["ferredis", s])
                rc = median(c["redis", s]); fc = median(c["ferredis", s])
                printf "%-24s %14.0f %14.0f %7.3f %10.0f %10.0f %7.3f\n", s " subscriber(s)", r, f, (r > 0 ? f / r : 0), rc, fc, (rc > 0 ? fc / rc : 0)
            }
        }' "$work/pubsub.tsv"
    exit 0
fi

# Each test runs on its own, redis then ferredis, so that both see the same
# moment of the machine; the CPU each server spent on the run is divided
# by the requests of every row the run printed (an lrange test first fills
# its list with LPUSH).
for round in $(seq "$rounds"); do
    echo "round $round/$rounds" >&2
    # Tests by name, then the -x commands and -L workloads by index.
    runs=(${tests//,/ })
    for i in "${!commands[@]}"; do runs+=("x$i"); done
    for i in "${!workloads[@]}"; do runs+=("L$i"); done
    for test in "${runs[@]}"; do
        what=(-t "$test")
        [[ $test =~ ^x[0-9]+$ ]] && read -r -a what <<<"${commands[${test#x}]}"
        for name in redis ferredis; do
            if [ "$name" = redis ]; then port=$redis_port; pid=$redis_pid; else port=$ferredis_port; pid=$ferredis_pid; fi
            out="$work/$name.$round.$test.csv"
            if [[ $test =~ ^L[0-9]+$ ]]; then
                # The workload's preparation is left out of the CPU time.
                load=("$loadgen" -p "$port" -c "$clients" -n "$requests" "${workloads[${test#L}]}")
                "${load[@]}" --setup-only
                before=$(cpu_ns "$pid")
                "${load[@]}" --skip-setup >"$out"
            else
                before=$(cpu_ns "$pid")
                redis-benchmark -p "$port" "${bench_flags[@]}" "${what[@]}" >"$out"
            fi
            after=$(cpu_ns "$pid")
            awk -F'","' -v server="$name" -v cpu=$((after - before)) -v n="$requests" '
                NR > 1 { sub(/^"/, "", $1); label[NR] = $1; rps[NR] = $2; rows++ }
                END {
                    for (r = 2; r <= NR; r++)
                        print server "\t" label[r] "\t" rps[r] "\t" (r == NR ? cpu / (n * rows) : "")
                }' "$out" >>"$work/results.tsv"
        done
    done
done

# Per test, in the order the tests ran: the median requests/sec and CPU
# nanoseconds per request of each server over the rounds, and the ratios.
awk -F'\t' '
    function median(list,   n, v, i, j, t) {
        n = split(list, v, " ")
        if (n == 0) return 0
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
        if ($4 != "") cpu[$1, $2] = cpu[$1, $2] " " $4
    }
    END {
        printf "%-36s %12s %12s %7s %10s %10s %7s\n", "test", "redis rps", "ferredis rps", "ratio", "redis ns", "ferr. ns", "cpu"
        min_ratio = -1; max_cpu = 0
        for (i = 1; i <= count; i++) {
            t = order[i]
            r = median(rps["redis", t]); f = median(rps["ferredis", t])
            ratio = r > 0 ? f / r : 0
            if (min_ratio < 0 || ratio < min_ratio) min_ratio = ratio
            line = sprintf("%-36s %12.0f %12.0f %7.3f", t, r, f, ratio)
            if (("redis", t) in cpu) {
                rc = median(cpu["redis", t]); fc = median(cpu["ferredis", t])
                c = rc > 0 ? fc / rc : 0
                if (c > max_cpu) max_cpu = c
                line = line sprintf(" %10.0f %10.0f %7.3f", rc, fc, c)
            }
            print line
        }
        printf "\nmin throughput ratio %.3f, max cpu-per-request ratio %.3f\n", min_ratio, max_cpu
    }' "$work/results.tsv"
