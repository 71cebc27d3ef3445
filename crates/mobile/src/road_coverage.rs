//! Road coverage, start to end: segments, candidates, coverage sets with the radio
//! engine, siting as a weighted partial set cover, then the received level of every
//! segment under the chosen and existing sites (which is what the outputs report, so the
//! reported share is recomputed from the sites, not taken from the solver).

use crate::candidates::{existing, new_site, Candidate, CostOverflow, Kind, Settlements, Spacing};
use crate::radio_link::{ProfileFn, Radio, Transmitter};
use crate::roads::RoadClass;
use crate::sample::{segments, Road, Segment};
use fiberplan_cover::{CoverError, Instance, Options, Solution};
use fiberplan_model::mobile::{ExistingSite, MobileModel};
use fiberplan_model::LonLat;
use fiberplan_network::geodesy::distance_m;
use fiberplan_radio::coverage::PointIndex;

/// Elevation above sea level at a point, m (`None` off the DEM).
pub type ElevationFn<'a> = dyn Fn(LonLat) -> Option<f64> + Sync + 'a;

/// What a road-coverage run needs.
pub struct RoadInput<'a> {
    pub roads: Vec<Road>,
    pub existing: &'a [ExistingSite],
    /// Settlements: village candidates and power lines.
    pub settlements: &'a [LonLat],
    pub model: &'a MobileModel,
    pub radio: &'a Radio,
    pub sample_m: f64,
    /// Share of road metres to cover, (0, 1].
    pub target_share: f64,
    /// With a DEM: high-ground candidates.
    pub elevation: Option<&'a ElevationFn<'a>>,
    pub profile: &'a ProfileFn<'a>,
    pub options: Options,
}

/// Why a run fails.
#[derive(Debug, thiserror::Error)]
pub enum MobileError {
    #[error(transparent)]
    Cost(#[from] CostOverflow),
    #[error("set cover: {0}")]
    Cover(#[from] CoverError),
    #[error("{0}")]
    Input(String),
}

/// The result of a road-coverage run.
pub struct RoadCoverage {
    pub roads: Vec<Road>,
    pub segments: Vec<Segment>,
    pub candidates: Vec<Candidate>,
    /// Per candidate, the segments it covers.
    pub sets: Vec<Vec<u32>>,
    /// Candidates on air after the plan (existing with the technology, and the chosen).
    pub on_air: Vec<usize>,
    pub solution: Solution,
    /// The weight the solver was asked to cover, m (the target, or all that is coverable).
    pub target_m: u64,
    /// Best level at every segment's midpoint under the sites on air.
    pub best_dbm: Vec<Option<f64>>,
    pub covered: Vec<bool>,
}

impl RoadCoverage {
    pub fn road_m(&self) -> u64 {
        self.segments.iter().map(|s| s.metres).sum()
    }
    pub fn covered_m(&self) -> u64 {
        self.segments
            .iter()
            .zip(&self.covered)
            .filter(|(_, c)| **c)
            .map(|(s, _)| s.metres)
            .sum()
    }
    /// Road and covered metres by class.
    pub fn by_class(&self) -> Vec<(RoadClass, u64, u64)> {
        RoadClass::ALL
            .iter()
            .map(|&c| {
                let (mut all, mut cov) = (0, 0);
                for (s, covered) in self.segments.iter().zip(&self.covered) {
                    if self.roads[s.road].class == c {
                        all += s.metres;
                        if *covered {
                            cov += s.metres;
                        }
                    }
                }
                (c, all, cov)
            })
            .collect()
    }
}

/// Candidate sites for the roads (see [`crate::candidates`]).
pub fn road_candidates(
    roads: &[Road],
    segs: &[Segment],
    inp: &RoadInput<'_>,
    settlements: &Settlements,
) -> Result<Vec<Candidate>, MobileError> {
    let rules = &inp.model.candidates;
    let spacing = rules.road_spacing_km * 1000.0;
    let h = rules.mast_height_m;
    let mut out: Vec<Candidate> = inp
        .existing
        .iter()
        .map(|s| existing(s, &inp.radio.budget.technology, inp.model))
        .collect();
    let mut keep = Spacing::new(spacing / 2.0);
    let mut road_pts = Vec::new();
    // Along each road: the midpoint of the segment where each spacing step falls.
    let mut along = 0.0;
    let mut last_road = usize::MAX;
    for s in segs {
        if s.road != last_road {
            last_road = s.road;
            along = spacing / 2.0;
        }
        let before = along;
        along -= s.metres as f64;
        if before > 0.0 && along <= 0.0 {
            along += spacing;
            if keep.try_keep(s.mid) {
                road_pts.push((s.mid, roads[s.road].id.clone()));
            }
        }
    }
    for (k, (p, road)) in road_pts.iter().enumerate() {
        out.push(new_site(
            format!("road:{road}:{k}"),
            *p,
            h,
            Kind::Road,
            settlements,
            inp.model,
        )?);
    }
    // Settlements near the roads.
    let mids: Vec<LonLat> = segs.iter().map(|s| s.mid).collect();
    let index = PointIndex::new(&mids);
    let mut near_keep = Spacing::new(500.0);
    for (k, v) in settlements.points().iter().enumerate() {
        if !index.within(*v, rules.village_max_km * 1000.0).is_empty() && near_keep.try_keep(*v) {
            out.push(new_site(
                format!("village:{k}"),
                *v,
                h,
                Kind::Village,
                settlements,
                inp.model,
            )?);
        }
    }
    // High ground near each road candidate.
    if let Some(elev) = inp.elevation {
        let r = rules.high_ground_radius_km * 1000.0;
        let step = 250.0;
        let n = (r / step).floor() as i64;
        for (k, (p, road)) in road_pts.iter().enumerate() {
            let Some(z0) = elev(*p) else { continue };
            let dlat = (
                step / 111_132.0,
                step / (111_320.0 * p[1].to_radians().cos()),
            );
            let mut best: Option<(f64, LonLat)> = None;
            for i in -n..=n {
                for j in -n..=n {
                    let q = [p[0] + j as f64 * dlat.1, p[1] + i as f64 * dlat.0];
                    if distance_m(*p, q) > r {
                        continue;
                    }
                    if let Some(z) = elev(q) {
                        if best.is_none_or(|b| z > b.0) {
                            best = Some((z, q));
                        }
                    }
                }
            }
            if let Some((z, q)) = best {
                if z - z0 >= rules.high_ground_min_gain_m {
                    out.push(new_site(
                        format!("high:{road}:{k}"),
                        q,
                        h,
                        Kind::HighGround,
                        settlements,
                        inp.model,
                    )?);
                }
            }
        }
    }
    Ok(out)
}

/// The set-cover instance of candidates and segments.
pub fn instance(
    cands: &[Candidate],
    segs: &[Segment],
    sets: &[Vec<u32>],
    target_m: u64,
) -> Instance {
    Instance {
        costs: cands.iter().map(|c| c.cost_kzt().max(0) as u64).collect(),
        weights: segs.iter().map(|s| s.metres).collect(),
        sets: sets.to_vec(),
        target: target_m,
    }
}

/// Target metres: `ceil(share x road metres)`, at most what the candidates can cover.
pub fn target_metres(segs: &[Segment], sets: &[Vec<u32>], share: f64) -> (u64, u64) {
    let road_m: u64 = segs.iter().map(|s| s.metres).sum();
    let mut coverable = vec![false; segs.len()];
    for s in sets {
        for &i in s {
            coverable[i as usize] = true;
        }
    }
    let coverable_m: u64 = segs
        .iter()
        .zip(&coverable)
        .filter(|(_, c)| **c)
        .map(|(s, _)| s.metres)
        .sum();
    let want = (share * road_m as f64).ceil() as u64;
    (want.min(coverable_m), want)
}

/// The transmitter of a candidate site.
fn transmitter(c: &Candidate) -> Transmitter {
    Transmitter {
        lonlat: c.lonlat,
        height_m: c.height_m,
    }
}

/// The transmitters of candidates.
pub fn transmitters(cands: &[Candidate]) -> Vec<Transmitter> {
    cands.iter().map(transmitter).collect()
}

/// The sites on air after a cover and what they give at every point.
pub struct OnAir {
    /// The chosen candidates and every existing one with the technology, ascending.
    pub on_air: Vec<usize>,
    /// Best level at every point under them.
    pub best_dbm: Vec<Option<f64>>,
    /// Level at least the threshold.
    pub covered: Vec<bool>,
}

/// Solve the cover, then measure the sites on air with the radio engine (what the outputs
/// report: the covered share is recomputed, not taken from the solver's sets).
pub fn site_and_measure(
    radio: &Radio,
    cands: &[Candidate],
    inst: &Instance,
    points: &[LonLat],
    index: &PointIndex,
    profile: &ProfileFn<'_>,
    options: &Options,
) -> Result<(Solution, OnAir), MobileError> {
    let solution = fiberplan_cover::solve(inst, options)?;
    let mut on_air: Vec<usize> = solution.chosen.iter().map(|&j| j as usize).collect();
    on_air.extend((0..cands.len()).filter(|&i| cands[i].kind == Kind::Existing));
    on_air.sort_unstable();
    on_air.dedup();
    let air: Vec<Transmitter> = on_air.iter().map(|&i| transmitter(&cands[i])).collect();
    let best_dbm = radio.best_levels(&air, points, index, profile);
    let t = radio.budget.threshold_dbm;
    let covered = best_dbm.iter().map(|b| b.is_some_and(|v| v >= t)).collect();
    Ok((
        solution,
        OnAir {
            on_air,
            best_dbm,
            covered,
        },
    ))
}

/// Plan road coverage.
pub fn plan_roads(inp: RoadInput<'_>) -> Result<RoadCoverage, MobileError> {
    if !(inp.target_share > 0.0 && inp.target_share <= 1.0) {
        return Err(MobileError::Input(format!(
            "--target {} is outside (0, 1]",
            inp.target_share
        )));
    }
    let segs = segments(&inp.roads, inp.sample_m);
    if segs.is_empty() {
        return Err(MobileError::Input("no road to cover".into()));
    }
    let settlements = Settlements::new(inp.settlements.to_vec());
    let cands = road_candidates(&inp.roads, &segs, &inp, &settlements)?;
    let mids: Vec<LonLat> = segs.iter().map(|s| s.mid).collect();
    let index = PointIndex::new(&mids);
    let txs = transmitters(&cands);
    let sets = inp.radio.cover_sets(&txs, &mids, &index, inp.profile);
    let (target_m, _) = target_metres(&segs, &sets, inp.target_share);
    let inst = instance(&cands, &segs, &sets, target_m);
    let (solution, air) = site_and_measure(
        inp.radio,
        &cands,
        &inst,
        &mids,
        &index,
        inp.profile,
        &inp.options,
    )?;
    let (on_air, best_dbm, covered) = (air.on_air, air.best_dbm, air.covered);
    Ok(RoadCoverage {
        roads: inp.roads,
        segments: segs,
        candidates: cands,
        sets,
        on_air,
        solution,
        target_m,
        best_dbm,
        covered,
    })
}
