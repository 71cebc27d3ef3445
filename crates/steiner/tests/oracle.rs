//! Differential tests against the exact oracle on many small random graphs, plus
//! hand-checkable fixtures and determinism across thread counts.

use fiberplan_steiner::exact::{brute_force, Problem};
use fiberplan_steiner::tree::is_tree_spanning;
use fiberplan_steiner::{
    solve_budget, solve_pcst, solve_quota, solve_steiner, Cost, Graph, Instance, NodeId, Options,
    Solution,
};
use proptest::prelude::*;

/// Random connected-or-not small graph: a random spanning tree (when `connected`) plus
/// extra edges, weights 0..=20.
fn arb_instance(max_n: usize) -> impl Strategy<Value = Instance> {
    (3..=max_n, any::<u64>(), any::<bool>(), any::<bool>()).prop_map(
        |(n, seed, connected, rooted)| {
            let mut s = seed;
            let mut next = move |m: u64| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (s >> 33) % m
            };
            let mut edges = Vec::new();
            for v in 1..n as u64 {
                if connected || next(4) != 0 {
                    let u = next(v);
                    edges.push((u as NodeId, v as NodeId, next(21) as Cost));
                }
            }
            let extra = next(2 * n as u64) as usize;
            for _ in 0..extra {
                let u = next(n as u64) as NodeId;
                let v = next(n as u64) as NodeId;
                edges.push((u, v, next(21) as Cost));
            }
            let k = 2 + next(n as u64 - 1) as usize;
            let mut terminals: Vec<NodeId> = (0..k).map(|_| next(n as u64) as NodeId).collect();
            terminals.sort_unstable();
            terminals.dedup();
            let prizes: Vec<Cost> = (0..n)
                .map(|_| if next(2) == 0 { 0 } else { next(40) as Cost })
                .collect();
            let root = rooted.then(|| terminals[0]);
            Instance {
                graph: Graph::from_edges(n, &edges),
                terminals,
                root,
                prizes,
            }
        },
    )
}

fn check_tree(inst: &Instance, sol: &Solution, required: &[NodeId]) {
    let g = &inst.graph;
    assert!(
        is_tree_spanning(g, &sol.edges, required),
        "not a tree over {required:?}: {sol:?}"
    );
    let cost: Cost = sol.edges.iter().map(|&e| g.edge(e).2).sum();
    assert_eq!(cost, sol.cost);
    let prize: Cost = sol.nodes.iter().map(|&v| inst.prize(v)).sum();
    assert_eq!(prize, sol.prize);
    assert!(sol.edges.windows(2).all(|w| w[0] < w[1]));
    assert!(sol.nodes.windows(2).all(|w| w[0] < w[1]));
}

fn restricted(inst: &Instance, sol: &Solution) -> Instance {
    let mut r = inst.clone();
    r.terminals.retain(|t| !sol.unreachable.contains(t));
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn steiner_matches_exact(inst in arb_instance(11)) {
        let sol = solve_steiner(&inst, &Options::default());
        let r = restricted(&inst, &sol);
        let mut required = r.terminals.clone();
        required.extend(r.root);
        check_tree(&inst, &sol, &required);
        let opt = brute_force(&r, Problem::Steiner).expect("reachable terminals");
        prop_assert_eq!(sol.cost, opt);
        if let Some(lb) = sol.lower_bound { prop_assert!(lb <= opt); }
    }

    #[test]
    fn pcst_matches_exact(inst in arb_instance(10)) {
        let sol = solve_pcst(&inst, &Options::default());
        check_tree(&inst, &sol, &inst.root.into_iter().collect::<Vec<_>>());
        let opt = brute_force(&inst, Problem::Pcst).unwrap();
        prop_assert_eq!(sol.objective, sol.cost + inst.total_prize() - sol.prize);
        prop_assert!(sol.objective >= opt);
        if let Some(lb) = sol.lower_bound { prop_assert!(lb <= opt); }
    }

    #[test]
    fn quota_matches_exact(inst in arb_instance(10), frac in 0u32..=100) {
        let mut inst = inst;
        inst.root = Some(inst.terminals[0]);
        let reach: Cost = {
            let s = solve_quota(&inst, Cost::MAX, &Options::default());
            s.prize
        };
        let quota = reach * frac as Cost / 100;
        let sol = solve_quota(&inst, quota, &Options::default());
        check_tree(&inst, &sol, &[inst.root.unwrap()]);
        prop_assert!(sol.prize >= quota);
        let opt = brute_force(&inst, Problem::Quota(quota)).unwrap();
        prop_assert!(sol.cost >= opt);
    }

    #[test]
    fn budget_matches_exact(inst in arb_instance(10), budget in 0 as Cost..60) {
        let mut inst = inst;
        inst.root = Some(inst.terminals[0]);
        let sol = solve_budget(&inst, budget, &Options::default());
        check_tree(&inst, &sol, &[inst.root.unwrap()]);
        prop_assert!(sol.cost <= budget);
        let opt = brute_force(&inst, Problem::Budget(budget)).unwrap();
        prop_assert!(sol.prize <= opt);
    }

    #[test]
    fn same_answer_on_any_thread_count(inst in arb_instance(14), seed in any::<u64>()) {
        let a = solve_steiner(&inst, &Options { seed, threads: Some(1), ..Options::default() });
        let b = solve_steiner(&inst, &Options { seed, threads: Some(3), ..Options::default() });
        prop_assert_eq!(a, b);
        let a = solve_pcst(&inst, &Options { seed, threads: Some(1), ..Options::default() });
        let b = solve_pcst(&inst, &Options { seed, threads: Some(2), ..Options::default() });
        prop_assert_eq!(a, b);
    }
}

#[test]
fn disconnected_terminals_are_reported_not_panicked() {
    let g = Graph::from_edges(5, &[(0, 1, 2), (1, 2, 2), (3, 4, 1)]);
    let inst = Instance {
        graph: g,
        terminals: vec![0, 2, 4],
        root: Some(0),
        prizes: vec![],
    };
    let sol = solve_steiner(&inst, &Options::default());
    assert_eq!(sol.edges, vec![0, 1]);
    assert_eq!(sol.unreachable, vec![4]);
}

#[test]
fn one_vertex_tree() {
    let g = Graph::from_edges(2, &[(0, 1, 2)]);
    let inst = Instance {
        graph: g,
        terminals: vec![1],
        root: None,
        prizes: vec![],
    };
    let sol = solve_steiner(&inst, &Options::default());
    assert_eq!(
        (sol.nodes.clone(), sol.edges.len(), sol.cost),
        (vec![1], 0, 0)
    );
}
