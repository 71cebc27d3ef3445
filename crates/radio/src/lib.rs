//! Radio propagation for fiberplan: path loss over terrain and the link budget.
//!
//! - [`itm`]: NTIA's Irregular Terrain Model (Longley-Rice) 1.2.2, point-to-point over
//!   an elevation profile and area mode, with NTIA's error codes, warning flags and
//!   intermediate values. Irregular Terrain Model courtesy of the National
//!   Telecommunications and Information Administration (NTIA), Institute for
//!   Telecommunication Sciences (github.com/NTIA/itm); this is a new implementation.
//!
//! Architecture invariant: this crate knows elevation profiles (a list of heights at a
//! fixed interval), frequencies and distances; it reads no files and draws no maps.

pub mod itm;
pub mod pfl;
