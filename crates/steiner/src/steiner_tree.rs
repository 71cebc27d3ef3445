//! The Steiner tree driver: reductions, constructions in parallel, local search,
//! recombination and the dual-ascent bound, put together by [`solve_steiner`].

use crate::branch_and_bound::prove_with_deadline;
use crate::dreyfus_wagner::{dreyfus_wagner, dw_work};
use crate::dual_ascent::{ascend, dual_ascent, ArcGraph, Ascent};
use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::key_path_exchange::key_path_exchange;
use crate::key_vertex_elimination::key_vertex_elimination;
use crate::mehlhorn::mehlhorn;
use crate::problem::{
    make_solution, reachable_split, splitmix, with_threads, Deadline, Instance, Objective, Options,
    ReducedSize, Solution,
};
use crate::reduce::{reduce, reduce_steiner_traced};
use crate::sph::sph;
use crate::tree::{
    is_tree_spanning, mst_and_prune, mst_on_nodes, tree_cost, tree_nodes, TreeUnion,
};
use crate::vertex_insertion::vertex_insertion;
use rayon::prelude::*;

/// A minimum-cost tree spanning all terminals (and the root, when given).
///
/// Terminals that cannot be reached from the root (or, unrooted, from the component
/// holding most terminals) are left out and listed in [`Solution::unreachable`].
///
/// # Arguments
/// - `inst`: the graph, its terminals and optional root (prizes are ignored);
/// - `opts`: seed, effort, threads, safety cap, which phases run, trace sink.
///
/// # Returns
/// The tree as sorted input edge ids with its cost (`objective == cost`), the dual-ascent
/// bound (or the exact value, when Dreyfus-Wagner or the reductions settle it) in
/// [`Solution::lower_bound`], `optimal` when the two meet, and the reduced graph's size.
///
/// # Complexity
/// Each construction and each local-search pass is O(m log n); their number is set by
/// [`Options::effort`], not by the clock.
///
/// # References
/// See the modules of each phase: [`crate::reduce`], [`crate::sph`], [`crate::mehlhorn`],
/// [`crate::key_path_exchange`], [`crate::key_vertex_elimination`],
/// [`crate::vertex_insertion`], [`crate::dual_ascent`], [`crate::dreyfus_wagner`].
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
    } else if opts.fast {
        let (edges, name, reduced) = fast_tree(g, &terms, opts);
        let mut s = make_solution(inst, edges, None, Objective::Cost, &name);
        s.reduced = reduced;
        s
    } else {
        let (edges, name, lb, reduced) = best_tree(g, &terms, inst.root, opts, &deadline);
        let mut s = make_solution(inst, edges, None, Objective::Cost, &name);
        s.lower_bound = lb;
        s.reduced = reduced;
        s
    };
    sol.unreachable = unreachable;
    sol.cut_short = deadline.was_hit();
    sol.optimal = sol.lower_bound == Some(sol.objective);
    sol
}

/// Best tree over `terms` (all mutually reachable, at least two), in input edge ids, with
/// the solver's name, the bound and the size of the reduced graph.
pub(crate) fn best_tree(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    opts: &Options,
    deadline: &Deadline,
) -> (Vec<EdgeId>, String, Option<Cost>, Option<ReducedSize>) {
    let mut keep = vec![false; g.num_nodes()];
    for &t in terms {
        keep[t as usize] = true;
    }
    let red = if opts.reduce {
        Some(reduce_steiner_traced(g, &keep, 16, &opts.trace).0)
    } else {
        None
    };
    // Contractions may merge terminals: each reduced terminal once.
    let (rg, rterms, rroot) = match &red {
        Some(r) => (
            &r.graph,
            r.terminals(terms),
            root.and_then(|t| r.map_node(t)),
        ),
        None => (g, terms.to_vec(), root),
    };
    opts.trace.emit(|| {
        format!(
            "reduced: n {} m {} (input n {} m {})",
            rg.num_nodes(),
            rg.num_edges(),
            g.num_nodes(),
            g.num_edges()
        )
    });
    let (mut tree, mut name, mut lb) = if rterms.len() <= 1 {
        // The reductions decided everything (the tree is their fixed edges).
        (Vec::new(), String::from("solved"), Some(0))
    } else {
        solve_reduced(rg, &rterms, rroot, opts, deadline)
    };
    // Branch-and-bound: in proof mode within its node budget; at default effort on small
    // reduced graphs too, within a work budget (nodes times reduced edges), so that hard
    // small instances get the search and large ones never pay for it.
    let open = rterms.len() > 1 && lb != Some(tree_cost(rg, &tree));
    let budget = if opts.prove {
        // Each open node holds its removed edges: large graphs get fewer nodes.
        let per_effort =
            (PROVE_EDGE_NODES_PER_EFFORT / rg.num_edges().max(1)).clamp(16, PROVE_NODES_PER_EFFORT);
        Some(per_effort * opts.effort as usize)
    } else {
        search_budget(rg, opts)
    };
    if let Some(budget) = budget.filter(|_| open) {
        let t0 = std::time::Instant::now();
        let proof = prove_with_deadline(rg, &rterms, rroot, &tree, budget, deadline, &opts.trace);
        opts.trace.emit(|| {
            format!(
                "branch-and-bound: {} nodes (budget {budget}) in {:?}, value {} bound {}",
                proof.nodes,
                t0.elapsed(),
                proof.cost,
                proof.lower_bound
            )
        });
        tree = proof.tree;
        lb = Some(lb.map_or(proof.lower_bound, |b| b.max(proof.lower_bound)));
        name.push_str("+bb");
    }
    match &red {
        Some(r) => {
            name.insert_str(0, "red+");
            // Fixed edges are in every solution of the reduced problem: they add to the
            // bound as they do to the cost.
            let fixed = r.fixed_cost(g);
            let size = ReducedSize {
                nodes: r.graph.num_nodes(),
                edges: r.graph.num_edges(),
            };
            (r.expand(&tree), name, lb.map(|b| b + fixed), Some(size))
        }
        None => (tree, name, lb, None),
    }
}

/// The lean pipeline of [`Options::fast`] over `terms` (mutually reachable, at least
/// two): the degree reductions only, Mehlhorn's construction, one key-path-exchange pass.
/// Returns input edge ids, the solver's name and the reduced size. One core's work.
fn fast_tree(
    g: &Graph,
    terms: &[NodeId],
    opts: &Options,
) -> (Vec<EdgeId>, String, Option<ReducedSize>) {
    let mut keep = vec![false; g.num_nodes()];
    for &t in terms {
        keep[t as usize] = true;
    }
    let red = opts.reduce.then(|| reduce(g, &keep, 0));
    let (rg, rterms) = match &red {
        Some(r) => (&r.graph, r.terminals(terms)),
        None => (g, terms.to_vec()),
    };
    let mut name = String::from("fast+mehlhorn");
    let tree = if rterms.len() <= 1 {
        Vec::new()
    } else {
        let weights: Vec<Cost> = rg.edges().iter().map(|e| e.2).collect();
        let mut is_term = vec![false; rg.num_nodes()];
        for &t in &rterms {
            is_term[t as usize] = true;
        }
        let t = mst_and_prune(rg, &mehlhorn(rg, &weights, &rterms), &[], &is_term);
        if opts.local_search {
            name.push_str("+kpe");
            key_path_exchange(rg, &weights, &t, &is_term, FAST_KPE_PASSES).0
        } else {
            t
        }
    };
    match &red {
        Some(r) => {
            let size = ReducedSize {
                nodes: r.graph.num_nodes(),
                edges: r.graph.num_edges(),
            };
            (r.expand(&tree), format!("red+{name}"), Some(size))
        }
        None => (tree, name, None),
    }
}

/// The node budget of the default mode's branch-and-bound on the reduced graph `g`, or
/// `None` when it does not run (graphs of more than [`SEARCH_MAX_EDGES_PER_EFFORT`] edges
/// per unit of effort, or no lower bound asked for). Work-based: about
/// [`SEARCH_EDGE_NODES_PER_EFFORT`] node-edges per unit of effort, since a node costs a
/// reduction and an ascent over its edges.
fn search_budget(g: &Graph, opts: &Options) -> Option<usize> {
    let m = g.num_edges().max(1);
    let effort = opts.effort as usize;
    (opts.lower_bound && opts.reduce && m <= SEARCH_MAX_EDGES_PER_EFFORT * effort).then(|| {
        (SEARCH_EDGE_NODES_PER_EFFORT * effort / m).clamp(1, PROVE_NODES_PER_EFFORT * effort)
    })
}

/// Key-path-exchange passes of the lean pipeline.
const FAST_KPE_PASSES: usize = 1;

/// Constructions, local search and recombination on a (reduced) graph.
fn solve_reduced(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    opts: &Options,
    deadline: &Deadline,
) -> (Vec<EdgeId>, String, Option<Cost>) {
    // Few terminals: solve exactly when the work fits the budget.
    let (work, labels) = dw_work(g.num_nodes(), g.num_edges(), terms.len());
    if terms.len() <= 20
        && work <= DW_WORK_PER_EFFORT * opts.effort as u128
        && labels <= DW_MAX_LABELS
    {
        let (t, c) = dreyfus_wagner(g, terms, root.unwrap_or(terms[0]));
        return (t, "dw".to_string(), Some(c));
    }
    // Only terminals left (the reductions took every other node): the minimum spanning
    // tree is optimal, and its cost is the bound.
    if terms.len() == g.num_nodes() {
        let all: Vec<NodeId> = (0..g.num_nodes() as NodeId).collect();
        let t = mst_on_nodes(g, &all, &vec![true; all.len()]);
        let c = tree_cost(g, &t);
        return (t, "mst".to_string(), Some(c));
    }
    let r = root.unwrap_or(terms[0]);
    let da_budget = DA_ARCS_PER_EDGE_PER_EFFORT * g.num_edges() as u64 * opts.effort as u64;
    let trace_bound = |t0: std::time::Instant, lb: Option<Cost>| {
        opts.trace
            .emit(|| format!("dual ascent: {:?} bound {lb:?}", t0.elapsed()));
    };
    let ((best, best_cost, name), lb) = if full_local_search(g, opts) {
        // Small graphs: one ascent first, whose reduced costs also guide constructions.
        let t0 = std::time::Instant::now();
        let asc =
            (!deadline.expired()).then(|| ascend(&ArcGraph::bidirected(g), terms, r, da_budget));
        let lb = asc
            .as_ref()
            .filter(|_| opts.lower_bound)
            .map(|a| a.lower_bound);
        trace_bound(t0, lb);
        (heuristics(g, terms, root, opts, deadline, asc.as_ref()), lb)
    } else {
        // The bound needs no tree: it runs beside the heuristics (one more busy core).
        rayon::join(
            || heuristics(g, terms, root, opts, deadline, None),
            || {
                let t0 = std::time::Instant::now();
                let lb = (opts.lower_bound && !deadline.expired())
                    .then(|| dual_ascent(g, terms, r, da_budget));
                trace_bound(t0, lb);
                lb
            },
        )
    };
    let mut name = name;
    if lb.is_some() {
        name.push_str("+da");
    }
    (best, name, lb.map(|b| b.min(best_cost)))
}

/// Constructions in parallel, local search and recombination: the best tree found, its
/// cost and the solver's name.
fn heuristics(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    opts: &Options,
    deadline: &Deadline,
    ascent: Option<&Ascent>,
) -> (Vec<EdgeId>, Cost, String) {
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let mut is_term = vec![false; g.num_nodes()];
    for &t in terms {
        is_term[t as usize] = true;
    }
    let t0 = std::time::Instant::now();
    let ls = opts.local_search;
    let passes = 8 * opts.effort as usize + 8;
    let vi_budget = VI_WORK_PER_EFFORT * opts.effort as u64;
    // Large graphs: constructions get key-path exchange only; the full alternation with
    // elimination and insertion is kept for the recombined best.
    let mid = mid_band(g.num_edges(), opts);
    let full_everywhere = full_local_search(g, opts) || mid;
    let improve = |t: Vec<EdgeId>, full: bool| -> (Cost, Vec<EdgeId>) {
        let mut t = t;
        // Work cap on elimination passes for this run (a pass is O(m log n)).
        let kve_left =
            std::sync::atomic::AtomicI64::new(KVE_PASSES_PER_EFFORT * opts.effort as i64);
        let mut c = tree_cost(g, &t);
        if !ls {
            return (c, t);
        }
        // Alternate key-path exchange and vertex insertion until neither improves.
        loop {
            if deadline.expired() {
                break;
            }
            t = key_path_exchange(g, &weights, &t, &is_term, passes).0;
            c = tree_cost(g, &t);
            if !full {
                break;
            }
            if let Some((t2, c2)) = key_vertex_elimination(g, &weights, &t, &is_term) {
                if c2 < c && kve_left.fetch_sub(1, std::sync::atomic::Ordering::Relaxed) > 0 {
                    t = t2;
                    continue;
                }
            }
            let (t2, c2) = vertex_insertion(g, &t, &is_term, vi_budget);
            if c2 >= c {
                break;
            }
            t = t2;
            c = c2;
        }
        (c, t)
    };
    let runs = construction_runs(terms, root, g.num_edges(), opts);
    let mut results: Vec<(Cost, Vec<EdgeId>)> = runs
        .par_iter()
        .map(|run| {
            if deadline.expired() && run.index > 1 {
                return (Cost::MAX, Vec::new());
            }
            let raw = match run.kind {
                RunKind::Mehlhorn => mehlhorn(g, &weights, terms),
                RunKind::MehlhornPerturbed { perturb } => {
                    mehlhorn(g, &perturbed(&weights, perturb), terms)
                }
                RunKind::Sph { start, perturb } => {
                    if perturb == 0 {
                        sph(g, &weights, &is_term, terms.len(), start).0
                    } else {
                        let w = perturbed(&weights, perturb);
                        sph(g, &w, &is_term, terms.len(), start).0
                    }
                }
            };
            improve(mst_and_prune(g, &raw, &[], &is_term), full_everywhere)
        })
        .collect();
    // Small graphs: shortest paths over the dual ascent's reduced costs (saturated arcs
    // cost nothing) lead to the trees the bound points at; a few more starts from there.
    if let Some(asc) = ascent.filter(|_| !deadline.expired()) {
        let r = root.unwrap_or(terms[0]);
        let da_w: Vec<Cost> = (0..g.num_edges())
            .map(|e| asc.reduced[2 * e].min(asc.reduced[2 * e + 1]))
            .collect();
        let starts: Vec<NodeId> = std::iter::once(r)
            .chain((0..DA_GUIDED_STARTS).map(|i| {
                let h = splitmix(opts.seed ^ 0xDA ^ (i as u64).wrapping_mul(0x9E37_79B9));
                terms[(h % terms.len() as u64) as usize]
            }))
            .collect();
        let guided: Vec<(Cost, Vec<EdgeId>)> = starts
            .par_iter()
            .map(|&st| {
                let raw = sph(g, &da_w, &is_term, terms.len(), st).0;
                improve(mst_and_prune(g, &raw, &[], &is_term), true)
            })
            .collect();
        results.extend(guided);
    }
    opts.trace
        .emit(|| format!("constructions + local search: {:?}", t0.elapsed()));
    // Stable sort: ties keep the schedule's order, so the pick is deterministic.
    results.sort_by_key(|r| r.0);
    results.dedup_by(|a, b| a.1 == b.1);
    let mut name = String::from("sph+mehlhorn");
    if ls {
        name.push_str("+kpe+kve+vi");
    }
    let (mut best_cost, mut best) = results[0].clone();
    // Recombination: the shortest-path heuristic on the union of the best trees.
    if results.len() > 1 && !deadline.expired() {
        let top = results.len().min(2 + opts.effort as usize);
        let union = TreeUnion::new(g, results[..top].iter().map(|r| r.1.as_slice()));
        let start = root.unwrap_or(terms[0]);
        let (t, _) = sph(&union.graph, &union.weights, &is_term, terms.len(), start);
        let (c, t) = improve(
            mst_and_prune(g, &union.lift(&t), &[], &is_term),
            full_everywhere,
        );
        if c < best_cost {
            best_cost = c;
            best = t;
            name.push_str("+rec");
        }
    }
    // Mid-size graphs: more recombination rounds while they improve. Each round joins
    // the best distinct trees so far and runs the shortest-path heuristic on the union
    // from the root and seeded terminals, then the full local search.
    if mid && ls {
        let mut pool = results;
        pool.push((best_cost, best.clone()));
        pool.sort_by_key(|r| r.0);
        pool.dedup_by(|a, b| a.1 == b.1);
        for round in 0..MID_REC_ROUNDS_PER_EFFORT * opts.effort as usize {
            if deadline.expired() || pool.len() < 2 {
                break;
            }
            let top = pool.len().min(MID_REC_POOL);
            let union = TreeUnion::new(g, pool[..top].iter().map(|r| r.1.as_slice()));
            let starts: Vec<NodeId> = std::iter::once(root.unwrap_or(terms[0]))
                .chain((0..MID_REC_STARTS).map(|i| {
                    let h = splitmix(
                        opts.seed
                            ^ 0x5EC
                            ^ ((round * MID_REC_STARTS + i) as u64).wrapping_mul(0x9E37_79B9),
                    );
                    terms[(h % terms.len() as u64) as usize]
                }))
                .collect();
            let mut found: Vec<(Cost, Vec<EdgeId>)> = starts
                .par_iter()
                .map(|&st| {
                    let (t, _) = sph(&union.graph, &union.weights, &is_term, terms.len(), st);
                    improve(mst_and_prune(g, &union.lift(&t), &[], &is_term), true)
                })
                .collect();
            let start = union.local(&best);
            if let Some(t) = union_search(
                &union.graph,
                terms,
                root,
                opts,
                deadline,
                UNION_EDGE_NODES_PER_EFFORT,
                Some(&start),
            ) {
                found.push(improve(
                    mst_and_prune(g, &union.lift(&t), &[], &is_term),
                    true,
                ));
            }
            found.sort_by_key(|r| r.0);
            let improved = found[0].0 < best_cost;
            if improved {
                best_cost = found[0].0;
                best = found[0].1.clone();
                if !name.ends_with("+rec") {
                    name.push_str("+rec");
                }
            }
            let before = pool.len();
            pool.extend(found);
            pool.sort_by_key(|r| r.0);
            pool.dedup_by(|a, b| a.1 == b.1);
            opts.trace.emit(|| {
                format!(
                    "mid recombination round {round}: best {best_cost}, pool {}",
                    pool.len()
                )
            });
            if !improved && pool.len() == before {
                break;
            }
        }
    }
    if mid && ls {
        (best, best_cost) = region_search(g, terms, root, opts, deadline, best, best_cost);
        let (c, t) = improve(best.clone(), true);
        if c < best_cost {
            best_cost = c;
            best = t;
        }
    }
    if ls && !full_everywhere && !deadline.expired() {
        let (c, t) = improve(best.clone(), true);
        if c < best_cost {
            best_cost = c;
            best = t;
        }
    }
    opts.trace
        .emit(|| format!("recombination and full local search: {:?}", t0.elapsed()));
    (best, best_cost, name)
}

/// Whether every construction gets the full local search (and, with it, the ascent's
/// guided starts): graphs up to [`FULL_LS_EDGES_PER_EFFORT`] edges per unit of effort.
fn full_local_search(g: &Graph, opts: &Options) -> bool {
    g.num_edges() <= FULL_LS_EDGES_PER_EFFORT * opts.effort as usize
}

/// Recombination by search: the union `sub` of good trees is reduced and, when the
/// reduced graph is small enough for the default search's budget, the branch-and-bound
/// runs on it with `work` node-edges per unit of effort, from the shortest-path
/// heuristic's tree or from `start` (a tree of `sub`, sorted edge ids) when that maps to a
/// cheaper one. Returns a tree of `sub`'s edge ids, or `None` when the reduced union is
/// too large.
fn union_search(
    sub: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    opts: &Options,
    deadline: &Deadline,
    work: usize,
    start: Option<&[EdgeId]>,
) -> Option<Vec<EdgeId>> {
    let mut keep = vec![false; sub.num_nodes()];
    for &t in terms {
        keep[t as usize] = true;
    }
    let red = reduce_steiner_traced(sub, &keep, 16, &opts.trace).0;
    let rg = &red.graph;
    let rterms = red.terminals(terms);
    opts.trace.emit(|| {
        format!(
            "union search: reduced n {} m {} terminals {}",
            rg.num_nodes(),
            rg.num_edges(),
            rterms.len()
        )
    });
    if rterms.len() <= 1 {
        return Some(red.expand(&[]));
    }
    search_budget(rg, opts)?;
    let budget =
        (work * opts.effort as usize / rg.num_edges().max(1)).clamp(1, PROVE_NODES_PER_EFFORT);
    let rroot = root.and_then(|t| red.map_node(t)).unwrap_or(rterms[0]);
    let mut is_term = vec![false; rg.num_nodes()];
    for &t in &rterms {
        is_term[t as usize] = true;
    }
    let w: Vec<Cost> = rg.edges().iter().map(|e| e.2).collect();
    let (t0, _) = sph(rg, &w, &is_term, rterms.len(), rroot);
    let mut t0 = mst_and_prune(rg, &t0, &[], &is_term);
    // The given tree, as the reduced edges whose whole path it holds, starts the search
    // when it spans the reduced terminals more cheaply: the search then only has to
    // beat it.
    if let Some(start) = start {
        let mapped: Vec<EdgeId> = (0..rg.num_edges() as EdgeId)
            .filter(|&e| red.path(e).iter().all(|x| start.binary_search(x).is_ok()))
            .collect();
        let mapped = mst_and_prune(rg, &mapped, &[], &is_term);
        if is_tree_spanning(rg, &mapped, &rterms) && tree_cost(rg, &mapped) < tree_cost(rg, &t0) {
            t0 = mapped;
        }
    }
    let proof = prove_with_deadline(rg, &rterms, Some(rroot), &t0, budget, deadline, &opts.trace);
    Some(red.expand(&proof.tree))
}

/// Local branch-and-bound over regions (a large-neighbourhood search): the graph's edges
/// among the [`REGION_NODES`] nodes nearest to a centre, joined to the tree, are searched
/// by [`union_search`] from the tree itself, so only the routes inside the region can
/// change; a cheaper result replaces the tree before the next region. Centres are tree
/// nodes no region has held yet, in a seeded order (a sweep; a new sweep starts when all
/// are held), so the regions cover the tree. Regions: `effort / 2` sweeps' worth of the
/// graph's nodes; each gets [`REGION_EDGE_NODES_PER_EFFORT`] node-edges of search per
/// unit of effort. Sequential (each region starts from the last tree), so the result is
/// the same at any thread count. Returns the tree (sorted edge ids) and its cost.
fn region_search(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    opts: &Options,
    deadline: &Deadline,
    mut best: Vec<EdgeId>,
    mut best_cost: Cost,
) -> (Vec<EdgeId>, Cost) {
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let mut is_term = vec![false; g.num_nodes()];
    for &t in terms {
        is_term[t as usize] = true;
    }
    let regions = (opts.effort as usize * g.num_nodes()).div_ceil(2 * REGION_NODES);
    let (before, mut wins) = (best_cost, 0usize);
    let mut held = vec![false; g.num_nodes()];
    let mut dist = vec![Cost::MAX; g.num_nodes()];
    for i in 0..regions {
        if deadline.expired() {
            break;
        }
        let h = splitmix(opts.seed ^ 0x7E61 ^ (i as u64).wrapping_mul(0x9E37_79B9));
        let nodes = tree_nodes(g, &best);
        let mut fresh: Vec<NodeId> = nodes
            .iter()
            .copied()
            .filter(|&v| !held[v as usize])
            .collect();
        if fresh.is_empty() {
            held.fill(false);
            fresh = nodes;
        }
        let centre = fresh
            .iter()
            .copied()
            .min_by_key(|&v| (splitmix(h ^ v as u64), v))
            .expect("a tree has nodes");
        let region = region_edges(g, &weights, centre, REGION_NODES, &mut dist);
        for &e in &region {
            let (a, b, _) = g.edge(e);
            held[a as usize] = true;
            held[b as usize] = true;
        }
        held[centre as usize] = true;
        let union = TreeUnion::new(g, [best.as_slice(), region.as_slice()]);
        let start = union.local(&best);
        let work = REGION_EDGE_NODES_PER_EFFORT;
        if let Some(t) = union_search(
            &union.graph,
            terms,
            root,
            opts,
            deadline,
            work,
            Some(&start),
        ) {
            let mut t = mst_and_prune(g, &union.lift(&t), &[], &is_term);
            let c = tree_cost(g, &t);
            if c < best_cost {
                t.sort_unstable();
                best_cost = c;
                best = t;
                wins += 1;
            }
        }
    }
    opts.trace.emit(|| {
        format!("region search: {regions} regions, {wins} better, {before} -> {best_cost}")
    });
    (best, best_cost)
}

/// The edges among the `k` nodes nearest to `centre` by `weights` (Dijkstra stopped at
/// `k` settled nodes), sorted. `dist` is all `Cost::MAX` on entry and on return.
fn region_edges(
    g: &Graph,
    weights: &[Cost],
    centre: NodeId,
    k: usize,
    dist: &mut [Cost],
) -> Vec<EdgeId> {
    use std::cmp::Reverse;
    let mut heap = std::collections::BinaryHeap::new();
    let mut touched = vec![centre];
    let mut settled: Vec<NodeId> = Vec::with_capacity(k);
    dist[centre as usize] = 0;
    heap.push(Reverse((0, centre)));
    // Settled nodes are marked by a distance of -1 (weights are non-negative).
    while let Some(Reverse((d, v))) = heap.pop() {
        if d != dist[v as usize] {
            continue;
        }
        dist[v as usize] = -1;
        settled.push(v);
        if settled.len() >= k {
            break;
        }
        for (u, e) in g.neighbors(v) {
            let nd = d + weights[e as usize];
            if dist[u as usize] != -1 && nd < dist[u as usize] {
                if dist[u as usize] == Cost::MAX {
                    touched.push(u);
                }
                dist[u as usize] = nd;
                heap.push(Reverse((nd, u)));
            }
        }
    }
    let mut out: Vec<EdgeId> = Vec::new();
    for &v in &settled {
        for (u, e) in g.neighbors(v) {
            if dist[u as usize] == -1 && v < u {
                out.push(e);
            }
        }
    }
    for v in touched {
        dist[v as usize] = Cost::MAX;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether a graph of `m` edges is mid-size: too large for every construction
/// (above [`LARGE_EDGES_PER_EFFORT`] per unit of effort) but at most
/// [`MID_EDGES_PER_EFFORT`]; such graphs get perturbed constructions with the full local
/// search and recombination rounds, all budgeted by work.
fn mid_band(m: usize, opts: &Options) -> bool {
    let effort = opts.effort as usize;
    m > effort * LARGE_EDGES_PER_EFFORT && m <= effort * MID_EDGES_PER_EFFORT
}

/// Mid-size graphs: at most this many edges per unit of effort.
const MID_EDGES_PER_EFFORT: usize = 25_000;
/// Mid-size graphs: edge scans of perturbed constructions per unit of effort.
const MID_RUN_WORK_PER_EFFORT: usize = 150_000;
/// Mid-size graphs: perturbed constructions per unit of effort, at most.
const MID_MAX_RUNS_PER_EFFORT: usize = 4;
/// Mid-size graphs: recombination rounds per unit of effort, at most.
const MID_REC_ROUNDS_PER_EFFORT: usize = 1;
/// Mid-size graphs: branch-and-bound node-edges per unit of effort of one recombination
/// by search (about 23 nodes at effort 4 on a reduced union of 1,750 edges; the better
/// trees come at the first nodes).
const UNION_EDGE_NODES_PER_EFFORT: usize = 10_000;
/// Mid-size graphs: nodes of one region of [`region_search`].
const REGION_NODES: usize = 300;
/// Mid-size graphs: branch-and-bound node-edges per unit of effort of one region.
const REGION_EDGE_NODES_PER_EFFORT: usize = 8_000;
/// Mid-size graphs: trees joined by one recombination.
const MID_REC_POOL: usize = 6;
/// Mid-size graphs: seeded starts (besides the root) of each recombination round.
const MID_REC_STARTS: usize = 3;

/// Branch-and-bound nodes per unit of effort in proof mode, at most.
const PROVE_NODES_PER_EFFORT: usize = 2_500;
/// Branch-and-bound nodes times reduced edges per unit of effort (memory and work on large
/// graphs: 500 nodes per unit of effort at 40,000 edges).
const PROVE_EDGE_NODES_PER_EFFORT: usize = 20_000_000;
/// Default mode: branch-and-bound node-edges per unit of effort (about 500 nodes per unit
/// on 1,300 reduced edges: SteinLib c18, 1,265 edges, is proven in 1,857 nodes).
const SEARCH_EDGE_NODES_PER_EFFORT: usize = 650_000;
/// Default mode: no branch-and-bound above this many reduced edges per unit of effort.
const SEARCH_MAX_EDGES_PER_EFFORT: usize = 1_000;
/// Above this many edges per unit of effort only one construction runs.
const LARGE_EDGES_PER_EFFORT: usize = 15_000;
/// Edge scans of constructions per unit of effort.
const RUN_WORK_PER_EFFORT: usize = 20_000;
/// Edge scans of one vertex-insertion call per unit of effort.
const VI_WORK_PER_EFFORT: u64 = 500_000;
/// Scanned arcs of dual ascent per edge and unit of effort: the bound's work grows with
/// the graph like the heuristics' beside it, so it rarely outlasts them.
const DA_ARCS_PER_EDGE_PER_EFFORT: u64 = 40;
/// Extra starts (besides the root) of the shortest-path heuristic over reduced costs.
const DA_GUIDED_STARTS: usize = 3;
/// Key-vertex elimination passes per improvement and unit of effort.
const KVE_PASSES_PER_EFFORT: i64 = 2;
/// Graphs up to this many edges per unit of effort get the full local search on every
/// construction.
const FULL_LS_EDGES_PER_EFFORT: usize = 5_000;
/// Work budget of the exact programme per unit of effort (node-steps).
const DW_WORK_PER_EFFORT: u128 = 150_000_000;
/// Memory cap of the exact programme (labels of 12 bytes).
const DW_MAX_LABELS: u128 = 40_000_000;

#[derive(Clone, Copy, Debug)]
enum RunKind {
    Mehlhorn,
    MehlhornPerturbed { perturb: u64 },
    Sph { start: NodeId, perturb: u64 },
}

#[derive(Clone, Copy, Debug)]
struct Run {
    index: usize,
    kind: RunKind,
}

/// The construction schedule: Mehlhorn, SPH from the root (or first terminal), SPH from
/// seeded starts, and SPH with seeded perturbed weights. Fixed by seed and effort.
fn construction_runs(terms: &[NodeId], root: Option<NodeId>, m: usize, opts: &Options) -> Vec<Run> {
    let first = root.unwrap_or(terms[0]);
    let effort = opts.effort as usize;
    let mut kinds = vec![RunKind::Mehlhorn];
    // Work-based: very large graphs get Mehlhorn alone (local search does the rest), small
    // graphs more runs, up to 16 per unit of effort.
    if m > effort * LARGE_EDGES_PER_EFFORT {
        // Mid-size graphs: Mehlhorn on seeded perturbed weights too, as many as the
        // work budget allows (each run gets the full local search).
        let extra = if mid_band(m, opts) {
            (effort * MID_RUN_WORK_PER_EFFORT / m).min(MID_MAX_RUNS_PER_EFFORT * effort)
        } else {
            0
        };
        kinds.extend((0..extra).map(|i| RunKind::MehlhornPerturbed {
            perturb: splitmix(opts.seed ^ 0x3E ^ (i as u64).wrapping_mul(0x51_7CC1_B727_220A)) | 1,
        }));
        return kinds
            .into_iter()
            .enumerate()
            .map(|(index, kind)| Run { index, kind })
            .collect();
    }
    kinds.push(RunKind::Sph {
        start: first,
        perturb: 0,
    });
    let extra = (effort * RUN_WORK_PER_EFFORT / m.max(1)).min(16 * effort);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A `side` x `side` grid with seeded weights 1-100.
    fn grid(side: u32, seed: u64) -> Graph {
        let mut edges = Vec::new();
        let id = |x: u32, y: u32| y * side + x;
        for y in 0..side {
            for x in 0..side {
                for (nx, ny) in [(x + 1, y), (x, y + 1)] {
                    if nx < side && ny < side {
                        let h = splitmix(seed ^ (edges.len() as u64));
                        edges.push((id(x, y), id(nx, ny), 1 + (h % 100) as Cost));
                    }
                }
            }
        }
        Graph::from_edges((side * side) as usize, &edges)
    }

    #[test]
    fn region_edges_are_those_among_the_nearest_nodes() {
        // A path 0-1-2-3-4 with weights 1, 2, 3, 4: the 3 nodes nearest 1 are 0, 1, 2.
        let g = Graph::from_edges(5, &[(0, 1, 1), (1, 2, 2), (2, 3, 3), (3, 4, 4)]);
        let w: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
        let mut dist = vec![Cost::MAX; 5];
        assert_eq!(region_edges(&g, &w, 1, 3, &mut dist), vec![0, 1]);
        assert!(dist.iter().all(|&d| d == Cost::MAX));
        assert_eq!(region_edges(&g, &w, 4, 2, &mut dist), vec![3]);
        assert_eq!(region_edges(&g, &w, 2, 5, &mut dist), vec![0, 1, 2, 3]);
        assert!(dist.iter().all(|&d| d == Cost::MAX));
    }

    #[test]
    fn region_search_keeps_a_spanning_tree_and_never_worsens_it() {
        let g = grid(40, 7);
        let terms: Vec<NodeId> = (0..g.num_nodes() as NodeId)
            .filter(|&v| splitmix(v as u64 ^ 0x51).is_multiple_of(12))
            .collect();
        let mut is_term = vec![false; g.num_nodes()];
        for &t in &terms {
            is_term[t as usize] = true;
        }
        let w: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
        let mut start = mst_and_prune(&g, &mehlhorn(&g, &w, &terms), &[], &is_term);
        start.sort_unstable();
        let cost = tree_cost(&g, &start);
        let opts = Options {
            effort: 1,
            ..Options::default()
        };
        let deadline = Deadline::new(None);
        let (t, c) = with_threads(Some(2), || {
            region_search(&g, &terms, None, &opts, &deadline, start.clone(), cost)
        });
        assert!(is_tree_spanning(&g, &t, &terms));
        assert_eq!(tree_cost(&g, &t), c);
        assert!(c <= cost);
        // Deterministic, and the same at another thread count.
        let again = with_threads(Some(1), || {
            region_search(&g, &terms, None, &opts, &deadline, start.clone(), cost)
        });
        assert_eq!(again, (t, c));
    }
}
