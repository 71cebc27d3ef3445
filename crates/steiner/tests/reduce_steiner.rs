//! `reduce_steiner` against the exact oracle on many small random graphs, and hand-made
//! graphs on which each Steiner-only test must fire.

use fiberplan_steiner::dreyfus_wagner::dreyfus_wagner;
use fiberplan_steiner::exact::{brute_force, Problem};
use fiberplan_steiner::reduce::{
    reduce, reduce_steiner, reduce_steiner_with_stats, Reduction, SteinerStats,
};
use fiberplan_steiner::tree::{is_tree_spanning, tree_cost};
use fiberplan_steiner::{Cost, Graph, Instance, NodeId};
use proptest::prelude::*;

mod common;

/// A random connected graph (random spanning tree plus extra edges, some parallel or
/// loops) with weights in `0..=max_w` (small ranges make many ties) and 2..n terminals.
fn arb_steiner(max_n: usize) -> impl Strategy<Value = Instance> {
    (
        3..=max_n,
        any::<u64>(),
        prop_oneof![Just(3u64), Just(8), Just(30)],
    )
        .prop_map(|(n, seed, max_w)| {
            let mut rng = common::Lcg(seed);
            let mut next = move |m: u64| rng.next(m);
            let mut edges = Vec::new();
            for v in 1..n as u64 {
                let u = next(v);
                edges.push((u as NodeId, v as NodeId, next(max_w + 1) as Cost));
            }
            let extra = next(2 * n as u64 + 1) as usize;
            for _ in 0..extra {
                let u = next(n as u64) as NodeId;
                let v = next(n as u64) as NodeId;
                edges.push((u, v, next(max_w + 1) as Cost));
            }
            let k = 2 + next(n as u64 - 1) as usize;
            let mut terminals: Vec<NodeId> = (0..k).map(|_| next(n as u64) as NodeId).collect();
            terminals.sort_unstable();
            terminals.dedup();
            Instance {
                graph: Graph::from_edges(n, &edges),
                terminals,
                root: None,
                prizes: Vec::new(),
            }
        })
}

fn mask(inst: &Instance) -> Vec<bool> {
    let mut m = vec![false; inst.graph.num_nodes()];
    for &t in &inst.terminals {
        m[t as usize] = true;
    }
    m
}

/// Checks the reduction of `inst` against the oracle: same optimum, and the reduced
/// optimum expands to a tree of the input spanning the terminals at that cost.
fn check(inst: &Instance, limit: usize) -> Result<(), TestCaseError> {
    let g = &inst.graph;
    let opt = brute_force(inst, Problem::Steiner).expect("connected");
    let red = reduce_steiner(g, &mask(inst), limit);
    let rinst = red.instance(inst);
    let rterms = rinst.terminals.clone();
    prop_assert!(!rterms.is_empty());
    let ropt = brute_force(&rinst, Problem::Steiner).expect("reduced connected");
    prop_assert_eq!(
        ropt + red.fixed_cost(g),
        opt,
        "reduced optimum + fixed != optimum"
    );
    let rtree = if rterms.len() >= 2 {
        let (t, c) = dreyfus_wagner(&red.graph, &rterms, rterms[0]);
        prop_assert_eq!(c, ropt);
        t
    } else {
        prop_assert_eq!(red.graph.num_edges(), 0);
        Vec::new()
    };
    let tree = red.expand(&rtree);
    prop_assert!(tree.windows(2).all(|w| w[0] < w[1]));
    prop_assert!(
        is_tree_spanning(g, &tree, &inst.terminals),
        "not a tree: {:?}",
        tree
    );
    prop_assert_eq!(tree_cost(g, &tree), opt);
    // Deterministic: the same input gives the same reduced graph and numbering.
    let again = reduce_steiner(g, &mask(inst), limit);
    prop_assert_eq!(again.graph.edges(), red.graph.edges());
    prop_assert_eq!(&again.old_of_new, &red.old_of_new);
    prop_assert_eq!(&again.new_of_old, &red.new_of_old);
    prop_assert_eq!(&again.fixed, &red.fixed);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn reduced_optimum_expands_to_the_input_optimum(inst in arb_steiner(13)) {
        check(&inst, 16)?;
        check(&inst, 0)?;
    }
}

fn reduced(n: usize, edges: &[(NodeId, NodeId, Cost)], terms: &[NodeId], limit: usize) -> Run {
    let g = Graph::from_edges(n, edges);
    let mut m = vec![false; n];
    for &t in terms {
        m[t as usize] = true;
    }
    let old = reduce(&g, &m, limit);
    let (new, stats) = reduce_steiner_with_stats(&g, &m, limit);
    Run {
        old: (old.graph.num_nodes(), old.graph.num_edges()),
        new: (new.graph.num_nodes(), new.graph.num_edges()),
        fixed_cost: new.fixed_cost(&g),
        stats,
        red: new,
    }
}

struct Run {
    old: (usize, usize),
    new: (usize, usize),
    fixed_cost: Cost,
    stats: SteinerStats,
    red: Reduction,
}

/// SD: terminals 0 and 1 joined through 2 and through 3 (all edges 2) and a chord 2-3 of
/// weight 3. No degree or least-cost test applies (2-0-3 costs 4 > 3). SD deletes the
/// chord (3 >= max(d(2), d(3)) = 2); then 2 and 3 become parallel 0-1 chains of 4, one
/// stays, and terminal 0, now a leaf, is contracted: one node, optimum 4 fixed.
#[test]
fn special_distance_fires() {
    let edges = [(0, 2, 2), (0, 3, 2), (2, 1, 2), (3, 1, 2), (2, 3, 3)];
    let r = reduced(4, &edges, &[0, 1], 16);
    assert_eq!(r.old, (4, 5));
    assert_eq!(r.new, (1, 0));
    assert_eq!(r.fixed_cost, 4);
    let want = SteinerStats {
        rounds: 1,
        sd_deleted: 1,
        nv_contracted: 0,
        leaf_contracted: 1,
        least_cost_deleted: 0,
    };
    assert_eq!(r.stats, want);
    assert_eq!(r.red.fixed, vec![0, 2]);
}

/// Terminal of degree 1: terminal 0 hangs on junction 1 of a "diamond" 1-{2,3}-4 with the
/// rung 2-3, terminal 4. Edge 0-1 is contracted before any round; then SD deletes the
/// rung, the diamond's sides become parallel chains and the merged terminal, a leaf
/// again, is contracted: optimum 3 + 4 = 7, all fixed.
#[test]
fn terminal_degree_one_contracts() {
    let edges = [
        (0, 1, 3),
        (1, 2, 2),
        (1, 3, 2),
        (2, 3, 2),
        (2, 4, 2),
        (3, 4, 2),
    ];
    let r = reduced(5, &edges, &[0, 4], 16);
    assert_eq!(r.old, (5, 6));
    assert_eq!(r.new, (1, 0));
    assert_eq!(r.fixed_cost, 7);
    assert_eq!(r.stats.leaf_contracted, 2);
    assert_eq!(r.stats.sd_deleted, 1);
    assert_eq!(r.red.fixed, vec![0, 1, 4]);
    assert_eq!(r.red.map_node(0), r.red.map_node(4));
    assert_eq!(r.red.terminals(&[0, 4]).len(), 1);
}

/// Three terminals 0, 1, 5: a triangle of paths 0-1 (5), 0-2-5 (4 + 2), 5-1 (2) and a
/// hub 3 joined to all with weight 6. Old tests keep all 8 edges (every node has degree 3
/// or more, no path as cheap as an edge avoids it). SD deletes the hub's edges but 0-3 (its
/// predecessor edge), 6 >= max(d(3) = 6, ...); NV contracts 5-1 (terminal 1's cheapest
/// edge leads to a terminal); 3 is a leaf, 2 a chain dearer than 0-1, and terminal 0 a
/// leaf: the optimum 0-1 + 5-1 = 7 is fixed.
#[test]
fn three_terminals_collapse_to_the_optimum() {
    let edges = [
        (0, 1, 5),
        (0, 2, 4),
        (2, 5, 2),
        (5, 1, 2),
        (0, 3, 6),
        (3, 1, 6),
        (3, 2, 6),
        (3, 5, 6),
    ];
    let r = reduced(6, &edges, &[0, 1, 5], 16);
    assert_eq!(r.old, (5, 8));
    assert_eq!(r.new, (1, 0));
    assert_eq!(r.fixed_cost, 7);
    assert_eq!(r.red.fixed, vec![0, 3]);
    let want = SteinerStats {
        rounds: 1,
        sd_deleted: 3,
        nv_contracted: 1,
        leaf_contracted: 1,
        least_cost_deleted: 0,
    };
    assert_eq!(r.stats, want);
}

/// On a larger random grid the new reduction never keeps more than the old one does.
#[test]
fn never_larger_than_reduce_on_grids() {
    for seed in 0..20u64 {
        let mut rng = common::Lcg(seed);
        let mut next = move |m: u64| rng.next(m);
        let side = 30u32;
        let mut edges = Vec::new();
        for r in 0..side {
            for c in 0..side {
                let v = r * side + c;
                if c + 1 < side {
                    edges.push((v, v + 1, 1 + next(50) as Cost));
                }
                if r + 1 < side {
                    edges.push((v, v + side, 1 + next(50) as Cost));
                }
            }
        }
        let terms: Vec<NodeId> = (0..40)
            .map(|_| next((side * side) as u64) as NodeId)
            .collect();
        let r = reduced((side * side) as usize, &edges, &terms, 16);
        assert!(
            r.new.0 <= r.old.0 && r.new.1 <= r.old.1,
            "{:?} vs {:?}",
            r.new,
            r.old
        );
    }
}

/// Terminals in different components: falls back to `reduce` (nothing contracted).
#[test]
fn disconnected_terminals_fall_back() {
    let r = reduced(5, &[(0, 1, 1), (1, 2, 1), (3, 4, 1)], &[0, 2, 4], 16);
    assert!(r.red.fixed.is_empty());
    assert_eq!(r.new, r.old);
    assert_eq!(r.stats, SteinerStats::default());
}
