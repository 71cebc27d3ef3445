//! The Lagrangian quota bound (`quota_bound`) against the exact oracle on many small
//! random graphs (never above the optimum, whatever multiplier scale it is given), by hand
//! on a star, and the same at any thread count.

use fiberplan_steiner::exact::{brute_force, Problem};
use fiberplan_steiner::quota_bound::{quota_lower_bound, BoundWork};
use fiberplan_steiner::{solve_budget, solve_quota, Cost, Graph, Instance, Options};
use proptest::prelude::*;

mod common;
use common::arb_instance;

const DEFAULT: BoundWork = BoundWork {
    ascent: 12_000_000,
    rounds: 3,
    finish: 0,
    refine: 0,
};

/// Root 0; leaves 1, 2, 3 behind edges of 2, 4, 5 with prizes 3, 8, 4 (P = 15); quota 12.
/// The optimum is {2, 3} at 9. The ascent is exact on a star, so the Lagrangian value is
/// `min(2, 3l) + min(4, 8l) + min(5, 4l) - 3l`: 4 + 4l up to l = 2/3, then 6 + l up to
/// l = 5/4, then 11 - 3l; its maximum 7.25 at l = 5/4 (a duality gap of 1.75). In integers
/// (prizes rounded down, `3l` up) the bound is 7 for l in [5/4, 4/3] and 6 at the
/// bracket's two points l = 3/4 and 3/2 (the known tree's cost per prize, and twice it).
fn star() -> Instance {
    Instance {
        graph: Graph::from_edges(4, &[(0, 1, 2), (0, 2, 4), (0, 3, 5)]),
        terminals: vec![],
        root: Some(0),
        prizes: vec![0, 3, 8, 4],
    }
}

#[test]
fn bound_by_hand_on_a_star() {
    let inst = star();
    let bound = |rounds| {
        let work = BoundWork { rounds, ..DEFAULT };
        quota_lower_bound(&inst.graph, &inst.prizes, 0, 12, (9, 12), work)
    };
    assert_eq!(bound(0), 6);
    // Trisection on the joined prize: l = 0.945 and 1.19 join 8 and 11 (below the quota),
    // then l = 1.286 reaches 7.
    assert_eq!(bound(3), 7);
    // The driver's branch-and-bound (quota_prove) closes the duality gap: deleting node 2
    // leaves prize 7 < 12, so every child but the one requiring it falls, and there the
    // ascent at the same multiplier pays 9.
    let sol = solve_quota(&inst, 12, &Options::default());
    assert_eq!((sol.cost, sol.prize, sol.lower_bound), (9, 12, Some(9)));
    assert!(sol.optimal);
}

#[test]
fn quota_out_of_reach_bounds_the_tree_of_everything_reachable() {
    // Node 3 is cut off: the quota 15 cannot be met; the tree of 1 and 2 (cost 6, prize
    // 11) is the answer, and the bound is for prize 11 (slack 4, node 3's prize): the
    // value `min(2, 3l) + min(4, 8l) + 4l - 4l` is 6 from l = 2/3 on, but in integers the
    // prize 4l is rounded down and the slack 4l up, one apart unless 4l is whole. For the
    // quota 15 itself (slack 0) the value would grow with l without end. The driver's
    // branch-and-bound then proves the tree: 6.
    let inst = Instance {
        graph: Graph::from_edges(4, &[(0, 1, 2), (0, 2, 4)]),
        terminals: vec![],
        root: Some(0),
        prizes: vec![0, 3, 8, 4],
    };
    let sol = solve_quota(&inst, 15, &Options::default());
    assert_eq!((sol.cost, sol.prize), (6, 11));
    assert_eq!(sol.lower_bound, Some(6));
    let prizes = inst.prize_vec();
    let lb = quota_lower_bound(&inst.graph, &prizes, 0, 15, (6, 11), DEFAULT);
    assert_eq!(lb, 5);
}

/// Random cases of the proof-mode property: `FIBERPLAN_PROVE_CASES` (default 150).
fn prove_cases() -> u32 {
    std::env::var("FIBERPLAN_PROVE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(prove_cases()))]

    /// `--prove --quota`: the proven value is the brute-force optimum, the tree holds the
    /// root and the quota, the bound equals the value; the default mode's bound is below
    /// the optimum and its tree no cheaper; one and two threads give the same answer.
    #[test]
    fn proven_quota_trees_are_optimal(inst in arb_instance(11), frac in 0u32..=100) {
        let mut inst = inst;
        let root = inst.terminals[0];
        inst.root = Some(root);
        let reach = solve_quota(&inst, Cost::MAX, &Options::default()).prize;
        let quota = reach * frac as Cost / 100;
        let Some(opt) = brute_force(&inst, Problem::Quota(quota)) else {
            return Ok(());
        };
        let prove = Options { prove: true, threads: Some(1), ..Options::default() };
        let sol = solve_quota(&inst, quota, &prove);
        prop_assert!(sol.optimal, "not proven: {:?}", sol);
        prop_assert_eq!(sol.cost, opt);
        prop_assert_eq!(sol.lower_bound, Some(opt));
        prop_assert!(sol.prize >= quota);
        prop_assert!(sol.nodes.contains(&root));
        let two = solve_quota(&inst, quota, &Options { threads: Some(2), ..prove });
        prop_assert_eq!(&sol, &two);
        let default = solve_quota(&inst, quota, &Options::default());
        prop_assert!(default.cost >= opt && default.prize >= quota);
        prop_assert!(default.lower_bound.is_some_and(|b| b <= opt));
        prop_assert_eq!(default.optimal, default.lower_bound == Some(default.cost));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(prove_cases()))]

    /// `--prove --budget`: when proven, no tree within the budget holds more prize (brute
    /// force); proven or not, the tree is within the budget and holds the root.
    #[test]
    fn proven_budget_trees_hold_the_most_prize(inst in arb_instance(11), frac in 0u32..=100) {
        let mut inst = inst;
        let root = inst.terminals[0];
        inst.root = Some(root);
        let all = solve_quota(&inst, Cost::MAX, &Options::default()).cost;
        let budget = all * frac as Cost / 100;
        let Some(best) = brute_force(&inst, Problem::Budget(budget)) else {
            return Ok(());
        };
        let prove = Options { prove: true, threads: Some(1), ..Options::default() };
        let sol = solve_budget(&inst, budget, &prove);
        prop_assert!(sol.cost <= budget, "{:?}", sol);
        prop_assert!(sol.nodes.contains(&root));
        prop_assert!(sol.optimal, "not proven: {:?}", sol);
        prop_assert_eq!(sol.prize, best);
        let two = solve_budget(&inst, budget, &Options { threads: Some(2), ..prove });
        prop_assert_eq!(&sol, &two);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Certified: below the optimum for the solver's own tree as the multiplier's scale and
    /// for arbitrary scales, with the full search and with a tiny ascent budget.
    #[test]
    fn bound_never_exceeds_the_optimum(
        inst in arb_instance(10),
        frac in 0u32..=100,
        scale in (1 as Cost..1000, 1 as Cost..100),
        ascent in prop_oneof![Just(u64::MAX), 1u64..40],
    ) {
        let mut inst = inst;
        let root = inst.terminals[0];
        inst.root = Some(root);
        let reach = solve_quota(&inst, Cost::MAX, &Options::default()).prize;
        let quota = reach * frac as Cost / 100;
        let Some(opt) = brute_force(&inst, Problem::Quota(quota)) else {
            return Ok(());
        };
        let sol = solve_quota(&inst, quota, &Options::default());
        prop_assert!(sol.lower_bound.is_some_and(|b| b <= opt), "{:?} > {opt}", sol.lower_bound);
        let prizes = inst.prize_vec();
        // A cut search goes on at four times the budget, four ascents on the bound's value.
        let work = BoundWork { ascent, rounds: 6, finish: ascent.saturating_mul(4), refine: 4 };
        for known in [(sol.cost.max(1), sol.prize.max(1)), scale] {
            let lb = quota_lower_bound(&inst.graph, &prizes, root, quota, known, work);
            prop_assert!(lb <= opt, "bound {lb} > optimum {opt} with scale {known:?}");
            prop_assert!(lb >= 0);
        }
    }

    /// Two threads evaluate the multiplier's pairs in parallel; one evaluates them in turn.
    #[test]
    fn same_bound_at_any_thread_count(inst in arb_instance(14), frac in 0u32..=100) {
        let mut inst = inst;
        inst.root = Some(inst.terminals[0]);
        let quota = inst.total_prize() * frac as Cost / 100;
        let a = solve_quota(&inst, quota, &Options { threads: Some(1), ..Options::default() });
        let b = solve_quota(&inst, quota, &Options { threads: Some(2), ..Options::default() });
        prop_assert_eq!(a, b);
    }
}
