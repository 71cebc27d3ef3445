//! Inputs of mobile coverage besides the model: roads as GeoJSON LineStrings, existing
//! masts (GeoJSON Points or CSV), and a CSV mapping road refs to classes.
//!
//! - Roads: `LineString` / `MultiLineString` features; a `class` property (`republican`,
//!   `oblast`, `local`, or an OSM `highway` value) is required, `ref` and `id` optional.
//! - Existing sites: GeoJSON `Point`s or CSV with columns `id,lon,lat,height_m` and an
//!   optional `technologies` (names separated by `;` or, in GeoJSON, a string array).
//! - Ref classes: CSV `ref,class`, class one of `republican`, `oblast`, `local`.

use crate::coords::check_lonlat;
use crate::geojson_in::{geometry, lonlat, prop_string, read_features};
use crate::text::read_text;
use crate::{InputError, Where};
use fiberplan_model::mobile::{ExistingSite, RoadLine};
use geojson::GeometryValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Road classes a GeoJSON `class` or a ref CSV may name.
pub const ROAD_CLASSES: &[&str] = &["republican", "oblast", "local"];
const HIGHWAYS: &[&str] = &[
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
];

/// Roads of a GeoJSON file.
pub fn read_roads_geojson(path: &Path) -> Result<Vec<RoadLine>, InputError> {
    let features = read_features(path)?;
    let mut roads = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let at = |m: String| InputError::new(path, Where::Feature(i), m);
        let class =
            prop_string(f, "class").ok_or_else(|| at("road has no `class` property".into()))?;
        if !ROAD_CLASSES.contains(&class.as_str()) && !HIGHWAYS.contains(&class.as_str()) {
            return Err(at(format!(
                "class `{class}`: expected one of {} or an OSM highway value ({})",
                ROAD_CLASSES.join(", "),
                HIGHWAYS.join(", ")
            )));
        }
        let reference = prop_string(f, "ref").unwrap_or_default();
        let id = prop_string(f, "id").unwrap_or_else(|| format!("f{i}"));
        let lines: Vec<&Vec<geojson::Position>> = match geometry(path, i, f)? {
            GeometryValue::LineString { coordinates } => vec![coordinates],
            GeometryValue::MultiLineString { coordinates } => coordinates.iter().collect(),
            g => {
                return Err(at(format!(
                    "geometry is {}, expected LineString or MultiLineString",
                    g.type_name()
                )))
            }
        };
        for (k, line) in lines.into_iter().enumerate() {
            let coords = line
                .iter()
                .map(|p| lonlat(path, i, p))
                .collect::<Result<Vec<_>, _>>()?;
            if coords.len() < 2 {
                return Err(at("a line with fewer than two positions".into()));
            }
            roads.push(RoadLine {
                id: if k == 0 {
                    id.clone()
                } else {
                    format!("{id}.{k}")
                },
                highway: class.clone(),
                reference: reference.clone(),
                coords,
            });
        }
    }
    Ok(roads)
}

/// Existing masts from GeoJSON (by the `.geojson` / `.json` extension) or CSV.
pub fn read_existing_sites(path: &Path) -> Result<Vec<ExistingSite>, InputError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let sites = if ext == "csv" {
        existing_csv(path)?
    } else {
        existing_geojson(path)?
    };
    let mut seen = std::collections::BTreeSet::new();
    for (i, s) in sites.iter().enumerate() {
        if !seen.insert(s.id.clone()) {
            let place = if ext == "csv" {
                Where::Line(i as u64 + 2)
            } else {
                Where::Feature(i)
            };
            return Err(InputError::new(
                path,
                place,
                format!("duplicate site id `{}`", s.id),
            ));
        }
    }
    Ok(sites)
}

fn check_height(h: f64) -> Result<f64, String> {
    if h.is_finite() && h > 0.0 && h <= 500.0 {
        Ok(h)
    } else {
        Err(format!("height_m {h} is outside (0, 500]"))
    }
}

fn existing_geojson(path: &Path) -> Result<Vec<ExistingSite>, InputError> {
    let features = read_features(path)?;
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let at = |m: String| InputError::new(path, Where::Feature(i), m);
            let p = match geometry(path, i, f)? {
                GeometryValue::Point { coordinates } => lonlat(path, i, coordinates)?,
                g => return Err(at(format!("geometry is {}, expected Point", g.type_name()))),
            };
            let height_m = match f.property("height_m") {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
                _ => return Err(at("site has no numeric `height_m`".into())),
            };
            let height_m = check_height(height_m).map_err(at)?;
            let technologies = match f.property("technologies") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::String(s)) => split_list(s),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| at("`technologies` must hold strings".into()))
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(at("`technologies` must be a string or an array".into())),
            };
            Ok(ExistingSite {
                id: prop_string(f, "id").unwrap_or_else(|| format!("f{i}")),
                lonlat: p,
                height_m,
                technologies,
            })
        })
        .collect()
}

fn split_list(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn csv_reader(
    path: &Path,
) -> Result<(csv::Reader<std::io::Cursor<String>>, csv::StringRecord), InputError> {
    let text = read_text(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(text));
    let header = rdr
        .headers()
        .map_err(|e| InputError::new(path, Where::Line(1), format!("bad header: {e}")))?
        .clone();
    crate::text::check_unique_headers(path, &header)?;
    Ok((rdr, header))
}

fn column(path: &Path, header: &csv::StringRecord, name: &str) -> Result<usize, InputError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| InputError::new(path, Where::Line(1), format!("missing column `{name}`")))
}

fn existing_csv(path: &Path) -> Result<Vec<ExistingSite>, InputError> {
    let (mut rdr, header) = csv_reader(path)?;
    let [id, lon, lat, h] = ["id", "lon", "lat", "height_m"].map(|c| column(path, &header, c));
    let (id, lon, lat, h) = (id?, lon?, lat?, h?);
    let tech = header.iter().position(|c| c == "technologies");
    let mut out = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let line = k as u64 + 2;
        let at = |m: String| InputError::new(path, Where::Line(line), m);
        let rec = rec.map_err(|e| at(format!("malformed CSV: {e}")))?;
        let num = |c: usize, name: &str| {
            rec.get(c).unwrap_or("").parse::<f64>().map_err(|_| {
                at(format!(
                    "`{name}` is not a number: {:?}",
                    rec.get(c).unwrap_or("")
                ))
            })
        };
        let p = check_lonlat(&[num(lon, "lon")?, num(lat, "lat")?]).map_err(at)?;
        let height_m = check_height(num(h, "height_m")?).map_err(at)?;
        let sid = rec.get(id).unwrap_or("").to_string();
        if sid.is_empty() {
            return Err(at("empty `id`".into()));
        }
        out.push(ExistingSite {
            id: sid,
            lonlat: p,
            height_m,
            technologies: tech
                .and_then(|t| rec.get(t))
                .map(split_list)
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// `ref,class` rows: the class of each normalised ref is looked up by the caller.
pub fn read_ref_classes(path: &Path) -> Result<BTreeMap<String, String>, InputError> {
    let (mut rdr, header) = csv_reader(path)?;
    let r = column(path, &header, "ref")?;
    let c = column(path, &header, "class")?;
    let mut out = BTreeMap::new();
    for (k, rec) in rdr.records().enumerate() {
        let line = k as u64 + 2;
        let at = |m: String| InputError::new(path, Where::Line(line), m);
        let rec = rec.map_err(|e| at(format!("malformed CSV: {e}")))?;
        let (reference, class) = (rec.get(r).unwrap_or(""), rec.get(c).unwrap_or(""));
        if reference.is_empty() {
            return Err(at("empty `ref`".into()));
        }
        if !ROAD_CLASSES.contains(&class) {
            return Err(at(format!(
                "class `{class}`: expected one of {}",
                ROAD_CLASSES.join(", ")
            )));
        }
        if out
            .insert(reference.to_string(), class.to_string())
            .is_some()
        {
            return Err(at(format!("ref `{reference}` appears twice")));
        }
    }
    Ok(out)
}
