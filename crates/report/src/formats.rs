//! Output formats of a plan (`--format geojson,gpkg,kmz,ofds`) and the layers the GIS formats
//! share.
//!
//! GeoPackage and KMZ take their layers from the plan's GeoJSON features, grouped by `kind`
//! ([`LAYERS`]), so every popup field of `plan.geojson` reaches QGIS and Google Earth with
//! the same name. OFDS is built from the plan itself (it needs the graph's node ids).

use crate::atomic::AtomicDir;
use crate::i18n::Lang;
use crate::plan_out::PlanContext;
use crate::{gpkg, kmz, ofds};
use fiberplan_model::Village;
use fiberplan_plan::Plan;
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// One output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `plan.geojson` (RFC 7946), the default; written in every case.
    Geojson,
    /// `plan.gpkg` (OGC GeoPackage 1.3).
    Gpkg,
    /// `plan.kmz` (KML 2.2 zipped, for Google Earth).
    Kmz,
    /// `plan.ofds.json`, `plan.ofds.nodes.geojson`, `plan.ofds.spans.geojson` (OFDS 0.3.0).
    Ofds,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Geojson => "geojson",
            Format::Gpkg => "gpkg",
            Format::Kmz => "kmz",
            Format::Ofds => "ofds",
        }
    }

    /// A comma-separated list (`geojson,gpkg`), sorted and without repeats.
    pub fn parse_list(s: &str) -> Result<Vec<Format>, String> {
        let mut out: Vec<Format> = s
            .split(',')
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()?;
        if out.is_empty() {
            return Err("no format given: use geojson, gpkg, kmz or ofds".into());
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "geojson" => Ok(Format::Geojson),
            "gpkg" => Ok(Format::Gpkg),
            "kmz" => Ok(Format::Kmz),
            "ofds" => Ok(Format::Ofds),
            _ => Err(format!(
                "unknown format {s:?}: use geojson, gpkg, kmz or ofds"
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Layer (table, folder) of each feature `kind` of `plan.geojson`, in output order. The
/// first three always exist; the others appear when a plan has such features.
///
/// Extension point: the last mile (premises, splitters, cables) and radio sites only need
/// their features' `kind` listed here; a kind missing from the list gets a layer of its
/// own name, after these.
pub const LAYERS: &[(&str, &str)] = &[
    ("village", "villages"),
    ("new_fibre", "routes"),
    ("pop", "pops"),
    ("premise", "premises"),
    ("splitter", "splitters"),
    ("cable", "cables"),
    ("site", "sites"),
];

/// Styling members of the GeoJSON (simplestyle) that are not data.
const STYLE_KEYS: &[&str] = &[
    "stroke",
    "stroke-width",
    "marker-color",
    "marker-size",
    "marker-symbol",
];

/// A feature of a layer: GeoJSON geometry and properties.
#[derive(Clone, Debug)]
pub struct LayerFeature {
    pub geometry: Value,
    pub properties: Map<String, Value>,
}

/// Column type of a field, inferred from its values over the layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Integer,
    Real,
    Boolean,
    Text,
}

/// One layer: name, geometry type (`POINT`, `LINESTRING`, `GEOMETRY` when mixed), fields in
/// order of first appearance, features.
#[derive(Clone, Debug)]
pub struct Layer {
    pub name: String,
    pub kind: String,
    pub geometry_type: &'static str,
    pub fields: Vec<(String, FieldType)>,
    pub features: Vec<LayerFeature>,
}

/// The plan's layers (from its GeoJSON features), empty base layers included.
pub fn layers(ctx: &PlanContext, lang: Lang) -> Vec<Layer> {
    let fc: Value = serde_json::from_str(&ctx.geojson(lang)).expect("own GeoJSON parses");
    let mut out: Vec<Layer> = LAYERS
        .iter()
        .map(|(kind, name)| Layer {
            name: name.to_string(),
            kind: kind.to_string(),
            geometry_type: "GEOMETRY",
            fields: Vec::new(),
            features: Vec::new(),
        })
        .collect();
    for f in fc["features"].as_array().into_iter().flatten() {
        let mut props = f["properties"].as_object().cloned().unwrap_or_default();
        for k in STYLE_KEYS {
            props.shift_remove(*k);
        }
        let kind = props
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("feature")
            .to_string();
        let i = match out.iter().position(|l| l.kind == kind) {
            Some(i) => i,
            None => {
                let name: String = kind
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                out.push(Layer {
                    name: format!("{name}s"),
                    kind: kind.clone(),
                    geometry_type: "GEOMETRY",
                    fields: Vec::new(),
                    features: Vec::new(),
                });
                out.len() - 1
            }
        };
        out[i].features.push(LayerFeature {
            geometry: f["geometry"].clone(),
            properties: props,
        });
    }
    let base = 3;
    let mut kept = Vec::new();
    for (i, mut l) in out.into_iter().enumerate() {
        if i >= base && l.features.is_empty() {
            continue;
        }
        l.geometry_type = geometry_type(&l.features, &l.kind);
        l.fields = fields(&l.features);
        kept.push(l);
    }
    kept
}

fn geometry_type(features: &[LayerFeature], kind: &str) -> &'static str {
    let mut t: Option<&str> = None;
    for f in features {
        let g = f.geometry["type"].as_str().unwrap_or("");
        match t {
            None => t = Some(g),
            Some(x) if x != g => return "GEOMETRY",
            _ => {}
        }
    }
    match t.unwrap_or(match kind {
        "new_fibre" | "cable" => "LineString",
        _ => "Point",
    }) {
        "Point" => "POINT",
        "LineString" => "LINESTRING",
        "MultiLineString" => "MULTILINESTRING",
        "Polygon" => "POLYGON",
        _ => "GEOMETRY",
    }
}

fn fields(features: &[LayerFeature]) -> Vec<(String, FieldType)> {
    let mut out: Vec<(String, Option<FieldType>)> = Vec::new();
    for f in features {
        for (k, v) in &f.properties {
            let t = match v {
                Value::Null => None,
                Value::Bool(_) => Some(FieldType::Boolean),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some(FieldType::Integer),
                Value::Number(_) => Some(FieldType::Real),
                _ => Some(FieldType::Text),
            };
            let slot = match out.iter().position(|(n, _)| n == k) {
                Some(i) => i,
                None => {
                    out.push((k.clone(), None));
                    out.len() - 1
                }
            };
            let cur = out[slot].1;
            out[slot].1 = match (cur, t) {
                (None, t) | (t, None) => t,
                (Some(a), Some(b)) if a == b => Some(a),
                (Some(FieldType::Integer), Some(FieldType::Real))
                | (Some(FieldType::Real), Some(FieldType::Integer)) => Some(FieldType::Real),
                _ => Some(FieldType::Text),
            };
        }
    }
    out.into_iter()
        .map(|(k, t)| (k, t.unwrap_or(FieldType::Text)))
        .collect()
}

/// A field's value as text (arrays and objects as JSON), for KML and TEXT columns.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Stage the chosen formats of the plan besides `plan.geojson` (which the plan's data files
/// always include) in `out` under `prefix` (`""` for the plan folder, `districts/<folder>/`
/// for a district package).
pub fn write_formats(
    ctx: &PlanContext,
    formats: &[Format],
    lang: Lang,
    out: &mut AtomicDir,
    prefix: &str,
) -> std::io::Result<()> {
    write_with(ctx, &ctx.graph.village_node, formats, lang, out, prefix)
}

/// [`write_formats`] with the graph node of each of `ctx.villages` given (a district's part).
fn write_with(
    ctx: &PlanContext,
    village_nodes: &[Option<u32>],
    formats: &[Format],
    lang: Lang,
    out: &mut AtomicDir,
    prefix: &str,
) -> std::io::Result<()> {
    let mut formats = formats.to_vec();
    formats.sort_unstable();
    formats.dedup();
    for f in formats {
        match f {
            // Always written with the plan's data files (`diff`, sweeps and the district
            // packages build on it): nothing more to do.
            Format::Geojson => {}
            Format::Gpkg => {
                let bytes = gpkg::geopackage(ctx, lang).map_err(|e| {
                    std::io::Error::other(format!("{prefix}plan.gpkg: SQLite: {e}"))
                })?;
                out.write(&format!("{prefix}plan.gpkg"), &bytes)?
            }
            Format::Kmz => out.write(&format!("{prefix}plan.kmz"), &kmz::kmz(ctx, lang)?)?,
            Format::Ofds => {
                let package = ofds::package_with(ctx, village_nodes);
                out.write(
                    &format!("{prefix}plan.ofds.json"),
                    ofds::package_text(&package).as_bytes(),
                )?;
                let (nodes, spans) = ofds::geojson_texts(&package);
                out.write(
                    &format!("{prefix}plan.ofds.nodes.geojson"),
                    nodes.as_bytes(),
                )?;
                out.write(
                    &format!("{prefix}plan.ofds.spans.geojson"),
                    spans.as_bytes(),
                )?;
            }
        }
    }
    Ok(())
}

/// The chosen formats (GeoJSON aside: the packages always have it) of every district
/// package with work, into `districts/<folder>/`. A district's plan holds its villages, the whole
/// routes whose midpoint lies in it (not clipped: OFDS spans must end at nodes) and the
/// points of presence those routes reach.
pub fn write_district_formats(
    ctx: &PlanContext,
    formats: &[Format],
    lang: Lang,
    out: &mut AtomicDir,
) -> std::io::Result<()> {
    if formats.iter().all(|&f| f == Format::Geojson) {
        return Ok(());
    }
    let n = ctx.districts.len();
    let slot = |d: Option<usize>| d.filter(|&d| d < n).unwrap_or(n);
    for s in 0..=n {
        let idx: Vec<usize> = (0..ctx.villages.len())
            .filter(|&i| slot(ctx.villages[i].district) == s)
            .collect();
        let routes: Vec<_> = ctx
            .plan
            .routes
            .iter()
            .filter(|r| slot(r.district) == s)
            .cloned()
            .collect();
        let connected = idx
            .iter()
            .any(|&i| ctx.plan.villages[i].technology.is_planned());
        if routes.is_empty() && !connected {
            continue;
        }
        let ends: Vec<u32> = routes.iter().flat_map(|r| [r.from, r.to]).collect();
        let villages: Vec<Village> = idx.iter().map(|&i| ctx.villages[i].clone()).collect();
        let plan = Plan {
            villages: idx.iter().map(|&i| ctx.plan.villages[i].clone()).collect(),
            pops: ctx
                .plan
                .pops
                .iter()
                .filter(|u| ends.contains(&u.node))
                .cloned()
                .collect(),
            routes,
            summary: ctx.plan.summary.clone(),
            corridors: ctx.plan.corridors.clone(),
        };
        let sub = PlanContext {
            villages: &villages,
            districts: ctx.districts,
            backbone: ctx.backbone,
            graph: ctx.graph,
            plan: &plan,
            inputs: ctx.inputs.clone(),
            mobile: None,
            scenario: ctx.scenario,
        };
        let folder = crate::district_packages::folder_name((s < n).then(|| &ctx.districts[s]));
        let nodes: Vec<Option<u32>> = idx
            .iter()
            .map(|&i| ctx.graph.village_node.get(i).copied().flatten())
            .collect();
        let prefix = format!("districts/{folder}/");
        write_with(&sub, &nodes, formats, lang, out, &prefix)?;
    }
    Ok(())
}
