//! The prize-collecting Steiner tree driver ([`solve_pcst`]): minimise edge cost plus the
//! prizes of the nodes left out, rooted when the instance has a root.

use crate::graph::EdgeId;
use crate::graph::{Cost, NodeId};
use crate::prize_growth::{grow, grow_from, GrowthRule};
use crate::prize_local_search::polish;
use crate::problem::{
    make_solution, with_threads, Deadline, Instance, Objective, Options, Solution,
};
use crate::reduce::reduce;
use crate::strong_prune::strong_prune;
use crate::tree::{tree_cost, tree_nodes};
use rayon::prelude::*;

/// Edges per unit of effort up to which every PCST start gets local search.
const PCST_POLISH_WORK: usize = 20_000;

/// A tree minimising edge cost plus the prizes of the nodes it leaves out.
///
/// Rooted when `inst.root` is set. `inst.terminals` is not used: prizes say what a node
/// is worth. Without prizes the answer is the root alone (or node 0).
///
/// # Example
/// ```
/// use fiberplan_steiner::{solve_pcst, Graph, Instance, Options};
/// // node 1 is worth its edge, node 2 is not
/// let graph = Graph::from_edges(3, &[(0, 1, 4), (0, 2, 9)]);
/// let inst = Instance { graph, terminals: vec![], root: Some(0), prizes: vec![0, 5, 6] };
/// let sol = solve_pcst(&inst, &Options::default());
/// assert_eq!((sol.cost, sol.objective), (4, 10));
/// ```
pub fn solve_pcst(inst: &Instance, opts: &Options) -> Solution {
    with_threads(opts.threads, || {
        if !opts.reduce || inst.graph.num_nodes() == 0 {
            return solve_inner(inst, opts);
        }
        // Solve on the reduced graph (prize nodes and the root kept), then expand.
        let mut keep: Vec<bool> = inst.prize_vec().iter().map(|&p| p > 0).collect();
        if let Some(r) = inst.root {
            keep[r as usize] = true;
        }
        let red = reduce(&inst.graph, &keep, 16);
        let rinst = red.instance(inst);
        if rinst.graph.num_nodes() == 0 {
            return solve_inner(inst, opts);
        }
        let rs = solve_inner(&rinst, opts);
        let edges = red.expand(&rs.edges);
        let single = rs.nodes.first().map(|&v| red.old_of_new[v as usize]);
        let mut sol = make_solution(
            inst,
            edges,
            single,
            Objective::CostPlusMissedPrize,
            &format!("red+{}", rs.solver),
        );
        sol.cut_short = rs.cut_short;
        sol
    })
}

fn solve_inner(inst: &Instance, opts: &Options) -> Solution {
    let g = &inst.graph;
    let n = g.num_nodes();
    let deadline = Deadline::new(opts.time_limit);
    if n == 0 {
        return make_solution(
            inst,
            Vec::new(),
            None,
            Objective::CostPlusMissedPrize,
            "trivial",
        );
    }
    let prizes = inst.prize_vec();
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let starts: Vec<NodeId> = match inst.root {
        Some(r) => vec![r],
        None => {
            let mut by_prize: Vec<NodeId> = (0..n as NodeId).collect();
            by_prize.sort_by_key(|&v| (std::cmp::Reverse(prizes[v as usize]), v));
            by_prize.truncate((opts.effort as usize * 2).max(1));
            by_prize
        }
    };
    // Each start grows with the true prizes and with prizes doubled (over-growing, then
    // strong pruning with the true prizes, often finds branches that pay only together).
    let runs: Vec<(NodeId, Cost)> = starts.iter().flat_map(|&s| [(s, 1), (s, 2)]).collect();
    let total: Cost = prizes.iter().sum();
    let objective = |t: &[EdgeId], at: NodeId| -> Cost {
        let p: Cost = if t.is_empty() {
            prizes[at as usize]
        } else {
            tree_nodes(g, t).iter().map(|&v| prizes[v as usize]).sum()
        };
        tree_cost(g, t) + total - p
    };
    let mut starts_done: Vec<(Cost, Vec<EdgeId>, NodeId)> = runs
        .par_iter()
        .enumerate()
        .map(|(i, &(s, scale))| {
            if i > 0 && deadline.expired() {
                return (Cost::MAX, Vec::new(), s);
            }
            let grown = if scale == 1 {
                grow(g, &weights, &prizes, s, GrowthRule::Profit)
            } else {
                let scaled: Vec<Cost> = prizes.iter().map(|&p| p.saturating_mul(scale)).collect();
                grow(g, &weights, &scaled, s, GrowthRule::Profit)
            };
            let (t, at) = strong_prune(g, &grown.edges, &prizes, inst.root);
            let at = if grown.edges.is_empty() { s } else { at };
            (objective(&t, at), t, at)
        })
        .collect();
    // Local search on the best starts only: as many as the work budget allows (all of
    // them on small graphs, the best one on large ones). Stable sort keeps ties in order.
    starts_done.sort_by_key(|r| r.0);
    let polish_count = (opts.effort as usize * PCST_POLISH_WORK / g.num_edges().max(1))
        .clamp(1, starts_done.len());
    let results: Vec<(Cost, Vec<EdgeId>, NodeId)> = starts_done
        .into_par_iter()
        .enumerate()
        .map(|(i, (mut obj, mut t, mut at))| {
            // Polish (cheaper tree on the same prize nodes), regrow, prune again.
            for _ in 0..4 {
                if i >= polish_count || !opts.local_search || t.is_empty() || deadline.expired() {
                    break;
                }
                let t1 = polish(g, &weights, &prizes, &t, inst.root, opts.effort);
                let nodes = tree_nodes(g, &t1);
                let grown = grow_from(g, &weights, &prizes, &nodes, &t1, GrowthRule::Profit);
                let (t2, at2) = strong_prune(g, &grown.edges, &prizes, inst.root);
                let at2 = if t2.is_empty() { at } else { at2 };
                let o2 = objective(&t2, at2);
                if o2 >= obj {
                    break;
                }
                t = t2;
                at = at2;
                obj = o2;
            }
            (obj, t, at)
        })
        .collect();
    let (_, edges, at) = results
        .into_iter()
        .enumerate()
        .min_by_key(|(i, r)| (r.0, *i))
        .map(|(_, r)| r)
        .expect("at least one start");
    let mut sol = make_solution(
        inst,
        edges,
        Some(at),
        Objective::CostPlusMissedPrize,
        if opts.local_search {
            "growth+strongprune+kpe+vi+regrow"
        } else {
            "growth+strongprune"
        },
    );
    sol.cut_short = deadline.was_hit();
    sol
}
