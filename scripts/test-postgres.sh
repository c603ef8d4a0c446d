#!/usr/bin/env bash
# Start the local PostgreSQL server (Debian's `postgresql` package) and make a throw-away test
# database; print its SQLAlchemy URL.  Prints nothing when no server can be started — the store
# tests then run on SQLite only and say why the PostgreSQL ones were skipped.
set -uo pipefail
command -v pg_lsclusters >/dev/null 2>&1 || exit 0
cluster=$(pg_lsclusters -h 2>/dev/null | head -1)
[[ -z "$cluster" ]] && exit 0
read -r ver name port status _ <<<"$cluster"
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/sh -c "$1"
  elif command -v sudo >/dev/null; then sudo -n -u postgres sh -c "$1"
  else return 1; fi
}
if [[ "$status" != online* ]]; then
  if [[ $(id -u) -eq 0 ]]; then pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || exit 0
  else sudo -n pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || exit 0; fi
fi
as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='juesuan_test'\"" 2>/dev/null | grep -q 1 ||
  as_postgres "psql -p $port -qc \"CREATE ROLE juesuan_test LOGIN PASSWORD 'juesuan_test'\"" >/dev/null 2>&1 || exit 0
as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='juesuan_test'\"" 2>/dev/null | grep -q 1 ||
  as_postgres "createdb -p $port -O juesuan_test juesuan_test" >/dev/null 2>&1 || exit 0
echo "postgresql+psycopg://juesuan_test:juesuan_test@localhost:$port/juesuan_test"
