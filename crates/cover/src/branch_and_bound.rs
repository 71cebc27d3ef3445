//! Exact searches: a depth-first branch and bound for small reduced instances, and a
//! best-first Lagrangian branch and bound (`best_first`) that also raises the certified
//! lower bound of medium ones when it cannot finish.
//!
//! # Depth-first
//!
//! Each node fixes some candidates in or out. Its bound is the cost fixed in plus the
//! fractional-knapsack bound of the deficit: every undecided candidate `k` adds at most its
//! current gain `g_k` (overlaps only lower the true gain), so covering the missing weight
//! `D` costs at least the LP value of `min sum c_k z_k : sum g_k z_k >= D, 0 <= z <= 1`,
//! rounded up because costs are integers. The branching candidate is the one with the best
//! ratio `g_k / c_k` (ties: the lower index); the "in" branch is explored first.
//!
//! When the root's Lagrangian multipliers are given, each node also takes the Lagrangian
//! bound of its residual problem at those fixed multipliers (see [`crate::lagrangian`]):
//! `cost in + sum_{j undecided} min(0, c_j - sum_{i in S_j uncovered} pi_i) + knapsack of
//! the uncovered elements by pi_i / w_i up to the deficit`, evaluated exactly in fixed point
//! like the certified root bound, so pruning never loses an optimum. The node bound is the
//! larger of the two. A node
//! whose bound reaches the incumbent's cost is pruned, so the search only looks for strictly
//! better covers and proves the incumbent optimal when it finishes within the node limit.

use std::cmp::Ordering;

use crate::instance::Reduced;
use crate::state::CoverState;

/// The outcome of the search.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    /// The best cover found (the incumbent if none was better), ascending reduced indices.
    pub best: Vec<u32>,
    /// Its cost.
    pub best_cost: u64,
    /// Whether the search finished: `best` is optimal.
    pub proven: bool,
    /// Nodes visited.
    pub nodes: u64,
}

struct Ctx<'a> {
    state: CoverState<'a>,
    /// Fixed-point multipliers, and the elements ordered by `p_i / w_i`.
    lagrange: Option<(Vec<u128>, Vec<u32>)>,
    /// 0 undecided, 1 fixed in, 2 fixed out.
    decided: Vec<u8>,
    best: Vec<u32>,
    best_cost: u64,
    nodes: u64,
    limit: u64,
    /// Work done (candidates scanned plus incidences of Lagrangian node bounds), and its
    /// limit.
    work: u64,
    work_limit: u64,
    aborted: bool,
}

/// Searches for a cover cheaper than `incumbent` (a feasible cover of cost
/// `incumbent_cost`), visiting at most `limits.0` nodes and doing at most `limits.1` work
/// (see [`crate::Options::exact_work`]); `pi`: the root's multipliers.
pub(crate) fn branch_and_bound(
    r: &Reduced,
    incumbent: Vec<u32>,
    incumbent_cost: u64,
    (node_limit, work_limit): (u64, u64),
    pi: Option<&[f64]>,
) -> Search {
    let lagrange = pi.map(|pi| {
        let p = crate::lagrangian::to_fixed(pi);
        let mut order: Vec<u32> = (0..r.m() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            (p[a] * r.weight[b] as u128)
                .cmp(&(p[b] * r.weight[a] as u128))
                .then(a.cmp(&b))
        });
        (p, order)
    });
    let mut ctx = Ctx {
        lagrange,
        state: CoverState::empty(r),
        decided: vec![0; r.n()],
        best: incumbent,
        best_cost: incumbent_cost,
        nodes: 0,
        limit: node_limit,
        work: 0,
        work_limit,
        aborted: false,
    };
    node(&mut ctx);
    Search {
        best: ctx.best,
        best_cost: ctx.best_cost,
        proven: !ctx.aborted,
        nodes: ctx.nodes,
    }
}

fn node(ctx: &mut Ctx) {
    if ctx.aborted {
        return;
    }
    if ctx.nodes >= ctx.limit || ctx.work >= ctx.work_limit {
        ctx.aborted = true;
        return;
    }
    ctx.nodes += 1;
    let r = ctx.state.r;
    if ctx.state.feasible() {
        if ctx.state.cost < ctx.best_cost {
            ctx.best_cost = ctx.state.cost;
            ctx.best = ctx.state.chosen_list();
        }
        return;
    }
    let deficit = r.target - ctx.state.covered;
    let mut open: Vec<u32> = (0..r.n() as u32)
        .filter(|&k| ctx.decided[k as usize] == 0 && ctx.state.gain[k as usize] > 0)
        .collect();
    let ratio_cmp = |a: &u32, b: &u32| -> Ordering {
        let (a, b) = (*a as usize, *b as usize);
        // c_a / g_a < c_b / g_b  <=>  c_a g_b < c_b g_a
        (r.cost[a] as u128 * ctx.state.gain[b] as u128)
            .cmp(&(r.cost[b] as u128 * ctx.state.gain[a] as u128))
            .then(a.cmp(&b))
    };
    open.sort_unstable_by(ratio_cmp);
    let mut rem = deficit;
    let mut bound = ctx.state.cost as u128;
    for &k in &open {
        let (c, g) = (r.cost[k as usize], ctx.state.gain[k as usize]);
        if g <= rem {
            bound += c as u128;
            rem -= g;
        } else {
            bound += (c as u128 * rem as u128).div_ceil(g as u128);
            rem = 0;
        }
        if rem == 0 {
            break;
        }
    }
    if rem > 0 || r.round_up(u64::try_from(bound).unwrap_or(u64::MAX)) >= ctx.best_cost {
        return;
    }
    ctx.work = ctx.work.saturating_add(r.n() as u64);
    if let Some((p, order)) = &ctx.lagrange {
        ctx.work = ctx.work.saturating_add(r.set_elems.len() as u64);
        if lagrangian_node_bound(ctx, p, order, deficit) >= ctx.best_cost {
            return;
        }
    }
    let k = open[0] as usize;
    ctx.decided[k] = 1;
    ctx.state.add(k);
    node(ctx);
    ctx.state.remove(k);
    ctx.decided[k] = 2;
    node(ctx);
    ctx.decided[k] = 0;
}

/// The Lagrangian bound of the node's residual problem at fixed multipliers `p` (fixed
/// point), rounded up: exact integer arithmetic, fractional parts rounded down.
fn lagrangian_node_bound(ctx: &Ctx, p: &[u128], order: &[u32], deficit: u64) -> u64 {
    let st = &ctx.state;
    let r = st.r;
    let mut total: i128 = (st.cost as i128) << crate::lagrangian::SCALE_BITS;
    for j in 0..r.n() {
        if ctx.decided[j] != 0 || st.chosen[j] {
            continue;
        }
        let mut rc = (r.cost[j] as i128) << crate::lagrangian::SCALE_BITS;
        for &e in r.set(j) {
            if st.cnt[e as usize] == 0 {
                rc -= p[e as usize] as i128;
            }
        }
        if rc < 0 {
            total += rc;
        }
    }
    r.round_up(crate::lagrangian::round_up_with_knapsack(
        total,
        p,
        &r.weight,
        order,
        deficit,
        |i| st.cnt[i] > 0,
    ))
}

/// The outcome of the best-first Lagrangian search.
#[derive(Debug, Clone)]
pub(crate) struct BestFirst {
    /// The best cover found (the incumbent if none was better), ascending reduced indices.
    pub best: Vec<u32>,
    /// Its cost.
    pub best_cost: u64,
    /// Certified lower bound: the least bound of the nodes left open (the best cost if none).
    pub lower_bound: u64,
    /// Nodes evaluated.
    pub nodes: u64,
}

/// Effort limits of the best-first search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Nodes evaluated at most.
    pub nodes: u64,
    /// Work at most: (incidences + elements) x (iterations + 1), summed over the nodes.
    pub work: u64,
    /// Subgradient iterations per node.
    pub iterations: u32,
}

/// An open node: candidates fixed in and out, and a bound inherited from its parent.
#[derive(Debug, Clone)]
struct Open {
    bound: u64,
    id: u64,
    fixed_in: Vec<u32>,
    fixed_out: Vec<u32>,
    /// The parent's best multipliers spread over the elements of the search's instance
    /// (a merged element's multiplier shared out in proportion to weight): the warm start.
    pi: std::rc::Rc<Vec<f64>>,
}
impl PartialEq for Open {
    fn eq(&self, o: &Self) -> bool {
        (self.bound, self.id) == (o.bound, o.id)
    }
}
impl Eq for Open {}
impl Ord for Open {
    fn cmp(&self, o: &Self) -> Ordering {
        // Min-heap on (bound, id).
        o.bound.cmp(&self.bound).then(o.id.cmp(&self.id))
    }
}
impl PartialOrd for Open {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Best-first branch and bound with a fresh Lagrangian bound at every node (the residual
/// instance is pre-processed again: fixed-in candidates become free, fixed-out ones are
/// removed, so elements merge and candidates are dominated anew), the Lagrangian greedy as
/// node heuristic, and branching on the candidate whose reduced cost at the node's best
/// multipliers is closest to zero (the most ambiguous one; ties: lower index), "in" and
/// "out". Work is counted as (incidences + elements) x iterations per node. When the node
/// or work limit is reached, the least bound of the open nodes is still a
/// certified lower bound: every cover lies in the subtree of some open node.
pub(crate) fn best_first(
    r: &Reduced,
    incumbent: Vec<u32>,
    incumbent_cost: u64,
    limits: Limits,
    root_bound: u64,
    root_pi: Option<&[f64]>,
) -> BestFirst {
    let Limits {
        nodes: node_limit,
        work: work_limit,
        iterations,
    } = limits;
    use crate::lagrangian::{certified_bound, initial_pi, subgradient};
    use crate::local_search::remove_redundant;
    use std::collections::BinaryHeap;
    use std::rc::Rc;

    let mut best = incumbent;
    let mut best_cost = incumbent_cost;
    let mut heap = BinaryHeap::new();
    heap.push(Open {
        bound: root_bound,
        id: 0,
        fixed_in: Vec::new(),
        fixed_out: Vec::new(),
        pi: Rc::new(root_pi.map_or_else(|| initial_pi(r), <[f64]>::to_vec)),
    });
    let mut next_id = 1u64;
    let mut nodes = 0u64;
    let mut work = 0u64;
    while let Some(node) = heap.peek() {
        if node.bound >= best_cost {
            // Every open node is at least as costly as the incumbent.
            heap.clear();
            break;
        }
        if nodes >= node_limit || work >= work_limit {
            break;
        }
        let node = heap.pop().expect("peeked");
        nodes += 1;
        // The residual instance: fixed-in free, fixed-out without elements.
        let mut costs = r.cost.clone();
        let mut sets: Vec<Vec<u32>> = (0..r.n()).map(|j| r.set(j).to_vec()).collect();
        for &j in &node.fixed_in {
            costs[j as usize] = 0;
        }
        for &j in &node.fixed_out {
            sets[j as usize].clear();
        }
        let cost_in: u64 = node.fixed_in.iter().map(|&j| r.cost[j as usize]).sum();
        let sub = crate::Instance {
            costs,
            weights: r.weight.clone(),
            sets,
            target: r.target,
        };
        if sub.check().is_err() {
            continue; // infeasible: the fixed-out candidates were needed
        }
        let nr = Reduced::new(&sub);
        work += (nr.set_elems.len() as u64 + nr.m() as u64) * (iterations as u64 + 1);
        if nr.target == 0 {
            if cost_in < best_cost {
                best_cost = cost_in;
                best = node.fixed_in.clone();
                best.sort_unstable();
            }
            continue;
        }
        let to_full = |red: &[u32]| -> Vec<u32> {
            let mut v: Vec<u32> = node.fixed_in.clone();
            v.extend(red.iter().map(|&k| nr.orig[k as usize]));
            v.sort_unstable();
            v
        };
        let mut residual_best = best_cost.saturating_sub(cost_in);
        let mut found: Option<Vec<u32>> = None;
        // Warm start: the parent's multipliers summed over each merged element.
        let mut start = vec![0.0f64; nr.m()];
        for (i, &g) in nr.elem_map.iter().enumerate() {
            if g != u32::MAX {
                start[g as usize] += node.pi[i];
            }
        }
        let lag = subgradient(
            &nr,
            start,
            iterations,
            residual_best,
            (iterations / 5).max(1),
            |pi| {
                let mut st = CoverState::empty(&nr);
                if crate::greedy::greedy_scored(&mut st, Some(pi), None, None).is_ok() {
                    remove_redundant(&mut st);
                    if st.cost < residual_best {
                        residual_best = st.cost;
                        found = Some(st.chosen_list());
                    }
                }
                residual_best
            },
        );
        if let Some(f) = found {
            best = to_full(&f);
            best_cost = cost_in + residual_best;
        }
        let bound = r
            .round_up(cost_in + certified_bound(&nr, &lag.best_pi))
            .max(node.bound);
        if bound >= best_cost {
            continue;
        }
        // Branch on the most ambiguous candidate.
        let pick = (0..nr.n())
            .map(|k| {
                let rc = nr.cost[k] as f64
                    - nr.set(k)
                        .iter()
                        .map(|&e| lag.best_pi[e as usize])
                        .sum::<f64>();
                (rc.abs(), nr.orig[k])
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let Some((_, j)) = pick else { continue };
        let mut spread = vec![0.0f64; r.m()];
        for (i, &g) in nr.elem_map.iter().enumerate() {
            if g != u32::MAX {
                let g = g as usize;
                spread[i] = lag.best_pi[g] * r.weight[i] as f64 / nr.weight[g] as f64;
            }
        }
        let spread = Rc::new(spread);
        let mut fin = node.fixed_in.clone();
        fin.push(j);
        heap.push(Open {
            bound,
            id: next_id,
            fixed_in: fin,
            fixed_out: node.fixed_out.clone(),
            pi: Rc::clone(&spread),
        });
        let mut fout = node.fixed_out;
        fout.push(j);
        heap.push(Open {
            bound,
            id: next_id + 1,
            fixed_in: node.fixed_in,
            fixed_out: fout,
            pi: spread,
        });
        next_id += 2;
    }
    let lower_bound = heap
        .iter()
        .map(|o| o.bound)
        .min()
        .unwrap_or(best_cost)
        .min(best_cost);
    BestFirst {
        best,
        best_cost,
        lower_bound,
        nodes,
    }
}
