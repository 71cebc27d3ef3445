//! Exact Steiner trees for few terminals: the Dreyfus-Wagner dynamic programme in the form
//! of Erickson, Monma and Veinott (one Dijkstra per terminal subset).
//!
//! For every subset S of the terminals other than a chosen root and every node v,
//! `dp[S][v]` is the least cost of a tree spanning `S` and `v`. Subsets are processed in
//! increasing order: first the merges `dp[S1][v] + dp[S \ S1][v]` over the splits of S,
//! then one Dijkstra that lets the labels flow along edges. The optimum is
//! `dp[all][root]`; back-pointers rebuild the tree.
//!
//! Complexity: O(3^(k-1) n + 2^(k-1) m log n) time and O(2^(k-1) n) memory for k
//! terminals, so callers check [`dw_work`] against a budget first.
//!
//! References: S. E. Dreyfus, R. A. Wagner, "The Steiner problem in graphs", Networks 1
//! (1971); R. E. Erickson, C. L. Monma, A. F. Veinott, "Send-and-split method for
//! minimum-concave-cost network flows", Math. Oper. Res. 12 (1987).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const INF: Cost = Cost::MAX / 4;
const MERGE: u32 = 1 << 31;
const NONE: u32 = u32::MAX;

/// Estimated work (node-steps) and memory (labels) of the programme.
pub fn dw_work(n: usize, m: usize, k: usize) -> (u128, u128) {
    if k <= 1 {
        return (0, 0);
    }
    let kk = (k - 1) as u32;
    // Saturating: callers ask for any k and compare with a budget (k = 82 would overflow).
    let subsets = 1u128.checked_shl(kk).unwrap_or(u128::MAX);
    let work = 3u128
        .checked_pow(kk)
        .unwrap_or(u128::MAX)
        .saturating_mul(n as u128)
        / 2;
    let work = work.saturating_add(subsets.saturating_mul(m as u128 * 4 + n as u128));
    (work, subsets.saturating_mul(n as u128))
}

/// Optimal Steiner tree over `terms` (at least two, mutually reachable, at most 24).
/// Returns the tree's edges (sorted) and its cost.
pub fn dreyfus_wagner(g: &Graph, terms: &[NodeId], root: NodeId) -> (Vec<EdgeId>, Cost) {
    let n = g.num_nodes();
    let others: Vec<NodeId> = terms.iter().copied().filter(|&t| t != root).collect();
    let k = others.len();
    assert!(
        (1..=24).contains(&k),
        "dreyfus_wagner: 1..=24 non-root terminals"
    );
    let full = (1usize << k) - 1;
    let mut dp = vec![INF; (full + 1) * n];
    let mut back = vec![NONE; (full + 1) * n];
    let mut heap = BinaryHeap::new();
    for s in 1..=full {
        let base = s * n;
        if s.is_power_of_two() {
            let t = others[s.trailing_zeros() as usize];
            dp[base + t as usize] = 0;
        } else {
            let low = s & s.wrapping_neg();
            let rest = s ^ low;
            // Splits S1 = low | sub, sub a proper subset of rest.
            let mut sub = (rest.wrapping_sub(1)) & rest;
            loop {
                let s1 = low | sub;
                let s2 = s ^ s1;
                let (a, b) = (s1 * n, s2 * n);
                for v in 0..n {
                    let c = dp[a + v] + dp[b + v];
                    if c < dp[base + v] {
                        dp[base + v] = c;
                        back[base + v] = MERGE | s1 as u32;
                    }
                }
                if sub == 0 {
                    break;
                }
                sub = (sub - 1) & rest;
            }
        }
        // Dijkstra from the merged labels.
        heap.clear();
        for v in 0..n {
            if dp[base + v] < INF {
                heap.push(Reverse((dp[base + v], v as NodeId)));
            }
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dp[base + v as usize] {
                continue;
            }
            for (u, e) in g.neighbors(v) {
                let nd = d + g.weight(e);
                if nd < dp[base + u as usize] {
                    dp[base + u as usize] = nd;
                    back[base + u as usize] = e;
                    heap.push(Reverse((nd, u)));
                }
            }
        }
    }
    let cost = dp[full * n + root as usize];
    let mut edges = Vec::new();
    let mut stack = vec![(full, root)];
    while let Some((s, v)) = stack.pop() {
        let b = back[s * n + v as usize];
        if b == NONE {
            continue;
        }
        if b & MERGE != 0 {
            let s1 = (b & !MERGE) as usize;
            stack.push((s1, v));
            stack.push((s ^ s1, v));
        } else {
            edges.push(b);
            stack.push((s, g.other(b, v)));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    (edges, cost)
}

#[cfg(test)]
mod tests {

    #[test]
    fn work_of_many_terminals_saturates_instead_of_overflowing() {
        // 3^81 overflows u128: 82 terminals (an Almaty village's premises) once panicked in debug.
        assert_eq!(dw_work(100, 200, 200), (u128::MAX, u128::MAX));
        let (w, _) = dw_work(100, 200, 82);
        assert!(w >= u128::MAX / 2, "{w}");
        assert_eq!(dw_work(10, 20, 3), (9 * 10 / 2 + 4 * (80 + 10), 40));
    }

    use super::*;
    use crate::tree::tree_cost;

    #[test]
    fn star_beats_path() {
        let g = Graph::from_edges(4, &[(0, 1, 5), (1, 2, 5), (0, 3, 3), (1, 3, 3), (2, 3, 3)]);
        let (t, c) = dreyfus_wagner(&g, &[0, 1, 2], 0);
        assert_eq!(c, 9);
        assert_eq!(t, vec![2, 3, 4]);
        assert_eq!(tree_cost(&g, &t), 9);
    }
}
