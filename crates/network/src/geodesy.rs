//! Geodesic lengths on WGS84 and a local metric projection for indexing.
//!
//! Lengths reported anywhere in fiberplan come from here (geo's Karney geodesic); the
//! equirectangular projection is only for spatial indexing and nearest-neighbour search,
//! never for a reported length.

use fiberplan_model::LonLat;
use geo::{Distance, Geodesic, Point};

/// Geodesic distance in metres between two `[lon, lat]` positions.
pub fn distance_m(a: LonLat, b: LonLat) -> f64 {
    Geodesic.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// Geodesic length in metres of a polyline.
pub fn length_m(line: &[LonLat]) -> f64 {
    line.windows(2).map(|w| distance_m(w[0], w[1])).sum()
}

/// Equirectangular projection to metres around a reference latitude: good to well under 1 %
/// for nearest-neighbour ranking within a few hundred kilometres.
#[derive(Clone, Copy, Debug)]
pub struct LocalProjection {
    kx: f64,
    ky: f64,
}

impl LocalProjection {
    pub fn new(ref_lat: f64) -> Self {
        let ky = 111_320.0;
        LocalProjection {
            kx: ky * ref_lat.to_radians().cos(),
            ky,
        }
    }
    pub fn project(&self, p: LonLat) -> [f64; 2] {
        [p[0] * self.kx, p[1] * self.ky]
    }
    pub fn unproject(&self, p: [f64; 2]) -> LonLat {
        [p[0] / self.kx, p[1] / self.ky]
    }
}

/// The point of segment `a`-`b` nearest to `q`, in a plane (a [`LocalProjection`]'s metres):
/// its parameter `t` in [0, 1] along the segment, and the point. A zero-length segment
/// gives its start.
pub fn segment_foot(q: [f64; 2], a: [f64; 2], b: [f64; 2]) -> (f64, [f64; 2]) {
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let t = if len2 > 0.0 {
        (((q[0] - a[0]) * d[0] + (q[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (t, [a[0] + t * d[0], a[1] + t * d[1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_to_astana_is_about_970_km() {
        // Almaty (76.9286, 43.2567) to Astana (71.4306, 51.1283): about 970 km great-circle.
        let d = distance_m([76.9286, 43.2567], [71.4306, 51.1283]);
        assert!((960_000.0..980_000.0).contains(&d), "{d}");
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = distance_m([70.0, 45.0], [70.0, 46.0]);
        assert!((111_000.0..111_300.0).contains(&d), "{d}");
    }
}
