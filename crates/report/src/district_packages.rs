//! District review packages: `districts/<KATO>_<name>/` with that district's `plan.geojson`
//! (routes clipped at the boundary), `villages.csv`, `summary.json` and `report.html`, for
//! every district with work, plus `districts/index.csv`.
//!
//! The packages partition the national plan: each village belongs to the district it lies
//! in, each route metre to the district its stretch lies in ([`crate::clip`]); work outside
//! every district (user villages abroad, the equator fixture) goes to `districts/unassigned/`.
//! Integer costs add up to the national summary exactly.

use crate::clip::{DistrictClipper, RoutePiece};
use crate::i18n::Lang;
use crate::office;
use crate::plan_out::{r3, PlanContext, ATTRIBUTION};
use crate::report_html;
use crate::spreadsheet_safe::{restore, SafeCsv};
use fiberplan_model::{District, Kzt, LonLat};
use fiberplan_plan::Technology;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// One district's share of the plan.
#[derive(Clone, Debug)]
pub struct DistrictWork {
    /// Index into the district table; `None` for work outside every district.
    pub district: Option<usize>,
    /// Every village of the district (connected or not), indices into the input villages.
    pub villages: Vec<usize>,
    /// Route stretches inside the district.
    pub pieces: Vec<RoutePiece>,
    /// Points of presence the plan uses inside the district (indices into `Plan::pops`).
    pub pops: Vec<usize>,
}

/// Totals of one district package (also the rows of `districts/index.csv`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistrictTotals {
    pub villages_total: usize,
    pub households_total: u64,
    pub villages_connected: usize,
    pub households_connected: u64,
    pub population_connected: u64,
    /// Costed kilometres (the national `new_fibre_km` counts these).
    pub new_fibre_km: f64,
    pub drawn_km: f64,
    pub route_sections: usize,
    pub cost_corridor_kzt: Kzt,
    pub cost_villages_kzt: Kzt,
    pub cost_total_kzt: Kzt,
    pub bridges: u32,
    pub tunnels: u32,
    pub railway_crossings: u32,
    /// Costed km by corridor type (`proxy`, `road:primary`, ...).
    pub km_by_type: BTreeMap<String, f64>,
    /// (phase, technology) -> (villages, households, cost).
    pub by_phase_tech: BTreeMap<(Option<u16>, Technology), (usize, u64, Kzt)>,
}

/// Split the plan by district. Districts come in table order, `unassigned` last; only
/// districts with work (a connected village or a route stretch) are returned.
pub fn split_by_district(ctx: &PlanContext, clipper: &DistrictClipper) -> Vec<DistrictWork> {
    let n = ctx.districts.len();
    // Slot n is "outside every district".
    let slot = |d: Option<usize>| d.filter(|&d| d < n).unwrap_or(n);
    let mut works: Vec<DistrictWork> = (0..=n)
        .map(|i| DistrictWork {
            district: (i < n).then_some(i),
            villages: Vec::new(),
            pieces: Vec::new(),
            pops: Vec::new(),
        })
        .collect();
    for (i, v) in ctx.villages.iter().enumerate() {
        works[slot(v.district)].villages.push(i);
    }
    for (i, r) in ctx.plan.routes.iter().enumerate() {
        for p in clipper.clip_route(ctx.graph, i, r) {
            works[slot(p.district)].pieces.push(p);
        }
    }
    for (i, u) in ctx.plan.pops.iter().enumerate() {
        works[slot(clipper.locate(u.lonlat))].pops.push(i);
    }
    works.retain(|w| {
        !w.pieces.is_empty()
            || w.villages
                .iter()
                .any(|&i| ctx.plan.villages[i].technology.is_planned())
    });
    works
}

/// Add up one district's work.
pub fn totals(ctx: &PlanContext, w: &DistrictWork) -> DistrictTotals {
    let mut t = DistrictTotals {
        villages_total: w.villages.len(),
        route_sections: w.pieces.len(),
        ..Default::default()
    };
    for &i in &w.villages {
        let (v, vp) = (&ctx.villages[i], &ctx.plan.villages[i]);
        t.households_total += v.households;
        if vp.technology.is_planned() {
            t.villages_connected += 1;
            t.households_connected += v.households;
            t.population_connected += v.population;
            t.cost_villages_kzt += vp.cost_kzt;
        }
        let e = t
            .by_phase_tech
            .entry((vp.phase, vp.technology))
            .or_insert((0, 0, 0));
        e.0 += 1;
        e.1 += v.households;
        e.2 += vp.cost_kzt;
    }
    let (mut costed_m, mut drawn_m) = (0.0, 0.0);
    for p in &w.pieces {
        costed_m += p.costed_length_m;
        drawn_m += p.length_m;
        t.cost_corridor_kzt += p.cost_kzt;
        t.bridges += p.bridges;
        t.tunnels += p.tunnels;
        t.railway_crossings += p.railway_crossings;
        for (k, m) in &p.metres_by_type {
            *t.km_by_type.entry(k.clone()).or_insert(0.0) += m / 1000.0;
        }
    }
    t.new_fibre_km = costed_m / 1000.0;
    t.drawn_km = drawn_m / 1000.0;
    t.cost_total_kzt = t.cost_corridor_kzt + t.cost_villages_kzt;
    t
}

/// Folder of a district's package: `<KATO>_<English name>` with only `[A-Za-z0-9-]` in the
/// name, or `unassigned`.
pub fn folder_name(d: Option<&District>) -> String {
    match d {
        None => "unassigned".to_string(),
        Some(d) => {
            let mut name: String = d
                .name_en
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            while name.contains("__") {
                name = name.replace("__", "_");
            }
            let name = name.trim_matches('_');
            // Readers check the code is digits; anything else still cannot leave the folder.
            let kato: String = if d.kato.is_empty() {
                "000000000".into()
            } else {
                d.kato
                    .chars()
                    .map(|c| if c.is_ascii_digit() { c } else { '_' })
                    .collect()
            };
            if name.is_empty() {
                kato
            } else {
                format!("{kato}_{name}")
            }
        }
    }
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn positions(g: &[LonLat]) -> Value {
    Value::Array(g.iter().map(|p| json!([r6(p[0]), r6(p[1])])).collect())
}

fn district_props(m: &mut Map<String, Value>, d: Option<&District>) {
    let s = |f: fn(&District) -> &String| d.map(|d| json!(f(d))).unwrap_or(Value::Null);
    m.insert("district_kato".into(), s(|d| &d.kato));
    m.insert("district_en".into(), s(|d| &d.name_en));
    m.insert("district_kk".into(), s(|d| &d.name_kk));
    m.insert("district_ru".into(), s(|d| &d.name_ru));
    m.insert("oblast_en".into(), s(|d| &d.oblast_en));
}

/// Every file of every package, as (path relative to the output folder, contents), in a
/// fixed order, each handed to `emit` as soon as it is made (a country plan's packages
/// are a hundred megabytes; they are never held whole). `polygons`: the district polygons,
/// same index as `ctx.districts`; `national_text`: the plan's own `plan.geojson`
/// ([`PlanContext::geojson`]), whose features the packages copy.
///
/// `texts`: the plan's final `villages.csv` (with the last mile's columns when `plan`
/// designed it), whose rows the packages' `villages.csv` copy, and the last mile's designs
/// for the per-village bill of quantities and access maps of `report.html`.
pub fn district_packages<E>(
    ctx: &PlanContext,
    polygons: &[Vec<Vec<Vec<LonLat>>>],
    lang: Lang,
    texts: crate::PlanTexts,
    national_text: &str,
    mut emit: impl FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let clipper = DistrictClipper::new(polygons);
    let works = split_by_district(ctx, &clipper);
    // The national files, so package features and rows carry exactly the national properties.
    // Features kept as raw JSON text: only route pieces are re-built.
    let national: RawCollection = serde_json::from_str(national_text).expect("own GeoJSON parses");
    let features = national.features;
    let n_routes = ctx.plan.routes.len();
    let n_villages = ctx.villages.len();
    let mut rdr = csv::ReaderBuilder::new().from_reader(texts.villages_csv.as_bytes());
    let mut header = rdr.headers().expect("own CSV").clone();
    let add_phase = !header.iter().any(|h| h == "phase");
    if add_phase {
        header.push_field("phase");
    }
    // Cells as they were before `SafeCsv` defused them: the package writer defuses again.
    let rows: Vec<csv::StringRecord> = rdr
        .records()
        .map(|r| r.expect("own CSV").iter().map(restore).collect())
        .collect();

    let mut index = SafeCsv::new();
    index.write_record([
        "folder",
        "district_kato",
        "district_en",
        "district_kk",
        "district_ru",
        "oblast_en",
        "villages_connected",
        "households_connected",
        "new_fibre_km",
        "route_sections",
        "cost_corridor_kzt",
        "cost_villages_kzt",
        "cost_total_kzt",
    ]);
    for w in &works {
        let d = w.district.map(|i| &ctx.districts[i]);
        let folder = format!("districts/{}", folder_name(d));
        let t = totals(ctx, w);

        // plan.geojson
        let mut feats: Vec<String> = Vec::new();
        for p in &w.pieces {
            let r = &ctx.plan.routes[p.route];
            let route: Value = serde_json::from_str(features[p.route].get()).expect("own JSON");
            let Some(Value::Object(mut m)) = route.get("properties").cloned() else {
                unreachable!("route feature properties are an object")
            };
            m.insert("part".into(), json!(p.part));
            m.insert("length_km".into(), json!(r3(p.costed_length_m / 1000.0)));
            m.insert("drawn_length_km".into(), json!(r3(p.length_m / 1000.0)));
            m.insert("cost_kzt".into(), json!(p.cost_kzt));
            m.insert(
                "route_length_km".into(),
                json!(r3(r.costed_length_m / 1000.0)),
            );
            m.insert("route_cost_kzt".into(), json!(r.cost_kzt));
            m.insert(
                "phase".into(),
                json!(crate::plan_schema::phase_value(r.phase)),
            );
            let types: Vec<&str> = p.metres_by_type.keys().map(|s| s.as_str()).collect();
            m.insert("corridor_types".into(), json!(types.join(",")));
            m.insert("bridges".into(), json!(p.bridges));
            m.insert("tunnels".into(), json!(p.tunnels));
            m.insert("railway_crossings".into(), json!(p.railway_crossings));
            district_props(&mut m, d);
            m.insert(
                "title".into(),
                json!(format!(
                    "New fibre route-{} part {} ({:.1} km in this district)",
                    p.route + 1,
                    p.part,
                    p.costed_length_m / 1000.0
                )),
            );
            m.insert("description".into(), json!(format!("{} KZT", p.cost_kzt)));
            let f = json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": positions(&p.geometry)},
                "properties": Value::Object(m),
            });
            feats.push(serde_json::to_string(&f).expect("JSON"));
        }
        for &i in &w.villages {
            let raw = features[n_routes + i].get();
            if add_phase {
                // The national file has no phase yet: add it.
                let mut f: Value = serde_json::from_str(raw).expect("own JSON");
                f["properties"]["phase"] =
                    json!(crate::plan_schema::phase_value(ctx.plan.villages[i].phase));
                feats.push(serde_json::to_string(&f).expect("JSON"));
            } else {
                feats.push(raw.to_string());
            }
        }
        for &j in &w.pops {
            feats.push(features[n_routes + n_villages + j].get().to_string());
        }
        let body = format!(
            "{{\"type\":\"FeatureCollection\",\"attribution\":{},\"backbone\":{},\"features\":[{}]}}\n",
            serde_json::to_string(ATTRIBUTION).expect("JSON"),
            serde_json::to_string(&ctx.backbone.description).expect("JSON"),
            feats.join(",")
        );
        emit(format!("{folder}/plan.geojson"), body.into_bytes())?;

        // villages.csv
        let mut cw = SafeCsv::new();
        cw.write_record(&header);
        for &i in &w.villages {
            let mut row = rows[i].clone();
            if add_phase {
                row.push_field(
                    &crate::plan_schema::phase_value(ctx.plan.villages[i].phase).to_string(),
                );
            }
            cw.write_record(&row);
        }
        let villages_csv = cw.into_string();

        // routes.csv, the bill of quantities and the workbook
        let routes_csv = pieces_csv(ctx, w);
        let boq_csv = boq_csv(&t);
        let sheets = [
            office::Sheet {
                name: "villages",
                csv: &villages_csv,
            },
            office::Sheet {
                name: "routes",
                csv: &routes_csv,
            },
            office::Sheet {
                name: "bill of quantities",
                csv: &boq_csv,
            },
        ];
        let xlsx = office::workbook(&sheets, &office::notes(ctx))
            .expect("a workbook of in-memory tables is written");
        emit(
            format!("{folder}/villages.csv"),
            office::with_bom(&villages_csv).into_bytes(),
        )?;
        emit(
            format!("{folder}/routes.csv"),
            office::with_bom(&routes_csv).into_bytes(),
        )?;
        emit(format!("{folder}/plan.xlsx"), xlsx)?;

        // summary.json
        emit(
            format!("{folder}/summary.json"),
            summary_json(
                d,
                &t,
                ctx.existing_fibre_json_of(w.villages.iter().map(|&i| &ctx.villages[i])),
                lang,
            )
            .into_bytes(),
        )?;

        // report.html
        let poly = w.district.map(|i| &polygons[i][..]).unwrap_or(&[]);
        emit(
            format!("{folder}/report.html"),
            report_html::district_report(ctx, d, w, &t, poly, lang, texts.last_mile).into_bytes(),
        )?;

        let ds = |f: fn(&District) -> &String| d.map(|d| f(d).clone()).unwrap_or_default();
        index.write_record([
            folder_name(d),
            ds(|d| &d.kato),
            ds(|d| &d.name_en),
            ds(|d| &d.name_kk),
            ds(|d| &d.name_ru),
            ds(|d| &d.oblast_en),
            t.villages_connected.to_string(),
            t.households_connected.to_string(),
            format!("{}", r3(t.new_fibre_km)),
            t.route_sections.to_string(),
            t.cost_corridor_kzt.to_string(),
            t.cost_villages_kzt.to_string(),
            t.cost_total_kzt.to_string(),
        ]);
    }
    emit(
        "districts/index.csv".to_string(),
        office::with_bom(&index.into_string()).into_bytes(),
    )
}

/// A district's `routes.csv`: one row per route stretch inside it (a route crossing the
/// boundary has a part in each district; the parts' costs add up to the route's).
fn pieces_csv(ctx: &PlanContext, w: &DistrictWork) -> String {
    let mut cw = SafeCsv::new();
    cw.write_record([
        "id",
        "part",
        "length_km",
        "drawn_length_km",
        "cost_kzt",
        "year",
        "route_length_km",
        "route_cost_kzt",
    ]);
    for p in &w.pieces {
        let r = &ctx.plan.routes[p.route];
        cw.write_record([
            format!("route-{}", p.route + 1),
            p.part.to_string(),
            format!("{}", r3(p.costed_length_m / 1000.0)),
            format!("{}", r3(p.length_m / 1000.0)),
            p.cost_kzt.to_string(),
            crate::plan_schema::phase_value(r.phase).to_string(),
            format!("{}", r3(r.costed_length_m / 1000.0)),
            r.cost_kzt.to_string(),
        ]);
    }
    cw.into_string()
}

/// A district's bill of quantities, as the plan's ([`office::Boq`]).
fn boq_csv(t: &DistrictTotals) -> String {
    let mut b = office::Boq::new(&t.km_by_type);
    let crossings = [t.bridges, t.tunnels, t.railway_crossings].map(u64::from);
    b.corridors(t.new_fibre_km, t.cost_corridor_kzt, crossings);
    let mut by_tech: BTreeMap<&str, (usize, u64, Kzt)> = BTreeMap::new();
    for ((_, tech), (v, h, c)) in &t.by_phase_tech {
        if !tech.is_planned() {
            continue;
        }
        let e = by_tech.entry(tech.as_str()).or_default();
        e.0 += v;
        e.1 += h;
        e.2 += c;
    }
    for (tech, (v, h, c)) in by_tech {
        b.row(&format!("villages by {tech}"), "villages", v, None);
        b.row(&format!("households by {tech}"), "households", h, Some(c));
    }
    b.finish(t.cost_total_kzt)
}

/// The national `plan.geojson` with its features left as raw JSON text.
#[derive(serde::Deserialize)]
struct RawCollection<'a> {
    #[serde(borrow)]
    features: Vec<&'a serde_json::value::RawValue>,
}

fn summary_json(
    d: Option<&District>,
    t: &DistrictTotals,
    existing_fibre: Value,
    lang: Lang,
) -> String {
    let s = |f: fn(&District) -> &String| d.map(|d| json!(f(d))).unwrap_or(Value::Null);
    let mut by_tech: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    let by_phase: Vec<Value> = t
        .by_phase_tech
        .iter()
        .map(|(&(phase, tech), &(n, hh, cost))| {
            let e = by_tech.entry(tech.as_str()).or_insert((0, 0));
            e.0 += n;
            e.1 += hh;
            json!({"phase": phase, "technology": tech.as_str(), "villages": n, "households": hh, "cost_kzt": cost})
        })
        .collect();
    let v = json!({
        "district_kato": s(|d| &d.kato),
        "district_en": s(|d| &d.name_en),
        "district_kk": s(|d| &d.name_kk),
        "district_ru": s(|d| &d.name_ru),
        "oblast_en": s(|d| &d.oblast_en),
        "villages_total": t.villages_total,
        "households_total": t.households_total,
        "villages_connected": t.villages_connected,
        "households_connected": t.households_connected,
        "population_connected": t.population_connected,
        "villages_by_technology": by_tech.iter().map(|(k, v)| (k.to_string(), json!(v.0))).collect::<Map<_, _>>(),
        "households_by_technology": by_tech.iter().map(|(k, v)| (k.to_string(), json!(v.1))).collect::<Map<_, _>>(),
        "by_phase_and_technology": by_phase,
        "existing_fibre": existing_fibre,
        "new_fibre_km": r3(t.new_fibre_km),
        "drawn_km": r3(t.drawn_km),
        "route_sections": t.route_sections,
        "km_by_corridor_type": t.km_by_type.iter().map(|(k, v)| (k.clone(), json!(r3(*v)))).collect::<Map<_, _>>(),
        "bridges": t.bridges,
        "tunnels": t.tunnels,
        "railway_crossings": t.railway_crossings,
        "cost_total_kzt": t.cost_total_kzt,
        "cost_breakdown_kzt": {
            "corridor": t.cost_corridor_kzt,
            "villages": t.cost_villages_kzt,
        },
        "lang": lang.code(),
        "attribution": ATTRIBUTION,
    });
    serde_json::to_string_pretty(&v).expect("JSON") + "\n"
}

/// Where a feature is for the district packages: a point, or the first point of a line
/// (a backhaul route starts at its site, a cable at its upstream end).
pub fn mobile_feature_at(f: &Value) -> Option<LonLat> {
    let c = &f["geometry"]["coordinates"];
    let p = if c[0].is_array() { &c[0] } else { c };
    Some([p[0].as_f64()?, p[1].as_f64()?])
}

/// A stage's FeatureCollection (`coverage.geojson`) split into the district packages as
/// `districts/<folder>/<name>`: each feature goes to the district of its first point (a
/// site, a premise, the start of a cable or road segment), so the packages hold every
/// feature exactly once. A feature with a `village_id` (the last mile's) goes with its
/// village instead, into the village's own package, so a premise across a district
/// boundary stays with its network. Top-level members other than `features`
/// (attribution, assumptions) are copied into every package.
/// (`last_mile.geojson`'s packages are written by `last_mile_out::write_last_mile_maps`
/// from the per-village texts, with the same rule and the same bytes.)
pub fn feature_packages(
    ctx: &PlanContext,
    polygons: &[Vec<Vec<Vec<LonLat>>>],
    name: &str,
    text: &str,
) -> Result<Vec<(String, String)>, serde_json::Error> {
    use serde_json::value::RawValue;
    // Features stay raw text: a large map is never a JSON tree.
    // The geometry stays raw too: it is parsed only for a feature with no village.
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        properties: Option<ProbeProps>,
        #[serde(borrow)]
        geometry: Option<&'a RawValue>,
    }
    #[derive(serde::Deserialize)]
    struct ProbeProps {
        village_id: Option<Value>,
    }
    #[derive(serde::Deserialize)]
    struct ProbeGeometry {
        coordinates: Value,
    }
    let top: BTreeMap<String, &RawValue> = serde_json::from_str(text)?;
    let features: Vec<&RawValue> = match top.get("features") {
        Some(f) => serde_json::from_str(f.get())?,
        None => Vec::new(),
    };
    let clipper = DistrictClipper::new(polygons);
    let village_district: BTreeMap<&str, Option<usize>> = ctx
        .villages
        .iter()
        .map(|v| (v.id.as_str(), v.district))
        .collect();
    let mut by: BTreeMap<Option<usize>, Vec<&RawValue>> = BTreeMap::new();
    for f in features {
        let probe: Probe = serde_json::from_str(f.get())?;
        let village = probe
            .properties
            .and_then(|p| p.village_id)
            .and_then(|id| id.as_str().and_then(|id| village_district.get(id).copied()));
        let d = match village {
            Some(d) => d,
            None => match probe.geometry {
                Some(g) => serde_json::from_str::<Option<ProbeGeometry>>(g.get())?,
                None => None,
            }
            .and_then(|g| mobile_feature_at(&json!({"geometry": {"coordinates": g.coordinates}})))
            .and_then(|p| clipper.locate(p)),
        };
        by.entry(d).or_default().push(f);
    }
    let mut out = Vec::new();
    for (d, fs) in by {
        let mut body = String::from("{");
        for (k, v) in &top {
            if k != "features" {
                body.push_str(&serde_json::to_string(k)?);
                body.push(':');
                body.push_str(v.get());
                body.push(',');
            }
        }
        body.push_str("\"features\":[");
        for (i, f) in fs.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(f.get());
        }
        body.push_str("]}\n");
        let folder = folder_name(d.map(|i| &ctx.districts[i]));
        out.push((format!("districts/{folder}/{name}"), body));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_kato_and_a_safe_english_name() {
        let d = District {
            kato: "196200000".into(),
            name_en: "Talgar".into(),
            name_kk: "Талғар".into(),
            name_ru: "Талгарский".into(),
            oblast_en: "Almaty".into(),
            ..Default::default()
        };
        assert_eq!(folder_name(Some(&d)), "196200000_Talgar");
        let d2 = District {
            name_en: "Baizak / T. Ryskulov's".into(),
            ..d.clone()
        };
        assert_eq!(folder_name(Some(&d2)), "196200000_Baizak_T_Ryskulov_s");
        assert_eq!(folder_name(None), "unassigned");
    }
}
