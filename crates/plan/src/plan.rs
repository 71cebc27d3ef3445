//! Solving one plan: the scenario's objective on the planning graph, then what each village
//! gets, the routes, phasing and the money.

use crate::economics::{Economics, VillageCosts};
use crate::nearby::Nearby;
use crate::phasing::{schedule, Demand, Forest};
use crate::routes::{split_routes, Route};
use fiberplan_model::{Backbone, CostModel, Kzt, LonLat, Mode, Scenario, Village};
use fiberplan_network::{PlanningGraph, SteinerView};
use fiberplan_steiner::{
    solve_budget, solve_pcst, solve_quota, solve_steiner, Cost, Instance, NodeId, Options, Solution,
};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// How a village is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Technology {
    Fibre,
    /// Fixed wireless (FWA/5G) from a fibre node within range.
    Fwa,
    /// Satellite terminal per household.
    Satellite,
    None,
}

impl Technology {
    pub fn as_str(self) -> &'static str {
        match self {
            Technology::Fibre => "fibre",
            Technology::Fwa => "fwa",
            Technology::Satellite => "satellite",
            Technology::None => "none",
        }
    }
}

/// Everything one plan needs.
pub struct PlanRequest<'a> {
    pub villages: &'a [Village],
    pub backbone: &'a Backbone,
    pub graph: &'a PlanningGraph,
    /// The graph as a rooted instance with households as prizes (`graph.steiner_view`),
    /// built once and shared by every scenario of a sweep.
    pub view: &'a SteinerView,
    pub costs: &'a CostModel,
    pub scenario: &'a Scenario,
    pub solver: Options,
    /// Trees already solved by other scenarios of a sweep, shared across threads.
    pub cache: Option<&'a SolveCache>,
}

/// Trees of the fibre solves that depend on neither cost scale nor technology prices
/// (quota, coverage, connect-all): scenarios that differ only in prices share one solve.
/// The solver is deterministic, so a cached tree is the tree a fresh solve would give.
#[derive(Default)]
pub struct SolveCache {
    trees: std::sync::Mutex<std::collections::BTreeMap<String, Solution>>,
}

/// The outcome for one village (same index as the input villages).
#[derive(Clone, Debug, PartialEq)]
pub struct VillagePlan {
    pub technology: Technology,
    /// No corridor reaches it from the existing network.
    pub unreachable: bool,
    /// Capital cost of the village's own equipment and connections (corridors are in routes).
    pub cost_kzt: Kzt,
    /// Year the village is connected, when the plan is phased.
    pub phase: Option<u16>,
    /// Lifecycle cost of fibre for this village: its share of corridor (the corridors that
    /// would go with it, or that it would need) plus its own equipment and connections.
    pub fibre_marginal_kzt: Option<Kzt>,
    /// Its cheapest alternative to fibre and that alternative's lifecycle cost.
    pub alternative: Option<(Technology, Kzt)>,
}

/// A point of presence or line joint the plan attaches to.
#[derive(Clone, Debug, PartialEq)]
pub struct PopUse {
    pub node: u32,
    pub lonlat: LonLat,
    /// Index into the backbone's pops, or `None` for a joint on an existing line.
    pub pop: Option<usize>,
}

/// Totals of a plan (capital costs, whole tenge).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub mode: Mode,
    pub target_households: Option<u64>,
    pub budget_kzt: Option<Kzt>,
    pub coverage_target: Option<f64>,
    pub villages_total: usize,
    pub households_total: u64,
    pub population_total: u64,
    pub villages_fibre: usize,
    pub households_fibre: u64,
    pub population_fibre: u64,
    pub villages_fwa: usize,
    pub households_fwa: u64,
    pub villages_satellite: usize,
    pub households_satellite: u64,
    /// Population served by fibre or wireless over all input population.
    pub coverage_share: f64,
    pub villages_unreachable: usize,
    pub new_fibre_km: f64,
    pub routes: usize,
    pub pops_used: usize,
    pub cost_corridor_kzt: Kzt,
    pub cost_equipment_kzt: Kzt,
    pub cost_households_kzt: Kzt,
    pub cost_fwa_kzt: Kzt,
    pub cost_satellite_kzt: Kzt,
    pub cost_total_kzt: Kzt,
    /// Spent per phase year.
    pub phases: Vec<(u16, Kzt)>,
    pub villages_unphased: usize,
    pub solver: String,
    /// The tree's corridor cost in the units of `--export-stp` (unscaled corridor tenge).
    pub objective: Cost,
    pub lower_bound: Option<Cost>,
    pub solver_cut_short: bool,
}

impl Summary {
    pub fn cost_fibre_kzt(&self) -> Kzt {
        self.cost_corridor_kzt + self.cost_equipment_kzt + self.cost_households_kzt
    }
    /// Lower-bound gap in percent, when a positive bound is known.
    pub fn gap_pct(&self) -> Option<f64> {
        self.lower_bound
            .filter(|&lb| lb > 0)
            .map(|lb| 100.0 * (self.objective - lb) as f64 / lb as f64)
    }
}

/// A solved plan.
#[derive(Clone, Debug)]
pub struct Plan {
    pub villages: Vec<VillagePlan>,
    pub routes: Vec<Route>,
    pub pops: Vec<PopUse>,
    pub summary: Summary,
    /// The fibre tree on the planning graph's corridors (sorted).
    pub corridors: Vec<u32>,
}

impl Plan {
    /// Give each route the district of its midpoint.
    pub fn assign_districts(&mut self, index: &fiberplan_network::district_index::DistrictIndex) {
        for r in &mut self.routes {
            r.district = index.locate(crate::routes::midpoint(&r.geometry));
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

/// Per instance node, the sum of `f(village)` of the villages on it.
fn node_prizes(req: &PlanRequest, f: impl Fn(usize) -> Cost) -> Vec<Cost> {
    let mut p = vec![0; req.view.instance.graph.num_nodes()];
    for (i, n) in req.graph.village_node.iter().enumerate() {
        if let Some(n) = n {
            p[req.view.inst_of[*n as usize] as usize] += f(i);
        }
    }
    p
}

/// Solve one plan.
pub fn solve_plan(req: &PlanRequest) -> Plan {
    let inst = &req.view.instance;
    let s = req.scenario;
    let econ = Economics::new(req.costs, s);
    let vc: Vec<VillageCosts> = req.villages.iter().map(|v| econ.village(v)).collect();
    let reach = reachable_from_root(inst);
    let inst_node: Vec<Option<NodeId>> = req
        .graph
        .village_node
        .iter()
        .map(|n| n.map(|n| req.view.inst_of[n as usize]))
        .collect();
    // The existing network can serve FWA from the start.
    let near_existing = Nearby::new(fibre_points(req, &[], &[]));

    let cache_key = match s.mode {
        Mode::Quota => Some(format!("quota {:?}", s.target_households)),
        Mode::ConnectAll => Some("connect_all".to_string()),
        Mode::Coverage => Some(format!("coverage {:?}", s.coverage_share)),
        Mode::Budget | Mode::LeastCost => None,
    }
    .map(|k| format!("{k} seed {} effort {}", req.solver.seed, req.solver.effort));
    let cached = req
        .cache
        .zip(cache_key.as_ref())
        .and_then(|(c, k)| c.trees.lock().ok()?.get(k).cloned());
    let sol: Solution = if let Some(sol) = cached {
        sol
    } else {
        match s.mode {
            Mode::Quota => solve_quota(inst, s.target_households.unwrap_or(0) as Cost, &req.solver),
            Mode::ConnectAll => {
                let mut sub = inst.clone();
                sub.terminals.retain(|&t| reach[t as usize]);
                solve_steiner(&sub, &req.solver)
            }
            Mode::Budget => solve_fibre_budget(req, &econ, &vc, s.budget_kzt.unwrap_or(0)),
            Mode::Coverage => {
                solve_coverage(req, &econ, &near_existing, s.coverage_share.unwrap_or(0.0))
            }
            Mode::LeastCost => {
                // Prize: what fibre saves against the cheapest alternative, in corridor tenge.
                let per_corridor_tenge = econ.corridor_scale * econ.corridor_life_factor;
                let prizes = node_prizes(req, |i| {
                    let alt = alternative(
                        &econ,
                        &vc[i],
                        req.villages[i].lonlat,
                        &near_existing,
                        &near_existing,
                    );
                    alt.map_or(0, |(_, a)| {
                        ((a - vc[i].fibre_life).max(0) as f64 / per_corridor_tenge).round() as Cost
                    })
                });
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
    let mut tree_edges: BTreeSet<u32> = sol.edges.iter().copied().collect();
    if s.mode == Mode::LeastCost {
        improve_least_cost(req, &econ, &vc, &inst_node, &mut in_tree, &mut tree_edges);
    }
    finish(
        req,
        &econ,
        &vc,
        &inst_node,
        &reach,
        &in_tree,
        &tree_edges,
        &sol,
    )
}

/// The cheapest alternative to fibre for a village: FWA when a fibre node is in range
/// (`near_fibre`), satellite, with lifecycle cost.
fn alternative(
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

/// Cheaper solver settings for the many solves of a bisection; the chosen point is solved
/// again with the request's own settings.
fn probe_options(o: &Options) -> Options {
    Options {
        effort: 1,
        lower_bound: false,
        local_search: false,
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
    while lo + step < hi {
        let mid = lo + (hi - lo) / 2;
        if covered(&solve_quota(&pinst, mid as Cost, &probe)) >= need {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let full = solve_quota(&pinst, hi as Cost, &req.solver);
    if covered(&full) >= need {
        full
    } else {
        solve_quota(&pinst, need.saturating_sub(static_pop) as Cost, &req.solver)
    }
}

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

fn fibre_points(req: &PlanRequest, inst_node: &[Option<NodeId>], in_tree: &[bool]) -> Vec<LonLat> {
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
fn dijkstra_from(g: &fiberplan_steiner::Graph, sources: &[bool]) -> (Vec<Cost>, Vec<Option<u32>>) {
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

/// Technologies, marginal costs, routes, phasing and totals from the fibre tree.
#[allow(clippy::too_many_arguments)]
fn finish(
    req: &PlanRequest,
    econ: &Economics,
    vc: &[VillageCosts],
    inst_node: &[Option<NodeId>],
    reach: &[bool],
    in_tree: &[bool],
    tree_edges: &BTreeSet<u32>,
    sol: &Solution,
) -> Plan {
    let g = req.graph;
    let view = req.view;
    let s = req.scenario;
    let graph = &view.instance.graph;
    let mut corridors: Vec<u32> = tree_edges
        .iter()
        .map(|&e| view.corridor_of[e as usize])
        .collect();
    corridors.sort_unstable();
    let objective: Cost = tree_edges.iter().map(|&e| graph.edge(e).2).sum();
    let assigns_alternatives = matches!(s.mode, Mode::LeastCost | Mode::Coverage);

    // Marginal fibre cost: to connect (non-fibre) or what would go with it (fibre).
    let (dist, _) = dijkstra_from(graph, in_tree);
    let pendant = pendant_costs(graph, tree_edges, in_tree, inst_node);
    let near_fibre = Nearby::new(fibre_points(req, inst_node, in_tree));
    let near_existing = Nearby::new(fibre_points(req, &[], in_tree));

    let mut sm = Summary {
        mode: s.mode,
        target_households: s.target_households.filter(|_| s.mode == Mode::Quota),
        budget_kzt: s.budget_kzt.filter(|_| s.mode == Mode::Budget),
        coverage_target: s.coverage_share.filter(|_| s.mode == Mode::Coverage),
        villages_total: req.villages.len(),
        households_total: 0,
        population_total: 0,
        villages_fibre: 0,
        households_fibre: 0,
        population_fibre: 0,
        villages_fwa: 0,
        households_fwa: 0,
        villages_satellite: 0,
        households_satellite: 0,
        coverage_share: 0.0,
        villages_unreachable: 0,
        new_fibre_km: 0.0,
        routes: 0,
        pops_used: 0,
        cost_corridor_kzt: 0,
        cost_equipment_kzt: 0,
        cost_households_kzt: 0,
        cost_fwa_kzt: 0,
        cost_satellite_kzt: 0,
        cost_total_kzt: 0,
        phases: Vec::new(),
        villages_unphased: 0,
        solver: sol.solver.clone(),
        objective,
        lower_bound: if objective == sol.cost {
            sol.lower_bound
        } else {
            None
        },
        solver_cut_short: sol.cut_short,
    };
    let mut key = vec![false; g.nodes.len()];
    let mut villages = Vec::with_capacity(req.villages.len());
    let mut covered_pop = 0u64;
    for (i, v) in req.villages.iter().enumerate() {
        sm.households_total += v.households;
        sm.population_total += v.population;
        let t = inst_node[i];
        let unreachable = t.is_none_or(|t| !reach[t as usize]);
        let fibre = t.is_some_and(|t| in_tree[t as usize]) && !unreachable;
        let marginal = t.and_then(|t| {
            let corridor = if fibre {
                pendant[t as usize]
            } else {
                dist[t as usize]
            };
            (corridor != Cost::MAX).then(|| econ.corridor_life(corridor) + vc[i].fibre_life)
        });
        let alt = alternative(
            econ,
            &vc[i],
            v.lonlat,
            if fibre { &near_existing } else { &near_fibre },
            &near_existing,
        );
        let mut vp = VillagePlan {
            technology: Technology::None,
            unreachable,
            cost_kzt: 0,
            phase: None,
            fibre_marginal_kzt: marginal,
            alternative: alt,
        };
        if fibre {
            vp.technology = Technology::Fibre;
            vp.cost_kzt = vc[i].fibre_capex;
            sm.villages_fibre += 1;
            sm.households_fibre += v.households;
            sm.population_fibre += v.population;
            sm.cost_equipment_kzt += req.costs.village_equipment_kzt;
            sm.cost_households_kzt += vc[i].fibre_capex - req.costs.village_equipment_kzt;
            covered_pop += v.population;
            key[g.village_node[i].expect("fibre village has a node") as usize] = true;
        } else if assigns_alternatives && v.households > 0 {
            // Coverage mode prefers FWA where it reaches (it counts as coverage).
            let fwa_ok = econ
                .fwa_radius_m
                .is_some_and(|r| vc[i].fwa_capex.is_some() && near_fibre.within(v.lonlat, r));
            let choice = match (s.mode, alt) {
                (Mode::Coverage, _) if fwa_ok => Some(Technology::Fwa),
                (_, Some((tech, _))) => Some(tech),
                _ => None,
            };
            match choice {
                Some(Technology::Fwa) => {
                    vp.technology = Technology::Fwa;
                    vp.cost_kzt = vc[i].fwa_capex.expect("FWA offered");
                    sm.villages_fwa += 1;
                    sm.households_fwa += v.households;
                    sm.cost_fwa_kzt += vp.cost_kzt;
                    covered_pop += v.population;
                }
                Some(Technology::Satellite) => {
                    vp.technology = Technology::Satellite;
                    vp.cost_kzt = vc[i].satellite_capex.expect("satellite offered");
                    sm.villages_satellite += 1;
                    sm.households_satellite += v.households;
                    sm.cost_satellite_kzt += vp.cost_kzt;
                }
                _ => {}
            }
        }
        if unreachable {
            sm.villages_unreachable += 1;
        }
        villages.push(vp);
    }
    sm.coverage_share = if sm.population_total > 0 {
        covered_pop as f64 / sm.population_total as f64
    } else {
        0.0
    };

    // Points of presence and joints that the chosen corridors touch.
    let root_side = |v: u32| view.inst_of[v as usize] == 0;
    let mut pop_nodes: BTreeSet<u32> = BTreeSet::new();
    for &c in &corridors {
        let cor = &g.corridors[c as usize];
        for v in [cor.a, cor.b] {
            if root_side(v) {
                pop_nodes.insert(v);
            }
        }
    }
    for &v in &pop_nodes {
        key[v as usize] = true;
    }
    let pops: Vec<PopUse> = pop_nodes
        .iter()
        .map(|&node| PopUse {
            node,
            lonlat: g.nodes[node as usize],
            pop: g.pop_node.iter().position(|p| *p == Some(node)),
        })
        .collect();
    let mut routes = split_routes(g, &corridors, &key);
    for r in &mut routes {
        r.cost_kzt = r
            .corridors
            .iter()
            .map(|&c| econ.corridor_capex(g.corridors[c as usize].cost_kzt))
            .sum();
    }

    if !s.phases.is_empty() {
        let mut years: Vec<(u16, Kzt)> = s.phases.iter().map(|p| (p.year, p.budget_kzt)).collect();
        years.sort_unstable();
        let corridor = |c: u32| {
            let cor = &g.corridors[c as usize];
            (cor.a, cor.b, econ.corridor_capex(cor.cost_kzt))
        };
        let is_root = |v: u32| root_side(v);
        let forest = Forest {
            num_nodes: g.nodes.len(),
            corridor: &corridor,
            chosen: &corridors,
            is_root: &is_root,
        };
        let fibre_idx: Vec<usize> = (0..villages.len())
            .filter(|&i| villages[i].technology == Technology::Fibre)
            .collect();
        let demands: Vec<Demand> = fibre_idx
            .iter()
            .map(|&i| Demand {
                node: g.village_node[i].expect("fibre village has a node"),
                households: req.villages[i].households,
                fixed_kzt: villages[i].cost_kzt,
            })
            .collect();
        let sched = schedule(&forest, &demands, &years);
        for (k, &i) in fibre_idx.iter().enumerate() {
            villages[i].phase = sched.village_phase[k];
        }
        sm.villages_unphased = sched.village_phase.iter().filter(|p| p.is_none()).count();
        for r in &mut routes {
            r.phase = sched
                .corridor_phase
                .binary_search_by_key(&r.corridors[0], |x| x.0)
                .ok()
                .map(|k| sched.corridor_phase[k].1);
        }
        sm.phases = sched.spent;
    }

    sm.routes = routes.len();
    sm.pops_used = pops.len();
    sm.cost_corridor_kzt = routes.iter().map(|r| r.cost_kzt).sum();
    // fold from +0.0: an empty float sum is -0.0, which would print as "-0.0 km".
    sm.new_fibre_km = routes.iter().fold(0.0, |a, r| a + r.costed_length_m) / 1000.0;
    sm.cost_total_kzt = sm.cost_fibre_kzt() + sm.cost_fwa_kzt + sm.cost_satellite_kzt;
    Plan {
        villages,
        routes,
        pops,
        summary: sm,
        corridors,
    }
}

/// For each tree node, the corridor cost that would go if it alone stopped needing fibre:
/// the pendant path from it up to the first node that is a branch point, holds another
/// fibre village, or is the root. `Cost::MAX` off the tree.
fn pendant_costs(
    g: &fiberplan_steiner::Graph,
    edges: &BTreeSet<u32>,
    in_tree: &[bool],
    inst_node: &[Option<NodeId>],
) -> Vec<Cost> {
    let n = g.num_nodes();
    let mut adj: Vec<Vec<(NodeId, u32)>> = vec![Vec::new(); n];
    for &e in edges {
        let (a, b, _) = g.edge(e);
        adj[a as usize].push((b, e));
        adj[b as usize].push((a, e));
    }
    let mut villages_at = vec![0u32; n];
    for t in inst_node.iter().flatten() {
        villages_at[*t as usize] += 1;
    }
    let mut out = vec![Cost::MAX; n];
    for v in 0..n {
        if !in_tree[v] {
            continue;
        }
        if v == 0 || adj[v].len() != 1 {
            // Root, a branch point or a pass-through node: removing it removes no corridor.
            out[v] = 0;
            continue;
        }
        let (mut prev, mut cur, mut cost) = (v as NodeId, adj[v][0].0, g.edge(adj[v][0].1).2);
        while cur != 0 && adj[cur as usize].len() == 2 && villages_at[cur as usize] == 0 {
            let &(next, e) = adj[cur as usize]
                .iter()
                .find(|(w, _)| *w != prev)
                .expect("degree two");
            cost += g.edge(e).2;
            prev = cur;
            cur = next;
        }
        out[v] = cost;
    }
    out
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
