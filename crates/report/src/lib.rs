//! Writers for every output: GeoJSON (RFC 7946), CSV, summary JSON. Only this crate writes
//! files, and it writes them atomically (temporary file in the same folder, then rename), so
//! an interrupted run leaves the previous outputs whole.

pub mod atomic;
mod plan_out;

pub use atomic::{write_atomic, AtomicDir};
pub use plan_out::{PlanContext, ATTRIBUTION};
