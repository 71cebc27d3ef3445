//! Greedy constructions.
//!
//! [`greedy`] is the baseline of issue 15, the classic ratio rule for weighted set cover
//! (Chvátal 1979), stopped as soon as the partial target is met: existing (cost 0) sites
//! first, then repeatedly the candidate with the most newly covered weight per unit cost.
//! Ratios are compared exactly (128-bit cross products), ties go to the lower index, so an
//! outside implementation (`scripts/greedy_cover.py`) reproduces it choice for choice.
//!
//! The solver's own constructions (`greedy_scored`) run on the reduced instance, either with
//! the same ratio rule or with the Lagrangian score of Caprara, Fischetti and Toth (1999):
//! with multipliers `pi`, `gamma_j = c_j - sum_{i in S_j uncovered} pi_i` and `mu_j` the
//! uncovered weight of `S_j`, the candidate with the least `gamma_j / mu_j` (if
//! `gamma_j > 0`) or `gamma_j * mu_j` (otherwise) is taken.
//!
//! Both scores only grow as elements get covered, so a lazy priority queue is exact: an entry
//! whose recomputed score equals its stored one is the true best.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::instance::{CoverError, Instance};
use crate::state::CoverState;

/// A candidate in the baseline's queue: its gain when last computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio {
    gain: u64,
    cost: u64,
    idx: u32,
}

impl Ord for Ratio {
    fn cmp(&self, o: &Self) -> Ordering {
        // gain / cost, larger first; then lower index first.
        let a = self.gain as u128 * o.cost as u128;
        let b = o.gain as u128 * self.cost as u128;
        a.cmp(&b).then(o.idx.cmp(&self.idx))
    }
}
impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The baseline greedy of issue 15 on the original instance.
///
/// Every cost-0 (existing) candidate is taken first, in index order. Then, while the covered
/// weight is below the target, the candidate with the largest newly covered weight per unit
/// cost is taken (ties: the lower index). Nothing else is taken once the target is met, so the
/// covered weight may overshoot the target by the last site's gain.
///
/// # Returns
/// The chosen candidate indices, ascending.
///
/// # Errors
/// Whatever [`Instance::check`] finds.
///
/// # Complexity
/// `O(nnz log n)` with lazy re-evaluation (gains only shrink).
///
/// # Example
/// ```
/// use fiberplan_cover::{greedy, Instance};
/// let inst = Instance {
///     costs: vec![0, 10, 12],
///     weights: vec![100, 100, 100, 100],
///     sets: vec![vec![0], vec![1, 2], vec![1, 2, 3]],
///     target: 400,
/// };
/// assert_eq!(greedy(&inst).unwrap(), vec![0, 2]);
/// ```
pub fn greedy(inst: &Instance) -> Result<Vec<u32>, CoverError> {
    inst.check()?;
    let mut covered_mark = vec![false; inst.weights.len()];
    let mut covered = 0u64;
    let mut chosen = Vec::new();
    let cover = |j: usize, mark: &mut [bool], covered: &mut u64| {
        for &e in &inst.sets[j] {
            if !mark[e as usize] {
                mark[e as usize] = true;
                *covered += inst.weights[e as usize];
            }
        }
    };
    for j in 0..inst.costs.len() {
        if inst.costs[j] == 0 {
            chosen.push(j as u32);
            cover(j, &mut covered_mark, &mut covered);
        }
    }
    let gain_of = |j: usize, mark: &[bool]| -> u64 {
        inst.sets[j]
            .iter()
            .filter(|&&e| !mark[e as usize])
            .map(|&e| inst.weights[e as usize])
            .sum()
    };
    let mut heap: BinaryHeap<Ratio> = (0..inst.costs.len())
        .filter(|&j| inst.costs[j] > 0)
        .map(|j| Ratio {
            gain: gain_of(j, &covered_mark),
            cost: inst.costs[j],
            idx: j as u32,
        })
        .filter(|r| r.gain > 0)
        .collect();
    while covered < inst.target {
        let Some(top) = heap.pop() else {
            // Unreachable after check(): the target is at most the coverable weight.
            return Err(CoverError::Infeasible {
                coverable: covered,
                target: inst.target,
            });
        };
        let gain = gain_of(top.idx as usize, &covered_mark);
        if gain == 0 {
            continue;
        }
        if gain == top.gain {
            chosen.push(top.idx);
            cover(top.idx as usize, &mut covered_mark, &mut covered);
        } else {
            heap.push(Ratio { gain, ..top });
        }
    }
    chosen.sort_unstable();
    Ok(chosen)
}

/// A min-queue entry of the scored greedy.
#[derive(Debug, Clone, Copy)]
struct Scored {
    score: f64,
    idx: u32,
}
impl PartialEq for Scored {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl Ord for Scored {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the least score, then lowest index.
        o.score.total_cmp(&self.score).then(o.idx.cmp(&self.idx))
    }
}
impl PartialOrd for Scored {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Score of candidate `j` in `state`: the cost per uncovered weight, or the CFT Lagrangian
/// score with multipliers `pi`. `None` if it covers nothing new.
fn score(state: &CoverState, pi: Option<&[f64]>, j: usize) -> Option<f64> {
    let mu = state.gain[j];
    if mu == 0 {
        return None;
    }
    let c = state.r.cost[j] as f64;
    Some(match pi {
        None => c / mu as f64,
        Some(pi) => {
            let mut gamma = c;
            for &e in state.r.set(j) {
                if state.cnt[e as usize] == 0 {
                    gamma -= pi[e as usize];
                }
            }
            if gamma > 0.0 {
                gamma / mu as f64
            } else {
                gamma * mu as f64
            }
        }
    })
}

/// Completes `state` greedily until the target is met (see the module documentation for the
/// scores). Candidates already chosen stay chosen; `forbidden` candidates are never taken;
/// with `among`, only those candidates are considered.
/// Returns the candidates added, in the order taken; `Err` with them if the target cannot be
/// met (the state then holds everything added so far).
pub(crate) fn greedy_scored(
    state: &mut CoverState,
    pi: Option<&[f64]>,
    forbidden: Option<&[bool]>,
    among: Option<&[u32]>,
) -> Result<Vec<u32>, Vec<u32>> {
    let mut added = Vec::new();
    if state.feasible() {
        return Ok(added);
    }
    let all: Vec<u32>;
    let among = match among {
        Some(a) => a,
        None => {
            all = (0..state.r.n() as u32).collect();
            &all
        }
    };
    let mut heap: BinaryHeap<Scored> = among
        .iter()
        .map(|&j| j as usize)
        .filter(|&j| !state.chosen[j] && forbidden.is_none_or(|f| !f[j]))
        .filter_map(|j| {
            score(state, pi, j).map(|s| Scored {
                score: s,
                idx: j as u32,
            })
        })
        .collect();
    while !state.feasible() {
        let Some(top) = heap.pop() else {
            return Err(added);
        };
        let j = top.idx as usize;
        if state.chosen[j] {
            continue;
        }
        let Some(s) = score(state, pi, j) else {
            continue;
        };
        if s <= top.score {
            state.add(j);
            added.push(top.idx);
        } else {
            heap.push(Scored {
                score: s,
                idx: top.idx,
            });
        }
    }
    Ok(added)
}
