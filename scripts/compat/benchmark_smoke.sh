#!/usr/bin/env bash
# redis-benchmark smoke test: usage benchmark_smoke.sh PORT TESTS
# Runs the given tests with and without pipelining. redis-benchmark exits
# at the first error reply, so any error fails this script; it also checks
# that every test reported a throughput.
set -euo pipefail
port=$1
tests=$2
want=$(echo "$tests" | tr ',' '\n' | wc -l)
# "ping" runs two tests (inline and multibulk).
echo "$tests" | tr ',' '\n' | grep -qx ping && want=$((want + 1))
for pipeline in 1 16; do
    if ! out=$(redis-benchmark -h 127.0.0.1 -p "$port" -t "$tests" -n 20000 -c 20 -P "$pipeline" --csv 2>&1); then
        echo "redis-benchmark failed (-P $pipeline):" >&2
        echo "$out" >&2
        exit 1
    fi
    if echo "$out" | grep -qi "error"; then
        echo "redis-benchmark reported errors (-P $pipeline):" >&2
        echo "$out" >&2
        exit 1
    fi
    n=$(echo "$out" | grep -cE '^"[A-Z_]+[^"]*","[0-9.]+"' || true)
    if [ "$n" -ne "$want" ]; then
        echo "redis-benchmark ran $n of $want tests (-P $pipeline):" >&2
        echo "$out" >&2
        exit 1
    fi
    echo "redis-benchmark -P $pipeline: $n tests, no errors"
done
