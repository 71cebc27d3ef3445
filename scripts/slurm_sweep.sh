#!/usr/bin/env bash
# A sweep on a real Slurm cluster of one node, checked against a local run (issue 19).
#
#   scripts/slurm_sweep.sh [SCENARIOS]        # default: seeds/bench.toml (200 scenarios)
#
# Installs nothing: it needs Debian's slurm-wlm and munge (`.ci/run` installs them). It
# starts its own munged and a single-node cluster (slurmctld + slurmd on localhost, CPUs=2)
# with a slurm.conf, keys, sockets, state and logs in a temporary folder, submits
# deploy/slurm-array.sh as a job array (4 shards) and the merge as a job depending on it,
# waits, runs the same sweep locally, and checks that the merged results.csv and
# frontier.svg equal the local ones byte for byte. The daemons are stopped on exit.
#
# Environment: FIBERPLAN (the binary; default target/release/fiberplan, built if absent),
# KEEP=1 keeps the temporary folder. Exit 0: equal; 1: they differ or the cluster failed;
# 3: Slurm or munge is not installed (the message says SKIPPED).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SCENARIOS=${1:-seeds/bench.toml}
SHARDS=4

for tool in slurmctld slurmd munged sbatch squeue sinfo; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "slurm_sweep: SKIPPED: $tool is not installed (apt-get install slurm-wlm munge)"
    exit 3
  fi
done
export PATH="$PATH:/usr/sbin"

FIBERPLAN=${FIBERPLAN:-$REPO/target/release/fiberplan}
if [ ! -x "$FIBERPLAN" ]; then
  cargo build --release
fi
FIBERPLAN=$(readlink -f "$FIBERPLAN")

TMP=$(mktemp -d /tmp/fiberplan-slurm.XXXXXX)
chmod 755 "$TMP"
PIDS=()
cleanup() {
  local rc=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then
    scancel --quiet --user="$(id -un)" 2>/dev/null || true
  fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for f in "$TMP"/*.log "$TMP"/logs/*; do
      [ -f "$f" ] && { echo "--- $f (last lines)"; tail -n 15 "$f"; }
    done
  fi
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    echo "slurm_sweep: files kept in $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Free ports for this cluster's daemons (several runs on one machine do not meet).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)

# munge: our own key, socket and daemon.
mkdir -p "$TMP/munge" "$TMP/ctld" "$TMP/spool" "$TMP/logs"
chmod 700 "$TMP/munge"
dd if=/dev/urandom of="$TMP/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$TMP/munge/munge.key"
munged --foreground --force --key-file="$TMP/munge/munge.key" \
  --socket="$TMP/munge/munge.socket" --pid-file="$TMP/munge/munged.pid" \
  --log-file="$TMP/munged.log" --seed-file="$TMP/munge/munge.seed" >>"$TMP/daemons.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$TMP/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$TMP/munge/munge.socket" ] || { echo "slurm_sweep: munged did not start"; exit 1; }

MEM_MB=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
export SLURM_CONF="$TMP/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=fiberplan
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$TMP/munge/munge.socket
StateSaveLocation=$TMP/ctld
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=$MEM_MB State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >>"$TMP/daemons.out" 2>&1 &
PIDS+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >>"$TMP/daemons.out" 2>&1 &
PIDS+=($!)
state=""
for _ in $(seq 300); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { echo "slurm_sweep: the node did not come up (state: '$state')"; exit 1; }
echo "slurm_sweep: cluster up ($(slurmctld -V), node localhost CPUs=2, $TMP)"

# The array: deploy/slurm-array.sh as is, its folders and binary pointed into $TMP.
started=$(date +%s.%N)
array=$(sbatch --parsable --chdir="$REPO" --output="$TMP/logs/%x-%a.log" \
  --export="ALL,FIBERPLAN=$FIBERPLAN,SCENARIOS=$SCENARIOS,OUT=$TMP/sweep,LOGS=$TMP/logs" \
  deploy/slurm-array.sh)
array=${array%%;*}
shards=""
for ((i = 0; i < SHARDS; i++)); do shards="$shards $TMP/sweep/shard-$i"; done
merge=$(sbatch --parsable --wait --chdir="$REPO" --output="$TMP/logs/merge.log" \
  --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --wrap="$FIBERPLAN merge$shards --out $TMP/sweep/merged") \
  || { echo "slurm_sweep: the array or the merge failed (array job $array)"; exit 1; }
merge=${merge%%;*}
slurm_s=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }")
echo "slurm_sweep: array job $array ($SHARDS tasks) and merge job $merge done in ${slurm_s}s"
cat "$TMP/logs/merge.log"

started=$(date +%s.%N)
"$FIBERPLAN" sweep "$SCENARIOS" --threads 2 --out "$TMP/local" >"$TMP/logs/local.log" 2>&1
local_s=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }")
echo "slurm_sweep: local sweep done in ${local_s}s: $(cat "$TMP/logs/local.log")"

rows=$(($(wc -l <"$TMP/local/results.csv") - 1))
for f in results.csv frontier.svg; do
  if ! cmp "$TMP/sweep/merged/$f" "$TMP/local/$f"; then
    echo "slurm_sweep: FAILED: merged $f differs from the local run's"
    exit 1
  fi
done
echo "slurm_sweep: OK: merged results.csv ($rows scenarios, $(sha256sum <"$TMP/local/results.csv" | cut -c1-16)) and frontier.svg equal the local run's byte for byte"
