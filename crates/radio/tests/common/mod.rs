//! Helpers shared by the radio crate's integration tests.

pub mod ntia_cases;
