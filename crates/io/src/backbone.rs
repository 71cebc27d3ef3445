//! The existing fibre network from GeoJSON: Points are points of presence, LineStrings and
//! MultiLineStrings are fibre lines a village may attach to anywhere along. An Open Fibre
//! Data Standard file (JSON or GeoJSON form, told by its content) is read by [`crate::ofds`].
//! Lines that cross the antimeridian are cut there (RFC 7946, 3.1.9), so that no segment of
//! a backbone line spans ±180°.

use crate::geojson_in::{geometry, lonlat, prop_string, read_features};
use crate::{InputError, Where};
use fiberplan_model::antimeridian::split_line;
use fiberplan_model::{Backbone, Pop, PopSource};
use geojson::GeometryValue;
use std::collections::BTreeSet;
use std::path::Path;

pub fn read_backbone(path: &Path) -> Result<Backbone, InputError> {
    if let Some(bb) = crate::ofds::read_if_ofds(path)? {
        return Ok(bb);
    }
    let features = read_features(path)?;
    let mut bb = Backbone {
        description: format!("user backbone from {}", path.display()),
        ..Default::default()
    };
    let mut ids = BTreeSet::new();
    for (i, f) in features.iter().enumerate() {
        let at = |m: String| InputError::new(path, Where::Feature(i), m);
        match geometry(path, i, f)? {
            GeometryValue::Point { coordinates } => {
                let id = prop_string(f, "id").unwrap_or_else(|| format!("pop-{i}"));
                if !ids.insert(id.clone()) {
                    return Err(at(format!("duplicate id {id:?}")));
                }
                bb.pops.push(Pop {
                    id,
                    name: prop_string(f, "name").unwrap_or_default(),
                    lonlat: lonlat(path, i, coordinates)?,
                    source: PopSource::User,
                });
            }
            GeometryValue::LineString { coordinates } => {
                bb.lines.extend(split_line(&line(path, i, coordinates)?));
            }
            GeometryValue::MultiLineString { coordinates } => {
                for l in coordinates {
                    bb.lines.extend(split_line(&line(path, i, l)?));
                }
            }
            g => {
                return Err(at(format!(
                "geometry is {}: backbone features must be Point, LineString or MultiLineString",
                g.type_name()
            )))
            }
        }
    }
    if bb.pops.is_empty() && bb.lines.is_empty() {
        return Err(InputError::file(
            path,
            "no points of presence or fibre lines in the file",
        ));
    }
    Ok(bb)
}

fn line(path: &Path, i: usize, coords: &[geojson::Position]) -> Result<Vec<[f64; 2]>, InputError> {
    if coords.len() < 2 {
        return Err(InputError::new(
            path,
            Where::Feature(i),
            "a LineString needs at least two positions",
        ));
    }
    coords.iter().map(|p| lonlat(path, i, p)).collect()
}
