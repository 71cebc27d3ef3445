#!/usr/bin/env python3
"""Independent counts of the bundled OSM extracts, for the Rust tests of the OSM reader.

Reads each extract with pyosmium (libosmium, node locations on) and prints, as JSON:
- places by type: `place=city|town|village|hamlet|isolated_dwelling` nodes, plus closed
  ways (>= 4 refs, first == last, every node present) with that tag;
- corridor ways by (kind, class) with the same filter as fiberplan's defaults (highway
  classes motorway..track/service with links; railway rail|narrow_gauge|light_rail; power
  line|minor_line; telecom/communication=line), priority highway > railway > power;
  distinct way ids with at least one segment whose two nodes are both in the extract (a
  way clipped to one node has nothing to lay), and geodesic km (WGS84, geographiclib's
  Karney algorithm) summing every such segment.

Setup (once):  python3 -m venv ~/.cache/fiberplan-peers/osm-venv
               ~/.cache/fiberplan-peers/osm-venv/bin/pip install osmium geographiclib
Run:           ~/.cache/fiberplan-peers/osm-venv/bin/python tools/osm_expected.py data/osm/*
The figures are pasted into crates/io/src/osm/tests.rs (villages) and
crates/network/src/roads.rs tests are checked against km per class (0.5 % tolerance).
"""
import json
import sys

import osmium
from geographiclib.geodesic import Geodesic

HIGHWAY = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
           "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
           "residential", "living_street", "road", "service", "track"}
RAILWAY = {"rail", "narrow_gauge", "light_rail"}
POWER = {"line", "minor_line"}
PLACES = {"city", "town", "village", "hamlet", "isolated_dwelling"}
G = Geodesic.WGS84


def kind_class(tags):
    h = tags.get("highway")
    if h in HIGHWAY:
        return ("road", h)
    r = tags.get("railway")
    if r in RAILWAY:
        return ("railway", r)
    p = tags.get("power")
    if p in POWER:
        return ("power_line", p)
    if tags.get("telecom") == "line" or tags.get("communication") == "line":
        return ("telecom", "line")
    return None


class Counter(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.places = {}
        self.ways = {}
        self.km = {}

    def node(self, n):
        p = n.tags.get("place")
        if p in PLACES:
            self.places[p] = self.places.get(p, 0) + 1

    def way(self, w):
        p = w.tags.get("place")
        if p in PLACES:
            nodes = w.nodes
            if len(nodes) >= 4 and nodes[0].ref == nodes[-1].ref and all(nd.location.valid() for nd in nodes):
                self.places[p] = self.places.get(p, 0) + 1
        kc = kind_class(w.tags)
        if kc is None:
            return
        key = f"{kc[0]}/{kc[1]}"
        m = 0.0
        segments = 0
        prev = None
        for nd in w.nodes:
            loc = nd.location if nd.location.valid() else None
            if prev is not None and loc is not None:
                m += G.Inverse(prev.lat, prev.lon, loc.lat, loc.lon, Geodesic.DISTANCE)["s12"]
                segments += 1
            prev = loc
        if segments == 0:
            return
        self.ways[key] = self.ways.get(key, 0) + 1
        self.km[key] = self.km.get(key, 0.0) + m / 1000.0


def main():
    out = {}
    for path in sys.argv[1:]:
        c = Counter()
        c.apply_file(path, locations=True)
        out[path.split("/")[-1]] = {
            "places": dict(sorted(c.places.items())),
            "ways": dict(sorted(c.ways.items())),
            "km": {k: round(v, 6) for k, v in sorted(c.km.items())},
        }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
