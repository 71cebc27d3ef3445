//! Steiner-vertex insertion (Minoux 1990) and elimination.
//!
//! Insertion: a node outside the tree that touches at least two tree nodes is added. The
//! tree is the minimum spanning tree of its node set, so by the cycle property the MST of
//! the enlarged set uses only tree edges and the new node's edges: a Kruskal merge of the
//! presorted tree edges with the new node's few edges, O(t) for a tree on t nodes. Then
//! non-terminal leaves are pruned, and the result replaces the tree when it is cheaper.
//!
//! Elimination: a Steiner node of tree degree at least three is removed and the MST of
//! the remaining nodes (over all their graph edges) recomputed; kept when connected and
//! cheaper.
//!
//! Candidates are tried in id order; rounds repeat until one improves nothing (a
//! fixpoint) or the work budget, counted in scanned edges, runs out.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::{mst_on_nodes, prune_leaves, tree_cost, tree_nodes, UnionFind};

/// Improves `edges` (a pruned tree that is the MST of its nodes) by vertex insertion and
/// elimination until a fixpoint or `work_budget` scanned edges. Returns the new tree
/// (sorted) and its cost.
pub fn vertex_insertion(
    g: &Graph,
    edges: &[EdgeId],
    keep: &[bool],
    work_budget: u64,
) -> (Vec<EdgeId>, Cost) {
    let n = g.num_nodes();
    let mut tree = edges.to_vec();
    tree.sort_unstable();
    let mut cost = tree_cost(g, &tree);
    if tree.is_empty() {
        return (tree, cost);
    }
    let mut work = 0u64;
    let mut pos = vec![u32::MAX; n];
    let mut improved = true;
    while improved && work < work_budget {
        improved = false;
        // Insertion candidates of this round (from the tree at the round's start).
        let nodes = tree_nodes(g, &tree);
        for (i, &u) in nodes.iter().enumerate() {
            pos[u as usize] = i as u32;
        }
        let mut cands: Vec<NodeId> = Vec::new();
        for &u in &nodes {
            for (v, _) in g.neighbors(u) {
                if pos[v as usize] == u32::MAX {
                    cands.push(v);
                }
            }
        }
        for &u in &nodes {
            pos[u as usize] = u32::MAX;
        }
        cands.sort_unstable();
        cands.dedup();
        let mut state = Insertion::new(g, &tree, &mut pos);
        for v in cands {
            if work >= work_budget {
                break;
            }
            work += (state.sorted.len() + g.degree(v)) as u64;
            if let Some((t, c)) = state.try_insert(g, v, keep, &pos, cost) {
                state.clear(&mut pos);
                tree = t;
                cost = c;
                improved = true;
                state = Insertion::new(g, &tree, &mut pos);
            }
        }
        state.clear(&mut pos);
        // Elimination of Steiner nodes of degree >= 3.
        let nodes = tree_nodes(g, &tree);
        let mut deg = vec![0u32; nodes.len()];
        for &e in &tree {
            let (a, b, _) = g.edge(e);
            deg[nodes.binary_search(&a).unwrap_or(0)] += 1;
            deg[nodes.binary_search(&b).unwrap_or(0)] += 1;
        }
        let elim: Vec<NodeId> = nodes
            .iter()
            .zip(&deg)
            .filter(|(&u, &d)| d >= 3 && !keep[u as usize])
            .map(|(&u, _)| u)
            .collect();
        let mut in_set = vec![false; n];
        for u in elim {
            if work >= work_budget {
                break;
            }
            let cur = tree_nodes(g, &tree);
            if cur.binary_search(&u).is_err() {
                continue;
            }
            let set: Vec<NodeId> = cur.into_iter().filter(|&x| x != u).collect();
            for &x in &set {
                in_set[x as usize] = true;
            }
            let mst = mst_on_nodes(g, &set, &in_set);
            work += set.iter().map(|&x| g.degree(x) as u64).sum::<u64>();
            for &x in &set {
                in_set[x as usize] = false;
            }
            if mst.len() + 1 != set.len() {
                continue;
            }
            let t = prune_leaves(g, &mst, keep);
            let c = tree_cost(g, &t);
            if c < cost {
                tree = t;
                cost = c;
                improved = true;
            }
        }
    }
    (tree, cost)
}

/// The tree prepared for insertions: local indices and edges sorted by weight, and the
/// scratch arrays every candidate reuses (a candidate costs O(t) work, no allocation).
struct Insertion {
    nodes: Vec<NodeId>,
    sorted: Vec<(Cost, EdgeId)>,
    star: Vec<(Cost, EdgeId)>,
    uf: UnionFind,
    out: Vec<EdgeId>,
    deg: Vec<u32>,
    first: Vec<u32>,
    next: Vec<u32>,
    ends: Vec<u32>,
    gone: Vec<bool>,
    stack: Vec<u32>,
}

impl Insertion {
    fn new(g: &Graph, tree: &[EdgeId], pos: &mut [u32]) -> Self {
        let nodes = tree_nodes(g, tree);
        for (i, &u) in nodes.iter().enumerate() {
            pos[u as usize] = i as u32;
        }
        let mut sorted: Vec<(Cost, EdgeId)> = tree.iter().map(|&e| (g.weight(e), e)).collect();
        sorted.sort_unstable();
        let t = nodes.len();
        Insertion {
            nodes,
            sorted,
            star: Vec::new(),
            uf: UnionFind::new(t + 1),
            out: Vec::with_capacity(t),
            deg: vec![0; t + 1],
            first: vec![u32::MAX; t + 1],
            next: Vec::with_capacity(2 * t),
            ends: Vec::with_capacity(2 * t),
            gone: Vec::with_capacity(t),
            stack: Vec::new(),
        }
    }

    fn clear(&self, pos: &mut [u32]) {
        for &u in &self.nodes {
            pos[u as usize] = u32::MAX;
        }
    }

    /// MST of tree + `v`, pruned, when it costs less than `below`; `None` when it does not
    /// or `v` touches fewer than two tree nodes. The MST is the unique one of the order
    /// (weight, edge id), as a Kruskal merge of the sorted tree edges and `v`'s edges finds
    /// it; the merge stops once the t + 1 nodes are joined.
    fn try_insert(
        &mut self,
        g: &Graph,
        v: NodeId,
        keep: &[bool],
        pos: &[u32],
        below: Cost,
    ) -> Option<(Vec<EdgeId>, Cost)> {
        self.star.clear();
        self.star.extend(
            g.neighbors(v)
                .filter(|&(u, _)| pos[u as usize] != u32::MAX)
                .map(|(_, e)| (g.weight(e), e)),
        );
        if self.star.len() < 2 {
            return None;
        }
        self.star.sort_unstable();
        let t = self.nodes.len();
        let vi = t as u32;
        let local = |x: NodeId| if x == v { vi } else { pos[x as usize] };
        self.uf.reset();
        self.out.clear();
        let (sorted, star) = (&self.sorted, &self.star);
        let (mut i, mut j) = (0, 0);
        while (i < sorted.len() || j < star.len()) && self.out.len() < t {
            let take_star = j < star.len() && (i >= sorted.len() || star[j] < sorted[i]);
            let (_, e) = if take_star { star[j] } else { sorted[i] };
            if take_star {
                j += 1;
            } else {
                i += 1;
            }
            let (a, b, _) = g.edge(e);
            if self.uf.union(local(a), local(b)) {
                self.out.push(e);
            }
        }
        // Prune non-terminal leaves on local indices, O(t).
        let m = self.out.len();
        self.deg.clear();
        self.deg.resize(t + 1, 0);
        self.first.clear();
        self.first.resize(t + 1, u32::MAX);
        self.next.clear();
        self.next.resize(2 * m, u32::MAX);
        self.ends.clear();
        self.ends.resize(2 * m, 0);
        let (deg, first, next, ends) = (
            &mut self.deg,
            &mut self.first,
            &mut self.next,
            &mut self.ends,
        );
        for (k, &e) in self.out.iter().enumerate() {
            let (a, b, _) = g.edge(e);
            let (la, lb) = (local(a), local(b));
            deg[la as usize] += 1;
            deg[lb as usize] += 1;
            ends[2 * k] = lb;
            next[2 * k] = first[la as usize];
            first[la as usize] = 2 * k as u32;
            ends[2 * k + 1] = la;
            next[2 * k + 1] = first[lb as usize];
            first[lb as usize] = 2 * k as u32 + 1;
        }
        let nodes = &self.nodes;
        let node_of = |l: u32| if l == vi { v } else { nodes[l as usize] };
        self.gone.clear();
        self.gone.resize(m, false);
        let gone = &mut self.gone;
        let stack = &mut self.stack;
        stack.clear();
        stack
            .extend((0..=t as u32).filter(|&l| deg[l as usize] == 1 && !keep[node_of(l) as usize]));
        while let Some(l) = stack.pop() {
            if deg[l as usize] != 1 {
                continue;
            }
            let mut h = first[l as usize];
            while h != u32::MAX {
                let k = (h / 2) as usize;
                if !gone[k] {
                    gone[k] = true;
                    deg[l as usize] -= 1;
                    let o = ends[h as usize];
                    deg[o as usize] -= 1;
                    if deg[o as usize] == 1 && !keep[node_of(o) as usize] {
                        stack.push(o);
                    }
                    break;
                }
                h = next[h as usize];
            }
        }
        let c: Cost = self
            .out
            .iter()
            .zip(gone.iter())
            .filter(|(_, &x)| !x)
            .map(|(&e, _)| g.weight(e))
            .sum();
        if c >= below {
            return None;
        }
        let mut pruned: Vec<EdgeId> = self
            .out
            .iter()
            .zip(gone.iter())
            .filter(|(_, &x)| !x)
            .map(|(&e, _)| e)
            .collect();
        pruned.sort_unstable();
        Some((pruned, c))
    }
}
