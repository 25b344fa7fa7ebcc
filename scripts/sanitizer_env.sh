# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: how ASan, UBSan and
# LSan report (any report stops the process with a non-zero exit), and how
# the clang ASan + UBSan build that also holds the fuzz targets is set up.
SANITIZER_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:report_error_type=1"
export LSAN_OPTIONS="suppressions=$SANITIZER_REPO/tests/lsan.supp:print_suppressions=0"

# configure_asan_build BUILD_DIR: clang, ASan + UBSan (fatal), libFuzzer
# coverage and the fuzz targets, no benchmarks, one ctest entry per test
# binary; line tables keep the stack traces exact. -O1 (ASan's usual level)
# and -O2 measured alike. Most of the sanitized run's time once went to
# Eigen expression templates that clang did not inline under ASan (the
# randomized SVD's kernel, now written with explicit vectors;
# docs/reliability.md, "Sanitizers").
configure_asan_build() {
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$SANITIZER_REPO" -B "$1" "${generator[@]}" \
    -DCLUSTERMATCH_SANITIZE=address,undefined \
    -DCLUSTERMATCH_BUILD_FUZZERS=ON \
    -DCLUSTERMATCH_BUILD_BENCHMARKS=OFF \
    -DCLUSTERMATCH_CTEST_PER_BINARY=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only"
}
