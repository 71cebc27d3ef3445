//! The Goemans-Williamson primal-dual growth for the prize-collecting Steiner tree, in the
//! fast form of Hegde, Indyk and Schmidt (pcst_fast), with integer event times.
//!
//! Every node starts as a cluster; clusters with a prize (and without the root) are
//! active. Active clusters grow their moats at rate 1. Two events happen:
//! - an edge becomes tight (the moats on its two sides add up to its cost): its two
//!   clusters merge, and the merged cluster is active unless it holds the root;
//! - an active cluster's moats (its own and those of the clusters merged into it) add up
//!   to its prize: it deactivates, and grows again only when an active cluster reaches it.
//!
//! The merge edges form a forest ("phase 1"). Rooted, the root's cluster is inactive from
//! the start and never grows (everything grows towards it); the start is the root's tree.
//! Unrooted, the growth runs until no cluster is active and every tree of the forest is a
//! candidate. [`gw_start`] then applies [`strong_prune`], which returns the best subtree of
//! the tree containing the root (unrooted: the best subtree), so it is never worse than
//! the classic GW pruning, which returns one such subtree; rooted, the result is within a
//! factor 2 of the optimum (GW 1995).
//!
//! Data structures (the pcst_fast idea): each edge is split into two parts, one at each
//! endpoint, and each cluster keeps its parts in a mergeable heap (a pairing heap in one
//! arena, with a lazy offset per node so that an inactive cluster's event times shift by
//! its inactive time in O(1) when it is reached again). Keys are the times at which a part
//! would next need looking at if its cluster stayed active. A part that fires recomputes
//! the moats on both sides of its edge (walking up the merge tree with path compression)
//! and either merges the two clusters or schedules its next look: half the remainder when
//! both sides grow, all of it when only its side grows. Moved keys are re-inserted and the
//! old heap node left behind as stale (no decrease-key). Two global binary heaps, with lazy
//! deletion, hold the next edge event of each active cluster and the deactivation times.
//!
//! Arithmetic is integer: costs and prizes are multiplied by 2^k (k up to 40, as far as
//! the sums stay below 2^61), so halved remainders are exact unless halvings nest k deep;
//! then the half is rounded up, which merges an edge at most 2^-k late. Ties: edge events
//! before deactivations, then by key and id. No recursion; deterministic.
//!
//! Complexity: O(m log n) amortised for the growth (pairing heaps, path compression), plus
//! strong pruning.
//!
//! References: M. X. Goemans, D. P. Williamson, "A general approximation technique for
//! constrained forest problems", SIAM J. Comput. 24 (1995); C. Hegde, P. Indyk,
//! L. Schmidt, "A nearly-linear time framework for graph-structured sparsity", ICML 2015.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::strong_prune::strong_prune;
use crate::tree::{tree_cost, tree_nodes, UnionFind};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const NIL: u32 = u32::MAX;

/// A pairing-heap node: `key` is exact for a root; below a node, its `offset` is still to
/// be added to its whole subtree.
#[derive(Clone, Copy)]
struct PNode {
    key: i64,
    offset: i64,
    part: u32,
    child: u32,
    sibling: u32,
}

/// All pairing heaps in one arena; a heap is the index of its root (or `NIL`).
struct Heaps {
    nodes: Vec<PNode>,
    scratch: Vec<u32>,
}

impl Heaps {
    fn less(&self, a: u32, b: u32) -> bool {
        let (x, y) = (&self.nodes[a as usize], &self.nodes[b as usize]);
        (x.key, x.part) < (y.key, y.part)
    }

    /// Joins two heaps (roots with exact keys); returns the new root.
    fn meld(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        let (a, b) = if self.less(b, a) { (b, a) } else { (a, b) };
        let off = self.nodes[a as usize].offset;
        let child = self.nodes[a as usize].child;
        let nb = &mut self.nodes[b as usize];
        nb.key -= off;
        nb.offset -= off;
        nb.sibling = child;
        self.nodes[a as usize].child = b;
        a
    }

    /// Inserts `part` with `key`; returns (new node, new root).
    fn insert(&mut self, root: u32, key: i64, part: u32) -> (u32, u32) {
        let id = self.nodes.len() as u32;
        self.nodes.push(PNode {
            key,
            offset: 0,
            part,
            child: NIL,
            sibling: NIL,
        });
        (id, self.meld(root, id))
    }

    /// Adds `x` to every key of the heap.
    fn add_all(&mut self, root: u32, x: i64) {
        if root != NIL {
            let r = &mut self.nodes[root as usize];
            r.key += x;
            r.offset += x;
        }
    }

    /// Removes the root; returns the new root (two-pass pairing, no recursion).
    fn pop(&mut self, root: u32) -> u32 {
        let off = self.nodes[root as usize].offset;
        let mut c = self.nodes[root as usize].child;
        let mut kids = std::mem::take(&mut self.scratch);
        kids.clear();
        while c != NIL {
            let n = &mut self.nodes[c as usize];
            n.key += off;
            n.offset += off;
            let next = n.sibling;
            n.sibling = NIL;
            kids.push(c);
            c = next;
        }
        // First pass: pair left to right; second: meld right to left.
        let mut paired = 0;
        let mut i = 0;
        while i < kids.len() {
            let m = if i + 1 < kids.len() {
                self.meld(kids[i], kids[i + 1])
            } else {
                kids[i]
            };
            kids[paired] = m;
            paired += 1;
            i += 2;
        }
        let mut r = NIL;
        for j in (0..paired).rev() {
            r = self.meld(kids[j], r);
        }
        self.scratch = kids;
        r
    }
}

#[derive(Clone, Copy)]
struct Cluster {
    active: bool,
    has_root: bool,
    start: i64,
    end: i64,
    moat: i64,
    prize: i64,
    /// Sum of the moats of every cluster merged into this one.
    sub: i64,
    deact: i64,
    merged_into: u32,
    skip_up: u32,
    skip_sum: i64,
    heap: u32,
}

/// The GW growth's merge edges: a forest (in merge order) whose trees are the final
/// clusters. Rooted, only the root's tree matters. `None` when the costs and prizes are too
/// large for exact 64-bit event times (a sum above 2^59).
///
/// `weights` has one entry per edge of `g`, `prizes` one per node.
pub fn gw_forest(
    g: &Graph,
    weights: &[Cost],
    prizes: &[Cost],
    root: Option<NodeId>,
) -> Option<Vec<EdgeId>> {
    let n = g.num_nodes();
    let total_prize: i128 = prizes.iter().map(|&p| p as i128).sum();
    let max_cost: i128 = weights.iter().copied().max().unwrap_or(0) as i128;
    let bound = total_prize + max_cost + 1;
    if bound >= 1 << 59 {
        return None;
    }
    let mut k = 0;
    while k < 40 && bound << (k + 1) < 1 << 60 {
        k += 1;
    }
    let scale = 1i64 << k;
    let mut gw = Gw {
        clusters: Vec::with_capacity(2 * n),
        heaps: Heaps {
            nodes: Vec::with_capacity(2 * g.num_edges() + 16),
            scratch: Vec::new(),
        },
        part_node: vec![NIL; 2 * g.num_edges()],
        edge_q: BinaryHeap::new(),
        deact_q: BinaryHeap::new(),
        path: Vec::new(),
        merges: Vec::new(),
        time: 0,
    };
    for (v, &prize) in prizes.iter().enumerate().take(n) {
        let is_root = root == Some(v as NodeId);
        let p = prize * scale;
        let active = p > 0 && !is_root;
        gw.clusters.push(Cluster {
            active,
            has_root: is_root,
            start: 0,
            end: 0,
            moat: 0,
            prize: p,
            sub: 0,
            deact: p,
            merged_into: NIL,
            skip_up: NIL,
            skip_sum: 0,
            heap: NIL,
        });
        if active {
            gw.deact_q.push(Reverse((p, v as u32)));
        }
    }
    for (e, &(u, v, _)) in g.edges().iter().enumerate() {
        if u == v {
            continue;
        }
        let c = weights[e] * scale;
        let (au, av) = (
            gw.clusters[u as usize].active,
            gw.clusters[v as usize].active,
        );
        let (ku, kv) = match (au, av) {
            (true, true) => (c / 2, c / 2),
            (true, false) => (c, 0),
            (false, true) => (0, c),
            (false, false) => (0, 0),
        };
        for (x, key, part) in [(u, ku, 2 * e as u32), (v, kv, 2 * e as u32 + 1)] {
            if gw.clusters[x as usize].has_root {
                continue; // the root's cluster never grows: its parts never fire
            }
            let h = gw.clusters[x as usize].heap;
            let (node, r) = gw.heaps.insert(h, key, part);
            gw.clusters[x as usize].heap = r;
            gw.part_node[part as usize] = node;
        }
    }
    for v in 0..n as u32 {
        gw.push_edge_event(v);
    }
    gw.run(g, weights, scale);
    Some(gw.merges)
}

struct Gw {
    clusters: Vec<Cluster>,
    heaps: Heaps,
    /// The live heap node of each edge part (`NIL`: none, or the part is done).
    part_node: Vec<u32>,
    edge_q: BinaryHeap<Reverse<(i64, u32)>>,
    deact_q: BinaryHeap<Reverse<(i64, u32)>>,
    path: Vec<(u32, i64)>,
    merges: Vec<EdgeId>,
    time: i64,
}

impl Gw {
    fn push_edge_event(&mut self, c: u32) {
        let cl = &self.clusters[c as usize];
        if cl.active && cl.heap != NIL {
            self.edge_q
                .push(Reverse((self.heaps.nodes[cl.heap as usize].key, c)));
        }
    }

    fn edge_event_valid(&self, key: i64, c: u32) -> bool {
        let cl = &self.clusters[c as usize];
        cl.active
            && cl.merged_into == NIL
            && cl.heap != NIL
            && self.heaps.nodes[cl.heap as usize].key == key
    }

    fn run(&mut self, g: &Graph, weights: &[Cost], scale: i64) {
        loop {
            while let Some(&Reverse((k, c))) = self.edge_q.peek() {
                if self.edge_event_valid(k, c) {
                    break;
                }
                self.edge_q.pop();
            }
            while let Some(&Reverse((t, c))) = self.deact_q.peek() {
                let cl = &self.clusters[c as usize];
                if cl.active && cl.merged_into == NIL && cl.deact == t {
                    break;
                }
                self.deact_q.pop();
            }
            let te = self.edge_q.peek().map(|r| r.0);
            let td = self.deact_q.peek().map(|r| r.0);
            match (te, td) {
                (None, None) => break,
                (Some((t, c)), d) if d.is_none_or(|(dt, _)| t <= dt) => {
                    self.edge_q.pop();
                    self.edge_event(g, weights, scale, t, c);
                }
                (_, Some((t, c))) => {
                    self.deact_q.pop();
                    self.time = t;
                    let cl = &mut self.clusters[c as usize];
                    cl.active = false;
                    cl.end = t;
                    cl.moat = t - cl.start;
                }
                _ => unreachable!("one queue is not empty"),
            }
        }
    }

    /// Moats on the side of `node`: (sum, top cluster). Compresses the path walked.
    fn side(&mut self, node: NodeId) -> (i64, u32) {
        let mut sum = 0;
        let mut c = node;
        self.path.clear();
        while self.clusters[c as usize].merged_into != NIL {
            self.path.push((c, sum));
            let cl = &self.clusters[c as usize];
            if cl.skip_up != NIL {
                sum += cl.skip_sum;
                c = cl.skip_up;
            } else {
                sum += cl.moat;
                c = cl.merged_into;
            }
        }
        for &(x, s) in &self.path {
            let cl = &mut self.clusters[x as usize];
            cl.skip_up = c;
            cl.skip_sum = sum - s;
        }
        let top = &self.clusters[c as usize];
        sum += if top.active {
            self.time - top.start
        } else {
            top.moat
        };
        (sum, c)
    }

    fn edge_event(&mut self, g: &Graph, weights: &[Cost], scale: i64, t: i64, a: u32) {
        self.time = t;
        let node = self.clusters[a as usize].heap;
        let part = self.heaps.nodes[node as usize].part;
        let root = self.heaps.pop(node);
        self.clusters[a as usize].heap = root;
        if self.part_node[part as usize] != node {
            self.push_edge_event(a);
            return; // stale or done
        }
        self.part_node[part as usize] = NIL;
        let e = part / 2;
        let other = part ^ 1;
        let (u, v, _) = g.edge(e);
        let (here, there) = if part & 1 == 0 { (u, v) } else { (v, u) };
        let (s_here, top_here) = self.side(here);
        let (s_there, b) = self.side(there);
        debug_assert_eq!(top_here, a, "a part fires from its endpoint's cluster");
        if b == a {
            self.part_node[other as usize] = NIL;
            self.push_edge_event(a);
            return;
        }
        let rem = weights[e as usize] * scale - s_here - s_there;
        if rem <= 0 {
            self.part_node[other as usize] = NIL;
            self.merge(a, b, e, t);
        } else if self.clusters[b as usize].active {
            let next = t + (rem + 1) / 2;
            self.reinsert(a, part, next);
            self.reinsert(b, other, next);
            self.push_edge_event(a);
            self.push_edge_event(b);
        } else {
            self.reinsert(a, part, t + rem);
            self.push_edge_event(a);
            let cb = self.clusters[b as usize];
            if cb.has_root {
                self.part_node[other as usize] = NIL;
            } else {
                // Look again as soon as `b` grows again.
                self.reinsert(b, other, cb.end);
            }
        }
    }

    fn reinsert(&mut self, c: u32, part: u32, key: i64) {
        let h = self.clusters[c as usize].heap;
        let (node, r) = self.heaps.insert(h, key, part);
        self.clusters[c as usize].heap = r;
        self.part_node[part as usize] = node;
    }

    fn merge(&mut self, a: u32, b: u32, e: EdgeId, t: i64) {
        self.merges.push(e);
        let id = self.clusters.len() as u32;
        for x in [a, b] {
            let cl = &mut self.clusters[x as usize];
            cl.merged_into = id;
            if cl.active {
                cl.active = false;
                cl.end = t;
                cl.moat = t - cl.start;
            } else if !cl.has_root {
                let shift = t - cl.end;
                let h = cl.heap;
                self.heaps.add_all(h, shift);
            }
        }
        let (ca, cb) = (self.clusters[a as usize], self.clusters[b as usize]);
        let has_root = ca.has_root || cb.has_root;
        let heap = if has_root {
            NIL
        } else {
            self.heaps.meld(ca.heap, cb.heap)
        };
        let prize = ca.prize + cb.prize;
        let sub = ca.sub + cb.sub + ca.moat + cb.moat;
        let deact = t + (prize - sub).max(0);
        self.clusters.push(Cluster {
            active: !has_root,
            has_root,
            start: t,
            end: t,
            moat: 0,
            prize,
            sub,
            deact,
            merged_into: NIL,
            skip_up: NIL,
            skip_sum: 0,
            heap,
        });
        if !has_root {
            self.deact_q.push(Reverse((deact, id)));
            self.push_edge_event(id);
        }
    }
}

/// The GW start: the growth of [`gw_forest`] with prizes `grow_prizes`, then strong
/// pruning with the true `prizes`. Rooted: the root's tree, pruned. Unrooted: every tree
/// of the forest pruned, and every single node, the best kept (cost plus prizes left out;
/// ties: first found). Returns the tree's edges (sorted) and a node of it (the root, or the
/// single node of an edgeless tree).
pub fn gw_start(
    g: &Graph,
    weights: &[Cost],
    grow_prizes: &[Cost],
    prizes: &[Cost],
    root: Option<NodeId>,
) -> Option<(Vec<EdgeId>, NodeId)> {
    let n = g.num_nodes();
    if n == 0 {
        return None;
    }
    let forest = gw_forest(g, weights, grow_prizes, root)?;
    let mut uf = UnionFind::new(n);
    for &e in &forest {
        let (u, v, _) = g.edge(e);
        uf.union(u, v);
    }
    match root {
        Some(r) => {
            let rr = uf.find(r);
            let tree: Vec<EdgeId> = forest
                .iter()
                .copied()
                .filter(|&e| uf.find(g.edge(e).0) == rr)
                .collect();
            Some(strong_prune(g, &tree, prizes, Some(r)))
        }
        None => {
            // Trees of the forest by representative, in order of first merge.
            let mut label = vec![NIL; n];
            let mut trees: Vec<Vec<EdgeId>> = Vec::new();
            for &e in &forest {
                let r = uf.find(g.edge(e).0) as usize;
                if label[r] == NIL {
                    label[r] = trees.len() as u32;
                    trees.push(Vec::new());
                }
                trees[label[r] as usize].push(e);
            }
            // Gain of a tree: prize collected minus edge cost (maximised).
            let mut best_node = 0;
            for v in 1..n {
                if prizes[v] > prizes[best_node] {
                    best_node = v;
                }
            }
            let mut best: (Cost, Vec<EdgeId>, NodeId) =
                (prizes[best_node], Vec::new(), best_node as NodeId);
            for t in trees {
                let (p, at) = strong_prune(g, &t, prizes, None);
                if p.is_empty() {
                    continue;
                }
                let gain = tree_nodes(g, &p)
                    .iter()
                    .map(|&v| prizes[v as usize])
                    .sum::<Cost>()
                    - tree_cost(g, &p);
                if gain > best.0 {
                    best = (gain, p, at);
                }
            }
            Some((best.1, best.2))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(g: &Graph) -> Vec<Cost> {
        g.edges().iter().map(|e| e.2).collect()
    }

    #[test]
    fn pairing_heap_pops_in_order_with_offsets() {
        let mut h = Heaps {
            nodes: Vec::new(),
            scratch: Vec::new(),
        };
        let mut a = NIL;
        for (i, k) in [5, 3, 9, 1, 7].into_iter().enumerate() {
            a = h.insert(a, k, i as u32).1;
        }
        let mut b = NIL;
        for (i, k) in [4, 8, 2].into_iter().enumerate() {
            b = h.insert(b, k, 10 + i as u32).1;
        }
        a = h.pop(a); // drops 1; children now carry the root's offset
        h.add_all(a, 10); // 13 15 17 19
        let mut r = h.meld(a, b);
        let mut out = Vec::new();
        while r != NIL {
            out.push(h.nodes[r as usize].key);
            r = h.pop(r);
        }
        assert_eq!(out, vec![2, 4, 8, 13, 15, 17, 19]);
    }

    /// Path 0 - 1 - 2, costs 4 and 10, prizes 3, 0, 6, unrooted. Hand-run: node 0 is active
    /// until time 3, node 2 until 6. Edge (1, 2) is tight at 10 (only node 2 grows) but 2
    /// stops at 6; edge (0, 1) would be tight at 4 but 0 stops at 3. No merge at all; the
    /// best single node is 2 (gain 6).
    #[test]
    fn path_without_merges() {
        let g = Graph::from_edges(3, &[(0, 1, 4), (1, 2, 10)]);
        let p = vec![3, 0, 6];
        assert_eq!(gw_forest(&g, &weights(&g), &p, None), Some(vec![]));
        assert_eq!(gw_start(&g, &weights(&g), &p, &p, None), Some((vec![], 2)));
    }

    /// Star centre 0 (prize 0) with leaves 1, 2, 3: edges 6, 6, 3, prizes 5, 5, 1. Hand-run:
    /// leaves 1 and 2 grow at rate 1; node 3 stops at 1. At 5 both stop (edges 6 need 6).
    /// With prizes 8, 8, 1: leaves 1 and 2 reach node 0 at 6 (tie: cluster 1 first): {1, 0}
    /// merges, active with prize 8 and moats 6; edge 1 then has remainder 6 - 6 - 0 = 0 at
    /// time 6: cluster {0, 1, 2}, prize 16, moats 12, active until 10. Edge 2 (cost 3) has
    /// node 3's moat 1 on its far side and needs 2 more: tight at 8. Merged: prize 17,
    /// moats 1 + 12 + 2 = 15, active until 10. The forest is the whole star.
    #[test]
    fn star_by_hand() {
        let g = Graph::from_edges(4, &[(0, 1, 6), (0, 2, 6), (0, 3, 3)]);
        let w = weights(&g);
        let p = vec![0, 5, 5, 1];
        assert_eq!(gw_forest(&g, &w, &p, None), Some(vec![]));
        let p = vec![0, 8, 8, 1];
        assert_eq!(gw_forest(&g, &w, &p, None), Some(vec![0, 1, 2]));
        // Pruned: leaf 3 goes (prize 1 < cost 3) and the rest gains 16 - 12 = 4, less than
        // node 1 alone (8). With prizes 13 the tree gains 14 and wins.
        assert_eq!(gw_start(&g, &w, &p, &p, None), Some((vec![], 1)));
        let p13 = vec![0, 13, 13, 1];
        assert_eq!(gw_forest(&g, &w, &p13, None), Some(vec![0, 1, 2]));
        let (t, _) = gw_start(&g, &w, &p13, &p13, None).unwrap();
        assert_eq!(t, vec![0, 1]);
        // Rooted at 0: the root never grows; leaves 1 and 2 pay for their edges alone at
        // time 6 (prize 8 >= 6), leaf 3 stops at 1 short of its edge 3.
        let p = vec![0, 8, 8, 1];
        assert_eq!(gw_forest(&g, &w, &p, Some(0)), Some(vec![0, 1]));
        assert_eq!(gw_start(&g, &w, &p, &p, Some(0)), Some((vec![0, 1], 0)));
    }

    /// Sums too large for exact 64-bit event times: no start (the driver keeps its others).
    #[test]
    fn huge_prizes_give_no_start() {
        let g = Graph::from_edges(2, &[(0, 1, 3)]);
        let w = weights(&g);
        let p = vec![1 << 60, 5];
        assert_eq!(gw_forest(&g, &w, &p, None), None);
        assert_eq!(gw_start(&g, &w, &p, &p, Some(0)), None);
        assert_eq!(gw_forest(&g, &w, &[1 << 40, 5], None), Some(vec![0]));
    }

    /// Odd cost between two active nodes: the event lands on a half unit, exact after
    /// scaling. Nodes 0 and 1 (prizes 2 and 2), edge 3: tight at 1.5, merged.
    #[test]
    fn half_times_are_exact() {
        let g = Graph::from_edges(2, &[(0, 1, 3)]);
        let w = weights(&g);
        assert_eq!(gw_forest(&g, &w, &[2, 2], None), Some(vec![0]));
        // Prizes 1 and 1: both stop at 1 before the edge is tight at 1.5.
        assert_eq!(gw_forest(&g, &w, &[1, 1], None), Some(vec![]));
    }
}
