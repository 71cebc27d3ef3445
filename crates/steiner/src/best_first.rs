//! The open list of a best-bound branch-and-bound ([`BestFirst`]), shared by the Steiner
//! proof ([`crate::branch_and_bound`]) and the quota proof ([`crate::quota_prove`]).
//!
//! Nodes are taken by least bound; among equal bounds the newest first, so the search dives
//! below the node it just split and meets trees early. They are taken in batches that the
//! caller evaluates in parallel and merges in order: the same search at any thread count.

use crate::graph::Cost;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Open nodes of type `N` with their bounds.
pub(crate) struct BestFirst<N> {
    /// `(bound, u64::MAX - index)`: a min-heap on the bound, then on the newest index.
    open: BinaryHeap<Reverse<(Cost, u64)>>,
    /// The nodes pushed since the last clear, by index; `None` once taken.
    store: Vec<Option<N>>,
}

impl<N> BestFirst<N> {
    /// An empty list.
    pub fn new() -> Self {
        BestFirst {
            open: BinaryHeap::new(),
            store: Vec::new(),
        }
    }

    /// Opens `node`, whose subtree holds no tree cheaper than `bound`.
    pub fn push(&mut self, bound: Cost, node: N) {
        self.open
            .push(Reverse((bound, u64::MAX - self.store.len() as u64)));
        self.store.push(Some(node));
    }

    /// The least bound of the open nodes (`None` when none is open).
    pub fn least(&self) -> Option<Cost> {
        self.open.peek().map(|r| r.0 .0)
    }

    /// How many nodes are open.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// Drops every open node.
    pub fn clear(&mut self) {
        self.open.clear();
        self.store.clear();
    }

    /// Takes up to `max` open nodes of bound below `cap`, least bound first. A node at
    /// `cap` or above ends the list: none left can hold a tree below the cap, so all go.
    pub fn take_batch(&mut self, max: usize, cap: Cost) -> Vec<N> {
        let mut batch = Vec::new();
        while batch.len() < max {
            let Some(Reverse((bound, id))) = self.open.pop() else {
                break;
            };
            if bound >= cap {
                self.clear();
                break;
            }
            batch.push(
                self.store[(u64::MAX - id) as usize]
                    .take()
                    .expect("each node is taken once"),
            );
        }
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_bound_first_and_the_newest_among_equals() {
        let mut q = BestFirst::new();
        q.push(5, "a");
        q.push(3, "b");
        q.push(5, "c");
        q.push(3, "d");
        assert_eq!(q.least(), Some(3));
        assert_eq!(q.take_batch(3, 10), vec!["d", "b", "c"]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.take_batch(3, 10), vec!["a"]);
        assert_eq!(q.least(), None);
    }

    #[test]
    fn a_node_at_the_cap_drops_every_open_node() {
        let mut q = BestFirst::new();
        for (b, n) in [(1, 1), (4, 2), (6, 3), (9, 4)] {
            q.push(b, n);
        }
        assert_eq!(q.take_batch(8, 6), vec![1, 2]);
        assert_eq!(q.len(), 0);
        q.push(2, 5);
        assert_eq!(q.take_batch(8, 6), vec![5]);
    }
}
