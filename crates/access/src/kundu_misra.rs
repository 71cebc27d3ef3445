//! Capacitated clustering on a tree: Kundu and Misra's linear tree partitioning.
//!
//! Given a rooted tree with non-negative node weights, each at most `cap`, cut the fewest
//! edges so that every connected part weighs at most `cap`. Bottom-up: a node's part is its
//! weight plus the residual parts of its children; while it is over `cap`, the heaviest
//! child's residual is cut off as a part of its own. The greedy is optimal for the number
//! of parts (S. Kundu, J. Misra, "A linear tree partitioning algorithm", SIAM J. Comput.
//! 6(1), 1977).
//!
//! Here the tree is the trench tree, the weights are connected households (premises are
//! leaves hanging off their street node), a part is a splitter's cluster and `cap` its
//! ratio: the fewest splitters, each serving a connected stretch of street.

/// A tree in parent-pointer form: `order` lists every node, root first, each node after
/// its parent; `parent[root]` is ignored.
pub struct RootedTree<'a> {
    pub parent: &'a [u32],
    pub order: &'a [u32],
}

/// Kundu-Misra partition: which nodes head a part (a part is a head and every node below
/// it up to the next head), and each node's residual: the weight of its part's nodes in
/// its subtree. The root heads a part when its residual weight is positive.
/// Ties between equally heavy children go to the smaller node id.
///
/// # Panics
/// If a weight exceeds `cap` (split such items first).
///
/// # Complexity
/// O(n log n) (children sorted by residual weight).
pub fn kundu_misra(tree: &RootedTree, weight: &[u64], cap: u64) -> (Vec<bool>, Vec<u64>) {
    let n = weight.len();
    let mut residual = weight.to_vec();
    let mut head = vec![false; n];
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    let Some(&root) = tree.order.first() else {
        return (head, residual);
    };
    for &v in &tree.order[1..] {
        children[tree.parent[v as usize] as usize].push(v);
    }
    for &v in tree.order.iter().rev() {
        assert!(weight[v as usize] <= cap, "item heavier than the capacity");
        let kids = &mut children[v as usize];
        let mut s = weight[v as usize];
        for &c in kids.iter() {
            s += residual[c as usize];
        }
        if s > cap {
            kids.sort_by(|&a, &b| {
                residual[b as usize]
                    .cmp(&residual[a as usize])
                    .then(a.cmp(&b))
            });
            for &c in kids.iter() {
                if s <= cap {
                    break;
                }
                head[c as usize] = true;
                s -= residual[c as usize];
            }
        }
        residual[v as usize] = s;
    }
    if residual[root as usize] > 0 {
        head[root as usize] = true;
    }
    (head, residual)
}

/// For every node, the head of its part (itself when it is a head); `u32::MAX` for nodes
/// above every head (a root with nothing left).
pub fn head_of(tree: &RootedTree, head: &[bool]) -> Vec<u32> {
    let mut of = vec![u32::MAX; head.len()];
    for (i, &v) in tree.order.iter().enumerate() {
        of[v as usize] = if head[v as usize] {
            v
        } else if i == 0 {
            u32::MAX
        } else {
            of[tree.parent[v as usize] as usize]
        };
    }
    of
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Exhaustive minimum number of parts over all edge cuts (small trees only).
    fn brute(parent: &[u32], weight: &[u64], cap: u64) -> usize {
        let n = weight.len();
        let mut best = usize::MAX;
        for mask in 0u32..(1 << (n - 1)) {
            // bit v-1 set: edge (v, parent v) cut
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
                let parts = 1 + mask.count_ones() as usize;
                // empty parts are not splitters: count parts with weight
                let nonempty = (0..n).filter(|&v| top[v] == v && sum[v] > 0).count();
                let _ = parts;
                best = best.min(nonempty);
            }
        }
        best
    }

    #[test]
    fn a_path_of_ten_units_with_cap_four_makes_three_parts() {
        let parent: Vec<u32> = (0..10).map(|v: u32| v.saturating_sub(1)).collect();
        let order: Vec<u32> = (0..10).collect();
        let t = RootedTree {
            parent: &parent,
            order: &order,
        };
        let (head, residual) = kundu_misra(&t, &[1; 10], 4);
        assert_eq!(residual, vec![2, 1, 4, 3, 2, 1, 4, 3, 2, 1]);
        // bottom-up: 9..6 fill a part at 6; 5..2 at 2; 1, 0 at the root
        let heads: Vec<usize> = (0..10).filter(|&v| head[v]).collect();
        assert_eq!(heads, vec![0, 2, 6]);
        let of = head_of(&t, &head);
        assert_eq!(of, vec![0, 0, 2, 2, 2, 2, 6, 6, 6, 6]);
    }

    proptest! {
        #[test]
        fn kundu_misra_is_optimal_and_within_capacity(
            parents in proptest::collection::vec(0u32..100, 1..11),
            weights in proptest::collection::vec(0u64..5, 12),
            cap in 4u64..9,
        ) {
            let n = parents.len() + 1;
            let mut parent = vec![0u32];
            for (i, p) in parents.iter().enumerate() {
                parent.push(p % (i as u32 + 1));
            }
            let weight = &weights[..n];
            let order: Vec<u32> = (0..n as u32).collect();
            let t = RootedTree { parent: &parent, order: &order };
            let (head, _) = kundu_misra(&t, weight, cap);
            let of = head_of(&t, &head);
            let mut sum = vec![0u64; n];
            for v in 0..n {
                if of[v] == u32::MAX {
                    prop_assert_eq!(weight[v], 0);
                } else {
                    sum[of[v] as usize] += weight[v];
                }
            }
            prop_assert!(sum.iter().all(|&s| s <= cap));
            let parts = (0..n).filter(|&v| head[v] && sum[v] > 0).count();
            prop_assert_eq!(parts, brute(&parent, weight, cap));
        }
    }
}
