//! Local search for trees that collect prizes (PCST, quota, budget).
//!
//! [`polish`]: the prize nodes a tree holds (and the root) are made terminals of a Steiner
//! problem and key-path exchange plus vertex insertion lower the tree's cost without
//! losing any of them, so a quota stays met and a budget stays kept.
//!
//! [`multiplier_search`]: the prize-multiplier search that users of pcst_fast do by hand:
//! prizes scaled by a factor, the prize-collecting growth with strong pruning solved for
//! it, and the factor bisected towards the constraint. A starting point only: the drivers
//! then polish, trim and regrow under the constraint.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::key_path_exchange::key_path_exchange;
use crate::prize_growth::{grow, GrowthRule};
use crate::strong_prune::strong_prune;
use crate::tree::{prune_leaves, tree_cost, tree_nodes};
use crate::vertex_insertion::vertex_insertion;

/// Lowers the cost of `tree` keeping every prize node it holds and `root`.
pub fn polish(
    g: &Graph,
    weights: &[Cost],
    prizes: &[Cost],
    tree: &[EdgeId],
    root: Option<NodeId>,
    effort: u32,
) -> Vec<EdgeId> {
    if tree.is_empty() {
        return Vec::new();
    }
    let keep = prize_nodes_of(g, prizes, tree, root);
    let mut t = prune_leaves(g, tree, &keep);
    if t.is_empty() {
        return t;
    }
    let mut c = tree_cost(g, &t);
    loop {
        // Work-based: large graphs get fewer passes per polish.
        let passes = if g.num_edges() > effort as usize * 25_000 {
            4
        } else {
            2 * effort as usize + 4
        };
        let t1 = key_path_exchange(g, weights, &t, &keep, passes).0;
        let (t2, c2) = vertex_insertion(g, &t1, &keep, 500_000 * effort as u64);
        if c2 >= c {
            break;
        }
        t = t2;
        c = c2;
    }
    t
}

/// The nodes a polish must keep: the tree's prize nodes and the root, as a mask.
pub(crate) fn prize_nodes_of(
    g: &Graph,
    prizes: &[Cost],
    tree: &[EdgeId],
    root: Option<NodeId>,
) -> Vec<bool> {
    let mut keep = vec![false; g.num_nodes()];
    for v in tree_nodes(g, tree) {
        keep[v as usize] = prizes[v as usize] > 0;
    }
    if let Some(r) = root {
        keep[r as usize] = true;
    }
    keep
}

/// Which side of the constraint the multiplier search aims at.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// Smallest multiplier whose tree holds at least this prize.
    Quota(Cost),
    /// Largest multiplier whose tree costs at most this.
    Budget(Cost),
}

/// Bisects a prize multiplier for the rooted prize-collecting growth with strong pruning;
/// returns the best tree meeting the target (by cost for a quota, by prize for a budget),
/// or `None` when no multiplier tried met it. `steps` bisection steps after bracketing.
pub fn multiplier_search(
    g: &Graph,
    weights: &[Cost],
    prizes: &[Cost],
    root: NodeId,
    target: Target,
    steps: u32,
) -> Option<Vec<EdgeId>> {
    let solve = |lambda: f64| -> (Vec<EdgeId>, Cost, Cost) {
        let scaled: Vec<Cost> = prizes
            .iter()
            .map(|&p| ((p as f64) * lambda).min(1e17).round() as Cost)
            .collect();
        let grown = grow(g, weights, &scaled, root, GrowthRule::Profit);
        let (t, _) = strong_prune(g, &grown.edges, &scaled, Some(root));
        let prize: Cost = if t.is_empty() {
            prizes[root as usize]
        } else {
            tree_nodes(g, &t).iter().map(|&v| prizes[v as usize]).sum()
        };
        let cost = tree_cost(g, &t);
        (t, cost, prize)
    };
    let meets = |cost: Cost, prize: Cost| match target {
        Target::Quota(q) => prize >= q,
        Target::Budget(b) => cost <= b,
    };
    let better = |a: &(Vec<EdgeId>, Cost, Cost), b: &(Vec<EdgeId>, Cost, Cost)| match target {
        Target::Quota(_) => a.1 < b.1,
        Target::Budget(_) => a.2 > b.2 || (a.2 == b.2 && a.1 < b.1),
    };
    let mut best: Option<(Vec<EdgeId>, Cost, Cost)> = None;
    let mut consider = |r: (Vec<EdgeId>, Cost, Cost)| {
        if meets(r.1, r.2) && best.as_ref().is_none_or(|b| better(&r, b)) {
            best = Some(r);
        }
    };
    // Bracket: for a quota the multiplier grows until the quota is met; for a budget it
    // grows until the budget is broken.
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut bracketed = false;
    for _ in 0..60 {
        let r = solve(hi);
        let ok = meets(r.1, r.2);
        consider(r);
        let stop = match target {
            Target::Quota(_) => ok,
            Target::Budget(_) => !ok,
        };
        if stop {
            bracketed = true;
            break;
        }
        lo = hi;
        hi *= 2.0;
    }
    if !bracketed {
        return best.map(|b| b.0);
    }
    for _ in 0..steps {
        let mid = 0.5 * (lo + hi);
        let r = solve(mid);
        let ok = meets(r.1, r.2);
        consider(r);
        match (target, ok) {
            (Target::Quota(_), true) | (Target::Budget(_), false) => hi = mid,
            _ => lo = mid,
        }
    }
    best.map(|b| b.0)
}
