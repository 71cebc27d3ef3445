//! The large NTIA reference set (`tests/data/ntia_itm_p2p.csv`, `ntia_itm_area.csv`):
//! how each case's terrain profile is made, shared by the test (`tests/ntia_reference.rs`)
//! and the generator (`examples/ntia_reference_cases.rs`).
//!
//! A p2p row names its profile instead of holding it:
//! - `dem:LON0:LAT0:LON1:LAT1:STEP_M`: `fiberplan_io::dem::Dem::profile` on the bundled
//!   NASADEM tile `data/dem/N44W072.hgt` (great circle, bilinear);
//! - `syn:SHAPE:SEED:N:INTERVAL_M`: [`synthetic`], integer arithmetic on centimetres from a
//!   SplitMix64 stream, so it is the same on every machine.
//!
//! Either way the profile goes through `pfl::format_pfl` (NTIA's text layout) and back
//! through `pfl::parse_pfl`: the numbers ITM sees are the ones NTIA's driver read from the
//! same text with `strtod`.

#![allow(dead_code)] // each user takes part of it

use fiberplan_io::dem::Dem;
use fiberplan_radio::pfl::{format_pfl, parse_pfl, Pfl};
use std::path::{Path, PathBuf};

/// SplitMix64 (Steele, Lea and Flood 2014): a small generator with a fixed sequence.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in `lo..=hi` (the modulo bias is irrelevant here, and fixed).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Synthetic terrain shapes, each aimed at a part of ITM.
pub const SHAPES: [&str; 8] = [
    "walk",  // rough random walk, floored at sea level
    "ridge", // a walk with up to three ridges (the horizons of diffraction paths)
    "sea",   // all zero: the average path height is exactly 0 (NTIA's h_sys == 0 branch)
    "coast", // sea for a stretch, then a walk inland
    "flat",  // one constant elevation: no horizon, delta h 0
    "cliff", // a walk with a step of hundreds of metres
    "deep",  // a walk below sea level, not floored
    "high",  // a walk 2-6 km up: low surface refractivity (warning, or NTIA's error 1021)
];

/// The `n + 1` elevations (m) of synthetic profile `shape` from `seed`.
pub fn synthetic(shape: &str, seed: u64, n: usize) -> Vec<f64> {
    let mut r = SplitMix(seed);
    let rough = r.range(5, 4000); // cm per interval at most
    let mut z = match shape {
        "deep" => r.range(-40_000, 0),
        "high" => r.range(200_000, 600_000),
        _ => r.range(0, 150_000),
    };
    let floor = !matches!(shape, "deep" | "high");
    let mut cm: Vec<i64> = Vec::with_capacity(n + 1);
    match shape {
        "sea" => cm.resize(n + 1, 0),
        "flat" => cm.resize(n + 1, z),
        _ => {
            let shore = if shape == "coast" {
                r.range(1, n as i64) as usize
            } else {
                0
            };
            if shape == "coast" {
                z = 0;
            }
            for i in 0..=n {
                if i < shore {
                    cm.push(0);
                    continue;
                }
                z += r.range(-rough, rough);
                if floor {
                    z = z.max(0);
                }
                cm.push(z);
            }
        }
    }
    if shape == "ridge" {
        for _ in 0..r.range(1, 3) {
            let at = r.range(0, n as i64);
            let height = r.range(5_000, 80_000);
            let half = r.range(1, 40).min(n as i64 / 2 + 1);
            for (i, c) in cm.iter_mut().enumerate() {
                let off = (i as i64 - at).abs();
                if off < half {
                    *c += height * (half - off) / half;
                }
            }
        }
    }
    if shape == "cliff" {
        let at = r.range(1, n as i64) as usize;
        let step = r.range(-100_000, 100_000);
        for c in &mut cm[at..] {
            *c = (*c + step).max(0);
        }
    }
    cm.into_iter().map(|c| c as f64 / 100.0).collect()
}

/// The bundled NASADEM tile.
pub fn tile_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/dem/N44W072.hgt")
}

pub fn read_tile() -> Dem {
    let p = tile_path();
    Dem::read(&[&p]).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn num(s: &str, spec: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("profile {spec}: {s:?} is not a number"))
}

/// The profile a row names, as NTIA's text line.
pub fn profile_line(spec: &str, dem: &Dem) -> String {
    let f: Vec<&str> = spec.split(':').collect();
    match f[0] {
        "dem" => {
            let from = [num(f[1], spec), num(f[2], spec)];
            let to = [num(f[3], spec), num(f[4], spec)];
            let p = dem
                .profile(from, to, num(f[5], spec))
                .unwrap_or_else(|at| panic!("profile {spec} leaves the tile at {at:?}"));
            format_pfl(p.interval_m, &p.elevations)
        }
        "syn" => {
            let seed: u64 = f[2].parse().expect("seed");
            let n: usize = f[3].parse().expect("n");
            format_pfl(num(f[4], spec), &synthetic(f[1], seed, n))
        }
        _ => panic!("profile {spec}: unknown kind"),
    }
}

/// The profile ITM is given: the line parsed back.
pub fn profile(spec: &str, dem: &Dem) -> Pfl {
    parse_pfl(&profile_line(spec, dem)).unwrap_or_else(|e| panic!("profile {spec}: {e}"))
}

/// NTIA's results as its driver printed them: return code (0 success, 1 with warnings,
/// 1000+ an error), loss, mode (p2p only; 0 when not computed), warning bits.
pub const NTIA_OUTPUTS: [&str; 4] = ["ntia_rtn", "ntia_A__db", "ntia_mode", "ntia_warnings"];
