#!/usr/bin/env bash
# Runs one language's gRPC client tests against a real `clustermatch serve`
# on a loopback port:
#   run_client_test.sh CLUSTERMATCH_BIN node|python
# It imports the G-Valley sample into a scratch store, makes the keys the
# clients use, starts the server on port 0, runs the client suite with the
# address and keys in CM_* variables, then stops the server with SIGTERM and
# expects a clean exit (code 0). Fails if the client suite or the shutdown
# fails. The Node client's packages must be installed already (`npm ci` in
# tests/clients/node, done by scripts/test.sh), so the test stays offline.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 CLUSTERMATCH_BIN node|python" >&2
  exit 2
fi
BIN=$(realpath "$1")
CLIENT_LANG=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SAMPLE="$REPO/data/sample/gvalley.jsonl"
PORT_FILE_TIMEOUT_S=30
SHUTDOWN_TIMEOUT_S=20
# The cluster of the cluster-limited writer key.
LIMITED_CLUSTER="Anyang"

case "$CLIENT_LANG" in
  node | python) ;;
  *)
    echo "unknown client language '$CLIENT_LANG' (node or python)" >&2
    exit 2
    ;;
esac

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm_client_${CLIENT_LANG}.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DB="$SCRATCH/store.db"
LOG="$SCRATCH/server.log"
PORT_FILE="$SCRATCH/port"

show_server_log() {
  echo "---- server log ($LOG) ----" >&2
  cat "$LOG" >&2 || true
  echo "---- end of server log ----" >&2
}

# Runs the binary on the scratch store; stderr goes to the setup log.
cm() { "$BIN" --db "$DB" "$@" 2>>"$SCRATCH/setup.log"; }
new_key() {
  local key
  if ! key=$(cm keys add "$@"); then
    echo "keys add $* failed:" >&2
    cat "$SCRATCH/setup.log" >&2
    exit 1
  fi
  if [ -z "$key" ] || [ "$(printf '%s\n' "$key" | wc -l)" -ne 1 ]; then
    echo "keys add $* printed '$key', expected the key alone on one line" >&2
    exit 1
  fi
  printf '%s' "$key"
}

if [ "$CLIENT_LANG" = node ] && [ ! -d "$HERE/node/node_modules/@grpc/grpc-js" ]; then
  echo "tests/clients/node/node_modules is missing: run 'npm ci' in tests/clients/node" \
    "(scripts/test.sh does)" >&2
  exit 1
fi

echo "client test ($CLIENT_LANG): importing $SAMPLE"
if ! cm import "$SAMPLE" >"$SCRATCH/import.out"; then
  echo "import failed:" >&2
  cat "$SCRATCH/setup.log" >&2
  exit 1
fi

ADMIN_KEY=$(new_key --role admin --scope members)
WRITER_KEY=$(new_key --role writer --scope public)
READER_KEY=$(new_key --role reader --scope public)
MEMBERS_READER_KEY=$(new_key --role reader --scope members)
CLUSTER_WRITER_KEY=$(new_key --role writer --scope public --cluster "$LIMITED_CLUSTER")

"$BIN" --db "$DB" serve --listen 127.0.0.1:0 --port-file "$PORT_FILE" 2>"$LOG" &
SERVER_PID=$!

port=""
deadline=$((SECONDS + PORT_FILE_TIMEOUT_S))
while [ "$SECONDS" -lt "$deadline" ]; do
  if [ -s "$PORT_FILE" ]; then
    candidate=$(tr -d '[:space:]' <"$PORT_FILE")
    if [[ "$candidate" =~ ^[0-9]+$ ]] && [ "$candidate" -gt 0 ]; then
      port=$candidate
      break
    fi
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    code=0
    wait "$SERVER_PID" || code=$?
    SERVER_PID=""
    echo "server exited with code $code before writing its port file" >&2
    show_server_log
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "no port in $PORT_FILE after ${PORT_FILE_TIMEOUT_S} s" >&2
  show_server_log
  exit 1
fi
echo "client test ($CLIENT_LANG): server pid $SERVER_PID listening on 127.0.0.1:$port"

export CM_ADDR="127.0.0.1:$port"
export CM_ADMIN_KEY="$ADMIN_KEY"
export CM_WRITER_KEY="$WRITER_KEY"
export CM_READER_KEY="$READER_KEY"
export CM_MEMBERS_READER_KEY="$MEMBERS_READER_KEY"
export CM_CLUSTER_WRITER_KEY="$CLUSTER_WRITER_KEY"
export CM_CLUSTER="$LIMITED_CLUSTER"
export CM_SAMPLE="$SAMPLE"
export CM_REPO_DIR="$REPO"

client_code=0
case "$CLIENT_LANG" in
  node)
    (cd "$HERE/node" && node --test test/*.test.js) || client_code=$?
    ;;
  python)
    # Debian's interpreter: it sees python3-grpcio and python3-protobuf.
    (cd "$HERE/python" && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m unittest -v client_test) ||
      client_code=$?
    ;;
esac

# A server that died during the client run shows up in its exit code below.
kill -TERM "$SERVER_PID" 2>/dev/null || true
deadline=$((SECONDS + SHUTDOWN_TIMEOUT_S))
while kill -0 "$SERVER_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
  sleep 0.1
done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "server still running ${SHUTDOWN_TIMEOUT_S} s after SIGTERM" >&2
  show_server_log
  exit 1
fi
server_code=0
wait "$SERVER_PID" || server_code=$?
SERVER_PID=""

failed=0
if [ "$server_code" -ne 0 ]; then
  echo "server exited with code $server_code after SIGTERM, expected 0" >&2
  failed=1
fi
if [ ! -s "$LOG" ]; then
  echo "server wrote no log lines on stderr, expected one per call" >&2
  failed=1
fi
if [ "$client_code" -ne 0 ]; then
  echo "$CLIENT_LANG client tests failed (exit code $client_code)" >&2
  failed=1
fi
if [ "$failed" -ne 0 ]; then
  show_server_log
  exit 1
fi
echo "client test ($CLIENT_LANG): passed; server log has $(wc -l <"$LOG") lines"
