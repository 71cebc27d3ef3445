//! Branch-and-bound on the dual ascent: proof of optimality for Steiner trees
//! ([`prove_steiner`]).
//!
//! A node of the search is the input graph with some edges removed and some extra nodes
//! made terminals. Each node is reduced again ([`crate::reduce::reduce_steiner`]), bounded
//! by the dual ascent on the bidirected arc graph ([`crate::dual_ascent`]) and given a
//! tree by the shortest-path heuristic over the ascent's reduced costs, polished by
//! key-path exchange (an incumbent provider). Then reduced-cost fixing: with `LB` the
//! node's bound, `UB` the incumbent's cost, `d_r(v)` the reduced-cost distance from the
//! root to `v` and `d_t(v)` the one from `v` to the nearest terminal, every tree through a
//! non-terminal `v` costs at least `LB + d_r(v) + d_t(v)`, and every tree using the arc
//! `a -> b` at least `LB + d_r(a) + c'(a, b) + d_t(b)`; what cannot beat `UB` goes.
//! A node whose bound reaches `UB` is pruned; otherwise it branches on a non-terminal
//! vertex: one child removes it, the other makes it a terminal.
//!
//! Nodes are taken by best bound (ties: the newest first, a dive that brings incumbents early), a fixed number at a time,
//! evaluated in parallel against the incumbent at the start of the batch and merged in
//! order, so the search is the same at any thread count. The stopping rule is a node
//! budget (work, not time); the time limit is only a safety cap. At the end the bound is
//! the least bound of the open nodes (or the incumbent's cost when none is left: proven).
//!
//! Complexity: each node costs one reduction, one ascent and a few O(m log n) searches;
//! the number of nodes is at most the budget.
//!
//! References: T. Polzin, S. Vahdati Daneshmand, "Improved algorithms for the Steiner
//! problem in networks", Discrete Applied Mathematics 112 (2001) (reduced-cost tests);
//! D. Rehfeldt, T. Koch, "SCIP-Jack: a solver for STP and variants with parallelization
//! extensions", Math. Programming Computation 9 (2017) (vertex branching); M. Leitner,
//! I. Ljubić, M. Luipersbeck, M. Sinnl, "A dual ascent-based branch-and-bound framework
//! for the prize-collecting Steiner tree and related problems", INFORMS J. Computing 30
//! (2018).

use crate::best_first::BestFirst;
use crate::dual_ascent::{ascend, reduced_distances, ArcGraph, Ascent};
use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::key_path_exchange::key_path_exchange;
use crate::key_vertex_elimination::key_vertex_elimination;
use crate::problem::{Deadline, Trace};
use crate::reduce::reduce_steiner;
use crate::sph::sph;
use crate::tree::{is_tree_spanning, mst_and_prune, mst_on_nodes, tree_cost, TreeUnion};
use crate::vertex_insertion::vertex_insertion;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::time::Duration;

/// The answer of [`prove_steiner`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// The best tree found (sorted edge ids of the input graph).
    pub tree: Vec<EdgeId>,
    /// Its cost.
    pub cost: Cost,
    /// A lower bound on the optimum; equal to `cost` when proven.
    pub lower_bound: Cost,
    /// The search finished: `tree` is optimal.
    pub optimal: bool,
    /// Search nodes evaluated.
    pub nodes: usize,
}

/// Nodes evaluated together (in parallel); fixed, so the search does not depend on the
/// number of threads.
const BATCH: usize = 4;
/// Scanned arcs of one node's ascent per arc: enough for the ascent to finish.
const ASCENT_WORK_PER_ARC: u64 = 400;

/// Proves a Steiner tree optimal, or improves it, by branch-and-bound.
///
/// # Arguments
/// - `g`: the graph (typically already reduced);
/// - `terms`: the terminals, at least two, all in one component;
/// - `root`: a terminal every tree contains (`terms[0]` when `None`);
/// - `incumbent`: a tree spanning `terms` (sorted edge ids), the start of the search;
/// - `node_budget`: the most search nodes to evaluate (the work-based stopping rule);
/// - `time_limit`: the safety cap.
///
/// # Returns
/// A [`Proof`]: the best tree, its cost, the bound (the least bound of the open nodes at
/// the budget, the cost itself when the search finished) and whether it is proven.
///
/// # Complexity
/// At most `node_budget` nodes, each O(a log a) for the ascent over `a` arcs plus the
/// reduction and heuristic searches.
pub fn prove_steiner(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    incumbent: &[EdgeId],
    node_budget: usize,
    time_limit: Option<Duration>,
) -> Proof {
    let deadline = Deadline::new(time_limit);
    prove_with_deadline(
        g,
        terms,
        root,
        incumbent,
        node_budget,
        &deadline,
        &Trace::off(),
    )
}

/// [`prove_steiner`] under a deadline shared with the rest of the solve; each better
/// incumbent and the search node it came from go to `trace`.
pub(crate) fn prove_with_deadline(
    g: &Graph,
    terms: &[NodeId],
    root: Option<NodeId>,
    incumbent: &[EdgeId],
    node_budget: usize,
    deadline: &Deadline,
    trace: &Trace,
) -> Proof {
    let root = root.unwrap_or(terms[0]);
    let mut best = incumbent.to_vec();
    best.sort_unstable();
    let mut ub = tree_cost(g, &best);
    let mut base_terms = terms.to_vec();
    base_terms.push(root);
    base_terms.sort_unstable();
    base_terms.dedup();
    let mut base_is_term = vec![false; g.num_nodes()];
    for &t in &base_terms {
        base_is_term[t as usize] = true;
    }
    let mut open = BestFirst::new();
    open.push(
        0,
        SearchNode {
            bound: 0,
            removed: Vec::new(),
            extra_terms: Vec::new(),
        },
    );
    let mut evaluated = 0usize;
    let mut pool: Vec<(Cost, Vec<EdgeId>)> = vec![(ub, best.clone())];
    while let Some(bound) = open.least() {
        if bound >= ub {
            open.clear();
            break;
        }
        if evaluated >= node_budget || deadline.expired() {
            break;
        }
        let batch = open.take_batch(BATCH.min(node_budget - evaluated), ub);
        evaluated += batch.len();
        let ub0 = ub;
        let results: Vec<Outcome> = batch
            .par_iter()
            .map(|n| evaluate(g, &base_terms, &base_is_term, root, n, ub0))
            .collect();
        let mut pool_changed = false;
        for r in results {
            if let Some((t, c)) = r.tree {
                if c < ub {
                    trace.emit(|| format!("branch-and-bound: incumbent {c} at node {evaluated}"));
                    ub = c;
                    best = t.clone();
                }
                pool_changed |= pool_insert(&mut pool, t, c);
            }
            for child in r.children {
                if child.bound < ub {
                    open.push(child.bound, child);
                }
            }
        }
        // Recombination of the best distinct trees the search has met: the union of
        // their edges often holds a better tree than each (the nodes' trees differ by
        // the vertices each branch forced in or out).
        if pool_changed && pool.len() >= 2 {
            let (t, c) = recombine(g, &base_is_term, &base_terms, root, &pool);
            if c < ub {
                trace.emit(|| format!("branch-and-bound: recombined {c} at node {evaluated}"));
                ub = c;
                best = t.clone();
            }
            pool_insert(&mut pool, t, c);
        }
    }
    let lower_bound = open.least().map_or(ub, |b| b.min(ub));
    Proof {
        tree: best,
        cost: ub,
        lower_bound,
        optimal: lower_bound == ub,
        nodes: evaluated,
    }
}

/// One subproblem: the graph without `removed` edges (sorted), with `extra_terms` as
/// terminals too; `bound` is its parent's bound.
#[derive(Clone, Debug)]
struct SearchNode {
    bound: Cost,
    removed: Vec<EdgeId>,
    extra_terms: Vec<NodeId>,
}

/// What evaluating a node gives: perhaps a tree, and the children still worth a look.
struct Outcome {
    tree: Option<(Vec<EdgeId>, Cost)>,
    children: Vec<SearchNode>,
}

fn evaluate(
    g: &Graph,
    base_terms: &[NodeId],
    base_is_term: &[bool],
    root: NodeId,
    node: &SearchNode,
    ub: Cost,
) -> Outcome {
    let none = Outcome {
        tree: None,
        children: Vec::new(),
    };
    let n = g.num_nodes();
    // The subproblem's graph keeps every node (ids unchanged) and the edges not removed.
    let mut gone = vec![false; g.num_edges()];
    for &e in &node.removed {
        gone[e as usize] = true;
    }
    let kept: Vec<EdgeId> = (0..g.num_edges() as EdgeId)
        .filter(|&e| !gone[e as usize])
        .collect();
    let sub = Graph::from_edges(n, &kept.iter().map(|&e| g.edge(e)).collect::<Vec<_>>());
    let mut is_term = vec![false; n];
    for &t in base_terms.iter().chain(&node.extra_terms) {
        is_term[t as usize] = true;
    }
    let terms: Vec<NodeId> = (0..n as NodeId).filter(|&v| is_term[v as usize]).collect();
    if !reaches_all(&sub, root, &terms) {
        return none;
    }
    let red = reduce_steiner(&sub, &is_term, 16);
    let fixed = red.fixed_cost(&sub);
    let to_g = |sub_edges: Vec<EdgeId>| -> Vec<EdgeId> {
        let mut t: Vec<EdgeId> = sub_edges.iter().map(|&e| kept[e as usize]).collect();
        t.sort_unstable();
        t
    };
    let rterms = red.terminals(&terms);
    let rg = &red.graph;
    if rterms.len() <= 1 {
        // The reductions settled the subproblem.
        let t = to_g(red.expand(&[]));
        return Outcome {
            tree: Some((t, fixed)),
            children: Vec::new(),
        };
    }
    let rroot = red.map_node(root).expect("the root is a terminal");
    let ag = ArcGraph::bidirected(rg);
    let asc = ascend(
        &ag,
        &rterms,
        rroot,
        ASCENT_WORK_PER_ARC * 2 * rg.num_edges() as u64 + 1,
    );
    let lb = asc.lower_bound + fixed;
    if lb >= ub {
        return none;
    }
    let mut r_is_term = vec![false; rg.num_nodes()];
    for &t in &rterms {
        r_is_term[t as usize] = true;
    }
    // An incumbent from the reduced costs (saturated arcs cost nothing).
    let (rtree, rcost) = guided_tree(rg, &asc, &r_is_term, &rterms, rroot);
    // The node's tree, polished on the whole graph with the node's extra terminals free
    // again (a tree of the subproblem is one of the problem).
    let (t, cost) = polish(g, base_is_term, to_g(red.expand(&rtree)), rcost + fixed);
    let tree = Some((t, cost));
    let ub = ub.min(cost);
    if lb >= ub {
        return Outcome {
            tree,
            children: Vec::new(),
        };
    }
    // Reduced-cost fixing against the incumbent: edges (and the paths they stand for)
    // that no tree cheaper than `ub` uses.
    let slack = ub - lb;
    let d_root = reduced_distances(rg, &asc.reduced, &[(rroot, 0)], false);
    let sinks: Vec<(NodeId, Cost)> = rterms.iter().map(|&t| (t, 0)).collect();
    let d_term = reduced_distances(rg, &asc.reduced, &sinks, true);
    let reach = |v: NodeId| -> Cost {
        let (a, b) = (d_root[v as usize], d_term[v as usize]);
        a.saturating_add(b)
    };
    let mut removed = node.removed.clone();
    let mut dead_node = vec![false; rg.num_nodes()];
    for v in 0..rg.num_nodes() as NodeId {
        if !r_is_term[v as usize] && reach(v) >= slack {
            dead_node[v as usize] = true;
        }
    }
    let mut degree = vec![0usize; rg.num_nodes()];
    for (e, &(a, b, _)) in rg.edges().iter().enumerate() {
        let via = |x: NodeId, arc: usize, y: NodeId| -> Cost {
            d_root[x as usize]
                .saturating_add(asc.reduced[arc])
                .saturating_add(d_term[y as usize])
        };
        let useless = dead_node[a as usize]
            || dead_node[b as usize]
            || (via(a, 2 * e, b) >= slack && via(b, 2 * e + 1, a) >= slack);
        if useless {
            removed.extend(red.path(e as EdgeId).iter().map(|&s| kept[s as usize]));
        } else {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
    }
    removed.sort_unstable();
    removed.dedup();
    // Branch on the live non-terminal the ascent leans on most: reduced-cost distance
    // zero first, then the most edges in the node's incumbent tree, then the most live
    // edges, then the smallest id.
    let mut in_tree = vec![0usize; rg.num_nodes()];
    for &e in &rtree {
        let (a, b, _) = rg.edge(e);
        in_tree[a as usize] += 1;
        in_tree[b as usize] += 1;
    }
    let pick = (0..rg.num_nodes() as NodeId)
        .filter(|&v| !r_is_term[v as usize] && degree[v as usize] > 0)
        .min_by_key(|&v| {
            (
                reach(v),
                Reverse(in_tree[v as usize]),
                Reverse(degree[v as usize]),
                v,
            )
        });
    let Some(v) = pick else {
        // No non-terminal can be in a cheaper tree: the best such tree is a spanning
        // tree of the terminals alone.
        let t = mst_on_nodes(rg, &rterms, &r_is_term);
        let tree = is_tree_spanning(rg, &t, &rterms)
            .then(|| (to_g(red.expand(&t)), tree_cost(rg, &t) + fixed))
            .filter(|(_, c)| *c < cost)
            .or(tree);
        return Outcome {
            tree,
            children: Vec::new(),
        };
    };
    let gv = red.old_of_new[v as usize];
    let mut without = removed.clone();
    without.extend(g.neighbors(gv).map(|(_, e)| e));
    without.sort_unstable();
    without.dedup();
    let mut with = node.extra_terms.clone();
    with.push(gv);
    Outcome {
        tree,
        children: vec![
            SearchNode {
                bound: lb,
                removed: without,
                extra_terms: node.extra_terms.clone(),
            },
            SearchNode {
                bound: lb,
                removed,
                extra_terms: with,
            },
        ],
    }
}

/// Distinct trees kept for [`recombine`].
const POOL: usize = 6;

/// Inserts the tree `t` (sorted) of cost `c` into `pool` (sorted by cost, ties by arrival,
/// at most [`POOL`] distinct trees); whether it went in.
fn pool_insert(pool: &mut Vec<(Cost, Vec<EdgeId>)>, t: Vec<EdgeId>, c: Cost) -> bool {
    if pool.iter().any(|(_, p)| *p == t) || (pool.len() >= POOL && c >= pool[POOL - 1].0) {
        return false;
    }
    let at = pool.partition_point(|(pc, _)| *pc <= c);
    pool.insert(at, (c, t));
    pool.truncate(POOL);
    true
}

/// The shortest-path heuristic from the root and from a few evenly spaced terminals on
/// the union of the pool's trees, polished on the whole graph: the best
/// tree found and its cost.
fn recombine(
    g: &Graph,
    is_term: &[bool],
    terms: &[NodeId],
    root: NodeId,
    pool: &[(Cost, Vec<EdgeId>)],
) -> (Vec<EdgeId>, Cost) {
    let union = TreeUnion::new(g, pool.iter().map(|p| p.1.as_slice()));
    let mut best: Option<(Vec<EdgeId>, Cost)> = None;
    let step = (terms.len() / RECOMBINE_STARTS).max(1);
    let starts =
        std::iter::once(root).chain(terms.iter().step_by(step).copied().take(RECOMBINE_STARTS));
    for start in starts {
        let (t, _) = sph(&union.graph, &union.weights, is_term, terms.len(), start);
        let t = mst_and_prune(g, &union.lift(&t), &[], is_term);
        let c = tree_cost(g, &t);
        if best.as_ref().is_none_or(|b| c < b.1) {
            best = Some((t, c));
        }
    }
    let (t, c) = best.expect("the pool's trees span the terminals");
    polish(g, is_term, t, c)
}

/// Starts of the shortest-path heuristic in [`recombine`] besides the root.
const RECOMBINE_STARTS: usize = 3;

/// Key-path exchange, key-vertex elimination and vertex insertion in turn on `tree` (of
/// cost `cost`, spanning the terminals of `is_term` in `g`) until none improves or
/// [`POLISH_ROUNDS`] rounds; the better tree and its cost.
fn polish(g: &Graph, is_term: &[bool], tree: Vec<EdgeId>, cost: Cost) -> (Vec<EdgeId>, Cost) {
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    // Leaves that were terminals only for the subproblem go first.
    let pruned = mst_and_prune(g, &tree, &[], is_term);
    let pruned_cost = tree_cost(g, &pruned);
    let (mut best, mut best_cost) = if pruned_cost <= cost {
        (pruned, pruned_cost)
    } else {
        (tree, cost)
    };
    for _ in 0..POLISH_ROUNDS {
        let t = key_path_exchange(g, &weights, &best, is_term, 8).0;
        let mut c = tree_cost(g, &t);
        let mut t = t;
        if let Some((t2, c2)) = key_vertex_elimination(g, &weights, &t, is_term) {
            if c2 < c {
                (t, c) = (t2, c2);
            }
        }
        let (t2, c2) = vertex_insertion(
            g,
            &mst_and_prune(g, &t, &[], is_term),
            is_term,
            POLISH_VI_WORK,
        );
        if c2 < c {
            (t, c) = (t2, c2);
        }
        if c >= best_cost {
            break;
        }
        (best, best_cost) = (t, c);
    }
    best.sort_unstable();
    (best, best_cost)
}

/// Rounds of [`polish`] at most.
const POLISH_ROUNDS: usize = 4;
/// Scanned edges of one vertex-insertion call in [`polish`].
const POLISH_VI_WORK: u64 = 200_000;

/// The shortest-path heuristic over the ascent's reduced costs from the root, pruned and
/// polished by key-path exchange on the true weights.
fn guided_tree(
    g: &Graph,
    asc: &Ascent,
    is_term: &[bool],
    terms: &[NodeId],
    root: NodeId,
) -> (Vec<EdgeId>, Cost) {
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let da_w: Vec<Cost> = (0..g.num_edges())
        .map(|e| asc.reduced[2 * e].min(asc.reduced[2 * e + 1]))
        .collect();
    let mut best: Option<(Vec<EdgeId>, Cost)> = None;
    for w in [&da_w, &weights] {
        let raw = sph(g, w, is_term, terms.len(), root).0;
        let t = mst_and_prune(g, &raw, &[], is_term);
        let t = key_path_exchange(g, &weights, &t, is_term, 8).0;
        if !is_tree_spanning(g, &t, terms) {
            continue;
        }
        let c = tree_cost(g, &t);
        if best.as_ref().is_none_or(|b| c < b.1) {
            best = Some((t, c));
        }
    }
    best.expect("the terminals are connected")
}

/// Whether every node of `terms` is reachable from `root`.
fn reaches_all(g: &Graph, root: NodeId, terms: &[NodeId]) -> bool {
    let mut seen = vec![false; g.num_nodes()];
    let mut stack = vec![root];
    seen[root as usize] = true;
    while let Some(v) = stack.pop() {
        for (u, _) in g.neighbors(v) {
            if !std::mem::replace(&mut seen[u as usize], true) {
                stack.push(u);
            }
        }
    }
    terms.iter().all(|&t| seen[t as usize])
}
