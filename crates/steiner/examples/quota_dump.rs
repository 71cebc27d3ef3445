//! Writes the reduced graph of a quota instance (SteinLib prize file: `TP v p` lines,
//! `Root v`) after the quota's reductions, and the quota tree solved on it, for offline
//! checks (an LP or MIP outside fiberplan).
//!
//! `cargo run --release -p fiberplan-steiner --example quota_dump -- FILE.stp QUOTA OUT.txt`
//!
//! OUT.txt: `N n`, `M m`, `ROOT r`, `Q quota`, then `E u v cost` per reduced edge, `P v prize`
//! per prize node, `T e` per tree edge (reduced ids, 0-based), `COST c`, `BOUND b`.

use fiberplan_steiner::quota::rooted_prize_reduction;
use fiberplan_steiner::{solve_quota, Cost, Graph, Instance, NodeId, Options};
use std::fmt::Write;

fn read(path: &str) -> Instance {
    let text = std::fs::read_to_string(path).expect("readable file");
    let (mut n, mut edges, mut prizes, mut root) = (0usize, Vec::new(), Vec::new(), None);
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["Nodes", v] => {
                n = v.parse().expect("node count");
                prizes = vec![0; n];
            }
            ["E", u, v, w] => edges.push((
                u.parse::<NodeId>().expect("node") - 1,
                v.parse::<NodeId>().expect("node") - 1,
                w.parse::<Cost>().expect("cost"),
            )),
            ["TP", v, p] => {
                prizes[v.parse::<usize>().expect("node") - 1] = p.parse().expect("prize")
            }
            ["Root" | "RootP", v] => root = Some(v.parse::<NodeId>().expect("node") - 1),
            _ => {}
        }
    }
    Instance {
        graph: Graph::from_edges(n, &edges),
        terminals: vec![],
        root,
        prizes,
    }
}

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
    writeln!(out, "COST {}\nBOUND {:?}", sol.cost, sol.lower_bound).unwrap();
    std::fs::write(&args[3], out).expect("writable file");
    println!(
        "reduced {} nodes {} edges; tree {} bound {:?}",
        g.num_nodes(),
        g.num_edges(),
        sol.cost,
        sol.lower_bound
    );
}
