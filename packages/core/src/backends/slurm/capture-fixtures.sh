#!/usr/bin/env bash
# Captures raw Slurm output for the parser tests into __fixtures__/.
#
# Submits one job per scenario to the project testbed (../../../../../testbed),
# runs the exact command lines built by commands.ts (commands.test.ts checks
# that every recorded .cmd equals what commands.ts builds) and stores, per
# capture NAME: NAME.cmd (command line), NAME.stdout, NAME.stderr, NAME.rc.
#
# Idempotent: it first cancels jobs left by an earlier run and overwrites the
# fixtures. It only ever cancels jobs it submitted itself: every job carries the
# comment "scripthut-fixture:<scenario>" and every scancel names ids it got
# back from its own sbatch. Takes about two minutes (the TIMEOUT job).
#
# Usage: capture-fixtures.sh [array-logs]   (HUT_CONNECTION_ENV overrides the env file;
#        `array-logs` captures only that scenario, keeping every other fixture)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/__fixtures__"
. "${HUT_CONNECTION_ENV:-/var/tmp/scripthut-testbed/connection.env}"
mark=scripthut-fixture
unknown_id=67000000 # above any id this testbed will hand out

ctl_dir="$(mktemp -d)"
ssh_as() {
  local user="$1" key_var="HUT_KEY_$1"
  shift
  ssh -p "$HUT_SSH_PORT" -i "${!key_var}" -o UserKnownHostsFile="$HUT_SSH_KNOWN_HOSTS" \
    -o BatchMode=yes -o ControlMaster=auto -o ControlPath="$ctl_dir/%r" -o ControlPersist=120 \
    "$user@$HUT_SSH_HOST" "$@"
}
cleanup() {
  for u in hutuser hutuser2; do ssh_as "$u" -O exit 2>/dev/null || true; done
  rm -rf "$ctl_dir"
}
trap cleanup EXIT
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- the command lines of commands.ts, rebuilt in bash ----------------------
squeue_fields=(JobArrayID UserName State Reason Partition NumCPUs MinMemory NodeList TimeUsed
  TimeLimit SubmitTime StartTime WorkDir STDOUT STDERR Command Comment Name)
sacct_fields=JobID,JobIDRaw,State,ExitCode,DerivedExitCode,Reason,Submit,Start,End,Elapsed,Comment,TotalCPU,AllocCPUS,MaxRSS,ReqMem
sep="@$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')@"
squeue_cmd() { # [--states=all]
  local f format=""
  for f in "${squeue_fields[@]}"; do format+="${format:+,}$f:0$sep"; done
  printf "printf '%%s\\\\n' '%s'; TZ=UTC SLURM_BITSTR_LEN=0 squeue --all --noheader%s --Format='%s'" \
    "$sep" "${1:+ $1}" "$format"
}
sacct_cmd() { # comma-separated ids (ranges already reduced to their base id)
  printf "printf '%%s\\\\n' '%s'; TZ=UTC sacct --allusers --noheader --parsable --delimiter='%s' --jobs=%s --format=%s" \
    "$sep" "$sep" "$1" "$sacct_fields"
}
sbatch_cmd='cd "$HOME" && sbatch --parsable'

# capture NAME USER COMMAND [STDIN]: run COMMAND, keep its raw output.
capture() {
  local name="$1" user="$2" cmd="$3" stdin="${4-}" rc=0
  printf '%s' "$cmd" >"$out/$name.cmd"
  printf '%s' "$stdin" | ssh_as "$user" "$cmd" >"$out/$name.stdout" 2>"$out/$name.stderr" || rc=$?
  printf '%s\n' "$rc" >"$out/$name.rc"
  log "captured $name (exit $rc)"
}

declare -A id note
readme_rows=()
# submit SCENARIO USER "SBATCH OPTIONS" BODY: one job, id kept in id[SCENARIO].
submit() {
  local scenario="$1" user="$2" opts="$3" body="$4" jid
  jid=$(printf '#!/bin/bash\n%s\n' "$body" |
    ssh_as "$user" "sbatch --parsable --comment=$mark:$scenario -o /dev/null $opts")
  id[$scenario]="${jid%%;*}"
  note[$scenario]="\`$opts\` — \`$(printf '%s' "$body" | tr '\n' ';')\`"
  log "submitted $scenario as ${id[$scenario]} ($user)"
}
state_of() { ssh_as hutuser "squeue --all --noheader --states=all -j $1 -O State:0" 2>/dev/null | head -1 | tr -d ' '; }
reason_of() { ssh_as hutuser "squeue --all --noheader -j $1 -O Reason:0" 2>/dev/null | head -1 | tr -d ' '; }
wait_for() { # ID SECONDS PREDICATE-ON-STATE
  local jid="$1" limit="$2" pred="$3" s
  for ((i = 0; i < limit * 2; i++)); do
    s=$(state_of "$jid")
    if eval "$pred"; then return 0; fi
    sleep 0.5
  done
  log "job $jid: gave up waiting for $pred (state '$s')"
  return 1
}
cancel() { [ $# -eq 0 ] || ssh_as hutuser "scancel $*" || true; }

# --- array tasks' own log files (also alone: capture-fixtures.sh array-logs) ---
# The one scenario without -o, so Slurm picks the default file of an array
# task: what squeue's STDOUT and scontrol's StdOut say it is, and the files the
# tasks actually wrote (each prints its index). The files are removed after.
capture_array_logs() {
  local jid i
  jid=$(printf '#!/bin/bash\necho "task $SLURM_ARRAY_TASK_ID"; sleep 15\n' |
    ssh_as hutuser "cd \"\$HOME\" && sbatch --parsable --comment=$mark:array-logs --time=5 --array=1-3")
  id[array-logs]="${jid%%;*}"
  note[array-logs]='`--time=5 --array=1-3` (no `-o`) — `echo "task $SLURM_ARRAY_TASK_ID"; sleep 15`'
  log "submitted array-logs as ${id[array-logs]} (hutuser)"
  for ((i = 0; i < 240; i++)); do
    [ "$(state_of "${id[array-logs]}_2")" = RUNNING ] && break
    sleep 0.5
  done
  capture squeue-array-logs hutuser "$(squeue_cmd)"
  capture scontrol-array-task hutuser "scontrol show job ${id[array-logs]}_2"
  for ((i = 0; i < 240; i++)); do
    ssh_as hutuser "squeue --noheader -j ${id[array-logs]} -O State:0" | grep -qE 'PENDING|RUNNING|COMPLETING|CONFIGURING' || break
    sleep 0.5
  done
  capture files-array-logs hutuser \
    "cd \"\$HOME\" && for f in slurm-${id[array-logs]}_*.out; do printf '%s: %s\\n' \"\$f\" \"\$(cat \"\$f\")\"; done"
  ssh_as hutuser "cd \"\$HOME\" && rm -f slurm-${id[array-logs]}_*.out"
}
if [ "${1-}" = array-logs ]; then
  capture_array_logs
  log "done: array-logs only (README.md and jobs.json are rewritten by a full run)"
  exit 0
fi

# --- 0. leftovers of an earlier run ----------------------------------------
for u in hutuser hutuser2; do
  old=$(ssh_as "$u" "squeue --noheader -u $u -O 'JobArrayID:0|,Comment:0|'" |
    awk -F'|' -v m="$mark:" 'index($2, m) == 1 { print $1 }' | sed 's/_.*//' | sort -u | tr '\n' ' ')
  if [ -n "$old" ]; then log "cancelling leftovers of $u: $old"; ssh_as "$u" "scancel $old" || true; fi
done
mkdir -p "$out"
rm -f "$out"/*.cmd "$out"/*.stdout "$out"/*.stderr "$out"/*.rc

# --- 1. jobs that must not start -------------------------------------------
submit held-cancelled hutuser '--hold' 'echo never'
submit cancel-pending hutuser '--begin=now+1hour' 'echo never'
submit pending-dependency hutuser "--dependency=afterok:${id[cancel-pending]}" 'echo never'
submit pending-partition-time-limit hutuser '--partition=debug --time=2:00:00' 'echo never'
submit array-pending hutuser '--hold --array=5-9' 'echo never'
submit name-pipe-quotes hutuser "--hold --job-name='a|b \"c\" \$(x) \`y\`'" 'echo never'
submit name-unicode hutuser "--hold --job-name='日本語 ünïcödé ✓'" 'echo never'
submit name-newline-ctl hutuser "--hold --job-name=\$'two\\nlines\\x1fus\\x1ers'" 'echo never'

# --- 2. jobs that run (2 CPUs: the first two run while the queue is captured) ---
submit other-user hutuser2 '--time=5' 'sleep 30'
submit cancel-running hutuser '--time=5' 'sleep 600'
submit timeout hutuser '--time=1' 'sleep 600'
submit completed hutuser '--time=5' 'echo done'
submit exit-3 hutuser '--time=5' 'exit 3'
submit signal-kill hutuser '--time=5' 'kill -9 $$'
submit child-segv hutuser '--time=5' 'sh -c '"'"'kill -SEGV $$'"'"
submit oom hutuser '--time=5 --mem=20M' 'head -c 300M /dev/zero | tail'
submit child-oom-ignored hutuser '--time=5 --mem=20M' 'head -c 300M /dev/zero | tail; echo survived'
submit missing-output-dir hutuser '--time=5 -o /nonexistent/dir/x.out' 'echo lost'
# An output directory that exists but the job's user may not write to.
ssh_as hutuser 'mkdir -p ~/scripthut-fixture-ro && chmod 555 ~/scripthut-fixture-ro'
submit unwritable-output-dir hutuser '--time=5 -o ~/scripthut-fixture-ro/x.out' 'echo lost'
submit steps-completed hutuser '--time=5' 'srun echo one; srun echo two'
submit step-fails hutuser '--time=5' 'srun sh -c "exit 2"; echo "step exit $?"'
submit step-oom hutuser '--time=5 --mem=200M' \
  'srun --mem=20M sh -c "head -c 300M /dev/zero | tail"; echo "step exit $?"'
submit array-one-fails hutuser '--time=5 --array=1-3' \
  'if [ "$SLURM_ARRAY_TASK_ID" = 2 ]; then exit 1; fi; echo "task $SLURM_ARRAY_TASK_ID"'
submit array-throttled hutuser '--time=5 --array=1-8%4' 'sleep 1'
# Efficiency: 4 s of busy CPU while holding 200 MiB of touched memory (sampled every 2 s).
submit cpu-burn hutuser '--time=5 --mem=400M' \
  'python3 -c "import time; b = b\"x\" * (200 << 20); t = time.time()
while time.time() - t < 4: pass"'
submit other-user-held hutuser2 '--hold' 'echo never'

wait_for "${id[other-user]}" 120 '[ "$s" = RUNNING ]'
wait_for "${id[cancel-running]}" 120 '[ "$s" = RUNNING ]'

# Whole-node memory while our jobs hold some: Resources, then Priority behind
# it. The body is `true`, so if they ever start they end at once.
submit pending-resources hutuser '--time=1 --mem=16000M' 'true'
submit pending-priority hutuser '--time=1 --mem=16000M' 'true'
for ((i = 0; i < 30; i++)); do
  [ "$(reason_of "${id[pending-priority]}")" != None ] && [ "$(reason_of "${id[pending-resources]}")" != None ] && break
  sleep 0.5
done

# --- 3. the live queue, every user ------------------------------------------
capture squeue-live hutuser "$(squeue_cmd)"
capture sacct-live-jobs hutuser "$(sacct_cmd "${id[timeout]},${id[cancel-running]},${id[held-cancelled]},${id[pending-dependency]},${id[array-pending]}")"
cancel "${id[pending-resources]}" "${id[pending-priority]}"

# Accounting records a pending job's reason a few seconds after submission; cancel
# once it has, so the final records keep JobHeldUser and BeginTime.
for ((i = 0; i < 60; i++)); do
  reasons=$(ssh_as hutuser "sacct -X -n -P -j ${id[held-cancelled]},${id[cancel-pending]} -o Reason" | tr '\n' ' ')
  [[ "$reasons" == *JobHeldUser* && "$reasons" == *BeginTime* ]] && break
  sleep 0.5
done
cancel "${id[cancel-running]}" "${id[held-cancelled]}" "${id[cancel-pending]}"
wait_for "${id[cancel-running]}" 60 '[ "$s" = CANCELLED ]'
for ((i = 0; i < 30; i++)); do
  [ "$(reason_of "${id[pending-dependency]}")" = DependencyNeverSatisfied ] && break
  sleep 0.5
done
capture squeue-after-cancel hutuser "$(squeue_cmd)"

# --- 4. sbatch replies, through the exact sbatchCommand ----------------------
capture sbatch-ok hutuser "$sbatch_cmd" $'#!/bin/bash\n#SBATCH --hold\n#SBATCH --comment='"$mark"$':sbatch-ok\n#SBATCH -o /dev/null\ntrue\n'
capture sbatch-warning hutuser "$sbatch_cmd" $'#!/bin/bash\n#SBATCH --hold -N 2 -n 1\n#SBATCH --comment='"$mark"$':sbatch-warning\n#SBATCH -o /dev/null\ntrue\n'
capture sbatch-bad-partition hutuser "$sbatch_cmd" $'#!/bin/bash\n#SBATCH --partition=nope\ntrue\n'
capture sbatch-mem-too-large hutuser "$sbatch_cmd" $'#!/bin/bash\n#SBATCH --mem=100G\ntrue\n'
capture sbatch-bad-account hutuser "$sbatch_cmd" $'#!/bin/bash\n#SBATCH --account=nosuchaccount\ntrue\n'
capture sbatch-bad-time hutuser "$sbatch_cmd" $'#!/bin/bash\n#SBATCH --time=lunchtime\ntrue\n'
sbatch_ids=$(cat "$out/sbatch-ok.stdout" "$out/sbatch-warning.stdout" | sed 's/;.*//' | tr '\n' ' ')

# --- 5. scancel: own pending job, another user's job, unknown id, unknown ----
#        array task, array range, a finished job (the exact scancelCommand)
wait_for "${id[completed]}" 120 '[ "$s" = COMPLETED ]'
capture scancel-mixed hutuser "scancel --verbose ${id[pending-partition-time-limit]} ${id[other-user-held]} $unknown_id '${id[array-pending]}_[5-9]' ${id[array-pending]}_99 ${id[completed]}"
ssh_as hutuser2 "scancel ${id[other-user-held]}" || true
cancel "${id[pending-dependency]}" "${id[name-pipe-quotes]}" "${id[name-unicode]}" "${id[name-newline-ctl]}" $sbatch_ids

# --- 6. final states ---------------------------------------------------------
running=(timeout other-user completed exit-3 signal-kill child-segv oom child-oom-ignored missing-output-dir
  unwritable-output-dir steps-completed step-fails step-oom array-one-fails array-throttled cpu-burn)
array_done() { # ID: no task of the array is live any more
  ! ssh_as hutuser "squeue --noheader -j $1 -O State:0" 2>/dev/null | grep -qE 'PENDING|RUNNING|COMPLETING|CONFIGURING'
}
for s in "${running[@]}"; do
  wait_for "${id[$s]}" 180 '[ -z "$s" ] || ! [[ "$s" =~ ^(PENDING|RUNNING|COMPLETING|CONFIGURING)$ ]]'
done
for s in array-one-fails array-throttled; do
  for ((i = 0; i < 240; i++)); do array_done "${id[$s]}" && break; sleep 0.5; done
done
sleep 2 # accounting lags squeue by ~0.2 s
capture squeue-finished hutuser "$(squeue_cmd --states=all)"
finals=("${running[@]}" cancel-pending cancel-running held-cancelled array-pending pending-dependency
  other-user-held)
for s in "${finals[@]}"; do capture "sacct-$s" hutuser "$(sacct_cmd "${id[$s]}")"; done
capture sacct-mixed-unknown hutuser "$(sacct_cmd "${id[completed]},$unknown_id,${id[array-one-fails]}_2,${id[array-one-fails]}_99,${id[array-pending]},${id[exit-3]}")"

# --- 6b. a throttled array while it runs, one task cancelled, then the whole array ---
submit array-cancel hutuser '--time=5 --array=1-6%4' 'sleep 120'
task_state() { ssh_as hutuser "squeue --noheader --states=all -j $1 -O State:0" 2>/dev/null | head -1 | tr -d ' '; }
for ((i = 0; i < 240; i++)); do [ "$(task_state "${id[array-cancel]}_2")" = RUNNING ] && break; sleep 0.5; done
# Accounting lags: wait until sacct lists the running tasks, and let them run a few seconds.
for ((i = 0; i < 60; i++)); do
  [ "$(ssh_as hutuser "sacct -n -X -P -j ${id[array-cancel]} -s R -o JobID" | wc -l)" -ge 2 ] && break
  sleep 0.5
done
sleep 3
capture squeue-array-running hutuser "$(squeue_cmd)"
capture sacct-array-running hutuser "$(sacct_cmd "${id[array-cancel]}")"
capture scancel-array-tasks hutuser "scancel --verbose ${id[array-cancel]}_1 ${id[array-cancel]}_5"
for ((i = 0; i < 240; i++)); do [ "$(task_state "${id[array-cancel]}_3")" = RUNNING ] && break; sleep 0.5; done
capture scancel-array-whole hutuser "scancel --verbose ${id[array-cancel]}"
for ((i = 0; i < 240; i++)); do array_done "${id[array-cancel]}" && break; sleep 0.5; done
sleep 2 # accounting lags squeue
capture squeue-array-cancelled hutuser "$(squeue_cmd --states=all)"
capture sacct-array-cancelled hutuser "$(sacct_cmd "${id[array-cancel]}")"

# --- 6c. accounting a moment after a job ended -----------------------------
# For a fraction of a second slurmdbd has the job COMPLETED but its ReqMem not
# written yet (`16?`). Ask sacct as fast as we can until the allocation is
# COMPLETED, and keep that first answer; retry until it shows the gap.
for attempt in 1 2 3 4 5 6; do
  submit just-ended hutuser '--time=5 --mem=300M' 'sleep 2'
  cmd="$(sacct_cmd "${id[just-ended]}")"
  first=
  for ((i = 0; i < 400; i++)); do
    answer=$(ssh_as hutuser "$cmd")
    if printf '%s' "$answer" | grep -qF "${id[just-ended]}$sep${id[just-ended]}${sep}COMPLETED$sep"; then
      first=$answer
      break
    fi
    sleep 0.05
  done
  if printf '%s' "$first" | grep -qF "?$sep"; then
    printf '%s' "$cmd" >"$out/sacct-just-ended.cmd"
    printf '%s\n' "$first" >"$out/sacct-just-ended.stdout"
    : >"$out/sacct-just-ended.stderr"
    echo 0 >"$out/sacct-just-ended.rc"
    log "captured sacct-just-ended (attempt $attempt)"
    break
  fi
  log "just-ended: attempt $attempt did not catch accounting mid-write"
done

capture_array_logs

# --- 7. what each capture is ---------------------------------------------------
{
  echo '# Slurm fixtures (captured from the testbed by ../capture-fixtures.sh; do not edit)'
  echo
  echo "Slurm $(ssh_as hutuser 'sbatch --version'), captured $(date -u +%Y-%m-%dT%H:%M:%SZ)."
  echo 'Each capture NAME has NAME.cmd (exact command line), NAME.stdout, NAME.stderr, NAME.rc.'
  echo '`jobs.json` maps each scenario to its job id.'
  echo
  echo '| scenario | job id | user | sbatch options — script body |'
  echo '|---|---|---|---|'
  for s in "${!id[@]}"; do
    u=hutuser; [[ "$s" == other-user* ]] && u=hutuser2
    echo "| $s | ${id[$s]} | $u | ${note[$s]//|/\\|} |"
  done | sort
  echo
  echo '- `squeue-live`: every user'"'"'s live queue while the scenarios run or wait (Resources, Priority, Dependency, PartitionTimeLimit, BeginTime, JobHeldUser, a pending array range, names with `|`, quotes, `$()`, unicode, a newline and control characters).'
  echo '- `squeue-after-cancel`: live queue after cancelling the running, held and begin-time jobs (DependencyNeverSatisfied).'
  echo '- `squeue-finished`: `--states=all` once the scenarios ended (terminal states as squeue shows them).'
  echo '- `sacct-live-jobs`: sacct for jobs still running or pending (no final report may come of it).'
  echo '- `sacct-<scenario>`: sacct for that scenario'"'"'s job once it ended.'
  echo "- \`sacct-mixed-unknown\`: known ids mixed with an unknown id ($unknown_id), an unknown array task and a pending array range (asked by its base id)."
  echo '- `squeue-array-running`, `sacct-array-running`: live queue and sacct while the `--array=1-6%4` array (array-cancel) has two tasks running and the rest pending behind the throttle.'
  echo '- `scancel-array-tasks`: one `scancel --verbose` for a running task and a pending task of that array; `scancel-array-whole`: then the whole array by its base id.'
  echo '- `squeue-array-cancelled`, `sacct-array-cancelled`: `--states=all` and sacct once the cancelled array ended.'
  echo '- `squeue-array-logs`, `scontrol-array-task`, `files-array-logs`: the array-logs array (no `-o`) while its task 2 runs: squeue'"'"'s STDOUT of each task, scontrol'"'"'s StdOut of task 2, and, once it ended, each file the tasks wrote with its content.'
  echo '- `sacct-just-ended`: sacct the moment accounting has a job COMPLETED but has not written its ReqMem yet (`16?`); the job asked `--mem=300M`.'
  echo '- `sacct-cpu-burn`: a job that kept one CPU busy for 4 s holding 200 MiB (TotalCPU, AllocCPUS, MaxRSS of its steps, ReqMem).'
  echo '- `sbatch-*`: sbatch replies through `sbatchCommand()` with the script on stdin: accepted, accepted with a warning on stderr, rejected (partition, memory, account, time).'
  echo "- \`scancel-mixed\`: one \`scancel --verbose\` for an own pending job, another user's held job, an unknown id ($unknown_id), a pending array range, an unknown array task and a finished job."
} >"$out/README.md"
{
  printf '{'
  comma=
  for s in $(printf '%s\n' "${!id[@]}" | sort); do
    printf '%s\n  "%s": "%s"' "$comma" "$s" "${id[$s]}"
    comma=,
  done
  printf '\n}\n'
} >"$out/jobs.json"
log "done: $(ls "$out" | wc -l) files in $out"
