//! The budget driver ([`solve_budget`]): the most prize a tree holding the root can
//! collect with edge cost at most a budget.

use crate::graph::Cost;
use crate::graph::EdgeId;
use crate::prize_growth::{grow, grow_from, GrowthRule};
use crate::prize_local_search::{multiplier_search, polish, Target};
use crate::problem::{
    make_solution, with_threads, Deadline, Instance, Objective, Options, Solution,
};
use crate::quota::{default_root, large_graph, multiplier_steps, rooted_on_reduced};
use crate::tree::{mst_and_prune, tree_cost, tree_nodes};

/// A tree containing the root with edge cost at most `budget` and as much prize as
/// possible. `objective` is the edge cost; `prize` is what it collects.
///
/// # Arguments
/// - `inst`: the graph, one prize per node, the root (else the largest prize);
/// - `budget`: the most the tree's edges may cost;
/// - `opts`: seed, effort, threads, safety cap, which phases run, trace sink.
///
/// # Returns
/// The tree with its cost (at most `budget`) and prize; no bound on the cost. The budget
/// heuristics' tree is then lifted by a few quota solves above its prize (`quota_lift`). With
/// [`Options::prove`], [`Solution::optimal`] says that no tree within the budget holds more
/// prize (see [`prove_budget`]).
///
/// # Complexity
/// As [`crate::solve_quota`]: O(m log n) steps, as many as [`Options::effort`] pays for,
/// and at most 2 x effort quota solves more below the large-graph mark.
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
    with_threads(opts.threads, || {
        let sol = rooted_on_reduced(inst, opts, |i| {
            quota_lift(i, budget, opts, solve_inner(i, budget, opts))
        });
        if opts.prove {
            prove_budget(inst, budget, opts, sol)
        } else {
            sol
        }
    })
}

/// Proves a budget tree of prize `P` optimal through the quota's proof. The least cost of
/// a tree holding `H` grows with `H`, so a bisection on `H` between the tree's prize
/// (within the budget) and one above all the root reaches (out of reach) finds the most
/// prize: the quota proof at `H` either gives a tree holding `H` within the budget (the
/// better budget tree; the bisection moves up to its prize) or a bound above the budget
/// (it moves down). When it gives neither (its node budget ended first) the search stops
/// there, not proven. At most about `log2` of the reachable prize quota proofs.
fn prove_budget(inst: &Instance, budget: Cost, opts: &Options, sol: Solution) -> Solution {
    let mut s = PrizeSearch::new(inst, sol);
    while s.open() {
        let mid = s.mid();
        let q = rooted_on_reduced(inst, opts, |i| crate::quota::solve_inner(i, mid, opts));
        if holds(&q, mid, budget) {
            s.take(q);
        } else if q.prize >= mid && q.lower_bound.is_some_and(|b| b > budget) {
            s.hi = mid;
        } else {
            break;
        }
    }
    let mut sol = s.best;
    sol.optimal = s.hi - s.lo <= 1;
    sol.solver.push_str("+prove");
    sol
}

/// A search on the prize `H` above a budget tree, by quota trees holding `H`: `best` holds
/// `lo` within the budget; nothing found holds `hi` or more within it (at first: one above
/// all the root reaches).
struct PrizeSearch {
    lo: Cost,
    hi: Cost,
    best: Solution,
}

impl PrizeSearch {
    fn new(inst: &Instance, best: Solution) -> Self {
        let lo = best.prize;
        let hi = reachable_prize(inst)
            .saturating_add(1)
            .max(lo.saturating_add(1));
        PrizeSearch { lo, hi, best }
    }

    fn open(&self) -> bool {
        self.hi - self.lo > 1
    }

    fn mid(&self) -> Cost {
        self.lo + (self.hi - self.lo) / 2
    }

    /// A quota tree that [`holds`] more prize becomes the budget tree (no bound on its
    /// cost, not proven, the budget tree's solver name).
    fn take(&mut self, q: Solution) {
        self.lo = q.prize;
        self.hi = self.hi.max(self.lo.saturating_add(1));
        self.best = Solution {
            lower_bound: None,
            optimal: false,
            solver: self.best.solver.clone(),
            ..q
        };
    }
}

/// Whether the quota tree `q` asked for prize `h` holds it within the budget.
fn holds(q: &Solution, h: Cost, budget: Cost) -> bool {
    q.prize >= h && q.cost <= budget
}

/// Quota solves per unit of effort that [`quota_lift`] may spend.
const LIFT_SOLVES_PER_EFFORT: u32 = 2;

/// More prize for the same budget from the quota driver, whose trees for a given prize are
/// cheaper than the budget heuristics' (on the national graph the budget tree held 1.2 %
/// less prize than the proven optimum). Quota solves above the tree's prize, by steps that
/// double from about 0.4 % of it while their trees stay within the budget, then a bisection
/// between the last prize within it and the first beyond; the tree of most prize within the
/// budget is kept (`solver` gains `+quota` when it is a quota tree). A heuristic: the quota
/// trees' cost need not grow with the prize, so nothing is proven. Runs at effort 2 and
/// more, with the local search, on graphs below the large-graph mark, with at most
/// [`LIFT_SOLVES_PER_EFFORT`] solves per unit of effort (work, never the clock).
fn quota_lift(inst: &Instance, budget: Cost, opts: &Options, sol: Solution) -> Solution {
    if opts.effort < 2 || !opts.local_search || opts.fast || large_graph(&inst.graph, opts) {
        return sol;
    }
    let q_opts = Options {
        lower_bound: false,
        prove: false,
        ..opts.clone()
    };
    let start = sol.prize;
    let mut s = PrizeSearch::new(inst, sol);
    let mut step = (start / 256).max(1);
    let mut bracketing = true;
    for _ in 0..opts.effort.saturating_mul(LIFT_SOLVES_PER_EFFORT) {
        if !s.open() {
            break;
        }
        let h = if bracketing {
            s.lo.saturating_add(step).min(s.hi - 1)
        } else {
            s.mid()
        };
        let q = crate::quota::solve_inner(inst, h, &q_opts);
        if holds(&q, h, budget) {
            s.take(q);
            step = step.saturating_mul(2);
        } else {
            s.hi = h;
            bracketing = false;
        }
    }
    let mut best = s.best;
    if best.prize > start {
        best.solver.push_str("+quota");
    }
    best
}

/// The prize of every node the root reaches (its connected component).
fn reachable_prize(inst: &Instance) -> Cost {
    let g = &inst.graph;
    if g.num_nodes() == 0 {
        return 0;
    }
    let prizes = inst.prize_vec();
    let root = default_root(inst);
    let mut seen = vec![false; g.num_nodes()];
    let mut stack = vec![root];
    seen[root as usize] = true;
    let mut total: Cost = 0;
    while let Some(v) = stack.pop() {
        total = total.saturating_add(prizes[v as usize]);
        for (u, _) in g.neighbors(v) {
            if !seen[u as usize] {
                seen[u as usize] = true;
                stack.push(u);
            }
        }
    }
    total
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
    let mut keep: Vec<bool> = prizes.iter().map(|&p| p > 0).collect();
    keep[root as usize] = true;
    let prize_of = |t: &[EdgeId]| -> Cost {
        if t.is_empty() {
            prizes[root as usize]
        } else {
            tree_nodes(g, t).iter().map(|&v| prizes[v as usize]).sum()
        }
    };
    // Improve a start under the budget: make it cheaper on the same prize nodes, then
    // spend what that frees on more prize, until neither changes anything.
    let improve = |t: Vec<EdgeId>| -> Vec<EdgeId> {
        let mut t = mst_and_prune(g, &t, &[root], &keep);
        for _ in 0..4 {
            if deadline.expired() || !opts.local_search {
                break;
            }
            let before = (prize_of(&t), tree_cost(g, &t));
            let t1 = polish(g, &weights, &prizes, &t, Some(root), opts.effort);
            let mut nodes = tree_nodes(g, &t1);
            if nodes.is_empty() {
                nodes.push(root);
            }
            let grown = grow_from(
                g,
                &weights,
                &prizes,
                &nodes,
                &t1,
                GrowthRule::Budget(budget),
            );
            let t2 = mst_and_prune(g, &grown.edges, &[root], &keep);
            let after = (prize_of(&t2), tree_cost(g, &t2));
            if after.1 > budget || (after.0, -after.1) <= (before.0, -before.1) {
                break;
            }
            t = t2;
        }
        t
    };
    let grown = grow(g, &weights, &prizes, root, GrowthRule::Budget(budget));
    let mut best = improve(grown.edges);
    let mut name = String::from("growth");
    if opts.effort > 0 && !deadline.expired() {
        let steps = multiplier_steps(g, opts);
        if let Some(t) =
            multiplier_search(g, &weights, &prizes, root, Target::Budget(budget), steps)
        {
            let t = improve(t);
            let (p, c) = (prize_of(&t), tree_cost(g, &t));
            if c <= budget && (p, -c) > (prize_of(&best), -tree_cost(g, &best)) {
                best = t;
                name = String::from("multiplier");
            }
        }
    }
    if opts.local_search {
        name.push_str("+kpe+vi+regrow");
    }
    let mut sol = make_solution(inst, best, Some(root), Objective::Cost, &name);
    sol.cut_short = deadline.was_hit();
    sol
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;

    /// A star: leaf `k` (1..=6) costs `k` to reach and holds 10. Within a budget of 6 the
    /// most prize is leaves 1, 2 and 3 (30 at cost 6).
    fn star() -> Instance {
        let edges: Vec<(u32, u32, Cost)> = (1..=6).map(|k| (0, k, k as Cost)).collect();
        Instance {
            graph: Graph::from_edges(7, &edges),
            terminals: vec![],
            root: Some(0),
            prizes: vec![0, 10, 10, 10, 10, 10, 10],
        }
    }

    #[test]
    fn the_quota_lift_climbs_from_the_root_alone_to_the_most_prize_within_the_budget() {
        let inst = star();
        let start = make_solution(&inst, Vec::new(), Some(0), Objective::Cost, "growth");
        assert_eq!(start.prize, 0);
        let lifted = quota_lift(&inst, 6, &Options::default(), start.clone());
        assert_eq!((lifted.prize, lifted.cost), (30, 6));
        assert_eq!(lifted.edges, vec![0, 1, 2]);
        assert_eq!(lifted.solver, "growth+quota");
        // At effort 1 (the plan's bisection probes) it does nothing.
        let light = Options {
            effort: 1,
            ..Options::default()
        };
        assert_eq!(quota_lift(&inst, 6, &light, start.clone()), start);
        // Nothing within the budget beyond the start: the start stays.
        assert_eq!(
            quota_lift(&inst, 0, &Options::default(), start.clone()),
            start
        );
    }
}
