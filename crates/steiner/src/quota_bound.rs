//! A certified lower bound for the quota problem by Lagrangian relaxation of the quota.
//!
//! For a multiplier `l >= 0` and any tree `T` holding the root with prize at least `H`:
//! `c(T) + l * p(outside T)` is a prize-collecting objective with prizes `l * p`, so it is
//! at least any lower bound `B(l)` of that problem (here [`dual_ascent`] on its
//! arborescence form), and `p(outside T) <= P - H` for the total prize `P`. Hence
//! `c(T) >= B(l) - l * (P - H)` for every such tree. Prizes are rounded down to integers
//! (which only lowers `B`), so the bound stays certified in integer arithmetic.
//!
//! The best multiplier is near the marginal cost per unit of prize at the quota. A grid
//! over `log l` around the cost per prize of a known solution, then halving steps around
//! the best point, spends a fixed number of ascents (in parallel); every evaluated value
//! is a valid bound and the largest is returned.
//!
//! Reference: M. L. Fisher, "The Lagrangian relaxation method for solving integer
//! programming problems", Management Science 27 (1981).
//!
//! [`dual_ascent`]: crate::dual_ascent

use crate::dual_ascent::{ascend, ArcGraph};
use crate::graph::{Cost, Graph, NodeId};
use rayon::prelude::*;

/// Lower bound on the edge cost of any tree holding `root` with prize at least `quota`,
/// given a known tree's `(cost, prize)` as the scale of the multiplier. `evaluations`
/// ascents of about `work` scanned arcs each. Never negative.
pub fn quota_lower_bound(
    g: &Graph,
    prizes: &[Cost],
    root: NodeId,
    quota: Cost,
    known: (Cost, Cost),
    evaluations: usize,
    work: u64,
) -> Cost {
    let total: Cost = prizes.iter().sum();
    if quota <= prizes[root as usize] || known.1 <= 0 || known.0 <= 0 {
        return 0;
    }
    let slack = (total - quota).max(0) as i128;
    // Multiplier l = ratio * 2^x with ratio the known cost per prize, x in [-3, 3].
    let (num, den) = (known.0 as i128, known.1 as i128);
    let bound_at = |x: f64| -> Cost {
        // l as a fraction num * s / (den * 1024), s = round(1024 * 2^x).
        let s = (1024.0 * x.exp2()).round().max(1.0) as i128;
        let (ln, ld) = (num * s, den * 1024);
        let scaled: Vec<Cost> = prizes
            .iter()
            .map(|&p| ((p as i128 * ln) / ld).min(Cost::MAX as i128 / 4) as Cost)
            .collect();
        let (ag, terms) = ArcGraph::prize_collecting(g, &scaled, root);
        let b = ascend(&ag, &terms, root, work).lower_bound as i128;
        // ceil(l * slack), subtracted: rounding up keeps the bound certified.
        let pay = (slack * ln + ld - 1) / ld;
        (b - pay).clamp(0, Cost::MAX as i128) as Cost
    };
    // A coarse grid (marginal cost per prize is usually above the average, hence the
    // skew), then halving steps around the best point; each round's points in parallel.
    let mut evals: Vec<(f64, Cost)> = [-1.0, 0.0, 1.0, 2.0]
        .par_iter()
        .take(evaluations.max(1))
        .map(|&x| (x, bound_at(x)))
        .collect();
    let mut step = 0.5;
    while evals.len() + 2 <= evaluations {
        // Best so far; ties to the smaller multiplier.
        let (xb, _) = evals
            .iter()
            .copied()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)))
            .expect("at least one evaluation");
        let round: Vec<(f64, Cost)> = [xb - step, xb + step]
            .par_iter()
            .map(|&x| (x, bound_at(x)))
            .collect();
        evals.extend(round);
        step /= 2.0;
    }
    evals.iter().map(|e| e.1).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_on_a_star_is_below_the_optimum_and_positive() {
        // root 0; villages 1..=3 with 10 households each behind edges of 5, 7 and 30.
        // The cheapest tree with 20 households costs 12.
        let g = Graph::from_edges(4, &[(0, 1, 5), (0, 2, 7), (0, 3, 30)]);
        let prizes = [0, 10, 10, 10];
        let lb = quota_lower_bound(&g, &prizes, 0, 20, (12, 20), 8, u64::MAX);
        assert!(lb <= 12, "{lb}");
        assert!(lb >= 10, "{lb}");
    }

    #[test]
    fn quota_met_by_the_root_needs_nothing() {
        let g = Graph::from_edges(2, &[(0, 1, 5)]);
        assert_eq!(
            quota_lower_bound(&g, &[10, 10], 0, 10, (0, 10), 6, u64::MAX),
            0
        );
    }
}
