#!/usr/bin/env python3
"""The outside exact solver of issue 15: reads a set-cover export (`--export-cover FILE` of
`fiberplan coverage roads` or `coverage city`) and solves the weighted partial set cover as
a MIP with HiGHS (`highspy`), to tell whether a gap fiberplan reports lies in its bound or
in its cover.

Usage:
    cover_oracle.py FILE [--time-limit SECONDS] [--threads N]

Needs `highspy` (PyPI; the peers venv: `~/.cache/fiberplan-peers/bin/pip install highspy`).
The target is the file's `# target_m` line (the figure the Rust run used).

Before the MIP the instance is reduced exactly, as fiberplan's cover crate does: cost-0
(existing) sites are taken and what they cover is dropped; elements covered by exactly the
same candidates merge into one element with the summed weight; a candidate whose set is a
subset of another's that costs no more is dropped (some optimum never needs it). The model:

    min  sum_j c_j x_j
    s.t. y_i <= sum_{j covers i} x_j    for every (merged) element i
         sum_i w_i y_i >= T
         x binary, 0 <= y <= 1

(y may stay continuous: for fixed x, some optimal y is integral except at most one element,
and a fractional y_i <= sum x_j still means the element is covered once any x_j = 1; so the
MIP optimum is that of the integer model; the script checks the cover it returns.)

Costs are divided by their greatest common divisor in the model (unit-price sites cost 1),
and the figures multiplied back. Prints one JSON object: the sizes before and after
reduction, the LP relaxation's status and value, the
MIP's best cost and best bound, its status ("optimal" or "time limit"), the chosen candidate
ids, the covered weight (recomputed), and the seconds taken. Exit code 2 on a malformed file.
"""

import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from greedy_cover import BadInput, parse  # noqa: E402


def reduce(cands, seg_m, sets, target):
    """Exact reductions; returns (cand_index list, cost list, sets over merged elements,
    weights, residual target, free candidate indices)."""
    n = len(cands)
    free = [j for j in range(n) if cands[j][1] == 0]
    covered = [False] * len(seg_m)
    for j in free:
        for e in sets[j]:
            covered[e] = True
    free_w = sum(w for e, w in enumerate(seg_m) if covered[e])
    target = max(0, target - free_w)
    paid = [j for j in range(n) if cands[j][1] > 0]
    psets = {j: [e for e in sets[j] if not covered[e]] for j in paid}
    while True:
        # Merge elements with the same column.
        cols = {}
        for j in paid:
            for e in psets[j]:
                cols.setdefault(e, []).append(j)
        groups = {}
        for e, col in cols.items():
            groups.setdefault(tuple(col), []).append(e)
        weight = []
        elem_of = {}
        for col in sorted(groups):
            es = groups[col]
            w = sum(seg_m[e] for e in es)
            if w == 0:
                continue
            k = len(weight)
            weight.append(w)
            for e in es:
                elem_of[e] = k
        msets = {j: sorted({elem_of[e] for e in psets[j] if e in elem_of}) for j in paid}
        # Dominated candidates: a subset of a candidate that costs no more (ties by size, index).
        mcols = {}
        for j in paid:
            for e in msets[j]:
                mcols.setdefault(e, []).append(j)
        keep = []
        for j in paid:
            s = msets[j]
            if not s:
                continue
            rare = min(s, key=lambda e: (len(mcols[e]), e))
            sj = set(s)
            dom = False
            for k in mcols[rare]:
                if k == j:
                    continue
                ck, cj = cands[k][1], cands[j][1]
                beats = ck < cj or (ck == cj and (len(msets[k]) > len(s) or (len(msets[k]) == len(s) and k < j)))
                if beats and sj.issubset(msets[k]):
                    dom = True
                    break
            if not dom:
                keep.append(j)
        if len(keep) == len(paid):
            # Re-express psets over original elements for the next round is not needed.
            return paid, [cands[j][1] for j in paid], [msets[j] for j in paid], weight, target, free
        paid = keep


def solve(cands, seg_m, sets, target, time_limit, threads):
    import highspy
    import numpy as np

    t0 = time.time()
    paid, cost, rsets, weight, rtarget, free = reduce(cands, seg_m, sets, target)
    # Costs in units of their gcd (unit-price sites: 1 each), for HiGHS's tolerances.
    unit = 0
    for c in cost:
        unit = math.gcd(unit, c)
    unit = max(unit, 1)
    t_red = time.time() - t0
    n, m = len(paid), len(weight)
    out = {
        "candidates": len(cands),
        "elements": len(seg_m),
        "target": target,
        "free": len(free),
        "reduced_candidates": n,
        "reduced_elements": m,
        "reduced_target": rtarget,
        "reduce_s": round(t_red, 2),
    }

    def model(integer):
        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(os.environ.get("ORACLE_LOG")))
        h.setOptionValue("threads", threads)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        if time_limit:
            h.setOptionValue("time_limit", float(time_limit))
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = n + m
        lp.num_row_ = m + 1
        lp.col_cost_ = np.array([float(c // unit) for c in cost] + [0.0] * m)
        lp.col_lower_ = np.zeros(n + m)
        lp.col_upper_ = np.ones(n + m)
        # Rows: for element i, sum_j x_j - y_i >= 0; last row sum w_i y_i >= T.
        rows = [[] for _ in range(m)]
        for j, s in enumerate(rsets):
            for e in s:
                rows[e].append((j, 1.0))
        starts, idx, val = [], [], []
        for i in range(m):
            starts.append(len(idx))
            for j, v in rows[i]:
                idx.append(j)
                val.append(v)
            idx.append(n + i)
            val.append(-1.0)
        starts.append(len(idx))
        for i in range(m):
            idx.append(n + i)
            val.append(float(weight[i]))
        lp.row_lower_ = np.array([0.0] * m + [float(rtarget)])
        lp.row_upper_ = np.array([inf] * (m + 1))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts + [len(idx)], dtype=np.int32)
        lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(val)
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [highspy.HighsVarType.kContinuous] * m
        h.passModel(lp)
        return h

    if rtarget == 0:
        out.update(lp_value=0, mip_cost=0, mip_bound=0, status="optimal", chosen=[cands[j][0] for j in free])
        return out
    t1 = time.time()
    h = model(False)
    h.run()
    out["cost_unit"] = unit
    out["lp_status"] = h.modelStatusToString(h.getModelStatus())
    out["lp_value"] = h.getInfo().objective_function_value * unit
    out["lp_s"] = round(time.time() - t1, 2)
    t2 = time.time()
    h = model(True)
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    out["mip_s"] = round(time.time() - t2, 2)
    out["status"] = status
    out["mip_bound"] = info.mip_dual_bound * unit
    out["mip_nodes"] = info.mip_node_count
    sol = h.getSolution().col_value
    chosen = [paid[j] for j in range(n) if sol[j] > 0.5]
    if chosen or rtarget == 0:
        all_chosen = sorted(free + chosen)
        cov = set()
        for j in all_chosen:
            cov.update(sets[j])
        covw = sum(seg_m[e] for e in cov)
        out["mip_cost"] = sum(cands[j][1] for j in all_chosen)
        out["mip_sites"] = len(chosen)
        out["covered"] = covw
        out["feasible"] = covw >= target
        out["chosen"] = [cands[j][0] for j in all_chosen]
    return out


def main(argv):
    args = argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    path, time_limit, threads = args[0], None, 1
    rest = args[1:]
    try:
        while rest:
            if rest[0] == "--time-limit" and len(rest) > 1:
                time_limit = float(rest[1])
            elif rest[0] == "--threads" and len(rest) > 1:
                threads = int(rest[1])
            else:
                raise BadInput(f"unknown argument {rest[0]!r}")
            rest = rest[2:]
        cands, seg_m, sets, target = parse(path)
        if target is None:
            raise BadInput(f"{path}: no '# target_m' line")
    except (BadInput, ValueError) as e:
        print(f"cover_oracle.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"cover_oracle.py: {path}: {e.strerror}", file=sys.stderr)
        return 2
    print(json.dumps(solve(cands, seg_m, sets, target, time_limit, threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
