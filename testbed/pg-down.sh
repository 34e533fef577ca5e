#!/usr/bin/env bash
# pg-down.sh -- stop the PostgreSQL that pg-up.sh started; --purge also deletes its data.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
state="${HUT_PG_STATE:-/var/tmp/scripthut-pg}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -s "$state/data/postmaster.pid" ]; then
  runuser -u postgres -- "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null
fi
[ "${1:-}" = --purge ] && rm -rf "$state"
exit 0
