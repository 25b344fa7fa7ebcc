#!/usr/bin/env bash
# Builds clustermatch and its whole test suite with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang) and runs every ctest test there.
#
#   scripts/sanitize.sh [BUILD_DIR]   (default: build-asan in the repository)
#
# The same build directory also holds the libFuzzer targets (tests/fuzz), so
# scripts/fuzz.sh runs them right after without another build. Undefined
# behaviour and any ASan report fail the test that hit them; LeakSanitizer
# reports leaks from our code (tests/lsan.supp names the rest, each with
# its reason). Prints the build and test seconds.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(realpath -m "${1:-$REPO/build-asan}")
# Shared by the build (gtest_discover_tests runs each test binary) and ctest.
# shellcheck source=scripts/sanitizer_env.sh
source "$REPO/scripts/sanitizer_env.sh"
export OPENBLAS_NUM_THREADS=1

start=$(date +%s)
configure_asan_build "$BUILD_DIR"
cmake --build "$BUILD_DIR" -j "${JOBS:-2}"
built=$(date +%s)

ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-2}"
echo "sanitize.sh: build $((built - start)) s, test $(($(date +%s) - built)) s"
