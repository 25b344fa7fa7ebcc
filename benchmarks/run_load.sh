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
#   LOAD_ASSERT=1  fail unless every scenario completed calls with no errors
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
PORT_FILE_TIMEOUT_S=60
HEALTH_TIMEOUT_S=30
SHUTDOWN_TIMEOUT_S=20

if [ -d "$BUILD_ARG" ]; then
  BUILD_DIR=$(cd "$BUILD_ARG" && pwd)
elif [ -d "$REPO/$BUILD_ARG" ]; then
  BUILD_DIR=$(cd "$REPO/$BUILD_ARG" && pwd)
else
  echo "run_load.sh: build directory '$BUILD_ARG' not found" >&2
  exit 2
fi
if ! [[ "$FIRMS" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_load.sh: FIRMS must be a positive number, got '$FIRMS'" >&2
  exit 2
fi
CM="$BUILD_DIR/server/clustermatch"
LOADGEN="$BUILD_DIR/benchmarks/load_generator"
for bin in "$CM" "$LOADGEN"; do
  if [ ! -x "$bin" ]; then
    echo "run_load.sh: $bin is missing: build the clustermatch and load_generator targets" >&2
    exit 2
  fi
done

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

DB="$SCRATCH/store.db"
LOG="$SCRATCH/server.log"
PORT_FILE="$SCRATCH/port"
JSON="$SCRATCH/results.json"

show_log() {
  echo "---- $1 ----" >&2
  tail -n 40 "$1" >&2 || true
  echo "---- end of $1 ----" >&2
}

echo "run_load: $FIRMS sample firms, concurrency $CONCURRENCY, ${WARMUP} s warmup +" \
  "${DURATION} s per scenario; $(nproc) CPUs shared by server and client"
"$CM" sample --firms "$FIRMS" --seed "$SEED" >"$SCRATCH/firms.jsonl"
if ! "$CM" --db "$DB" import "$SCRATCH/firms.jsonl" >"$SCRATCH/import.out" \
  2>"$SCRATCH/setup.log"; then
  echo "run_load.sh: import failed" >&2
  show_log "$SCRATCH/setup.log"
  exit 1
fi
echo "run_load: $(cat "$SCRATCH/import.out")"
API_KEY=$("$CM" --db "$DB" keys add --role reader --scope members --label load_generator \
  2>>"$SCRATCH/setup.log")
if ! [[ "$API_KEY" =~ ^cm_[A-Za-z0-9_-]+$ ]]; then
  echo "run_load.sh: keys add printed '$API_KEY', expected one cm_... key" >&2
  show_log "$SCRATCH/setup.log"
  exit 1
fi

# One log line per call goes to the scratch log, not to the terminal.
OPENBLAS_NUM_THREADS=1 "$CM" --db "$DB" serve --listen 127.0.0.1:0 --port-file "$PORT_FILE" \
  2>"$LOG" &
SERVER_PID=$!

port=""
deadline=$((SECONDS + PORT_FILE_TIMEOUT_S))
while [ -z "$port" ]; do
  if [ -s "$PORT_FILE" ]; then
    candidate=$(tr -d '[:space:]' <"$PORT_FILE")
    if [[ "$candidate" =~ ^[0-9]+$ ]] && [ "$candidate" -gt 0 ]; then port=$candidate; fi
  fi
  if [ -z "$port" ]; then
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run_load.sh: server exited before writing its port file" >&2
      SERVER_PID=""
      show_log "$LOG"
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run_load.sh: no port in $PORT_FILE after ${PORT_FILE_TIMEOUT_S} s" >&2
      show_log "$LOG"
      exit 1
    fi
    sleep 0.1
  fi
done
ADDR="127.0.0.1:$port"

# Health: a short run of the empty scenario must answer SERVING without errors.
deadline=$((SECONDS + HEALTH_TIMEOUT_S))
until "$LOADGEN" --server "$ADDR" --calls empty --concurrency 1 --warmup 0 --duration 0.2 \
  >/dev/null 2>"$SCRATCH/health.log"; do
  if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "run_load.sh: server on $ADDR not healthy after ${HEALTH_TIMEOUT_S} s" >&2
    show_log "$SCRATCH/health.log"
    show_log "$LOG"
    exit 1
  fi
  sleep 0.2
done
echo "run_load: server pid $SERVER_PID serving on $ADDR"

load_code=0
CLUSTERMATCH_API_KEY="$API_KEY" "$LOADGEN" --server "$ADDR" --concurrency "$CONCURRENCY" \
  --duration "$DURATION" --warmup "$WARMUP" --calls "$CALLS" --seed "$SEED" --k "$K" \
  --json "$JSON" || load_code=$?

kill -TERM "$SERVER_PID" 2>/dev/null || true
deadline=$((SECONDS + SHUTDOWN_TIMEOUT_S))
while kill -0 "$SERVER_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
server_code=0
if kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "run_load.sh: server still running ${SHUTDOWN_TIMEOUT_S} s after SIGTERM" >&2
  server_code=1
else
  wait "$SERVER_PID" || server_code=$?
  SERVER_PID=""
fi
echo "run_load: server stopped (exit code $server_code); $(wc -l <"$LOG") lines in its call log"

if [ -n "${LOAD_JSON:-}" ] && [ -s "$JSON" ]; then cp "$JSON" "$LOAD_JSON"; fi

if [ "${LOAD_ASSERT:-0}" = 1 ]; then
  python3 - "$JSON" "$CALLS" "$CONCURRENCY" <<'EOF'
import json, sys
path, calls, concurrency = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
try:
    rows = json.load(open(path))["results"]
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
  show_log "$LOG"
  exit 1
fi
