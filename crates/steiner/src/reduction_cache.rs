//! Reductions kept for the solves that follow on the same graph ([`ReductionCache`]).
//!
//! The reductions of a rooted prize problem (quota, budget) depend on the graph, the nodes
//! that carry a prize and the root, never on the quota or budget nor on the prize values.
//! A scenario sweep solves one quota after another on one graph: with a cache in
//! [`crate::Options::reductions`] the graph is reduced once and every later solve starts
//! from that reduction. The reduction is deterministic, so a solve with the cache returns
//! exactly what it returns without.

use crate::graph::{Cost, Graph, NodeId};
use crate::reduce::{reduce, Reduction};
use std::fmt;
use std::sync::{Arc, Mutex};

/// How many reductions a cache holds (a sweep needs one per prize pattern: the
/// households of a quota or budget sweep, the population of a coverage sweep).
const CAPACITY: usize = 4;

/// One stored reduction and what it was computed for.
struct Entry {
    num_nodes: usize,
    edges: Vec<(NodeId, NodeId, Cost)>,
    keep: Vec<bool>,
    reduction: Arc<Reduction>,
}

/// Rooted prize reductions shared by the solves of one graph, from any thread.
///
/// An entry is used only when the graph (every edge with its weight), the kept nodes and
/// the root are exactly those it was computed for; the check costs O(n + m), a small part
/// of a reduction. Two threads that miss at once both reduce and one result is kept:
/// the two are equal.
///
/// # Example
/// ```
/// use fiberplan_steiner::{solve_quota, Graph, Instance, Options, ReductionCache};
/// use std::sync::Arc;
/// let graph = Graph::from_edges(5, &[(0, 1, 10), (0, 3, 1), (3, 2, 1), (2, 4, 1)]);
/// let inst = Instance { graph, terminals: vec![], root: Some(0), prizes: vec![0, 10, 10, 0, 5] };
/// let cache = Arc::new(ReductionCache::default());
/// let opts = Options { reductions: Some(cache.clone()), ..Options::default() };
/// for quota in [5, 10, 15, 25] {
///     assert_eq!(solve_quota(&inst, quota, &opts), solve_quota(&inst, quota, &Options::default()));
/// }
/// assert_eq!((cache.len(), cache.computed()), (1, 1));
/// ```
#[derive(Default)]
pub struct ReductionCache {
    entries: Mutex<Vec<Entry>>,
    computed: std::sync::atomic::AtomicUsize,
}

impl ReductionCache {
    /// The reduction of `g` keeping the nodes in `keep` (prize nodes and the root), as
    /// [`reduce`] with the least-cost node limit `least_cost_limit` computes it: the
    /// stored one when there is one, else computed now and stored.
    pub fn reduce(&self, g: &Graph, keep: &[bool], least_cost_limit: usize) -> Arc<Reduction> {
        let matches = |e: &Entry| {
            e.num_nodes == g.num_nodes() && e.keep == keep && e.edges.as_slice() == g.edges()
        };
        if let Ok(entries) = self.entries.lock() {
            if let Some(e) = entries.iter().find(|e| matches(e)) {
                return e.reduction.clone();
            }
        }
        // Outside the lock: a reduction may run rayon work, and other solves go on.
        let reduction = Arc::new(reduce(g, keep, least_cost_limit));
        self.computed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut entries) = self.entries.lock() {
            if !entries.iter().any(matches) {
                if entries.len() == CAPACITY {
                    entries.remove(0);
                }
                entries.push(Entry {
                    num_nodes: g.num_nodes(),
                    edges: g.edges().to_vec(),
                    keep: keep.to_vec(),
                    reduction: reduction.clone(),
                });
            }
        }
        reduction
    }

    /// Reductions stored.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is stored yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reductions computed so far (misses, including the rare repeat when two threads
    /// missed at once).
    pub fn computed(&self) -> usize {
        self.computed.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl fmt::Debug for ReductionCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ReductionCache({} stored, {} computed)",
            self.len(),
            self.computed()
        )
    }
}
