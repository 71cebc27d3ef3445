//! Coverage: the received power of one site over a set of points.
//!
//! Points are `[lon, lat]` (WGS84) passed in; an R-tree over their unit-sphere positions
//! limits the work to the model's range; the terrain profile of each point comes from a
//! function the caller passes (the DEM lives in `io`, not here). Parallel with rayon,
//! with an order-preserving collect, so the result does not depend on the thread count.

use crate::link_budget::received_power_dbm;
use crate::model::{Link, PathLoss, ProfileRef};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

/// Mean earth radius (IUGG), m.
pub const R_EARTH_M: f64 = 6_371_008.8;

/// A transmitting site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Site {
    pub lon: f64,
    pub lat: f64,
    /// Antenna height above ground, m.
    pub height_m: f64,
    pub eirp_dbm: f64,
    pub f_mhz: f64,
}

/// Receiver assumptions of a coverage map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Receiver {
    pub height_m: f64,
    pub gain_dbi: f64,
    /// Clutter, body and building margins, dB.
    pub margins_db: f64,
}

fn xyz(p: [f64; 2]) -> [f64; 3] {
    let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
    [
        R_EARTH_M * lat.cos() * lon.cos(),
        R_EARTH_M * lat.cos() * lon.sin(),
        R_EARTH_M * lat.sin(),
    ]
}

/// Great-circle distance on the sphere of [`R_EARTH_M`] (haversine), m.
pub fn great_circle_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = la2 - la1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R_EARTH_M * h.sqrt().min(1.0).asin()
}

/// An R-tree over points, built once and queried per site.
pub struct PointIndex {
    tree: RTree<GeomWithData<[f64; 3], usize>>,
}

impl PointIndex {
    pub fn new(points: &[[f64; 2]]) -> PointIndex {
        let items = points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(xyz(*p), i))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// Indices (ascending) of the points within `range_m` great-circle metres of `at`.
    pub fn within(&self, at: [f64; 2], range_m: f64) -> Vec<usize> {
        let c = xyz(at);
        let ang = (range_m / R_EARTH_M).min(std::f64::consts::PI);
        let chord = 2.0 * R_EARTH_M * (ang / 2.0).sin() * (1.0 + 1e-12);
        let mut v: Vec<usize> = self
            .tree
            .locate_within_distance(c, chord * chord)
            .map(|g| g.data)
            .collect();
        v.sort_unstable();
        v
    }
}

/// Received power (dBm) at every point: `None` beyond the model's range, where the
/// profile cannot be cut (off the DEM, a void) or where the model refuses the link.
///
/// `profile(from, to, buf)` fills `buf` with the elevations from the site to the point
/// and returns the interval in metres.
pub fn coverage<M, F>(
    site: &Site,
    rx: &Receiver,
    points: &[[f64; 2]],
    index: &PointIndex,
    model: &M,
    profile: F,
) -> Vec<Option<f64>>
where
    M: PathLoss + ?Sized,
    F: Fn([f64; 2], [f64; 2], &mut Vec<f64>) -> Option<f64> + Sync,
{
    let at = [site.lon, site.lat];
    let near = index.within(at, model.max_range_m());
    let values: Vec<(usize, Option<f64>)> = near
        .par_iter()
        .map_init(Vec::new, |buf, &i| {
            let p = points[i];
            let d = great_circle_m(at, p);
            let link = Link::new(site.f_mhz, d, site.height_m, rx.height_m);
            let loss = match profile(at, p, buf) {
                Some(interval_m) => model.loss_db(
                    &link,
                    Some(ProfileRef {
                        interval_m,
                        elevations: buf,
                    }),
                ),
                None => return (i, None),
            };
            (
                i,
                loss.ok()
                    .map(|l| received_power_dbm(site.eirp_dbm, l, rx.gain_dbi, rx.margins_db)),
            )
        })
        .collect();
    let mut out = vec![None; points.len()];
    for (i, v) in values {
        out[i] = v;
    }
    out
}

/// A square grid of cell centres around a point, `spacing_m` apart, kept within
/// `radius_m` (great circle). Row-major from the north-west; `cells[k]` is the index of
/// the k-th kept point in the full `cols x rows` raster.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageGrid {
    pub cols: usize,
    pub rows: usize,
    /// Raster cell of each point.
    pub cells: Vec<usize>,
    pub points: Vec<[f64; 2]>,
    /// Degrees between columns and rows, and the centre of cell (0, 0).
    pub dlon: f64,
    pub dlat: f64,
    pub lon0: f64,
    pub lat0: f64,
}

/// Lay a grid around `centre` (a local equirectangular lattice: the spacing is exact at the
/// centre's latitude; distances to the site are computed on the sphere).
pub fn grid_around(centre: [f64; 2], radius_m: f64, spacing_m: f64) -> CoverageGrid {
    let half = (radius_m / spacing_m).floor() as usize;
    let n = 2 * half + 1;
    let dlat = (spacing_m / R_EARTH_M).to_degrees();
    let dlon = dlat / centre[1].to_radians().cos();
    let lon0 = centre[0] - half as f64 * dlon;
    let lat0 = centre[1] + half as f64 * dlat;
    let mut cells = Vec::new();
    let mut points = Vec::new();
    for r in 0..n {
        for c in 0..n {
            let p = [lon0 + c as f64 * dlon, lat0 - r as f64 * dlat];
            if great_circle_m(centre, p) <= radius_m {
                cells.push(r * n + c);
                points.push(p);
            }
        }
    }
    CoverageGrid {
        cols: n,
        rows: n,
        cells,
        points,
        dlon,
        dlat,
        lon0,
        lat0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    #[test]
    fn free_space_coverage_by_hand() {
        let site = Site {
            lon: 70.0,
            lat: 50.0,
            height_m: 30.0,
            eirp_dbm: 60.0,
            f_mhz: 1000.0,
        };
        let rx = Receiver {
            height_m: 30.0,
            gain_dbi: 0.0,
            margins_db: 0.0,
        };
        // One point 1 km north: free space 92.45 dB.
        let dlat = (1000.0 / R_EARTH_M).to_degrees();
        let pts = vec![[70.0, 50.0 + dlat], [70.0, 60.0]];
        let idx = PointIndex::new(&pts);
        struct Limited;
        impl PathLoss for Limited {
            fn loss_db(
                &self,
                l: &Link,
                p: Option<ProfileRef<'_>>,
            ) -> Result<f64, crate::model::LossError> {
                Model::FreeSpace.loss_db(l, p)
            }
            fn max_range_m(&self) -> f64 {
                5_000.0
            }
        }
        let out = coverage(&site, &rx, &pts, &idx, &Limited, |_, _, buf| {
            buf.clear();
            buf.extend([0.0, 0.0, 0.0]);
            Some(500.0)
        });
        let expect = 60.0 - crate::free_space::fspl_db(1000.0, 1000.0);
        assert!((out[0].unwrap() - expect).abs() < 1e-6, "{out:?}");
        assert_eq!(out[1], None);
    }

    #[test]
    fn grid_is_a_disc() {
        // Lattice points of a disc of radius 10 cells: 317 (a metre of slack keeps the
        // 12 points on the circle despite the lattice's curvature).
        let g = grid_around([70.0, 50.0], 1001.0, 100.0);
        assert_eq!((g.cols, g.rows), (21, 21));
        assert_eq!(g.points.len(), 317);
        let idx = PointIndex::new(&g.points);
        assert_eq!(idx.within([70.0, 50.0], 1001.0).len(), 317);
        assert_eq!(idx.within([70.0, 50.0], 99.0), vec![158]);
    }
}
