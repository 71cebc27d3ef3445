//! 5G in a city: new sites so that a target share of the city's area (a 50 m grid of
//! cell centres clipped to the polygon) reaches the NR threshold, against hexagonal cell
//! dimensioning of the same link budget: `hex_sites = ceil(target x area / (1.95 R^2))`
//! for three-sector sites of cell range R.
//!
//! Grid and lattice points inside the polygon come from a scanline per row (even-odd
//! rule, so holes and several parts work), not a point-in-polygon test per point.

use crate::candidates::{existing, Candidate, Kind, Power};
use crate::radio_link::Radio;
use crate::road_coverage::{site_and_measure, transmitters, MobileError};
use fiberplan_cover::{Instance, Options, Solution};
use fiberplan_model::mobile::{ExistingSite, MobileModel};
use fiberplan_model::LonLat;
use fiberplan_radio::coverage::PointIndex;
use geo::orient::{Direction, Orient};
use geo::{Coord, GeodesicArea, LineString, MultiPolygon, Polygon};

/// Rings of one polygon (outer first), `[lon, lat]`.
pub type Rings = Vec<Vec<LonLat>>;

/// Points of a lattice `spacing_m` apart (exact at the polygon's mid latitude) inside the
/// polygons, row by row from the south-west.
pub fn lattice_inside(polys: &[Rings], spacing_m: f64) -> Vec<LonLat> {
    let pts = polys.iter().flatten().flatten();
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts {
        w = w.min(p[0]);
        e = e.max(p[0]);
        s = s.min(p[1]);
        n = n.max(p[1]);
    }
    if w > e {
        return Vec::new();
    }
    let dlat = spacing_m / 111_132.954;
    let mid = 0.5 * (s + n);
    let dlon = spacing_m / (111_319.49 * mid.to_radians().cos());
    let edges: Vec<(LonLat, LonLat)> = polys
        .iter()
        .flatten()
        .flat_map(|r| r.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>())
        .collect();
    let mut out = Vec::new();
    let rows = ((n - s) / dlat).floor() as i64;
    for r in 0..=rows {
        let lat = s + (r as f64 + 0.5) * dlat;
        let mut xs: Vec<f64> = edges
            .iter()
            .filter(|(a, b)| (a[1] <= lat) != (b[1] <= lat))
            .map(|(a, b)| a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0]))
            .collect();
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            // Columns of the global lattice whose centres fall in [pair[0], pair[1]).
            let c0 = ((pair[0] - w) / dlon - 0.5).ceil() as i64;
            let c1 = ((pair[1] - w) / dlon - 0.5).ceil() as i64;
            for c in c0.max(0)..c1 {
                out.push([w + (c as f64 + 0.5) * dlon, lat]);
            }
        }
    }
    out
}

/// Geodesic area of the polygons, km².
pub fn area_km2(polys: &[Rings]) -> f64 {
    let ring =
        |r: &Vec<LonLat>| LineString::new(r.iter().map(|p| Coord { x: p[0], y: p[1] }).collect());
    let mp = MultiPolygon::new(
        polys
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect()))
            .collect(),
    );
    // Exteriors counter-clockwise: a clockwise ring would be read as the rest of the earth.
    mp.orient(Direction::Default).geodesic_area_unsigned() / 1e6
}

/// A city run's inputs.
pub struct CityInput<'a> {
    pub polygons: &'a [Rings],
    pub existing: &'a [ExistingSite],
    pub model: &'a MobileModel,
    pub radio: &'a Radio,
    pub grid_m: f64,
    pub target_share: f64,
    pub options: Options,
}

/// A city run's result.
pub struct CityCoverage {
    pub cells: Vec<LonLat>,
    pub candidates: Vec<Candidate>,
    /// Which cells each candidate covers (the set-cover instance's sets).
    pub sets: Vec<Vec<u32>>,
    pub on_air: Vec<usize>,
    pub solution: Solution,
    pub best_dbm: Vec<Option<f64>>,
    pub covered: Vec<bool>,
    pub area_km2: f64,
    pub cell_range_km: f64,
    pub hex_sites: u64,
    pub target_cells: u64,
}

/// Plan 5G over a city.
pub fn plan_city(inp: CityInput<'_>) -> Result<CityCoverage, MobileError> {
    if !(inp.target_share > 0.0 && inp.target_share <= 1.0) {
        return Err(MobileError::Input(format!(
            "--target {} is outside (0, 1]",
            inp.target_share
        )));
    }
    let cells = lattice_inside(inp.polygons, inp.grid_m);
    if cells.is_empty() {
        return Err(MobileError::Input(format!(
            "the city polygon holds no {} m grid cell",
            inp.grid_m
        )));
    }
    let rules = &inp.model.candidates;
    let m = &inp.model.site;
    let mut cands: Vec<Candidate> = inp
        .existing
        .iter()
        .map(|s| existing(s, &inp.radio.budget.technology, inp.model))
        .collect();
    // City sites stand on rooftops and poles: equipment and a light mast, grid power.
    for (k, p) in lattice_inside(inp.polygons, rules.city_spacing_m)
        .into_iter()
        .enumerate()
    {
        cands.push(Candidate {
            id: format!("city:{k}"),
            lonlat: p,
            height_m: rules.city_height_m,
            kind: Kind::City,
            power: Power::Grid { km: 0.0 },
            mast_kzt: m.mast_base_kzt,
            equipment_kzt: m.equipment_kzt,
            power_kzt: 0,
        });
    }
    let index = PointIndex::new(&cells);
    let txs = transmitters(&cands);
    let no_profile = |_: LonLat, _: LonLat, _: &mut Vec<f64>| None;
    let sets = inp.radio.cover_sets(&txs, &cells, &index, &no_profile);
    let mut coverable = vec![false; cells.len()];
    sets.iter()
        .flatten()
        .for_each(|&i| coverable[i as usize] = true);
    let coverable_n = coverable.iter().filter(|c| **c).count() as u64;
    let target_cells = ((inp.target_share * cells.len() as f64).ceil() as u64).min(coverable_n);
    let inst = Instance {
        costs: cands.iter().map(|c| c.cost_kzt().max(0) as u64).collect(),
        weights: vec![1; cells.len()],
        sets,
        target: target_cells,
    };
    let (solution, air) = site_and_measure(
        inp.radio,
        &cands,
        &inst,
        &cells,
        &index,
        &no_profile,
        &inp.options,
    )?;
    let (on_air, best_dbm, covered) = (air.on_air, air.best_dbm, air.covered);
    let area = area_km2(inp.polygons);
    let r_km = inp.radio.cell_range_m(rules.city_height_m).unwrap_or(0.0) / 1000.0;
    let hex_sites = if r_km > 0.0 {
        (inp.target_share * area / (1.95 * r_km * r_km)).ceil() as u64
    } else {
        0
    };
    Ok(CityCoverage {
        cells,
        candidates: cands,
        sets: inst.sets,
        on_air,
        solution,
        best_dbm,
        covered,
        area_km2: area,
        cell_range_km: r_km,
        hex_sites,
        target_cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lattice_of_a_square_with_a_hole() {
        // A 1 km x 1 km square (about) at the equator with a 500 m hole: 100 m lattice.
        let d = 1000.0 / 111_132.954;
        let dl = 1000.0 / 111_319.49;
        let sq = vec![[0.0, 0.0], [dl, 0.0], [dl, d], [0.0, d], [0.0, 0.0]];
        let pts = lattice_inside(&[vec![sq.clone()]], 100.0);
        assert_eq!(pts.len(), 100);
        let hole = vec![
            [0.25 * dl, 0.25 * d],
            [0.25 * dl, 0.75 * d],
            [0.75 * dl, 0.75 * d],
            [0.75 * dl, 0.25 * d],
            [0.25 * dl, 0.25 * d],
        ];
        let pts = lattice_inside(&[vec![sq.clone(), hole.clone()]], 100.0);
        assert_eq!(pts.len(), 75);
        // 1 km² less the 0.25 km² hole, whichever way the rings turn.
        let a = area_km2(&[vec![sq.clone(), hole.clone()]]);
        assert!((a - 0.75).abs() < 0.01, "{a}");
        let mut cw = sq.clone();
        cw.reverse();
        assert!((area_km2(&[vec![cw]]) - 1.0).abs() < 0.01);
    }
}
