//! The plan's files: `plan.geojson`, `villages.csv`, `summary.json`.

use crate::i18n::Lang;
use crate::plan_schema::{
    phase_value, DistrictProps, PlanCollection, PlanFeature, PlanGeometry, PlanProps, PopProps,
    RouteProps, VillageProps,
};
use crate::spreadsheet_safe::SafeCsv;
use fiberplan_model::{Backbone, District, LonLat, Scenario, Village};
use fiberplan_network::PlanningGraph;
use fiberplan_plan::Plan;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Attribution carried by every output that shows OSM-derived data.
pub const ATTRIBUTION: &str =
    "Settlements, railway stations and roads (c) OpenStreetMap contributors, ODbL 1.0; \
district and oblast boundaries: geokz (arodionoff/geokz), CC BY 4.0";

/// What the writers need besides the plan.
pub struct PlanContext<'a> {
    pub villages: &'a [Village],
    pub districts: &'a [District],
    pub backbone: &'a Backbone,
    pub graph: &'a PlanningGraph,
    pub plan: &'a Plan,
    /// Facts about the inputs, repeated in `summary.json` (`inputs` member).
    pub inputs: Value,
    /// Mobile coverage of the plan's roads (`coverage.geojson`), when it was planned:
    /// district packages and `plan.html` show its sites and roads.
    pub mobile: Option<&'a Value>,
    /// The scenario the plan answers: the reports name its price scales when they are not 1.
    pub scenario: &'a Scenario,
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub(crate) fn r3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn rpos(p: LonLat) -> [f64; 2] {
    [r6(p[0]), r6(p[1])]
}

fn district_of(districts: &[District], d: Option<usize>) -> DistrictProps {
    let d = d.and_then(|i| districts.get(i));
    let s = |f: fn(&District) -> &String| d.map(|d| f(d).clone());
    DistrictProps {
        district_kato: s(|d| &d.kato),
        district_en: s(|d| &d.name_en),
        district_kk: s(|d| &d.name_kk),
        district_ru: s(|d| &d.name_ru),
        oblast_en: s(|d| &d.oblast_en),
    }
}

fn per_household(x: Option<i64>, households: u64) -> String {
    match x {
        Some(x) if households > 0 => (x / households as i64).to_string(),
        _ => String::new(),
    }
}

/// Marker colour by technology.
pub fn technology_colour(t: fiberplan_plan::Technology) -> &'static str {
    match t {
        fiberplan_plan::Technology::Fibre => VILLAGE_FIBRE,
        fiberplan_plan::Technology::Fwa => "#fdae61",
        fiberplan_plan::Technology::Satellite => "#abd9e9",
        fiberplan_plan::Technology::ExistingFibre => VILLAGE_EXISTING,
        fiberplan_plan::Technology::None => VILLAGE_NONE,
    }
}

/// The one palette of every map (GeoJSON's simplestyle properties for geojson.io and
/// GitHub's viewer, plan.html, report.html, KMZ): new fibre routes.
pub const ROUTE_COLOUR: &str = "#d7191c";
/// Points of presence (existing network).
pub const POP_COLOUR: &str = "#2b83ba";
const VILLAGE_FIBRE: &str = "#1a9641";
const VILLAGE_NONE: &str = "#7f7f7f";
const VILLAGE_EXISTING: &str = "#5e3c99";

impl PlanContext<'_> {
    /// The kinds of corridor a route runs along (`road`, `proxy`, ...), sorted, each once.
    pub(crate) fn route_kinds(&self, r: &fiberplan_plan::Route) -> Vec<&'static str> {
        let mut kinds: Vec<&str> = r
            .corridors
            .iter()
            .map(|&c| self.graph.corridors[c as usize].kind.as_str())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// `summary.json`'s `existing_fibre`: the villages taken to have fibre already, by
    /// what says so (the rule is in the backbone's description).
    pub fn existing_fibre_json(&self) -> Value {
        self.existing_fibre_json_of(self.villages.iter())
    }

    /// [`Self::existing_fibre_json`] over some of the villages (a district's).
    pub fn existing_fibre_json_of<'v>(
        &self,
        villages: impl Iterator<Item = &'v Village> + Clone,
    ) -> Value {
        let mut by: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for v in villages.clone() {
            if let Some(b) = v.existing_fibre {
                let e = by.entry(b.as_str()).or_default();
                e.0 += 1;
                e.1 += v.households;
            }
        }
        let by_basis: serde_json::Map<String, Value> = by
            .iter()
            .map(|(k, (n, h))| (k.to_string(), json!({"villages": n, "households": h})))
            .collect();
        json!({
            "villages": by.values().map(|e| e.0).sum::<usize>(),
            "households": by.values().map(|e| e.1).sum::<u64>(),
            "assumed_by_proxy": villages.clone().any(|v| v.existing_fibre.is_some_and(|b| b.is_assumed())),
            "by_basis": by_basis,
            "rule": self.backbone.description,
        })
    }

    /// The existing network in `lang`'s words for reports and the map: the declared proxy's
    /// note, or the user's file, and the existing-fibre proxy's note when it applies (the
    /// full description stays in `summary.json`).
    pub fn backbone_note(&self, lang: Lang) -> String {
        let l = lang.labels();
        let d = &self.backbone.description;
        let mut note = if self.backbone.is_proxy {
            l.proxy_note.to_string()
        } else if let Some(path) = d.strip_prefix("user backbone from ") {
            let path = path.split("; plus ").next().unwrap_or(path);
            format!("{} {path}", l.backbone_from)
        } else {
            d.split("; plus ").next().unwrap_or(d).to_string()
        };
        if self
            .villages
            .iter()
            .any(|v| v.existing_fibre.is_some_and(|b| b.is_assumed()))
        {
            note = format!("{note} {}", l.fibre_proxy_note);
        }
        note
    }

    /// `plan.geojson`: an RFC 7946 FeatureCollection, 6 decimals, no `crs`; its schema is
    /// [`crate::plan_schema`].
    pub fn geojson(&self, lang: Lang) -> String {
        let mut s =
            serde_json::to_string(&self.plan_collection(lang)).expect("plan features serialise");
        s.push('\n');
        s
    }

    /// The features of `plan.geojson`: routes, then villages, then points of presence;
    /// titles and descriptions in `lang`.
    pub fn plan_collection(&self, lang: Lang) -> PlanCollection {
        let l = lang.labels();
        let mut features = Vec::new();
        let p = self.plan;
        let feature = |geometry, properties| PlanFeature {
            kind: "Feature".into(),
            geometry,
            properties,
        };
        for (i, r) in p.routes.iter().enumerate() {
            let kinds = self.route_kinds(r);
            let mut classes: Vec<&str> = Vec::new();
            let mut names: Vec<&str> = Vec::new();
            let mut ways: Vec<i64> = Vec::new();
            let (mut bridges, mut tunnels, mut rail) = (0, 0, 0);
            for &c in &r.corridors {
                let cor = &self.graph.corridors[c as usize];
                let class = self.graph.class(cor);
                if !class.is_empty() && !classes.contains(&class) {
                    classes.push(class);
                }
                for n in self.graph.names(cor) {
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                for w in self.graph.osm_ways(cor) {
                    if ways.last() != Some(w) {
                        ways.push(*w);
                    }
                }
                bridges += cor.bridges;
                tunnels += cor.tunnels;
                rail += cor.railway_crossings;
            }
            let props = RouteProps {
                id: format!("route-{}", i + 1),
                technology: "fibre".into(),
                length_km: r3(r.costed_length_m / 1000.0),
                phase: phase_value(r.phase),
                drawn_length_km: r3(r.length_m / 1000.0),
                cost_kzt: r.cost_kzt,
                corridor_type: kinds.join(","),
                road_classes: classes.join(","),
                road_names: names.join("; "),
                osm_way_ids: ways,
                bridges,
                tunnels,
                railway_crossings: rail,
                district: district_of(self.districts, r.district),
                title: format!(
                    "{} {} ({} {})",
                    l.route_one,
                    i + 1,
                    crate::report_html::km(lang, r.costed_length_m / 1000.0),
                    if lang == Lang::En { "km" } else { "км" }
                ),
                description: format!("{} KZT", r.cost_kzt),
                stroke: ROUTE_COLOUR.into(),
                stroke_width: 3,
            };
            let coordinates = r.geometry.iter().map(|q| rpos(*q)).collect();
            features.push(feature(
                PlanGeometry::line(coordinates),
                PlanProps::NewFibre(props),
            ));
        }
        for (i, v) in self.villages.iter().enumerate() {
            let vp = &p.villages[i];
            let per_hh = |x: i64| (v.households > 0).then(|| x / v.households as i64);
            let props = VillageProps {
                id: v.id.clone(),
                name: v.name.clone(),
                name_kk: v.name_kk.clone(),
                name_ru: v.name_ru.clone(),
                place: v.place.clone(),
                households: v.households,
                population: v.population,
                population_imputed: v.population_imputed,
                households_imputed: v.population_imputed,
                settlement_kato: v.kato.clone(),
                rural_okrug: v.rural_okrug.clone(),
                technology: vp.technology.as_str().into(),
                assumed_served: v.existing_fibre.is_some(),
                existing_fibre_basis: v.existing_fibre.map(|b| b.as_str().to_string()),
                unreachable: vp.unreachable,
                cost_kzt: vp.cost_kzt,
                phase: phase_value(vp.phase),
                fibre_marginal_kzt_per_household: vp.fibre_marginal_kzt.and_then(per_hh),
                alternative: vp.alternative.map(|(t, _)| t.as_str().to_string()),
                alternative_kzt_per_household: vp.alternative.and_then(|(_, c)| per_hh(c)),
                district: district_of(self.districts, v.district),
                title: lang.village_name(v),
                description: format!(
                    "{}: {}{}; {}",
                    l.households,
                    v.households,
                    if v.population_imputed {
                        format!(" ({})", l.estimate)
                    } else {
                        String::new()
                    },
                    l.technology_name(vp.technology.as_str())
                ),
                marker_color: technology_colour(vp.technology).into(),
                marker_size: if v.households >= 500 {
                    "large"
                } else if v.households >= 100 {
                    "medium"
                } else {
                    "small"
                }
                .into(),
            };
            features.push(feature(
                PlanGeometry::Point {
                    coordinates: rpos(v.lonlat),
                },
                PlanProps::Village(props),
            ));
        }
        for u in &p.pops {
            let (id, name, source) = match u.pop.map(|j| &self.backbone.pops[j]) {
                Some(pop) => (
                    pop.id.clone(),
                    pop.name.clone(),
                    serde_json::to_value(pop.source)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                ),
                None => (
                    format!("joint/{}", u.node),
                    String::new(),
                    "line_joint".into(),
                ),
            };
            let props = PopProps {
                id,
                name,
                source,
                proxy: self.backbone.is_proxy,
                title: l.pop_one.into(),
                marker_color: POP_COLOUR.into(),
                marker_symbol: "telephone".into(),
            };
            features.push(feature(
                PlanGeometry::Point {
                    coordinates: rpos(u.lonlat),
                },
                PlanProps::Pop(props),
            ));
        }
        PlanCollection {
            kind: "FeatureCollection".into(),
            attribution: ATTRIBUTION.into(),
            backbone: self.backbone.description.clone(),
            features,
        }
    }

    /// `villages.csv`: one row per input village, the same properties as the GeoJSON.
    pub fn villages_csv(&self) -> String {
        let mut w = SafeCsv::new();
        let header = [
            "id",
            "name",
            "name_kk",
            "name_ru",
            "lon",
            "lat",
            "place",
            "households",
            "population",
            "population_imputed",
            "households_imputed",
            "settlement_kato",
            "rural_okrug",
            "technology",
            "assumed_served",
            "existing_fibre_basis",
            "unreachable",
            "cost_kzt",
            "phase",
            "fibre_marginal_kzt_per_household",
            "alternative",
            "alternative_kzt_per_household",
            "district_kato",
            "district_en",
            "district_kk",
            "district_ru",
            "oblast_en",
        ];
        w.write_record(header);
        for (i, v) in self.villages.iter().enumerate() {
            let vp = &self.plan.villages[i];
            let d = v.district.and_then(|i| self.districts.get(i));
            let ds = |f: fn(&District) -> &String| d.map(|d| f(d).clone()).unwrap_or_default();
            w.write_record([
                v.id.clone(),
                v.name.clone(),
                v.name_kk.clone(),
                v.name_ru.clone(),
                format!("{}", r6(v.lonlat[0])),
                format!("{}", r6(v.lonlat[1])),
                v.place.clone(),
                v.households.to_string(),
                v.population.to_string(),
                v.population_imputed.to_string(),
                v.population_imputed.to_string(),
                v.kato.clone(),
                v.rural_okrug.clone(),
                vp.technology.as_str().to_string(),
                v.existing_fibre.is_some().to_string(),
                v.existing_fibre
                    .map(|b| b.as_str().to_string())
                    .unwrap_or_default(),
                vp.unreachable.to_string(),
                vp.cost_kzt.to_string(),
                phase_value(vp.phase).to_string(),
                per_household(vp.fibre_marginal_kzt, v.households),
                vp.alternative
                    .map(|(t, _)| t.as_str().to_string())
                    .unwrap_or_default(),
                per_household(vp.alternative.map(|a| a.1), v.households),
                ds(|d| &d.kato),
                ds(|d| &d.name_en),
                ds(|d| &d.name_kk),
                ds(|d| &d.name_ru),
                ds(|d| &d.oblast_en),
            ]);
        }
        w.into_string()
    }

    /// `summary.json`: totals, cost breakdown, solver facts, inputs, attribution.
    pub fn summary_json(&self) -> String {
        let s = &self.plan.summary;
        let gap = s.gap_pct().map(r3);
        let o = &s.objective;
        let by_oblast: Vec<Value> = self
            .totals()
            .by_oblast
            .iter()
            .map(|(name, t)| {
                let mut v = t.json();
                v["oblast_en"] = json!(name);
                v
            })
            .collect();
        let v = json!({
            "mode": o.mode().as_str(),
            "target_households": o.target_households(),
            "budget_kzt": o.budget_kzt(),
            "coverage_target": o.coverage_share(),
            "households_fibre": s.households_fibre,
            "villages_fibre": s.villages_fibre,
            "population_fibre": s.population_fibre,
            "new_fibre_km": r3(s.new_fibre_km),
            "cost_total_kzt": s.cost_total_kzt,
            "cost_breakdown_kzt": {
                "corridor": s.cost_corridor_kzt,
                "village_equipment": s.cost_equipment_kzt,
                "household_connection": s.cost_households_kzt,
                "fwa": s.cost_fwa_kzt,
                "satellite": s.cost_satellite_kzt,
            },
            "cost_fibre_kzt": s.cost_fibre_kzt(),
            "target_met": s.target_met(),
            "villages_fwa": s.villages_fwa,
            "households_fwa": s.households_fwa,
            "villages_satellite": s.villages_satellite,
            "households_satellite": s.households_satellite,
            "villages_existing_fibre": s.villages_existing_fibre,
            "households_existing_fibre": s.households_existing_fibre,
            "existing_fibre": self.existing_fibre_json(),
            "coverage_share": (s.coverage_share * 1e6).round() / 1e6,
            "phases": s.phases.iter().map(|(y, k)| json!({"year": y, "spent_kzt": k})).collect::<Vec<_>>(),
            "villages_unphased": s.villages_unphased,
            "villages_total": s.villages_total,
            "households_total": s.households_total,
            "population_total": s.population_total,
            "villages_unreachable": s.villages_unreachable,
            "routes": s.routes,
            "by_oblast": by_oblast,
            "pops_used": s.pops_used,
            "solver": s.solver,
            "objective": s.solver_objective,
            "objective_units": if o.mode() == fiberplan_model::Mode::LeastCost {
                "corridor cost in KZT plus the prizes of the villages left out (what fibre \
                 would save there against the cheapest alternative, in corridor tenge): the \
                 prize-collecting objective"
            } else {
                "corridor cost in KZT, as in --export-stp"
            },
            "lower_bound": s.lower_bound,
            "gap_pct": gap,
            "optimal": s.proven_optimal(),
            "solver_cut_short": s.solver_cut_short,
            "backbone": self.backbone.description,
            "backbone_is_proxy": self.backbone.is_proxy,
            "inputs": self.inputs,
            "attribution": ATTRIBUTION,
        });
        let mut out = serde_json::to_string_pretty(&v).expect("JSON values serialise");
        out.push('\n');
        out
    }
}
