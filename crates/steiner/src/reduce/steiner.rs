//! [`reduce_steiner`]: the Steiner-only reduction rounds (terminal leaves, special
//! distance, nearest vertex, least cost with terminals to rest at).

use super::{degree_step, degree_tests, reduce, Reduction, Work};
use crate::graph::{Graph, NodeId};
use crate::problem::Trace;
use crate::special_distance::{nv_test, sd_search, sd_test, TerminalRegions};

/// Most rounds of [`reduce_steiner`]; later rounds rarely find much.
const MAX_ROUNDS: usize = 12;

/// Reduces a Steiner tree instance (`terminals_mask` marks the terminals; no prizes): the
/// degree tests of [`reduce`] first, then rounds of the Steiner-only tests on the compacted
/// result, each followed by the degree tests again:
/// - degree 1 at a terminal: its only edge is in every tree; contracted;
/// - special distance (SD) and nearest vertex (NV), from terminal Voronoi regions (see
///   [`crate::special_distance`]): SD deletes edges, NV contracts a terminal's cheapest
///   edge (the merged node is a terminal);
/// - the least-cost search with `least_cost_limit` nodes, where a path may rest at
///   terminals (a bounded SD test; after the first round only at edges next to changes);
/// - with one terminal left, every edge goes.
///
/// Rounds stop at a fixpoint, when a round changes at most 0.4 % of the edges, or after
/// twelve rounds. Nodes are numbered in the input's order for [`reduce`]; here in
/// breadth-first order (deterministic, cache-friendly: input ids are often scattered).
///
/// Contracted input edges are in [`Reduction::fixed`]; [`Reduction::expand`] adds them, so
/// an optimal tree of the reduced graph over [`Reduction::terminals`] expands to an optimal
/// tree of the input of the same cost (plus [`Reduction::fixed_cost`]). Not for prize
/// problems: the tests assume every marked node must be spanned. When the terminals are
/// not all connected (or there are none), this is [`reduce`] with `terminals_mask` kept.
///
/// # Complexity
/// O(m log n) per round plus the least-cost test's O(m L log L).
pub fn reduce_steiner(g: &Graph, terminals_mask: &[bool], least_cost_limit: usize) -> Reduction {
    reduce_steiner_with_stats(g, terminals_mask, least_cost_limit).0
}

/// How often each test of [`reduce_steiner`] fired.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SteinerStats {
    /// Rounds run (each: regions, SD, NV, degree tests, least cost).
    pub rounds: usize,
    /// Edges deleted by the SD test (those no terminal reaches included).
    pub sd_deleted: usize,
    /// Edges contracted by the NV test.
    pub nv_contracted: usize,
    /// Edges contracted at terminals of degree 1.
    pub leaf_contracted: usize,
    /// Edges deleted by the bounded least-cost test.
    pub least_cost_deleted: usize,
}

/// [`reduce_steiner`] with the number of times each test fired.
pub fn reduce_steiner_with_stats(
    g: &Graph,
    terminals_mask: &[bool],
    least_cost_limit: usize,
) -> (Reduction, SteinerStats) {
    reduce_steiner_traced(g, terminals_mask, least_cost_limit, &Trace::off())
}

/// [`reduce_steiner_with_stats`] that reports the size and time of each round to `trace`.
pub(crate) fn reduce_steiner_traced(
    g: &Graph,
    terminals_mask: &[bool],
    least_cost_limit: usize,
    trace: &Trace,
) -> (Reduction, SteinerStats) {
    let n = g.num_nodes();
    let mut stats = SteinerStats::default();
    let terms: Vec<NodeId> = (0..n as NodeId)
        .filter(|&v| terminals_mask[v as usize])
        .collect();
    if terms.is_empty() || !all_connected(g, &terms) {
        return (reduce(g, terminals_mask, least_cost_limit), stats);
    }
    let clock = std::time::Instant::now();
    // Stage 1: the cheap degree tests on the input; stage 2 runs the rounds on the much
    // smaller result, renumbered compactly.
    let (mut w, order) = Work::new_ordered(g);
    let mask: Vec<bool> = order.iter().map(|&v| terminals_mask[v as usize]).collect();
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    degree_tests(&mut w, &mask, None, &mut queue);
    trace.emit(|| {
        format!(
            "reduce_steiner: degree tests done at {:.3}s",
            clock.elapsed().as_secs_f64()
        )
    });
    let (mut w, mut ids) = w.compact(&mask);
    for v in ids.iter_mut() {
        *v = order[*v as usize];
    }
    trace.emit(|| {
        format!(
            "reduce_steiner: degree tests n {} m {} at {:.3}s",
            ids.len(),
            w.ends.len(),
            clock.elapsed().as_secs_f64()
        )
    });
    let n0 = n;
    let n = ids.len();
    let mut term: Vec<bool> = ids.iter().map(|&v| terminals_mask[v as usize]).collect();
    let mut nterm = terms.len();
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    stats.leaf_contracted += steiner_degree_tests(&mut w, &mut term, &mut nterm, &mut queue);
    w.logging = true;
    // Nodes whose edges changed since the last search (all at first).
    let mut changed = vec![true; n];
    for _ in 0..MAX_ROUNDS {
        if nterm < 2 {
            break;
        }
        let before = w.events;
        stats.rounds += 1;
        for v in 0..w.inc.len() as NodeId {
            w.live_inc(v);
        }
        let t_start = clock.elapsed().as_secs_f64();
        let regions = TerminalRegions::compute(&w, &term);
        let t_regions = clock.elapsed().as_secs_f64();
        let mut touched = sd_test(&mut w, &regions);
        stats.sd_deleted += touched.len() / 2;
        let (more, contracted) = nv_test(&mut w, &regions, &mut term, &mut nterm);
        stats.nv_contracted += contracted;
        touched.extend(more);
        drop(regions);
        requeue(&mut queue, touched);
        stats.leaf_contracted += steiner_degree_tests(&mut w, &mut term, &mut nterm, &mut queue);
        let t_tests = clock.elapsed().as_secs_f64();
        if least_cost_limit > 0 && nterm >= 2 {
            for v in w.log.drain(..) {
                changed[v as usize] = true;
            }
            let removed = sd_search(&mut w, &term, least_cost_limit, Some(&changed));
            changed.iter_mut().for_each(|c| *c = false);
            stats.least_cost_deleted += removed.len() / 2;
            requeue(&mut queue, removed);
            stats.leaf_contracted +=
                steiner_degree_tests(&mut w, &mut term, &mut nterm, &mut queue);
        }
        trace.emit(|| {
            let t_end = clock.elapsed().as_secs_f64();
            format!(
                "reduce_steiner: round {} events {} regions {:.3}s tests {:.3}s search {:.3}s",
                stats.rounds,
                w.events - before,
                t_regions - t_start,
                t_tests - t_regions,
                t_end - t_tests
            )
        });
        // A fixpoint, or a round that changed at most 0.4 % of the edges: the next
        // would cost as much for even less.
        let live = w.alive.iter().filter(|&&a| a).count() as u64;
        if w.events - before <= live / 250 {
            break;
        }
    }
    if nterm < 2 {
        for e in 0..w.alive.len() as u32 {
            w.kill(e);
        }
    }
    let mut red = w.finish(&term);
    // Back from the compact ids to the input's.
    for v in red.old_of_new.iter_mut() {
        *v = ids[*v as usize];
    }
    let mut new_of_old = vec![NodeId::MAX; n0];
    for (i, &v) in ids.iter().enumerate() {
        new_of_old[v as usize] = red.new_of_old[i];
    }
    red.new_of_old = new_of_old;
    trace.emit(|| {
        format!(
            "reduce_steiner: n {} m {} fixed {} at {:.3}s",
            red.graph.num_nodes(),
            red.graph.num_edges(),
            red.fixed.len(),
            clock.elapsed().as_secs_f64()
        )
    });
    (red, stats)
}

/// Replaces the work stack by `nodes`, so that they pop in increasing id order.
fn requeue(queue: &mut Vec<NodeId>, mut nodes: Vec<NodeId>) {
    nodes.sort_unstable_by(|a, b| b.cmp(a));
    nodes.dedup();
    *queue = nodes;
}

/// Whether every node of `terms` is reachable from the first (explicit stack, no recursion).
fn all_connected(g: &Graph, terms: &[NodeId]) -> bool {
    let mut seen = vec![false; g.num_nodes()];
    let mut stack = vec![terms[0]];
    seen[terms[0] as usize] = true;
    while let Some(v) = stack.pop() {
        for (u, _) in g.neighbors(v) {
            if !std::mem::replace(&mut seen[u as usize], true) {
                stack.push(u);
            }
        }
    }
    terms.iter().all(|&t| seen[t as usize])
}

/// [`degree_step`] at non-terminals; at a terminal with one edge (while two or more
/// terminals remain), that edge joins every tree and is contracted. Returns the number of
/// contractions.
fn steiner_degree_tests(
    w: &mut Work,
    term: &mut [bool],
    nterm: &mut usize,
    queue: &mut Vec<NodeId>,
) -> usize {
    let mut touched = Vec::new();
    let mut contracted = 0;
    while let Some(v) = queue.pop() {
        if w.rep[v as usize] != v {
            continue;
        }
        if !term[v as usize] {
            degree_step(w, v, queue);
            continue;
        }
        if *nterm < 2 || w.live_inc(v).len() != 1 {
            continue;
        }
        let e = w.inc[v as usize][0];
        let u = w.other(e, v);
        if term[u as usize] {
            *nterm -= 1;
        }
        term[v as usize] = false;
        term[u as usize] = false;
        let keep = w.contract(e, &mut touched);
        term[keep as usize] = true;
        queue.append(&mut touched);
        contracted += 1;
    }
    contracted
}
