#!/usr/bin/env python3
"""Quota / budget peer: pcst_fast with a bisected prize multiplier (what pcst_fast users do).

Usage (the peers venv from ../shared/tools/peers/setup.sh):
  PY=~/.cache/fiberplan-peers/bin/python
  $PY crates/steiner/benches/quota_peer.py INSTANCE.stp --quota H [--steps 20]
  $PY crates/steiner/benches/quota_peer.py INSTANCE.stp --budget B [--steps 20]
  $PY crates/steiner/benches/quota_peer.py INSTANCE.stp --pcst
  $PY crates/steiner/benches/quota_peer.py INSTANCE.stp --scale-prizes 150 -o OUT.stp

Quota: the smallest multiplier lam whose rooted pcst_fast tree (strong pruning, prizes
lam*p) holds at least H of prize; the cheapest feasible tree seen is reported. Budget: the
largest lam whose tree costs at most B; the most prize seen within B is reported.
Prints one JSON line: cost, prize, wall seconds of the whole search (pcst_fast calls and
array building; parsing excluded), steps.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../../shared/tools/peers"))
sys.path.insert(0, "/work/shared/tools/peers")
from peers import parse_stp  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--quota", type=float)
    ap.add_argument("--budget", type=float)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--pcst", action="store_true", help="one pcst_fast call (lam = 1); "
                    "objective = cost + prizes left out")
    ap.add_argument("--scale-prizes", type=float)
    ap.add_argument("-o")
    a = ap.parse_args()
    if a.scale_prizes:
        with open(a.instance) as f, open(a.o, "w") as out:
            for line in f:
                p = line.split()
                if p and p[0].upper() == "TP":
                    line = f"TP {p[1]} {int(round(float(p[2]) * a.scale_prizes))}\n"
                out.write(line)
        return
    import pcst_fast

    inst = parse_stp(a.instance)
    if inst.root is None:
        # peers.py reads `Root r` only; SteinLib's rooted prize-collecting form (and
        # fiberplan's --export-stp) is `RootP r`. Without it the run would be unrooted and
        # its tree need not reach the existing network.
        with open(a.instance) as f:
            for line in f:
                t = line.split()
                if len(t) == 2 and t[0].lower() in ("root", "rootp"):
                    inst.root = int(t[1])
    t0 = time.perf_counter()
    edges = np.array([(u - 1, v - 1) for u, v, _ in inst.edges], dtype=np.int64)
    costs = np.array([w for _, _, w in inst.edges], dtype=np.float64)
    base = np.zeros(inst.n, dtype=np.float64)
    for v, p in inst.prizes.items():
        base[v - 1] = p
    root = (inst.root - 1) if inst.root is not None else int(np.argmax(base))

    def solve(lam):
        verts, es = pcst_fast.pcst_fast(edges, base * lam, costs, root, 1, "strong", 0)
        return float(costs[es].sum()), float(base[verts].sum())

    if a.pcst:
        r = root if inst.root is not None else -1
        verts, es = pcst_fast.pcst_fast(edges, base, costs, r, 1, "strong", 0)
        wall = time.perf_counter() - t0
        cost = float(costs[es].sum())
        obj = cost + float(base.sum() - base[verts].sum())
        print(json.dumps({"instance": os.path.basename(a.instance), "solver": "pcst_fast",
                          "rooted": inst.root is not None, "cost": cost, "objective": obj,
                          "wall_s": round(wall, 3)}))
        return
    if a.quota is not None:
        ok = lambda c, p: p >= a.quota  # noqa: E731
    else:
        ok = lambda c, p: c <= a.budget  # noqa: E731
    best = None

    def consider(c, p):
        nonlocal best
        if not ok(c, p):
            return
        if best is None or (a.quota is not None and c < best[0]) or (
            a.quota is None and (p > best[1] or (p == best[1] and c < best[0]))
        ):
            best = (c, p)

    lo, hi, steps = 0.0, 1.0, 0
    for _ in range(60):
        c, p = solve(hi)
        steps += 1
        consider(c, p)
        done = ok(c, p) if a.quota is not None else not ok(c, p)
        if done:
            break
        lo, hi = hi, hi * 2
    for _ in range(a.steps):
        mid = (lo + hi) / 2
        c, p = solve(mid)
        steps += 1
        consider(c, p)
        if (a.quota is not None and ok(c, p)) or (a.quota is None and not ok(c, p)):
            hi = mid
        else:
            lo = mid
    wall = time.perf_counter() - t0
    print(json.dumps({"instance": os.path.basename(a.instance), "solver": "pcst_fast_bisect",
                      "quota": a.quota, "budget": a.budget,
                      "cost": None if best is None else best[0],
                      "prize": None if best is None else best[1],
                      "wall_s": round(wall, 3), "steps": steps}))


if __name__ == "__main__":
    main()
