#!/usr/bin/env bash
# Builds the concurrency tests with ThreadSanitizer and runs them:
# tests/engine/engine_concurrency_test (readers and writers on one engine) and
# server_concurrency_test (the key ring and the per-key rate limiter).
#
#   scripts/tsan.sh [BUILD_DIR [GTEST_ARGS...]]   (default: build-tsan in the repository)
#
# Only our code is instrumented (Debian's libraries are not): engine locks
# tell TSan about their edges themselves (engine/shared_mutex.h), OpenMP and
# OpenBLAS run single-threaded, and tests/tsan.supp lists the reports from
# inside uninstrumented libraries that are known to be false. A race in our
# code stops the run with a non-zero exit.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-$REPO/build-tsan}
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)

start=$(date +%s)
cmake -S "$REPO" -B "$BUILD_DIR" "${GENERATOR[@]}" \
  -DCLUSTERMATCH_SANITIZE=thread \
  -DCLUSTERMATCH_BUILD_BENCHMARKS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" --target engine_concurrency_test server_concurrency_test -j "${JOBS:-2}"
built=$(date +%s)

export OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS=1
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$REPO/tests/tsan.supp"
"$BUILD_DIR/tests/engine_concurrency_test" "${@:2}"
"$BUILD_DIR/tests/server_concurrency_test"
echo "tsan.sh: build $((built - start)) s, test $(($(date +%s) - built)) s"
