//! Reductions with a history to expand solutions back.
//!
//! Tests applied until none fires, then the survivors are renumbered compactly:
//! - parallel edges: only the cheapest copy between two nodes stays;
//! - degree 1: a node that need not be in the tree (not a terminal, no prize, not the
//!   root) with one edge goes, with that edge;
//! - degree 2: such a node with two edges `a-v-b` is replaced by one edge `a-b` of the
//!   summed weight (a two-edge loop back to `a` goes entirely). Road graphs are 40-70 %
//!   degree-2 nodes, so this shrinks them most;
//! - least cost (a bounded special-distance test): an edge `u-v` goes when a search from
//!   `u` limited to a few nodes finds another path to `v` no longer than it. Any tree using
//!   the edge can use that path instead at no extra cost (and for prize problems only
//!   gains nodes), so an optimal tree survives.
//!
//! Each reduced edge remembers the input edges it stands for, so a tree in the reduced
//! graph expands to a tree of the input of the same cost.
//!
//! Complexity: O(m log m) for the degree tests; the least-cost test is O(m L log L) for
//! a node limit L.
//!
//! References: C. Duin, A. Volgenant, "Reduction tests for the Steiner problem in graphs",
//! Networks 19 (1989); T. Koch, A. Martin, "Solving Steiner tree problems in graphs to
//! optimality", Networks 32 (1998).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A reduced graph and the way back to the input.
#[derive(Clone, Debug)]
pub struct Reduction {
    /// The reduced graph on compact ids.
    pub graph: Graph,
    /// Input node of each reduced node.
    pub old_of_new: Vec<NodeId>,
    /// Reduced node of each input node (`NodeId::MAX` when removed).
    pub new_of_old: Vec<NodeId>,
    /// Input edges each reduced edge stands for.
    pub paths: Vec<Vec<EdgeId>>,
}

impl Reduction {
    /// Input edges of a tree given in reduced edges (sorted).
    pub fn expand(&self, edges: &[EdgeId]) -> Vec<EdgeId> {
        let mut out: Vec<EdgeId> = edges
            .iter()
            .flat_map(|&e| self.paths[e as usize].iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// Reduced id of input node `v`, when it survived.
    pub fn map_node(&self, v: NodeId) -> Option<NodeId> {
        let r = self.new_of_old[v as usize];
        (r != NodeId::MAX).then_some(r)
    }

    /// The reduced instance: graph, mapped terminals, root and prizes.
    pub fn instance(&self, inst: &crate::problem::Instance) -> crate::problem::Instance {
        let map = |v: NodeId| self.new_of_old[v as usize];
        crate::problem::Instance {
            graph: self.graph.clone(),
            terminals: inst
                .terminals
                .iter()
                .filter_map(|&t| self.map_node(t))
                .collect(),
            root: inst.root.map(map),
            prizes: if inst.prizes.is_empty() {
                Vec::new()
            } else {
                self.old_of_new
                    .iter()
                    .map(|&v| inst.prizes[v as usize])
                    .collect()
            },
        }
    }

    /// Surviving nodes as a fraction of the input's.
    pub fn node_ratio(&self) -> f64 {
        self.old_of_new.len() as f64 / self.new_of_old.len().max(1) as f64
    }
}

struct Work {
    ends: Vec<(NodeId, NodeId)>,
    weight: Vec<Cost>,
    alive: Vec<bool>,
    paths: Vec<Vec<EdgeId>>,
    inc: Vec<Vec<u32>>,
}

impl Work {
    fn other(&self, e: u32, v: NodeId) -> NodeId {
        let (a, b) = self.ends[e as usize];
        if a == v {
            b
        } else {
            a
        }
    }
    fn live_inc(&mut self, v: NodeId) -> &Vec<u32> {
        let alive = &self.alive;
        self.inc[v as usize].retain(|&e| alive[e as usize]);
        &self.inc[v as usize]
    }
    fn kill(&mut self, e: u32) {
        self.alive[e as usize] = false;
    }
}

/// Reduces `g`; nodes marked in `keep` (terminals, prize nodes, the root) are never
/// removed. `least_cost_limit` is the node limit of the least-cost test (0: off).
pub fn reduce(g: &Graph, keep: &[bool], least_cost_limit: usize) -> Reduction {
    let n = g.num_nodes();
    let mut w = Work {
        ends: Vec::with_capacity(g.num_edges()),
        weight: Vec::with_capacity(g.num_edges()),
        alive: Vec::with_capacity(g.num_edges()),
        paths: Vec::with_capacity(g.num_edges()),
        inc: vec![Vec::new(); n],
    };
    for (id, &(u, v, c)) in g.edges().iter().enumerate() {
        w.ends.push((u, v));
        w.weight.push(c);
        w.alive.push(u != v);
        w.paths.push(vec![id as EdgeId]);
        if u != v {
            w.inc[u as usize].push(id as u32);
            w.inc[v as usize].push(id as u32);
        }
    }
    // Parallel edges.
    let mut best_to: Vec<u32> = vec![u32::MAX; n];
    for v in 0..n as NodeId {
        let list = w.inc[v as usize].clone();
        for &e in &list {
            if !w.alive[e as usize] {
                continue;
            }
            let u = w.other(e, v);
            let b = best_to[u as usize];
            if b == u32::MAX || !w.alive[b as usize] {
                best_to[u as usize] = e;
            } else if (w.weight[e as usize], e) < (w.weight[b as usize], b) {
                w.kill(b);
                best_to[u as usize] = e;
            } else {
                w.kill(e);
            }
        }
        for &e in &list {
            let u = w.other(e, v);
            best_to[u as usize] = u32::MAX;
        }
    }
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    degree_tests(&mut w, keep, &mut queue);
    if least_cost_limit > 0 {
        let removed = least_cost(&mut w, least_cost_limit);
        let mut queue: Vec<NodeId> = removed;
        queue.sort_unstable_by(|a, b| b.cmp(a));
        queue.dedup();
        degree_tests(&mut w, keep, &mut queue);
    }
    // Renumber.
    let mut new_of_old = vec![NodeId::MAX; n];
    let mut old_of_new = Vec::new();
    for v in 0..n as NodeId {
        let deg = w.live_inc(v).len();
        if deg > 0 || keep[v as usize] {
            new_of_old[v as usize] = old_of_new.len() as NodeId;
            old_of_new.push(v);
        }
    }
    let mut edges = Vec::new();
    let mut paths = Vec::new();
    for e in 0..w.ends.len() {
        if w.alive[e] {
            let (a, b) = w.ends[e];
            edges.push((new_of_old[a as usize], new_of_old[b as usize], w.weight[e]));
            paths.push(std::mem::take(&mut w.paths[e]));
        }
    }
    Reduction {
        graph: Graph::from_edges(old_of_new.len(), &edges),
        old_of_new,
        new_of_old,
        paths,
    }
}

/// Degree-1 and degree-2 tests from a work stack of nodes (popped from the end).
fn degree_tests(w: &mut Work, keep: &[bool], queue: &mut Vec<NodeId>) {
    while let Some(v) = queue.pop() {
        if keep[v as usize] {
            continue;
        }
        let inc = w.live_inc(v).clone();
        match inc.len() {
            1 => {
                let e = inc[0];
                w.kill(e);
                queue.push(w.other(e, v));
            }
            2 => {
                let (e1, e2) = (inc[0], inc[1]);
                let a = w.other(e1, v);
                let b = w.other(e2, v);
                w.kill(e1);
                w.kill(e2);
                if a == b {
                    queue.push(a);
                    continue;
                }
                let c = w.weight[e1 as usize] + w.weight[e2 as usize];
                // An existing a-b edge no dearer makes the new one useless.
                let (sa, sb) = (w.live_inc(a).len(), w.live_inc(b).len());
                let (x, y) = if sa <= sb { (a, b) } else { (b, a) };
                let existing = w.inc[x as usize]
                    .iter()
                    .copied()
                    .find(|&f| w.other(f, x) == y);
                if let Some(f) = existing {
                    if w.weight[f as usize] <= c {
                        queue.push(a);
                        queue.push(b);
                        continue;
                    }
                    w.kill(f);
                }
                let mut path = std::mem::take(&mut w.paths[e1 as usize]);
                path.append(&mut std::mem::take(&mut w.paths[e2 as usize]));
                let id = w.ends.len() as u32;
                w.ends.push((a, b));
                w.weight.push(c);
                w.alive.push(true);
                w.paths.push(path);
                w.inc[a as usize].push(id);
                w.inc[b as usize].push(id);
                queue.push(a);
                queue.push(b);
            }
            _ => {}
        }
    }
}

/// Bounded least-cost test; returns the endpoints of removed edges.
fn least_cost(w: &mut Work, limit: usize) -> Vec<NodeId> {
    let n = w.inc.len();
    let mut dist = vec![Cost::MAX; n];
    let mut touched: Vec<NodeId> = Vec::new();
    let mut heap = BinaryHeap::new();
    let mut removed = Vec::new();
    for e in 0..w.ends.len() as u32 {
        if !w.alive[e as usize] {
            continue;
        }
        let (u, v) = w.ends[e as usize];
        let bound = w.weight[e as usize];
        dist[u as usize] = 0;
        touched.push(u);
        heap.clear();
        heap.push(Reverse((0, u)));
        let mut popped = 0;
        let mut found = false;
        while let Some(Reverse((d, x))) = heap.pop() {
            if d > dist[x as usize] {
                continue;
            }
            if x == v {
                found = true;
                break;
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
                let nd = d + w.weight[f as usize];
                if nd <= bound && nd < dist[y as usize] {
                    if dist[y as usize] == Cost::MAX {
                        touched.push(y);
                    }
                    dist[y as usize] = nd;
                    heap.push(Reverse((nd, y)));
                }
            }
        }
        for &t in &touched {
            dist[t as usize] = Cost::MAX;
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

    #[test]
    fn chains_collapse_and_expand_back() {
        // 0 - 1 - 2 - 3 with terminal ends, a pendant 4 at 1, a parallel 0-1 copy,
        // and a long edge 0-3 that the path beats.
        let g = Graph::from_edges(
            5,
            &[
                (0, 1, 2),
                (1, 2, 3),
                (2, 3, 4),
                (1, 4, 1),
                (0, 1, 5),
                (0, 3, 10),
            ],
        );
        let mut keep = vec![false; 5];
        keep[0] = true;
        keep[3] = true;
        let r = reduce(&g, &keep, 8);
        assert_eq!(r.graph.num_nodes(), 2);
        assert_eq!(r.graph.num_edges(), 1);
        assert_eq!(r.graph.edge(0).2, 9);
        assert_eq!(r.expand(&[0]), vec![0, 1, 2]);
        assert_eq!(r.map_node(3), Some(1));
        assert_eq!(r.map_node(4), None);
    }
}
