//! Straight-line corridor proxy for planning without road data: a Delaunay triangulation over
//! villages and points of presence, costed at geodesic length x a road-circuity factor.
//!
//! Delaunay keeps the graph sparse (about 3 edges a node) and planar while always containing
//! the Euclidean minimum spanning tree, so the cheapest way to reach any set of places is
//! among its edges up to the proxy's accuracy. Triangulation runs on a local metric projection
//! (equirectangular around the mean latitude); lengths are geodesic. Edges that leave the
//! country (sampled against a [`CountryMask`]) are dropped.

use crate::country_mask::CountryMask;
use crate::geodesy::{distance_m, LocalProjection};
use crate::{Corridor, CorridorKind, PlanningGraph};
use fiberplan_model::antimeridian::LonFrame;
use fiberplan_model::{Backbone, CostModel, Kzt, LonLat, Village};
use spade::{DelaunayTriangulation, Point2, Triangulation};

/// Settings of the proxy.
#[derive(Clone, Debug)]
pub struct ProxyOptions {
    /// Costed length = geodesic length x circuity (roads wind; default 1.3).
    pub circuity: f64,
    /// Existing fibre lines are cut into joints this far apart (metres) where villages may attach.
    pub joint_spacing_m: f64,
    /// Places this close to the border may have their first and last metres outside.
    pub border_margin_m: f64,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        ProxyOptions {
            circuity: 1.3,
            joint_spacing_m: 2_000.0,
            border_margin_m: 3_000.0,
        }
    }
}

/// Cost of `costed_m` metres at `per_km` tenge a km, rounded to whole tenge.
pub fn cost_of(costed_m: f64, per_km: Kzt) -> Kzt {
    (costed_m * per_km as f64 / 1000.0).round() as Kzt
}

/// Points along each existing line, at most `spacing_m` apart, vertices included.
pub fn line_joints(lines: &[Vec<LonLat>], spacing_m: f64) -> Vec<LonLat> {
    let mut out = Vec::new();
    for line in lines {
        for (k, w) in line.windows(2).enumerate() {
            if k == 0 {
                out.push(w[0]);
            }
            let d = distance_m(w[0], w[1]);
            let parts = (d / spacing_m).ceil().max(1.0) as usize;
            for i in 1..=parts {
                let t = i as f64 / parts as f64;
                out.push([
                    w[0][0] + t * (w[1][0] - w[0][0]),
                    w[0][1] + t * (w[1][1] - w[0][1]),
                ]);
            }
        }
    }
    out
}

/// Where each point (a village) would attach to an existing line: its projection onto the
/// nearest segment of any line, when that lies within `max_m` (metres). A point lying on a
/// line gets a joint at its own position, so it attaches where it lies instead of at the
/// nearest spaced joint. Distances in the local projection `proj`; output: the point's
/// index and the joint in `[lon, lat]`. The proxy and the OSM road graph both use it.
pub fn projection_joints(
    points: &[LonLat],
    lines: &[Vec<LonLat>],
    proj: &LocalProjection,
    max_m: f64,
) -> Vec<(usize, LonLat)> {
    use rstar::primitives::Line;
    use rstar::{PointDistance, RTree};
    let segments: Vec<Line<[f64; 2]>> = lines
        .iter()
        .flat_map(|l| l.windows(2))
        .map(|w| Line::new(proj.project(w[0]), proj.project(w[1])))
        .collect();
    if segments.is_empty() {
        return Vec::new();
    }
    let tree = RTree::bulk_load(segments);
    let mut out = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        let q = proj.project(p);
        let Some(seg) = tree.nearest_neighbor(&q) else {
            continue;
        };
        let d2 = seg.distance_2(&q);
        if d2 < 1.0 {
            // On the line (within a metre): the point itself is the joint, one node.
            out.push((i, p));
        } else if d2 <= max_m * max_m {
            out.push((i, proj.unproject(seg.nearest_point(&q))));
        }
    }
    out
}

/// Build the proxy planning graph.
///
/// Places that straddle the antimeridian are triangulated in an unwrapped longitude frame
/// ([`LonFrame`]); node positions are the inputs' own, in `[-180, 180]`.
pub fn build(
    villages: &[Village],
    backbone: &Backbone,
    mask: Option<&CountryMask>,
    costs: &CostModel,
    opts: &ProxyOptions,
) -> PlanningGraph {
    let frame = LonFrame::for_lons(
        villages
            .iter()
            .map(|v| v.lonlat[0])
            .chain(backbone.pops.iter().map(|p| p.lonlat[0]))
            .chain(backbone.lines.iter().flatten().map(|p| p[0])),
    );
    let lines: Vec<Vec<LonLat>> = backbone
        .lines
        .iter()
        .map(|l| l.iter().map(|p| frame.unwrap(*p)).collect())
        .collect();
    let village_at: Vec<LonLat> = villages.iter().map(|v| frame.unwrap(v.lonlat)).collect();
    let mut joints = line_joints(&lines, opts.joint_spacing_m);
    if !lines.is_empty() && !villages.is_empty() {
        let lat = villages.iter().map(|v| v.lonlat[1]).sum::<f64>() / villages.len() as f64;
        let near = LocalProjection::new(lat);
        joints.extend(
            projection_joints(&village_at, &lines, &near, opts.joint_spacing_m)
                .into_iter()
                .map(|(_, p)| p),
        );
    }
    // Every point in the unwrapped frame (for the triangulation) and as a position.
    let all: Vec<LonLat> = village_at
        .iter()
        .copied()
        .chain(backbone.pops.iter().map(|p| frame.unwrap(p.lonlat)))
        .chain(joints.iter().copied())
        .collect();
    let position: Vec<LonLat> = villages
        .iter()
        .map(|v| v.lonlat)
        .chain(backbone.pops.iter().map(|p| p.lonlat))
        .chain(joints.iter().map(|p| frame.wrap(*p)))
        .collect();
    let mut g = PlanningGraph::default();
    if all.is_empty() {
        return g;
    }
    let mean_lat = all.iter().map(|p| p[1]).sum::<f64>() / all.len() as f64;
    let proj = LocalProjection::new(mean_lat);
    let mut tri: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    // Node of each input point: coincident points share one vertex (spade merges them).
    let mut node_of_point = Vec::with_capacity(all.len());
    for p in &all {
        let [x, y] = proj.project(*p);
        let h = tri
            .insert(Point2::new(x, y))
            .expect("finite coordinates were checked at input");
        node_of_point.push(h.index() as u32);
    }
    g.nodes = vec![[0.0, 0.0]; tri.num_vertices()];
    // The first input point at a vertex gives the node its exact position.
    for (i, &n) in node_of_point.iter().enumerate().rev() {
        g.nodes[n as usize] = position[i];
    }
    let nv = villages.len();
    let np = backbone.pops.len();
    g.village_node = node_of_point[..nv].iter().map(|&n| Some(n)).collect();
    g.pop_node = node_of_point[nv..nv + np]
        .iter()
        .map(|&n| Some(n))
        .collect();
    g.line_joints = node_of_point[nv + np..].to_vec();
    g.line_joints.sort_unstable();
    g.line_joints.dedup();

    let mut edges: Vec<(u32, u32)> = tri
        .undirected_edges()
        .map(|e| {
            let [a, b] = e.vertices();
            let (a, b) = (a.fix().index() as u32, b.fix().index() as u32);
            (a.min(b), a.max(b))
        })
        .collect();
    edges.sort_unstable();
    for (a, b) in edges {
        let (pa, pb) = (g.nodes[a as usize], g.nodes[b as usize]);
        let length_m = distance_m(pa, pb);
        if let Some(m) = mask {
            if !m.keeps_inside(pa, pb, length_m, opts.border_margin_m) {
                continue;
            }
        }
        let costed = length_m * opts.circuity;
        g.corridors.push(Corridor {
            a,
            b,
            geometry: vec![pa, pb].into(),
            length_m,
            costed_length_m: costed,
            cost_kzt: cost_of(costed, costs.corridor.proxy_per_km),
            kind: CorridorKind::Proxy,
            class: Default::default(),
            paved: None,
            osm_ways: Default::default(),
            names: Default::default(),
            bridges: 0,
            tunnels: 0,
            railway_crossings: 0,
        });
    }
    g
}
