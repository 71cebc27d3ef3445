//! Shared test helpers: a seeded generator, road-like instance generators and a brute-force
//! oracle.
#![allow(dead_code, clippy::needless_range_loop)]

use fiberplan_cover::Instance;

/// SplitMix64: small, seeded, reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Minimum cost of a cover reaching the target, over all subsets (n <= ~16).
pub fn brute_force(inst: &Instance) -> u64 {
    let n = inst.costs.len();
    assert!(n <= 20);
    let mut best = u64::MAX;
    for mask in 0u32..(1u32 << n) {
        let chosen: Vec<u32> = (0..n as u32).filter(|&j| mask >> j & 1 == 1).collect();
        let cost = inst.cost_of(&chosen);
        if cost < best && inst.covered_weight(&chosen) >= inst.target {
            best = cost;
        }
    }
    best
}

/// The baseline greedy written the slow, obvious way (every ratio recomputed every step):
/// the oracle of the lazy-queue implementation.
pub fn naive_greedy(inst: &Instance) -> Vec<u32> {
    let n = inst.costs.len();
    let mut mark = vec![false; inst.weights.len()];
    let mut chosen = vec![false; n];
    let mut covered = 0u64;
    let take = |j: usize, mark: &mut Vec<bool>, covered: &mut u64| {
        for &e in &inst.sets[j] {
            if !mark[e as usize] {
                mark[e as usize] = true;
                *covered += inst.weights[e as usize];
            }
        }
    };
    for j in 0..n {
        if inst.costs[j] == 0 {
            chosen[j] = true;
            take(j, &mut mark, &mut covered);
        }
    }
    while covered < inst.target {
        let mut best: Option<(usize, u64)> = None;
        for j in 0..n {
            if chosen[j] {
                continue;
            }
            let g: u64 = inst.sets[j]
                .iter()
                .filter(|&&e| !mark[e as usize])
                .map(|&e| inst.weights[e as usize])
                .sum();
            if g == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((b, bg)) => {
                    g as u128 * inst.costs[b] as u128 > bg as u128 * inst.costs[j] as u128
                }
            };
            if better {
                best = Some((j, g));
            }
        }
        let (j, _) = best.expect("feasible");
        chosen[j] = true;
        take(j, &mut mark, &mut covered);
    }
    (0..n as u32).filter(|&j| chosen[j as usize]).collect()
}

/// Target as a share (per mille) of the coverable weight, rounded up.
pub fn with_share(mut inst: Instance, per_mille: u64) -> Instance {
    let cov = inst.coverable_weight();
    inst.target = (cov * per_mille).div_ceil(1000);
    inst
}

/// How radio shadows cut a candidate's window on a line road.
#[derive(Debug, Clone, Copy)]
pub enum Shadow {
    /// Terrain: 0..=3 contiguous gaps of 2..=12 segments per window.
    Terrain,
    /// Every segment independently lost with this probability (a hard case for the LP
    /// bound: it blurs holes that integer covers must fill with a second site).
    Speckle(f64),
}

/// A road as a line: `segments` pieces of 80..120 m; a candidate every `every` segments
/// (with jitter) covering a window of 10..60 segments each side, cut by shadows (taller masts
/// reach further and cost more, with noise); 3 % are existing sites (cost 0).
pub fn line_instance(
    seed: u64,
    segments: usize,
    every: usize,
    per_mille: u64,
    shadow: Shadow,
) -> Instance {
    let mut rng = Rng(seed);
    let weights: Vec<u64> = (0..segments).map(|_| rng.range(80, 120)).collect();
    let mut costs = Vec::new();
    let mut sets = Vec::new();
    let mut pos = 0usize;
    while pos < segments {
        let at = (pos + rng.range(0, every as u64 - 1) as usize).min(segments - 1);
        let reach = rng.range(10, 60) as usize;
        let lo = at.saturating_sub(reach);
        let hi = (at + reach).min(segments - 1);
        let mut keep = vec![true; hi - lo + 1];
        match shadow {
            Shadow::Terrain => {
                for _ in 0..rng.range(0, 3) {
                    let start = rng.range(0, keep.len() as u64 - 1) as usize;
                    let len = rng.range(2, 12) as usize;
                    for k in keep.iter_mut().skip(start).take(len) {
                        *k = false;
                    }
                }
            }
            Shadow::Speckle(p) => {
                for k in keep.iter_mut() {
                    *k = rng.unit() >= p;
                }
            }
        }
        let set: Vec<u32> = (lo..=hi)
            .filter(|&e| keep[e - lo])
            .map(|e| e as u32)
            .collect();
        let existing = rng.unit() < 0.03;
        let cost = if existing {
            0
        } else {
            8_000_000 + 250_000 * reach as u64 + rng.range(0, 12_000_000)
        };
        costs.push(cost);
        sets.push(set);
        pos += every;
    }
    with_share(
        Instance {
            costs,
            weights,
            sets,
            target: 0,
        },
        per_mille,
    )
}

/// A 2-D scatter: `roads` random-walk roads of 100 m segments in a square of `side_km`,
/// `candidates` sites near roads covering every segment midpoint within their radius
/// (2..7 km, cost growing with it), 3 % existing.
pub fn scatter_instance(
    seed: u64,
    roads: usize,
    segments_per_road: usize,
    candidates: usize,
    side_km: f64,
    per_mille: u64,
) -> Instance {
    let mut rng = Rng(seed);
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for _ in 0..roads {
        let (mut x, mut y) = (rng.unit() * side_km, rng.unit() * side_km);
        let mut heading = rng.unit() * std::f64::consts::TAU;
        for _ in 0..segments_per_road {
            heading += (rng.unit() - 0.5) * 0.3;
            x = (x + 0.1 * heading.cos()).clamp(0.0, side_km);
            y = (y + 0.1 * heading.sin()).clamp(0.0, side_km);
            pts.push((x, y));
        }
    }
    let weights: Vec<u64> = pts.iter().map(|_| 100).collect();
    // Grid of 1 km cells over the segment midpoints.
    let cells = side_km.ceil() as usize + 1;
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); cells * cells];
    for (i, &(x, y)) in pts.iter().enumerate() {
        grid[(y as usize) * cells + x as usize].push(i as u32);
    }
    let mut costs = Vec::new();
    let mut sets = Vec::new();
    for _ in 0..candidates {
        let anchor = pts[rng.range(0, pts.len() as u64 - 1) as usize];
        let cx = (anchor.0 + (rng.unit() - 0.5) * 2.0).clamp(0.0, side_km);
        let cy = (anchor.1 + (rng.unit() - 0.5) * 2.0).clamp(0.0, side_km);
        let radius = 2.0 + 5.0 * rng.unit();
        let mut set = Vec::new();
        let (x0, x1) = (
            (cx - radius).max(0.0) as usize,
            ((cx + radius) as usize).min(cells - 1),
        );
        let (y0, y1) = (
            (cy - radius).max(0.0) as usize,
            ((cy + radius) as usize).min(cells - 1),
        );
        for gy in y0..=y1 {
            for gx in x0..=x1 {
                for &i in &grid[gy * cells + gx] {
                    let (x, y) = pts[i as usize];
                    if (x - cx).powi(2) + (y - cy).powi(2) <= radius * radius {
                        set.push(i);
                    }
                }
            }
        }
        set.sort_unstable();
        let existing = rng.unit() < 0.03;
        let cost = if existing {
            0
        } else {
            10_000_000 + (radius * 3_000_000.0) as u64 + rng.range(0, 10_000_000)
        };
        costs.push(cost);
        sets.push(set);
    }
    with_share(
        Instance {
            costs,
            weights,
            sets,
            target: 0,
        },
        per_mille,
    )
}
