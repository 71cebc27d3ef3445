//! Radio propagation for fiberplan: path loss over terrain, link budgets and coverage.
//!
//! - [`itm`]: NTIA's Irregular Terrain Model (Longley-Rice) 1.2.2, point-to-point over
//!   an elevation profile and area mode, with NTIA's error codes, warning flags and
//!   intermediate values. Irregular Terrain Model courtesy of the National
//!   Telecommunications and Information Administration (NTIA), Institute for
//!   Telecommunication Sciences (github.com/NTIA/itm); this is a new implementation.
//! - [`free_space`], [`hata`] (Okumura-Hata, COST-231 Hata), [`tr38901`] (3GPP TR
//!   38.901 RMa / UMa / UMi, LOS probabilities, seeded shadow fading).
//! - [`model`]: the [`PathLoss`] interface over all of them ([`Model`] by name,
//!   [`ItmModel`] over a profile); [`link_budget`]: EIRP, antenna patterns, received power.
//! - [`coverage`]: received power of a site over lon/lat points (R-tree, rayon).
//! - [`pfl`]: NTIA's profile text layout; [`text`]: numbers written as the formatter
//!   writes them, faster.
//!
//! Architecture invariant: this crate knows elevation profiles (heights at a fixed
//! interval), frequencies, distances and points; it reads no files and draws no maps.

pub mod coverage;
pub mod free_space;
pub mod hata;
pub mod itm;
pub mod link_budget;
pub mod model;
pub mod pfl;
pub mod text;
pub mod tr38901;

pub use model::{ItmAreaModel, ItmModel, Link, LossError, Model, PathLoss, ProfileRef};
