//! Differential tests against the exact oracle on many small random graphs, plus
//! hand-checkable fixtures and determinism across thread counts.

use fiberplan_steiner::dual_ascent::{ascend, ascend_reference, dual_ascent, ArcGraph};
use fiberplan_steiner::exact::{brute_force, Problem};
use fiberplan_steiner::mehlhorn::mehlhorn;
use fiberplan_steiner::tree::{is_tree_spanning, mst_and_prune, tree_cost};
use fiberplan_steiner::{
    solve_budget, solve_pcst, solve_quota, solve_steiner, Cost, Graph, Instance, NodeId, Options,
    Solution,
};
use proptest::prelude::*;

mod common;
use common::arb_instance;

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

/// Road-like: a grid with edges subdivided into degree-2 chains, some edges dropped.
fn arb_road() -> impl Strategy<Value = Instance> {
    (3u32..7, 0u32..3, 2usize..8, any::<u64>()).prop_map(|(side, chain, k, seed)| {
        let mut rng = common::Lcg(seed);
        let mut next = move |m: u64| rng.next(m);
        let mut edges = Vec::new();
        let mut n = side * side;
        for r in 0..side {
            for c in 0..side {
                let v = r * side + c;
                let mut nbrs = Vec::new();
                if c + 1 < side {
                    nbrs.push(v + 1);
                }
                if r + 1 < side && next(5) != 0 {
                    nbrs.push(v + side);
                }
                for u in nbrs {
                    let mut prev = v;
                    for _ in 0..chain {
                        edges.push((prev, n, 1 + next(9) as Cost));
                        prev = n;
                        n += 1;
                    }
                    edges.push((prev, u, 1 + next(9) as Cost));
                }
            }
        }
        let terminals: Vec<NodeId> = (0..k).map(|_| next(n as u64) as NodeId).collect();
        let prizes = (0..n)
            .map(|_| if next(3) == 0 { next(30) as Cost } else { 0 })
            .collect();
        Instance {
            graph: Graph::from_edges(n as usize, &edges),
            root: Some(terminals[0]),
            terminals,
            prizes,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn road_like_reductions_and_heuristics(inst in arb_road()) {
        let exact = solve_steiner(&inst, &Options::default());
        let exact_unreduced = solve_steiner(&inst, &Options { reduce: false, ..Options::default() });
        prop_assert_eq!(exact.cost, exact_unreduced.cost);
        let heur = solve_steiner(&inst, &Options { exact: false, ..Options::default() });
        prop_assert_eq!(&heur.unreachable, &exact.unreachable);
        let r = restricted(&inst, &heur);
        let mut required = r.terminals.clone();
        required.extend(r.root);
        check_tree(&inst, &heur, &required);
        prop_assert!(heur.cost >= exact.cost);
        prop_assert!(heur.lower_bound.unwrap() <= exact.cost);
        // prize problems stay valid and feasible on chains too
        let reachable = solve_quota(&inst, Cost::MAX, &Options::default()).prize;
        let q = reachable / 2;
        let sq = solve_quota(&inst, q, &Options::default());
        check_tree(&inst, &sq, &[inst.root.unwrap()]);
        prop_assert!(sq.prize >= q);
        let sb = solve_budget(&inst, 20, &Options::default());
        check_tree(&inst, &sb, &[inst.root.unwrap()]);
        prop_assert!(sb.cost <= 20);
        let sp = solve_pcst(&inst, &Options::default());
        check_tree(&inst, &sp, &[inst.root.unwrap()]);
    }
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
    fn heuristics_valid_never_worse_than_mehlhorn_and_bounded_below(inst in arb_instance(12)) {
        let opts = Options { exact: false, ..Options::default() };
        let sol = solve_steiner(&inst, &opts);
        let r = restricted(&inst, &sol);
        let mut required = r.terminals.clone();
        required.extend(r.root);
        required.sort_unstable();
        required.dedup();
        check_tree(&inst, &sol, &required);
        let opt = brute_force(&r, Problem::Steiner).expect("reachable terminals");
        prop_assert!(sol.cost >= opt);
        if let Some(lb) = sol.lower_bound {
            prop_assert!(lb <= opt, "lower bound {} above optimum {}", lb, opt);
        }
        if required.len() >= 2 {
            let g = &inst.graph;
            let w: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
            let mut keep = vec![false; g.num_nodes()];
            for &t in &required {
                keep[t as usize] = true;
            }
            let m = mst_and_prune(g, &mehlhorn(g, &w, &required), &[], &keep);
            prop_assert!(sol.cost <= tree_cost(g, &m));
        }
    }

    #[test]
    fn reductions_keep_the_optimum(inst in arb_instance(14)) {
        // Exact on both sides: the reduced instance must have the same optimum, and the
        // expanded tree must be a valid tree of the input.
        let on = solve_steiner(&inst, &Options::default());
        let off = solve_steiner(&inst, &Options { reduce: false, ..Options::default() });
        prop_assert_eq!(on.cost, off.cost);
        prop_assert_eq!(&on.unreachable, &off.unreachable);
        let r = restricted(&inst, &on);
        let mut required = r.terminals.clone();
        required.extend(r.root);
        check_tree(&inst, &on, &required);
    }

    #[test]
    fn dual_ascent_never_exceeds_optimum(inst in arb_instance(11)) {
        let opts = Options { exact: false, ..Options::default() };
        let sol = solve_steiner(&inst, &opts);
        let r = restricted(&inst, &sol);
        let opt = brute_force(&r, Problem::Steiner).unwrap();
        let mut terms = r.terminals.clone();
        terms.extend(r.root);
        terms.sort_unstable();
        terms.dedup();
        for &root in &terms {
            prop_assert!(dual_ascent(&inst.graph, &terms, root, u64::MAX) <= opt);
        }
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
    fn prize_collecting_ascent_never_exceeds_optimum(inst in arb_instance(10)) {
        let mut inst = inst;
        let root = inst.terminals[0];
        inst.root = Some(root);
        let opt = brute_force(&inst, Problem::Pcst).unwrap();
        let (ag, terms) = ArcGraph::prize_collecting(&inst.graph, &inst.prize_vec(), root);
        let a = ascend(&ag, &terms, root, u64::MAX);
        prop_assert!(a.complete);
        prop_assert!(a.reduced.iter().all(|&r| r >= 0));
        prop_assert!(a.lower_bound <= opt, "bound {} > optimum {}", a.lower_bound, opt);
    }

    #[test]
    fn ascent_matches_the_reference_bit_for_bit(inst in arb_instance(60), scale in 1 as Cost..50) {
        // The closures that stop at nodes the root is known to reach, with the reduced
        // costs kept by place, raise the same cuts as Wong's ascent searched to the end:
        // the same bound and the same reduced costs, for Steiner trees from every
        // terminal and for prize-collecting trees at a prize scale.
        let g = &inst.graph;
        let bi = ArcGraph::bidirected(g);
        for &root in &inst.terminals {
            let a = ascend(&bi, &inst.terminals, root, u64::MAX);
            let b = ascend_reference(&bi, &inst.terminals, root, u64::MAX);
            prop_assert_eq!((a.lower_bound, a.complete), (b.lower_bound, b.complete));
            prop_assert_eq!(a.reduced, b.reduced);
        }
        let root = inst.terminals[0];
        let prizes: Vec<Cost> = inst.prize_vec().iter().map(|&p| p * scale / 8).collect();
        let (ag, terms) = ArcGraph::prize_collecting(g, &prizes, root);
        let a = ascend(&ag, &terms, root, u64::MAX);
        let b = ascend_reference(&ag, &terms, root, u64::MAX);
        prop_assert_eq!((a.lower_bound, a.complete), (b.lower_bound, b.complete));
        prop_assert_eq!(a.reduced, b.reduced);
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
        // the Lagrangian bound is certified
        if let Some(lb) = sol.lower_bound { prop_assert!(lb <= opt, "bound {} > optimum {}", lb, opt); }
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

/// Hand-checkable: the classic example where the shortest-path heuristic and Mehlhorn
/// both pay 10 and the optimum (the star through node 3) pays 9.
#[test]
fn star_is_found_by_local_search_without_the_exact_programme() {
    let g = Graph::from_edges(4, &[(0, 1, 5), (1, 2, 5), (0, 3, 3), (1, 3, 3), (2, 3, 3)]);
    let inst = Instance {
        graph: g,
        terminals: vec![0, 1, 2],
        root: None,
        prizes: vec![],
    };
    let sol = solve_steiner(
        &inst,
        &Options {
            exact: false,
            ..Options::default()
        },
    );
    assert_eq!((sol.cost, sol.edges.clone()), (9, vec![2, 3, 4]));
    let lb = sol.lower_bound.unwrap();
    assert!((6..=9).contains(&lb));
}

/// A 3x3 grid with unit weights and the four corners as terminals: optimum 6.
#[test]
fn grid_corners() {
    let mut edges = Vec::new();
    for r in 0..3u32 {
        for c in 0..3u32 {
            let v = r * 3 + c;
            if c < 2 {
                edges.push((v, v + 1, 1));
            }
            if r < 2 {
                edges.push((v, v + 3, 1));
            }
        }
    }
    let inst = Instance {
        graph: Graph::from_edges(9, &edges),
        terminals: vec![0, 2, 6, 8],
        root: None,
        prizes: vec![],
    };
    for exact in [true, false] {
        let sol = solve_steiner(
            &inst,
            &Options {
                exact,
                ..Options::default()
            },
        );
        assert_eq!(sol.cost, 6);
        assert_eq!(sol.nodes.len(), 7);
    }
}

/// PCST by hand: path 0-1-2 (weights 3, 3) with prizes 5, 0, 5 unrooted: taking all costs
/// 6 and misses nothing; taking one end costs 0 and misses 5. Optimum 5.
#[test]
fn pcst_by_hand() {
    let g = Graph::from_edges(3, &[(0, 1, 3), (1, 2, 3)]);
    let inst = Instance {
        graph: g,
        terminals: vec![],
        root: None,
        prizes: vec![5, 0, 5],
    };
    let sol = solve_pcst(&inst, &Options::default());
    assert_eq!(sol.objective, 5);
    assert_eq!(sol.edges.len(), 0);
    assert_eq!(sol.nodes, vec![0]);
}

/// Quota and budget by hand on a star: root 0, leaves 1..=3 with (edge, prize)
/// (2, 3), (4, 8), (5, 4). Quota 11: {1, 2} costs 6. Budget 7: {2} (prize 8) beats
/// {1} + nothing else fitting... {1, 2} costs 6 and holds 11.
#[test]
fn quota_and_budget_by_hand() {
    let g = Graph::from_edges(4, &[(0, 1, 2), (0, 2, 4), (0, 3, 5)]);
    let inst = Instance {
        graph: g,
        terminals: vec![],
        root: Some(0),
        prizes: vec![0, 3, 8, 4],
    };
    let q = solve_quota(&inst, 11, &Options::default());
    assert_eq!((q.cost, q.prize), (6, 11));
    let q = solve_quota(&inst, 12, &Options::default());
    assert_eq!((q.cost, q.prize), (9, 12));
    let b = solve_budget(&inst, 7, &Options::default());
    assert_eq!((b.cost, b.prize), (6, 11));
    let b = solve_budget(&inst, 100, &Options::default());
    assert_eq!((b.cost, b.prize), (11, 15));
    // quota above the total: every prize node
    let q = solve_quota(&inst, 1000, &Options::default());
    assert_eq!((q.cost, q.prize), (11, 15));
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
