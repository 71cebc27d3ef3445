//! Mehlhorn's 2-approximation (1988): a minimum spanning tree of the terminals' distance
//! graph restricted to Voronoi-region boundary edges.
//!
//! One multi-source Dijkstra from all terminals gives each node its nearest terminal
//! (its Voronoi base). Every edge joining two regions yields a path between their bases of
//! length `d(u) + w(u, v) + d(v)`; Kruskal over these candidates picks the terminal tree,
//! whose paths are then expanded.
//!
//! Complexity: O(m log n). Returns the expanded edges (callers run
//! [`crate::tree::mst_and_prune`]).
//!
//! References: K. Mehlhorn, "A faster approximation algorithm for the Steiner problem in
//! graphs", Information Processing Letters 27 (1988).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::UnionFind;
use crate::voronoi::Voronoi;

/// Mehlhorn's heuristic over the given terminals (all assumed mutually reachable;
/// unreachable ones simply stay apart).
pub fn mehlhorn(g: &Graph, weights: &[Cost], terminals: &[NodeId]) -> Vec<EdgeId> {
    let vor = Voronoi::compute(g, weights, terminals);
    let mut cand: Vec<(Cost, EdgeId)> = Vec::new();
    for (e, &(u, v, _)) in g.edges().iter().enumerate() {
        let (bu, bv) = (vor.base[u as usize], vor.base[v as usize]);
        if bu != bv && bu != NodeId::MAX && bv != NodeId::MAX {
            let c = vor.dist[u as usize] + weights[e] + vor.dist[v as usize];
            cand.push((c, e as EdgeId));
        }
    }
    cand.sort_unstable();
    let mut uf = UnionFind::new(g.num_nodes());
    let mut out = Vec::new();
    for (_, e) in cand {
        let (u, v, _) = g.edge(e);
        if uf.union(vor.base[u as usize], vor.base[v as usize]) {
            out.push(e);
            vor.path_to_base(g, u, &mut out);
            vor.path_to_base(g, v, &mut out);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
