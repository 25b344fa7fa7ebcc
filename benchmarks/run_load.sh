#!/usr/bin/env bash
# Closed-loop load test of `clustermatch serve` on a scratch store (issue 6):
#   benchmarks/run_load.sh [BUILD_DIR] [FIRMS]
# Builds nothing: uses BUILD_DIR/server/clustermatch and
# BUILD_DIR/benchmarks/load_generator (BUILD_DIR defaults to build; a relative
# path is looked up from the current directory, then from the repository).
# Generates FIRMS (default 1000) sample firms, imports them into a fresh
# store, makes a reader key (members scope, as the portal uses), starts the
# server on a free loopback port with OPENBLAS_NUM_THREADS=1, waits until its
# health check answers SERVING, runs the load generator (empty, recommend and
# search at each concurrency), prints the Markdown table, then stops the
# server with SIGTERM and removes the scratch directory.
#
# Environment knobs (defaults in brackets):
#   LOAD_CONCURRENCY [1,2,8]  LOAD_DURATION [10]  LOAD_WARMUP [2]
#   LOAD_CALLS [empty,recommend,search]  LOAD_SEED [1]  LOAD_K [10]
#   LOAD_JSON      copy the load generator's JSON results to this file
#   LOAD_LOG       copy the server's log (one line per call, with the time
#                  the server spent on it) to this file
#   LOAD_QPS       run open loop at this offered rate instead of closed loop
#   LOAD_ASSERT=1  fail unless every scenario completed calls with no errors;
#                  with LOAD_QPS, also unless the achieved rate is the calls
#                  over the time until the last one completed
#   LOAD_EXPECT_BEHIND=1  with LOAD_ASSERT and a LOAD_QPS far above what the
#                  pair can serve: fail unless the achieved rate is under half
#                  of it (the achieved rate must show the server fell behind)
#   LOAD_DB        serve this existing store instead of a fresh sample one
#                  (FIRMS is then unused; a reader key is added to the store,
#                  nothing else is written; e.g. a 1M store kept by
#                  IMPORT_KEEP=1 benchmarks/run_import.sh build 1000000)
#   LOAD_FIRMS_FROM  recommend firm ids from this JSONL file instead of
#                  paging ListFirms (the file the store was imported from)
#                  (the ctest load_generator_smoke uses this; no timings)
#
# The server and the client run on the same host and share its cores: on a
# 2-core machine the numbers measure the pair, not the server alone.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD_ARG=${1:-build}
FIRMS=${2:-1000}
CONCURRENCY=${LOAD_CONCURRENCY:-1,2,8}
DURATION=${LOAD_DURATION:-10}
WARMUP=${LOAD_WARMUP:-2}
CALLS=${LOAD_CALLS:-empty,recommend,search}
SEED=${LOAD_SEED:-1}
K=${LOAD_K:-10}

# shellcheck source=benchmarks/scratch_server.sh
source "$HERE/scratch_server.sh"
scratch_find_binaries run_load.sh "$BUILD_ARG"
if ! [[ "$FIRMS" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_load.sh: FIRMS must be a positive number, got '$FIRMS'" >&2
  exit 2
fi

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm_load.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

JSON="$SCRATCH/results.json"

echo "run_load: ${LOAD_DB:-$FIRMS sample firms}, concurrency $CONCURRENCY, ${WARMUP} s warmup +" \
  "${DURATION} s per scenario; $(nproc) CPUs shared by server and client"
if [ -n "${LOAD_DB:-}" ]; then
  scratch_key_for_store run_load.sh "$LOAD_DB" reader load_generator
  echo "run_load: serving the existing store $DB"
else
  scratch_store_with_key run_load.sh "$FIRMS" "$SEED" reader load_generator
  echo "run_load: $(cat "$SCRATCH/import.out")"
fi
FIRMS_FROM=()
if [ -n "${LOAD_FIRMS_FROM:-}" ]; then FIRMS_FROM=(--firms-from "$LOAD_FIRMS_FROM"); fi
OPEN_LOOP=()
if [ -n "${LOAD_QPS:-}" ]; then OPEN_LOOP=(--qps "$LOAD_QPS"); fi
scratch_start_server run_load.sh
echo "run_load: server pid $SERVER_PID serving on $ADDR"

load_code=0
CLUSTERMATCH_API_KEY="$API_KEY" "$LOADGEN" --server "$ADDR" --concurrency "$CONCURRENCY" \
  --duration "$DURATION" --warmup "$WARMUP" --calls "$CALLS" --seed "$SEED" --k "$K" \
  --json "$JSON" "${FIRMS_FROM[@]}" "${OPEN_LOOP[@]}" || load_code=$?

scratch_stop_server run_load.sh
echo "run_load: server stopped (exit code $server_code); $(wc -l <"$LOG") lines in its call log"

if [ -n "${LOAD_JSON:-}" ] && [ -s "$JSON" ]; then cp "$JSON" "$LOAD_JSON"; fi
if [ -n "${LOAD_LOG:-}" ]; then cp "$LOG" "$LOAD_LOG"; fi

if [ "${LOAD_ASSERT:-0}" = 1 ]; then
  python3 - "$JSON" "$CALLS" "$CONCURRENCY" <<'EOF'
import json, os, sys
path, calls, concurrency = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
expect_behind = os.environ.get("LOAD_EXPECT_BEHIND") == "1"
try:
    results = json.load(open(path))
    rows, duration = results["results"], results["duration_s"]
except (OSError, ValueError, KeyError) as e:
    sys.exit(f"load_generator_smoke: no results in {path}: {e}")
failures = []
for call in calls:
    for c in concurrency:
        row = [r for r in rows if r["call"] == call and r["concurrency"] == int(c)]
        if len(row) != 1:
            failures.append(f"{call} C={c}: {len(row)} result rows, expected 1")
            continue
        row = row[0]
        if row["calls"] <= 0:
            failures.append(f"{call} C={c}: no calls completed")
        if row["errors"] != 0:
            failures.append(f"{call} C={c}: {row['errors']} errors {row['error_codes']} "
                            f"(first: {row.get('first_error', '')})")
        ok = row["calls"] - row["errors"]
        if abs(row["qps"] * row["window_s"] - ok) > 0.5:
            failures.append(f"{call} C={c}: {row['qps']:.1f} QPS over {row['window_s']:.3f} s "
                            f"is not the {ok} calls that succeeded")
        if row["target_qps"] > 0 and row["window_s"] < duration:
            failures.append(f"{call} C={c}: open-loop window {row['window_s']:.3f} s is shorter "
                            f"than the {duration} s the calls were due in")
        if expect_behind and not row["qps"] < 0.5 * row["target_qps"]:
            failures.append(f"{call} C={c}: achieved {row['qps']:.1f} QPS of a target "
                            f"{row['target_qps']:.1f} QPS set far above capacity")
for f in failures:
    print("load_generator_smoke: FAIL", f, file=sys.stderr)
if failures:
    sys.exit(1)
print(f"load_generator_smoke: {len(rows)} scenario rows, each with calls > 0 and 0 errors")
EOF
fi

if [ "$load_code" -ne 0 ]; then
  echo "run_load.sh: load_generator exited with code $load_code" \
    "(3: some calls failed, see the table)" >&2
  exit "$load_code"
fi
if [ "$server_code" -ne 0 ]; then
  echo "run_load.sh: server exited with code $server_code after SIGTERM" >&2
  scratch_show_log "$LOG"
  exit 1
fi
