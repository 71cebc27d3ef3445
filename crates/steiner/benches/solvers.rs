//! Criterion benchmarks on deterministic road-like grids (fixed seeds, no files): the
//! Steiner tree driver, PCST, and quota.

use criterion::{criterion_group, criterion_main, Criterion};

// The tests' generator: benchmark instances follow from a seed the same way.
#[path = "../tests/common/mod.rs"]
mod common;
use fiberplan_steiner::{
    solve_pcst, solve_quota, solve_steiner, Cost, Graph, Instance, NodeId, Options,
};

/// A `side` x `side` grid whose edges are subdivided into `chain` degree-2 nodes, weights
/// and terminals from a fixed linear congruential sequence.
fn road_grid(side: u32, chain: u32, terminals: usize, seed: u64) -> Instance {
    let mut rng = common::Lcg(seed);
    let mut next = move |m: u64| rng.next(m);
    let mut edges: Vec<(NodeId, NodeId, Cost)> = Vec::new();
    let mut n = side * side;
    let link =
        |a: NodeId, b: NodeId, edges: &mut Vec<(NodeId, NodeId, Cost)>, n: &mut u32, w: Cost| {
            let mut prev = a;
            for _ in 0..chain {
                edges.push((prev, *n, w));
                prev = *n;
                *n += 1;
            }
            edges.push((prev, b, w));
        };
    for r in 0..side {
        for c in 0..side {
            let v = r * side + c;
            if c + 1 < side {
                let w = 50 + next(100) as Cost;
                link(v, v + 1, &mut edges, &mut n, w);
            }
            if r + 1 < side && next(4) != 0 {
                let w = 50 + next(100) as Cost;
                link(v, v + side, &mut edges, &mut n, w);
            }
        }
    }
    let terms: Vec<NodeId> = (0..terminals)
        .map(|_| next((side * side) as u64) as NodeId)
        .collect();
    let mut prizes = vec![0; n as usize];
    for &t in &terms {
        prizes[t as usize] = 150 * (1 + next(60) as Cost);
    }
    Instance {
        graph: Graph::from_edges(n as usize, &edges),
        root: Some(terms[0]),
        terminals: terms,
        prizes,
    }
}

fn bench(c: &mut Criterion) {
    let inst = road_grid(100, 2, 200, 1);
    let opts = Options {
        seed: 1,
        threads: Some(1),
        ..Options::default()
    };
    let mut g = c.benchmark_group("road_grid_100x100_chain2");
    g.sample_size(10);
    g.bench_function("steiner_200_terminals", |b| {
        b.iter(|| solve_steiner(&inst, &opts).cost)
    });
    g.bench_function("pcst", |b| b.iter(|| solve_pcst(&inst, &opts).objective));
    let quota = inst.prizes.iter().sum::<Cost>() / 2;
    g.bench_function("quota_half", |b| {
        b.iter(|| solve_quota(&inst, quota, &opts).cost)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
