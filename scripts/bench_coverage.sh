#!/usr/bin/env bash
# Issue 15's programme-scale benchmark of mobile coverage (BENCHMARKS.md, "Mobile coverage
# (issue 15)"), on the release binary:
#   1. `bench generate --roads-out --roads-km 40000`: the national road proxy grown to about
#      40,000 km (a GENERATED PROXY, not real roads: for benchmarks only);
#   2. `coverage roads --roads that.geojson --export-cover X` without a DEM (ITM area mode,
#      the declared flat-terrain fallback; backhaul over the bundled national planning graph),
#      timed with /usr/bin/time -v (wall, CPU, peak RSS);
#   3. the outside greedy `scripts/greedy_cover.py X` on the same export (the peer: plain
#      greedy weighted set cover), costs and times as ratios;
#   4. `coverage city --city Almaty`: sites_new against hex_sites, gap and time.
#
# Usage: scripts/bench_coverage.sh [OUT_DIR]          (default /tmp/fpcov_bench)
# Environment: FIBERPLAN (binary; default $CARGO_TARGET_DIR/release/fiberplan, else
# target/release/fiberplan), ROADS_KM (default 40000), THREADS (default 2), SEED (default 1),
# PYTHON (default python3), CITY (default Almaty).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${FIBERPLAN:-${CARGO_TARGET_DIR:-target}/release/fiberplan}
OUT=${1:-/tmp/fpcov_bench}
KM=${ROADS_KM:-40000}
THREADS=${THREADS:-2}
SEED=${SEED:-1}
PY=${PYTHON:-python3}
CITY=${CITY:-Almaty}
[ -x "$BIN" ] || { echo "bench_coverage.sh: no binary at $BIN (cargo build --release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_coverage.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }
mkdir -p "$OUT"
ROADS=$OUT/roads_${KM}km.geojson
X=$OUT/cover_${KM}km.txt

# timed NAME CMD...: runs CMD with /usr/bin/time -v into $OUT/NAME.time, stdout to
# $OUT/NAME.out, stderr to $OUT/NAME.err.
timed() {
    local name=$1
    shift
    if ! /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
        echo "bench_coverage.sh: $name failed:" >&2
        tail -5 "$OUT/$name.err" >&2
        exit 1
    fi
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ', working tree with changes'))"

timed generate "$BIN" bench generate --seed "$SEED" --roads-out "$ROADS" --roads-km "$KM"
timed roads "$BIN" coverage roads --roads "$ROADS" --export-cover "$X" --threads "$THREADS" \
    --out "$OUT/roads"
timed greedy "$PY" scripts/greedy_cover.py "$X"
timed city "$BIN" coverage city --city "$CITY" --threads "$THREADS" --out "$OUT/city"

"$PY" - "$OUT" "$KM" "$THREADS" "$CITY" <<'EOF'
import json, re, sys

out, km_asked, threads, city = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]

def rusage(name):
    """wall s, CPU s (user + sys), peak RSS MiB from /usr/bin/time -v."""
    t = open(f"{out}/{name}.time").read()
    def get(label):
        return re.search(re.escape(label) + r"\s*(.+)", t).group(1).strip()
    wall = 0.0
    for part in get("Elapsed (wall clock) time (h:mm:ss or m:ss):").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(get("User time (seconds):")) + float(get("System time (seconds):"))
    rss = int(get("Maximum resident set size (kbytes):")) / 1024
    return wall, cpu, rss

gen = json.loads(open(f"{out}/generate.out").read())["roads"]
s = json.load(open(f"{out}/roads/summary.json"))
g = json.loads(open(f"{out}/greedy.out").read())
c = json.load(open(f"{out}/city/summary.json"))
gw, gc, grss = rusage("generate")
rw, rc, rrss = rusage("roads")
pw, pc, prss = rusage("greedy")
cw, cc, crss = rusage("city")
phases = [l.strip() for l in open(f"{out}/roads.err") if l.strip()]

road_km = s["road_km"]
per_1000 = 1000 * s["sites_new"] / road_km
print(f"\n== roads: national road proxy, {road_km:,.1f} km asked {km_asked:,.0f} "
      f"({gen['km_by_class']}; {gen['villages_on_network']} villages on it)")
print(f"generate: wall {gw:.1f} s, CPU {gc:.1f} s, peak {grss:.0f} MiB")
print(f"coverage roads ({threads} threads): covered {100 * s['covered_share']:.2f} % "
      f"(target {100 * s['target_share']:.0f} %), {s['sites_new']} new sites, "
      f"cost {s['cost_kzt']:,} KZT, lower bound {s['lower_bound_kzt']:,} KZT, "
      f"gap {s['gap_pct']:.2f} %")
print(f"  radio: {s['radio'].get('model')} delta_h {s['radio'].get('delta_h_m')} m, "
      f"{s['radio'].get('f_mhz')} MHz, threshold {s['radio'].get('threshold_dbm')} dBm")
print(f"  backhaul: {json.dumps(s.get('backhaul'))[:300]}")
print(f"  wall {rw:.1f} s, CPU {rc:.1f} s, peak {rrss:.0f} MiB; "
      f"generate + roads {gw + rw:.1f} s wall against 600 s: "
      f"{'met' if gw + rw < 600 else 'NOT met'}")
for l in phases[-3:]:
    print(f"  stderr: {l}")
print(f"sites per 1,000 km: {per_1000:.2f} against the official >500 sites for 40,000 km "
      f"= 12.5 per 1,000 km ({s['sites_new'] * 40000 / road_km:,.0f} sites scaled to 40,000 km)")
print(f"\n== peer: scripts/greedy_cover.py on the same export")
print(f"greedy cost {g['cost_kzt']:,} KZT ({g['new_sites']} new sites, covered "
      f"{g['covered_km']:,} km, target {g['target_m']:,} m); "
      f"fiberplan / greedy cost = {s['cost_kzt'] / g['cost_kzt']:.4f} "
      f"({100 * (g['cost_kzt'] - s['cost_kzt']) / g['cost_kzt']:.2f} % lower)")
print(f"greedy wall {pw:.1f} s, CPU {pc:.1f} s, peak {prss:.0f} MiB; "
      f"fiberplan whole run / greedy solve alone: wall {rw / pw:.2f}x, CPU {rc / pc:.2f}x")
print(f"\n== city: {city}")
print(f"{c['area_km2']:,.1f} km2, covered {100 * c['covered_share']:.2f} % "
      f"(target {100 * c['target_share']:.0f} %), sites_new {c['sites_new']} vs hex_sites "
      f"{c['hex_sites']} (R = {c['cell_range_km']} km; {c['sites_new'] / c['hex_sites']:.3f}x), "
      f"cost {c['cost_kzt']:,} KZT, bound {c['lower_bound_kzt']:,}, gap {c['gap_pct']:.2f} %")
print(f"wall {cw:.1f} s, CPU {cc:.1f} s, peak {crss:.0f} MiB")
EOF
