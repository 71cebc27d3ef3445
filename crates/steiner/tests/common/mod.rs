//! Random small instances shared by the solver's property tests.

#![allow(dead_code)] // each test binary uses its own part

use fiberplan_steiner::{Cost, Graph, Instance, NodeId};
use proptest::prelude::*;

/// A linear congruential generator: the instances follow from the proptest seed alone.
pub struct Lcg(pub u64);

impl Lcg {
    /// Next value in `0..m`.
    pub fn next(&mut self, m: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % m
    }
}

/// Random connected-or-not small graph: a random spanning tree (when `connected`) plus
/// extra edges, weights 0..=20; 2..n terminals, about half the nodes with a prize 0..40,
/// rooted at the first terminal or not.
pub fn arb_instance(max_n: usize) -> impl Strategy<Value = Instance> {
    (3..=max_n, any::<u64>(), any::<bool>(), any::<bool>()).prop_map(
        |(n, seed, connected, rooted)| {
            let mut rng = Lcg(seed);
            let mut next = move |m: u64| rng.next(m);
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
