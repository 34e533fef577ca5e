#!/usr/bin/env bash
# pg-up.sh -- start a private PostgreSQL 15 on 127.0.0.1 for the tests of the
# shared (multi-instance) store. Idempotent: a server already running from
# $HUT_PG_STATE is only checked. Runs as root; the server runs as the
# `postgres` account (initdb refuses root), with its data, socket and log
# under $HUT_PG_STATE, password authentication for the role `hut` over TCP
# only, and nothing listening beyond loopback.
#
#   sudo bash testbed/pg-up.sh      # start / check, print the connection file
#   sudo bash testbed/pg-down.sh    # stop it (by its postmaster.pid); --purge deletes the data
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
state="${HUT_PG_STATE:-/var/tmp/scripthut-pg}"
port="${HUT_PG_PORT:-55432}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
id postgres >/dev/null 2>&1 || { echo "the postgres account is missing (apt-get install postgresql creates it)" >&2; exit 1; }
as_pg() { runuser -u postgres -- "$@"; }

mkdir -p "$state"
chown postgres:postgres "$state"
chmod 700 "$state"
env_file="$state/connection.env"

if [ ! -s "$state/data/PG_VERSION" ]; then
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  pwfile="$(mktemp -p "$state")"
  printf '%s\n' "$password" >"$pwfile"
  chown postgres "$pwfile"
  as_pg "$bin/initdb" -D "$state/data" -U hut --pwfile="$pwfile" -A scram-sha-256 --no-sync >"$state/initdb.log"
  rm -f "$pwfile"
  # TCP on loopback with a password; no local socket logins without one either.
  printf 'host all hut 127.0.0.1/32 scram-sha-256\n' >"$state/data/pg_hba.conf"
  chown postgres "$state/data/pg_hba.conf"
  umask 077
  cat >"$env_file" <<EOF
HUT_PG_HOST=127.0.0.1
HUT_PG_PORT=$port
HUT_PG_USER=hut
HUT_PG_PASSWORD=$password
HUT_PG_DATABASE=postgres
EOF
fi

if ! as_pg "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$state/data" -l "$state/pg.log" -w -t 30 \
    -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi
"$bin/pg_isready" -h 127.0.0.1 -p "$port" -t 10 >/dev/null || { tail -n 20 "$state/pg.log" >&2; exit 1; }
echo "PostgreSQL $(cat "$state/data/PG_VERSION") on 127.0.0.1:$port; connection details in $env_file"
