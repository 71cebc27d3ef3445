//! From a scenario to a plan: solve the planning graph for the objective, choose what each
//! village gets, cut the tree into routes, phase it by yearly budgets, and add up the money.
//!
//! Architecture invariant: no I/O here. Inputs arrive as `fiberplan-model` values and a
//! `fiberplan-network` planning graph; the plan goes to `fiberplan-report` for writing.

pub mod economics;
mod fibre_tree;
mod nearby;
mod outcome;
pub mod phasing;
mod routes;
mod solve;
pub mod sweep;
mod types;

pub use routes::{midpoint, split_routes, Route};
pub use solve::solve_plan;
pub use types::{Plan, PlanRequest, PopUse, SolveCache, Summary, Technology, VillagePlan};
