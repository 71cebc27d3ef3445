//! The values solvers take and give: [`Instance`], [`Options`], [`Solution`], and the
//! bookkeeping shared by the four problem drivers (required-node sets, reachability,
//! the safety cap, building a [`Solution`] from a tree).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::reduction_cache::ReductionCache;
use crate::tree::{components, tree_cost, tree_nodes};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A problem instance: graph, terminals, optional root, optional prizes.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The graph.
    pub graph: Graph,
    /// Nodes that must be in the tree (Steiner tree); prize nodes elsewhere.
    pub terminals: Vec<NodeId>,
    /// Root that every tree must contain, when given.
    pub root: Option<NodeId>,
    /// Empty, or one non-negative prize per node.
    pub prizes: Vec<Cost>,
}

impl Instance {
    /// Prize of `v` (0 without prizes).
    pub fn prize(&self, v: NodeId) -> Cost {
        self.prizes.get(v as usize).copied().unwrap_or(0)
    }

    /// Sum of all prizes.
    pub fn total_prize(&self) -> Cost {
        self.prizes.iter().sum()
    }

    /// Prizes as a full per-node vector (zeros when the instance has none).
    pub fn prize_vec(&self) -> Vec<Cost> {
        if self.prizes.is_empty() {
            vec![0; self.graph.num_nodes()]
        } else {
            self.prizes.clone()
        }
    }
}

/// Solver options. The stopping rule is work-based (`effort`); `time_limit` is only a
/// safety cap, and the solution says when it cut the search short.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seed for perturbations and start choices.
    pub seed: u64,
    /// Safety cap on wall time.
    pub time_limit: Option<Duration>,
    /// Worker threads; `None` runs on the current rayon pool.
    pub threads: Option<usize>,
    /// Work multiplier: number of constructions and local-search rounds scale with it.
    pub effort: u32,
    /// Apply reductions before solving.
    pub reduce: bool,
    /// Run local search on the constructed trees.
    pub local_search: bool,
    /// Compute a dual-ascent lower bound. For Steiner trees on small reduced graphs (at
    /// most 1,000 edges per unit of effort) it also turns on a branch-and-bound within a
    /// work budget (node count times reduced edges, never the clock), which improves the
    /// tree and the bound and may prove the tree optimal. For the quota driver on graphs
    /// below the large-graph mark it runs the root node of the quota branch-and-bound
    /// ([`crate::quota_prove`]), whose tree from the reduced costs is often cheaper.
    pub lower_bound: bool,
    /// Solve exactly (Dreyfus-Wagner) when the work for the terminals fits the budget.
    pub exact: bool,
    /// Prove the tree optimal by branch-and-bound on the dual ascent (Steiner trees; and
    /// quota trees, on the Lagrangian bound of [`crate::quota_prove`]), within a node
    /// budget that grows with `effort` (2,500 nodes per unit, fewer on Steiner graphs of
    /// more than 8,000 edges after reduction); [`Solution::optimal`] says whether it did,
    /// and then [`Solution::lower_bound`] equals the value.
    pub prove: bool,
    /// The lean pipeline, for a time comparable to one greedy solve: cheap degree
    /// reductions only, one construction (Mehlhorn for Steiner trees, Goemans-Williamson
    /// with strong pruning for PCST), one improvement pass, no lower bound. `effort` and
    /// `prove` are ignored; the quota and budget drivers are unchanged.
    pub fast: bool,
    /// Where phase timings and search progress go (nowhere by default). The crate never
    /// prints: the caller decides, e.g. the CLI sends them to stderr.
    pub trace: Trace,
    /// Reductions shared with other solves on the same graph (quota and budget drivers):
    /// a sweep reduces its graph once instead of once per scenario. Never changes what a
    /// driver returns.
    pub reductions: Option<Arc<ReductionCache>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 0,
            time_limit: None,
            threads: None,
            effort: 4,
            reduce: true,
            local_search: true,
            lower_bound: true,
            exact: true,
            prove: false,
            fast: false,
            trace: Trace::off(),
            reductions: None,
        }
    }
}

/// A sink for the solver's progress messages: off, or a function called with each line.
///
/// Messages are for people (phase timings, sizes after reduction, local-search passes);
/// they never change what a solver returns.
///
/// # Example
/// ```
/// use fiberplan_steiner::Trace;
/// use std::sync::{Arc, Mutex};
/// let lines = Arc::new(Mutex::new(Vec::new()));
/// let sink = lines.clone();
/// let trace = Trace::to(move |m| sink.lock().unwrap().push(m.to_string()));
/// trace.emit(|| "hello".to_string());
/// assert_eq!(lines.lock().unwrap().as_slice(), ["hello"]);
/// assert!(!Trace::off().is_on());
/// ```
#[derive(Clone, Default)]
pub struct Trace(Option<Arc<Sink>>);

/// What a [`Trace`] calls with each message.
type Sink = dyn Fn(&str) + Send + Sync;

impl Trace {
    /// No tracing.
    pub fn off() -> Self {
        Trace(None)
    }

    /// Sends every message to `sink` (called from any solver thread).
    pub fn to(sink: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Trace(Some(Arc::new(sink)))
    }

    /// Whether messages go anywhere.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Sends the message `message()` builds, building it only when tracing is on.
    pub fn emit(&self, message: impl FnOnce() -> String) {
        if let Some(sink) = &self.0 {
            sink(&message());
        }
    }
}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_on() {
            "Trace(on)"
        } else {
            "Trace(off)"
        })
    }
}

/// Size of the graph a driver searched after its reductions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReducedSize {
    /// Nodes left by the reductions.
    pub nodes: usize,
    /// Edges left by the reductions.
    pub edges: usize,
}

/// A solver's answer: one tree of the input graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    /// Sorted ids of the input graph's edges; they form one tree.
    pub edges: Vec<EdgeId>,
    /// Sorted nodes of the tree (a one-vertex tree has one node and no edges).
    pub nodes: Vec<NodeId>,
    /// Sum of edge weights.
    pub cost: Cost,
    /// Sum of the prizes of the tree's nodes (0 without prizes).
    pub prize: Cost,
    /// Steiner tree, quota, budget: `cost`; PCST: `cost` plus the prizes left out.
    pub objective: Cost,
    /// Certified lower bound on `objective`, when computed.
    pub lower_bound: Option<Cost>,
    /// The time-limit safety cap stopped the search.
    pub cut_short: bool,
    /// Which methods produced it, e.g. `"sph+mehlhorn+ls+da"`.
    pub solver: String,
    /// Terminals (Steiner tree) or prize nodes (quota) that no tree can reach.
    pub unreachable: Vec<NodeId>,
    /// The graph the driver searched after its reductions (`None` with reductions off or
    /// nothing to reduce).
    pub reduced: Option<ReducedSize>,
    /// The lower bound equals the objective: the tree is proven optimal.
    pub optimal: bool,
}

/// Which objective a [`Solution`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Objective {
    Cost,
    CostPlusMissedPrize,
}

/// The wall-clock safety cap.
pub(crate) struct Deadline {
    end: Option<Instant>,
    hit: AtomicBool,
}

impl Deadline {
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Deadline {
            end: limit.map(|d| Instant::now() + d),
            hit: AtomicBool::new(false),
        }
    }

    /// True (and remembered) once the cap has passed.
    pub(crate) fn expired(&self) -> bool {
        if let Some(end) = self.end {
            if Instant::now() >= end {
                self.hit.store(true, Ordering::Relaxed);
                return true;
            }
        }
        false
    }

    pub(crate) fn was_hit(&self) -> bool {
        self.hit.load(Ordering::Relaxed)
    }
}

/// Runs `f` on a rayon pool with `threads` workers, or on the current pool.
pub(crate) fn with_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match threads {
        Some(t) => match rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
        {
            Ok(pool) => pool.install(f),
            Err(_) => f(),
        },
        None => f(),
    }
}

/// Splits `wanted` into nodes in the anchor's component and the others. The anchor is
/// `root` when given, else the component holding most of `wanted` (ties: smallest id).
pub(crate) fn reachable_split(
    g: &Graph,
    wanted: &[NodeId],
    root: Option<NodeId>,
) -> (Vec<NodeId>, Vec<NodeId>) {
    let mut wanted = wanted.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return (wanted, Vec::new());
    }
    let comp = components(g);
    let anchor = match root {
        Some(r) => comp[r as usize],
        None => {
            let mut labels: Vec<NodeId> = wanted.iter().map(|&t| comp[t as usize]).collect();
            labels.sort_unstable();
            let mut best = (0usize, NodeId::MAX);
            let mut i = 0;
            while i < labels.len() {
                let j = labels[i..].iter().take_while(|&&l| l == labels[i]).count();
                if j > best.0 || (j == best.0 && labels[i] < best.1) {
                    best = (j, labels[i]);
                }
                i += j;
            }
            best.1
        }
    };
    wanted
        .into_iter()
        .partition(|&t| comp[t as usize] == anchor)
}

/// Builds the [`Solution`] for a tree given by its edges (sorted or not) plus, for an
/// edgeless tree, its single node.
pub(crate) fn make_solution(
    inst: &Instance,
    mut edges: Vec<EdgeId>,
    single: Option<NodeId>,
    objective: Objective,
    solver: &str,
) -> Solution {
    let g = &inst.graph;
    edges.sort_unstable();
    edges.dedup();
    let nodes = if edges.is_empty() {
        single.into_iter().collect()
    } else {
        tree_nodes(g, &edges)
    };
    let cost = tree_cost(g, &edges);
    let prize: Cost = nodes.iter().map(|&v| inst.prize(v)).sum();
    let objective = match objective {
        Objective::Cost => cost,
        Objective::CostPlusMissedPrize => cost + inst.total_prize() - prize,
    };
    Solution {
        edges,
        nodes,
        cost,
        prize,
        objective,
        lower_bound: None,
        cut_short: false,
        solver: solver.to_string(),
        unreachable: Vec::new(),
        reduced: None,
        optimal: false,
    }
}

/// Deterministic 64-bit mixer (SplitMix64) for seeds and perturbations.
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}
