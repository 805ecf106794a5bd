#!/usr/bin/env bash
# make run's last step: the worker (`luoshi worker`: sends messages, daily-report reminders, the supervision sweep)
# in the background beside gunicorn in the foreground. When gunicorn stops (Ctrl-C), the worker is stopped too;
# when the worker dies, gunicorn keeps serving and the worker's error is in this terminal.
#   HOST=127.0.0.1 PORT=8000 WEB_WORKERS=3 scripts/run.sh
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WEB_WORKERS="${WEB_WORKERS:-3}"

pids=()
stop() {
  trap - EXIT INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null
  wait
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$BIN/luoshi" worker &
pids+=($!)
# deploy/gunicorn.conf.py, as on a server (its workers leave Ctrl-C to the master, which stops them at once).
"$BIN/gunicorn" luoshi.wsgi:application --config deploy/gunicorn.conf.py --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --threads 2 --access-logfile - &
web=$!
pids+=($web)
wait "$web"
