#!/usr/bin/env bash
# `make run`: the web server and the job consumer side by side, stopped together.
# Ctrl-C (SIGINT) or SIGTERM stops both and ends with status 0, so make prints no "Error";
# if either stops by itself, the other is stopped and its status is passed on.
set -u
BIN=${BIN:-.venv/bin}
"$BIN/huey_consumer" inspect_ready.worker.huey --workers 1 --quiet &
consumer=$!
"$BIN/flask" run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" &
server=$!

stop() {
  kill -TERM "$server" "$consumer" 2>/dev/null
  wait "$server" "$consumer" 2>/dev/null
  echo "Inspect ready has stopped."
  exit 0
}
trap stop INT TERM

wait -n "$server" "$consumer"
status=$?
kill -TERM "$server" "$consumer" 2>/dev/null
wait 2>/dev/null
exit "$status"
