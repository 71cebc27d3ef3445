//! Roads cut into segments of at most `sample_m` (the last piece of each road shorter),
//! each judged at its midpoint: a segment counts as covered when its midpoint receives
//! the threshold. Lengths are geodesic (Karney, WGS84) and kept in whole metres, rounded
//! cumulatively so that a road's segments add up to its rounded length exactly.

use crate::roads::RoadClass;
use fiberplan_model::LonLat;
use fiberplan_network::geodesy::distance_m;
use geo::{Geodesic, InterpolatePoint, Point};

/// A road to cover, classed.
#[derive(Clone, Debug, PartialEq)]
pub struct Road {
    pub id: String,
    pub highway: String,
    pub reference: String,
    pub class: RoadClass,
    pub coords: Vec<LonLat>,
}

/// A piece of road judged at its midpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// `<road id>:<k>`.
    pub id: String,
    /// Index of its road.
    pub road: usize,
    /// Length, whole metres (at least 1 for a piece of non-zero length).
    pub metres: u64,
    pub mid: LonLat,
    /// Geometry from start to end.
    pub geometry: Vec<LonLat>,
}

/// Point `d` metres along the polyline with cumulative lengths `cum` (geodesic between vertices).
fn point_at(coords: &[LonLat], cum: &[f64], d: f64) -> (usize, LonLat) {
    let i = match cum.binary_search_by(|x| x.total_cmp(&d)) {
        Ok(i) => return (i.min(coords.len() - 1), coords[i.min(coords.len() - 1)]),
        Err(i) => i.clamp(1, coords.len() - 1) - 1,
    };
    let len = cum[i + 1] - cum[i];
    let t = if len > 0.0 { (d - cum[i]) / len } else { 0.0 };
    let p = Geodesic.point_at_ratio_between(
        Point::new(coords[i][0], coords[i][1]),
        Point::new(coords[i + 1][0], coords[i + 1][1]),
        t.clamp(0.0, 1.0),
    );
    (i, [p.x(), p.y()])
}

/// The point halfway along a polyline (geodesic lengths).
pub fn midpoint(coords: &[LonLat]) -> LonLat {
    let mut cum = vec![0.0];
    for w in coords.windows(2) {
        cum.push(cum.last().unwrap() + distance_m(w[0], w[1]));
    }
    point_at(coords, &cum, cum.last().unwrap() / 2.0).1
}

/// Cut every road into segments of at most `sample_m`.
pub fn segments(roads: &[Road], sample_m: f64) -> Vec<Segment> {
    let mut out = Vec::new();
    for (r, road) in roads.iter().enumerate() {
        let mut cum = vec![0.0];
        for w in road.coords.windows(2) {
            cum.push(cum.last().unwrap() + distance_m(w[0], w[1]));
        }
        let total = *cum.last().unwrap();
        if total <= 0.0 {
            continue;
        }
        let n = (total / sample_m).ceil().max(1.0) as usize;
        let mut prev_round = 0u64;
        let mut prev = (0usize, road.coords[0]);
        for k in 0..n {
            let end = if k + 1 == n {
                total
            } else {
                (k + 1) as f64 * sample_m
            };
            let start = k as f64 * sample_m;
            let end_pt = point_at(&road.coords, &cum, end);
            let mut geometry = vec![prev.1];
            geometry.extend(road.coords[prev.0 + 1..=end_pt.0].iter().copied());
            if geometry.last() != Some(&end_pt.1) {
                geometry.push(end_pt.1);
            }
            geometry.dedup();
            if geometry.len() < 2 {
                geometry.push(end_pt.1);
            }
            let end_round = end.round() as u64;
            out.push(Segment {
                id: format!("{}:{k}", road.id),
                road: r,
                metres: end_round.saturating_sub(prev_round),
                mid: point_at(&road.coords, &cum, (start + end) / 2.0).1,
                geometry,
            });
            prev_round = end_round;
            prev = end_pt;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn road(coords: Vec<LonLat>) -> Road {
        Road {
            id: "r".into(),
            highway: "primary".into(),
            reference: String::new(),
            class: RoadClass::Republican,
            coords,
        }
    }

    #[test]
    fn a_road_cut_by_hand() {
        // Along a meridian: 0.01 degree of latitude at 45 N is 1111.5 m (Karney).
        let r = road(vec![[70.0, 45.0], [70.0, 45.005], [70.0, 45.01]]);
        let total = distance_m([70.0, 45.0], [70.0, 45.01]);
        let s = segments(&[r], 100.0);
        assert_eq!(s.len(), (total / 100.0).ceil() as usize);
        assert_eq!(
            s.iter().map(|s| s.metres).sum::<u64>(),
            total.round() as u64
        );
        assert_eq!(s[0].metres, 100);
        assert_eq!(s[0].id, "r:0");
        // The first midpoint is 50 m north of the start.
        assert!((distance_m([70.0, 45.0], s[0].mid) - 50.0).abs() < 1e-6);
        // The sixth segment spans the middle vertex and keeps it in its geometry.
        assert!(s[5].geometry.contains(&[70.0, 45.005]));
        assert!(
            (distance_m(s[5].geometry[0], *s[5].geometry.last().unwrap()) - 100.0).abs() < 1e-6
        );
    }
}
