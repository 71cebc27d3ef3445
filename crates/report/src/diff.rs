//! What changed between two plans (`fiberplan diff`): villages connected or dropped,
//! villages whose technology or phase changed, and new-fibre stretches added, removed or
//! moved to another phase. Works on two `plan.geojson` values, so any two scenarios' outputs
//! compare, whatever produced them.
//!
//! Routes are compared stretch by stretch, not by id: route ids depend on where a plan's
//! routes branch, so two plans sharing a corridor may number and cut it differently. A
//! stretch is one segment of a route's drawn geometry, keyed by its two ends at the output
//! precision (1e-6 degrees), direction ignored.

use crate::plan_out::ATTRIBUTION;
use crate::plan_schema::{PlanCollection, PlanGeometry};
use crate::spreadsheet_safe::SafeCsv;
use fiberplan_network::geodesy::distance_m;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How a village or stretch changed from plan A to plan B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Connected (or built) in B, not in A.
    Added,
    /// Connected (or built) in A, not in B.
    Removed,
    /// Connected in both, by another technology.
    TechnologyChanged,
    /// Connected (or built) in both, in another phase.
    PhaseChanged,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::TechnologyChanged => "technology_changed",
            Change::PhaseChanged => "phase_changed",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Change::Added => "#1a9641",
            Change::Removed => "#d7191c",
            Change::TechnologyChanged => "#fdae61",
            Change::PhaseChanged => "#2b83ba",
        }
    }
}

/// One changed village.
#[derive(Clone, Debug, PartialEq)]
pub struct VillageChange {
    pub change: Change,
    pub id: String,
    pub name: String,
    pub lonlat: [f64; 2],
    pub households: u64,
    pub technology_a: Option<String>,
    pub technology_b: Option<String>,
    pub phase_a: Option<i64>,
    pub phase_b: Option<i64>,
    pub cost_a_kzt: i64,
    pub cost_b_kzt: i64,
    pub district_kato: Option<String>,
}

/// A run of consecutive changed segments along one route.
#[derive(Clone, Debug, PartialEq)]
pub struct StretchChange {
    pub change: Change,
    /// The route it belongs to: in B for added and phase-changed stretches, in A for removed.
    pub route: String,
    pub geometry: Vec<[f64; 2]>,
    /// Geodesic drawn length, metres.
    pub length_m: f64,
    /// Drawn length times the route's costed/drawn ratio, metres.
    pub costed_length_m: f64,
    pub phase_a: Option<i64>,
    pub phase_b: Option<i64>,
}

/// The whole comparison.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanDiff {
    pub villages: Vec<VillageChange>,
    pub stretches: Vec<StretchChange>,
    pub villages_unchanged: usize,
    pub unchanged_km: f64,
}

type Key = (i64, i64);

fn key(p: [f64; 2]) -> Key {
    ((p[0] * 1e6).round() as i64, (p[1] * 1e6).round() as i64)
}

fn seg_key(a: [f64; 2], b: [f64; 2]) -> (Key, Key) {
    let (ka, kb) = (key(a), key(b));
    if ka <= kb {
        (ka, kb)
    } else {
        (kb, ka)
    }
}

struct Route {
    id: String,
    phase: Option<i64>,
    ratio: f64,
    coords: Vec<[f64; 2]>,
}

/// `phase` as the diff compares it: `None` for 0 (unphased).
fn phase_of(p: u16) -> Option<i64> {
    (p != 0).then_some(p as i64)
}

/// Routes of a plan; every LineString (or MultiLineString part) of a `new_fibre` feature.
fn routes(plan: &PlanCollection) -> Vec<Route> {
    let mut out = Vec::new();
    for (p, g) in plan.routes() {
        let ratio = if p.drawn_length_km > 0.0 {
            p.length_km / p.drawn_length_km
        } else {
            1.0
        };
        let lines: Vec<Vec<[f64; 2]>> = match g {
            PlanGeometry::LineString { coordinates } => vec![coordinates.clone()],
            PlanGeometry::MultiLineString { coordinates } => coordinates.clone(),
            PlanGeometry::Point { .. } => Vec::new(),
        };
        for coords in lines {
            out.push(Route {
                id: p.id.clone(),
                phase: phase_of(p.phase),
                ratio,
                coords,
            });
        }
    }
    out
}

struct V {
    name: String,
    lonlat: [f64; 2],
    households: u64,
    technology: Option<String>,
    phase: Option<i64>,
    cost: i64,
    district: Option<String>,
}

fn villages(plan: &PlanCollection) -> BTreeMap<String, V> {
    plan.villages()
        .map(|(p, lonlat)| {
            let v = V {
                name: p.name.clone(),
                lonlat,
                households: p.households,
                phase: phase_of(p.phase),
                cost: p.cost_kzt,
                district: p.district.district_kato.clone(),
                technology: Some(p.technology.clone()).filter(|t| t != "none"),
            };
            (p.id.clone(), v)
        })
        .collect()
}

/// Compare plan A with plan B (both `plan.geojson`).
pub fn diff_plans(a: &PlanCollection, b: &PlanCollection) -> PlanDiff {
    let mut d = PlanDiff::default();
    let (va, vb) = (villages(a), villages(b));
    let ids: BTreeSet<&String> = va.keys().chain(vb.keys()).collect();
    for id in ids {
        let (x, y) = (va.get(id), vb.get(id));
        let ta = x.and_then(|v| v.technology.clone());
        let tb = y.and_then(|v| v.technology.clone());
        let (pa, pb) = (x.and_then(|v| v.phase), y.and_then(|v| v.phase));
        let change = match (&ta, &tb) {
            (None, Some(_)) => Some(Change::Added),
            (Some(_), None) => Some(Change::Removed),
            (Some(s), Some(t)) if s != t => Some(Change::TechnologyChanged),
            (Some(_), Some(_)) if pa != pb => Some(Change::PhaseChanged),
            _ => None,
        };
        let Some(change) = change else {
            d.villages_unchanged += 1;
            continue;
        };
        let v = y.or(x).expect("in one of the plans");
        d.villages.push(VillageChange {
            change,
            id: id.clone(),
            name: v.name.clone(),
            lonlat: v.lonlat,
            households: v.households,
            technology_a: ta,
            technology_b: tb,
            phase_a: pa,
            phase_b: pb,
            cost_a_kzt: x.map(|v| v.cost).unwrap_or(0),
            cost_b_kzt: y.map(|v| v.cost).unwrap_or(0),
            district_kato: v.district.clone(),
        });
    }

    let (ra, rb) = (routes(a), routes(b));
    let phases = |rs: &[Route]| {
        let mut m: BTreeMap<(Key, Key), Option<i64>> = BTreeMap::new();
        for r in rs {
            for w in r.coords.windows(2) {
                m.insert(seg_key(w[0], w[1]), r.phase);
            }
        }
        m
    };
    let (sa, sb) = (phases(&ra), phases(&rb));
    // Runs of consecutive segments with the same change along one route; returns the
    // unchanged metres.
    let mut runs = |rs: &[Route], classify: &dyn Fn((Key, Key), Option<i64>) -> Option<Change>| {
        let mut unchanged_m = 0.0;
        for r in rs {
            let mut cur: Option<StretchChange> = None;
            for w in r.coords.windows(2) {
                let k = seg_key(w[0], w[1]);
                let len = distance_m(w[0], w[1]);
                let c = classify(k, r.phase);
                if c.is_none() {
                    unchanged_m += len;
                }
                match (&mut cur, c) {
                    (Some(s), Some(c)) if s.change == c => {
                        s.geometry.push(w[1]);
                        s.length_m += len;
                        s.costed_length_m += len * r.ratio;
                    }
                    (_, c) => {
                        if let Some(s) = cur.take() {
                            d.stretches.push(s);
                        }
                        cur = c.map(|c| StretchChange {
                            change: c,
                            route: r.id.clone(),
                            geometry: vec![w[0], w[1]],
                            length_m: len,
                            costed_length_m: len * r.ratio,
                            phase_a: sa.get(&k).copied().flatten(),
                            phase_b: sb.get(&k).copied().flatten(),
                        });
                    }
                }
            }
            if let Some(s) = cur.take() {
                d.stretches.push(s);
            }
        }
        unchanged_m
    };
    let unchanged_b = runs(&rb, &|k, phase| match sa.get(&k) {
        None => Some(Change::Added),
        Some(pa) if *pa != phase => Some(Change::PhaseChanged),
        Some(_) => None,
    });
    runs(&ra, &|k, _| {
        (!sb.contains_key(&k)).then_some(Change::Removed)
    });
    d.unchanged_km = unchanged_b / 1000.0;
    d
}

fn r3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl PlanDiff {
    /// Drawn km of stretches with this change.
    pub fn km(&self, c: Change) -> f64 {
        0.0 + self
            .stretches
            .iter()
            .filter(|s| s.change == c)
            .map(|s| s.length_m)
            .sum::<f64>()
            / 1000.0
    }

    /// Costed km of stretches with this change.
    pub fn costed_km(&self, c: Change) -> f64 {
        0.0 + self
            .stretches
            .iter()
            .filter(|s| s.change == c)
            .map(|s| s.costed_length_m)
            .sum::<f64>()
            / 1000.0
    }

    /// `diff.geojson`: changed villages (Points) and stretches (LineStrings) with `change`,
    /// both plans' values and simplestyle colours.
    pub fn geojson(&self) -> String {
        let mut feats = Vec::new();
        for s in &self.stretches {
            feats.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": s.geometry.iter().map(|p| json!([r6(p[0]), r6(p[1])])).collect::<Vec<_>>()},
                "properties": {
                    "kind": "new_fibre", "change": s.change.as_str(), "route": s.route,
                    "drawn_length_km": r3(s.length_m / 1000.0), "length_km": r3(s.costed_length_m / 1000.0),
                    "phase_a": s.phase_a, "phase_b": s.phase_b,
                    "title": format!("{} {} ({:.2} km)", s.change.as_str(), s.route, s.costed_length_m / 1000.0),
                    "stroke": s.change.colour(), "stroke-width": 4,
                }
            }));
        }
        for v in &self.villages {
            feats.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r6(v.lonlat[0]), r6(v.lonlat[1])]},
                "properties": {
                    "kind": "village", "change": v.change.as_str(), "id": v.id, "name": v.name,
                    "households": v.households,
                    "technology_a": v.technology_a.as_deref().unwrap_or("none"),
                    "technology_b": v.technology_b.as_deref().unwrap_or("none"),
                    "phase_a": v.phase_a, "phase_b": v.phase_b,
                    "cost_a_kzt": v.cost_a_kzt, "cost_b_kzt": v.cost_b_kzt,
                    "district_kato": v.district_kato,
                    "title": if v.name.is_empty() { v.id.clone() } else { v.name.clone() },
                    "description": format!("{}: {} -> {}", v.change.as_str(),
                        v.technology_a.as_deref().unwrap_or("none"), v.technology_b.as_deref().unwrap_or("none")),
                    "marker-color": v.change.colour(),
                }
            }));
        }
        let fc =
            json!({"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": feats});
        serde_json::to_string(&fc).expect("JSON") + "\n"
    }

    /// `diff.csv`: one row per changed village and stretch.
    pub fn csv(&self) -> String {
        let mut w = SafeCsv::new();
        w.write_record([
            "kind",
            "change",
            "id",
            "name",
            "technology_a",
            "technology_b",
            "phase_a",
            "phase_b",
            "households",
            "cost_a_kzt",
            "cost_b_kzt",
            "length_km",
            "drawn_length_km",
            "district_kato",
        ]);
        let opt = |p: Option<i64>| p.map(|p| p.to_string()).unwrap_or_default();
        for v in &self.villages {
            w.write_record([
                "village".to_string(),
                v.change.as_str().to_string(),
                v.id.clone(),
                v.name.clone(),
                v.technology_a.clone().unwrap_or_else(|| "none".into()),
                v.technology_b.clone().unwrap_or_else(|| "none".into()),
                opt(v.phase_a),
                opt(v.phase_b),
                v.households.to_string(),
                v.cost_a_kzt.to_string(),
                v.cost_b_kzt.to_string(),
                String::new(),
                String::new(),
                v.district_kato.clone().unwrap_or_default(),
            ]);
        }
        for s in &self.stretches {
            w.write_record([
                "new_fibre".to_string(),
                s.change.as_str().to_string(),
                s.route.clone(),
                String::new(),
                "fibre".into(),
                "fibre".into(),
                opt(s.phase_a),
                opt(s.phase_b),
                String::new(),
                String::new(),
                String::new(),
                format!("{}", r3(s.costed_length_m / 1000.0)),
                format!("{}", r3(s.length_m / 1000.0)),
                String::new(),
            ]);
        }
        w.into_string()
    }

    /// `summary.json`: counts and kilometres per change, households and village cost deltas;
    /// with both plans' `summary.json` (`totals_a`, `totals_b`), their headline figures side
    /// by side ([`totals_delta`]).
    pub fn summary_json(
        &self,
        a_label: &str,
        b_label: &str,
        totals_a: Option<&Value>,
        totals_b: Option<&Value>,
    ) -> String {
        let mut villages = Map::new();
        let mut households = Map::new();
        for c in [
            Change::Added,
            Change::Removed,
            Change::TechnologyChanged,
            Change::PhaseChanged,
        ] {
            let vs = self.villages.iter().filter(|v| v.change == c);
            villages.insert(c.as_str().into(), json!(vs.clone().count()));
            households.insert(
                c.as_str().into(),
                json!(vs.map(|v| v.households).sum::<u64>()),
            );
        }
        let v = json!({
            "plan_a": a_label,
            "plan_b": b_label,
            "villages": villages,
            "households": households,
            "villages_unchanged": self.villages_unchanged,
            "new_fibre_km": {
                "added": r3(self.costed_km(Change::Added)),
                "removed": r3(self.costed_km(Change::Removed)),
                "phase_changed": r3(self.costed_km(Change::PhaseChanged)),
            },
            "drawn_km": {
                "added": r3(self.km(Change::Added)),
                "removed": r3(self.km(Change::Removed)),
                "phase_changed": r3(self.km(Change::PhaseChanged)),
                "unchanged": r3(self.unchanged_km),
            },
            "village_cost_delta_kzt": self.villages.iter().map(|v| v.cost_b_kzt - v.cost_a_kzt).sum::<i64>(),
            "totals": match (totals_a, totals_b) {
                (Some(a), Some(b)) => totals_delta(a, b),
                _ => Value::Null,
            },
            "attribution": ATTRIBUTION,
        });
        serde_json::to_string_pretty(&v).expect("JSON") + "\n"
    }
}

/// Headline figures of two plans' `summary.json`, as `{"key": {"a", "b", "delta"}}`: whole
/// numbers exactly, kilometres to the metre. Keys missing from either summary are left out.
pub fn totals_delta(a: &Value, b: &Value) -> Value {
    let mut m = Map::new();
    for k in [
        "cost_total_kzt",
        "households_fibre",
        "villages_fibre",
        "households_fwa",
        "households_satellite",
        "new_fibre_km",
    ] {
        let (x, y) = (&a[k], &b[k]);
        let v = match (x.as_i64(), y.as_i64(), x.as_f64(), y.as_f64()) {
            (Some(x), Some(y), _, _) => json!({"a": x, "b": y, "delta": y - x}),
            (_, _, Some(x), Some(y)) => json!({"a": x, "b": y, "delta": r3(y - x)}),
            _ => continue,
        };
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(
        villages: &[(&str, &str, Option<i64>)],
        routes: &[(&str, &[[f64; 2]])],
    ) -> PlanCollection {
        use crate::plan_schema::*;
        let mut features = Vec::new();
        for (id, tech, phase) in villages {
            let props = VillageProps {
                id: id.to_string(),
                name: String::new(),
                name_kk: String::new(),
                name_ru: String::new(),
                place: "village".into(),
                households: 10,
                population: 35,
                population_imputed: false,
                households_imputed: false,
                settlement_kato: String::new(),
                rural_okrug: String::new(),
                technology: tech.to_string(),
                assumed_served: false,
                existing_fibre_basis: None,
                unreachable: false,
                cost_kzt: 5,
                phase: phase.unwrap_or(0) as u16,
                fibre_marginal_kzt_per_household: None,
                alternative: None,
                alternative_kzt_per_household: None,
                district: DistrictProps::default(),
                title: String::new(),
                description: String::new(),
                marker_color: String::new(),
                marker_size: String::new(),
            };
            features.push(PlanFeature {
                kind: "Feature".into(),
                geometry: PlanGeometry::Point {
                    coordinates: [0.0, 0.0],
                },
                properties: PlanProps::Village(props),
            });
        }
        for (id, c) in routes {
            let props = RouteProps {
                id: id.to_string(),
                technology: "fibre".into(),
                length_km: 2.0,
                phase: 0,
                drawn_length_km: 1.0,
                cost_kzt: 0,
                corridor_type: String::new(),
                road_classes: String::new(),
                road_names: String::new(),
                osm_way_ids: Vec::new(),
                bridges: 0,
                tunnels: 0,
                railway_crossings: 0,
                district: DistrictProps::default(),
                title: String::new(),
                description: String::new(),
                stroke: String::new(),
                stroke_width: 3,
            };
            features.push(PlanFeature {
                kind: "Feature".into(),
                geometry: PlanGeometry::LineString {
                    coordinates: c.to_vec(),
                },
                properties: PlanProps::NewFibre(props),
            });
        }
        PlanCollection {
            kind: "FeatureCollection".into(),
            attribution: String::new(),
            backbone: String::new(),
            features,
        }
    }

    #[test]
    fn classifies_villages_and_stretches() {
        let a = plan(
            &[
                ("x", "fibre", None),
                ("y", "fibre", None),
                ("z", "none", None),
                ("w", "fibre", Some(2026)),
            ],
            &[("route-1", &[[0.0, 0.0], [0.01, 0.0], [0.02, 0.0]])],
        );
        let b = plan(
            &[
                ("x", "fibre", None),
                ("y", "fwa", None),
                ("z", "fibre", None),
                ("w", "fibre", Some(2027)),
            ],
            // Same first segment drawn the other way, the second replaced.
            &[
                ("route-9", &[[0.01, 0.0], [0.0, 0.0]]),
                ("route-3", &[[0.01, 0.0], [0.01, 0.01]]),
            ],
        );
        let d = diff_plans(&a, &b);
        let ch: Vec<(&str, Change)> = d
            .villages
            .iter()
            .map(|v| (v.id.as_str(), v.change))
            .collect();
        assert_eq!(
            ch,
            vec![
                ("w", Change::PhaseChanged),
                ("y", Change::TechnologyChanged),
                ("z", Change::Added)
            ]
        );
        assert_eq!(d.villages_unchanged, 1);
        assert_eq!(d.stretches.len(), 2);
        assert_eq!(d.stretches[0].change, Change::Added);
        assert_eq!(d.stretches[0].route, "route-3");
        assert_eq!(d.stretches[1].change, Change::Removed);
        assert_eq!(d.stretches[1].geometry, vec![[0.01, 0.0], [0.02, 0.0]]);
        // 0.01 degrees of latitude at the equator: 1,105.74 m; costed x2 by the route's ratio.
        assert!(
            (d.km(Change::Added) - 1.10574).abs() < 1e-5,
            "{}",
            d.km(Change::Added)
        );
        assert!((d.costed_km(Change::Added) - 2.0 * d.km(Change::Added)).abs() < 1e-9);
        assert!(
            (d.unchanged_km - 1.11319).abs() < 1e-5,
            "{}",
            d.unchanged_km
        );
        assert_eq!(diff_plans(&a, &a).villages.len(), 0);
        assert_eq!(diff_plans(&a, &a).stretches.len(), 0);
    }

    #[test]
    fn totals_side_by_side() {
        let t = totals_delta(
            &json!({"cost_total_kzt": 4_791_772, "new_fibre_km": 4.332, "households_fibre": 160}),
            &json!({"cost_total_kzt": 2_894_306, "new_fibre_km": 2.894}),
        );
        assert_eq!(
            t,
            json!({"cost_total_kzt": {"a": 4_791_772, "b": 2_894_306, "delta": -1_897_466},
                   "new_fibre_km": {"a": 4.332, "b": 2.894, "delta": -1.438}})
        );
    }
}
