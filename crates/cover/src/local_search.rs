//! Improvement of a feasible cover: redundancy removal and two neighbourhoods.
//!
//! - **Redundancy removal** (Beasley 1990, step "remove redundant columns"): chosen
//!   candidates are visited most expensive first and dropped while the target stays met. One
//!   pass leaves a minimal cover, since a drop only makes the others' losses larger.
//! - **Add-drop** ("1-for-many" swaps): add one unchosen candidate `k`, then drop, most
//!   expensive first, every chosen candidate that the target allows; keep the move if the
//!   dropped cost exceeds `c_k`. Because the target is a global weight, the dropped
//!   candidates need not be near `k`: a cheap site anywhere can pay for an expensive one.
//!   This contains the 1-for-1 and 2-for-1 swaps.
//! - **Drop-repair** ("many-for-1"): drop one chosen candidate, complete the cover again with
//!   the ratio greedy (the dropped one forbidden), remove redundancy, keep if cheaper.
//!
//! - **Window search** (large neighbourhood search, Shaw 1998): drop a chosen site and the
//!   chosen sites within a few steps of it, and re-solve the freed region as a partial cover
//!   of its own (the candidates touching it, its uncovered weight, the deficit as target)
//!   with [`crate::solve`] and a small node limit, so that small regions are re-solved
//!   exactly. Kept only if cheaper.
//!
//! Passes repeat until no move improves or the pass limit is reached. Every move strictly
//! lowers the cost, so the search terminates.
//!
//! P. Shaw (1998), Using constraint programming and local search methods to solve vehicle
//! routing problems. CP-98, LNCS 1520.

use crate::greedy::greedy_scored;
use crate::state::CoverState;

/// Drops chosen candidates, most expensive first (ties: higher index first), while the
/// target stays met. Returns the candidates dropped.
pub(crate) fn remove_redundant(state: &mut CoverState) -> Vec<u32> {
    let r = state.r;
    let mut order = state.chosen_list();
    order.sort_by(|&a, &b| r.cost[b as usize].cmp(&r.cost[a as usize]).then(b.cmp(&a)));
    let mut dropped = Vec::new();
    for j in order {
        let j = j as usize;
        if state.covered - state.loss[j] >= r.target {
            state.remove(j);
            dropped.push(j as u32);
        }
    }
    dropped
}

/// Chosen candidates by cost, most expensive first (ties: higher index first).
fn by_cost_desc(state: &CoverState) -> Vec<u32> {
    let r = state.r;
    let mut v = state.chosen_list();
    v.sort_by(|&a, &b| r.cost[b as usize].cmp(&r.cost[a as usize]).then(b.cmp(&a)));
    v
}

/// One pass of add-drop moves over all unchosen candidates in index order. Returns the
/// number of improving moves made.
fn add_drop_pass(state: &mut CoverState) -> usize {
    let r = state.r;
    let mut desc = by_cost_desc(state);
    let mut moves = 0;
    for k in 0..r.n() {
        if state.chosen[k] {
            continue;
        }
        state.add(k);
        let mut dropped: Vec<u32> = Vec::new();
        let mut dropped_cost = 0u64;
        loop {
            let slack = state.covered - r.target;
            let pick = desc.iter().copied().find(|&j| {
                let j = j as usize;
                j != k && state.chosen[j] && state.loss[j] <= slack
            });
            let Some(j) = pick else { break };
            state.remove(j as usize);
            dropped.push(j);
            dropped_cost += r.cost[j as usize];
        }
        if dropped_cost > r.cost[k] {
            moves += 1;
            desc = by_cost_desc(state);
        } else {
            for &j in dropped.iter().rev() {
                state.add(j as usize);
            }
            state.remove(k);
        }
    }
    moves
}

/// Drops, most expensive first, the candidates of `first` (in the order given) and then of
/// `desc` (most expensive first; stale entries skipped) that the target allows. Returns the
/// candidates dropped.
fn remove_redundant_among(state: &mut CoverState, first: &[u32], desc: &[u32]) -> Vec<u32> {
    let r = state.r;
    let mut dropped = Vec::new();
    for &j in first.iter().chain(desc) {
        let j = j as usize;
        if state.chosen[j] && state.covered - state.loss[j] >= r.target {
            state.remove(j);
            dropped.push(j as u32);
        }
    }
    dropped
}

/// How many of the best-ratio candidates anywhere join each drop-repair's local candidates.
const GLOBAL_REPAIR: usize = 64;

/// One pass of drop-repair moves over the chosen candidates, most expensive first. The
/// repair greedy considers the candidates touching the dropped set's elements and the
/// [`GLOBAL_REPAIR`] best-ratio candidates of the pass's start (the target is global: the
/// missing weight may be cheapest far away). Returns the number of improving moves made.
fn drop_repair_pass(state: &mut CoverState) -> usize {
    let r = state.r;
    let mut forbidden = vec![false; r.n()];
    let mut moves = 0;
    let mut global: Vec<u32> = (0..r.n() as u32)
        .filter(|&k| !state.chosen[k as usize] && state.gain[k as usize] > 0)
        .collect();
    global.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        (state.gain[b] as u128 * r.cost[a] as u128)
            .cmp(&(state.gain[a] as u128 * r.cost[b] as u128))
            .then(a.cmp(&b))
    });
    global.truncate(GLOBAL_REPAIR);
    let desc = by_cost_desc(state);
    let mut among: Vec<u32> = Vec::new();
    for &j in &desc {
        let j = j as usize;
        if !state.chosen[j] {
            continue;
        }
        let before = state.cost;
        among.clear();
        among.extend(
            r.set(j)
                .iter()
                .flat_map(|&e| r.col(e as usize).iter().copied()),
        );
        among.extend_from_slice(&global);
        among.sort_unstable();
        among.dedup();
        state.remove(j);
        forbidden[j] = true;
        let result = greedy_scored(state, None, Some(&forbidden), Some(&among));
        forbidden[j] = false;
        let (added, ok) = match result {
            Ok(a) => (a, true),
            Err(a) => (a, false),
        };
        let dropped = if ok {
            // Candidates whose loss may have fallen: the added ones and those overlapping
            // them, most expensive first; then any other the slack allows.
            let mut near: Vec<u32> = added
                .iter()
                .flat_map(|&a| r.set(a as usize).iter())
                .flat_map(|&e| r.col(e as usize).iter().copied())
                .filter(|&k| state.chosen[k as usize])
                .collect();
            near.sort_by(|&a, &b| r.cost[b as usize].cmp(&r.cost[a as usize]).then(b.cmp(&a)));
            near.dedup();
            remove_redundant_among(state, &near, &desc)
        } else {
            Vec::new()
        };
        if ok && state.cost < before {
            moves += 1;
        } else {
            for &d in dropped.iter().rev() {
                state.add(d as usize);
            }
            for &a in added.iter().rev() {
                state.remove(a as usize);
            }
            state.add(j);
        }
    }
    moves
}

/// Improves a feasible state in place: redundancy removal, then add-drop and drop-repair
/// passes until none improves (at most `max_passes` rounds). Returns the number of
/// improving moves.
pub(crate) fn improve(state: &mut CoverState, max_passes: usize) -> usize {
    debug_assert!(state.feasible());
    remove_redundant(state);
    let mut total = 0;
    for _ in 0..max_passes {
        let a = add_drop_pass(state);
        let d = drop_repair_pass(state);
        total += a + d;
        if a + d == 0 {
            break;
        }
    }
    total
}

/// Options of the window search (large neighbourhood search with exact repair).
#[derive(Debug, Clone)]
pub(crate) struct WindowOptions {
    /// At most this many candidates in a window's sub-instance.
    pub pool: usize,
    /// Options of the sub-solve (no window search inside).
    pub sub: crate::Options,
    /// Maximum number of passes over the chosen candidates.
    pub passes: usize,
    /// Chosen candidates within this many steps of the seed are dropped with it (a step: a
    /// chosen set sharing an element with a candidate sharing an element with the last ones).
    pub depth: usize,
}

/// One window move around chosen candidate `seed`: drop it and every chosen candidate that
/// shares an element with it, then re-solve the freed region as a partial cover of its own
/// (the candidates touching the dropped sets' elements, the currently uncovered weight there,
/// the deficit as target) with [`crate::solve`]. The dropped sets are in the pool, so the
/// sub-instance is feasible and the move never gets worse; it is kept only if cheaper.
fn window_move(state: &mut CoverState, seed: usize, opts: &WindowOptions) -> bool {
    let r = state.r;
    // The seed and the chosen sets within `depth` overlap steps of it, nearest first, at
    // most half the pool.
    let cap = (opts.pool / 2).max(1);
    let mut removed: Vec<u32> = vec![seed as u32];
    let mut frontier = 0;
    for _ in 0..opts.depth {
        let end = removed.len();
        let mut next: Vec<u32> = Vec::new();
        // One step: chosen sets sharing an element with a candidate that shares an element
        // with a set of the frontier (on a road: the next sites along, whatever the gaps).
        let mut near: Vec<u32> = removed[frontier..end]
            .iter()
            .flat_map(|&j| r.set(j as usize).iter())
            .flat_map(|&e| r.col(e as usize).iter().copied())
            .collect();
        near.sort_unstable();
        near.dedup();
        for &k in &near {
            for &e in r.set(k as usize) {
                for &l in r.col(e as usize) {
                    if state.chosen[l as usize] && !removed.contains(&l) && !next.contains(&l) {
                        next.push(l);
                    }
                }
            }
        }
        next.sort_unstable();
        next.truncate(cap - removed.len().min(cap));
        frontier = end;
        removed.extend(next);
        if removed.len() >= cap {
            break;
        }
    }
    let removed_cost: u64 = removed.iter().map(|&j| r.cost[j as usize]).sum();
    for &j in &removed {
        state.remove(j as usize);
    }
    let restore = |state: &mut CoverState| {
        for &j in removed.iter() {
            state.add(j as usize);
        }
    };
    if state.feasible() {
        // Dropping them all is fine: the cover had redundancy.
        return removed_cost > 0;
    }
    let deficit = r.target - state.covered;
    // Pool: the removed sets, then other unchosen candidates touching the seed's elements,
    // then those touching the other removed sets' elements; in that order, index order
    // within each tier, up to `opts.pool`.
    let mut pool: Vec<u32> = removed.clone();
    let in_pool = |k: u32, pool: &mut Vec<u32>| {
        if pool.len() < opts.pool && !state.chosen[k as usize] && !pool.contains(&k) {
            pool.push(k);
        }
    };
    let mut tier1: Vec<u32> = r
        .set(seed)
        .iter()
        .flat_map(|&e| r.col(e as usize).iter().copied())
        .collect();
    tier1.sort_unstable();
    tier1.dedup();
    for k in tier1 {
        in_pool(k, &mut pool);
    }
    let mut tier2: Vec<u32> = removed
        .iter()
        .flat_map(|&j| r.set(j as usize).iter())
        .flat_map(|&e| r.col(e as usize).iter().copied())
        .collect();
    tier2.sort_unstable();
    tier2.dedup();
    for k in tier2 {
        in_pool(k, &mut pool);
    }
    // The sub-instance over the uncovered elements the pool touches.
    let sub = r.sub_instance(&pool, |e| state.cnt[e as usize] == 0, deficit);
    let res = crate::solve(&sub, &opts.sub);
    let Ok(sol) = res else {
        restore(state);
        return false;
    };
    if sol.cost < removed_cost {
        for &k in &sol.chosen {
            state.add(pool[k as usize] as usize);
        }
        debug_assert!(state.feasible());
        true
    } else {
        restore(state);
        false
    }
}

/// Window search: passes over the chosen candidates (by index) with [`window_move`] until
/// a pass improves nothing. Returns the number of improving moves.
pub(crate) fn window_search(state: &mut CoverState, opts: &WindowOptions) -> usize {
    let mut moves = 0;
    for _ in 0..opts.passes {
        let mut pass_moves = 0;
        for j in 0..state.r.n() {
            if state.chosen[j] && window_move(state, j, opts) {
                pass_moves += 1;
            }
        }
        if pass_moves > 0 {
            remove_redundant(state);
        }
        moves += pass_moves;
        if pass_moves == 0 {
            break;
        }
    }
    moves
}
