//! Villages and points of presence from an extract's places and telecom lines.
//!
//! Villages: `place=village|hamlet` (and `isolated_dwelling` when read), nodes and closed
//! ways alike. Population from the tag (`fiberplan_model::population::parse_tolerant`:
//! separators dropped, `~500` is 500, a range `500-600` takes its lower bound); untagged
//! places get the median of the tagged places of the same type in the extract, or, when the
//! extract has none, [`DEFAULT_POPULATION`] of the type; both are flagged as imputed.
//!
//! Existing network, in order of preference (a user `--backbone` file overrides all, and is
//! the planner's business):
//! 1. `telecom=line` / `communication=line` ways of the extract: the real network;
//! 2. the extract's `place=city|town`: the declared proxy, as for the national data;
//! 3. neither: the most populous village by tag, or, when no place has a population tag,
//!    the place nearest the centroid of all places. The description says so.

use fiberplan_model::osm::{OsmData, OsmElement, OsmPlace, OsmWayKind};
use fiberplan_model::{Backbone, LonLat, Pop, PopSource, Village};
use std::collections::BTreeMap;

/// Population assumed for a place type when the extract has no tagged place of that type.
pub const DEFAULT_POPULATION: &[(&str, u64)] =
    &[("village", 500), ("hamlet", 50), ("isolated_dwelling", 5)];

/// How OSM places become villages.
#[derive(Clone, Debug)]
pub struct VillageOptions {
    /// People per household (default 3.5, as for the national data).
    pub household_size: f64,
    /// Take `place=isolated_dwelling` as villages (default off; the reader must keep them).
    pub include_isolated: bool,
}

impl Default for VillageOptions {
    fn default() -> Self {
        VillageOptions {
            household_size: 3.5,
            include_isolated: false,
        }
    }
}

/// The id a place gets as a village or point of presence: `node/123` or `way/123`.
pub fn place_id(p: &OsmPlace) -> String {
    match p.element {
        OsmElement::Node => format!("node/{}", p.id),
        OsmElement::Way => format!("way/{}", p.id),
    }
}

fn median(v: &mut [u64]) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}

/// Villages of the extract, in the order of `osm.places`.
pub fn villages_from_places(osm: &OsmData, opts: &VillageOptions) -> Vec<Village> {
    let is_village = |p: &str| {
        p == "village" || p == "hamlet" || (opts.include_isolated && p == "isolated_dwelling")
    };
    let mut tagged: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for p in osm.places.iter().filter(|p| is_village(&p.place)) {
        if let Some(n) = p.population {
            tagged.entry(&p.place).or_default().push(n);
        }
    }
    let medians: BTreeMap<&str, u64> = tagged
        .into_iter()
        .filter_map(|(k, mut v)| median(&mut v).map(|m| (k, m)))
        .collect();
    osm.places
        .iter()
        .filter(|p| is_village(&p.place))
        .map(|p| {
            let (population, imputed) = match p.population {
                Some(n) => (n, false),
                None => {
                    let m = medians.get(p.place.as_str()).copied().unwrap_or_else(|| {
                        DEFAULT_POPULATION
                            .iter()
                            .find(|d| d.0 == p.place)
                            .map_or(50, |d| d.1)
                    });
                    (m, true)
                }
            };
            Village {
                id: place_id(p),
                name: p.name.clone(),
                name_kk: p.name_kk.clone(),
                name_ru: p.name_ru.clone(),
                lonlat: p.lonlat,
                place: p.place.clone(),
                population,
                households: (population as f64 / opts.household_size).round() as u64,
                population_imputed: imputed,
                kato: String::new(),
                rural_okrug: String::new(),
                existing_fibre: None,
                district: None,
            }
        })
        .collect()
}

/// Which rule chose the points of presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceFallback {
    /// `telecom=line` / `communication=line` ways: the real network (no proxy).
    TelecomLines,
    /// Cities and towns of the extract (declared proxy).
    CitiesTowns,
    /// No telecom data, no city or town: the most populous village by tag.
    MostPopulousVillage,
    /// As above, but no place has a population tag: the place nearest the centroid.
    NearestCentroid,
    /// The extract has no places at all: no point of presence.
    Nothing,
}

/// The existing network of an extract with no user backbone (see the module rule).
/// The backbone's `description` says which rule applied and is meant to be shown.
pub fn backbone_from_osm(osm: &OsmData) -> (Backbone, PlaceFallback) {
    let lines: Vec<Vec<LonLat>> = osm
        .ways
        .iter()
        .filter(|w| w.kind == OsmWayKind::Telecom)
        .map(|w| w.coords.clone())
        .collect();
    if !lines.is_empty() {
        let km: f64 = lines.iter().map(|l| line_km(l)).sum();
        let description = format!(
            "existing telecom lines mapped in OpenStreetMap (telecom=line / communication=line): {} ways, {km:.1} km",
            lines.len()
        );
        return (
            Backbone {
                pops: vec![],
                lines,
                is_proxy: false,
                description,
            },
            PlaceFallback::TelecomLines,
        );
    }
    pops_from_places(&osm.places)
}

/// Points of presence from places alone: cities and towns, else one fallback village.
pub fn pops_from_places(places: &[OsmPlace]) -> (Backbone, PlaceFallback) {
    let pop = |p: &OsmPlace, source| Pop {
        id: place_id(p),
        name: p.name.clone(),
        lonlat: p.lonlat,
        source,
    };
    let pops: Vec<Pop> = places
        .iter()
        .filter_map(|p| match p.place.as_str() {
            "city" => Some(pop(p, PopSource::City)),
            "town" => Some(pop(p, PopSource::Town)),
            _ => None,
        })
        .collect();
    if !pops.is_empty() {
        let description = format!(
            "declared proxy: the extract's {} cities and towns are taken as points of presence (no telecom lines in the extract, no --backbone given)",
            pops.len()
        );
        return (
            Backbone {
                pops,
                lines: vec![],
                is_proxy: true,
                description,
            },
            PlaceFallback::CitiesTowns,
        );
    }
    if places.is_empty() {
        let description =
            "no point of presence: the extract has no telecom lines and no places".to_string();
        return (
            Backbone {
                pops,
                lines: vec![],
                is_proxy: true,
                description,
            },
            PlaceFallback::Nothing,
        );
    }
    // Most populous by tag; ties to the smaller id (nodes before ways).
    let best = places
        .iter()
        .filter_map(|p| p.population.map(|n| (n, p)))
        .max_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| (b.1.element, b.1.id).cmp(&(a.1.element, a.1.id)))
        });
    let (chosen, how) = match best {
        Some((n, p)) => (
            p,
            format!(
                "its most populous place, {} ({}, population {n})",
                label(p),
                p.place
            ),
        ),
        None => {
            let k = places.len() as f64;
            let c = [
                places.iter().map(|p| p.lonlat[0]).sum::<f64>() / k,
                places.iter().map(|p| p.lonlat[1]).sum::<f64>() / k,
            ];
            let p = places
                .iter()
                .min_by(|a, b| {
                    let (da, db) = (sq(a.lonlat, c), sq(b.lonlat, c));
                    da.total_cmp(&db)
                        .then_with(|| (a.element, a.id).cmp(&(b.element, b.id)))
                })
                .expect("places is not empty");
            (
                p,
                format!(
                    "the place nearest the centroid of all places, {} ({}; no population tags)",
                    label(p),
                    p.place
                ),
            )
        }
    };
    let fallback = if best.is_some() {
        PlaceFallback::MostPopulousVillage
    } else {
        PlaceFallback::NearestCentroid
    };
    let description = format!(
        "fallback: the extract has no telecom lines, cities or towns, so {how} is taken as the point of presence"
    );
    (
        Backbone {
            pops: vec![pop(chosen, PopSource::Fallback)],
            lines: vec![],
            is_proxy: true,
            description,
        },
        fallback,
    )
}

fn label(p: &OsmPlace) -> String {
    if p.name.is_empty() {
        place_id(p)
    } else {
        format!("{} ({})", p.name, place_id(p))
    }
}

/// Squared distance in degrees, with longitude scaled by cos(latitude): only for ranking.
fn sq(a: LonLat, b: LonLat) -> f64 {
    let k = ((a[1] + b[1]) / 2.0).to_radians().cos();
    ((a[0] - b[0]) * k).powi(2) + (a[1] - b[1]).powi(2)
}

fn line_km(l: &[LonLat]) -> f64 {
    use geo::{Distance, Geodesic, Point};
    l.windows(2)
        .map(|w| Geodesic.distance(Point::new(w[0][0], w[0][1]), Point::new(w[1][0], w[1][1])))
        .sum::<f64>()
        / 1000.0
}
