#!/usr/bin/env bash
# redis-cli end to end against one server: usage redis_cli.sh PORT WORKDIR
# Each check compares redis-cli's output with what it must print.
set -euo pipefail
port=$1
work=$2
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
fail() { echo "redis-cli check failed: $*" >&2; exit 1; }
expect() { # expect NAME EXPECTED ACTUAL
    [ "$2" == "$3" ] || fail "$1: expected [$2], got [$3]"
}

cli FLUSHALL >/dev/null

# An interactive session fed through stdin: one command per line.
out=$(printf 'SET greeting hello\nGET greeting\nAPPEND greeting " world"\nGET greeting\nINCR visits\nINCRBY visits 41\nGET nosuchkey\nDEL greeting\nEXISTS greeting\nFOO bar\n' | cli 2>&1)
expect "interactive" $'OK\nhello\n11\nhello world\n1\n42\n\n1\n0\nERR unknown command \'FOO\', with args beginning with: \'bar\' ' "$out"

# --pipe mass insertion of 100,000 commands.
cli FLUSHALL >/dev/null
python3 - "$work/pipe.txt" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    for i in range(100_000):
        k = b"mass:%06d" % i
        v = b"value-%d" % i
        f.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
PY
out=$(cli --pipe < "$work/pipe.txt" | tail -1)
expect "--pipe summary" "errors: 0, replies: 100000" "$out"
expect "--pipe count" "100000" "$(cli DBSIZE)"
expect "--pipe value" "value-99999" "$(cli GET mass:099999)"

# --scan with a pattern.
for i in 1 2 3; do cli SET "user:$i" "u$i" >/dev/null; done
out=$(cli --scan --pattern 'user:*' | sort | tr '\n' ' ')
expect "--scan" "user:1 user:2 user:3 " "$out"

# -r repeats a command.
cli DEL counter >/dev/null
out=$(cli -r 5 INCR counter | tr '\n' ' ')
expect "-r 5" "1 2 3 4 5 " "$out"

# --csv output.
cli MSET c1 one c2 two >/dev/null
out=$(cli --csv MGET c1 c2 nosuch)
expect "--csv" '"one","two",NULL' "$out"

# --bigkeys finds the biggest string.
cli SET big:one "$(head -c 5000 /dev/zero | tr '\0' x)" >/dev/null
out=$(cli --bigkeys 2>&1)
echo "$out" | grep -qF "Biggest string found '\"big:one\"' has 5000 bytes" \
    || fail "--bigkeys did not report big:one: $out"
echo "$out" | grep -q "^100007 strings with" || fail "--bigkeys string count: $out"

# --memkeys needs MEMORY USAGE, which ferredis may not have yet.
if cli MEMORY USAGE big:one 2>/dev/null | grep -qE '^[0-9]+$'; then
    cli --memkeys 2>&1 | grep -qF "Biggest string found '\"big:one\"'" || fail "--memkeys"
fi
echo "redis-cli: all checks passed on port $port"
