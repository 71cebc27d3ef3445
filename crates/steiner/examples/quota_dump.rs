//! Writes the reduced graph of a quota instance (SteinLib prize file: `TP v p` lines,
//! `Root v`) after the quota's reductions, and the quota tree solved on it, for offline
//! checks (an LP or MIP outside fiberplan).
//!
//! `cargo run --release -p fiberplan-steiner --example quota_dump -- FILE.stp QUOTA OUT.txt`
//!
//! OUT.txt: `N n`, `M m`, `ROOT r`, `Q quota`, then `E u v cost` per reduced edge, `P v prize`
//! per prize node, `T e` per tree edge (reduced ids, 0-based), `COST c`, `BOUND b` (`none` when not computed).

mod common;
use common::read;
use fiberplan_steiner::quota::rooted_prize_reduction;
use fiberplan_steiner::{solve_quota, Cost, Options};
use std::fmt::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let inst = read(&args[1]);
    let quota: Cost = args[2].parse().expect("quota");
    let (_, r) = rooted_prize_reduction(&inst);
    let g = &r.graph;
    let opts = Options {
        reduce: false,
        ..Options::default()
    };
    let sol = solve_quota(&r, quota, &opts);
    let mut out = String::new();
    let root = r.root.expect("rooted");
    writeln!(
        out,
        "N {}\nM {}\nROOT {root}\nQ {quota}",
        g.num_nodes(),
        g.num_edges()
    )
    .unwrap();
    for &(u, v, c) in g.edges() {
        writeln!(out, "E {u} {v} {c}").unwrap();
    }
    for (v, &p) in r.prize_vec().iter().enumerate() {
        if p > 0 {
            writeln!(out, "P {v} {p}").unwrap();
        }
    }
    for &e in &sol.edges {
        writeln!(out, "T {e}").unwrap();
    }
    let bound = sol
        .lower_bound
        .map_or("none".to_string(), |b| b.to_string());
    writeln!(out, "COST {}\nBOUND {bound}", sol.cost).unwrap();
    std::fs::write(&args[3], out).expect("writable file");
    println!(
        "reduced {} nodes {} edges; tree {} bound {:?}",
        g.num_nodes(),
        g.num_edges(),
        sol.cost,
        sol.lower_bound
    );
}
