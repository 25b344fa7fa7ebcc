#!/usr/bin/env bash
# The H2020 recommendation-quality benchmark (issue 5, docs/quality.md):
# converts ../shared/data/h2020 into profiles and relations (once), then runs
# `clustermatch eval` at the test cut-off (2018) and the validation cut-off
# (2017). Writes build/quality/h2020_<cutoff>.json and h2020_<cutoff>.txt.
#
# Usage: benchmarks/quality/run_h2020.sh [BUILD_DIR] [extra eval flags...]
#   BUILD_DIR defaults to build; the binary is BUILD_DIR/server/clustermatch.
#   Environment: H2020_DATA (default ../shared/data/h2020 next to the repo).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${repo}/build"
if [[ $# -gt 0 && "$1" != --* ]]; then
  build="$(cd "$1" && pwd)"
  shift
fi
binary="${build}/server/clustermatch"
data="${H2020_DATA:-${repo}/../shared/data/h2020}"
out="${build}/quality"
converted="${out}/h2020"

if [[ ! -x "${binary}" ]]; then
  echo "run_h2020.sh: ${binary} not found; build the clustermatch target first" >&2
  exit 1
fi

mkdir -p "${out}"
if [[ ! -s "${converted}/relations.csv" ]]; then
  echo "converting ${data} into ${converted}" >&2
  python3 "${repo}/benchmarks/quality/h2020_convert.py" --data "${data}" --out "${converted}"
fi

# One thread per BLAS call: the evaluation runs its own query threads.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

for cutoff in 2018 2017; do
  profiles="${converted}/profiles_${cutoff}.jsonl"
  if [[ ! -s "${profiles}" ]]; then
    echo "run_h2020.sh: ${profiles} missing; delete ${converted} to convert again" >&2
    exit 1
  fi
  echo "cut-off ${cutoff} ($([[ ${cutoff} == 2018 ]] && echo test || echo validation))" >&2
  "${binary}" eval --profiles "${profiles}" --relations "${converted}/relations.csv" \
    --cutoff "${cutoff}" --json "${out}/h2020_${cutoff}.json" "$@" \
    > "${out}/h2020_${cutoff}.txt"
  cat "${out}/h2020_${cutoff}.txt"
done
echo "wrote ${out}/h2020_2018.json and ${out}/h2020_2017.json" >&2
