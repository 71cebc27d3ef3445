#!/usr/bin/env bash
# Runs a fixed set of fiberplan commands with the binary BIN and keeps every output in DIR:
# the national default plan in every mode, a phased plan, every bundled OSM extract, every
# scenario file of seeds/ (with --plans), validate, and the solver on SteinLib B.
# Two snapshots compared with scripts/same_outputs.py show that a change kept behaviour.
#
#   scripts/snapshot.sh target/release/fiberplan /tmp/snap-new
#   PLAN_EXTRA=--no-last-mile scripts/snapshot.sh ...   # flags added to every `plan`
set -euo pipefail
PLAN_EXTRA=${PLAN_EXTRA:-}
BIN=$(realpath "$1")
OUT=$2
cd "$(dirname "$0")/.."
SHARED=${FIBERPLAN_SHARED:-../shared}
rm -rf "$OUT"
mkdir -p "$OUT/stdout"
run() { # NAME ARGS...: run BIN with ARGS; stdout to stdout/NAME, exit code appended
  local name=$1; shift
  set +e
  "$BIN" "$@" >"$OUT/stdout/$name" 2>"$OUT/stdout/$name.err"
  echo "exit $?" >>"$OUT/stdout/$name"
  set -e
}
run national plan $PLAN_EXTRA --threads 2 --out "$OUT/national" --export-stp "$OUT/national.stp"
run phased plan $PLAN_EXTRA --threads 2 --out "$OUT/phased" --phase 2026:40000000000 --phase 2027:40000000000
run least_cost plan $PLAN_EXTRA --threads 2 --out "$OUT/least_cost" --mode least-cost
run coverage plan $PLAN_EXTRA --threads 2 --out "$OUT/coverage" --mode coverage --coverage 0.99
run budget plan $PLAN_EXTRA --threads 2 --out "$OUT/budget" --mode budget --budget-kzt 100000000000
run connect_all plan $PLAN_EXTRA --threads 2 --out "$OUT/connect_all" --connect-all
for f in data/osm/*.osm.pbf data/osm/*.osm.gz; do
  n=$(basename "$f"); n=${n%%.*}_${f##*.}
  run "osm_$n" plan $PLAN_EXTRA --threads 2 --osm "$f" --out "$OUT/osm_$n"
  run "validate_$n" validate --osm "$f"
done
run validate_national validate
for s in seeds/*.toml; do
  n=$(basename "$s" .toml)
  run "sweep_$n" sweep "$s" --threads 2 --plans --out "$OUT/sweep_$n"
  run "validate_$n" validate --scenarios "$s"
done
if [ -d "$SHARED/data/steiner/steinlib/B" ]; then
  for f in "$SHARED"/data/steiner/steinlib/B/*.stp; do
    run "steiner_$(basename "$f" .stp)" steiner solve "$f" --json
  done
fi
run steiner_quota steiner solve "$OUT/national.stp" --quota 400000 --json
# Wall-clock figures are the only thing allowed to differ between runs.
find "$OUT" -name timings.json -delete
find "$OUT" -path '*results.d*' -prune -o -type f -print | wc -l
