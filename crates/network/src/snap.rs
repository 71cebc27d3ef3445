//! Snapping points (villages, points of presence, line joints) onto the planning graph.
//!
//! Every corridor's bounding box goes into a packed index of `f32` boxes ([`SegmentIndex`])
//! in a local equirectangular projection ([`LocalProjection`]) used only to find the
//! nearest segment. The foot of the perpendicular on that
//! segment becomes a node (a vertex within [`VERTEX_M`] is used as it is), the corridor is
//! split there, and when the point lies farther than `on_road_m` from it an off-road
//! corridor joins them. Reported distances are geodesic.
//!
//! Splitting keeps the corridor's total cost exactly: each piece gets
//! `round(C x end/L) - round(C x start/L)` of the cost `C` over the length `L`. Counts of
//! bridges, tunnels and railway crossings stay with the first piece.

use crate::geodesy::{distance_m, segment_foot, LocalProjection};
use crate::roads::polyline_length_m as length_m;
use crate::{ClassId, Corridor, CorridorKind, PlanningGraph};
use fiberplan_model::{Kzt, LonLat};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A foot this close to a corridor vertex is moved onto the vertex, metres.
pub const VERTEX_M: f64 = 0.5;

/// How points join the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnapOptions {
    /// A point within this distance of its foot sits on the corridor: no spur.
    pub on_road_m: f64,
    /// Rate of off-road spurs, whole tenge per km.
    pub offroad_per_km: Kzt,
}

/// The nearest place on a corridor to a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnapTarget {
    pub corridor: u32,
    /// Segment `segment..segment+1` of the corridor's geometry.
    pub segment: u32,
    /// Position along the segment, 0..=1.
    pub t: f64,
    /// The foot, `[lon, lat]`.
    pub foot: LonLat,
    /// Geodesic distance from the point to the foot, metres.
    pub distance_m: f64,
}

/// An index over the bounding boxes of every corridor except off-road spurs; the nearest
/// segment is found by visiting corridors in order of box distance (a lower bound) and
/// scanning their segments, until the next box is farther than the best segment.
///
/// Indexing corridors rather than segments keeps the index ten times smaller on OSM data
/// (a corridor has about ten segments). The boxes are `f32`, rounded outwards by a few
/// metres, in one flat array packed bottom-up (sort-tile-recursive, [`FANOUT`] boxes a
/// node): 20 bytes a corridor in a handful of allocations, where an R-tree of `f64`
/// rectangles took about 60 in millions of small ones, which stayed resident after it was
/// freed (a country extract has 3.8 M corridors; issue 19). A looser box is still a lower
/// bound, so the same nearest segment is found.
pub struct SegmentIndex {
    /// Boxes `[min x, min y, max x, max y]` by level: the corridors' first (sorted into
    /// their tiles), then each level's nodes, up to the root.
    boxes: Vec<[f32; 4]>,
    /// Where each level starts in `boxes` (and one past the end).
    levels: Vec<usize>,
    /// The corridor of each box of the first level.
    corridor: Vec<u32>,
    proj: LocalProjection,
}

/// Children per node of [`SegmentIndex`].
const FANOUT: usize = 16;

/// `x` as an `f32` no greater (`down`) or no smaller than it, with a few metres to spare.
fn round_out(x: f64, down: bool) -> f32 {
    let pad = 4.0 + x.abs() * 1e-6;
    if down {
        (x - pad) as f32
    } else {
        (x + pad) as f32
    }
}

/// Squared distance from `q` to a box (0 inside).
fn box_d2(b: &[f32; 4], q: [f64; 2]) -> f64 {
    let dx = (b[0] as f64 - q[0]).max(q[0] - b[2] as f64).max(0.0);
    let dy = (b[1] as f64 - q[1]).max(q[1] - b[3] as f64).max(0.0);
    dx * dx + dy * dy
}

fn union(bs: &[[f32; 4]]) -> [f32; 4] {
    bs.iter().fold(
        [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ],
        |u, b| {
            [
                u[0].min(b[0]),
                u[1].min(b[1]),
                u[2].max(b[2]),
                u[3].max(b[3]),
            ]
        },
    )
}

impl SegmentIndex {
    pub fn new(g: &PlanningGraph) -> Self {
        let (lo, hi) = g
            .nodes
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p[1]), hi.max(p[1]))
            });
        let proj = LocalProjection::new(if lo.is_finite() { (lo + hi) / 2.0 } else { 0.0 });
        // The corridors indexed and their boxes, in two arrays sorted by one permutation
        // (as pairs, they and the arrays made of them were held three times over at once:
        // about 150 MB on a country, the snapping's peak; issue 19).
        let mut corridor: Vec<u32> = g
            .corridors
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind != CorridorKind::Offroad && c.geometry.len() >= 2)
            .map(|(ci, _)| ci as u32)
            .collect();
        let n = corridor.len();
        let mut boxes: Vec<[f32; 4]> = Vec::with_capacity(n + n / (FANOUT - 1) + 2);
        boxes.par_extend(corridor.par_iter().map(|&ci| {
            let mut lo = [f64::INFINITY; 2];
            let mut hi = [f64::NEG_INFINITY; 2];
            for p in g.corridors[ci as usize].geometry.iter() {
                let q = proj.project(p);
                lo = [lo[0].min(q[0]), lo[1].min(q[1])];
                hi = [hi[0].max(q[0]), hi[1].max(q[1])];
            }
            [
                round_out(lo[0], true),
                round_out(lo[1], true),
                round_out(hi[0], false),
                round_out(hi[1], false),
            ]
        }));
        // Sort-tile-recursive packing: slices by x centre, tiles by y centre in each (ties
        // by corridor: a total order, so the same packing as sorting the pairs).
        let centre = |b: &[f32; 4], k: usize| b[k] as f64 + b[k + 2] as f64;
        let mut perm: Vec<u32> = (0..n as u32).collect();
        perm.par_sort_unstable_by(|&x, &y| {
            centre(&boxes[x as usize], 0)
                .total_cmp(&centre(&boxes[y as usize], 0))
                .then(corridor[x as usize].cmp(&corridor[y as usize]))
        });
        let tiles = n.div_ceil(FANOUT);
        let slices = (tiles as f64).sqrt().ceil().max(1.0) as usize;
        let per_slice = slices * FANOUT;
        for slice in perm.chunks_mut(per_slice) {
            slice.sort_unstable_by(|&x, &y| {
                centre(&boxes[x as usize], 1)
                    .total_cmp(&centre(&boxes[y as usize], 1))
                    .then(corridor[x as usize].cmp(&corridor[y as usize]))
            });
        }
        // In place: item `i` becomes the one at `perm[i]`, cycle by cycle (`perm[i] = i`
        // marks a place done).
        for start in 0..n {
            if perm[start] as usize == start {
                continue;
            }
            let (b0, c0) = (boxes[start], corridor[start]);
            let mut cur = start;
            loop {
                let next = perm[cur] as usize;
                perm[cur] = cur as u32;
                if next == start {
                    boxes[cur] = b0;
                    corridor[cur] = c0;
                    break;
                }
                boxes[cur] = boxes[next];
                corridor[cur] = corridor[next];
                cur = next;
            }
        }
        drop(perm);
        let mut levels = vec![0, n];
        while levels[levels.len() - 1] - levels[levels.len() - 2] > 1 {
            let (start, end) = (levels[levels.len() - 2], levels[levels.len() - 1]);
            for k in (start..end).step_by(FANOUT) {
                let u = union(&boxes[k..(k + FANOUT).min(end)]);
                boxes.push(u);
            }
            levels.push(boxes.len());
        }
        SegmentIndex {
            boxes,
            levels,
            corridor,
            proj,
        }
    }

    /// Corridors in order of box distance from `q` (ties in any order), with that distance:
    /// best-first over the levels.
    fn by_box_distance(&self, q: [f64; 2]) -> impl Iterator<Item = (u32, f64)> + '_ {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        /// (distance, level, box index), the nearest first.
        #[derive(PartialEq)]
        struct Item(f64, usize, usize);
        impl Eq for Item {}
        impl PartialOrd for Item {
            fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for Item {
            fn cmp(&self, o: &Self) -> std::cmp::Ordering {
                self.0
                    .total_cmp(&o.0)
                    .then(self.1.cmp(&o.1))
                    .then(self.2.cmp(&o.2))
            }
        }
        let mut heap: BinaryHeap<Reverse<Item>> = BinaryHeap::new();
        let top = self.levels.len() - 2;
        if self.levels[1] > 0 {
            let root = self.levels[top];
            heap.push(Reverse(Item(box_d2(&self.boxes[root], q), top, root)));
        }
        std::iter::from_fn(move || {
            while let Some(Reverse(Item(d, level, i))) = heap.pop() {
                if level == 0 {
                    return Some((self.corridor[i], d));
                }
                let (start, below, end) = (
                    self.levels[level],
                    self.levels[level - 1],
                    self.levels[level],
                );
                let first = below + (i - start) * FANOUT;
                for k in first..(first + FANOUT).min(end) {
                    heap.push(Reverse(Item(box_d2(&self.boxes[k], q), level - 1, k)));
                }
            }
            None
        })
    }

    /// The nearest corridor segment to `p` (ties to the lower corridor, then segment),
    /// `None` when there are no corridors.
    pub fn nearest(&self, g: &PlanningGraph, p: LonLat) -> Option<SnapTarget> {
        let q = self.proj.project(p);
        // (squared distance, corridor, segment, t)
        let mut best: Option<(f64, u32, u32, f64)> = None;
        for (ci, box_d2) in self.by_box_distance(q) {
            if best.is_some_and(|b| box_d2 > b.0) {
                break;
            }
            let geom = g.corridors[ci as usize].geometry.to_vec();
            let mut a = self.proj.project(geom[0]);
            for (si, w) in geom.windows(2).enumerate() {
                let b = self.proj.project(w[1]);
                let (t, f) = segment_foot(q, a, b);
                let d2 = (q[0] - f[0]).powi(2) + (q[1] - f[1]).powi(2);
                let better = match best {
                    None => true,
                    Some(b) => d2 < b.0 || (d2 == b.0 && (ci, si as u32) < (b.1, b.2)),
                };
                if better {
                    best = Some((d2, ci, si as u32, t));
                }
                a = b;
            }
        }
        let (_, ci, si, t) = best?;
        let geom = &g.corridors[ci as usize].geometry;
        let (ga, gb) = (geom.get(si as usize), geom.get(si as usize + 1));
        let foot = [ga[0] + t * (gb[0] - ga[0]), ga[1] + t * (gb[1] - ga[1])];
        Some(SnapTarget {
            corridor: ci,
            segment: si,
            t,
            foot,
            distance_m: distance_m(p, foot),
        })
    }
}

/// A cut of a corridor: at vertex `v` (`t == 0`) or on segment `v..v+1` at `t`.
#[derive(Clone, Copy, Debug)]
struct Cut {
    v: usize,
    t: f64,
    point: LonLat,
}

/// Place every point on the graph: split corridors at the feet, add off-road spurs.
/// `max_m[i]` is the farthest point `i` may be from a corridor; farther points get `None`.
/// All points are snapped against the graph as it is on entry, then the splits are made,
/// so the result does not depend on the order of the points.
///
/// Returns the node of each point.
pub fn snap_points(
    g: &mut PlanningGraph,
    points: &[LonLat],
    max_m: &[f64],
    opts: &SnapOptions,
) -> Vec<Option<u32>> {
    assert_eq!(points.len(), max_m.len());
    if points.is_empty() || g.corridors.is_empty() {
        return vec![None; points.len()];
    }
    let index = SegmentIndex::new(g);
    let targets: Vec<Option<SnapTarget>> = points
        .par_iter()
        .zip(max_m.par_iter())
        .map(|(p, m)| index.nearest(g, *p).filter(|t| t.distance_m <= *m))
        .collect();

    // Cuts per corridor, each point remembering which cut it is at.
    let mut by_corridor: BTreeMap<u32, Vec<(Cut, usize)>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        let Some(t) = t else { continue };
        let geom = &g.corridors[t.corridor as usize].geometry;
        let s = t.segment as usize;
        let (gs, gs1) = (geom.get(s), geom.get(s + 1));
        let cut = if distance_m(t.foot, gs) <= VERTEX_M {
            Cut {
                v: s,
                t: 0.0,
                point: gs,
            }
        } else if distance_m(t.foot, gs1) <= VERTEX_M {
            Cut {
                v: s + 1,
                t: 0.0,
                point: gs1,
            }
        } else {
            Cut {
                v: s,
                t: t.t,
                point: t.foot,
            }
        };
        by_corridor.entry(t.corridor).or_default().push((cut, i));
    }

    let mut node_of_point: Vec<Option<u32>> = vec![None; points.len()];
    for (ci, mut cuts) in by_corridor {
        cuts.sort_by(|x, y| {
            x.0.v
                .cmp(&y.0.v)
                .then(x.0.t.total_cmp(&y.0.t))
                .then(x.1.cmp(&y.1))
        });
        let c = g.corridors[ci as usize].clone();
        let cg = c.geometry.to_vec();
        let last = cg.len() - 1;
        // Distinct interior cuts in order, and the node of each point.
        let mut interior: Vec<Cut> = Vec::new();
        let mut interior_node: Vec<u32> = Vec::new();
        for (cut, i) in cuts {
            let node = if cut.v == 0 && cut.t == 0.0 {
                c.a
            } else if cut.v == last {
                c.b
            } else if interior
                .last()
                .is_some_and(|p| distance_m(p.point, cut.point) <= 0.01)
            {
                *interior_node.last().expect("same length as interior")
            } else {
                let n = g.nodes.len() as u32;
                g.nodes.push(cut.point);
                interior.push(cut);
                interior_node.push(n);
                n
            };
            node_of_point[i] = Some(node);
        }
        if interior.is_empty() {
            continue;
        }
        // Pieces between consecutive cuts.
        let total = c.length_m.max(0.0);
        let mut pieces = Vec::with_capacity(interior.len() + 1);
        let mut from = Cut {
            v: 0,
            t: 0.0,
            point: cg[0],
        };
        let mut from_node = c.a;
        let ends = interior
            .iter()
            .copied()
            .zip(interior_node.iter().copied())
            .chain(std::iter::once((
                Cut {
                    v: last,
                    t: 0.0,
                    point: cg[last],
                },
                c.b,
            )));
        let mut done_m = 0.0;
        let mut done_cost: Kzt = 0;
        for (k, (to, to_node)) in ends.enumerate() {
            let mut geometry = vec![from.point];
            let upto = if to.t > 0.0 { to.v + 1 } else { to.v };
            if from.v + 1 < upto {
                geometry.extend_from_slice(&cg[from.v + 1..upto]);
            }
            geometry.push(to.point);
            let len = length_m(&geometry);
            done_m += len;
            let cost_to = if total > 0.0 {
                (c.cost_kzt as f64 * (done_m / total).min(1.0)).round() as Kzt
            } else {
                c.cost_kzt
            };
            let is_last = to_node == c.b && to.v == last;
            let cost_to = if is_last {
                c.cost_kzt
            } else {
                cost_to.min(c.cost_kzt)
            };
            let costed = if c.length_m > 0.0 {
                c.costed_length_m * len / c.length_m
            } else {
                0.0
            };
            pieces.push(Corridor {
                a: from_node,
                b: to_node,
                geometry: geometry.into(),
                length_m: len,
                costed_length_m: costed,
                cost_kzt: cost_to - done_cost,
                kind: c.kind,
                class: c.class,
                paved: c.paved,
                osm_ways: c.osm_ways,
                names: c.names,
                bridges: if k == 0 { c.bridges } else { 0 },
                tunnels: if k == 0 { c.tunnels } else { 0 },
                railway_crossings: if k == 0 { c.railway_crossings } else { 0 },
            });
            done_cost = cost_to;
            from = to;
            from_node = to_node;
        }
        let mut pieces = pieces.into_iter();
        g.corridors[ci as usize] = pieces.next().expect("at least two pieces");
        g.corridors.extend(pieces);
    }

    // Off-road spurs for points off the corridor.
    let mut out = vec![None; points.len()];
    for (i, t) in targets.iter().enumerate() {
        let (Some(t), Some(node)) = (t, node_of_point[i]) else {
            continue;
        };
        let at = g.nodes[node as usize];
        let d = distance_m(points[i], at);
        if d <= opts.on_road_m && t.distance_m <= opts.on_road_m {
            out[i] = Some(node);
            continue;
        }
        let p = g.nodes.len() as u32;
        g.nodes.push(points[i]);
        g.corridors.push(Corridor {
            a: p,
            b: node,
            geometry: vec![points[i], at].into(),
            length_m: d,
            costed_length_m: d,
            cost_kzt: (d * opts.offroad_per_km as f64 / 1000.0).round() as Kzt,
            kind: CorridorKind::Offroad,
            class: ClassId::NONE,
            paved: None,
            osm_ways: Default::default(),
            names: Default::default(),
            bridges: 0,
            tunnels: 0,
            railway_crossings: 0,
        });
        out[i] = Some(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn corridor(a: u32, b: u32, geometry: Vec<LonLat>, per_km: f64) -> Corridor {
        let l = length_m(&geometry);
        Corridor {
            a,
            b,
            geometry: geometry.into(),
            length_m: l,
            costed_length_m: l,
            cost_kzt: (l * per_km / 1000.0).round() as Kzt,
            kind: CorridorKind::Road,
            // The graphs below hold "track" as their first class.
            class: ClassId::of_index(0).unwrap(),
            paved: Some(false),
            osm_ways: Default::default(),
            names: Default::default(),
            bridges: 1,
            tunnels: 0,
            railway_crossings: 0,
        }
    }

    /// The nearest segment by scanning every corridor: the squared distance in the
    /// projection, ties to the lower corridor, then segment (as [`SegmentIndex::nearest`]).
    fn brute_nearest(g: &PlanningGraph, proj: &LocalProjection, p: LonLat) -> Option<(u32, u32)> {
        let q = proj.project(p);
        let mut best: Option<(f64, u32, u32)> = None;
        for (ci, c) in g.corridors.iter().enumerate() {
            if c.kind == CorridorKind::Offroad || c.geometry.len() < 2 {
                continue;
            }
            let geom = c.geometry.to_vec();
            for (si, w) in geom.windows(2).enumerate() {
                let (_, f) = segment_foot(q, proj.project(w[0]), proj.project(w[1]));
                let d2 = (q[0] - f[0]).powi(2) + (q[1] - f[1]).powi(2);
                if best.is_none_or(|b| d2 < b.0) {
                    best = Some((d2, ci as u32, si as u32));
                }
            }
        }
        best.map(|b| (b.1, b.2))
    }

    proptest! {
        /// The packed index finds the segment a scan of every corridor finds, on many
        /// corridors (several levels of the index), short and long, crossing and repeated.
        #[test]
        fn index_finds_the_nearest_segment(
            lines in proptest::collection::vec(
                proptest::collection::vec((-0.5f64..0.5, -0.5f64..0.5), 2..5), 1..300),
            pts in proptest::collection::vec((-0.6f64..0.6, -0.6f64..0.6), 1..20),
            spread in prop_oneof![Just(0.001), Just(1.0), Just(40.0)],
        ) {
            let at = |p: &(f64, f64)| [60.0 + p.0 * spread, 45.0 + p.1 * spread.min(40.0)];
            let mut nodes = Vec::new();
            let mut corridors = Vec::new();
            for l in lines.iter().chain(lines.iter().take(3)) {
                let geometry: Vec<LonLat> = l.iter().map(at).collect();
                let a = nodes.len() as u32;
                nodes.push(geometry[0]);
                nodes.push(*geometry.last().unwrap());
                corridors.push(corridor(a, a + 1, geometry, 1_000.0));
            }
            let g = PlanningGraph { nodes, corridors, ..Default::default() };
            let index = SegmentIndex::new(&g);
            for p in &pts {
                let p = at(p);
                let got = index.nearest(&g, p).map(|t| (t.corridor, t.segment));
                prop_assert_eq!(got, brute_nearest(&g, &index.proj, p));
            }
        }

        /// Snapping any points keeps every road's cost, draws each corridor from its node
        /// to its node, and places every point within reach.
        #[test]
        fn snapping_keeps_costs_and_geometry(
            path in proptest::collection::vec((70.0f64..70.1, 45.0f64..45.1), 2..8),
            pts in proptest::collection::vec((69.99f64..70.11, 44.99f64..45.11), 0..12),
        ) {
            let geometry: Vec<LonLat> = path.iter().map(|p| [p.0, p.1]).collect();
            prop_assume!(geometry.windows(2).all(|w| w[0] != w[1]));
            let mut g = PlanningGraph {
                nodes: vec![geometry[0], *geometry.last().unwrap()],
                corridors: vec![corridor(0, 1, geometry, 8_800_000.0)],
                class_table: vec!["track".into()],
                ..Default::default()
            };
            prop_assume!(g.nodes[0] != g.nodes[1]);
            let before = g.corridors[0].cost_kzt;
            let points: Vec<LonLat> = pts.iter().map(|p| [p.0, p.1]).collect();
            let max_m = vec![50_000.0; points.len()];
            let opts = SnapOptions { on_road_m: 1.0, offroad_per_km: 13_200_000 };
            let placed = snap_points(&mut g, &points, &max_m, &opts);
            let road: Kzt = g.corridors.iter().filter(|c| c.kind == CorridorKind::Road).map(|c| c.cost_kzt).sum();
            prop_assert_eq!(road, before);
            prop_assert_eq!(g.corridors.iter().map(|c| c.bridges).sum::<u32>(), 1);
            for c in &g.corridors {
                let class = if c.kind == CorridorKind::Road { "track" } else { "" };
                prop_assert_eq!(g.class(c), class);
                prop_assert_eq!(c.geometry.get(0), g.nodes[c.a as usize]);
                prop_assert_eq!(c.geometry.last().unwrap(), g.nodes[c.b as usize]);
                prop_assert!(c.cost_kzt >= 0);
            }
            for (i, p) in placed.iter().enumerate() {
                let n = p.expect("within 50 km");
                let at = g.nodes[n as usize];
                prop_assert!(at == points[i] || distance_m(at, points[i]) <= 1.0);
            }
        }
    }
}
