#!/bin/sh
# Country-size OSM benchmark (issue 19; BENCHMARKS.md, "Country-size OSM"): in rounds,
# `fiberplan validate --osm`, `fiberplan plan --osm --no-last-mile` and pyosmium's
# location-handler pass (tools/osm_peer.py) on the same file, one after another, each whole
# process under /usr/bin/time -v; prints one line per run (wall seconds, peak RSS MiB) and
# the load average before each round. Run from the repository root:
#
#   scripts/bench_country_osm.sh target/release/fiberplan /tmp/country/kz40m.osm.pbf 3
#
# Plan outputs go to $OUT (default /tmp/country/out-bench), replaced each round.
set -eu
BIN=$1
FILE=$2
ROUNDS=${3:-3}
OUT=${OUT:-/tmp/country/out-bench}
PY=${PY:-$HOME/.cache/fiberplan-peers/bin/python}
LOG=$(mktemp)
run() {
    name=$1
    shift
    if /usr/bin/time -v "$@" >"$LOG.out" 2>"$LOG"; then rc=0; else rc=$?; fi
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$LOG" |
        awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOG")
    user=$(sed -n 's/.*User time (seconds): //p' "$LOG")
    echo "$name wall_s=$wall user_s=$user peak_mib=$((kb / 1024)) exit=$rc"
    if [ "$rc" != 0 ]; then tail -3 "$LOG"; fi
}
for r in $(seq 1 "$ROUNDS"); do
    echo "round $r: $(uptime)"
    run validate "$BIN" validate --osm "$FILE"
    rm -rf "$OUT"
    run plan "$BIN" plan --osm "$FILE" --no-last-mile --out "$OUT"
    run pyosmium "$PY" tools/osm_peer.py "$FILE"
    tail -1 "$LOG.out"
done
rm -f "$LOG" "$LOG.out"
