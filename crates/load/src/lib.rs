//! The load layer: everything between the files a user names and a plan.
//!
//! [`load`] reads every input of an [`InputSpec`] (cost model, villages, existing network,
//! regions, or an OpenStreetMap extract), checks them against each other (swapped axes,
//! villages outside the bundled country without a backbone), assigns districts and builds
//! the planning graph: a checked [`PlanInputs`]. `plan`, `validate`, `sweep` and the network
//! stages that hang off the fibre plan all start from it, so what `validate` accepts, `plan`
//! accepts.
//!
//! A [`Planner`] owns the solver policy (effort, time cap) and the planning graph's rooted
//! view, and turns scenarios into plans the same way for every command.
//!
//! Architecture invariant: no writing here, and no knowledge of flags or exit codes. Errors
//! are [`LoadError`]: a bad file (with its place) or inputs that cannot make a plan.
#![deny(missing_docs)]

mod error;
pub mod existing_fibre;
mod inputs;
mod osm_inputs;
mod phase_rss;
mod planner;

pub use error::LoadError;
pub use inputs::{load, unreachable_villages, InputSpec, PlanInputs};
pub use phase_rss::{phase_rss, Resident};
pub use planner::{Planner, SolverPolicy};
