//! Clipping routes at district boundaries, so each district's package holds exactly its own
//! stretch of every route, with the clipped length and a share of the cost.
//!
//! Each straight segment of a route (straight in lon/lat, as it is drawn) is cut where it
//! crosses a district boundary edge; each sub-segment belongs to the district containing its
//! midpoint. Lengths stay geodesic: a corridor's geodesic `length_m` is shared among its
//! pieces in proportion to their geodesic sub-lengths, so the pieces add up to the corridor
//! exactly (up to float addition), and integer costs are shared by largest remainder, so they
//! add up to the tenge.

use fiberplan_model::{Kzt, LonLat};
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_network::geodesy::distance_m;
use fiberplan_network::PlanningGraph;
use fiberplan_plan::Route;
use rstar::primitives::{GeomWithData, Line};
use rstar::{RTree, AABB};
use std::collections::BTreeMap;

/// District boundaries as an R-tree of edges, plus point-in-district lookup.
pub struct DistrictClipper {
    index: DistrictIndex,
    edges: RTree<GeomWithData<Line<[f64; 2]>, ()>>,
}

/// A stretch of one polyline inside one district (`None`: outside every district).
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub district: Option<usize>,
    pub geometry: Vec<LonLat>,
    /// Geodesic length of `geometry`, metres.
    pub length_m: f64,
}

/// One route's stretch inside one district: consecutive corridors' pieces merged.
#[derive(Clone, Debug, PartialEq)]
pub struct RoutePiece {
    /// Index of the route in `Plan::routes`.
    pub route: usize,
    /// 1-based number of this piece along its route.
    pub part: usize,
    pub district: Option<usize>,
    pub geometry: Vec<LonLat>,
    /// Clipped drawn length (geodesic), metres.
    pub length_m: f64,
    /// Clipped costed length, metres.
    pub costed_length_m: f64,
    /// This piece's share of the route's cost; the pieces of a route add up to it exactly.
    pub cost_kzt: Kzt,
    /// Costed metres by corridor type (`proxy`, `road:primary`, `offroad`, ...).
    pub metres_by_type: BTreeMap<String, f64>,
    pub bridges: u32,
    pub tunnels: u32,
    pub railway_crossings: u32,
}

/// Parameter `t` in (0, 1) where segment `p0 p1` crosses segment `q0 q1`, if it does.
fn crossing(p0: LonLat, p1: LonLat, q0: [f64; 2], q1: [f64; 2]) -> Option<f64> {
    let r = [p1[0] - p0[0], p1[1] - p0[1]];
    let s = [q1[0] - q0[0], q1[1] - q0[1]];
    let den = r[0] * s[1] - r[1] * s[0];
    if den == 0.0 {
        return None; // parallel or collinear: no single crossing point
    }
    let w = [q0[0] - p0[0], q0[1] - p0[1]];
    let t = (w[0] * s[1] - w[1] * s[0]) / den;
    let u = (w[0] * r[1] - w[1] * r[0]) / den;
    ((0.0..=1.0).contains(&u) && t > 1e-12 && t < 1.0 - 1e-12).then_some(t)
}

fn lerp(a: LonLat, b: LonLat, t: f64) -> LonLat {
    [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
}

impl DistrictClipper {
    /// `polygons[i]`: district `i`'s polygons (outer ring, then holes), as `Regions` holds them.
    pub fn new(polygons: &[Vec<Vec<Vec<LonLat>>>]) -> Self {
        let mut edges = Vec::new();
        for ring in polygons.iter().flatten().flatten() {
            for w in ring.windows(2) {
                if w[0] != w[1] {
                    edges.push(GeomWithData::new(Line::new(w[0], w[1]), ()));
                }
            }
        }
        DistrictClipper {
            index: DistrictIndex::new(polygons),
            edges: RTree::bulk_load(edges),
        }
    }

    /// The district containing `p` (lowest index where borders overlap).
    pub fn locate(&self, p: LonLat) -> Option<usize> {
        self.index.locate(p)
    }

    /// Cut a polyline at district boundaries. Consecutive sub-segments in the same district
    /// form one piece; pieces come in order along the line and share their cut points.
    pub fn clip(&self, line: &[LonLat]) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        for w in line.windows(2) {
            let (a, b) = (w[0], w[1]);
            let env = AABB::from_corners(
                [a[0].min(b[0]), a[1].min(b[1])],
                [a[0].max(b[0]), a[1].max(b[1])],
            );
            let mut ts: Vec<f64> = self
                .edges
                .locate_in_envelope_intersecting(&env)
                .filter_map(|e| crossing(a, b, e.geom().from, e.geom().to))
                .collect();
            ts.push(0.0);
            ts.push(1.0);
            ts.sort_by(f64::total_cmp);
            ts.dedup_by(|x, y| (*x - *y).abs() < 1e-12);
            for tw in ts.windows(2) {
                let (p, q) = (lerp(a, b, tw[0]), lerp(a, b, tw[1]));
                let d = self.locate(lerp(a, b, 0.5 * (tw[0] + tw[1])));
                let len = distance_m(p, q);
                match pieces.last_mut() {
                    Some(last) if last.district == d => {
                        last.geometry.push(q);
                        last.length_m += len;
                    }
                    _ => pieces.push(Piece {
                        district: d,
                        geometry: vec![p, q],
                        length_m: len,
                    }),
                }
            }
        }
        pieces
    }

    /// Clip one route of the plan. Stretches outside every district (slivers between
    /// boundaries, a corridor leaving the country) go to the previous district along the
    /// route, else the next one, so each metre lands in exactly one district; a route that
    /// touches no district at all keeps `district: None`.
    pub fn clip_route(&self, g: &PlanningGraph, route_index: usize, r: &Route) -> Vec<RoutePiece> {
        struct Bit {
            district: Option<usize>,
            geometry: Vec<LonLat>,
            length_m: f64,
            costed_m: f64,
            cost: Kzt,
            kind: String,
            bridges: u32,
            tunnels: u32,
            rail: u32,
        }
        let mut bits: Vec<Bit> = Vec::new();
        let mut at = r.from;
        for &c in &r.corridors {
            let cor = &g.corridors[c as usize];
            let mut geom = cor.geometry.to_vec();
            if cor.a != at {
                geom.reverse();
            }
            at = if cor.a == at { cor.b } else { cor.a };
            let pieces = self.clip(&geom);
            let raw: f64 = pieces.iter().map(|p| p.length_m).sum();
            let share = |p: &Piece| {
                if raw > 0.0 {
                    p.length_m / raw
                } else {
                    1.0 / pieces.len() as f64
                }
            };
            let costs =
                largest_remainder(cor.cost_kzt, &pieces.iter().map(share).collect::<Vec<_>>());
            let longest = (0..pieces.len())
                .max_by(|&i, &j| {
                    pieces[i]
                        .length_m
                        .total_cmp(&pieces[j].length_m)
                        .then(j.cmp(&i))
                })
                .unwrap_or(0);
            let kind = corridor_type(g, cor);
            for (i, p) in pieces.iter().enumerate() {
                let f = share(p);
                let crossings = i == longest;
                bits.push(Bit {
                    district: p.district,
                    geometry: p.geometry.clone(),
                    length_m: cor.length_m * f,
                    costed_m: cor.costed_length_m * f,
                    cost: costs[i],
                    kind: kind.clone(),
                    bridges: if crossings { cor.bridges } else { 0 },
                    tunnels: if crossings { cor.tunnels } else { 0 },
                    rail: if crossings { cor.railway_crossings } else { 0 },
                });
            }
        }
        // Outside every district: take the previous district, else the next.
        let mut prev = None;
        for b in bits.iter_mut() {
            if b.district.is_none() {
                b.district = prev;
            }
            prev = b.district;
        }
        let mut next = None;
        for b in bits.iter_mut().rev() {
            if b.district.is_none() {
                b.district = next;
            }
            next = b.district;
        }
        let mut out: Vec<RoutePiece> = Vec::new();
        for b in bits {
            let same = out.last().is_some_and(|l| l.district == b.district);
            if !same {
                out.push(RoutePiece {
                    route: route_index,
                    part: out.len() + 1,
                    district: b.district,
                    geometry: vec![b.geometry[0]],
                    length_m: 0.0,
                    costed_length_m: 0.0,
                    cost_kzt: 0,
                    metres_by_type: BTreeMap::new(),
                    bridges: 0,
                    tunnels: 0,
                    railway_crossings: 0,
                });
            }
            let l = out.last_mut().expect("pushed above");
            l.geometry.extend_from_slice(&b.geometry[1..]);
            l.length_m += b.length_m;
            l.costed_length_m += b.costed_m;
            l.cost_kzt += b.cost;
            *l.metres_by_type.entry(b.kind).or_insert(0.0) += b.costed_m;
            l.bridges += b.bridges;
            l.tunnels += b.tunnels;
            l.railway_crossings += b.rail;
        }
        out
    }
}

/// Split `total` into integer parts proportional to `shares` (which add up to 1): floors,
/// then one more to the largest remainders (ties to the earlier part). The parts add up to
/// `total` exactly.
pub fn largest_remainder(total: Kzt, shares: &[f64]) -> Vec<Kzt> {
    if shares.is_empty() {
        return Vec::new();
    }
    let exact: Vec<f64> = shares.iter().map(|s| total as f64 * s).collect();
    let mut parts: Vec<Kzt> = exact.iter().map(|x| x.floor() as Kzt).collect();
    let mut left = total - parts.iter().sum::<Kzt>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&i, &j| {
        let (ri, rj) = (exact[i] - exact[i].floor(), exact[j] - exact[j].floor());
        rj.total_cmp(&ri).then(i.cmp(&j))
    });
    let n = parts.len();
    let mut k = 0;
    while left > 0 {
        parts[order[k % n]] += 1;
        left -= 1;
        k += 1;
    }
    while left < 0 {
        parts[order[n - 1 - k % n]] -= 1;
        left += 1;
        k += 1;
    }
    parts
}

/// A corridor's type as reports and bills of quantities group it: its kind, and its OSM
/// class when it has one (`proxy`, `road:primary`, ...).
pub(crate) fn corridor_type(g: &PlanningGraph, cor: &fiberplan_network::Corridor) -> String {
    match g.class(cor) {
        "" => cor.kind.as_str().to_string(),
        class => format!("{}:{class}", cor.kind.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64) -> Vec<Vec<Vec<LonLat>>> {
        vec![vec![vec![
            [x, 0.0],
            [x + 1.0, 0.0],
            [x + 1.0, 1.0],
            [x, 1.0],
            [x, 0.0],
        ]]]
    }

    #[test]
    fn a_line_across_two_squares_is_cut_at_the_shared_edge() {
        let c = DistrictClipper::new(&[square(0.0), square(1.0)]);
        let line = [[0.5, 0.5], [1.5, 0.5]];
        let p = c.clip(&line);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].district, Some(0));
        assert_eq!(p[1].district, Some(1));
        assert_eq!(p[0].geometry, vec![[0.5, 0.5], [1.0, 0.5]]);
        assert_eq!(p[1].geometry, vec![[1.0, 0.5], [1.5, 0.5]]);
        // Half a degree of longitude at latitude 0.5: 55.66 km each side, symmetric.
        assert!((p[0].length_m - p[1].length_m).abs() < 1e-6);
        assert!((p[0].length_m - 55_656.0).abs() < 5.0, "{}", p[0].length_m);
        let whole = distance_m(line[0], line[1]);
        // Along a parallel, not a geodesic: the halves add up to the whole within a metre.
        let diff = (p[0].length_m + p[1].length_m - whole).abs();
        assert!(diff < 1.0, "{diff}");
    }

    #[test]
    fn a_line_leaving_and_reentering_gives_three_pieces() {
        let c = DistrictClipper::new(&[square(0.0)]);
        // Goes out through x = 1 and back: the outside stretch has no district.
        let p = c.clip(&[[0.5, 0.5], [1.5, 0.5], [0.5, 0.6]]);
        let d: Vec<Option<usize>> = p.iter().map(|p| p.district).collect();
        assert_eq!(d, vec![Some(0), None, Some(0)]);
    }

    #[test]
    fn largest_remainder_adds_up_exactly() {
        assert_eq!(largest_remainder(10, &[0.5, 0.5]), vec![5, 5]);
        assert_eq!(largest_remainder(10, &[1.0 / 3.0; 3]), vec![4, 3, 3]);
        assert_eq!(largest_remainder(7, &[0.25, 0.75]), vec![2, 5]);
        for total in [0, 1, 999_999_937, 7_604_208_095] {
            let shares = [0.1, 0.2, 0.3, 0.4];
            assert_eq!(largest_remainder(total, &shares).iter().sum::<i64>(), total);
        }
    }
}
