//! Branch-and-bound for the quota problem ([`prove_quota`]): the least edge cost of a tree
//! holding the root and at least a given prize, proven, or a certified bound better than
//! the Lagrangian one of [`crate::quota_bound`] alone.
//!
//! A node of the search is the graph with some vertices deleted (`out`) or required
//! (`fixed_in`) and some edges removed. Its bound is the Lagrangian relaxation of the
//! quota at a multiplier `l` (the root's search starts it): the dual ascent on the
//! prize-collecting arborescence form with prizes `floor(l p)`, required vertices as
//! terminals, deleted prize vertices paying their prize as a constant, minus
//! `ceil(l (P - H))`. Every tree of the node holding the quota costs at least that (see
//! [`crate::quota_bound`]); a child's bound is at least its parent's.
//!
//! Reduced-cost fixing against the incumbent (cost `UB`): with `LB` the node's own bound,
//! `d_r(v)` the reduced-cost distance from the root to `v` and `d_t(v)` the one from `v`
//! to the nearest terminal (a prize vertex's copy, or a required vertex), every tree of
//! the node through `v` costs at least `LB + d_r(v) + d_t(v)` (the arborescence's path to
//! `v` and the one below it share no arc, and reduced costs are non-negative); an arc
//! `a -> b` likewise at least `LB + d_r(a) + c'(a, b) + d_t(b)`. What cannot beat `UB`
//! goes, in the node and its children. A prize vertex whose arc from the root kept a
//! reduced cost of at least `UB - LB` is in every cheaper tree: it is required.
//!
//! Each node gives a tree (an incumbent provider): the shortest-path heuristic over the
//! reduced costs to the prize vertices the ascent joins through the graph, grown to the
//! quota by best prize per cost, then the caller's improvement (trim to the quota, polish).
//! It branches on a live vertex the ascent leans on most (reduced-cost distance zero
//! first): one child deletes it (its bound at least `LB` plus the reduced cost of the
//! vertex's arc from the root), the other requires it (at least `LB` plus the way to it).
//! Each node tries its parent's multiplier and one 1/32 step towards the quota (up when
//! the ascent joins less prize than the quota, down otherwise) and keeps the better; its
//! children start from that one.
//!
//! The search runs in rounds against a target: it looks for trees cheaper than
//! `min(UB, target)`, the target starting 1/64 of the gap above the known bound. A low
//! target fixes most of the graph away, so the nodes' trees come from a small graph
//! around the relaxation's (on the national quota plan the root's child finds a tree
//! within 0.06 % of the optimum). A round that ends without a tree below its target
//! proves there is none: the bound rises to the target, which moves twice as far for the
//! next round, from the root again.
//!
//! Nodes are taken by best bound (ties: the newest first), a fixed number at a time,
//! evaluated in parallel against the incumbent at the start of the batch and merged in
//! order: the same search at any thread count. The stopping rule is a node budget (work);
//! the deadline is only a safety cap. The bound at the end is the least bound of the open
//! nodes, or the incumbent's cost when none is left (proven).
//!
//! References: M. Leitner, I. Ljubić, M. Luipersbeck, M. Sinnl, "A dual ascent-based
//! branch-and-bound framework for the prize-collecting Steiner tree and related
//! problems", INFORMS J. Computing 30 (2018); T. Polzin, S. Vahdati Daneshmand, "Improved
//! algorithms for the Steiner problem in networks", Discrete Applied Mathematics 112
//! (2001) (reduced-cost tests).

use crate::best_first::BestFirst;
use crate::dual_ascent::{ascend, reduced_distances, ArcGraph, Ascent};
use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::prize_growth::{grow_from, GrowthRule};
use crate::problem::{Deadline, Trace};
use crate::quota_bound::Multiplier;
use crate::sph::sph;
use crate::tree::{mst_on_nodes, tree_cost, tree_nodes};
use rayon::prelude::*;
use std::cmp::Reverse;

/// The answer of [`prove_quota`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QuotaProof {
    /// The best tree found (sorted edge ids).
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

/// The problem the search works on.
pub(crate) struct QuotaSearch<'a> {
    /// The graph.
    pub g: &'a Graph,
    /// One prize per node.
    pub prizes: &'a [Cost],
    /// The root every tree holds.
    pub root: NodeId,
    /// The least prize a tree holds (at most the prize the root reaches).
    pub quota: Cost,
    /// The Lagrangian multiplier of every node's bound.
    pub multiplier: Multiplier,
    /// A certified bound already known (the root's Lagrangian bound), or 0.
    pub known_bound: Cost,
    /// Improves a tree holding the quota into one holding it at no more cost (trim,
    /// polish); the identity will do.
    pub improve: &'a (dyn Fn(Vec<EdgeId>) -> Vec<EdgeId> + Sync),
}

/// Nodes evaluated together (in parallel); fixed, so the search does not depend on the
/// number of threads.
const BATCH: usize = 4;
/// The first search target lies this fraction of the gap above the known bound.
const TARGET_PARTS: Cost = 64;
/// Search nodes between two progress messages.
const TRACE_EVERY: usize = 500;
/// Scanned arcs of one node's ascent per arc: enough for the ascent to finish.
const ASCENT_WORK_PER_ARC: u64 = 400;

/// Proves a quota tree optimal, or improves it and its bound, by branch-and-bound.
///
/// # Arguments
/// - `p`: the graph, prizes, root, quota, multiplier and improvement;
/// - `incumbent`: a tree holding the root and the quota (sorted edge ids);
/// - `node_budget`: the most search nodes to evaluate (the work-based stopping rule);
/// - `deadline`, `trace`: the safety cap, and where each better incumbent is told.
///
/// # Returns
/// A [`QuotaProof`]: the best tree, its cost, the bound (the least bound of the open
/// nodes at the budget, the cost itself when the search finished) and whether it is
/// proven.
///
/// # Complexity
/// At most `node_budget` nodes, each one ascent over the node's arcs (O(a log a)), two
/// Dijkstra searches, the heuristic tree and the caller's improvement.
pub(crate) fn prove_quota(
    p: &QuotaSearch,
    incumbent: &[EdgeId],
    node_budget: usize,
    deadline: &Deadline,
    trace: &Trace,
) -> QuotaProof {
    let mut best = incumbent.to_vec();
    best.sort_unstable();
    let mut ub = tree_cost(p.g, &best);
    let mut open = BestFirst::new();
    let root = |bound: Cost| SearchNode {
        bound,
        multiplier: p.multiplier,
        out: Vec::new(),
        removed: Vec::new(),
        fixed_in: Vec::new(),
    };
    // Each round looks for trees cheaper than `cap = min(ub, target)`. The target starts a
    // little above the known bound; a round that ends without a tree below it proves that
    // none is (the bound rises to the target), and the next round starts again from the
    // root with the target twice as far. A low target fixes most of the graph away, so the
    // nodes' trees come from a small graph around the relaxation's.
    let mut floor = p.known_bound.min(ub);
    let mut step = ((ub - floor) / TARGET_PARTS).max(1);
    let mut target = floor.saturating_add(step);
    open.push(floor, root(floor));
    let mut evaluated = 0usize;
    let mut finished = false;
    loop {
        let cap = ub.min(target);
        let Some(bound) = open.least() else {
            if cap >= ub {
                finished = true;
                break;
            }
            floor = target;
            step = step.saturating_mul(2);
            target = floor.saturating_add(step);
            trace.emit(|| {
                format!("quota branch-and-bound: no tree below {floor} (node {evaluated})")
            });
            open.clear();
            open.push(floor, root(floor));
            continue;
        };
        if bound >= cap {
            open.clear();
            continue;
        }
        if evaluated >= node_budget || deadline.expired() {
            break;
        }
        let batch = open.take_batch(BATCH.min(node_budget - evaluated), cap);
        if evaluated / TRACE_EVERY != (evaluated + batch.len()) / TRACE_EVERY {
            trace.emit(|| {
                let low = open.least().unwrap_or(cap).min(bound);
                format!(
                    "quota branch-and-bound: node {evaluated}, {} open, bound {low}, target {cap}, value {ub}",
                    open.len() + batch.len()
                )
            });
        }
        evaluated += batch.len();
        let results: Vec<Outcome> = batch.par_iter().map(|n| evaluate(p, n, cap)).collect();
        for r in results {
            if let Some((t, c)) = r.tree {
                if c < ub {
                    trace.emit(|| {
                        format!("quota branch-and-bound: incumbent {c} at node {evaluated}")
                    });
                    ub = c;
                    best = t;
                }
            }
            for child in r.children {
                if child.bound < ub.min(target) {
                    open.push(child.bound, child);
                }
            }
        }
    }
    // Open nodes hold every tree cheaper than the cap; nothing below the floor exists.
    let lower_bound = if finished {
        ub
    } else {
        let cap = ub.min(target);
        open.least().map_or(cap, |b| b.min(cap)).max(floor).min(ub)
    };
    trace.emit(|| {
        format!(
            "quota branch-and-bound: {evaluated} nodes, {} open, bound {lower_bound}, value {ub}",
            open.len()
        )
    });
    QuotaProof {
        tree: best,
        cost: ub,
        lower_bound,
        optimal: lower_bound == ub,
        nodes: evaluated,
    }
}

/// One subproblem: the graph without the `out` vertices and the `removed` edges, every
/// tree holding the `fixed_in` vertices (all sorted); `bound` is its parent's bound.
#[derive(Clone, Debug)]
struct SearchNode {
    bound: Cost,
    /// The multiplier of the parent's bound, this node's first try.
    multiplier: Multiplier,
    out: Vec<NodeId>,
    removed: Vec<EdgeId>,
    fixed_in: Vec<NodeId>,
}

/// What evaluating a node gives: perhaps a tree, and the children still worth a look.
struct Outcome {
    tree: Option<(Vec<EdgeId>, Cost)>,
    children: Vec<SearchNode>,
}

/// The node's graph, bound and reduced costs.
struct Relaxed {
    /// Edges of the node's graph (ids of `g`), in the order of the sub-graph's edges.
    kept: Vec<EdgeId>,
    sub: Graph,
    /// Reached from the root in `sub`.
    reached: Vec<bool>,
    /// The node's own bound (not its parent's); may be negative.
    own: i128,
    asc: Ascent,
    /// For each node with a copy, the index of its arc to the copy (the arc from the root
    /// follows it).
    copy_arc: Vec<Option<usize>>,
    is_fixed: Vec<bool>,
    /// Prize of the root, the required vertices and the prize vertices the ascent joins
    /// through the graph.
    joined: Cost,
}

/// The node's relaxation at its parent's multiplier and at one step from it towards the
/// quota (up when the ascent joins less prize than the quota through the graph, down
/// otherwise): the better of the two, and its multiplier.
fn relax(p: &QuotaSearch, node: &SearchNode) -> Option<(Relaxed, Multiplier)> {
    let l = node.multiplier;
    let first = relax_at(p, node, l)?;
    let step = Multiplier {
        num: if first.joined < p.quota {
            l.num + (l.num / MULTIPLIER_STEP).max(1)
        } else {
            (l.num - l.num / MULTIPLIER_STEP).max(1)
        },
        den: l.den,
    };
    let second = relax_at(p, node, step)?;
    Some(if second.own > first.own {
        (second, step)
    } else {
        (first, l)
    })
}

/// A node's multiplier moves by `1 / MULTIPLIER_STEP` of itself.
const MULTIPLIER_STEP: i128 = 32;

fn relax_at(p: &QuotaSearch, node: &SearchNode, l: Multiplier) -> Option<Relaxed> {
    let (g, n, root) = (p.g, p.g.num_nodes(), p.root);
    let mut alive = vec![true; n];
    for &v in &node.out {
        alive[v as usize] = false;
    }
    let mut gone = vec![false; g.num_edges()];
    for &e in &node.removed {
        gone[e as usize] = true;
    }
    let kept: Vec<EdgeId> = (0..g.num_edges() as EdgeId)
        .filter(|&e| {
            let (a, b, _) = g.edge(e);
            !gone[e as usize] && alive[a as usize] && alive[b as usize]
        })
        .collect();
    let sub = Graph::from_edges(n, &kept.iter().map(|&e| g.edge(e)).collect::<Vec<_>>());
    let mut reached = vec![false; n];
    let mut stack = vec![root];
    reached[root as usize] = true;
    while let Some(v) = stack.pop() {
        for (u, _) in sub.neighbors(v) {
            if !std::mem::replace(&mut reached[u as usize], true) {
                stack.push(u);
            }
        }
    }
    if node.fixed_in.iter().any(|&v| !reached[v as usize]) {
        return None;
    }
    let reach_prize: Cost = (0..n).filter(|&v| reached[v]).map(|v| p.prizes[v]).sum();
    if reach_prize < p.quota {
        return None;
    }
    let mut is_fixed = vec![false; n];
    for &v in &node.fixed_in {
        is_fixed[v as usize] = true;
    }
    let mut arcs: Vec<(NodeId, NodeId, Cost)> = Vec::with_capacity(2 * kept.len() + 2 * n);
    for &(a, b, w) in sub.edges() {
        arcs.push((a, b, w));
        arcs.push((b, a, w));
    }
    let mut terms: Vec<NodeId> = Vec::new();
    let mut copy_arc = vec![None; n];
    let mut constant: i128 = 0;
    for v in 0..n {
        let pv = p.prizes[v];
        if pv <= 0 || v as NodeId == root || is_fixed[v] {
            continue;
        }
        if !reached[v] {
            constant += l.scale(pv) as i128;
            continue;
        }
        let t = (n + terms.len()) as NodeId;
        copy_arc[v] = Some(arcs.len());
        arcs.push((v as NodeId, t, 0));
        arcs.push((root, t, l.scale(pv)));
        terms.push(t);
    }
    terms.extend(node.fixed_in.iter().copied().filter(|&v| v != root));
    let ag = ArcGraph::from_arcs(n + terms.len(), &arcs);
    let asc = ascend(
        &ag,
        &terms,
        root,
        ASCENT_WORK_PER_ARC * arcs.len() as u64 + 1,
    );
    let total: Cost = p.prizes.iter().sum();
    let own = asc.lower_bound as i128 + constant - l.pay((total - p.quota).max(0) as i128);
    let mut joined: Cost = p.prizes[root as usize];
    for v in 0..n {
        let held = (is_fixed[v] && v as NodeId != root)
            || copy_arc[v].is_some_and(|a| asc.reduced[a + 1] > 0);
        if held {
            joined += p.prizes[v];
        }
    }
    Some(Relaxed {
        joined,
        kept,
        sub,
        reached,
        own,
        asc,
        copy_arc,
        is_fixed,
    })
}

fn evaluate(p: &QuotaSearch, node: &SearchNode, ub: Cost) -> Outcome {
    let none = Outcome {
        tree: None,
        children: Vec::new(),
    };
    let Some((r, multiplier)) = relax(p, node) else {
        return none;
    };
    let (g, n, root) = (p.g, p.g.num_nodes(), p.root);
    let bound = (node.bound as i128).max(r.own);
    if bound >= ub as i128 {
        return none;
    }
    let bound = bound as Cost;
    let sub = &r.sub;
    let red = &r.asc.reduced;
    // The node's tree: to the prize vertices the ascent joins through the graph (their
    // arc from the root kept a positive reduced cost) and the required ones, over the
    // reduced costs, grown to the quota, improved.
    let mut wanted = r.is_fixed.clone();
    wanted[root as usize] = true;
    for (w, arc) in wanted.iter_mut().zip(&r.copy_arc) {
        if arc.is_some_and(|a| red[a + 1] > 0) {
            *w = true;
        }
    }
    let count = wanted.iter().filter(|&&w| w).count();
    let da_w: Vec<Cost> = (0..sub.num_edges())
        .map(|e| red[2 * e].min(red[2 * e + 1]))
        .collect();
    let raw = sph(sub, &da_w, &wanted, count, root).0;
    let mut t: Vec<EdgeId> = raw.iter().map(|&e| r.kept[e as usize]).collect();
    t.sort_unstable();
    let weights: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
    let prize_of = |t: &[EdgeId]| -> Cost {
        if t.is_empty() {
            p.prizes[root as usize]
        } else {
            tree_nodes(g, t).iter().map(|&v| p.prizes[v as usize]).sum()
        }
    };
    if prize_of(&t) < p.quota {
        let mut nodes = tree_nodes(g, &t);
        if nodes.is_empty() {
            nodes.push(root);
        }
        t = grow_from(
            g,
            &weights,
            p.prizes,
            &nodes,
            &t,
            GrowthRule::Quota(p.quota),
        )
        .edges;
    }
    let t = (p.improve)(t);
    let tree = (prize_of(&t) >= p.quota).then(|| {
        let c = tree_cost(g, &t);
        (t, c)
    });
    let ub = tree.as_ref().map_or(ub, |(_, c)| ub.min(*c));
    if bound >= ub {
        return Outcome {
            tree,
            children: Vec::new(),
        };
    }
    // Reduced-cost fixing against the incumbent.
    let slack = ub as i128 - r.own;
    let d_root = reduced_distances(sub, red, &[(root, 0)], false);
    let mut sinks: Vec<(NodeId, Cost)> = node.fixed_in.iter().map(|&v| (v, 0)).collect();
    for v in 0..n {
        if let Some(a) = r.copy_arc[v] {
            sinks.push((v as NodeId, red[a]));
        }
    }
    let d_term = reduced_distances(sub, red, &sinks, true);
    let beyond = |x: Cost, y: Cost, z: Cost| -> bool {
        x as i128 + y as i128 + z as i128 >= slack || x == Cost::MAX || z == Cost::MAX
    };
    let mut out = node.out.clone();
    let mut dead = vec![false; n];
    for v in 0..n {
        let free = v as NodeId != root && !r.is_fixed[v];
        if free && (!r.reached[v] || beyond(d_root[v], 0, d_term[v])) {
            dead[v] = true;
            if r.reached[v] || sub.degree(v as NodeId) > 0 {
                out.push(v as NodeId);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    // A prize vertex whose arc from the root kept a reduced cost of at least the slack is
    // in every cheaper tree of the node (one leaving it out pays that arc).
    let mut fixed = node.fixed_in.clone();
    for (v, arc) in r.copy_arc.iter().enumerate() {
        if arc.is_some_and(|a| red[a + 1] as i128 >= slack) {
            if dead[v] {
                // Required and impossible: no cheaper tree in this node.
                return Outcome {
                    tree,
                    children: Vec::new(),
                };
            }
            fixed.push(v as NodeId);
        }
    }
    fixed.sort_unstable();
    let mut is_fixed = r.is_fixed.clone();
    for &v in &fixed {
        is_fixed[v as usize] = true;
    }
    let mut removed = node.removed.clone();
    let mut degree = vec![0usize; n];
    for (e, &(a, b, _)) in sub.edges().iter().enumerate() {
        let (ai, bi) = (a as usize, b as usize);
        if dead[ai] || dead[bi] {
            continue;
        }
        let useless = beyond(d_root[ai], red[2 * e], d_term[bi])
            && beyond(d_root[bi], red[2 * e + 1], d_term[ai]);
        if useless {
            removed.push(r.kept[e]);
        } else {
            degree[ai] += 1;
            degree[bi] += 1;
        }
    }
    removed.sort_unstable();
    removed.dedup();
    let mut in_tree = vec![false; n];
    if let Some((t, _)) = &tree {
        for v in tree_nodes(g, t) {
            in_tree[v as usize] = true;
        }
    }
    let reach = |v: usize| d_root[v].saturating_add(d_term[v]);
    let pick = (0..n)
        .filter(|&v| v as NodeId != root && !is_fixed[v] && !dead[v] && degree[v] > 0)
        .min_by_key(|&v| (reach(v), Reverse(in_tree[v]), Reverse(degree[v]), v));
    let Some(v) = pick else {
        // Every live vertex is required: the best tree spans exactly them.
        let mut nodes: Vec<NodeId> = fixed.clone();
        nodes.push(root);
        nodes.sort_unstable();
        nodes.dedup();
        let mut in_set = vec![false; n];
        for &u in &nodes {
            in_set[u as usize] = true;
        }
        let live: Vec<(NodeId, NodeId, Cost)> = {
            let mut gone = vec![false; g.num_edges()];
            for &e in &removed {
                gone[e as usize] = true;
            }
            let mut is_out = vec![false; n];
            for &u in &out {
                is_out[u as usize] = true;
            }
            (0..g.num_edges() as EdgeId)
                .map(|e| g.edge(e))
                .enumerate()
                .map(|(e, (a, b, w))| {
                    if gone[e] || is_out[a as usize] || is_out[b as usize] {
                        (a, b, Cost::MAX / 4)
                    } else {
                        (a, b, w)
                    }
                })
                .collect()
        };
        let lg = Graph::from_edges(n, &live);
        let mst = mst_on_nodes(&lg, &nodes, &in_set);
        let ok = mst.len() + 1 == nodes.len()
            && mst.iter().all(|&e| lg.weight(e) < Cost::MAX / 4)
            && prize_of(&mst) >= p.quota;
        let tree = if ok {
            let c = tree_cost(g, &mst);
            match tree {
                Some((t0, c0)) if c0 <= c => Some((t0, c0)),
                _ => Some((mst, c)),
            }
        } else {
            tree
        };
        return Outcome {
            tree,
            children: Vec::new(),
        };
    };
    let mut without = out.clone();
    without.push(v as NodeId);
    without.sort_unstable();
    let mut with = fixed.clone();
    with.push(v as NodeId);
    with.sort_unstable();
    // What each child must pay at least in this node's reduced costs: leaving a prize
    // vertex out pays its arc from the root; taking it pays the way from the root and its
    // copy's cheaper arc (a vertex without a copy: the way from the root).
    let (pay_out, pay_in) = match r.copy_arc[v] {
        Some(a) => (red[a + 1], d_root[v].saturating_add(red[a].min(red[a + 1]))),
        None => (0, d_root[v]),
    };
    let child_bound = |pay: Cost| -> Cost {
        (r.own + pay as i128).clamp(bound as i128, Cost::MAX as i128) as Cost
    };
    Outcome {
        tree,
        children: vec![
            SearchNode {
                bound: child_bound(pay_out),
                multiplier,
                out: without,
                removed: removed.clone(),
                fixed_in: fixed,
            },
            SearchNode {
                bound: child_bound(pay_in),
                multiplier,
                out,
                removed,
                fixed_in: with,
            },
        ],
    }
}

#[cfg(all(test, feature = "oracle"))]
mod tests {
    use super::*;
    use crate::exact::{brute_force, Problem};
    use crate::problem::Instance;
    use crate::quota_bound::{best_multiplier, BoundWork};
    use crate::tree::{is_tree_spanning, mst_and_prune};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Cut short after a few nodes (mid-round, or between rounds), the search's bound
        /// is still below the optimum and its tree holds the root and the quota; a proof
        /// is the optimum. Starts from the pruned spanning tree of every edge (a poor one).
        #[test]
        fn any_budget_keeps_the_bound_certified(
            n in 4usize..10,
            seed in any::<u64>(),
            frac in 10i64..=100,
            budget in 1usize..12,
        ) {
            let mut x = seed | 1;
            let mut next = |m: u64| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % m
            };
            let mut edges: Vec<(NodeId, NodeId, Cost)> = (1..n as u64)
                .map(|v| (next(v) as NodeId, v as NodeId, 1 + next(20) as Cost))
                .collect();
            for _ in 0..n {
                let (a, b) = (next(n as u64) as NodeId, next(n as u64) as NodeId);
                if a != b {
                    edges.push((a, b, 1 + next(20) as Cost));
                }
            }
            let g = Graph::from_edges(n, &edges);
            let prizes: Vec<Cost> = (0..n).map(|_| next(30) as Cost).collect();
            let total: Cost = prizes.iter().sum();
            let quota = (total * frac / 100).max(prizes[0] + 1);
            prop_assume!(quota <= total);
            let inst = Instance { graph: g.clone(), terminals: vec![0], root: Some(0), prizes: prizes.clone() };
            let opt = brute_force(&inst, Problem::Quota(quota)).expect("connected");
            let mut keep: Vec<bool> = prizes.iter().map(|&p| p > 0).collect();
            keep[0] = true;
            let all: Vec<EdgeId> = (0..g.num_edges() as EdgeId).collect();
            let start = mst_and_prune(&g, &all, &[0], &keep);
            let known = (tree_cost(&g, &start).max(1), total);
            let work = BoundWork { ascent: u64::MAX, rounds: 3, finish: 0, refine: 0 };
            let Some((lb, multiplier)) = best_multiplier(&g, &prizes, 0, quota, known, work) else {
                return Ok(());
            };
            prop_assert!(lb <= opt);
            let identity = |t: Vec<EdgeId>| t;
            let search = QuotaSearch {
                g: &g,
                prizes: &prizes,
                root: 0,
                quota,
                multiplier,
                known_bound: lb,
                improve: &identity,
            };
            let proof = prove_quota(&search, &start, budget, &Deadline::new(None), &Trace::off());
            prop_assert!(proof.lower_bound <= opt, "bound {} above the optimum {opt}", proof.lower_bound);
            prop_assert!(proof.cost >= opt);
            prop_assert_eq!(proof.cost, tree_cost(&g, &proof.tree));
            prop_assert!(proof.tree.is_empty() || is_tree_spanning(&g, &proof.tree, &[0]));
            let held: Cost = if proof.tree.is_empty() {
                prizes[0]
            } else {
                tree_nodes(&g, &proof.tree).iter().map(|&v| prizes[v as usize]).sum()
            };
            prop_assert!(held >= quota);
            if proof.optimal {
                prop_assert_eq!(proof.cost, opt);
            }
        }
    }
}
