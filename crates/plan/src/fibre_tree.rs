//! From an objective to a fibre tree on the planning graph: one solver call per mode
//! (quota, connect-all, least-cost as prize-collecting), or a bisection over solver calls
//! (budget, coverage), and the least-cost rule made exact village by village.

use crate::economics::{Economics, VillageCosts};
use crate::nearby::Nearby;
use crate::types::{PlanRequest, Technology};
use fiberplan_model::{Kzt, LonLat, Objective};
use fiberplan_steiner::{
    solve_budget, solve_pcst, solve_quota, solve_steiner, Cost, Instance, NodeId, Options, Solution,
};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// What `solve_plan` prepares once per request and every later step reads.
pub(crate) struct Prepared<'r, 'a> {
    pub req: &'r PlanRequest<'a>,
    pub econ: Economics,
    /// Each village's own costs under the scenario.
    pub vc: Vec<VillageCosts>,
    /// Instance node of each village, when it has one.
    pub inst_node: Vec<Option<NodeId>>,
    /// Instance nodes connected to the root.
    pub reach: Vec<bool>,
}

/// The chosen fibre tree: the solver's answer and its nodes and edges in the instance.
pub(crate) struct FibreTree {
    pub sol: Solution,
    /// Instance nodes on the tree (the root always).
    pub in_tree: Vec<bool>,
    /// Instance edges of the tree.
    pub edges: BTreeSet<u32>,
    /// Least-cost mode (prize-collecting): the prizes of the nodes the final tree leaves
    /// out, in corridor tenge; the tree's cost plus these is the solver's objective.
    pub left_out_prize: Option<Cost>,
}

impl<'r, 'a> Prepared<'r, 'a> {
    pub fn new(req: &'r PlanRequest<'a>) -> Self {
        let econ = Economics::new(req.costs, req.scenario);
        let vc = req.villages.iter().map(|v| econ.village(v)).collect();
        let reach = reachable_from_root(&req.view.instance);
        let inst_node = req
            .graph
            .village_node
            .iter()
            .map(|n| n.map(|n| req.view.inst_of[n as usize]))
            .collect();
        Prepared {
            req,
            econ,
            vc,
            inst_node,
            reach,
        }
    }
}

/// Instance with the same graph and new prizes.
fn with_prizes(inst: &Instance, prizes: Vec<Cost>) -> Instance {
    Instance {
        graph: inst.graph.clone(),
        terminals: inst.terminals.clone(),
        root: inst.root,
        prizes,
    }
}

/// Per instance node, the sum of `f(village)` of the villages on it that have no fibre yet.
fn node_prizes(req: &PlanRequest, f: impl Fn(usize) -> Cost) -> Vec<Cost> {
    let mut p = vec![0; req.view.instance.graph.num_nodes()];
    for (i, n) in req.graph.village_node.iter().enumerate() {
        if req.villages[i].existing_fibre.is_some() {
            continue;
        }
        if let Some(n) = n {
            p[req.view.inst_of[*n as usize] as usize] += f(i);
        }
    }
    p
}

/// The fibre tree of the request's objective.
pub(crate) fn fibre_tree(p: &Prepared) -> FibreTree {
    let req = p.req;
    let inst = &req.view.instance;
    let (econ, vc) = (&p.econ, &p.vc);
    // The existing network can serve FWA from the start.
    let near_existing = Nearby::new(fibre_points(req, &[], &[]));

    // The keys of the solves shared through the cache (kept as they were before the
    // objective became a type, so cached trees stay comparable across versions).
    let cache_key = match req.objective {
        Objective::Quota { target_households } => {
            Some(format!("quota {:?}", Some(target_households)))
        }
        Objective::ConnectAll => Some("connect_all".to_string()),
        Objective::Coverage { coverage_share } => {
            Some(format!("coverage {:?}", Some(coverage_share)))
        }
        Objective::Budget { .. } | Objective::LeastCost => None,
    }
    .map(|k| format!("{k} seed {} effort {}", req.solver.seed, req.solver.effort))
    .map(|k| if req.solver.prove { k + " prove" } else { k });
    let cached = req
        .cache
        .zip(cache_key.as_ref())
        .and_then(|(c, k)| c.trees.lock().ok()?.get(k).cloned());
    // Least-cost mode's prizes: what fibre saves against the cheapest alternative, in
    // corridor tenge.
    let pcst_prizes = (req.objective == Objective::LeastCost).then(|| {
        let per_corridor_tenge = econ.corridor_scale * econ.corridor_life_factor;
        node_prizes(req, |i| {
            let alt = alternative(
                econ,
                &vc[i],
                req.villages[i].lonlat,
                &near_existing,
                &near_existing,
            );
            alt.map_or(0, |(_, a)| {
                ((a - vc[i].fibre_life).max(0) as f64 / per_corridor_tenge).round() as Cost
            })
        })
    });
    let sol: Solution = if let Some(sol) = cached {
        sol
    } else {
        match req.objective {
            Objective::Quota { target_households } => {
                solve_quota(inst, target_households as Cost, &req.solver)
            }
            // The solver leaves out the terminals the root cannot reach (listed in
            // `Solution::unreachable`, which nothing here reads) and solves over the rest:
            // the same tree as on an instance without them, and no copy of a country's graph.
            Objective::ConnectAll => solve_steiner(inst, &req.solver),
            Objective::Budget { budget_kzt } => solve_fibre_budget(req, econ, vc, budget_kzt),
            Objective::Coverage { coverage_share } => {
                solve_coverage(req, econ, &near_existing, coverage_share)
            }
            Objective::LeastCost => {
                let prizes = pcst_prizes.clone().expect("computed for least-cost mode");
                solve_pcst(&with_prizes(inst, prizes), &req.solver)
            }
        }
    };
    if let (Some(c), Some(k)) = (req.cache, cache_key) {
        if let Ok(mut m) = c.trees.lock() {
            m.entry(k).or_insert_with(|| sol.clone());
        }
    }
    let mut in_tree: Vec<bool> = vec![false; inst.graph.num_nodes()];
    for &v in &sol.nodes {
        in_tree[v as usize] = true;
    }
    in_tree[0] = true;
    let mut edges: BTreeSet<u32> = sol.edges.iter().copied().collect();
    if req.objective == Objective::LeastCost {
        improve_least_cost(req, econ, vc, &p.inst_node, &mut in_tree, &mut edges);
    }
    let left_out_prize = pcst_prizes.map(|prizes| {
        prizes
            .iter()
            .zip(&in_tree)
            .filter(|(_, &on)| !on)
            .map(|(p, _)| p)
            .sum()
    });
    FibreTree {
        sol,
        in_tree,
        edges,
        left_out_prize,
    }
}

/// The cheapest alternative to fibre for a village: FWA when a fibre node is in range
/// (`near_fibre`), satellite, with lifecycle cost.
pub(crate) fn alternative(
    econ: &Economics,
    c: &VillageCosts,
    p: LonLat,
    near_fibre: &Nearby,
    _existing: &Nearby,
) -> Option<(Technology, Kzt)> {
    let fwa = match (econ.fwa_radius_m, c.fwa_life) {
        (Some(r), Some(cost)) if near_fibre.within(p, r) => Some((Technology::Fwa, cost)),
        _ => None,
    };
    let sat = c.satellite_life.map(|cost| (Technology::Satellite, cost));
    match (fwa, sat) {
        (Some(a), Some(b)) => Some(if b.1 < a.1 { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Cheaper solver settings for the many solves of a bisection (no proof either); the chosen
/// point is solved again with the request's own settings.
fn probe_options(o: &Options) -> Options {
    Options {
        effort: 1,
        lower_bound: false,
        local_search: false,
        prove: false,
        ..o.clone()
    }
}

/// Budget mode: the most households whose fibre (corridors, equipment, connections) costs at
/// most `budget`. Bisection on the corridor budget given to the solver: the village costs of
/// its answer decide whether the whole fits.
fn solve_fibre_budget(
    req: &PlanRequest,
    econ: &Economics,
    vc: &[VillageCosts],
    budget: Kzt,
) -> Solution {
    let inst = &req.view.instance;
    let fixed_per_node = node_prizes(req, |i| vc[i].fibre_capex);
    let total = |sol: &Solution| -> Kzt {
        econ.corridor_capex(sol.cost)
            + sol
                .nodes
                .iter()
                .map(|&v| fixed_per_node[v as usize])
                .sum::<Kzt>()
            + fixed_per_node[0]
    };
    let corridor_budget = |b: Kzt| ((b as f64 / econ.corridor_scale).floor() as Cost).max(0);
    let probe = probe_options(&req.solver);
    let (mut lo, mut hi) = (0 as Kzt, budget);
    let mut best_b = 0;
    for _ in 0..24 {
        if lo > hi {
            break;
        }
        let mid = lo + (hi - lo) / 2;
        let sol = solve_budget(inst, corridor_budget(mid), &probe);
        if total(&sol) <= budget {
            best_b = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    // The full solve at the chosen corridor budget; if its villages tip the total over, the
    // probe's answer stands.
    let full = solve_budget(inst, corridor_budget(best_b), &req.solver);
    if total(&full) <= budget {
        full
    } else {
        solve_budget(inst, corridor_budget(best_b), &probe)
    }
}

/// Coverage mode: the least fibre whose villages, plus the villages FWA can then reach,
/// hold `share` of the population. Bisection on the fibre population quota.
fn solve_coverage(
    req: &PlanRequest,
    econ: &Economics,
    near_existing: &Nearby,
    share: f64,
) -> Solution {
    let inst = &req.view.instance;
    let pop_total: u64 = req.villages.iter().map(|v| v.population).sum();
    let need = (share * pop_total as f64).ceil() as u64;
    let radius = econ.fwa_radius_m.filter(|_| req.costs.fwa.is_some());
    let fwa_static: Vec<bool> = req
        .villages
        .iter()
        .map(|v| radius.is_some_and(|r| near_existing.within(v.lonlat, r)))
        .collect();
    let prizes = node_prizes(req, |i| {
        if fwa_static[i] {
            0
        } else {
            req.villages[i].population as Cost
        }
    });
    let pinst = with_prizes(inst, prizes);
    let covered = |sol: &Solution| -> u64 {
        let on: BTreeSet<NodeId> = sol.nodes.iter().copied().chain([0]).collect();
        let fibre_pts: Vec<LonLat> = req
            .graph
            .village_node
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_some_and(|n| on.contains(&req.view.inst_of[n as usize])))
            .map(|(i, _)| req.villages[i].lonlat)
            .collect();
        let near_fibre = Nearby::new(fibre_pts.iter().copied());
        req.villages
            .iter()
            .enumerate()
            .filter(|(i, v)| {
                let fibre = req.graph.village_node[*i]
                    .is_some_and(|n| on.contains(&req.view.inst_of[n as usize]));
                fibre || fwa_static[*i] || radius.is_some_and(|r| near_fibre.within(v.lonlat, r))
            })
            .map(|(_, v)| v.population)
            .sum()
    };
    let static_pop: u64 = req
        .villages
        .iter()
        .zip(&fwa_static)
        .filter(|(_, s)| **s)
        .map(|(v, _)| v.population)
        .sum();
    let probe = probe_options(&req.solver);
    let (mut lo, mut hi) = (0u64, need.saturating_sub(static_pop));
    // The population resolution of the search: 0.1 % of what is needed.
    let step = (need / 1000).max(1);
    // The probe's tree at `hi`, once a probe has set it (the fallback below reuses it).
    let mut probed_at_hi = None;
    while lo + step < hi {
        let mid = lo + (hi - lo) / 2;
        let sol = solve_quota(&pinst, mid as Cost, &probe);
        if covered(&sol) >= need {
            hi = mid;
            probed_at_hi = Some(sol);
        } else {
            lo = mid + 1;
        }
    }
    // The full solve's tree at `hi` may take other villages than the probe's and leave
    // fewer neighbours within FWA range, a few people short: raise its quota by the
    // shortfall a few times; else the cheaper of the probe's tree at `hi` (it covered the
    // need when the search chose `hi`) and the full solve at the whole need (which covers
    // it by construction).
    let whole_quota = need.saturating_sub(static_pop);
    let mut q = hi;
    for _ in 0..RAISES {
        let full = solve_quota(&pinst, q as Cost, &req.solver);
        let c = covered(&full);
        if c >= need {
            return full;
        }
        q += need - c;
        if q >= whole_quota {
            break;
        }
    }
    let whole = solve_quota(&pinst, whole_quota as Cost, &req.solver);
    let probed = probed_at_hi.unwrap_or_else(|| solve_quota(&pinst, hi as Cost, &probe));
    if probed.cost < whole.cost && covered(&probed) >= need {
        probed
    } else {
        whole
    }
}

/// How many times coverage mode raises the full solve's quota by its shortfall.
const RAISES: usize = 4;

/// Least-cost mode: add any village whose fibre (shortest corridor from the tree plus its
/// own costs, lifecycle) is cheaper than its alternative, until none is left. The solver's
/// tree already holds most of them; this makes the rule exact, village by village.
fn improve_least_cost(
    req: &PlanRequest,
    econ: &Economics,
    vc: &[VillageCosts],
    inst_node: &[Option<NodeId>],
    in_tree: &mut [bool],
    tree_edges: &mut BTreeSet<u32>,
) {
    let g = &req.view.instance.graph;
    for _round in 0..64 {
        let (dist, pred) = dijkstra_from(g, in_tree);
        let fibre_pts = fibre_points(req, inst_node, in_tree);
        let near = Nearby::new(fibre_pts);
        let mut best: Option<(Kzt, usize)> = None;
        for (i, v) in req.villages.iter().enumerate() {
            let Some(t) = inst_node[i] else { continue };
            if in_tree[t as usize] || dist[t as usize] == Cost::MAX || v.households == 0 {
                continue;
            }
            let fibre = econ.corridor_life(dist[t as usize]) + vc[i].fibre_life;
            if let Some((_, alt)) = alternative(econ, &vc[i], v.lonlat, &near, &near) {
                let saving = alt - fibre;
                if saving > 0 && best.is_none_or(|(s, j)| (saving, Reverse(i)) > (s, Reverse(j))) {
                    best = Some((saving, i));
                }
            }
        }
        let Some((_, i)) = best else { return };
        let mut v = inst_node[i].expect("chosen village has a node");
        while !in_tree[v as usize] {
            in_tree[v as usize] = true;
            let e = pred[v as usize].expect("reached node has a predecessor");
            tree_edges.insert(e);
            let (a, b, _) = g.edge(e);
            v = if a == v { b } else { a };
        }
    }
}

pub(crate) fn fibre_points(
    req: &PlanRequest,
    inst_node: &[Option<NodeId>],
    in_tree: &[bool],
) -> Vec<LonLat> {
    let mut pts: Vec<LonLat> = req
        .graph
        .pop_node
        .iter()
        .flatten()
        .chain(&req.graph.line_joints)
        .map(|&n| req.graph.nodes[n as usize])
        .collect();
    pts.extend(
        inst_node
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_some_and(|t| in_tree[t as usize]))
            .map(|(i, _)| req.villages[i].lonlat),
    );
    pts
}

/// Multi-source Dijkstra from every node in `sources`: distance and predecessor edge.
pub(crate) fn dijkstra_from(
    g: &fiberplan_steiner::Graph,
    sources: &[bool],
) -> (Vec<Cost>, Vec<Option<u32>>) {
    let n = g.num_nodes();
    let mut dist = vec![Cost::MAX; n];
    let mut pred = vec![None; n];
    let mut heap = BinaryHeap::new();
    for v in 0..n {
        if sources[v] {
            dist[v] = 0;
            heap.push(Reverse((0, v as NodeId)));
        }
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for (w, e) in g.neighbors(v) {
            let nd = d + g.edge(e).2;
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                pred[w as usize] = Some(e);
                heap.push(Reverse((nd, w)));
            }
        }
    }
    (dist, pred)
}

/// Nodes of the instance connected to its root (node 0).
fn reachable_from_root(inst: &Instance) -> Vec<bool> {
    let g = &inst.graph;
    let mut seen = vec![false; g.num_nodes()];
    if g.num_nodes() == 0 {
        return seen;
    }
    let root = inst.root.unwrap_or(0);
    seen[root as usize] = true;
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        for (w, _) in g.neighbors(v) {
            if !seen[w as usize] {
                seen[w as usize] = true;
                stack.push(w);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use fiberplan_steiner::{solve_steiner, Graph, Instance, Options};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Connect-all solves the whole rooted instance, unreachable terminals and all: the
        /// same tree as the copy without them that it used to build (issue 19).
        #[test]
        fn connect_all_needs_no_copy_without_unreachable_terminals(
            n in 4usize..24,
            raw in prop::collection::vec((0u32..24, 0u32..24, 1i64..50), 1..60),
            terms in prop::collection::vec(1u32..24, 1..8),
            seed in 0u64..4,
        ) {
            let edges: Vec<_> = raw
                .iter()
                .map(|&(u, v, w)| (u % n as u32, v % n as u32, w))
                .collect();
            let mut terminals: Vec<u32> = terms.iter().map(|t| t % n as u32).filter(|&t| t != 0).collect();
            terminals.sort_unstable();
            terminals.dedup();
            let inst = Instance {
                graph: Graph::from_edges(n, &edges),
                terminals,
                root: Some(0),
                prizes: Vec::new(),
            };
            let reach = super::reachable_from_root(&inst);
            let mut sub = inst.clone();
            sub.terminals.retain(|&t| reach[t as usize]);
            let opts = Options { seed, ..Options::default() };
            let (a, b) = (solve_steiner(&inst, &opts), solve_steiner(&sub, &opts));
            prop_assert_eq!(&a.edges, &b.edges);
            prop_assert_eq!(&a.nodes, &b.nodes);
            prop_assert_eq!((a.cost, a.lower_bound, &a.solver), (b.cost, b.lower_bound, &b.solver));
            let left_out: Vec<u32> = inst.terminals.iter().copied().filter(|&t| !reach[t as usize]).collect();
            prop_assert_eq!(a.unreachable, left_out);
        }
    }
}
