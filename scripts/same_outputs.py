#!/usr/bin/env python3
"""Compares two snapshots made by scripts/snapshot.sh (before and after a change) and
prints every file that differs. Run times are the only thing allowed to differ; with
--phase-fix, so is the one documented change of issue 12: `phase` is an integer in every
run (0 when a plan is unphased or a village fits no phase), where it was null before; and
with --sweep-districts, the district columns of `sweep --plans` routes, which were empty, and the villages.csv it
now writes beside plan.geojson. The `optimal` field that
issue 18 adds to `steiner solve --json` is left out of the comparison.

    python3 scripts/same_outputs.py /tmp/snap-old /tmp/snap-new --phase-fix --sweep-districts

Exit code 0 when the snapshots agree, 1 otherwise."""
import argparse, json, os, re, sys

TIME = re.compile(r"\d+(\.\d+)?s\b|[\d.]+ per second|time [\d.]+s \([^)]*\)|\"(seconds|secs|time_s|total_s|[a-z_]*_s)\":\s*[\d.e-]+")


# Fields a change may add to `steiner solve --json` without changing a result.
ADDED = re.compile(r'"optimal":(true|false),')


def norm_stdout(text, root):
    return ADDED.sub("", TIME.sub("<t>", text.replace(root, "<out>")))


def old_phase(feature_props, phase_fix):
    if phase_fix and "phase" in feature_props and feature_props["phase"] is None:
        feature_props["phase"] = 0


def norm_geojson(data, phase_fix, drop_districts):
    for f in data.get("features", []):
        p = f.get("properties", {})
        old_phase(p, phase_fix)
        if drop_districts and p.get("kind") == "new_fibre":
            for k in ("district_kato", "district_en", "district_kk", "district_ru", "oblast_en"):
                p.pop(k, None)
    return data


def norm_csv(text, phase_fix):
    if not phase_fix:
        return text
    lines = text.split("\n")
    if not lines or "phase" not in lines[0].split(","):
        return text
    col = lines[0].split(",").index("phase")
    out = [lines[0]]
    for line in lines[1:]:
        f = line.split(",")
        # Only simple rows are normalised; quoted commas keep the line as it is.
        if len(f) == len(lines[0].split(",")) and f[col] == "":
            f[col] = "0"
        out.append(",".join(f))
    return "\n".join(out)


def load(path, rel, args, old):
    with open(path, "rb") as fh:
        raw = fh.read()
    if rel.startswith("stdout/"):
        root = args.old if old else args.new
        return norm_stdout(raw.decode("utf-8", "replace"), os.path.abspath(root))
    if rel.endswith(".geojson"):
        data = json.loads(raw)
        in_sweep = "/plans/" in rel
        return norm_geojson(data, args.phase_fix and old, args.sweep_districts and in_sweep)
    if rel.endswith(".csv"):
        text = raw.decode("utf-8")
        return norm_csv(text, args.phase_fix) if old else text
    return raw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--phase-fix", action="store_true")
    ap.add_argument("--sweep-districts", action="store_true")
    args = ap.parse_args()
    files = set()
    for root in (args.old, args.new):
        for d, _, fs in os.walk(root):
            if "results.d" in d:
                continue
            for f in fs:
                files.add(os.path.relpath(os.path.join(d, f), root))
    differ = []
    for rel in sorted(files):
        a, b = os.path.join(args.old, rel), os.path.join(args.new, rel)
        if args.sweep_districts and "/plans/" in rel and rel.endswith("villages.csv") and not os.path.exists(a):
            continue  # sweep --plans now writes the plan's villages.csv too (write_plan)
        if not (os.path.exists(a) and os.path.exists(b)):
            differ.append(f"{rel}: only in {'new' if os.path.exists(b) else 'old'}")
            continue
        if load(a, rel, args, True) != load(b, rel, args, False):
            differ.append(f"{rel}: differs")
    print(f"{len(files)} files compared, {len(differ)} differ")
    for d in differ:
        print("  " + d)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
