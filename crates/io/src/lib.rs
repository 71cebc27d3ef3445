//! Readers for fiberplan's inputs. Only this crate reads files.
//!
//! Every reader validates at the boundary: WGS84 `[lon, lat]`, unique ids, sane numbers.
//! Errors carry where: the file and a line, feature index or OSM id.

pub mod backbone;
pub mod coords;
pub mod costs;
pub mod dem;
mod error;
pub mod geojson_in;
pub mod kato;
pub mod last_mile;
pub mod mobile;
pub mod mobile_inputs;
pub mod national;
pub mod ofds;
pub mod osm;
pub mod scenario;
pub mod stp;
pub mod text;
pub mod villages;

pub use backbone::read_backbone;
pub use coords::Region;
pub use costs::{parse_costs, read_costs};
pub use error::{InputError, Where};
pub use national::{read_national, read_regions, NationalData, NationalOptions, Regions};
pub use scenario::read_scenario_file;
pub use villages::{read_id_list, read_villages, MAX_VILLAGES};
