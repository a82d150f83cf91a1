#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks, in its own folder and port.
#   tools/postgres.sh url             start it if needed; print its DATABASE_URL
#   tools/postgres.sh run CMD ARGS    start it, run CMD with DATABASE_URL set
#   tools/postgres.sh stop
# Without PostgreSQL it says so and exits 3 (CI=true installs it first; see .ci/run).
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${PG_DIR:-/tmp/sijcoach-pg}
PORT=${PG_PORT:-54329}
URL="postgres://sijcoach@127.0.0.1:$PORT/sijcoach"

if [ ! -x "$BIN/pg_ctl" ]; then
  echo "PostgreSQL 15 not found in $BIN (apt-get install -y postgresql)" >&2
  exit 3
fi

as_owner() {
  # initdb and pg_ctl refuse to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U sijcoach -E UTF8 >/dev/null
  fi
  if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    # Durability is traded for speed: this server only ever holds throwaway test data.
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
      "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
  fi
  if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U sijcoach -d postgres -tAc \
      "select 1 from pg_database where datname='sijcoach'" | grep -q 1; then
    "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U sijcoach sijcoach
  fi
}

case "${1:-url}" in
  url) start; echo "$URL" ;;
  run) shift; start; DATABASE_URL="$URL" "$@" ;;
  stop) as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop ;;
  *) echo "usage: $0 url|run CMD...|stop" >&2; exit 2 ;;
esac
