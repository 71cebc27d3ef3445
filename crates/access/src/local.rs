//! Positions: geodesic lengths for everything reported, a local metric frame for
//! indexing, snapping and generated layouts only.

use fiberplan_model::LonLat;
use fiberplan_network::geodesy::LocalProjection;

pub use fiberplan_network::geodesy::distance_m;

/// A local equirectangular frame in metres with its origin at a reference position.
#[derive(Clone, Copy, Debug)]
pub struct Local {
    proj: LocalProjection,
    origin: [f64; 2],
}

impl Local {
    pub fn new(origin: LonLat) -> Self {
        let proj = LocalProjection::new(origin[1]);
        Local {
            proj,
            origin: proj.project(origin),
        }
    }

    /// Metres east and north of the origin.
    pub fn xy(&self, p: LonLat) -> [f64; 2] {
        let q = self.proj.project(p);
        [q[0] - self.origin[0], q[1] - self.origin[1]]
    }

    /// The position `xy` metres east and north of the origin.
    pub fn lonlat(&self, xy: [f64; 2]) -> LonLat {
        self.proj
            .unproject([xy[0] + self.origin[0], xy[1] + self.origin[1]])
    }
}

/// Geodesic length in whole decimetres (solver weights).
pub fn distance_dm(a: LonLat, b: LonLat) -> i64 {
    (distance_m(a, b) * 10.0).round() as i64
}
