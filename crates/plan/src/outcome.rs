//! From the fibre tree to the plan: what each village gets (fibre, FWA, satellite or
//! nothing) and why, the points of presence used, the routes, the phases and the totals.

use crate::fibre_tree::{alternative, dijkstra_from, fibre_points, FibreTree, Prepared};
use crate::nearby::Nearby;
use crate::phasing::{schedule, Demand, Forest};
use crate::routes::split_routes;
use crate::types::{Plan, PopUse, Summary, Technology, VillagePlan};
use fiberplan_model::{Kzt, Mode, Objective};
use fiberplan_steiner::{Cost, NodeId};
use std::collections::BTreeSet;

/// Technologies, marginal costs, routes, phasing and totals from the fibre tree.
pub(crate) fn outcome(p: &Prepared, t: &FibreTree) -> Plan {
    let req = p.req;
    let view = req.view;
    let graph = &view.instance.graph;
    let mut corridors: Vec<u32> = t
        .edges
        .iter()
        .map(|&e| view.corridor_of[e as usize])
        .collect();
    corridors.sort_unstable();
    let tree_cost: Cost = t.edges.iter().map(|&e| graph.edge(e).2).sum();
    let (solver_objective, lower_bound) = match t.left_out_prize {
        // Prize-collecting: the tree's cost plus the prizes it leaves out. The solver's bound
        // holds for every tree of the instance, so also after least-cost's own improvements.
        Some(left_out) => (tree_cost + left_out, t.sol.lower_bound),
        // The bound is the solver's, on its tree: it holds only while the tree is the one
        // the solver returned.
        None => (
            tree_cost,
            (tree_cost == t.sol.cost)
                .then_some(t.sol.lower_bound)
                .flatten(),
        ),
    };
    let mut sm = Summary {
        objective: req.objective,
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
        villages_existing_fibre: 0,
        households_existing_fibre: 0,
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
        solver: t.sol.solver.clone(),
        solver_objective,
        lower_bound,
        solver_cut_short: t.sol.cut_short,
    };
    let mut villages = village_outcomes(p, t, &mut sm);
    let (pops, mut routes) = pops_and_routes(p, &corridors, &villages);
    if !req.scenario.phases.is_empty() {
        phase(p, &corridors, &mut villages, &mut routes, &mut sm);
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

/// What each village gets, with its marginal fibre cost and best alternative; counts and
/// village costs go into `sm`.
fn village_outcomes(p: &Prepared, t: &FibreTree, sm: &mut Summary) -> Vec<VillagePlan> {
    let (req, econ, vc, inst_node) = (p.req, &p.econ, &p.vc, &p.inst_node);
    let graph = &req.view.instance.graph;
    let in_tree = &t.in_tree;
    let assigns_alternatives = matches!(
        req.objective,
        Objective::LeastCost | Objective::Coverage { .. }
    );
    // Marginal fibre cost: to connect (non-fibre) or what would go with it (fibre).
    let (dist, _) = dijkstra_from(graph, in_tree);
    let pendant = pendant_costs(graph, &t.edges, in_tree, inst_node);
    let near_fibre = Nearby::new(fibre_points(req, inst_node, in_tree));
    let near_existing = Nearby::new(fibre_points(req, &[], in_tree));

    let mut villages = Vec::with_capacity(req.villages.len());
    let mut covered_pop = 0u64;
    for (i, v) in req.villages.iter().enumerate() {
        sm.households_total += v.households;
        sm.population_total += v.population;
        if v.existing_fibre.is_some() {
            // Its node is a point of presence: nothing to build, covered already.
            let placed = inst_node[i].is_some();
            sm.villages_existing_fibre += 1;
            sm.households_existing_fibre += v.households;
            covered_pop += v.population;
            villages.push(VillagePlan {
                technology: Technology::ExistingFibre,
                unreachable: !placed,
                cost_kzt: 0,
                phase: None,
                fibre_marginal_kzt: None,
                alternative: None,
            });
            if !placed {
                sm.villages_unreachable += 1;
            }
            continue;
        }
        let t = inst_node[i];
        let unreachable = t.is_none_or(|t| !p.reach[t as usize]);
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
        } else if assigns_alternatives && v.households > 0 {
            // Coverage mode prefers FWA where it reaches (it counts as coverage).
            let fwa_ok = econ
                .fwa_radius_m
                .is_some_and(|r| vc[i].fwa_capex.is_some() && near_fibre.within(v.lonlat, r));
            let choice = match (req.objective.mode(), alt) {
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
    villages
}

/// The points of presence and line joints the chosen corridors touch, and the corridors cut
/// into routes between key nodes (fibre villages, points of presence, branch points), each
/// priced under the scenario.
fn pops_and_routes(
    p: &Prepared,
    corridors: &[u32],
    villages: &[VillagePlan],
) -> (Vec<PopUse>, Vec<crate::Route>) {
    let (g, view) = (p.req.graph, p.req.view);
    let mut key = vec![false; g.nodes.len()];
    for (i, vp) in villages.iter().enumerate() {
        if vp.technology == Technology::Fibre {
            key[g.village_node[i].expect("fibre village has a node") as usize] = true;
        }
    }
    let root_side = |v: u32| view.inst_of[v as usize] == 0;
    let mut pop_nodes: BTreeSet<u32> = BTreeSet::new();
    for &c in corridors {
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
    let mut routes = split_routes(g, corridors, &key);
    for r in &mut routes {
        r.cost_kzt = r
            .corridors
            .iter()
            .map(|&c| p.econ.corridor_capex(g.corridors[c as usize].cost_kzt))
            .sum();
    }
    (pops, routes)
}

/// Give fibre villages and routes a year within the scenario's yearly budgets.
fn phase(
    p: &Prepared,
    corridors: &[u32],
    villages: &mut [VillagePlan],
    routes: &mut [crate::Route],
    sm: &mut Summary,
) {
    let (req, econ) = (p.req, &p.econ);
    let (g, view) = (req.graph, req.view);
    let mut years: Vec<(u16, Kzt)> = req
        .scenario
        .phases
        .iter()
        .map(|p| (p.year, p.budget_kzt))
        .collect();
    years.sort_unstable();
    let corridor = |c: u32| {
        let cor = &g.corridors[c as usize];
        (cor.a, cor.b, econ.corridor_capex(cor.cost_kzt))
    };
    let is_root = |v: u32| view.inst_of[v as usize] == 0;
    let forest = Forest {
        num_nodes: g.nodes.len(),
        corridor: &corridor,
        chosen: corridors,
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
    for r in routes.iter_mut() {
        r.phase = sched
            .corridor_phase
            .binary_search_by_key(&r.corridors[0], |x| x.0)
            .ok()
            .map(|k| sched.corridor_phase[k].1);
    }
    sm.phases = sched.spent;
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
