//! Which premises and streets each village's design starts from.
//!
//! Premises (from [`crate::premises::premises_from_buildings`] over the whole extract) go
//! to the nearest village centre within `premises.village_radius_m`. Then, per village:
//! - the mapped buildings are used when the village's household figure is imputed and at
//!   least one dwelling is mapped, or when their households reach `min_mapped_share_pct`
//!   of the figure; a real figure above the mapped households adds modelled premises for
//!   the difference along the streets (flagged `modelled`);
//! - otherwise the village is modelled: premises along its OSM streets within the radius,
//!   or, without enough street, a generated layout (see [`crate::layout`]).
//!
//! Streets: the extract's road ways with a node within the premises' extent plus
//! `premises.street_margin_m`. A street has poles when a power line (`power=line` or
//! `minor_line`) runs within 25 m of most of its nodes.

use crate::layout::{generated_layout, premises_along_streets};
use crate::local::Local;
use crate::premises::{assign_to_villages, Premise};
use crate::street_graph::Street;
use crate::trench::VillageInput;
use fiberplan_model::last_mile::LastMileModel;
use fiberplan_model::LonLat;
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

/// A village as the plan knows it.
#[derive(Clone, Debug)]
pub struct VillageFacts {
    pub id: String,
    pub centre: LonLat,
    /// The village's own household figure.
    pub households: u64,
    /// That figure was imputed.
    pub imputed: bool,
}

/// Where a village's premises came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PremiseSource {
    /// Mapped buildings only.
    Buildings,
    /// Mapped buildings plus modelled premises up to the village's figure.
    BuildingsAndModel,
    /// Modelled along the village's OSM streets.
    Streets,
    /// Modelled on a generated layout.
    Generated,
}

impl PremiseSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PremiseSource::Buildings => "buildings",
            PremiseSource::BuildingsAndModel => "buildings+model",
            PremiseSource::Streets => "model_on_streets",
            PremiseSource::Generated => "model_generated",
        }
    }
}

/// What the premise count rests on, reported beside the village's own figure.
#[derive(Clone, Debug, PartialEq)]
pub struct PremiseReport {
    pub declared_households: u64,
    pub declared_imputed: bool,
    /// Households of the mapped buildings assigned to the village.
    pub building_households: u64,
    /// Households the design uses.
    pub design_households: u64,
    pub source: PremiseSource,
}

/// An OSM street way before it is tied to a village.
#[derive(Clone, Debug)]
pub struct RoadWay {
    pub coords: Vec<LonLat>,
    pub nodes: Vec<i64>,
    pub class: String,
}

/// The design inputs of `villages`, in their order, with each premise report.
pub fn village_inputs(
    villages: &[VillageFacts],
    premises: &[Premise],
    roads: &[RoadWay],
    power_lines: &[Vec<LonLat>],
    model: &LastMileModel,
) -> Vec<(VillageInput, PremiseReport)> {
    let rules = &model.premises;
    let centres: Vec<LonLat> = villages.iter().map(|v| v.centre).collect();
    let points: Vec<LonLat> = premises.iter().map(|p| p.lonlat).collect();
    let owner = assign_to_villages(&points, &centres, rules.village_radius_m);
    let mut mine: Vec<Vec<Premise>> = vec![Vec::new(); villages.len()];
    for (p, o) in premises.iter().zip(owner) {
        if let Some(v) = o {
            mine[v].push(p.clone());
        }
    }
    let origin = centres.first().copied().unwrap_or([0.0, 0.0]);
    let local = Local::new(origin);
    // Roads indexed by their segments.
    let road_tree: RTree<GeomWithData<Line<[f64; 2]>, usize>> = RTree::bulk_load(
        roads
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                r.coords
                    .windows(2)
                    .map(move |w| (i, w[0], w[1]))
                    .collect::<Vec<_>>()
            })
            .map(|(i, a, b)| GeomWithData::new(Line::new(local.xy(a), local.xy(b)), i))
            .collect(),
    );
    let power_tree: RTree<Line<[f64; 2]>> = RTree::bulk_load(
        power_lines
            .iter()
            .flat_map(|l| {
                l.windows(2)
                    .map(|w| Line::new(local.xy(w[0]), local.xy(w[1])))
                    .collect::<Vec<_>>()
            })
            .collect(),
    );
    let has_poles = |r: &RoadWay| {
        let near = r
            .coords
            .iter()
            .filter(|p| {
                let q = local.xy(**p);
                power_tree
                    .locate_within_distance(q, 25.0 * 25.0)
                    .next()
                    .is_some()
            })
            .count();
        near * 2 > r.coords.len()
    };
    villages
        .iter()
        .zip(mine)
        .map(|(v, mapped)| {
            let building_households: u64 = mapped.iter().map(|p| p.households as u64).sum();
            let enough = building_households > 0
                && (v.imputed
                    || building_households as f64 * 100.0
                        >= model.layout.min_mapped_share_pct * v.households as f64);
            // The extent streets are taken from.
            let c = local.xy(v.centre);
            let (lo, hi) = if enough {
                let mut lo = c;
                let mut hi = c;
                for p in &mapped {
                    let q = local.xy(p.lonlat);
                    lo = [lo[0].min(q[0]), lo[1].min(q[1])];
                    hi = [hi[0].max(q[0]), hi[1].max(q[1])];
                }
                let m = rules.street_margin_m;
                ([lo[0] - m, lo[1] - m], [hi[0] + m, hi[1] + m])
            } else {
                let r = rules.village_radius_m;
                ([c[0] - r, c[1] - r], [c[0] + r, c[1] + r])
            };
            let mut ids: Vec<usize> = road_tree
                .locate_in_envelope_intersecting(&rstar::AABB::from_corners(lo, hi))
                .map(|s| s.data)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let streets: Vec<Street> = ids
                .into_iter()
                .map(|i| Street {
                    coords: roads[i].coords.clone(),
                    nodes: roads[i].nodes.clone(),
                    class: roads[i].class.clone(),
                    poles: has_poles(&roads[i]),
                })
                .collect();
            let (premises, streets, source) = if enough {
                let deficit = if v.imputed {
                    0
                } else {
                    v.households.saturating_sub(building_households) as usize
                };
                let mut ps = mapped;
                let mut source = PremiseSource::Buildings;
                if deficit > 0 && !streets.is_empty() {
                    if let Some(extra) = premises_along_streets(
                        &streets,
                        v.centre,
                        deficit,
                        rules.village_radius_m,
                        &model.layout,
                    ) {
                        ps.extend(extra);
                        source = PremiseSource::BuildingsAndModel;
                    }
                }
                (ps, streets, source)
            } else {
                let n = v.households as usize;
                match premises_along_streets(
                    &streets,
                    v.centre,
                    n,
                    rules.village_radius_m,
                    &model.layout,
                ) {
                    Some(ps) if !streets.is_empty() => (ps, streets, PremiseSource::Streets),
                    _ => {
                        let (s, p) = generated_layout(v.centre, n, &model.layout);
                        (p, s, PremiseSource::Generated)
                    }
                }
            };
            let design_households = premises.iter().map(|p| p.households as u64).sum();
            (
                VillageInput {
                    id: v.id.clone(),
                    feed: v.centre,
                    premises,
                    streets,
                },
                PremiseReport {
                    declared_households: v.households,
                    declared_imputed: v.imputed,
                    building_households,
                    design_households,
                    source,
                },
            )
        })
        .collect()
}

/// [`village_inputs`] from an extract: its road ways are the streets, its power lines the
/// pole lines, `buildings` (read from the same extract) the premises.
pub fn from_osm(
    osm: &fiberplan_model::osm::OsmData,
    villages: &[VillageFacts],
    buildings: &[fiberplan_model::last_mile::Building],
    model: &LastMileModel,
) -> (
    Vec<(VillageInput, PremiseReport)>,
    crate::premises::PremiseCount,
) {
    use fiberplan_model::osm::OsmWayKind;
    let premises = crate::premises::premises_from_buildings(buildings, &model.premises);
    let roads: Vec<RoadWay> = osm
        .ways
        .iter()
        .filter(|w| w.kind == OsmWayKind::Road)
        .map(|w| RoadWay {
            coords: w.coords.clone(),
            nodes: w.nodes.clone(),
            class: w.class.clone(),
        })
        .collect();
    let power: Vec<Vec<LonLat>> = osm
        .ways
        .iter()
        .filter(|w| w.kind == OsmWayKind::PowerLine)
        .map(|w| w.coords.clone())
        .collect();
    (
        village_inputs(villages, &premises.premises, &roads, &power, model),
        premises,
    )
}
