//! The proof mode (branch-and-bound on the dual ascent) against the exact oracle on many
//! small random graphs: a proven value is the optimum, a bound is never above it, and the
//! search is the same at one and two threads.
//!
//! `FIBERPLAN_PROVE_CASES` sets the number of random cases (default 150).

use fiberplan_steiner::branch_and_bound::prove_steiner;
use fiberplan_steiner::exact::{brute_force, Problem};
use fiberplan_steiner::tree::{is_tree_spanning, mst_and_prune, tree_cost};
use fiberplan_steiner::{solve_steiner, Cost, Graph, Instance, NodeId, Options};
use proptest::prelude::*;

mod common;
use common::{arb_instance, Lcg};

fn cases() -> u32 {
    std::env::var("FIBERPLAN_PROVE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150)
}

/// The instance as a Steiner problem on the component of its first terminal (or root).
fn connected_part(inst: &Instance) -> Instance {
    let sol = solve_steiner(inst, &Options::default());
    let mut r = inst.clone();
    r.terminals.retain(|t| !sol.unreachable.contains(t));
    r.prizes = Vec::new();
    r
}

/// A poor start: the pruned spanning tree of every edge.
fn poor_tree(g: &Graph, terms: &[NodeId]) -> Vec<u32> {
    let mut keep = vec![false; g.num_nodes()];
    for &t in terms {
        keep[t as usize] = true;
    }
    let all: Vec<u32> = (0..g.num_edges() as u32).collect();
    mst_and_prune(g, &all, &[], &keep)
}

/// Required nodes of a Steiner instance (terminals and root), sorted, once each.
fn required(inst: &Instance) -> Vec<NodeId> {
    let mut req = inst.terminals.clone();
    req.extend(inst.root);
    req.sort_unstable();
    req.dedup();
    req
}

/// A random graph with `n` nodes: a random spanning tree plus extra edges, weights
/// 1..=`max_w`, `k` terminals.
fn random_graph(seed: u64, n: u32, extra: usize, max_w: u64, k: usize) -> (Graph, Vec<NodeId>) {
    let mut rng = Lcg(seed);
    let mut edges = Vec::new();
    for v in 1..n {
        let u = rng.next(v as u64) as NodeId;
        edges.push((u, v, 1 + rng.next(max_w) as Cost));
    }
    for _ in 0..extra {
        let u = rng.next(n as u64) as NodeId;
        let v = rng.next(n as u64) as NodeId;
        edges.push((u, v, 1 + rng.next(max_w) as Cost));
    }
    let mut terms: Vec<NodeId> = (0..k).map(|_| rng.next(n as u64) as NodeId).collect();
    terms.sort_unstable();
    terms.dedup();
    (Graph::from_edges(n as usize, &edges), terms)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn proven_value_is_the_optimum_and_the_bound_never_above_it(inst in arb_instance(11)) {
        let r = connected_part(&inst);
        let req = required(&r);
        prop_assume!(req.len() >= 2);
        let opt = brute_force(&r, Problem::Steiner).expect("reachable terminals");
        // Without the exact programme and reductions, so that the search does the work.
        for reduce in [false, true] {
            let opts = Options { prove: true, exact: false, reduce, ..Options::default() };
            let sol = solve_steiner(&r, &opts);
            prop_assert!(is_tree_spanning(&r.graph, &sol.edges, &req));
            let lb = sol.lower_bound.expect("a bound");
            prop_assert!(lb <= opt, "bound {} above optimum {}", lb, opt);
            prop_assert!(sol.optimal, "small instances finish within the budget");
            prop_assert_eq!(sol.cost, opt);
        }
    }

    #[test]
    fn search_from_a_poor_tree_proves_the_optimum(inst in arb_instance(12)) {
        let r = connected_part(&inst);
        let req = required(&r);
        prop_assume!(req.len() >= 2);
        let opt = brute_force(&r, Problem::Steiner).expect("reachable terminals");
        let start = poor_tree(&r.graph, &req);
        let p = prove_steiner(&r.graph, &req, r.root, &start, 10_000, None);
        prop_assert!(p.optimal);
        prop_assert_eq!(p.cost, opt);
        prop_assert_eq!(p.lower_bound, opt);
        prop_assert_eq!(tree_cost(&r.graph, &p.tree), opt);
        prop_assert!(is_tree_spanning(&r.graph, &p.tree, &req));
        // Stopped early, the bound is still a bound and the tree still a tree.
        for budget in [0, 1, 2] {
            let p = prove_steiner(&r.graph, &req, r.root, &start, budget, None);
            prop_assert!(p.lower_bound <= opt && opt <= p.cost);
            prop_assert!(is_tree_spanning(&r.graph, &p.tree, &req));
            prop_assert_eq!(p.optimal, p.lower_bound == p.cost);
        }
    }
}

/// Random graphs of 18 nodes (the oracle's reach) with ties and many terminals.
#[test]
fn proof_matches_brute_force_on_mid_sized_graphs() {
    for seed in 0..12u64 {
        let (g, terms) = random_graph(seed, 18, 30, 6, 7);
        let inst = Instance {
            graph: g,
            terminals: terms.clone(),
            root: None,
            prizes: Vec::new(),
        };
        let r = connected_part(&inst);
        let req = required(&r);
        if req.len() < 2 {
            continue;
        }
        let opt = brute_force(&r, Problem::Steiner).expect("reachable terminals");
        let p = prove_steiner(
            &r.graph,
            &req,
            None,
            &poor_tree(&r.graph, &req),
            5_000,
            None,
        );
        assert!(p.optimal, "seed {seed}");
        assert_eq!(p.cost, opt, "seed {seed}");
    }
}

/// The `dim`-dimensional hypercube with unit weights and `k` random terminals.
fn hypercube(dim: u32, k: usize) -> (Graph, Vec<NodeId>) {
    let n = 1u32 << dim;
    let mut edges = Vec::new();
    for v in 0..n {
        for b in 0..dim {
            let u = v ^ (1 << b);
            if u > v {
                edges.push((v, u, 1));
            }
        }
    }
    let mut rng = Lcg(dim as u64 * 1_000 + k as u64);
    let mut terms: Vec<NodeId> = (0..k).map(|_| rng.next(n as u64) as NodeId).collect();
    terms.sort_unstable();
    terms.dedup();
    (Graph::from_edges(n as usize, &edges), terms)
}

#[test]
fn same_search_at_one_and_two_threads() {
    // A hypercube with unit weights: the ascent is weak there, so the search branches.
    let (g, terms) = hypercube(7, 16);
    let inst = Instance {
        graph: g,
        terminals: terms,
        root: None,
        prizes: Vec::new(),
    };
    let r = connected_part(&inst);
    let req = required(&r);
    let start = poor_tree(&r.graph, &req);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| prove_steiner(&r.graph, &req, None, &start, 60, None))
    };
    let one = run(1);
    assert!(one.nodes > 8, "the search should branch: {one:?}");
    assert_eq!(one, run(2));
    let opts = |threads| Options {
        prove: true,
        exact: false,
        threads: Some(threads),
        ..Options::default()
    };
    assert_eq!(solve_steiner(&r, &opts(1)), solve_steiner(&r, &opts(2)));
}
