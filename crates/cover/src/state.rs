//! A partial solution on the reduced instance with incremental bookkeeping: how often each
//! element is covered, each candidate's gain (weight of its uncovered elements) and each
//! chosen candidate's loss (weight only it covers). Adding or removing a candidate costs
//! the sum of the column lengths of the elements whose cover count crosses 0/1 or 1/2.

use crate::instance::Reduced;

/// A set of chosen candidates with its coverage.
#[derive(Debug, Clone)]
pub(crate) struct CoverState<'a> {
    pub r: &'a Reduced,
    /// Cover count per element.
    pub cnt: Vec<u32>,
    /// Chosen flag per candidate.
    pub chosen: Vec<bool>,
    /// Per candidate: weight of its elements not covered yet.
    pub gain: Vec<u64>,
    /// Per chosen candidate: weight of its elements no other chosen candidate covers.
    pub loss: Vec<u64>,
    /// Covered weight.
    pub covered: u64,
    /// Cost of the chosen candidates.
    pub cost: u64,
}

impl<'a> CoverState<'a> {
    /// Nothing chosen.
    pub fn empty(r: &'a Reduced) -> Self {
        let gain = (0..r.n())
            .map(|j| r.set(j).iter().map(|&e| r.weight[e as usize]).sum())
            .collect();
        CoverState {
            r,
            cnt: vec![0; r.m()],
            chosen: vec![false; r.n()],
            gain,
            loss: vec![0; r.n()],
            covered: 0,
            cost: 0,
        }
    }

    /// The given candidates chosen.
    pub fn with(r: &'a Reduced, chosen: &[u32]) -> Self {
        let mut s = Self::empty(r);
        for &j in chosen {
            if !s.chosen[j as usize] {
                s.add(j as usize);
            }
        }
        s
    }

    /// Whether the target is met.
    pub fn feasible(&self) -> bool {
        self.covered >= self.r.target
    }

    /// Chosen candidates, ascending.
    pub fn chosen_list(&self) -> Vec<u32> {
        (0..self.r.n() as u32)
            .filter(|&j| self.chosen[j as usize])
            .collect()
    }

    /// Chooses candidate `j` (not chosen yet).
    pub fn add(&mut self, j: usize) {
        debug_assert!(!self.chosen[j]);
        let r = self.r;
        self.chosen[j] = true;
        self.cost += r.cost[j];
        for &e in r.set(j) {
            let e = e as usize;
            let w = r.weight[e];
            self.cnt[e] += 1;
            match self.cnt[e] {
                1 => {
                    self.covered += w;
                    self.loss[j] += w;
                    for &k in r.col(e) {
                        self.gain[k as usize] -= w;
                    }
                }
                2 => {
                    for &k in r.col(e) {
                        let k = k as usize;
                        if k != j && self.chosen[k] {
                            self.loss[k] -= w;
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Drops candidate `j` (chosen).
    pub fn remove(&mut self, j: usize) {
        debug_assert!(self.chosen[j]);
        let r = self.r;
        self.chosen[j] = false;
        self.cost -= r.cost[j];
        for &e in r.set(j) {
            let e = e as usize;
            let w = r.weight[e];
            self.cnt[e] -= 1;
            match self.cnt[e] {
                0 => {
                    self.covered -= w;
                    self.loss[j] -= w;
                    for &k in r.col(e) {
                        self.gain[k as usize] += w;
                    }
                }
                1 => {
                    for &k in r.col(e) {
                        let k = k as usize;
                        if self.chosen[k] {
                            self.loss[k] += w;
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        debug_assert_eq!(self.loss[j], 0);
    }
}
