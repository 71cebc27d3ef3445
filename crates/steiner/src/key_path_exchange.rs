//! Key-path exchange local search with Voronoi bookkeeping (after Uchoa and Werneck 2010).
//!
//! A key vertex of a Steiner tree is a terminal or a node of tree degree at least three; a
//! key path joins two key vertices through degree-2 Steiner nodes. Removing a key path
//! splits the tree in two, and the cheapest way to join the halves again may be cheaper
//! than the path.
//!
//! One pass costs O(m log n):
//! 1. a multi-source Dijkstra from all tree nodes gives each node its Voronoi base (nearest
//!    tree node), so every graph edge `x-y` with different bases describes a path between
//!    two tree nodes of length `d(x) + w(x, y) + d(y)` outside the tree;
//! 2. the tree is rooted and shrunk to its key tree (key vertices joined by key paths);
//!    such a boundary path can replace exactly the key paths on the key-tree route between
//!    its bases (a base inside a key path leaves by the end towards the other base);
//! 3. boundary paths are taken cheapest first and each key path keeps the first one whose
//!    route covers it: a union-find that jumps over covered key paths makes this
//!    near-linear (the offline path-covering technique also used for MST sensitivity);
//! 4. every key path whose replacement is cheaper is an improving exchange; they are
//!    applied greedily by gain as long as their key-tree routes are disjoint and their new
//!    nodes distinct (independent fundamental cycles keep the result a tree).
//!
//! Passes repeat until no key path improves (a fixpoint) or the pass budget is spent.
//! Replacement paths that would run through the removed path's own Voronoi regions are
//! not considered, which keeps a pass simple at the price of missing a few exchanges.
//!
//! References: E. Uchoa, R. F. Werneck, "Fast local search for Steiner trees in graphs",
//! ALENEX 2010.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::{prune_leaves, tree_cost, tree_nodes, TreeAdj};
use crate::voronoi::Voronoi;

const NIL: u32 = u32::MAX;

struct KeyTree {
    /// Key-vertex index of each graph node (NIL if not a key vertex).
    key_of: Vec<u32>,
    /// Key path of each interior tree node (NIL otherwise).
    path_of: Vec<u32>,
    /// Per key vertex: parent key vertex (NIL at the root), depth, Euler interval.
    kparent: Vec<u32>,
    kdepth: Vec<u32>,
    tin: Vec<u32>,
    tout: Vec<u32>,
    /// Per key path (indexed by its child key vertex): edges and cost.
    path_edges: Vec<Vec<EdgeId>>,
    path_cost: Vec<Cost>,
}

fn build_key_tree(g: &Graph, tree: &[EdgeId], is_term: &[bool]) -> KeyTree {
    let n = g.num_nodes();
    let adj = TreeAdj::new(g, tree);
    let nodes = &adj.nodes;
    let is_key = |v: NodeId| is_term[v as usize] || adj.degree(v) >= 3;
    let root = nodes
        .iter()
        .copied()
        .find(|&v| is_key(v))
        .unwrap_or(nodes[0]);
    // DFS for parent edges and a preorder.
    let mut parent_edge = vec![NIL; n];
    let mut order = Vec::with_capacity(nodes.len());
    let mut stack = vec![(root, NIL)];
    while let Some((v, pe)) = stack.pop() {
        parent_edge[v as usize] = pe;
        order.push(v);
        for (_, (u, e)) in adj.incident(v) {
            if e != pe {
                stack.push((u, e));
            }
        }
    }
    let mut key_of = vec![NIL; n];
    let mut kverts = Vec::new();
    for &v in &order {
        if v == root || is_key(v) {
            key_of[v as usize] = kverts.len() as u32;
            kverts.push(v);
        }
    }
    let k = kverts.len();
    let mut kparent = vec![NIL; k];
    let mut path_edges = vec![Vec::new(); k];
    let mut path_cost = vec![0; k];
    let mut path_of = vec![NIL; n];
    for (ki, &v) in kverts.iter().enumerate().skip(1) {
        let mut x = v;
        loop {
            let e = parent_edge[x as usize];
            path_edges[ki].push(e);
            path_cost[ki] += g.weight(e);
            x = g.other(e, x);
            if key_of[x as usize] != NIL {
                kparent[ki] = key_of[x as usize];
                break;
            }
            path_of[x as usize] = ki as u32;
        }
    }
    // Key-tree depth and Euler interval (key vertices are in preorder already, so parents
    // precede children).
    let mut kdepth = vec![0u32; k];
    for ki in 1..k {
        kdepth[ki] = kdepth[kparent[ki] as usize] + 1;
    }
    let mut size = vec![1u32; k];
    for ki in (1..k).rev() {
        size[kparent[ki] as usize] += size[ki];
    }
    // Preorder of the key tree equals the order of first visit in the tree DFS.
    let tin: Vec<u32> = (0..k as u32).collect();
    let tout: Vec<u32> = (0..k).map(|ki| ki as u32 + size[ki] - 1).collect();
    KeyTree {
        key_of,
        path_of,
        kparent,
        kdepth,
        tin,
        tout,
        path_edges,
        path_cost,
    }
}

impl KeyTree {
    fn inside(&self, x: u32, c: u32) -> bool {
        self.tin[c as usize] <= self.tin[x as usize]
            && self.tin[x as usize] <= self.tout[c as usize]
    }
}

fn find(jump: &mut [u32], mut x: u32) -> u32 {
    let mut r = x;
    while jump[r as usize] != r {
        r = jump[r as usize];
    }
    while jump[x as usize] != r {
        let nx = jump[x as usize];
        jump[x as usize] = r;
        x = nx;
    }
    r
}

/// One improving exchange: remove key path `path` (its child key vertex), add `edges`.
struct Exchange {
    gain: Cost,
    /// The key path removed (its child key vertex).
    path: u32,
    /// Key-tree route of the replacement: between these key vertices.
    route: (u32, u32),
    /// Tree nodes the replacement attaches to.
    bases: (NodeId, NodeId),
    add: Vec<EdgeId>,
}

fn improving_exchanges(
    g: &Graph,
    weights: &[Cost],
    tree: &[EdgeId],
    kt: &KeyTree,
) -> Vec<Exchange> {
    let bases = tree_nodes(g, tree);
    let vor = Voronoi::compute(g, weights, &bases);
    let mut in_tree_edge = vec![false; g.num_edges()];
    for &e in tree {
        in_tree_edge[e as usize] = true;
    }
    let mut cands: Vec<(Cost, EdgeId)> = Vec::new();
    for (e, &(x, y, _)) in g.edges().iter().enumerate() {
        if in_tree_edge[e] {
            continue;
        }
        let (bx, by) = (vor.base[x as usize], vor.base[y as usize]);
        if bx == NIL || by == NIL || bx == by {
            continue;
        }
        cands.push((
            vor.dist[x as usize] + weights[e] + vor.dist[y as usize],
            e as EdgeId,
        ));
    }
    cands.sort_unstable();
    let k = kt.kparent.len();
    let mut jump: Vec<u32> = (0..k as u32).collect();
    let mut best: Vec<(Cost, EdgeId, u32, u32)> = vec![(Cost::MAX, NIL, NIL, NIL); k];
    // Location of a base, given the other end's key vertex (or path child).
    let exit = |b: NodeId, other: u32| -> u32 {
        let key = kt.key_of[b as usize];
        if key != NIL {
            return key;
        }
        let p = kt.path_of[b as usize];
        if kt.inside(other, p) {
            p
        } else {
            kt.kparent[p as usize]
        }
    };
    let anchor = |b: NodeId| -> u32 {
        let key = kt.key_of[b as usize];
        if key != NIL {
            key
        } else {
            kt.path_of[b as usize]
        }
    };
    for (c, e) in cands {
        let (x, y, _) = g.edge(e);
        let (bx, by) = (vor.base[x as usize], vor.base[y as usize]);
        let (ax, ay) = (anchor(bx), anchor(by));
        let both_inner = kt.key_of[bx as usize] == NIL && kt.key_of[by as usize] == NIL;
        if both_inner && ax == ay {
            continue;
        }
        let a = exit(bx, ay);
        let b = exit(by, ax);
        let (mut fa, mut fb) = (find(&mut jump, a), find(&mut jump, b));
        while fa != fb {
            let lower = if kt.kdepth[fa as usize] >= kt.kdepth[fb as usize] {
                fa
            } else {
                fb
            };
            best[lower as usize] = (c, e, a, b);
            jump[lower as usize] = kt.kparent[lower as usize];
            fa = find(&mut jump, a);
            fb = find(&mut jump, b);
        }
    }
    let mut out = Vec::new();
    for (p, &(c, e, a, b)) in best.iter().enumerate().skip(1) {
        if e != NIL && c < kt.path_cost[p] {
            let (x, y, _) = g.edge(e);
            let mut add = vec![e];
            vor.path_to_base(g, x, &mut add);
            vor.path_to_base(g, y, &mut add);
            out.push(Exchange {
                gain: kt.path_cost[p] - c,
                path: p as u32,
                route: (a, b),
                bases: (vor.base[x as usize], vor.base[y as usize]),
                add,
            });
        }
    }
    out.sort_by_key(|x| (std::cmp::Reverse(x.gain), x.path));
    out
}

/// Applies a set of exchanges whose key-tree routes are pairwise disjoint, whose added
/// nodes are new and distinct, and whose bases survive: the fundamental cycles are then
/// independent and the result is again a tree. Greedy by gain.
fn apply_disjoint(g: &Graph, tree: &[EdgeId], kt: &KeyTree, ex: &[Exchange]) -> Vec<EdgeId> {
    let k = kt.kparent.len();
    let n = g.num_nodes();
    let mut route_used = vec![false; k];
    let mut node_used = vec![false; n];
    let mut removed_inner = vec![false; n];
    let mut pinned = vec![false; n];
    let mut removed_path = vec![false; k];
    let mut added: Vec<EdgeId> = Vec::new();
    let mut route = Vec::new();
    for x in ex {
        if removed_inner[x.bases.0 as usize] || removed_inner[x.bases.1 as usize] {
            continue;
        }
        // Nodes the earlier replacements hang on must stay.
        if kt.path_edges[x.path as usize].iter().any(|&e| {
            let (u, v, _) = g.edge(e);
            (kt.path_of[u as usize] == x.path && pinned[u as usize])
                || (kt.path_of[v as usize] == x.path && pinned[v as usize])
        }) {
            continue;
        }
        // Walk the route, collecting key paths (child key vertices).
        route.clear();
        let (mut a, mut b) = x.route;
        let mut ok = true;
        while a != b {
            let lower = if kt.kdepth[a as usize] >= kt.kdepth[b as usize] {
                &mut a
            } else {
                &mut b
            };
            if route_used[*lower as usize] {
                ok = false;
                break;
            }
            route.push(*lower);
            *lower = kt.kparent[*lower as usize];
        }
        if !ok {
            continue;
        }
        // Added nodes (other than the bases) must be fresh.
        let mut inner: Vec<NodeId> = Vec::new();
        for &e in &x.add {
            let (u, v, _) = g.edge(e);
            for w in [u, v] {
                if w != x.bases.0 && w != x.bases.1 {
                    inner.push(w);
                }
            }
        }
        inner.sort_unstable();
        inner.dedup();
        if inner.iter().any(|&w| node_used[w as usize]) {
            continue;
        }
        for &w in &inner {
            node_used[w as usize] = true;
        }
        for &r in &route {
            route_used[r as usize] = true;
        }
        pinned[x.bases.0 as usize] = true;
        pinned[x.bases.1 as usize] = true;
        removed_path[x.path as usize] = true;
        for &e in &kt.path_edges[x.path as usize] {
            let (u, v, _) = g.edge(e);
            for w in [u, v] {
                if kt.path_of[w as usize] == x.path {
                    removed_inner[w as usize] = true;
                }
            }
        }
        added.extend_from_slice(&x.add);
    }
    let mut drop = vec![false; g.num_edges()];
    for (p, &gone) in removed_path.iter().enumerate() {
        if gone {
            for &e in &kt.path_edges[p] {
                drop[e as usize] = true;
            }
        }
    }
    let mut out: Vec<EdgeId> = tree
        .iter()
        .copied()
        .filter(|&e| !drop[e as usize])
        .collect();
    out.extend(added);
    out.sort_unstable();
    out
}

/// Runs key-path exchange from `tree` (a pruned Steiner tree: no Steiner leaves) until a
/// fixpoint or `max_passes`. Returns the improved tree (sorted) and the passes used.
pub fn key_path_exchange(
    g: &Graph,
    weights: &[Cost],
    tree: &[EdgeId],
    is_term: &[bool],
    max_passes: usize,
) -> (Vec<EdgeId>, usize) {
    let mut tree = tree.to_vec();
    tree.sort_unstable();
    if tree.is_empty() {
        return (tree, 0);
    }
    let mut cost = tree_cost(g, &tree);
    let mut passes = 0;
    while passes < max_passes {
        passes += 1;
        let kt = build_key_tree(g, &tree, is_term);
        let ex = improving_exchanges(g, weights, &tree, &kt);
        if ex.is_empty() {
            break;
        }
        let t = apply_disjoint(g, &tree, &kt, &ex);
        let t = prune_leaves(g, &t, is_term);
        let c = tree_cost(g, &t);
        if c >= cost {
            break;
        }
        tree = t;
        cost = c;
    }
    (tree, passes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::is_tree_spanning;

    #[test]
    fn replaces_a_long_key_path() {
        // terminals 0 and 3; tree path 0-1-2-3 costs 30, shortcut 0-4-3 costs 4
        let g = Graph::from_edges(
            5,
            &[(0, 1, 10), (1, 2, 10), (2, 3, 10), (0, 4, 2), (4, 3, 2)],
        );
        let w: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
        let mut term = vec![false; 5];
        term[0] = true;
        term[3] = true;
        let (t, _) = key_path_exchange(&g, &w, &[0, 1, 2], &term, 10);
        assert_eq!(t, vec![3, 4]);
        assert!(is_tree_spanning(&g, &t, &[0, 3]));
    }
}
