//! Solving one plan.

use crate::routes::{split_routes, Route};
use fiberplan_model::{Backbone, CostModel, Kzt, LonLat, Village};
use fiberplan_network::PlanningGraph;
use fiberplan_steiner::{solve_quota, solve_steiner, Cost, Options, Solution};
use std::collections::BTreeSet;

/// What the plan must achieve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// Least cost bringing fibre to villages totalling at least this many households.
    Quota { households: u64 },
    /// Every reachable village on fibre, at least cost.
    ConnectAll,
}

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
    pub costs: &'a CostModel,
    pub objective: Objective,
    pub solver: Options,
}

/// The outcome for one village (same index as the input villages).
#[derive(Clone, Debug, PartialEq)]
pub struct VillagePlan {
    pub technology: Technology,
    /// No corridor reaches it from the existing network.
    pub unreachable: bool,
    /// Equipment plus household connections, for a served village; 0 otherwise.
    pub cost_kzt: Kzt,
    /// Year the village is connected, when the plan is phased.
    pub phase: Option<u16>,
}

/// A point of presence or line joint the plan attaches to.
#[derive(Clone, Debug, PartialEq)]
pub struct PopUse {
    pub node: u32,
    pub lonlat: LonLat,
    /// Index into the backbone's pops, or `None` for a joint on an existing line.
    pub pop: Option<usize>,
}

/// Totals of a plan. Every figure but `solver` is determined by the inputs and seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub target_households: Option<u64>,
    pub villages_total: usize,
    pub households_total: u64,
    pub population_total: u64,
    pub villages_fibre: usize,
    pub households_fibre: u64,
    pub population_fibre: u64,
    pub villages_unreachable: usize,
    pub new_fibre_km: f64,
    pub routes: usize,
    pub pops_used: usize,
    pub cost_corridor_kzt: Kzt,
    pub cost_equipment_kzt: Kzt,
    pub cost_households_kzt: Kzt,
    pub cost_total_kzt: Kzt,
    pub solver: String,
    /// The tree's cost in the units of `--export-stp` (corridor tenge).
    pub objective: Cost,
    pub lower_bound: Option<Cost>,
    pub solver_cut_short: bool,
}

/// A solved plan.
#[derive(Clone, Debug)]
pub struct Plan {
    pub villages: Vec<VillagePlan>,
    pub routes: Vec<Route>,
    pub pops: Vec<PopUse>,
    pub summary: Summary,
    /// The solver's tree, on the planning graph's corridors (sorted).
    pub corridors: Vec<u32>,
}

/// Solve one plan.
pub fn solve_plan(req: &PlanRequest) -> Plan {
    let g = req.graph;
    let view = g.steiner_view(|i| req.villages[i].households as Cost);
    let inst = &view.instance;
    let sol: Solution = match req.objective {
        Objective::Quota { households } => solve_quota(inst, households as Cost, &req.solver),
        Objective::ConnectAll => {
            // Only terminals the root can reach: the rest are reported unreachable.
            let reach = reachable_from_root(inst);
            let mut sub = inst.clone();
            sub.terminals.retain(|&t| reach[t as usize]);
            solve_steiner(&sub, &req.solver)
        }
    };
    let reach = reachable_from_root(inst);
    let in_tree: BTreeSet<u32> = sol.nodes.iter().copied().collect();
    let mut corridors: Vec<u32> = sol
        .edges
        .iter()
        .map(|&e| view.corridor_of[e as usize])
        .collect();
    corridors.sort_unstable();

    let mut villages = Vec::with_capacity(req.villages.len());
    let mut s = Summary {
        target_households: match req.objective {
            Objective::Quota { households } => Some(households),
            Objective::ConnectAll => None,
        },
        villages_total: req.villages.len(),
        households_total: 0,
        population_total: 0,
        villages_fibre: 0,
        households_fibre: 0,
        population_fibre: 0,
        villages_unreachable: 0,
        new_fibre_km: 0.0,
        routes: 0,
        pops_used: 0,
        cost_corridor_kzt: 0,
        cost_equipment_kzt: 0,
        cost_households_kzt: 0,
        cost_total_kzt: 0,
        solver: sol.solver.clone(),
        objective: sol.cost,
        lower_bound: sol.lower_bound,
        solver_cut_short: sol.cut_short,
    };
    let mut key = vec![false; g.nodes.len()];
    for (i, v) in req.villages.iter().enumerate() {
        s.households_total += v.households;
        s.population_total += v.population;
        let node = g.village_node[i];
        let inst_node = node.map(|n| view.inst_of[n as usize]);
        let unreachable = inst_node.is_none_or(|t| !reach[t as usize]);
        // At a point of presence (root) a village is served with no corridor.
        let served = inst_node.is_some_and(|t| t == 0 || in_tree.contains(&t));
        let mut vp = VillagePlan {
            technology: Technology::None,
            unreachable,
            cost_kzt: 0,
            phase: None,
        };
        if served {
            vp.technology = Technology::Fibre;
            let hh = v.households as Kzt * req.costs.household_connection_kzt;
            vp.cost_kzt = req.costs.village_equipment_kzt + hh;
            s.villages_fibre += 1;
            s.households_fibre += v.households;
            s.population_fibre += v.population;
            s.cost_equipment_kzt += req.costs.village_equipment_kzt;
            s.cost_households_kzt += hh;
            key[node.unwrap() as usize] = true;
        }
        if unreachable {
            s.villages_unreachable += 1;
        }
        villages.push(vp);
    }
    // Points of presence and joints that the chosen corridors touch.
    let mut pop_nodes: BTreeSet<u32> = BTreeSet::new();
    let root_side = |v: u32| view.inst_of[v as usize] == 0;
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
    let pops = pop_nodes
        .iter()
        .map(|&node| PopUse {
            node,
            lonlat: g.nodes[node as usize],
            pop: g.pop_node.iter().position(|p| *p == Some(node)),
        })
        .collect::<Vec<_>>();
    let routes = split_routes(g, &corridors, &key);
    s.routes = routes.len();
    s.pops_used = pops.len();
    s.cost_corridor_kzt = routes.iter().map(|r| r.cost_kzt).sum();
    s.new_fibre_km = routes.iter().map(|r| r.costed_length_m).sum::<f64>() / 1000.0;
    s.cost_total_kzt = s.cost_corridor_kzt + s.cost_equipment_kzt + s.cost_households_kzt;
    Plan {
        villages,
        routes,
        pops,
        summary: s,
        corridors,
    }
}

impl Plan {
    /// Give each route the district of its midpoint.
    pub fn assign_districts(&mut self, index: &fiberplan_network::district_index::DistrictIndex) {
        for r in &mut self.routes {
            r.district = index.locate(crate::routes::midpoint(&r.geometry));
        }
    }
}

/// Nodes of the instance connected to its root (node 0).
fn reachable_from_root(inst: &fiberplan_steiner::Instance) -> Vec<bool> {
    let g = &inst.graph;
    let mut seen = vec![false; g.num_nodes()];
    let root = inst.root.unwrap_or(0);
    if g.num_nodes() == 0 {
        return seen;
    }
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
