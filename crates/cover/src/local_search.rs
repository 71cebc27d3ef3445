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
//! Passes repeat until no move improves or the pass limit is reached. Every move strictly
//! lowers the cost, so the search terminates.

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
        // Cheap filter: something must become droppable; the most we could drop is all of
        // the chosen ones, and the move must pay for c_k.
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

/// One pass of drop-repair moves over the chosen candidates, most expensive first. Returns
/// the number of improving moves made.
fn drop_repair_pass(state: &mut CoverState) -> usize {
    let r = state.r;
    let mut forbidden = vec![false; r.n()];
    let mut moves = 0;
    for j in by_cost_desc(state) {
        let j = j as usize;
        if !state.chosen[j] {
            continue;
        }
        let before = state.cost;
        state.remove(j);
        forbidden[j] = true;
        let result = greedy_scored(state, None, Some(&forbidden));
        forbidden[j] = false;
        let (added, ok) = match result {
            Ok(a) => (a, true),
            Err(a) => (a, false),
        };
        let dropped = if ok {
            remove_redundant(state)
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
