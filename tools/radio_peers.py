#!/usr/bin/env python3
"""ITM peers in one run: fiberplan's `radio itm-p2p` / `radio itm-area` against the Python
ports itmlogic (point-to-point, Fortran ITM 1.2.2 port) and pyitm (area mode only), on
the same cases: agreement (share within 0.01 dB, max deviation, same propagation mode)
and speed (evaluations per second on one core, parsing included).

Cases: 200-point profiles, half synthetic (random walk with ridges, fixed seed), half cut
from the NASADEM tile data/dem/N44W072.hgt (bilinear, straight lines in lon/lat), with
random heights, frequencies, climates and percentages.

usage: ~/.cache/fiberplan-peers/bin/python tools/radio_peers.py [--cases N] [--peer-cases M]
       [--bin target/release/fiberplan] [--repeat R] [--ntia-bin DRIVER]

--ntia-bin: a build of NTIA's own C++ ITM (github.com/NTIA/itm) with a driver that takes
`p2p CASES PFLS` and prints the case table with A__db (2 decimals), mode and warnings, like
`fiberplan radio itm-p2p`, and with `--bench R` prints its rate over the ITM calls alone
(profiles parsed beforehand). Not part of fiberplan (BENCHMARKS.md says how it was built);
timed on the same cases, and its output compared with fiberplan's line by line.

--repeat R times every program R times and keeps each one's least CPU time (fiberplan and
the peers alike): on a shared machine the CPU time of one run varies with the load, which
is printed (1, 5 and 15 minute load averages) before and after.
"""
import argparse, cmath, math, os, random, resource, subprocess, sys, tempfile, time

import numpy as np
from itmlogic.preparatory_subroutines.qlrpfl import qlrpfl
from itmlogic.statistics.avar import avar
from pyitm import itm as pyitm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def inv_ccdf(q):
    """NTIA's inverse complementary normal CDF (Abramowitz & Stegun 26.2.23)."""
    x = 1.0 - q if q > 0.5 else q
    t = math.sqrt(-2.0 * math.log(x))
    z = ((0.010328 * t + 0.802853) * t + 2.515516) / (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1.0)
    v = t - z
    return -v if q > 0.5 else v


def load_tile():
    raw = np.fromfile(os.path.join(ROOT, 'data/dem/N44W072.hgt'), dtype='>i2').reshape(1201, 1201)
    return raw.astype(np.float64)


def tile_profile(z, rng, n=199):
    """A straight lon/lat line inside the tile, sampled bilinearly at n + 1 points."""
    while True:
        x0, y0 = rng.uniform(0, 1200), rng.uniform(0, 1200)
        ang = rng.uniform(0, 2 * math.pi)
        length = rng.uniform(20, 600)  # pixels (~90 m)
        x1, y1 = x0 + length * math.cos(ang), y0 + length * math.sin(ang)
        if 0 <= x1 <= 1200 and 0 <= y1 <= 1200:
            break
    t = np.linspace(0.0, 1.0, n + 1)
    xs, ys = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
    c0 = np.minimum(xs.astype(int), 1199)
    r0 = np.minimum(ys.astype(int), 1199)
    fx, fy = xs - c0, ys - r0
    top = z[r0, c0] + (z[r0, c0 + 1] - z[r0, c0]) * fx
    bot = z[r0 + 1, c0] + (z[r0 + 1, c0 + 1] - z[r0 + 1, c0]) * fx
    elev = top + (bot - top) * fy
    lat = 45.0 - y0 / 1200.0
    d_m = length * math.hypot(math.cos(ang) * math.cos(math.radians(lat)), math.sin(ang)) * 92.66
    return d_m / n, [round(float(e), 3) for e in elev]


def synthetic_profile(rng, n=199):
    interval = rng.uniform(25, 300)
    z = rng.uniform(0, 1500)
    rough = rng.uniform(0.5, 40)
    elev = []
    for i in range(n + 1):
        z = max(0.0, z + rough * rng.uniform(-1, 1))
        elev.append(round(z, 3))
    if rng.random() < 0.5:  # a ridge
        k = rng.randrange(20, n - 20)
        h = rng.uniform(50, 600)
        for i in range(n + 1):
            elev[i] = round(elev[i] + h * math.exp(-((i - k) / 6.0) ** 2), 3)
    return interval, elev


def cases(n, seed):
    rng = random.Random(seed)
    tile = load_tile()
    out = []
    for i in range(n):
        interval, elev = tile_profile(tile, rng) if i % 2 else synthetic_profile(rng)
        out.append(dict(
            h_tx=round(rng.choice([rng.uniform(2, 60), rng.uniform(60, 300)]), 2),
            h_rx=round(rng.uniform(1, 20), 2),
            eps=rng.choice([4, 15, 25, 80]), sigma=rng.choice([0.001, 0.005, 0.01, 0.03]),
            n0=rng.choice([260, 301, 320, 350]), f=round(rng.uniform(50, 6000), 1),
            pol=rng.randrange(2), climate=rng.randrange(1, 8),
            time=rng.choice([10, 50, 90, 95]), location=rng.choice([10, 50, 90]),
            situation=rng.choice([10, 50, 90]), mdvar=rng.choice([0, 1, 2, 3, 11, 12, 13]),
            interval=round(interval, 4), elev=elev))
    return out


def write_p2p(cs, d):
    cases_csv, pfls = os.path.join(d, 'cases.csv'), os.path.join(d, 'pfls.csv')
    with open(cases_csv, 'w') as f:
        f.write('h_tx__meter,h_rx__meter,epsilon,sigma,N_0,f__mhz,pol,climate,time,location,situation,mdvar\n')
        for c in cs:
            f.write(f"{c['h_tx']},{c['h_rx']},{c['eps']},{c['sigma']},{c['n0']},{c['f']},{c['pol']},{c['climate']},"
                    f"{c['time']},{c['location']},{c['situation']},{c['mdvar']}\n")
    with open(pfls, 'w') as f:
        for c in cs:
            f.write(f"{len(c['elev']) - 1},{c['interval']}," + ','.join(str(e) for e in c['elev']) + '\n')
    return cases_csv, pfls


def itmlogic_p2p(c):
    """itmlogic driven as its own p2p script does, with NTIA's TLS inputs."""
    pfl = [len(c['elev']) - 1, c['interval']] + c['elev']
    np_ = pfl[0]
    p10 = int(0.1 * np_)
    zsys = sum(c['elev'][p10:np_ - p10 + 1]) / (np_ - 2 * p10 + 1)
    wn = c['f'] / 47.7
    ens = c['n0'] * math.exp(-zsys / 9460.0)
    zq = complex(c['eps'], 376.62 * c['sigma'] / wn)
    zgnd = cmath.sqrt(zq - 1)
    if c['pol']:
        zgnd = zgnd / zq
    prop = dict(fmhz=c['f'], hg=[c['h_tx'], c['h_rx']], ipol=c['pol'], eps=c['eps'], sgm=c['sigma'],
                klim=c['climate'], ens0=c['n0'], pfl=pfl, kwx=0, wn=wn, ens=ens,
                gme=157e-9 * (1 - 0.04665 * math.exp(ens / 179.3)), zgnd=zgnd, lvar=5, klimx=0,
                mdvarx=c['mdvar'])
    prop = qlrpfl(prop)
    fs = 8.685890 * math.log(2 * prop['wn'] * prop['dist'])
    a, prop = avar(inv_ccdf(c['time'] / 100), inv_ccdf(c['location'] / 100), inv_ccdf(c['situation'] / 100), prop)
    mode = 1 if prop['dist'] < prop['dlsa'] else (3 if prop['dist'] > prop['dx'] else 2)
    return fs + a, mode


def run_fiberplan(binary, args, repeat=1):
    """Run on one thread, `repeat` times; returns the least CPU time of the child (user + sys:
    the machine may be shared) and its output (the same every time)."""
    best, out = None, None
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        o = subprocess.run([binary, 'radio', *args, '--threads', '1'], capture_output=True, text=True, check=True).stdout
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        assert out is None or o == out, 'fiberplan output differs between runs'
        best, out = (t if best is None else min(best, t)), o
    return best, out


def run_fiberplan_wall(binary, args, threads, repeat):
    """Run on `threads` threads, `repeat` times; returns the least wall time (process start
    included). The machine's cores against a one-core peer: said as such wherever shown."""
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([binary, 'radio', *args, '--threads', str(threads)], stdout=subprocess.DEVNULL, check=True)
        t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    return best


def run_ntia(binary, cases_csv, pfls, repeat):
    """NTIA's C++ ITM through its driver, timed as run_fiberplan times fiberplan."""
    best, out = None, None
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        o = subprocess.run([binary, 'p2p', cases_csv, pfls], capture_output=True, text=True, check=True).stdout
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        best, out = (t if best is None else min(best, t)), o
    bench = subprocess.run([binary, 'p2p', cases_csv, pfls, '--bench', str(max(repeat, 3))],
                           capture_output=True, text=True, check=True).stdout.strip()
    return best, out, bench


def timed(f, repeat):
    """Least CPU time of this process over `repeat` calls of f, and f's last result."""
    best, res = None, None
    for _ in range(repeat):
        t0 = time.process_time()
        res = f()
        t = time.process_time() - t0
        best = t if best is None else min(best, t)
    return best, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cases', type=int, default=20000)
    ap.add_argument('--peer-cases', type=int, default=20000)
    ap.add_argument('--bin', default=os.path.join(ROOT, 'target/release/fiberplan'))
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--ntia-bin', default=None)
    ap.add_argument('--threads', type=int, default=None,
                    help='also time fiberplan on this many threads (wall, least of --repeat)')
    a = ap.parse_args()
    # The box is shared: the load average goes with every figure (before and after).
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({time.strftime('%H:%M:%S', time.gmtime())} UTC)")
    cs = cases(a.cases, 14)
    with tempfile.TemporaryDirectory() as d:
        cases_csv, pfls = write_p2p(cs, d)
        wall, out = run_fiberplan(a.bin, ['itm-p2p', cases_csv, '--profiles', pfls], a.repeat)
        if a.threads:
            wall_n = run_fiberplan_wall(a.bin, ['itm-p2p', cases_csv, '--profiles', pfls], a.threads, a.repeat)
            print(f"fiberplan radio itm-p2p on {a.threads} threads: {len(cs) / wall_n:,.0f} evaluations/s "
                  f"(wall, least of {a.repeat}, process start included)")
        rows = [l.split(',') for l in out.strip().split('\n')[1:]]
        ours = [(float(r[12]), int(r[13])) for r in rows]
        print(f"fiberplan radio itm-p2p: {len(cs)} cases (200-point profiles) in {wall:.3f} s of CPU on 1 thread (least of {a.repeat}), "
              f"process start, reading, parsing and output included: {len(cs) / wall:,.0f} evaluations/s")
        if a.ntia_bin:
            t_ntia, out_ntia, bench = run_ntia(a.ntia_bin, cases_csv, pfls, a.repeat)
            same = out_ntia.strip().split('\n')[1:] == out.strip().split('\n')[1:]
            print(f"NTIA C++ ITM (driver: read, strtod, ITM_P2P_TLS_Ex, print): {len(cs)} cases in {t_ntia:.3f} s of CPU "
                  f"(least of {a.repeat}): {len(cs) / t_ntia:,.0f} evaluations/s (fiberplan / NTIA = {t_ntia / wall:.2f}x); "
                  f"output {'identical to' if same else 'DIFFERENT from'} fiberplan's")
            print(f"  {bench}")
        # area cases from the same parameters
        area_csv = os.path.join(d, 'area.csv')
        rng = random.Random(15)
        area = []
        with open(area_csv, 'w') as f:
            f.write('h_tx__meter,h_rx__meter,delta_h__meter,mdvar,d__km,tx_siting_criteria,rx_siting_criteria,'
                    'epsilon,sigma,N_0,f__mhz,pol,climate,time,location,situation\n')
            for c in cs:
                row = dict(c, dh=rng.choice([0, 15, 30, 90, 200, 500]), d=round(rng.uniform(1, 300), 2),
                           ts=rng.randrange(3), rs=rng.randrange(3), mdvar=rng.randrange(4))
                area.append(row)
                f.write(f"{row['h_tx']},{row['h_rx']},{row['dh']},{row['mdvar']},{row['d']},{row['ts']},{row['rs']},"
                        f"{row['eps']},{row['sigma']},{row['n0']},{row['f']},{row['pol']},{row['climate']},"
                        f"{row['time']},{row['location']},{row['situation']}\n")
        wall_area, out_area = run_fiberplan(a.bin, ['itm-area', area_csv], a.repeat)
        if a.threads:
            wall_area_n = run_fiberplan_wall(a.bin, ['itm-area', area_csv], a.threads, a.repeat)
            print(f"fiberplan radio itm-area on {a.threads} threads: {len(cs) / wall_area_n:,.0f} evaluations/s "
                  f"(wall, least of {a.repeat}, process start included)")
        ours_area = [float(l.split(',')[-2]) for l in out_area.strip().split('\n')[1:]]
        print(f"fiberplan radio itm-area: {len(area)} cases in {wall_area:.3f} s of CPU on 1 thread: "
              f"{len(area) / wall_area:,.0f} evaluations/s")

    m = min(a.peer_cases, len(cs))
    t_logic, ref = timed(lambda: [itmlogic_p2p(c) for c in cs[:m]], a.repeat)
    rate_logic = m / t_logic
    print(f"itmlogic p2p: {m} cases in {t_logic:.2f} s of CPU: {rate_logic:,.0f} evaluations/s "
          f"(fiberplan / itmlogic = {len(cs) / wall / rate_logic:,.0f}x on one core"
          + (f"; {len(cs) / wall_n / rate_logic:,.0f}x on {a.threads} threads, wall" if a.threads else "") + ")")
    dev = [abs(o[0] - r[0]) for o, r in zip(ours, ref)]
    same_mode = sum(o[1] == r[1] for o, r in zip(ours, ref))
    within = sum(x <= 0.01 for x in dev)
    print(f"agreement with itmlogic over {m} p2p cases: {within / m:.2%} within 0.01 dB, "
          f"{sum(x <= 0.5 for x in dev) / m:.2%} within 0.5 dB, max |dA| {max(dev):.3f} dB, same mode {same_mode / m:.2%}")
    syn = [x for i, x in enumerate(dev) if i % 2 == 0]
    real = [x for i, x in enumerate(dev) if i % 2 == 1]
    print(f"  synthetic terrain: {sum(x <= 0.01 for x in syn) / len(syn):.2%} within 0.01 dB; "
          f"NASADEM tile: {sum(x <= 0.01 for x in real) / len(real):.2%} within 0.01 dB")

    def pyitm_area():
        ref_area = []
        for r in area[:m]:
            db, _ = pyitm.area(r['mdvar'], r['dh'], r['h_tx'], r['h_rx'], r['d'], r['ts'], r['rs'], r['eps'],
                               r['sigma'], r['n0'], r['f'], r['climate'], r['pol'], r['time'] / 100,
                               r['location'] / 100, r['situation'] / 100)
            ref_area.append(db)
        return ref_area
    t_py, ref_area = timed(pyitm_area, a.repeat)
    rate_py = m / t_py
    print(f"pyitm area: {m} cases in {t_py:.2f} s of CPU: {rate_py:,.0f} evaluations/s "
          f"(fiberplan itm-area / pyitm = {len(area) / wall_area / rate_py:,.0f}x on one core"
          + (f"; {len(area) / wall_area_n / rate_py:,.0f}x on {a.threads} threads, wall" if a.threads else "") + ")")
    dev_a = [abs(o - r) for o, r in zip(ours_area, ref_area)]
    print(f"agreement with pyitm over {m} area cases: {sum(x <= 0.05 for x in dev_a) / m:.2%} within 0.05 dB, "
          f"max |dA| {max(dev_a):.3f} dB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({time.strftime('%H:%M:%S', time.gmtime())} UTC)")


if __name__ == '__main__':
    main()
