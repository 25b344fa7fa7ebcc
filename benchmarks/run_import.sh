#!/usr/bin/env bash
# Import throughput (issue 6): sample firms -> `clustermatch import` into a
# fresh store, timed as a whole and by phase.
#   benchmarks/run_import.sh [BUILD_DIR] [FIRMS]
# Builds nothing: uses BUILD_DIR/server/clustermatch (BUILD_DIR defaults to
# build; a relative path is looked up from the current directory, then from
# the repository). Generates FIRMS (default 20000) sample firms (seed
# IMPORT_SEED, default 1) to a JSONL file, imports them into a new store in a
# scratch directory, prints the import's summary and phase lines (store,
# train, embed and index seconds; firms/s for "store + embed" and for
# "index build") and the wall time of the whole command, then removes the
# scratch directory (IMPORT_KEEP=1 keeps it and prints its path).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD_ARG=${1:-build}
FIRMS=${2:-20000}
SEED=${IMPORT_SEED:-1}

if [ -d "$BUILD_ARG" ]; then
  BUILD_DIR=$(cd "$BUILD_ARG" && pwd)
elif [ -d "$REPO/$BUILD_ARG" ]; then
  BUILD_DIR=$(cd "$REPO/$BUILD_ARG" && pwd)
else
  echo "run_import.sh: build directory '$BUILD_ARG' not found" >&2
  exit 2
fi
if ! [[ "$FIRMS" =~ ^[1-9][0-9]*$ ]]; then
  echo "run_import.sh: FIRMS must be a positive number, got '$FIRMS'" >&2
  exit 2
fi
CLI="$BUILD_DIR/server/clustermatch"
if [ ! -x "$CLI" ]; then
  echo "run_import.sh: $CLI not found: build the clustermatch target first" >&2
  exit 2
fi

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm-import.XXXXXX")
if [ "${IMPORT_KEEP:-0}" = 1 ]; then
  echo "scratch directory kept: $SCRATCH"
else
  trap 'rm -rf "$SCRATCH"' EXIT
fi

"$CLI" sample --firms "$FIRMS" --seed "$SEED" > "$SCRATCH/firms.jsonl"
echo "sample: $FIRMS firms (seed $SEED), $(du -h "$SCRATCH/firms.jsonl" | cut -f1)"
START=$(date +%s.%N)
"$CLI" --db "$SCRATCH/import.db" import "$SCRATCH/firms.jsonl"
END=$(date +%s.%N)
awk -v s="$START" -v e="$END" -v n="$FIRMS" \
  'BEGIN { t = e - s; printf "wall: %.2f s for the whole import command (%d firms/s, file parse and store open included)\n", t, n / t }'
