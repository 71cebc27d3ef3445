//! The trench tree: the least street length that reaches every premise's street point from
//! the feed point, a Steiner tree on the street graph by `fiberplan-steiner` (reductions,
//! constructions, local search), with the solver's dual-ascent lower bound as the
//! certificate. Cables, poles and trenches all follow this tree.

use crate::premises::Premise;
use crate::street_graph::{build_street_graph, Street, StreetGraph};
use fiberplan_model::LonLat;
use fiberplan_steiner::{solve_steiner, Graph, Instance, Options};

/// What a village's access network is designed from.
#[derive(Clone, Debug)]
pub struct VillageInput {
    pub id: String,
    /// Where the fibre from the OLT enters the village (its node in the corridor plan).
    pub feed: LonLat,
    pub premises: Vec<Premise>,
    pub streets: Vec<Street>,
}

/// The expensive, price- and take-up-independent part of a design: the street graph and
/// the trench tree. Re-pricing a design starts from here.
#[derive(Clone, Debug)]
pub struct VillageLayout {
    pub id: String,
    pub premises: Vec<Premise>,
    pub streets: Vec<Street>,
    pub graph: StreetGraph,
    /// Tree parent of each graph node (`u32::MAX` off the tree and at the root).
    pub parent: Vec<u32>,
    /// Graph edge to the parent (`u32::MAX` off the tree and at the root).
    pub parent_edge: Vec<u32>,
    /// Tree nodes, the feed node first, each after its parent.
    pub order: Vec<u32>,
    /// Street length from the feed node, decimetres (0 off the tree).
    pub depth_dm: Vec<i64>,
    /// Street length of the tree, decimetres.
    pub tree_dm: i64,
    /// Certified lower bound on the street length of any such tree, decimetres.
    pub bound_dm: i64,
    /// The solver's methods, e.g. `sph+ls+da`.
    pub solver: String,
    /// Premise reached by the tree (false only when no street path exists).
    pub reached: Vec<bool>,
}

/// Solves the trench tree of a village. `None` when the village has no street at all.
pub fn lay_out(input: VillageInput, seed: u64) -> Option<VillageLayout> {
    let mut points: Vec<LonLat> = input.premises.iter().map(|p| p.lonlat).collect();
    points.push(input.feed);
    let graph = build_street_graph(&input.streets, &points)?;
    let n = graph.nodes.len();
    let feed = graph.feed();
    let mut terminals: Vec<u32> = graph.snapped_node[..input.premises.len()].to_vec();
    terminals.sort_unstable();
    terminals.dedup();
    let edges: Vec<(u32, u32, i64)> = graph
        .edges
        .iter()
        .map(|e| (e.a, e.b, e.length_dm))
        .collect();
    let inst = Instance {
        graph: Graph::from_edges(n, &edges),
        terminals,
        root: Some(feed),
        prizes: vec![],
    };
    let opts = Options {
        seed,
        effort: 1,
        ..Options::default()
    };
    let sol = solve_steiner(&inst, &opts);
    // Root the tree at the feed node (breadth first, neighbours in edge order).
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for &e in &sol.edges {
        let se = &graph.edges[e as usize];
        adj[se.a as usize].push((se.b, e));
        adj[se.b as usize].push((se.a, e));
    }
    let mut parent = vec![u32::MAX; n];
    let mut parent_edge = vec![u32::MAX; n];
    let mut depth_dm = vec![0i64; n];
    let mut seen = vec![false; n];
    let mut order = vec![feed];
    seen[feed as usize] = true;
    let mut i = 0;
    while i < order.len() {
        let v = order[i];
        i += 1;
        for &(w, e) in &adj[v as usize] {
            if !seen[w as usize] {
                seen[w as usize] = true;
                parent[w as usize] = v;
                parent_edge[w as usize] = e;
                depth_dm[w as usize] = depth_dm[v as usize] + graph.edges[e as usize].length_dm;
                order.push(w);
            }
        }
    }
    let reached = graph.snapped_node[..input.premises.len()]
        .iter()
        .map(|&s| seen[s as usize])
        .collect();
    Some(VillageLayout {
        id: input.id,
        premises: input.premises,
        streets: input.streets,
        tree_dm: sol.cost,
        bound_dm: sol.lower_bound.unwrap_or(0).min(sol.cost),
        solver: sol.solver,
        graph,
        parent,
        parent_edge,
        order,
        depth_dm,
        reached,
    })
}
