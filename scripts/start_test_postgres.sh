#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the storage tests and print its URL.
# Usage: eval "$(bash scripts/start_test_postgres.sh)"   -> exports SMARTPICK_TEST_POSTGRES_URL and
#        SMARTPICK_TEST_POSTGRES_DATA (stop it with: bash scripts/stop_test_postgres.sh "$SMARTPICK_TEST_POSTGRES_DATA")
set -euo pipefail
PORT="${SMARTPICK_PG_PORT:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$PGBIN" ]; then
  echo "echo 'PostgreSQL is not installed (apt-get install postgresql)' >&2"
  exit 0
fi
DATA="$(mktemp -d /tmp/smartpick-pg.XXXXXX)"
RUNAS=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$DATA"
  RUNAS=(runuser -u postgres --)
fi
"${RUNAS[@]}" "$PGBIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres smartpick_test
echo "export SMARTPICK_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$PORT/smartpick_test"
echo "export SMARTPICK_TEST_POSTGRES_DATA=$DATA"
