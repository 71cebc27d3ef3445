//! Weighted partial set cover: choose candidates (radio sites) whose sets (road segments they
//! cover) reach a target weight (metres of road) at least total cost, with a certified lower
//! bound (issue 15, mobile-coverage siting).
//!
//! [`solve`] runs, on a pre-processed instance ([`instance`]: free sets taken, identical
//! elements merged, dominated candidates dropped):
//!
//! 1. the ratio greedy (Chvátal 1979) and redundancy removal;
//! 2. subgradient optimisation of a Lagrangian relaxation ([`lagrangian`]; Held and Karp 1971,
//!    Held, Wolfe and Crowder 1974, as applied to set covering by Beasley 1990), with the
//!    Lagrangian greedy of Caprara, Fischetti and Toth (1999) as primal heuristic every few
//!    iterations;
//! 3. local search on the best covers found ([`local_search`]: redundancy removal, add-drop
//!    and drop-repair moves);
//! 4. a window search: drop a site and the chosen sites near it, re-solve the freed region
//!    as a small partial cover of its own (exactly when its branch and bound finishes);
//! 5. the regional large-neighbourhood search ([`lns`]): around each chosen site, drop it
//!    and its nearest chosen neighbours, keep every other site, re-solve the region with
//!    this same solver (its branch and bounds finish on regions of a few hundred
//!    candidates); batches of regions in parallel against one snapshot, applied in order;
//! 6. on medium reduced instances (up to 1,000 candidates), a best-first branch and bound
//!    with a Lagrangian bound at every node, which finds covers and proves optimality or at
//!    least raises the certified bound; then, up to 400 candidates and while the gap is
//!    open, a depth-first branch and bound ([`branch_and_bound`]) with cheap node bounds
//!    that proves optimality within its work limit.
//!
//! Every bound is rounded up to a multiple of the greatest common divisor of the costs
//! (every cover costs such a multiple): with unit-price sites, a whole number of sites.
//! On city instances (one price per site) this alone closes most of the gap of the
//! Lagrangian (= LP) bound on small areas: 4.46 sites become 5.
//!
//! The reported lower bound is certified: the Lagrangian value is recomputed in exact
//! integer arithmetic from the best multipliers rounded down to a fixed-point grid. Costs,
//! bound and gap are over the candidates' own costs (free sets cost 0).
//!
//! [`greedy()`] is the baseline of the issue (existing sites first, then most newly covered
//! weight per tenge, ties by index); `scripts/greedy_cover.py` reproduces it from the
//! [`export`] text format.
//!
//! Only the regional search runs in parallel (rayon), on batches fixed independently of
//! the thread count and merged in order; nothing iterates a hash map: the same input gives
//! the same output, bit for bit, at any thread count.
//!
//! # References
//! - V. Chvátal (1979), A greedy heuristic for the set-covering problem. Math. Oper. Res. 4.
//! - M. Held, R. M. Karp (1971), The traveling-salesman problem and minimum spanning trees:
//!   part II. Math. Programming 1. M. Held, P. Wolfe, H. P. Crowder (1974), Validation of
//!   subgradient optimization. Math. Programming 6.
//! - J. E. Beasley (1990), A Lagrangian heuristic for set-covering problems. Naval Research
//!   Logistics 37.
//! - A. Caprara, M. Fischetti, P. Toth (1999), A heuristic method for the set covering
//!   problem. Operations Research 47.
//!
//! # Example
//! ```
//! use fiberplan_cover::{greedy, solve, Instance, Options};
//! // The classic instance where greedy is not optimal: two sets of cost 10 cover the six
//! // elements; a cheaper-per-element set of cost 9 covering four of them lures greedy.
//! let inst = Instance {
//!     costs: vec![10, 10, 9],
//!     weights: vec![1; 6],
//!     sets: vec![vec![0, 1, 2], vec![3, 4, 5], vec![1, 2, 3, 4]],
//!     target: 6,
//! };
//! assert_eq!(greedy(&inst).unwrap(), vec![0, 1, 2]);
//! let sol = solve(&inst, &Options::default()).unwrap();
//! assert_eq!((sol.cost, sol.greedy_cost), (20, 29));
//! assert!(sol.proven_optimal);
//! ```

#![deny(missing_docs)]

pub mod branch_and_bound;
pub mod export;
pub mod greedy;
pub mod instance;
pub mod lagrangian;
pub mod lns;
pub mod local_search;
mod state;

pub use export::{
    parse_export, parse_export_full, write_export, write_export_with_target, ExportCandidate,
    ExportSegment, ParseError, ParsedExport,
};
pub use greedy::greedy;
pub use instance::{CoverError, Instance};

use instance::Reduced;
use state::CoverState;

/// Solver settings. The defaults suit instances up to ~20,000 candidates and ~400,000
/// elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Run the local search on the best covers found (redundancy removal always runs).
    pub local_search: bool,
    /// Maximum number of subgradient iterations (0: no Lagrangian bound nor heuristic; the
    /// bound is then only what branch and bound proves, or 0).
    pub lagrangian_iterations: u32,
    /// Run the Lagrangian greedy every this many subgradient iterations (0: never).
    pub heuristic_every: u32,
    /// Maximum number of local search rounds per start.
    pub local_search_passes: usize,
    /// How many of the best distinct covers the local search starts from.
    pub local_search_starts: usize,
    /// Node limit of the branch and bound; 0 = no branch and bound.
    pub exact_node_limit: u64,
    /// The depth-first branch and bound runs only when the reduced instance has at most
    /// this many candidates.
    pub exact_max_candidates: usize,
    /// Work limit of the depth-first branch and bound: the sum over its nodes of the
    /// candidates plus, where the node's Lagrangian bound is evaluated, the incidences of
    /// the instance. The default is a few seconds of a release build.
    pub exact_work: u64,
    /// Run the window search (large neighbourhood search: drop a site and its chosen
    /// neighbours, re-solve the freed region exactly or nearly) after the local search.
    pub window_search: bool,
    /// At most this many candidates in a window's sub-instance.
    pub window_pool: usize,
    /// Maximum number of window search passes over the chosen sites.
    pub window_passes: usize,
    /// Sites within this many steps of the seed site are dropped with it (a step: a chosen
    /// site sharing an element with a candidate sharing an element with the last ones).
    pub window_depth: usize,
    /// Node limit of the branch and bound inside each window.
    pub window_node_limit: u64,
    /// Node limit of the best-first Lagrangian branch and bound, run when the gap is still
    /// open after everything else (0: never). When it cannot finish, the least bound of its
    /// open nodes still raises the certified lower bound.
    pub lagrangian_bnb_nodes: u64,
    /// The best-first search runs only when the reduced instance has at most this many
    /// candidates (each node costs a pre-processing and a subgradient run).
    pub lagrangian_bnb_max_candidates: usize,
    /// Subgradient iterations at each node of the best-first search.
    pub lagrangian_bnb_iterations: u32,
    /// Work limit of the best-first search: the sum over its nodes of (incidences +
    /// elements of the node's reduced instance) x (iterations + 1). The default is a few
    /// seconds of a release build.
    pub lagrangian_bnb_work: u64,
    /// Passes of the regional large-neighbourhood search ([`lns`]) over the chosen sites
    /// (0: none). It runs after the window search while the gap is open.
    pub lns_passes: usize,
    /// Chosen sites dropped and re-solved together in each region.
    pub lns_region_sites: usize,
    /// At most this many candidates in a region's sub-instance.
    pub lns_pool: usize,
    /// Regions computed together against one snapshot (in parallel) and then applied in
    /// order; the result does not depend on the thread count.
    pub lns_batch: usize,
    /// Node limit of each region's depth-first branch and bound.
    pub lns_node_limit: u64,
    /// Work limit of each region's depth-first branch and bound (as
    /// [`Options::exact_work`]).
    pub lns_work: u64,
    /// Node limit of each region's best-first Lagrangian branch and bound.
    pub lns_bnb_nodes: u64,
    /// The regional search runs only when the certified gap over the bound, `(cost -
    /// bound) / bound`, is at least this many parts per million when it would start: on
    /// the national road proxy (0.2 %) its three passes cost 100 s of CPU for 0.02 %.
    pub lns_min_gap_ppm: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            local_search: true,
            lagrangian_iterations: 1000,
            heuristic_every: 10,
            local_search_passes: 20,
            local_search_starts: 3,
            exact_node_limit: 200_000,
            exact_max_candidates: 400,
            exact_work: 3_000_000_000,
            window_search: true,
            window_pool: 60,
            window_passes: 4,
            window_depth: 2,
            window_node_limit: 5_000,
            lagrangian_bnb_nodes: 2_000,
            lagrangian_bnb_max_candidates: 1_000,
            lagrangian_bnb_iterations: 60,
            lagrangian_bnb_work: 200_000_000,
            lns_passes: 3,
            lns_region_sites: 8,
            lns_pool: 200,
            lns_batch: 8,
            lns_node_limit: 20_000,
            lns_work: 100_000_000,
            lns_bnb_nodes: 100,
            lns_min_gap_ppm: 10_000,
        }
    }
}

impl Options {
    /// Every search off (no Lagrangian, no local, window or regional search, no branch and
    /// bound): the base of the sub-solves' options.
    fn none() -> Options {
        Options {
            local_search: false,
            lagrangian_iterations: 0,
            heuristic_every: 0,
            local_search_passes: 0,
            local_search_starts: 1,
            exact_node_limit: 0,
            exact_max_candidates: 0,
            exact_work: 0,
            window_search: false,
            window_pool: 0,
            window_passes: 0,
            window_depth: 0,
            window_node_limit: 0,
            lagrangian_bnb_nodes: 0,
            lagrangian_bnb_max_candidates: 0,
            lagrangian_bnb_iterations: 0,
            lagrangian_bnb_work: 0,
            lns_passes: 0,
            lns_region_sites: 0,
            lns_pool: 0,
            lns_batch: 1,
            lns_node_limit: 0,
            lns_work: 0,
            lns_bnb_nodes: 0,
            lns_min_gap_ppm: 0,
        }
    }
}

/// A cover with its certified lower bound and the baseline it is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The chosen candidates, ascending; every cost-0 candidate is included.
    pub chosen: Vec<u32>,
    /// Total cost of `chosen`.
    pub cost: u64,
    /// Weight covered by `chosen` (at least the target).
    pub covered_weight: u64,
    /// Certified: no cover reaching the target costs less.
    pub lower_bound: u64,
    /// Cost of the baseline [`greedy()`] on the same instance.
    pub greedy_cost: u64,
    /// `cost == lower_bound`, or branch and bound finished.
    pub proven_optimal: bool,
    /// Statistics of the run.
    pub stats: Stats,
}

/// What the solver did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stats {
    /// Number of cost-0 candidates taken for free.
    pub free_candidates: usize,
    /// Candidates left after pre-processing.
    pub reduced_candidates: usize,
    /// Elements left after pre-processing (merged).
    pub reduced_elements: usize,
    /// Weight still to cover after the free candidates.
    pub reduced_target: u64,
    /// Subgradient iterations run.
    pub lagrangian_iterations: u32,
    /// The certified Lagrangian bound at the root, before any branch and bound (and not
    /// capped by the cost).
    pub root_bound: u64,
    /// Improving local search moves made.
    pub local_search_moves: usize,
    /// Improving window search moves made.
    pub window_moves: usize,
    /// Depth-first branch and bound nodes visited.
    pub bnb_nodes: u64,
    /// Best-first Lagrangian branch and bound nodes evaluated.
    pub lagrangian_bnb_nodes: u64,
    /// Regions re-solved by the regional search.
    pub lns_regions: u64,
    /// Improving regional moves applied.
    pub lns_moves: u64,
}

impl Solution {
    /// Certified optimality gap in percent: `100 (cost - lower_bound) / cost`, 0 when the cost
    /// is 0.
    pub fn gap_pct(&self) -> f64 {
        if self.cost == 0 {
            0.0
        } else {
            100.0 * (self.cost - self.lower_bound.min(self.cost)) as f64 / self.cost as f64
        }
    }

    /// Saving against the baseline greedy in percent: `100 (greedy_cost - cost) /
    /// greedy_cost`, 0 when greedy costs 0.
    pub fn saving_pct(&self) -> f64 {
        if self.greedy_cost == 0 {
            0.0
        } else {
            100.0 * (self.greedy_cost as f64 - self.cost as f64) / self.greedy_cost as f64
        }
    }

    /// Certified bound on greedy's excess over the optimum in percent:
    /// `100 (greedy_cost - lower_bound) / lower_bound` (infinite if the bound is 0 and greedy
    /// is not free).
    pub fn greedy_excess_bound_pct(&self) -> f64 {
        if self.greedy_cost <= self.lower_bound {
            0.0
        } else if self.lower_bound == 0 {
            f64::INFINITY
        } else {
            100.0 * (self.greedy_cost - self.lower_bound) as f64 / self.lower_bound as f64
        }
    }
}

/// The best few distinct covers seen, cheapest first (ties: lexicographically smaller).
struct Pool {
    keep: usize,
    covers: Vec<(u64, Vec<u32>)>,
}

impl Pool {
    fn offer(&mut self, cost: u64, cover: Vec<u32>) {
        if self.covers.iter().any(|(c, v)| *c == cost && *v == cover) {
            return;
        }
        self.covers.push((cost, cover));
        self.covers.sort();
        self.covers.truncate(self.keep.max(1));
    }
    fn best_cost(&self) -> u64 {
        self.covers.first().map_or(u64::MAX, |c| c.0)
    }
}

/// Solves the partial cover: a cheap cover, its certified lower bound and the greedy
/// baseline (see the crate documentation for the steps).
///
/// # Errors
/// Whatever [`Instance::check`] finds.
pub fn solve(inst: &Instance, opts: &Options) -> Result<Solution, CoverError> {
    let base = greedy(inst)?;
    let greedy_cost = inst.cost_of(&base);
    let r = Reduced::new(inst);
    let mut stats = Stats {
        free_candidates: r.free.len(),
        reduced_candidates: r.n(),
        reduced_elements: r.m(),
        reduced_target: r.target,
        ..Stats::default()
    };
    let finish = |red: &[u32], lower_bound: u64, proven: bool, stats: Stats| {
        let mut chosen: Vec<u32> = r.free.clone();
        chosen.extend(red.iter().map(|&j| r.orig[j as usize]));
        chosen.sort_unstable();
        let mut cost = inst.cost_of(&chosen);
        if greedy_cost < cost {
            // Never worse than the baseline (the reduced searches should always find at
            // least as good, but the baseline may use dominated candidates).
            chosen.clone_from(&base);
            cost = greedy_cost;
        }
        let covered_weight = inst.covered_weight(&chosen);
        debug_assert!(covered_weight >= inst.target);
        debug_assert!(lower_bound <= cost, "bound {lower_bound} above cost {cost}");
        let lower_bound = lower_bound.min(cost);
        Solution {
            chosen,
            cost,
            covered_weight,
            lower_bound,
            greedy_cost,
            proven_optimal: proven || lower_bound == cost,
            stats,
        }
    };
    if r.target == 0 {
        return Ok(finish(&[], 0, true, stats));
    }

    let mut pool = Pool {
        keep: opts.local_search_starts,
        covers: Vec::new(),
    };
    // The ratio greedy on the reduced instance, minimal.
    {
        let mut st = CoverState::empty(&r);
        let ok = greedy::greedy_scored(&mut st, None, None, None).is_ok();
        debug_assert!(ok);
        local_search::remove_redundant(&mut st);
        pool.offer(st.cost, st.chosen_list());
    }
    // The baseline itself, where it maps onto the reduced instance.
    {
        let mut to_reduced = vec![u32::MAX; inst.costs.len()];
        for (k, &j) in r.orig.iter().enumerate() {
            to_reduced[j as usize] = k as u32;
        }
        let mapped: Vec<u32> = base
            .iter()
            .map(|&j| to_reduced[j as usize])
            .filter(|&k| k != u32::MAX)
            .collect();
        let mut st = CoverState::with(&r, &mapped);
        if st.feasible() {
            local_search::remove_redundant(&mut st);
            pool.offer(st.cost, st.chosen_list());
        }
    }

    // Lagrangian bound with the Lagrangian greedy as primal heuristic.
    let mut lower_bound = 0u64;
    let mut root_pi = None;
    if opts.lagrangian_iterations > 0 {
        let ub = pool.best_cost();
        let lag = lagrangian::subgradient(
            &r,
            lagrangian::initial_pi(&r),
            opts.lagrangian_iterations,
            ub,
            opts.heuristic_every,
            |pi| {
                let mut st = CoverState::empty(&r);
                if greedy::greedy_scored(&mut st, Some(pi), None, None).is_ok() {
                    local_search::remove_redundant(&mut st);
                    pool.offer(st.cost, st.chosen_list());
                }
                pool.best_cost()
            },
        );
        stats.lagrangian_iterations = lag.iterations;
        lower_bound = lagrangian::certified_bound(&r, &lag.best_pi);
        root_pi = Some(lag.best_pi);
        stats.root_bound = lower_bound;
        debug_assert!(lower_bound as f64 <= lag.best_value.max(0.0).ceil() + 1.0);
    }

    // Local search from the best covers.
    let mut best_cost = pool.best_cost();
    let mut best = pool.covers[0].1.clone();
    if opts.local_search && lower_bound < best_cost {
        for (_, cover) in &pool.covers {
            let mut st = CoverState::with(&r, cover);
            stats.local_search_moves += local_search::improve(&mut st, opts.local_search_passes);
            if st.cost < best_cost {
                best_cost = st.cost;
                best = st.chosen_list();
            }
            if lower_bound >= best_cost {
                break;
            }
        }
    }

    // Window search from the best cover.
    if opts.window_search && lower_bound < best_cost {
        let wopts = local_search::WindowOptions {
            pool: opts.window_pool.max(2),
            passes: opts.window_passes,
            depth: opts.window_depth,
            sub: Options {
                local_search: true,
                lagrangian_iterations: 100,
                heuristic_every: 10,
                local_search_passes: 5,
                local_search_starts: 2,
                exact_node_limit: opts.window_node_limit,
                exact_max_candidates: opts.window_pool.max(2),
                exact_work: u64::MAX,
                ..Options::none()
            },
        };
        let mut st = CoverState::with(&r, &best);
        stats.window_moves = local_search::window_search(&mut st, &wopts);
        if opts.local_search && stats.window_moves > 0 {
            stats.local_search_moves += local_search::improve(&mut st, opts.local_search_passes);
        }
        if st.cost < best_cost {
            best_cost = st.cost;
            best = st.chosen_list();
        }
    }

    // Regional large-neighbourhood search from the best cover.
    // Exact integers: (cost - bound) * 10^6 >= min_gap * bound.
    let gap_open = (best_cost - lower_bound.min(best_cost)) as u128 * 1_000_000
        >= opts.lns_min_gap_ppm as u128 * lower_bound as u128;
    if opts.lns_passes > 0 && lower_bound < best_cost && gap_open {
        let pool = opts.lns_pool.max(2);
        let lopts = lns::LnsOptions {
            region_sites: opts.lns_region_sites.max(1),
            pool,
            passes: opts.lns_passes,
            batch: opts.lns_batch.max(1),
            sub: Options {
                local_search: true,
                lagrangian_iterations: 200,
                heuristic_every: 10,
                local_search_passes: 5,
                local_search_starts: 2,
                exact_node_limit: opts.lns_node_limit,
                exact_max_candidates: pool,
                exact_work: opts.lns_work,
                lagrangian_bnb_nodes: opts.lns_bnb_nodes,
                lagrangian_bnb_max_candidates: pool,
                lagrangian_bnb_iterations: 40,
                lagrangian_bnb_work: opts.lns_work,
                ..Options::none()
            },
        };
        let mut st = CoverState::with(&r, &best);
        let l = lns::lns(&mut st, &lopts);
        stats.lns_regions = l.regions;
        stats.lns_moves = l.moves;
        if st.cost < best_cost {
            best_cost = st.cost;
            best = st.chosen_list();
        }
    }

    // Best-first Lagrangian search on medium instances.
    let mut proven = lower_bound >= best_cost;
    if !proven
        && opts.lagrangian_bnb_nodes > 0
        && opts.lagrangian_bnb_iterations > 0
        && r.n() <= opts.lagrangian_bnb_max_candidates
    {
        let s = branch_and_bound::best_first(
            &r,
            best.clone(),
            best_cost,
            branch_and_bound::Limits {
                nodes: opts.lagrangian_bnb_nodes,
                work: opts.lagrangian_bnb_work,
                iterations: opts.lagrangian_bnb_iterations,
            },
            lower_bound,
            root_pi.as_deref(),
        );
        stats.lagrangian_bnb_nodes = s.nodes;
        if s.best_cost < best_cost {
            best_cost = s.best_cost;
            best = s.best;
        }
        lower_bound = lower_bound.max(s.lower_bound);
        proven = lower_bound >= best_cost;
    }

    // Depth-first search on small and medium instances: it proves optimality where the
    // best-first search, better at finding covers, ran out of nodes (a whole number of
    // unit-price sites is often proven by many cheap nodes).
    if !proven && opts.exact_node_limit > 0 && r.n() <= opts.exact_max_candidates {
        let s = branch_and_bound::branch_and_bound(
            &r,
            best.clone(),
            best_cost,
            (opts.exact_node_limit, opts.exact_work),
            root_pi.as_deref(),
        );
        stats.bnb_nodes = s.nodes;
        if s.best_cost < best_cost {
            best_cost = s.best_cost;
            best = s.best;
        }
        if s.proven {
            proven = true;
            lower_bound = best_cost;
        }
    }
    Ok(finish(&best, lower_bound, proven, stats))
}
