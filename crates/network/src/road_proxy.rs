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

/// The points and straight roads of a proxy before densification ([`build_with_roads`]).
#[derive(Clone, Debug, Default)]
pub struct ProxyRoads {
    /// Every point of the triangulation (village, point of presence or junction; places at
    /// one position share a point), `[lon, lat]`.
    pub points: Vec<LonLat>,
    /// Households of the villages at each point (0 for junctions and points of presence).
    pub households: Vec<Cost>,
    /// Points holding a point of presence.
    pub pop: Vec<bool>,
    /// The roads, in the order the instance was densified from.
    pub roads: Vec<ProxyRoad>,
}

/// One straight road between two points of a [`ProxyRoads`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyRoad {
    /// Indices into [`ProxyRoads::points`].
    pub ends: [u32; 2],
    /// Geodesic length rounded to whole metres (at least 1): its instance edges add up to it.
    pub metres: i64,
    /// On the minimum spanning tree (the rest are the random share of other edges).
    pub spanning: bool,
}

/// Class of a proxy road on a map, from the village whose joining added it in [`grow`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProxyClass {
    /// Added to join a village of at least [`REPUBLICAN_HOUSEHOLDS`].
    Republican,
    /// Added to join a village of at least [`OBLAST_HOUSEHOLDS`].
    Oblast,
    /// Added for a smaller village, or on no path of the growth.
    Local,
}

impl ProxyClass {
    /// `republican`, `oblast` or `local` (the `class` values `coverage roads` reads).
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyClass::Republican => "republican",
            ProxyClass::Oblast => "oblast",
            ProxyClass::Local => "local",
        }
    }

    /// The class of a road added to join a village of `households`.
    pub fn of_households(households: Cost) -> ProxyClass {
        if households >= REPUBLICAN_HOUSEHOLDS {
            ProxyClass::Republican
        } else if households >= OBLAST_HOUSEHOLDS {
            ProxyClass::Oblast
        } else {
            ProxyClass::Local
        }
    }
}

/// Households of a village from which the roads added to join it are `republican`.
pub const REPUBLICAN_HOUSEHOLDS: Cost = 1_000;
/// Households of a village from which the roads added to join it are `oblast`.
pub const OBLAST_HOUSEHOLDS: Cost = 300;

/// A network grown over a proxy's roads, largest villages first ([`grow`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Growth {
    /// Per road of [`ProxyRoads::roads`]: its class when on the grown network.
    pub class: Vec<Option<ProxyClass>>,
    /// Per road: the point of the village whose joining added it.
    pub joined_by: Vec<Option<u32>>,
    /// Length of the grown network, whole metres.
    pub metres: i64,
    /// Points with households on the grown network, and their households.
    pub villages: usize,
    pub households: Cost,
    /// Villages passed over because no road reaches them from the first one.
    pub unreachable: usize,
}

/// Grow a connected network over `net`'s roads, joining the villages from the most
/// households down (ties by point index): it starts at the largest village, and each
/// next village not yet on the network is joined by its shortest path (geodesic metres)
/// to the network, until the network holds at least `max_m` metres (`None`: every
/// village). So the network is a tree, the roads joining the largest villages come first,
/// it stops on the first path that reaches `max_m` (at most one path over), and each road
/// takes its class from the village whose path added it ([`ProxyClass::of_households`]).
/// Villages no road reaches from the first one are passed over and counted.
///
/// # Complexity
/// One incremental Dijkstra: labels only decrease as the network grows, so
/// O((p + r) log p) per change of a label, p points and r roads; fast at national scale.
pub fn grow(net: &ProxyRoads, max_m: Option<i64>) -> Growth {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = net.points.len();
    let mut g = Growth {
        class: vec![None; net.roads.len()],
        joined_by: vec![None; net.roads.len()],
        ..Growth::default()
    };
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (r, road) in net.roads.iter().enumerate() {
        let [a, b] = road.ends;
        adj[a as usize].push((b, r as u32));
        adj[b as usize].push((a, r as u32));
    }
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&p| net.households[p as usize] > 0)
        .collect();
    order.sort_by_key(|&p| (Reverse(net.households[p as usize]), p));
    let Some(&start) = order.first() else {
        return g;
    };
    let mut dist = vec![i64::MAX; n];
    let mut pred = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    let settle = |dist: &mut Vec<i64>, pred: &mut Vec<u32>, heap: &mut BinaryHeap<_>| {
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u as usize] {
                continue;
            }
            for &(w, r) in &adj[u as usize] {
                let nd = d + net.roads[r as usize].metres;
                if nd < dist[w as usize] {
                    dist[w as usize] = nd;
                    pred[w as usize] = r;
                    heap.push(Reverse((nd, w)));
                }
            }
        }
    };
    dist[start as usize] = 0;
    heap.push(Reverse((0i64, start)));
    settle(&mut dist, &mut pred, &mut heap);
    for &v in &order[1..] {
        if max_m.is_some_and(|m| g.metres >= m) {
            break;
        }
        match dist[v as usize] {
            0 => continue,
            i64::MAX => {
                g.unreachable += 1;
                continue;
            }
            _ => {}
        }
        let class = ProxyClass::of_households(net.households[v as usize]);
        let mut u = v;
        while dist[u as usize] != 0 {
            let r = pred[u as usize];
            let road = &net.roads[r as usize];
            g.class[r as usize] = Some(class);
            g.joined_by[r as usize] = Some(v);
            g.metres += road.metres;
            dist[u as usize] = 0;
            heap.push(Reverse((0, u)));
            u = if road.ends[0] == u {
                road.ends[1]
            } else {
                road.ends[0]
            };
        }
        settle(&mut dist, &mut pred, &mut heap);
    }
    for (&d, &h) in dist.iter().zip(&net.households) {
        if d == 0 && h > 0 {
            g.villages += 1;
            g.households += h;
        }
    }
    g
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
    build_with_roads(villages, pops, mask, opts).0
}

/// [`build`], and the roads themselves before densification ([`ProxyRoads`]): the same
/// instance, node for node, plus the points and straight roads it was made of, for writing
/// the proxy as a map of roads ([`grow`] picks a subset and classes).
pub fn build_with_roads(
    villages: &[(LonLat, Cost)],
    pops: &[LonLat],
    mask: &CountryMask,
    opts: &RoadProxyOptions,
) -> (RoadProxy, ProxyRoads) {
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
        let proxy = RoadProxy {
            instance: Instance {
                graph: Graph::from_edges(1, &[]),
                terminals: Vec::new(),
                root: Some(0),
                prizes: vec![0],
            },
            stats: RoadProxyStats { nodes: 1, ..stats },
        };
        return (proxy, ProxyRoads::default());
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
    // (node, node, metres, vertex, vertex, on the spanning tree): sorted on the whole tuple,
    // the first three are in the order a sort of (node, node, metres) alone gives.
    let mut kept: Vec<(u32, u32, i64, u32, u32, bool)> = Vec::new();
    for &(len, ha, hb) in &cand {
        let (a, b) = (node_of_vertex[ha as usize], node_of_vertex[hb as usize]);
        let (ra, rb) = (find(&mut dsu, a), find(&mut dsu, b));
        let spanning = ra != rb;
        let keep = if spanning {
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
            kept.push((a, b, len, ha, hb, spanning));
        }
    }
    kept.sort_unstable();
    let roads: Vec<(u32, u32, i64)> = kept.iter().map(|r| (r.0, r.1, r.2)).collect();
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
    let proxy = RoadProxy {
        instance: Instance {
            graph,
            terminals,
            root: Some(0),
            prizes,
        },
        stats,
    };
    // The points and roads before densification, points in triangulation order.
    let mut households: Vec<Cost> = vec![0; tri.num_vertices()];
    for (v, &h) in villages.iter().zip(&vertex_of_point[..nv]) {
        households[h] += v.1;
    }
    let mut pop = vec![false; tri.num_vertices()];
    for &h in &vertex_of_point[nv..nv + np] {
        pop[h] = true;
    }
    let network = ProxyRoads {
        points: position,
        households,
        pop,
        roads: kept
            .iter()
            .map(|&(_, _, metres, ha, hb, spanning)| ProxyRoad {
                ends: [ha, hb],
                metres,
                spanning,
            })
            .collect(),
    };
    (proxy, network)
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

    #[test]
    fn roads_are_the_instance_before_densification() {
        let (vs, ps) = sample();
        let opts = RoadProxyOptions {
            junctions: 100,
            spacing_m: 2_000.0,
            ..RoadProxyOptions::default()
        };
        let (p, net) = build_with_roads(&vs, &ps, &square(), &opts);
        assert_eq!(
            p.instance.graph.edges(),
            build(&vs, &ps, &square(), &opts).instance.graph.edges()
        );
        assert_eq!(net.roads.len(), p.stats.roads);
        assert_eq!(
            net.roads.iter().map(|r| r.metres).sum::<i64>(),
            p.stats.road_m
        );
        assert_eq!(net.households.iter().sum::<i64>(), p.instance.total_prize());
        assert_eq!(net.pop.iter().filter(|&&x| x).count(), 2);
        let all = grow(&net, None);
        assert_eq!(all.villages, 12);
        assert_eq!(all.unreachable, 0);
    }

    /// A(5,000 households) -1000- B(junction) -1000- C(500) -500- D(10); A-C 2,500, B-D 3,000.
    fn four() -> ProxyRoads {
        let road = |a, b, metres| ProxyRoad {
            ends: [a, b],
            metres,
            spanning: false,
        };
        ProxyRoads {
            points: vec![[70.0, 45.0], [70.01, 45.0], [70.02, 45.0], [70.03, 45.0]],
            households: vec![5_000, 0, 500, 10],
            pop: vec![false; 4],
            roads: vec![
                road(0, 1, 1_000),
                road(1, 2, 1_000),
                road(0, 2, 2_500),
                road(2, 3, 500),
                road(1, 3, 3_000),
            ],
        }
    }

    #[test]
    fn grow_joins_largest_first_by_shortest_paths() {
        use ProxyClass::*;
        let all = grow(&four(), None);
        assert_eq!(
            all.class,
            vec![Some(Oblast), Some(Oblast), None, Some(Local), None]
        );
        assert_eq!(all.joined_by, vec![Some(2), Some(2), None, Some(3), None]);
        assert_eq!(
            (all.metres, all.villages, all.households),
            (2_500, 3, 5_510)
        );
        // Stops on the first path that reaches 1,500 m: C's (2,000 m); D is left out.
        let some = grow(&four(), Some(1_500));
        assert_eq!(
            some.class,
            vec![Some(Oblast), Some(Oblast), None, None, None]
        );
        assert_eq!(
            (some.metres, some.villages, some.households),
            (2_000, 2, 5_500)
        );
    }
}
