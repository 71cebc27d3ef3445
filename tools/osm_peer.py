#!/usr/bin/env python3
"""pyosmium's location-handler pass over one extract: the peer of `fiberplan validate --osm`
on the country-size extract (issue 19; see BENCHMARKS.md, "Country-size OSM").

One run in this process: `osmium.SimpleHandler.apply_file(path, locations=True)` with a
`way` callback that gets every way with its node locations (libosmium's default `flex_mem`
index holds every node's location; nodes themselves do not reach Python) and measures the
corridor ways (roads of fiberplan's default classes, railways, power lines, telecom lines)
with libosmium's haversine. `--places` adds a `node` callback counting places (every node
then reaches Python); `--filtered` adds it behind libosmium's C++ `KeyFilter` on the keys
that matter (node locations are still all stored), so that only tagged objects reach
Python.

Run under /usr/bin/time -v for the whole process's peak memory; prints one JSON line
(counts, kilometres, wall seconds of the pass, ru_maxrss).

    ~/.cache/fiberplan-peers/bin/python tools/osm_peer.py [--places | --filtered] FILE.osm.pbf
"""
import json
import resource
import sys
import time

import osmium
from osmium.geom import haversine_distance

HIGHWAY = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
           "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
           "residential", "living_street", "road", "service", "track"}
RAILWAY = {"rail", "narrow_gauge", "light_rail"}
POWER = {"line", "minor_line"}
PLACES = {"city", "town", "village", "hamlet"}
KEYS = ("place", "highway", "railway", "power", "telecom", "communication")


class Pass(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.nodes = 0
        self.ways = 0
        self.corridors = 0
        self.km = 0.0
        self.missing = 0
        self.places = {}

    def way(self, w):
        self.ways += 1
        t = w.tags
        if not (t.get("highway") in HIGHWAY or t.get("railway") in RAILWAY
                or t.get("power") in POWER or t.get("telecom") == "line"
                or t.get("communication") == "line"):
            return
        self.corridors += 1
        try:
            self.km += haversine_distance(w.nodes) / 1000.0
        except osmium.InvalidLocationError:
            self.missing += 1


class PassWithPlaces(Pass):
    def node(self, n):
        self.nodes += 1
        p = n.tags.get("place")
        if p in PLACES:
            self.places[p] = self.places.get(p, 0) + 1


def main():
    args = sys.argv[1:]
    filtered = "--filtered" in args
    paths = [a for a in args if not a.startswith("--")]
    if len(paths) != 1:
        sys.exit(__doc__)
    t0 = time.perf_counter()
    h = PassWithPlaces() if filtered or "--places" in args else Pass()
    filters = [osmium.filter.KeyFilter(*KEYS)] if filtered else []
    h.apply_file(paths[0], locations=True, filters=filters)
    dt = time.perf_counter() - t0
    print(json.dumps({
        "file": paths[0], "mode": "filtered" if filtered else ("all ways and nodes" if "--places" in args else "all ways"),
        "seconds": round(dt, 2), "nodes_seen": h.nodes, "ways_seen": h.ways, "corridor_ways": h.corridors,
        "corridor_ways_with_missing_nodes": h.missing, "corridor_km": round(h.km, 1),
        "places": h.places,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
