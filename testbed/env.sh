# env.sh -- shared settings for install.sh / up.sh / down.sh / verify.sh.
# Sourced, not executed.  Every value can be overridden from the environment,
# e.g.  HUT_ACCOUNTING=filetxt ./up.sh
#
# Layout: everything the stack writes lives under $HUT_STATE, EXCEPT
#   /etc/slurm/slurm.conf and /etc/slurm/slurmdbd.conf (Slurm client commands
#   such as sbatch/squeue read /etc/slurm/slurm.conf; if it is missing they
#   fall back to a DNS SRV lookup = network traffic, so we always write it),
#   /run/munge (munged's compiled-in socket path, used by libmunge clients),
#   /run/sshd (sshd's compiled-in privilege-separation directory),
#   the test users' home directories and their ~/.ssh/authorized_keys.

# Root of all generated state (pids, logs, spool, db datadir, ssh keys).
HUT_STATE="${HUT_STATE:-/var/tmp/scripthut-testbed}"

# Slurm cluster name and the node name (must equal `hostname -s`, because
# slurmd identifies itself by short hostname unless started with -N).
HUT_CLUSTER="${HUT_CLUSTER:-hut}"
HUT_NODE="${HUT_NODE:-$(hostname -s)}"
# Resources advertised for the node.  CPUs must not exceed the real count
# (slurmd would mark the node INVAL); RealMemory in MB must not exceed real RAM.
HUT_CPUS="${HUT_CPUS:-2}"
HUT_REALMEM="${HUT_REALMEM:-16000}"

# Memory enforcement: auto (cgroup v1 when its memory controller is mounted,
# else the accounting sampler), 1 (force cgroup), 0 (force no cgroup).
HUT_CGROUP="${HUT_CGROUP:-auto}"

# Accounting back end:
#   slurmdbd  -> MariaDB + slurmdbd; `sacct` works normally (full history)
#   filetxt   -> no database; `sacct -c` reads the jobcomp/filetxt log,
#                `scontrol show job` works for MinJobAge seconds
HUT_ACCOUNTING="${HUT_ACCOUNTING:-slurmdbd}"
HUT_DB_PORT="${HUT_DB_PORT:-3307}"          # private MariaDB, 127.0.0.1 only
HUT_DB_PASS="${HUT_DB_PASS:-slurmdbpass}"   # password of MariaDB user 'slurm'

# SSH server (private instance; the system sshd config is never touched).
HUT_SSH_HOST="${HUT_SSH_HOST:-127.0.0.1}"
HUT_SSH_PORT="${HUT_SSH_PORT:-2222}"
# Test users (space separated).  Each gets a key pair under
# $HUT_STATE/ssh/<user>_ed25519 and the password $HUT_USER_PASS.
HUT_USERS="${HUT_USERS:-hutuser hutuser2}"
HUT_USER_PASS="${HUT_USER_PASS:-hutpass}"
# Git account for git-source tests: login shell git-shell, and an
# authorized_keys entry that allows only its deploy key
# ($HUT_STATE/ssh/<user>_ed25519) with no pty and no forwarding.
HUT_GIT_USER="${HUT_GIT_USER:-hutgit}"

# Handy derived paths.
HUT_RUN="$HUT_STATE/run"      # pid files written by the daemons themselves
HUT_PIDS="$HUT_STATE/pids"    # pid files recorded by up.sh (read by down.sh)
HUT_LOG="$HUT_STATE/log"
HUT_SSHDIR="$HUT_STATE/ssh"

# Small helpers ---------------------------------------------------------------
hut_now() { date +%s.%N; }
hut_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e-s}'; }
hut_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# hut_alive NAME -> true if $HUT_PIDS/NAME.pid names a live process whose
# /proc/PID/comm equals the 'comm' recorded next to it (guards against a
# recycled PID belonging to somebody else).
hut_alive() {
  local f="$HUT_PIDS/$1.pid" pid comm
  [ -s "$f" ] || return 1
  read -r pid comm < "$f"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] && ! hut_gone "$pid" "$comm"
}

# hut_gone PID COMM -> true once PID has exited.  A daemon that exits stays a
# zombie (/proc/PID still there, same comm) until its parent -- PID 1 here,
# which reaps lazily (~1-2 s) -- collects it, so state 'Z' counts as gone.
hut_gone() {
  [ -d "/proc/$1" ] || return 0
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 0
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# hut_record NAME PID -> remember PID (and its comm) for down.sh.
hut_record() {
  mkdir -p "$HUT_PIDS"
  echo "$2 $(cat "/proc/$2/comm")" > "$HUT_PIDS/$1.pid"
}

# hut_wait SECONDS DESCRIPTION CMD... -> poll CMD every 0.1 s until it
# succeeds; fail (return 1) after SECONDS.
hut_wait() {
  local limit="$1" what="$2"; shift 2
  local start; start=$(hut_now)
  while ! "$@" >/dev/null 2>&1; do
    if awk -v s="$start" -v e="$(date +%s.%N)" -v l="$limit" 'BEGIN{exit !(e-s>l)}'; then
      hut_log "TIMEOUT after ${limit}s waiting for: $what"
      return 1
    fi
    sleep 0.1
  done
}
