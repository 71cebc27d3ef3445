//! The values a plan is made of: what each village gets, the points of presence used, the
//! totals, and the request that asks for one.

use crate::routes::Route;
use fiberplan_model::{
    gap_pct, Backbone, CostModel, Kzt, LonLat, Mode, Objective, Reached, Scenario, Village,
};
use fiberplan_network::{PlanningGraph, SteinerView};
use fiberplan_steiner::{Cost, Options, Solution};

/// How a village is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Technology {
    Fibre,
    /// Fixed wireless (FWA/5G) from a fibre node within range.
    Fwa,
    /// Satellite terminal per household.
    Satellite,
    /// Has fibre already (its input, the `--has-fibre` list or the declared proxy): no
    /// new route, no cost, a point of presence of the plan.
    ExistingFibre,
    None,
}

impl Technology {
    /// Whether the plan connects the village (and pays for it): fibre, FWA or satellite.
    pub fn is_planned(self) -> bool {
        matches!(
            self,
            Technology::Fibre | Technology::Fwa | Technology::Satellite
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Technology::Fibre => "fibre",
            Technology::Fwa => "fwa",
            Technology::Satellite => "satellite",
            Technology::ExistingFibre => "existing_fibre",
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
    /// Cost scales, phases and seed (the scenario file's parameters).
    pub scenario: &'a Scenario,
    /// The scenario's objective (`Scenario::objective`, checked by the caller).
    pub objective: Objective,
    pub solver: Options,
    /// Trees already solved by other scenarios of a sweep, shared across threads.
    pub cache: Option<&'a SolveCache>,
}

/// Trees of the fibre solves that depend on neither cost scale nor technology prices
/// (quota, coverage, connect-all): scenarios that differ only in prices share one solve.
/// The solver is deterministic, so a cached tree is the tree a fresh solve would give.
#[derive(Default)]
pub struct SolveCache {
    pub(crate) trees: std::sync::Mutex<std::collections::BTreeMap<String, Solution>>,
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
    /// What the plan had to achieve.
    pub objective: Objective,
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
    /// Villages that have fibre already, and their households (not counted as connected
    /// by the plan; counted as covered).
    pub villages_existing_fibre: usize,
    pub households_existing_fibre: u64,
    /// Population served by fibre (new or existing) or wireless over all input population.
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
    pub solver_objective: Cost,
    /// A certified lower bound on `solver_objective`, in its units, when one is known.
    pub lower_bound: Option<Cost>,
    pub solver_cut_short: bool,
}

impl Summary {
    pub fn cost_fibre_kzt(&self) -> Kzt {
        self.cost_corridor_kzt + self.cost_equipment_kzt + self.cost_households_kzt
    }
    /// Lower-bound gap of the solver's objective in percent, when a positive bound is known.
    pub fn gap_pct(&self) -> Option<f64> {
        gap_pct(self.solver_objective, self.lower_bound)
    }
    /// Proven optimal: the certified lower bound reaches the solver's objective.
    pub fn proven_optimal(&self) -> bool {
        self.lower_bound
            .is_some_and(|lb| lb >= self.solver_objective)
    }

    /// The mode of the plan's objective.
    pub fn mode(&self) -> Mode {
        self.objective.mode()
    }

    /// What the plan reached, in the terms of its objective.
    pub fn reached(&self) -> Reached {
        Reached {
            households_fibre: self.households_fibre,
            cost_fibre_kzt: self.cost_fibre_kzt(),
            coverage_share: self.coverage_share,
        }
    }

    /// Whether the plan meets its objective's target.
    pub fn target_met(&self) -> bool {
        self.objective.target_met(&self.reached())
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
