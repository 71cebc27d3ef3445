//! The Steiner tree driver: reductions, constructions in parallel, local search,
//! recombination and the dual-ascent bound, put together by [`solve_steiner`].

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::mehlhorn::mehlhorn;
use crate::problem::{
    make_solution, reachable_split, splitmix, with_threads, Deadline, Instance, Objective, Options,
    Solution,
};
use crate::sph::sph;
use crate::tree::{mst_and_prune, tree_cost};
use crate::vertex_insertion::vertex_insertion;
use rayon::prelude::*;

/// A minimum-cost tree spanning all terminals (and the root, when given).
///
/// Terminals that cannot be reached from the root (or, unrooted, from the component
/// holding most terminals) are left out and listed in [`Solution::unreachable`].
///
/// # Complexity
/// Each construction and each local-search pass is O(m log n); their number is set by
/// [`Options::effort`], not by the clock.
///
/// # Example
/// ```
/// use fiberplan_steiner::{solve_steiner, Graph, Instance, Options};
/// // a star with centre 3 is cheaper than the path 0-1-2
/// let graph = Graph::from_edges(4, &[(0, 1, 5), (1, 2, 5), (0, 3, 3), (1, 3, 3), (2, 3, 3)]);
/// let inst = Instance { graph, terminals: vec![0, 1, 2], root: None, prizes: vec![] };
/// let sol = solve_steiner(&inst, &Options::default());
/// assert_eq!(sol.cost, 9);
/// assert_eq!(sol.edges, vec![2, 3, 4]);
/// ```
pub fn solve_steiner(inst: &Instance, opts: &Options) -> Solution {
    with_threads(opts.threads, || solve_inner(inst, opts))
}

fn solve_inner(inst: &Instance, opts: &Options) -> Solution {
    let g = &inst.graph;
    let deadline = Deadline::new(opts.time_limit);
    let mut wanted = inst.terminals.clone();
    wanted.extend(inst.root);
    let (terms, unreachable) = reachable_split(g, &wanted, inst.root);
    let mut sol = if terms.len() <= 1 {
        let mut s = make_solution(
            inst,
            Vec::new(),
            terms.first().copied(),
            Objective::Cost,
            "trivial",
        );
        s.lower_bound = Some(0);
        s
    } else {
        let (edges, name) = best_tree(g, &terms, inst.root, opts, &deadline);
        make_solution(inst, edges, None, Objective::Cost, &name)
    };
    sol.unreachable = unreachable;
    sol.cut_short = deadline.was_hit();
    sol
}

/// Best tree over `terms` (all mutually reachable, at least two).
pub(crate) fn best_tree(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    opts: &Options,
    deadline: &Deadline,
) -> (Vec<EdgeId>, String) {
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let mut is_term = vec![false; g.num_nodes()];
    for &t in terms {
        is_term[t as usize] = true;
    }
    let runs = construction_runs(terms, root, opts);
    let results: Vec<(Cost, Vec<EdgeId>)> = runs
        .par_iter()
        .map(|run| {
            if deadline.expired() && run.index > 1 {
                return (Cost::MAX, Vec::new());
            }
            let raw = match run.kind {
                RunKind::Mehlhorn => mehlhorn(g, &weights, terms),
                RunKind::Sph { start, perturb } => {
                    if perturb == 0 {
                        sph(g, &weights, &is_term, terms.len(), start).0
                    } else {
                        let w = perturbed(&weights, perturb);
                        sph(g, &w, &is_term, terms.len(), start).0
                    }
                }
            };
            let t = mst_and_prune(g, &raw, &[], &is_term);
            (tree_cost(g, &t), t)
        })
        .collect();
    let best = results
        .into_iter()
        .enumerate()
        .min_by_key(|(i, (c, _))| (*c, *i))
        .map(|(_, r)| r.1)
        .unwrap_or_default();
    if !opts.local_search {
        return (best, "sph+mehlhorn".to_string());
    }
    let budget = 20 * opts.effort as u64 * (g.num_edges() as u64 + 1000);
    let (best, _) = vertex_insertion(g, &best, &is_term, budget);
    (best, "sph+mehlhorn+vi".to_string())
}

#[derive(Clone, Copy, Debug)]
enum RunKind {
    Mehlhorn,
    Sph { start: NodeId, perturb: u64 },
}

#[derive(Clone, Copy, Debug)]
struct Run {
    index: usize,
    kind: RunKind,
}

/// The construction schedule: Mehlhorn, SPH from the root (or first terminal), SPH from
/// seeded starts, and SPH with seeded perturbed weights. Fixed by seed and effort.
fn construction_runs(terms: &[NodeId], root: Option<NodeId>, opts: &Options) -> Vec<Run> {
    let first = root.unwrap_or(terms[0]);
    let mut kinds = vec![
        RunKind::Mehlhorn,
        RunKind::Sph {
            start: first,
            perturb: 0,
        },
    ];
    let extra = (opts.effort as usize * 2).min(terms.len().saturating_sub(1) * 2);
    for i in 0..extra {
        let h = splitmix(opts.seed ^ (i as u64).wrapping_mul(0x51_7CC1_B727_220A));
        let start = terms[(h % terms.len() as u64) as usize];
        let perturb = if i % 2 == 1 { h | 1 } else { 0 };
        kinds.push(RunKind::Sph { start, perturb });
    }
    kinds
        .into_iter()
        .enumerate()
        .map(|(index, kind)| Run { index, kind })
        .collect()
}

/// Weights raised by a seeded 0-25 % per edge.
pub(crate) fn perturbed(weights: &[Cost], seed: u64) -> Vec<Cost> {
    weights
        .iter()
        .enumerate()
        .map(|(e, &w)| {
            let h = splitmix(seed ^ (e as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            w + (w / 1024) * (h % 256) as Cost + ((w % 1024) * (h % 256) as Cost) / 1024
        })
        .collect()
}
