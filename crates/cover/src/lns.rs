//! Regional large-neighbourhood search (Shaw 1998; Pisinger and Ropke 2010): keep every
//! chosen site outside a region, drop the chosen sites inside it, and re-solve the region
//! exactly (or as well as its work limits allow) as a partial cover of its own.
//!
//! # A region
//!
//! Around a chosen seed site, the region's sites are the chosen sites nearest to it in the
//! overlap graph (breadth first; two chosen sites are neighbours when some candidate covers
//! an element of each: on a map, sites a few cell ranges apart), at most
//! [`crate::Options::lns_region_sites`], the most strongly linked first, ties by index.
//! Dropping them leaves every other site in place; the sub-instance is
//! - candidates: those covering an element of a dropped site (the dropped ones always, the
//!   others by newly covered weight per tenge, at most [`crate::Options::lns_pool`]);
//! - elements: the elements those candidates cover that no kept site covers;
//! - target: the weight the whole cover lacks once the region's sites are dropped.
//!
//! Any cover of the sub-instance together with the kept sites meets the global target, and
//! the dropped sites are one such cover, so the sub-solve ([`crate::solve`]: exact when its
//! depth-first or best-first branch and bound finishes within its limits, as it does on
//! most regions of a few hundred candidates) can only find a cover as cheap or cheaper. A
//! move is kept when it is strictly cheaper, or as cheap and covering strictly more weight
//! (slack that a later redundancy removal or region can spend); (cost, -covered) falls
//! strictly with every move, so the search ends. It never worsens a cover and never loses
//! the target: each move is checked again on the whole state when it is applied.
//!
//! # Parallel and deterministic
//!
//! Seeds are the chosen sites in index order, taken in batches of
//! [`crate::Options::lns_batch`]. Each batch's moves are computed in parallel against the
//! same snapshot of the cover and applied in seed order; a move whose dropped sites are no
//! longer all chosen, or which no longer improves or keeps the target once the earlier
//! moves are in, is skipped (its seed comes round again next pass). The batches do not
//! depend on the thread count, so neither does the result. The work is bounded by counts
//! only: passes x chosen sites regions, each sub-solve bounded by its own node and work
//! limits.
//!
//! P. Shaw (1998), Using constraint programming and local search methods to solve vehicle
//! routing problems. CP-98, LNCS 1520. D. Pisinger, S. Ropke (2010), Large neighborhood
//! search. Handbook of Metaheuristics, 2nd ed., Springer.

use rayon::prelude::*;

use crate::local_search::remove_redundant;
use crate::state::CoverState;

/// Settings of the regional search.
#[derive(Debug, Clone)]
pub(crate) struct LnsOptions {
    /// Chosen sites dropped per region (the seed and its nearest chosen neighbours).
    pub region_sites: usize,
    /// At most this many candidates in a region's sub-instance.
    pub pool: usize,
    /// Passes over the chosen sites; a pass that improves nothing ends the search.
    pub passes: usize,
    /// Seeds whose moves are computed together against one snapshot.
    pub batch: usize,
    /// Options of the sub-solve (no window or regional search inside).
    pub sub: crate::Options,
}

/// A proposed regional move, computed on a snapshot.
#[derive(Debug, Clone)]
struct Move {
    removed: Vec<u32>,
    added: Vec<u32>,
}

/// What the search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LnsStats {
    /// Regions re-solved.
    pub regions: u64,
    /// Moves applied (cheaper, or as cheap with more weight covered).
    pub moves: u64,
    /// Moves computed but no longer valid when their turn came.
    pub stale: u64,
}

/// The chosen sites nearest to `seed` in the overlap graph, breadth first, at most `k`, the
/// seed first. Within one step, the sites linked to the last one through more (candidate,
/// element) pairs come first (on a map: nearer), ties by index.
fn region(st: &CoverState, seed: usize, k: usize) -> Vec<u32> {
    let r = st.r;
    let mut out = vec![seed as u32];
    let mut head = 0;
    let mut seen_cand = vec![false; r.n()];
    let mut links = vec![0u32; r.n()];
    while head < out.len() && out.len() < k {
        let j = out[head] as usize;
        head += 1;
        // Candidates overlapping j, then the chosen sites overlapping them.
        let mut touch: Vec<u32> = Vec::new();
        for &e in r.set(j) {
            for &c in r.col(e as usize) {
                if !seen_cand[c as usize] {
                    seen_cand[c as usize] = true;
                    touch.push(c);
                }
            }
        }
        let mut next: Vec<u32> = Vec::new();
        for &c in &touch {
            for &e in r.set(c as usize) {
                for &l in r.col(e as usize) {
                    if st.chosen[l as usize] && !out.contains(&l) {
                        if links[l as usize] == 0 {
                            next.push(l);
                        }
                        links[l as usize] += 1;
                    }
                }
            }
        }
        next.sort_unstable_by(|&a, &b| {
            let (la, lb) = (links[a as usize], links[b as usize]);
            lb.cmp(&la).then(a.cmp(&b))
        });
        for &l in &next {
            links[l as usize] = 0;
        }
        next.truncate(k - out.len());
        out.extend(next);
    }
    out
}

/// Re-solves the region around `seed` on the snapshot `st`; `Some` if it improves.
fn region_move(st: &CoverState, seed: usize, opts: &LnsOptions) -> Option<Move> {
    let r = st.r;
    let removed = region(st, seed, opts.region_sites.max(1));
    let removed_cost: u64 = removed.iter().map(|&j| r.cost[j as usize]).sum();
    // Cover counts once the region's sites are dropped, on the elements they touch.
    let mut out_cnt: std::collections::BTreeMap<u32, u32> = std::collections::BTreeMap::new();
    for &j in &removed {
        for &e in r.set(j as usize) {
            let c = out_cnt.entry(e).or_insert(st.cnt[e as usize]);
            *c -= 1;
        }
    }
    let kept_cnt = |e: u32| -> u32 { out_cnt.get(&e).copied().unwrap_or(st.cnt[e as usize]) };
    let freed: u64 = out_cnt
        .iter()
        .filter(|(_, &c)| c == 0)
        .map(|(&e, _)| r.weight[e as usize])
        .sum();
    let covered_kept = st.covered - freed;
    let deficit = r.target.saturating_sub(covered_kept);
    if deficit == 0 {
        // The region's sites were all redundant together.
        return (removed_cost > 0).then(|| Move {
            removed,
            added: Vec::new(),
        });
    }
    // Candidates touching the dropped sites' elements.
    let mut touch: Vec<u32> = out_cnt
        .keys()
        .flat_map(|&e| r.col(e as usize).iter().copied())
        .collect();
    touch.sort_unstable();
    touch.dedup();
    let mut removed_sorted = removed.clone();
    removed_sorted.sort_unstable();
    let is_removed = |k: u32| removed_sorted.binary_search(&k).is_ok();
    let gain = |k: u32| -> u64 {
        r.set(k as usize)
            .iter()
            .filter(|&&e| kept_cnt(e) == 0)
            .map(|&e| r.weight[e as usize])
            .sum()
    };
    let mut others: Vec<(u64, u32)> = touch
        .iter()
        .copied()
        .filter(|&k| !st.chosen[k as usize] && !is_removed(k))
        .map(|k| (gain(k), k))
        .filter(|&(g, _)| g > 0)
        .collect();
    // Most newly covered weight per tenge first (exact cross products), ties by index.
    others.sort_unstable_by(|a, b| {
        let (ca, cb) = (r.cost[a.1 as usize] as u128, r.cost[b.1 as usize] as u128);
        (b.0 as u128 * ca)
            .cmp(&(a.0 as u128 * cb))
            .then(a.1.cmp(&b.1))
    });
    let mut pool: Vec<u32> = removed.clone();
    pool.extend(
        others
            .iter()
            .map(|&(_, k)| k)
            .take(opts.pool.saturating_sub(removed.len())),
    );
    // The sub-instance over the elements no kept site covers.
    let sub = r.sub_instance(&pool, |e| kept_cnt(e) == 0, deficit);
    let sol = crate::solve(&sub, &opts.sub).ok()?;
    let better =
        sol.cost < removed_cost || (sol.cost == removed_cost && sol.covered_weight > freed);
    if !better {
        return None;
    }
    let mut added: Vec<u32> = sol.chosen.iter().map(|&k| pool[k as usize]).collect();
    added.sort_unstable();
    let mut removed = removed;
    removed.sort_unstable();
    Some(Move { removed, added })
}

/// Applies `mv` if it is still valid and still an improvement; otherwise leaves the state as
/// it was. Returns whether it was applied.
fn apply(st: &mut CoverState, mv: &Move) -> bool {
    if mv.removed.iter().any(|&j| !st.chosen[j as usize]) {
        return false;
    }
    let (cost0, cov0) = (st.cost, st.covered);
    for &j in &mv.removed {
        st.remove(j as usize);
    }
    let mut added = Vec::new();
    for &k in &mv.added {
        if !st.chosen[k as usize] {
            st.add(k as usize);
            added.push(k);
        }
    }
    let better = st.cost < cost0 || (st.cost == cost0 && st.covered > cov0);
    if st.feasible() && better {
        return true;
    }
    for &k in added.iter().rev() {
        st.remove(k as usize);
    }
    for &j in &mv.removed {
        st.add(j as usize);
    }
    debug_assert_eq!((st.cost, st.covered), (cost0, cov0));
    false
}

/// Regional search on a feasible state (see the module documentation). Returns its
/// statistics; the state stays feasible and its cost never rises.
pub(crate) fn lns(st: &mut CoverState, opts: &LnsOptions) -> LnsStats {
    debug_assert!(st.feasible());
    let mut stats = LnsStats::default();
    let batch = opts.batch.max(1);
    for _ in 0..opts.passes {
        let moves_before = stats.moves;
        let seeds = st.chosen_list();
        for chunk in seeds.chunks(batch) {
            let live: Vec<u32> = chunk
                .iter()
                .copied()
                .filter(|&j| st.chosen[j as usize])
                .collect();
            let snapshot: &CoverState = st;
            let moves: Vec<Option<Move>> = live
                .par_iter()
                .map(|&j| region_move(snapshot, j as usize, opts))
                .collect();
            stats.regions += live.len() as u64;
            for mv in moves.iter().flatten() {
                if apply(st, mv) {
                    stats.moves += 1;
                } else {
                    stats.stale += 1;
                }
            }
            remove_redundant(st);
        }
        if stats.moves == moves_before {
            break;
        }
    }
    stats
}
