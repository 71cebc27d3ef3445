//! Cutting the chosen corridors into routes a reviewer can follow: one route per stretch
//! between key nodes (villages served, points of presence, branch points, ends).

use fiberplan_model::LonLat;
use fiberplan_network::PlanningGraph;

/// One `new_fibre` route: a chain of corridors between two key nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Corridors in order from `from` to `to`.
    pub corridors: Vec<u32>,
    /// Start and end node of the planning graph.
    pub from: u32,
    pub to: u32,
    /// Drawn geometry, `from` to `to`.
    pub geometry: Vec<LonLat>,
    /// Geodesic drawn length, metres.
    pub length_m: f64,
    /// Costed length (drawn x circuity for the proxy), metres.
    pub costed_length_m: f64,
    pub cost_kzt: i64,
    /// District of the route's midpoint (index into the district table), when known.
    pub district: Option<usize>,
    /// Year the route is built, when the plan is phased.
    pub phase: Option<u16>,
}

/// Split the chosen `corridors` (a forest of the planning graph) into routes. `key[v]` marks
/// nodes where a route must end even with two chosen corridors (served villages, points of
/// presence). Deterministic: routes come in the order of their first corridor's key node.
pub fn split_routes(g: &PlanningGraph, corridors: &[u32], key: &[bool]) -> Vec<Route> {
    let n = g.nodes.len();
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut chosen = corridors.to_vec();
    chosen.sort_unstable();
    for &c in &chosen {
        let cor = &g.corridors[c as usize];
        adj[cor.a as usize].push(c);
        adj[cor.b as usize].push(c);
    }
    let is_key = |v: usize| key[v] || adj[v].len() != 2;
    let mut used = vec![false; g.corridors.len()];
    let mut routes = Vec::new();
    let other = |c: u32, v: u32| {
        let cor = &g.corridors[c as usize];
        if cor.a == v {
            cor.b
        } else {
            cor.a
        }
    };
    let walk = |start: u32, first: u32, used: &mut Vec<bool>| {
        let mut r = Route {
            corridors: Vec::new(),
            from: start,
            to: start,
            geometry: Vec::new(),
            length_m: 0.0,
            costed_length_m: 0.0,
            cost_kzt: 0,
            district: None,
            phase: None,
        };
        let (mut v, mut c) = (start, first);
        loop {
            used[c as usize] = true;
            let cor = &g.corridors[c as usize];
            let forward = cor.a == v;
            let mut geom = cor.geometry.to_vec();
            if !forward {
                geom.reverse();
            }
            if !r.geometry.is_empty() {
                geom.remove(0);
            }
            r.geometry.extend(geom);
            r.corridors.push(c);
            r.length_m += cor.length_m;
            r.costed_length_m += cor.costed_length_m;
            r.cost_kzt += cor.cost_kzt;
            v = other(c, v);
            if is_key(v as usize) {
                break;
            }
            match adj[v as usize].iter().find(|&&d| !used[d as usize]) {
                Some(&d) => c = d,
                None => break,
            }
        }
        r.to = v;
        r
    };
    for (v, incident) in adj.iter().enumerate() {
        if !is_key(v) {
            continue;
        }
        for &c in incident {
            if !used[c as usize] {
                routes.push(walk(v as u32, c, &mut used));
            }
        }
    }
    // A cycle with no key node cannot occur in a forest; corridors left over would mean one.
    debug_assert!(chosen.iter().all(|&c| used[c as usize]));
    routes
}

/// The point halfway along a polyline (by planar interpolation of the segment it falls in).
pub fn midpoint(geometry: &[LonLat]) -> LonLat {
    use fiberplan_network::geodesy::distance_m;
    let total: f64 = geometry.windows(2).map(|w| distance_m(w[0], w[1])).sum();
    let mut left = total / 2.0;
    for w in geometry.windows(2) {
        let d = distance_m(w[0], w[1]);
        if d >= left && d > 0.0 {
            let t = left / d;
            return [
                w[0][0] + t * (w[1][0] - w[0][0]),
                w[0][1] + t * (w[1][1] - w[0][1]),
            ];
        }
        left -= d;
    }
    geometry.first().copied().unwrap_or([0.0, 0.0])
}
