//! Capacitated tree partitioning that fits splitters to their households: the least total
//! cost of parts, where a part of weight `w` costs `part_cost(w)` (e.g. the output ports
//! of the smallest splitter that holds `w`, plus a price per splitter).
//!
//! Kundu and Misra's greedy ([`crate::kundu_misra`]) makes the fewest parts but is blind
//! to their sizes: two streets of 35 households meeting at the feed become 35 + 35, each
//! on a 1:64 (128 ports, 55 % fill), where one part of 64 reaching into both streets and
//! one of 6 on a 1:8 install 72 ports (97 %). This is the
//! exact dynamic programme over the tree: for every node `v` and every weight `r` of the
//! part still open at `v` (0..=cap), the least cost of the parts closed below `v`.
//! Children are merged one at a time, each either joining `v`'s open part (weights add)
//! or closing its own part at its best weight.
//!
//! Parts have the shape of [`crate::kundu_misra`]'s (a head and every node below it up to
//! the next heads), and the result has its form (`head`, `residual`), so either
//! partition feeds the same design code.
//!
//! # Complexity
//! O(sum over tree edges of `s(v) x s(c)`) where `s` is the number of reachable open
//! weights (at most `cap + 1`): O(n cap) on paths and leaves, O(n cap^2) at worst;
//! memory O(n cap) bytes for the choices.

use crate::kundu_misra::RootedTree;

const INF: u64 = u64::MAX / 4;
/// Choice marker: the child closes its own part.
const CUT: u8 = u8::MAX;

/// Partition of least total `part_cost`: which nodes head a part and each node's
/// residual (the weight of its part's nodes in its subtree). A part of weight 0 is no
/// part (costs nothing, heads nothing): the root heads a part only when its residual is
/// positive. Ties go to closing a child's part, then to the lighter join.
///
/// # Panics
/// If a weight exceeds `cap`, or `cap` is 255 or more.
pub fn min_cost_partition(
    tree: &RootedTree,
    weight: &[u64],
    cap: u64,
    part_cost: impl Fn(u64) -> u64,
) -> (Vec<bool>, Vec<u64>) {
    assert!(cap < CUT as u64, "capacity at most 254");
    let n = weight.len();
    let mut head = vec![false; n];
    let mut residual = vec![0u64; n];
    let Some(&root) = tree.order.first() else {
        return (head, residual);
    };
    let close: Vec<u64> = (0..=cap)
        .map(|w| if w == 0 { 0 } else { part_cost(w) })
        .collect();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &v in &tree.order[1..] {
        children[tree.parent[v as usize] as usize].push(v);
    }
    // f[v][r]: least cost of the parts closed in v's subtree with r open at v (only up
    // to the largest reachable r). choice of child c, at choice[at[c]..][r]: at the merge
    // of c into its parent, reaching r, what c did (CUT or the weight it brought); all
    // children's choices in one arena. Buffers of merged children are reused.
    let mut f: Vec<Vec<u64>> = vec![Vec::new(); n];
    let mut choice: Vec<u8> = Vec::new();
    let mut at: Vec<usize> = vec![0; n];
    let mut spare: Vec<Vec<u64>> = Vec::new();
    // Best closing of each node's own part: (cost, weight).
    let mut best: Vec<(u64, u8)> = vec![(0, 0); n];
    for &v in tree.order.iter().rev() {
        let w = weight[v as usize];
        assert!(w <= cap, "item heavier than the capacity");
        let mut fv = spare.pop().unwrap_or_default();
        fv.clear();
        fv.resize(w as usize + 1, INF);
        fv[w as usize] = 0;
        for &c in &children[v as usize] {
            let fc = std::mem::take(&mut f[c as usize]);
            let cut = best[c as usize].0;
            let hi = (fv.len() + fc.len() - 2).min(cap as usize);
            let mut g = spare.pop().unwrap_or_default();
            g.clear();
            g.resize(hi + 1, INF);
            let base = choice.len();
            choice.resize(base + hi + 1, CUT);
            let ch = &mut choice[base..];
            for (r, &a) in fv.iter().enumerate() {
                if a < INF {
                    g[r] = a + cut;
                }
            }
            for (r1, &a) in fv.iter().enumerate() {
                if a >= INF {
                    continue;
                }
                for (r2, &b) in fc.iter().enumerate().take(hi + 1 - r1) {
                    if b < INF && a + b < g[r1 + r2] {
                        g[r1 + r2] = a + b;
                        ch[r1 + r2] = r2 as u8;
                    }
                }
            }
            while g.len() > 1 && g[g.len() - 1] >= INF {
                g.pop();
            }
            choice.truncate(base + g.len());
            spare.push(std::mem::replace(&mut fv, g));
            spare.push(fc);
            at[c as usize] = base;
        }
        let mut b = (INF, 0u8);
        for (r, &x) in fv.iter().enumerate() {
            if x < INF && x + close[r] < b.0 {
                b = (x + close[r], r as u8);
            }
        }
        best[v as usize] = b;
        f[v as usize] = fv;
    }
    residual[root as usize] = best[root as usize].1 as u64;
    head[root as usize] = residual[root as usize] > 0;
    for &v in tree.order {
        let mut r = residual[v as usize] as usize;
        for &c in children[v as usize].iter().rev() {
            let ch = choice[at[c as usize] + r];
            if ch == CUT {
                residual[c as usize] = best[c as usize].1 as u64;
                head[c as usize] = residual[c as usize] > 0;
            } else {
                residual[c as usize] = ch as u64;
                r -= ch as usize;
            }
        }
        debug_assert_eq!(r as u64, weight[v as usize]);
    }
    (head, residual)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kundu_misra::{head_of, kundu_misra};
    use proptest::prelude::*;

    /// Output ports of the smallest of 1:8 .. 1:64 holding `w`.
    fn ports(w: u64) -> u64 {
        w.next_power_of_two().max(8)
    }

    /// Least ports, then fewest splitters.
    fn ports_then_parts(w: u64) -> u64 {
        ports(w) * 1000 + 1
    }

    /// Parts' weights of a partition, by head.
    fn parts(t: &RootedTree, weight: &[u64], head: &[bool]) -> Vec<u64> {
        let of = head_of(t, head);
        let mut sum = vec![0u64; weight.len()];
        for v in 0..weight.len() {
            if of[v] != u32::MAX {
                sum[of[v] as usize] += weight[v];
            } else {
                assert_eq!(weight[v], 0, "node {v} with weight outside every part");
            }
        }
        (0..weight.len())
            .filter(|&v| head[v])
            .map(|v| sum[v])
            .collect()
    }

    #[test]
    fn a_street_of_seventy_households_makes_sixty_four_and_six() {
        // A street of 70 houses of one household each, the feed at one end.
        let parent: Vec<u32> = (0..71).map(|v: u32| v.saturating_sub(1)).collect();
        let order: Vec<u32> = (0..71).collect();
        let mut weight = vec![1u64; 71];
        weight[0] = 0;
        let t = RootedTree {
            parent: &parent,
            order: &order,
        };
        let (head, residual) = min_cost_partition(&t, &weight, 64, ports_then_parts);
        let mut w = parts(&t, &weight, &head);
        w.sort_unstable();
        assert_eq!(w, vec![6, 64]);
        assert_eq!(w.iter().map(|&x| ports(x)).sum::<u64>(), 72);
        // The residuals are those of the parts: the head of the far part holds 64.
        let far = (0..71).rev().find(|&v| head[v]).unwrap();
        assert_eq!(residual[far], 64);
        assert_eq!(far, 7);
    }

    #[test]
    fn a_star_of_two_streets_of_thirty_five_gets_seventy_two_ports_not_one_hundred_twenty_eight() {
        // Feed 0 with two streets of 35 houses. Kundu-Misra closes one street and keeps the
        // other (35 + 35: two 1:64, 128 ports). Least ports: one part over the feed reaching
        // into both streets and a small one at a street's end, two splitters and 72 ports
        // (64 + 8 or 62 + 8: the same cost).
        let mut parent = vec![0u32];
        let mut weight = vec![0u64];
        for street in 0..2 {
            for i in 0..35u32 {
                parent.push(if i == 0 { 0 } else { 1 + street * 35 + i - 1 });
                weight.push(1);
            }
        }
        let order: Vec<u32> = (0..71).collect();
        let t = RootedTree {
            parent: &parent,
            order: &order,
        };
        let (km, _) = kundu_misra(&t, &weight, 64);
        let km_ports: u64 = parts(&t, &weight, &km).iter().map(|&x| ports(x)).sum();
        assert_eq!(km_ports, 128);
        let (head, _) = min_cost_partition(&t, &weight, 64, ports_then_parts);
        let w = parts(&t, &weight, &head);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w.iter().map(|&x| ports(x)).sum::<u64>(), 72, "{w:?}");
        assert!(head[0], "the part over the feed is headed by the feed node");
    }

    /// Exhaustive least cost over all edge cuts (small trees only).
    fn brute(parent: &[u32], weight: &[u64], cap: u64, cost: &dyn Fn(u64) -> u64) -> u64 {
        let n = weight.len();
        let mut best = u64::MAX;
        for mask in 0u32..(1 << (n - 1)) {
            let mut top = vec![0usize; n];
            for v in 1..n {
                top[v] = if mask >> (v - 1) & 1 == 1 {
                    v
                } else {
                    top[parent[v] as usize]
                };
            }
            let mut sum = vec![0u64; n];
            for v in 0..n {
                sum[top[v]] += weight[v];
            }
            if sum.iter().all(|&s| s <= cap) {
                let c = sum.iter().filter(|&&s| s > 0).map(|&s| cost(s)).sum();
                best = best.min(c);
            }
        }
        best
    }

    proptest! {
        #[test]
        fn least_cost_partition_is_exact_and_within_capacity(
            parents in proptest::collection::vec(0u32..100, 1..12),
            weights in proptest::collection::vec(0u64..6, 12),
            cap in 5u64..17,
            per_part in 0u64..20,
        ) {
            let n = parents.len() + 1;
            let mut parent = vec![0u32];
            for (i, p) in parents.iter().enumerate() {
                parent.push(p % (i as u32 + 1));
            }
            let weight = &weights[..n];
            let order: Vec<u32> = (0..n as u32).collect();
            let t = RootedTree { parent: &parent, order: &order };
            let cost = |w: u64| per_part + w.next_power_of_two().max(4);
            let (head, residual) = min_cost_partition(&t, weight, cap, cost);
            let w = parts(&t, weight, &head);
            prop_assert!(w.iter().all(|&x| x > 0 && x <= cap));
            prop_assert_eq!(w.iter().sum::<u64>(), weight.iter().sum::<u64>());
            for v in 0..n {
                if head[v] {
                    let of = head_of(&t, &head);
                    let own: u64 = (0..n).filter(|&u| of[u] == v as u32).map(|u| weight[u]).sum();
                    prop_assert_eq!(residual[v], own);
                }
            }
            let got: u64 = w.iter().map(|&x| cost(x)).sum();
            prop_assert_eq!(got, brute(&parent, weight, cap, &cost));
        }
    }
}
