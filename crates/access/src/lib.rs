//! The last mile: a GPON access network from the OLT to every premise of a village.
//!
//! Stages, one module each:
//! - [`premises`]: dwellings from OSM buildings (outbuildings, small footprints and shared
//!   plots left out; apartments by flats or levels and footprint);
//! - [`layout`]: the declared layout model where buildings are missing (premises along the
//!   village's streets, or a generated fishbone of streets), every such premise `modelled`;
//! - [`street_graph`]: streets cut at way nodes and premises' street points, pieces joined;
//! - [`trench`]: the trench tree, a Steiner tree on the street graph by `fiberplan-steiner`,
//!   with its certified dual-ascent lower bound;
//! - [`kundu_misra`]: capacitated clustering of connected households into splitters on
//!   that tree (the fewest splitters);
//! - [`port_partition`]: the same clustering fitted to the splitter sizes (least installed
//!   ports, exact), so that fill stays high;
//! - [`optics`]: the optical budget of a line (worse of 1310 / 1490 nm, classes B+ / C+);
//! - [`design`]: connections at the take-up rate, splitters, feeder and distribution
//!   cables, OLT site, class and split chosen by cost under the budget;
//! - [`boq`]: the bill of quantities and its cost;
//! - [`plan_stage`]: the last mile of a plan, each village designed once for every
//!   scenario that prices it;
//! - [`baseline`]: the benchmark's peer (k-means splitters, shortest street paths).
//!
//! [`design_villages`] designs many villages in parallel (one village per task, results in
//! input order: byte-identical at any thread count). [`design::design`] on a stored
//! [`VillageLayout`] re-prices a design for another take-up or price list without solving
//! the trench tree again.
//!
//! Pure library: no file I/O. Coordinates WGS84 `[lon, lat]`; lengths geodesic, held as
//! whole decimetres; money whole tenge with checked sums.

pub mod baseline;
pub mod boq;
pub mod design;
pub mod kundu_misra;
pub mod layout;
pub mod local;
pub mod optics;
pub mod plan_stage;
pub mod port_partition;
pub mod premises;
pub mod street_graph;
pub mod trench;
pub mod village_input;

pub use boq::{Boq, PriceBasis, PriceScale};
pub use design::{design, CableType, OltSite, Placement, SiteOption, VillageDesign};
pub use optics::OpticsClass;
pub use premises::{premises_from_buildings, Premise};
pub use street_graph::Street;
pub use trench::{lay_out, VillageInput, VillageLayout};

use fiberplan_model::last_mile::LastMileModel;
use rayon::prelude::*;

/// What can go wrong designing a village: the model lacks a figure, or a sum overflows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("the last-mile model has no splitter of ratio {ratio} in {what}")]
    MissingRatio { ratio: u32, what: &'static str },
    #[error("village {village}: the access network's cost overflows 64-bit tenge")]
    Overflow { village: String },
    #[error("village {village}: no OLT site to choose from")]
    NoSite { village: String },
}

/// One village to design: its premises and streets (generated when it has none), and the
/// OLT sites it may use.
#[derive(Clone, Debug)]
pub struct VillageJob {
    pub input: VillageInput,
    pub sites: Vec<SiteOption>,
}

/// Lays out and designs every village, in parallel, results in input order. A village
/// without streets gets the generated layout for its premises' count.
pub fn design_villages(
    jobs: Vec<VillageJob>,
    model: &LastMileModel,
) -> Vec<Result<(VillageLayout, VillageDesign), AccessError>> {
    jobs.into_par_iter()
        .map(|job| design_one(job, model))
        .collect()
}

/// Lays out and designs one village (the generated layout when it has no streets).
pub fn design_one(
    job: VillageJob,
    model: &LastMileModel,
) -> Result<(VillageLayout, VillageDesign), AccessError> {
    let lay = lay_out_job(job.input, model)?;
    let d = design(&lay, model, &job.sites)?;
    Ok((lay, d))
}

/// The take-up- and price-independent part of [`design_one`]: the village's streets (the
/// generated layout when it has none) and its trench tree.
pub fn lay_out_job(
    mut input: VillageInput,
    model: &LastMileModel,
) -> Result<VillageLayout, AccessError> {
    if input.streets.is_empty() {
        let (streets, premises) = layout::generated_layout(
            input.feed,
            input.premises.iter().map(|p| p.households as usize).sum(),
            &model.layout,
        );
        input.streets = streets;
        input.premises = premises;
    }
    if input.streets.is_empty() {
        // No household at all: a 1 m stub street so that the design is empty, not an error.
        let f = input.feed;
        input.streets.push(Street {
            coords: vec![f, [f[0] + 1e-5, f[1]]],
            nodes: vec![-1, -2],
            class: "generated".into(),
            poles: false,
        });
    }
    let id = input.id.clone();
    lay_out(input, 0).ok_or(AccessError::NoSite { village: id })
}
