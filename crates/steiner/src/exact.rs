//! Exact answers for tiny instances by enumerating node sets: the best tree on a node set
//! is the minimum spanning tree of the subgraph it induces, so trying every connected set
//! gives the optimum of all four problems. A test oracle: O(2^n m), n at most 20.

use crate::graph::{Cost, Graph, NodeId};
use crate::problem::Instance;
use crate::tree::UnionFind;

/// Which problem to solve exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Steiner tree over terminals and root.
    Steiner,
    /// Prize-collecting: cost plus prizes left out.
    Pcst,
    /// Least cost with prize at least the quota.
    Quota(Cost),
    /// Most prize with cost at most the budget.
    Budget(Cost),
}

/// Optimal objective: the cost for Steiner and quota, cost plus missed prize for PCST,
/// the collected prize for budget. `None` when no tree satisfies the constraints (a
/// terminal unreachable, or a quota above every connected set's prize).
///
/// # Panics
/// When the graph has more than 20 nodes.
pub fn brute_force(inst: &Instance, problem: Problem) -> Option<Cost> {
    let g = &inst.graph;
    let n = g.num_nodes();
    assert!(n <= 20, "brute force is for tiny graphs");
    let mut required: u32 = 0;
    if problem == Problem::Steiner {
        for &t in &inst.terminals {
            required |= 1 << t;
        }
    }
    if let Some(r) = inst.root {
        required |= 1 << r;
    }
    let total: Cost = inst.total_prize();
    let mut best: Option<Cost> = None;
    for mask in 1u32..(1u32 << n) {
        if mask & required != required {
            continue;
        }
        let Some(cost) = mst_cost(g, mask) else {
            continue;
        };
        let prize: Cost = (0..n as NodeId)
            .filter(|v| mask >> v & 1 == 1)
            .map(|v| inst.prize(v))
            .sum();
        let value = match problem {
            Problem::Steiner => Some(cost),
            Problem::Pcst => Some(cost + total - prize),
            Problem::Quota(q) => (prize >= q).then_some(cost),
            Problem::Budget(b) => (cost <= b).then_some(-prize),
        };
        if let Some(v) = value {
            best = Some(best.map_or(v, |b: Cost| b.min(v)));
        }
    }
    match problem {
        Problem::Budget(_) => best.map(|b| -b),
        _ => best,
    }
}

/// MST cost of the subgraph induced by `mask`, or `None` when it is disconnected.
fn mst_cost(g: &Graph, mask: u32) -> Option<Cost> {
    let mut es: Vec<(Cost, NodeId, NodeId)> = g
        .edges()
        .iter()
        .filter(|&&(u, v, _)| u != v && mask >> u & 1 == 1 && mask >> v & 1 == 1)
        .map(|&(u, v, w)| (w, u, v))
        .collect();
    es.sort_unstable();
    let mut uf = UnionFind::new(g.num_nodes());
    let mut cost = 0;
    let mut joined = 1;
    for (w, u, v) in es {
        if uf.union(u, v) {
            cost += w;
            joined += 1;
        }
    }
    (joined == mask.count_ones()).then_some(cost)
}
