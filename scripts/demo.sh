#!/usr/bin/env bash
# The main job from a fresh clone: install dependencies, build, import the
# bundled sample cluster into an embedded store, and print explained partner
# recommendations for a few firms, an event schedule with its exports, and the
# coordinators' groups (founders, a consortium, SIGs, purchasing pools).
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

# An organiser's event: attendee CSV in; schedule, calendars and agendas out.
$CM --db "$DB" event schedule --attendees data/sample/gvalley_event_attendees.csv \
  --date 2026-12-03 --start 14:00 --slots 8 --slot-minutes 20 --breaks 15:20-15:40 \
  --tables 12 --max-meetings 6 --min-meetings 3 --name "G-Valley Matchmaking Day" \
  --out demo-event
ls demo-event

# Coordinators' groups.
$CM --db "$DB" group founders --topic "immersive VR content, motion capture and 3D animation" \
  --size 6 --min-research 1 --min-mini-clusters 2
$CM --db "$DB" group consortium \
  --call "smart factory: machine vision inspection, PLC control software, precision machining" \
  --roles production,marketing --min-size 3 --max-size 5 --out demo-consortium.csv
$CM --db "$DB" group sigs --mini-cluster "Green IT" --mini-cluster IMT --min-size 5 \
  --max-size 10 --convergence 2 | sed -n 1,24p
$CM --db "$DB" group pools --min-size 5 | sed -n 1,20p

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
