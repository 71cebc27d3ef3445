//! Splits the quota gap of a SteinLib prize instance (`TP v p`, `Root v`) on its rooted
//! prize reduction: the Lagrangian bound's multiplier `l`, the dual ascent's
//! prize-collecting bound at `l`, the prize-collecting solver's tree at `l` (objective,
//! prize, its own bound) and the quota tree's prize-collecting objective at `l`. What the
//! prize-collecting side leaves open is the ascent's (or the solver's); the rest is the
//! relaxation of the quota row.
//!
//! `cargo run --release -p fiberplan-steiner --example quota_gap -- FILE.stp QUOTA`

mod common;
use common::read;
use fiberplan_steiner::dual_ascent::{ascend, ArcGraph};
use fiberplan_steiner::quota::rooted_prize_reduction;
use fiberplan_steiner::quota_bound::{best_multiplier, BoundWork};
use fiberplan_steiner::tree::tree_nodes;
use fiberplan_steiner::{solve_pcst, solve_quota, Cost, Instance, NodeId, Options};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let inst = read(&args[1]);
    let quota: Cost = args[2].parse().expect("quota");
    let (_, r) = rooted_prize_reduction(&inst);
    let g = &r.graph;
    let root = r.root.expect("rooted");
    let prizes = r.prize_vec();
    let total: Cost = prizes.iter().sum();
    let plain = Options {
        reduce: false,
        ..Options::default()
    };
    let q = solve_quota(&r, quota, &plain);
    let work = BoundWork {
        ascent: u64::MAX,
        rounds: 8,
        finish: 0,
        refine: 0,
    };
    let (qb, l) = best_multiplier(g, &prizes, root, quota, (q.cost, q.prize), work).expect("bound");
    println!(
        "quota tree {} prize {} bound {qb}; l = {:.4}",
        q.cost,
        q.prize,
        l.num as f64 / l.den as f64
    );
    for f in [90i128, 95, 100, 105, 110] {
        let l = fiberplan_steiner::quota_bound::Multiplier {
            num: l.num * f,
            den: l.den * 100,
        };
        let scaled: Vec<Cost> = prizes.iter().map(|&p| l.scale(p)).collect();
        let (ag, terms) = ArcGraph::prize_collecting(g, &scaled, root);
        let da = ascend(&ag, &terms, root, u64::MAX).lower_bound;
        let pay = l.pay((total - quota) as i128) as Cost;
        let pc_of = |nodes: &[NodeId], cost: Cost| -> Cost {
            let held: Cost = nodes.iter().map(|&v| scaled[v as usize]).sum();
            cost + scaled.iter().sum::<Cost>() - held
        };
        let pinst = Instance {
            graph: g.clone(),
            terminals: vec![],
            root: Some(root),
            prizes: scaled.clone(),
        };
        let p = solve_pcst(&pinst, &Options::default());
        let p_prize: Cost = p.nodes.iter().map(|&v| prizes[v as usize]).sum();
        let qt = pc_of(&tree_nodes(g, &q.edges), q.cost);
        println!(
            "x{f}%: DA {da} (quota {}) | pcst tree obj {} cost {} prize {p_prize} its bound {:?} | quota tree obj {qt} | pc gap {}",
            da - pay,
            p.objective,
            p.cost,
            p.lower_bound,
            p.objective - da
        );
    }
}
