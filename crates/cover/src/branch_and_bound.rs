//! A small exact search for small reduced instances: depth-first branch and bound.
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
    aborted: bool,
}

/// Searches for a cover cheaper than `incumbent` (a feasible cover of cost
/// `incumbent_cost`), visiting at most `node_limit` nodes; `pi`: the root's multipliers.
pub(crate) fn branch_and_bound(
    r: &Reduced,
    incumbent: Vec<u32>,
    incumbent_cost: u64,
    node_limit: u64,
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
    if ctx.nodes >= ctx.limit {
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
    if rem > 0 || bound >= ctx.best_cost as u128 {
        return;
    }
    if let Some((p, order)) = &ctx.lagrange {
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
    let mut rem = deficit;
    for &i in order {
        if rem == 0 {
            break;
        }
        let i = i as usize;
        if st.cnt[i] > 0 {
            continue;
        }
        let w = r.weight[i];
        if w <= rem {
            total += p[i] as i128;
            rem -= w;
        } else {
            total += (p[i] * rem as u128 / w as u128) as i128;
            rem = 0;
        }
    }
    if total <= 0 {
        return 0;
    }
    let s = 1i128 << crate::lagrangian::SCALE_BITS;
    u64::try_from((total + s - 1) / s).unwrap_or(u64::MAX)
}
