//! Tree utilities shared by every solver: the minimum spanning tree of the subgraph
//! induced by a node set (Kruskal), pruning of leaves that are not required, node lists,
//! costs, and a validity check.
//!
//! Kruskal sorts by `(weight, edge id)`, so ties are broken by id and the result is
//! deterministic.

use crate::graph::{Cost, EdgeId, Graph, NodeId};

/// The union of some trees of `g` as a graph of its own, for recombination: the union's
/// distinct edges in id order, the graph they make over `g`'s nodes (edge `i` is
/// `edges[i]`), and its edge weights.
pub(crate) struct TreeUnion {
    pub edges: Vec<EdgeId>,
    pub graph: Graph,
    pub weights: Vec<Cost>,
}

impl TreeUnion {
    pub(crate) fn new<'a>(g: &Graph, trees: impl IntoIterator<Item = &'a [EdgeId]>) -> Self {
        let mut edges: Vec<EdgeId> = trees.into_iter().flatten().copied().collect();
        edges.sort_unstable();
        edges.dedup();
        let sub: Vec<(NodeId, NodeId, Cost)> = edges.iter().map(|&e| g.edge(e)).collect();
        TreeUnion {
            graph: Graph::from_edges(g.num_nodes(), &sub),
            weights: sub.iter().map(|e| e.2).collect(),
            edges,
        }
    }

    /// `g`'s edges `t` (those in the union) as edges of the union graph (sorted).
    pub(crate) fn local(&self, t: &[EdgeId]) -> Vec<EdgeId> {
        let mut out: Vec<EdgeId> = t
            .iter()
            .filter_map(|e| self.edges.binary_search(e).ok().map(|i| i as EdgeId))
            .collect();
        out.sort_unstable();
        out
    }

    /// Edges of the union graph as `g`'s edges.
    pub(crate) fn lift(&self, t: &[EdgeId]) -> Vec<EdgeId> {
        t.iter().map(|&e| self.edges[e as usize]).collect()
    }
}

/// Disjoint-set forest with path halving and union by size.
#[derive(Clone, Debug)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// Back to singletons, keeping the size.
    pub fn reset(&mut self) {
        for (i, p) in self.parent.iter_mut().enumerate() {
            *p = i as u32;
        }
        self.size.fill(1);
    }

    /// Representative of `x`'s set.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were already one set.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
        true
    }
}

/// Sum of the weights of `edges`.
pub fn tree_cost(g: &Graph, edges: &[EdgeId]) -> Cost {
    edges.iter().map(|&e| g.weight(e)).sum()
}

/// Sorted, deduplicated endpoints of `edges`.
pub fn tree_nodes(g: &Graph, edges: &[EdgeId]) -> Vec<NodeId> {
    let mut nodes: Vec<NodeId> = edges
        .iter()
        .flat_map(|&e| {
            let (u, v, _) = g.edge(e);
            [u, v]
        })
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// Minimum spanning forest of the subgraph induced by `nodes` (sorted; the same set is
/// marked in `in_set`) (Kruskal, ties by edge id). Parallel edges: the cheapest copy wins.
///
/// # Complexity
/// O(m' log m') for the m' edges incident to the set.
pub fn mst_on_nodes(g: &Graph, nodes: &[NodeId], in_set: &[bool]) -> Vec<EdgeId> {
    let mut cand: Vec<(Cost, EdgeId)> = Vec::new();
    for &u in nodes {
        for (v, e) in g.neighbors(u) {
            if u < v && in_set[v as usize] {
                cand.push((g.weight(e), e));
            }
        }
    }
    cand.sort_unstable();
    // Union-find over the node set only, through its sorted position.
    let index = |u: NodeId| nodes.binary_search(&u).expect("sorted node set") as u32;
    let mut uf = UnionFind::new(nodes.len());
    let mut out = Vec::with_capacity(nodes.len().saturating_sub(1));
    for (_, e) in cand {
        let (u, v, _) = g.edge(e);
        if uf.union(index(u), index(v)) {
            out.push(e);
        }
    }
    out.sort_unstable();
    out
}

/// Minimum spanning forest of the subgraph induced by the nodes of `edges` (and of
/// `extra`), then pruning of leaves not marked in `keep`. Returns sorted edge ids.
pub fn mst_and_prune(g: &Graph, edges: &[EdgeId], extra: &[NodeId], keep: &[bool]) -> Vec<EdgeId> {
    let mut nodes = tree_nodes(g, edges);
    nodes.extend_from_slice(extra);
    nodes.sort_unstable();
    nodes.dedup();
    let mut in_set = vec![false; g.num_nodes()];
    for &u in &nodes {
        in_set[u as usize] = true;
    }
    let mst = mst_on_nodes(g, &nodes, &in_set);
    prune_leaves(g, &mst, keep)
}

/// Repeatedly removes leaves not marked in `keep`. Returns sorted edge ids.
///
/// # Complexity
/// O(size of the tree) plus a hash-free pass using a scratch map over the tree nodes.
pub fn prune_leaves(g: &Graph, edges: &[EdgeId], keep: &[bool]) -> Vec<EdgeId> {
    let adj = TreeAdj::new(g, edges);
    let mut deg: Vec<u32> = adj.nodes.iter().map(|&u| adj.degree(u) as u32).collect();
    let mut removed = vec![false; edges.len()];
    let mut stack: Vec<usize> = (0..adj.nodes.len())
        .filter(|&i| deg[i] == 1 && !keep[adj.nodes[i] as usize])
        .collect();
    while let Some(i) = stack.pop() {
        if deg[i] != 1 {
            continue;
        }
        let u = adj.nodes[i];
        for (k, (v, _)) in adj.incident(u) {
            if !removed[k] {
                removed[k] = true;
                deg[i] -= 1;
                let j = adj.local(v);
                deg[j] -= 1;
                if deg[j] == 1 && !keep[v as usize] {
                    stack.push(j);
                }
                break;
            }
        }
    }
    kept_sorted(edges, &removed)
}

/// The edges of `edges` not marked in `removed` (same positions), sorted by id.
pub(crate) fn kept_sorted(edges: &[EdgeId], removed: &[bool]) -> Vec<EdgeId> {
    let mut out: Vec<EdgeId> = edges
        .iter()
        .zip(removed)
        .filter(|(_, &r)| !r)
        .map(|(&e, _)| e)
        .collect();
    out.sort_unstable();
    out
}

/// Adjacency of a tree (or forest) given as an edge list, with compact local indices.
pub struct TreeAdj {
    /// Sorted nodes of the tree.
    pub nodes: Vec<NodeId>,
    offsets: Vec<u32>,
    /// (neighbour, position of the edge in the input list)
    adj: Vec<(NodeId, u32)>,
    edge_ids: Vec<EdgeId>,
}

impl TreeAdj {
    /// Builds the adjacency of `edges`.
    pub fn new(g: &Graph, edges: &[EdgeId]) -> Self {
        let nodes = tree_nodes(g, edges);
        let mut offsets = vec![0u32; nodes.len() + 1];
        let loc = |u: NodeId| nodes.binary_search(&u).expect("node of the tree");
        for &e in edges {
            let (u, v, _) = g.edge(e);
            offsets[loc(u) + 1] += 1;
            offsets[loc(v) + 1] += 1;
        }
        for i in 0..nodes.len() {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut adj = vec![(0, 0); edges.len() * 2];
        for (k, &e) in edges.iter().enumerate() {
            let (u, v, _) = g.edge(e);
            let (a, b) = (loc(u), loc(v));
            adj[fill[a] as usize] = (v, k as u32);
            fill[a] += 1;
            adj[fill[b] as usize] = (u, k as u32);
            fill[b] += 1;
        }
        TreeAdj {
            nodes,
            offsets,
            adj,
            edge_ids: edges.to_vec(),
        }
    }

    /// Local index of node `u` (which must be in the tree).
    pub fn local(&self, u: NodeId) -> usize {
        self.nodes.binary_search(&u).expect("node of the tree")
    }

    /// Degree of `u` in the tree.
    pub fn degree(&self, u: NodeId) -> usize {
        let i = self.local(u);
        (self.offsets[i + 1] - self.offsets[i]) as usize
    }

    /// `(position in the edge list, (neighbour, edge id))` for the edges at `u`.
    pub fn incident(&self, u: NodeId) -> impl Iterator<Item = (usize, (NodeId, EdgeId))> + '_ {
        let i = self.local(u);
        self.adj[self.offsets[i] as usize..self.offsets[i + 1] as usize]
            .iter()
            .map(move |&(v, k)| (k as usize, (v, self.edge_ids[k as usize])))
    }
}

/// True when `edges` form a single tree (connected, acyclic) that contains every node of
/// `required`. An empty edge set is a tree when at most one node is required.
pub fn is_tree_spanning(g: &Graph, edges: &[EdgeId], required: &[NodeId]) -> bool {
    let nodes = tree_nodes(g, edges);
    if edges.is_empty() {
        let mut r = required.to_vec();
        r.sort_unstable();
        r.dedup();
        return r.len() <= 1;
    }
    if nodes.len() != edges.len() + 1 {
        return false;
    }
    let loc = |u: NodeId| nodes.binary_search(&u).ok();
    let mut uf = UnionFind::new(nodes.len());
    for &e in edges {
        let (u, v, _) = g.edge(e);
        if !uf.union(loc(u).unwrap() as u32, loc(v).unwrap() as u32) {
            return false;
        }
    }
    required.iter().all(|&t| loc(t).is_some())
}

/// Connected components: a component label per node (labels are the smallest node id
/// of the component).
pub fn components(g: &Graph) -> Vec<NodeId> {
    let n = g.num_nodes();
    let mut uf = UnionFind::new(n);
    for &(u, v, _) in g.edges() {
        uf.union(u, v);
    }
    let mut label = vec![u32::MAX; n];
    let mut out = vec![0; n];
    for v in 0..n as u32 {
        let r = uf.find(v) as usize;
        if label[r] == u32::MAX {
            label[r] = v;
        }
        out[v as usize] = label[r];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mst_then_prune_drops_steiner_leaves() {
        // square 0-1-2-3-0 plus pendant 4 at 2; keep 0 and 2
        let g = Graph::from_edges(5, &[(0, 1, 1), (1, 2, 1), (2, 3, 5), (3, 0, 5), (2, 4, 1)]);
        let mut keep = vec![false; 5];
        keep[0] = true;
        keep[2] = true;
        let t = mst_and_prune(&g, &[0, 1, 2, 3, 4], &[], &keep);
        assert_eq!(t, vec![0, 1]);
        assert_eq!(tree_cost(&g, &t), 2);
        assert!(is_tree_spanning(&g, &t, &[0, 2]));
        assert!(!is_tree_spanning(&g, &[0, 1, 2, 3], &[0]));
    }
}
