//! GeoJSON (RFC 7946) reading shared by every GeoJSON input: syntax errors with a line,
//! no `crs` member, features with their index.

use crate::coords::check_lonlat;
use crate::text::{read_text_bounded, LIMIT_JSON};
use crate::{InputError, Where};
use geojson::{Feature, GeometryValue, Position};
use serde_json::Value;
use std::path::Path;

/// The features of a GeoJSON FeatureCollection (or of a lone Feature).
pub fn read_features(path: &Path) -> Result<Vec<Feature>, InputError> {
    let text = read_text_bounded(path, LIMIT_JSON)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        InputError::new(
            path,
            Where::Line(e.line() as u64),
            format!("malformed JSON: {e}"),
        )
    })?;
    // The text, then each feature's tree as it becomes a `Feature`, go as soon as they are
    // read: a GeoJSON file's tree takes about ten times its bytes.
    drop(text);
    let Value::Object(mut obj) = value else {
        return Err(InputError::file(path, "not a GeoJSON object"));
    };
    if obj.contains_key("crs") {
        return Err(InputError::file(
            path,
            "has a `crs` member: RFC 7946 GeoJSON is WGS84 lon/lat only; \
             reproject to EPSG:4326 and drop `crs` (ogr2ogr -f GeoJSON -t_srs EPSG:4326)",
        ));
    }
    match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {
            let Some(Value::Array(items)) = obj.remove("features") else {
                return Err(InputError::file(
                    path,
                    "FeatureCollection without a `features` array",
                ));
            };
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value::<Feature>(v).map_err(|e| {
                        InputError::new(
                            path,
                            Where::Feature(i),
                            format!("not a valid GeoJSON Feature: {e}"),
                        )
                    })
                })
                .collect()
        }
        Some("Feature") => serde_json::from_value::<Feature>(Value::Object(obj))
            .map(|f| vec![f])
            .map_err(|e| {
                InputError::new(
                    path,
                    Where::Feature(0),
                    format!("not a valid GeoJSON Feature: {e}"),
                )
            }),
        Some(t) => Err(InputError::file(
            path,
            format!("GeoJSON type {t}: expected a FeatureCollection"),
        )),
        None => Err(InputError::file(path, "not GeoJSON: no `type` member")),
    }
}

/// A checked `[lon, lat]` from a position (a third coordinate, elevation, is accepted and dropped).
pub fn lonlat(path: &Path, i: usize, p: &Position) -> Result<[f64; 2], InputError> {
    check_lonlat(p.as_slice()).map_err(|m| InputError::new(path, Where::Feature(i), m))
}

/// The geometry of feature `i`, or an error naming it.
pub fn geometry<'a>(
    path: &Path,
    i: usize,
    f: &'a Feature,
) -> Result<&'a GeometryValue, InputError> {
    f.geometry
        .as_ref()
        .map(|g| &g.value)
        .ok_or_else(|| InputError::new(path, Where::Feature(i), "feature has no geometry"))
}

/// A string property (strings as they are, numbers printed), if present and not null.
pub fn prop_string(f: &Feature, key: &str) -> Option<String> {
    match f.property(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Polygons of every feature of a polygon layer, as rings of `[lon, lat]`.
pub type Rings = Vec<Vec<[f64; 2]>>;

/// The polygons of feature `i` (Polygon or MultiPolygon).
pub fn polygons(path: &Path, i: usize, f: &Feature) -> Result<Vec<Rings>, InputError> {
    let ring = |r: &Vec<Position>| {
        r.iter()
            .map(|p| lonlat(path, i, p))
            .collect::<Result<Vec<_>, _>>()
    };
    let poly = |p: &Vec<Vec<Position>>| p.iter().map(ring).collect::<Result<Vec<_>, _>>();
    match geometry(path, i, f)? {
        GeometryValue::Polygon { coordinates } => Ok(vec![poly(coordinates)?]),
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().map(poly).collect(),
        g => Err(InputError::new(
            path,
            Where::Feature(i),
            format!(
                "geometry is {}, expected Polygon or MultiPolygon",
                g.type_name()
            ),
        )),
    }
}
