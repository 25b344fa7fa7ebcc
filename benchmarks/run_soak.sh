#!/usr/bin/env bash
# Soak of `clustermatch serve` on a scratch store (issue 7):
#   benchmarks/run_soak.sh [BUILD_DIR] [SECONDS]
# Builds nothing: uses BUILD_DIR/server/clustermatch and
# BUILD_DIR/benchmarks/load_generator (BUILD_DIR defaults to build; a relative
# path is looked up from the current directory, then from the repository).
#
# 1. Imports SOAK_FIRMS (default 1000) sample firms into a fresh store, makes a
#    writer key (members scope) and starts the server (OPENBLAS_NUM_THREADS=1)
#    on a free loopback port.
# 2. Capacity: the load generator's mixed scenario (80% Recommend, Search and
#    GetFirm; 20% UpdateFirm, CreateFirm/DeleteFirm and RecordRelations;
#    benchmarks/mixed_calls.h) in a closed loop at C=8 for
#    SOAK_CAPACITY_SECONDS (default 15) after 2 s of warm-up.
# 3. Saturation: the same mix in a closed loop at C=SOAK_WORKERS (default 32)
#    for SOAK_SATURATE_SECONDS (default 5), so the server has once served as
#    many calls at a time as the soak can ever queue on it (threads, their
#    stacks and gRPC's buffers reach their high-water mark before the
#    reference RSS is taken, and a backlog later is not read as a leak).
# 4. Soak: the same mix in an open loop at SOAK_LOAD (default 0.8) times the
#    capacity for SECONDS (default 600), SOAK_WORKERS workers, while the
#    server's VmRSS (/proc/PID/status) is sampled every SOAK_RSS_EVERY
#    (default 2) seconds.
# 5. Prints capacity, target and achieved QPS, errors per code, p50/p95/p99,
#    the median RSS of the first fifth of the samples after the warm-up (the
#    first 20% of SECONDS, at most 60 s) and of the last fifth, and the
#    growth between them; stops the server with SIGTERM.
#
# Exits 1 on any failed call (capacity, saturation or soak), RSS growth over
# SOAK_MAX_GROWTH_PCT (default 5) percent, or a server that does not stop
# cleanly; 2 on bad arguments. SOAK_KEEP=1 keeps the scratch directory;
# SOAK_MIX=R,S,G,U,CD,REL sets other shares of the mix (load_generator --mix),
# e.g. to tell which calls make the server grow.
#
# The server and the client share the host's cores: capacity is the pair's.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD_ARG=${1:-build}
DURATION=${2:-600}
FIRMS=${SOAK_FIRMS:-1000}
CAPACITY_SECONDS=${SOAK_CAPACITY_SECONDS:-15}
SATURATE_SECONDS=${SOAK_SATURATE_SECONDS:-5}
LOAD=${SOAK_LOAD:-0.8}
WORKERS=${SOAK_WORKERS:-32}
RSS_EVERY=${SOAK_RSS_EVERY:-2}
MAX_GROWTH_PCT=${SOAK_MAX_GROWTH_PCT:-5}
SEED=${SOAK_SEED:-1}
MIX_ARGS=()
if [ -n "${SOAK_MIX:-}" ]; then MIX_ARGS=(--mix "$SOAK_MIX"); fi

# shellcheck source=benchmarks/scratch_server.sh
source "$HERE/scratch_server.sh"
scratch_find_binaries run_soak.sh "$BUILD_ARG"
if ! [[ "$DURATION" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_soak.sh: SECONDS must be a positive number, got '$DURATION'" >&2
  exit 2
fi

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm_soak.XXXXXX")
SERVER_PID=""
LOADGEN_PID=""
cleanup() {
  for pid in "$LOADGEN_PID" "$SERVER_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${SOAK_KEEP:-0}" = 1 ]; then
    echo "run_soak: scratch kept in $SCRATCH" >&2
  else
    rm -rf "$SCRATCH"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

RSS="$SCRATCH/rss.tsv"

rss_kb() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

echo "run_soak: $FIRMS sample firms; capacity at C=8 for ${CAPACITY_SECONDS} s, then" \
  "${DURATION} s at ${LOAD} of it with $WORKERS workers; $(nproc) CPUs shared by server" \
  "and client"
scratch_store_with_key run_soak.sh "$FIRMS" "$SEED" writer soak
scratch_start_server run_soak.sh
echo "run_soak: server pid $SERVER_PID serving on $ADDR; RSS $(rss_kb "$SERVER_PID") kB"

# --- capacity: closed loop, C=8, the same mix ---
capacity_code=0
CLUSTERMATCH_API_KEY="$API_KEY" "$LOADGEN" --server "$ADDR" --calls mixed "${MIX_ARGS[@]}" \
  --concurrency 8 --warmup 2 --duration "$CAPACITY_SECONDS" --seed "$SEED" --json "$SCRATCH/capacity.json" \
  >"$SCRATCH/capacity.out" 2>"$SCRATCH/capacity.log" || capacity_code=$?
if [ ! -s "$SCRATCH/capacity.json" ]; then
  echo "run_soak.sh: the capacity run wrote no results (exit code $capacity_code)" >&2
  scratch_show_log "$SCRATCH/capacity.log"
  exit 1
fi
CAPACITY=$(python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["results"][0]["qps"])' \
  "$SCRATCH/capacity.json")
TARGET=$(python3 -c 'import sys; print("%.1f" % (float(sys.argv[1]) * float(sys.argv[2])))' \
  "$CAPACITY" "$LOAD")
echo "run_soak: capacity (closed loop, C=8, ${CAPACITY_SECONDS} s, mixed): $CAPACITY QPS;" \
  "soak target $TARGET QPS"
if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)' "$TARGET"; then :; else
  echo "run_soak.sh: capacity run completed no calls" >&2
  scratch_show_log "$SCRATCH/capacity.log"
  exit 1
fi

# --- saturation: closed loop at the soak's worker count ---
saturate_code=0
CLUSTERMATCH_API_KEY="$API_KEY" "$LOADGEN" --server "$ADDR" --calls mixed "${MIX_ARGS[@]}" \
  --concurrency "$WORKERS" --warmup 0 --duration "$SATURATE_SECONDS" --seed "$((SEED + 1))" \
  --json "$SCRATCH/saturate.json" >"$SCRATCH/saturate.out" 2>"$SCRATCH/saturate.log" ||
  saturate_code=$?
if [ ! -s "$SCRATCH/saturate.json" ]; then
  echo "run_soak.sh: the saturation run wrote no results (exit code $saturate_code)" >&2
  scratch_show_log "$SCRATCH/saturate.log"
  exit 1
fi
echo "run_soak: saturation (closed loop, C=$WORKERS, ${SATURATE_SECONDS} s): server RSS" \
  "$(rss_kb "$SERVER_PID") kB"

# --- soak: open loop at the target, RSS sampled meanwhile ---
WARMUP_END=$((DURATION / 5))
if [ "$WARMUP_END" -gt 60 ]; then WARMUP_END=60; fi
soak_code=0
CLUSTERMATCH_API_KEY="$API_KEY" "$LOADGEN" --server "$ADDR" --calls mixed "${MIX_ARGS[@]}" \
  --concurrency "$WORKERS" --qps "$TARGET" --warmup 0 --duration "$DURATION" --seed "$SEED" \
  --json "$SCRATCH/soak.json" >"$SCRATCH/soak.out" 2>"$SCRATCH/soak.log" &
LOADGEN_PID=$!
start_ns=$(date +%s%N)
printf 'elapsed_s\trss_kb\n' >"$RSS"
while kill -0 "$LOADGEN_PID" 2>/dev/null; do
  now_ns=$(date +%s%N)
  printf '%s\t%s\n' "$(((now_ns - start_ns) / 1000000000))" "$(rss_kb "$SERVER_PID")" >>"$RSS"
  sleep "$RSS_EVERY"
done
wait "$LOADGEN_PID" || soak_code=$?
LOADGEN_PID=""

scratch_stop_server run_soak.sh

if [ ! -s "$SCRATCH/soak.json" ]; then
  echo "run_soak.sh: the soak run wrote no results (exit code $soak_code)" >&2
  scratch_show_log "$SCRATCH/soak.log"
  exit 1
fi
report_code=0
python3 - "$SCRATCH/capacity.json" "$SCRATCH/soak.json" "$RSS" "$WARMUP_END" \
  "$MAX_GROWTH_PCT" "$SCRATCH/saturate.json" <<'EOF' || report_code=$?
import json, sys
capacity_path, soak_path, rss_path, warmup_end, max_growth, saturate_path = sys.argv[1:7]
warmup_end, max_growth = int(warmup_end), float(max_growth)
capacity = json.load(open(capacity_path))["results"][0]
saturate = json.load(open(saturate_path))["results"][0]
soak = json.load(open(soak_path))["results"][0]
samples = []
for line in open(rss_path).read().splitlines()[1:]:
    elapsed, _, kb = line.partition("\t")
    if kb.strip():
        samples.append((int(elapsed), int(kb)))
failures = []
def codes(row):
    return ", ".join(f"{code} {count}" for code, count in sorted(row["error_codes"].items())) or "none"
print(f"soak: capacity {capacity['qps']:.1f} QPS (closed loop, C={capacity['concurrency']}, "
      f"{capacity['calls']} calls, errors: {codes(capacity)})")
print(f"soak: target {soak['target_qps']:.1f} QPS, achieved {soak['qps']:.1f} QPS over "
      f"{json.load(open(soak_path))['duration_s']:.0f} s ({soak['calls']} calls, "
      f"C={soak['concurrency']} workers, largest start lag {soak['max_lag_ms']:.1f} ms)")
print(f"soak: saturation {saturate['qps']:.1f} QPS (closed loop, C={saturate['concurrency']}, "
      f"{saturate['calls']} calls, p99 {saturate['p99_ms']:.1f} ms, errors: {codes(saturate)})")
print("soak: calls by kind: " + ", ".join(f"{op} {n}" for op, n in sorted(soak["ops"].items())))
print(f"soak: errors: {soak['errors']} ({codes(soak)})"
      + (f"; first: {soak['first_error']}" if soak.get("first_error") else ""))
print(f"soak: latency p50 {soak['p50_ms']:.2f} ms, p95 {soak['p95_ms']:.2f} ms, "
      f"p99 {soak['p99_ms']:.2f} ms, max {soak['max_ms']:.2f} ms")
if capacity["errors"]:
    failures.append(f"{capacity['errors']} errors in the capacity run ({codes(capacity)})")
if saturate["errors"]:
    failures.append(f"{saturate['errors']} errors in the saturation run ({codes(saturate)})")
if soak["errors"]:
    failures.append(f"{soak['errors']} errors in the soak ({codes(soak)})")
after = [s for s in samples if s[0] >= warmup_end]
if len(samples) < 2 or not after:
    failures.append(f"too few RSS samples ({len(samples)})")
else:
    # A leak is a trend, so the growth compares the median of the first
    # fifth of the samples after the warm-up with the median of the last
    # fifth (at least 3 samples each), not one sample with another. An
    # allocator that returns freed pages lazily (jemalloc purges them over
    # about 10 s) makes single samples swing by 10-25% either way.
    window = max(3, len(after) // 5)
    first, last = after[:window], after[-window:]
    def median_kb(rows):
        values = sorted(kb for _, kb in rows)
        return values[len(values) // 2]
    warm_kb, end_kb = median_kb(first), median_kb(last)
    peak = max(kb for _, kb in after)
    growth = 100.0 * (end_kb - warm_kb) / warm_kb
    print(f"soak: server RSS {samples[0][1] / 1024:.1f} MiB at the start, "
          f"median {warm_kb / 1024:.1f} MiB after the warm-up ({first[0][0]}-{first[-1][0]} s), "
          f"median {end_kb / 1024:.1f} MiB at the end ({last[0][0]}-{last[-1][0]} s), "
          f"peak after warm-up {peak / 1024:.1f} MiB; "
          f"growth {growth:+.2f}% (limit {max_growth:g}%); {len(samples)} samples")
    if growth > max_growth:
        failures.append(f"RSS grew {growth:.2f}% after the warm-up, more than {max_growth:g}%")
if soak["target_qps"] > 0 and soak["qps"] < 0.95 * soak["target_qps"]:
    print(f"soak: note: achieved {soak['qps']:.1f} QPS, under 95% of the target: "
          "the pair could not keep the rate")
if soak["max_lag_ms"] > 1000:
    print(f"soak: note: calls started up to {soak['max_lag_ms']:.0f} ms late: the server fell "
          "behind the target (capacity overestimated, or the machine slowed), and queued "
          "calls hold memory")
for failure in failures:
    print("soak: FAIL", failure, file=sys.stderr)
print("soak: " + ("FAIL" if failures else "PASS"))
sys.exit(1 if failures else 0)
EOF

echo "run_soak: server stopped (exit code $server_code); $(wc -l <"$LOG") lines in its call log"
if [ "$server_code" -ne 0 ]; then
  echo "run_soak.sh: server exited with code $server_code after SIGTERM" >&2
  scratch_show_log "$LOG"
  exit 1
fi
if [ "$report_code" -ne 0 ] || [ "$soak_code" -ne 0 ] || [ "$capacity_code" -ne 0 ] ||
  [ "$saturate_code" -ne 0 ]; then
  echo "run_soak.sh: FAIL (capacity run exit $capacity_code, saturation run exit" \
    "$saturate_code, soak run exit $soak_code)" >&2
  exit 1
fi
