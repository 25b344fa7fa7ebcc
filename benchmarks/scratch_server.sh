# Sourced by run_load.sh and run_soak.sh: a real `clustermatch serve` on a
# scratch store of sample firms, on a free loopback port. Each function takes
# the calling script's name first, for its messages. The caller sets SCRATCH
# (its scratch directory) and handles traps and cleanup (kill SERVER_PID).
#
#   scratch_find_binaries NAME BUILD_ARG   sets BUILD_DIR, CM, LOADGEN (exit 2 if missing)
#   scratch_show_log FILE                  the last 40 lines of FILE on stderr
#   scratch_store_with_key NAME FIRMS SEED ROLE LABEL
#                                          sets DB and API_KEY (a members-scope key)
#   scratch_key_for_store NAME DB ROLE LABEL
#                                          the same for an existing store DB
#   scratch_start_server NAME              sets SERVER_PID, LOG and ADDR once the
#                                          health check answers
#   scratch_stop_server NAME               SIGTERM; sets server_code (1 if it hangs)

SCRATCH_PORT_FILE_TIMEOUT_S=60
SCRATCH_HEALTH_TIMEOUT_S=30
SCRATCH_SHUTDOWN_TIMEOUT_S=30

scratch_find_binaries() {
  local name=$1 build_arg=$2 repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [ -d "$build_arg" ]; then
    BUILD_DIR=$(cd "$build_arg" && pwd)
  elif [ -d "$repo/$build_arg" ]; then
    BUILD_DIR=$(cd "$repo/$build_arg" && pwd)
  else
    echo "$name: build directory '$build_arg' not found" >&2
    exit 2
  fi
  CM="$BUILD_DIR/server/clustermatch"
  LOADGEN="$BUILD_DIR/benchmarks/load_generator"
  for bin in "$CM" "$LOADGEN"; do
    if [ ! -x "$bin" ]; then
      echo "$name: $bin is missing: build the clustermatch and load_generator targets" >&2
      exit 2
    fi
  done
}

scratch_show_log() {
  echo "---- $1 ----" >&2
  tail -n 40 "$1" >&2 || true
  echo "---- end of $1 ----" >&2
}

scratch_store_with_key() {
  local name=$1 firms=$2 seed=$3 role=$4 label=$5
  "$CM" sample --firms "$firms" --seed "$seed" >"$SCRATCH/firms.jsonl"
  if ! "$CM" --db "$SCRATCH/store.db" import "$SCRATCH/firms.jsonl" >"$SCRATCH/import.out" \
    2>"$SCRATCH/setup.log"; then
    echo "$name: import failed" >&2
    scratch_show_log "$SCRATCH/setup.log"
    exit 1
  fi
  scratch_key_for_store "$name" "$SCRATCH/store.db" "$role" "$label"
}

scratch_key_for_store() {
  local name=$1 role=$3 label=$4
  DB=$2
  API_KEY=$("$CM" --db "$DB" keys add --role "$role" --scope members --label "$label" \
    2>>"$SCRATCH/setup.log")
  if ! [[ "$API_KEY" =~ ^cm_[A-Za-z0-9_-]+$ ]]; then
    echo "$name: keys add printed '$API_KEY', expected one cm_... key" >&2
    scratch_show_log "$SCRATCH/setup.log"
    exit 1
  fi
}

scratch_start_server() {
  local name=$1 port="" candidate deadline
  local port_file="$SCRATCH/port"
  LOG="$SCRATCH/server.log"
  # One log line per call goes to the scratch log, not to the terminal.
  # SCRATCH_SERVE_ARGS: more `serve` flags (e.g. --idle-helper false).
  # shellcheck disable=SC2086
  OPENBLAS_NUM_THREADS=1 "$CM" --db "$DB" serve --listen 127.0.0.1:0 --port-file "$port_file" \
    ${SCRATCH_SERVE_ARGS:-} 2>"$LOG" &
  SERVER_PID=$!
  deadline=$((SECONDS + SCRATCH_PORT_FILE_TIMEOUT_S))
  while [ -z "$port" ]; do
    if [ -s "$port_file" ]; then
      candidate=$(tr -d '[:space:]' <"$port_file")
      if [[ "$candidate" =~ ^[0-9]+$ ]] && [ "$candidate" -gt 0 ]; then port=$candidate; fi
    fi
    if [ -z "$port" ]; then
      if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "$name: server exited before writing its port file" >&2
        SERVER_PID=""
        scratch_show_log "$LOG"
        exit 1
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "$name: no port in $port_file after ${SCRATCH_PORT_FILE_TIMEOUT_S} s" >&2
        scratch_show_log "$LOG"
        exit 1
      fi
      sleep 0.1
    fi
  done
  ADDR="127.0.0.1:$port"
  # Health: a short run of the empty scenario must answer SERVING without errors.
  deadline=$((SECONDS + SCRATCH_HEALTH_TIMEOUT_S))
  until "$LOADGEN" --server "$ADDR" --calls empty --concurrency 1 --warmup 0 --duration 0.2 \
    >/dev/null 2>"$SCRATCH/health.log"; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$name: server on $ADDR not healthy after ${SCRATCH_HEALTH_TIMEOUT_S} s" >&2
      scratch_show_log "$SCRATCH/health.log"
      scratch_show_log "$LOG"
      exit 1
    fi
    sleep 0.2
  done
}

scratch_stop_server() {
  local name=$1 deadline
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  deadline=$((SECONDS + SCRATCH_SHUTDOWN_TIMEOUT_S))
  while kill -0 "$SERVER_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  server_code=0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "$name: server still running ${SCRATCH_SHUTDOWN_TIMEOUT_S} s after SIGTERM" >&2
    server_code=1
  else
    wait "$SERVER_PID" || server_code=$?
    SERVER_PID=""
  fi
}
