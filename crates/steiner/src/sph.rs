//! Shortest-path heuristic (Takahashi and Matsuyama, 1980).
//!
//! Grows a tree from a start node, each step joining the nearest terminal not yet in the
//! tree by a shortest path. Distances to the tree are kept in one Dijkstra label array that
//! is only repaired when the tree grows: the new path's nodes enter the heap at distance 0
//! and only labels that decrease are propagated. A run is therefore close to one Dijkstra
//! pass on road-like graphs instead of one per terminal.
//!
//! Arguments: the graph, per-edge weights used for the search (the graph's own, or
//! perturbed ones), terminals, the start node. Returns the tree's edge ids (unsorted;
//! callers run [`crate::tree::mst_and_prune`]) and the terminals it could not reach.
//!
//! Complexity: O(m log n) per run in the usual case; each label is re-propagated only
//! when it strictly decreases.
//!
//! References: H. Takahashi, A. Matsuyama, "An approximate solution for the Steiner
//! problem in graphs", Math. Japonica 24 (1980).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const NONE: EdgeId = EdgeId::MAX;

/// Runs the shortest-path heuristic from `start`. `is_terminal` marks the terminals.
pub fn sph(
    g: &Graph,
    weights: &[Cost],
    is_terminal: &[bool],
    num_terminals: usize,
    start: NodeId,
) -> (Vec<EdgeId>, Vec<NodeId>) {
    let n = g.num_nodes();
    let mut dist = vec![Cost::MAX; n];
    let mut pred = vec![NONE; n];
    let mut in_tree = vec![false; n];
    let mut heap = BinaryHeap::new();
    let mut tree = Vec::new();
    in_tree[start as usize] = true;
    dist[start as usize] = 0;
    heap.push(Reverse((0, start)));
    let mut remaining = num_terminals - usize::from(is_terminal[start as usize]);
    while remaining > 0 {
        let Some(Reverse((d, v))) = heap.pop() else {
            break;
        };
        if d > dist[v as usize] {
            continue;
        }
        if is_terminal[v as usize] && !in_tree[v as usize] {
            let mut x = v;
            while !in_tree[x as usize] {
                in_tree[x as usize] = true;
                dist[x as usize] = 0;
                heap.push(Reverse((0, x)));
                let e = pred[x as usize];
                tree.push(e);
                x = g.other(e, x);
            }
            remaining -= 1;
            continue;
        }
        for (u, e) in g.neighbors(v) {
            let nd = d + weights[e as usize];
            if nd < dist[u as usize] {
                dist[u as usize] = nd;
                pred[u as usize] = e;
                heap.push(Reverse((nd, u)));
            }
        }
    }
    let unreachable = if remaining > 0 {
        (0..n as NodeId)
            .filter(|&v| is_terminal[v as usize] && !in_tree[v as usize])
            .collect()
    } else {
        Vec::new()
    };
    (tree, unreachable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_nearest_terminal_first() {
        // star centre 3 with spokes 4 to 0,1,2, and a path 0-1-2 with weights 5
        let g = Graph::from_edges(4, &[(3, 0, 4), (3, 1, 4), (3, 2, 4), (0, 1, 5), (1, 2, 5)]);
        let w: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
        let term = vec![true, true, true, false];
        let (t, un) = sph(&g, &w, &term, 3, 0);
        assert!(un.is_empty());
        let mut t = t;
        t.sort();
        assert_eq!(t, vec![3, 4]);
    }
}
