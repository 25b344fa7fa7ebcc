#!/usr/bin/env bash
# Soak of `clustermatch serve` on a scratch store (issue 7):
#   benchmarks/run_soak.sh [BUILD_DIR] [SECONDS]
# Builds nothing: uses BUILD_DIR/server/clustermatch and
# BUILD_DIR/benchmarks/load_generator (BUILD_DIR defaults to build; a relative
# path is looked up from the current directory, then from the repository).
#
# 1. Imports SOAK_FIRMS (default 1000) sample firms into a fresh store, makes a
#    writer key for the load and an admin key for `stats` (members scope), and
#    starts the server (OPENBLAS_NUM_THREADS=1) on a free loopback port.
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
#    capacity for SECONDS (default 600), SOAK_WORKERS workers, in two
#    stretches: the warm-up (20% of SECONDS, at most 60 s) and the rest, with
#    the load stopped for a second after each. Every SOAK_RSS_EVERY (default
#    1) second it samples the server's VmRSS (/proc/PID/status) and its live
#    heap, the bytes its allocator has handed out and not had back
#    (`clustermatch --server ADDR stats` with an admin key:
#    AdminService/GetStats), and reads the live heap again at rest after each
#    stretch.
# 5. Prints capacity, target and achieved QPS, errors per code, p50/p95/p99
#    (of the second stretch), the live heap at rest after each stretch, and
#    RSS over the first and the last fifth of the samples after the warm-up;
#    stops the server with SIGTERM.
#
# A leak is live heap that the server keeps, so the check is on the heap at
# rest. Under load the heap also holds the calls in flight (up to
# SOAK_WORKERS requests, responses and gRPC buffers), which swung one
# minute's samples between 36 and 54 MiB and raised them by about 10 MiB for
# as long as the pair fell behind the target; at rest none is in flight. The
# heap at rest at the end may exceed the heap at rest after the warm-up by
# SOAK_MAX_GROWTH_PCT (default 5) percent. RSS also moves with how the
# allocator caches freed pages (jemalloc returns them over about 10 s, so
# samples swing by 10-25% either way under an uneven load), so RSS fails only
# when its last-fifth median exceeds by the same percentage both its
# first-fifth median and the RSS after the saturation run, the most the
# server held at its busiest.
#
# Exits 1 on any failed call (capacity, saturation or soak), heap or RSS
# growth as above, or a server that does not stop cleanly; 2 on bad arguments. SOAK_KEEP=1 keeps the scratch directory;
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
RSS_EVERY=${SOAK_RSS_EVERY:-1}
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

MEMORY="$SCRATCH/memory.tsv"

rss_kb() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

heap_bytes() {
  "$CM" --server "$ADDR" --api-key "$ADMIN_KEY" stats 2>>"$SCRATCH/stats.log" |
    awk '/^heap allocated:/ { print $3 }' || true
}

echo "run_soak: $FIRMS sample firms; capacity at C=8 for ${CAPACITY_SECONDS} s, then" \
  "${DURATION} s at ${LOAD} of it with $WORKERS workers; $(nproc) CPUs shared by server" \
  "and client"
scratch_store_with_key run_soak.sh "$FIRMS" "$SEED" admin soak-stats
ADMIN_KEY=$API_KEY
scratch_key_for_store run_soak.sh "$DB" writer soak
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
SATURATED_KB=$(rss_kb "$SERVER_PID")
echo "run_soak: saturation (closed loop, C=$WORKERS, ${SATURATE_SECONDS} s): server RSS" \
  "$SATURATED_KB kB"

# --- soak: open loop at the target, RSS and heap sampled meanwhile ---
# Two stretches: the warm-up (20% of SECONDS, at most 60 s), then the rest.
# The load stops for a second after each, and the live heap is read at rest:
# no call is in flight then, so the two readings differ only by what the
# server kept.
WARMUP_END=$((DURATION / 5))
if [ "$WARMUP_END" -gt 60 ]; then WARMUP_END=60; fi
if [ "$WARMUP_END" -lt 1 ]; then WARMUP_END=1; fi
MAIN_SECONDS=$((DURATION - WARMUP_END))
if [ "$MAIN_SECONDS" -lt 1 ]; then MAIN_SECONDS=1; fi
start_ns=$(date +%s%N)
printf 'elapsed_s\trss_kb\theap_bytes\n' >"$MEMORY"

# soak_stretch NAME SECONDS SEED: the open loop for SECONDS, sampling memory;
# sets stretch_code and HEAP_AT_REST.
soak_stretch() {
  local name=$1 seconds=$2 seed=$3 now_ns
  stretch_code=0
  CLUSTERMATCH_API_KEY="$API_KEY" "$LOADGEN" --server "$ADDR" --calls mixed "${MIX_ARGS[@]}" \
    --concurrency "$WORKERS" --qps "$TARGET" --warmup 0 --duration "$seconds" --seed "$seed" \
    --json "$SCRATCH/$name.json" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.log" &
  LOADGEN_PID=$!
  while kill -0 "$LOADGEN_PID" 2>/dev/null; do
    now_ns=$(date +%s%N)
    printf '%s\t%s\t%s\n' "$(((now_ns - start_ns) / 1000000000))" "$(rss_kb "$SERVER_PID")" \
      "$(heap_bytes)" >>"$MEMORY"
    sleep "$RSS_EVERY"
  done
  wait "$LOADGEN_PID" || stretch_code=$?
  LOADGEN_PID=""
  if [ ! -s "$SCRATCH/$name.json" ]; then
    echo "run_soak.sh: the $name stretch wrote no results (exit code $stretch_code)" >&2
    scratch_show_log "$SCRATCH/$name.log"
    exit 1
  fi
  sleep 1
  HEAP_AT_REST=$(heap_bytes)
}

soak_stretch warmup "$WARMUP_END" "$((SEED + 2))"
warmup_code=$stretch_code
HEAP_WARM=$HEAP_AT_REST
WARMUP_END=$((($(date +%s%N) - start_ns) / 1000000000))
soak_stretch soak "$MAIN_SECONDS" "$SEED"
soak_code=$stretch_code
HEAP_END=$HEAP_AT_REST

scratch_stop_server run_soak.sh

report_code=0
python3 - "$SCRATCH/capacity.json" "$SCRATCH/soak.json" "$MEMORY" "$WARMUP_END" \
  "$MAX_GROWTH_PCT" "$SCRATCH/saturate.json" "$SATURATED_KB" "${HEAP_WARM:-0}" \
  "${HEAP_END:-0}" "$SCRATCH/warmup.json" <<'EOF' || report_code=$?
import json, sys
capacity_path, soak_path, memory_path, warmup_end, max_growth, saturate_path = sys.argv[1:7]
warmup_end, max_growth, saturated_kb = int(warmup_end), float(max_growth), int(sys.argv[7])
heap_warm, heap_end = int(sys.argv[8] or 0), int(sys.argv[9] or 0)
warmup = json.load(open(sys.argv[10]))["results"][0]
capacity = json.load(open(capacity_path))["results"][0]
saturate = json.load(open(saturate_path))["results"][0]
soak = json.load(open(soak_path))["results"][0]
samples = []  # (elapsed s, RSS KiB, live heap bytes); a sample missing either is dropped
for line in open(memory_path).read().splitlines()[1:]:
    fields = line.split("\t")
    if len(fields) == 3 and fields[1].strip() and fields[2].strip():
        samples.append((int(fields[0]), int(fields[1]), int(fields[2])))
failures = []
def codes(row):
    return ", ".join(f"{code} {count}" for code, count in sorted(row["error_codes"].items())) or "none"
print(f"soak: capacity {capacity['qps']:.1f} QPS (closed loop, C={capacity['concurrency']}, "
      f"{capacity['calls']} calls, errors: {codes(capacity)})")
print(f"soak: target {soak['target_qps']:.1f} QPS, achieved {soak['qps']:.1f} QPS over "
      f"{soak['window_s']:.1f} s, until the last call due in the "
      f"{json.load(open(soak_path))['duration_s']:.0f} s window completed ({soak['calls']} calls, "
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
if warmup["errors"]:
    failures.append(f"{warmup['errors']} errors in the soak's warm-up ({codes(warmup)})")
if soak["errors"]:
    failures.append(f"{soak['errors']} errors in the soak ({codes(soak)})")
after = [s for s in samples if s[0] >= warmup_end]
if len(samples) < 2 or len(after) < 6:
    failures.append(f"too few memory samples ({len(samples)}, {len(after)} after the warm-up)")
else:
    # RSS's growth compares the median of the first fifth of the samples
    # after the warm-up with that of the last fifth (at least 3 samples each),
    # not one sample with another.
    window = max(3, len(after) // 5)
    first, last = after[:window], after[-window:]
    def median(rows, column):
        values = sorted(row[column] for row in rows)
        return values[len(values) // 2]
    def growth(start, end):
        return 100.0 * (end - start) / start
    mib = 1024.0 * 1024.0
    if heap_warm <= 0 or heap_end <= 0:
        failures.append("no live heap at rest (clustermatch stats failed: see stats.log)")
    else:
        heap_growth = growth(heap_warm, heap_end)
        print(f"soak: live heap at rest {heap_warm / mib:.2f} MiB after the warm-up, "
              f"{heap_end / mib:.2f} MiB at the end; growth {heap_growth:+.2f}% "
              f"(limit {max_growth:g}%); under load median {median(after, 2) / mib:.1f} MiB, "
              f"peak {max(s[2] for s in after) / mib:.1f} MiB")
        if heap_growth > max_growth:
            failures.append(f"the live heap at rest grew {heap_growth:.2f}% after the warm-up, "
                            f"more than {max_growth:g}%")
    warm_kb, end_kb = median(first, 1), median(last, 1)
    rss_growth = growth(warm_kb, end_kb)
    over_saturated = growth(saturated_kb, end_kb)
    print(f"soak: server RSS {saturated_kb / 1024:.1f} MiB after the saturation run, "
          f"median {warm_kb / 1024:.1f} MiB after the warm-up, median {end_kb / 1024:.1f} MiB "
          f"at the end, peak after warm-up {max(s[1] for s in after) / 1024:.1f} MiB; growth "
          f"{rss_growth:+.2f}% from the warm-up, {over_saturated:+.2f}% from the saturation run "
          f"(limit {max_growth:g}% over both)")
    if rss_growth > max_growth and over_saturated > max_growth:
        failures.append(f"RSS grew {rss_growth:.2f}% after the warm-up and ended "
                        f"{over_saturated:.2f}% above the saturation run's, more than {max_growth:g}%")
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
if [ "$report_code" -ne 0 ] || [ "$soak_code" -ne 0 ] || [ "$warmup_code" -ne 0 ] ||
  [ "$capacity_code" -ne 0 ] ||
  [ "$saturate_code" -ne 0 ]; then
  echo "run_soak.sh: FAIL (capacity run exit $capacity_code, saturation run exit" \
    "$saturate_code, warm-up exit $warmup_code, soak run exit $soak_code)" >&2
  exit 1
fi
