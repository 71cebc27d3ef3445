//! User villages: GeoJSON Points or CSV, with `id`, optional `name`, and `households` or
//! `population` (one of them is required).
//!
//! Households and population convert with the household size (default 3.5 people):
//! `households = round(population / size)`, `population = round(households x size)`.
//!
//! An optional `has_fibre` column or property (`true`/`false`, `1`/`0`, `yes`/`no`, empty
//! for no) marks villages that already have fibre: the plan gives them no new route.

use crate::geojson_in::{geometry, lonlat, prop_string, read_features};
use crate::text::{line_of, read_text};
use crate::{InputError, Where};
use fiberplan_model::population::parse_tolerant;
use fiberplan_model::{ExistingFibre, LonLat, Village};
use geojson::GeometryValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// A village bigger than this many households is taken for a unit mistake (a city's
/// population in the households column, or a sum row).
pub const MAX_HOUSEHOLDS: u64 = 200_000;

/// Read user villages from `.geojson`/`.json` or `.csv` (by extension; others are sniffed).
pub fn read_villages(path: &Path, household_size: f64) -> Result<Vec<Village>, InputError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let villages = if ext == "csv" || ext == "txt" {
        read_csv(path, household_size)?
    } else {
        read_geojson(path, household_size)?
    };
    if villages.is_empty() {
        return Err(InputError::file(path, "no villages in the file"));
    }
    Ok(villages)
}

/// The most villages one input may hold. Kazakhstan has about 7,000 settlements; a run's
/// memory and time grow with the villages (the last mile designs each), and 200,000 took
/// over 4 GB.
pub const MAX_VILLAGES: usize = 100_000;

pub(crate) fn too_many_villages() -> String {
    format!("more than {MAX_VILLAGES} villages, the most one input may hold")
}

/// Households and population from whichever is given.
fn sizes(hh: Option<u64>, pop: Option<u64>, household_size: f64) -> (u64, u64) {
    match (hh, pop) {
        (Some(h), Some(p)) => (h, p),
        (Some(h), None) => (h, (h as f64 * household_size).round() as u64),
        (None, Some(p)) => ((p as f64 / household_size).round() as u64, p),
        (None, None) => (0, 0),
    }
}

/// A village with more people than this is a unit mistake or a sum row (Almaty, the largest
/// city, has about 2.3 million).
pub const MAX_POPULATION: u64 = 2_000_000;

fn check_households(h: u64, population: u64) -> Result<(), String> {
    if h > MAX_HOUSEHOLDS {
        return Err(format!(
            "households {h} is absurd for a village (over {MAX_HOUSEHOLDS}): population in the households column?"
        ));
    }
    if population > MAX_POPULATION {
        return Err(format!(
            "population {population} is absurd for a village (over {MAX_POPULATION}): a sum row, or a unit mistake?"
        ));
    }
    Ok(())
}

fn number(v: &Value, key: &str) -> Result<Option<u64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Ok(Some(u))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.is_finite() && f >= 0.0 {
                    Ok(Some(f.round() as u64))
                } else {
                    Err(format!("`{key}` is {n}: must be a non-negative number"))
                }
            }
        }
        Value::String(s) => {
            if s.trim().starts_with('-') {
                return Err(format!("`{key}` is {s:?}: must be a non-negative number"));
            }
            parse_tolerant(s)
                .map(Some)
                .ok_or_else(|| format!("`{key}` is {s:?}: not a number"))
        }
        other => Err(format!("`{key}` is {other}: must be a number")),
    }
}

/// The `has_fibre` flag from a cell or property: empty means no.
fn has_fibre(v: &Value) -> Result<bool, String> {
    let bad = |shown: &str| {
        Err(format!(
            "`has_fibre` is {shown}: must be true/false, 1/0 or yes/no"
        ))
    };
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => bad(&n.to_string()),
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" | "n" => Ok(false),
            "1" | "true" | "yes" | "y" => Ok(true),
            _ => bad(&format!("{:?}", s.chars().take(40).collect::<String>())),
        },
        other => bad(&other.to_string()),
    }
}

fn read_geojson(path: &Path, household_size: f64) -> Result<Vec<Village>, InputError> {
    let features = read_features(path)?;
    if features.len() > MAX_VILLAGES {
        return Err(InputError::new(
            path,
            Where::Feature(MAX_VILLAGES),
            too_many_villages(),
        ));
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let at = |m: String| InputError::new(path, Where::Feature(i), m);
        let p = match geometry(path, i, f)? {
            GeometryValue::Point { coordinates } => lonlat(path, i, coordinates)?,
            g => {
                return Err(at(format!(
                    "geometry is {}, villages must be Points",
                    g.type_name()
                )))
            }
        };
        let id = prop_string(f, "id")
            .or_else(|| {
                f.id.as_ref().map(|id| match id {
                    geojson::feature::Id::String(s) => s.clone(),
                    geojson::feature::Id::Number(n) => n.to_string(),
                })
            })
            .ok_or_else(|| at("no `id` property".into()))?;
        if let Some(prev) = seen.insert(id.clone(), i) {
            return Err(at(format!("duplicate id {id:?} (also feature {prev})")));
        }
        let hh = number(
            f.property("households").unwrap_or(&Value::Null),
            "households",
        )
        .map_err(at)?;
        let pop = number(
            f.property("population").unwrap_or(&Value::Null),
            "population",
        )
        .map_err(at)?;
        if hh.is_none() && pop.is_none() {
            return Err(at(format!(
                "village {id:?} has neither `households` nor `population`"
            )));
        }
        let (households, population) = sizes(hh, pop, household_size);
        check_households(households, population).map_err(at)?;
        let fibre = has_fibre(f.property("has_fibre").unwrap_or(&Value::Null)).map_err(at)?;
        let names = ["name", "name_kk", "name_ru"].map(|k| prop_string(f, k).unwrap_or_default());
        out.push(user_village(id, names, p, (population, households), fibre));
    }
    Ok(out)
}

/// A village as the user's file gives it (GeoJSON and CSV alike): names in the order
/// `name`, `name_kk`, `name_ru`, sizes as (population, households), `fibre` when the file
/// says it has fibre already.
fn user_village(
    id: String,
    [name, name_kk, name_ru]: [String; 3],
    lonlat: LonLat,
    (population, households): (u64, u64),
    fibre: bool,
) -> Village {
    Village {
        id,
        name,
        name_kk,
        name_ru,
        lonlat,
        place: "user".into(),
        population,
        households,
        existing_fibre: fibre.then_some(ExistingFibre::Input),
        ..Village::default()
    }
}

/// Field delimiter of a CSV file from its header line: `;` (spreadsheets with decimal
/// commas), tab, or `,`.
pub fn sniff_delimiter(header: &str) -> u8 {
    if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// A decimal number that may use a decimal comma (`43,25`), as spreadsheets export it.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t = s.trim();
    t.parse::<f64>().ok().or_else(|| {
        (t.matches(',').count() == 1 && !t.contains('.'))
            .then(|| t.replace(',', "."))
            .and_then(|u| u.parse().ok())
    })
}

/// A CSV reader over `text`, its delimiter sniffed from the first line that is not a `#`
/// comment (`comments`: such lines are skipped) and its header read and checked (parsed,
/// no column named twice). Shared by the villages, `--has-fibre` and households-by-KATO
/// readers.
pub(crate) fn checked_csv<'t>(
    path: &Path,
    text: &'t str,
    comments: bool,
) -> Result<(csv::Reader<&'t [u8]>, csv::StringRecord), InputError> {
    let header = text
        .lines()
        .find(|l| !(comments && l.trim_start().starts_with('#')))
        .unwrap_or("");
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(header))
        .comment(comments.then_some(b'#'))
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| {
            let line = e.position().map_or(1, |p| p.line());
            InputError::new(
                path,
                Where::Line(line),
                format!("malformed CSV header: {e}"),
            )
        })?
        .clone();
    crate::text::check_unique_headers(path, &headers)?;
    Ok((rdr, headers))
}

/// A CSV record with its line, or its error at its line.
pub(crate) fn csv_record(
    path: &Path,
    rec: Result<csv::StringRecord, csv::Error>,
) -> Result<(csv::StringRecord, u64), InputError> {
    let rec = rec.map_err(|e| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        InputError::new(path, Where::Line(line), format!("malformed CSV: {e}"))
    })?;
    let line = rec.position().map(|p| p.line()).unwrap_or(0);
    Ok((rec, line))
}

fn read_csv(path: &Path, household_size: f64) -> Result<Vec<Village>, InputError> {
    let text = read_text(path)?;
    if text.trim().is_empty() {
        return Err(InputError::file(
            path,
            "empty file: expected a header naming id, lon, lat and households or population, then one village a row",
        ));
    }
    let (mut rdr, headers) = checked_csv(path, &text, false)?;
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            InputError::new(
                path,
                Where::Line(1),
                format!(
                    "no `{name}` column (header: {})",
                    headers.iter().collect::<Vec<_>>().join(",")
                ),
            )
        })
    };
    let (c_id, c_lon, c_lat) = (need("id")?, need("lon")?, need("lat")?);
    let (c_hh, c_pop) = (col("households"), col("population"));
    if c_hh.is_none() && c_pop.is_none() {
        return Err(InputError::new(
            path,
            Where::Line(1),
            "needs a `households` or `population` column",
        ));
    }
    let (c_name, c_kk, c_ru) = (col("name"), col("name_kk"), col("name_ru"));
    let c_fibre = col("has_fibre");
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            InputError::new(path, Where::Line(line), format!("malformed CSV: {e}"))
        })?;
        let line = rec
            .position()
            .map(|p| p.line())
            .unwrap_or_else(|| line_of(&text, 0));
        let at = |m: String| InputError::new(path, Where::Line(line), m);
        if out.len() == MAX_VILLAGES {
            return Err(at(too_many_villages()));
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).unwrap_or("");
        let id = get(Some(c_id)).to_string();
        if id.is_empty() {
            return Err(at("empty id".into()));
        }
        if let Some(prev) = seen.insert(id.clone(), line) {
            return Err(at(format!("duplicate id {id:?} (also line {prev})")));
        }
        let num = |c: Option<usize>, key: &str| -> Result<Option<f64>, InputError> {
            let s = get(c);
            if s.is_empty() {
                return Ok(None);
            }
            parse_decimal(s)
                .map(Some)
                .ok_or_else(|| at(format!("`{key}` is {s:?}: not a number")))
        };
        let lon = num(Some(c_lon), "lon")?.ok_or_else(|| at("empty lon".into()))?;
        let lat = num(Some(c_lat), "lat")?.ok_or_else(|| at("empty lat".into()))?;
        let p = crate::coords::check_lonlat(&[lon, lat]).map_err(at)?;
        let count = |c: Option<usize>, key: &str| -> Result<Option<u64>, InputError> {
            let s = get(c);
            if s.is_empty() {
                return Ok(None);
            }
            number(&Value::String(s.to_string()), key).map_err(at)
        };
        let (hh, pop) = (count(c_hh, "households")?, count(c_pop, "population")?);
        if hh.is_none() && pop.is_none() {
            return Err(at(format!(
                "village {id:?} has neither households nor population"
            )));
        }
        let (households, population) = sizes(hh, pop, household_size);
        check_households(households, population).map_err(at)?;
        let fibre = has_fibre(&Value::String(get(c_fibre).to_string())).map_err(at)?;
        let names = [c_name, c_kk, c_ru].map(|c| get(c).to_string());
        out.push(user_village(id, names, p, (population, households), fibre));
    }
    Ok(out)
}

/// Ids of villages that already have fibre, from a list an operator or akimat keeps: a CSV
/// with an `id` column, or plain text with one id a line (`#` starts a comment). Each id
/// is returned with its line, so that an unknown id can be reported where it is.
pub fn read_id_list(path: &Path) -> Result<Vec<(String, u64)>, InputError> {
    let text = read_text(path)?;
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim()));
    let first = lines
        .clone()
        .find(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((first_no, header)) = first else {
        return Err(InputError::file(path, "no village ids in the file"));
    };
    let mut ids = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut push = |id: &str, line: u64| -> Result<(), InputError> {
        if let Some(prev) = seen.insert(id.to_string(), line) {
            return Err(InputError::new(
                path,
                Where::Line(line),
                format!("duplicate id {id:?} (also line {prev})"),
            ));
        }
        ids.push((id.to_string(), line));
        Ok(())
    };
    let delim = sniff_delimiter(header);
    let is_csv = header.split(delim as char).count() > 1 || header.eq_ignore_ascii_case("id");
    if is_csv {
        let (mut rdr, headers) = checked_csv(path, &text, true)?;
        let c = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case("id"))
            .ok_or_else(|| {
                InputError::new(path, Where::Line(first_no), "no `id` column in the header")
            })?;
        for rec in rdr.records() {
            let (rec, line) = csv_record(path, rec)?;
            let id = rec.get(c).unwrap_or("").trim();
            if id.is_empty() {
                return Err(InputError::new(path, Where::Line(line), "empty id"));
            }
            push(id, line)?;
        }
    } else {
        for (no, l) in lines.filter(|(_, l)| !l.is_empty() && !l.starts_with('#')) {
            push(l, no)?;
        }
    }
    if ids.is_empty() {
        return Err(InputError::file(path, "no village ids in the file"));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tmp(name: &str, body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::File::create(&p)
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        (dir, p)
    }

    /// At most MAX_VILLAGES villages: one more is an error at its line (CSV) or feature
    /// (GeoJSON), read no further; exactly MAX_VILLAGES are read.
    #[test]
    fn villages_are_capped() {
        let csv = |n: usize| {
            let mut t = String::from("id,lon,lat,households\n");
            for i in 0..n {
                t.push_str(&format!("v{i},{},45,10\n", 60.0 + (i % 1000) as f64 * 0.01));
            }
            t
        };
        let (_d, p) = tmp("v.csv", &csv(MAX_VILLAGES));
        assert_eq!(read_villages(&p, 3.5).unwrap().len(), MAX_VILLAGES);
        let (_d, p) = tmp("v.csv", &csv(MAX_VILLAGES + 1));
        let e = read_villages(&p, 3.5).unwrap_err().to_string();
        assert!(
            e.ends_with("v.csv:100002: more than 100000 villages, the most one input may hold"),
            "{e}"
        );
        let features: Vec<String> = (0..=MAX_VILLAGES)
            .map(|i| {
                format!(
                    r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[70,45]}},"properties":{{"id":"v{i}","households":1}}}}"#
                )
            })
            .collect();
        let body = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let (_d, p) = tmp("v.geojson", &body);
        let e = read_villages(&p, 3.5).unwrap_err().to_string();
        assert!(
            e.contains("feature 100000: more than 100000 villages"),
            "{e}"
        );
    }

    /// A GeoJSON file over 32 MiB is refused by its size, before it is parsed.
    #[test]
    fn geojson_over_its_size_limit_is_refused() {
        let (_d, p) = tmp("v.geojson", "");
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(crate::text::LIMIT_JSON + 1).unwrap();
        let e = read_villages(&p, 3.5).unwrap_err().to_string();
        assert!(e.contains("larger than 32 MiB"), "{e}");
    }

    #[test]
    fn csv_with_semicolons_and_decimal_commas() {
        let (_d, p) = tmp(
            "v.csv",
            "\u{feff}id;name;lon;lat;population\n1;Қарабұлақ;76,9;43,25;350\n",
        );
        let v = read_villages(&p, 3.5).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].lonlat, [76.9, 43.25]);
        assert_eq!((v[0].population, v[0].households), (350, 100));
        assert_eq!(v[0].name, "Қарабұлақ");
    }

    #[test]
    fn csv_duplicate_id_names_both_lines() {
        let (_d, p) = tmp("v.csv", "id,lon,lat,households\na,70,45,10\na,71,45,10\n");
        let e = read_villages(&p, 3.5).unwrap_err().to_string();
        assert!(
            e.ends_with("v.csv:3: duplicate id \"a\" (also line 2)"),
            "{e}"
        );
    }

    #[test]
    fn geojson_point_with_elevation_and_integer_id() {
        let (_d, p) = tmp(
            "v.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":7,"households":12},"geometry":{"type":"Point","coordinates":[70.5,45.5,300]}}]}"#,
        );
        let v = read_villages(&p, 3.5).unwrap();
        assert_eq!(
            (v[0].id.as_str(), v[0].households, v[0].population),
            ("7", 12, 42)
        );
    }

    #[test]
    fn geojson_negative_households_is_an_error_with_feature_index() {
        let (_d, p) = tmp(
            "v.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x","households":-3},"geometry":{"type":"Point","coordinates":[70.5,45.5]}}]}"#,
        );
        let e = read_villages(&p, 3.5).unwrap_err().to_string();
        assert!(
            e.contains("v.geojson: feature 0: `households` is -3"),
            "{e}"
        );
    }

    #[test]
    fn crs_member_is_rejected() {
        let (_d, p) = tmp(
            "v.geojson",
            r#"{"type":"FeatureCollection","crs":{},"features":[]}"#,
        );
        let e = read_villages(&p, 3.5).unwrap_err().to_string();
        assert!(e.contains("`crs` member"), "{e}");
    }
}
