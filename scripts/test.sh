#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
export OPENBLAS_NUM_THREADS=1
# The Node.js client tests' packages, from the lock file, so ctest stays offline.
(cd tests/clients/node && npm ci --no-audit --no-fund)
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "${JOBS:-2}"
# The concurrency test again, built with ThreadSanitizer: a data race fails.
bash scripts/tsan.sh "${TSAN_BUILD_DIR:-build-tsan}"
# The whole suite again, built with clang's ASan + UBSan (LeakSanitizer on):
# any report fails the test that made it. The same build holds the libFuzzer
# targets, which then run each for a short time on a copy of its seed
# corpus: a crash or sanitizer report fails.
bash scripts/sanitize.sh "${ASAN_BUILD_DIR:-build-asan}"
bash scripts/fuzz.sh "${ASAN_BUILD_DIR:-build-asan}" "${FUZZ_SECONDS:-15}"
