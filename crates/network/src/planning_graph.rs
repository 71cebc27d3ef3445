//! The graph every plan is solved on, and its view as a rooted Steiner instance.

use fiberplan_model::{Kzt, LonLat};
use fiberplan_steiner::{Cost, Graph, Instance, NodeId};

/// What a corridor runs along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CorridorKind {
    /// Straight line between two places, costed at length x circuity (no road data).
    Proxy,
    /// An OSM road (`highway=*`).
    Road,
    /// Aerial cable on an existing power line.
    PowerLine,
    /// Along a railway.
    Railway,
    /// Off-road spur from a village or point of presence to the nearest corridor.
    Offroad,
}

impl CorridorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CorridorKind::Proxy => "proxy",
            CorridorKind::Road => "road",
            CorridorKind::PowerLine => "power_line",
            CorridorKind::Railway => "railway",
            CorridorKind::Offroad => "offroad",
        }
    }
}

/// One edge of the planning graph: a stretch of possible new fibre between two nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Corridor {
    pub a: u32,
    pub b: u32,
    /// Drawn geometry from node `a` to node `b`, both ends included.
    pub geometry: Vec<LonLat>,
    /// Geodesic length of `geometry`, metres.
    pub length_m: f64,
    /// Length the cost is based on: `length_m` x circuity for the proxy, `length_m` otherwise.
    pub costed_length_m: f64,
    /// Cost of building this corridor, whole tenge; the solver's edge weight.
    pub cost_kzt: Kzt,
    pub kind: CorridorKind,
    /// OSM `highway` class for roads (`primary`, `track`, ...); empty otherwise.
    pub class: String,
    /// Road surface, when known.
    pub paved: Option<bool>,
    /// OSM way ids along this corridor, in order, without repeats.
    pub osm_ways: Vec<i64>,
    /// Road names (`name`/`ref`) along this corridor, in order, without repeats.
    pub names: Vec<String>,
    /// Number of bridge / tunnel stretches and railway crossings along the corridor.
    pub bridges: u32,
    pub tunnels: u32,
    pub railway_crossings: u32,
}

/// Nodes, corridors, and where the villages and points of presence sit on them.
#[derive(Clone, Debug, Default)]
pub struct PlanningGraph {
    /// Node positions.
    pub nodes: Vec<LonLat>,
    pub corridors: Vec<Corridor>,
    /// Node of each input village (same index as the village list); `None` when it could
    /// not be placed on the graph (written as `unreachable`).
    pub village_node: Vec<Option<u32>>,
    /// Node of each point of presence (same index as the backbone's pops); `None` when not placed.
    pub pop_node: Vec<Option<u32>>,
    /// Nodes on existing fibre lines (sorted): part of the existing network, like points of
    /// presence; the ones a plan attaches to are reported as `pop` features.
    pub line_joints: Vec<u32>,
}

/// The planning graph as a rooted Steiner instance: all points of presence contracted into
/// node 0 (the root), every other node shifted by one.
pub struct SteinerView {
    pub instance: Instance,
    /// Planning-graph node of each instance node (`None` for the root).
    pub node_of: Vec<Option<u32>>,
    /// Instance node of each planning-graph node (pop nodes map to the root, 0).
    pub inst_of: Vec<NodeId>,
    /// Corridor of each instance edge (edges inside the root are dropped).
    pub corridor_of: Vec<u32>,
}

impl PlanningGraph {
    /// Contract the points of presence into one root and make villages terminals with
    /// `prize(village index)` as their prize (households, or a technology's cost).
    ///
    /// Several villages on one node add up their prizes.
    pub fn steiner_view(&self, prize: impl Fn(usize) -> Cost) -> SteinerView {
        let n = self.nodes.len();
        let mut is_pop = vec![false; n];
        for v in self.pop_node.iter().flatten().chain(&self.line_joints) {
            is_pop[*v as usize] = true;
        }
        let mut inst_of = vec![0 as NodeId; n];
        let mut node_of = vec![None];
        for v in 0..n {
            if !is_pop[v] {
                inst_of[v] = node_of.len() as NodeId;
                node_of.push(Some(v as u32));
            }
        }
        let mut edges = Vec::with_capacity(self.corridors.len());
        let mut corridor_of = Vec::with_capacity(self.corridors.len());
        for (i, c) in self.corridors.iter().enumerate() {
            let (a, b) = (inst_of[c.a as usize], inst_of[c.b as usize]);
            if a == b {
                continue;
            }
            edges.push((a, b, c.cost_kzt));
            corridor_of.push(i as u32);
        }
        let mut prizes = vec![0 as Cost; node_of.len()];
        let mut terminals = Vec::new();
        for (i, v) in self.village_node.iter().enumerate() {
            if let Some(v) = v {
                // A village on a point of presence is the root's prize: served at no corridor cost.
                let t = inst_of[*v as usize];
                prizes[t as usize] += prize(i);
                if t != 0 {
                    terminals.push(t);
                }
            }
        }
        terminals.sort_unstable();
        terminals.dedup();
        SteinerView {
            instance: Instance {
                graph: Graph::from_edges(node_of.len(), &edges),
                terminals,
                root: Some(0),
                prizes,
            },
            node_of,
            inst_of,
            corridor_of,
        }
    }
}
