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
//! [`reduce`] is valid for every problem of the crate (nodes in `keep` are never removed).
//! [`reduce_steiner`] is for the Steiner tree problem alone and adds the tests that rely on
//! every terminal being spanned: terminal leaves and the nearest-vertex test contract edges
//! (kept in [`Reduction::fixed`]), the special-distance tests of [`crate::special_distance`]
//! delete edges, and its least-cost search lets a path rest at terminals.
//!
//! Complexity: O(m log m) for the degree tests; the least-cost test is O(m L log L) for
//! a node limit L.
//!
//! References: C. Duin, A. Volgenant, "Reduction tests for the Steiner problem in graphs",
//! Networks 19 (1989); T. Koch, A. Martin, "Solving Steiner tree problems in graphs to
//! optimality", Networks 32 (1998).

mod steiner;
#[cfg(test)]
mod tests;
mod work;

pub(crate) use steiner::reduce_steiner_traced;
pub use steiner::{reduce_steiner, reduce_steiner_with_stats, SteinerStats};
pub(crate) use work::Work;

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::special_distance::sd_search;

/// A reduced graph and the way back to the input.
#[derive(Clone, Debug)]
pub struct Reduction {
    /// The reduced graph on compact ids.
    pub graph: Graph,
    /// Input node of each reduced node.
    pub old_of_new: Vec<NodeId>,
    /// Reduced node of each input node (`NodeId::MAX` when removed).
    pub new_of_old: Vec<NodeId>,
    /// Where each reduced edge's input edges start in `path_edges` (one more entry than
    /// edges; [`Reduction::path`] reads them).
    pub path_start: Vec<u32>,
    /// The input edges each reduced edge stands for, edge after edge, in one array.
    pub path_edges: Vec<EdgeId>,
    /// Input edges contracted because some optimal tree uses them (sorted; only
    /// [`reduce_steiner`] fills it). [`Reduction::expand`] adds them to every tree.
    pub fixed: Vec<EdgeId>,
}

impl Reduction {
    /// The input edges reduced edge `e` stands for.
    pub fn path(&self, e: EdgeId) -> &[EdgeId] {
        let e = e as usize;
        &self.path_edges[self.path_start[e] as usize..self.path_start[e + 1] as usize]
    }

    /// Input edges of a tree given in reduced edges, with the fixed edges (sorted).
    pub fn expand(&self, edges: &[EdgeId]) -> Vec<EdgeId> {
        let mut out: Vec<EdgeId> = edges
            .iter()
            .flat_map(|&e| self.path(e).iter().copied())
            .chain(self.fixed.iter().copied())
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
            terminals: self.terminals(&inst.terminals),
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

    /// Reduced ids of the surviving `terminals`, in their order, each once (terminals
    /// contracted together map to one node).
    pub fn terminals(&self, terminals: &[NodeId]) -> Vec<NodeId> {
        let mut seen = vec![false; self.old_of_new.len()];
        terminals
            .iter()
            .filter_map(|&t| self.map_node(t))
            .filter(|&r| !std::mem::replace(&mut seen[r as usize], true))
            .collect()
    }

    /// Total input weight of the fixed edges: the reduced optimum plus this is the input's.
    pub fn fixed_cost(&self, g: &Graph) -> Cost {
        self.fixed.iter().map(|&e| g.weight(e)).sum()
    }

    /// Surviving nodes as a fraction of the input's.
    pub fn node_ratio(&self) -> f64 {
        self.old_of_new.len() as f64 / self.new_of_old.len().max(1) as f64
    }
}
/// Reduces `g`; nodes marked in `keep` (terminals, prize nodes, the root) are never
/// removed. `least_cost_limit` is the node limit of the least-cost test (0: off).
pub fn reduce(g: &Graph, keep: &[bool], least_cost_limit: usize) -> Reduction {
    reduce_with(g, keep, None, least_cost_limit)
}

/// [`reduce`] for the prize-collecting objective (edge cost plus prizes left out), with
/// one more test: a prize node other than the root hanging on a single edge that costs at
/// least its prize loses that edge. Any tree using it as a leaf does no worse without it,
/// so an optimal tree survives; the node stays, isolated (a one-node tree, unrooted).
/// Not for quota or budget problems, where a prize may be needed whatever it costs.
pub fn reduce_pcst(
    g: &Graph,
    prizes: &[Cost],
    root: Option<NodeId>,
    least_cost_limit: usize,
) -> Reduction {
    let mut keep: Vec<bool> = prizes.iter().map(|&p| p > 0).collect();
    keep.resize(g.num_nodes(), false);
    if let Some(r) = root {
        keep[r as usize] = true;
    }
    reduce_with(g, &keep, Some((prizes, root)), least_cost_limit)
}

fn reduce_with(
    g: &Graph,
    keep: &[bool],
    prize_leaves: Option<(&[Cost], Option<NodeId>)>,
    least_cost_limit: usize,
) -> Reduction {
    let n = g.num_nodes();
    let mut w = Work::new(g);
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    degree_tests(&mut w, keep, prize_leaves, &mut queue);
    if least_cost_limit > 0 {
        let removed = least_cost(&mut w, least_cost_limit);
        let mut queue: Vec<NodeId> = removed;
        queue.sort_unstable_by(|a, b| b.cmp(a));
        queue.dedup();
        degree_tests(&mut w, keep, prize_leaves, &mut queue);
    }
    w.finish(keep)
}

/// Degree-1 and degree-2 tests from a work stack of nodes (popped from the end); with
/// `prize_leaves`, also the prize-leaf test of [`reduce_pcst`].
fn degree_tests(
    w: &mut Work,
    keep: &[bool],
    prize_leaves: Option<(&[Cost], Option<NodeId>)>,
    queue: &mut Vec<NodeId>,
) {
    while let Some(v) = queue.pop() {
        if !keep[v as usize] {
            degree_step(w, v, queue);
        } else if let Some((prizes, root)) = prize_leaves {
            if Some(v) == root {
                continue;
            }
            let live = w.live_inc(v);
            if live.len() == 1 {
                let e = live[0];
                if prizes[v as usize] <= w.weight[e as usize] {
                    w.kill(e);
                    queue.push(w.other(e, v));
                }
            }
        }
    }
}

/// The degree-1 and degree-2 tests at a node that need not be in the tree.
fn degree_step(w: &mut Work, v: NodeId, queue: &mut Vec<NodeId>) {
    let live = w.live_inc(v);
    let inc = [
        live.first().copied().unwrap_or(0),
        live.get(1).copied().unwrap_or(0),
    ];
    match live.len() {
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
                return;
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
                    return;
                }
                w.kill(f);
            }
            w.push_joined(a, b, c, e1, e2);
            queue.push(a);
            queue.push(b);
        }
        _ => {}
    }
}

/// Bounded least-cost test; returns the endpoints of removed edges. It is the search of
/// the special-distance test with no terminals to rest at (so it is valid for prize
/// problems too: the alternative path only gains nodes).
fn least_cost(w: &mut Work, limit: usize) -> Vec<NodeId> {
    let no_terminals = vec![false; w.inc.len()];
    sd_search(w, &no_terminals, limit, None)
}
