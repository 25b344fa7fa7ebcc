#!/usr/bin/env bash
# The main job from a fresh clone: install dependencies, build, import the
# bundled sample cluster into an embedded store, and print explained partner
# recommendations for a few firms.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
export OPENBLAS_NUM_THREADS=1
CM=build/server/clustermatch
DB=${CLUSTERMATCH_DB:-demo.db}
rm -f "$DB" "$DB-wal" "$DB-shm"
$CM --db "$DB" import data/sample/gvalley.jsonl
$CM --db "$DB" stats
for firm in GV-0025 GV-0042 GV-0107; do
  $CM --db "$DB" recommend --firm "$firm" --k 3
done
$CM --db "$DB" recommend --firm GV-0107 --k 3 --intent peer --cross-cluster
$CM --db "$DB" recommend --firm GV-0005 --k 3 --intent purchasing --lang ko
$CM --db "$DB" search "VR content for our exhibition booth" --k 3

# The same engine behind the gRPC API: serve the store on a free loopback
# port, ask it through the command line's --server mode, and stop it.
KEY=$($CM --db "$DB" keys add --role reader --label demo 2>/dev/null)
PORT_FILE=$(mktemp -u)
$CM --db "$DB" serve --listen 127.0.0.1:0 --port-file "$PORT_FILE" 2>demo-serve.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 100); do [ -s "$PORT_FILE" ] && break; sleep 0.1; done
$CM --server "127.0.0.1:$(cat "$PORT_FILE")" --api-key "$KEY" recommend --firm GV-0042 --k 3
kill -TERM $SERVER && wait $SERVER
echo "server log (demo-serve.log):" && cat demo-serve.log
