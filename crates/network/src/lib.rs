//! The planning graph: where new fibre can go and what each corridor costs.
//!
//! Two sources build the same [`PlanningGraph`]: a straight-line corridor proxy over villages
//! and points of presence ([`corridor_proxy`], when no road data is given) and real roads from
//! OpenStreetMap ([`roads`]). Coordinates are WGS84 `[lon, lat]`; lengths are geodesic metres.
//!
//! Architecture invariant: this crate does no file I/O and knows nothing of output formats.

pub mod corridor_proxy;
pub mod country_mask;
pub mod district_index;
pub mod geodesy;
mod planning_graph;
pub mod road_proxy;
pub mod roads;
pub mod snap;

pub use planning_graph::{
    ClassId, Corridor, CorridorKind, Geometry, ListRange, PlanningGraph, SteinerView,
    TooManyClasses,
};
