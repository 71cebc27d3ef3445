//! Backhaul: each new site is joined to the network by fibre along the corridors of the
//! planning graph or by a microwave hop to a hub in line of sight, whichever is cheaper.
//!
//! Fibre is attached by the shortest-path heuristic for Steiner trees (Takahashi and
//! Matsuyama 1980): the network starts as the existing fibre (points of presence, line
//! joints) plus whatever the village plan builds; repeatedly the site with the cheapest
//! fibre join that is no dearer than its microwave option is joined, and its new
//! corridors become network, so later sites share them and pay once. Distances are kept
//! by one multi-source Dijkstra that is repaired (only decreases) after each join. Sites
//! left over take microwave. Cost of a fibre join: an off-road spur from the site to the
//! nearest graph node plus the corridors not yet built.
//!
//! Line of sight: every profile point clears `fresnel_clearance` of the first Fresnel zone
//! under an effective earth radius of `k_factor` x 6371 km; without a DEM the ground is a
//! smooth sphere.

use crate::radio_link::ProfileFn;
use fiberplan_model::mobile::BackhaulCosts;
use fiberplan_model::{Kzt, LonLat};
use fiberplan_network::geodesy::distance_m;
use fiberplan_network::PlanningGraph;
use fiberplan_radio::coverage::PointIndex;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A microwave end that is already fed: a point of presence, an existing mast, or a site
/// joined by fibre.
#[derive(Clone, Debug, PartialEq)]
pub struct Hub {
    pub name: String,
    pub lonlat: LonLat,
    pub height_m: f64,
}

/// How one site is joined.
#[derive(Clone, Debug, PartialEq)]
pub enum Backhaul {
    Fibre {
        cost_kzt: Kzt,
        /// Off-road spur from the site to graph node `node`, m.
        spur_m: f64,
        node: u32,
        /// New corridors, in order from the site's node to the network.
        corridors: Vec<u32>,
        /// Metres of new corridor (spur included).
        new_m: f64,
        /// The microwave option it beat, if there was one.
        microwave_kzt: Option<Kzt>,
    },
    Microwave {
        cost_kzt: Kzt,
        hub: Hub,
        km: f64,
        /// The fibre option it beat, if there was one.
        fibre_kzt: Option<Kzt>,
    },
    /// Neither a corridor nor a hub in line of sight reaches it.
    None,
}

impl Backhaul {
    pub fn cost_kzt(&self) -> Kzt {
        match self {
            Backhaul::Fibre { cost_kzt, .. } | Backhaul::Microwave { cost_kzt, .. } => *cost_kzt,
            Backhaul::None => 0,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Backhaul::Fibre { .. } => "fibre",
            Backhaul::Microwave { .. } => "microwave",
            Backhaul::None => "none",
        }
    }
    /// Why this option, in one sentence.
    pub fn reason(&self) -> String {
        match self {
            Backhaul::Fibre {
                cost_kzt,
                new_m,
                microwave_kzt,
                ..
            } => match microwave_kzt {
                Some(mw) => format!(
                    "fibre: {:.1} km of new corridor for {cost_kzt} KZT, not dearer than microwave at {mw} KZT",
                    new_m / 1000.0
                ),
                None => format!(
                    "fibre: {:.1} km of new corridor for {cost_kzt} KZT; no fed hub in line of sight within range",
                    new_m / 1000.0
                ),
            },
            Backhaul::Microwave {
                cost_kzt,
                hub,
                km,
                fibre_kzt,
            } => match fibre_kzt {
                Some(f) => format!(
                    "microwave: {km:.1} km hop to {} for {cost_kzt} KZT, cheaper than fibre at {f} KZT",
                    hub.name
                ),
                None => format!(
                    "microwave: {km:.1} km hop to {} for {cost_kzt} KZT; no corridor reaches the site",
                    hub.name
                ),
            },
            Backhaul::None => {
                "none: no corridor reaches the site and no fed hub is in line of sight".into()
            }
        }
    }
}

/// The fibre network a site can join.
pub struct Network<'a> {
    pub graph: &'a PlanningGraph,
    /// Per graph node: already fibre (existing network or a planned route).
    pub fibre: Vec<bool>,
    /// Off-road trench per km (the spur from a site to the graph).
    pub offroad_per_km: Kzt,
}

/// Is there line of sight with Fresnel clearance between two antennas?
pub fn line_of_sight(
    a: LonLat,
    h_a: f64,
    b: LonLat,
    h_b: f64,
    costs: &BackhaulCosts,
    profile: Option<&ProfileFn<'_>>,
) -> bool {
    let d = distance_m(a, b);
    if d <= 1.0 {
        return true;
    }
    let mut buf = Vec::new();
    let (interval, ground): (f64, &[f64]) = match profile {
        Some(p) => match p(a, b, &mut buf) {
            Some(iv) if buf.len() >= 2 => (iv, &buf),
            _ => return false,
        },
        None => {
            let n = (d / 100.0).ceil().max(2.0) as usize;
            buf = vec![0.0; n + 1];
            (d / n as f64, &buf)
        }
    };
    let n = ground.len() - 1;
    let total = interval * n as f64;
    let (za, zb) = (ground[0] + h_a, ground[n] + h_b);
    let re = costs.k_factor * 6_371_000.0;
    let lambda_f = costs.microwave_f_ghz;
    (1..n).all(|i| {
        let d1 = interval * i as f64;
        let d2 = total - d1;
        let ray = za + (zb - za) * d1 / total;
        let bulge = d1 * d2 / (2.0 * re);
        // First Fresnel radius, m: 17.32 sqrt(d1 d2 / (f d)) with km and GHz.
        let f1 = 17.32 * ((d1 / 1000.0) * (d2 / 1000.0) / (lambda_f * total / 1000.0)).sqrt();
        ray - (ground[i] + bulge) >= costs.fresnel_clearance * f1
    })
}

struct Dijkstra {
    adj: Vec<Vec<(u32, u32, Kzt)>>,
    dist: Vec<Kzt>,
    /// (previous node, corridor) on the cheapest path to the network.
    pred: Vec<Option<(u32, u32)>>,
}

impl Dijkstra {
    fn new(g: &PlanningGraph, fibre: &[bool]) -> Self {
        let n = g.nodes.len();
        let mut adj = vec![Vec::new(); n];
        for (k, c) in g.corridors.iter().enumerate() {
            adj[c.a as usize].push((c.b, k as u32, c.cost_kzt));
            adj[c.b as usize].push((c.a, k as u32, c.cost_kzt));
        }
        let mut d = Dijkstra {
            adj,
            dist: vec![Kzt::MAX; n],
            pred: vec![None; n],
        };
        let sources: Vec<u32> = (0..n as u32).filter(|&v| fibre[v as usize]).collect();
        d.repair(&sources);
        d
    }

    /// Make `sources` distance 0 and relax outwards wherever distances drop.
    fn repair(&mut self, sources: &[u32]) {
        let mut heap = BinaryHeap::new();
        for &s in sources {
            self.dist[s as usize] = 0;
            self.pred[s as usize] = None;
            heap.push(Reverse((0, s)));
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > self.dist[v as usize] {
                continue;
            }
            for &(w, e, c) in &self.adj[v as usize] {
                let nd = d.saturating_add(c);
                if nd < self.dist[w as usize] {
                    self.dist[w as usize] = nd;
                    self.pred[w as usize] = Some((v, e));
                    heap.push(Reverse((nd, w)));
                }
            }
        }
    }

    /// Corridors and nodes from `v` to the network.
    fn path(&self, mut v: u32) -> (Vec<u32>, Vec<u32>) {
        let (mut es, mut vs) = (Vec::new(), vec![v]);
        while let Some((p, e)) = self.pred[v as usize] {
            es.push(e);
            vs.push(p);
            v = p;
        }
        (es, vs)
    }
}

/// One site to join: where, how tall.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteToJoin {
    pub name: String,
    pub lonlat: LonLat,
    pub height_m: f64,
}

/// Join every site; the result is in the order of `sites`. Deterministic (ties by index).
pub fn join(
    sites: &[SiteToJoin],
    net: &Network<'_>,
    hubs: &[Hub],
    costs: &BackhaulCosts,
    profile: Option<&ProfileFn<'_>>,
) -> Vec<Backhaul> {
    let g = net.graph;
    let mut dij = Dijkstra::new(g, &net.fibre);
    let node_index = PointIndex::new(&g.nodes);
    // Nearest graph node of each site and the spur to it.
    let attach: Vec<Option<(u32, f64, Kzt)>> = sites
        .iter()
        .map(|s| {
            let near = [1_000.0, 10_000.0, 100_000.0]
                .iter()
                .map(|&r| node_index.within(s.lonlat, r))
                .find(|v| !v.is_empty())?;
            let (i, m) = near
                .into_iter()
                .map(|i| (i, distance_m(s.lonlat, g.nodes[i])))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))?;
            let spur = (net.offroad_per_km as f64 * m / 1000.0).round() as Kzt;
            Some((i as u32, m, spur))
        })
        .collect();
    let mut hubs: Vec<Hub> = hubs.to_vec();
    let hub_reach = costs.microwave_max_km * 1000.0;
    let best_hop = |s: &SiteToJoin, hubs: &[Hub]| -> Option<(usize, f64)> {
        let mut v: Vec<(usize, f64)> = hubs
            .iter()
            .enumerate()
            .map(|(k, h)| (k, distance_m(s.lonlat, h.lonlat)))
            .filter(|&(_, d)| d <= hub_reach)
            .collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(8).find(|&(k, _)| {
            line_of_sight(
                s.lonlat,
                s.height_m,
                hubs[k].lonlat,
                hubs[k].height_m,
                costs,
                profile,
            )
        })
    };
    let mut hop: Vec<Option<(usize, f64)>> = sites.iter().map(|s| best_hop(s, &hubs)).collect();
    let fibre_cost = |i: usize, dij: &Dijkstra| -> Option<Kzt> {
        let (node, _, spur) = attach[i]?;
        let d = dij.dist[node as usize];
        (d != Kzt::MAX).then(|| d.saturating_add(spur))
    };
    let mw = costs.microwave_link_kzt;
    let mut out: Vec<Option<Backhaul>> = vec![None; sites.len()];
    loop {
        let pick = (0..sites.len())
            .filter(|&i| out[i].is_none())
            .filter_map(|i| {
                let f = fibre_cost(i, &dij)?;
                (hop[i].is_none() || f <= mw).then_some((f, i))
            })
            .min();
        let Some((f, i)) = pick else { break };
        let (node, spur_m, _) = attach[i].expect("a fibre cost needs an attachment");
        let (corridors, nodes) = dij.path(node);
        let new_m = spur_m
            + corridors
                .iter()
                .map(|&e| g.corridors[e as usize].length_m)
                .sum::<f64>();
        out[i] = Some(Backhaul::Fibre {
            cost_kzt: f,
            spur_m,
            node,
            corridors,
            new_m,
            microwave_kzt: hop[i].map(|_| mw),
        });
        dij.repair(&nodes);
        // The site is fed now: a hub for the sites still waiting.
        let s = &sites[i];
        hubs.push(Hub {
            name: s.name.clone(),
            lonlat: s.lonlat,
            height_m: s.height_m,
        });
        let k = hubs.len() - 1;
        for j in 0..sites.len() {
            if out[j].is_none() && hop[j].is_none() {
                let d = distance_m(sites[j].lonlat, s.lonlat);
                if d <= hub_reach
                    && line_of_sight(
                        sites[j].lonlat,
                        sites[j].height_m,
                        s.lonlat,
                        s.height_m,
                        costs,
                        profile,
                    )
                {
                    hop[j] = Some((k, d));
                }
            }
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, b)| {
            b.unwrap_or_else(|| match hop[i] {
                Some((k, d)) => Backhaul::Microwave {
                    cost_kzt: mw,
                    hub: hubs[k].clone(),
                    km: d / 1000.0,
                    fibre_kzt: fibre_cost(i, &dij),
                },
                None => Backhaul::None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fiberplan_network::{Corridor, CorridorKind};

    fn costs() -> BackhaulCosts {
        BackhaulCosts {
            microwave_link_kzt: 9_000_000,
            microwave_max_km: 40.0,
            fresnel_clearance: 0.6,
            k_factor: 4.0 / 3.0,
            microwave_f_ghz: 7.0,
        }
    }

    fn corridor(a: u32, b: u32, g: &[LonLat], per_km: Kzt) -> Corridor {
        let length_m = distance_m(g[a as usize], g[b as usize]);
        Corridor {
            a,
            b,
            geometry: vec![g[a as usize], g[b as usize]].into(),
            length_m,
            costed_length_m: length_m,
            cost_kzt: (per_km as f64 * length_m / 1000.0).round() as Kzt,
            kind: CorridorKind::Road,
            class: Default::default(),
            paved: Some(true),
            osm_ways: Default::default(),
            names: Default::default(),
            bridges: 0,
            tunnels: 0,
            railway_crossings: 0,
        }
    }

    #[test]
    fn smooth_earth_horizon() {
        // Two 40 m masts: radio horizon 2 x 4.12 sqrt(40) = 52 km at k = 4/3, less the
        // Fresnel clearance; 30 km is clear, 60 km is not.
        let c = costs();
        let a = [70.0, 45.0];
        let b30 = [70.0, 45.0 + 30.0 / 111.13];
        let b60 = [70.0, 45.0 + 60.0 / 111.13];
        assert!(line_of_sight(a, 40.0, b30, 40.0, &c, None));
        assert!(!line_of_sight(a, 40.0, b60, 40.0, &c, None));
        // A 200 m ridge in the middle blocks the 30 km hop.
        let ridge = |_: LonLat, _: LonLat, buf: &mut Vec<f64>| {
            buf.clear();
            buf.extend((0..=300).map(|i| if i == 150 { 200.0 } else { 0.0 }));
            Some(100.0)
        };
        assert!(!line_of_sight(a, 40.0, b30, 40.0, &c, Some(&ridge)));
    }

    /// A road west to east: node 0 the point of presence, 1 and 2 a planned village route.
    #[test]
    fn a_site_beside_a_planned_route_pays_only_its_spur() {
        let nodes = vec![[70.0, 45.0], [70.2, 45.0], [70.4, 45.0]];
        let corridors = vec![
            corridor(0, 1, &nodes, 11_000_000),
            corridor(1, 2, &nodes, 11_000_000),
        ];
        let graph = PlanningGraph {
            nodes,
            corridors,
            village_node: vec![],
            pop_node: vec![Some(0)],
            line_joints: vec![],
            ..Default::default()
        };
        let site = SiteToJoin {
            name: "s".into(),
            lonlat: [70.4, 45.001],
            height_m: 40.0,
        };
        let spur_m = distance_m([70.4, 45.001], [70.4, 45.0]);
        let spur = (13_200_000.0 * spur_m / 1000.0).round() as Kzt;
        let no_hubs: Vec<Hub> = vec![];
        // Only the point of presence is fibre: the site pays the whole road.
        let alone = Network {
            graph: &graph,
            fibre: vec![true, false, false],
            offroad_per_km: 13_200_000,
        };
        let b = join(
            std::slice::from_ref(&site),
            &alone,
            &no_hubs,
            &costs(),
            None,
        );
        let road = graph.corridors[0].cost_kzt + graph.corridors[1].cost_kzt;
        assert_eq!(b[0].cost_kzt(), road + spur);
        // The village plan builds the road: the site pays its spur only (one payment).
        let planned = Network {
            fibre: vec![true, true, true],
            ..alone
        };
        let b = join(
            std::slice::from_ref(&site),
            &planned,
            &no_hubs,
            &costs(),
            None,
        );
        assert_eq!(b[0].cost_kzt(), spur);
        assert_eq!(b[0].kind(), "fibre");
        // Two sites at the far end share the road: the second pays its spur only.
        let twin = SiteToJoin {
            name: "t".into(),
            lonlat: [70.4, 44.999],
            ..site.clone()
        };
        let twin_spur =
            (13_200_000.0 * distance_m([70.4, 44.999], [70.4, 45.0]) / 1000.0).round() as Kzt;
        let b = join(&[site.clone(), twin], &alone, &no_hubs, &costs(), None);
        assert_eq!(b[0].cost_kzt() + b[1].cost_kzt(), road + spur + twin_spur);
    }

    #[test]
    fn microwave_when_cheaper_and_in_sight() {
        let nodes = vec![[70.0, 45.0], [70.2, 45.0]];
        let corridors = vec![corridor(0, 1, &nodes, 11_000_000)];
        let graph = PlanningGraph {
            nodes,
            corridors,
            village_node: vec![],
            pop_node: vec![Some(0)],
            line_joints: vec![],
            ..Default::default()
        };
        let net = Network {
            graph: &graph,
            fibre: vec![true, false],
            offroad_per_km: 13_200_000,
        };
        let pop = Hub {
            name: "pop".into(),
            lonlat: [70.0, 45.0],
            height_m: 30.0,
        };
        let site = SiteToJoin {
            name: "s".into(),
            lonlat: [70.2, 45.0],
            height_m: 40.0,
        };
        // 15.7 km of road costs 173 M KZT; a 9 M KZT hop in sight wins.
        let b = join(
            std::slice::from_ref(&site),
            &net,
            std::slice::from_ref(&pop),
            &costs(),
            None,
        );
        assert_eq!(b[0].kind(), "microwave", "{:?}", b[0]);
        assert_eq!(b[0].cost_kzt(), 9_000_000);
        assert!(
            b[0].reason().contains("cheaper than fibre"),
            "{}",
            b[0].reason()
        );
        // Behind a ridge, fibre it is.
        let ridge = |_: LonLat, _: LonLat, buf: &mut Vec<f64>| {
            buf.clear();
            buf.extend((0..=100).map(|i| if i == 50 { 300.0 } else { 0.0 }));
            Some(157.0)
        };
        let b = join(
            std::slice::from_ref(&site),
            &net,
            &[pop],
            &costs(),
            Some(&ridge),
        );
        assert_eq!(b[0].kind(), "fibre");
    }
}
