//! Mobile coverage for fiberplan: sites along roads (LTE) and 5G in cities, each site
//! backhauled by fibre along the planning graph or by microwave.
//!
//! - [`roads`]: road classes from Kazakh refs (look-alike letters, two numbering schemes).
//! - [`sample`]: roads cut into segments judged at their midpoints.
//! - [`candidates`]: where a site could stand and what it costs.
//! - [`radio_link`]: the declared radio model, received levels, coverage sets, cell range.
//! - [`road_coverage`]: segments, candidates, coverage sets and siting for roads.
//! - [`city`]: 5G over a city polygon's 50 m grid, against hexagonal dimensioning.
//! - [`backhaul`]: fibre (shortest-path Steiner heuristic on the planning graph) or
//!   microwave in line of sight.
//!
//! Siting itself is `fiberplan-cover`'s weighted partial set cover. Architecture
//! invariant: no file is read or written here; DEM profiles and elevations come in as
//! functions.

pub mod backhaul;
pub mod candidates;
pub mod city;
pub mod radio_link;
pub mod road_coverage;
pub mod roads;
pub mod sample;
