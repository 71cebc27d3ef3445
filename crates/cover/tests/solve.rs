//! Hand-checkable instances with exact figures, and differential tests against a
//! brute-force oracle on random small instances.

mod common;

use common::{brute_force, naive_greedy};
use fiberplan_cover::{greedy, solve, CoverError, Instance, Options};
use proptest::prelude::*;

/// Heuristics and the root Lagrangian bound only.
fn no_bnb() -> Options {
    Options {
        exact_node_limit: 0,
        lagrangian_bnb_nodes: 0,
        ..Options::default()
    }
}

/// The classic instance on which greedy is a factor H(n) off: elements 0..2k in two rows,
/// two row sets of cost 1 + eps, and column blocks of sizes 2, 4, 8, ... that greedy
/// prefers.
#[test]
fn classic_greedy_trap() {
    // Rows: {0..7} and {8..15} cost 101 each. Blocks: {0,8}, {1,9,2,10}, {3..7, 11..15}
    // (sizes 2, 4, 10) cost 100 each: ratios 10/100 for the big block beat 8/101.
    let row_a: Vec<u32> = (0..8).collect();
    let row_b: Vec<u32> = (8..16).collect();
    let b1 = vec![0, 8];
    let b2 = vec![1, 2, 9, 10];
    let b3 = vec![3, 4, 5, 6, 7, 11, 12, 13, 14, 15];
    let inst = Instance {
        costs: vec![101, 101, 100, 100, 100],
        weights: vec![1; 16],
        sets: vec![row_a, row_b, b1, b2, b3],
        target: 16,
    };
    // Greedy: b3 (10/100), then b2 (4/100 vs rows 3/101), then b1 (2/100 vs 1/101).
    assert_eq!(greedy(&inst).unwrap(), vec![2, 3, 4]);
    let sol = solve(&inst, &Options::default()).unwrap();
    assert_eq!(sol.greedy_cost, 300);
    assert_eq!(sol.chosen, vec![0, 1]);
    assert_eq!(sol.cost, 202);
    assert_eq!(sol.covered_weight, 16);
    assert!(sol.proven_optimal);
    assert_eq!(sol.lower_bound, 202);
    assert_eq!(sol.gap_pct(), 0.0);
    // Without branch and bound the Lagrangian bound alone is certified and below.
    let sol = solve(&inst, &no_bnb()).unwrap();
    assert!(sol.lower_bound <= 202);
    assert_eq!(sol.cost, 202, "local search finds the two rows");
}

/// Partial target: only 12 of 16 elements needed; existing site free.
#[test]
fn partial_target_with_existing_site() {
    let inst = Instance {
        costs: vec![0, 50, 30, 30, 70],
        weights: vec![100, 100, 100, 100, 100, 100, 100, 100],
        sets: vec![
            vec![0, 1],
            vec![2, 3, 4],
            vec![2, 3],
            vec![4, 5],
            vec![2, 3, 4, 5, 6, 7],
        ],
        target: 500,
    };
    // Free: 0 covers 200. Need 300 more. Ratios: 1: 300/50=6, 2: 200/30=6.67, 3: 6.67,
    // 4: 600/70=8.57 -> greedy takes 4 (covers 800 total), cost 70.
    assert_eq!(greedy(&inst).unwrap(), vec![0, 4]);
    let sol = solve(&inst, &Options::default()).unwrap();
    // Optimum: candidate 1 alone (300 more) at 50.
    assert_eq!(sol.chosen, vec![0, 1]);
    assert_eq!(sol.cost, 50);
    assert_eq!(sol.greedy_cost, 70);
    assert_eq!(sol.covered_weight, 500);
    assert!(sol.proven_optimal);
    assert_eq!(brute_force(&inst), 50);
}

/// Target met by the existing sites alone: nothing new.
#[test]
fn existing_sites_suffice() {
    let inst = Instance {
        costs: vec![5, 0],
        weights: vec![10, 10],
        sets: vec![vec![0, 1], vec![1]],
        target: 10,
    };
    assert_eq!(greedy(&inst).unwrap(), vec![1]);
    let sol = solve(&inst, &Options::default()).unwrap();
    assert_eq!(
        (sol.cost, sol.lower_bound, sol.chosen.clone()),
        (0, 0, vec![1])
    );
    assert_eq!(sol.gap_pct(), 0.0);
}

#[test]
fn ties_go_to_the_lower_index() {
    let inst = Instance {
        costs: vec![10, 10, 20],
        weights: vec![1, 1, 1, 1],
        sets: vec![vec![0, 1], vec![2, 3], vec![0, 1, 2, 3]],
        target: 2,
    };
    assert_eq!(greedy(&inst).unwrap(), vec![0]);
}

#[test]
fn errors() {
    let inst = Instance {
        costs: vec![1],
        weights: vec![1, 1],
        sets: vec![vec![0]],
        target: 2,
    };
    assert_eq!(
        solve(&inst, &Options::default()),
        Err(CoverError::Infeasible {
            coverable: 1,
            target: 2
        })
    );
    assert!(matches!(greedy(&inst), Err(CoverError::Infeasible { .. })));
}

fn arb_instance() -> impl Strategy<Value = Instance> {
    (1usize..=12, 1usize..=14).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(prop_oneof![1 => Just(0u64), 6 => 1u64..=40], n),
            proptest::collection::vec(prop_oneof![1 => Just(0u64), 8 => 1u64..=25], m),
            proptest::collection::vec(proptest::collection::vec(any::<bool>(), m), n),
            0u64..=1000,
        )
            .prop_map(|(costs, weights, masks, per_mille)| {
                let sets = masks
                    .iter()
                    .map(|mk| (0..mk.len() as u32).filter(|&i| mk[i as usize]).collect())
                    .collect();
                common::with_share(
                    Instance {
                        costs,
                        weights,
                        sets,
                        target: 0,
                    },
                    per_mille,
                )
            })
    })
}

fn check_solution(inst: &Instance, sol: &fiberplan_cover::Solution) {
    assert!(sol.chosen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(sol.cost, inst.cost_of(&sol.chosen));
    assert_eq!(sol.covered_weight, inst.covered_weight(&sol.chosen));
    assert!(sol.covered_weight >= inst.target);
    for (j, &c) in inst.costs.iter().enumerate() {
        if c == 0 {
            assert!(sol.chosen.contains(&(j as u32)), "free site {j} not taken");
        }
    }
    assert!(sol.lower_bound <= sol.cost);
}

proptest! {
    // Case count: proptest's default, or PROPTEST_CASES from the environment.

    #[test]
    fn greedy_matches_the_naive_greedy(inst in arb_instance()) {
        let g = greedy(&inst).unwrap();
        prop_assert_eq!(&g, &naive_greedy(&inst));
        prop_assert!(inst.covered_weight(&g) >= inst.target);
    }

    #[test]
    fn heuristic_and_bound_bracket_the_optimum(inst in arb_instance()) {
        let opt = brute_force(&inst);
        let sol = solve(&inst, &no_bnb()).unwrap();
        check_solution(&inst, &sol);
        prop_assert!(sol.cost >= opt);
        prop_assert!(sol.lower_bound <= opt, "bound {} above optimum {}", sol.lower_bound, opt);
        prop_assert!(sol.stats.root_bound <= opt, "root bound {} above optimum {}", sol.stats.root_bound, opt);
        prop_assert!(sol.cost <= sol.greedy_cost);
        prop_assert_eq!(sol.greedy_cost, inst.cost_of(&greedy(&inst).unwrap()));
        if sol.proven_optimal {
            prop_assert_eq!(sol.cost, opt);
        }
    }

    #[test]
    fn best_first_bound_is_valid(inst in arb_instance()) {
        let opt = brute_force(&inst);
        let opts = Options { exact_node_limit: 0, lagrangian_bnb_iterations: 20, ..Options::default() };
        let sol = solve(&inst, &opts).unwrap();
        check_solution(&inst, &sol);
        prop_assert!(sol.lower_bound <= opt, "bound {} above optimum {}", sol.lower_bound, opt);
        prop_assert!(sol.cost >= opt);
        if sol.proven_optimal {
            prop_assert_eq!(sol.cost, opt);
        }
        // With room to finish, the best-first search alone is exact.
        let opts = Options { exact_node_limit: 0, lagrangian_bnb_nodes: 100_000, lagrangian_bnb_work: u64::MAX, ..Options::default() };
        let sol = solve(&inst, &opts).unwrap();
        prop_assert_eq!(sol.cost, opt);
        prop_assert!(sol.proven_optimal);
    }

    #[test]
    fn branch_and_bound_is_exact(inst in arb_instance()) {
        let opt = brute_force(&inst);
        let sol = solve(&inst, &Options::default()).unwrap();
        check_solution(&inst, &sol);
        prop_assert_eq!(sol.cost, opt);
        prop_assert!(sol.proven_optimal);
        prop_assert_eq!(sol.lower_bound, opt);
    }

    #[test]
    fn bound_without_local_search_is_still_below(inst in arb_instance()) {
        let opt = brute_force(&inst);
        let opts = Options { local_search: false, exact_node_limit: 0, lagrangian_iterations: 50, ..Options::default() };
        let sol = solve(&inst, &opts).unwrap();
        check_solution(&inst, &sol);
        prop_assert!(sol.lower_bound <= opt);
        prop_assert!(sol.stats.root_bound <= opt);
        prop_assert!(sol.cost >= opt);
    }

    #[test]
    fn same_input_same_output(inst in arb_instance()) {
        let a = solve(&inst, &no_bnb()).unwrap();
        let b = solve(&inst, &no_bnb()).unwrap();
        prop_assert_eq!(a, b);
    }
}

/// Random instances whose costs share a common factor (unit-cost sites at a price, or a
/// few price levels), where the bound is rounded up to a multiple of it.
fn arb_multiple_instance() -> impl Strategy<Value = Instance> {
    (arb_instance(), 2u64..=60, any::<bool>()).prop_map(|(mut inst, g, unit)| {
        for c in inst.costs.iter_mut() {
            if *c > 0 {
                *c = if unit { g } else { g * (1 + *c % 3) };
            }
        }
        inst
    })
}

proptest! {
    #[test]
    fn rounded_bounds_stay_below_the_optimum(inst in arb_multiple_instance()) {
        let opt = brute_force(&inst);
        let sol = solve(&inst, &no_bnb()).unwrap();
        check_solution(&inst, &sol);
        prop_assert!(sol.lower_bound <= opt, "bound {} above optimum {}", sol.lower_bound, opt);
        prop_assert!(sol.stats.root_bound <= opt, "root bound {} above optimum {}", sol.stats.root_bound, opt);
        let opts = Options { exact_node_limit: 0, lagrangian_bnb_iterations: 20, ..Options::default() };
        let sol = solve(&inst, &opts).unwrap();
        prop_assert!(sol.lower_bound <= opt, "best-first bound {} above optimum {}", sol.lower_bound, opt);
        let sol = solve(&inst, &Options::default()).unwrap();
        prop_assert_eq!(sol.cost, opt);
        prop_assert!(sol.proven_optimal);
    }
}

/// Three unit-price sites on a triangle of three cells, each covering two: the LP (and the
/// Lagrangian) bound is 1.5 sites, but every cover costs a whole number of sites, so the
/// certified bound is 2 sites and proves the two-site cover optimal with no search.
#[test]
fn bound_is_a_whole_number_of_sites() {
    let inst = Instance {
        costs: vec![55, 55, 55],
        weights: vec![1, 1, 1],
        sets: vec![vec![0, 1], vec![1, 2], vec![0, 2]],
        target: 3,
    };
    let opts = Options {
        window_search: false,
        ..no_bnb()
    };
    let sol = solve(&inst, &opts).unwrap();
    assert_eq!(sol.cost, 110);
    assert_eq!(
        sol.stats.root_bound, 110,
        "ceil(82.5) = 83 without the rounding"
    );
    assert!(sol.proven_optimal);
    // Prices 10 and 15 (gcd 5): the LP's 12.5 rounds to 15, which a single 15 cannot reach
    // alone here (each set covers two of three cells): the optimum is 25.
    let inst = Instance {
        costs: vec![10, 15, 15],
        ..inst
    };
    let sol = solve(&inst, &opts).unwrap();
    assert_eq!(sol.cost, 25);
    assert!(
        sol.lower_bound <= 25 && sol.lower_bound.is_multiple_of(5),
        "{}",
        sol.lower_bound
    );
}

fn arb_huge_instance() -> impl Strategy<Value = Instance> {
    (1usize..=8, 1usize..=10).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(
                prop_oneof![1 => Just(0u64), 6 => (1u64 << 50)..(1u64 << 58)],
                n,
            ),
            proptest::collection::vec((1u64 << 50)..(1u64 << 58), m),
            proptest::collection::vec(proptest::collection::vec(any::<bool>(), m), n),
            0u64..=1000,
        )
            .prop_map(|(costs, weights, masks, per_mille)| {
                let sets = masks
                    .iter()
                    .map(|mk| (0..mk.len() as u32).filter(|&i| mk[i as usize]).collect())
                    .collect();
                let mut inst = Instance {
                    costs,
                    weights,
                    sets,
                    target: 0,
                };
                // per mille of the coverable weight without overflowing: (cov / 1000) * pm.
                inst.target = inst.coverable_weight() / 1000 * per_mille;
                inst
            })
    })
}

proptest! {
    /// Costs and weights near 2^58: no overflow anywhere (debug builds panic on one), and the
    /// bound still brackets the optimum.
    #[test]
    fn huge_numbers(inst in arb_huge_instance()) {
        let opt = brute_force(&inst);
        let sol = solve(&inst, &no_bnb()).unwrap();
        check_solution(&inst, &sol);
        prop_assert!(sol.stats.root_bound <= opt);
        prop_assert!(sol.cost >= opt);
        let sol = solve(&inst, &Options::default()).unwrap();
        prop_assert_eq!(sol.cost, opt);
        let sol = solve(&inst, &Options { exact_node_limit: 0, ..Options::default() }).unwrap();
        prop_assert!(sol.lower_bound <= opt && opt <= sol.cost);
    }
}

/// Every search but the regional one off, so that what it does is seen alone.
fn lns_only(passes: usize, region_sites: usize, pool: usize) -> Options {
    Options {
        local_search: false,
        lagrangian_iterations: 0,
        window_search: false,
        exact_node_limit: 0,
        lagrangian_bnb_nodes: 0,
        lns_passes: passes,
        lns_region_sites: region_sites,
        lns_pool: pool,
        lns_batch: 2,
        ..Options::default()
    }
}

/// The greedy trap again, with the regional search the only improvement: the three blocks
/// greedy takes (300) are one region (each shares elements with the rows, which link them),
/// and its exact re-solve gives the two rows (202) in one move.
#[test]
fn regional_search_escapes_the_greedy_trap() {
    let inst = Instance {
        costs: vec![101, 101, 100, 100, 100],
        weights: vec![1; 16],
        sets: vec![
            (0..8).collect(),
            (8..16).collect(),
            vec![0, 8],
            vec![1, 2, 9, 10],
            vec![3, 4, 5, 6, 7, 11, 12, 13, 14, 15],
        ],
        target: 16,
    };
    let without = solve(&inst, &lns_only(0, 3, 10)).unwrap();
    assert_eq!((without.cost, without.chosen.clone()), (300, vec![2, 3, 4]));
    let sol = solve(&inst, &lns_only(2, 3, 10)).unwrap();
    assert_eq!(sol.chosen, vec![0, 1]);
    assert_eq!(sol.cost, 202);
    assert_eq!(sol.covered_weight, 16);
    // Pass 1: seeds b1 and b2 (one batch of 2, one snapshot) both find the move, b2's is
    // stale once b1's is in; b3 is gone. Pass 2: the two rows, no move. 4 regions, 1 move.
    assert_eq!((sol.stats.lns_regions, sol.stats.lns_moves), (4, 1));
    // A region of one site cannot trade three blocks for two rows: no move.
    let sol = solve(&inst, &lns_only(2, 1, 10)).unwrap();
    assert_eq!((sol.cost, sol.stats.lns_moves), (300, 0));
}

/// Road-like random instances large enough for regions to matter (sets are intervals).
fn arb_interval_instance() -> impl Strategy<Value = Instance> {
    (4usize..=30, 10usize..=80, any::<u64>(), 300u64..=1000).prop_map(|(n, m, seed, pm)| {
        let mut rng = common::Rng(seed);
        let mut costs = Vec::new();
        let mut sets = Vec::new();
        for _ in 0..n {
            let a = rng.range(0, m as u64 - 1) as u32;
            let len = rng.range(1, 12) as u32;
            sets.push((a..(a + len).min(m as u32)).collect());
            costs.push(if rng.range(0, 9) == 0 {
                0
            } else {
                rng.range(5, 12) * 10
            });
        }
        let weights = (0..m).map(|_| rng.range(1, 9)).collect();
        common::with_share(
            Instance {
                costs,
                weights,
                sets,
                target: 0,
            },
            pm,
        )
    })
}

proptest! {
    /// The regional search never worsens the cover it starts from (the same run without
    /// it) and keeps the target; small random instances are also checked against the
    /// brute-force optimum.
    #[test]
    fn regional_search_never_worsens(inst in arb_interval_instance(), k in 1usize..=4, pool in 2usize..=12) {
        let before = solve(&inst, &lns_only(0, k, pool)).unwrap();
        let after = solve(&inst, &lns_only(3, k, pool)).unwrap();
        check_solution(&inst, &after);
        prop_assert!(after.cost <= before.cost, "{} > {}", after.cost, before.cost);
        if inst.costs.len() <= 16 {
            prop_assert!(after.cost >= brute_force(&inst));
        }
    }

    /// Byte-identical solutions at one and at two threads (batches do not depend on the
    /// thread count).
    #[test]
    fn regional_search_is_thread_count_independent(inst in arb_interval_instance(), k in 1usize..=4) {
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| solve(&inst, &lns_only(3, k, 8)).unwrap())
        };
        prop_assert_eq!(run(1), run(2));
    }
}
