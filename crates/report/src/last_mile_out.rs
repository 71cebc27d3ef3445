//! The last mile's outputs: `last_mile.geojson` (premises, splitters, OLTs and cables of
//! every designed village, RFC 7946), the `last_mile` object of `summary.json`, and the
//! per-village columns of `villages.csv`.
//!
//! Cable `length_m` is the geodesic length of the drawn line; `cable_km` in the summary is
//! the sum of the cable features (both from the same whole-decimetre lengths).

use crate::atomic::AtomicDir;
use crate::plan_out::ATTRIBUTION;
use crate::spreadsheet_safe::{restore, SafeCsv};
use fiberplan_access::boq::BoqOverflow;
use fiberplan_access::{Boq, CableType, VillageDesign};
use fiberplan_model::{District, Village};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

fn km(dm: i64) -> f64 {
    // Exact to the decimetre (four decimals), so that it equals the features' sum.
    dm as f64 / 10_000.0
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn split_label(d: &VillageDesign) -> String {
    if d.mixed_ratios {
        format!(
            "{} (smaller splitters where fewer ports are used)",
            d.split.label()
        )
    } else {
        d.split.label()
    }
}

// The features as typed records: serialised straight to text in the members' order below,
// the same bytes as a JSON tree with those members in that order (a test compares them),
// without building millions of maps. A non-finite number is `null` either way.

#[derive(Serialize)]
struct Feature<C, P> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: Geometry<C>,
    properties: P,
}

#[derive(Serialize)]
struct Geometry<C> {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: C,
}

fn feature<C: Serialize, P: Serialize>(
    out: &mut Vec<u8>,
    kind: &'static str,
    coordinates: C,
    properties: P,
) {
    if !out.is_empty() {
        out.push(b',');
    }
    let f = Feature {
        kind: "Feature",
        geometry: Geometry { kind, coordinates },
        properties,
    };
    serde_json::to_writer(out, &f).expect("records of strings and numbers serialise");
}

#[derive(Serialize)]
struct OltProps<'a> {
    kind: &'static str,
    id: &'a str,
    village_id: &'a str,
    ports_used: u32,
    site: &'static str,
    optics_class: &'static str,
    split: String,
    reason: &'a str,
}

#[derive(Serialize)]
struct SplitterProps<'a> {
    kind: &'static str,
    id: &'a str,
    village_id: &'a str,
    ratio: u32,
    stage: u8,
    ports_used: u32,
    parent_id: &'a str,
}

#[derive(Serialize)]
struct CableProps<'a> {
    kind: &'static str,
    village_id: &'a str,
    cable_type: &'static str,
    fibres: u32,
    fibres_used: u32,
    placement: &'static str,
    length_m: f64,
}

#[derive(Serialize)]
struct PremiseProps<'a> {
    kind: &'static str,
    village_id: &'a str,
    households: u32,
    connected_households: u32,
    modelled: bool,
    splitter_id: Option<&'a str>,
    path_length_m: f64,
    drop_m: f64,
    line_loss_db: f64,
    optics_class: &'static str,
    margin_db: f64,
    connected: bool,
    flag: Option<&'a str>,
}

/// The features of one village as comma-separated GeoJSON text, in a fixed order: OLT,
/// splitters, cables, premises.
pub fn village_features_text(d: &VillageDesign) -> Vec<u8> {
    let mut out = Vec::new();
    let village_id = d.village_id.as_str();
    let olt = &d.olt;
    let props = OltProps {
        kind: "olt",
        id: &olt.id,
        village_id,
        ports_used: olt.ports_used,
        site: olt.site.as_str(),
        optics_class: olt.class.as_str(),
        split: split_label(d),
        reason: &olt.reason,
    };
    feature(&mut out, "Point", olt.lonlat, props);
    for s in &d.splitters {
        let props = SplitterProps {
            kind: "splitter",
            id: &s.id,
            village_id,
            ratio: s.ratio,
            stage: s.stage,
            ports_used: s.ports_used,
            parent_id: s.parent.map_or(&olt.id, |k| &d.splitters[k].id),
        };
        feature(&mut out, "Point", s.lonlat, props);
    }
    for c in &d.cables {
        let props = CableProps {
            kind: "cable",
            village_id,
            cable_type: c.cable_type.as_str(),
            fibres: c.fibres,
            fibres_used: c.fibres_used,
            placement: c.placement.as_str(),
            length_m: c.length_dm as f64 / 10.0,
        };
        feature(&mut out, "LineString", &c.coords, props);
    }
    for p in &d.premises {
        let props = PremiseProps {
            kind: "premise",
            village_id,
            households: p.households,
            connected_households: p.connected_households,
            modelled: p.modelled,
            splitter_id: p.splitter.map(|k| d.splitters[k].id.as_str()),
            path_length_m: p.path_length_m,
            drop_m: p.drop_m,
            line_loss_db: p.line_loss_db,
            optics_class: olt.class.as_str(),
            margin_db: p.margin_db,
            connected: p.connected_households > 0,
            flag: p.flag.as_deref(),
        };
        feature(&mut out, "Point", p.lonlat, props);
    }
    out
}

/// A FeatureCollection as the pieces of its text: `head` (up to and including the
/// features' opening bracket), the villages' features with commas between, the close.
fn collection_parts<'a>(head: &'a [u8], villages: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut parts = Vec::with_capacity(2 * villages.len() + 2);
    parts.push(head);
    for (i, v) in villages.iter().enumerate() {
        if i > 0 {
            parts.push(b",");
        }
        parts.push(v);
    }
    parts.push(b"]}\n");
    parts
}

/// The national file's head: `type`, `attribution`, then the features.
fn national_head() -> Vec<u8> {
    let mut head = br#"{"type":"FeatureCollection","attribution":"#.to_vec();
    serde_json::to_writer(&mut head, ATTRIBUTION).expect("a string serialises");
    head.extend_from_slice(br#","features":["#);
    head
}

/// A district package's head: its members in name order, as the packages of the other
/// maps are written (`district_packages::feature_packages`).
fn package_head() -> Vec<u8> {
    let mut head = br#"{"attribution":"#.to_vec();
    serde_json::to_writer(&mut head, ATTRIBUTION).expect("a string serialises");
    head.extend_from_slice(br#","type":"FeatureCollection","features":["#);
    head
}

/// The plan's designed villages by package: the district's index (`districts.len()` for
/// a village outside every district, the `unassigned` folder), then the villages' indices
/// in the plan's order.
fn designed_by_district(
    villages: &[Village],
    districts: &[District],
    lm: &PlanLastMile,
) -> BTreeMap<usize, Vec<usize>> {
    let n = districts.len();
    let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, v) in villages.iter().enumerate() {
        if lm.designs.get(i).is_some_and(Option::is_some) {
            by.entry(v.district.filter(|&d| d < n).unwrap_or(n))
                .or_default()
                .push(i);
        }
    }
    by
}

/// The last mile's maps: `last_mile.geojson` (every designed village) and
/// `districts/<folder>/last_mile.geojson` (each package's villages), written from one
/// text per village.
///
/// # Errors
/// A file that cannot be written.
pub fn write_last_mile_maps(
    out: &mut AtomicDir,
    villages: &[Village],
    districts: &[District],
    lm: &PlanLastMile,
) -> std::io::Result<()> {
    // The text of the plan's i-th village, made in parallel (a village's text does not
    // depend on the others, so the bytes are the same at any thread count).
    let texts: Vec<Option<Vec<u8>>> = lm
        .designs
        .par_iter()
        .map(|d| d.as_deref().map(village_features_text))
        .collect();
    let all: Vec<&[u8]> = texts.iter().flatten().map(Vec::as_slice).collect();
    let head = national_head();
    out.write_parts("last_mile.geojson", &collection_parts(&head, &all))?;
    let head = package_head();
    for (d, which) in designed_by_district(villages, districts, lm) {
        let folder = crate::district_packages::folder_name(districts.get(d));
        let texts: Vec<&[u8]> = which.iter().filter_map(|&i| texts[i].as_deref()).collect();
        let rel = format!("districts/{folder}/last_mile.geojson");
        out.write_parts(&rel, &collection_parts(&head, &texts))?;
    }
    Ok(())
}

/// The `last_mile` object of `summary.json` for a bill of quantities (one village or a sum).
pub fn last_mile_summary(b: &Boq, drop_limit_m: f64, take_up_pct: f64) -> Value {
    let mut by_ratio = Map::new();
    for (r, n) in &b.splitters_by_ratio {
        by_ratio.insert(format!("1:{r}"), json!(n));
    }
    let mut by_size = Vec::new();
    for ((t, fibres, pl), dm) in &b.cable_dm {
        by_size.push(json!({"cable_type": t.as_str(), "fibres": fibres, "placement": pl.as_str(), "km": km(*dm)}));
    }
    let mut route = Map::new();
    for (pl, dm) in &b.route_dm {
        route.insert(pl.as_str().to_string(), json!(km(*dm)));
    }
    let c = &b.cost;
    json!({
        "villages": b.villages,
        "premises": b.premises,
        "premises_modelled": b.premises_modelled,
        "households_passed": b.households_passed,
        "households_connected": b.households_connected,
        "take_up_pct": take_up_pct,
        "splitters_by_ratio": by_ratio,
        "fill_pct": r2(b.fill_pct()),
        "drop_limit_m": drop_limit_m,
        "cable_km": {
            "feeder": km(b.cable_type_dm(CableType::Feeder)),
            "distribution": km(b.cable_type_dm(CableType::Distribution)),
            "drop": km(b.cable_type_dm(CableType::Drop)),
        },
        "trench_km": km(b.trench_dm),
        "trench_lower_bound_km": km(b.trench_lower_bound_dm),
        "worst_margin_db": b.worst_margin_db.map(r2),
        "lines_over_budget": b.lines_over_budget,
        "lines_flagged": b.lines_flagged,
        "cost_kzt": c.total_kzt,
        "bill_of_quantities": {
            "olt_sites": b.olt_sites,
            "olt_ports_by_class": b.olt_ports,
            "last_stage_ports": b.last_stage_ports,
            "onts": b.onts,
            "drops": b.drops,
            "closures": b.closures,
            "new_poles": b.new_poles,
            "splices": b.splices,
            "street_route_km": route,
            "cable_km_by_size": by_size,
        },
        "cost_breakdown_kzt": {
            "olt": c.olt_kzt,
            "splitters": c.splitters_kzt,
            "closures": c.closures_kzt,
            "cable": c.cable_kzt,
            "poles_and_trenches": c.civil_kzt,
            "drops": c.drops_kzt,
            "onts": c.onts_kzt,
            "splices": c.splices_kzt,
        },
        "assumptions": [
            "every premise is passed by the street cable; connections at the take-up rate are spread evenly along the streets",
            "trench_km is the street route plus the connected drops; its lower bound is the Steiner-tree dual-ascent bound over every premise's street point from the feed point, plus the same drops",
            "premises with modelled=true come from the declared layout model (no mapped buildings)",
            "the corridor from the point of presence to the village is costed by the corridor plan, not here",
        ],
    })
}

/// Header of the per-village last-mile columns of `villages.csv`.
pub const VILLAGE_COLUMNS: [&str; 6] = [
    "last_mile_premises",
    "last_mile_fill_pct",
    "last_mile_trench_km",
    "last_mile_trench_lower_bound_km",
    "last_mile_cost_kzt",
    "olt_site",
];

/// The per-village columns, in [`VILLAGE_COLUMNS`] order.
pub fn village_columns(d: &VillageDesign) -> [String; 6] {
    let b = &d.boq;
    [
        b.premises.to_string(),
        format!("{:.2}", b.fill_pct()),
        format!("{:.4}", km(b.trench_dm)),
        format!("{:.4}", km(b.trench_lower_bound_dm)),
        b.cost.total_kzt.to_string(),
        d.olt.site.as_str().to_string(),
    ]
}

/// `fiberplan village`: writes `last_mile.geojson` and `summary.json` (with `village` facts
/// and the `last_mile` object) into `out`, atomically.
pub fn write_village(
    out: &Path,
    d: &VillageDesign,
    village: Value,
    drop_limit_m: f64,
    take_up_pct: f64,
) -> std::io::Result<()> {
    let mut dir = AtomicDir::new(out)?;
    let (head, text) = (national_head(), village_features_text(d));
    dir.write_parts("last_mile.geojson", &collection_parts(&head, &[&text]))?;
    let summary = json!({
        "village": village,
        "olt": {
            "id": d.olt.id,
            "site": d.olt.site.as_str(),
            "optics_class": d.olt.class.as_str(),
            "split": split_label(d),
            "reason": d.olt.reason,
        },
        "last_mile": last_mile_summary(&d.boq, drop_limit_m, take_up_pct),
        "attribution": ATTRIBUTION,
    });
    let mut bytes = serde_json::to_vec_pretty(&summary).expect("JSON values always serialize");
    bytes.push(b'\n');
    dir.write("summary.json", &bytes)?;
    dir.commit()
}

/// `villages.csv` with the last-mile columns appended ([`VILLAGE_COLUMNS`]); `designs[i]`
/// is the design of the csv's i-th village row (empty cells for villages without one).
pub fn with_village_columns(villages_csv: &str, designs: &[Option<&VillageDesign>]) -> String {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(villages_csv.as_bytes());
    let mut w = SafeCsv::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.expect("our own CSV");
        // Undo the defusing of the first write: `w` defuses again.
        let mut row: Vec<String> = rec.iter().map(|f| restore(f).to_string()).collect();
        if i == 0 {
            row.extend(VILLAGE_COLUMNS.iter().map(|s| s.to_string()));
        } else {
            match designs.get(i - 1).copied().flatten() {
                Some(d) => row.extend(village_columns(d)),
                None => row.extend(std::iter::repeat_n(String::new(), VILLAGE_COLUMNS.len())),
            }
        }
        w.write_record(&row);
    }
    w.into_string()
}

/// `summary.json` with the `last_mile` object added (after the existing members).
pub fn with_last_mile_summary(summary_json: &str, last_mile: Value) -> String {
    let mut v: Value = serde_json::from_str(summary_json).expect("our own JSON");
    if let Some(o) = v.as_object_mut() {
        o.insert("last_mile".into(), last_mile);
    }
    let mut out = serde_json::to_string_pretty(&v).expect("JSON values serialise");
    out.push('\n');
    out
}

/// A plan's last mile, as `plan` hands it to the writers.
#[derive(Clone, Debug)]
pub struct PlanLastMile {
    /// `designs[i]`: the design of the plan's i-th village (`None`: not on fibre, or a city
    /// left at the flat price).
    pub designs: Vec<Option<Arc<VillageDesign>>>,
    pub drop_limit_m: f64,
    pub take_up_pct: f64,
    /// How the plan's costs use the designs (`summary.json` `last_mile.pricing`).
    pub pricing: Value,
}

impl PlanLastMile {
    /// The bill of quantities of the villages `which` (indices into the plan's villages;
    /// those without a design are skipped), in their order.
    ///
    /// # Errors
    /// A sum beyond 64 bits.
    pub fn total(&self, which: impl IntoIterator<Item = usize>) -> Result<Boq, BoqOverflow> {
        let mut t = Boq::default();
        for i in which {
            if let Some(d) = self.designs.get(i).and_then(Option::as_ref) {
                t.add(&d.boq)?;
            }
        }
        Ok(t)
    }
}

/// The plan's last-mile texts in one step: `villages.csv` with the per-village columns and
/// `summary.json` with the national `last_mile` object (and its `pricing`). The maps are
/// written by [`write_last_mile_maps`].
///
/// # Errors
/// The national bill of quantities beyond 64 bits.
pub fn plan_outputs(
    villages_csv: &str,
    summary_json: &str,
    lm: &PlanLastMile,
) -> Result<(String, String), BoqOverflow> {
    let refs: Vec<Option<&VillageDesign>> = lm.designs.iter().map(|d| d.as_deref()).collect();
    let total = lm.total(0..lm.designs.len())?;
    let mut summary = last_mile_summary(&total, lm.drop_limit_m, lm.take_up_pct);
    summary["pricing"] = lm.pricing.clone();
    Ok((
        with_village_columns(villages_csv, &refs),
        with_last_mile_summary(summary_json, summary),
    ))
}

/// Header of `last_mile_boq.csv`: one row per designed village, then `TOTAL`.
pub const BOQ_COLUMNS: [&str; 33] = [
    "village_id",
    "village_name",
    "olt_site",
    "optics_class",
    "split",
    "premises",
    "premises_modelled",
    "households_passed",
    "households_connected",
    "fill_pct",
    "olt_ports",
    "splitters",
    "last_stage_ports",
    "closures",
    "new_poles",
    "splices",
    "onts",
    "drops",
    "feeder_km",
    "distribution_km",
    "drop_km",
    "aerial_route_km",
    "underground_route_km",
    "trench_km",
    "olt_kzt",
    "splitters_kzt",
    "closures_kzt",
    "cable_kzt",
    "poles_and_trenches_kzt",
    "drops_kzt",
    "onts_kzt",
    "splices_kzt",
    "cost_kzt",
];

fn boq_row(id: &str, name: &str, site: &str, class: &str, split: &str, b: &Boq) -> Vec<String> {
    use fiberplan_access::Placement;
    let c = &b.cost;
    let route = |p: Placement| format!("{:.4}", km(b.route_dm.get(&p).copied().unwrap_or(0)));
    vec![
        id.to_string(),
        name.to_string(),
        site.to_string(),
        class.to_string(),
        split.to_string(),
        b.premises.to_string(),
        b.premises_modelled.to_string(),
        b.households_passed.to_string(),
        b.households_connected.to_string(),
        format!("{:.2}", b.fill_pct()),
        b.olt_ports.values().sum::<u64>().to_string(),
        b.splitters_label(),
        b.last_stage_ports.to_string(),
        b.closures.to_string(),
        b.new_poles.to_string(),
        b.splices.to_string(),
        b.onts.to_string(),
        b.drops.to_string(),
        format!("{:.4}", km(b.cable_type_dm(CableType::Feeder))),
        format!("{:.4}", km(b.cable_type_dm(CableType::Distribution))),
        format!("{:.4}", km(b.cable_type_dm(CableType::Drop))),
        route(Placement::Aerial),
        route(Placement::Underground),
        format!("{:.4}", km(b.trench_dm)),
        c.olt_kzt.to_string(),
        c.splitters_kzt.to_string(),
        c.closures_kzt.to_string(),
        c.cable_kzt.to_string(),
        c.civil_kzt.to_string(),
        c.drops_kzt.to_string(),
        c.onts_kzt.to_string(),
        c.splices_kzt.to_string(),
        c.total_kzt.to_string(),
    ]
}

/// `last_mile_boq.csv` of the villages `which` (designed ones, in that order): a row each
/// and a `TOTAL` row that is their sum ([`Boq::add`]).
///
/// # Errors
/// The total beyond 64 bits.
pub fn boq_csv(
    villages: &[Village],
    lm: &PlanLastMile,
    which: &[usize],
) -> Result<String, BoqOverflow> {
    let mut w = SafeCsv::new();
    w.write_record(BOQ_COLUMNS);
    for &i in which {
        let Some(d) = lm.designs.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let v = &villages[i];
        w.write_record(boq_row(
            &v.id,
            &v.name,
            d.olt.site.as_str(),
            d.olt.class.as_str(),
            &d.split.label(),
            &d.boq,
        ));
    }
    let t = lm.total(which.iter().copied())?;
    w.write_record(boq_row("TOTAL", "", "", "", "", &t));
    Ok(w.into_string())
}

/// The last mile's files of the district packages: `districts/<folder>/last_mile_boq.csv`
/// (the district's designed villages and their total) and `last_mile_summary.json` (the
/// `last_mile` object of the district's bill), for every package folder with a designed
/// village. Villages go to their district's folder (`unassigned` outside every district),
/// as in the plan's packages, so the packages' bills add up to the national one exactly.
///
/// # Errors
/// A district's bill beyond 64 bits.
pub fn district_files(
    villages: &[Village],
    districts: &[District],
    lm: &PlanLastMile,
) -> Result<Vec<(String, Vec<u8>)>, BoqOverflow> {
    let mut out = Vec::new();
    for (d, which) in designed_by_district(villages, districts, lm) {
        let folder = crate::district_packages::folder_name(districts.get(d));
        out.push((
            format!("districts/{folder}/last_mile_boq.csv"),
            boq_csv(villages, lm, &which)?.into_bytes(),
        ));
        let total = lm.total(which.iter().copied())?;
        let mut s = last_mile_summary(&total, lm.drop_limit_m, lm.take_up_pct);
        s["pricing"] = lm.pricing.clone();
        let mut body = serde_json::to_vec_pretty(&json!({
            "district_kato": districts.get(d).map(|x| x.kato.as_str()),
            "last_mile": s,
        }))
        .expect("JSON values serialise");
        body.push(b'\n');
        out.push((format!("districts/{folder}/last_mile_summary.json"), body));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fiberplan_access::{design_one, OltSite, Premise, SiteOption, VillageInput, VillageJob};

    /// A village of `n` households at `at`, on the generated layout, its OLT in the village.
    fn designed(id: &str, at: [f64; 2], n: u64) -> VillageDesign {
        let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/last_mile.toml");
        let model = fiberplan_io::last_mile::read_last_mile(Path::new(p)).unwrap();
        let premise = Premise {
            lonlat: at,
            households: 1,
            modelled: true,
            osm: None,
        };
        let job = VillageJob {
            input: VillageInput {
                id: id.into(),
                feed: at,
                premises: vec![premise; n as usize],
                streets: Vec::new(),
            },
            sites: vec![SiteOption {
                site: OltSite::Village,
                id: format!("{id}-olt"),
                lonlat: at,
                fibre_m: 0.0,
                site_kzt: model.costs.olt_site_village_kzt,
            }],
        };
        design_one(job, &model).unwrap().1
    }

    fn point(p: [f64; 2]) -> Value {
        json!({"type": "Point", "coordinates": [p[0], p[1]]})
    }

    /// The oracle: a village's features as JSON trees, members in the files' order.
    fn village_features(d: &VillageDesign) -> Vec<Value> {
        let mut f = vec![json!({
            "type": "Feature",
            "geometry": point(d.olt.lonlat),
            "properties": {
                "kind": "olt",
                "id": d.olt.id,
                "village_id": d.village_id,
                "ports_used": d.olt.ports_used,
                "site": d.olt.site.as_str(),
                "optics_class": d.olt.class.as_str(),
                "split": split_label(d),
                "reason": d.olt.reason,
            }
        })];
        for s in &d.splitters {
            let parent = s.parent.map_or(&d.olt.id, |k| &d.splitters[k].id);
            f.push(json!({
                "type": "Feature",
                "geometry": point(s.lonlat),
                "properties": {
                    "kind": "splitter",
                    "id": s.id,
                    "village_id": d.village_id,
                    "ratio": s.ratio,
                    "stage": s.stage,
                    "ports_used": s.ports_used,
                    "parent_id": parent,
                }
            }));
        }
        for c in &d.cables {
            let coords: Vec<Value> = c.coords.iter().map(|p| json!([p[0], p[1]])).collect();
            f.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "kind": "cable",
                    "village_id": d.village_id,
                    "cable_type": c.cable_type.as_str(),
                    "fibres": c.fibres,
                    "fibres_used": c.fibres_used,
                    "placement": c.placement.as_str(),
                    "length_m": c.length_dm as f64 / 10.0,
                }
            }));
        }
        for p in &d.premises {
            let splitter = p.splitter.map(|k| d.splitters[k].id.clone());
            f.push(json!({
                "type": "Feature",
                "geometry": point(p.lonlat),
                "properties": {
                    "kind": "premise",
                    "village_id": d.village_id,
                    "households": p.households,
                    "connected_households": p.connected_households,
                    "modelled": p.modelled,
                    "splitter_id": splitter,
                    "path_length_m": p.path_length_m,
                    "drop_m": p.drop_m,
                    "line_loss_db": p.line_loss_db,
                    "optics_class": d.olt.class.as_str(),
                    "margin_db": p.margin_db,
                    "connected": p.connected_households > 0,
                    "flag": p.flag,
                }
            }));
        }
        f
    }

    /// `last_mile.geojson` of `designs`, from the pieces [`write_last_mile_maps`] and
    /// [`write_village`] write it from.
    fn last_mile_geojson(designs: &[&VillageDesign]) -> Vec<u8> {
        let head = national_head();
        let texts: Vec<Vec<u8>> = designs.iter().map(|d| village_features_text(d)).collect();
        let refs: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
        collection_parts(&head, &refs).concat()
    }

    /// The typed records' text is byte for byte the FeatureCollection serialised as one
    /// JSON tree (the oracle), on designs with every optional member both ways.
    #[test]
    fn streamed_geojson_is_the_whole_tree_serialised() {
        let a = designed("a", [71.43, 51.13], 40);
        let b = designed("b", [76.95, 43.24], 7);
        // A premise with a flag and without a splitter, a margin that is not a number, a
        // label with the mixed ratios, and an id that needs escaping.
        let mut c = designed("c\"q", [69.6, 42.3], 3);
        c.mixed_ratios = !c.mixed_ratios;
        c.premises[0].flag = Some("beyond the \"drop\" limit".into());
        c.premises[0].splitter = None;
        c.premises[1].margin_db = f64::NAN;
        c.premises[2].drop_m = -0.0;
        for designs in [vec![], vec![&a], vec![&a, &b], vec![&c, &a]] {
            let features: Vec<Value> = designs.iter().flat_map(|d| village_features(d)).collect();
            assert!(designs.is_empty() || features.len() > 2 * designs.len());
            let doc = json!({
                "type": "FeatureCollection",
                "attribution": ATTRIBUTION,
                "features": features,
            });
            let mut whole = serde_json::to_vec(&doc).unwrap();
            whole.push(b'\n');
            assert_eq!(
                String::from_utf8(last_mile_geojson(&designs)).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
        let text = String::from_utf8(village_features_text(&c)).unwrap();
        assert!(text.contains(r#""margin_db":null"#), "{text}");
        assert!(text.contains(r#""splitter_id":null"#), "{text}");
        assert!(text.contains(r#""drop_m":-0.0"#), "{text}");
    }
}
