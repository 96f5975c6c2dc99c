"""The performance targets: ferredis against Redis 7.0, one table.

Each group of rows gets a fresh pair of servers (persistence off). Within a
group every redis-benchmark run goes Redis, then ferredis, round after
round (A B A B), so that drift in the machine's load falls on both alike;
each figure is the median over the rounds. The server's CPU time per
request comes from /proc/PID/schedstat around each run.

  group        redis-benchmark flags                      checked
  default      -c 50 -n 100000, each default test         throughput >= 1.00
  pipelined    -c 50 -n 2000000 -P 16, SET and GET        throughput >= 1.20,
                                                          CPU/request <= 0.80
  random keys  -c 50 -n 1000000 -r 1000000, SET then GET  throughput >= 1.00
  latency      -c 1 -n 100000 -t get                      p50, p99 <= Redis's
  connections  -c 1000 -n 500000, SET and GET             throughput >= 1.00
  values       -d 1024 / 65536 / 1048576, SET and GET     throughput >= 1.00
  memory       1,000,000 SETs key:NNNNNNNN -> 10 bytes    RSS/key <= 0.80

The table is printed with both figures, the ratio ferredis/Redis, the
target and whether it holds, then one summary line. With --out DIR it is
also written to DIR/targets.csv (and every round to DIR/rounds.csv) and
drawn in DIR/targets.png (gnuplot; scripts/bench.sh installs it).

    python3 scripts/bench/targets.py --ferredis target/release/ferredis \
        [--rounds 3] [--scale 1.0] [--only default,pipelined,...] [--out DIR]
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import memory
from host import Server, cpu_ns, user_sys_ns

DEFAULT_TESTS = ["ping_inline", "ping_mbulk", "set", "get", "incr", "lpush", "rpush", "lpop", "rpop",
                 "sadd", "hset", "spop", "zadd", "zpopmin", "lrange_100", "lrange_300", "lrange_500",
                 "lrange_600", "mset"]


class Run:
    """One redis-benchmark invocation of a group: `label` names its row."""

    def __init__(self, label, flags, requests):
        self.label, self.flags, self.requests = label, flags, requests


def groups(scale):
    def n(count):
        return str(max(1, int(count * scale)))

    def pair(prefix, flags, count):
        return [Run(f"{cmd} {prefix}", flags + ["-n", n(count), "-t", cmd.lower()], int(n(count)))
                for cmd in ("SET", "GET")]

    sizes = []
    for size, label, count in ((1024, "1 KiB", 200_000), (65536, "64 KiB", 20_000),
                               (1048576, "1 MiB", 2_000)):
        sizes += pair(f"-d {label}", ["-c", "50", "-d", str(size)], count)
    return {
        "default": [Run(t, ["-c", "50", "-n", n(100_000), "-t", t], int(n(100_000)))
                    for t in DEFAULT_TESTS],
        "pipelined": pair("-P 16", ["-c", "50", "-P", "16"], 2_000_000),
        "random keys": pair("-r 1M", ["-c", "50", "-r", "1000000"], 1_000_000),
        "latency": [Run("GET -c 1", ["-c", "1", "-n", n(100_000), "-t", "get"], int(n(100_000)))],
        "connections": pair("-c 1000", ["-c", "1000"], 500_000),
        "values": sizes,
    }


def bench(port, pid, run):
    """Runs redis-benchmark once: {rps, p50, p99, cpu} of the run's own row
    (the last one: an lrange test first prints the LPUSH that filled it)."""
    before, user0, sys0 = cpu_ns(pid), *user_sys_ns(pid)
    out = subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "--csv", *run.flags],
                         capture_output=True, text=True)
    spent = cpu_ns(pid) - before
    user1, sys1 = user_sys_ns(pid)
    rows = list(csv.DictReader(out.stdout.splitlines()))
    if out.returncode != 0 or not rows:
        raise SystemExit(f"redis-benchmark {' '.join(run.flags)} failed: {out.stderr.strip()}")
    last = rows[-1]
    requests = run.requests * len(rows)
    return {"rps": float(last["rps"]), "p50": float(last["p50_latency_ms"]),
            "p99": float(last["p99_latency_ms"]), "cpu": spent / requests,
            "user": (user1 - user0) / requests, "sys": (sys1 - sys0) / requests}


def memory_rounds(ferredis, rounds, work):
    path = os.path.join(work, "strings.resp")
    with open(path, "wb") as f:
        keys = memory.strings(f)
    out = {"redis": [], "ferredis": []}
    for _ in range(rounds):
        out["redis"].append(memory.measure("redis-server", path, keys, work))
        out["ferredis"].append(memory.measure(ferredis, path, keys, work))
    os.remove(path)
    return out


# A checked row: (group, row, metric, unit, redis, ferredis, target, higher is better).
def check_rows(name, runs, results):
    rows = []
    for run in runs:
        med = {s: {k: statistics.median(r[k] for r in results[s][run.label]) for k in results[s][run.label][0]}
               for s in ("redis", "ferredis")}
        if name == "latency":
            rows.append((name, run.label, "p50 latency", "ms", med["redis"]["p50"], med["ferredis"]["p50"], 1.00, False))
            rows.append((name, run.label, "p99 latency", "ms", med["redis"]["p99"], med["ferredis"]["p99"], 1.00, False))
            continue
        target = 1.20 if name == "pipelined" else 1.00
        rows.append((name, run.label, "throughput", "req/s", med["redis"]["rps"], med["ferredis"]["rps"], target, True))
        # The CPU per request of every row is shown; only -P 16's is a target.
        rows.append((name, run.label, "CPU/request", "ns", med["redis"]["cpu"], med["ferredis"]["cpu"],
                     0.80 if name == "pipelined" else None, False))
    return rows


def ratio(redis, ferredis):
    return ferredis / redis if redis > 0 else float("inf")


def holds(row):
    _, _, _, _, r, f, target, higher = row
    if target is None:
        return None
    return ratio(r, f) >= target if higher else ratio(r, f) <= target


HEADER = f"{'row':<22} {'metric':<12} {'redis':>12} {'ferredis':>12} {'ratio':>7}  {'target':<8} met"


def row_line(row):
    _, label, metric, unit, r, f, target, higher = row
    ok = holds(row)
    goal = "" if target is None else f"{'>=' if higher else '<='} {target:.2f}"
    fmt = "{:>12.3f}" if unit == "ms" else "{:>12.1f}" if unit == "B/key" else "{:>12.0f}"
    return (f"{label:<22} {metric:<12} {fmt.format(r)} {fmt.format(f)} {ratio(r, f):>7.3f}  {goal:<8} "
            f"{'' if ok is None else 'yes' if ok else 'NO'}")


def summary(rows):
    thr = [(ratio(r[4], r[5]), r[1]) for r in rows if r[2] == "throughput"]
    mem = [ratio(r[4], r[5]) for r in rows if r[2] == "RSS per key"]
    checked = [holds(r) for r in rows if holds(r) is not None]
    parts = []
    if thr:
        low = min(thr)
        parts.append(f"min throughput ratio {low[0]:.3f} ({low[1]})")
    if mem:
        parts.append(f"memory ratio {mem[0]:.3f}")
    parts.append(f"targets met {sum(checked)}/{len(checked)}")
    return ", ".join(parts)


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "row", "metric", "unit", "redis", "ferredis", "ratio", "target", "met"])
        for row in rows:
            group, label, metric, unit, r, f_, target, higher = row
            ok = holds(row)
            w.writerow([group, label, metric, unit, f"{r:.4f}", f"{f_:.4f}", f"{ratio(r, f_):.4f}",
                        "" if target is None else f"{'>=' if higher else '<='}{target:.2f}",
                        "" if ok is None else "yes" if ok else "no"])


def chart(rows, out, title):
    """Two panels of ferredis/Redis ratios (Redis = 1): throughput, where
    higher is better, and costs (CPU per request, latency, bytes per key),
    where lower is better."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("gnuplot not found: no chart drawn (the CSV has every figure)", file=sys.stderr)
        return
    data = os.path.join(out, "chart.dat")
    thr = [r for r in rows if r[2] == "throughput"]
    cost = [r for r in rows if r[2] != "throughput" and (r[6] is not None or r[0] == "memory")]
    with open(data, "w") as f:
        for block in (thr, cost):
            for r in block:
                label = r[1] if r[2] == "throughput" else f"{r[1]} {r[2]}"
                f.write(f"\"{label}\" 1.0 {ratio(r[4], r[5]):.4f}\n")
            f.write("\n\n")
    script = f"""
set terminal png size 1400,1000 font ",10" noenhanced
set output "{os.path.join(out, 'targets.png')}"
set multiplot layout 2,1 title "{title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top left
set xtics rotate by -40 scale 0
set yrange [0:*]
set title "throughput, ferredis/Redis (higher is better; targets 1.00, 1.20 for -P 16)"
plot "{data}" index 0 using 2:xtic(1) title "Redis 7.0" lc rgb "#c0392b", \\
     "" index 0 using 3 title "ferredis" lc rgb "#2c6fbb", 1 notitle lc rgb "black" dt 2
set title "cost, ferredis/Redis (lower is better; targets CPU 0.80, latency 1.00, memory 0.80)"
plot "{data}" index 1 using 2:xtic(1) title "Redis 7.0" lc rgb "#c0392b", \\
     "" index 1 using 3 title "ferredis" lc rgb "#2c6fbb", 0.8 notitle lc rgb "black" dt 2
unset multiplot
"""
    done = subprocess.run([gnuplot], input=script, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"gnuplot failed: {done.stderr.strip()}", file=sys.stderr)
    os.remove(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ferredis", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--scale", type=float, default=1.0, help="multiply every -n (a quick look: 0.1)")
    p.add_argument("--only", default="default,pipelined,random keys,latency,connections,values,memory")
    p.add_argument("--out", help="directory for targets.csv, rounds.csv and targets.png")
    args = p.parse_args()
    wanted = args.only.split(",")
    plan = {k: v for k, v in groups(args.scale).items() if k in wanted}

    version = subprocess.run([args.ferredis, "--version"], capture_output=True, text=True).stdout.strip()
    redis_version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    machine = f"{os.cpu_count()} cores, {cpu}, {os.uname().sysname} {os.uname().release}"
    print(f"redis:    {redis_version}\nferredis: {version}\nmachine:  {machine}")
    print(f"rounds:   {args.rounds}, interleaved (Redis, then ferredis, per run); medians\n", flush=True)

    rows, raw = [], []
    with tempfile.TemporaryDirectory() as work:
        print(HEADER, flush=True)  # rows follow as each group ends
        for name, runs in plan.items():
            results = {"redis": {r.label: [] for r in runs}, "ferredis": {r.label: [] for r in runs}}
            with Server("redis-server", work) as redis, Server(args.ferredis, work) as ferredis:
                for round_no in range(1, args.rounds + 1):
                    print(f"  {name}: round {round_no}/{args.rounds}", file=sys.stderr, flush=True)
                    for run in runs:
                        for server_name, server in (("redis", redis), ("ferredis", ferredis)):
                            got = bench(server.port, server.pid, run)
                            results[server_name][run.label].append(got)
                            raw.append([name, run.label, server_name, round_no, got["rps"], got["p50"],
                                        got["p99"], f"{got['cpu']:.1f}", f"{got['user']:.0f}",
                                        f"{got['sys']:.0f}"])
            group_rows = check_rows(name, runs, results)
            rows += group_rows
            for row in group_rows:
                print(row_line(row), flush=True)
        if "memory" in wanted:
            print("  memory: 1,000,000 keys per server per round", file=sys.stderr, flush=True)
            mem = memory_rounds(args.ferredis, args.rounds, work)
            for server_name, values in mem.items():
                raw += [["memory", "1M keys", server_name, i + 1, "", "", "", "", "", "", f"{v:.1f}"]
                        for i, v in enumerate(values)]
            row = ("memory", "1M keys key:NNNNNNNN", "RSS per key", "B/key", statistics.median(mem["redis"]),
                   statistics.median(mem["ferredis"]), 0.80, False)
            rows.append(row)
            print(row_line(row), flush=True)

    line = summary(rows)
    print(f"\n{line}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        write_csv(rows, os.path.join(args.out, "targets.csv"))
        with open(os.path.join(args.out, "rounds.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["group", "row", "server", "round", "rps", "p50_ms", "p99_ms", "cpu_ns", "user_ns", "sys_ns",
                        "rss_per_key"])
            w.writerows(raw)
        with open(os.path.join(args.out, "targets.txt"), "w") as f:
            f.write(f"redis:    {redis_version}\nferredis: {version}\nmachine:  {machine}\n")
            f.write(f"rounds:   {args.rounds}\n\n")
            f.write("\n".join([HEADER] + [row_line(r) for r in rows]) + "\n")
            f.write(f"\n{line}\n")
        chart(rows, args.out, f"ferredis vs Redis 7.0 ({machine}; medians of {args.rounds} rounds)")
        print(f"written: {args.out}/targets.csv, rounds.csv, targets.txt, targets.png")


if __name__ == "__main__":
    sys.exit(main())
