//! Steiner-vertex insertion and elimination (Minoux 1990; Uchoa and Werneck 2010).
//!
//! Insertion: a node outside the tree that touches at least two tree nodes is added; the
//! minimum spanning tree of the enlarged node set, pruned of non-terminal leaves, replaces
//! the tree when it is cheaper. Elimination: a Steiner node of degree at least three is
//! removed the same way when the remaining nodes stay connected. Candidates are tried in
//! id order until a full round improves nothing (a fixpoint) or the work budget, counted
//! in scanned edges, runs out.
//!
//! Complexity: O(t log t) per candidate for a tree on t nodes.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::{mst_on_nodes, prune_leaves, tree_cost, tree_nodes};

/// Improves `edges` by vertex insertion and elimination until a fixpoint or until
/// `work_budget` scanned edges. Returns the new tree (sorted) and its cost.
pub fn vertex_insertion(
    g: &Graph,
    edges: &[EdgeId],
    keep: &[bool],
    work_budget: u64,
) -> (Vec<EdgeId>, Cost) {
    let mut tree = edges.to_vec();
    tree.sort_unstable();
    let mut cost = tree_cost(g, &tree);
    let mut work = 0u64;
    let n = g.num_nodes();
    let mut in_set = vec![false; n];
    let mut improved = true;
    while improved && work < work_budget {
        improved = false;
        let nodes = tree_nodes(g, &tree);
        for &u in &nodes {
            in_set[u as usize] = true;
        }
        // candidate insertions: outside nodes with >= 2 tree neighbours
        let mut cands: Vec<NodeId> = Vec::new();
        for &u in &nodes {
            for (v, _) in g.neighbors(u) {
                if !in_set[v as usize] {
                    let touching = g.neighbors(v).filter(|&(x, _)| in_set[x as usize]).count();
                    if touching >= 2 {
                        cands.push(v);
                    }
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        // candidate eliminations: Steiner nodes of tree degree >= 3 (all Steiner nodes
        // with more than one tree edge are worth a try on small trees)
        let mut elim: Vec<NodeId> = nodes
            .iter()
            .copied()
            .filter(|&u| !keep[u as usize])
            .collect();
        elim.retain(|&u| {
            tree.iter()
                .filter(|&&e| {
                    let (a, b, _) = g.edge(e);
                    a == u || b == u
                })
                .count()
                >= 3
                || nodes.len() < 64
        });
        for &u in &nodes {
            in_set[u as usize] = false;
        }
        let mut current_nodes = nodes;
        let try_set = |set: Vec<NodeId>,
                       in_set: &mut Vec<bool>,
                       work: &mut u64|
         -> Option<(Vec<EdgeId>, Cost)> {
            for &u in &set {
                in_set[u as usize] = true;
            }
            let mst = mst_on_nodes(g, &set, in_set);
            *work += set.iter().map(|&u| g.degree(u) as u64).sum::<u64>();
            for &u in &set {
                in_set[u as usize] = false;
            }
            if mst.len() + 1 != set.len() {
                return None;
            }
            let t = prune_leaves(g, &mst, keep);
            let c = tree_cost(g, &t);
            Some((t, c))
        };
        for v in cands
            .into_iter()
            .map(Some)
            .chain(elim.into_iter().map(|u| Some(u | (1 << 31))))
        {
            let Some(code) = v else { continue };
            if work >= work_budget {
                break;
            }
            let (node, remove) = (code & !(1 << 31), code & (1 << 31) != 0);
            let set: Vec<NodeId> = if remove {
                if current_nodes.binary_search(&node).is_err() {
                    continue;
                }
                current_nodes
                    .iter()
                    .copied()
                    .filter(|&x| x != node)
                    .collect()
            } else {
                match current_nodes.binary_search(&node) {
                    Ok(_) => continue,
                    Err(pos) => {
                        let mut s = current_nodes.clone();
                        s.insert(pos, node);
                        s
                    }
                }
            };
            if let Some((t, c)) = try_set(set, &mut in_set, &mut work) {
                if c < cost {
                    tree = t;
                    cost = c;
                    current_nodes = tree_nodes(g, &tree);
                    improved = true;
                }
            }
        }
    }
    (tree, cost)
}
