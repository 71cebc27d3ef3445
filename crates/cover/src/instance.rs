//! The weighted partial set cover instance, its checks, and the pre-processing that every
//! solver runs on.
//!
//! # Pre-processing (all of it exact: it keeps at least one optimal solution)
//!
//! 1. **Free sets.** Candidates of cost 0 (existing sites) are taken; the elements they cover
//!    are removed and the target is reduced by their weight.
//! 2. **Useless elements and sets.** Elements no remaining candidate covers are dropped (they
//!    can never count towards the target); candidates left with no element are dropped.
//! 3. **Identical elements.** Elements covered by exactly the same candidates are merged into
//!    one element whose weight is the sum: any cover covers all of them or none. On road
//!    instances (one element per 100 m) this shrinks the element count many times over.
//! 4. **Dominated candidates.** A candidate `j` whose set is a subset of candidate `k`'s set
//!    with `c_k <= c_j` is dropped: in any solution `j` can be swapped for `k` at no extra
//!    cost. Equal sets at equal cost keep the lower index. "Is dominated by" is a strict
//!    partial order, so every dropped candidate has a kept dominator. Elements are merged
//!    again afterwards.

use thiserror::Error;

/// A weighted partial set cover instance: choose candidates (sets) whose union has at least
/// `target` weight, at least total cost.
///
/// In siting terms a candidate is a radio site, an element a road segment, its weight the
/// segment's metres, and `target` the metres of road that must be covered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Instance {
    /// Cost of each candidate (KZT); 0 for existing sites, which are taken for free.
    pub costs: Vec<u64>,
    /// Weight of each element (metres of road).
    pub weights: Vec<u64>,
    /// Per candidate: the elements it covers, ascending, no duplicates.
    pub sets: Vec<Vec<u32>>,
    /// Required covered weight; at most the weight of the elements some candidate covers.
    pub target: u64,
}

/// Why an instance cannot be solved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoverError {
    /// The target exceeds the weight that all candidates together cover.
    #[error("target {target} exceeds the coverable weight {coverable}")]
    Infeasible {
        /// Weight of the elements covered by at least one candidate.
        coverable: u64,
        /// The target asked for.
        target: u64,
    },
    /// The instance is malformed (lengths disagree, an index out of range, a set unsorted).
    #[error("invalid instance: {0}")]
    Invalid(String),
    /// A sum of weights or costs does not fit in 64 bits.
    #[error("arithmetic overflow: {what} does not fit in 64 bits")]
    Overflow {
        /// Which sum overflowed.
        what: &'static str,
    },
}

impl Instance {
    /// Checks the instance: one set per cost, element indices in range and strictly
    /// ascending in every set, the total weight and total cost fit in `u64` (checked
    /// arithmetic, never a wrap), and the target is at most the coverable weight.
    pub fn check(&self) -> Result<(), CoverError> {
        if self.costs.len() != self.sets.len() {
            return Err(CoverError::Invalid(format!(
                "{} costs but {} sets",
                self.costs.len(),
                self.sets.len()
            )));
        }
        if u32::try_from(self.costs.len()).is_err() {
            return Err(CoverError::Invalid("more than 2^32 - 1 candidates".into()));
        }
        let m = self.weights.len();
        let mut coverable_mask = vec![false; m];
        for (j, set) in self.sets.iter().enumerate() {
            let mut prev: Option<u32> = None;
            for &e in set {
                if e as usize >= m {
                    return Err(CoverError::Invalid(format!(
                        "candidate {j} covers element {e}, but there are only {m} elements"
                    )));
                }
                if let Some(p) = prev {
                    if e <= p {
                        return Err(CoverError::Invalid(format!(
                            "candidate {j}: elements not strictly ascending ({p} then {e})"
                        )));
                    }
                }
                prev = Some(e);
                coverable_mask[e as usize] = true;
            }
        }
        let mut total: u64 = 0;
        let mut coverable: u64 = 0;
        for (i, &w) in self.weights.iter().enumerate() {
            total = total.checked_add(w).ok_or(CoverError::Overflow {
                what: "total element weight",
            })?;
            if coverable_mask[i] {
                coverable += w;
            }
        }
        self.costs
            .iter()
            .try_fold(0u64, |a, &c| a.checked_add(c))
            .ok_or(CoverError::Overflow {
                what: "total candidate cost",
            })?;
        if self.target > coverable {
            return Err(CoverError::Infeasible {
                coverable,
                target: self.target,
            });
        }
        Ok(())
    }

    /// Weight of the elements covered by the union of `chosen` (recomputed from the sets).
    ///
    /// Panics if a candidate index is out of range; call [`Instance::check`] first.
    pub fn covered_weight(&self, chosen: &[u32]) -> u64 {
        let mut mark = vec![false; self.weights.len()];
        let mut covered = 0u64;
        for &j in chosen {
            for &e in &self.sets[j as usize] {
                if !mark[e as usize] {
                    mark[e as usize] = true;
                    covered += self.weights[e as usize];
                }
            }
        }
        covered
    }

    /// Total cost of `chosen` (each index counted once per occurrence).
    ///
    /// Panics if a candidate index is out of range; call [`Instance::check`] first.
    pub fn cost_of(&self, chosen: &[u32]) -> u64 {
        chosen.iter().map(|&j| self.costs[j as usize]).sum()
    }

    /// Weight of the elements covered by at least one candidate.
    pub fn coverable_weight(&self) -> u64 {
        let mut mark = vec![false; self.weights.len()];
        for set in &self.sets {
            for &e in set {
                mark[e as usize] = true;
            }
        }
        self.weights
            .iter()
            .zip(&mark)
            .filter(|(_, &m)| m)
            .map(|(w, _)| *w)
            .sum()
    }
}

/// The pre-processed instance the solvers work on: free sets taken, elements merged,
/// dominated candidates dropped; sets and columns in compressed (CSR) form.
#[derive(Debug, Clone)]
pub(crate) struct Reduced {
    /// Reduced candidate -> original candidate index.
    pub orig: Vec<u32>,
    /// Cost of each reduced candidate (all > 0).
    pub cost: Vec<u64>,
    /// CSR offsets into `set_elems`, `n + 1` entries.
    pub set_start: Vec<usize>,
    /// Elements of each reduced candidate, ascending.
    pub set_elems: Vec<u32>,
    /// CSR offsets into `col_cands`, `m + 1` entries.
    pub col_start: Vec<usize>,
    /// Candidates covering each element, ascending.
    pub col_cands: Vec<u32>,
    /// Weight of each (merged) element.
    pub weight: Vec<u64>,
    /// Weight still to cover after the free sets.
    pub target: u64,
    /// Original indices of the free (cost 0) candidates, ascending.
    pub free: Vec<u32>,
    /// Original element -> reduced element (`u32::MAX`: covered by a free candidate, by
    /// none, or of weight 0).
    pub elem_map: Vec<u32>,
    /// Greatest common divisor of the costs (1 when there are none): every cover costs a
    /// multiple of it, so any lower bound may be rounded up to one
    /// ([`Reduced::round_up`]).
    pub gcd: u64,
}

impl Reduced {
    /// `b` rounded up to a multiple of [`Reduced::gcd`]: a valid lower bound whenever `b`
    /// is one, since every cover's cost is such a multiple (saturating at `u64::MAX`).
    pub fn round_up(&self, b: u64) -> u64 {
        round_up_to(b, self.gcd)
    }

    /// Number of candidates.
    pub fn n(&self) -> usize {
        self.cost.len()
    }
    /// Number of elements.
    pub fn m(&self) -> usize {
        self.weight.len()
    }
    /// Elements of candidate `j`.
    pub fn set(&self, j: usize) -> &[u32] {
        &self.set_elems[self.set_start[j]..self.set_start[j + 1]]
    }
    /// Candidates covering element `i`.
    pub fn col(&self, i: usize) -> &[u32] {
        &self.col_cands[self.col_start[i]..self.col_start[i + 1]]
    }

    /// The partial cover a region leaves: the candidates `pool` (index `k` of the result
    /// is `pool[k]`) over the elements `open(e)` says still need covering, renumbered in
    /// the order the pool first touches them, and `target` as the weight to reach.
    pub fn sub_instance(&self, pool: &[u32], open: impl Fn(u32) -> bool, target: u64) -> Instance {
        let mut local_id: std::collections::BTreeMap<u32, u32> = std::collections::BTreeMap::new();
        let mut weights = Vec::new();
        let mut sets = Vec::with_capacity(pool.len());
        let mut costs = Vec::with_capacity(pool.len());
        for &k in pool {
            let mut s = Vec::new();
            for &e in self.set(k as usize) {
                if open(e) {
                    let next = local_id.len() as u32;
                    let id = *local_id.entry(e).or_insert_with(|| {
                        weights.push(self.weight[e as usize]);
                        next
                    });
                    s.push(id);
                }
            }
            s.sort_unstable();
            sets.push(s);
            costs.push(self.cost[k as usize]);
        }
        Instance {
            costs,
            weights,
            sets,
            target,
        }
    }

    /// Pre-processes a checked instance (see the module documentation).
    pub fn new(inst: &Instance) -> Reduced {
        let m0 = inst.weights.len();
        let free: Vec<u32> = (0..inst.costs.len() as u32)
            .filter(|&j| inst.costs[j as usize] == 0)
            .collect();
        let mut covered = vec![false; m0];
        let mut free_weight = 0u64;
        for &j in &free {
            for &e in &inst.sets[j as usize] {
                if !covered[e as usize] {
                    covered[e as usize] = true;
                    free_weight += inst.weights[e as usize];
                }
            }
        }
        let target = inst.target.saturating_sub(free_weight);
        // Paid candidates with what is left of their sets.
        let mut orig = Vec::new();
        let mut cost = Vec::new();
        let mut sets: Vec<Vec<u32>> = Vec::new();
        for (j, set) in inst.sets.iter().enumerate() {
            if inst.costs[j] == 0 {
                continue;
            }
            let s: Vec<u32> = set
                .iter()
                .copied()
                .filter(|&e| !covered[e as usize])
                .collect();
            if s.is_empty() {
                continue;
            }
            orig.push(j as u32);
            cost.push(inst.costs[j]);
            sets.push(s);
        }
        let mut weights = inst.weights.clone();
        let mut elem_map = merge_elements(&mut sets, &mut weights);
        let mut keep = undominated(&sets, &cost);
        for (k, s) in keep.iter_mut().zip(&sets) {
            *k &= !s.is_empty();
        }
        if keep.iter().any(|k| !k) {
            let mut k = keep.iter();
            sets.retain(|_| *k.next().unwrap());
            let mut k = keep.iter();
            cost.retain(|_| *k.next().unwrap());
            let mut k = keep.iter();
            orig.retain(|_| *k.next().unwrap());
            let second = merge_elements(&mut sets, &mut weights);
            for e in elem_map.iter_mut() {
                if *e != u32::MAX {
                    *e = second[*e as usize];
                }
            }
        }
        let mut r = Reduced::from_sets(orig, cost, &sets, weights, target, free);
        r.elem_map = elem_map;
        r
    }

    /// Builds the CSR form from per-candidate element lists.
    fn from_sets(
        orig: Vec<u32>,
        cost: Vec<u64>,
        sets: &[Vec<u32>],
        weight: Vec<u64>,
        target: u64,
        free: Vec<u32>,
    ) -> Reduced {
        let m = weight.len();
        let mut set_start = Vec::with_capacity(sets.len() + 1);
        let mut set_elems = Vec::new();
        set_start.push(0);
        let mut deg = vec![0usize; m + 1];
        for s in sets {
            set_elems.extend_from_slice(s);
            set_start.push(set_elems.len());
            for &e in s {
                deg[e as usize + 1] += 1;
            }
        }
        for i in 0..m {
            deg[i + 1] += deg[i];
        }
        let col_start = deg.clone();
        let mut fill = deg;
        let mut col_cands = vec![0u32; set_elems.len()];
        for (j, s) in sets.iter().enumerate() {
            for &e in s {
                col_cands[fill[e as usize]] = j as u32;
                fill[e as usize] += 1;
            }
        }
        let gcd = cost.iter().fold(0u64, |g, &c| gcd(g, c)).max(1);
        Reduced {
            gcd,
            orig,
            cost,
            set_start,
            set_elems,
            col_start,
            col_cands,
            weight,
            target,
            free,
            elem_map: Vec::new(),
        }
    }

    /// Sum of the element weights.
    #[cfg(test)]
    pub fn total_weight(&self) -> u64 {
        self.weight.iter().sum()
    }
}

/// Greatest common divisor (Euclid); `gcd(0, c) = c`.
pub(crate) fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `b` rounded up to a multiple of `g` (`g >= 1`), saturating at the largest multiple of
/// `g` that fits (the bound stays valid: it is only ever lowered).
pub(crate) fn round_up_to(b: u64, g: u64) -> u64 {
    let g = g.max(1);
    match b.checked_add(g - 1) {
        Some(x) => x / g * g,
        None => u64::MAX / g * g,
    }
}

/// Renumbers elements so that only covered elements of positive weight remain and elements with the same
/// column (the same covering candidates) become one element with the summed weight.
/// Element order: by column, lexicographically (deterministic).
/// Returns the map old element -> new element (`u32::MAX` for dropped ones).
fn merge_elements(sets: &mut [Vec<u32>], weights: &mut Vec<u64>) -> Vec<u32> {
    let m = weights.len();
    let mut deg = vec![0usize; m + 1];
    for s in sets.iter() {
        for &e in s {
            deg[e as usize + 1] += 1;
        }
    }
    for i in 0..m {
        deg[i + 1] += deg[i];
    }
    let start = deg.clone();
    let mut fill = deg;
    let mut cols = vec![0u32; start[m]];
    for (j, s) in sets.iter().enumerate() {
        for &e in s {
            cols[fill[e as usize]] = j as u32;
            fill[e as usize] += 1;
        }
    }
    let col = |i: usize| &cols[start[i]..start[i + 1]];
    let mut order: Vec<u32> = (0..m as u32)
        .filter(|&i| start[i as usize] < start[i as usize + 1])
        .collect();
    order.sort_by(|&a, &b| col(a as usize).cmp(col(b as usize)).then(a.cmp(&b)));
    let mut group = vec![u32::MAX; m];
    let mut group_weights: Vec<u64> = Vec::new();
    let mut prev: Option<u32> = None;
    for &i in &order {
        let same = prev.is_some_and(|p| col(p as usize) == col(i as usize));
        if !same {
            group_weights.push(0);
        }
        let id = group_weights.len() - 1;
        group_weights[id] += weights[i as usize];
        group[i as usize] = id as u32;
        prev = Some(i);
    }
    // Groups of weight 0 never count towards the target: drop them.
    let mut new_of_group = vec![u32::MAX; group_weights.len()];
    let mut new_weights = Vec::new();
    for (g, &w) in group_weights.iter().enumerate() {
        if w > 0 {
            new_of_group[g] = new_weights.len() as u32;
            new_weights.push(w);
        }
    }
    for s in sets.iter_mut() {
        let mut v: Vec<u32> = s
            .iter()
            .map(|&e| new_of_group[group[e as usize] as usize])
            .filter(|&e| e != u32::MAX)
            .collect();
        v.sort_unstable();
        v.dedup();
        *s = v;
    }
    *weights = new_weights;
    (0..m)
        .map(|i| {
            let g = group[i];
            if g == u32::MAX {
                u32::MAX
            } else {
                new_of_group[g as usize]
            }
        })
        .collect()
}

/// `a` is a subset of `b` (both ascending).
fn is_subset(a: &[u32], b: &[u32]) -> bool {
    if a.len() > b.len() {
        return false;
    }
    let mut bi = 0;
    for &x in a {
        while bi < b.len() && b[bi] < x {
            bi += 1;
        }
        if bi == b.len() || b[bi] != x {
            return false;
        }
        bi += 1;
    }
    true
}

/// Which candidates are not dominated (see the module documentation).
fn undominated(sets: &[Vec<u32>], cost: &[u64]) -> Vec<bool> {
    let m = sets
        .iter()
        .flatten()
        .map(|&e| e as usize + 1)
        .max()
        .unwrap_or(0);
    let mut cols: Vec<Vec<u32>> = vec![Vec::new(); m];
    for (j, s) in sets.iter().enumerate() {
        for &e in s {
            cols[e as usize].push(j as u32);
        }
    }
    let mut keep = vec![true; sets.len()];
    for (j, s) in sets.iter().enumerate() {
        let Some(&rare) = s.iter().min_by_key(|&&e| (cols[e as usize].len(), e)) else {
            continue;
        };
        for &k in &cols[rare as usize] {
            let k = k as usize;
            if k == j {
                continue;
            }
            let (ck, cj) = (cost[k], cost[j]);
            let beats = ck < cj || (ck == cj && (sets[k].len() > s.len() || k < j));
            if beats && is_subset(s, &sets[k]) {
                keep[j] = false;
                break;
            }
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_catches_errors() {
        let ok = Instance {
            costs: vec![1, 2],
            weights: vec![5, 5, 5],
            sets: vec![vec![0, 1], vec![2]],
            target: 15,
        };
        assert_eq!(ok.check(), Ok(()));
        let mut bad = ok.clone();
        bad.sets[0] = vec![1, 0];
        assert!(matches!(bad.check(), Err(CoverError::Invalid(_))));
        let mut bad = ok.clone();
        bad.sets[1] = vec![3];
        assert!(matches!(bad.check(), Err(CoverError::Invalid(_))));
        let mut bad = ok.clone();
        bad.costs.pop();
        assert!(matches!(bad.check(), Err(CoverError::Invalid(_))));
        let mut bad = ok.clone();
        bad.target = 16;
        assert_eq!(
            bad.check(),
            Err(CoverError::Infeasible {
                coverable: 15,
                target: 16
            })
        );
        let mut bad = ok.clone();
        bad.weights = vec![u64::MAX, 1, 0];
        assert!(matches!(bad.check(), Err(CoverError::Overflow { .. })));
        let mut bad = ok;
        bad.costs = vec![u64::MAX, 1];
        assert!(matches!(bad.check(), Err(CoverError::Overflow { .. })));
    }

    #[test]
    fn reduction_merges_and_drops() {
        // Candidate 0 is free and covers element 0; candidates 1 and 2 cover {1,2} and
        // {1,2,3}; 2 is cheaper so 1 is dominated; elements 1 and 2 merge.
        let inst = Instance {
            costs: vec![0, 5, 4, 3],
            weights: vec![10, 1, 2, 4, 7],
            sets: vec![vec![0], vec![1, 2], vec![1, 2, 3], vec![3, 4]],
            target: 20,
        };
        let r = Reduced::new(&inst);
        assert_eq!(r.free, vec![0]);
        assert_eq!(r.target, 10);
        assert_eq!(r.orig, vec![2, 3]);
        assert_eq!(r.total_weight(), 14);
        assert_eq!(r.m(), 3);
        let mut ws = r.weight.clone();
        ws.sort();
        assert_eq!(ws, vec![3, 4, 7]);
    }
}
