#!/usr/bin/env bash
# Installs every Debian 12 package clustermatch needs to build, run and test.
# Idempotent; run as root (or with sudo available) on a fresh machine.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git clang-format
  libfaiss-dev libopenblas-dev libhnswlib-dev
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libeigen3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libabsl-dev libutf8proc-dev libxxhash-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libssl-dev openssl
  libglpk-dev libxlsxwriter-dev
  libjemalloc-dev  # the clustermatch binary's malloc (CLUSTERMATCH_MALLOC)
  python3 python3-grpcio python3-protobuf
  # clang 14 for the ASan + UBSan build and the libFuzzer targets
  # (scripts/sanitize.sh, scripts/fuzz.sh); libomp is clang's OpenMP.
  clang libclang-rt-14-dev libomp-14-dev
)
# The Node.js client tests need node and npm. A machine that already has them
# (NodeSource's nodejs bundles an npm that conflicts with Debian's) keeps its own.
if ! command -v node >/dev/null; then
  PACKAGES+=(nodejs)
fi
if ! command -v npm >/dev/null; then
  PACKAGES+=(npm)
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
