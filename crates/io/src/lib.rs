//! Readers for fiberplan's inputs. Only this crate reads files.
//!
//! Every reader validates at the boundary: WGS84 `[lon, lat]`, unique ids, sane numbers.
//! Errors carry where: the file and a line, feature index or OSM id.

mod error;

pub use error::{InputError, Where};
