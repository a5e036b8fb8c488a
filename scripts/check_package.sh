#!/usr/bin/env bash
# The wheel as a council installs it. Builds it from this checkout's files, checks it holds
# every file of the package folders (templates/ and migrations/ included), installs it in
# a fresh virtualenv outside the checkout and, from another folder, in production mode on a
# fresh PostgreSQL database with the job queue in Redis: `flask db upgrade`,
# `flask setup-demo`, then `gunicorn 'inspect_ready:create_app()'` and the job consumer
# `huey_consumer inspect_ready.worker.huey`; then the sign-in page, a sign-in for each demo
# login, the pages each then sees, and an Annex A import run by the consumer. Any failure
# stops it with a non-zero status.
#
# Needs PostgreSQL at $PACKAGE_CHECK_POSTGRES (CI's: postgres@127.0.0.1:5432, trust auth;
# the database inspect_ready_ci_package is made afresh and dropped after) and redis-server
# (a private one is started on a free port, so no other queue's consumer takes the job).
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd)
python=${PYTHON:-python3}
postgres=${PACKAGE_CHECK_POSTGRES:-postgresql://postgres@127.0.0.1:5432}
database=inspect_ready_ci_package

for command in git psql redis-server; do
  command -v "$command" >/dev/null || { echo "check_package: needs $command (see the comment at the top)" >&2; exit 1; }
done

work=$(mktemp -d -t inspect-ready-package.XXXXXX)
started=()  # the processes this script started, stopped on exit by their ids
cleanup() {
  local status=$? pid log
  if [ "$status" -ne 0 ]; then
    for log in gunicorn consumer; do
      [ -s "$work/$log.log" ] || continue
      echo "== package: the last of the $log log" >&2
      tail -n 40 "$work/$log.log" >&2
    done
  fi
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  psql "$postgres/postgres" -q -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
  [ "$status" -eq 0 ] || echo "== package: FAILED" >&2
}
trap cleanup EXIT
step() { echo "== package: $*"; }
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for_port() {  # port, pid: until something listens on the port, or the process stops
  for _ in $(seq 1 60); do
    kill -0 "$2" 2>/dev/null || { echo "the process listening on $1 stopped" >&2; return 1; }
    "$python" -c "import socket; socket.create_connection(('127.0.0.1', $1), timeout=1)" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing listens on 127.0.0.1:$1 after 30 seconds" >&2
  return 1
}

step "building the wheel"
# From a copy of the files git knows (tracked, or new and not ignored): what a fresh
# clone builds, without this checkout's .venv, instance/ or caches, and leaving no
# build/ or egg-info behind in it.
git ls-files -z --cached --others --exclude-standard >"$work/files"
mkdir "$work/source"
tar --null -T "$work/files" -cf - | tar -xf - -C "$work/source"
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/source"
wheel=$(ls "$work"/dist/inspect_ready-*.whl)

step "checking $(basename "$wheel") holds every file of the package folders"
"$python" - "$wheel" "$work/files" <<'PY'
import sys, zipfile

# Where each folder of the checkout is installed (pyproject.toml and setup.py say so).
installed_as = {"inspect_ready": "inspect_ready", "evidence": "evidence", "councils": "councils",
                "judgement_framework": "judgement_framework",
                "templates": "inspect_ready/templates", "migrations": "inspect_ready/migrations"}
wheel, listing = sys.argv[1:]
in_wheel = set(zipfile.ZipFile(wheel).namelist())
expected = []
for path in open(listing, encoding="utf-8").read().split("\0"):
    top, _, rest = path.partition("/")
    if top in installed_as and rest:
        expected.append(f"{installed_as[top]}/{rest}")
missing = [path for path in expected if path not in in_wheel]
if not expected or missing:
    sys.exit("the wheel lacks " + (", ".join(missing) or "everything"))
print(f"  {len(expected)} files, all in the wheel")
PY

step "installing it in a fresh virtualenv"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/pip" install --quiet "$wheel"

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >"$work/redis.log" 2>&1 &
started+=($!)
wait_for_port "$redis_port" "${started[-1]}"

mkdir "$work/elsewhere"
cd "$work/elsewhere"
# As production runs: PostgreSQL, a real key, the queue in Redis, and an instance folder
# of its own. Nothing of the checkout is on the path.
unset PYTHONPATH FLASK_APP
export INSPECT_READY_ENV=production
export SECRET_KEY=$("$python" -c 'import secrets; print(secrets.token_urlsafe(48))')
export DATABASE_URL="$postgres/$database"
export HUEY_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export INSTANCE_PATH="$work/instance"
export PATH="$work/venv/bin:$PATH"

installed=$(python -c 'import inspect_ready; print(inspect_ready.__file__)')
case "$installed" in
  "$work/venv/"*) ;;
  *) echo "inspect_ready was imported from $installed, not from the virtualenv" >&2; exit 1 ;;
esac
python - <<'PY'
import os, sys
from inspect_ready import bundled_folder, create_app, worker
for name in ("templates", "migrations"):
    assert "/site-packages/inspect_ready/" in bundled_folder(name) + "/", bundled_folder(name)
assert type(worker.huey).__name__ == "RedisHuey", type(worker.huey)
print(f"  templates and migrations from {bundled_folder('templates').rsplit('/', 1)[0]}; the worker's queue: Redis")
del os.environ["INSTANCE_PATH"]  # without it: Flask's default for an installed package
default = create_app().instance_path
assert default == os.path.join(sys.prefix, "var", "inspect_ready-instance"), default
print(f"  without INSTANCE_PATH the instance folder is {default}")
PY

step "a fresh PostgreSQL database: $database"
PGOPTIONS="--client-min-messages=warning" psql "$postgres/postgres" -q \
  -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"

step "flask --app inspect_ready db upgrade"
flask --app inspect_ready db upgrade 2>&1 | tail -n 1

step "flask --app inspect_ready setup-demo"
# Production refuses demo data (a real council's database must never get made-up people),
# so that refusal is checked first; then the same command loads the demo into the same
# PostgreSQL database in development mode, for the production server to serve below.
if refused=$(flask --app inspect_ready setup-demo 2>&1); then
  echo "setup-demo loaded demo data in production" >&2
  exit 1
fi
grep -q "Demo data is only for development" <<<"$refused" || { echo "$refused" >&2; exit 1; }
INSPECT_READY_ENV=development flask --app inspect_ready setup-demo >"$work/setup-demo.log"
echo "  $(grep -cE '^ +[a-z ]+: .+@.+ / ' "$work/setup-demo.log") demo logins"

port=$(free_port)
step "gunicorn 'inspect_ready:create_app()' on 127.0.0.1:$port, and huey_consumer inspect_ready.worker.huey"
gunicorn --bind "127.0.0.1:$port" --workers 2 'inspect_ready:create_app()' >"$work/gunicorn.log" 2>&1 &
started+=($!)
wait_for_port "$port" "${started[-1]}"
huey_consumer inspect_ready.worker.huey --workers 1 >"$work/consumer.log" 2>&1 &
started+=($!)

step "the sign-in page, a sign-in for each demo login, the pages each then sees, an Annex A import"
flask --app inspect_ready annex-a-workbook "$work/annex-a.xlsx" --rows 500 --month 2025-03
"$python" "$checkout/scripts/check_package_pages.py" "http://127.0.0.1:$port" "$INSTANCE_PATH/demo-logins.json" \
  "$work/annex-a.xlsx"

echo "package: installed wheel served sign-in and home from $work/venv ($(basename "$wheel"), PostgreSQL, production settings)"
