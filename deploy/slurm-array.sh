#!/usr/bin/env bash
# A fiberplan sweep as a Slurm job array: task i runs shard i of N; a dependent job merges.
#
#   sbatch deploy/slurm-array.sh                  # from the repository root
#
# Re-submitting the same array resumes: each shard skips the rows already in its folder.
# SCENARIOS, OUT, FIBERPLAN (the binary) and LOGS may be set in the environment
# (`sbatch --export=ALL,OUT=...`); scripts/slurm_sweep.sh runs it on a one-node cluster.
#SBATCH --job-name=fiberplan-sweep
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=out/slurm/%x-%a.log
set -euo pipefail
N=4
SCENARIOS=${SCENARIOS:-seeds/bench.toml}
OUT=${OUT:-out/sweep}
FIBERPLAN=${FIBERPLAN:-./target/release/fiberplan}
mkdir -p "${LOGS:-out/slurm}"
"$FIBERPLAN" sweep "$SCENARIOS" \
  --shard "${SLURM_ARRAY_TASK_ID}/${N}" \
  --threads "${SLURM_CPUS_PER_TASK}" \
  --out "${OUT}/shard-${SLURM_ARRAY_TASK_ID}"

# The last task to finish does not know it is last; merge in a dependent job instead:
#   sbatch --dependency=afterok:<array job id> --wrap \
#     "./target/release/fiberplan merge out/sweep/shard-0 out/sweep/shard-1 out/sweep/shard-2 out/sweep/shard-3 --out out/sweep/merged"
