//! Steiner-only reduction tests from terminal Voronoi regions: the special-distance (SD)
//! test and the nearest-vertex (NV) test, both in the cheap form of modern solvers.
//!
//! One multi-source Dijkstra from the terminals gives every node its nearest terminal
//! `base(x)` at distance `d(x)` along predecessor edges. A boundary edge `(x, y)` between
//! two regions stands for a walk `base(x) .. x - y .. base(y)` of length
//! `d(x) + c(x, y) + d(y)`; Kruskal on these walks gives a spanning tree of the terminals
//! (Mehlhorn's), whose bottleneck `b(s, t)` (largest walk on its s-t path, read off a
//! Kruskal reconstruction tree) bounds the special distance of the terminals. Predecessor
//! edges and the boundary edges Kruskal takes are *structural*: the tests never delete them,
//! so every walk a test relies on survives the whole batch.
//!
//! - SD: a non-structural edge `(u, v)` goes when
//!   `c(u, v) >= max(d(u), d(v), b(base(u), base(v)))` (`b(t, t) = 0`). The walk
//!   `u .. base(u) ~~ base(v) .. v` avoids the edge and every piece of it between consecutive
//!   nodes of the sequence u, terminals, v is at most `c(u, v)`. Given an optimal tree with
//!   the edge, drop it: u and v (in the tree) and the terminals lie in the two halves, so
//!   some consecutive pair lies in different halves and its piece reconnects them at no
//!   extra cost. Structural edges stay, so replacing the deleted edges one at a time ends.
//! - NV: for a terminal z with cheapest edge `(z, v1)` (weight c1) and second cheapest
//!   weight c2, if a walk P from v1 to another terminal avoiding z has length at most
//!   `c2 - c1`, some optimal tree holds `(z, v1)`. An optimal tree T without it: if v1 is in
//!   T, adding the edge closes a cycle through a T edge at z (weight >= c2); else T's edge
//!   at z towards the other terminal (weight >= c2) can be swapped for `(z, v1)` + P. The
//!   walk is v1's predecessor path when `base(v1) != z`, else one edge to a neighbour
//!   outside z's region and that neighbour's path (those nodes are never z).
//!
//! Complexity: O(m log n) per call (Dijkstra, the sort of boundary edges, and an O(log k)
//! bottleneck query per edge).
//!
//! References: C. Duin, A. Volgenant, "Reduction tests for the Steiner problem in graphs",
//! Networks 19 (1989); T. Polzin, S. Vahdati Daneshmand, "Improved algorithms for the Steiner
//! problem in networks", Discrete Applied Mathematics 112 (2001); K. Mehlhorn, "A faster
//! approximation algorithm for the Steiner problem in graphs", IPL 27 (1988); D. Rehfeldt,
//! "Faster algorithms for Steiner tree and related problems", PhD thesis (2021).

use crate::graph::{Cost, NodeId};
use crate::reduce::Work;
use crate::tree::UnionFind;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const NONE: u32 = u32::MAX;

/// Nearest terminal of every node in the working graph and the structural edges.
pub(crate) struct TerminalRegions {
    /// Nearest terminal (`NONE` when no terminal is reachable).
    pub base: Vec<NodeId>,
    /// Distance to it (`Cost::MAX` when unreachable).
    pub dist: Vec<Cost>,
    /// Edges the tests must keep: predecessor edges and the boundary edges of the
    /// terminals' spanning tree.
    pub structural: Vec<bool>,
    /// Kruskal reconstruction tree over the terminals' spanning tree.
    bottleneck: Bottleneck,
    /// Leaf of each terminal in `bottleneck` (`NONE` for other nodes).
    leaf: Vec<u32>,
}

impl TerminalRegions {
    /// Voronoi regions of the nodes marked in `term` (alive, own representative) in `w`.
    pub fn compute(w: &Work, term: &[bool]) -> TerminalRegions {
        let n = w.inc.len();
        let mut base = vec![NONE; n];
        let mut dist = vec![Cost::MAX; n];
        let mut pred = vec![NONE; n];
        let mut leaf = vec![NONE; n];
        let mut heap = BinaryHeap::new();
        let mut k = 0u32;
        for v in 0..n as NodeId {
            if term[v as usize] && w.rep[v as usize] == v {
                base[v as usize] = v;
                dist[v as usize] = 0;
                leaf[v as usize] = k;
                k += 1;
                heap.push(Reverse((0, v)));
            }
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for &f in &w.inc[v as usize] {
                if !w.alive[f as usize] {
                    continue;
                }
                let u = w.other(f, v);
                let nd = d.saturating_add(w.weight[f as usize]);
                if nd < dist[u as usize] {
                    dist[u as usize] = nd;
                    pred[u as usize] = f;
                    base[u as usize] = base[v as usize];
                    heap.push(Reverse((nd, u)));
                }
            }
        }
        drop(heap);
        let mut structural = vec![false; w.ends.len()];
        for &p in &pred {
            if p != NONE {
                structural[p as usize] = true;
            }
        }
        // Boundary walks, cheapest first (ties by edge id), into Kruskal.
        let mut walks: Vec<(Cost, u32)> = Vec::new();
        for e in 0..w.ends.len() as u32 {
            if !w.alive[e as usize] {
                continue;
            }
            let (x, y) = w.ends[e as usize];
            let (bx, by) = (base[x as usize], base[y as usize]);
            if bx == NONE || by == NONE || bx == by {
                continue;
            }
            let len = dist[x as usize]
                .saturating_add(w.weight[e as usize])
                .saturating_add(dist[y as usize]);
            walks.push((len, e));
        }
        walks.sort_unstable();
        let mut uf = UnionFind::new(k as usize);
        let mut top: Vec<u32> = (0..k).collect();
        let mut parent: Vec<u32> = (0..k).collect();
        let mut weight: Vec<Cost> = vec![0; k as usize];
        for (len, e) in walks {
            let (x, y) = w.ends[e as usize];
            let a = uf.find(leaf[base[x as usize] as usize]);
            let b = uf.find(leaf[base[y as usize] as usize]);
            if a == b {
                continue;
            }
            let id = parent.len() as u32;
            parent.push(id);
            weight.push(len);
            parent[top[a as usize] as usize] = id;
            parent[top[b as usize] as usize] = id;
            uf.union(a, b);
            top[uf.find(a) as usize] = id;
            structural[e as usize] = true;
        }
        TerminalRegions {
            base,
            dist,
            structural,
            bottleneck: Bottleneck::new(parent, weight),
            leaf,
        }
    }

    /// Upper bound on the special distance of terminals `s` and `t` (`Cost::MAX` when
    /// they are not connected).
    pub fn terminal_bottleneck(&self, s: NodeId, t: NodeId) -> Cost {
        if s == t {
            return 0;
        }
        self.bottleneck
            .query(self.leaf[s as usize], self.leaf[t as usize])
    }

    /// Upper bound on the special distance of nodes `u` and `v` through their bases
    /// (`Cost::MAX` when either has none).
    pub fn special_distance_bound(&self, u: NodeId, v: NodeId) -> Cost {
        let (bu, bv) = (self.base[u as usize], self.base[v as usize]);
        if bu == NONE || bv == NONE {
            return Cost::MAX;
        }
        self.dist[u as usize]
            .max(self.dist[v as usize])
            .max(self.terminal_bottleneck(bu, bv))
    }
}

/// Kruskal reconstruction tree: leaves are terminals, each inner node a merge with the walk
/// length that made it; the bottleneck of two leaves is the weight of their lowest common
/// ancestor. Parents have larger ids than children. Queries by binary lifting.
struct Bottleneck {
    weight: Vec<Cost>,
    depth: Vec<u32>,
    /// `up[j][x]`: the 2^j-th ancestor of x (a root is its own parent).
    up: Vec<Vec<u32>>,
}

impl Bottleneck {
    fn new(parent: Vec<u32>, weight: Vec<Cost>) -> Bottleneck {
        let len = parent.len();
        let mut depth = vec![0u32; len];
        for x in (0..len).rev() {
            let p = parent[x] as usize;
            if p != x {
                depth[x] = depth[p] + 1;
            }
        }
        let levels = (usize::BITS - len.max(1).leading_zeros()) as usize;
        let mut up = vec![parent];
        for j in 1..levels {
            let prev = &up[j - 1];
            let next: Vec<u32> = (0..len).map(|x| prev[prev[x] as usize]).collect();
            up.push(next);
        }
        Bottleneck { weight, depth, up }
    }

    fn query(&self, mut a: u32, mut b: u32) -> Cost {
        if self.depth[a as usize] < self.depth[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        let mut diff = self.depth[a as usize] - self.depth[b as usize];
        let mut j = 0;
        while diff > 0 {
            if diff & 1 == 1 {
                a = self.up[j][a as usize];
            }
            diff >>= 1;
            j += 1;
        }
        if a == b {
            return self.weight[a as usize];
        }
        for j in (0..self.up.len()).rev() {
            let (pa, pb) = (self.up[j][a as usize], self.up[j][b as usize]);
            if pa != pb {
                a = pa;
                b = pb;
            }
        }
        let p = self.up[0][a as usize];
        if p == a || p != self.up[0][b as usize] {
            return Cost::MAX; // different trees
        }
        self.weight[p as usize]
    }
}

/// SD test: kills every non-structural live edge no cheaper than its endpoints' special
/// distance bound, and every edge with an endpoint no terminal reaches. Returns the
/// endpoints of killed edges.
pub(crate) fn sd_test(w: &mut Work, regions: &TerminalRegions) -> Vec<NodeId> {
    let mut touched = Vec::new();
    for e in 0..w.ends.len() as u32 {
        if !w.alive[e as usize] || regions.structural[e as usize] {
            continue;
        }
        let (u, v) = w.ends[e as usize];
        let unreached = regions.base[u as usize] == NONE || regions.base[v as usize] == NONE;
        if unreached || w.weight[e as usize] >= regions.special_distance_bound(u, v) {
            w.kill(e);
            touched.push(u);
            touched.push(v);
        }
    }
    touched
}

/// NV test over the terminals marked in `term` (by id): contracts the cheapest edge of a
/// terminal when the condition of the module docs holds. A terminal next to an earlier
/// contraction in the same call is left for the next round, so the weights and regions
/// read are the ones computed. Returns the nodes whose edges changed and the number of
/// contractions.
pub(crate) fn nv_test(
    w: &mut Work,
    regions: &TerminalRegions,
    term: &mut [bool],
    nterm: &mut usize,
) -> (Vec<NodeId>, usize) {
    let mut contracted = 0;
    let n = w.inc.len();
    let mut dirty = vec![false; n];
    let mut touched = Vec::new();
    for z in 0..n as NodeId {
        if *nterm < 2 {
            break;
        }
        if !term[z as usize] || w.rep[z as usize] != z || dirty[z as usize] {
            continue;
        }
        w.live_inc(z);
        let inc = &w.inc[z as usize];
        if inc.len() < 2 {
            continue;
        }
        let mut e1 = NONE;
        let (mut c1, mut c2) = (Cost::MAX, Cost::MAX);
        for &f in inc {
            let c = w.weight[f as usize];
            if c < c1 || (c == c1 && f < e1) {
                c2 = c1;
                c1 = c;
                e1 = f;
            } else if c < c2 {
                c2 = c;
            }
        }
        let v1 = w.other(e1, z);
        if dirty[v1 as usize] {
            continue;
        }
        let walk = if regions.base[v1 as usize] != z && regions.base[v1 as usize] != NONE {
            regions.dist[v1 as usize]
        } else {
            let mut best = Cost::MAX;
            for &f in &w.inc[v1 as usize] {
                if f == e1 || !w.alive[f as usize] {
                    continue;
                }
                let y = w.other(f, v1);
                let by = regions.base[y as usize];
                if dirty[y as usize] || by == z || by == NONE {
                    continue;
                }
                best = best.min(w.weight[f as usize].saturating_add(regions.dist[y as usize]));
            }
            best
        };
        if c1.saturating_add(walk) > c2 {
            continue;
        }
        for x in [z, v1] {
            dirty[x as usize] = true;
            for &f in &w.inc[x as usize] {
                if w.alive[f as usize] {
                    dirty[w.other(f, x) as usize] = true;
                }
            }
        }
        if term[v1 as usize] {
            *nterm -= 1;
        }
        term[z as usize] = false;
        term[v1 as usize] = false;
        let keep = w.contract(e1, &mut touched);
        term[keep as usize] = true;
        contracted += 1;
    }
    (touched, contracted)
}

/// Bounded special-distance search, one edge at a time (the least-cost test with terminal
/// resets): an edge `(u, v)` of weight c goes when a search from u in the current graph
/// without the edge, settling at most `limit` nodes, finds a walk to v whose pieces between
/// consecutive nodes of u, terminals, v are all at most c. The SD argument applies with the
/// walk present at the time of deletion, so deleting one edge at a time is safe. Labels are
/// the length since the last terminal (0 again at a terminal, so a node may be settled twice).
/// Only edges with an endpoint marked in `only` are tried (all when `None`). Returns the
/// endpoints of deleted edges. O(m L log L) for the L = `limit`.
pub(crate) fn sd_search(
    w: &mut Work,
    term: &[bool],
    limit: usize,
    only: Option<&[bool]>,
) -> Vec<NodeId> {
    let n = w.inc.len();
    let mut label = vec![Cost::MAX; n];
    let mut touched: Vec<NodeId> = Vec::new();
    let mut heap = BinaryHeap::new();
    let mut removed = Vec::new();
    for e in 0..w.ends.len() as u32 {
        if !w.alive[e as usize] {
            continue;
        }
        let (u, v) = w.ends[e as usize];
        if let Some(only) = only {
            if !only[u as usize] && !only[v as usize] {
                continue;
            }
        }
        let bound = w.weight[e as usize];
        label[u as usize] = 0;
        touched.push(u);
        heap.clear();
        heap.push(Reverse((0, u)));
        let mut popped = 0;
        let mut found = false;
        'search: while let Some(Reverse((l, x))) = heap.pop() {
            if l > label[x as usize] {
                continue;
            }
            popped += 1;
            if popped > limit {
                break;
            }
            for &f in &w.inc[x as usize] {
                if f == e || !w.alive[f as usize] {
                    continue;
                }
                let y = w.other(f, x);
                let mut nl = l + w.weight[f as usize];
                if nl > bound {
                    continue;
                }
                if y == v {
                    found = true;
                    break 'search;
                }
                if term[y as usize] {
                    nl = 0;
                }
                if nl < label[y as usize] {
                    if label[y as usize] == Cost::MAX {
                        touched.push(y);
                    }
                    label[y as usize] = nl;
                    heap.push(Reverse((nl, y)));
                }
            }
        }
        for &t in &touched {
            label[t as usize] = Cost::MAX;
        }
        touched.clear();
        if found {
            w.kill(e);
            removed.push(u);
            removed.push(v);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;

    fn live(w: &Work) -> Vec<u32> {
        (0..w.alive.len() as u32)
            .filter(|&e| w.alive[e as usize])
            .collect()
    }

    #[test]
    fn sd_deletes_the_chord_inside_a_region() {
        // Terminals 0 and 1; 2 and 3 both lie in 0's region at distance 2. The chord
        // 2-3 (3) is no cheaper than max(d(2), d(3)) = 2: it goes; nothing else does.
        let g = Graph::from_edges(4, &[(0, 2, 2), (0, 3, 2), (2, 1, 2), (3, 1, 2), (2, 3, 3)]);
        let mut w = Work::new(&g);
        let term = [true, true, false, false];
        let r = TerminalRegions::compute(&w, &term);
        assert_eq!(r.base, vec![0, 1, 0, 0]);
        assert_eq!(r.dist, vec![0, 0, 2, 2]);
        // pred edges 0, 1 and the cheaper boundary walk (edge 2, length 4) are kept
        assert_eq!(r.structural, vec![true, true, true, false, false]);
        assert_eq!(r.special_distance_bound(3, 1), 4);
        assert_eq!(sd_test(&mut w, &r), vec![2, 3]);
        assert_eq!(live(&w), vec![0, 1, 2, 3]);
    }

    #[test]
    fn sd_tie_deletes_a_non_structural_edge_only() {
        // Unit square 0-1-2-3 with terminals 0, 2 and the unit diagonal 1-3: the diagonal
        // equals its bound max(d(1), d(3)) = 1 and goes; the sides are cheaper than their
        // bounds or structural.
        let g = Graph::from_edges(4, &[(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1), (1, 3, 1)]);
        let mut w = Work::new(&g);
        let r = TerminalRegions::compute(&w, &[true, false, true, false]);
        assert_eq!(sd_test(&mut w, &r), vec![1, 3]);
        assert_eq!(live(&w), vec![0, 1, 2, 3]);
    }

    #[test]
    fn nv_contracts_the_cheapest_edge_of_a_terminal() {
        // Terminal 0: edges 1 (to 2) and 3 (to 3); 2 lies in 0's region but is 2 from
        // terminal 1 through its other edge: 3 >= 1 + 2, so 0-2 is contracted (2 into 0).
        // Terminal 1 is next to 2, so it waits for the next round.
        let g = Graph::from_edges(4, &[(0, 2, 1), (0, 3, 3), (2, 1, 2), (3, 1, 3)]);
        let mut w = Work::new(&g);
        let mut term = vec![true, true, false, false];
        let mut nterm = 2;
        let r = TerminalRegions::compute(&w, &term);
        assert_eq!(r.base, vec![0, 1, 0, 0]);
        let (_, contracted) = nv_test(&mut w, &r, &mut term, &mut nterm);
        assert_eq!(contracted, 1);
        assert_eq!(w.fixed, vec![0]);
        assert_eq!(w.rep, vec![0, 1, 0, 3]);
        assert_eq!(term, vec![true, true, false, false]);
        assert_eq!(nterm, 2);
        assert_eq!(w.ends[2], (0, 1));
        // One unit more on the way from 2 to terminal 1 and the test must not fire.
        let g = Graph::from_edges(4, &[(0, 2, 1), (0, 3, 3), (2, 1, 3), (3, 1, 3)]);
        let mut w = Work::new(&g);
        let mut term = vec![true, true, false, false];
        let r = TerminalRegions::compute(&w, &term);
        assert_eq!(nv_test(&mut w, &r, &mut term, &mut nterm).1, 0);
    }

    #[test]
    fn search_finds_a_walk_through_a_terminal() {
        // Edge 0-1 (5); the walk 0-2-3-1 has length 8 but terminal 2 splits it into 4 and
        // 4 (3-1 via 3): pieces 4 <= 5, so the edge goes; without the terminal it stays.
        let g = Graph::from_edges(4, &[(0, 1, 5), (0, 2, 4), (2, 3, 2), (3, 1, 2)]);
        let mut w = Work::new(&g);
        assert_eq!(
            sd_search(&mut w, &[false, false, false, false], 16, None),
            vec![]
        );
        assert_eq!(
            sd_search(&mut w, &[false, false, true, false], 16, None),
            vec![0, 1]
        );
        assert_eq!(live(&w), vec![1, 2, 3]);
    }

    #[test]
    fn bottleneck_reads_the_lca_weight() {
        // leaves 0..4; merges: 5 = {0,1} @3, 6 = {2,3} @4, 7 = {5,6} @9; 4 alone.
        let parent = vec![5, 5, 6, 6, 4, 7, 7, 7];
        let weight = vec![0, 0, 0, 0, 0, 3, 4, 9];
        let b = Bottleneck::new(parent, weight);
        assert_eq!(b.query(0, 1), 3);
        assert_eq!(b.query(2, 3), 4);
        assert_eq!(b.query(0, 3), 9);
        assert_eq!(b.query(1, 2), 9);
        assert_eq!(b.query(0, 4), Cost::MAX);
    }
}
