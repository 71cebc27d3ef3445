#!/usr/bin/env python3
"""The peer of fiberplan's OSM reading benchmark: pyosmium (libosmium) on the same files.

For each file and mode, in a fresh process, `osmium.SimpleHandler.apply_file(path,
locations=True)` counting what `fiberplan osm stats` counts: corridor ways by class with
their length (libosmium's C++ haversine over the node locations) and places by type.
Two modes:
- `plain`: a handler with `node` and `way` callbacks (every node reaches Python);
- `filtered`: the same handler behind libosmium's C++ `KeyFilter` on the keys that matter
  (place, highway, railway, power, telecom, communication), so that only tagged objects
  reach Python; node locations are still all stored. The stronger peer.
Prints one JSON object per file and mode with the median wall time of the runs (from
opening the file to the counts done), MB/s and the peak resident memory (ru_maxrss of the
process; the interpreter with osmium imported is reported too, as a baseline).

Setup: python3 -m venv ~/.cache/fiberplan-peers/osm-venv
       ~/.cache/fiberplan-peers/osm-venv/bin/pip install osmium
Run:   ~/.cache/fiberplan-peers/osm-venv/bin/python tools/bench_osm_pyosmium.py [--repeat 5] [--mode plain|filtered] FILE...
`cargo bench --bench osm_read` runs it (FIBERPLAN_PYOSMIUM names the python to use).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HIGHWAY = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
           "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
           "residential", "living_street", "road", "service", "track"}
RAILWAY = {"rail", "narrow_gauge", "light_rail"}
POWER = {"line", "minor_line"}
PLACES = {"city", "town", "village", "hamlet"}


KEYS = ("place", "highway", "railway", "power", "telecom", "communication")


def run_once(path, mode):
    import osmium
    from osmium.geom import haversine_distance

    class Counter(osmium.SimpleHandler):
        def __init__(self):
            super().__init__()
            self.nodes = 0
            self.places = {}
            self.ways = {}
            self.km = {}

        def node(self, n):
            self.nodes += 1
            p = n.tags.get("place")
            if p in PLACES:
                self.places[p] = self.places.get(p, 0) + 1

        def way(self, w):
            t = w.tags
            h = t.get("highway")
            if h in HIGHWAY:
                key = "road/" + h
            else:
                r = t.get("railway")
                if r in RAILWAY:
                    key = "railway/" + r
                else:
                    p = t.get("power")
                    if p in POWER:
                        key = "power_line/" + p
                    elif t.get("telecom") == "line" or t.get("communication") == "line":
                        key = "telecom/line"
                    else:
                        return
            try:
                m = haversine_distance(w.nodes)
            except osmium.InvalidLocationError:
                m = 0.0
            self.ways[key] = self.ways.get(key, 0) + 1
            self.km[key] = self.km.get(key, 0.0) + m / 1000.0

    t0 = time.perf_counter()
    c = Counter()
    filters = [osmium.filter.KeyFilter(*KEYS)] if mode == "filtered" else []
    c.apply_file(path, locations=True, filters=filters)
    dt = time.perf_counter() - t0
    return dt, c


def child(path, repeat, mode):
    times = []
    c = None
    for _ in range(repeat):
        dt, c = run_once(path, mode)
        times.append(dt)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"times": times, "ways": sum(c.ways.values()),
                      "places": c.places, "peak_kb": peak_kb}))


def main():
    args = sys.argv[1:]
    repeat = 5
    modes = ["plain", "filtered"]
    if args[:1] == ["--repeat"]:
        repeat = int(args[1])
        args = args[2:]
    if args[:1] == ["--mode"]:
        modes = [args[1]]
        args = args[2:]
    if args[:1] == ["--child"]:
        child(args[1], repeat, modes[0])
        return
    # Interpreter + osmium import alone, for reference.
    base = subprocess.run([sys.executable, "-c", "import osmium, resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
                          capture_output=True, text=True, check=True)
    base_kb = int(base.stdout.strip())
    for path in args:
        for mode in modes:
            out = subprocess.run([sys.executable, __file__, "--repeat", str(repeat), "--mode", mode,
                                  "--child", path], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout)
            med = statistics.median(r["times"])
            size = os.path.getsize(path)
            print(json.dumps({
                "file": path, "mode": mode, "bytes": size, "median_s": med, "runs_s": r["times"],
                "mb_per_s": size / 1e6 / med, "corridor_ways": r["ways"], "places": r["places"],
                "peak_rss_kb": r["peak_kb"], "interpreter_rss_kb": base_kb,
            }), flush=True)


if __name__ == "__main__":
    main()
