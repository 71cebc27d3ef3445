//! The budget driver ([`solve_budget`]): the most prize a tree holding the root can
//! collect with edge cost at most a budget.

use crate::graph::Cost;
use crate::prize_growth::{grow, GrowthRule};
use crate::problem::{
    make_solution, with_threads, Deadline, Instance, Objective, Options, Solution,
};
use crate::quota::default_root;
use crate::tree::mst_and_prune;

/// A tree containing the root with edge cost at most `budget` and as much prize as
/// possible. `objective` is the edge cost; `prize` is what it collects.
///
/// # Example
/// ```
/// use fiberplan_steiner::{solve_budget, Graph, Instance, Options};
/// let graph = Graph::from_edges(4, &[(0, 1, 10), (0, 3, 1), (3, 2, 1)]);
/// let inst = Instance { graph, terminals: vec![], root: Some(0), prizes: vec![0, 10, 10, 0] };
/// let sol = solve_budget(&inst, 11, &Options::default());
/// assert_eq!((sol.cost, sol.prize), (2, 10));
/// ```
pub fn solve_budget(inst: &Instance, budget: Cost, opts: &Options) -> Solution {
    with_threads(opts.threads, || solve_inner(inst, budget, opts))
}

fn solve_inner(inst: &Instance, budget: Cost, opts: &Options) -> Solution {
    let g = &inst.graph;
    let deadline = Deadline::new(opts.time_limit);
    if g.num_nodes() == 0 {
        return make_solution(inst, Vec::new(), None, Objective::Cost, "trivial");
    }
    let root = default_root(inst);
    let prizes = inst.prize_vec();
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let grown = grow(g, &weights, &prizes, root, GrowthRule::Budget(budget));
    let mut keep: Vec<bool> = prizes.iter().map(|&p| p > 0).collect();
    keep[root as usize] = true;
    let tree = mst_and_prune(g, &grown.edges, &[root], &keep);
    let mut sol = make_solution(inst, tree, Some(root), Objective::Cost, "growth");
    sol.cut_short = deadline.was_hit();
    sol
}
