//! Which district a point lies in: an R-tree of district bounding boxes, then an exact
//! point-in-polygon test (planar on lon/lat, which is exact for containment of a point).

use fiberplan_model::LonLat;
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// Point-in-district lookup.
pub struct DistrictIndex {
    polys: Vec<MultiPolygon<f64>>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl DistrictIndex {
    /// `polygons[i]`: the polygons (outer ring, then holes) of district `i`.
    pub fn new(polygons: &[Vec<Vec<Vec<LonLat>>>]) -> Self {
        let ring = |r: &Vec<LonLat>| {
            LineString::from(
                r.iter()
                    .map(|p| Coord { x: p[0], y: p[1] })
                    .collect::<Vec<_>>(),
            )
        };
        let polys: Vec<MultiPolygon<f64>> = polygons
            .iter()
            .map(|d| {
                MultiPolygon::new(
                    d.iter()
                        .filter(|p| !p.is_empty())
                        .map(|p| Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect()))
                        .collect(),
                )
            })
            .collect();
        let rects = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let mut it = d.iter().flatten().flatten();
                let first = it.next()?;
                let (mut lo, mut hi) = (*first, *first);
                for p in it {
                    lo = [lo[0].min(p[0]), lo[1].min(p[1])];
                    hi = [hi[0].max(p[0]), hi[1].max(p[1])];
                }
                Some(GeomWithData::new(Rectangle::from_corners(lo, hi), i))
            })
            .collect();
        DistrictIndex {
            polys,
            tree: RTree::bulk_load(rects),
        }
    }

    /// The district containing `p`; the lowest index when borders overlap.
    pub fn locate(&self, p: LonLat) -> Option<usize> {
        let pt = Point::new(p[0], p[1]);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point(p))
            .map(|r| r.data)
            .filter(|&i| self.polys[i].contains(&pt))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_squares() {
        let sq = |x: f64| {
            vec![vec![vec![
                [x, 0.0],
                [x + 1.0, 0.0],
                [x + 1.0, 1.0],
                [x, 1.0],
                [x, 0.0],
            ]]]
        };
        let idx = DistrictIndex::new(&[sq(0.0), sq(1.0)]);
        assert_eq!(idx.locate([0.5, 0.5]), Some(0));
        assert_eq!(idx.locate([1.5, 0.5]), Some(1));
        assert_eq!(idx.locate([2.5, 0.5]), None);
    }
}
