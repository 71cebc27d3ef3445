#!/usr/bin/env python3
"""The outside greedy of issue 15: reads a set-cover export (`--export-cover FILE`) and runs
plain weighted greedy set cover, independently of the Rust code, so that tests can check the
export reproduces the coverage sets and the Rust baseline (`fiberplan_cover::greedy`).

Usage:
    greedy_cover.py FILE [SHARE]
    greedy_cover.py FILE --target-m METRES

SHARE is the share of the road km of all segments in the file that must be covered: a
decimal in (0, 1] (e.g. 0.95) or a percentage with a % sign (e.g. 95%). The target in metres
is min(ceil(SHARE * total_metres), coverable_metres), computed exactly (coverable: the
segments some candidate covers), as `fiberplan coverage roads` states it. Without SHARE or
--target-m, the file's "# target_m T" comment is the target (the exact figure the Rust run
used: prefer it, a share given as a decimal can round differently in floating point).

The rule (the same as the Rust baseline): every existing site (cost 0) is taken first; then,
while the covered metres are below the target, the candidate with the most newly covered
metres per tenge is taken, ratios compared exactly, ties to the earlier candidate in the
file; nothing is taken after the target is met.

Prints one JSON object:
    {"cost_kzt": total cost of the chosen sites,
     "chosen": number of chosen sites (existing ones included),
     "new_sites": chosen sites with a cost, "existing_sites": chosen sites of cost 0,
     "covered_km": covered km (3 decimals), "covered_m": covered metres,
     "target_m": the target, "chosen_ids": the chosen candidate ids in file order}

Exit code 2 with a message on stderr for a malformed file or arguments; 1 if the target
exceeds what the candidates can cover.
Python 3 standard library only.
"""

import heapq
import json
import math
import sys
from fractions import Fraction


class BadInput(Exception):
    pass


def parse_km(text, line):
    """km with at most three decimals -> metres, exactly."""
    whole, dot, frac = text.partition(".")
    if not whole.isdigit() or (dot and (not frac.isdigit() or len(frac) > 3)):
        raise BadInput(f"line {line}: bad length {text!r}")
    return int(whole) * 1000 + (int(frac.ljust(3, "0")) if frac else 0)


def parse(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read().splitlines()
    target = None
    rows = []
    for n, text in enumerate(raw, 1):
        t = text.strip()
        if not t:
            continue
        if t.startswith("#"):
            f = t[1:].split()
            if f and f[0] == "target_m":
                if len(f) != 2 or not f[1].isdigit():
                    raise BadInput(f"line {n}: bad target_m line")
                target = int(f[1])
            continue
        rows.append((n, t.split()))
    rows.reverse()
    end = len(raw) + 1

    def take():
        if not rows:
            raise BadInput(f"line {end}: unexpected end of file")
        return rows.pop()

    def header(name):
        n, f = take()
        if len(f) != 2 or f[0] != name or not f[1].isdigit():
            raise BadInput(f"line {n}: expected '{name} N'")
        return int(f[1])

    cands = []  # (id, cost)
    cand_ids = set()
    for _ in range(header("candidates")):
        n, f = take()
        if len(f) != 7 or f[0] != "C":
            raise BadInput(f"line {n}: expected 'C id cost_kzt new lon lat height_m'")
        if not f[2].isdigit():
            raise BadInput(f"line {n}: bad cost {f[2]!r}")
        if f[3] not in ("0", "1"):
            raise BadInput(f"line {n}: bad new flag {f[3]!r}")
        if f[1] in cand_ids:
            raise BadInput(f"line {n}: duplicate candidate id {f[1]}")
        cand_ids.add(f[1])
        cands.append((f[1], int(f[2])))
    seg_index = {}
    seg_m = []
    for _ in range(header("segments")):
        n, f = take()
        if len(f) != 5 or f[0] != "S":
            raise BadInput(f"line {n}: expected 'S id km lon lat'")
        if f[1] in seg_index:
            raise BadInput(f"line {n}: duplicate segment id {f[1]}")
        seg_index[f[1]] = len(seg_m)
        seg_m.append(parse_km(f[2], n))
    n, f = take()
    if f != ["covers"]:
        raise BadInput(f"line {n}: expected 'covers'")
    sets = []
    for cid, _ in cands:
        n, f = take()
        if len(f) < 2 or f[0] != "V" or f[1] != cid:
            raise BadInput(f"line {n}: expected 'V {cid} ...'")
        s = set()
        for sid in f[2:]:
            if sid not in seg_index:
                raise BadInput(f"line {n}: unknown segment id {sid}")
            s.add(seg_index[sid])
        sets.append(sorted(s))
    if rows:
        raise BadInput(f"line {rows[-1][0]}: unexpected line after the covers section")
    return cands, seg_m, sets, target


def greedy(cands, seg_m, sets, target):
    covered = [False] * len(seg_m)
    covered_m = 0
    chosen = []

    def cover(j):
        nonlocal covered_m
        for e in sets[j]:
            if not covered[e]:
                covered[e] = True
                covered_m += seg_m[e]

    def gain(j):
        return sum(seg_m[e] for e in sets[j] if not covered[e])

    for j, (_, cost) in enumerate(cands):
        if cost == 0:
            chosen.append(j)
            cover(j)
    # Max-ratio queue with lazy re-evaluation (gains only shrink): key -gain/cost as an exact
    # Fraction, then the file index.
    heap = []
    for j, (_, cost) in enumerate(cands):
        if cost > 0:
            g = gain(j)
            if g > 0:
                heap.append((-Fraction(g, cost), j, g))
    heapq.heapify(heap)
    while covered_m < target:
        if not heap:
            raise ValueError(f"target {target} m exceeds the coverable {covered_m} m")
        _, j, g = heapq.heappop(heap)
        now = gain(j)
        if now == 0:
            continue
        if now == g:
            chosen.append(j)
            cover(j)
        else:
            heapq.heappush(heap, (-Fraction(now, cands[j][1]), j, now))
    chosen.sort()
    return chosen, covered_m


def parse_share(text):
    pct = text.endswith("%")
    try:
        v = Fraction(text[:-1] if pct else text)
    except (ValueError, ZeroDivisionError):
        raise BadInput(f"bad share {text!r}")
    if pct:
        v /= 100
    if not 0 < v <= 1:
        raise BadInput(f"share {text!r} outside (0, 1]")
    return v


def main(argv):
    args = argv[1:]
    if not args or len(args) > 3 or args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        cands, seg_m, sets, target = parse(args[0])
        if len(args) == 3 and args[1] == "--target-m" and args[2].isdigit():
            target = int(args[2])
        elif len(args) == 2:
            coverable = set()
            for s in sets:
                coverable.update(s)
            coverable_m = sum(seg_m[e] for e in coverable)
            target = min(math.ceil(parse_share(args[1]) * sum(seg_m)), coverable_m)
        elif len(args) != 1:
            raise BadInput("expected FILE [SHARE] or FILE --target-m METRES")
        if target is None:
            raise BadInput("no target: give SHARE or --target-m, or a '# target_m' line")
    except (BadInput, OSError) as e:
        print(f"greedy_cover.py: {e}", file=sys.stderr)
        return 2
    try:
        chosen, covered_m = greedy(cands, seg_m, sets, target)
    except ValueError as e:
        print(f"greedy_cover.py: {e}", file=sys.stderr)
        return 1
    cost = sum(cands[j][1] for j in chosen)
    existing = sum(1 for j in chosen if cands[j][1] == 0)
    print(
        json.dumps(
            {
                "cost_kzt": cost,
                "chosen": len(chosen),
                "new_sites": len(chosen) - existing,
                "existing_sites": existing,
                "covered_km": round(covered_m / 1000, 3),
                "covered_m": covered_m,
                "target_m": target,
                "chosen_ids": [cands[j][0] for j in chosen],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
