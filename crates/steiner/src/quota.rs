//! The quota driver ([`solve_quota`]): the least edge cost of a tree holding the root and
//! at least a given prize (households).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::pcst::light_polish;
use crate::prize_growth::{grow, grow_from, GrowthRule};
use crate::prize_local_search::polish;
use crate::problem::{
    make_solution, reachable_split, with_threads, Deadline, Instance, Objective, Options,
    ReducedSize, Solution,
};
use crate::quota_bound::{best_multiplier, BoundWork};
use crate::quota_prove::{prove_quota, QuotaSearch};
use crate::reduce::{reduce, Reduction};
use crate::strong_prune::strong_prune;
use crate::tree::{kept_sorted, mst_and_prune, tree_cost, tree_nodes, TreeAdj};

/// The least edge cost tree containing the root whose nodes' prizes (the root's own
/// included) add up to at least `quota`. When the reachable prize falls short of the
/// quota, the tree joins every reachable prize node; prize nodes in other components are
/// listed in [`Solution::unreachable`].
///
/// The root is required; without one, the node with the largest prize (ties: smallest id)
/// serves as root.
///
/// # Arguments
/// - `inst`: the graph, one prize per node, the root;
/// - `quota`: the least prize the tree must hold;
/// - `opts`: seed, effort, threads, safety cap, which phases run, trace sink.
///
/// # Returns
/// The tree, `objective == cost`, `prize` collected, and the Lagrangian bound of
/// [`crate::quota_bound`] when computed, raised by the branch-and-bound of
/// [`crate::quota_prove`] (its root node at default settings, a node budget with
/// [`Options::prove`]); [`Solution::optimal`] when the bound reaches the cost.
///
/// # Complexity
/// Growth, polish and the prize-multiplier search are O(m log n) each, repeated a number
/// of times set by [`Options::effort`].
///
/// # Example
/// ```
/// use fiberplan_steiner::{solve_quota, Graph, Instance, Options};
/// let graph = Graph::from_edges(4, &[(0, 1, 10), (0, 3, 1), (3, 2, 1)]);
/// let inst = Instance { graph, terminals: vec![], root: Some(0), prizes: vec![0, 10, 10, 0] };
/// let sol = solve_quota(&inst, 10, &Options::default());
/// assert_eq!((sol.cost, sol.prize), (2, 10));
/// ```
pub fn solve_quota(inst: &Instance, quota: Cost, opts: &Options) -> Solution {
    with_threads(opts.threads, || {
        rooted_on_reduced(inst, opts, |i| solve_inner(i, quota, opts))
    })
}

/// Solves a rooted prize problem (quota, budget) on the reduced graph, prize nodes and the
/// root kept, and expands the tree back to the input graph. `solve` runs on the reduced
/// instance (or on `inst` itself when reductions are off or the graph is empty).
pub(crate) fn rooted_on_reduced(
    inst: &Instance,
    opts: &Options,
    solve: impl Fn(&Instance) -> Solution,
) -> Solution {
    if !opts.reduce || inst.graph.num_nodes() == 0 {
        let mut sol = solve(inst);
        sol.optimal = sol.lower_bound == Some(sol.objective);
        return sol;
    }
    let root = default_root(inst);
    let (red, rinst) = match &opts.reductions {
        Some(cache) => {
            let red = cache.reduce(&inst.graph, &rooted_keep(inst), 16);
            let rinst = rooted_instance(&red, inst, root);
            (red, rinst)
        }
        None => {
            let (red, rinst) = rooted_prize_reduction(inst);
            (std::sync::Arc::new(red), rinst)
        }
    };
    let rs = solve(&rinst);
    let edges = red.expand(&rs.edges);
    let mut sol = make_solution(
        inst,
        edges,
        Some(root),
        Objective::Cost,
        &format!("red+{}", rs.solver),
    );
    sol.unreachable = rs
        .unreachable
        .iter()
        .map(|&v| red.old_of_new[v as usize])
        .collect();
    sol.cut_short = rs.cut_short;
    sol.lower_bound = rs.lower_bound;
    sol.optimal = sol.lower_bound == Some(sol.objective);
    sol.reduced = Some(ReducedSize {
        nodes: red.graph.num_nodes(),
        edges: red.graph.num_edges(),
    });
    sol
}

/// The reductions of a rooted prize problem (prize nodes and the root kept) and the
/// reduced instance, rooted. Scenario sweeps reduce once: `bench sweep` solves many
/// quotas on it with [`Options::reduce`] off, the planner through a shared
/// [`crate::ReductionCache`] in [`Options::reductions`].
pub fn rooted_prize_reduction(inst: &Instance) -> (Reduction, Instance) {
    let root = default_root(inst);
    let red = reduce(&inst.graph, &rooted_keep(inst), 16);
    let rinst = rooted_instance(&red, inst, root);
    (red, rinst)
}

/// The nodes the reductions of a rooted prize problem keep: prize nodes and the root.
fn rooted_keep(inst: &Instance) -> Vec<bool> {
    let mut keep: Vec<bool> = inst.prize_vec().iter().map(|&p| p > 0).collect();
    keep[default_root(inst) as usize] = true;
    keep
}

/// The reduced instance of `inst` under `red`, rooted at `root`'s reduced node.
fn rooted_instance(red: &Reduction, inst: &Instance, root: NodeId) -> Instance {
    let mut rinst = red.instance(inst);
    rinst.root = red.map_node(root);
    rinst
}

pub(crate) fn default_root(inst: &Instance) -> NodeId {
    inst.root.unwrap_or_else(|| {
        let p = inst.prize_vec();
        (0..inst.graph.num_nodes() as NodeId)
            .max_by_key(|&v| (p[v as usize], std::cmp::Reverse(v)))
            .unwrap_or(0)
    })
}

/// The quota tree's prize nodes held, reconnected by the Steiner-tree driver: the local
/// searches move a few key paths at a time, while the Steiner driver's reductions and
/// searches see the whole connection of those villages at once (on the 1M-node benchmark
/// 0.4 % cheaper). The cheaper tree stands; it holds every prize node of `t`, so it
/// meets the quota, and is trimmed to it again.
fn reroute(
    inst: &Instance,
    t: &[EdgeId],
    keep: &[bool],
    quota: Cost,
    opts: &Options,
) -> Vec<EdgeId> {
    let g = &inst.graph;
    let root = default_root(inst);
    let prizes = inst.prize_vec();
    let terminals: Vec<NodeId> = tree_nodes(g, t)
        .into_iter()
        .filter(|&v| prizes[v as usize] > 0 && v != root)
        .collect();
    if terminals.is_empty() || !opts.local_search || opts.effort == 0 {
        return t.to_vec();
    }
    let steiner = Instance {
        graph: g.clone(),
        terminals,
        root: Some(root),
        prizes: Vec::new(),
    };
    let sopts = Options {
        lower_bound: false,
        prove: false,
        threads: None,
        reductions: None,
        trace: Default::default(),
        ..opts.clone()
    };
    let s = crate::steiner_tree::solve_steiner(&steiner, &sopts);
    if s.cost >= tree_cost(g, t) {
        return t.to_vec();
    }
    let r = trim_to_quota(
        g,
        &mst_and_prune(g, &s.edges, &[root], keep),
        &prizes,
        root,
        quota,
    );
    if tree_cost(g, &r) < tree_cost(g, t) {
        r
    } else {
        t.to_vec()
    }
}

pub(crate) fn solve_inner(inst: &Instance, quota: Cost, opts: &Options) -> Solution {
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
    // Improve a start under the quota: cheaper tree on the same prize nodes, then drop
    // branches the quota does not need, until neither changes anything.
    let settle = |t: Vec<EdgeId>| -> Vec<EdgeId> {
        let mut t = trim_to_quota(
            g,
            &mst_and_prune(g, &t, &[root], &keep),
            &prizes,
            root,
            quota,
        );
        let mut c = tree_cost(g, &t);
        for _ in 0..4 {
            if deadline.expired() || !opts.local_search {
                break;
            }
            let t2 = polish(g, &weights, &prizes, &t, Some(root), opts.effort);
            let t2 = trim_to_quota(g, &t2, &prizes, root, quota);
            let c2 = tree_cost(g, &t2);
            if c2 >= c {
                break;
            }
            t = t2;
            c = c2;
        }
        t
    };
    // Large graphs (work-based): fewer drop-and-add depths, fewer multiplier steps.
    let large = large_graph(g, opts);
    let drop_add_pcts: &[Cost] = if large { &[2, 10] } else { &[1, 2, 5, 10, 20] };
    // Drop and add: give up the worst branches (by cost per prize) down to a lower quota,
    // regrow by best prize per cost back to the quota, settle; keep when cheaper.
    let improve = |t: Vec<EdgeId>| -> Vec<EdgeId> {
        let mut t = settle(t);
        if !opts.local_search || prize_of(&t) < quota {
            return t;
        }
        let mut c = tree_cost(g, &t);
        for &pct in drop_add_pcts {
            if deadline.expired() {
                break;
            }
            let lower = quota - quota / 100 * pct;
            let t1 = trim_to_quota(g, &t, &prizes, root, lower);
            let mut nodes = tree_nodes(g, &t1);
            if nodes.is_empty() {
                nodes.push(root);
            }
            let grown = grow_from(g, &weights, &prizes, &nodes, &t1, GrowthRule::Quota(quota));
            let t2 = settle(grown.edges);
            let c2 = tree_cost(g, &t2);
            if prize_of(&t2) >= quota && c2 < c {
                t = t2;
                c = c2;
            }
        }
        t
    };
    let t0 = std::time::Instant::now();
    let grown = grow(g, &weights, &prizes, root, GrowthRule::Quota(quota));
    let mut name = String::from("growth");
    // The growth's tree is improved now when no multiplier search follows, else with the
    // search's trees (only the cheaper of the two then gets the full improvement).
    let searching = opts.effort > 0 && prize_of(&grown.edges) >= quota;
    let mut best = if searching {
        settle(grown.edges)
    } else {
        improve(grown.edges)
    };
    opts.trace
        .emit(|| format!("quota growth {:?}: {}", t0.elapsed(), tree_cost(g, &best)));
    // The multiplier search and the improvement: the tree, whether the search's won, and
    // whether the reroute changed it.
    let search_tree = |best: Vec<EdgeId>| -> (Vec<EdgeId>, bool, bool) {
        let search = MultiplierSearch {
            g,
            weights: &weights,
            prizes: &prizes,
            root,
            quota,
            large,
            effort: opts.effort,
            local_search: opts.local_search,
            trace: &opts.trace,
        };
        let scale = tree_cost(g, &best) as f64 / quota.max(1) as f64;
        let steps = if search.large {
            QUOTA_BISECTION_STEPS_LARGE
        } else {
            QUOTA_BISECTION_STEPS
        };
        let (mut best, mut won) = (best, false);
        if let Some(t) = search.best_trimmed(scale.max(1.0), steps) {
            opts.trace
                .emit(|| format!("quota multipliers {:?}: {}", t0.elapsed(), tree_cost(g, &t)));
            if prize_of(&t) >= quota && tree_cost(g, &t) < tree_cost(g, &best) {
                best = t;
                won = true;
            }
        }
        let best = improve(best);
        opts.trace
            .emit(|| format!("quota improved {:?}: {}", t0.elapsed(), tree_cost(g, &best)));
        // Large graphs only: their improvement is the lighter one (fewer drop-and-add
        // depths), and on smaller ones the reroute found nothing (national quota, (d)).
        let (best, rerouted) = if large {
            let r = reroute(inst, &best, &keep, quota, opts);
            opts.trace
                .emit(|| format!("quota rerouted {:?}: {}", t0.elapsed(), tree_cost(g, &r)));
            let rerouted = r != best;
            (r, rerouted)
        } else {
            (best, false)
        };
        (best, won, rerouted)
    };
    let work = BoundWork {
        ascent: QUOTA_BOUND_WORK_PER_EFFORT * opts.effort as u64,
        rounds: QUOTA_BOUND_ROUNDS,
        finish: QUOTA_BOUND_FINISH_PER_EFFORT * opts.effort as u64,
        refine: QUOTA_BOUND_REFINE,
    };
    let lagrangian = |known: (Cost, Cost)| best_multiplier(g, &prizes, root, quota, known, work);
    let bounding = opts.lower_bound || opts.prove;
    // On large graphs the tree search keeps one core busy for seconds: the bound's ascents
    // run beside it, with the tree before the search as the multiplier's scale.
    let mut early = None;
    let mut rerouted = false;
    if searching && !deadline.expired() {
        let won;
        if large && bounding {
            let known = (tree_cost(g, &best), prize_of(&best));
            let ((t, w, r), lag) = rayon::join(
                || search_tree(best),
                || {
                    let lag = lagrangian(known);
                    opts.trace
                        .emit(|| format!("quota bound beside the search {:?}", t0.elapsed()));
                    lag
                },
            );
            (best, won, rerouted) = (t, w, r);
            early = Some(lag);
        } else {
            (best, won, rerouted) = search_tree(best);
        }
        if won {
            name = String::from("multiplier");
        }
    }
    if opts.local_search {
        name.push_str("+trim+kpe+vi+dropadd");
    }
    if rerouted {
        name.push_str("+reroute");
    }
    let mut bound = None;
    if bounding && (early.is_some() || !deadline.expired()) {
        let known = (tree_cost(g, &best), prize_of(&best));
        let lag = early.unwrap_or_else(|| lagrangian(known));
        bound = Some(lag.map_or(0, |(b, _)| b));
        opts.trace
            .emit(|| format!("quota bound {:?}: {:?}", t0.elapsed(), bound));
        let budget = quota_node_budget(g, opts);
        if let (Some((lb, multiplier)), true) = (lag, budget > 0) {
            let held = quota.min(known.1);
            let search = QuotaSearch {
                g,
                prizes: &prizes,
                root,
                quota: held,
                multiplier,
                known_bound: lb,
                improve: &settle,
            };
            let proof = prove_quota(&search, &best, budget, &deadline, &opts.trace);
            if proof.cost < known.0 && prize_of(&proof.tree) >= held {
                best = proof.tree;
                name.push_str("+bb");
            }
            bound = Some(proof.lower_bound.max(lb));
            opts.trace.emit(|| {
                format!(
                    "quota branch-and-bound {:?}: {} nodes, {} .. {}",
                    t0.elapsed(),
                    proof.nodes,
                    proof.lower_bound,
                    proof.cost
                )
            });
        }
    }
    let mut sol = make_solution(inst, best, Some(root), Objective::Cost, &name);
    sol.lower_bound = bound.map(|b| b.min(sol.cost));
    let prize_nodes: Vec<NodeId> = (0..g.num_nodes() as NodeId)
        .filter(|&v| prizes[v as usize] > 0)
        .collect();
    sol.unreachable = reachable_split(g, &prize_nodes, Some(root)).1;
    sol.cut_short = deadline.was_hit();
    sol
}

/// The prize-collecting trees of the quota search: for a multiplier `l` (tenge per unit
/// of prize), the rooted prize-collecting problem with prizes `l * p` is solved by the
/// ratio growth at doubled prizes with strong pruning, then rounds of polish, regrowth and
/// strong pruning at `l` (as [`crate::solve_pcst`] does for one start), and the tree is
/// trimmed to the quota. Trees a little above the quota trim to cheaper quota trees than
/// the growth towards the quota finds (a village set the greedy never reaches).
struct MultiplierSearch<'a> {
    g: &'a Graph,
    weights: &'a [Cost],
    prizes: &'a [Cost],
    root: NodeId,
    quota: Cost,
    /// Large graph: one light polish round per tree instead of two full ones.
    large: bool,
    effort: u32,
    local_search: bool,
    trace: &'a crate::problem::Trace,
}

impl MultiplierSearch<'_> {
    fn scaled(&self, lambda: f64) -> Vec<Cost> {
        self.prizes
            .iter()
            .map(|&p| ((p as f64) * lambda).min(1e15).round() as Cost)
            .collect()
    }

    fn prize_of(&self, t: &[EdgeId]) -> Cost {
        if t.is_empty() {
            self.prizes[self.root as usize]
        } else {
            tree_nodes(self.g, t)
                .iter()
                .map(|&v| self.prizes[v as usize])
                .sum()
        }
    }

    /// The unpolished start at `lambda`: ratio growth with doubled prizes, strongly pruned
    /// with the true ones.
    fn start(&self, scaled: &[Cost]) -> Vec<EdgeId> {
        let doubled: Vec<Cost> = scaled.iter().map(|&p| p.saturating_mul(2)).collect();
        let grown = grow(
            self.g,
            self.weights,
            &doubled,
            self.root,
            GrowthRule::Profit,
        );
        strong_prune(self.g, &grown.edges, scaled, Some(self.root)).0
    }

    /// The start at `lambda`, polished as a prize-collecting tree, trimmed to the quota;
    /// `None` when it holds less than the quota. `known` is a start already made, with
    /// the prizes it was made at: used when they are `lambda`'s (the start depends on
    /// nothing else), instead of growing the same tree again.
    fn trimmed(
        &self,
        lambda: f64,
        known: Option<&(Vec<Cost>, Vec<EdgeId>)>,
    ) -> Option<Vec<EdgeId>> {
        let (g, root) = (self.g, Some(self.root));
        let scaled = self.scaled(lambda);
        let total: i128 = scaled.iter().map(|&p| p as i128).sum();
        let objective = |t: &[EdgeId]| -> i128 {
            let held: i128 = if t.is_empty() {
                scaled[self.root as usize] as i128
            } else {
                tree_nodes(g, t)
                    .iter()
                    .map(|&v| scaled[v as usize] as i128)
                    .sum()
            };
            tree_cost(g, t) as i128 + total - held
        };
        let mut t = match known {
            Some((at, start)) if *at == scaled => start.clone(),
            _ => self.start(&scaled),
        };
        let mut obj = objective(&t);
        let rounds = match (self.local_search, self.large) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => 1,
        };
        for _ in 0..rounds {
            if t.is_empty() {
                break;
            }
            let t1 = if self.large {
                light_polish(g, self.weights, &scaled, &t, root, self.effort)
            } else {
                polish(g, self.weights, &scaled, &t, root, self.effort)
            };
            let nodes = tree_nodes(g, &t1);
            let grown = grow_from(g, self.weights, &scaled, &nodes, &t1, GrowthRule::Profit);
            let t2 = strong_prune(g, &grown.edges, &scaled, root).0;
            let o2 = objective(&t2);
            if o2 >= obj {
                break;
            }
            (t, obj) = (t2, o2);
        }
        if self.prize_of(&t) < self.quota {
            // Short of the quota: the ratio growth adds what is missing.
            let mut nodes = tree_nodes(g, &t);
            if nodes.is_empty() {
                nodes.push(self.root);
            }
            let grown = grow_from(
                g,
                self.weights,
                self.prizes,
                &nodes,
                &t,
                GrowthRule::Quota(self.quota),
            );
            t = grown.edges;
        }
        (self.prize_of(&t) >= self.quota)
            .then(|| trim_to_quota(g, &t, self.prizes, self.root, self.quota))
    }

    /// The cheapest trimmed tree over the multipliers: the smallest multiplier whose start
    /// meets the quota (bracket by doubling from `scale`, then `steps` bisection steps on
    /// the unpolished starts), then that multiplier times each of [`QUOTA_MULTIPLIER_FACTORS`]
    /// (x1.00 alone on large graphs), in parallel, the first of equal costs kept.
    fn best_trimmed(&self, scale: f64, steps: u32) -> Option<Vec<EdgeId>> {
        let t0 = std::time::Instant::now();
        // The start at the smallest multiplier known to meet the quota, with its prizes.
        let mut known: Option<(Vec<Cost>, Vec<EdgeId>)> = None;
        let mut meets = |lambda: f64| {
            let scaled = self.scaled(lambda);
            let t = self.start(&scaled);
            let ok = self.prize_of(&t) >= self.quota;
            if ok {
                known = Some((scaled, t));
            }
            ok
        };
        let (mut lo, mut hi) = (0.0f64, scale);
        let mut bracketed = false;
        for _ in 0..40 {
            if meets(hi) {
                bracketed = true;
                break;
            }
            lo = hi;
            hi *= 2.0;
        }
        if !bracketed {
            return None;
        }
        self.trace
            .emit(|| format!("quota search: bracket [{lo}, {hi}] at {:?}", t0.elapsed()));
        for _ in 0..steps {
            let mid = 0.5 * (lo + hi);
            if meets(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.trace
            .emit(|| format!("quota search: bisected to {hi} at {:?}", t0.elapsed()));
        // Large graphs: x1.00 alone, whose start the bisection has already grown (the
        // others each grow a start of their own, several seconds on a million nodes).
        let factors = if self.large {
            &QUOTA_MULTIPLIER_FACTORS[1..2]
        } else {
            &QUOTA_MULTIPLIER_FACTORS[..]
        };
        use rayon::prelude::*;
        factors
            .par_iter()
            .map(|&f| {
                self.trimmed(hi * f as f64 / 100.0, known.as_ref())
                    .map(|t| {
                        let t = mst_and_prune(self.g, &t, &[self.root], &self.keep());
                        let t = trim_to_quota(self.g, &t, self.prizes, self.root, self.quota);
                        let c = tree_cost(self.g, &t);
                        self.trace.emit(|| {
                            format!("quota search: x{f} % trims to {c} at {:?}", t0.elapsed())
                        });
                        (c, t)
                    })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .enumerate()
            .min_by_key(|(i, (c, _))| (*c, *i))
            .map(|(_, (_, t))| t)
    }

    fn keep(&self) -> Vec<bool> {
        let mut keep: Vec<bool> = self.prizes.iter().map(|&p| p > 0).collect();
        keep[self.root as usize] = true;
        keep
    }
}

/// Bisection steps of the quota search's multiplier after its bracket by doubling.
const QUOTA_BISECTION_STEPS: u32 = 5;
/// The same on large graphs, where each step grows a tree over the whole graph.
const QUOTA_BISECTION_STEPS_LARGE: u32 = 3;

/// Multipliers of the quota search, in percent of the smallest one whose start meets the
/// quota (only 100 on large graphs).
const QUOTA_MULTIPLIER_FACTORS: [u32; 5] = [96, 100, 104, 108, 112];

/// True when the graph is large for the effort: the prize drivers then spend less work
/// per step (fewer multiplier steps, fewer drop-and-add depths).
pub(crate) fn large_graph(g: &Graph, opts: &Options) -> bool {
    g.num_edges() > opts.effort as usize * LARGE_PRIZE_EDGES_PER_EFFORT
}

/// The Lagrangian quota bound: scanned arcs of each ascent per unit of effort, and the
/// trisection rounds of its multiplier search. Only ascents on large graphs reach it (the
/// national quota's finish far below). On the 1M-node quota instance the two first
/// ascents are cut by it at default effort: 12 M arcs gave a bound 11.96 % below the
/// tree, 24 M (now, in about the time 12 M took before the faster closures of
/// [`crate::dual_ascent`]) 10.69 %, 48 M 10.27 %, complete ascents 10.17 %.
const QUOTA_BOUND_WORK_PER_EFFORT: u64 = 6_000_000;
const QUOTA_BOUND_ROUNDS: u32 = 3;
/// When the search's ascents are cut: scanned arcs per unit of effort of each ascent of
/// the search on the bound's value (on the 1M-node quota instance they finish within 96 M
/// at default effort), and how many after the first.
const QUOTA_BOUND_FINISH_PER_EFFORT: u64 = 24_000_000;
const QUOTA_BOUND_REFINE: u32 = 2;

/// The quota branch-and-bound's node budget: with `prove`, [`QUOTA_PROVE_NODES_PER_EFFORT`]
/// nodes per unit of effort; otherwise none on large graphs ([`large_graph`]) and
/// [`QUOTA_SEARCH_WORK_PER_EFFORT`] node-edges per unit of effort over the graph's edges,
/// at least the root node, on the others.
fn quota_node_budget(g: &Graph, opts: &Options) -> usize {
    if opts.prove {
        QUOTA_PROVE_NODES_PER_EFFORT * opts.effort as usize
    } else if large_graph(g, opts) {
        // One node's full ascent and heuristic cost more than the whole default solve.
        0
    } else {
        let budget =
            QUOTA_SEARCH_WORK_PER_EFFORT * opts.effort as u64 / g.num_edges().max(1) as u64;
        (budget as usize).max(1)
    }
}

/// Search nodes per unit of effort of the quota proof mode.
const QUOTA_PROVE_NODES_PER_EFFORT: usize = 2_500;
/// Node-edges per unit of effort of the quota branch-and-bound at default settings.
const QUOTA_SEARCH_WORK_PER_EFFORT: u64 = 10_000;

/// Edges per unit of effort above which a prize graph counts as large.
const LARGE_PRIZE_EDGES_PER_EFFORT: usize = 25_000;

/// Bisection steps of the multiplier search: `4 + 2 effort`, or 3 on large graphs.
pub(crate) fn multiplier_steps(g: &Graph, opts: &Options) -> u32 {
    if large_graph(g, opts) {
        3
    } else {
        4 + 2 * opts.effort
    }
}

/// Drops pendant branches (a leaf and the zero-prize degree-2 path above it) while the
/// prize stays at or above `quota`, best saved cost per prize lost first (ties: the leaf of
/// the smallest node id).
///
/// Branches wait in a heap by that order; removing one changes only the branches that end
/// where it ended (their walk may now pass through), so those are walked again and the
/// rest keep their place: O((k + removals) log k) instead of a scan of every branch per
/// removal. Trees with a leaf of no prize (the ratio order needs a prize lost) take the
/// scan ([`trim_scan`]); both drop the same branches in the same order.
pub(crate) fn trim_to_quota(
    g: &Graph,
    edges: &[EdgeId],
    prizes: &[Cost],
    root: NodeId,
    quota: Cost,
) -> Vec<EdgeId> {
    if edges.is_empty() {
        return Vec::new();
    }
    let adj = TreeAdj::new(g, edges);
    let mut t = TrimTree {
        g,
        deg: adj.nodes.iter().map(|&u| adj.degree(u)).collect(),
        adj: &adj,
        edges,
        prizes,
        root,
        removed: vec![false; edges.len()],
    };
    let prize: Cost = adj.nodes.iter().map(|&u| prizes[u as usize]).sum();
    if (0..adj.nodes.len()).any(|i| t.is_leaf(i) && prizes[adj.nodes[i] as usize] <= 0) {
        trim_scan(&mut t, quota, prize);
    } else {
        trim_heap(&mut t, quota, prize);
    }
    kept_sorted(edges, &t.removed)
}

/// The tree being trimmed: its edges (by position in `edges`), the live degree of each
/// local node and which edges are cut so far.
struct TrimTree<'a> {
    g: &'a Graph,
    adj: &'a TreeAdj,
    edges: &'a [EdgeId],
    prizes: &'a [Cost],
    root: NodeId,
    deg: Vec<usize>,
    removed: Vec<bool>,
}

impl TrimTree<'_> {
    /// Whether local node `i` is a leaf other than the root.
    fn is_leaf(&self, i: usize) -> bool {
        self.deg[i] == 1 && self.adj.nodes[i] != self.root
    }

    /// The branch above leaf `i` (local index): the cost it saves, with its edges
    /// (positions in the tree's edge list) in `path`, and the local node it ends at.
    fn branch(&self, i: usize, path: &mut Vec<usize>) -> (Cost, usize) {
        let adj = self.adj;
        path.clear();
        let mut saved = 0;
        let mut cur = i;
        let mut prev_edge = usize::MAX;
        loop {
            let mut next = None;
            for (pos, (v, e)) in adj.incident(adj.nodes[cur]) {
                if !self.removed[pos] && pos != prev_edge {
                    next = Some((pos, v, e));
                    break;
                }
            }
            let Some((pos, v, e)) = next else { break };
            saved += self.g.weight(e);
            path.push(pos);
            prev_edge = pos;
            let j = adj.local(v);
            if self.deg[j] != 2 || self.prizes[v as usize] > 0 || v == self.root {
                return (saved, j);
            }
            cur = j;
        }
        (saved, cur)
    }

    /// Removes a branch's edges.
    fn cut(&mut self, path: &[usize]) {
        for &pos in path {
            self.removed[pos] = true;
            let (a, b, _) = self.g.edge(self.edges[pos]);
            self.deg[self.adj.local(a)] -= 1;
            self.deg[self.adj.local(b)] -= 1;
        }
    }
}

/// A branch waiting in the heap: greater is better (higher saved / lost, then the smaller
/// leaf). `lost` > 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Branch {
    saved: Cost,
    lost: Cost,
    leaf: usize,
    version: u32,
}

impl Ord for Branch {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        ((self.saved as i128) * (o.lost as i128))
            .cmp(&((o.saved as i128) * (self.lost as i128)))
            .then(o.leaf.cmp(&self.leaf))
            .then(self.version.cmp(&o.version))
    }
}

impl PartialOrd for Branch {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// The heap's branches: for each leaf the version of its newest entry and the local node
/// its branch ends at, and the leaves by the node their branch ends at (stale entries
/// skipped on use).
struct Waiting {
    version: Vec<u32>,
    top: Vec<usize>,
    ending: Vec<Vec<usize>>,
    heap: std::collections::BinaryHeap<Branch>,
    path: Vec<usize>,
}

impl Waiting {
    /// Walks leaf `i`'s branch and puts it in the heap, replacing any earlier entry.
    fn push(&mut self, t: &TrimTree, i: usize) {
        let (saved, top) = t.branch(i, &mut self.path);
        self.version[i] += 1;
        self.top[i] = top;
        self.ending[top].push(i);
        self.heap.push(Branch {
            saved,
            lost: t.prizes[t.adj.nodes[i] as usize],
            leaf: i,
            version: self.version[i],
        });
    }
}

/// [`trim_to_quota`] by a heap of branches (every leaf has a prize).
fn trim_heap(t: &mut TrimTree, quota: Cost, mut prize: Cost) {
    let k = t.adj.nodes.len();
    let mut w = Waiting {
        version: vec![0; k],
        top: vec![usize::MAX; k],
        ending: vec![Vec::new(); k],
        heap: std::collections::BinaryHeap::new(),
        path: Vec::new(),
    };
    for i in 0..k {
        if t.is_leaf(i) {
            w.push(t, i);
        }
    }
    let mut path = Vec::new();
    while let Some(b) = w.heap.pop() {
        if b.version != w.version[b.leaf] || t.deg[b.leaf] != 1 {
            continue;
        }
        // Prize only falls: a branch too dear for the quota now stays so.
        if prize - b.lost < quota {
            continue;
        }
        let (_, top) = t.branch(b.leaf, &mut path);
        prize -= b.lost;
        t.cut(&path);
        w.version[b.leaf] += 1;
        // Branches that ended at `top` may now run through it; it may have become a leaf.
        for i in std::mem::take(&mut w.ending[top]) {
            if w.top[i] == top && t.deg[i] == 1 && i != b.leaf {
                w.push(t, i);
            }
        }
        if t.is_leaf(top) {
            w.push(t, top);
        }
    }
}

/// [`trim_to_quota`] by scanning every branch before each removal (any prizes).
fn trim_scan(t: &mut TrimTree, quota: Cost, mut prize: Cost) {
    let mut path = Vec::new();
    loop {
        let mut best: Option<(Cost, Cost, Vec<usize>)> = None;
        for i in 0..t.adj.nodes.len() {
            if !t.is_leaf(i) {
                continue;
            }
            let lost = t.prizes[t.adj.nodes[i] as usize];
            let (saved, _) = t.branch(i, &mut path);
            if prize - lost < quota || path.is_empty() {
                continue;
            }
            let better = match &best {
                None => true,
                Some((bs, bl, _)) => {
                    (saved as i128) * (*bl as i128) > (*bs as i128) * (lost as i128)
                }
            };
            if better {
                best = Some((saved, lost, path.clone()));
            }
        }
        let Some((_, lost, path)) = best else { break };
        prize -= lost;
        t.cut(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The heap drops exactly the branches the scan drops, on random trees with many
        /// equal ratios and zero-prize chains.
        #[test]
        fn heap_trims_as_the_scan_does(
            parents in prop::collection::vec((any::<u32>(), 0i64..6, 0i64..4), 1..45),
            root_pick in any::<u32>(),
            quota_pct in 0i64..=100,
        ) {
            let n = parents.len() + 1;
            let edges: Vec<(NodeId, NodeId, Cost)> = parents
                .iter()
                .enumerate()
                .map(|(i, &(p, w, _))| (p % (i as u32 + 1), i as u32 + 1, w))
                .collect();
            let g = Graph::from_edges(n, &edges);
            let mut prizes: Vec<Cost> = std::iter::once(1)
                .chain(parents.iter().map(|&(_, _, p)| p))
                .collect();
            let root = root_pick % n as u32;
            // Every leaf gets a prize (the heap's domain).
            let mut d = vec![0; n];
            for &(a, b, _) in &edges {
                d[a as usize] += 1;
                d[b as usize] += 1;
            }
            for v in 0..n {
                if d[v] == 1 && prizes[v] == 0 {
                    prizes[v] = 1 + (v as Cost % 3);
                }
            }
            let ids: Vec<EdgeId> = (0..edges.len() as EdgeId).collect();
            let total: Cost = prizes.iter().sum();
            let quota = total * quota_pct / 100;
            let adj = TreeAdj::new(&g, &ids);
            let tree = || TrimTree {
                g: &g,
                adj: &adj,
                edges: &ids,
                prizes: &prizes,
                root,
                deg: adj.nodes.iter().map(|&u| adj.degree(u)).collect(),
                removed: vec![false; ids.len()],
            };
            let (mut t1, mut t2) = (tree(), tree());
            trim_heap(&mut t1, quota, total);
            trim_scan(&mut t2, quota, total);
            prop_assert_eq!(t1.removed, t2.removed);
        }

        /// The reroute never makes a tree dearer, keeps the quota and the root, and gives
        /// a tree (connected, acyclic) of the graph's edges.
        #[test]
        fn reroute_is_never_dearer_and_keeps_the_quota(
            n in 3usize..16,
            raw in prop::collection::vec((0u32..16, 0u32..16, 1i64..30), 2..50),
            prize_raw in prop::collection::vec(0i64..5, 16),
            quota_pct in 1i64..=100,
        ) {
            let edges: Vec<(NodeId, NodeId, Cost)> = raw
                .iter()
                .map(|&(u, v, w)| (u % n as u32, v % n as u32, w))
                .filter(|&(u, v, _)| u != v)
                .collect();
            let prizes: Vec<Cost> = prize_raw[..n].to_vec();
            let inst = Instance {
                graph: Graph::from_edges(n, &edges),
                terminals: vec![],
                root: Some(0),
                prizes: prizes.clone(),
            };
            let g = &inst.graph;
            let reach: Cost = reachable_split(g, &(0..n as u32).collect::<Vec<_>>(), Some(0))
                .0
                .iter()
                .map(|&v| prizes[v as usize])
                .sum();
            let quota = (reach * quota_pct / 100).max(1);
            let plain = Options { local_search: false, lower_bound: false, reduce: false, ..Options::default() };
            let t = solve_inner(&inst, quota, &plain).edges;
            let held = |t: &[EdgeId]| -> Cost {
                if t.is_empty() { prizes[0] } else { tree_nodes(g, t).iter().map(|&v| prizes[v as usize]).sum() }
            };
            prop_assume!(held(&t) >= quota);
            let mut keep: Vec<bool> = prizes.iter().map(|&p| p > 0).collect();
            keep[0] = true;
            let r = reroute(&inst, &t, &keep, quota, &Options::default());
            prop_assert!(tree_cost(g, &r) <= tree_cost(g, &t));
            prop_assert!(held(&r) >= quota);
            if !r.is_empty() {
                let nodes = tree_nodes(g, &r);
                prop_assert!(nodes.contains(&0));
                prop_assert_eq!(nodes.len(), r.len() + 1);
                let (inside, _) = reachable_split(
                    &Graph::from_edges(n, &r.iter().map(|&e| g.edge(e)).collect::<Vec<_>>()),
                    &nodes,
                    Some(0),
                );
                prop_assert_eq!(inside.len(), nodes.len());
            }
        }
    }

    /// Root 0 and prize nodes 2 and 3 joined by a detour (0-1-2 and 0-3, cost 10 + 10 + 9)
    /// when the hub 4 joins all three for 3 x 4: the reroute finds the hub.
    #[test]
    fn reroute_finds_the_cheaper_connection_of_the_same_villages() {
        let edges = [
            (0, 1, 10),
            (1, 2, 10),
            (0, 3, 9),
            (0, 4, 4),
            (4, 2, 4),
            (4, 3, 4),
        ];
        let inst = Instance {
            graph: Graph::from_edges(5, &edges),
            terminals: vec![],
            root: Some(0),
            prizes: vec![0, 0, 5, 5, 0],
        };
        let keep = [true, false, true, true, false];
        let r = reroute(&inst, &[0, 1, 2], &keep, 10, &Options::default());
        assert_eq!(r, vec![3, 4, 5]);
        assert_eq!(tree_cost(&inst.graph, &r), 12);
    }
}
