#!/usr/bin/env python3
"""A synthetic country-size `.osm.pbf` (issue 19): the bundled real extracts tiled over
Kazakhstan's extent, with renumbered ids and their places kept, joined by road-like ways.

Deterministic: the same sources and flags give the same bytes (no randomness, no clock).

Layout: a grid of `--cols` x `--rows` cells from (`--west`, `--south`), each `--cell-lon` x
`--cell-lat` degrees; cell k (row-major from the south-west) holds a copy of source
k mod len(sources) (`almaty_2013` and `andorra` alternate by default), shifted so that
the source's node bounding box starts 0.02 degrees inside the cell. Every id of tile k is
its source id plus (k + 1) * 10^10 (nodes, ways and relations alike, way refs and relation
members too), so ids stay unique and the file stays sorted (`Sort.Type_then_ID`): all
tiles' nodes in tile order, then the link roads' nodes, then the ways likewise, then the
relations. Tags, versions and timestamps are the sources' own.

How: the tiles are made at the PBF level, not object by object (that took pyosmium about
an hour for 40 M nodes): each source block is split by group type (nodes / ways /
relations), and per tile its ids are moved (only the first of each delta-coded list
changes) and its positions shifted with the block's `lat_offset` / `lon_offset`, then the
block is deflated again. pyosmium writes only the link roads.

Link roads: between each cell and its east and north neighbours, a wiggly
`highway=secondary` (east) or `tertiary` (north) road, `surface=asphalt`, from the highway
node nearest to the middle of the tile's east (north) side to the one nearest to the middle
of the neighbour's west (south) side, a node every `--link-step-m` metres, cut into ways of
at most 250 nodes.

Usage (pyosmium from the peers venv, see ../shared/tools/peers/README.md):

    ~/.cache/fiberplan-peers/bin/python scripts/make_country_osm.py --out /tmp/country/kz40m.osm.pbf

Prints the counts written as one JSON line. Never write the file into the repository.
"""
import argparse
import json
import math
import os
import struct
import sys
import tempfile
import time
import zlib

import osmium

ID_STRIDE = 10**10
LINK_NODE_BASE = 9 * 10**12
LINK_WAY_BASE = 9 * 10**12


# --- protobuf wire format -------------------------------------------------------------

def rd_varint(b, i):
    v = 0
    s = 0
    while True:
        x = b[i]
        i += 1
        v |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return v, i


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zz(v):
    return (v << 1) ^ (v >> 63)


def unzz(v):
    return (v >> 1) ^ -(v & 1)


def fields(b):
    """(field, wire type, value) of a message: ints for varints, bytes otherwise."""
    i, n = 0, len(b)
    while i < n:
        k, i = rd_varint(b, i)
        f, w = k >> 3, k & 7
        if w == 0:
            v, i = rd_varint(b, i)
        elif w == 2:
            m, i = rd_varint(b, i)
            v = b[i:i + m]
            i += m
        elif w == 1:
            v = b[i:i + 8]
            i += 8
        elif w == 5:
            v = b[i:i + 4]
            i += 4
        else:
            raise ValueError(f"wire type {w}")
        yield f, w, v


def fld(f, w, v):
    if w == 0:
        return varint(f << 3) + varint(v)
    if w == 2:
        return varint(f << 3 | 2) + varint(len(v)) + bytes(v)
    return varint(f << 3 | w) + bytes(v)


def shift_first_packed(packed, off):
    """A packed sint64 delta list with `off` added to its first value (so to all)."""
    if not packed:
        return packed
    v, i = rd_varint(packed, 0)
    return varint(zz(unzz(v) + off)) + bytes(packed[i:])


# --- source blocks --------------------------------------------------------------------

class Part:
    """One source block's groups of one type, ready to be re-encoded per tile.

    `head`: the block's fields other than groups and offsets (string table, granularity,
    date granularity); `items`: per group, a list of templates (see `encode`)."""

    def __init__(self, kind, head, lat_off, lon_off, groups):
        self.kind, self.head, self.lat_off, self.lon_off = kind, head, lat_off, lon_off
        self.groups = groups


def element_template(kind, body):
    """A way, relation (kind 3, 4) or dense node group (kind 2) as encoded chunks, with
    `ID` where its id goes and `(LIST, bytes)` where its delta-coded id list goes (way
    refs, relation members, dense node ids), fields in their original order."""
    id_f = {2: None, 3: 1, 4: 1}[kind]
    list_f = {2: 1, 3: 8, 4: 9}[kind]
    chunks = []
    eid = None
    for f, w, v in fields(body):
        if f == id_f and w == 0:
            eid = v
            chunks.append(ID)
        elif f == list_f and w == 2:
            chunks.append((LIST, list_f, bytes(v)))
        else:
            chunks.append(fld(f, w, v))
    return eid, chunks


ID, LIST = "id", "list"


def load_blocks(path):
    """Header bbox and Parts of a PBF file, in file order."""
    data = open(path, "rb").read()
    i = 0
    parts = []
    while i < len(data):
        (hl,) = struct.unpack(">I", data[i:i + 4])
        i += 4
        h = {f: v for f, w, v in fields(data[i:i + hl])}
        i += hl
        blob = {f: v for f, w, v in fields(data[i:i + h[3]])}
        i += h[3]
        raw = zlib.decompress(blob[3]) if 3 in blob else bytes(blob[1])
        if bytes(h[1]) != b"OSMData":
            continue
        head = bytearray()
        lat_off = lon_off = 0
        groups = {2: [], 3: [], 4: []}
        for f, w, v in fields(raw):
            if f == 2:
                items = {2: [], 3: [], 4: []}
                for g, gw, gv in fields(v):
                    if g == 1:
                        raise ValueError(f"{path}: plain nodes are not handled")
                    if g in items:
                        items[g].append(element_template(g, gv))
                    # changesets (5) are dropped
                for kind in (2, 3, 4):
                    if items[kind]:
                        groups[kind].append(items[kind])
            elif f == 19:
                lat_off = v - (1 << 64) if v >> 63 else v
            elif f == 20:
                lon_off = v - (1 << 64) if v >> 63 else v
            else:
                head += fld(f, w, v)
        for kind in (2, 3, 4):
            gs = [g for g in groups[kind] if g]
            if gs:
                parts.append(Part(kind, bytes(head), lat_off, lon_off, gs))
    return parts


def encode_part(p, id_off, dlat_nano, dlon_nano):
    """The PrimitiveBlock of part `p` with ids moved by `id_off` and positions shifted."""
    out = bytearray(p.head)
    for group in p.groups:
        g = bytearray()
        for eid, chunks in group:
            body = bytearray()
            for c in chunks:
                if c is ID:
                    body += fld(1, 0, eid + id_off)
                elif type(c) is tuple:
                    body += fld(c[1], 2, shift_first_packed(c[2], id_off))
                else:
                    body += c
            g += fld(p.kind, 2, body)
        out += fld(2, 2, g)
    if p.kind == 2:
        # int64 fields: two's complement varints.
        out += fld(19, 0, (p.lat_off + dlat_nano) & 0xFFFFFFFFFFFFFFFF)
        out += fld(20, 0, (p.lon_off + dlon_nano) & 0xFFFFFFFFFFFFFFFF)
    return bytes(out)


def write_blob(f, kind, raw):
    z = zlib.compress(raw, 6)
    blob = fld(2, 0, len(raw)) + fld(3, 2, z)
    header = fld(1, 2, kind) + fld(3, 0, len(blob))
    f.write(struct.pack(">I", len(header)) + header + blob)


def header_block(bbox):
    nano = [round(x * 1e9) for x in bbox]  # west, south, east, north
    box = fld(1, 0, zz(nano[0])) + fld(2, 0, zz(nano[2])) + fld(3, 0, zz(nano[3])) \
        + fld(4, 0, zz(nano[1]))
    return (fld(1, 2, box) + fld(4, 2, b"OsmSchema-V0.6") + fld(4, 2, b"DenseNodes")
            + fld(5, 2, b"Sort.Type_then_ID")
            + fld(16, 2, b"fiberplan scripts/make_country_osm.py"))


# --- link roads -----------------------------------------------------------------------

def highway_ends(path):
    """Bounding box of the nodes and the highway nodes nearest to the middles of its sides."""

    class H(osmium.SimpleHandler):
        def __init__(self):
            super().__init__()
            self.pos = {}
            self.hw = set()

        def node(self, n):
            if n.location.valid():
                self.pos[n.id] = (n.location.lon, n.location.lat)

        def way(self, w):
            if "highway" in w.tags:
                self.hw.update(r.ref for r in w.nodes)

    h = H()
    h.apply_file(path)
    xs = [p[0] for p in h.pos.values()]
    ys = [p[1] for p in h.pos.values()]
    bbox = (min(xs), min(ys), max(xs), max(ys))
    hw = sorted((i, h.pos[i][0], h.pos[i][1]) for i in h.hw if i in h.pos)

    def nearest(x, y):
        c = math.cos(math.radians(y))
        return min(hw, key=lambda p: (((p[1] - x) * c) ** 2 + (p[2] - y) ** 2, p[0]))

    mx, my = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return bbox, {"e": nearest(bbox[2], my), "w": nearest(bbox[0], my),
                  "n": nearest(mx, bbox[3]), "s": nearest(mx, bbox[1])}


def write_links(path, tiles, cols, rows, step_m):
    """The link roads as a small sorted PBF of their own (their new nodes and ways only)."""
    Node, Way = osmium.osm.mutable.Node, osmium.osm.mutable.Way
    nodes, ways = [], []
    nid = LINK_NODE_BASE

    def end(k, side):
        ends, dx, dy, off = tiles[k]
        i, x, y = ends[side]
        return (i + off, x + dx, y + dy)

    def add(a, b, cls, seed):
        nonlocal nid
        (ia, xa, ya), (ib, xb, yb) = a, b
        km = math.hypot((xb - xa) * 111.32 * math.cos(math.radians((ya + yb) / 2)),
                        (yb - ya) * 110.57)
        steps = max(2, int(km * 1000 / step_m))
        px, py = -(yb - ya), (xb - xa)
        norm = math.hypot(px, py) or 1.0
        px, py = px / norm * 0.003, py / norm * 0.003  # up to ~300 m off the straight line
        ids = [ia]
        for j in range(1, steps):
            t = j / steps
            wig = math.sin(t * math.pi * (7 + seed % 5)) * math.sin(t * math.pi)
            nodes.append((nid, round(xa + (xb - xa) * t + px * wig, 7),
                          round(ya + (yb - ya) * t + py * wig, 7)))
            ids.append(nid)
            nid += 1
        ids.append(ib)
        ways.append((cls, len(ways), ids))

    for k in range(cols * rows):
        r, c = divmod(k, cols)
        if c + 1 < cols:
            add(end(k, "e"), end(k + 1, "w"), "secondary", k)
        if r + 1 < rows:
            add(end(k, "n"), end(k + cols, "s"), "tertiary", k + 3)
    w = osmium.SimpleWriter(path)
    for (i, x, y) in nodes:
        w.add_node(Node(id=i, location=(x, y), version=1))
    wid = LINK_WAY_BASE
    nways = 0
    for cls, li, ids in ways:
        for a in range(0, len(ids) - 1, 249):
            w.add_way(Way(id=wid, version=1, nodes=ids[a:a + 250],
                          tags=[("highway", cls), ("surface", "asphalt"), ("ref", f"KZ-L{li}")]))
            wid += 1
            nways += 1
    w.close()
    return len(nodes), nways


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.join(here, "..", "data", "osm")
    ap.add_argument("--out", required=True)
    ap.add_argument("--sources", nargs="+",
                    default=[os.path.join(data, "almaty_2013.osm.pbf"),
                             os.path.join(data, "andorra.osm.pbf")])
    ap.add_argument("--cols", type=int, default=38)
    ap.add_argument("--rows", type=int, default=14)
    ap.add_argument("--west", type=float, default=46.5)
    ap.add_argument("--south", type=float, default=40.6)
    ap.add_argument("--cell-lon", type=float, default=1.08)
    ap.add_argument("--cell-lat", type=float, default=1.1)
    ap.add_argument("--link-step-m", type=float, default=60.0)
    args = ap.parse_args()
    repo = os.path.abspath(os.path.join(here, ".."))
    if os.path.abspath(args.out).startswith(repo + os.sep):
        sys.exit("write the extract outside the repository (e.g. /tmp)")

    t0 = time.time()
    srcs = []
    for p in args.sources:
        bbox, ends = highway_ends(p)
        if bbox[2] - bbox[0] > args.cell_lon - 0.04 or bbox[3] - bbox[1] > args.cell_lat - 0.04:
            sys.exit(f"{p} ({bbox}) does not fit a cell")
        srcs.append({"name": os.path.basename(p), "bbox": bbox, "ends": ends,
                     "parts": load_blocks(p)})
    ntiles = args.cols * args.rows
    tiles = []  # (source, dx, dy in whole 1e-7 degrees, id offset)
    for k in range(ntiles):
        r, c = divmod(k, args.cols)
        s = srcs[k % len(srcs)]
        dx7 = round((args.west + c * args.cell_lon + 0.02 - s["bbox"][0]) * 1e7)
        dy7 = round((args.south + r * args.cell_lat + 0.02 - s["bbox"][1]) * 1e7)
        tiles.append((s, dx7, dy7, (k + 1) * ID_STRIDE))

    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        link_path = os.path.join(tmp, "links.osm.pbf")
        n_link_nodes, n_link_ways = write_links(
            link_path, [(s["ends"], dx7 / 1e7, dy7 / 1e7, off) for s, dx7, dy7, off in tiles],
            args.cols, args.rows, args.link_step_m)
        links = load_blocks(link_path)
    east = args.west + args.cols * args.cell_lon
    north = args.south + args.rows * args.cell_lat
    counts = {"nodes": 0, "ways": 0, "relations": 0, "blocks": 0}

    def count(p):
        if p.kind == 2:
            n = 0
            for group in p.groups:
                for _, chunks in group:
                    for c in chunks:
                        if type(c) is tuple:
                            packed, i = c[2], 0
                            while i < len(packed):
                                _, i = rd_varint(packed, i)
                                n += 1
            return n
        return sum(len(g) for g in p.groups)

    per_src = [{k: sum(count(p) for p in s["parts"] if p.kind == k) for k in (2, 3, 4)}
               for s in srcs]
    tmp_out = args.out + ".part"
    with open(tmp_out, "wb") as f:
        write_blob(f, b"OSMHeader", header_block((args.west, args.south, east, north)))
        for kind, name in ((2, "nodes"), (3, "ways"), (4, "relations")):
            for s, dx7, dy7, off in tiles:
                for p in s["parts"]:
                    if p.kind == kind:
                        write_blob(f, b"OSMData", encode_part(p, off, dy7 * 100, dx7 * 100))
                        counts["blocks"] += 1
                counts[name] += per_src[srcs.index(s)][kind]
            for p in links:
                if p.kind == kind:
                    write_blob(f, b"OSMData", encode_part(p, 0, 0, 0))
                    counts["blocks"] += 1
                    counts[name] += count(p)
    os.replace(tmp_out, args.out)
    counts.update({
        "link_nodes": n_link_nodes,
        "link_ways": n_link_ways,
        "file": args.out,
        "bytes": os.path.getsize(args.out),
        "tiles": ntiles,
        "sources": [s["name"] for s in srcs],
        "bbox": [args.west, args.south, east, north],
        "seconds": round(time.time() - t0, 1),
    })
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
