//! Times the dual ascent of the quota bound on a SteinLib prize instance (`TP v p` lines,
//! `Root v`), on its rooted prize reduction: one ascent at the multiplier of the known
//! tree's cost per prize, complete and at a work budget, then `best_multiplier` (a cut search goes on with six ascents at four times the budget).
//!
//! `cargo run --release -p fiberplan-steiner --example ascent_bench -- FILE.stp QUOTA COST [WORK]`
//! (`SKIP_ASCENTS=1`: the multiplier search alone). Each ascent runs twice, new and
//! `ascend_reference`, with a digest of the reduced costs.

mod common;
use common::read;
use fiberplan_steiner::dual_ascent::{ascend, ascend_reference, ArcGraph};
use fiberplan_steiner::quota::rooted_prize_reduction;
use fiberplan_steiner::quota_bound::{best_multiplier, BoundWork};
use fiberplan_steiner::{Cost, NodeId};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let inst = read(&args[1]);
    let quota: Cost = args[2].parse().expect("quota");
    let cost: Cost = args[3].parse().expect("cost");
    let work: u64 = args.get(4).map_or(12_000_000, |w| w.parse().expect("work"));
    let (_, r) = rooted_prize_reduction(&inst);
    let g = &r.graph;
    let root = r.root.expect("rooted");
    let prizes = r.prize_vec();
    println!("reduced: {} nodes, {} edges", g.num_nodes(), g.num_edges());
    let scaled: Vec<Cost> = prizes.iter().map(|&p| p * cost / quota).collect();
    let (ag, terms) = ArcGraph::prize_collecting(g, &scaled, root);
    let digest = |r: &[Cost]| {
        r.iter().fold(0xcbf29ce484222325u64, |h, &x| {
            (h ^ x as u64).wrapping_mul(0x100000001b3)
        })
    };
    let budgets = if std::env::var_os("SKIP_ASCENTS").is_some() {
        vec![]
    } else {
        vec![work, u64::MAX]
    };
    for budget in budgets {
        for (name, f) in [
            ("new", ascend as fn(&ArcGraph, &[NodeId], NodeId, u64) -> _),
            ("reference", ascend_reference),
        ] {
            let t = Instant::now();
            let a = f(&ag, &terms, root, budget);
            println!(
                "{name} ascent budget {budget}: bound {} complete {} reduced {:x} in {:.2?}",
                a.lower_bound,
                a.complete,
                digest(&a.reduced),
                t.elapsed()
            );
        }
    }
    let t = Instant::now();
    let bw = BoundWork {
        ascent: work,
        rounds: 3,
        finish: 4 * work,
        refine: 6,
    };
    let b = best_multiplier(g, &prizes, root, quota, (cost, quota), bw);
    println!(
        "best_multiplier at work {work}: {:?} in {:.2?}",
        b.map(|x| x.0),
        t.elapsed()
    );
}
