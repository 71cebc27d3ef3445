//! A national-scale road proxy for benchmarks: villages and points of presence on a
//! synthetic road network with junctions that are not villages, densified to OSM-like node
//! spacing, as a rooted Steiner instance.
//!
//! Over a network whose only junctions are villages, connecting every village is a minimum
//! spanning tree and a benchmark measures nothing; real road networks branch between
//! villages. The proxy therefore adds random junctions inside the country (half spread
//! evenly, half clustered around villages, where real roads are dense), triangulates
//! villages, points of presence and junctions together (Delaunay on a local projection),
//! keeps the Euclidean minimum spanning tree (so everything is connected) plus a random
//! share of the other edges that stay inside the country and are not too long, and cuts
//! every kept edge into pieces of at most `spacing_m` metres joined by degree-2 nodes, as a
//! digitised road is.
//!
//! The result is the rooted form [`crate::PlanningGraph::steiner_view`] gives a real plan:
//! every point of presence contracted into node 0, villages carrying their households as
//! prizes (several villages on one point add up). Weights are whole geodesic metres, split
//! over the pieces so that they add up exactly to the edge's rounded length.
//!
//! Deterministic: the same inputs, options and seed give the same instance, node for node
//! (a splitmix64 stream; no hash-map order, no threads).

use crate::country_mask::CountryMask;
use crate::geodesy::{distance_m, LocalProjection};
use fiberplan_model::LonLat;
use fiberplan_steiner::{Cost, Graph, Instance, NodeId};
use spade::{DelaunayTriangulation, Point2, Triangulation};

/// Settings of the generator.
#[derive(Clone, Debug)]
pub struct RoadProxyOptions {
    /// Seed of the junction positions and of the edges kept.
    pub seed: u64,
    /// Longest piece of road between two consecutive nodes, metres (OSM-like: ~300).
    pub spacing_m: f64,
    /// Junctions added (road crossings and forks that are not villages).
    pub junctions: usize,
    /// Share of the junctions placed near a random village (the rest spread evenly).
    pub near_village_share: f64,
    /// Junctions near a village fall within this radius of it, metres.
    pub near_village_radius_m: f64,
    /// Probability of keeping a Delaunay edge that is not on the minimum spanning tree.
    pub keep: f64,
    /// Edges off the spanning tree longer than this are dropped (no road crosses the steppe
    /// in a straight 100 km line just because the triangulation offers it).
    pub max_extra_m: f64,
    /// Places this close to the border may have their first and last metres outside.
    pub border_margin_m: f64,
}

impl Default for RoadProxyOptions {
    fn default() -> Self {
        RoadProxyOptions {
            seed: 1,
            spacing_m: 300.0,
            junctions: 30_000,
            near_village_share: 0.5,
            near_village_radius_m: 15_000.0,
            keep: 0.35,
            max_extra_m: 40_000.0,
            border_margin_m: 3_000.0,
        }
    }
}

/// Figures of a generated proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoadProxyStats {
    /// Villages given and points of presence given.
    pub villages: usize,
    pub pops: usize,
    /// Junction points placed (some may coincide with a place and merge into it).
    pub junctions: usize,
    /// Triangulation edges and those kept as roads (before densification).
    pub delaunay_edges: usize,
    pub roads: usize,
    /// Road length in whole metres (sum of the instance's weights).
    pub road_m: i64,
    /// Nodes and edges of the instance.
    pub nodes: usize,
    pub edges: usize,
    /// Nodes of degree 3 or more that carry no households: junctions that are not villages.
    pub branching_non_terminals: usize,
}

/// The generated instance and its figures.
#[derive(Clone, Debug)]
pub struct RoadProxy {
    /// Root 0 (every point of presence), villages' households as prizes.
    pub instance: Instance,
    pub stats: RoadProxyStats,
}

/// splitmix64: a small, fast, well-mixed deterministic stream.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Build the proxy over `villages` (position and households, the prize) and `pops`
/// (positions of the points of presence, contracted into the root), junctions drawn
/// inside `mask`.
///
/// # Complexity
/// O(p log p) for p = villages + pops + junctions (triangulation, spanning tree), plus
/// O(nodes) for the densification.
///
/// # Example
/// ```
/// use fiberplan_network::country_mask::CountryMask;
/// use fiberplan_network::road_proxy::{build, RoadProxyOptions};
/// let square = vec![vec![vec![[70.0, 45.0], [71.0, 45.0], [71.0, 46.0], [70.0, 46.0], [70.0, 45.0]]]];
/// let mask = CountryMask::new(&square);
/// let villages = vec![([70.2, 45.2], 10), ([70.8, 45.7], 25)];
/// let pops = vec![[70.5, 45.5]];
/// let opts = RoadProxyOptions { junctions: 20, spacing_m: 2_000.0, ..RoadProxyOptions::default() };
/// let p = build(&villages, &pops, &mask, &opts);
/// assert_eq!(p.instance.root, Some(0));
/// assert_eq!(p.instance.terminals.len(), 2);
/// assert_eq!(p.instance.total_prize(), 35);
/// assert!(p.stats.nodes > 23);
/// ```
pub fn build(
    villages: &[(LonLat, Cost)],
    pops: &[LonLat],
    mask: &CountryMask,
    opts: &RoadProxyOptions,
) -> RoadProxy {
    let mut rng = SplitMix(mix(opts.seed ^ 0x6669_6265_7270_6c61));
    let places: Vec<LonLat> = villages
        .iter()
        .map(|v| v.0)
        .chain(pops.iter().copied())
        .collect();
    let mut stats = RoadProxyStats {
        villages: villages.len(),
        pops: pops.len(),
        ..RoadProxyStats::default()
    };
    if places.is_empty() {
        return RoadProxy {
            instance: Instance {
                graph: Graph::from_edges(1, &[]),
                terminals: Vec::new(),
                root: Some(0),
                prizes: vec![0],
            },
            stats: RoadProxyStats { nodes: 1, ..stats },
        };
    }
    let junctions = sample_junctions(villages, &places, mask, opts, &mut rng);
    stats.junctions = junctions.len();
    let all: Vec<LonLat> = places.iter().chain(&junctions).copied().collect();
    let mean_lat = all.iter().map(|p| p[1]).sum::<f64>() / all.len() as f64;
    let proj = LocalProjection::new(mean_lat);
    let mut tri: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    let mut vertex_of_point = Vec::with_capacity(all.len());
    for p in &all {
        let [x, y] = proj.project(*p);
        let h = tri
            .insert(Point2::new(x, y))
            .expect("finite coordinates were checked at input");
        vertex_of_point.push(h.index());
    }
    // Instance node of each triangulation vertex: 0 for any vertex holding a point of
    // presence, then villages in input order, then junctions.
    let nv = villages.len();
    let np = pops.len();
    let mut node_of_vertex = vec![u32::MAX; tri.num_vertices()];
    let mut position = vec![[0.0, 0.0]; tri.num_vertices()];
    for (i, &h) in vertex_of_point.iter().enumerate().rev() {
        position[h] = all[i];
    }
    for &h in &vertex_of_point[nv..nv + np] {
        node_of_vertex[h] = 0;
    }
    let mut next: u32 = 1;
    for &h in vertex_of_point[..nv]
        .iter()
        .chain(&vertex_of_point[nv + np..])
    {
        if node_of_vertex[h] == u32::MAX {
            node_of_vertex[h] = next;
            next += 1;
        }
    }
    let mut prizes: Vec<Cost> = vec![0; next as usize];
    for (v, &h) in villages.iter().zip(&vertex_of_point[..nv]) {
        prizes[node_of_vertex[h] as usize] += v.1;
    }

    // Candidate roads: Delaunay edges between distinct instance nodes, sorted by length.
    let mut cand: Vec<(i64, u32, u32)> = tri
        .undirected_edges()
        .filter_map(|e| {
            let [a, b] = e.vertices();
            let (ha, hb) = (a.fix().index(), b.fix().index());
            let (na, nb) = (node_of_vertex[ha], node_of_vertex[hb]);
            if na == nb {
                return None;
            }
            let len = distance_m(position[ha], position[hb]).round().max(1.0) as i64;
            let (ha, hb) = if na < nb { (ha, hb) } else { (hb, ha) };
            Some((len, ha as u32, hb as u32))
        })
        .collect();
    stats.delaunay_edges = cand.len();
    cand.sort_unstable_by_key(|&(len, a, b)| {
        (len, node_of_vertex[a as usize], node_of_vertex[b as usize])
    });
    let mut dsu: Vec<u32> = (0..next).collect();
    let mut roads: Vec<(u32, u32, i64)> = Vec::new();
    for &(len, ha, hb) in &cand {
        let (a, b) = (node_of_vertex[ha as usize], node_of_vertex[hb as usize]);
        let (ra, rb) = (find(&mut dsu, a), find(&mut dsu, b));
        let keep = if ra != rb {
            dsu[ra as usize] = rb;
            true
        } else {
            // Decided by the edge alone (not by iteration order).
            let r = mix(opts.seed ^ mix(((a as u64) << 32) | b as u64));
            (r >> 11) as f64 / (1u64 << 53) as f64 <= opts.keep
                && (len as f64) <= opts.max_extra_m
                && mask.keeps_inside(
                    position[ha as usize],
                    position[hb as usize],
                    len as f64,
                    opts.border_margin_m,
                )
        };
        if keep {
            roads.push((a, b, len));
        }
    }
    roads.sort_unstable();
    stats.roads = roads.len();

    // Densify: each road becomes `parts` pieces of at most `spacing_m`.
    let spacing = opts.spacing_m.max(1.0);
    let mut edges: Vec<(NodeId, NodeId, Cost)> = Vec::new();
    let mut n = next as u64;
    for &(a, b, len) in &roads {
        let parts = ((len as f64 / spacing).ceil() as i64).clamp(1, len.max(1));
        let mut prev = a;
        let mut done = 0i64;
        for i in 1..=parts {
            let upto = len * i / parts;
            let w = upto - done;
            done = upto;
            let cur = if i == parts {
                b
            } else {
                n += 1;
                (n - 1) as u32
            };
            edges.push((prev, cur, w));
            prev = cur;
        }
        stats.road_m += len;
    }
    assert!(
        n <= u32::MAX as u64,
        "road proxy too large for 32-bit node ids"
    );
    let n = n as usize;
    prizes.resize(n, 0);
    let graph = Graph::from_edges(n, &edges);
    let terminals: Vec<NodeId> = (1..n as NodeId)
        .filter(|&v| prizes[v as usize] > 0)
        .collect();
    stats.nodes = n;
    stats.edges = graph.num_edges();
    stats.branching_non_terminals = (1..n as NodeId)
        .filter(|&v| prizes[v as usize] == 0 && graph.degree(v) >= 3)
        .count();
    RoadProxy {
        instance: Instance {
            graph,
            terminals,
            root: Some(0),
            prizes,
        },
        stats,
    }
}

fn find(dsu: &mut [u32], mut x: u32) -> u32 {
    while dsu[x as usize] != x {
        let p = dsu[dsu[x as usize] as usize];
        dsu[x as usize] = p;
        x = p;
    }
    x
}

/// Junctions inside the mask: a share near random villages, the rest uniform over the box
/// of all places (rejection sampling; gives up on a point after 64 misses).
fn sample_junctions(
    villages: &[(LonLat, Cost)],
    places: &[LonLat],
    mask: &CountryMask,
    opts: &RoadProxyOptions,
    rng: &mut SplitMix,
) -> Vec<LonLat> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in places {
        x0 = x0.min(p[0]);
        y0 = y0.min(p[1]);
        x1 = x1.max(p[0]);
        y1 = y1.max(p[1]);
    }
    let near = if villages.is_empty() {
        0
    } else {
        (opts.junctions as f64 * opts.near_village_share.clamp(0.0, 1.0)).round() as usize
    };
    let mut out = Vec::with_capacity(opts.junctions);
    for i in 0..opts.junctions {
        for _ in 0..64 {
            let p = if i < near {
                let v = villages[(rng.next_u64() % villages.len() as u64) as usize].0;
                // Uniform in a disc of the radius (area-uniform: sqrt of the unit draw).
                let r = opts.near_village_radius_m * rng.unit().sqrt();
                let t = std::f64::consts::TAU * rng.unit();
                let ky = 111_320.0;
                let kx = ky * v[1].to_radians().cos();
                [v[0] + r * t.cos() / kx, v[1] + r * t.sin() / ky]
            } else {
                [x0 + rng.unit() * (x1 - x0), y0 + rng.unit() * (y1 - y0)]
            };
            if mask.contains(p) {
                out.push(p);
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> CountryMask {
        CountryMask::new(&[vec![vec![
            [70.0, 45.0],
            [71.0, 45.0],
            [71.0, 46.0],
            [70.0, 46.0],
            [70.0, 45.0],
        ]]])
    }

    fn sample() -> (Vec<(LonLat, Cost)>, Vec<LonLat>) {
        let vs = (0..12)
            .map(|i| {
                let f = i as f64;
                ([70.05 + 0.07 * f, 45.1 + 0.06 * ((f * 7.0) % 12.0)], 1 + i)
            })
            .collect();
        (vs, vec![[70.5, 45.5], [70.9, 45.9]])
    }

    #[test]
    fn connected_rooted_densified_with_non_village_junctions() {
        let (vs, ps) = sample();
        let opts = RoadProxyOptions {
            junctions: 200,
            spacing_m: 1_000.0,
            ..RoadProxyOptions::default()
        };
        let p = build(&vs, &ps, &square(), &opts);
        let g = &p.instance.graph;
        assert_eq!(p.instance.root, Some(0));
        assert_eq!(p.instance.terminals.len(), 12);
        assert_eq!(p.instance.total_prize(), (1..=12).sum::<i64>());
        // Every piece at most the spacing (rounded metres), weights add up to the road length.
        assert!(g.edges().iter().all(|e| e.2 >= 1 && e.2 <= 1_000));
        assert_eq!(g.total_weight(), p.stats.road_m);
        assert!(p.stats.branching_non_terminals > 50);
        // Connected: a search from the root reaches every node.
        let mut seen = vec![false; g.num_nodes()];
        let mut stack = vec![0];
        seen[0] = true;
        while let Some(v) = stack.pop() {
            for (w, _) in g.neighbors(v) {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w);
                }
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn same_seed_same_instance_other_seed_other() {
        let (vs, ps) = sample();
        let opts = RoadProxyOptions {
            junctions: 100,
            spacing_m: 2_000.0,
            ..RoadProxyOptions::default()
        };
        let a = build(&vs, &ps, &square(), &opts);
        let b = build(&vs, &ps, &square(), &opts);
        assert_eq!(a.instance.graph.edges(), b.instance.graph.edges());
        assert_eq!(a.stats, b.stats);
        let c = build(&vs, &ps, &square(), &RoadProxyOptions { seed: 2, ..opts });
        assert_ne!(a.instance.graph.edges(), c.instance.graph.edges());
    }
}
