//! Steiner tree and prize-collecting Steiner tree solvers on integer-weighted graphs.
//!
//! The crate knows graphs only: no geography, files or serde. The planner contracts the
//! existing network into a root, makes villages terminals (or prize nodes) and corridors
//! weighted edges, and calls one of the four problem drivers:
//!
//! - [`solve_steiner`]: a least-cost tree spanning the terminals;
//! - [`solve_pcst`]: least edge cost plus the prizes of the nodes left out;
//! - [`solve_quota`]: least edge cost with at least a given prize (households);
//! - [`solve_budget`]: most prize within an edge-cost budget.
//!
//! Every driver is deterministic for an [`Instance`] and [`Options::seed`], whatever the
//! number of threads: parallel work is collected in order and ties are broken by id. The
//! stopping rule counts work ([`Options::effort`]); the time limit is only a safety cap.
//!
//! The Steiner tree driver runs: reductions with history ([`reduce`], with the
//! [`special_distance`] tests); the exact
//! Dreyfus-Wagner programme when the terminals are few enough for the work budget
//! ([`dreyfus_wagner`]); otherwise constructions in parallel ([`mehlhorn`], [`sph`] from
//! several starts and with perturbed weights), local search to a fixpoint
//! ([`key_path_exchange`], [`key_vertex_elimination`], [`vertex_insertion`]), recombination
//! of the best trees, and, beside them, the [`dual_ascent`] lower bound. The quota driver
//! certifies its tree with the Lagrangian [`quota_bound`]. The prize drivers combine
//! [`prize_growth`], [`strong_prune`] and [`prize_local_search`] (polish under the
//! constraint, drop-and-add, regrowth, prize-multiplier search); the PCST driver also
//! starts from the [`goemans_williamson`] primal-dual growth.
//!
//! Supporting modules: [`graph`] (CSR), [`tree`] (MST, pruning, validity), [`voronoi`],
//! [`problem`] (instance, options, solution). With the `oracle` feature, `exact` (the
//! brute-force oracle of the tests) is public too.
//!
//! The crate never prints and reads no environment: progress messages go to the sink in
//! [`Options::trace`] (the CLI sends them to stderr when `FIBERPLAN_STEINER_TRACE` is set),
//! and each [`Solution`] says how far the reductions shrank the graph
//! ([`Solution::reduced`]).

#![deny(missing_docs)]

mod best_first;
pub mod branch_and_bound;
pub mod budget;
pub mod dreyfus_wagner;
pub mod dual_ascent;
#[cfg(feature = "oracle")]
pub mod exact;
pub mod goemans_williamson;
pub mod graph;
pub mod key_path_exchange;
pub mod key_vertex_elimination;
pub mod mehlhorn;
pub mod pcst;
pub mod prize_growth;
pub mod prize_local_search;
pub mod problem;
pub mod quota;
pub mod quota_bound;
pub mod quota_prove;
pub mod reduce;
pub mod reduction_cache;
pub mod special_distance;
pub mod sph;
pub mod steiner_tree;
pub mod strong_prune;
pub mod tree;
pub mod vertex_insertion;
pub mod voronoi;

pub use budget::solve_budget;
pub use graph::{Cost, EdgeId, Graph, NodeId};
pub use pcst::solve_pcst;
pub use problem::{Instance, Options, ReducedSize, Solution, Trace};
pub use quota::solve_quota;
pub use reduction_cache::ReductionCache;
pub use steiner_tree::solve_steiner;
