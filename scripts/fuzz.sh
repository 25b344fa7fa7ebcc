#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz) for a while on a copy of its seed
# corpus, so that the corpus in the repository never grows.
#
#   scripts/fuzz.sh [BUILD_DIR [SECONDS_PER_TARGET [EXTRA_LIBFUZZER_ARGS...]]]
#
# BUILD_DIR (default build-asan) is the clang ASan + UBSan build that
# scripts/sanitize.sh makes; it is configured here the same way if it does
# not exist yet. Any crash, sanitizer report, broken invariant, timeout or
# out-of-memory fails the run; the input that caused it is kept in
# $BUILD_DIR/fuzz-artifacts/ (add it under tests/fuzz/regressions/TARGET with
# the fix). Prints executions, seconds and executions per second per target.
# A long run: scripts/fuzz.sh build-asan 36000 -runs=10000000
# FUZZ_TARGETS="firm_csv tokenizer" runs only those targets (two shells with
# different targets use both cores).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(realpath -m "${1:-$REPO/build-asan}")
SECONDS_PER_TARGET=${2:-20}
EXTRA_ARGS=("${@:3}")
# shellcheck source=scripts/sanitizer_env.sh
source "$REPO/scripts/sanitizer_env.sh"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  configure_asan_build "$BUILD_DIR"
fi
cmake --build "$BUILD_DIR" --target fuzzers -j "${JOBS:-2}"

ARTIFACTS="$BUILD_DIR/fuzz-artifacts"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ARTIFACTS"
failed=()
printf '%-16s %12s %8s %10s %s\n' target executions seconds "exec/s" result
for corpus in "$REPO"/tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $target "* ]]; then continue; fi
  binary="$BUILD_DIR/tests/fuzz/fuzz_$target"
  [ -x "$binary" ] || { echo "fuzz.sh: no fuzzer binary $binary" >&2; exit 1; }
  cp -r "$corpus" "$WORK/$target"
  log="$ARTIFACTS/$target.log"
  start=$(date +%s.%N)
  status=0
  "$binary" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$target-" \
    "${EXTRA_ARGS[@]}" "$WORK/$target" >"$log" 2>&1 || status=$?
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  runs=${runs:-0}
  result=ok
  if [ "$status" -ne 0 ]; then
    result="FAILED (exit $status, log $log)"
    failed+=("$target")
    tail -40 "$log" >&2
  fi
  printf '%-16s %12s %8s %10s %s\n' "$target" "$runs" "$seconds" \
    "$(awk -v r="$runs" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')" "$result"
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz.sh: crashes in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: no crashes"
