#!/usr/bin/env python3
"""Our solver next to networkx (Mehlhorn) and pcst_fast (strong pruning), in one run.

Usage (from the workspace root, after `cargo build --release` and
`sh ../shared/tools/peers/setup.sh`):
  PY=~/.cache/fiberplan-peers/bin/python
  $PY crates/steiner/benches/compare.py [--fiberplan target/release/fiberplan] [--sets B,C,...]
        [--out bench-out]

Sets (under ../shared/data/steiner): B, C (SteinLib), T1 (PACE 2018 track 1), T3 (PACE
track 3, instances 163 and 168), PCST (DIMACS JMP + CRR, prize-collecting: pcst_fast gets
the real prizes there, networkx is not a PCST solver). For every instance, ours runs as a
separate process (`fiberplan steiner solve --json`, whole-process wall time measured here),
its PACE output is checked with verify.py, then peers.py runs the peers on the same file.
Gaps are against the optima files; prints a markdown table of mean gap, optimal count and
mean / max time per set and solver.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../.."))
DATA = os.path.abspath(os.path.join(ROOT, "../shared/data/steiner"))
PEERS = os.path.abspath(os.path.join(ROOT, "../shared/tools/peers"))
sys.path.insert(0, PEERS)

SETS = {
    "B": ("steinlib/B/*.stp", "steinlib/optima.csv", "stp"),
    "C": ("steinlib/C/*.stp", "steinlib/optima.csv", "stp"),
    "T1": ("pace2018/track1/*.gr", "pace2018/track1_optima.csv", "stp"),
    "T3": ("pace2018/track3/*.gr", "pace2018/track3_optima.csv", "stp"),
    "PCST": ("pcstp/*/*.stp", "pcstp/optima.csv", "pcst"),
}


def read_optima(path):
    out = {}
    with open(path) as f:
        header = [h.strip().lower() for h in f.readline().split(",")]
        for line in f:
            cells = [c.strip() for c in line.split(",")]
            row = dict(zip(header, cells))
            name = row.get("filename") or row.get("pacename") or row.get("instance")
            name = os.path.basename(name).replace(".stp", "").replace(".gr", "")
            for col in ("opt", "dapcstp_ub", "upper"):
                try:
                    out[name] = float(row[col])
                    break
                except (KeyError, ValueError):
                    continue
    return out


def gap(v, o):
    if v is None or o is None:
        return None
    return 0.0 if o == 0 and v == 0 else 100.0 * (v - o) / o


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fiberplan", default=os.path.join(ROOT, "target/release/fiberplan"))
    ap.add_argument("--sets", default="B,C,T1,T3,PCST")
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--timeout", type=int, default=300)
    a = ap.parse_args()
    py = sys.executable
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for s in a.sets.split(","):
        pattern, optfile, kind = SETS[s]
        optima = read_optima(os.path.join(DATA, optfile))
        for f in sorted(glob.glob(os.path.join(DATA, pattern))):
            name = os.path.basename(f).rsplit(".", 1)[0]
            opt = optima.get(name)
            t0 = time.perf_counter()
            p = subprocess.run([a.fiberplan, "steiner", "solve", f], capture_output=True, text=True)
            wall = time.perf_counter() - t0
            sol = os.path.join(a.out, name + ".sol")
            with open(sol, "w") as fh:
                fh.write(p.stdout)
            value = float(p.stdout.split()[1]) if p.returncode == 0 else None
            ver = subprocess.run([py, os.path.join(PEERS, "verify.py"), f, sol], capture_output=True, text=True)
            rows.append(dict(set=s, instance=name, solver="fiberplan", value=value, wall_s=wall,
                             valid=ver.returncode == 0, gap=gap(value, opt)))
            if kind == "stp":
                cmd = [py, os.path.join(PEERS, "peers.py"), f, "--solvers", "nx_mehlhorn,pcst_strong",
                       "--timeout", str(a.timeout)]
                out = subprocess.run(cmd, capture_output=True, text=True).stdout
                for line in out.splitlines():
                    r = json.loads(line)
                    if r.get("solver", "_").startswith("_"):
                        continue
                    v = r.get("cost")
                    rows.append(dict(set=s, instance=name, solver=r["solver"], value=v,
                                     wall_s=r.get("wall_s"), valid=r.get("valid"), gap=gap(v, opt)))
            else:
                cmd = [py, os.path.join(HERE, "quota_peer.py"), f, "--pcst"]
                out = subprocess.run(cmd, capture_output=True, text=True).stdout
                r = json.loads(out.strip().splitlines()[-1])
                rows.append(dict(set=s, instance=name, solver="pcst_fast", value=r["objective"],
                                 wall_s=r["wall_s"], valid=True, gap=gap(r["objective"], opt)))
            for r in rows[-3:]:
                if r["instance"] == name:
                    print(json.dumps(r), file=sys.stderr)
    with open(os.path.join(a.out, "rows.jsonl"), "w") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    print("| set | solver | instances | valid | mean gap % | optimal | mean s | max s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for s in a.sets.split(","):
        for solver in sorted({r["solver"] for r in rows if r["set"] == s}):
            rs = [r for r in rows if r["set"] == s and r["solver"] == solver]
            gaps = [r["gap"] for r in rs if r["gap"] is not None]
            times = [r["wall_s"] for r in rs if r["wall_s"] is not None]
            print(f"| {s} | {solver} | {len(rs)} | {sum(1 for r in rs if r['valid'])} | "
                  f"{sum(gaps) / max(1, len(gaps)):.3f} | {sum(1 for g in gaps if abs(g) < 1e-9)} | "
                  f"{sum(times) / max(1, len(times)):.3f} | {max(times, default=0):.3f} |")


if __name__ == "__main__":
    main()
