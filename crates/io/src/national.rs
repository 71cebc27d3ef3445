//! The bundled national data of Kazakhstan (`data/kz/`): settlements, districts, oblasts and
//! railway stations, turned into villages and the declared proxy backbone.
//!
//! - Villages are `place=village|hamlet` nodes inside Kazakhstan (`isolated_dwelling` on request).
//! - Population comes from the OSM tag (see `fiberplan_model::population`); where it is
//!   missing it is imputed as the median of tagged places of the same type in the same oblast
//!   (the national median of the type when the oblast has none), and flagged.
//! - The proxy backbone: every city and town and every railway station inside Kazakhstan is a
//!   point of presence. No public map of the national operator's fibre exists; its backbone
//!   reaches district centres, and the railway operator runs fibre along its lines.

use crate::geojson_in::{polygons, prop_string, read_features, Rings};
use crate::text::read_text;
use crate::{InputError, Where};
use fiberplan_model::population::parse_tolerant;
use fiberplan_model::{Backbone, District, Pop, PopSource, Village};
use std::collections::BTreeMap;
use std::path::Path;

/// Choices when loading the national data.
#[derive(Clone, Debug)]
pub struct NationalOptions {
    /// People per household (default 3.5).
    pub household_size: f64,
    /// Take `place=isolated_dwelling` as villages too (off by default).
    pub include_isolated: bool,
}

impl Default for NationalOptions {
    fn default() -> Self {
        NationalOptions {
            household_size: 3.5,
            include_isolated: false,
        }
    }
}

/// Districts with their polygons, and the country outline (the oblasts).
#[derive(Clone, Debug, Default)]
pub struct Regions {
    pub districts: Vec<District>,
    /// Polygons of each district (same index as `districts`).
    pub district_polygons: Vec<Vec<Rings>>,
    /// Oblast polygons: together they are the country.
    pub country: Vec<Rings>,
}

/// Everything the national default plan needs.
#[derive(Clone, Debug)]
pub struct NationalData {
    pub villages: Vec<Village>,
    pub backbone: Backbone,
    pub regions: Regions,
}

/// Read `districts_2024.geojson` and `oblasts_2024.geojson` from `dir`.
pub fn read_regions(dir: &Path) -> Result<Regions, InputError> {
    let dpath = dir.join("districts_2024.geojson");
    let mut regions = Regions::default();
    for (i, f) in read_features(&dpath)?.iter().enumerate() {
        let kato = prop_string(f, "KATO")
            .ok_or_else(|| InputError::new(&dpath, Where::Feature(i), "district without KATO"))?;
        // The code names the district's package folder: digits only, so it cannot leave --out.
        if kato.is_empty() || kato.len() > 12 || !kato.bytes().all(|b| b.is_ascii_digit()) {
            let shown: String = kato.chars().take(40).collect();
            return Err(InputError::new(
                &dpath,
                Where::Feature(i),
                format!("KATO {shown:?} is not a district code (1 to 12 digits)"),
            ));
        }
        regions.districts.push(District {
            kato,
            name_en: prop_string(f, "ADM2_EN").unwrap_or_default(),
            name_kk: prop_string(f, "ADM2_KK").unwrap_or_default(),
            name_ru: prop_string(f, "ADM2_RU").unwrap_or_default(),
            oblast_en: prop_string(f, "ADM1_EN").unwrap_or_default(),
            oblast_kk: prop_string(f, "ADM1_KK").unwrap_or_default(),
            oblast_ru: prop_string(f, "ADM1_RU").unwrap_or_default(),
        });
        regions.district_polygons.push(polygons(&dpath, i, f)?);
    }
    let opath = dir.join("oblasts_2024.geojson");
    for (i, f) in read_features(&opath)?.iter().enumerate() {
        regions.country.extend(polygons(&opath, i, f)?);
    }
    Ok(regions)
}

struct PlaceRow {
    line: u64,
    osm_id: String,
    place: String,
    name: String,
    name_kk: String,
    name_ru: String,
    population: Option<u64>,
    lonlat: [f64; 2],
    oblast: String,
    kato: String,
}

fn read_places(path: &Path) -> Result<Vec<PlaceRow>, InputError> {
    let text = read_text(path)?;
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| InputError::new(path, Where::Line(1), format!("malformed CSV: {e}")))?
        .clone();
    crate::text::check_unique_headers(path, &headers)?;
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| InputError::new(path, Where::Line(1), format!("no `{n}` column")))
    };
    let c = [
        col("osm_id")?,
        col("place")?,
        col("name")?,
        col("name_kk")?,
        col("name_ru")?,
        col("population_tag")?,
        col("lon")?,
        col("lat")?,
        col("adm1_en")?,
        col("adm2_kato")?,
        col("name_en")?,
    ];
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            InputError::new(
                path,
                Where::Line(e.position().map_or(0, |p| p.line())),
                format!("malformed CSV: {e}"),
            )
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        if rows.len() == crate::villages::MAX_VILLAGES {
            return Err(InputError::new(
                path,
                Where::Line(line),
                crate::villages::too_many_villages(),
            ));
        }
        let g = |i: usize| rec.get(c[i]).unwrap_or("").trim().to_string();
        let coord = |i: usize| {
            g(i).parse::<f64>().map_err(|_| {
                InputError::new(
                    path,
                    Where::Line(line),
                    format!("bad coordinate {:?}", g(i)),
                )
            })
        };
        let lonlat = crate::coords::check_lonlat(&[coord(6)?, coord(7)?])
            .map_err(|m| InputError::new(path, Where::Line(line), m))?;
        let mut name = g(2);
        for alt in [g(4), g(3), g(10)] {
            if name.is_empty() {
                name = alt;
            }
        }
        rows.push(PlaceRow {
            line,
            osm_id: g(0),
            place: g(1),
            name,
            name_kk: g(3),
            name_ru: g(4),
            population: parse_tolerant(&g(5)),
            lonlat,
            oblast: g(8),
            kato: g(9),
        });
    }
    Ok(rows)
}

fn median(v: &mut [u64]) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]).div_ceil(2)
    })
}

/// Load the bundled national data from `dir` (normally `data/kz`).
pub fn read_national(dir: &Path, opts: &NationalOptions) -> Result<NationalData, InputError> {
    let regions = read_regions(dir)?;
    let ppath = dir.join("populated_places.csv");
    let rows = read_places(&ppath)?;
    let by_kato: BTreeMap<&str, usize> = regions
        .districts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.kato.as_str(), i))
        .collect();

    let is_village = |p: &str| {
        p == "village" || p == "hamlet" || (opts.include_isolated && p == "isolated_dwelling")
    };
    let inside = |r: &PlaceRow| !r.oblast.is_empty();
    // Medians of tagged places by (type, oblast) and by type.
    let mut by_group: BTreeMap<(&str, &str), Vec<u64>> = BTreeMap::new();
    let mut by_type: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| inside(r) && is_village(&r.place)) {
        if let Some(p) = r.population {
            by_group.entry((&r.place, &r.oblast)).or_default().push(p);
            by_type.entry(&r.place).or_default().push(p);
        }
    }
    let group_median: BTreeMap<(&str, &str), u64> = by_group
        .into_iter()
        .filter_map(|(k, mut v)| median(&mut v).map(|m| (k, m)))
        .collect();
    let type_median: BTreeMap<&str, u64> = by_type
        .into_iter()
        .filter_map(|(k, mut v)| median(&mut v).map(|m| (k, m)))
        .collect();

    let mut villages = Vec::new();
    let mut pops = Vec::new();
    for r in rows.iter().filter(|r| inside(r)) {
        if r.place == "city" || r.place == "town" {
            pops.push(Pop {
                id: format!("place/{}", r.osm_id),
                name: r.name.clone(),
                lonlat: r.lonlat,
                source: if r.place == "city" {
                    PopSource::City
                } else {
                    PopSource::Town
                },
            });
            continue;
        }
        if !is_village(&r.place) {
            continue;
        }
        let (population, imputed) = match r.population {
            Some(p) => (p, false),
            None => {
                let m = group_median
                    .get(&(r.place.as_str(), r.oblast.as_str()))
                    .or_else(|| type_median.get(r.place.as_str()));
                let m = m.copied().ok_or_else(|| {
                    InputError::new(
                        &ppath,
                        Where::Line(r.line),
                        format!("no tagged {} to impute a population from", r.place),
                    )
                })?;
                (m, true)
            }
        };
        villages.push(Village {
            id: r.osm_id.clone(),
            name: r.name.clone(),
            name_kk: r.name_kk.clone(),
            name_ru: r.name_ru.clone(),
            lonlat: r.lonlat,
            place: r.place.clone(),
            population,
            households: (population as f64 / opts.household_size).round() as u64,
            population_imputed: imputed,
            kato: String::new(),
            rural_okrug: String::new(),
            existing_fibre: None,
            district: by_kato.get(r.kato.as_str()).copied(),
        });
    }

    let spath = dir.join("railway_stations.geojson");
    for (i, f) in read_features(&spath)?.iter().enumerate() {
        if f.property("inside_kz").and_then(|v| v.as_bool()) != Some(true) {
            continue;
        }
        let Some(geojson::Geometry {
            value: geojson::GeometryValue::Point { coordinates },
            ..
        }) = &f.geometry
        else {
            return Err(InputError::new(
                &spath,
                Where::Feature(i),
                "railway station is not a Point",
            ));
        };
        pops.push(Pop {
            id: format!(
                "station/{}",
                prop_string(f, "id").unwrap_or_else(|| i.to_string())
            ),
            name: prop_string(f, "nameLocal")
                .or_else(|| prop_string(f, "name"))
                .unwrap_or_default(),
            lonlat: crate::geojson_in::lonlat(&spath, i, coordinates)?,
            source: PopSource::RailwayStation,
        });
    }
    let backbone = Backbone {
        pops,
        lines: Vec::new(),
        is_proxy: true,
        description: "declared proxy: every city, town and railway station inside Kazakhstan is a point of presence \
                      (no public map of the existing fibre backbone exists; pass --backbone FILE for the real network)"
            .into(),
    };
    Ok(NationalData {
        villages,
        backbone,
        regions,
    })
}
