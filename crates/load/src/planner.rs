//! The Planner: one solver policy and one rooted view of the planning graph, shared by every
//! scenario that `plan`, `sweep` and the later network stages solve on the same inputs.

use crate::{LoadError, PlanInputs};
use fiberplan_model::Scenario;
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_network::SteinerView;
use fiberplan_plan::{solve_plan, Plan, PlanRequest, SolveCache};
use fiberplan_steiner::ReductionCache;
use std::sync::Arc;

/// How hard the solver works on each scenario. Work only, never the wall clock: the solver's
/// work-based rule stops it, so a plan is the same on a busy machine as on a quiet one (a
/// wall-clock cap would cut a search short at high load and change the plan with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SolverPolicy {
    /// Work multiplier (constructions and local-search rounds scale with it).
    pub effort: u32,
    /// Prove the fibre tree optimal by branch-and-bound (the solver's proof mode; its node
    /// budget grows with `effort` and is a count, so it may end before a proof, and the
    /// plan then reports the bound it reached).
    pub prove: bool,
}

impl SolverPolicy {
    /// One plan, as `fiberplan plan` solves it: the solver's default effort.
    pub const PLAN: SolverPolicy = SolverPolicy {
        effort: 4,
        prove: false,
    };

    /// Many scenarios, as `fiberplan sweep` solves them: `effort` each (the default is
    /// [`SolverPolicy::PLAN`]'s, so a sweep row is the plan of its scenario).
    pub fn sweep(effort: u32) -> Self {
        SolverPolicy {
            effort,
            prove: false,
        }
    }
}

/// Plans scenarios on one set of loaded inputs.
pub struct Planner<'a> {
    inputs: &'a PlanInputs,
    view: SteinerView,
    districts: DistrictIndex,
    policy: SolverPolicy,
    cache: SolveCache,
    /// The graph's reductions, computed by the first solve and reused by every later one
    /// (a sweep's quotas differ in the quota alone, which the reductions do not read).
    reductions: Arc<ReductionCache>,
}

impl<'a> Planner<'a> {
    /// A planner over `inputs`: builds the rooted view (households as prizes) once.
    pub fn new(inputs: &'a PlanInputs, policy: SolverPolicy) -> Self {
        let view = inputs
            .graph
            .steiner_view(|i| inputs.villages[i].new_households() as i64);
        Planner {
            inputs,
            view,
            districts: DistrictIndex::new(&inputs.regions.district_polygons),
            policy,
            cache: SolveCache::default(),
            reductions: Arc::default(),
        }
    }

    /// The planning graph as a rooted Steiner instance (what `--export-stp` writes).
    pub fn view(&self) -> &SteinerView {
        &self.view
    }

    /// The inputs this planner plans on.
    pub fn inputs(&self) -> &'a PlanInputs {
        self.inputs
    }

    /// The plan of one scenario, its routes placed in districts. Scenarios that differ only
    /// in prices share their fibre solve; the result is the same as a fresh solve.
    pub fn plan(&self, scenario: &Scenario) -> Result<Plan, LoadError> {
        self.plan_at(scenario, &self.inputs.costs)
    }

    /// [`Planner::plan`] at other village prices (the last mile's equipment and household
    /// price calibrated from designs); the graph, the view and the shared solves stay (the
    /// shared solves do not depend on prices).
    pub fn plan_at(
        &self,
        scenario: &Scenario,
        costs: &fiberplan_model::CostModel,
    ) -> Result<Plan, LoadError> {
        let objective = scenario
            .objective()
            .map_err(|m| LoadError::Invalid(format!("scenario: {m}")))?;
        let solver = fiberplan_steiner::Options {
            seed: scenario.seed,
            effort: self.policy.effort,
            prove: self.policy.prove,
            reductions: Some(self.reductions.clone()),
            ..Default::default()
        };
        let mut plan = solve_plan(&PlanRequest {
            villages: &self.inputs.villages,
            backbone: &self.inputs.backbone,
            graph: &self.inputs.graph,
            costs,
            view: &self.view,
            scenario,
            objective,
            solver,
            cache: Some(&self.cache),
        });
        plan.assign_districts(&self.districts);
        crate::phase_rss("solve");
        Ok(plan)
    }
}
