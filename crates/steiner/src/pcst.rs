//! The prize-collecting Steiner tree driver ([`solve_pcst`]): minimise edge cost plus the
//! prizes of the nodes left out, rooted when the instance has a root.
//!
//! On the reduced graph: starts from the Goemans-Williamson growth ([`gw_start`]) and from
//! the ratio growth ([`grow`]), each with the true and with doubled prizes and strongly
//! pruned; then local search on the best starts: polish (a cheaper tree on the same prize
//! nodes), regrowth and strong pruning, in rounds while the objective falls. Small graphs
//! get every start and the full polish; on large ones a work budget (edges times passes,
//! scaled by [`Options::effort`]) limits the starts and gives one key-path-exchange pass
//! per round. Never the clock: the answer is the same on any machine and thread count.

use crate::dual_ascent::{ascend, ArcGraph};
use crate::goemans_williamson::gw_start;
use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::key_path_exchange::key_path_exchange;
use crate::prize_growth::{grow, grow_from, GrowthRule};
use crate::prize_local_search::{polish, prize_nodes_of};
use crate::problem::{
    make_solution, with_threads, Deadline, Instance, Objective, Options, ReducedSize, Solution,
};
use crate::reduce::reduce_pcst;
use crate::strong_prune::strong_prune;
use crate::tree::{prune_leaves, tree_cost, tree_nodes};
use crate::vertex_insertion::vertex_insertion;
use rayon::prelude::*;

/// Edges per unit of effort up to which every PCST start gets local search.
const PCST_POLISH_WORK: usize = 20_000;
/// Key-path-exchange passes (times edges) per unit of effort on large graphs; graphs with
/// fewer than a sixteenth of this many edges per unit of effort are small and get the full
/// polish (to a fixpoint, up to four rounds).
const PCST_PASS_WORK: usize = 100_000;
/// Start constructions (times edges) per unit of effort (at least two are made).
const PCST_START_WORK: usize = 50_000;
/// Vertex-insertion work (scanned edges) per unit of effort in a large-graph round.
const PCST_LIGHT_VI_WORK: u64 = 125_000;

/// A tree minimising edge cost plus the prizes of the nodes it leaves out.
///
/// Rooted when `inst.root` is set. `inst.terminals` is not used: prizes say what a node
/// is worth. Without prizes the answer is the root alone (or node 0).
///
/// # Arguments
/// - `inst`: the graph, one prize per node, the optional root;
/// - `opts`: seed, effort, threads, safety cap, which phases run, trace sink.
///
/// # Returns
/// The tree (sorted input edges and nodes), `objective` = edge cost plus the prizes left
/// out, and for rooted instances the dual-ascent bound on the arborescence form.
///
/// # Complexity
/// Each start and each local-search round is O(m log n); their number is set by
/// [`Options::effort`] and the graph's size.
///
/// # References
/// M. X. Goemans, D. P. Williamson, "A general approximation technique for constrained
/// forest problems", SIAM J. Computing 24 (1995); I. Ljubić et al., "An algorithmic
/// framework for the exact solution of the prize-collecting Steiner tree problem",
/// Math. Programming 105 (2006) (strong pruning).
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
        if opts.fast {
            return solve_fast(inst, opts);
        }
        if !opts.reduce || inst.graph.num_nodes() == 0 {
            let (mut sol, lb) =
                rayon::join(|| solve_inner(inst, opts), || rooted_bound(inst, opts));
            sol.lower_bound = lb.map(|b| b.min(sol.objective));
            sol.optimal = sol.lower_bound == Some(sol.objective);
            return sol;
        }
        // Solve on the reduced graph (prize nodes and the root kept), then expand.
        let t0 = std::time::Instant::now();
        let red = reduce_pcst(&inst.graph, &inst.prize_vec(), inst.root, 16);
        let rinst = red.instance(inst);
        opts.trace.emit(|| {
            format!(
                "pcst reduced in {:?}: n {} m {} (input n {} m {})",
                t0.elapsed(),
                rinst.graph.num_nodes(),
                rinst.graph.num_edges(),
                inst.graph.num_nodes(),
                inst.graph.num_edges()
            )
        });
        let reduced = Some(ReducedSize {
            nodes: red.graph.num_nodes(),
            edges: red.graph.num_edges(),
        });
        if rinst.graph.num_nodes() == 0 {
            let mut sol = solve_inner(inst, opts);
            sol.reduced = reduced;
            return sol;
        }
        // The bound needs no tree: it runs beside the search, on the reduced graph (whose
        // optimum is the input's).
        let (rs, lb) = rayon::join(|| solve_inner(&rinst, opts), || rooted_bound(&rinst, opts));
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
        sol.lower_bound = lb.map(|b| b.min(sol.objective));
        sol.optimal = sol.lower_bound == Some(sol.objective);
        sol.reduced = reduced;
        sol
    })
}

/// Dual ascent on the arborescence form of a rooted instance: a certified bound on the
/// objective (edge cost plus prizes left out). Unrooted instances get none: their
/// arborescence form would need a root chosen among the prize nodes.
fn rooted_bound(inst: &Instance, opts: &Options) -> Option<Cost> {
    let root = inst.root?;
    if !opts.lower_bound {
        return None;
    }
    let (ag, terms) = ArcGraph::prize_collecting(&inst.graph, &inst.prize_vec(), root);
    let work = PCST_BOUND_ARCS_PER_EDGE_PER_EFFORT
        * (inst.graph.num_edges() + terms.len()) as u64
        * opts.effort as u64;
    Some(ascend(&ag, &terms, root, work).lower_bound)
}

/// Scanned arcs of the bound's ascent per edge and unit of effort (as for Steiner trees).
const PCST_BOUND_ARCS_PER_EDGE_PER_EFFORT: u64 = 40;

/// One construction of the start phase.
#[derive(Clone, Copy)]
enum Start {
    /// Ratio growth from a node with prizes times a factor.
    Growth(NodeId, Cost),
    /// Goemans-Williamson growth with prizes times a factor.
    Gw(Cost),
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
    let t0 = std::time::Instant::now();
    let prizes = inst.prize_vec();
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let m = g.num_edges().max(1);
    let effort = opts.effort as usize;
    // Large graph: the local search gets one key-path-exchange pass per round, as many
    // rounds as the work budget pays for.
    let large = m * 16 > effort * PCST_PASS_WORK;
    let starts: Vec<NodeId> = match inst.root {
        Some(r) => vec![r],
        None => {
            let mut by_prize: Vec<NodeId> = (0..n as NodeId).collect();
            by_prize.sort_by_key(|&v| (std::cmp::Reverse(prizes[v as usize]), v));
            by_prize.truncate((effort * 2).max(1));
            by_prize
        }
    };
    // The Goemans-Williamson growth (towards the root, or over the whole graph) and the
    // ratio growth from each start, each with the true prizes and with prizes doubled
    // (over-growing, then strong pruning with the true prizes, often finds branches that
    // pay only together). In this order of priority, as many as the work budget allows
    // (at least two: all of them on small graphs).
    let mut runs: Vec<Start> = vec![Start::Gw(1), Start::Growth(starts[0], 2), Start::Gw(2)];
    runs.push(Start::Growth(starts[0], 1));
    for &s in &starts[1..] {
        runs.extend([Start::Growth(s, 2), Start::Growth(s, 1)]);
    }
    runs.truncate((effort * PCST_START_WORK / m).max(2));
    let total: Cost = prizes.iter().sum();
    let objective = |t: &[EdgeId], at: NodeId| -> Cost {
        let p: Cost = if t.is_empty() {
            prizes[at as usize]
        } else {
            tree_nodes(g, t).iter().map(|&v| prizes[v as usize]).sum()
        };
        tree_cost(g, t) + total - p
    };
    let scaled = |scale: Cost| -> Vec<Cost> {
        if scale == 1 {
            prizes.clone()
        } else {
            prizes.iter().map(|&p| p.saturating_mul(scale)).collect()
        }
    };
    let fallback = inst.root.unwrap_or(starts[0]);
    let mut starts_done: Vec<(Cost, Vec<EdgeId>, NodeId)> = runs
        .par_iter()
        .enumerate()
        .map(|(i, &run)| {
            if i > 0 && deadline.expired() {
                return (Cost::MAX, Vec::new(), fallback);
            }
            let (t, at) = match run {
                Start::Growth(s, scale) => {
                    let grown = grow(g, &weights, &scaled(scale), s, GrowthRule::Profit);
                    let (t, at) = strong_prune(g, &grown.edges, &prizes, inst.root);
                    (t, if grown.edges.is_empty() { s } else { at })
                }
                Start::Gw(scale) => {
                    match gw_start(g, &weights, &scaled(scale), &prizes, inst.root) {
                        Some(r) => r,
                        None => return (Cost::MAX, Vec::new(), fallback),
                    }
                }
            };
            (objective(&t, at), t, at)
        })
        .collect();
    opts.trace.emit(|| {
        let objs: Vec<Cost> = starts_done.iter().map(|r| r.0).collect();
        format!("pcst starts {:?}: {objs:?}", t0.elapsed())
    });
    // Local search on the best starts only: as many as the work budget allows (all of
    // them on small graphs, the best one on large ones). Stable sort keeps ties in order.
    starts_done.sort_by_key(|r| r.0);
    let polish_count = (effort * PCST_POLISH_WORK / m).clamp(1, starts_done.len());
    let rounds = if large {
        (effort * PCST_PASS_WORK / m).max(1)
    } else {
        4
    };
    let results: Vec<(Cost, Vec<EdgeId>, NodeId)> = starts_done
        .into_par_iter()
        .enumerate()
        .map(|(i, (mut obj, mut t, mut at))| {
            // Polish (cheaper tree on the same prize nodes), regrow, prune again.
            for _ in 0..rounds {
                if i >= polish_count || !opts.local_search || t.is_empty() || deadline.expired() {
                    break;
                }
                let t1 = if large {
                    light_polish(g, &weights, &prizes, &t, inst.root, opts.effort)
                } else {
                    polish(g, &weights, &prizes, &t, inst.root, opts.effort)
                };
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
    let (obj, edges, at) = results
        .into_iter()
        .enumerate()
        .min_by_key(|(i, r)| (r.0, *i))
        .map(|(_, r)| r)
        .expect("at least one start");
    opts.trace
        .emit(|| format!("pcst local search {:?}: {obj}", t0.elapsed()));
    let mut sol = make_solution(
        inst,
        edges,
        Some(at),
        Objective::CostPlusMissedPrize,
        if opts.local_search {
            "gw+growth+strongprune+kpe+vi+regrow"
        } else {
            "gw+growth+strongprune"
        },
    );
    sol.cut_short = deadline.was_hit();
    sol
}

/// The lean pipeline of [`Options::fast`]: the degree and prize-leaf reductions only (no
/// least-cost test), the Goemans-Williamson growth with strong pruning, one round of
/// [`light_polish`] and regrowth kept when it lowers the objective, no bound. One core's
/// work, about that of a single greedy solve (pcst_fast) plus one improvement pass.
fn solve_fast(inst: &Instance, opts: &Options) -> Solution {
    let g = &inst.graph;
    let prizes = inst.prize_vec();
    let red = (opts.reduce && g.num_nodes() > 0)
        .then(|| reduce_pcst(g, &prizes, inst.root, 0))
        .filter(|r| r.graph.num_nodes() > 0);
    let rinst = match &red {
        Some(r) => r.instance(inst),
        None => inst.clone(),
    };
    let rg = &rinst.graph;
    let rprizes = rinst.prize_vec();
    let weights: Vec<Cost> = rg.edges().iter().map(|e| e.2).collect();
    let total: Cost = rprizes.iter().sum();
    let objective = |t: &[EdgeId], at: NodeId| -> Cost {
        let p: Cost = if t.is_empty() {
            rprizes[at as usize]
        } else {
            tree_nodes(rg, t).iter().map(|&v| rprizes[v as usize]).sum()
        };
        tree_cost(rg, t) + total - p
    };
    let (mut t, mut at) = if rg.num_nodes() == 0 {
        (Vec::new(), 0)
    } else {
        gw_start(rg, &weights, &rprizes, &rprizes, rinst.root)
            .unwrap_or((Vec::new(), rinst.root.unwrap_or(0)))
    };
    let mut name = String::from("gw+strongprune");
    if opts.local_search && !t.is_empty() {
        let t1 = light_polish(rg, &weights, &rprizes, &t, rinst.root, 1);
        let nodes = tree_nodes(rg, &t1);
        let grown = grow_from(rg, &weights, &rprizes, &nodes, &t1, GrowthRule::Profit);
        let (t2, at2) = strong_prune(rg, &grown.edges, &rprizes, rinst.root);
        let at2 = if t2.is_empty() { at } else { at2 };
        if objective(&t2, at2) < objective(&t, at) {
            (t, at) = (t2, at2);
        }
        name.push_str("+kpe+vi+regrow");
    }
    let (edges, single) = match &red {
        Some(r) => (r.expand(&t), Some(r.old_of_new[at as usize])),
        None => (t, (rg.num_nodes() > 0).then_some(at)),
    };
    let mut sol = make_solution(
        inst,
        edges,
        single,
        Objective::CostPlusMissedPrize,
        &format!("fast+{}{name}", if red.is_some() { "red+" } else { "" }),
    );
    sol.reduced = red.as_ref().map(|r| ReducedSize {
        nodes: r.graph.num_nodes(),
        edges: r.graph.num_edges(),
    });
    sol
}

/// The large-graph polish: one key-path-exchange pass and a vertex-insertion budget on
/// the tree's prize nodes (and the root), as [`polish`] does to a fixpoint.
pub(crate) fn light_polish(
    g: &Graph,
    weights: &[Cost],
    prizes: &[Cost],
    tree: &[EdgeId],
    root: Option<NodeId>,
    effort: u32,
) -> Vec<EdgeId> {
    let keep = prize_nodes_of(g, prizes, tree, root);
    let t = prune_leaves(g, tree, &keep);
    if t.is_empty() {
        return t;
    }
    let t = key_path_exchange(g, weights, &t, &keep, 1).0;
    vertex_insertion(g, &t, &keep, PCST_LIGHT_VI_WORK * effort as u64).0
}
