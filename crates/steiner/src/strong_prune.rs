//! Strong pruning of a prize-collecting tree (Johnson, Minkoff and Phillips, 2000).
//!
//! Rooted: a bottom-up pass computes each subtree's net worth `p(v) + sum over children
//! of max(0, net(c) - w(v, c))` and cuts every child subtree whose net worth does not pay
//! for its edge. The result is the best subtree of the given tree containing the root.
//! Unrooted: a second, top-down pass gives every node the net worth the tree would have
//! if it were the root; the best node (ties by id) becomes the root.
//!
//! Complexity: O(size of the tree).
//!
//! References: D. S. Johnson, M. Minkoff, S. Phillips, "The prize collecting Steiner tree
//! problem: theory and practice", SODA 2000.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::TreeAdj;

/// Prunes `edges` (a tree) to its best subtree for prizes `prizes`; keeps `root` when
/// given. Returns the kept edges (sorted) and the node the tree is rooted at.
pub fn strong_prune(
    g: &Graph,
    edges: &[EdgeId],
    prizes: &[Cost],
    root: Option<NodeId>,
) -> (Vec<EdgeId>, NodeId) {
    if edges.is_empty() {
        return (Vec::new(), root.unwrap_or(NodeId::MAX));
    }
    let adj = TreeAdj::new(g, edges);
    let k = adj.nodes.len();
    let prize = |i: usize| prizes[adj.nodes[i] as usize];
    let start = root.map_or(0, |r| adj.local(r));
    // Order nodes by DFS from `start`.
    let mut order = Vec::with_capacity(k);
    let mut parent = vec![usize::MAX; k];
    let mut pw = vec![0 as Cost; k];
    let mut pe = vec![EdgeId::MAX; k];
    let mut seen = vec![false; k];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(i) = stack.pop() {
        order.push(i);
        for (_, (v, e)) in adj.incident(adj.nodes[i]) {
            let j = adj.local(v);
            if !seen[j] {
                seen[j] = true;
                parent[j] = i;
                pw[j] = g.weight(e);
                pe[j] = e;
                stack.push(j);
            }
        }
    }
    let mut net: Vec<Cost> = (0..k).map(prize).collect();
    for &i in order.iter().rev() {
        if parent[i] != usize::MAX {
            let gain = net[i] - pw[i];
            if gain > 0 {
                net[parent[i]] += gain;
            }
        }
    }
    let best = if root.is_some() {
        start
    } else {
        // full[i]: net worth with i as root.
        let mut full = net.clone();
        for &i in &order {
            let p = parent[i];
            if p != usize::MAX {
                let own = (net[i] - pw[i]).max(0);
                let up = full[p] - own - pw[i];
                if up > 0 {
                    full[i] = net[i] + up;
                }
            }
        }
        let mut best = start;
        for i in 0..k {
            if full[i] > full[best] || (full[i] == full[best] && adj.nodes[i] < adj.nodes[best]) {
                best = i;
            }
        }
        best
    };
    if best != start {
        return strong_prune(g, edges, prizes, Some(adj.nodes[best]));
    }
    // Keep children whose subtree strictly pays for its edge.
    let mut keep = vec![false; k];
    keep[start] = true;
    let mut out = Vec::new();
    for &i in &order {
        if i != start && keep[parent[i]] && net[i] - pw[i] > 0 {
            keep[i] = true;
            out.push(pe[i]);
        }
    }
    out.sort_unstable();
    (out, adj.nodes[start])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_branches_that_do_not_pay() {
        // path 0-1-2-3, weights 1, 5, 1; prizes 3, 0, 3, 10
        let g = Graph::from_edges(4, &[(0, 1, 1), (1, 2, 5), (2, 3, 1)]);
        let p = vec![3, 0, 3, 10];
        let (t, r) = strong_prune(&g, &[0, 1, 2], &p, None);
        assert_eq!(t, vec![2]);
        assert_eq!(r, 2);
        let (t, _) = strong_prune(&g, &[0, 1, 2], &p, Some(0));
        assert_eq!(t, vec![0, 1, 2]);
    }
}
