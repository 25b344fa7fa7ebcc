#!/usr/bin/env bash
# Cold start (issue 6): the time from starting `clustermatch serve` on an
# existing store to its first answered search over gRPC.
#   benchmarks/run_cold_start.sh [BUILD_DIR] DB [RUNS]
# Builds nothing: uses BUILD_DIR/server/clustermatch (BUILD_DIR defaults to
# build). DB is a store made by `clustermatch import` (run_import.sh with
# IMPORT_KEEP=1 leaves one); an index snapshot next to it (DB.index) is what
# makes a large store start fast. The script adds one read-only API key to
# the store (firms and snapshot are untouched), then RUNS times (default 3):
# starts the server, polls a search every 50 ms until one answers, prints the
# seconds from start to that answer and the server's index source, and
# stops the server. The page cache is left warm, as on a restart.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD_ARG=${1:-build}
DB=${2:-}
RUNS=${3:-3}
if [ -d "$BUILD_ARG" ]; then
  BUILD_DIR=$(cd "$BUILD_ARG" && pwd)
elif [ -d "$REPO/$BUILD_ARG" ]; then
  BUILD_DIR=$(cd "$REPO/$BUILD_ARG" && pwd)
else
  echo "run_cold_start.sh: build directory '$BUILD_ARG' not found" >&2
  exit 2
fi
CLI="$BUILD_DIR/server/clustermatch"
if [ ! -x "$CLI" ]; then
  echo "run_cold_start.sh: $CLI not found: build the clustermatch target first" >&2
  exit 2
fi
if [ -z "$DB" ] || [ ! -f "$DB" ]; then
  echo "run_cold_start.sh: give the path of an existing store (DB), got '$DB'" >&2
  exit 2
fi
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_cold_start.sh: RUNS must be a positive number, got '$RUNS'" >&2
  exit 2
fi

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm-cold.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

KEY=$("$CLI" --db "$DB" keys add --role reader --scope members --label cold-start 2>"$SCRATCH/keys.log") || {
  echo "run_cold_start.sh: keys add failed" >&2
  cat "$SCRATCH/keys.log" >&2
  exit 1
}
echo "store: $DB ($(du -h "$DB" | cut -f1)), snapshot: $(du -h "$DB.index" 2>/dev/null | cut -f1 || echo none)"

for run in $(seq 1 "$RUNS"); do
  rm -f "$SCRATCH/port"
  START=$(date +%s.%N)
  OPENBLAS_NUM_THREADS=1 "$CLI" --db "$DB" serve --listen 127.0.0.1:0 --port-file "$SCRATCH/port" \
    2>"$SCRATCH/server.log" &
  SERVER_PID=$!
  answered=""
  listening=""
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    if [ -z "$listening" ] && [ -s "$SCRATCH/port" ]; then listening=$(date +%s.%N); fi
    if [ -n "$listening" ] &&
      "$CLI" --server "127.0.0.1:$(cat "$SCRATCH/port")" --api-key "$KEY" search --k 3 \
        "CNC machining of aluminium parts" >"$SCRATCH/answer" 2>/dev/null; then
      answered=$(date +%s.%N)
      break
    fi
    sleep 0.05
  done
  if [ -z "$answered" ]; then
    echo "run_cold_start.sh: the server exited before answering" >&2
    cat "$SCRATCH/server.log" >&2
    exit 1
  fi
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=""
  printf 'run %d: first search answered %s s after start (listening at %s s; %d result lines)\n' \
    "$run" "$(awk -v a="$answered" -v b="$START" 'BEGIN { printf "%.2f", a - b }')" \
    "$(awk -v a="$listening" -v b="$START" 'BEGIN { printf "%.2f", a - b }')" \
    "$(grep -c . "$SCRATCH/answer")"
  grep -o 'index: .*' "$SCRATCH/server.log" | head -1 | sed 's/^/  /'
done
