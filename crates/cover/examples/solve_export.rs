//! Solves a `--export-cover` file with the cover crate and prints the figures: a bench and
//! experiment tool for the solver's options on real instances (the Almaty city export, the
//! national roads export) without the propagation before it.
//!
//! ```text
//! cargo run --release -p fiberplan-cover --example solve_export -- FILE [option=value ...]
//! ```
//!
//! Options are [`fiberplan_cover::Options`] fields (`window_pool=80`, `lagrangian_bnb_nodes=0`,
//! ...). The target is the file's `# target_m` line. Prints one line: candidates, elements,
//! target, cost, sites, bound, gap (over the bound, as the CLI prints it), greedy, seconds.

use fiberplan_cover::{parse_export_full, solve, Instance, Options};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: solve_export FILE [option=value ...]");
        return ExitCode::from(2);
    };
    let mut o = Options::default();
    for a in &args[1..] {
        let Some((k, v)) = a.split_once('=') else {
            eprintln!("solve_export: expected option=value, got {a:?}");
            return ExitCode::from(2);
        };
        let n: u64 = match v.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("solve_export: {k}: not a whole number: {v:?}");
                return ExitCode::from(2);
            }
        };
        match k {
            "local_search" => o.local_search = n != 0,
            "lagrangian_iterations" => o.lagrangian_iterations = n as u32,
            "heuristic_every" => o.heuristic_every = n as u32,
            "local_search_passes" => o.local_search_passes = n as usize,
            "local_search_starts" => o.local_search_starts = n as usize,
            "exact_node_limit" => o.exact_node_limit = n,
            "exact_max_candidates" => o.exact_max_candidates = n as usize,
            "window_search" => o.window_search = n != 0,
            "window_pool" => o.window_pool = n as usize,
            "window_passes" => o.window_passes = n as usize,
            "window_depth" => o.window_depth = n as usize,
            "window_node_limit" => o.window_node_limit = n,
            "lagrangian_bnb_nodes" => o.lagrangian_bnb_nodes = n,
            "lagrangian_bnb_max_candidates" => o.lagrangian_bnb_max_candidates = n as usize,
            "lagrangian_bnb_iterations" => o.lagrangian_bnb_iterations = n as u32,
            "lagrangian_bnb_work" => o.lagrangian_bnb_work = n,
            "lns_passes" => o.lns_passes = n as usize,
            "lns_region_sites" => o.lns_region_sites = n as usize,
            "lns_pool" => o.lns_pool = n as usize,
            "lns_batch" => o.lns_batch = n as usize,
            "lns_node_limit" => o.lns_node_limit = n,
            "lns_work" => o.lns_work = n,
            "lns_bnb_nodes" => o.lns_bnb_nodes = n,
            "lns_min_gap_ppm" => o.lns_min_gap_ppm = n,
            _ => {
                eprintln!("solve_export: unknown option {k:?}");
                return ExitCode::from(2);
            }
        }
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("solve_export: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let p = match parse_export_full(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("solve_export: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(target) = p.target_m else {
        eprintln!("solve_export: {path}: no '# target_m' line");
        return ExitCode::from(2);
    };
    let inst = Instance {
        costs: p.candidates.iter().map(|c| c.cost_kzt).collect(),
        weights: p.segments.iter().map(|s| s.metres).collect(),
        sets: p.sets,
        target,
    };
    let t0 = Instant::now();
    let sol = match solve(&inst, &o) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("solve_export: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let secs = t0.elapsed().as_secs_f64();
    let sites = sol
        .chosen
        .iter()
        .filter(|&&j| inst.costs[j as usize] > 0)
        .count();
    let gap = if sol.lower_bound == 0 {
        f64::INFINITY
    } else {
        100.0 * (sol.cost - sol.lower_bound) as f64 / sol.lower_bound as f64
    };
    println!(
        "candidates {} elements {} target {} cost {} sites {} bound {} gap {:.2} % greedy {} \
         proven {} root_bound {} bnb_nodes {} lagrangian_bnb_nodes {} window_moves {} lns_regions {} lns_moves {} {:.2} s",
        inst.costs.len(),
        inst.weights.len(),
        target,
        sol.cost,
        sites,
        sol.lower_bound,
        gap,
        sol.greedy_cost,
        sol.proven_optimal,
        sol.stats.root_bound,
        sol.stats.bnb_nodes,
        sol.stats.lagrangian_bnb_nodes,
        sol.stats.window_moves,
        sol.stats.lns_regions,
        sol.stats.lns_moves,
        secs
    );
    ExitCode::SUCCESS
}
