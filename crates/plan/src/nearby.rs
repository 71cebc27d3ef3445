//! "Is there a fibre node within r metres of this village?": an R-tree over unit-sphere
//! points, where chord order is great-circle order, then a geodesic check of the candidates.

use fiberplan_model::LonLat;
use fiberplan_network::geodesy::distance_m;
use rstar::primitives::GeomWithData;
use rstar::RTree;

const EARTH_R: f64 = 6_371_008.8;

fn unit(p: LonLat) -> [f64; 3] {
    let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Points that can serve others within a radius.
pub struct Nearby {
    tree: RTree<GeomWithData<[f64; 3], LonLat>>,
}

impl Nearby {
    pub fn new(points: impl IntoIterator<Item = LonLat>) -> Self {
        Nearby {
            tree: RTree::bulk_load(
                points
                    .into_iter()
                    .map(|p| GeomWithData::new(unit(p), p))
                    .collect(),
            ),
        }
    }

    /// Whether some point lies within `radius_m` (geodesic) of `p`.
    pub fn within(&self, p: LonLat, radius_m: f64) -> bool {
        // Chord for the radius on a sphere, with 1 % slack for the ellipsoid; geodesic decides.
        let chord = 2.0 * ((radius_m * 1.01) / (2.0 * EARTH_R)).sin();
        self.tree
            .locate_within_distance(unit(p), chord * chord)
            .any(|q| distance_m(p, q.data) <= radius_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_km_either_side() {
        // At 45 N, 0.089 degree of latitude is 9,891 m and 0.091 degree 10,113 m (Karney).
        let n = Nearby::new([[70.0, 45.0]]);
        assert!(n.within([70.0, 45.089], 10_000.0));
        assert!(!n.within([70.0, 45.091], 10_000.0));
    }
}
