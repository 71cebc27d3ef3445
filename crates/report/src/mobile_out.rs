//! Mobile coverage outputs: `coverage.geojson` (sites, road segments or city cells,
//! backhaul routes) and `summary.json`, written together (atomically), and the set-cover
//! export of `--export-cover`.

use crate::atomic::{write_atomic, AtomicDir};
use fiberplan_cover::{write_export_with_target, ExportCandidate, ExportSegment, Solution};
use fiberplan_mobile::backhaul::Backhaul;
use fiberplan_mobile::candidates::{Candidate, Kind, Power};
use fiberplan_mobile::city::CityCoverage;
use fiberplan_mobile::road_coverage::RoadCoverage;
use fiberplan_network::PlanningGraph;
use serde_json::{json, Value};
use std::path::Path;

/// Attribution of roads and places read from OpenStreetMap.
pub const OSM_ATTRIBUTION: &str =
    "Roads, places and masts (c) OpenStreetMap contributors, ODbL 1.0";

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn power_text(p: &Power) -> String {
    match p {
        Power::Grid { km } => format!("grid, {km:.2} km of 10 kV line"),
        Power::OffGrid => "off-grid (solar, batteries, diesel back-up)".into(),
        Power::Existing => "existing".into(),
    }
}

/// One `kind: "site"` feature.
fn site_feature(c: &Candidate, on_air: bool, backhaul: Option<&Backhaul>) -> Value {
    let (bh, bh_cost, reason) = match (c.kind, backhaul) {
        (Kind::Existing | Kind::Upgrade, _) => (
            "existing",
            0,
            "existing mast: its backhaul is in place".to_string(),
        ),
        (_, Some(b)) => (b.kind(), b.cost_kzt(), b.reason()),
        (_, None) => (
            "not_costed",
            0,
            "backhaul not costed in this run".to_string(),
        ),
    };
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": c.lonlat},
        "properties": {
            "kind": "site",
            "candidate_id": c.id,
            "site_type": c.kind.as_str(),
            "new": c.kind != Kind::Existing,
            "on_air": on_air,
            "height_m": c.height_m,
            "cost_kzt": c.cost_kzt(),
            "mast_kzt": c.mast_kzt,
            "equipment_kzt": c.equipment_kzt,
            "power_kzt": c.power_kzt,
            "power": power_text(&c.power),
            "backhaul": bh,
            "backhaul_cost_kzt": bh_cost,
            "backhaul_reason": reason,
            "estimated": c.kind != Kind::Existing,
        }
    })
}

/// `kind: "backhaul"` features of the fibre routes and microwave hops.
fn backhaul_features(
    cands: &[Candidate],
    backhaul: &[(usize, Backhaul)],
    graph: Option<&PlanningGraph>,
) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, b) in backhaul {
        let c = &cands[*i];
        match b {
            Backhaul::Fibre {
                node,
                corridors,
                new_m,
                cost_kzt,
                ..
            } => {
                let Some(g) = graph else { continue };
                let mut line = vec![c.lonlat, g.nodes[*node as usize]];
                let mut at = *node;
                for &e in corridors {
                    let cor = &g.corridors[e as usize];
                    let mut geom = cor.geometry.to_vec();
                    if cor.a != at {
                        geom.reverse();
                    }
                    at = if cor.a == at { cor.b } else { cor.a };
                    line.extend(geom.into_iter().skip(1));
                }
                line.dedup();
                if line.len() < 2 {
                    line.push(line[0]);
                }
                out.push(json!({
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": line},
                    "properties": {"kind": "backhaul", "type": "fibre", "site": c.id,
                        "km": round2(new_m / 1000.0), "cost_kzt": cost_kzt, "estimated": true}
                }));
            }
            Backhaul::Microwave { hub, km, cost_kzt, .. } => out.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [c.lonlat, hub.lonlat]},
                "properties": {"kind": "backhaul", "type": "microwave", "site": c.id, "to": hub.name,
                    "km": round2(*km), "cost_kzt": cost_kzt, "estimated": true}
            })),
            Backhaul::None => {}
        }
    }
    out
}

fn collection(features: Vec<Value>, notes: &Value) -> Value {
    json!({
        "type": "FeatureCollection",
        "attribution": OSM_ATTRIBUTION,
        "assumptions": notes,
        "features": features,
    })
}

/// Sites shown: every existing mast and every chosen candidate.
fn shown_sites(cands: &[Candidate], on_air: &[usize]) -> Vec<(usize, bool)> {
    let air: std::collections::BTreeSet<usize> = on_air.iter().copied().collect();
    (0..cands.len())
        .filter(|i| air.contains(i) || matches!(cands[*i].kind, Kind::Existing | Kind::Upgrade))
        .map(|i| (i, air.contains(&i)))
        .collect()
}

/// The road run's `coverage.geojson`.
pub fn road_geojson(
    rc: &RoadCoverage,
    backhaul: &[(usize, Backhaul)],
    graph: Option<&PlanningGraph>,
    notes: &Value,
) -> Value {
    let bh: std::collections::BTreeMap<usize, &Backhaul> =
        backhaul.iter().map(|(i, b)| (*i, b)).collect();
    let mut f: Vec<Value> = shown_sites(&rc.candidates, &rc.on_air)
        .into_iter()
        .map(|(i, air)| site_feature(&rc.candidates[i], air, bh.get(&i).copied()))
        .collect();
    for (k, s) in rc.segments.iter().enumerate() {
        let road = &rc.roads[s.road];
        f.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": s.geometry},
            "properties": {
                "kind": "road", "segment_id": s.id, "class": road.class.as_str(),
                "highway": road.highway, "ref": road.reference,
                "km": s.metres as f64 / 1000.0, "covered": rc.covered[k],
                "best_dbm": rc.best_dbm[k].map(round2),
            }
        }));
    }
    f.extend(backhaul_features(&rc.candidates, backhaul, graph));
    collection(f, notes)
}

/// Certified gap in percent of the lower bound (the convention of every fiberplan gap);
/// 0 for a free cover, `None` when a cover that costs has no positive bound.
pub fn gap_pct(sol: &Solution) -> Option<f64> {
    if sol.cost == 0 {
        return Some(0.0);
    }
    let clamp = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    fiberplan_model::gap_pct(clamp(sol.cost), Some(clamp(sol.lower_bound)))
}

/// The siting figures shared by roads and cities.
pub fn siting_summary(cands: &[Candidate], on_air: &[usize], sol: &Solution) -> Value {
    let new: Vec<&Candidate> = on_air
        .iter()
        .map(|&i| &cands[i])
        .filter(|c| c.kind != Kind::Existing)
        .collect();
    let mut by_type = serde_json::Map::new();
    for c in &new {
        let e = by_type.entry(c.kind.as_str()).or_insert(json!(0));
        *e = json!(e.as_u64().unwrap_or(0) + 1);
    }
    json!({
        "sites_new": new.len(),
        "sites_upgraded": new.iter().filter(|c| c.kind == Kind::Upgrade).count(),
        "sites_existing": cands.iter().filter(|c| c.kind == Kind::Existing).count(),
        "sites_by_type": by_type,
        "candidates": cands.len(),
        "cost_kzt": sol.cost,
        "lower_bound_kzt": sol.lower_bound,
        "gap_pct": gap_pct(sol).map(round2),
        "gap_is": "(cost - lower bound) / lower bound, as the fibre plans' gaps",
        "proven_optimal": sol.proven_optimal,
        "greedy_cost_kzt": sol.greedy_cost,
        "saving_vs_greedy_pct": round2(sol.saving_pct()),
        "cost_is": "sites' own cost (mast, equipment, power); backhaul beside it",
        "estimated": true,
    })
}

/// The road run's `summary.json` figures (the caller adds inputs, radio and timings).
pub fn road_summary(rc: &RoadCoverage, backhaul: &[(usize, Backhaul)], target_share: f64) -> Value {
    let road_m = rc.road_m();
    let covered_m = rc.covered_m();
    let mut v = json!({
        "road_km": road_m as f64 / 1000.0,
        "covered_km": covered_m as f64 / 1000.0,
        "covered_share": if road_m > 0 { covered_m as f64 / road_m as f64 } else { 0.0 },
        "target_share": target_share,
        "target_met": covered_m as f64 >= target_share * road_m as f64 - 1e-9,
        "segments": rc.segments.len(),
        "by_class": rc.by_class().iter().map(|(c, all, cov)| json!({
            "class": c.as_str(), "road_km": *all as f64 / 1000.0, "covered_km": *cov as f64 / 1000.0,
        })).collect::<Vec<_>>(),
    });
    let s = siting_summary(&rc.candidates, &rc.on_air, &rc.solution);
    for (k, x) in s.as_object().expect("an object") {
        v[k] = x.clone();
    }
    v["backhaul"] = backhaul_summary(backhaul);
    v
}

fn backhaul_summary(backhaul: &[(usize, Backhaul)]) -> Value {
    let count = |k: &str| backhaul.iter().filter(|(_, b)| b.kind() == k).count();
    // 0.0 + : an empty float sum is -0.0.
    let fibre_km: f64 = 0.0
        + backhaul
            .iter()
            .map(|(_, b)| match b {
                Backhaul::Fibre { new_m, .. } => new_m / 1000.0,
                _ => 0.0,
            })
            .sum::<f64>();
    json!({
        "cost_kzt": backhaul.iter().map(|(_, b)| b.cost_kzt()).sum::<i64>(),
        "fibre_sites": count("fibre"),
        "microwave_sites": count("microwave"),
        "unconnected_sites": count("none"),
        "new_fibre_km": round2(fibre_km),
        "estimated": true,
    })
}

/// The city run's `coverage.geojson`.
pub fn city_geojson(cc: &CityCoverage, notes: &Value) -> Value {
    let mut f: Vec<Value> = shown_sites(&cc.candidates, &cc.on_air)
        .into_iter()
        .map(|(i, air)| site_feature(&cc.candidates[i], air, None))
        .collect();
    for (k, p) in cc.cells.iter().enumerate() {
        f.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": p},
            "properties": {"kind": "cell", "covered": cc.covered[k], "best_dbm": cc.best_dbm[k].map(round2)}
        }));
    }
    collection(f, notes)
}

/// The city run's `summary.json` figures.
pub fn city_summary(cc: &CityCoverage, target_share: f64) -> Value {
    let n = cc.cells.len();
    let cov = cc.covered.iter().filter(|c| **c).count();
    let mut v = json!({
        "area_km2": round2(cc.area_km2),
        "cells": n,
        "covered_cells": cov,
        "covered_share": if n > 0 { cov as f64 / n as f64 } else { 0.0 },
        "target_share": target_share,
        "target_met": cov as f64 >= target_share * n as f64 - 1e-9,
        "hex_sites": cc.hex_sites,
        "hex_formula": "ceil(target x area / (1.95 R^2)), three-sector sites, R the boresight cell range on flat ground",
        "cell_range_km": (cc.cell_range_km * 1000.0).round() / 1000.0,
    });
    let s = siting_summary(&cc.candidates, &cc.on_air, &cc.solution);
    for (k, x) in s.as_object().expect("an object") {
        v[k] = x.clone();
    }
    v["backhaul"] = json!(
        "not costed for city sites: an urban site is assumed within reach of the city's fibre"
    );
    v
}

/// Write `coverage.geojson` and `summary.json` into `out` together.
pub fn write_coverage_dir(out: &Path, geojson: &Value, summary: &Value) -> std::io::Result<()> {
    let mut dir = AtomicDir::new(out)?;
    let mut g = serde_json::to_string(geojson).map_err(std::io::Error::other)?;
    g.push('\n');
    dir.write("coverage.geojson", g.as_bytes())?;
    let mut s = serde_json::to_string_pretty(summary).map_err(std::io::Error::other)?;
    s.push('\n');
    dir.write("summary.json", s.as_bytes())?;
    dir.commit()
}

/// Write the set-cover instance of a road run (`--export-cover`), atomically.
pub fn write_cover_export(path: &Path, rc: &RoadCoverage) -> std::io::Result<()> {
    let segs: Vec<ExportSegment> = rc
        .segments
        .iter()
        .map(|s| ExportSegment {
            id: s.id.clone(),
            metres: s.metres,
            lon: s.mid[0],
            lat: s.mid[1],
        })
        .collect();
    write_export(path, &rc.candidates, &segs, &rc.sets, rc.target_m)
}

/// The set-cover instance of a city run (`--export-cover`), atomically: each grid cell is a
/// segment of 1 m (0.001 km) named `cell:K`, so `# target_m` is the number of cells to cover.
pub fn write_city_cover_export(path: &Path, cc: &CityCoverage) -> std::io::Result<()> {
    let cells: Vec<ExportSegment> = cc
        .cells
        .iter()
        .enumerate()
        .map(|(k, p)| ExportSegment {
            id: format!("cell:{k}"),
            metres: 1,
            lon: p[0],
            lat: p[1],
        })
        .collect();
    write_export(path, &cc.candidates, &cells, &cc.sets, cc.target_cells)
}

/// One export of either run: its candidates (existing sites free of charge in the cover,
/// so never negative), the segments, who covers which, and the target.
fn write_export(
    path: &Path,
    candidates: &[Candidate],
    segments: &[ExportSegment],
    sets: &[Vec<u32>],
    target: u64,
) -> std::io::Result<()> {
    let cands: Vec<ExportCandidate> = candidates
        .iter()
        .map(|c| ExportCandidate {
            id: c.id.clone(),
            cost_kzt: c.cost_kzt().max(0) as u64,
            new: c.kind != Kind::Existing,
            lon: c.lonlat[0],
            lat: c.lonlat[1],
            height_m: c.height_m,
        })
        .collect();
    let mut buf = Vec::new();
    write_export_with_target(&mut buf, &cands, segments, sets, Some(target))?;
    write_atomic(path, &buf)
}
