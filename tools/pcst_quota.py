#!/usr/bin/env python3
"""Peer for the household quota: pcst_fast with a bisected prize multiplier.

What a pcst_fast user does today to reach "at least H households": scale every prize
(TP value) by a multiplier lam, solve the rooted PCST with strong pruning, and bisect lam
until the tree collects at least H of prize. Reports the cheapest tree found that meets H,
the number of pcst_fast calls and the total time (parsing excluded, building the numpy
arrays included once).

    ~/.cache/fiberplan-peers/bin/python tools/pcst_quota.py out/national.stp --quota 400000

Prints one JSON line: {"instance", "quota", "cost", "prize", "calls", "wall_s", "valid"}.
The STP reader is the peers harness's (../shared/tools/peers/peers.py) when present.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pcst_fast

HERE = os.path.dirname(os.path.abspath(__file__))
for cand in [os.path.join(HERE, "..", "..", "shared", "tools", "peers"), os.environ.get("FIBERPLAN_PEERS", "")]:
    if cand and os.path.exists(os.path.join(cand, "peers.py")):
        sys.path.insert(0, cand)
        break
from peers import parse_stp  # noqa: E402



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--quota", type=float, required=True)
    ap.add_argument("--iters", type=int, default=40)
    a = ap.parse_args()
    inst = parse_stp(a.instance)
    if inst.root is None:
        # peers.py reads `Root r` only; SteinLib's rooted prize-collecting form is `RootP r`.
        with open(a.instance) as f:
            for line in f:
                t = line.split()
                if len(t) == 2 and t[0].lower() in ("root", "rootp"):
                    inst.root = int(t[1])
    t0 = time.perf_counter()
    n = inst.n
    e_arr = np.array([(u - 1, v - 1) for (u, v, w) in inst.edges], dtype=np.int64)
    c_arr = np.array([w for (u, v, w) in inst.edges], dtype=np.float64)
    base = np.zeros(n, dtype=np.float64)
    for v, p in inst.prizes.items():
        base[v - 1] = p
    root = (inst.root - 1) if inst.root is not None else -1
    calls = 0

    def solve(lam):
        nonlocal calls
        calls += 1
        vs, es = pcst_fast.pcst_fast(e_arr, base * lam, c_arr, root, 1, "strong", 0)
        return float(base[vs].sum()), float(c_arr[es].sum()), vs, es

    lo, hi = 0.0, 1.0
    best = None
    # Grow hi until the quota is met (or every prize is taken).
    while True:
        prize, cost, vs, es = solve(hi)
        if prize >= a.quota:
            best = (cost, prize)
            break
        if hi > 1e15:
            break
        lo, hi = hi, hi * 4
    for _ in range(a.iters):
        if best is None:
            break
        mid = (lo + hi) / 2
        prize, cost, vs, es = solve(mid)
        if prize >= a.quota:
            hi = mid
            if cost < best[0]:
                best = (cost, prize)
        else:
            lo = mid
    wall = time.perf_counter() - t0
    print(json.dumps({
        "instance": os.path.basename(a.instance), "quota": a.quota,
        "cost": None if best is None else best[0], "prize": None if best is None else best[1],
        "calls": calls, "wall_s": round(wall, 3), "valid": best is not None,
    }))


if __name__ == "__main__":
    main()
