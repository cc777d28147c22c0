#!/usr/bin/env bash
# One shard of an ammsim sweep per Slurm array task: task i of an array 0..n-1 runs `--shard i/n`.
#
#   sbatch --array=0-9 scripts/cluster/slurm-array.sh --pool v3 --strategy range --width 0.01:0.5:0.01 --fee 0.0005,0.003
#   # when all tasks are done:
#   node scripts/ammsim.mjs sweep merge out/sweep-shards/shard-* --out out/sweep
#
# Arguments are the sweep's flags (the same for every task). Run from the repository (sbatch's working
# directory is where you submit). Environment: SWEEP_OUT (shard folders' parent, default out/sweep-shards),
# AMMSIM (the command, default `node scripts/ammsim.mjs`), SWEEP_SHARDS (n, default the array's task count:
# use indices 0..n-1 without a step). Each task uses --cpus-per-task worker threads unless --workers is given.
# A task that is re-queued or re-submitted resumes its shard from the shard folder's results journal.
#SBATCH --job-name=ammsim-sweep
#SBATCH --cpus-per-task=2
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=0-N (one task per shard)}"
count="${SWEEP_SHARDS:-${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT is not set; set SWEEP_SHARDS}}"
out="${SWEEP_OUT:-out/sweep-shards}/shard-${SLURM_ARRAY_TASK_ID}"
read -r -a ammsim <<< "${AMMSIM:-node scripts/ammsim.mjs}"
workers=()
case " $* " in
  *" --workers "* | *" --workers="*) ;;
  *) workers=(--workers "${SLURM_CPUS_PER_TASK:-1}") ;;
esac
exec "${ammsim[@]}" sweep "$@" "${workers[@]}" --shard "${SLURM_ARRAY_TASK_ID}/${count}" --out "$out"
