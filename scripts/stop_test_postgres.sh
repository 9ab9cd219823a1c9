#!/usr/bin/env bash
# Stop a throw-away PostgreSQL server started by start_test_postgres.sh and delete its data folder.
# Usage: bash scripts/stop_test_postgres.sh "$SMARTPICK_TEST_POSTGRES_DATA"
set -euo pipefail
DATA="${1:?usage: stop_test_postgres.sh DATA_DIR}"
case "$DATA" in /tmp/smartpick-pg.*) ;; *) echo "refusing to stop a server outside /tmp/smartpick-pg.*: $DATA" >&2; exit 2 ;; esac
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
RUNAS=()
if [ "$(id -u)" = "0" ]; then
  RUNAS=(runuser -u postgres --)
fi
if [ -n "$PGBIN" ] && [ -f "$DATA/postmaster.pid" ]; then
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
fi
rm -rf "$DATA"
