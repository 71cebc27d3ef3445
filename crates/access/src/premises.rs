//! Premises from OSM buildings: count dwellings, not sheds.
//!
//! Rules (figures from the model's [`PremiseRules`], documented in `data/last_mile.toml`):
//! 1. a building whose `building` value is an outbuilding tag (garage, shed, barn, ...) is
//!    left out;
//! 2. a mapped footprint under `min_footprint_m2` is left out (nodes have no footprint and
//!    are kept);
//! 3. one premise per plot: a building under `plot_share_max_m2` within
//!    `plot_share_radius_m` of a larger kept building shares that building's plot and is
//!    folded into it;
//! 4. apartment buildings (`apartments`, `dormitory`, or `residential` with 3 levels or
//!    more) hold `building:flats` households when tagged, else footprint x levels x 0.8 /
//!    `flat_area_m2` (at least 2), with `apartment_default_levels` when levels are untagged;
//!    every other premise is one household (a school or a shop is one connection too).
//!
//! Guards against mapping and reading slips: a footprint over half the Earth's surface is
//! the complement of the building's ring (a geodesic area taken on the wrong side of a
//! ring) and is read as the Earth's area minus it; `building:levels` over
//! [`MAX_LEVELS`] and `building:flats` over [`MAX_FLATS`] are ignored, and no premise
//! holds more than [`MAX_FLATS`] households.

use crate::local::Local;
use fiberplan_model::last_mile::{Building, PremiseRules};
use fiberplan_model::osm::OsmElement;
use fiberplan_model::LonLat;
use rstar::primitives::GeomWithData;
use rstar::RTree;

/// A building or modelled plot that gets one drop.
#[derive(Clone, Debug, PartialEq)]
pub struct Premise {
    pub lonlat: LonLat,
    /// Households (dwellings) in it: 1 for a house, more for an apartment building.
    pub households: u32,
    /// Placed by the layout model, not read from a mapped building.
    pub modelled: bool,
    /// The OSM building, when mapped.
    pub osm: Option<(OsmElement, i64)>,
}

/// What the rules kept and why the rest was left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PremiseCount {
    pub premises: Vec<Premise>,
    /// Buildings looked at.
    pub buildings: usize,
    /// Left out by their `building` value.
    pub outbuildings: usize,
    /// Left out by their footprint.
    pub too_small: usize,
    /// Folded into a larger building on the same plot.
    pub plot_shared: usize,
}

impl PremiseCount {
    /// Households of the premises.
    pub fn households(&self) -> u64 {
        self.premises.iter().map(|p| p.households as u64).sum()
    }
}

/// Surface of the WGS84 ellipsoid, m² (GeographicLib's `Geodesic::WGS84().EllipsoidArea()`).
pub const EARTH_AREA_M2: f64 = 510_065_621_724_088.5;

/// More levels than any building has (the tallest have about 160): a tagging slip.
pub const MAX_LEVELS: u32 = 200;

/// More flats than one building plausibly holds: a tagging slip, and the most households
/// one premise is given.
pub const MAX_FLATS: u32 = 5_000;

/// A building's footprint, m²: the reader's figure, or the Earth's area minus it when it
/// exceeds half the Earth (the area outside the ring, not inside).
pub fn footprint_m2(b: &Building) -> f64 {
    if b.footprint_m2 > EARTH_AREA_M2 / 2.0 {
        (EARTH_AREA_M2 - b.footprint_m2).max(0.0)
    } else {
        b.footprint_m2
    }
}

/// Households of one kept building (rule 4).
pub fn households_of(b: &Building, rules: &PremiseRules) -> u32 {
    let levels = b.levels.filter(|&l| l <= MAX_LEVELS).unwrap_or(0);
    let apartments = matches!(b.tag.as_str(), "apartments" | "dormitory")
        || (b.tag == "residential" && levels >= 3);
    if !apartments {
        return 1;
    }
    if let Some(f) = b.flats.filter(|&f| f > 0 && f <= MAX_FLATS) {
        return f;
    }
    let levels = if levels == 0 {
        rules.apartment_default_levels
    } else {
        levels
    };
    let flats = (footprint_m2(b) * levels as f64 * 0.8 / rules.flat_area_m2).floor();
    (flats as u32).clamp(2, MAX_FLATS)
}

/// The premises among `buildings` (rules 1-4), in the buildings' order.
pub fn premises_from_buildings(buildings: &[Building], rules: &PremiseRules) -> PremiseCount {
    let mut count = PremiseCount {
        buildings: buildings.len(),
        ..PremiseCount::default()
    };
    let mut kept: Vec<usize> = Vec::new();
    for (i, b) in buildings.iter().enumerate() {
        if rules.outbuilding_tags.contains(&b.tag) {
            count.outbuildings += 1;
        } else if b.element == OsmElement::Way && footprint_m2(b) < rules.min_footprint_m2 {
            count.too_small += 1;
        } else {
            kept.push(i);
        }
    }
    let Some(first) = kept.first() else {
        return count;
    };
    let local = Local::new(buildings[*first].centroid);
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        kept.iter()
            .map(|&i| GeomWithData::new(local.xy(buildings[i].centroid), i))
            .collect(),
    );
    let r2 = rules.plot_share_radius_m * rules.plot_share_radius_m;
    for &i in &kept {
        let b = &buildings[i];
        // Rule 3: a small way building next to a larger one is part of its plot.
        let shares = b.element == OsmElement::Way
            && footprint_m2(b) < rules.plot_share_max_m2
            && tree
                .locate_within_distance(local.xy(b.centroid), r2)
                .any(|o| {
                    let other = &buildings[o.data];
                    o.data != i
                        && other.element == OsmElement::Way
                        && (footprint_m2(other), std::cmp::Reverse(o.data))
                            > (footprint_m2(b), std::cmp::Reverse(i))
                });
        if shares {
            count.plot_shared += 1;
            continue;
        }
        count.premises.push(Premise {
            lonlat: b.centroid,
            households: households_of(b, rules),
            modelled: false,
            osm: Some((b.element, b.osm_id)),
        });
    }
    count
}

/// The village each point belongs to: the nearest centre within `radius_m`, else `None`.
/// Ties go to the lower index.
pub fn assign_to_villages(
    points: &[LonLat],
    centres: &[LonLat],
    radius_m: f64,
) -> Vec<Option<usize>> {
    if centres.is_empty() {
        return vec![None; points.len()];
    }
    let local = Local::new(centres[0]);
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        centres
            .iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new(local.xy(*c), i))
            .collect(),
    );
    points
        .iter()
        .map(|p| {
            let xy = local.xy(*p);
            let mut best: Option<(f64, usize)> = None;
            for c in tree.nearest_neighbor_iter_with_distance_2(&xy) {
                if let Some((d, _)) = best {
                    if c.1 > d + 1e-6 {
                        break;
                    }
                }
                let cand = (c.1, c.0.data);
                if best
                    .is_none_or(|b| cand.0 < b.0 - 1e-6 || (cand.0 <= b.0 + 1e-6 && cand.1 < b.1))
                {
                    best = Some(cand);
                }
            }
            best.filter(|&(_, i)| crate::local::distance_m(*p, centres[i]) <= radius_m)
                .map(|(_, i)| i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> PremiseRules {
        PremiseRules {
            outbuilding_tags: vec!["garage".into(), "shed".into(), "barn".into()],
            min_footprint_m2: 35.0,
            plot_share_max_m2: 60.0,
            plot_share_radius_m: 25.0,
            flat_area_m2: 70.0,
            apartment_default_levels: 3,
            village_radius_m: 1500.0,
            street_margin_m: 200.0,
        }
    }

    fn b(id: i64, tag: &str, at: LonLat, m2: f64) -> Building {
        Building {
            osm_id: id,
            element: OsmElement::Way,
            tag: tag.into(),
            centroid: at,
            footprint_m2: m2,
            levels: None,
            flats: None,
        }
    }

    #[test]
    fn sheds_small_footprints_and_shared_plots_are_not_premises() {
        // 1e-4 degrees of longitude at 45 N is about 7.9 m.
        let bs = vec![
            b(1, "house", [70.0, 45.0], 100.0),
            b(2, "yes", [70.0001, 45.0], 40.0), // 7.9 m from house 1: same plot
            b(3, "garage", [70.001, 45.0], 80.0),
            b(4, "yes", [70.002, 45.0], 20.0), // too small
            b(5, "yes", [70.003, 45.0], 45.0), // alone: a small house
            b(6, "apartments", [70.004, 45.0], 500.0),
        ];
        let c = premises_from_buildings(&bs, &rules());
        assert_eq!(c.outbuildings, 1);
        assert_eq!(c.too_small, 1);
        assert_eq!(c.plot_shared, 1);
        let ids: Vec<i64> = c.premises.iter().map(|p| p.osm.unwrap().1).collect();
        assert_eq!(ids, vec![1, 5, 6]);
        // 500 m2 x 3 levels x 0.8 / 70 = 17.1 -> 17 flats.
        assert_eq!(c.premises[2].households, 17);
        assert_eq!(c.households(), 19);
    }

    #[test]
    fn tagged_flats_win_over_the_footprint_estimate() {
        let mut a = b(1, "apartments", [70.0, 45.0], 500.0);
        a.flats = Some(40);
        assert_eq!(households_of(&a, &rules()), 40);
        a.flats = None;
        a.levels = Some(5);
        // 500 x 5 x 0.8 / 70 = 28.6 -> 28
        assert_eq!(households_of(&a, &rules()), 28);
    }

    #[test]
    fn slips_in_footprints_levels_and_flats_are_caught() {
        // Way 51921997 of the Almaty extract: an apartment block read as 510,065,621,723,600.5
        // m², the Earth outside its ring; inside: 488 m² -> 488 x 3 x 0.8 / 70 = 16.7 -> 16.
        let mut a = b(
            51921997,
            "apartments",
            [76.8459, 43.2202],
            510_065_621_723_600.5,
        );
        assert!(
            (footprint_m2(&a) - 488.0).abs() < 0.01,
            "{}",
            footprint_m2(&a)
        );
        assert_eq!(households_of(&a, &rules()), 16);
        a.footprint_m2 = 500.0;
        // 9,999 levels: ignored, 3 by default -> 17.
        a.levels = Some(9_999);
        assert_eq!(households_of(&a, &rules()), 17);
        // u32::MAX flats: ignored -> 17; 5,000 flats are taken.
        a.flats = Some(u32::MAX);
        assert_eq!(households_of(&a, &rules()), 17);
        a.flats = Some(5_000);
        assert_eq!(households_of(&a, &rules()), 5_000);
        // A vast footprint is capped at 5,000 households.
        a.flats = None;
        a.footprint_m2 = 2.0e8;
        assert_eq!(households_of(&a, &rules()), MAX_FLATS);
        // The complement also decides rules 2 and 3: a 20 m² shed read as the Earth minus
        // 20 m² is too small.
        let shed = b(7, "yes", [70.0, 45.0], EARTH_AREA_M2 - 20.0);
        assert_eq!(premises_from_buildings(&[shed], &rules()).too_small, 1);
    }

    #[test]
    fn points_go_to_the_nearest_centre_within_the_radius() {
        let centres = [[70.0, 45.0], [70.1, 45.0]];
        let pts = [[70.01, 45.0], [70.09, 45.0], [70.05, 46.0]];
        assert_eq!(
            assign_to_villages(&pts, &centres, 1500.0),
            vec![Some(0), Some(1), None]
        );
    }
}
