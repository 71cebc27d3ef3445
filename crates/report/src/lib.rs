//! Writers for every output: GeoJSON (RFC 7946), CSV, summary JSON, district review packages
//! (with readable HTML reports in ru/kk/en), the offline HTML map, and plan diffs. Only this
//! crate writes files, and it writes them atomically (temporary file in the same folder, then
//! rename), so an interrupted run leaves the previous outputs whole.

pub mod atomic;
pub mod clip;
pub mod diff;
pub mod district_packages;
pub mod formats;
pub mod frontier;
pub mod gpkg;
mod html_map;
pub mod i18n;
pub mod kmz;
pub mod last_mile_out;
pub mod mobile_out;
pub mod ofds;
pub mod office;
pub mod plan_chart;
mod plan_out;
pub mod plan_schema;
pub mod radio_map;
pub mod report_html;
pub mod spreadsheet_safe;
pub mod sweep_store;
mod write_plan;

pub use atomic::{write_atomic, AtomicDir};
pub use diff::{diff_plans, Change, PlanDiff};
pub use district_packages::district_packages;
pub use formats::Format;
pub use html_map::plan_html;
pub use i18n::Lang;
pub use plan_out::{PlanContext, ATTRIBUTION};
pub use sweep_store::SweepStore;
pub use write_plan::{write_plan, PlanFiles, PlanTexts, WriteError};
