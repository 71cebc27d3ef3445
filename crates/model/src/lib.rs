//! Plain domain values of fiberplan. No I/O here: `fiberplan-io` reads files into these
//! values and `fiberplan-report` writes them out.
//!
//! Coordinates are WGS84 `[lon, lat]` in degrees. Money is whole tenge (`i64`).

pub mod antimeridian;
mod cost;
pub mod last_mile;
pub mod mobile;
mod objective;
pub mod osm;
mod place;
pub mod population;
mod scenario;
mod settings;

pub use cost::{CorridorCosts, CostModel, FwaCosts, Lifecycle, RoadClassCost, SatelliteCosts};
pub use objective::{gap_pct, Objective, Reached};
pub use place::{Backbone, District, ExistingFibre, Pop, PopSource, Village};
pub use scenario::{
    Distribution, Grid, Inputs, Mode, MonteCarlo, Phase, Scenario, ScenarioFile, Vary,
};
pub use settings::{PlanSettings, SettingError};

/// A WGS84 position, `[lon, lat]` in degrees (RFC 7946 order).
pub type LonLat = [f64; 2];

/// Whole tenge. Money is never a float.
pub type Kzt = i64;
