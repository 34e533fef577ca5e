#!/usr/bin/env bash
# bootstrap.sh -- make this checkout runnable on a fresh Debian machine with Node 20.
#   scripts/bootstrap.sh          pnpm + dependencies
#   scripts/bootstrap.sh --test   also what the tests need: Chromium and the Slurm testbed packages (root)
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  log "Node.js 20 or newer is required (found: $(node -v 2>/dev/null || echo none))."
  exit 1
fi

if ! command -v pnpm >/dev/null 2>&1; then
  # corepack cannot verify signatures against this registry; npm can install pnpm directly.
  log "installing pnpm 10 with npm"
  npm install -g pnpm@10 >/dev/null
fi

if [ "${1:-}" = --test ]; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  if ! [ -x /usr/bin/chromium ]; then
    log "installing Chromium (apt)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q --no-install-recommends chromium >/dev/null
  fi
  if ! command -v tmux >/dev/null; then
    log "installing tmux (apt), for the terminal tests of the command-line client"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q --no-install-recommends tmux >/dev/null
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "installing PostgreSQL (apt), for the shared-store tests"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q --no-install-recommends postgresql >/dev/null
  fi
  as_root bash testbed/install.sh
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.pnpm/lock.yaml ]; then
  log "installing dependencies (pnpm install)"
  pnpm install --frozen-lockfile --reporter=silent
fi
