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
//! 5. replacements may also run through the Voronoi regions of the removed path's own
//!    interior nodes, which the removal frees: per key path, one Dijkstra inside those
//!    regions from the child side and one from the parent side (entered over boundary
//!    edges) find the best such path. The regions partition the nodes, so this too is
//!    O(m log n) per pass.
//!
//! Passes repeat until no key path improves (a fixpoint) or the pass budget is spent.
//!
//! References: E. Uchoa, R. F. Werneck, "Fast local search for Steiner trees in graphs",
//! ALENEX 2010.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::{is_tree_spanning, mst_and_prune, prune_leaves, tree_cost, tree_nodes, TreeAdj};
use crate::voronoi::Voronoi;

const NIL: u32 = u32::MAX;

pub(crate) struct KeyTree {
    /// Key-vertex index of each graph node (NIL if not a key vertex).
    pub key_of: Vec<u32>,
    /// Graph node of each key vertex.
    pub kverts: Vec<NodeId>,
    /// Key path of each interior tree node (NIL otherwise).
    pub path_of: Vec<u32>,
    /// Per key vertex: parent key vertex (NIL at the root), depth, Euler interval.
    pub kparent: Vec<u32>,
    pub kdepth: Vec<u32>,
    pub tin: Vec<u32>,
    pub tout: Vec<u32>,
    /// Per key path (indexed by its child key vertex): edges and cost.
    pub path_edges: Vec<Vec<EdgeId>>,
    pub path_cost: Vec<Cost>,
}

pub(crate) fn build_key_tree(g: &Graph, tree: &[EdgeId], is_term: &[bool]) -> KeyTree {
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
        kverts,
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
    /// Key vertex where a base leaves towards `other` (a key vertex or path child): the
    /// base itself when it is a key vertex, else the end of its key path facing `other`.
    pub(crate) fn exit(&self, b: NodeId, other: u32) -> u32 {
        let key = self.key_of[b as usize];
        if key != NIL {
            return key;
        }
        let p = self.path_of[b as usize];
        if self.inside(other, p) {
            p
        } else {
            self.kparent[p as usize]
        }
    }

    /// The key vertex of a base, or the child end of the key path it lies on.
    pub(crate) fn anchor(&self, b: NodeId) -> u32 {
        let key = self.key_of[b as usize];
        if key != NIL {
            key
        } else {
            self.path_of[b as usize]
        }
    }

    /// Exits `(a, b)` of a boundary path between bases `bx` and `by`, or `None` when both
    /// lie inside the same key path.
    pub(crate) fn route(&self, bx: NodeId, by: NodeId) -> Option<(u32, u32)> {
        let (ax, ay) = (self.anchor(bx), self.anchor(by));
        let both_inner = self.key_of[bx as usize] == NIL && self.key_of[by as usize] == NIL;
        if both_inner && ax == ay {
            return None;
        }
        Some((self.exit(bx, ay), self.exit(by, ax)))
    }

    pub(crate) fn inside(&self, x: u32, c: u32) -> bool {
        self.tin[c as usize] <= self.tin[x as usize]
            && self.tin[x as usize] <= self.tout[c as usize]
    }
}

/// Root of `x` in a jump forest (with path compression): the first key vertex above `x`
/// whose link is not covered yet.
pub(crate) fn find(jump: &mut [u32], mut x: u32) -> u32 {
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

/// Voronoi regions of the tree's nodes and the boundary paths between different bases,
/// cheapest first: `(d(x) + w(x, y) + d(y), edge x-y)`.
pub(crate) fn boundary_paths(
    g: &Graph,
    weights: &[Cost],
    tree: &[EdgeId],
) -> (Voronoi, Vec<(Cost, EdgeId)>) {
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
    (vor, cands)
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
    let (vor, cands) = boundary_paths(g, weights, tree);
    let k = kt.kparent.len();
    let mut jump: Vec<u32> = (0..k as u32).collect();
    let mut best: Vec<(Cost, EdgeId, u32, u32)> = vec![(Cost::MAX, NIL, NIL, NIL); k];
    for (c, e) in cands {
        let (x, y, _) = g.edge(e);
        let (bx, by) = (vor.base[x as usize], vor.base[y as usize]);
        let Some((a, b)) = kt.route(bx, by) else {
            continue;
        };
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
    // Replacements through the freed Voronoi regions of each key path's interior: a
    // Dijkstra inside the region from the child side and one from the parent side.
    let n = g.num_nodes();
    let mut region_start = vec![0u32; k + 1];
    for u in 0..n {
        let b = vor.base[u];
        if b != NIL && kt.path_of[b as usize] != NIL {
            region_start[kt.path_of[b as usize] as usize + 1] += 1;
        }
    }
    for p in 0..k {
        region_start[p + 1] += region_start[p];
    }
    let mut fill = region_start.clone();
    let mut region = vec![0 as NodeId; region_start[k] as usize];
    for u in 0..n as NodeId {
        let b = vor.base[u as usize];
        if b != NIL && kt.path_of[b as usize] != NIL {
            let p = kt.path_of[b as usize] as usize;
            region[fill[p] as usize] = u;
            fill[p] += 1;
        }
    }
    let reg: Vec<u32> = vor
        .base
        .iter()
        .map(|&b| {
            if b == NIL {
                NIL
            } else {
                kt.path_of[b as usize]
            }
        })
        .collect();
    let in_region = |u: NodeId, p: u32| reg[u as usize] == p;
    let mut dist = [vec![Cost::MAX; n], vec![Cost::MAX; n]];
    let mut pred = [vec![NIL; n], vec![NIL; n]];
    let mut heap = std::collections::BinaryHeap::new();
    let mut via_region: Vec<Option<(Cost, NodeId)>> = vec![None; k];
    let mut region_paths: Vec<(u32, [NodeId; 2], Vec<EdgeId>)> = Vec::new();
    for p in 1..k as u32 {
        let nodes =
            &region[region_start[p as usize] as usize..region_start[p as usize + 1] as usize];
        if nodes.is_empty() {
            continue;
        }
        let limit = best[p as usize].0.min(kt.path_cost[p as usize]);
        for side in 0..2 {
            heap.clear();
            for &u in nodes {
                for (w, e) in g.neighbors(u) {
                    if in_region(w, p) {
                        continue;
                    }
                    let b = vor.base[w as usize];
                    if b == NIL {
                        continue;
                    }
                    let child_side = kt.inside(kt.anchor(b), p);
                    if child_side != (side == 0) {
                        continue;
                    }
                    let d = vor.dist[w as usize] + weights[e as usize];
                    if d < dist[side][u as usize] && d < limit {
                        dist[side][u as usize] = d;
                        pred[side][u as usize] = e;
                        heap.push(std::cmp::Reverse((d, u)));
                    }
                }
            }
            while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
                if d > dist[side][u as usize] {
                    continue;
                }
                for (w, e) in g.neighbors(u) {
                    if !in_region(w, p) {
                        continue;
                    }
                    let nd = d + weights[e as usize];
                    if nd < dist[side][w as usize] && nd < limit {
                        dist[side][w as usize] = nd;
                        pred[side][w as usize] = e;
                        heap.push(std::cmp::Reverse((nd, w)));
                    }
                }
            }
        }
        let mut bestu: Option<(Cost, NodeId)> = None;
        for &u in nodes {
            let (a, b) = (dist[0][u as usize], dist[1][u as usize]);
            if a < Cost::MAX && b < Cost::MAX && bestu.is_none_or(|(c, _)| a + b < c) {
                bestu = Some((a + b, u));
            }
        }
        if let Some((c, u)) = bestu {
            if c < limit {
                via_region[p as usize] = Some((c, u));
            }
        }
        // Keep the labels of the best node for reconstruction below; reset the rest.
        if let Some((_, u)) = via_region[p as usize] {
            let mut add = Vec::new();
            let mut ends = [NIL; 2];
            for side in 0..2 {
                let mut x = u;
                loop {
                    let e = pred[side][x as usize];
                    add.push(e);
                    let y = g.other(e, x);
                    if !in_region(y, p) {
                        vor.path_to_base(g, y, &mut add);
                        ends[side] = vor.base[y as usize];
                        break;
                    }
                    x = y;
                }
            }
            add.sort_unstable();
            add.dedup();
            region_paths.push((p, ends, add));
        }
        for &u in nodes {
            for side in 0..2 {
                dist[side][u as usize] = Cost::MAX;
                pred[side][u as usize] = NIL;
            }
        }
    }
    let mut out = Vec::new();
    for (p, ends, add) in region_paths {
        let (c, _) = via_region[p as usize].expect("region path");
        if let Some((a, b)) = kt.route(ends[0], ends[1]) {
            out.push(Exchange {
                gain: kt.path_cost[p as usize] - c,
                path: p,
                route: (a, b),
                bases: (ends[0], ends[1]),
                add,
            });
        }
    }
    for (p, &(c, e, a, b)) in best.iter().enumerate().skip(1) {
        if via_region[p].is_some() {
            continue;
        }
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
    let terms: Vec<NodeId> = tree_nodes(g, &tree)
        .into_iter()
        .filter(|&v| is_term[v as usize])
        .collect();
    let mut passes = 0;
    while passes < max_passes {
        passes += 1;
        let kt = build_key_tree(g, &tree, is_term);
        let ex = improving_exchanges(g, weights, &tree, &kt);
        if ex.is_empty() {
            break;
        }
        let t = apply_disjoint(g, &tree, &kt, &ex);
        // Zero-weight ties can make two halves of a replacement meet: repair by MST.
        let t = if is_tree_spanning(g, &t, &terms) {
            prune_leaves(g, &t, is_term)
        } else {
            mst_and_prune(g, &t, &[], is_term)
        };
        if !is_tree_spanning(g, &t, &terms) {
            break;
        }
        let c = tree_cost(g, &t);
        if c >= cost {
            break;
        }
        // Work-based tail cut: a pass that gains less than 1/20000 of the cost ends the
        // search (each pass costs a full O(m log n) sweep).
        let small = (cost - c) * 20_000 < cost;
        tree = t;
        cost = c;
        if small {
            break;
        }
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
