//! The plan's files: `plan.geojson`, `villages.csv`, `summary.json`.

use fiberplan_model::{Backbone, District, LonLat, Village};
use fiberplan_network::PlanningGraph;
use fiberplan_plan::Plan;
use serde_json::{json, Map, Value};

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
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn r3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn pos(p: LonLat) -> Value {
    json!([r6(p[0]), r6(p[1])])
}

fn district_props(m: &mut Map<String, Value>, districts: &[District], d: Option<usize>) {
    let d = d.and_then(|i| districts.get(i));
    let s = |f: fn(&District) -> &String| {
        d.map(|d| Value::String(f(d).clone()))
            .unwrap_or(Value::Null)
    };
    m.insert("district_kato".into(), s(|d| &d.kato));
    m.insert("district_en".into(), s(|d| &d.name_en));
    m.insert("district_kk".into(), s(|d| &d.name_kk));
    m.insert("district_ru".into(), s(|d| &d.name_ru));
    m.insert("oblast_en".into(), s(|d| &d.oblast_en));
}

/// Why a village got its technology: fibre's marginal lifecycle cost per household against
/// the cheapest alternative's.
fn why_props(m: &mut Map<String, Value>, v: &Village, vp: &fiberplan_plan::VillagePlan) {
    let per_hh = |x: i64| {
        if v.households > 0 {
            json!(x / v.households as i64)
        } else {
            Value::Null
        }
    };
    m.insert(
        "fibre_marginal_kzt_per_household".into(),
        vp.fibre_marginal_kzt.map_or(Value::Null, per_hh),
    );
    m.insert(
        "alternative".into(),
        vp.alternative
            .map_or(Value::Null, |(t, _)| json!(t.as_str())),
    );
    m.insert(
        "alternative_kzt_per_household".into(),
        vp.alternative.map_or(Value::Null, |(_, c)| per_hh(c)),
    );
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
        fiberplan_plan::Technology::None => VILLAGE_NONE,
    }
}

fn feature(geometry: Value, props: Map<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": Value::Object(props)})
}

/// Colours of the simplestyle properties (geojson.io, GitHub's viewer).
const FIBRE_STROKE: &str = "#d7191c";
const VILLAGE_FIBRE: &str = "#1a9641";
const VILLAGE_NONE: &str = "#7f7f7f";
const POP_COLOUR: &str = "#2b83ba";

impl PlanContext<'_> {
    /// `plan.geojson`: an RFC 7946 FeatureCollection, 6 decimals, no `crs`.
    pub fn geojson(&self) -> String {
        let mut features = Vec::new();
        let p = self.plan;
        for (i, r) in p.routes.iter().enumerate() {
            let mut m = Map::new();
            m.insert("kind".into(), json!("new_fibre"));
            m.insert("id".into(), json!(format!("route-{}", i + 1)));
            m.insert("technology".into(), json!("fibre"));
            m.insert("length_km".into(), json!(r3(r.costed_length_m / 1000.0)));
            m.insert("phase".into(), json!(r.phase));
            m.insert("drawn_length_km".into(), json!(r3(r.length_m / 1000.0)));
            m.insert("cost_kzt".into(), json!(r.cost_kzt));
            let mut kinds: Vec<&str> = r
                .corridors
                .iter()
                .map(|&c| self.graph.corridors[c as usize].kind.as_str())
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            m.insert("corridor_type".into(), json!(kinds.join(",")));
            let mut classes: Vec<&str> = Vec::new();
            let mut names: Vec<&str> = Vec::new();
            let mut ways: Vec<i64> = Vec::new();
            let (mut bridges, mut tunnels, mut rail) = (0, 0, 0);
            for &c in &r.corridors {
                let cor = &self.graph.corridors[c as usize];
                if !cor.class.is_empty() && !classes.contains(&cor.class.as_str()) {
                    classes.push(&cor.class);
                }
                for n in &cor.names {
                    if !names.contains(&n.as_str()) {
                        names.push(n);
                    }
                }
                for w in &cor.osm_ways {
                    if ways.last() != Some(w) {
                        ways.push(*w);
                    }
                }
                bridges += cor.bridges;
                tunnels += cor.tunnels;
                rail += cor.railway_crossings;
            }
            m.insert("road_classes".into(), json!(classes.join(",")));
            m.insert("road_names".into(), json!(names.join("; ")));
            m.insert("osm_way_ids".into(), json!(ways));
            m.insert("bridges".into(), json!(bridges));
            m.insert("tunnels".into(), json!(tunnels));
            m.insert("railway_crossings".into(), json!(rail));
            district_props(&mut m, self.districts, r.district);
            m.insert(
                "title".into(),
                json!(format!(
                    "New fibre route-{} ({:.1} km)",
                    i + 1,
                    r.costed_length_m / 1000.0
                )),
            );
            m.insert("description".into(), json!(format!("{} KZT", r.cost_kzt)));
            m.insert("stroke".into(), json!(FIBRE_STROKE));
            m.insert("stroke-width".into(), json!(3));
            let coords: Vec<Value> = r.geometry.iter().map(|q| pos(*q)).collect();
            features.push(feature(
                json!({"type": "LineString", "coordinates": coords}),
                m,
            ));
        }
        for (i, v) in self.villages.iter().enumerate() {
            let vp = &p.villages[i];
            let mut m = Map::new();
            m.insert("kind".into(), json!("village"));
            m.insert("id".into(), json!(v.id));
            m.insert("name".into(), json!(v.name));
            m.insert("name_kk".into(), json!(v.name_kk));
            m.insert("name_ru".into(), json!(v.name_ru));
            m.insert("place".into(), json!(v.place));
            m.insert("households".into(), json!(v.households));
            m.insert("population".into(), json!(v.population));
            m.insert("population_imputed".into(), json!(v.population_imputed));
            m.insert("technology".into(), json!(vp.technology.as_str()));
            m.insert("unreachable".into(), json!(vp.unreachable));
            m.insert("cost_kzt".into(), json!(vp.cost_kzt));
            m.insert("phase".into(), json!(vp.phase));
            why_props(&mut m, v, vp);
            district_props(&mut m, self.districts, v.district);
            m.insert(
                "title".into(),
                json!(if v.name.is_empty() {
                    v.id.clone()
                } else {
                    v.name.clone()
                }),
            );
            m.insert(
                "description".into(),
                json!(format!(
                    "{} households, {}",
                    v.households,
                    vp.technology.as_str()
                )),
            );
            m.insert(
                "marker-color".into(),
                json!(technology_colour(vp.technology)),
            );
            m.insert(
                "marker-size".into(),
                json!(if v.households >= 500 {
                    "large"
                } else if v.households >= 100 {
                    "medium"
                } else {
                    "small"
                }),
            );
            features.push(feature(
                json!({"type": "Point", "coordinates": pos(v.lonlat)}),
                m,
            ));
        }
        for u in &p.pops {
            let mut m = Map::new();
            m.insert("kind".into(), json!("pop"));
            match u.pop.map(|j| &self.backbone.pops[j]) {
                Some(pop) => {
                    m.insert("id".into(), json!(pop.id));
                    m.insert("name".into(), json!(pop.name));
                    m.insert(
                        "source".into(),
                        serde_json::to_value(pop.source).unwrap_or(Value::Null),
                    );
                }
                None => {
                    m.insert("id".into(), json!(format!("joint/{}", u.node)));
                    m.insert("name".into(), json!(""));
                    m.insert("source".into(), json!("line_joint"));
                }
            }
            m.insert("proxy".into(), json!(self.backbone.is_proxy));
            m.insert("title".into(), json!("Point of presence"));
            m.insert("marker-color".into(), json!(POP_COLOUR));
            m.insert("marker-symbol".into(), json!("telephone"));
            features.push(feature(
                json!({"type": "Point", "coordinates": pos(u.lonlat)}),
                m,
            ));
        }
        let fc = json!({
            "type": "FeatureCollection",
            "attribution": ATTRIBUTION,
            "backbone": self.backbone.description,
            "features": features,
        });
        let mut s = serde_json::to_string(&fc).expect("JSON values serialise");
        s.push('\n');
        s
    }

    /// `villages.csv`: one row per input village, the same properties as the GeoJSON.
    pub fn villages_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
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
            "technology",
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
        w.write_record(header).expect("in-memory CSV");
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
                vp.technology.as_str().to_string(),
                vp.unreachable.to_string(),
                vp.cost_kzt.to_string(),
                vp.phase.map(|y| y.to_string()).unwrap_or_default(),
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
            ])
            .expect("in-memory CSV");
        }
        String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 in, UTF-8 out")
    }

    /// `summary.json`: totals, cost breakdown, solver facts, inputs, attribution.
    pub fn summary_json(&self) -> String {
        let s = &self.plan.summary;
        let gap = s
            .lower_bound
            .filter(|&lb| lb > 0)
            .map(|lb| r3(100.0 * (s.objective - lb) as f64 / lb as f64));
        let v = json!({
            "mode": s.mode.as_str(),
            "target_households": s.target_households,
            "budget_kzt": s.budget_kzt,
            "coverage_target": s.coverage_target,
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
            "target_met": s.target_households.is_none_or(|t| s.households_fibre >= t)
                && s.budget_kzt.is_none_or(|b| s.cost_fibre_kzt() <= b)
                && s.coverage_target.is_none_or(|c| s.coverage_share >= c),
            "villages_fwa": s.villages_fwa,
            "households_fwa": s.households_fwa,
            "villages_satellite": s.villages_satellite,
            "households_satellite": s.households_satellite,
            "coverage_share": (s.coverage_share * 1e6).round() / 1e6,
            "phases": s.phases.iter().map(|(y, k)| json!({"year": y, "spent_kzt": k})).collect::<Vec<_>>(),
            "villages_unphased": s.villages_unphased,
            "villages_total": s.villages_total,
            "households_total": s.households_total,
            "population_total": s.population_total,
            "villages_unreachable": s.villages_unreachable,
            "routes": s.routes,
            "pops_used": s.pops_used,
            "solver": s.solver,
            "objective": s.objective,
            "objective_units": "corridor cost in KZT, as in --export-stp",
            "lower_bound": s.lower_bound,
            "gap_pct": gap,
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
