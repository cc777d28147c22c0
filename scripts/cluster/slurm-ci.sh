#!/usr/bin/env bash
# Proves the Slurm path of `ammsim sweep` for real, on this machine: installs Debian's slurm-wlm and munge when
# missing (apt-get; a temporary policy-rc.d keeps the install from starting services), starts a one-node cluster
# in a temporary folder (munged, slurmctld and slurmd in the foreground as background children, their PIDs
# recorded; no systemd, no cgroups), submits scripts/cluster/slurm-array.sh as a 3-task array, merges the three
# shards and compares every output file byte for byte with the same sweep run unsharded. Every daemon it
# started is stopped on exit (scancel, scontrol shutdown, then the recorded PIDs and any job step of ours).
#
#   scripts/cluster/slurm-ci.sh          # needs root (or passwordless sudo) for the install and the daemons
#
# Exit status: 0 passed; 77 skipped (apt-get unavailable to install what is missing; the reason is printed);
# anything else failed. KEEP=1 keeps the temporary folder (logs) after the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
say() { echo "slurm-ci: $*" >&2; }
skip() {
  echo "slurm-ci: SKIP: $*" >&2
  exit 77
}

sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else root=no; fi
fi

# ---------------------------------------------------------------- install (when missing)
missing=()
for bin in munged slurmctld slurmd sbatch squeue scontrol scancel; do command -v "$bin" >/dev/null 2>&1 || missing+=("$bin"); done
created_policy=""
remove_policy() { if [ -n "$created_policy" ]; then "${sudo[@]}" rm -f "$created_policy"; created_policy=""; fi; }
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || skip "slurm-wlm and munge are not installed (${missing[*]} missing) and apt-get is not available to install them"
  [ "${root:-yes}" = yes ] || skip "slurm-wlm and munge are not installed and installing them needs root or passwordless sudo"
  say "installing slurm-wlm and munge (missing: ${missing[*]})"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # invoke-rc.d asks this script before starting a service; 101 = "not allowed": the install starts no daemon
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
    created_policy=/usr/sbin/policy-rc.d
  fi
  trap remove_policy EXIT
  install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; }
  install || { "${sudo[@]}" apt-get update -qq >/dev/null && install; } || skip "apt-get could not install slurm-wlm and munge"
  remove_policy
  trap - EXIT
fi
if [ "${root:-yes}" != yes ]; then skip "starting slurmd needs root (or passwordless sudo)"; fi

# ---------------------------------------------------------------- a one-node cluster in a temporary folder
tmp=$(mktemp -d /tmp/ammsim-slurm-ci.XXXXXX)
chmod 755 "$tmp"
pids=()
jobid=""
export SLURM_CONF="$tmp/etc/slurm.conf"

cleanup() {
  local status=$?
  set +e
  [ -n "$jobid" ] && scancel "$jobid" 2>/dev/null
  if [ ${#pids[@]} -gt 0 ]; then
    scontrol shutdown >/dev/null 2>&1
    for _ in $(seq 1 50); do
      alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.1
    done
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null; done
    sleep 0.3
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
  fi
  # job steps (slurmstepd) of this cluster: the ones holding files in our temporary folder
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = slurmstepd ] || continue
    if ls -l "$d/fd" 2>/dev/null | grep -q "$tmp"; then kill -KILL "${d#/proc/}" 2>/dev/null; fi
  done
  wait 2>/dev/null
  if [ $status != 0 ] && [ $status != 77 ]; then
    for f in "$tmp"/log/*.log "$tmp"/log/*.out; do [ -f "$f" ] && { echo "----- $f" >&2; tail -n 30 "$f" >&2; }; done
  fi
  if [ "${KEEP:-0}" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 - 1024 }' /proc/meminfo)
[ "$mem_mb" -gt 256 ] || mem_mb=256

mkdir -p "$tmp"/{etc,munge/sock,state,spool,log,shards}
chmod 711 "$tmp/munge"
chmod 711 "$tmp/munge/sock"
head -c 1024 /dev/urandom > "$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
socket="$tmp/munge/sock/munge.socket"

munged -F --key-file="$tmp/munge/munge.key" --socket="$socket" --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/munged.seed" > "$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -S "$socket" ] && break; sleep 0.05; done
[ -S "$socket" ] || { say "munged did not start"; exit 1; }

cat > "$SLURM_CONF" <<CONF
ClusterName=ammsimci
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=600
NodeName=localhost CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

say "$(sbatch --version 2>&1 | head -n 1), $cpus CPUs, RealMemory=$mem_mb MB"
slurmctld -D -i > "$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost > "$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
say "cluster up in $tmp (munged, slurmctld :$ctld_port, slurmd :$slurmd_port; pids ${pids[*]}); waiting for the node"
for _ in $(seq 1 300); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
  case "$state" in idle|mixed|allocated) break ;; esac
  sleep 0.1
done
case "$state" in idle|mixed|allocated) ;; *) say "the node did not come up (state: ${state:-none})"; exit 1 ;; esac

# ---------------------------------------------------------------- the sweep: unsharded, then a 3-task array, merged
ammsim=(node "$repo/scripts/ammsim.mjs")
sweep=(--prices "$repo/data/sample/eth_gbm_1h_1w.csv" --pool v3 --strategy range --width 0.01:0.2:0.01 --fee 0.0005,0.003,0.01 --heatmap width,fee)
"${ammsim[@]}" sweep "${sweep[@]}" --workers 1 --out "$tmp/whole" >/dev/null

jobid=$(sbatch --parsable --array=0-2 --cpus-per-task=1 --chdir="$repo" --output="$tmp/log/task-%A_%a.out" \
  --export=ALL,SWEEP_OUT="$tmp/shards" scripts/cluster/slurm-array.sh "${sweep[@]}")
jobid=${jobid%%;*}
say "submitted array job $jobid (3 tasks)"
# poll squeue (sbatch --wait checks only after 2 s, 8 s, then every 10 s)
for _ in $(seq 1 1200); do
  [ -z "$(squeue -h -j "$jobid" -o %i 2>/dev/null)" ] && break
  sleep 0.25
done
[ -z "$(squeue -h -j "$jobid" -o %i 2>/dev/null)" ] || { say "the array did not finish in 5 minutes"; exit 1; }
states=$(scontrol -o show job "$jobid" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
say "array finished: $states"
completed=$(scontrol -o show job "$jobid" | grep -c 'JobState=COMPLETED' || true)
[ "$completed" = 3 ] || { say "expected 3 COMPLETED tasks"; exit 1; }
jobid=""

"${ammsim[@]}" sweep merge "$tmp/shards/shard-0" "$tmp/shards/shard-1" "$tmp/shards/shard-2" --out "$tmp/merged" >/dev/null
for f in results.jsonl sweep.csv sweep.arrow sweep.json report.html; do
  cmp "$tmp/whole/$f" "$tmp/merged/$f" || { say "$f differs between the merged shards and the unsharded run"; exit 1; }
done
rows=$(($(wc -l < "$tmp/whole/sweep.csv") - 1))
say "OK: 3 Slurm array tasks ($rows configurations) merged == the unsharded sweep, 5 files byte for byte"
