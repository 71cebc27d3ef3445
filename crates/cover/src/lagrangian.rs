//! Lagrangian lower bound of the partial cover, by subgradient optimisation.
//!
//! The model (reduced instance: candidates `j` with cost `c_j`, elements `i` with weight
//! `w_i`, target `T`):
//!
//! ```text
//! min  sum_j c_j x_j
//! s.t. sum_{j : i in S_j} x_j >= y_i      for every element i     (multiplier pi_i >= 0)
//!      sum_i w_i y_i >= T
//!      x in {0,1}^n,  y in [0,1]^m
//! ```
//!
//! Relaxing the coupling rows with `pi >= 0` gives, for every `pi`, a valid lower bound
//!
//! ```text
//! L(pi) = sum_j min(0, c_j - sum_{i in S_j} pi_i)
//!       + min { sum_i pi_i y_i : sum_i w_i y_i >= T, 0 <= y <= 1 }
//! ```
//!
//! whose second part is a fractional knapsack: elements in increasing `pi_i / w_i` until the
//! weight reaches `T`. `L` is maximised by the subgradient method of Held and Karp (1971) /
//! Held, Wolfe and Crowder (1974) as used for set covering by Beasley (1990): the
//! subgradient is `s_i = y_i - sum_{j ∋ i} x_j` (projected to 0 where `pi_i = 0` and
//! `s_i < 0`), the step `lambda (UB - L) / |s|^2`, `lambda` halved when the best bound has not
//! improved for a while. The initial multipliers follow Caprara, Fischetti and Toth (1999):
//! `pi_i = w_i min_{j ∋ i} c_j / w(S_j)`.
//!
//! # Certification
//!
//! The iterations run in `f64`. The reported bound is recomputed exactly: the best `pi` is
//! rounded down to a grid of `2^-20` (any `pi >= 0` is a valid multiplier), `L` is evaluated
//! in 128-bit integers with the knapsack's fractional part rounded down, and the result is
//! rounded up to an integer only because every solution's cost is an integer. No floating
//! point error can make the bound exceed the optimum.

use crate::instance::Reduced;

/// Fixed-point scale of the certified evaluation: multipliers are multiples of `2^-20`.
pub(crate) const SCALE_BITS: u32 = 20;

/// The outcome of a subgradient run.
#[derive(Debug, Clone)]
pub(crate) struct Lagrangian {
    /// The multipliers with the best (floating point) bound seen.
    pub best_pi: Vec<f64>,
    /// The best floating point value of `L` seen (not certified).
    pub best_value: f64,
    /// Iterations run.
    pub iterations: u32,
}

/// Scratch space for evaluating `L(pi)`.
struct Eval {
    /// Candidates with negative reduced cost.
    x: Vec<bool>,
    /// Knapsack solution.
    y: Vec<f64>,
    /// Elements ordered by `pi / w`.
    order: Vec<(f64, u32)>,
}

impl Eval {
    fn new(r: &Reduced) -> Self {
        Eval {
            x: vec![false; r.n()],
            y: vec![0.0; r.m()],
            order: Vec::with_capacity(r.m()),
        }
    }

    /// `L(pi)` in floating point; fills `x` and `y`.
    fn value(&mut self, r: &Reduced, pi: &[f64]) -> f64 {
        let mut total = 0.0;
        for j in 0..r.n() {
            let mut rc = r.cost[j] as f64;
            for &e in r.set(j) {
                rc -= pi[e as usize];
            }
            self.x[j] = rc < 0.0;
            if rc < 0.0 {
                total += rc;
            }
        }
        self.order.clear();
        self.order
            .extend((0..r.m() as u32).map(|i| (pi[i as usize] / r.weight[i as usize] as f64, i)));
        self.order
            .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.y.iter_mut().for_each(|y| *y = 0.0);
        let mut rem = r.target;
        for &(_, i) in &self.order {
            if rem == 0 {
                break;
            }
            let i = i as usize;
            let w = r.weight[i];
            if w <= rem {
                self.y[i] = 1.0;
                total += pi[i];
                rem -= w;
            } else {
                let f = rem as f64 / w as f64;
                self.y[i] = f;
                total += pi[i] * f;
                rem = 0;
            }
        }
        total
    }
}

/// Initial multipliers (Caprara, Fischetti and Toth 1999, weighted).
pub(crate) fn initial_pi(r: &Reduced) -> Vec<f64> {
    let ratio: Vec<f64> = (0..r.n())
        .map(|j| {
            let w: u64 = r.set(j).iter().map(|&e| r.weight[e as usize]).sum();
            r.cost[j] as f64 / w as f64
        })
        .collect();
    (0..r.m())
        .map(|i| {
            let best = r
                .col(i)
                .iter()
                .map(|&j| ratio[j as usize])
                .fold(f64::INFINITY, f64::min);
            best * r.weight[i] as f64
        })
        .collect()
}

/// Runs at most `iterations` subgradient steps from `pi`.
///
/// `ub` is the cost of the best known solution; every `heuristic_every` iterations (and at
/// the start) `heuristic(pi)` is called with the current multipliers and returns the
/// (possibly improved) best cost. The run stops early when the bound proves the best
/// solution optimal or the step size has become negligible.
pub(crate) fn subgradient(
    r: &Reduced,
    mut pi: Vec<f64>,
    iterations: u32,
    mut ub: u64,
    heuristic_every: u32,
    mut heuristic: impl FnMut(&[f64]) -> u64,
) -> Lagrangian {
    let mut ev = Eval::new(r);
    let mut best_value = f64::NEG_INFINITY;
    let mut best_pi = pi.clone();
    let mut lambda = 2.0f64;
    let stall = 50u32;
    let mut since_improved = 0u32;
    let mut cover = vec![0u32; r.m()];
    let mut s = vec![0.0f64; r.m()];
    let mut it = 0;
    while it < iterations {
        if heuristic_every > 0 && it % heuristic_every == 0 {
            ub = ub.min(heuristic(&pi));
        }
        it += 1;
        let value = ev.value(r, &pi);
        if value > best_value + 1e-9 * value.abs().max(1.0) {
            best_value = value;
            best_pi.clone_from(&pi);
            since_improved = 0;
        } else {
            since_improved += 1;
            if since_improved >= stall {
                lambda /= 2.0;
                since_improved = 0;
            }
        }
        // Proven optimal (up to rounding; the certified check happens later): every cover
        // costs a multiple of the costs' gcd, so a value above `ub - gcd` rounds up to `ub`.
        if best_value > ub as f64 - r.gcd as f64 + 1e-6 * (ub as f64).max(1.0) {
            break;
        }
        if lambda < 1e-4 {
            break;
        }
        cover.iter_mut().for_each(|c| *c = 0);
        for j in 0..r.n() {
            if ev.x[j] {
                for &e in r.set(j) {
                    cover[e as usize] += 1;
                }
            }
        }
        let mut norm = 0.0;
        for i in 0..r.m() {
            let mut g = ev.y[i] - cover[i] as f64;
            if pi[i] <= 0.0 && g < 0.0 {
                g = 0.0;
            }
            s[i] = g;
            norm += g * g;
        }
        if norm <= 0.0 {
            // x and y agree: L(pi) is the optimum of the relaxation.
            break;
        }
        let gap = (ub as f64 - value).max(1e-9 * (ub as f64).max(1.0));
        let t = lambda * gap / norm;
        for i in 0..r.m() {
            pi[i] = (pi[i] + t * s[i]).max(0.0);
        }
    }
    Lagrangian {
        best_pi,
        best_value,
        iterations: it,
    }
}

/// Multipliers rounded down to non-negative integers in units of `2^-SCALE_BITS`, at most
/// `2^62` (any `pi >= 0` is a valid multiplier, so rounding down keeps the bound valid).
pub(crate) fn to_fixed(pi: &[f64]) -> Vec<u128> {
    let scale = (1u64 << SCALE_BITS) as f64;
    pi.iter()
        .map(|&v| {
            let x = (v * scale).floor();
            if x.is_nan() || x <= 0.0 {
                0
            } else if x >= (1u64 << 62) as f64 {
                1u128 << 62
            } else {
                x as u128
            }
        })
        .collect()
}

/// The certified integer lower bound `ceil(L(pi'))` for `pi'` = `pi` rounded down to the
/// fixed-point grid, evaluated exactly (see the module documentation), then rounded up to a
/// multiple of the costs' greatest common divisor (every cover costs such a multiple: with
/// unit-cost sites the bound becomes a whole number of sites).
pub(crate) fn certified_bound(r: &Reduced, pi: &[f64]) -> u64 {
    if r.target == 0 {
        return 0;
    }
    let p = to_fixed(pi);
    let mut total: i128 = 0;
    for j in 0..r.n() {
        let mut rc = (r.cost[j] as i128) << SCALE_BITS;
        for &e in r.set(j) {
            rc -= p[e as usize] as i128;
        }
        if rc < 0 {
            total += rc;
        }
    }
    let mut order: Vec<u32> = (0..r.m() as u32).collect();
    // Increasing p_i / w_i, exactly: p_a w_b < p_b w_a (products below 2^126).
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        (p[a] * r.weight[b] as u128)
            .cmp(&(p[b] * r.weight[a] as u128))
            .then(a.cmp(&b))
    });
    r.round_up(round_up_with_knapsack(
        total,
        &p,
        &r.weight,
        &order,
        r.target,
        |_| false,
    ))
}

/// The rest of `L(p)` after the reduced costs (`total`, fixed point): the fractional
/// knapsack over `order` (increasing p_i / w_i) until `rem` weight, skipping the elements
/// `skip` says are covered already; then rounded up to whole tenge (0 when not positive).
/// Shared by the root bound and branch and bound's node bounds.
pub(crate) fn round_up_with_knapsack(
    mut total: i128,
    p: &[u128],
    weight: &[u64],
    order: &[u32],
    mut rem: u64,
    skip: impl Fn(usize) -> bool,
) -> u64 {
    for &i in order {
        if rem == 0 {
            break;
        }
        let i = i as usize;
        if skip(i) {
            continue;
        }
        let w = weight[i];
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
    let s = 1i128 << SCALE_BITS;
    u64::try_from((total + s - 1) / s).unwrap_or(u64::MAX)
}
