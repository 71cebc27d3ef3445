//! Scenario sweeps: expanding a scenario file into scenarios (grid x Monte Carlo), one
//! result row per scenario, and the content keys that make results resumable.
//!
//! Everything here is deterministic: the expansion order is fixed (grid keys in declaration
//! order, last key fastest), Monte Carlo draws come from a counter-based generator keyed by
//! (seed, scenario, factor), and rows print numbers with fixed decimals.

use crate::Plan;
use fiberplan_model::{Distribution, Grid, Scenario, ScenarioFile};

/// The scenarios of a file with their ids (`s00001`, ...), in id order.
pub fn expand(file: &ScenarioFile) -> Result<Vec<(String, Scenario)>, String> {
    let mut points = vec![file.scenario.clone()];
    if let Some(g) = &file.grid {
        points = grid_points(&file.scenario, g);
    }
    let mut out = Vec::new();
    for base in points {
        match &file.monte_carlo {
            None => out.push(base),
            Some(mc) => {
                for _ in 0..mc.samples {
                    let mut s = base.clone();
                    let draw_no = (out.len() as u64) << 8;
                    let draw =
                        |factor: u64, d: &Distribution| d.quantile(unit(mc.seed, draw_no | factor));
                    if let Some(d) = &mc.vary.corridor_cost_scale {
                        s.corridor_cost_scale = row_precision(s.corridor_cost_scale * draw(1, d));
                    }
                    if let Some(d) = &mc.vary.fwa_cost_scale {
                        s.fwa_cost_scale = row_precision(s.fwa_cost_scale * draw(2, d));
                    }
                    if let Some(d) = &mc.vary.satellite_cost_scale {
                        s.satellite_cost_scale = row_precision(s.satellite_cost_scale * draw(3, d));
                    }
                    // Take-up is drawn as the percentage itself (not a factor: the base may
                    // be the last-mile model's, unknown here), at least 0.0001 %.
                    if let Some(d) = &mc.vary.take_up_pct {
                        s.take_up_pct = Some(row_precision(draw(4, d)).max(1e-4));
                    }
                    if let Some(d) = &mc.vary.last_mile_cost_scale {
                        s.last_mile_cost_scale = row_precision(s.last_mile_cost_scale * draw(5, d));
                    }
                    out.push(s);
                }
            }
        }
    }
    let width = 5.max(out.len().to_string().len());
    out.into_iter()
        .enumerate()
        .map(|(i, s)| {
            let id = format!("s{:0width$}", i + 1);
            s.check().map_err(|m| format!("scenario {id}: {m}"))?;
            Ok((id, s))
        })
        .collect()
}

fn grid_points(base: &Scenario, g: &Grid) -> Vec<Scenario> {
    let mut pts = vec![base.clone()];
    fn vary<T: Clone>(
        pts: Vec<Scenario>,
        vals: &Option<Vec<T>>,
        set: impl Fn(&mut Scenario, T),
    ) -> Vec<Scenario> {
        match vals {
            None => pts,
            Some(vs) => pts
                .into_iter()
                .flat_map(|p| {
                    vs.iter()
                        .map(|v| {
                            let mut q = p.clone();
                            set(&mut q, v.clone());
                            q
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        }
    }
    pts = vary(pts, &g.mode, |s, v| s.mode = v);
    pts = vary(pts, &g.target_households, |s, v| {
        s.target_households = Some(v)
    });
    pts = vary(pts, &g.budget_kzt, |s, v| s.budget_kzt = Some(v));
    pts = vary(pts, &g.coverage_share, |s, v| s.coverage_share = Some(v));
    pts = vary(pts, &g.corridor_cost_scale, |s, v| {
        s.corridor_cost_scale = v
    });
    pts = vary(pts, &g.fwa_cost_scale, |s, v| s.fwa_cost_scale = v);
    pts = vary(pts, &g.satellite_cost_scale, |s, v| {
        s.satellite_cost_scale = v
    });
    pts = vary(pts, &g.take_up_pct, |s, v| s.take_up_pct = Some(v));
    pts = vary(pts, &g.last_mile_cost_scale, |s, v| {
        s.last_mile_cost_scale = v
    });
    pts = vary(pts, &g.seed, |s, v| s.seed = v);
    pts
}

/// SplitMix64 of `seed ^ counter`, as a float in [0, 1).
fn unit(seed: u64, counter: u64) -> f64 {
    let mut z = seed.wrapping_add(counter.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// 128-bit FNV-1a over the parts (each prefixed by its length), as 32 hex digits. Keys
/// results to their exact inputs; not a cryptographic hash.
pub fn content_key(parts: &[&[u8]]) -> String {
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for p in parts {
        for b in (p.len() as u64).to_le_bytes().iter().chain(p.iter()) {
            h ^= *b as u128;
            h = h.wrapping_mul(PRIME);
        }
    }
    format!("{h:032x}")
}

/// The header of `results.csv`.
pub const RESULTS_HEADER: &str = "scenario_id,mode,target_households,budget_kzt,coverage_target,corridor_cost_scale,\
fwa_cost_scale,satellite_cost_scale,take_up_pct,last_mile_cost_scale,seed,households_fibre,villages_fibre,households_fwa,villages_fwa,\
households_satellite,villages_satellite,coverage_share,new_fibre_km,cost_fibre_kzt,cost_fwa_kzt,\
cost_satellite_kzt,cost_total_kzt,cost_per_household_kzt,target_met,phase_spend_kzt,villages_unphased,solver_objective,solver_gap_pct";

/// One line of `results.csv` (no newline) for a solved scenario. `take_up_pct`: the take-up
/// the last mile was priced at (the scenario's, else the last-mile model's); `None` at the
/// flat household price, where take-up plays no part (the column is empty, as is
/// `last_mile_cost_scale`'s, which scales only the designs' prices).
pub fn result_row(id: &str, s: &Scenario, plan: &Plan, take_up_pct: Option<f64>) -> String {
    let m = &plan.summary;
    let opt = |x: Option<String>| x.unwrap_or_default();
    let served = m.households_fibre + m.households_fwa + m.households_satellite;
    let per_hh = if served > 0 {
        m.cost_total_kzt / served as i64
    } else {
        0
    };
    let met = m.target_met();
    [
        id.to_string(),
        s.mode.as_str().to_string(),
        opt(m.objective.target_households().map(|x| x.to_string())),
        opt(m.objective.budget_kzt().map(|x| x.to_string())),
        opt(m.objective.coverage_share().map(|x| format!("{x:.4}"))),
        format!("{:.4}", s.corridor_cost_scale),
        format!("{:.4}", s.fwa_cost_scale),
        format!("{:.4}", s.satellite_cost_scale),
        opt(take_up_pct.map(|t| format!("{t:.4}"))),
        opt(take_up_pct.map(|_| format!("{:.4}", s.last_mile_cost_scale))),
        s.seed.to_string(),
        m.households_fibre.to_string(),
        m.villages_fibre.to_string(),
        m.households_fwa.to_string(),
        m.villages_fwa.to_string(),
        m.households_satellite.to_string(),
        m.villages_satellite.to_string(),
        format!("{:.6}", m.coverage_share),
        format!("{:.3}", m.new_fibre_km),
        m.cost_fibre_kzt().to_string(),
        m.cost_fwa_kzt.to_string(),
        m.cost_satellite_kzt.to_string(),
        m.cost_total_kzt.to_string(),
        per_hh.to_string(),
        met.to_string(),
        m.phases
            .iter()
            .map(|(y, k)| format!("{y}:{k}"))
            .collect::<Vec<_>>()
            .join(";"),
        m.villages_unphased.to_string(),
        m.solver_objective.to_string(),
        opt(m.gap_pct().map(|g| format!("{g:.3}"))),
    ]
    .join(",")
}

/// A drawn scale (or take-up) kept to the 4 decimals that `results.csv` prints, so that `fiberplan plan`
/// given a row's figures solves exactly that row's scenario.
fn row_precision(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;
    use fiberplan_model::{MonteCarlo, Vary};

    fn file(grid: Option<Grid>, mc: Option<MonteCarlo>) -> ScenarioFile {
        ScenarioFile {
            inputs: Default::default(),
            scenario: Scenario::quota(10),
            grid,
            monte_carlo: mc,
        }
    }

    #[test]
    fn grid_is_a_cartesian_product_last_key_fastest() {
        let g = Grid {
            target_households: Some(vec![1, 2]),
            corridor_cost_scale: Some(vec![1.0, 1.5, 2.0]),
            ..Default::default()
        };
        let s = expand(&file(Some(g), None)).unwrap();
        assert_eq!(s.len(), 6);
        assert_eq!(s[0].0, "s00001");
        let got: Vec<(u64, f64)> = s
            .iter()
            .map(|(_, x)| (x.target_households.unwrap(), x.corridor_cost_scale))
            .collect();
        assert_eq!(
            got,
            vec![(1, 1.0), (1, 1.5), (1, 2.0), (2, 1.0), (2, 1.5), (2, 2.0)]
        );
    }

    #[test]
    fn monte_carlo_draws_are_seeded_and_in_range() {
        let mc = MonteCarlo {
            samples: 200,
            seed: 7,
            vary: Vary {
                corridor_cost_scale: Some(Distribution::Triangular {
                    min: 0.8,
                    mode: 1.0,
                    max: 1.5,
                }),
                ..Default::default()
            },
        };
        let a = expand(&file(None, Some(mc.clone()))).unwrap();
        let b = expand(&file(None, Some(mc))).unwrap();
        assert_eq!(a, b);
        let xs: Vec<f64> = a.iter().map(|(_, s)| s.corridor_cost_scale).collect();
        assert!(xs.iter().all(|x| (0.8..=1.5).contains(x)));
        // Mean of a triangular (0.8, 1.0, 1.5) is 1.1.
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 1.1).abs() < 0.03, "{mean}");
        assert_eq!(
            xs.iter().filter(|x| **x == xs[0]).count(),
            1,
            "draws differ"
        );
    }

    #[test]
    fn take_up_is_a_grid_key_and_a_direct_draw() {
        let g = Grid {
            corridor_cost_scale: Some(vec![1.0, 2.0]),
            take_up_pct: Some(vec![35.0, 70.0]),
            ..Default::default()
        };
        let s = expand(&file(Some(g), None)).unwrap();
        let got: Vec<(f64, Option<f64>)> = s
            .iter()
            .map(|(_, x)| (x.corridor_cost_scale, x.take_up_pct))
            .collect();
        assert_eq!(
            got,
            vec![
                (1.0, Some(35.0)),
                (1.0, Some(70.0)),
                (2.0, Some(35.0)),
                (2.0, Some(70.0))
            ]
        );
        let mc = MonteCarlo {
            samples: 100,
            seed: 3,
            vary: Vary {
                take_up_pct: Some(Distribution::Uniform {
                    min: 40.0,
                    max: 90.0,
                }),
                ..Default::default()
            },
        };
        let s = expand(&file(None, Some(mc))).unwrap();
        let t: Vec<f64> = s.iter().map(|(_, x)| x.take_up_pct.unwrap()).collect();
        assert!(t.iter().all(|x| (40.0..=90.0).contains(x)), "{t:?}");
        // Kept to the 4 decimals results.csv prints.
        assert!(t
            .iter()
            .all(|x| format!("{x:.4}").parse::<f64>().unwrap() == *x));
    }

    #[test]
    fn last_mile_cost_scale_is_a_grid_key_and_a_factor_draw() {
        let g = Grid {
            last_mile_cost_scale: Some(vec![0.5, 2.0]),
            ..Default::default()
        };
        let s = expand(&file(Some(g), None)).unwrap();
        let got: Vec<f64> = s.iter().map(|(_, x)| x.last_mile_cost_scale).collect();
        assert_eq!(got, vec![0.5, 2.0]);
        let mc = MonteCarlo {
            samples: 50,
            seed: 5,
            vary: Vary {
                last_mile_cost_scale: Some(Distribution::Uniform { min: 0.9, max: 1.2 }),
                ..Default::default()
            },
        };
        let s = expand(&file(None, Some(mc))).unwrap();
        let t: Vec<f64> = s.iter().map(|(_, x)| x.last_mile_cost_scale).collect();
        assert!(t.iter().all(|x| (0.9..=1.2).contains(x)), "{t:?}");
        // Other factors are not drawn.
        assert!(s.iter().all(|(_, x)| x.corridor_cost_scale == 1.0));
        assert!(t
            .iter()
            .all(|x| format!("{x:.4}").parse::<f64>().unwrap() == *x));
    }

    #[test]
    fn keys_change_with_any_part() {
        let k = content_key(&[b"abc", b"d"]);
        assert_eq!(k.len(), 32);
        assert_ne!(k, content_key(&[b"ab", b"cd"]));
        assert_ne!(k, content_key(&[b"abc", b"e"]));
        assert_eq!(k, content_key(&[b"abc", b"d"]));
    }
}
