//! The prize-collecting Steiner tree driver ([`solve_pcst`]): minimise edge cost plus the
//! prizes of the nodes left out, rooted when the instance has a root.

use crate::graph::{Cost, NodeId};
use crate::prize_growth::{grow, GrowthRule};
use crate::problem::{
    make_solution, with_threads, Deadline, Instance, Objective, Options, Solution,
};
use crate::strong_prune::strong_prune;
use crate::tree::tree_cost;
use rayon::prelude::*;

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
    with_threads(opts.threads, || solve_inner(inst, opts))
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
    let results: Vec<(Cost, Vec<u32>, NodeId)> = starts
        .par_iter()
        .enumerate()
        .map(|(i, &s)| {
            if i > 0 && deadline.expired() {
                return (Cost::MAX, Vec::new(), s);
            }
            let grown = grow(g, &weights, &prizes, s, GrowthRule::Profit);
            let (edges, at) = strong_prune(g, &grown.edges, &prizes, inst.root);
            let at = if edges.is_empty() && grown.edges.is_empty() {
                s
            } else {
                at
            };
            let nodes_prize: Cost = if edges.is_empty() {
                prizes[at as usize]
            } else {
                crate::tree::tree_nodes(g, &edges)
                    .iter()
                    .map(|&v| prizes[v as usize])
                    .sum()
            };
            let total: Cost = prizes.iter().sum();
            (tree_cost(g, &edges) + total - nodes_prize, edges, at)
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
        "growth+strongprune",
    );
    sol.cut_short = deadline.was_hit();
    sol
}
